#pragma once
// A small, strict command-line parser for the subcommands: `--name value` or `--name=value`,
// flags without values, `--help`. Unknown options, missing values and stray arguments are errors.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi::app {

struct OptionSpec {
  std::string name;        // without dashes
  std::string value_name;  // empty for a flag
  std::string help;
  bool required = false;
};

struct CommandSpec {
  std::string name;
  std::string summary;
  std::vector<OptionSpec> options;
  std::string positional;  // name of one required positional argument, or empty
};

struct ParsedArgs {
  std::map<std::string, std::string> values;  // options given (flags map to "true")
  std::optional<std::string> positional;
  bool help = false;

  std::optional<std::string> Get(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) {
      return std::nullopt;
    }
    return it->second;
  }
};

// kInvalidArgument with a message naming the offending argument.
StatusOr<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args);
std::string HelpText(const CommandSpec& spec);

}  // namespace ooapi::app
