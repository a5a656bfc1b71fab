#include "ooapi/testing/backends.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "ooapi/adapters/builtin.h"

namespace ooapi::testing {

TempFile::TempFile(const std::string& suffix) {
  static std::atomic<int> counter{0};
  path_ = (std::filesystem::temp_directory_path() /
           ("ooapi-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + suffix))
              .string();
  std::filesystem::remove(path_);
}

TempFile::~TempFile() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
  std::filesystem::remove(path_ + "-journal", ignored);
}

SqliteBackend::SqliteBackend() {
  adapters::sqlite::OpenOptions options;
  options.create = true;
  auto c = adapters::sqlite::Open(file.path(), options);
  if (!c.ok()) {
    setup = c.status();
    return;
  }
  setup = WriteFixture(**c);
}

config::Config SqliteBackend::MakeConfig() const {
  config::Config cfg;
  cfg.sis.adapter = "sqlite";
  cfg.sis.sqlite.path = file.path();
  return cfg;
}

StatusOr<adapters::SisAdapterPtr> SqliteBackend::CreateAdapter(int pool_size) {
  OOAPI_RETURN_IF_ERROR(setup);
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  config::Config cfg = MakeConfig();
  cfg.sis.pool_size = pool_size;
  return registry.Create(cfg);
}

namespace {

// The fixture as the sqlite adapter reads it. Built once per process: the fixture never changes,
// and writing it into SQLite is what makes a backend slow to set up.
StatusOr<SisData> ReadFixture() {
  SqliteBackend sqlite;
  OOAPI_ASSIGN_OR_RETURN(auto adapter, sqlite.CreateAdapter(1));
  return ReadSisData(*adapter);
}

}  // namespace

MemoryBackend::MemoryBackend() {
  static const auto* const kFixture = new StatusOr<SisData>(ReadFixture());
  if (!kFixture->ok()) {
    setup = kFixture->status();
    return;
  }
  data = **kFixture;
}

StatusOr<adapters::SisAdapterPtr> MemoryBackend::CreateAdapter(int /*unused*/) {
  OOAPI_RETURN_IF_ERROR(setup);
  return adapters::SisAdapterPtr(std::make_unique<MemorySisAdapter>(data, MemoryOrder::kSpec));
}

int TestPostgresPort() {
  const char* port = std::getenv("OOAPI_TEST_PG_PORT");
  return port == nullptr ? 0 : std::atoi(port);
}

namespace {

std::atomic<int> g_schema_counter{0};

config::Config PostgresConfig(const std::string& schema) {
  config::Config cfg;
  cfg.sis.adapter = "postgres";
  cfg.sis.postgres.host = "127.0.0.1";
  cfg.sis.postgres.port = TestPostgresPort();
  cfg.sis.postgres.database = "ooapi_test";
  cfg.sis.postgres.user = "ooapi";
  cfg.sis.postgres.sslmode = "disable";
  cfg.sis.postgres.schema = schema;
  return cfg;
}

}  // namespace

PostgresBackend::PostgresBackend() {
  if (TestPostgresPort() == 0) {
    setup = FailedPrecondition("no test PostgreSQL (run tests/run.sh, or set OOAPI_TEST_PG_PORT)");
    skip = std::getenv("OOAPI_TEST_REQUIRE_POSTGRES") == nullptr;
    return;
  }
  schema = "t" + std::to_string(getpid()) + "_" + std::to_string(g_schema_counter++);
  auto admin = OpenWritable();
  if (!admin.ok()) {
    setup = admin.status();
    return;
  }
  setup = (*admin)->ExecuteScript("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " +
                                  schema);
  if (setup.ok()) {
    setup = WriteFixture(**admin);
  }
  if (setup.ok()) {
    setup = (*admin)->ExecuteScript("ANALYZE");
  }
}

PostgresBackend::~PostgresBackend() {
  if (schema.empty()) {
    return;
  }
  auto admin = OpenWritable();
  if (admin.ok()) {
    (void)(*admin)->ExecuteScript("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }
}

config::Config PostgresBackend::MakeConfig() const { return PostgresConfig(schema); }

StatusOr<db::ConnectionPtr> PostgresBackend::OpenWritable() const {
  OOAPI_ASSIGN_OR_RETURN(auto options, adapters::postgres::OptionsFromConfig(MakeConfig()));
  options.read_only = false;
  return adapters::postgres::Open(options);
}

StatusOr<adapters::SisAdapterPtr> PostgresBackend::CreateAdapter(int pool_size) {
  OOAPI_RETURN_IF_ERROR(setup);
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  config::Config cfg = MakeConfig();
  cfg.sis.pool_size = pool_size;
  return registry.Create(cfg);
}

}  // namespace ooapi::testing
