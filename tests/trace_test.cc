// W3C traceparent: parsing, continuing or starting a trace, the echo in the
// response and the ids in the access log line, on the real server bound to port 0.

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "ooapi/common/log.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/endpoint/http_server.h"
#include "ooapi/endpoint/trace.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"
#include "ooapi/testing/test_http_client.h"

namespace ooapi::testing {
namespace {

using endpoint::ParseTraceParent;

constexpr const char* kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kParentId = "00f067aa0ba902b7";
const std::string kValid = std::string("00-") + kTraceId + "-" + kParentId + "-01";

bool IsLowerHex(const std::string& s, size_t length) {
  if (s.size() != length) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return s != std::string(length, '0');
}

TEST(TraceParentTest, ParsesTheSpecExample) {
  auto parsed = ParseTraceParent(kValid);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->trace_id, kTraceId);
  EXPECT_EQ(parsed->parent_id, kParentId);
  EXPECT_EQ(parsed->flags, "01");
  EXPECT_EQ(ParseTraceParent(std::string("00-") + kTraceId + "-" + kParentId + "-00")->flags, "00");
}

TEST(TraceParentTest, RejectsMalformedValues) {
  const std::string zero_trace =
      std::string("00-") + std::string(32, '0') + "-" + kParentId + "-01";
  const std::string zero_parent =
      std::string("00-") + kTraceId + "-" + std::string(16, '0') + "-01";
  for (const std::string& bad :
       {std::string(""), std::string("garbage"), zero_trace, zero_parent,
        std::string("00-4BF92F3577B34DA6A3CE929D0E0E4736-") + kParentId + "-01",  // upper case
        std::string("ff-") + kTraceId + "-" + kParentId + "-01",  // forbidden version
        std::string("0x-") + kTraceId + "-" + kParentId + "-01",
        kValid + "-extra",  // 00 is exactly 55
        kValid.substr(0, 54), std::string("00_") + kValid.substr(3),
        std::string("00-") + kTraceId + "-" + kParentId + "-0g",
        std::string("00-") + std::string(kTraceId).substr(1) + "-" + kParentId + "-011"}) {
    EXPECT_FALSE(ParseTraceParent(bad).has_value()) << bad;
  }
}

TEST(TraceParentTest, LaterVersionsAreReadByTheirFirstFields) {
  auto parsed = ParseTraceParent(std::string("cc-") + kTraceId + "-" + kParentId + "-03-what");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->trace_id, kTraceId);
  EXPECT_EQ(parsed->flags, "01") << "only the sampled bit is kept";
  EXPECT_FALSE(
      ParseTraceParent(std::string("cc-") + kTraceId + "-" + kParentId + "-03x").has_value());
}

TEST(TraceContextTest, ContinuesAValidTraceWithANewSpan) {
  const endpoint::TraceContext a = endpoint::StartSpan(&kValid);
  EXPECT_EQ(a.trace_id, kTraceId);
  EXPECT_EQ(a.parent_id, kParentId);
  EXPECT_EQ(a.flags, "01");
  EXPECT_TRUE(IsLowerHex(a.span_id, 16));
  EXPECT_NE(a.span_id, kParentId);
  EXPECT_EQ(a.TraceParentHeader(), std::string("00-") + kTraceId + "-" + a.span_id + "-01");
  EXPECT_NE(endpoint::StartSpan(&kValid).span_id, a.span_id) << "a new span per request";
}

TEST(TraceContextTest, StartsANewTraceWhenAbsentOrMalformed) {
  const std::string malformed = "00-xyz";
  for (const std::string* header : {static_cast<const std::string*>(nullptr), &malformed}) {
    const endpoint::TraceContext t = endpoint::StartSpan(header);
    EXPECT_TRUE(IsLowerHex(t.trace_id, 32)) << t.trace_id;
    EXPECT_TRUE(IsLowerHex(t.span_id, 16)) << t.span_id;
    EXPECT_TRUE(t.parent_id.empty());
    EXPECT_EQ(t.flags, "00");
    EXPECT_TRUE(ParseTraceParent(t.TraceParentHeader()).has_value());
  }
  EXPECT_NE(endpoint::NewTraceId(), endpoint::NewTraceId());
}

class TraceServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetSinkForTest([this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (line.find("\"event\":\"access\"") != std::string::npos) access_.push_back(line);
    });
    auto a = backend_.CreateAdapter();
    ASSERT_OK(a);
    adapter_ = std::move(a).value();
    api_ = std::make_unique<endpoint::Api>(adapter_.get(), endpoint::ApiOptions{});
    config::ServerConfig cfg;
    cfg.port = 0;
    server_ = std::make_unique<endpoint::HttpServer>(cfg, true, api_.get());
    ASSERT_OK(server_->Start());
    port_ = server_->port();
  }
  void TearDown() override {
    server_.reset();
    log::SetSinkForTest(nullptr);
  }
  // The access lines written so far (the server is shut down first, so all are in).
  std::vector<std::string> Access() {
    server_->Shutdown();
    std::lock_guard<std::mutex> lock(mutex_);
    return access_;
  }

  SqliteBackend backend_;
  adapters::SisAdapterPtr adapter_;
  std::unique_ptr<endpoint::Api> api_;
  std::unique_ptr<endpoint::HttpServer> server_;
  uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<std::string> access_;  // guarded by mutex_
};

TEST_F(TraceServerTest, EchoesTheCallersTraceWithOurSpan) {
  auto r = HttpGet(port_, "/programs", "traceparent: " + kValid + "\r\n");
  ASSERT_EQ(r.status, 200);
  auto echoed = ParseTraceParent(r.Header("traceparent"));
  ASSERT_TRUE(echoed.has_value()) << r.Header("traceparent");
  EXPECT_EQ(echoed->trace_id, kTraceId);
  EXPECT_NE(echoed->parent_id, kParentId) << "our own span id";
  EXPECT_EQ(echoed->flags, "01");
  const auto access = Access();
  ASSERT_EQ(access.size(), 1u);
  EXPECT_NE(access[0].find(std::string("\"trace_id\":\"") + kTraceId + "\""), std::string::npos)
      << access[0];
  EXPECT_NE(access[0].find("\"span_id\":\"" + echoed->parent_id + "\""), std::string::npos);
  EXPECT_NE(access[0].find(std::string("\"parent_id\":\"") + kParentId + "\""), std::string::npos);
  for (const char* field : {"\"method\":\"GET\"", "\"path\":\"/programs\"", "\"status\":200",
                            "\"duration_ms\":", "\"client\":\"\""}) {
    EXPECT_NE(access[0].find(field), std::string::npos) << field << " in " << access[0];
  }
}

TEST_F(TraceServerTest, ErrorsCarryTheTraceToo) {
  auto r =
      HttpGet(port_, std::string("/programs/") + kUnknownId, "traceparent: " + kValid + "\r\n");
  EXPECT_EQ(r.status, 404);
  ASSERT_TRUE(ParseTraceParent(r.Header("traceparent")).has_value());
  EXPECT_EQ(ParseTraceParent(r.Header("traceparent"))->trace_id, kTraceId);
}

TEST_F(TraceServerTest, NewTraceWhenAbsentOrMalformed) {
  auto absent = HttpGet(port_, "/programs");
  auto malformed = HttpGet(port_, "/programs",
                           "traceparent: 00-" + std::string(32, '0') + "-" + kParentId + "-01\r\n");
  std::vector<std::string> trace_ids;
  for (const RawResponse* r : {&absent, &malformed}) {
    ASSERT_EQ(r->status, 200);
    auto made = ParseTraceParent(r->Header("traceparent"));
    ASSERT_TRUE(made.has_value()) << r->Header("traceparent");
    EXPECT_EQ(made->flags, "00");
    EXPECT_NE(made->trace_id, std::string(32, '0'));
    trace_ids.push_back(made->trace_id);
  }
  EXPECT_NE(trace_ids[0], trace_ids[1]);
  const auto access = Access();
  ASSERT_EQ(access.size(), 2u);
  for (const std::string& trace_id : trace_ids) {  // lines may be written in either order
    size_t found = 0;
    for (const std::string& line : access) {
      if (line.find("\"trace_id\":\"" + trace_id + "\"") != std::string::npos) ++found;
    }
    EXPECT_EQ(found, 1u) << trace_id;
  }
  for (const std::string& line : access) {
    EXPECT_EQ(line.find("parent_id"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace ooapi::testing
