// Properties of the generic SQL adapter that hold for every database behind it.

#include <gtest/gtest.h>

#include <atomic>

#include "ooapi/adapters/builtin.h"
#include "ooapi/adapters/sql/sql_adapter.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/testing/backends.h"

namespace ooapi::testing {
namespace {

// Counts the statements that reach the database.
class CountingConnection final : public db::Connection {
 public:
  CountingConnection(db::ConnectionPtr inner, std::atomic<int>* count)
      : inner_(std::move(inner)), count_(count) {}
  StatusOr<db::ResultSet> Query(std::string_view sql, const std::vector<db::Value>& p) override {
    ++*count_;
    return inner_->Query(sql, p);
  }
  StatusOr<int64_t> Execute(std::string_view sql, const std::vector<db::Value>& p) override {
    ++*count_;
    return inner_->Execute(sql, p);
  }
  Status ExecuteScript(std::string_view sql) override { return inner_->ExecuteScript(sql); }
  db::Dialect dialect() const override { return inner_->dialect(); }
  bool Healthy() const override { return inner_->Healthy(); }

 private:
  db::ConnectionPtr inner_;
  std::atomic<int>* count_;
};

class SqlAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend_.setup.ok()) << backend_.setup.ToString();
    std::string path = backend_.file.path();
    auto pool = std::make_unique<db::Pool>(
        [this, path]() -> StatusOr<db::ConnectionPtr> {
          OOAPI_ASSIGN_OR_RETURN(auto c, adapters::sqlite::Open(path, {}));
          return db::ConnectionPtr(std::make_unique<CountingConnection>(std::move(c), &count_));
        },
        2, std::chrono::milliseconds(1000));
    auto a = adapters::sql::CreateSqlAdapter(std::move(pool));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    adapter_ = std::move(a).value();
  }

  // Statements run by `fn`.
  template <typename Fn>
  int Count(Fn&& fn) {
    int before = count_.load();
    fn();
    return count_.load() - before;
  }

  SqliteBackend backend_;
  std::atomic<int> count_{0};
  adapters::SisAdapterPtr adapter_;
};

TEST_F(SqlAdapterTest, APageCostsTheSameNumberOfQueriesWhateverItsSize) {
  adapters::ListQuery q;
  q.scope = adapters::Scope{adapters::ScopeKind::kEducationSpecification, kEspecId};
  auto list = [&](int64_t size) {
    q.page_size = size;
    auto page = adapter_->ListPrograms(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
  };
  int small = Count([&] { list(10); });
  int large = Count([&] { list(250); });
  EXPECT_EQ(small, large) << "no query per item";
  EXPECT_LE(large, 7);
  adapters::ListQuery offerings;
  offerings.scope = adapters::Scope{adapters::ScopeKind::kProgram, kOverrideProgramId};
  offerings.page_size = 10;
  int few = Count([&] { ASSERT_TRUE(adapter_->ListOfferings(offerings).ok()); });
  offerings.page_size = 250;
  int many = Count([&] { ASSERT_TRUE(adapter_->ListOfferings(offerings).ok()); });
  EXPECT_EQ(few, many);
}

TEST_F(SqlAdapterTest, ContractViolationsAreNamedAtStartUp) {
  adapters::sqlite::OpenOptions options;
  options.read_only = false;
  auto c = adapters::sqlite::Open(backend_.file.path(), options);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->ExecuteScript("ALTER TABLE programs DROP COLUMN rio_relevant").ok());
  Status s = adapters::sql::ValidateContract(**c);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("'programs' lacks column 'rio_relevant'"), std::string::npos)
      << s.message();
  ASSERT_TRUE((*c)->ExecuteScript("ALTER TABLE programs ADD COLUMN rio_relevant INTEGER").ok());
  ASSERT_TRUE(adapters::sql::ValidateContract(**c).ok());
  ASSERT_TRUE((*c)->ExecuteScript("DROP TABLE offering_costs").ok());
  s = adapters::sql::ValidateContract(**c);
  EXPECT_NE(s.message().find("offering_costs"), std::string::npos) << s.message();
}

TEST_F(SqlAdapterTest, MalformedSisDataIsAnInternalErrorNamingTheColumn) {
  adapters::sqlite::OpenOptions options;
  options.read_only = false;
  auto c = adapters::sqlite::Open(backend_.file.path(), options);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->Execute("UPDATE programs SET modes_of_delivery = 'online' WHERE program_id = ?",
                            {db::Text(kOverrideProgramId)})
                  .ok());
  auto p = adapter_->GetProgram(kOverrideProgramId, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInternal);
  EXPECT_NE(p.status().message().find("programs.modes_of_delivery"), std::string::npos);
}

TEST_F(SqlAdapterTest, ContractNamesAreConfigurableWithATablePrefix) {
  adapters::sqlite::OpenOptions options;
  options.read_only = false;
  auto c = adapters::sqlite::Open(backend_.file.path(), options);
  ASSERT_TRUE(c.ok());
  for (const char* table : {"organizations", "academic_sessions", "education_specifications",
                            "education_specification_periods", "programs", "program_periods",
                            "courses", "course_periods", "course_programs", "offerings",
                            "offering_costs", "texts", "other_codes"}) {
    ASSERT_TRUE(
        (*c)->ExecuteScript(std::string("CREATE VIEW sis_") + table + " AS SELECT * FROM " + table)
            .ok());
  }
  config::Config cfg = backend_.MakeConfig();
  cfg.sis.table_prefix = "sis_";
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  auto prefixed = registry.Create(cfg);
  ASSERT_TRUE(prefixed.ok()) << prefixed.status().ToString();
  adapters::ListQuery q;
  q.scope = adapters::Scope{adapters::ScopeKind::kProgram, kOverrideProgramId};
  auto offerings = (*prefixed)->ListOfferings(q);
  ASSERT_TRUE(offerings.ok()) << offerings.status().ToString();
  EXPECT_EQ(offerings->total_items, kFixtureOfferings);
  cfg.sis.table_prefix = "nope_";
  auto missing = registry.Create(cfg);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope_organizations"), std::string::npos)
      << missing.status().message();
}

TEST(SqliteAdapter, MissingFileIsUnavailableNamingThePath) {
  auto c = adapters::sqlite::Open("/nonexistent/dir/sis.db", {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(c.status().message().find("/nonexistent/dir/sis.db"), std::string::npos);
}

}  // namespace
}  // namespace ooapi::testing
