#pragma once
// The commands that run SURFeduhub jobs through the ledger:
//   ooapi-endpoint link TYPE RIOCODE ID      put our id on a RIO item
//   ooapi-endpoint unlink TYPE RIOCODE       remove the key again
//   ooapi-endpoint push ACTION TYPE ID       upsert, delete or dry-run-upsert one of our entities
//   ooapi-endpoint jobs [--status S]         the job ledger
//   ooapi-endpoint job TOKEN|ID              one job with its history
//   ooapi-endpoint sync apply PLAN           link every accepted item of a plan
//   ooapi-endpoint sync verify               compare applied links with a fresh rio import
// The executable wires these in with the database opener (as for `rio`).

#include <string>
#include <vector>

#include "args.h"
#include "commands.h"

namespace ooapi::app {

// `command` is "link", "unlink", "push", "jobs" or "job"; `args` what follows it. Returns the exit
// status (args.h): 0 ok; 2 usage, configuration or a job refused before it was sent; 1 the job
// did not end `done`, the ledger held it (in doubt, another job active), or a runtime failure.
int RunLinkCommand(const std::string& command, const std::vector<std::string>& args,
                   const DatabaseOpener& open_database);

// `sync apply` and `sync verify`, dispatched by RunSyncCommand. apply: 1 when an entry was
// refused or held or a job did not end done (2 with --dry-run when an entry was refused, since
// nothing is sent); verify: 1 when there is any difference.
int SyncApply(const ParsedArgs& args, const DatabaseOpener& open_database);
int SyncVerify(const ParsedArgs& args, const DatabaseOpener& open_database);

}  // namespace ooapi::app
