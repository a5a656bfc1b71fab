// The real Pistache server bound to port 0: transport behaviour that Api::Handle cannot show.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "ooapi/common/log.h"
#include "ooapi/common/strings.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/endpoint/http_server.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/forwarding_adapter.h"
#include "ooapi/testing/status_matchers.h"
#include "ooapi/testing/test_http_client.h"

namespace ooapi::testing {
namespace {

// GetProgram can be made to block until released, to hold a request in flight.
class GatedAdapter final : public ForwardingAdapter {
 public:
  using ForwardingAdapter::ForwardingAdapter;
  void Close() { gate_closed_ = true; }
  void Open() { gate_closed_ = false; }
  bool waiting() const { return waiting_; }

  StatusOr<adapters::Program> GetProgram(std::string_view id,
                                         const adapters::GetOptions& o) override {
    waiting_ = true;
    while (gate_closed_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    waiting_ = false;
    return inner_->GetProgram(id, o);
  }

 private:
  std::atomic<bool> gate_closed_{false};
  std::atomic<bool> waiting_{false};
};

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = backend_.CreateAdapter();
    ASSERT_OK(a);
    adapter_ = std::move(a).value();
    gated_ = std::make_unique<GatedAdapter>(adapter_.get());
    api_ = std::make_unique<endpoint::Api>(gated_.get(), endpoint::ApiOptions{});
    config::ServerConfig cfg;
    cfg.port = 0;
    cfg.threads = 2;
    cfg.max_request_bytes = 4096;
    server_ = std::make_unique<endpoint::HttpServer>(cfg, false, api_.get());
    Status s = server_->Start();
    ASSERT_OK(s);
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }
  void TearDown() override {
    if (gated_) {
      gated_->Open();
    }
    server_.reset();
  }

  SqliteBackend backend_;
  adapters::SisAdapterPtr adapter_;
  std::unique_ptr<GatedAdapter> gated_;
  std::unique_ptr<endpoint::Api> api_;
  std::unique_ptr<endpoint::HttpServer> server_;
  uint16_t port_ = 0;
};

TEST_F(HttpTest, Http11KeepsTheConnectionOpenWithoutAConnectionHeader) {
  HttpConnection c(port_);
  ASSERT_TRUE(c.connected());
  auto first = c.Get("/programs");
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.Header("connection"), "Close") << "HTTP/1.1 is persistent by default";
  EXPECT_NE(first.Header("content-type").find("application/json"), std::string::npos);
  auto second = c.Get(std::string("/programs/") + kOverrideProgramId);
  EXPECT_EQ(second.status, 200) << "the same connection serves a second request";
}

TEST_F(HttpTest, ClientAskingForCloseGetsClose) {
  HttpConnection c(port_);
  auto r = c.Get("/programs", "Connection: close\r\n");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(ToLowerAscii(r.Header("connection")), "close");
}

TEST_F(HttpTest, ErrorsAreProblemJson) {
  auto missing = HttpGet(port_, std::string("/programs/") + kUnknownId);
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.Header("content-type").find("application/problem+json"), std::string::npos);
  EXPECT_NE(missing.body.find("\"status\":\"404\""), std::string::npos);
  auto unknown_path = HttpGet(port_, "/nope");
  EXPECT_EQ(unknown_path.status, 404);
  EXPECT_NE(unknown_path.Header("content-type").find("application/problem+json"),
            std::string::npos);
  auto bad = HttpGet(port_, "/programs?pageSize=12");
  EXPECT_EQ(bad.status, 400);
  HttpConnection c(port_);
  auto post = c.Exchange("POST /programs HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("allow"), "GET");
}

TEST_F(HttpTest, QueryAndPathArePercentDecoded) {
  auto r = HttpGet(port_, "/programs?pageSize=%32%35%30");  // "250"
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"pageSize\":250"), std::string::npos);
  std::string path = std::string("/programs/") + kOverrideProgramId;
  path.replace(path.find('-'), 1, "%2d");
  EXPECT_EQ(HttpGet(port_, path).status, 200);
}

TEST_F(HttpTest, OversizedRequestIsRefused) {
  auto r = HttpGet(port_, "/programs", "X-Big: " + std::string(8000, 'a') + "\r\n");
  EXPECT_EQ(r.status, 413);
}

TEST_F(HttpTest, DrainLetsInFlightRequestsFinish) {
  gated_->Close();
  auto in_flight = std::async(std::launch::async, [this] {
    return HttpGet(port_, std::string("/programs/") + kOverrideProgramId);
  });
  for (int i = 0; i < 400 && !gated_->waiting(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(gated_->waiting()) << "the request reached the adapter";
  auto drained =
      std::async(std::launch::async, [this] { return server_->Drain(std::chrono::seconds(10)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // While draining, new requests are refused with 503 and Connection: close.
  auto refused = HttpGet(port_, "/programs");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(ToLowerAscii(refused.Header("connection")), "close");
  gated_->Open();
  auto response = in_flight.get();
  EXPECT_EQ(response.status, 200) << "the in-flight request completed during the drain";
  EXPECT_NE(response.body.find(kOverrideProgramId), std::string::npos);
  EXPECT_EQ(drained.get(), 0);
}

TEST_F(HttpTest, AccessLogIsOneJsonLinePerRequest) {
  std::vector<std::string> lines;
  std::mutex m;
  log::SetSinkForTest([&](const std::string& line) {
    std::lock_guard<std::mutex> lock(m);
    lines.push_back(line);
  });
  config::ServerConfig cfg;
  cfg.port = 0;
  endpoint::HttpServer logged(cfg, true, api_.get());
  ASSERT_OK(logged.Start());
  EXPECT_EQ(HttpGet(logged.port(), "/programs?pageSize=20").status, 200);
  logged.Shutdown();
  log::SetSinkForTest(nullptr);
  std::lock_guard<std::mutex> lock(m);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"event\":\"access\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"status\":200"), std::string::npos);
  EXPECT_NE(lines[0].find("\"method\":\"GET\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"trace_id\""), std::string::npos);
}

}  // namespace
}  // namespace ooapi::testing
