#include <gtest/gtest.h>

#include "ooapi/common/date.h"
#include "ooapi/common/status.h"
#include "ooapi/common/strings.h"

namespace ooapi {
namespace {

TEST(PercentDecode, DecodesEscapesAndPlusInQueries) {
  EXPECT_EQ(PercentDecode("a%20b%26c+d", true), "a b&c d");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b") << "'+' is literal in paths";
  EXPECT_EQ(PercentDecode("caf%C3%A9%2Fx", false), "café/x");
  EXPECT_EQ(PercentDecode("%7e%7E", false), "~~");
}

TEST(PercentDecode, RejectsMalformedEscapesAndInvalidUtf8) {
  EXPECT_FALSE(PercentDecode("%", true));
  EXPECT_FALSE(PercentDecode("ab%2", true));
  EXPECT_FALSE(PercentDecode("%zz", true));
  EXPECT_FALSE(PercentDecode("%C3", true)) << "truncated UTF-8 sequence";
  EXPECT_FALSE(PercentDecode("%C0%AF", true)) << "overlong encoding";
}

TEST(ParseInt64, WholeStringMustBeANumber) {
  EXPECT_EQ(ParseInt64("250"), 250);
  EXPECT_EQ(ParseInt64("-3"), -3);
  EXPECT_FALSE(ParseInt64("12abc")) << "Pistache's lexical cast accepts this; we do not";
  EXPECT_FALSE(ParseInt64(""));
  EXPECT_FALSE(ParseInt64(" 1"));
  EXPECT_FALSE(ParseInt64("1.0"));
  EXPECT_FALSE(ParseInt64("99999999999999999999"));
}

TEST(Uuid, ShapeAndCase) {
  EXPECT_TRUE(IsUuid("2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"));
  EXPECT_TRUE(IsUuid("2B7C9D1E-3F4A-4B5C-8D6E-7F8A9B0C1D2E"));
  EXPECT_FALSE(IsLowercaseUuid("2B7C9D1E-3F4A-4B5C-8D6E-7F8A9B0C1D2E"));
  EXPECT_TRUE(IsLowercaseUuid("2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"));
  EXPECT_FALSE(IsUuid("2b7c9d1e3f4a4b5c8d6e7f8a9b0c1d2e"));
  EXPECT_FALSE(IsUuid("2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2g"));
  EXPECT_FALSE(IsUuid("2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2"));
}

TEST(Dates, IsoValidation) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2024-13-01"));
  EXPECT_FALSE(IsIsoDate("0000-01-01")) << "year 0 is refused by the RIO mapper";
  EXPECT_FALSE(IsIsoDate("2024-1-01"));
  EXPECT_FALSE(IsIsoDate("01-09-2025"));
}

TEST(Dates, Arithmetic) {
  EXPECT_EQ(AddDays("2024-02-28", 1), "2024-02-29");
  EXPECT_EQ(AddDays("2024-12-31", 1), "2025-01-01");
  EXPECT_EQ(AddDays("2025-03-01", -1), "2025-02-28");
  EXPECT_EQ(IsoFromDays(DaysFromIso("1999-09-01")), "1999-09-01");
  EXPECT_TRUE(IsIsoDate(TodayUtc()));
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = NotFound("no program with id x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "NOT_FOUND: no program with id x");
  EXPECT_EQ(s.WithPrefix("GET").message(), "GET: no program with id x");
  StatusOr<int> v = 3;
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(*v, 3);
  StatusOr<int> e = InvalidArgument("bad");
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ooapi
