#include "ooapi/sync/rio/import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "ooapi/sync/rio/csv.h"
#include "ooapi/testing/duo_generator.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::sync {
namespace {

using ooapi::testing::GenerateDuo;
using ooapi::testing::GeneratorOptions;
using ooapi::testing::GroundTruth;
using ooapi::testing::ImportCounts;
using ooapi::testing::CutPoint;

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
  EXPECT_OK(truth);
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

const Item* Find(const Snapshot& s, const std::string& kind, const std::string& code) {
  for (const Item& i : s.items) {
    if (ItemKindName(i.kind) == kind && i.code == code) return &i;
  }
  return nullptr;
}

void ExpectMatchesTruth(const Snapshot& s, const GroundTruth& truth) {
  EXPECT_EQ(ImportCounts(s), truth.counts);
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
  ASSERT_OK(s);
  ExpectMatchesTruth(*s, *truth_);
  EXPECT_THAT(s->warnings, ::testing::Contains(::testing::HasSubstr(
                               "cohortcode DUBBEL appears twice in aangeboden opleiding")));
  EXPECT_THAT(s->notices, ::testing::Contains(::testing::HasSubstr("ended bestuur-aanbieder")));
  for (const SourceFile& f : s->files) {
    EXPECT_THAT(f.sha256, ::testing::MatchesRegex("xxh3-128:[0-9a-f]{32}")) << f.name;
  }
}

TEST_F(ImportTest, JointDegreesAndEndedRelationsAreInScope) {
  auto s = Import(*dir_, *truth_);
  ASSERT_OK(s);
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
    ASSERT_OK(s);
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
  ASSERT_OK(s);
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
  EXPECT_OK(Import(dir, *truth_));  // undetectable by syntax alone
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
  ASSERT_OK(s);
  ExpectMatchesTruth(*s, truth);
  fs::remove_all(dir);
}

// ---- the parallel pipeline against the single-thread reading --------------------------------

StatusOr<Snapshot> ImportMode(const fs::path& dir, const GroundTruth& truth, bool parallel,
                              const std::string& expected_counts = "") {
  ImportOptions options;
  options.dir = dir.string();
  options.bestuur = truth.bestuur;
  options.ref_date = truth.ref_date;
  options.expected_counts_path = expected_counts;
  options.block_size = 4096;
  options.parallel = parallel;
  return ImportDuo(options);
}

std::vector<std::string> Describe(const Snapshot& s) {
  std::vector<std::string> out;
  for (const SourceFile& f : s.files) {
    out.push_back("file " + f.name + " " + std::to_string(f.bytes) + " " +
                  std::to_string(f.records) + " " + f.sha256);
  }
  for (const Item& i : s.items) {
    std::string line = "item " + std::string(ItemKindName(i.kind)) + "|" + i.sector + "|" + i.file + "|" + i.code + "|" +
                       i.parent + "|" + i.classification + "|" + std::to_string(i.ended) + "|" +
                       std::to_string(i.in_bestuur) + "|" + std::to_string(i.period_count) + "|" +
                       i.periods_json;
    for (const auto& [k, v] : i.values) line += "|" + k + "=" + v;
    out.push_back(std::move(line));
  }
  for (const std::string& w : s.warnings) out.push_back("warning " + w);
  for (const std::string& n : s.notices) out.push_back("notice " + n);
  return out;
}

// Imports `dir` both ways and expects the same snapshot or the same refusal; returns the result.
StatusOr<Snapshot> ExpectBothWaysAlike(const fs::path& dir, const GroundTruth& truth,
                                       const std::string& expected_counts = "") {
  auto single = ImportMode(dir, truth, false, expected_counts);
  auto parallel = ImportMode(dir, truth, true, expected_counts);
  EXPECT_EQ(parallel.ok(), single.ok())
      << "parallel: " << parallel.status().ToString() << "\nsingle: " << single.status().ToString();
  if (parallel.ok() && single.ok()) {
    EXPECT_EQ(Describe(*parallel), Describe(*single));
    EXPECT_FALSE(parallel->items.empty());
  } else if (!parallel.ok() && !single.ok()) {
    EXPECT_EQ(parallel.status().code(), single.status().code());
    EXPECT_EQ(parallel.status().message(), single.status().message());
  }
  return parallel;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
void WriteAll(const fs::path& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

TEST_F(ImportTest, ParallelAndSingleThreadGiveTheSameSnapshot) {
  auto s = ExpectBothWaysAlike(*dir_, *truth_);
  ASSERT_OK(s);
  ExpectMatchesTruth(*s, *truth_);
}

TEST(ImportInstitution, ParallelAndSingleThreadGiveTheSameSnapshot) {
  fs::path dir = TempDir("institution_modes");
  GeneratorOptions o;
  o.profile = "institution";
  o.seed = 7;
  GroundTruth truth = Generate(dir, o);
  auto s = ExpectBothWaysAlike(dir, truth);
  ASSERT_OK(s);
  ExpectMatchesTruth(*s, truth);
  fs::remove_all(dir);
}

TEST(ImportVariants, ParallelAndSingleThreadAgreeOnEveryGeneratedVariant) {
  std::vector<std::pair<std::string, GeneratorOptions>> variants(9);
  variants[0].first = "bom_crlf";
  variants[0].second.bom = variants[0].second.crlf = true;
  variants[1].first = "reordered";
  variants[1].second.header_variant = "reordered";
  variants[2].first = "extra_column";
  variants[2].second.header_variant = "extra_column";
  variants[3].first = "missing_optional";
  variants[3].second.header_variant = "missing_optional";
  variants[4].first = "datastore";
  variants[4].second.header_variant = "datastore";
  variants[5].first = "no_final_newline";
  variants[5].second.final_newline = false;
  variants[6].first = "dutch_dates";
  variants[6].second.header_variant = "dutch_dates";
  variants[7].first = "orphan_cohort";
  variants[7].second.orphan_cohort = true;
  variants[8].first = "orphan_ao";
  variants[8].second.orphan_ao = true;
  for (const auto& [name, options] : variants) {
    SCOPED_TRACE(name);
    fs::path dir = TempDir("modes_" + name);
    GroundTruth truth = Generate(dir, options);
    auto s = ExpectBothWaysAlike(dir, truth);
    EXPECT_EQ(s.ok(), name.rfind("orphan", 0) != 0 && name != "dutch_dates");
    fs::remove_all(dir);
  }
}

TEST_F(ImportTest, ParallelAndSingleThreadRefuseEveryTruncationAlike) {
  for (const auto& [name, cut] : truth_->cuts) {
    SCOPED_TRACE(name);
    fs::path dir = Copy("modes_cut_" + name);
    Truncate(dir / (cut.file + ".csv"), cut.offset);
    auto s = ExpectBothWaysAlike(dir, *truth_);
    EXPECT_EQ(s.ok(), name == "cohort_boundary");  // undetectable by syntax alone
    std::ofstream(dir / "counts.txt") << cut.file << " " << truth_->records.at(cut.file) << "\n";
    EXPECT_FALSE(ExpectBothWaysAlike(dir, *truth_, (dir / "counts.txt").string()).ok());
    fs::remove_all(dir);
  }
}

// The cohort file, which the parallel mode indexes on the second thread, cut at many places: in
// and between records, in quoted fields, in multibyte characters.
TEST_F(ImportTest, CohortFileCutAnywhereIsRefusedAlikeByBothModes) {
  const std::string file = "aangeboden_nfo_opleiding_cohorten.csv";
  const std::string data = ReadAll(*dir_ / file);
  ASSERT_GT(data.size(), 1000u);
  int refused = 0;
  for (size_t k = 1; k < 24; ++k) {
    const size_t cut = data.size() * k / 24 + k % 5;
    SCOPED_TRACE(cut);
    fs::path dir = Copy("modes_cohort_cut");
    Truncate(dir / file, static_cast<int64_t>(cut));
    if (!ExpectBothWaysAlike(dir, *truth_).ok()) ++refused;
    fs::remove_all(dir);
  }
  EXPECT_GT(refused, 0);
}

// A refusal of an in-scope cohort's value comes before a refusal of a later record of the same
// file, and a defect in the AO file before any defect in the cohort file, in both modes.
TEST_F(ImportTest, RefusalsComeInFileAndRecordOrderInBothModes) {
  auto good = ImportMode(*dir_, *truth_, false);
  ASSERT_OK(good);
  std::string ao;  // an in-scope NFO cohort's AO code
  for (const Item& i : good->items) {
    if (i.kind == ItemKind::kCohort && i.sector == "NFO") {
      ao = i.parent;
      break;
    }
  }
  ASSERT_FALSE(ao.empty());
  const std::string cohorts = "aangeboden_nfo_opleiding_cohorten.csv";
  std::string data = ReadAll(*dir_ / cohorts);
  size_t at = data.find("\n\"" + ao + "\",");  // quoted or not
  if (at == std::string::npos) at = data.find("\n" + ao + ",");
  ASSERT_NE(at, std::string::npos) << ao;
  const size_t end = data.find('\n', at + 1);
  std::string line = data.substr(at + 1, end - at - 1);
  std::smatch date;
  ASSERT_TRUE(std::regex_search(line, date, std::regex("([0-9]{4})-([0-9]{2})-([0-9]{2})")));
  line.replace(static_cast<size_t>(date.position(0)), 10,
               date[3].str() + "-" + date[2].str() + "-" + date[1].str());
  data.replace(at + 1, end - at - 1, line);
  data.resize(data.size() - 5);  // and a short last record
  fs::path dir = Copy("modes_order");
  WriteAll(dir / cohorts, data);
  auto s = ExpectBothWaysAlike(dir, *truth_);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(),
              ::testing::MatchesRegex(cohorts + ": record [0-9]+ .*is not a date.*"));
  // Now the AO file is cut too: its refusal comes first.
  const std::string aos = "aangeboden_nfo_opleidingen.csv";
  Truncate(dir / aos, static_cast<int64_t>(fs::file_size(dir / aos)) - 3);
  s = ExpectBothWaysAlike(dir, *truth_);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), ::testing::StartsWith(aos + ": record "));
  fs::remove_all(dir);
}

TEST_F(ImportTest, ChecksumsFollowTheBytes) {
  fs::path dir = Copy("checksums");
  const std::string file = "aangeboden_nfo_opleiding_cohorten.csv";
  std::string data = ReadAll(dir / file);
  auto before = ImportMode(dir, *truth_, true);
  ASSERT_OK(before);
  // the same length, one byte different, in the last record's last field
  const size_t pos = data.size() - 2;
  data[pos] = data[pos] == '1' ? '2' : '1';
  WriteAll(dir / file, data);
  auto after = ImportMode(dir, *truth_, true);
  ASSERT_OK(after);
  ASSERT_EQ(before->files.size(), after->files.size());
  for (size_t i = 0; i < before->files.size(); ++i) {
    SCOPED_TRACE(before->files[i].name);
    if (before->files[i].name + ".csv" == file) {
      EXPECT_NE(before->files[i].sha256, after->files[i].sha256);
    } else {
      EXPECT_EQ(before->files[i].sha256, after->files[i].sha256);
    }
  }
  fs::remove_all(dir);
}

// The stored checksum is XXH3-128 as `xxhsum -H2` prints it (the expected digits come from
// xxhsum 0.8.1 on this header-only file), with its algorithm named.
TEST_F(ImportTest, ChecksumIsXxh3As128XxhsumPrintsIt) {
  fs::path dir = Copy("xxhsum");
  WriteAll(dir / "ho_relaties_opleidingseenheden.csv",
           "RELATIESOORT,VAN_OPLEIDINGSEENHEIDCODE,NAAR_OPLEIDINGSEENHEIDCODE,BEGINDATUM,"
           "EINDDATUM\n");
  for (bool parallel : {true, false}) {
    auto s = ImportMode(dir, *truth_, parallel);
    ASSERT_OK(s);
    bool seen = false;
    for (const SourceFile& f : s->files) {
      if (f.name != "ho_relaties_opleidingseenheden") continue;
      seen = true;
      EXPECT_EQ(f.sha256, "xxh3-128:b87c8b7583162597dd58aa98a82973ad");
    }
    EXPECT_TRUE(seen);
  }
  fs::remove_all(dir);
}

TEST(ExpectedCounts, ParsesSeveralSpellings) {
  auto c = ParseExpectedCounts("# x\nnfo_opleidingen.csv 12\nho_opleidingen,3\na=4\n", "f");
  ASSERT_OK(c);
  EXPECT_EQ(*c, (std::map<std::string, int64_t>{
                    {"nfo_opleidingen", 12}, {"ho_opleidingen", 3}, {"a", 4}}));
  EXPECT_FALSE(ParseExpectedCounts("x y\n", "f").ok());
}

}  // namespace
}  // namespace ooapi::sync
