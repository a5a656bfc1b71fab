#pragma once
// The SIS backends the adapter conformance and HTTP suites run against. Adding an adapter means
// adding a Backend here and one line to the typed-test list (CONTRIBUTING.md).

#include <filesystem>
#include <memory>
#include <string>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/adapters/sql/sql_adapter.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/config/config.h"
#include "support/fixture.h"

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

struct SqliteBackend {
  static constexpr const char* kName = "sqlite";
  // Writes the fixture into a fresh database and returns an adapter over it.
  SqliteBackend();
  StatusOr<adapters::SisAdapterPtr> CreateAdapter(int pool_size = 4);
  config::Config MakeConfig() const;

  TempFile file{".db"};
  Status setup;
};

}  // namespace ooapi::testing
