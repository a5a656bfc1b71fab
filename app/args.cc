#include "args.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <iostream>

#include "ooapi/common/strings.h"

namespace ooapi::app {
namespace {

constexpr size_t kWidth = 80;        // help text is read in a terminal
constexpr size_t kTableColumn = 28;  // where the help of an option starts

// Words of `text` on lines of at most `width` columns, every line but the first indented by
// `indent` spaces. A word longer than a line gets a line of its own.
std::string Wrap(const std::vector<std::string>& words, size_t first_column, size_t indent,
                 size_t width = kWidth) {
  std::string out;
  size_t column = first_column;
  bool line_start = true;
  for (const std::string& word : words) {
    if (!line_start && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_start = false;
  }
  return out;
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  for (std::string_view w : Split(text, ' ')) {
    if (!w.empty()) words.emplace_back(w);
  }
  return words;
}

std::string Paragraph(std::string_view text, size_t indent = 0) {
  return std::string(indent, ' ') + Wrap(Words(text), indent, indent);
}

// One row of an "options:" or "commands:" table.
std::string TableRow(const std::string& left, const std::string& help) {
  std::string row = "  " + left;
  if (row.size() + 1 >= kTableColumn) {
    row += "\n" + std::string(kTableColumn, ' ');
  } else {
    row.resize(kTableColumn, ' ');
  }
  return row + Wrap(Words(help), kTableColumn, kTableColumn) + "\n";
}

std::string OptionItem(const OptionSpec& o) {
  return "--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
}

const OptionSpec* FindOption(const CommandSpec& spec, std::string_view name) {
  auto it = std::find_if(spec.options.begin(), spec.options.end(),
                         [&](const OptionSpec& o) { return o.name == name; });
  return it == spec.options.end() ? nullptr : &*it;
}

// "-5" is a value or a positional, "-x" an option nobody declared.
bool LooksLikeOption(const std::string& arg) {
  return arg.size() > 1 && arg[0] == '-' && std::isdigit(static_cast<unsigned char>(arg[1])) == 0;
}

// Consumes the option at args[*i]; advances *i past its value.
Status TakeOption(const CommandSpec& spec, const std::vector<std::string>& args, size_t* i,
                  ParsedArgs& out) {
  const std::string& arg = args[*i];
  if (!StartsWith(arg, "--")) return InvalidArgument("unknown option '" + arg + "'");
  std::string name = arg.substr(2);
  std::optional<std::string> inline_value;
  if (size_t eq = name.find('='); eq != std::string::npos) {
    inline_value = name.substr(eq + 1);
    name.resize(eq);
  }
  const OptionSpec* option = FindOption(spec, name);
  if (option == nullptr) return InvalidArgument("unknown option '--" + name + "'");
  if (out.options.contains(name)) return InvalidArgument("option '--" + name + "' given twice");
  if (option->value_name.empty()) {
    if (inline_value) return InvalidArgument("option '--" + name + "' takes no value");
    out.options[name] = "true";
    return Status::Ok();
  }
  if (inline_value) {
    out.options[name] = *inline_value;
    return Status::Ok();
  }
  // A value that starts with "--" is most likely a forgotten value; --name=--x still works.
  if (*i + 1 >= args.size() || StartsWith(args[*i + 1], "--")) {
    return InvalidArgument("option '--" + name + "' needs a value (" + option->value_name + ")");
  }
  out.options[name] = args[++*i];
  return Status::Ok();
}

std::string RangeText(int64_t min, int64_t max) {
  if (max == kNoLimit) return "a whole number of at least " + std::to_string(min);
  return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

const std::string_view kExitStatusLine =
    "exit status: 0 ok, 2 usage, configuration or input error, 1 runtime failure";

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

Status AsRuntime(const Status& status) {
  if (ExitCodeFor(status) != kExitUsage) return status;
  return {StatusCode::kUnavailable, status.message()};
}

int Fail(std::string_view command, const Status& status) {
  std::cerr << "ooapi-endpoint" << (command.empty() ? "" : " ") << command << ": "
            << status.message() << "\n";
  return ExitCodeFor(status);
}

OptionSpec DbOption(std::string_view default_is) {
  return {"db", "PATH|URL",
          "the sync database, with the rio snapshots and the job ledger: a SQLite file (created "
          "when missing) or postgresql://user@host:port/db (default " +
              std::string(default_is) + ")"};
}

OptionSpec ConfigOption(std::string help) { return {"config", "FILE", std::move(help)}; }

OptionSpec VerboseOption() {
  return {"verbose", "", "JSON log lines (jobs sent, retries) on stderr"};
}

OptionSpec Required(OptionSpec option) {
  option.required = true;
  return option;
}

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  if (auto it = options.find(name); it != options.end()) return it->second;
  if (auto it = positionals.find(name); it != positionals.end()) return it->second;
  return std::nullopt;
}

std::string ParsedArgs::GetOr(const std::string& name, std::string fallback) const {
  std::optional<std::string> value = Get(name);
  return value ? *value : std::move(fallback);
}

std::string ParsedArgs::Describe(const std::string& name) const {
  const bool positional = std::any_of(name.begin(), name.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) != 0;
  });
  return positional ? "argument " + name : "option '--" + name + "'";
}

StatusOr<int64_t> ParsedArgs::Int(const std::string& name, int64_t fallback, int64_t min,
                                  int64_t max) const {
  std::optional<std::string> value = Get(name);
  if (!value) return fallback;
  std::optional<int64_t> n = ParseInt64(*value);
  if (!n || *n < min || *n > max) {
    return InvalidArgument(Describe(name) + " must be " + RangeText(min, max) + ", got '" + *value +
                           "'");
  }
  return *n;
}

StatusOr<std::string> ParsedArgs::OneOf(const std::string& name,
                                        const std::vector<std::string>& choices,
                                        std::string fallback) const {
  std::optional<std::string> value = Get(name);
  if (!value) return fallback;
  if (std::find(choices.begin(), choices.end(), *value) == choices.end()) {
    return InvalidArgument(Describe(name) + " must be one of " + Join(choices, ", ") + ", got '" +
                           *value + "'");
  }
  return *value;
}

StatusOr<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args) {
  ParsedArgs out;
  if (std::any_of(args.begin(), args.end(),
                  [](const std::string& a) { return a == "--help" || a == "-h"; })) {
    out.help = true;
    return out;
  }
  size_t next_positional = 0;
  bool only_positionals = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--" && !only_positionals) {
      only_positionals = true;
      continue;
    }
    if (!only_positionals && LooksLikeOption(arg)) {
      OOAPI_RETURN_IF_ERROR(TakeOption(spec, args, &i, out));
      continue;
    }
    if (next_positional >= spec.positionals.size()) {
      return InvalidArgument("unexpected argument '" + arg + "'");
    }
    out.positionals[spec.positionals[next_positional++].name] = arg;
  }
  for (const OptionSpec& o : spec.options) {
    if (o.required && !out.options.contains(o.name)) {
      return InvalidArgument("option '--" + o.name + "' is required");
    }
  }
  for (size_t p = next_positional; p < spec.positionals.size(); ++p) {
    if (spec.positionals[p].required) {
      return InvalidArgument("missing argument " + spec.positionals[p].name);
    }
  }
  return out;
}

std::string UsageLine(const CommandSpec& spec) {
  std::string head = "usage: ooapi-endpoint " + spec.name;
  std::vector<std::string> items;
  for (const PositionalSpec& p : spec.positionals) {
    items.push_back(p.required ? p.name : "[" + p.name + "]");
  }
  for (const OptionSpec& o : spec.options) {
    items.push_back(o.required ? OptionItem(o) : "[" + OptionItem(o) + "]");
  }
  if (items.empty()) return head;
  return head + " " + Wrap(items, head.size() + 1, head.size() + 1);
}

std::string HelpText(const CommandSpec& spec) {
  std::string out = UsageLine(spec) + "\n\n" + Paragraph(spec.summary) + "\n\n";
  if (!spec.positionals.empty()) {
    out += "arguments:\n";
    for (const PositionalSpec& p : spec.positionals) out += TableRow(p.name, p.help);
  }
  out += "options:\n";
  for (const OptionSpec& o : spec.options) {
    out += TableRow(OptionItem(o), o.help + (o.required ? " (required)" : ""));
  }
  out += TableRow("-h, --help", "print this help and exit");
  out += "\n" + std::string(kExitStatusLine) + "\n";
  return out;
}

int RunCommand(const CommandSpec& spec, const std::vector<std::string>& args,
               const CommandRunner& run) {
  StatusOr<ParsedArgs> parsed = ParseArgs(spec, args);
  if (!parsed.ok()) {
    std::cerr << "ooapi-endpoint " << spec.name << ": " << parsed.status().message() << "\n"
              << UsageLine(spec) << "\n";
    return kExitUsage;
  }
  if (parsed->help) {
    std::cout << HelpText(spec);
    return kExitOk;
  }
  try {
    return run(*parsed);
  } catch (const std::exception& e) {
    std::cerr << "ooapi-endpoint " << spec.name << ": unexpected failure: " << e.what() << "\n";
    return kExitFailure;
  }
}

std::string LastWord(std::string_view name) {
  const size_t space = name.rfind(' ');
  return std::string(space == std::string_view::npos ? name : name.substr(space + 1));
}

std::string GroupHelpText(const GroupSpec& group) {
  const std::string prefix = "ooapi-endpoint" + (group.name.empty() ? "" : " " + group.name);
  std::string out =
      "usage: " + prefix + " COMMAND [options]\n\n" + Paragraph(group.summary) + "\n\ncommands:\n";
  for (const auto& command : group.commands) {
    if (const auto* spec = std::get_if<const CommandSpec*>(&command)) {
      out += TableRow(LastWord((*spec)->name), (*spec)->brief);
    } else {
      const GroupSpec* sub = std::get<const GroupSpec*>(command);
      out += TableRow(LastWord(sub->name) + " COMMAND", sub->brief);
    }
  }
  out += "\n'" + prefix + " COMMAND --help' describes a command.\n";
  out += std::string(kExitStatusLine) + "\n";
  return out;
}

Route CommandRoute(const CommandSpec& spec, CommandRunner run) {
  return {LastWord(spec.name), [&spec, run = std::move(run)](const std::vector<std::string>& rest) {
            return RunCommand(spec, rest, run);
          }};
}

int RunGroup(const GroupSpec& group, const std::vector<Route>& routes,
             const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << GroupHelpText(group);
    return kExitUsage;
  }
  const std::string& word = args[0];
  if (word == "--help" || word == "-h" || word == "help") {
    std::cout << GroupHelpText(group);
    return kExitOk;
  }
  auto route =
      std::find_if(routes.begin(), routes.end(), [&](const Route& r) { return r.name == word; });
  if (route == routes.end()) {
    std::cerr << "ooapi-endpoint" << (group.name.empty() ? "" : " " + group.name)
              << ": unknown command '" << word << "'\n"
              << GroupHelpText(group);
    return kExitUsage;
  }
  return route->run(std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace ooapi::app
