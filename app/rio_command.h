#pragma once
// `ooapi-endpoint rio …`: import, download, diff, overview, snapshots. The executable wires this
// in; the database driver is passed in so this module never links a concrete adapter.

#include <string>
#include <vector>

#include "commands.h"

namespace ooapi::app {

// args = everything after "rio", e.g. {"import", "--from", "DIR", "--bestuur", "30BA", ...}.
// Returns the exit status (args.h): 0 ok; 2 usage, or input refused before anything was stored
// (a corrupt DUO file, an unknown snapshot id); 1 runtime failure. Reports go to stdout, errors
// and warnings to stderr.
int RunRioCommand(const std::vector<std::string>& args, const DatabaseOpener& open_database);

}  // namespace ooapi::app
