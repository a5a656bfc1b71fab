#include <gtest/gtest.h>

#include "args.h"

namespace ooapi::app {
namespace {

const CommandSpec kSpec{"demo-data",
                        "Writes a demo.",
                        {{"db", "PATH", "database", true},
                         {"scale", "small|large", "size", false},
                         {"verbose", "", "more output", false}},
                        ""};

TEST(ParseArgs, ValuesInBothForms) {
  auto a = ParseArgs(kSpec, {"--db", "x.db", "--scale=large", "--verbose"});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
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
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->help);
  std::string help = HelpText(kSpec);
  EXPECT_NE(help.find("--db PATH"), std::string::npos);
  EXPECT_NE(help.find("[--scale small|large]"), std::string::npos);
  EXPECT_NE(help.find("exit status"), std::string::npos);
}

}  // namespace
}  // namespace ooapi::app
