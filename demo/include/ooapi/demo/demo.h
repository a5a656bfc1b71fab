#pragma once
// Writes a deterministic, realistic demo institution ("Hogeschool Demo", a Dutch university of
// applied sciences) into a NEW database that follows the SIS contract
// (adapters/sql/schema/sis_contract.sql). The data satisfies the rules SURF's RIO mapper applies
// to what the endpoint serves.

#include <cstdint>
#include <string>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/db/db.h"

namespace ooapi::demo {

struct DemoOptions {
  // "small" (~20 education specifications, 60 programs, 400 courses, 2,000 offerings) or
  // "large" (~600, 1,500, 30,000, 250,000). Both contain a program and a course with more than
  // 250 offerings (the mapper reads offerings in pages of 250).
  std::string scale = "small";
  // Seeds the generator; the same (scale, seed, today) gives byte-identical data.
  uint64_t seed = 1;
  // Reference date YYYY-MM-DD: offerings are generated from ~3 years before it to ~2 years after
  // it. Empty means TodayUtc().
  std::string today;
  // Also writes a few extra entities (fixed ids defec7ed-0000-4000-8000-0000000000NN, names
  // starting with "RIO defect:"), each breaking exactly one rule of `check-rio` (ooapi::check);
  // DemoSummary::planted says which. Off: the output is exactly the clean demo.
  bool plant_rio_defects = false;
};

// One entity planted by DemoOptions::plant_rio_defects.
struct PlantedDefect {
  std::string rule;         // the check-rio rule id it breaks (ooapi/check/rio_rules.h)
  std::string entity_type;  // education-specification | program | course | offering
  std::string entity_id;
  std::string what;  // the defect, in words
};

// Rows written per entity table (planted entities included), and the number of rows in `texts`.
struct DemoSummary {
  int64_t organizations = 0;
  int64_t academic_sessions = 0;
  int64_t education_specifications = 0;
  int64_t programs = 0;
  int64_t courses = 0;
  int64_t offerings = 0;
  int64_t text_rows = 0;
  std::vector<PlantedDefect> planted;  // empty unless DemoOptions::plant_rio_defects
};

// Creates the contract tables and indexes in `connection` and fills them, all in one transaction
// (rolled back on any error, leaving the database as it was).
// Errors: kInvalidArgument naming the option (--scale, --today) for invalid options;
// kFailedPrecondition if a contract table already exists (only a new database is written);
// otherwise the database's own error (e.g. kUnavailable, kInternal).
StatusOr<DemoSummary> WriteDemo(db::Connection& connection, const DemoOptions& options);

}  // namespace ooapi::demo
