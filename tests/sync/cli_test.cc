// End-to-end: RunRioCommand on the generated tiny data set with a real SQLite file.
#include "rio_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/sync/rio/store.h"
#include "ooapi/testing/duo_generator.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::sync {
namespace {

using app::RunRioCommand;
using ooapi::testing::GenerateDuo;
using ooapi::testing::GeneratorOptions;
using ooapi::testing::GroundTruth;
using ooapi::testing::CutPoint;

namespace fs = std::filesystem;

class RioCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ooapi_rio_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    GeneratorOptions o;
    o.out_dir = (dir_ / "duo").string();
    fs::create_directories(dir_);
    auto truth = GenerateDuo(o);
    ASSERT_OK(truth);
    truth_ = *truth;
    db_ = (dir_ / "sync.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  int Run(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back(db_);
    return RunRioCommand(args, [](const std::string& path) {
      return adapters::sqlite::Open(path, {.read_only = false, .create = true});
    });
  }
  int64_t SnapshotCount() {
    auto c = adapters::sqlite::Open(db_, {.read_only = false, .create = true});
    auto list = ListSnapshots(**c);
    return static_cast<int64_t>(list->size());
  }
  std::vector<std::string> ImportArgs(const std::string& from) {
    return {"import", "--from", from, "--bestuur", truth_.bestuur, "--ref-date", truth_.ref_date};
  }
  fs::path dir_;
  std::string db_;
  GroundTruth truth_;
};

TEST_F(RioCliTest, ImportOverviewDiff) {
  ASSERT_EQ(Run(ImportArgs((dir_ / "duo").string())), 0);
  ASSERT_EQ(Run(ImportArgs((dir_ / "duo").string())), 0);
  EXPECT_EQ(SnapshotCount(), 2);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(Run({"diff", "1", "2"}), 0);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "# 0 added, 0 removed, 0 changed\n");

  const std::string csv = (dir_ / "o.csv").string();
  ASSERT_EQ(Run({"overview", "--format", "csv", "--out", csv}), 0);
  std::ifstream in(csv);
  std::string line;
  std::map<std::string, int64_t> rows;
  std::getline(in, line);
  // Count records, not lines: quoted fields may hold line breaks. Python's csv module counts.
  const std::string py =
      "python3 -c \"import csv,collections,sys; r=list(csv.reader(open(sys.argv[1], newline=''))); "
      "c=collections.Counter(x[0] for x in r[1:]); print(c['HO'], c['NFO'])\" " +
      csv + " > " + (dir_ / "n.txt").string();
  ASSERT_EQ(std::system(py.c_str()), 0);
  std::ifstream counts(dir_ / "n.txt");
  int64_t ho = 0, nfo = 0;
  counts >> ho >> nfo;
  EXPECT_EQ(ho, truth_.overview_rows.at("HO"));
  EXPECT_EQ(nfo, truth_.overview_rows.at("NFO"));

  const std::string xlsx = (dir_ / "o.xlsx").string();
  ASSERT_EQ(Run({"overview", "--snapshot", "2", "--format", "xlsx", "--out", xlsx}), 0);
  // The workbook opens as a zip with HO and NFO sheets whose row counts (minus the header) match.
  const std::string check =
      "python3 -c \"import zipfile,re,sys; z=zipfile.ZipFile(sys.argv[1]); "
      "wb=z.read('xl/workbook.xml').decode(); names=re.findall(r'<sheet name=\\\"([^\\\"]+)\\\"', "
      "wb); "
      "rows=[len(re.findall(r'<row ', z.read('xl/worksheets/sheet%d.xml' % (i+1)).decode()))-1 for "
      "i in range(2)]; "
      "print(names[0], names[1], rows[0], rows[1])\" " +
      xlsx + " > " + (dir_ / "x.txt").string();
  ASSERT_EQ(std::system(check.c_str()), 0);
  std::ifstream x(dir_ / "x.txt");
  std::string s1, s2;
  int64_t r1 = 0, r2 = 0;
  x >> s1 >> s2 >> r1 >> r2;
  EXPECT_EQ(s1, "HO");
  EXPECT_EQ(s2, "NFO");
  EXPECT_EQ(r1, truth_.overview_rows.at("HO"));
  EXPECT_EQ(r2, truth_.overview_rows.at("NFO"));

  const std::string json = (dir_ / "o.json").string();
  ASSERT_EQ(Run({"overview", "--format", "json", "--out", json}), 0);
  EXPECT_GT(fs::file_size(json), 100u);
}

TEST_F(RioCliTest, RefusedImportStoresNothingAndExitsTwo) {
  const CutPoint& cut = truth_.cuts.at("quoted_newline");
  fs::resize_file(dir_ / "duo" / (cut.file + ".csv"), static_cast<uintmax_t>(cut.offset));
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(Run(ImportArgs((dir_ / "duo").string())), 2);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, ::testing::HasSubstr("rio import: refused: nfo_opleidingen.csv: record " +
                                      std::to_string(cut.record)));
  EXPECT_THAT(err, ::testing::HasSubstr("nothing was stored"));
  EXPECT_EQ(SnapshotCount(), 0);
}

// A snapshot id the user names that does not exist is refused like a usage error (2); a database
// that cannot be opened is a runtime failure (1), whatever the driver's status code.
TEST_F(RioCliTest, UnknownSnapshotIsTwoAndAnUnopenableDatabaseIsOne) {
  ASSERT_EQ(Run(ImportArgs((dir_ / "duo").string())), 0);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(Run({"diff", "1", "7"}), 2);
  EXPECT_EQ(
      Run({"overview", "--snapshot", "7", "--format", "csv", "--out", (dir_ / "o.csv").string()}),
      2);
  EXPECT_EQ(Run({"diff", "1", "x"}), 2);
  auto refuse = [](const std::string&) -> StatusOr<db::ConnectionPtr> {
    return InvalidArgument("the driver says no");
  };
  EXPECT_EQ(RunRioCommand({"snapshots", "--db", "x"}, refuse), 1);
  EXPECT_EQ(RunRioCommand({"snapshots", "--db", (dir_ / "no" / "such" / "dir.db").string()},
                          [](const std::string& path) {
                            return adapters::sqlite::Open(path,
                                                          {.read_only = false, .create = true});
                          }),
            1);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, ::testing::HasSubstr("ooapi-endpoint rio diff: argument B must be a whole "
                                        "number of at least 1, got 'x'"));
  EXPECT_THAT(err, ::testing::HasSubstr("ooapi-endpoint rio snapshots: the driver says no"));
}

TEST_F(RioCliTest, UsageErrorsAndHelp) {
  ::testing::internal::CaptureStderr();
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunRioCommand({}, nullptr), 2);
  EXPECT_EQ(RunRioCommand({"frobnicate"}, nullptr), 2);
  EXPECT_EQ(RunRioCommand({"import", "--from"}, nullptr), 2);
  EXPECT_EQ(RunRioCommand({"import", "--bestuur", "X"}, nullptr), 2);
  EXPECT_EQ(RunRioCommand({"overview", "--format", "pdf", "--out", "x"}, nullptr), 2);
  EXPECT_EQ(RunRioCommand({"diff", "1"}, nullptr), 2);
  for (const char* c : {"import", "download", "diff", "overview", "snapshots"}) {
    EXPECT_EQ(RunRioCommand({c, "--help"}, nullptr), 0) << c;
  }
  EXPECT_EQ(RunRioCommand({"download", "--to", "/nonexistent"}, nullptr), 1);  // not implemented
  ::testing::internal::GetCapturedStdout();
  ::testing::internal::GetCapturedStderr();
}

}  // namespace
}  // namespace ooapi::sync
