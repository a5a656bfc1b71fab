// Behaviour specific to the postgres driver: timeouts, read-only sessions, secrets in messages.

#include <gtest/gtest.h>

#include "ooapi/testing/backends.h"

namespace ooapi::testing {
namespace {

class PostgresDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (backend_.skip) {
      GTEST_SKIP() << backend_.setup.message();
    }
    ASSERT_TRUE(backend_.setup.ok()) << backend_.setup.ToString();
  }
  PostgresBackend backend_;
};

TEST_F(PostgresDriverTest, AStatementPastTheTimeoutIsDeadlineExceeded) {
  auto options = adapters::postgres::OptionsFromConfig(backend_.MakeConfig());
  ASSERT_TRUE(options.ok());
  options->statement_timeout_ms = 100;
  auto c = adapters::postgres::Open(*options);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto slow = (*c)->Query("SELECT pg_sleep(2)", {});
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.status().code(), StatusCode::kDeadlineExceeded) << slow.status().ToString();
  EXPECT_TRUE((*c)->Healthy()) << "a cancelled statement leaves the connection usable";
  EXPECT_TRUE((*c)->Query("SELECT 1 AS one", {}).ok());
}

TEST_F(PostgresDriverTest, ServingSessionsAreReadOnly) {
  auto options = adapters::postgres::OptionsFromConfig(backend_.MakeConfig());
  ASSERT_TRUE(options.ok());
  auto c = adapters::postgres::Open(*options);
  ASSERT_TRUE(c.ok());
  auto write = (*c)->Execute("DELETE FROM programs", {});
  ASSERT_FALSE(write.ok()) << "the endpoint never writes to the SIS";
  auto count = (*c)->Query("SELECT COUNT(*) AS n FROM programs", {});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(db::Row(*count, 0).Int("n"), kFixturePrograms + 0);
}

TEST_F(PostgresDriverTest, PlaceholdersInsideStringLiteralsAreLeftAlone) {
  auto c = backend_.OpenWritable();
  ASSERT_TRUE(c.ok());
  auto r = (*c)->Query("SELECT 'why?' AS q, ? AS v", {db::Text("x")});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(db::Row(*r, 0).Text("q"), "why?");
  EXPECT_EQ(db::Row(*r, 0).Text("v"), "x");
}

TEST_F(PostgresDriverTest, AReadOnABrokenConnectionIsRetriedOnAFreshOne) {
  // A pool of one connection with its own application_name, so only it is terminated.
  auto options = adapters::postgres::OptionsFromConfig(backend_.MakeConfig());
  ASSERT_TRUE(options.ok());
  options->application_name = "ooapi-retry-" + backend_.schema;
  auto pool = std::make_unique<db::Pool>([o = *options] { return adapters::postgres::Open(o); }, 1,
                                         std::chrono::seconds(2));
  pool->set_dialect(db::Dialect::kPostgres);
  auto adapter = adapters::sql::CreateSqlAdapter(std::move(pool));
  ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
  ASSERT_TRUE((*adapter)->GetProgram(kOverrideProgramId, {}).ok());
  auto admin = backend_.OpenWritable();
  ASSERT_TRUE(admin.ok());
  auto killed = (*admin)->Query(
      "SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = ?",
      {db::Text(options->application_name)});
  ASSERT_TRUE(killed.ok()) << killed.status().ToString();
  ASSERT_EQ(killed->size(), 1u) << "the adapter's one connection was terminated";
  auto again = (*adapter)->GetProgram(kOverrideProgramId, {});
  EXPECT_TRUE(again.ok()) << "retried on a fresh connection: " << again.status().ToString();
}

TEST(PostgresSecrets, ThePasswordNeverAppearsInAMessage) {
  const std::string secret = "s3cr3t-Pa55word";
  adapters::postgres::ConnectOptions options;
  options.conninfo = "host=127.0.0.1 port=1 dbname=sis user=ooapi";
  options.password = secret;
  options.connect_timeout_s = 1;
  auto c = adapters::postgres::Open(options);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(c.status().message().find(secret), std::string::npos) << c.status().message();
  options.conninfo = "postgresql://ooapi@127.0.0.1:1/sis";
  c = adapters::postgres::Open(options);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().find(secret), std::string::npos) << c.status().message();
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
  auto o = adapters::postgres::OptionsFromConfig(cfg);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->password, "from-file");
  EXPECT_EQ(o->conninfo.find("from-file"), std::string::npos) << "not in the connection string";
  cfg.sis.postgres.password_file = "/nonexistent/pw";
  auto missing = adapters::postgres::OptionsFromConfig(cfg);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("sis.postgres.password_file"), std::string::npos);
  cfg.sis.postgres.password_file.clear();
  cfg.sis.postgres.password_env = "OOAPI_TEST_PG_PASSWORD_FOR_TEST";
  setenv("OOAPI_TEST_PG_PASSWORD_FOR_TEST", "from-env", 1);
  o = adapters::postgres::OptionsFromConfig(cfg);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->password, "from-env");
  unsetenv("OOAPI_TEST_PG_PASSWORD_FOR_TEST");
  cfg.sis.postgres.schema = "x; DROP TABLE y";
  EXPECT_FALSE(adapters::postgres::OptionsFromConfig(cfg).ok()) << "schema must be an identifier";
}

}  // namespace
}  // namespace ooapi::testing
