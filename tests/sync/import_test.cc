#include "ooapi/sync/import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "ooapi/sync/csv.h"
#include "ooapi/sync/generator.h"

namespace ooapi::sync {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("ooapi_sync_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  return dir;
}

GroundTruth Generate(const fs::path& dir, GeneratorOptions o = {}) {
  o.out_dir = dir.string();
  auto truth = GenerateDuo(o);
  EXPECT_TRUE(truth.ok()) << truth.status().ToString();
  return *truth;
}

StatusOr<Snapshot> Import(const fs::path& dir, const GroundTruth& truth,
                          const std::string& header_map = "") {
  ImportOptions options;
  options.dir = dir.string();
  options.bestuur = truth.bestuur;
  options.ref_date = truth.ref_date;
  options.header_map_path = header_map;
  options.block_size = 4096;  // many block boundaries even on small files
  return ImportDuo(options);
}

std::map<std::string, int64_t> Counts(const Snapshot& s) {
  std::map<std::string, int64_t> counts;
  for (const Item& item : s.items) {
    if (item.kind == "cohort") {
      ++counts["cohort"];
      continue;
    }
    ++counts[item.sector + " " + item.kind];
    ++counts[item.kind + " " + item.classification];
    if (item.ended) ++counts[item.kind + " ended"];
  }
  return counts;
}

const Item* Find(const Snapshot& s, const std::string& kind, const std::string& code) {
  for (const Item& i : s.items) {
    if (i.kind == kind && i.code == code) return &i;
  }
  return nullptr;
}

void ExpectMatchesTruth(const Snapshot& s, const GroundTruth& truth) {
  EXPECT_EQ(Counts(s), truth.counts);
  for (const auto& [code, begin] : truth.selected_period) {
    const Item* item = Find(s, "oe", code);
    ASSERT_NE(item, nullptr) << code;
    EXPECT_EQ(*item->Value("BEGINDATUM_PERIODE"), begin) << code;
  }
  for (const auto& [code, cls] : truth.classification) {
    const Item* item = Find(s, "oe", code);
    if (item == nullptr) item = Find(s, "ao", code);
    ASSERT_NE(item, nullptr) << code;
    EXPECT_EQ(item->classification, cls) << code;
  }
  for (const auto& [key, value] : truth.values) {
    const std::string code = key.substr(0, key.find('/'));
    const std::string column = key.substr(key.find('/') + 1);
    const Item* item = Find(s, "oe", code);
    ASSERT_NE(item, nullptr) << code;
    if (column == "periods") {
      EXPECT_EQ(std::to_string(item->period_count), value) << key;
    } else {
      ASSERT_NE(item->Value(column), nullptr) << key;
      EXPECT_EQ(*item->Value(column), value) << key;
    }
  }
  std::map<std::string, int64_t> records;
  for (const SourceFile& f : s.files) records[f.name] = f.records;
  EXPECT_EQ(records, truth.records);
}

class ImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(TempDir("tiny"));
    truth_ = new GroundTruth(Generate(*dir_));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete truth_;
  }
  // A fresh copy of the tiny data set, to damage.
  fs::path Copy(const std::string& name) {
    fs::path copy = TempDir(name);
    fs::copy(*dir_, copy);
    return copy;
  }
  static fs::path* dir_;
  static GroundTruth* truth_;
};
fs::path* ImportTest::dir_ = nullptr;
GroundTruth* ImportTest::truth_ = nullptr;

TEST_F(ImportTest, TinyProfileMatchesGroundTruth) {
  auto s = Import(*dir_, *truth_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ExpectMatchesTruth(*s, *truth_);
  EXPECT_THAT(s->warnings, ::testing::Contains(::testing::HasSubstr(
                               "cohortcode DUBBEL appears twice in aangeboden opleiding")));
  EXPECT_THAT(s->notices, ::testing::Contains(::testing::HasSubstr("ended bestuur-aanbieder")));
  for (const SourceFile& f : s->files) EXPECT_EQ(f.sha256.size(), 64u);
}

TEST_F(ImportTest, JointDegreesAndEndedRelationsAreInScope) {
  auto s = Import(*dir_, *truth_);
  ASSERT_TRUE(s.ok());
  const Item* foreign_oe = Find(*s, "oe", "9000O0020");
  ASSERT_NE(foreign_oe, nullptr);
  EXPECT_FALSE(foreign_oe->in_bestuur);
  EXPECT_NE(Find(*s, "oe", "9000O0022"), nullptr);  // reached through the ended relation
  EXPECT_EQ(Find(*s, "oe", "9000O0023"), nullptr);  // out of scope
  EXPECT_NE(Find(*s, "oe", "9000O0024"), nullptr);  // owner "100B490 " (space-padded)
  const Item* ended = Find(*s, "oe", "9000O0004");
  ASSERT_NE(ended, nullptr);
  EXPECT_TRUE(ended->ended);
}

TEST(ImportVariants, AcceptableVariantsImportWithTheGroundTruthCounts) {
  struct Variant {
    std::string name;
    GeneratorOptions options;
  };
  std::vector<Variant> variants(6);
  variants[0].name = "bom_crlf";
  variants[0].options.bom = variants[0].options.crlf = true;
  variants[1].name = "reordered";
  variants[1].options.header_variant = "reordered";
  variants[2].name = "extra";
  variants[2].options.header_variant = "extra_column";
  variants[3].name = "missing_optional";
  variants[3].options.header_variant = "missing_optional";
  variants[4].name = "datastore";
  variants[4].options.header_variant = "datastore";
  variants[5].name = "no_final_newline";
  variants[5].options.final_newline = false;
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.name);
    fs::path dir = TempDir(v.name);
    GroundTruth truth = Generate(dir, v.options);
    auto s = Import(dir, truth);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ExpectMatchesTruth(*s, truth);
    if (v.name == "extra") {
      EXPECT_THAT(s->notices,
                  ::testing::Contains("nfo_opleidingen: unknown column EXTRA_KOLOM ignored"));
    }
    if (v.name == "datastore") {
      EXPECT_THAT(s->notices, ::testing::Contains("nfo_opleidingen: unknown column _id ignored"));
    }
    if (v.name == "no_final_newline") {
      EXPECT_THAT(s->warnings, ::testing::Contains(::testing::HasSubstr(
                                   "the last record is not followed by a line break")));
    }
    fs::remove_all(dir);
  }
}

TEST(ImportVariants, DutchDatesAreRejectedNamingFileRecordAndColumn) {
  fs::path dir = TempDir("dutch");
  GeneratorOptions o;
  o.header_variant = "dutch_dates";
  GroundTruth truth = Generate(dir, o);
  auto s = Import(dir, truth);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.status().message(),
              ::testing::MatchesRegex("ho_opleidingen.csv: record [0-9]+ \\(line [0-9]+, byte "
                                      "offset [0-9]+\\): column BEGINDATUM_PERIODE: "
                                      "\"01-09-2020\" is not a date \\(YYYY-MM-DD\\)"));
  fs::remove_all(dir);
}

TEST_F(ImportTest, HeaderMapAdaptsToARenamedColumn) {
  fs::path dir = Copy("renamed");
  const fs::path file = dir / "aangeboden_nfo_opleidingen.csv";
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  in.close();
  text.replace(0, 24, "AO_CODE_NIEUW");  // AANGEBODEN_OPLEIDINGCODE is the first column
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  auto refused = Import(dir, *truth_);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              ::testing::StartsWith("aangeboden_nfo_opleidingen: required column "
                                    "AANGEBODEN_OPLEIDINGCODE is missing from the header"));
  std::ofstream(dir / "map.txt")
      << "aangeboden_nfo_opleidingen.AANGEBODEN_OPLEIDINGCODE = AO_CODE_NIEUW\n";
  auto s = Import(dir, *truth_, (dir / "map.txt").string());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ExpectMatchesTruth(*s, *truth_);
  fs::remove_all(dir);
}

void Truncate(const fs::path& file, int64_t size) {
  fs::resize_file(file, static_cast<uintmax_t>(size));
}

TEST_F(ImportTest, EveryTruncationIsRefusedWithFileAndPosition) {
  struct Case {
    std::string cut;
    std::string what;  // the end of the message
  };
  const std::vector<Case> cases = {
      {"unquoted_field",
       "short record: 4 fields, the header has 16 (the file ends inside this "
       "record: truncated?)"},
      {"quoted_field", "quote still open at end of file; the quoted field opens at byte offset "},
      {"quoted_newline", "quote still open at end of file; the quoted field opens at byte offset "},
      {"multibyte", "invalid UTF-8 at byte offset "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.cut);
    const CutPoint& cut = truth_->cuts.at(c.cut);
    fs::path dir = Copy(c.cut);
    Truncate(dir / (cut.file + ".csv"), cut.offset);
    auto s = Import(dir, *truth_);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    const std::string where = cut.file + ".csv: record " + std::to_string(cut.record) + " (line " +
                              std::to_string(cut.record_line) + ", byte offset " +
                              std::to_string(cut.record_offset) + "): ";
    EXPECT_THAT(s.status().message(), ::testing::StartsWith(where + c.what));
    fs::remove_all(dir);
  }
}

TEST_F(ImportTest, RecordBoundaryCutIsCaughtByOrphansAndByCounts) {
  const CutPoint& cut = truth_->cuts.at("record_boundary");
  fs::path dir = Copy("boundary");
  Truncate(dir / (cut.file + ".csv"), cut.offset);
  auto s = Import(dir, *truth_);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), ::testing::HasSubstr("which is not in nfo_opleidingen.csv"));
  EXPECT_THAT(s.status().message(),
              ::testing::StartsWith("aangeboden_nfo_opleidingen.csv: record "));
  // With the expected counts, the OE file itself is refused first.
  std::ofstream(dir / "counts.txt")
      << "nfo_opleidingen.csv " << truth_->records.at("nfo_opleidingen") << "\n";
  ImportOptions options;
  options.dir = dir.string();
  options.bestuur = truth_->bestuur;
  options.ref_date = truth_->ref_date;
  options.expected_counts_path = (dir / "counts.txt").string();
  auto counted = ImportDuo(options);
  ASSERT_FALSE(counted.ok());
  EXPECT_EQ(counted.status().message(),
            "nfo_opleidingen.csv: " + std::to_string(cut.record - 1) + " records, expected " +
                std::to_string(truth_->records.at("nfo_opleidingen")) + " (from " +
                options.expected_counts_path + "); the file ends at byte offset " +
                std::to_string(cut.offset) + " after record " + std::to_string(cut.record - 1) +
                ": truncated download?");
  fs::remove_all(dir);
}

TEST_F(ImportTest, CohortBoundaryCutIsCaughtByTheCountSidecar) {
  const CutPoint& cut = truth_->cuts.at("cohort_boundary");
  fs::path dir = Copy("cohort_cut");
  Truncate(dir / (cut.file + ".csv"), cut.offset);
  EXPECT_TRUE(Import(dir, *truth_).ok());  // undetectable by syntax alone
  std::ofstream(dir / (cut.file + ".csv.count")) << truth_->records.at(cut.file) << "\n";
  auto s = Import(dir, *truth_);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(
      s.status().message(),
      ::testing::StartsWith(cut.file + ".csv: " + std::to_string(cut.record - 1) +
                            " records, expected " + std::to_string(truth_->records.at(cut.file)) +
                            " (from " + cut.file + ".csv.count)"));
  fs::remove_all(dir);
}

TEST(ImportVariants, OrphansAreRefused) {
  for (bool cohort : {true, false}) {
    fs::path dir = TempDir(cohort ? "orphan_cohort" : "orphan_ao");
    GeneratorOptions o;
    (cohort ? o.orphan_cohort : o.orphan_ao) = true;
    GroundTruth truth = Generate(dir, o);
    auto s = Import(dir, truth);
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(s.status().message(),
                cohort ? ::testing::HasSubstr("cohort refers to aangeboden opleiding "
                                              "00000000-0000-0000-0000-000000000000, which is not "
                                              "in aangeboden_nfo_opleidingen.csv")
                       : ::testing::HasSubstr("refers to opleidingseenheid 9999O9999, which is "
                                              "not in nfo_opleidingen.csv"));
    fs::remove_all(dir);
  }
}

// Defects in the columns that the import skips for other besturen' records (the block scan) are
// refused with the message a whole parse of the file gives.
TEST(ImportVariants, DefectsInSkippedColumnsAreRefusedLikeAWholeParse) {
  struct Case {
    std::string file;
    std::string defect;  // inserted before the last byte of the line's last field
  };
  for (const Case& c :
       {Case{"aangeboden_nfo_opleiding_cohorten", "\r"}, Case{"aangeboden_nfo_opleidingen", "\"z"},
        Case{"nfo_opleidingen", "\"z"}}) {
    SCOPED_TRACE(c.file);
    fs::path dir = TempDir("skipped_defect");
    GroundTruth truth = Generate(dir);
    const fs::path path = dir / (c.file + ".csv");
    std::string data;
    {
      std::ifstream in(path, std::ios::binary);
      data.assign(std::istreambuf_iterator<char>(in), {});
    }
    // the last line: a distractor's record (the target bestuur's rows are in the middle)
    ASSERT_GE(data.size(), 3u);
    const size_t last_break = data.size() - 1;
    ASSERT_EQ(data[last_break], '\n');
    data.insert(last_break - 1, c.defect);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
    auto reader = CsvReader::FromString(data, c.file + ".csv", {});
    Status whole;
    for (;;) {
      auto more = reader->Next();
      if (!more.ok()) {
        whole = more.status();
        break;
      }
      if (!*more) break;
    }
    ASSERT_FALSE(whole.ok()) << "the defect must break the file";
    auto s = Import(dir, truth);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().message(), whole.message());
    fs::remove_all(dir);
  }
}

TEST_F(ImportTest, MissingRequiredFileIsNamed) {
  fs::path dir = Copy("missing");
  fs::remove(dir / "onderwijslocaties.csv");
  auto s = Import(dir, *truth_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s.status().message(),
            "required file " + (dir / "onderwijslocaties.csv").string() + " is missing");
  fs::remove_all(dir);
}

TEST(ImportInstitution, InstitutionProfileMatchesGroundTruth) {
  fs::path dir = TempDir("institution");
  GeneratorOptions o;
  o.profile = "institution";
  o.seed = 7;
  GroundTruth truth = Generate(dir, o);
  ImportOptions options;
  options.dir = dir.string();
  options.bestuur = truth.bestuur;
  options.ref_date = truth.ref_date;
  auto s = ImportDuo(options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ExpectMatchesTruth(*s, truth);
  fs::remove_all(dir);
}

TEST(ExpectedCounts, ParsesSeveralSpellings) {
  auto c = ParseExpectedCounts("# x\nnfo_opleidingen.csv 12\nho_opleidingen,3\na=4\n", "f");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, (std::map<std::string, int64_t>{
                    {"nfo_opleidingen", 12}, {"ho_opleidingen", 3}, {"a", 4}}));
  EXPECT_FALSE(ParseExpectedCounts("x y\n", "f").ok());
}

}  // namespace
}  // namespace ooapi::sync
