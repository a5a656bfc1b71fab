// Behaviour specific to the postgres driver: timeouts, read-only sessions, secrets in messages.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PostgresDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OOAPI_SKIP_OR_ASSERT_READY(backend_);
  }
  PostgresBackend backend_;
};

TEST_F(PostgresDriverTest, AStatementPastTheTimeoutIsDeadlineExceeded) {
  ASSERT_OK_AND_ASSIGN(auto options, adapters::postgres::OptionsFromConfig(backend_.MakeConfig()));
  options.statement_timeout_ms = 100;
  ASSERT_OK_AND_ASSIGN(auto c, adapters::postgres::Open(options));
  EXPECT_THAT(c->Query("SELECT pg_sleep(2)", {}), StatusIs(StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(c->Healthy()) << "a cancelled statement leaves the connection usable";
  EXPECT_OK(c->Query("SELECT 1 AS one", {}));
}

TEST_F(PostgresDriverTest, ServingSessionsAreReadOnly) {
  ASSERT_OK_AND_ASSIGN(auto options, adapters::postgres::OptionsFromConfig(backend_.MakeConfig()));
  ASSERT_OK_AND_ASSIGN(auto c, adapters::postgres::Open(options));
  ASSERT_THAT(c->Execute("DELETE FROM programs", {}), Not(IsOk()))
      << "the endpoint never writes to the SIS";
  ASSERT_OK_AND_ASSIGN(auto count, c->Query("SELECT COUNT(*) AS n FROM programs", {}));
  EXPECT_EQ(db::Row(count, 0).Int("n"), kFixturePrograms + 0);
}

TEST_F(PostgresDriverTest, PlaceholdersInsideStringLiteralsAreLeftAlone) {
  ASSERT_OK_AND_ASSIGN(auto c, backend_.OpenWritable());
  ASSERT_OK_AND_ASSIGN(auto r, c->Query("SELECT 'why?' AS q, ? AS v", {db::Text("x")}));
  EXPECT_EQ(db::Row(r, 0).Text("q"), "why?");
  EXPECT_EQ(db::Row(r, 0).Text("v"), "x");
}

TEST_F(PostgresDriverTest, AReadOnABrokenConnectionIsRetriedOnAFreshOne) {
  // A pool of one connection with its own application_name, so only it is terminated.
  ASSERT_OK_AND_ASSIGN(auto options, adapters::postgres::OptionsFromConfig(backend_.MakeConfig()));
  options.application_name = "ooapi-retry-" + backend_.schema;
  auto pool = std::make_unique<db::Pool>([o = options] { return adapters::postgres::Open(o); }, 1,
                                         std::chrono::seconds(2));
  pool->set_dialect(db::Dialect::kPostgres);
  ASSERT_OK_AND_ASSIGN(auto adapter, adapters::sql::CreateSqlAdapter(std::move(pool)));
  ASSERT_OK(adapter->GetProgram(kOverrideProgramId, {}));
  ASSERT_OK_AND_ASSIGN(auto admin, backend_.OpenWritable());
  ASSERT_OK_AND_ASSIGN(
      auto killed,
      admin->Query(
          "SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = ?",
          {db::Text(options.application_name)}));
  ASSERT_EQ(killed.size(), 1u) << "the adapter's one connection was terminated";
  EXPECT_OK(adapter->GetProgram(kOverrideProgramId, {})) << "retried on a fresh connection";
}

TEST(PostgresSecrets, ThePasswordNeverAppearsInAMessage) {
  const std::string secret = "s3cr3t-Pa55word";
  adapters::postgres::ConnectOptions options;
  options.conninfo = "host=127.0.0.1 port=1 dbname=sis user=ooapi";
  options.password = secret;
  options.connect_timeout_s = 1;
  EXPECT_THAT(adapters::postgres::Open(options),
              StatusIs(StatusCode::kUnavailable, Not(HasSubstr(secret))));
  options.conninfo = "postgresql://ooapi@127.0.0.1:1/sis";
  EXPECT_THAT(adapters::postgres::Open(options),
              StatusIs(Not(StatusCode::kOk), Not(HasSubstr(secret))));
}

TEST(PostgresSecrets, PasswordFileAndEnvironmentVariable) {
  TempFile file(".pw");
  {
    std::FILE* f = std::fopen(file.path().c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("from-file\nsecond line ignored\n", f);
    std::fclose(f);
  }
  config::Config cfg;
  cfg.sis.postgres.password_file = file.path();
  ASSERT_OK_AND_ASSIGN(auto o, adapters::postgres::OptionsFromConfig(cfg));
  EXPECT_EQ(o.password, "from-file");
  EXPECT_EQ(o.conninfo.find("from-file"), std::string::npos) << "not in the connection string";
  cfg.sis.postgres.password_file = "/nonexistent/pw";
  EXPECT_THAT(adapters::postgres::OptionsFromConfig(cfg),
              StatusIs(Not(StatusCode::kOk), HasSubstr("sis.postgres.password_file")));
  cfg.sis.postgres.password_file.clear();
  cfg.sis.postgres.password_env = "OOAPI_TEST_PG_PASSWORD_FOR_TEST";
  setenv("OOAPI_TEST_PG_PASSWORD_FOR_TEST", "from-env", 1);
  ASSERT_OK_AND_ASSIGN(o, adapters::postgres::OptionsFromConfig(cfg));
  EXPECT_EQ(o.password, "from-env");
  unsetenv("OOAPI_TEST_PG_PASSWORD_FOR_TEST");
  cfg.sis.postgres.schema = "x; DROP TABLE y";
  EXPECT_THAT(adapters::postgres::OptionsFromConfig(cfg), Not(IsOk()))
      << "schema must be an identifier";
}

}  // namespace
}  // namespace ooapi::testing
