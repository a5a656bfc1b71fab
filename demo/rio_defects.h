#pragma once
// Entities that each break exactly one check-rio rule (DemoOptions::plant_rio_defects). Internal
// to the demo library.

#include <string>

#include "ooapi/common/status.h"
#include "ooapi/db/db.h"
#include "ooapi/demo/demo.h"

namespace ooapi::demo::internal {

// Inserts the planted entities into the contract tables of `connection` (inside the caller's
// transaction), adds their rows to the counts in `summary` and lists them in summary.planted.
// `today` (YYYY-MM-DD) places the planted offerings in the future. Writes no random data, so the
// clean demo generated before it is unchanged.
Status PlantRioDefects(db::Connection& connection, const std::string& today, DemoSummary& summary);

}  // namespace ooapi::demo::internal
