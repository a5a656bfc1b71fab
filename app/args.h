#pragma once
// The one command-line parser of ooapi-endpoint, for every command and subcommand. Each command is
// declared by a CommandSpec (commands.h holds them all); the parser enforces it and --help prints
// it, so what a command accepts and what its help says cannot drift apart.
//
//   `--name value` and `--name=value`; flags take no value; `--help` or `-h` anywhere prints the
//   help (exit 0). An unknown option, a missing value, an option given twice, a missing or an
//   extra positional argument, a missing required option: exit 2 with a message naming it.
//   Values are read through typed accessors (Int, OneOf) that name the argument when refusing.
//
// Exit status, the same for every command (README "Commands"):
//   0  ok.
//   2  refused before anything was sent or written: a usage error, the configuration, an input
//      file the command refuses (a plan, a DUO file rio import refuses, --merge), a value that
//      does not validate (a malformed RIO code), or something the user named that does not exist
//      ("--snapshot 7", "job 12"). Statuses kInvalidArgument and kNotFound.
//   1  a runtime failure: the database cannot be opened or fails, SURFeduhub or the network
//      fails, a job did not end `done`, verify found a difference, check-rio found a violation,
//      a job is held by the ledger (in doubt, still active). Every other status.
// Hence kNotFound means "what you named does not exist" on the way to ExitCodeFor; a failure of
// the environment that happens to carry kInvalidArgument or kNotFound goes through AsRuntime.

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// The exit status for a failed `status` by the rule above (kOk gives 0).
int ExitCodeFor(const Status& status);
// `status` with code kUnavailable when it would otherwise give exit 2: for failures of the
// environment (opening the database) whatever code the layer below chose.
Status AsRuntime(const Status& status);
// Prints "ooapi-endpoint <command>: <message>" on stderr and returns ExitCodeFor(status).
int Fail(std::string_view command, const Status& status);

struct OptionSpec {
  std::string name;        // without dashes
  std::string value_name;  // empty for a flag
  std::string help;
  bool required = false;
};

struct PositionalSpec {
  std::string name;  // upper case, as the synopsis shows it: PLAN, TYPE, A
  std::string help;
  bool required = true;  // optional ones come last
};

struct CommandSpec {
  std::string name;     // as typed after ooapi-endpoint: "serve", "rio import", "sync apply"
  std::string brief;    // one line, for the list of its group
  std::string summary;  // one paragraph, for its --help
  std::vector<PositionalSpec> positionals = {};
  std::vector<OptionSpec> options = {};
};

// The options several commands share, declared once.
// --db PATH|URL, the sync database (snapshots and the job ledger); `default_is` for its help.
OptionSpec DbOption(std::string_view default_is = "var/sync.db");
OptionSpec ConfigOption(std::string help);  // --config FILE
OptionSpec VerboseOption();                 // --verbose, JSON log lines on stderr
OptionSpec Required(OptionSpec option);

inline constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

struct ParsedArgs {
  std::map<std::string, std::string> options;      // given options; flags map to "true"
  std::map<std::string, std::string> positionals;  // by PositionalSpec::name
  bool help = false;

  // The value of option or positional `name`, if given.
  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, std::string fallback) const;
  // A flag (or an option) was given.
  bool Has(const std::string& name) const { return Get(name).has_value(); }
  // A whole number in [min, max]; `fallback` (unchecked) when not given. kInvalidArgument naming
  // the argument when it is not a number or out of range.
  StatusOr<int64_t> Int(const std::string& name, int64_t fallback, int64_t min,
                        int64_t max = kNoLimit) const;
  // One of `choices`; `fallback` when not given. kInvalidArgument naming the argument otherwise.
  StatusOr<std::string> OneOf(const std::string& name, const std::vector<std::string>& choices,
                              std::string fallback) const;
  // "option '--snapshot'" or "argument PLAN", for messages.
  std::string Describe(const std::string& name) const;
};

// kInvalidArgument with a message naming the offending argument (without the command's name).
StatusOr<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args);

// The synopsis: "usage: ooapi-endpoint <name> <positionals> <options>", wrapped at 80 columns.
std::string UsageLine(const CommandSpec& spec);
// usage line, blank line, summary, blank line, "arguments:" (when any) and "options:" tables,
// blank line, the exit-status line.
std::string HelpText(const CommandSpec& spec);
// The last line of every --help.
extern const std::string_view kExitStatusLine;

using CommandRunner = std::function<int(const ParsedArgs&)>;

// Parses `args` against `spec` and runs `run`: --help prints HelpText on stdout (0); a usage
// error prints the message and the usage line on stderr (2); an exception from `run` is reported
// as a runtime failure (1).
int RunCommand(const CommandSpec& spec, const std::vector<std::string>& args,
               const CommandRunner& run);

// A group of commands: ooapi-endpoint itself (name ""), "rio", "sync". The first argument names
// one of `commands`.
struct GroupSpec {
  std::string name;
  std::string brief;
  std::string summary;
  std::vector<std::variant<const CommandSpec*, const GroupSpec*>> commands;  // in --help order
};
// The word that selects a command or group in its parent: "import" for "rio import".
std::string LastWord(std::string_view name);
// "usage: ooapi-endpoint [<group>] COMMAND [options]", summary, the "commands:" table with each
// one's brief, a pointer to COMMAND --help, and the exit-status line.
std::string GroupHelpText(const GroupSpec& group);

struct Route {
  std::string name;  // a word listed in the group
  std::function<int(const std::vector<std::string>& rest)> run;
};
// A route that runs `spec` through RunCommand.
Route CommandRoute(const CommandSpec& spec, CommandRunner run);
// Dispatches on args[0]: none prints the group's help on stderr (2); --help, -h or help prints it
// on stdout (0); a word the group does not list is "unknown command 'x'" (2).
int RunGroup(const GroupSpec& group, const std::vector<Route>& routes,
             const std::vector<std::string>& args);

}  // namespace ooapi::app
