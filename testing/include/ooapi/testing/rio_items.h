#pragma once
// Snapshot items built by hand, for tests that check link rules, plans and verification against a
// few RIO items rather than a generated DUO corpus.

#include <string>

#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::testing {

// An HO item of `kind` with RIO code `code`, classified as `classification`, whose eigen sleutel
// column (EigenSleutelColumn(kind)) holds `eigen_key` ("" when RIO holds no key).
sync::Item RioItem(sync::ItemKind kind, const std::string& code, const std::string& eigen_key,
                   const std::string& classification = "unlinked");

}  // namespace ooapi::testing
