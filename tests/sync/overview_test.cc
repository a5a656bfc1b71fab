#include "ooapi/sync/rio/overview.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "ooapi/testing/duo_generator.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::sync {
namespace {

using ooapi::testing::GenerateDuo;
using ooapi::testing::GeneratorOptions;

TEST(Overview, LeftJoinsProgrammeOfferingAndCohort) {
  Snapshot s;
  s.items = {
      {ItemKind::kOe, "HO", "f", "O1", "", "linked", false, true, 1, {{"VOLLEDIGE_NAAM", "A"}}, "[]"},
      {ItemKind::kOe, "HO", "f", "O2", "", "unlinked", true, true, 1, {}, "[]"},
      {ItemKind::kOe, "NFO", "f", "O3", "", "edudex", false, true, 1, {}, "[]"},
      {ItemKind::kAo, "HO", "f", "A1", "O1", "unlinked", false, true, 1, {}, "[]"},
      {ItemKind::kAo, "HO", "f", "A2", "O1", "foreign", false, true, 1, {}, "[]"},
      {ItemKind::kCohort, "HO", "f", "A1/C1", "A1", "", false, true, 0, {{"COHORTCODE", "C1"}}, "[]"},
      {ItemKind::kCohort, "HO", "f", "A1/C2", "A1", "", false, true, 0, {{"COHORTCODE", "C2"}}, "[]"},
  };
  auto tables = BuildOverview(s);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].sheet, "HO");
  // O1/A1/C1, O1/A1/C2, O1/A2/-, O2/-/-
  ASSERT_EQ(tables[0].rows.size(), 4u);
  ASSERT_EQ(tables[1].rows.size(), 1u);
  auto col = [&](const std::string& name) {
    for (size_t i = 0; i < tables[0].header.size(); ++i) {
      if (tables[0].header[i] == name) return i;
    }
    return size_t{999};
  };
  EXPECT_EQ(tables[0].rows[1][col("COHORTCODE")], "C2");
  EXPECT_EQ(tables[0].rows[2][col("AANGEBODEN_OPLEIDINGCODE")], "A2");
  EXPECT_EQ(tables[0].rows[2][col("COHORTCODE")], "");
  EXPECT_EQ(tables[0].rows[3][col("OPLEIDINGSEENHEIDCODE")], "O2");
  EXPECT_EQ(tables[0].rows[3][col("OE_BEEINDIGD")], "ja");
  EXPECT_EQ(tables[1].rows[0][col("OE_EDUDEX")], "ja");
}

TEST(Overview, CsvFieldQuoting) {
  EXPECT_EQ(CsvField("abc"), "abc");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"x\"\n"), "\"say \"\"x\"\"\n\"");
}

}  // namespace
}  // namespace ooapi::sync

namespace ooapi::sync {
namespace {

// The synthetic DUO generator (a test tool) makes its output directory, and refuses a path it
// cannot write into with a message instead of writing through a null file.
TEST(Generator, CreatesItsOutputDirectoryOrSaysItCannot) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("ooapi_gen_" + std::to_string(::getpid())) / "a" / "b";
  GeneratorOptions o;
  o.out_dir = dir.string();
  auto truth = GenerateDuo(o);
  ASSERT_OK(truth);
  EXPECT_TRUE(std::filesystem::exists(dir / "truth.json"));
  std::filesystem::remove_all(dir.parent_path().parent_path());
  o.out_dir = "/proc/ooapi-cannot-write-here";
  auto refused = GenerateDuo(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("cannot write into /proc/ooapi-cannot-write-here"),
            std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace ooapi::sync
