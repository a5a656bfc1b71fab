#pragma once
// `ooapi-endpoint rio …`: import, download, diff, overview. The executable wires this in; the
// database driver is passed in so this module never links a concrete adapter.

#include <functional>
#include <string>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/db/db.h"

namespace ooapi::sync {

using DatabaseOpener = std::function<StatusOr<db::ConnectionPtr>(const std::string& path_or_url)>;

// args = everything after "rio", e.g. {"import", "--from", "DIR", "--bestuur", "30BA", ...}.
// Returns the process exit status: 0 ok, 2 usage/config/bad input, 1 runtime failure.
// Reports go to stdout, errors and warnings to stderr.
int RunRioCommand(const std::vector<std::string>& args, const DatabaseOpener& open_database);

}  // namespace ooapi::sync
