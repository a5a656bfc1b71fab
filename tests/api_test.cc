// Routing, parameter parsing and error mapping of Api::Handle, over the sqlite fixture.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "ooapi/common/json.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/forwarding_adapter.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::testing {
namespace {

using endpoint::HttpRequest;
using endpoint::HttpResponse;

// Runs on every backend: the HTTP suite must behave the same on sqlite and postgres.
template <typename Backend>
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OOAPI_SKIP_OR_ASSERT_READY(backend_);
    auto a = backend_.CreateAdapter();
    ASSERT_OK(a);
    adapter_ = std::move(a).value();
    api_ = std::make_unique<endpoint::Api>(adapter_.get(), endpoint::ApiOptions{});
  }

  HttpResponse Get(const std::string& target, const std::string& accept = "") {
    HttpRequest r;
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      r.query = endpoint::SplitQueryString(target.substr(q + 1));
    }
    if (!accept.empty()) {
      r.headers.emplace_back("accept", accept);
    }
    return api_->Handle(r);
  }

  static rapidjson::Document Parse(const HttpResponse& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    EXPECT_FALSE(d.HasParseError()) << r.body;
    return d;
  }

  // Asserts a problem+json answer with the given status whose detail mentions `needle`.
  void ExpectProblem(const HttpResponse& r, int status, const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto d = Parse(r);
    ASSERT_TRUE(d.IsObject());
    EXPECT_STREQ(d["status"].GetString(), std::to_string(status).c_str())
        << "v5 problem status is a string";
    EXPECT_NE(std::string(d["detail"].GetString()).find(needle), std::string::npos)
        << d["detail"].GetString();
  }

  Backend backend_;
  adapters::SisAdapterPtr adapter_;
  std::unique_ptr<endpoint::Api> api_;
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
TYPED_TEST_SUITE(ApiTest, Backends);

const std::string kPrograms = std::string("/education-specifications/") + kEspecId + "/programs";

TYPED_TEST(ApiTest, ServiceListsServedPaths) {
  auto r = this->Get("/");
  ASSERT_EQ(r.status, 200);
  auto d = this->Parse(r);
  EXPECT_TRUE(d.HasMember("contactEmail"));
  const auto& paths = d["ext"]["paths"];
  std::vector<std::string> list;
  for (const auto& p : paths.GetArray()) {
    list.emplace_back(p.GetString());
  }
  for (const char* expected :
       {"/education-specifications/{educationSpecificationId}/education-specifications",
        "/programs/{programId}/offerings", "/courses/{courseId}/offerings",
        "/offerings/{offeringId}", "/organizations/{organizationId}/education-specifications",
        "/academic-sessions/{academicSessionId}/offerings"}) {
    EXPECT_NE(std::find(list.begin(), list.end(), expected), list.end()) << expected;
  }
}

TYPED_TEST(ApiTest, PageSizeMustBeASpecValue) {
  EXPECT_EQ(this->Get(kPrograms + "?pageSize=250").status, 200);
  this->ExpectProblem(this->Get(kPrograms + "?pageSize=25"), 400, "pageSize");
  this->ExpectProblem(this->Get(kPrograms + "?pageSize=10abc"), 400, "pageSize");
  this->ExpectProblem(this->Get(kPrograms + "?pageSize="), 400, "pageSize");
}

TYPED_TEST(ApiTest, PageNumberIsOneBasedAndPastTheEndIsEmpty) {
  this->ExpectProblem(this->Get(kPrograms + "?pageNumber=0"), 400, "pageNumber");
  this->ExpectProblem(this->Get(kPrograms + "?pageNumber=x"), 400, "pageNumber");
  auto past = this->Get(kPrograms + "?pageNumber=99");
  ASSERT_EQ(past.status, 200);
  auto d = this->Parse(past);
  EXPECT_EQ(d["items"].Size(), 0u);
  EXPECT_EQ(d["pageNumber"].GetInt(), 99);
  EXPECT_FALSE(d["hasNextPage"].GetBool());
  auto page2 = this->Parse(this->Get(kPrograms + "?pageNumber=2"));
  EXPECT_EQ(page2["items"].Size(), 10u);
  EXPECT_TRUE(page2["hasPreviousPage"].GetBool());
  EXPECT_TRUE(page2["hasNextPage"].GetBool());
  EXPECT_EQ(page2["totalPages"].GetInt(), 3);
}

TYPED_TEST(ApiTest, DefaultPageSizeIsTen) {
  auto d = this->Parse(this->Get(kPrograms));
  EXPECT_EQ(d["pageSize"].GetInt(), 10);
  EXPECT_EQ(d["items"].Size(), 10u);
}

TYPED_TEST(ApiTest, ConsumerRioFiltersIrrelevantItems) {
  auto all = this->Parse(this->Get(kPrograms + "?pageSize=250"));
  auto rio = this->Parse(this->Get(kPrograms + "?pageSize=250&consumer=rio"));
  EXPECT_EQ(all["items"].Size(), static_cast<size_t>(kFixturePrograms));
  EXPECT_EQ(rio["items"].Size(), static_cast<size_t>(kFixtureRioPrograms));
  auto other = this->Parse(this->Get(kPrograms + "?pageSize=250&consumer=eduxchange"));
  EXPECT_EQ(other["items"].Size(), static_cast<size_t>(kFixturePrograms))
      << "other consumers are not filtered";
}

TYPED_TEST(ApiTest, SortAcceptsSpecValuesAndPrefix) {
  auto d = this->Parse(this->Get(kPrograms + "?pageSize=250&sort=-name"));
  EXPECT_STREQ(d["items"][0]["programId"].GetString(), kNotRioProgramId);
  this->ExpectProblem(this->Get(kPrograms + "?sort=startDate"), 400, "sort");
  this->ExpectProblem(this->Get(kPrograms + "?sort=name,-name"), 400, "twice");
}

TYPED_TEST(ApiTest, TimelineOverridesOnRequest) {
  std::string base = std::string("/programs/") + kOverrideProgramId;
  EXPECT_FALSE(this->Parse(this->Get(base)).HasMember("timelineOverrides"));
  auto d = this->Parse(this->Get(base + "?returnTimelineOverrides=true"));
  ASSERT_TRUE(d.HasMember("timelineOverrides"));
  EXPECT_STREQ(d["timelineOverrides"][0]["program"]["abbreviation"].GetString(), "OUD");
  this->ExpectProblem(this->Get(base + "?returnTimelineOverrides=yes"), 400,
                      "returnTimelineOverrides");
}

TYPED_TEST(ApiTest, OfferingWindowIsAConfigChoice) {
  const std::string offerings =
      std::string("/programs/") + kOverrideProgramId + "/offerings?pageSize=250";
  auto count = [&](endpoint::Api& api) {
    HttpRequest r;
    r.path = offerings.substr(0, offerings.find('?'));
    r.query = endpoint::SplitQueryString("pageSize=250");
    rapidjson::Document d;
    d.Parse(api.Handle(r).body.c_str());
    return d["items"].Size();
  };
  endpoint::ApiOptions all;
  endpoint::Api all_api(this->adapter_.get(), all);
  EXPECT_EQ(count(all_api), static_cast<size_t>(kFixtureOfferings)) << "default: every offering";
  endpoint::ApiOptions spec;
  spec.offering_window = "spec";
  spec.today = [] { return std::string("2026-01-01"); };
  endpoint::Api spec_api(this->adapter_.get(), spec);
  EXPECT_EQ(count(spec_api), 6u) << "OOAPI's default since=<today>: starts 2026..2030";
  // An explicit since or until replaces the default window.
  HttpRequest r;
  r.path = offerings.substr(0, offerings.find('?'));
  r.query = endpoint::SplitQueryString("pageSize=250&since=2020-01-01");
  rapidjson::Document d;
  d.Parse(spec_api.Handle(r).body.c_str());
  EXPECT_EQ(d["items"].Size(), static_cast<size_t>(kFixtureOfferings));
}

TYPED_TEST(ApiTest, UnknownParametersAreIgnored) {
  EXPECT_EQ(this->Get("/programs?utm_source=x").status, 200);
}

TYPED_TEST(ApiTest, IdsAreValidatedAndUppercaseIsAccepted) {
  this->ExpectProblem(this->Get("/programs/not-a-uuid"), 400, "programId");
  this->ExpectProblem(this->Get(std::string("/programs/") + kUnknownId), 404, kUnknownId);
  std::string upper = kOverrideProgramId;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  auto r = this->Get("/programs/" + upper);
  ASSERT_EQ(r.status, 200);
  EXPECT_STREQ(this->Parse(r)["programId"].GetString(), kOverrideProgramId) << "ids are lowercase";
}

TYPED_TEST(ApiTest, SubCollectionOfUnknownParentIs404) {
  this->ExpectProblem(this->Get(std::string("/programs/") + kUnknownId + "/offerings"), 404,
                      kUnknownId);
}

TYPED_TEST(ApiTest, PercentEncodedPathsAndTrailingSlash) {
  std::string encoded = std::string("/programs/") + kOverrideProgramId;
  encoded.replace(encoded.find('-'), 1, "%2D");
  EXPECT_EQ(this->Get(encoded).status, 200);
  EXPECT_EQ(this->Get("/programs/").status, 200);
  this->ExpectProblem(this->Get("/programmes"), 404, "no such path");
  this->ExpectProblem(this->Get("//programs"), 404, "no such path");
}

TYPED_TEST(ApiTest, MethodOtherThanGetIs405) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/programs";
  auto resp = this->api_->Handle(r);
  EXPECT_EQ(resp.status, 405);
  EXPECT_EQ(resp.content_type, "application/problem+json");
  ASSERT_EQ(resp.headers.size(), 1u);
  EXPECT_EQ(resp.headers[0].second, "GET");
}

TYPED_TEST(ApiTest, AcceptHeaderNegotiation) {
  for (const char* ok : {"application/json", "application/json; version=5", "*/*", "application/*",
                         "text/html, application/json;q=0.9"}) {
    EXPECT_EQ(this->Get("/programs", ok).status, 200) << ok;
  }
  EXPECT_EQ(this->Get("/programs").status, 200) << "no Accept header";
  for (const char* refused : {"text/html", "application/xml", "application/json; version=6",
                              "application/vnd.oeapi+json; version=6"}) {
    this->ExpectProblem(this->Get("/programs", refused), 406, "Accept");
  }
}

TYPED_TEST(ApiTest, OfferingListsAreChronologicalWithPriceAndRioConsumer) {
  auto d = this->Parse(this->Get(std::string("/programs/") + kOverrideProgramId +
                                 "/offerings?pageSize=250&consumer=rio"));
  ASSERT_EQ(d["items"].Size(), static_cast<size_t>(kFixtureOfferings));
  const auto& first = d["items"][0];
  EXPECT_STREQ(first["startDate"].GetString(), "2020-09-01");
  EXPECT_STREQ(first["offeringType"].GetString(), "program");
  EXPECT_STREQ(first["priceInformation"][0]["costType"].GetString(), "total costs");
  EXPECT_STREQ(first["consumers"][0]["requiredPermissionRegistration"].GetString(), "no");
}

TYPED_TEST(ApiTest, HealthEndpoints) {
  EXPECT_EQ(this->Get("/health/live").status, 200);
  EXPECT_EQ(this->Get("/health/ready").status, 200);
}

// No query parameter that OOAPI 5.0.0 defines on a served operation is silently ignored: with an
// empty value each one is refused with 400 naming it (an ignored parameter would answer 200).
// The operations and their parameters come from the bundled spec of the conformance kit.
TEST(SpecParameters, EveryDefinedParameterOfEveryServedPathIsHandled) {
  const char* kit = std::getenv("OOAPI_KIT_DIR");
  std::string spec_path =
      std::string(kit != nullptr ? kit : OOAPI_SOURCE_DIR "/../shared/ooapi") + "/ooapi-v5.json";
  std::ifstream in(spec_path);
  ASSERT_TRUE(in) << "the OOAPI kit is not at " << spec_path << " (set OOAPI_KIT_DIR)";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  rapidjson::Document spec;
  spec.Parse(text.c_str());
  ASSERT_FALSE(spec.HasParseError());

  SqliteBackend backend;
  auto adapter = backend.CreateAdapter();
  ASSERT_OK(adapter);
  endpoint::Api api(adapter->get(), {});
  int checked = 0;
  for (const std::string& path : api.Paths()) {
    ASSERT_TRUE(spec["paths"].HasMember(path.c_str())) << path << " is not an OOAPI path";
    const auto& op = spec["paths"][path.c_str()]["get"];
    const std::string concrete = WithFixtureIds(path);
    if (!op.HasMember("parameters")) {
      continue;
    }
    for (const auto& param_ref : op["parameters"].GetArray()) {
      const rapidjson::Value* param = &param_ref;
      if (param->HasMember("$ref")) {  // "#/components/parameters/x"
        std::string ref = (*param)["$ref"].GetString();
        param = &spec["components"]["parameters"][ref.substr(ref.rfind('/') + 1).c_str()];
      }
      if (std::string((*param)["in"].GetString()) != "query") {
        continue;
      }
      const std::string name = (*param)["name"].GetString();
      HttpRequest r;
      r.path = concrete;
      r.query = {{name, ""}};
      auto resp = api.Handle(r);
      EXPECT_EQ(resp.status, 400) << path << "?" << name << "= was not refused: " << resp.body;
      EXPECT_NE(resp.body.find(name), std::string::npos)
          << path << " " << name << ": " << resp.body;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100) << "parameters checked";
}

// An adapter whose SIS fails with a given Status.
class FailingAdapter final : public ForwardingAdapter {
 public:
  FailingAdapter(adapters::SisAdapter* inner, Status failure)
      : ForwardingAdapter(inner), failure_(std::move(failure)) {}
  StatusOr<adapters::Program> GetProgram(std::string_view, const adapters::GetOptions&) override {
    return failure_;
  }
  StatusOr<adapters::Page<adapters::Program>> ListPrograms(const adapters::ListQuery&) override {
    return failure_;
  }
  Status CheckReady() override { return failure_; }

 private:
  Status failure_;
};

TYPED_TEST(ApiTest, FailingDatabaseIs503AndInternalDetailsNeverLeak) {
  const std::string secret = "connection to server at 10.0.0.7 failed: password for user sis";
  for (StatusCode code : {StatusCode::kUnavailable, StatusCode::kDeadlineExceeded}) {
    FailingAdapter failing(this->adapter_.get(), Status(code, secret));
    endpoint::Api api(&failing, endpoint::ApiOptions{});
    for (const char* path : {"/programs", "/health/ready"}) {
      HttpRequest r;
      r.path = path;
      auto resp = api.Handle(r);
      EXPECT_EQ(resp.status, 503) << path;
      EXPECT_EQ(resp.content_type, "application/problem+json");
      EXPECT_EQ(resp.body.find("10.0.0.7"), std::string::npos) << resp.body;
    }
  }
  FailingAdapter broken(this->adapter_.get(),
                        Internal("SELECT * FROM programs: syntax error near x"));
  endpoint::Api api(&broken, endpoint::ApiOptions{});
  HttpRequest r;
  r.path = std::string("/programs/") + kOverrideProgramId;
  auto resp = api.Handle(r);
  EXPECT_EQ(resp.status, 500);
  EXPECT_EQ(resp.body.find("SELECT"), std::string::npos) << "SQL never reaches a client";
  EXPECT_NE(resp.body.find("\"status\":\"500\""), std::string::npos);
}

}  // namespace
}  // namespace ooapi::testing
