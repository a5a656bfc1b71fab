#include "ooapi/adapters/builtin.h"

#include "ooapi/adapters/postgres/postgres.h"
#include "ooapi/adapters/sqlite/sqlite.h"

namespace ooapi::adapters {

void RegisterBuiltinAdapters(AdapterRegistry& registry) {
  sqlite::Register(registry);
  postgres::Register(registry);
}

}  // namespace ooapi::adapters
