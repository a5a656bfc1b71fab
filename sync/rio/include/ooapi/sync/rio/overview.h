#pragma once
// The "RIO aanbod" overview of a snapshot: HO and NFO tabs, one row per (programme, offered
// programme, cohort), left-joined so a programme without offerings and an offering without cohorts
// still get a row; classification flags and the current period's values.

#include <string>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::sync {

struct OverviewTable {
  std::string sheet;  // "HO" or "NFO"
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Pure: the two tables (HO first) of a snapshot.
std::vector<OverviewTable> BuildOverview(const Snapshot& snapshot);

enum class OverviewFormat { kCsv, kJson, kXlsx };
StatusOr<OverviewFormat> ParseOverviewFormat(std::string_view name);

// CSV: one file with a leading SHEET column. JSON: {"snapshot": {...}, "HO": [...], "NFO": [...]}.
// XLSX: a workbook with sheets HO and NFO. kUnavailable when the file cannot be written.
Status WriteOverview(const Snapshot& snapshot, OverviewFormat format, const std::string& path);

// RFC 4180 quoting of one field (quotes when it holds a separator, quote or line break).
std::string CsvField(std::string_view value);

}  // namespace ooapi::sync
