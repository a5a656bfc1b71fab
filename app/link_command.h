#pragma once
// The link/unlink commands of issue 7:
//   ooapi-endpoint link TYPE RIOCODE ID      put our id on a RIO item through SURFeduhub
//   ooapi-endpoint unlink TYPE RIOCODE       remove the key again
//   ooapi-endpoint jobs [--status S]         the job ledger
//   ooapi-endpoint job TOKEN|ID              one job with its history
//   ooapi-endpoint sync apply PLAN           link every accepted item of a plan
//   ooapi-endpoint sync verify               compare applied links with a fresh rio import
// The executable wires these in with the database opener (as for `rio`).

#include <string>
#include <vector>

#include "rio_command.h"

namespace ooapi::sync {

// `command` is "link", "unlink", "jobs", "job", "apply" or "verify"; `args` what follows it.
// Returns the exit status: 0 ok, 2 usage/config/bad input (nothing was sent), 1 a job did not end
// `done`, verify found a difference, or a runtime failure.
int RunLinkCommand(const std::string& command, const std::vector<std::string>& args,
                   const DatabaseOpener& open_database);

}  // namespace ooapi::sync
