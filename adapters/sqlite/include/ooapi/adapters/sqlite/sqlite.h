#pragma once
// The embedded default SIS backend: the SIS contract in one SQLite file (libsqlite3).

#include <string>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/db/db.h"

namespace ooapi::adapters::sqlite {

struct OpenOptions {
  bool read_only = true;
  bool create = false;  // create the file when missing (implies read-write)
  int busy_timeout_ms = 2000;
};

// Opens one connection. kUnavailable when the file cannot be opened (the message names the path).
StatusOr<db::ConnectionPtr> Open(const std::string& path, const OpenOptions& options);

// Registers the adapter named "sqlite" (config: sis.sqlite.*).
void Register(AdapterRegistry& registry);

}  // namespace ooapi::adapters::sqlite
