// `rio download` against a fake CKAN server (tests/sync/fake_ckan.py) started by the test on
// 127.0.0.1; no other address is contacted.
#include "ooapi/sync/rio/download.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ooapi/testing/duo_generator.h"
#include "ooapi/sync/rio/import.h"
#include "ooapi/testing/port_server.h"

namespace ooapi::sync {
namespace {

using ooapi::testing::GenerateDuo;
using ooapi::testing::GeneratorOptions;
using ooapi::testing::GroundTruth;

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class DownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ooapi_rio_download_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "to");
    GeneratorOptions o;
    o.out_dir = (dir_ / "served").string();
    auto truth = GenerateDuo(o);
    ASSERT_TRUE(truth.ok()) << truth.status().ToString();
    truth_ = *truth;
    fs::remove(dir_ / "served" / "truth.json");
    control_ = dir_ / "faults.json";
    SetFaults("{}");
    StartServer();
  }
  void TearDown() override {
    server_.Stop();
    fs::remove_all(dir_);
  }

  void StartServer() {
    const std::string error =
        server_.Start({"python3", std::string(OOAPI_SOURCE_DIR) + "/tests/sync/fake_ckan.py",
                       "--dir", (dir_ / "served").string(), "--control", control_.string()});
    ASSERT_EQ(error, "") << "fake CKAN did not start";
    base_url_ = server_.base_url();
  }

  void SetFaults(const std::string& json) { std::ofstream(control_, std::ios::trunc) << json; }

  DownloadOptions Options() const {
    DownloadOptions o;
    o.to_dir = (dir_ / "to").string();
    o.base_url = base_url_;
    o.retries = 3;
    o.retry_delay_ms = 10;
    o.connect_timeout_s = 5;
    o.stall_timeout_s = 10;
    return o;
  }

  fs::path dir_, control_;
  ooapi::testing::PortServer server_;
  std::string base_url_;
  GroundTruth truth_;
};

TEST_F(DownloadTest, CleanDownloadImportsAsTheGroundTruth) {
  auto files = DownloadDuo(Options());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->size(), DuoFiles().size());
  for (const DownloadedFile& f : *files) {
    const std::string file = f.name + ".csv";
    EXPECT_EQ(ReadFile(dir_ / "to" / file), ReadFile(dir_ / "served" / file)) << file;
    EXPECT_EQ(f.records, truth_.records.at(f.name)) << file;
    EXPECT_EQ(f.datastore_total, f.records) << file;
    EXPECT_EQ(ReadFile(dir_ / "to" / (file + ".count")), std::to_string(f.records) + "\n");
    EXPECT_FALSE(fs::exists(dir_ / "to" / (file + ".part"))) << file;
    EXPECT_EQ(f.attempts, 1);
    EXPECT_FALSE(f.resumed);
  }
  ImportOptions io;
  io.dir = (dir_ / "to").string();
  io.bestuur = truth_.bestuur;
  io.ref_date = truth_.ref_date;
  auto snapshot = ImportDuo(io);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  std::map<std::string, int64_t> counts;
  for (const Item& item : snapshot->items) {
    if (item.kind == "cohort") {
      ++counts["cohort"];
      continue;
    }
    ++counts[item.sector + " " + item.kind];
    ++counts[item.kind + " " + item.classification];
    if (item.ended) ++counts[item.kind + " ended"];
  }
  EXPECT_EQ(counts, truth_.counts);
  for (const auto& f : snapshot->files) EXPECT_EQ(f.records, truth_.records.at(f.name)) << f.name;

  // The sidecars written by the download are what the import checks its counts against.
  std::ofstream(dir_ / "to" / "aangeboden_nfo_opleidingen.csv.count", std::ios::trunc) << "1\n";
  auto refused = ImportDuo(io);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("aangeboden_nfo_opleidingen.csv: "));
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("expected 1 (from aangeboden_nfo_opleidingen.csv.count)"));
}

TEST_F(DownloadTest, ResumesAfterADroppedConnection) {
  SetFaults(R"({"nfo_opleidingen": "drop"})");
  auto o = Options();
  o.names = {"nfo_opleidingen"};
  auto files = DownloadDuo(o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 1u);
  EXPECT_TRUE((*files)[0].resumed);
  EXPECT_EQ((*files)[0].attempts, 2);
  EXPECT_EQ(ReadFile(dir_ / "to" / "nfo_opleidingen.csv"),
            ReadFile(dir_ / "served" / "nfo_opleidingen.csv"));
}

TEST_F(DownloadTest, ResumesAPartialFileLeftByAnEarlierRun) {
  const std::string full = ReadFile(dir_ / "served" / "ho_opleidingen.csv");
  std::ofstream(dir_ / "to" / "ho_opleidingen.csv.part", std::ios::binary)
      << full.substr(0, full.size() / 3);
  auto o = Options();
  o.names = {"ho_opleidingen"};
  auto files = DownloadDuo(o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_TRUE((*files)[0].resumed);
  EXPECT_EQ((*files)[0].attempts, 1);
  EXPECT_EQ(ReadFile(dir_ / "to" / "ho_opleidingen.csv"), full);
}

TEST_F(DownloadTest, RetriesAServerError) {
  SetFaults(R"({"onderwijslocaties": "500once"})");
  auto o = Options();
  o.names = {"onderwijslocaties"};
  auto files = DownloadDuo(o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ((*files)[0].attempts, 2);
  EXPECT_FALSE((*files)[0].resumed);
  EXPECT_EQ(ReadFile(dir_ / "to" / "onderwijslocaties.csv"),
            ReadFile(dir_ / "served" / "onderwijslocaties.csv"));
}

TEST_F(DownloadTest, GivesUpAfterTheRetries) {
  SetFaults(R"({"onderwijslocaties": "500once"})");
  auto o = Options();
  o.names = {"onderwijslocaties"};
  o.retries = 0;
  auto files = DownloadDuo(o);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(std::string(files.status().message()), HasSubstr("HTTP 500"));
  EXPECT_FALSE(fs::exists(dir_ / "to" / "onderwijslocaties.csv"));
}

TEST_F(DownloadTest, RefusesAWrongDatastoreCount) {
  SetFaults(R"({"aangeboden_nfo_opleiding_cohorten": "wrongcount"})");
  auto o = Options();
  o.names = {"aangeboden_nfo_opleiding_cohorten"};
  auto files = DownloadDuo(o);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kInvalidArgument);
  const int64_t n = truth_.records.at("aangeboden_nfo_opleiding_cohorten");
  EXPECT_THAT(std::string(files.status().message()),
              HasSubstr("aangeboden_nfo_opleiding_cohorten.csv: " + std::to_string(n) +
                        " records, expected " + std::to_string(n + 1) +
                        " (from the CKAN datastore_search total)"));
  EXPECT_FALSE(fs::exists(dir_ / "to" / "aangeboden_nfo_opleiding_cohorten.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "to" / "aangeboden_nfo_opleiding_cohorten.csv.part"));
  EXPECT_FALSE(fs::exists(dir_ / "to" / "aangeboden_nfo_opleiding_cohorten.csv.count"));
}

TEST_F(DownloadTest, RefusesATruncatedBodyShorterThanCkanSays) {
  SetFaults(R"({"aangeboden_ho_opleidingen": "truncate"})");
  auto o = Options();
  o.names = {"aangeboden_ho_opleidingen"};
  auto files = DownloadDuo(o);
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(std::string(files.status().message()), HasSubstr("aangeboden_ho_opleidingen.csv"));
  EXPECT_THAT(std::string(files.status().message()), HasSubstr("bytes"));
  EXPECT_FALSE(fs::exists(dir_ / "to" / "aangeboden_ho_opleidingen.csv"));
}

TEST_F(DownloadTest, RefusesATruncatedBodyWithoutAnySize) {
  SetFaults(R"({"aangeboden_ho_opleidingen": "truncate_nosize"})");
  auto o = Options();
  o.names = {"aangeboden_ho_opleidingen"};
  auto files = DownloadDuo(o);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(files.status().message()), HasSubstr("aangeboden_ho_opleidingen.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "to" / "aangeboden_ho_opleidingen.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "to" / "aangeboden_ho_opleidingen.csv.part"));
}

TEST_F(DownloadTest, AResourceMissingFromThePackageIsNotFound) {
  auto o = Options();
  o.names = {"no_such_file"};
  auto files = DownloadDuo(o);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(std::string(files.status().message()), HasSubstr("no_such_file"));
}

}  // namespace
}  // namespace ooapi::sync
