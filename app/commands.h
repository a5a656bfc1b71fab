#pragma once
// Every command of ooapi-endpoint as the parser enforces it and --help describes it, in one place:
// the CLI surface can be reviewed here without reading the code that runs it. The commands are
// run by main.cc (serve, demo-data, check-config, check-rio, hash-secret), rio_command.cc,
// plan_command.cc and link_command.cc.

#include <functional>
#include <string>
#include <vector>

#include "args.h"
#include "ooapi/common/status.h"
#include "ooapi/db/db.h"

namespace ooapi::app {

extern const CommandSpec kServeCommand;
extern const CommandSpec kDemoDataCommand;
extern const CommandSpec kCheckConfigCommand;
extern const CommandSpec kCheckRioCommand;
extern const CommandSpec kHashSecretCommand;

extern const CommandSpec kRioImportCommand;
extern const CommandSpec kRioDownloadCommand;
extern const CommandSpec kRioDiffCommand;
extern const CommandSpec kRioOverviewCommand;
extern const CommandSpec kRioSnapshotsCommand;

extern const CommandSpec kSyncPlanCommand;
extern const CommandSpec kSyncApplyCommand;
extern const CommandSpec kSyncVerifyCommand;

extern const CommandSpec kLinkCommand;
extern const CommandSpec kUnlinkCommand;
extern const CommandSpec kPushCommand;
extern const CommandSpec kJobsCommand;
extern const CommandSpec kJobCommand;

extern const GroupSpec kRioGroup;
extern const GroupSpec kSyncGroup;
extern const GroupSpec kMainGroup;  // ooapi-endpoint itself; the root of the others

// Every CommandSpec reachable from kMainGroup, in --help order (for tests and docs).
std::vector<const CommandSpec*> AllCommandSpecs();

// The default of --db.
inline constexpr std::string_view kDefaultSyncDb = "var/sync.db";
// The default of --config where it is optional.
inline constexpr std::string_view kDefaultConfig = "config/demo.yaml";

// Opens the sync database (snapshots, ledger) given as a path or URL. The executable passes the
// concrete drivers in, so the command code never links an adapter.
using DatabaseOpener = std::function<StatusOr<db::ConnectionPtr>(const std::string& path_or_url)>;
// `open(path_or_url)`, with any failure reported as a runtime one (exit 1): the argument was
// accepted, the environment failed.
StatusOr<db::ConnectionPtr> OpenDatabase(const DatabaseOpener& open,
                                         const std::string& path_or_url);

}  // namespace ooapi::app
