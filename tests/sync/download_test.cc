// `rio download` against a fake CKAN server (tests/sync/fake_ckan.py) started by the test on
// 127.0.0.1, and in-process through a scripted transport; then the failure classification of the
// libcurl transport against one-connection servers on 127.0.0.1. No other address is contacted.
#include "ooapi/sync/rio/download.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "ooapi/http_client/http_client.h"
#include "ooapi/sync/rio/import.h"
#include "ooapi/testing/duo_generator.h"
#include "ooapi/testing/port_server.h"
#include "ooapi/testing/status_matchers.h"

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
    ASSERT_OK(truth);
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
  ASSERT_OK(files);
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
  ASSERT_OK(snapshot);
  EXPECT_EQ(ooapi::testing::ImportCounts(*snapshot), truth_.counts);
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
  ASSERT_OK(files);
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
  ASSERT_OK(files);
  EXPECT_TRUE((*files)[0].resumed);
  EXPECT_EQ((*files)[0].attempts, 1);
  EXPECT_EQ(ReadFile(dir_ / "to" / "ho_opleidingen.csv"), full);
}

TEST_F(DownloadTest, RetriesAServerError) {
  SetFaults(R"({"onderwijslocaties": "500once"})");
  auto o = Options();
  o.names = {"onderwijslocaties"};
  auto files = DownloadDuo(o);
  ASSERT_OK(files);
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

// In-process: `rio download` through a scripted transport, so that every fault is exact and
// repeatable and no server is needed.

using http_client::Failure;
using http_client::HttpRequest;
using http_client::HttpResponse;

// What the scripted CKAN does with one download request of a file.
enum class Fault {
  kNone,         // the whole (remaining) body, as a server honouring ranges sends it
  kCutHalfway,   // half the remaining body, then the connection breaks
  kStall,        // a quarter of the remaining body, then the stall limit ends the transfer
  kServerError,  // 503 with an error page
  kIgnoreRange,  // 200 and the whole body, whatever range was asked for
  kLongBody,     // the body and a stray line, without Content-Length
};

// What the download asked for.
struct SeenRequest {
  int64_t resume_from = 0;
  bool accept_compressed = false;
  int stall_timeout_s = 0;
  int timeout_s = 0;
  int max_redirects = 0;
};

// A CKAN in the test process: answers package_show and datastore_search for the files it holds,
// and each download of a file with the next fault scripted for it (kNone once none is left). Used
// from one thread.
class ScriptedCkan final : public http_client::Transport {
 public:
  static constexpr char kBase[] = "http://ckan.test";

  // `ckan_size` is the size package_show reports (-1: the real one).
  void AddFile(const std::string& name, std::string content, int64_t records,
               int64_t ckan_size = -1) {
    File& f = files_[name];
    f.ckan_size = ckan_size >= 0 ? ckan_size : static_cast<int64_t>(content.size());
    f.content = std::move(content);
    f.records = records;
  }
  void Script(const std::string& name, std::vector<Fault> faults) {
    files_.at(name).faults.assign(faults.begin(), faults.end());
  }
  const std::vector<SeenRequest>& downloads(const std::string& name) const {
    return files_.at(name).seen;
  }

  HttpResponse Perform(const HttpRequest& request) override {
    const std::string& url = request.url;
    if (url.find("/api/3/action/package_show?") != std::string::npos) return PackageShow();
    const std::string ds = "/api/3/action/datastore_search?resource_id=rid-";
    if (size_t at = url.find(ds); at != std::string::npos) {
      const std::string name = url.substr(at + ds.size(), url.find('&', at) - at - ds.size());
      return Json("{\"success\": true, \"result\": {\"total\": " +
                  std::to_string(files_.at(name).records) + "}}");
    }
    const std::string files = std::string(kBase) + "/files/";
    if (url.rfind(files, 0) == 0 && url.size() > files.size() + 4) {
      return Download(request, url.substr(files.size(), url.size() - files.size() - 4));
    }
    HttpResponse r;
    r.status = 404;
    return r;
  }

 private:
  struct File {
    std::string content;
    int64_t records = 0;
    int64_t ckan_size = 0;
    std::deque<Fault> faults;
    std::vector<SeenRequest> seen;
  };

  static HttpResponse Json(std::string body) {
    HttpResponse r;
    r.status = 200;
    r.content_type = "application/json";
    r.content_length = static_cast<int64_t>(body.size());
    r.body = std::move(body);
    return r;
  }

  HttpResponse PackageShow() const {
    std::string resources;
    for (const auto& [name, f] : files_) {
      if (!resources.empty()) resources += ",";
      resources += "{\"id\": \"rid-" + name + "\", \"name\": \"" + name + "\", \"url\": \"" +
                   kBase + "/files/" + name + ".csv\", \"size\": " + std::to_string(f.ckan_size) +
                   "}";
    }
    return Json("{\"success\": true, \"result\": {\"resources\": [" + resources + "]}}");
  }

  // Hands `body` to the request's sink in chunks, as a transfer would; false when the sink
  // stopped it.
  static bool Deliver(const HttpRequest& request, int status, std::string_view body,
                      HttpResponse* r) {
    for (size_t at = 0; at < body.size(); at += 1000) {
      if (!request.body_sink(status, body.substr(at, 1000))) {
        *r = HttpResponse();
        r->failure = Failure::kAborted;
        r->maybe_received = true;
        r->error = "the body sink stopped the transfer";
        return false;
      }
    }
    return true;
  }

  static HttpResponse Broken(Failure failure, std::string error) {
    HttpResponse r;
    r.failure = failure;
    r.maybe_received = true;
    r.error = std::move(error);
    return r;
  }

  HttpResponse Download(const HttpRequest& request, const std::string& name) {
    File& f = files_.at(name);
    f.seen.push_back({request.resume_from, request.accept_compressed, request.stall_timeout_s,
                      request.timeout_s, request.max_redirects});
    const Fault fault = f.faults.empty() ? Fault::kNone : f.faults.front();
    if (!f.faults.empty()) f.faults.pop_front();
    const auto size = static_cast<int64_t>(f.content.size());
    const int64_t from = fault == Fault::kIgnoreRange ? 0 : request.resume_from;
    HttpResponse r;
    if (fault == Fault::kServerError || from > size) {
      r.status = fault == Fault::kServerError ? 503 : 416;
      const std::string page = "<html>try again later</html>";
      if (Deliver(request, r.status, page, &r)) r.content_length = page.size();
      return r;
    }
    r.status = from > 0 ? 206 : 200;
    std::string body = f.content.substr(from);
    r.content_length = static_cast<int64_t>(body.size());
    if (fault == Fault::kCutHalfway || fault == Fault::kStall) {
      const size_t sent = fault == Fault::kCutHalfway ? body.size() / 2 : body.size() / 4;
      if (!Deliver(request, r.status, std::string_view(body).substr(0, sent), &r)) return r;
      return fault == Fault::kCutHalfway
                 ? Broken(Failure::kTransfer, "Recv failure: Connection reset by peer")
                 : Broken(Failure::kTimedOut, "Operation too slow");
    }
    if (fault == Fault::kLongBody) {
      body += "9999,stray,line\n";
      r.content_length = -1;
    }
    Deliver(request, r.status, body, &r);
    return r;
  }

  std::map<std::string, File> files_;
};

class ScriptedDownloadTest : public ::testing::Test {
 protected:
  static constexpr char kName[] = "onderwijslocaties";
  static constexpr int64_t kRecords = 400;

  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ooapi_rio_scripted_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    content_ = "code,naam,plaats\n";
    for (int i = 0; i < kRecords; ++i) {
      content_ += std::to_string(i) + ",Locatie " + std::to_string(i) + ",\"Plaats, " +
                  std::to_string(i % 7) + "\"\n";
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  DownloadOptions Options() {
    DownloadOptions o;
    o.to_dir = dir_.string();
    o.base_url = ScriptedCkan::kBase;
    o.names = {kName};
    o.retries = 3;
    o.retry_delay_ms = 1;
    o.stall_timeout_s = 7;
    o.transport = &ckan_;
    return o;
  }
  fs::path Path(const std::string& suffix) const {
    return dir_ / (std::string(kName) + ".csv" + suffix);
  }

  fs::path dir_;
  std::string content_;
  ScriptedCkan ckan_;
};

TEST_F(ScriptedDownloadTest, ATruncatedTransferResumesWhereItStopped) {
  ckan_.AddFile(kName, content_, kRecords);
  ckan_.Script(kName, {Fault::kCutHalfway});
  auto files = DownloadDuo(Options());
  ASSERT_OK(files);
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].attempts, 2);
  EXPECT_TRUE((*files)[0].resumed);
  EXPECT_EQ((*files)[0].bytes, static_cast<int64_t>(content_.size()));
  EXPECT_EQ((*files)[0].records, kRecords);
  EXPECT_EQ(ReadFile(Path("")), content_);
  EXPECT_EQ(ReadFile(Path(".count")), std::to_string(kRecords) + "\n");
  EXPECT_FALSE(fs::exists(Path(".part")));
  const auto& seen = ckan_.downloads(kName);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].resume_from, 0);
  EXPECT_TRUE(seen[0].accept_compressed);
  // The second request continues after the bytes the first one delivered, uncompressed so that
  // byte offsets mean something.
  EXPECT_EQ(seen[1].resume_from, static_cast<int64_t>(content_.size() / 2));
  EXPECT_FALSE(seen[1].accept_compressed);
}

TEST_F(ScriptedDownloadTest, AStalledTransferIsRetriedAndResumed) {
  ckan_.AddFile(kName, content_, kRecords);
  ckan_.Script(kName, {Fault::kStall, Fault::kStall});
  auto files = DownloadDuo(Options());
  ASSERT_OK(files);
  EXPECT_EQ((*files)[0].attempts, 3);
  EXPECT_TRUE((*files)[0].resumed);
  EXPECT_EQ(ReadFile(Path("")), content_);
  const auto& seen = ckan_.downloads(kName);
  ASSERT_EQ(seen.size(), 3u);
  // A file has no whole-request limit; only the stall limit ends a dead transfer.
  EXPECT_EQ(seen[0].stall_timeout_s, 7);
  EXPECT_EQ(seen[0].timeout_s, 0);
  EXPECT_GT(seen[0].max_redirects, 0);
  EXPECT_GT(seen[2].resume_from, seen[1].resume_from);
}

TEST_F(ScriptedDownloadTest, AServerErrorIsRetriedAndItsPageIsNotTheFile) {
  ckan_.AddFile(kName, content_, kRecords);
  ckan_.Script(kName, {Fault::kServerError});
  auto files = DownloadDuo(Options());
  ASSERT_OK(files);
  EXPECT_EQ((*files)[0].attempts, 2);
  EXPECT_FALSE((*files)[0].resumed);
  EXPECT_EQ(ReadFile(Path("")), content_);
}

TEST_F(ScriptedDownloadTest, AServerIgnoringTheRangeStartsTheFileOver) {
  ckan_.AddFile(kName, content_, kRecords);
  ckan_.Script(kName, {Fault::kIgnoreRange});
  std::ofstream(Path(".part"), std::ios::binary) << "not a prefix of the file";
  auto files = DownloadDuo(Options());
  ASSERT_OK(files);
  EXPECT_EQ((*files)[0].attempts, 1);
  EXPECT_FALSE((*files)[0].resumed);
  EXPECT_EQ(ReadFile(Path("")), content_);
  EXPECT_EQ(ckan_.downloads(kName)[0].resume_from, 24);
}

TEST_F(ScriptedDownloadTest, ABodyLongerThanCkanSaysIsRefusedAndNothingIsLeft) {
  ckan_.AddFile(kName, content_, kRecords);
  ckan_.Script(kName, {Fault::kLongBody});
  auto files = DownloadDuo(Options());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kInvalidArgument);
  const std::string size = std::to_string(content_.size());
  const std::string got = std::to_string(content_.size() + std::strlen("9999,stray,line\n"));
  EXPECT_THAT(files.status().message(),
              HasSubstr(std::string(kName) + ".csv: " + got + " bytes, expected " + size));
  EXPECT_THAT(files.status().message(), HasSubstr("refused"));
  EXPECT_FALSE(fs::exists(Path("")));
  EXPECT_FALSE(fs::exists(Path(".part")));
  EXPECT_FALSE(fs::exists(Path(".count")));
}

TEST_F(ScriptedDownloadTest, ASizeOtherThanCkansIsRefusedAndTheEarlierFileStays) {
  const int64_t ckan_size = static_cast<int64_t>(content_.size()) - 7;
  ckan_.AddFile(kName, content_, kRecords, ckan_size);
  std::ofstream(Path(""), std::ios::binary) << "code\n1\n";
  std::ofstream(Path(".count"), std::ios::binary) << "1\n";
  auto files = DownloadDuo(Options());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(files.status().message(),
              HasSubstr(std::string(kName) + ".csv: the server announces " +
                        std::to_string(content_.size()) + " bytes, CKAN's resource size is " +
                        std::to_string(ckan_size)));
  // The refused download replaced nothing: the earlier file and its count are as they were.
  EXPECT_EQ(ReadFile(Path("")), "code\n1\n");
  EXPECT_EQ(ReadFile(Path(".count")), "1\n");
}

TEST_F(ScriptedDownloadTest, AfterTheRetriesOnlyThePartFileIsKept) {
  ckan_.AddFile(kName, content_, kRecords);
  ckan_.Script(kName, {Fault::kCutHalfway, Fault::kStall, Fault::kCutHalfway});
  auto o = Options();
  o.retries = 2;
  auto files = DownloadDuo(o);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(files.status().message(),
              HasSubstr(std::string(kName) + ".csv: not downloaded after 3 attempts"));
  EXPECT_THAT(files.status().message(), HasSubstr("Connection reset by peer"));
  EXPECT_THAT(files.status().message(), HasSubstr(".part is kept for the next run to resume"));
  EXPECT_FALSE(fs::exists(Path("")));
  EXPECT_FALSE(fs::exists(Path(".count")));
  const std::string part = ReadFile(Path(".part"));
  EXPECT_GT(part.size(), 0u);
  EXPECT_LT(part.size(), content_.size());
  EXPECT_EQ(content_.substr(0, part.size()), part);

  // The next run resumes it.
  auto again = DownloadDuo(Options());
  ASSERT_OK(again);
  EXPECT_TRUE((*again)[0].resumed);
  EXPECT_EQ(ReadFile(Path("")), content_);
}

TEST_F(ScriptedDownloadTest, AFileThatCannotBeWrittenIsNotRetried) {
  ckan_.AddFile(kName, content_, kRecords);
  fs::create_directories(Path(".part"));  // fopen fails on it
  auto files = DownloadDuo(Options());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(files.status().message(),
              HasSubstr(std::string(kName) + ".csv: " + Path(".part").string() + ": "));
  EXPECT_EQ(ckan_.downloads(kName).size(), 1u);
  EXPECT_FALSE(fs::exists(Path("")));
}

// ---------------------------------------------------------------------------------------------
// The libcurl transport: how its failures are classified, what it sends, against servers on
// 127.0.0.1 in this process.

// Accepts one connection on 127.0.0.1, reads one request, sends `reply`, then waits up to `hold`
// for the client to close before closing itself.
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply,
                         std::chrono::milliseconds hold = std::chrono::milliseconds(0)) {
    listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(listen_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listen_, 1) != 0 ||
        ::getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1: " << std::strerror(errno);
      return;
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, reply = std::move(reply), hold] { Serve(reply, hold); });
  }
  ~OneShotServer() {
    Join();
    if (listen_ >= 0) ::close(listen_);
  }
  OneShotServer(const OneShotServer&) = delete;
  OneShotServer& operator=(const OneShotServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/file.csv"; }
  // Waits until the server is done; returns the request it read.
  std::string Join() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  void Serve(const std::string& reply, std::chrono::milliseconds hold) {
    pollfd p{listen_, POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1) return;
    const int fd = ::accept(listen_, nullptr, nullptr);
    if (fd < 0) return;
    char buffer[4096];
    while (request_.find("\r\n\r\n") == std::string::npos) {
      pollfd q{fd, POLLIN, 0};
      if (::poll(&q, 1, 10000) != 1) break;
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      request_.append(buffer, static_cast<size_t>(n));
    }
    for (size_t sent = 0; sent < reply.size();) {
      const ssize_t n = ::send(fd, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    const auto until = std::chrono::steady_clock::now() + hold;
    for (;;) {  // until the client closes or `hold` is over
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      pollfd q{fd, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&q, 1, static_cast<int>(left.count())) != 1) break;
      if (::recv(fd, buffer, sizeof(buffer), 0) <= 0) break;
    }
    ::close(fd);
  }

  int listen_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_;
};

// The chunks a body sink received, and the statuses it was given.
struct Received {
  std::string body;
  std::vector<int> statuses;
  http_client::BodySink Sink() {
    return [this](int status, std::string_view chunk) {
      body.append(chunk);
      statuses.push_back(status);
      return true;
    };
  }
};

TEST(CurlTransportTest, ARefusedConnectionIsNotSent) {
  // Bound but not listening: a connection to it is refused, and the port stays ours meanwhile.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  const HttpResponse r = http_client::Perform(request);
  ::close(fd);
  EXPECT_EQ(r.failure, Failure::kNotSent);
  EXPECT_FALSE(r.maybe_received);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error, "");
}

TEST(CurlTransportTest, ABodyCutShortMayHaveBeenReceived) {
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n" +
                       std::string(40, 'x'));
  Received received;
  HttpRequest request;
  request.url = server.url();
  request.body_sink = received.Sink();
  const HttpResponse r = http_client::Transport::Default()->Perform(request);
  EXPECT_EQ(r.failure, Failure::kTransfer) << r.error;
  EXPECT_TRUE(r.maybe_received);
  EXPECT_EQ(r.status, 0);
  // What arrived before the break reached the sink, which is what a download resumes after.
  EXPECT_EQ(received.body, std::string(40, 'x'));
  EXPECT_THAT(received.statuses, ::testing::Each(200L));
}

TEST(CurlTransportTest, AStalledBodyTimesOut) {
  // Headers, then a body that never comes. (Bytes that did arrive keep libcurl's speed, averaged
  // over several seconds, above the limit for a while; none makes the test quick.)
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n",
                       std::chrono::seconds(30));
  HttpRequest request;
  request.url = server.url();
  request.timeout_s = 0;
  request.stall_timeout_s = 1;
  const auto start = std::chrono::steady_clock::now();
  const HttpResponse r = http_client::Perform(request);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  EXPECT_EQ(r.failure, Failure::kTimedOut) << r.error;
  EXPECT_TRUE(r.maybe_received);
  EXPECT_EQ(r.status, 0);
}

TEST(CurlTransportTest, AResumeAsksForARangeAndTakesAWholeBodyToo) {
  OneShotServer server(
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/csv\r\n"
      "Connection: close\r\n\r\nhello");
  Received received;
  HttpRequest request;
  request.url = server.url();
  request.resume_from = 10;
  request.body_sink = received.Sink();
  const HttpResponse r = http_client::Perform(request);
  const std::string sent = server.Join();
  EXPECT_EQ(r.failure, Failure::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_length, 5);
  EXPECT_EQ(r.content_type, "text/csv");
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(received.body, "hello");
  EXPECT_THAT(sent, HasSubstr("\r\nRange: bytes=10-\r\n"));
  EXPECT_THAT(sent, HasSubstr("\r\nUser-Agent: ooapi-endpoint sync\r\n"));
  EXPECT_THAT(sent, ::testing::Not(HasSubstr("Accept-Encoding")));
}

TEST(CurlTransportTest, AcceptCompressedOffersEncodings) {
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  HttpRequest request;
  request.url = server.url();
  request.accept_compressed = true;
  request.user_agent = "ooapi-endpoint rio download";
  const HttpResponse r = http_client::Perform(request);
  const std::string sent = server.Join();
  EXPECT_EQ(r.failure, Failure::kNone) << r.error;
  EXPECT_EQ(r.body, "ok");
  EXPECT_THAT(sent, HasSubstr("\r\nAccept-Encoding: "));
  EXPECT_THAT(sent, HasSubstr("\r\nUser-Agent: ooapi-endpoint rio download\r\n"));
}

TEST(CurlTransportTest, RedirectsAreNotFollowedByDefault) {
  OneShotServer server(
      "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n"
      "Connection: close\r\n\r\n");
  HttpRequest request;
  request.url = server.url();
  const HttpResponse r = http_client::Perform(request);
  EXPECT_EQ(r.failure, Failure::kNone) << r.error;
  EXPECT_EQ(r.status, 302);
}

TEST(CurlTransportTest, ASinkThatStopsAbortsTheTransfer) {
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  HttpRequest request;
  request.url = server.url();
  int calls = 0;
  request.body_sink = [&calls](int, std::string_view) {
    ++calls;
    return false;
  };
  const HttpResponse r = http_client::Perform(request);
  EXPECT_EQ(r.failure, Failure::kAborted);
  EXPECT_TRUE(r.maybe_received);
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.error, HasSubstr("sink"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace ooapi::sync
