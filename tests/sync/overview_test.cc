#include "ooapi/sync/overview.h"

#include <gtest/gtest.h>

namespace ooapi::sync {
namespace {

TEST(Overview, LeftJoinsProgrammeOfferingAndCohort) {
  Snapshot s;
  s.items = {
      {"oe", "HO", "f", "O1", "", "linked", false, true, 1, {{"VOLLEDIGE_NAAM", "A"}}, "[]"},
      {"oe", "HO", "f", "O2", "", "unlinked", true, true, 1, {}, "[]"},
      {"oe", "NFO", "f", "O3", "", "edudex", false, true, 1, {}, "[]"},
      {"ao", "HO", "f", "A1", "O1", "unlinked", false, true, 1, {}, "[]"},
      {"ao", "HO", "f", "A2", "O1", "foreign", false, true, 1, {}, "[]"},
      {"cohort", "HO", "f", "A1/C1", "A1", "", false, true, 0, {{"COHORTCODE", "C1"}}, "[]"},
      {"cohort", "HO", "f", "A1/C2", "A1", "", false, true, 0, {{"COHORTCODE", "C2"}}, "[]"},
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
