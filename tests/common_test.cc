#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ooapi/common/date.h"
#include "ooapi/common/json.h"
#include "ooapi/common/line_file.h"
#include "ooapi/common/status.h"
#include "ooapi/common/strings.h"
#include "ooapi/testing/status_matchers.h"

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
  EXPECT_TRUE(IsUppercaseUuid("2B7C9D1E-3F4A-4B5C-8D6E-7F8A9B0C1D2E"));
  EXPECT_FALSE(IsUppercaseUuid("2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"));
  EXPECT_FALSE(IsUppercaseUuid("2B7C9D1E-3F4A-4B5C-8D6E-7F8A9B0C1D2G"));
}

TEST(CsvQuote, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvQuote("abc"), "abc");
  EXPECT_EQ(CsvQuote(""), "");
  EXPECT_EQ(CsvQuote("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvQuote("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(CsvQuote("a\r\nb"), "\"a\r\nb\"");
}

TEST(NameValueLines, SkipsCommentsAndBlankLinesAndSplitsAtTheFirstSeparator) {
  const auto lines = NameValueLines("# heading\n\n  a = 1 # why\nb:2=3\n  lone  \n", "=:");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].number, 3);
  EXPECT_TRUE(lines[0].separated);
  EXPECT_EQ(lines[0].name, "a");
  EXPECT_EQ(lines[0].value, "1");
  EXPECT_EQ(lines[1].number, 4);
  EXPECT_EQ(lines[1].name, "b");
  EXPECT_EQ(lines[1].value, "2=3");
  EXPECT_EQ(lines[2].number, 5);
  EXPECT_FALSE(lines[2].separated);
  EXPECT_EQ(lines[2].name, "lone");
  EXPECT_EQ(lines[2].value, "");
}

TEST(NameValueLines, ErrorsNameTheFileAndLine) {
  Status s = LineError("map.txt", 7, "empty name");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "map.txt:7: empty name");
}

template <typename W>
void WriteMembers(W& w) {
  w.StartObject();
  json::Member(w, "s", std::string("t\"x"));
  json::Member(w, "v", std::string_view("view"));
  json::Member(w, "l", "literal");
  json::Member(w, "i", 42);
  json::Member(w, "big", int64_t{-9000000000});
  json::Member(w, "d", 0.5);
  json::Member(w, "b", false);
  json::StringArray(w, "a", std::vector<std::string>{"x", "y"});
  json::StringArray(w, "e", std::vector<std::string>{});
  json::MapObject(w, "m", std::map<std::string, int64_t>{{"k", 1}});
  json::MapObject(w, "n", std::map<std::string, std::string>{{"k", "v"}});
  w.EndObject();
}

TEST(JsonMember, WritesEachKindOfValue) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  WriteMembers(w);
  EXPECT_STREQ(buffer.GetString(),
               R"({"s":"t\"x","v":"view","l":"literal","i":42,"big":-9000000000,"d":0.5,)"
               R"("b":false,"a":["x","y"],"e":[],"m":{"k":1},"n":{"k":"v"}})");
}

TEST(JsonMember, WorksWithAPrettyWriter) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 1);
  w.StartObject();
  json::Member(w, "i", 1);
  json::StringArray(w, "a", std::vector<std::string>{"x"});
  w.EndObject();
  EXPECT_STREQ(buffer.GetString(), "{\n \"i\": 1,\n \"a\": [\n  \"x\"\n ]\n}");
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
  EXPECT_OK(v);
  EXPECT_EQ(*v, 3);
  StatusOr<int> e = InvalidArgument("bad");
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ooapi
