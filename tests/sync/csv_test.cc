#include "ooapi/sync/csv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace ooapi::sync {
namespace {

struct Parsed {
  std::vector<std::vector<std::string>> records;
  Status status;
  bool missing_final_newline = false;
  bool bom = false;
  bool crlf = false;
};

Parsed ParseAll(std::string data, size_t block_size = 4096) {
  CsvReader::Options options;
  options.block_size = block_size;
  auto reader = CsvReader::FromString(std::move(data), "f.csv", options);
  Parsed out;
  for (;;) {
    auto more = reader->Next();
    if (!more.ok()) {
      out.status = more.status();
      break;
    }
    if (!*more) break;
    std::vector<std::string> record;
    for (auto f : reader->fields()) record.emplace_back(f);
    out.records.push_back(std::move(record));
  }
  out.missing_final_newline = reader->missing_final_newline();
  out.bom = reader->had_bom();
  out.crlf = reader->saw_crlf();
  return out;
}

using Records = std::vector<std::vector<std::string>>;

TEST(CsvReader, PlainLf) {
  Parsed p = ParseAll("A,B\n1,2\n3,\n");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.records, (Records{{"A", "B"}, {"1", "2"}, {"3", ""}}));
  EXPECT_FALSE(p.missing_final_newline);
  EXPECT_FALSE(p.bom);
}

TEST(CsvReader, BomAndCrlf) {
  Parsed p = ParseAll(
      "\xEF\xBB\xBF"
      "A,B\r\n1,2\r\n");
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.records, (Records{{"A", "B"}, {"1", "2"}}));
  EXPECT_TRUE(p.bom);
  EXPECT_TRUE(p.crlf);
}

TEST(CsvReader, QuotedSeparatorsNewlinesAndEscapes) {
  Parsed p = ParseAll(
      "A,B,C\n\"Fryslân, ‘t\",\"line1\nline2\r\nline3\",\"say \"\"hi\"\"\"\n\"\",x,\"NLD,ENG\"\n");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_EQ(p.records[1],
            (std::vector<std::string>{"Fryslân, ‘t", "line1\nline2\r\nline3", "say \"hi\""}));
  EXPECT_EQ(p.records[2], (std::vector<std::string>{"", "x", "NLD,ENG"}));
}

TEST(CsvReader, RecordsSpanningBlocksAtEveryBlockSize) {
  std::string data = "A,B\n";
  for (int i = 0; i < 50; ++i) {
    data += "\"r" + std::to_string(i) + " \"\"q\"\", é\n\",v" + std::to_string(i) + "\r\n";
  }
  for (size_t block : {64, 65, 67, 100, 4096}) {
    Parsed p = ParseAll(data, block);
    ASSERT_TRUE(p.status.ok()) << block << " " << p.status.ToString();
    ASSERT_EQ(p.records.size(), 51u) << block;
    EXPECT_EQ(p.records[50][0], "r49 \"q\", é\n") << block;
    EXPECT_EQ(p.records[50][1], "v49") << block;
  }
  // A record longer than the block grows the buffer.
  std::string big = "A\n\"" + std::string(10000, 'x') + "\"\n";
  Parsed p = ParseAll(big, 64);
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.records[1][0].size(), 10000u);
}

TEST(CsvReader, PositionsCountRecordsLinesAndBytes) {
  CsvReader::Options options;
  auto reader = CsvReader::FromString(
      "\xEF\xBB\xBF"
      "A\n\"x\ny\"\nz\n",
      "f.csv", options);
  ASSERT_TRUE(*reader->Next());
  EXPECT_EQ(reader->position().record, 0);
  EXPECT_EQ(reader->position().byte_offset, 3);
  ASSERT_TRUE(*reader->Next());
  EXPECT_EQ(reader->position().record, 1);
  EXPECT_EQ(reader->position().line, 2);
  EXPECT_EQ(reader->position().byte_offset, 5);
  ASSERT_TRUE(*reader->Next());
  EXPECT_EQ(reader->position().record, 2);
  EXPECT_EQ(reader->position().line, 4);
  EXPECT_EQ(reader->position().byte_offset, 11);
  EXPECT_FALSE(*reader->Next());
  EXPECT_EQ(reader->bytes_consumed(), 13);
}

TEST(CsvReader, MissingFinalNewlineIsReported) {
  Parsed p = ParseAll("A,B\n1,2");
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.records.back(), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(p.missing_final_newline);
  Parsed q = ParseAll("A,B\n1,");
  EXPECT_EQ(q.records.back(), (std::vector<std::string>{"1", ""}));
}

TEST(CsvReader, OpenQuoteAtEndOfFileNamesRecordAndOffsets) {
  Parsed p = ParseAll("A,B\n1,2\n3,\"abc\ndef");
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status.message(),
            "f.csv: record 2 (line 3, byte offset 8): quote still open at end of file; the quoted "
            "field opens at byte offset 10");
}

TEST(CsvReader, InvalidAndTruncatedUtf8) {
  Parsed bad = ParseAll("A\nab\xC3(\n");
  ASSERT_FALSE(bad.status.ok());
  EXPECT_EQ(bad.status.message(),
            "f.csv: record 1 (line 2, byte offset 2): invalid UTF-8 at byte offset 4");
  Parsed cut = ParseAll("A\n\"Frysl\xC3");
  ASSERT_FALSE(cut.status.ok());
  EXPECT_EQ(cut.status.message(),
            "f.csv: record 1 (line 2, byte offset 2): invalid UTF-8 at byte offset 8");
  Parsed surrogate = ParseAll("A\n\xED\xA0\x80\n");
  EXPECT_FALSE(surrogate.status.ok());
  Parsed overlong = ParseAll("A\n\xC0\xAF\n");
  EXPECT_FALSE(overlong.status.ok());
}

TEST(CsvReader, GarbageAfterClosingQuoteAndBareCr) {
  Parsed p = ParseAll("A,B\n\"x\"y,1\n");
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.message(),
            "f.csv: record 1 (line 2, byte offset 4): unexpected character after a closing quote "
            "at byte offset 7");
  Parsed cr = ParseAll("A\nx\ry\n");
  EXPECT_FALSE(cr.status.ok());
}

TEST(Utf8, SequenceLengths) {
  const std::string s = "é€😀";
  EXPECT_EQ(Utf8SequenceLength(s.data(), s.data() + s.size()), 2);
  EXPECT_EQ(Utf8SequenceLength(s.data() + 2, s.data() + s.size()), 3);
  EXPECT_EQ(Utf8SequenceLength(s.data() + 5, s.data() + s.size()), 4);
  EXPECT_EQ(Utf8SequenceLength(s.data() + 5, s.data() + 7), -1);
  EXPECT_EQ(Utf8SequenceLength(s.data() + 1, s.data() + s.size()), 0);
}

TEST(BindHeader, ByNameCaseInsensitiveWithNotices) {
  std::vector<ColumnSpec> specs = {{"CODE", true}, {"NAAM", false, {"NAAM_LANG"}}, {"X", false}};
  std::vector<std::string_view> header = {"_id", " naam_lang ", "Code"};
  auto b = BindHeader("f", header, specs, HeaderMap());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->index, (std::vector<int>{2, 1, -1}));
  EXPECT_EQ(b->notices, (std::vector<std::string>{"f: optional column X is absent",
                                                  "f: unknown column _id ignored"}));
}

TEST(BindHeader, MissingRequiredColumnNamesFileAndColumn) {
  std::vector<ColumnSpec> specs = {{"CODE", true}};
  auto b = BindHeader("nfo_opleidingen", {"NAAM"}, specs, HeaderMap());
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(),
            "nfo_opleidingen: required column CODE is missing from the header (tried CODE; map "
            "it with --header-map)");
  auto dup = BindHeader("f", {"CODE", "code"}, specs, HeaderMap());
  EXPECT_FALSE(dup.ok());
}

TEST(HeaderMap, FileSpecificEntriesWin) {
  auto map = HeaderMap::Parse(
      "# renamed by DUO\nCODE = Code nieuw\nnfo_opleidingen.csv.CODE = NFO_CODE\n", "map.txt");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->Lookup("x", "CODE"), "Code nieuw");
  EXPECT_EQ(map->Lookup("nfo_opleidingen", "CODE"), "NFO_CODE");
  std::vector<ColumnSpec> specs = {{"CODE", true}};
  auto b = BindHeader("nfo_opleidingen", {"A", "NFO_CODE"}, specs, *map);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->index[0], 1);
  auto bad = HeaderMap::Parse("CODE\n", "map.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "map.txt:1: expected CANONICAL = Header or file.CANONICAL = Header");
}

// A file read through the mapped window, with UTF-8 validated by another thread fed in small
// chunks (sequences cut between chunks), gives the same records and messages as a string.
Parsed ParseFile(const std::string& data, size_t block_size, bool external_utf8) {
  namespace fs = std::filesystem;
  const fs::path path =
      fs::temp_directory_path() /
      ("csv_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
       std::to_string(data.size()) + ".csv");
  std::ofstream(path, std::ios::binary) << data;
  Utf8Validator utf8;
  CsvReader::Options options;
  options.block_size = block_size;
  if (external_utf8) options.utf8 = &utf8;
  std::thread validator;
  if (external_utf8) {
    validator = std::thread([&] {
      for (size_t at = 0; at < data.size(); at += 3) {
        const auto end = static_cast<int64_t>(std::min(data.size(), at + 3));
        const int64_t from = utf8.resume_offset();
        if (from >= end) continue;
        utf8.Feed(std::string_view(data).substr(static_cast<size_t>(from),
                                                static_cast<size_t>(end - from)),
                  end == static_cast<int64_t>(data.size()));
      }
      utf8.Abandon();
    });
  }
  auto reader = CsvReader::OpenFile(path.string(), "f.csv", options);
  Parsed out;
  for (;;) {
    auto more = (*reader)->Next();
    if (!more.ok()) {
      out.status = more.status();
      break;
    }
    if (!*more) break;
    std::vector<std::string> record;
    for (auto f : (*reader)->fields()) record.emplace_back(f);
    out.records.push_back(std::move(record));
  }
  out.missing_final_newline = (*reader)->missing_final_newline();
  if (validator.joinable()) validator.join();
  fs::remove(path);
  return out;
}

TEST(CsvReader, FileWindowsAndValidatorThreadMatchStrings) {
  std::string long_field(10000, 'x');
  const std::vector<std::string> inputs = {
      "a,b\n1,2\n",
      "\xEF\xBB\xBF"
      "a,b\r\n\"x\ny\",\"q\"\"q\"\r\n",
      "a,b\n\xC3\xA9t\xC3\xA9,\xE2\x80\x9Cq\xE2\x80\x9D\n",
      "a,b\n1,\xC3\n2,3\n",       // invalid byte inside the file
      "a,b\n1,2\n3,\xE2\x80",     // sequence cut at end of file
      "a,b\n1,\"open\n",          // quote open at end of file
      "a,b\n1,\"x\"y\n\xFF,2\n",  // structure error before invalid UTF-8
      "a,b\n\xFF,\"x\"y\n",       // invalid UTF-8 before a structure error
      "a,b\n" + long_field + ",\"" + long_field + "\"\n1,2",  // records beyond one page
      "",
  };
  for (size_t i = 0; i < inputs.size(); ++i) {
    SCOPED_TRACE(i);
    const Parsed want = ParseAll(inputs[i], 64);
    for (bool external : {false, true}) {
      SCOPED_TRACE(external);
      const Parsed got = ParseFile(inputs[i], 64, external);
      EXPECT_EQ(got.records, want.records);
      EXPECT_EQ(got.status.ok(), want.status.ok());
      EXPECT_EQ(got.status.message(), want.status.message());
      EXPECT_EQ(got.missing_final_newline, want.missing_final_newline);
    }
  }
}

}  // namespace
}  // namespace ooapi::sync
