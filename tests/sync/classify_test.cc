#include "ooapi/sync/rio/classify.h"

#include <gtest/gtest.h>

namespace ooapi::sync {
namespace {

TEST(EduDex, ExactPatternsAndNearMisses) {
  EXPECT_TRUE(IsEduDexAoCode("ED0C1234-ABCD-EF01-2345-6789ABCDEF01"));
  EXPECT_FALSE(IsEduDexAoCode("ed0c1234-abcd-ef01-2345-6789abcdef01"));  // lowercase
  EXPECT_FALSE(IsEduDexAoCode("ED0Cabcd-ABCD-EF01-2345-6789ABCDEF01"));  // lowercase hex
  EXPECT_FALSE(IsEduDexAoCode("ED0C-GEEN-UUID"));                        // not a UUID
  EXPECT_FALSE(IsEduDexAoCode("ED0B1234-ABCD-EF01-2345-6789ABCDEF01"));  // OE prefix
  EXPECT_FALSE(IsEduDexAoCode("DEC01234-ABCD-EF01-2345-6789ABCDEF01"));  // '[ED0C]{4}' literal
  EXPECT_TRUE(IsEduDexOeKey("ED0B1234-ABCD-EF01-2345-6789ABCDEF01"));
  EXPECT_FALSE(IsEduDexOeKey("ED0C1234-ABCD-EF01-2345-6789ABCDEF01"));
  EXPECT_FALSE(IsEduDexOeKey("ED0B-1234"));
}

TEST(Classify, OeAndAo) {
  EXPECT_EQ(ClassifyOe("ED0B1234-ABCD-EF01-2345-6789ABCDEF01"), Classification::kEduDex);
  EXPECT_EQ(ClassifyOe("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), Classification::kLinked);
  EXPECT_EQ(ClassifyOe("3F2504E0-4F89-11D3-9A0C-0305E82C3301"), Classification::kLinked);
  EXPECT_EQ(ClassifyOe("OSIRIS-12345"), Classification::kForeignKey);
  EXPECT_EQ(ClassifyOe(""), Classification::kUnlinked);
  EXPECT_EQ(ClassifyAo("ED0C1234-ABCD-EF01-2345-6789ABCDEF01", "OSIRIS-1"),
            Classification::kEduDex);
  // ED0C inside the eigen sleutel is not EDU-DEX: it is a UUID, so linked.
  EXPECT_EQ(
      ClassifyAo("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "ED0C1234-ABCD-EF01-2345-6789ABCDEF01"),
      Classification::kLinked);
  EXPECT_EQ(ClassifyAo("ED0B1234-ABCD-EF01-2345-6789ABCDEF01", ""), Classification::kUnlinked);
  EXPECT_EQ(ParseClassification("foreign"), Classification::kForeignKey);
}

TEST(Dates, StrictWithDatastoreForm) {
  EXPECT_EQ(NormalizeDate("2024-09-01"), "2024-09-01");
  EXPECT_EQ(NormalizeDate("2024-09-01T00:00:00"), "2024-09-01");
  EXPECT_EQ(NormalizeDate(""), "");
  EXPECT_EQ(NormalizeDate("01-09-2024"), std::nullopt);
  EXPECT_EQ(NormalizeDate("2024-02-30"), std::nullopt);
}

TEST(SelectPeriod, CurrentElseLatestBeforeElseEarliestFuture) {
  const std::string ref = "2025-09-01";
  // Current, whatever the order in the file.
  EXPECT_EQ(SelectPeriod({{"2026-01-01", ""}, {"2020-01-01", ""}, {"2024-01-01", ""}}, ref), 2);
  // Explicit exclusive end: a period ending on ref is not current.
  EXPECT_EQ(SelectPeriod({{"2020-01-01", "2025-09-01"}, {"2025-10-01", ""}}, ref), 0);
  // Overlap: of two current periods the latest begin wins.
  EXPECT_EQ(SelectPeriod({{"2020-01-01", "2026-01-01"}, {"2025-01-01", ""}}, ref), 1);
  // Only future periods: the earliest.
  EXPECT_EQ(SelectPeriod({{"2027-01-01", ""}, {"2026-01-01", ""}}, ref), 1);
  // A gap over ref: the latest before.
  EXPECT_EQ(SelectPeriod({{"2020-01-01", "2021-01-01"}, {"2022-01-01", "2023-01-01"}}, ref), 1);
  EXPECT_EQ(SelectPeriod({}, ref), -1);
}

TEST(Ended, ExclusiveEnd) {
  EXPECT_TRUE(IsEnded("2025-09-01", "2025-09-01"));
  EXPECT_FALSE(IsEnded("2025-09-02", "2025-09-01"));
  EXPECT_FALSE(IsEnded("", "2025-09-01"));
}

}  // namespace
}  // namespace ooapi::sync
