#pragma once
// Synthetic DUO RIO open data (a test tool): deterministic for a seed, with
// the planted edge cases of §6.4 in the target bestuur and a ground truth written as truth.json.
// Distractor besturen are generated and written one at a time, so memory stays small.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::testing {

struct GeneratorOptions {
  std::string profile = "tiny";  // tiny | institution | national
  uint64_t seed = 1;
  std::string ref_date = "2025-09-01";
  std::string out_dir;
  double scale = 1.0;  // multiplies the distractor volume (national: 1.0 ≈ the guide's sizes)
  bool bom = false;
  bool crlf = false;
  bool final_newline = true;
  bool count_sidecars = false;  // write <file>.csv.count
  // "", "reordered", "extra_column", "missing_optional", "datastore", "dutch_dates"
  std::string header_variant;
  bool orphan_cohort = false;  // a cohort whose AO is missing (a defect)
  bool orphan_ao = false;      // an AO whose OE is missing (a defect)
};

// A position in a generated file where a truncation test can cut it.
struct CutPoint {
  std::string file;    // e.g. "nfo_opleidingen"
  int64_t offset = 0;  // cut the file to this many bytes
  int64_t record = 0;  // the data record the cut falls in (the first one lost, at a boundary)
  int64_t record_offset = 0;  // byte offset at which that record starts
  int64_t record_line = 0;    // line on which it starts
};

struct GroundTruth {
  std::string bestuur;
  std::string ref_date;
  std::map<std::string, int64_t> records;  // per file: data records written
  // Expected import counts for the bestuur: "HO oe", "NFO ao", "cohort", "oe edudex",
  // "ao linked", "oe ended", ... (the keys `rio import` prints).
  std::map<std::string, int64_t> counts;
  std::map<std::string, int64_t> overview_rows;        // "HO", "NFO"
  std::map<std::string, std::string> selected_period;  // OE/AO code -> BEGINDATUM_PERIODE
  std::map<std::string, std::string> classification;   // planted code -> expected class
  std::map<std::string, std::string> values;           // "code/COLUMN" -> expected value
  std::map<std::string, CutPoint> cuts;  // "unquoted_field", "quoted_field", "quoted_newline",
                                         // "multibyte", "record_boundary", "cohort_boundary"
  std::vector<std::string> edge_cases;
};

// Writes every DuoFiles() file plus truth.json into options.out_dir (created if needed).
StatusOr<GroundTruth> GenerateDuo(const GeneratorOptions& options);

// A snapshot's counts in the shape of GroundTruth::counts, to compare an import with the truth.
std::map<std::string, int64_t> ImportCounts(const sync::Snapshot& snapshot);

// Parses truth.json as written by GenerateDuo.
StatusOr<GroundTruth> LoadGroundTruth(const std::string& path);

}  // namespace ooapi::testing
