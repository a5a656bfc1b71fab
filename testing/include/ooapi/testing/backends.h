#pragma once
// The SIS backends the adapter conformance and HTTP suites run against. Adding an adapter means
// adding a Backend here and one line to the typed-test list (CONTRIBUTING.md).

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "ooapi/adapters/postgres/postgres.h"
#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/adapters/sql/sql_adapter.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/config/config.h"
#include "ooapi/testing/fixture.h"
#include "ooapi/testing/memory_sis_adapter.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::testing {

// A unique temporary file path; the file is removed by the destructor.
class TempFile {
 public:
  explicit TempFile(const std::string& suffix);
  ~TempFile();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Every backend: `setup` is OK once the fixture is written; `skip` is set (with setup not OK) when
// the backend's server is not available here and OOAPI_TEST_REQUIRE_POSTGRES is not set.
struct SqliteBackend {
  static constexpr const char* kName = "sqlite";
  // Writes the fixture into a fresh database and returns an adapter over it.
  SqliteBackend();
  StatusOr<adapters::SisAdapterPtr> CreateAdapter(int pool_size = 4);
  config::Config MakeConfig() const;

  TempFile file{".db"};
  Status setup;
  bool skip = false;
};

// A fresh schema in the throwaway cluster of tests/pg_cluster.sh (OOAPI_TEST_PG_PORT), dropped by
// the destructor.
struct PostgresBackend {
  static constexpr const char* kName = "postgres";
  PostgresBackend();
  ~PostgresBackend();
  StatusOr<adapters::SisAdapterPtr> CreateAdapter(int pool_size = 4);
  config::Config MakeConfig() const;
  // A writable connection to this backend's schema (for tests that write data).
  StatusOr<db::ConnectionPtr> OpenWritable() const;

  std::string schema;
  Status setup;
  bool skip = false;
};

// The fixture served from memory by MemorySisAdapter (MemoryOrder::kSpec): every entity of a
// fixture-filled SQLite database as the sqlite adapter reads it, timeline overrides included
// (ReadSisData). No database behind it, so no MakeConfig(): suites that need SQL cannot take it.
struct MemoryBackend {
  static constexpr const char* kName = "memory";
  MemoryBackend();
  // `pool_size` is ignored (for the suites' common signature); each call serves a copy of `data`.
  StatusOr<adapters::SisAdapterPtr> CreateAdapter(int pool_size = 4);

  SisData data;
  Status setup;
  bool skip = false;
};

// The test cluster's port, or 0 when none is configured.
int TestPostgresPort();

}  // namespace ooapi::testing

// In a test's body or SetUp: skips the test when `backend`'s server is not available here (its
// `skip`), otherwise asserts that its fixture was written (its `setup`).
#define OOAPI_SKIP_OR_ASSERT_READY(backend)                        \
  do {                                                             \
    if ((backend).skip) GTEST_SKIP() << (backend).setup.message(); \
    ASSERT_OK((backend).setup);                                    \
  } while (0)
