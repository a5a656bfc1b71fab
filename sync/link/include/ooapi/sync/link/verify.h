#pragma once
// The comparison of `sync verify`, pure: a fresh rio import against the job ledger (every link or
// unlink it has done must show in the snapshot) and against the earlier import (whatever else
// changed must be a key the ledger set). The command loads the snapshots and the jobs and prints
// the report.

#include <cstdint>
#include <string>
#include <vector>

#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/rio/snapshot.h"
#include "ooapi/sync/rio/store.h"

namespace ooapi::sync {

struct VerifyFinding {
  std::string item;     // "oe:code" or "ao:code", the code in lower case
  std::string problem;  // in the admin's terms
};

struct VerifyReport {
  int64_t snapshot = 0;                    // the import checked
  int64_t before = 0;                      // the import compared with (0: none)
  int links_present = 0;                   // done link/unlink jobs whose key is in the snapshot
  std::vector<VerifyFinding> differences;  // ordered by item
};

// The import to compare `after` with when the admin names none: the newest older one of the same
// bestuur, 0 when there is none.
int64_t PreviousSnapshotId(const std::vector<SnapshotInfo>& snapshots, const Snapshot& after);

// `after` against `jobs` (the ledger's, newest first as Ledger::List gives them; only link and
// unlink jobs count, the newest per item) and, when not null, against `before`:
//  * a job that did not end done: "not applied: …";
//  * a done job whose item is missing from `after`, or whose key differs (case-insensitive);
//  * an item added or removed since `before`, or changed in anything but what a done job of the
//    ledger explains (its key column, the classification and the key inside the periods).
VerifyReport VerifyLinks(const Snapshot& after, const Snapshot* before,
                         const std::vector<LedgerJob>& jobs);

}  // namespace ooapi::sync
