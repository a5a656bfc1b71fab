#pragma once
// `rio import`: reads the DUO RIO CSV files of one directory, refuses truncated or corrupt input,
// and returns one bestuur's items. Streaming: memory grows with the bestuur's items, with one
// 64-bit hash per code of the national files and, in the parallel mode, with one per cohort record
// (its AO code's) plus a position per 64 records; not with file sizes.

#include <functional>
#include <map>
#include <string>

#include "ooapi/common/status.h"
#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::sync {

struct DuoFile {
  std::string_view name;
  bool required;
};
// Every file `rio import` reads, in reading order; `<name>.csv` in the directory.
const std::vector<DuoFile>& DuoFiles();

struct ImportOptions {
  std::string dir;
  std::string bestuur;
  std::string ref_date;              // YYYY-MM-DD
  std::string expected_counts_path;  // optional: "name count" lines
  std::string header_map_path;       // optional, see HeaderMap
  size_t block_size = size_t{4} << 20;
  // Index the cohort files on a second thread while the programme files are read (the default);
  // false reads every file on the calling thread, one after the other. The result (snapshot or
  // refusal) is the same.
  bool parallel = true;
  // Progress: called with (bytes done, bytes total) as blocks are read.
  std::function<void(int64_t, int64_t)> on_progress;
};

// Errors: kInvalidArgument for refused input (the message names file, record, line and byte
// offset), kNotFound for a missing required file. Nothing is stored by this function.
StatusOr<Snapshot> ImportDuo(const ImportOptions& options);

// Parses an expected-counts file: "name count" per line (also "name,count", "name=count";
// a ".csv" suffix on the name is ignored; '#' comments).
StatusOr<std::map<std::string, int64_t>> ParseExpectedCounts(std::string_view text,
                                                             std::string_view source_name);

}  // namespace ooapi::sync
