#pragma once
// Snapshots of `rio import` in a database (SQLite or PostgreSQL through ooapi::db), and the
// difference between two of them. Portable SQL only: TEXT/INTEGER, `?` placeholders, explicit ids.

#include <string>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/db/db.h"
#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::sync {

// Creates the tables when missing.
Status EnsureSchema(db::Connection& connection);

// Stores the snapshot in one transaction (nothing is stored on failure) and returns its new id.
// `created_at` is taken from the snapshot when set, else the current UTC time.
StatusOr<int64_t> SaveSnapshot(db::Connection& connection, const Snapshot& snapshot);

struct SnapshotInfo {
  int64_t id = 0;
  std::string created_at, bestuur, ref_date, source;
  int64_t items = 0;
};
StatusOr<std::vector<SnapshotInfo>> ListSnapshots(db::Connection& connection);
// kNotFound for an unknown id. id 0 = the latest snapshot.
StatusOr<Snapshot> LoadSnapshot(db::Connection& connection, int64_t id);

struct ItemChange {
  ItemKind kind = ItemKind::kOe;
  std::string code;
  std::string change;                // "added", "removed" or "changed"
  std::vector<std::string> columns;  // for "changed": what differs ("classification", values…)
};
// Items added, removed or changed from `a` to `b`, ordered by the kind's name and the code.
std::vector<ItemChange> DiffSnapshots(const Snapshot& a, const Snapshot& b);

}  // namespace ooapi::sync
