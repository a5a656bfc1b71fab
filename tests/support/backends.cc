#include "support/backends.h"

#include <unistd.h>

#include <atomic>

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

}  // namespace ooapi::testing
