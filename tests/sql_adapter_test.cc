// Properties of the generic SQL adapter that hold for every database behind it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "ooapi/adapters/builtin.h"
#include "ooapi/adapters/sql/sql_adapter.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::testing {
namespace {

using ::testing::HasSubstr;

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
    ASSERT_OK(backend_.setup);
    std::string path = backend_.file.path();
    auto pool = std::make_unique<db::Pool>(
        [this, path]() -> StatusOr<db::ConnectionPtr> {
          OOAPI_ASSIGN_OR_RETURN(auto c, adapters::sqlite::Open(path, {}));
          return db::ConnectionPtr(std::make_unique<CountingConnection>(std::move(c), &count_));
        },
        2, std::chrono::milliseconds(1000));
    ASSERT_OK_AND_ASSIGN(adapter_, adapters::sql::CreateSqlAdapter(std::move(pool)));
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
    ASSERT_OK(adapter_->ListPrograms(q));
  };
  int small = Count([&] { list(10); });
  int large = Count([&] { list(250); });
  EXPECT_EQ(small, large) << "no query per item";
  EXPECT_LE(large, 7);
  adapters::ListQuery offerings;
  offerings.scope = adapters::Scope{adapters::ScopeKind::kProgram, kOverrideProgramId};
  offerings.page_size = 10;
  int few = Count([&] { ASSERT_OK(adapter_->ListOfferings(offerings)); });
  offerings.page_size = 250;
  int many = Count([&] { ASSERT_OK(adapter_->ListOfferings(offerings)); });
  EXPECT_EQ(few, many);
}

TEST_F(SqlAdapterTest, ContractViolationsAreNamedAtStartUp) {
  adapters::sqlite::OpenOptions options;
  options.read_only = false;
  ASSERT_OK_AND_ASSIGN(auto c, adapters::sqlite::Open(backend_.file.path(), options));
  ASSERT_OK(c->ExecuteScript("ALTER TABLE programs DROP COLUMN rio_relevant"));
  EXPECT_THAT(adapters::sql::ValidateContract(*c),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("'programs' lacks column 'rio_relevant'")));
  ASSERT_OK(c->ExecuteScript("ALTER TABLE programs ADD COLUMN rio_relevant INTEGER"));
  ASSERT_OK(adapters::sql::ValidateContract(*c));
  ASSERT_OK(c->ExecuteScript("DROP TABLE offering_costs"));
  EXPECT_THAT(adapters::sql::ValidateContract(*c),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("offering_costs")));
}

TEST_F(SqlAdapterTest, MalformedSisDataIsAnInternalErrorNamingTheColumn) {
  adapters::sqlite::OpenOptions options;
  options.read_only = false;
  ASSERT_OK_AND_ASSIGN(auto c, adapters::sqlite::Open(backend_.file.path(), options));
  ASSERT_OK(c->Execute("UPDATE programs SET modes_of_delivery = 'online' WHERE program_id = ?",
                       {db::Text(kOverrideProgramId)}));
  EXPECT_THAT(adapter_->GetProgram(kOverrideProgramId, {}),
              StatusIs(StatusCode::kInternal, HasSubstr("programs.modes_of_delivery")));
}

TEST_F(SqlAdapterTest, ContractNamesAreConfigurableWithATablePrefix) {
  adapters::sqlite::OpenOptions options;
  options.read_only = false;
  ASSERT_OK_AND_ASSIGN(auto c, adapters::sqlite::Open(backend_.file.path(), options));
  for (const char* table : {"organizations", "academic_sessions", "education_specifications",
                            "education_specification_periods", "programs", "program_periods",
                            "courses", "course_periods", "course_programs", "offerings",
                            "offering_costs", "texts", "other_codes"}) {
    ASSERT_OK(
        c->ExecuteScript(std::string("CREATE VIEW sis_") + table + " AS SELECT * FROM " + table));
  }
  config::Config cfg = backend_.MakeConfig();
  cfg.sis.table_prefix = "sis_";
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  ASSERT_OK_AND_ASSIGN(auto prefixed, registry.Create(cfg));
  adapters::ListQuery q;
  q.scope = adapters::Scope{adapters::ScopeKind::kProgram, kOverrideProgramId};
  ASSERT_OK_AND_ASSIGN(auto offerings, prefixed->ListOfferings(q));
  EXPECT_EQ(offerings.total_items, kFixtureOfferings);
  cfg.sis.table_prefix = "nope_";
  EXPECT_THAT(registry.Create(cfg),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("nope_organizations")));
}

TEST(SqliteAdapter, MissingFileIsUnavailableNamingThePath) {
  EXPECT_THAT(adapters::sqlite::Open("/nonexistent/dir/sis.db", {}),
              StatusIs(StatusCode::kUnavailable, HasSubstr("/nonexistent/dir/sis.db")));
}

}  // namespace
}  // namespace ooapi::testing
