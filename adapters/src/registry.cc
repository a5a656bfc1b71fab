#include <stdexcept>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/common/strings.h"

namespace ooapi::adapters {

void AdapterRegistry::Register(std::string name, Creator creator) {
  if (!creators_.emplace(name, std::move(creator)).second) {
    throw std::logic_error("SIS adapter registered twice: " + name);
  }
}

StatusOr<SisAdapterPtr> AdapterRegistry::Create(const config::Config& config) const {
  auto it = creators_.find(config.sis.adapter);
  if (it == creators_.end()) {
    return InvalidArgument("sis.adapter: unknown SIS adapter '" + config.sis.adapter +
                           "' (known: " + Join(Names(), ", ") + ")");
  }
  return it->second(config);
}

std::vector<std::string> AdapterRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(creators_.size());
  for (const auto& [name, creator] : creators_) {
    names.push_back(name);
  }
  return names;
}

}  // namespace ooapi::adapters
