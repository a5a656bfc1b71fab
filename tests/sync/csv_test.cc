#include "ooapi/sync/rio/csv.h"
#include "ooapi/testing/status_matchers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
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
  ASSERT_OK(p.status);
  EXPECT_EQ(p.records, (Records{{"A", "B"}, {"1", "2"}, {"3", ""}}));
  EXPECT_FALSE(p.missing_final_newline);
  EXPECT_FALSE(p.bom);
}

TEST(CsvReader, BomAndCrlf) {
  Parsed p = ParseAll(
      "\xEF\xBB\xBF"
      "A,B\r\n1,2\r\n");
  ASSERT_OK(p.status);
  EXPECT_EQ(p.records, (Records{{"A", "B"}, {"1", "2"}}));
  EXPECT_TRUE(p.bom);
  EXPECT_TRUE(p.crlf);
}

TEST(CsvReader, QuotedSeparatorsNewlinesAndEscapes) {
  Parsed p = ParseAll(
      "A,B,C\n\"Fryslân, ‘t\",\"line1\nline2\r\nline3\",\"say \"\"hi\"\"\"\n\"\",x,\"NLD,ENG\"\n");
  ASSERT_OK(p.status);
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
    ASSERT_OK(p.status) << block << " " << p.status.ToString();
    ASSERT_EQ(p.records.size(), 51u) << block;
    EXPECT_EQ(p.records[50][0], "r49 \"q\", é\n") << block;
    EXPECT_EQ(p.records[50][1], "v49") << block;
  }
  // A record longer than the block grows the buffer.
  std::string big = "A\n\"" + std::string(10000, 'x') + "\"\n";
  Parsed p = ParseAll(big, 64);
  ASSERT_OK(p.status);
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
  ASSERT_OK(p.status);
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
  ASSERT_OK(b);
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
  ASSERT_OK(map);
  EXPECT_EQ(map->Lookup("x", "CODE"), "Code nieuw");
  EXPECT_EQ(map->Lookup("nfo_opleidingen", "CODE"), "NFO_CODE");
  std::vector<ColumnSpec> specs = {{"CODE", true}};
  auto b = BindHeader("nfo_opleidingen", {"A", "NFO_CODE"}, specs, *map);
  ASSERT_OK(b);
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

// ---- the prefix parse (block skip scan) against the field loop --------------------------------

// One record as a reader gave it.
struct Seen {
  std::vector<std::string> fields;  // all of them (after ParseWhole)
  std::vector<std::string> prefix;  // what fields() held before ParseWhole
  size_t field_count = 0;
  int64_t record = 0, line = 0, offset = 0;
  bool missing_final_newline = false;
  bool operator==(const Seen&) const = default;
};
struct Run {
  std::vector<Seen> records;
  std::string error;
  bool crlf = false;
};

Run ReadWithPrefix(const std::string& data, size_t prefix, size_t block_size) {
  CsvReader::Options options;
  options.block_size = block_size;
  auto reader = CsvReader::FromString(data, "f.csv", options);
  reader->set_prefix(prefix);
  Run run;
  for (;;) {
    auto more = reader->Next();
    if (!more.ok()) {
      run.error = more.status().message();
      break;
    }
    if (!*more) break;
    Seen seen;
    for (auto f : reader->fields()) seen.prefix.emplace_back(f);
    seen.field_count = reader->field_count();
    const Status whole = reader->ParseWhole();
    EXPECT_OK(whole);
    for (auto f : reader->fields()) seen.fields.emplace_back(f);
    const CsvPosition& pos = reader->position();
    seen.record = pos.record;
    seen.line = pos.line;
    seen.offset = pos.byte_offset;
    seen.missing_final_newline = reader->missing_final_newline();
    run.records.push_back(std::move(seen));
  }
  run.crlf = reader->saw_crlf();
  return run;
}

// Random CSV: mostly well-formed records with long quoted fields (commas, line breaks, CR, ""
// escapes, multi-byte characters), and now and then a defect: a quote inside an unquoted field, a
// character after a closing quote, a bare CR, a short record, invalid UTF-8, a truncated end.
std::string RandomCsv(std::mt19937_64& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  const std::string unquoted_chars[] = {"a", "b", "7", " ", "-", "\xC3\xA9", "\xE2\x80\x99"};
  const std::string quoted_chars[] = {"a", ",", "\n", "\r", "\"\"", " ", "\xC3\xAB", "x", "x", "x"};
  std::string out;
  if (pick(8) == 0) out += "\xEF\xBB\xBF";
  const bool crlf = pick(3) == 0;
  const int columns = 1 + pick(6);
  const int records = 1 + pick(12);
  for (int r = 0; r < records; ++r) {
    const int n = pick(10) == 0 ? 1 + pick(columns + 1) : columns;
    for (int c = 0; c < n; ++c) {
      if (c > 0) out += ',';
      const int len = pick(4) == 0 ? pick(150) : pick(8);
      if (pick(2) == 0) {
        out += '"';
        for (int i = 0; i < len; ++i) out += quoted_chars[pick(10)];
        out += '"';
        if (pick(60) == 0) out += 'z';  // a character after the closing quote
      } else {
        for (int i = 0; i < len; ++i) {
          out += unquoted_chars[pick(7)];
          if (pick(300) == 0) out += '"';   // a quote inside an unquoted field
          if (pick(400) == 0) out += '\r';  // a bare CR
          if (pick(500) == 0) out += '\xFF';
        }
      }
    }
    if (r + 1 < records || pick(4) != 0) out += crlf ? "\r\n" : "\n";
  }
  if (pick(6) == 0 && !out.empty())
    out.resize(static_cast<size_t>(pick(static_cast<int>(out.size()))));
  return out;
}

void ExpectSameAsFieldLoop(const std::string& data) {
  const Run want = ReadWithPrefix(data, 0, 4096);
  for (size_t i = 0; i < want.records.size(); ++i) {
    EXPECT_EQ(want.records[i].fields, want.records[i].prefix);
    EXPECT_EQ(want.records[i].field_count, want.records[i].fields.size());
  }
  for (size_t prefix : {1, 2, 3}) {
    for (size_t block : {64, 4096}) {
      const Run got = ReadWithPrefix(data, prefix, block);
      ASSERT_EQ(got.records.size(), want.records.size())
          << "prefix " << prefix << " block " << block;
      for (size_t i = 0; i < got.records.size(); ++i) {
        SCOPED_TRACE(i);
        const Seen& g = got.records[i];
        const Seen& w = want.records[i];
        EXPECT_EQ(g.fields, w.fields);
        EXPECT_EQ(g.field_count, w.field_count);
        EXPECT_EQ(g.record, w.record);
        EXPECT_EQ(g.line, w.line);
        EXPECT_EQ(g.offset, w.offset);
        EXPECT_EQ(g.missing_final_newline, w.missing_final_newline);
        // fields() held the first `prefix` fields (or all, when there are fewer)
        const size_t n = std::min(prefix, w.fields.size());
        ASSERT_GE(g.prefix.size(), n);
        EXPECT_EQ(
            std::vector<std::string>(g.prefix.begin(), g.prefix.begin() + static_cast<long>(n)),
            std::vector<std::string>(w.fields.begin(), w.fields.begin() + static_cast<long>(n)));
      }
      EXPECT_EQ(got.error, want.error);
      EXPECT_EQ(got.crlf, want.crlf);
    }
  }
}

class SkipScan : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam() && !internal::CsvSimdAvailable()) GTEST_SKIP() << "no AVX2/PCLMUL here";
    internal::SetCsvSimdForTesting(GetParam());
  }
  void TearDown() override { internal::SetCsvSimdForTesting(true); }
};

TEST_P(SkipScan, RandomInputsGiveTheFieldLoopsRecordsAndErrors) {
  std::mt19937_64 rng(20250901);
  for (int i = 0; i < 3000; ++i) {
    const std::string data = RandomCsv(rng);
    SCOPED_TRACE(::testing::PrintToString(data));
    ExpectSameAsFieldLoop(data);
    if (::testing::Test::HasFailure()) return;
  }
}

// Every structural byte at every position around the 64-byte block boundaries of the scan.
TEST_P(SkipScan, StructureAcrossBlockBoundaries) {
  const std::vector<std::string> tails = {
      "\"q\"\"q\",z\n",
      "\"q\nq\"\r\nnext,1,2\n",
      "\"\",\"\"\"\"\n",
      "x\r\ny,1\n",
      "\"a\"\r\n",
      "ab\"c,d\n",
      "\"a\"b,c\n",
      "a\rb,c\n",
      "\"open,\n",
      "\"a\"\r",
      "a,b\r",
      "\"a\"\"\n\",\"\"\n",
      "\xC3\xA9,\"\xE2\x80\x99\"\n",
      "\xC3,x\n",
  };
  for (size_t pad = 0; pad < 140; ++pad) {
    for (const std::string& tail : tails) {
      const std::string data = "h1,h2,h3\nk," + std::string(pad, 'p') + "," + tail + "k2,v,w\n";
      SCOPED_TRACE(::testing::PrintToString(data));
      ExpectSameAsFieldLoop(data);
      ExpectSameAsFieldLoop("k,\"" + std::string(pad, 'p') + "\"," + tail);
      if (::testing::Test::HasFailure()) return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SimdAndScalar, SkipScan, ::testing::Bool());

TEST(SkipScan, TheBlockScanAnswersForWellFormedRecords) {
  if (!internal::CsvSimdAvailable()) GTEST_SKIP() << "no AVX2/PCLMUL here";
  // 200 bytes with quotes, an escape and a line break inside quotes, ending in CR LF
  const std::string rest =
      std::string(70, 'a') + ",\"x,\"\"y\"\"\nz\"," + std::string(100, 'b') + "\r\nnext\n";
  internal::SkippedRecord out;
  ASSERT_TRUE(internal::SkipRecord(rest.data(), rest.data() + rest.size(), &out));
  EXPECT_EQ(out.end - rest.data(), static_cast<long>(rest.size() - 5));
  EXPECT_EQ(out.fields, 3);
  EXPECT_EQ(out.newlines, 1);
  EXPECT_TRUE(out.crlf);
  // it declines what only the field loop may judge
  for (std::string bad : {"ab\"c\n", "\"a\"b\n", "a\rb\n", "\"open\n", "no line break"}) {
    EXPECT_FALSE(internal::SkipRecord(bad.data(), bad.data() + bad.size(), &out)) << bad;
  }
}

TEST(Utf8Simd, AgreesWithTheScalarValidator) {
  if (!internal::CsvSimdAvailable()) GTEST_SKIP() << "no AVX2 here";
  std::mt19937_64 rng(7);
  const std::vector<std::string> pieces = {"a",
                                           "abcdefgh",
                                           "\xC3\xA9",
                                           "\xE2\x80\x99",
                                           "\xF0\x9F\x98\x80",
                                           "\xC3",
                                           "\xE2\x80",
                                           "\x80",
                                           "\xC0\xAF",
                                           "\xE0\x80\xAF",
                                           "\xED\xA0\x80",
                                           "\xF4\x90\x80\x80",
                                           "\xF5\x80\x80\x80",
                                           "\xFF",
                                           "\xEF\xBF\xBF",
                                           "\xF4\x8F\xBF\xBF",
                                           "\xE0\xA0\x80",
                                           "\xF0\x90\x80\x80"};
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 90);
    const bool clean = rng() % 2 == 0;  // only valid pieces, perhaps cut at the end
    for (int k = 0; k < n; ++k) {
      size_t piece = rng() % pieces.size();
      if (clean) piece = std::vector<size_t>{0, 1, 2, 3, 4, 14, 15, 16, 17}[rng() % 9];
      s += pieces[piece];
    }
    if (clean && !s.empty() && rng() % 3 == 0) s.resize(s.size() - 1);
    bool bad_simd = false, bad_scalar = false;
    const char* simd = internal::ValidateUtf8(s.data(), s.data() + s.size(), &bad_simd);
    internal::SetCsvSimdForTesting(false);
    const char* scalar = internal::ValidateUtf8(s.data(), s.data() + s.size(), &bad_scalar);
    internal::SetCsvSimdForTesting(true);
    ASSERT_EQ(simd - s.data(), scalar - s.data()) << ::testing::PrintToString(s);
    ASSERT_EQ(bad_simd, bad_scalar) << ::testing::PrintToString(s);
  }
}

TEST(CsvReader, OpenFileAtReadsTheRecordsFromAPosition) {
  namespace fs = std::filesystem;
  const std::string data =
      "\xEF\xBB\xBF"
      "a,b\r\n1,\"x\ny\"\r\n\"2\",\xC3\xA9\r\n3,\"\"\"\"\r\n";
  const fs::path path = fs::temp_directory_path() / "csv_test_open_at.csv";
  std::ofstream(path, std::ios::binary) << data;
  auto whole = CsvReader::OpenFile(path.string(), "f.csv", {});
  ASSERT_OK(whole);
  std::vector<std::pair<CsvPosition, std::vector<std::string>>> seen;
  while (*(*whole)->Next()) {
    std::vector<std::string> fields((*whole)->fields().begin(), (*whole)->fields().end());
    seen.emplace_back((*whole)->position(), fields);
  }
  ASSERT_EQ(seen.size(), 4u);
  for (size_t i = 1; i < seen.size(); ++i) {
    CsvReader::Options options;
    options.block_size = 64;
    auto at = CsvReader::OpenFileAt(path.string(), "f.csv", options, seen[i].first);
    ASSERT_OK(at);
    for (size_t k = i; k < seen.size(); ++k) {
      auto more = (*at)->Next();
      ASSERT_TRUE(more.ok() && *more);
      EXPECT_EQ(std::vector<std::string>((*at)->fields().begin(), (*at)->fields().end()),
                seen[k].second);
      EXPECT_EQ((*at)->position().record, seen[k].first.record);
      EXPECT_EQ((*at)->position().line, seen[k].first.line);
      EXPECT_EQ((*at)->position().byte_offset, seen[k].first.byte_offset);
    }
    EXPECT_FALSE(*(*at)->Next());
  }
  fs::remove(path);
}

// Seek: the records of a file read in any order of positions, inside the mapped window (forward
// and back) and outside it (small windows), as a reader of the whole file gave them.
TEST(CsvReader, SeekReadsTheRecordsAtPositionsAsTheWholeFileGaveThem) {
  namespace fs = std::filesystem;
  std::string data =
      "\xEF\xBB\xBF"
      "a,b\r\n";
  for (int i = 0; i < 200; ++i) {
    data += std::to_string(i) +
            (i % 3 == 0 ? ",\"x\ny\"\"z\"\r\n" : ",\xC3\xA9" + std::string(i % 7, 'q') + "\r\n");
  }
  const fs::path path = fs::temp_directory_path() / "csv_test_seek.csv";
  std::ofstream(path, std::ios::binary) << data;
  auto whole = CsvReader::OpenFile(path.string(), "f.csv", {});
  ASSERT_OK(whole);
  ASSERT_TRUE(*(*whole)->Next());  // the header
  std::vector<std::pair<CsvPosition, std::vector<std::string>>> seen;
  while (*(*whole)->Next()) {
    seen.emplace_back((*whole)->position(), std::vector<std::string>((*whole)->fields().begin(),
                                                                     (*whole)->fields().end()));
  }
  ASSERT_EQ(seen.size(), 200u);
  std::mt19937 random(5);
  for (size_t block : {size_t{64}, size_t{4096}, size_t{1} << 20}) {
    SCOPED_TRACE(block);
    CsvReader::Options options;
    options.block_size = block;
    auto reader = CsvReader::OpenFile(path.string(), "f.csv", options);
    ASSERT_OK(reader);
    std::vector<size_t> order;
    for (size_t i = 0; i < seen.size(); i += 1 + random() % 9) order.push_back(i);
    for (int i = 0; i < 40; ++i) order.push_back(random() % seen.size());  // also backwards
    for (size_t i : order) {
      ASSERT_OK((*reader)->Seek(seen[i].first));
      auto more = (*reader)->Next();
      ASSERT_TRUE(more.ok() && *more) << i;
      EXPECT_EQ(std::vector<std::string>((*reader)->fields().begin(), (*reader)->fields().end()),
                seen[i].second);
      EXPECT_EQ((*reader)->position().record, seen[i].first.record);
      EXPECT_EQ((*reader)->position().line, seen[i].first.line);
      EXPECT_EQ((*reader)->position().byte_offset, seen[i].first.byte_offset);
    }
    // the last record, then the end of the file
    ASSERT_OK((*reader)->Seek(seen.back().first));
    EXPECT_TRUE(*(*reader)->Next());
    EXPECT_FALSE(*(*reader)->Next());
    EXPECT_FALSE((*reader)->Seek({1, 1, static_cast<int64_t>(data.size()) + 1}).ok());
  }
  fs::remove(path);
}

}  // namespace
}  // namespace ooapi::sync
