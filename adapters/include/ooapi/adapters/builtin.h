#pragma once

#include "ooapi/adapters/sis_adapter.h"

namespace ooapi::adapters {

// Registers every adapter shipped with the endpoint, one explicit line each (adapters/builtin.cc).
void RegisterBuiltinAdapters(AdapterRegistry& registry);

}  // namespace ooapi::adapters
