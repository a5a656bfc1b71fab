// The same demo institution served from SQLite and from PostgreSQL answers byte for byte the same:
// a crawl over every collection, every entity and every sub-collection compares both APIs.

#include <gtest/gtest.h>

#include <deque>
#include <set>

#include "ooapi/adapters/builtin.h"
#include "ooapi/common/json.h"
#include "ooapi/demo/demo.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::testing {
namespace {

endpoint::HttpResponse Fetch(const endpoint::Api& api, const std::string& target) {
  endpoint::HttpRequest r;
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    r.query = endpoint::SplitQueryString(target.substr(q + 1));
  }
  return api.Handle(r);
}

// Follows a collection's pages and the ids of its items, like the SURF validator's spider.
class Crawler {
 public:
  explicit Crawler(const endpoint::Api& api) : api_(api) {}

  void Add(const std::string& target) {
    if (seen_.insert(target).second) {
      queue_.push_back(target);
    }
  }

  // Returns the targets visited, in order, with their responses.
  std::vector<std::pair<std::string, endpoint::HttpResponse>> Run() {
    std::vector<std::pair<std::string, endpoint::HttpResponse>> out;
    while (!queue_.empty()) {
      std::string target = queue_.front();
      queue_.pop_front();
      endpoint::HttpResponse resp = Fetch(api_, target);
      Follow(target, resp);
      out.emplace_back(target, std::move(resp));
    }
    return out;
  }

 private:
  void Follow(const std::string& target, const endpoint::HttpResponse& resp) {
    rapidjson::Document d;
    d.Parse(resp.body.c_str());
    if (resp.status != 200 || !d.IsObject() || !d.HasMember("items")) {
      return;
    }
    if (d["hasNextPage"].GetBool()) {
      std::string base = target.substr(0, target.find("&pageNumber="));
      Add(base + "&pageNumber=" + std::to_string(d["pageNumber"].GetInt() + 1));
    }
    for (const auto& item : d["items"].GetArray()) {
      auto id = [&](const char* key) {
        return item.HasMember(key) ? std::string(item[key].GetString()) : std::string();
      };
      if (auto v = id("educationSpecificationId"); !v.empty()) {
        std::string b = "/education-specifications/" + v;
        Add(b + "?returnTimelineOverrides=true");
        Add(b + "/education-specifications?pageSize=250");
        Add(b + "/programs?pageSize=250");
        Add(b + "/courses?pageSize=250");
      } else if (auto p = id("programId"); !p.empty()) {
        std::string b = "/programs/" + p;
        Add(b + "?returnTimelineOverrides=true");
        Add(b + "/offerings?pageSize=250&consumer=rio");
        Add(b + "/programs?pageSize=250");
        Add(b + "/courses?pageSize=250");
      } else if (auto c = id("courseId"); !c.empty()) {
        Add("/courses/" + c + "?returnTimelineOverrides=true");
        Add("/courses/" + c + "/offerings?pageSize=250&consumer=rio");
      } else if (auto o = id("offeringId"); !o.empty()) {
        Add("/offerings/" + o);
      } else if (auto g = id("organizationId"); !g.empty()) {
        std::string b = "/organizations/" + g;
        Add(b);
        Add(b + "/programs?pageSize=250");
        Add(b + "/courses?pageSize=250");
        Add(b + "/offerings?pageSize=250");
        Add(b + "/education-specifications?pageSize=250");
      } else if (auto a = id("academicSessionId"); !a.empty()) {
        Add("/academic-sessions/" + a);
        Add("/academic-sessions/" + a + "/offerings?pageSize=250");
      }
    }
  }

  const endpoint::Api& api_;
  std::set<std::string> seen_;
  std::deque<std::string> queue_;
};

TEST(Parity, SmallDemoAnswersByteIdenticallyOnSqliteAndPostgres) {
  PostgresBackend pg;  // provides the schema; its fixture is replaced by the demo below
  OOAPI_SKIP_OR_ASSERT_READY(pg);
  demo::DemoOptions options;
  options.seed = 7;
  options.today = "2026-11-01";

  TempFile file(".db");
  {
    adapters::sqlite::OpenOptions open;
    open.create = true;
    auto c = adapters::sqlite::Open(file.path(), open);
    ASSERT_OK(c);
    auto written = demo::WriteDemo(**c, options);
    ASSERT_OK(written);
  }
  {
    auto c = pg.OpenWritable();
    ASSERT_OK(c);
    ASSERT_TRUE(
        (*c)->ExecuteScript("DROP SCHEMA " + pg.schema + " CASCADE; CREATE SCHEMA " + pg.schema)
            .ok());
    auto written = demo::WriteDemo(**c, options);
    ASSERT_OK(written);
    ASSERT_OK((*c)->ExecuteScript("ANALYZE"));
  }

  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  config::Config sqlite_config;
  sqlite_config.sis.sqlite.path = file.path();
  auto lite = registry.Create(sqlite_config);
  auto post = registry.Create(pg.MakeConfig());
  ASSERT_OK(lite);
  ASSERT_OK(post);
  endpoint::Api lite_api(lite->get(), {});
  endpoint::Api pg_api(post->get(), {});

  Crawler crawler(lite_api);
  for (const char* seed : {"/", "/organizations?pageSize=250", "/academic-sessions?pageSize=250",
                           "/education-specifications?pageSize=250", "/programs?pageSize=250",
                           "/courses?pageSize=250", "/programs?pageSize=100&sort=-name,programId",
                           "/courses?pageSize=50&consumer=rio&sort=-courseId"}) {
    crawler.Add(seed);
  }
  auto visited = crawler.Run();
  ASSERT_GT(visited.size(), 1500u) << "the crawl reached the whole demo";
  size_t differences = 0;
  for (const auto& [target, expected] : visited) {
    endpoint::HttpResponse actual = Fetch(pg_api, target);
    EXPECT_EQ(actual.status, expected.status) << target;
    if (actual.body != expected.body && ++differences <= 5) {
      ADD_FAILURE() << target << "\n sqlite:   " << expected.body.substr(0, 400)
                    << "\n postgres: " << actual.body.substr(0, 400);
    }
  }
  EXPECT_EQ(differences, 0u) << "of " << visited.size() << " responses";
  std::printf("parity: %zu responses compared\n", visited.size());
}

}  // namespace
}  // namespace ooapi::testing
