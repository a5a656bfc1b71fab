#pragma once
// `ooapi-endpoint sync plan|apply|verify`. The executable wires this in: it passes the sync
// database opener (as for `rio`) and a SisOpener that builds, from the configuration file, the
// configured SIS adapter and an Api over it with the configured offering window. This module
// never links a concrete adapter.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/common/status.h"
#include "ooapi/endpoint/api.h"

namespace ooapi::app {

// The SIS as the endpoint serves it. Members are destroyed in reverse order: the Api (which points
// at the adapter) goes first.
struct SisHandle {
  adapters::SisAdapterPtr adapter;
  std::unique_ptr<endpoint::Api> api;  // built over adapter.get() with the configured ApiOptions
  std::string offering_window;         // ApiOptions::offering_window, for the report
};
// Called once with the --config value ("" when absent: the opener's default). Configuration
// errors are kInvalidArgument (exit 2); anything else gives exit 1.
using SisOpener = std::function<StatusOr<SisHandle>(const std::string& config_path)>;

// args = everything after "sync", e.g. {"plan", "--snapshot", "3", "--out", "plan.json"}; apply
// and verify are run by link_command.cc. Returns the exit status (args.h). The summary goes to
// stdout, errors and warnings to stderr.
int RunSyncCommand(const std::vector<std::string>& args, const DatabaseOpener& open_database,
                   const SisOpener& open_sis);

}  // namespace ooapi::app
