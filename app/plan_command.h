#pragma once
// `ooapi-endpoint sync plan …` (issue 6). The executable wires this in: it passes the snapshot
// database opener (as for `rio`) and a SisOpener that builds, from the configuration file, the
// configured SIS adapter and an Api over it with the configured offering window. This module
// never links a concrete adapter.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/common/status.h"
#include "ooapi/endpoint/api.h"
#include "rio_command.h"

namespace ooapi::sync {

// The SIS as the endpoint serves it. Members are destroyed in reverse order: the Api (which points
// at the adapter) goes first.
struct SisHandle {
  adapters::SisAdapterPtr adapter;
  std::unique_ptr<endpoint::Api> api;  // built over adapter.get() with the configured ApiOptions
  std::string offering_window;         // ApiOptions::offering_window, for the report
};
// Called once with the --config value ("" when absent: the opener's default). Errors are printed
// and give exit status 2 (kInvalidArgument) or 1.
using SisOpener = std::function<StatusOr<SisHandle>(const std::string& config_path)>;

// args = everything after "sync", e.g. {"plan", "--snapshot", "3", "--out", "plan.json"}.
//   sync plan [--db PATH|URL] [--config FILE] [--snapshot ID] --out plan.json
//             [--report FILE.xlsx|.csv|.html] [--merge old.json]
// Returns the exit status: 0 ok, 2 usage/config/bad input, 1 runtime failure. The summary goes to
// stdout, errors and warnings to stderr.
int RunSyncCommand(const std::vector<std::string>& args, const DatabaseOpener& open_database,
                   const SisOpener& open_sis);

}  // namespace ooapi::sync
