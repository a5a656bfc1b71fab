#include "ooapi/testing/rio_items.h"

namespace ooapi::testing {

sync::Item RioItem(sync::ItemKind kind, const std::string& code, const std::string& eigen_key,
                   const std::string& classification) {
  sync::Item item;
  item.kind = kind;
  item.sector = "HO";
  item.code = code;
  item.classification = classification;
  item.values.emplace_back(std::string(sync::EigenSleutelColumn(kind)), eigen_key);
  return item;
}

}  // namespace ooapi::testing
