#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "link_command.h"
#include "ooapi/testing/status_matchers.h"
#include "plan_command.h"
#include "rio_command.h"

namespace ooapi::app {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const CommandSpec kSpec{.name = "demo-data",
                        .brief = "",
                        .summary = "Writes a demo.",
                        .options = {{"db", "PATH", "database", true},
                                    {"scale", "small|large", "size", false},
                                    {"verbose", "", "more output", false}}};

const CommandSpec kApplyLike{.name = "sync apply",
                             .brief = "apply",
                             .summary = "Applies a plan.",
                             .positionals = {{"PLAN", "the plan"}, {"MORE", "optional", false}},
                             .options = {{"snapshot", "ID", "a snapshot"},
                                         {"format", "text|json", "format"},
                                         {"force", "", "force"}}};

TEST(ParseArgs, ValuesInBothForms) {
  auto a = ParseArgs(kSpec, {"--db", "x.db", "--scale=large", "--verbose"});
  ASSERT_OK(a);
  EXPECT_EQ(a->Get("db"), "x.db");
  EXPECT_EQ(a->Get("scale"), "large");
  EXPECT_EQ(a->Get("verbose"), "true");
}

TEST(ParseArgs, ErrorsNameTheArgument) {
  auto unknown = ParseArgs(kSpec, {"--db", "x", "--sclae", "large"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("--sclae"), std::string::npos);
  auto missing = ParseArgs(kSpec, {"--scale", "small"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("--db"), std::string::npos);
  auto no_value = ParseArgs(kSpec, {"--db"});
  ASSERT_FALSE(no_value.ok());
  EXPECT_NE(no_value.status().message().find("needs a value"), std::string::npos);
  auto twice = ParseArgs(kSpec, {"--db", "a", "--db", "b"});
  ASSERT_FALSE(twice.ok());
  auto stray = ParseArgs(kSpec, {"--db", "a", "extra"});
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.status().message().find("extra"), std::string::npos);
}

TEST(ParseArgs, HelpWinsOverMissingOptions) {
  auto a = ParseArgs(kSpec, {"--help"});
  ASSERT_OK(a);
  EXPECT_TRUE(a->help);
  std::string help = HelpText(kSpec);
  EXPECT_NE(help.find("--db PATH"), std::string::npos);
  EXPECT_NE(help.find("[--scale small|large]"), std::string::npos);
  EXPECT_NE(help.find("exit status"), std::string::npos);
}

TEST(ParseArgs, ExactMessages) {
  auto message = [](const CommandSpec& spec, const std::vector<std::string>& args) {
    auto parsed = ParseArgs(spec, args);
    EXPECT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    return parsed.ok() ? std::string() : parsed.status().message();
  };
  EXPECT_EQ(message(kSpec, {}), "option '--db' is required");
  EXPECT_EQ(message(kSpec, {"--db", "a", "--port", "1"}), "unknown option '--port'");
  EXPECT_EQ(message(kSpec, {"--db", "a", "-x"}), "unknown option '-x'");
  EXPECT_EQ(message(kSpec, {"--db=a", "--db", "b"}), "option '--db' given twice");
  EXPECT_EQ(message(kSpec, {"--db", "a", "--verbose", "--verbose"}),
            "option '--verbose' given twice");
  EXPECT_EQ(message(kSpec, {"--db", "a", "--verbose=yes"}), "option '--verbose' takes no value");
  EXPECT_EQ(message(kSpec, {"--db", "--scale", "small"}), "option '--db' needs a value (PATH)");
  EXPECT_EQ(message(kApplyLike, {}), "missing argument PLAN");
  EXPECT_EQ(message(kApplyLike, {"a", "b", "c"}), "unexpected argument 'c'");
}

TEST(ParseArgs, PositionalsByNameOptionalOnesAndTheSeparator) {
  auto one = ParseArgs(kApplyLike, {"--force", "plan.json"});
  ASSERT_OK(one);
  EXPECT_EQ(one->Get("PLAN"), "plan.json");
  EXPECT_FALSE(one->Get("MORE").has_value());
  EXPECT_TRUE(one->Has("force"));
  EXPECT_FALSE(one->Has("snapshot"));
  auto two = ParseArgs(kApplyLike, {"--snapshot=3", "--", "--odd-name", "-5"});
  ASSERT_OK(two);
  EXPECT_EQ(two->Get("PLAN"), "--odd-name");
  EXPECT_EQ(two->Get("MORE"), "-5");
  EXPECT_EQ(two->GetOr("format", "text"), "text");
  // A negative number is a value, not an option.
  auto negative = ParseArgs(kApplyLike, {"--snapshot", "-1", "p"});
  ASSERT_OK(negative);
  EXPECT_EQ(negative->Get("snapshot"), "-1");
}

TEST(ParseArgs, HelpAnywhere) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"-h"}, {"p", "--help"}, {"--bogus", "--help"}, {"a", "b", "c", "-h"}}) {
    auto parsed = ParseArgs(kApplyLike, args);
    ASSERT_OK(parsed);
    EXPECT_TRUE(parsed->help);
  }
}

TEST(ParsedArgs, TypedAccessorsNameTheArgument) {
  auto a = ParseArgs(kApplyLike, {"--snapshot", "abc", "--format", "xml", "7"});
  ASSERT_OK(a);
  auto snapshot = a->Int("snapshot", 0, 1);
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.status().message(),
            "option '--snapshot' must be a whole number of at least 1, got 'abc'");
  EXPECT_EQ(a->Int("PLAN", 0, 1, 5).status().message(),
            "argument PLAN must be a whole number from 1 to 5, got '7'");
  EXPECT_EQ(*a->Int("PLAN", 0, 1), 7);
  EXPECT_EQ(*a->Int("MORE", 42, 1), 42);  // not given: the fallback, unchecked
  EXPECT_EQ(a->OneOf("format", {"text", "json"}, "text").status().message(),
            "option '--format' must be one of text, json, got 'xml'");
  EXPECT_EQ(*a->OneOf("force", {"x"}, "text"), "text");
  auto zero = ParseArgs(kApplyLike, {"--snapshot=0", "p"});
  EXPECT_FALSE(zero->Int("snapshot", 0, 1).ok());
}

TEST(ExitCode, TheRuleOfArgsH) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(InvalidArgument("x")), 2);
  EXPECT_EQ(ExitCodeFor(NotFound("no snapshot 7")), 2);
  EXPECT_EQ(ExitCodeFor(Unavailable("x")), 1);
  EXPECT_EQ(ExitCodeFor(FailedPrecondition("in doubt")), 1);
  EXPECT_EQ(ExitCodeFor(Internal("x")), 1);
  EXPECT_EQ(AsRuntime(InvalidArgument("cannot open")).code(), StatusCode::kUnavailable);
  EXPECT_EQ(AsRuntime(InvalidArgument("cannot open")).message(), "cannot open");
  EXPECT_EQ(AsRuntime(NotFound("x")).code(), StatusCode::kUnavailable);
  EXPECT_EQ(AsRuntime(Internal("x")).code(), StatusCode::kInternal);
  EXPECT_OK(AsRuntime(Status::Ok()));
}

// ---------------------------------------------------------------------------------------------
// Every command's spec

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(CommandSpecs, EveryCommandIsReachableOnceWithAUniqueName) {
  const std::vector<const CommandSpec*> specs = AllCommandSpecs();
  std::set<std::string> names;
  for (const CommandSpec* spec : specs) {
    EXPECT_TRUE(names.insert(spec->name).second) << spec->name;
  }
  EXPECT_EQ(names,
            (std::set<std::string>{"serve", "demo-data", "check-config", "check-rio", "hash-secret",
                                   "rio import", "rio download", "rio diff", "rio overview",
                                   "rio snapshots", "sync plan", "sync apply", "sync verify",
                                   "link", "unlink", "push", "jobs", "job"}));
}

TEST(CommandSpecs, AreWellFormed) {
  for (const CommandSpec* spec : AllCommandSpecs()) {
    SCOPED_TRACE(spec->name);
    EXPECT_FALSE(spec->brief.empty());
    EXPECT_LE(spec->brief.size(), 52u) << "one line in the group's list";
    EXPECT_FALSE(spec->summary.empty());
    std::set<std::string> options;
    for (const OptionSpec& o : spec->options) {
      EXPECT_TRUE(options.insert(o.name).second) << "--" << o.name << " declared twice";
      EXPECT_FALSE(o.help.empty()) << o.name;
      EXPECT_NE(o.name, "help");
      for (char c : o.name) {
        EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) != 0 || c == '-') << o.name;
      }
    }
    bool optional_seen = false;
    for (const PositionalSpec& p : spec->positionals) {
      EXPECT_FALSE(optional_seen && p.required) << p.name << " after an optional one";
      optional_seen = optional_seen || !p.required;
      EXPECT_EQ(ParsedArgs().Describe(p.name), "argument " + p.name);
      EXPECT_FALSE(p.help.empty()) << p.name;
    }
  }
}

// usage line (wrapped), blank, summary, blank, [arguments:], options: with -h/--help last,
// blank, the exit-status line; nothing wider than 80 columns.
TEST(CommandSpecs, EveryHelpHasTheSameLayout) {
  for (const CommandSpec* spec : AllCommandSpecs()) {
    SCOPED_TRACE(spec->name);
    const std::string help = HelpText(*spec);
    const std::vector<std::string> lines = Lines(help);
    ASSERT_GE(lines.size(), 8u);
    EXPECT_THAT(lines[0], StartsWith("usage: ooapi-endpoint " + spec->name));
    size_t i = 1;
    while (i < lines.size() && !lines[i].empty() && lines[i][0] == ' ') ++i;  // wrapped usage
    ASSERT_LT(i + 1, lines.size());
    EXPECT_EQ(lines[i], "") << "blank line after the usage";
    EXPECT_NE(lines[i + 1], "") << "the summary";
    size_t blank = i + 1;
    while (blank < lines.size() && !lines[blank].empty()) ++blank;
    ASSERT_LT(blank + 1, lines.size());
    size_t table = blank + 1;
    if (!spec->positionals.empty()) {
      EXPECT_EQ(lines[table], "arguments:");
      while (table < lines.size() && lines[table] != "options:") ++table;
    }
    ASSERT_LT(table, lines.size());
    EXPECT_EQ(lines[table], "options:");
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines[lines.size() - 3], "  -h, --help                print this help and exit");
    EXPECT_EQ(lines[lines.size() - 2], "");
    EXPECT_EQ(lines.back(), kExitStatusLine);
    for (const std::string& line : lines) EXPECT_LE(line.size(), 80u) << line;
    const std::string usage = help.substr(0, help.find("\n\n"));
    for (const OptionSpec& o : spec->options) {
      EXPECT_THAT(usage, HasSubstr("--" + o.name)) << "the synopsis lacks --" << o.name;
      EXPECT_THAT(help, HasSubstr("\n  --" + o.name)) << "the table lacks --" << o.name;
    }
    for (const PositionalSpec& p : spec->positionals) {
      EXPECT_THAT(usage, HasSubstr(p.name));
      EXPECT_THAT(help, HasSubstr("\n  " + p.name));
    }
    // --help parses for every command, whatever else is given.
    auto parsed = ParseArgs(*spec, {"--no-such-option", "--help"});
    ASSERT_OK(parsed);
    EXPECT_TRUE(parsed->help);
  }
}

TEST(CommandSpecs, CommonOptionsAreTheSameEverywhere) {
  for (const CommandSpec* spec : AllCommandSpecs()) {
    for (const OptionSpec& o : spec->options) {
      if (o.name == "db" && spec->name != "demo-data") {
        EXPECT_EQ(o.value_name, "PATH|URL") << spec->name;
        EXPECT_THAT(o.help, StartsWith(DbOption().help.substr(0, 40))) << spec->name;
      }
      if (o.name == "config") {
        EXPECT_EQ(o.value_name, "FILE") << spec->name;
      }
      if (o.name == "verbose") {
        EXPECT_EQ(o.help, VerboseOption().help) << spec->name;
      }
      if (o.name == "snapshot" || o.name == "before") {
        EXPECT_EQ(o.value_name, "ID") << spec->name;
      }
    }
  }
}

TEST(GroupHelp, ListsEveryCommandOfTheGroup) {
  const std::string main_help = GroupHelpText(kMainGroup);
  EXPECT_THAT(main_help, StartsWith("usage: ooapi-endpoint COMMAND [options]\n\n"));
  for (const char* name :
       {"serve", "demo-data", "check-config", "check-rio", "hash-secret", "rio COMMAND",
        "sync COMMAND", "link", "unlink", "push", "jobs", "job"}) {
    EXPECT_THAT(main_help, HasSubstr("\n  " + std::string(name) + " ")) << name;
  }
  const std::string rio = GroupHelpText(kRioGroup);
  EXPECT_THAT(rio, StartsWith("usage: ooapi-endpoint rio COMMAND [options]\n\n"));
  for (const char* name : {"import", "download", "diff", "overview", "snapshots"}) {
    EXPECT_THAT(rio, HasSubstr("\n  " + std::string(name) + " ")) << name;
  }
  const std::string sync = GroupHelpText(kSyncGroup);
  for (const char* name : {"plan", "apply", "verify"}) {
    EXPECT_THAT(sync, HasSubstr("\n  " + std::string(name) + " ")) << name;
  }
  for (const std::string& help : {main_help, rio, sync}) {
    EXPECT_EQ(Lines(help).back(), kExitStatusLine);
    EXPECT_THAT(help, HasSubstr("\ncommands:\n"));
  }
}

// ---------------------------------------------------------------------------------------------
// Exit codes of each command group, run in-process. No database is opened: every case is refused
// before (the openers would fail the test by throwing).

StatusOr<db::ConnectionPtr> NoDatabase(const std::string& path) {
  ADD_FAILURE() << "opened " << path;
  return Unavailable("no database in this test");
}

class ExitCodes : public ::testing::Test {
 protected:
  void SetUp() override {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
  }
  void TearDown() override { Collect(); }
  void Collect() {
    if (collected_) return;
    out_ = ::testing::internal::GetCapturedStdout();
    err_ = ::testing::internal::GetCapturedStderr();
    collected_ = true;
  }
  int Rio(const std::vector<std::string>& args) { return RunRioCommand(args, NoDatabase); }
  int Sync(const std::vector<std::string>& args) {
    return RunSyncCommand(args, NoDatabase, [](const std::string&) -> StatusOr<SisHandle> {
      ADD_FAILURE() << "opened the SIS";
      return Unavailable("no SIS in this test");
    });
  }
  int Link(const std::string& command, const std::vector<std::string>& args) {
    return RunLinkCommand(command, args, NoDatabase);
  }
  std::string out_, err_;
  bool collected_ = false;
};

TEST_F(ExitCodes, Rio) {
  EXPECT_EQ(Rio({}), 2);
  EXPECT_EQ(Rio({"frobnicate"}), 2);
  EXPECT_EQ(Rio({"import", "--from", "d"}), 2);
  EXPECT_EQ(Rio({"import", "--from", "d", "--bestuur", "X", "--ref-date", "2025-13-45"}), 2);
  EXPECT_EQ(Rio({"download", "--to", "d", "--retries", "many"}), 2);
  EXPECT_EQ(Rio({"diff", "1"}), 2);
  EXPECT_EQ(Rio({"overview", "--format", "csv", "--out", "x", "--snapshot", "0"}), 2);
  EXPECT_EQ(Rio({"--help"}), 0);
  EXPECT_EQ(Rio({"import", "--help"}), 0);
  Collect();
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint rio: unknown command 'frobnicate'"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint rio import: option '--bestuur' is required\n"
                              "usage: ooapi-endpoint rio import --from DIR --bestuur CODE"));
  EXPECT_THAT(err_, HasSubstr("option '--ref-date' must be YYYY-MM-DD, got '2025-13-45'"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint rio download: option '--retries' must be"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint rio diff: missing argument B"));
  EXPECT_THAT(out_, HasSubstr("usage: ooapi-endpoint rio COMMAND [options]"));
  EXPECT_THAT(out_, HasSubstr("usage: ooapi-endpoint rio import --from DIR"));
}

TEST_F(ExitCodes, Sync) {
  EXPECT_EQ(Sync({}), 2);
  EXPECT_EQ(Sync({"plam"}), 2);
  EXPECT_EQ(Sync({"plan"}), 2);
  EXPECT_EQ(Sync({"plan", "--out", "p.json", "--snapshot", "x"}), 2);
  EXPECT_EQ(Sync({"plan", "--out", "p.json", "--report", "r.pdf"}), 2);
  EXPECT_EQ(Sync({"apply"}), 2);
  EXPECT_EQ(Sync({"apply", "plan.json", "--max-in-flight", "65"}), 2);
  EXPECT_EQ(Sync({"apply", "/no/such/plan.json"}), 2);
  EXPECT_EQ(Sync({"verify", "--format", "xml"}), 2);
  EXPECT_EQ(Sync({"verify", "--before", "0"}), 2);
  EXPECT_EQ(Sync({"verify", "extra"}), 2);
  EXPECT_EQ(Sync({"--help"}), 0);
  EXPECT_EQ(Sync({"apply", "--help"}), 0);
  Collect();
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint sync: unknown command 'plam'"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint sync plan: option '--out' is required"));
  EXPECT_THAT(err_, HasSubstr("option '--report' must name a .csv, .html or .xlsx file"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint sync apply: missing argument PLAN"));
  EXPECT_THAT(err_, HasSubstr("option '--max-in-flight' must be a whole number from 1 to 64"));
  EXPECT_THAT(err_, HasSubstr("/no/such/plan.json: cannot read file"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint sync verify: unexpected argument 'extra'"));
  EXPECT_THAT(out_, HasSubstr("usage: ooapi-endpoint sync COMMAND [options]"));
  EXPECT_THAT(out_, HasSubstr("usage: ooapi-endpoint sync apply PLAN"));
}

TEST_F(ExitCodes, LinkAndUnlink) {
  EXPECT_EQ(Link("link", {}), 2);
  EXPECT_EQ(Link("link", {"programs", "code"}), 2);
  EXPECT_EQ(Link("link", {"a", "b", "c", "d"}), 2);
  EXPECT_EQ(Link("link", {"a", "b", "c", "--retry-failed"}), 2);
  EXPECT_EQ(Link("link", {"a", "b", "c", "--snapshot", "-3"}), 2);
  EXPECT_EQ(Link("unlink", {"a"}), 2);
  EXPECT_EQ(Link("unlink", {"a", "b", "--force=yes"}), 2);
  EXPECT_EQ(Link("link", {"--help"}), 0);
  EXPECT_EQ(Link("unlink", {"a", "-h"}), 0);
  Collect();
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint link: missing argument TYPE"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint link: missing argument ID"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint link: unexpected argument 'd'"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint link: unknown option '--retry-failed'"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint unlink: option '--force' takes no value"));
  EXPECT_THAT(out_, HasSubstr("usage: ooapi-endpoint link TYPE RIOCODE ID"));
  EXPECT_THAT(out_, HasSubstr("usage: ooapi-endpoint unlink TYPE RIOCODE"));
}

TEST_F(ExitCodes, JobsAndJob) {
  EXPECT_EQ(Link("jobs", {"extra"}), 2);
  EXPECT_EQ(Link("jobs", {"--limit", "0"}), 2);
  EXPECT_EQ(Link("jobs", {"--status", "finished"}), 2);
  EXPECT_EQ(Link("jobs", {"--format=yaml"}), 2);
  EXPECT_EQ(Link("job", {}), 2);
  EXPECT_EQ(Link("jobs", {"--help"}), 0);
  Collect();
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint jobs: unexpected argument 'extra'"));
  EXPECT_THAT(err_, HasSubstr("option '--limit' must be a whole number from 1 to"));
  EXPECT_THAT(err_, HasSubstr("option '--status' must be one of intent, submitting"));
  EXPECT_THAT(err_, HasSubstr("option '--format' must be one of text, json, got 'yaml'"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint job: missing argument TOKEN|ID"));
}

TEST_F(ExitCodes, Push) {
  EXPECT_EQ(Link("push", {"upsert", "programs"}), 2);
  EXPECT_EQ(Link("push", {"link", "programs", "3f2c7a10-1111-4a4a-8a8a-000000000001"}), 2);
  EXPECT_EQ(Link("push", {"upsert", "opleidingen", "3f2c7a10-1111-4a4a-8a8a-000000000001"}), 2);
  EXPECT_EQ(Link("push", {"upsert", "programs", "NOT-A-UUID"}), 2);
  EXPECT_EQ(Link("push", {"--help"}), 0);
  EXPECT_EQ(Link("pull", {}), 2);
  Collect();
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint push: missing argument ID"));
  EXPECT_THAT(err_, HasSubstr("action: 'link' is not one of upsert, delete, dry-run-upsert"));
  EXPECT_THAT(err_, HasSubstr("type: 'opleidingen' is not one of"));
  EXPECT_THAT(err_, HasSubstr("id: 'NOT-A-UUID' must be a lowercase UUID"));
  EXPECT_THAT(err_, HasSubstr("ooapi-endpoint: unknown command 'pull'"));
  EXPECT_THAT(out_, HasSubstr("usage: ooapi-endpoint push ACTION TYPE ID"));
}

// The ledger's database that cannot be opened is a runtime failure, whatever the driver's code.
TEST(ExitCodesAtRunTime, AnUnopenableDatabaseIsOne) {
  auto refuse = [](const std::string&) -> StatusOr<db::ConnectionPtr> {
    return InvalidArgument("the driver says no");
  };
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunLinkCommand("jobs", {"--db", "x"}, refuse), 1);
  EXPECT_EQ(RunSyncCommand({"verify", "--db", "x"}, refuse, nullptr), 1);
  EXPECT_EQ(RunRioCommand({"snapshots", "--db", "x"}, refuse), 1);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("ooapi-endpoint jobs: the driver says no"));
  EXPECT_THAT(err, HasSubstr("ooapi-endpoint sync verify: the driver says no"));
}

}  // namespace
}  // namespace ooapi::app
