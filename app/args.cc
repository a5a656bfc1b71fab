#include "args.h"

#include <algorithm>

namespace ooapi::app {

StatusOr<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      return out;
    }
    if (arg.rfind("--", 0) != 0) {
      if (spec.positional.empty() || out.positional) {
        return InvalidArgument(spec.name + ": unexpected argument '" + arg + "'");
      }
      out.positional = arg;
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = std::find_if(spec.options.begin(), spec.options.end(),
                           [&](const OptionSpec& o) { return o.name == name; });
    if (it == spec.options.end()) {
      return InvalidArgument(spec.name + ": unknown option '--" + name + "' (see " + spec.name +
                             " --help)");
    }
    if (out.values.count(name) > 0) {
      return InvalidArgument(spec.name + ": option '--" + name + "' given twice");
    }
    if (it->value_name.empty()) {
      if (inline_value) {
        return InvalidArgument(spec.name + ": option '--" + name + "' takes no value");
      }
      out.values[name] = "true";
    } else if (inline_value) {
      out.values[name] = *inline_value;
    } else {
      if (i + 1 >= args.size()) {
        return InvalidArgument(spec.name + ": option '--" + name + "' needs a value (" +
                               it->value_name + ")");
      }
      out.values[name] = args[++i];
    }
  }
  for (const OptionSpec& o : spec.options) {
    if (o.required && out.values.count(o.name) == 0) {
      return InvalidArgument(spec.name + ": option '--" + o.name + "' is required");
    }
  }
  if (!spec.positional.empty() && !out.positional) {
    return InvalidArgument(spec.name + ": missing argument " + spec.positional);
  }
  return out;
}

std::string HelpText(const CommandSpec& spec) {
  std::string out = "usage: ooapi-endpoint " + spec.name;
  for (const OptionSpec& o : spec.options) {
    std::string item = "--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    out += o.required ? " " + item : " [" + item + "]";
  }
  if (!spec.positional.empty()) {
    out += " " + spec.positional;
  }
  out += "\n\n" + spec.summary + "\n";
  if (!spec.options.empty()) {
    out += "\noptions:\n";
    for (const OptionSpec& o : spec.options) {
      std::string item = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
      if (item.size() < 28) {
        item.resize(28, ' ');
      } else {
        item += "\n" + std::string(28, ' ');
      }
      out += item + o.help + "\n";
    }
  }
  out += "\nexit status: 0 ok, 2 usage or configuration error, 1 runtime failure\n";
  return out;
}

}  // namespace ooapi::app
