#include "ooapi/sync/rio/store.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <set>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"

namespace ooapi::sync {
namespace {

// rio_snapshot_file.sha256 keeps its name so that databases of older versions load unchanged; it
// holds the file's checksum as `rio import` computed it: "xxh3-128:<32 hex digits>" (`xxhsum -H2`)
// since XXH3 replaced SHA-256 for speed, 64 bare hex digits of SHA-256 in older snapshots.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS rio_snapshot (
  id INTEGER NOT NULL PRIMARY KEY,
  created_at TEXT NOT NULL,
  bestuur TEXT NOT NULL,
  ref_date TEXT NOT NULL,
  source TEXT NOT NULL,
  warnings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rio_snapshot_file (
  snapshot_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  records INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, name)
);
CREATE TABLE IF NOT EXISTS rio_item (
  snapshot_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  code TEXT NOT NULL,
  sector TEXT NOT NULL,
  file TEXT NOT NULL,
  parent TEXT NOT NULL,
  classification TEXT NOT NULL,
  ended INTEGER NOT NULL,
  in_bestuur INTEGER NOT NULL,
  period_count INTEGER NOT NULL,
  current_values TEXT NOT NULL,
  periods TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, kind, code)
)
)sql";

std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string ValuesJson(const Item& item) {
  rapidjson::StringBuffer buffer;
  json::Writer writer(buffer);
  writer.StartArray();  // an array of pairs keeps the column order
  for (const auto& [k, v] : item.values) {
    writer.StartArray();
    writer.String(k);
    writer.String(v);
    writer.EndArray();
  }
  writer.EndArray();
  return buffer.GetString();
}

StatusOr<std::vector<std::pair<std::string, std::string>>> ParseValues(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError() || !doc.IsArray()) return Internal("corrupt current_values in store");
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& pair : doc.GetArray()) {
    if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() || !pair[1].IsString()) {
      return Internal("corrupt current_values in store");
    }
    values.emplace_back(pair[0].GetString(), pair[1].GetString());
  }
  return values;
}

Status InTransaction(db::Connection& c, const std::function<Status()>& body) {
  OOAPI_RETURN_IF_ERROR(c.Execute("BEGIN", {}).status());
  Status status = body();
  if (status.ok()) status = c.Execute("COMMIT", {}).status();
  if (!status.ok()) (void)c.Execute("ROLLBACK", {});
  return status;
}

std::string Text(const db::Row& row, std::string_view column) {
  return row.Text(column).value_or("");
}

}  // namespace

Status EnsureSchema(db::Connection& connection) { return connection.ExecuteScript(kSchema); }

StatusOr<int64_t> SaveSnapshot(db::Connection& connection, const Snapshot& snapshot) {
  int64_t id = 0;
  // The schema is created in the snapshot's transaction: one commit (one set of syncs) instead
  // of one per CREATE TABLE on a new database.
  Status status = InTransaction(connection, [&]() -> Status {
    OOAPI_RETURN_IF_ERROR(EnsureSchema(connection));
    OOAPI_ASSIGN_OR_RETURN(db::ResultSet max,
                           connection.Query("SELECT MAX(id) AS max_id FROM rio_snapshot", {}));
    id = db::Row(max, 0).Int("max_id").value_or(0) + 1;
    std::string warnings;
    for (const std::string& w : snapshot.warnings) warnings += w + "\n";
    OOAPI_RETURN_IF_ERROR(
        connection
            .Execute("INSERT INTO rio_snapshot (id, created_at, bestuur, ref_date, source, "
                     "warnings) VALUES (?, ?, ?, ?, ?, ?)",
                     {id, snapshot.created_at.empty() ? NowUtc() : snapshot.created_at,
                      snapshot.bestuur, snapshot.ref_date, snapshot.source, warnings})
            .status());
    for (const SourceFile& f : snapshot.files) {
      OOAPI_RETURN_IF_ERROR(connection
                                .Execute("INSERT INTO rio_snapshot_file (snapshot_id, name, "
                                         "bytes, records, sha256) VALUES (?, ?, ?, ?, ?)",
                                         {id, f.name, f.bytes, f.records, f.sha256})
                                .status());
    }
    // Multi-row inserts, a bounded number of rows per statement.
    constexpr size_t kBatch = 50;
    for (size_t start = 0; start < snapshot.items.size(); start += kBatch) {
      const size_t end = std::min(snapshot.items.size(), start + kBatch);
      std::string sql =
          "INSERT INTO rio_item (snapshot_id, kind, code, sector, file, parent, classification, "
          "ended, in_bestuur, period_count, current_values, periods) VALUES ";
      std::vector<db::Value> params;
      for (size_t i = start; i < end; ++i) {
        const Item& item = snapshot.items[i];
        sql += i == start ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        params.insert(params.end(), {id, std::string(ItemKindName(item.kind)), item.code, item.sector, item.file, item.parent,
                                     item.classification, int64_t{item.ended ? 1 : 0},
                                     int64_t{item.in_bestuur ? 1 : 0}, int64_t{item.period_count},
                                     ValuesJson(item), item.periods_json});
      }
      OOAPI_RETURN_IF_ERROR(connection.Execute(sql, params).status());
    }
    return Status::Ok();
  });
  if (!status.ok()) return status.WithPrefix("storing the snapshot");
  return id;
}

StatusOr<std::vector<SnapshotInfo>> ListSnapshots(db::Connection& connection) {
  OOAPI_RETURN_IF_ERROR(EnsureSchema(connection));
  OOAPI_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      connection.Query("SELECT s.id, s.created_at, s.bestuur, s.ref_date, s.source, "
                       "(SELECT COUNT(*) FROM rio_item i WHERE i.snapshot_id = s.id) AS items "
                       "FROM rio_snapshot s ORDER BY s.id",
                       {}));
  std::vector<SnapshotInfo> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    db::Row row(rs, i);
    out.push_back({row.Int("id").value_or(0), Text(row, "created_at"), Text(row, "bestuur"),
                   Text(row, "ref_date"), Text(row, "source"), row.Int("items").value_or(0)});
  }
  return out;
}

StatusOr<Snapshot> LoadSnapshot(db::Connection& connection, int64_t id) {
  OOAPI_RETURN_IF_ERROR(EnsureSchema(connection));
  if (id == 0) {
    OOAPI_ASSIGN_OR_RETURN(db::ResultSet max,
                           connection.Query("SELECT MAX(id) AS max_id FROM rio_snapshot", {}));
    auto latest = db::Row(max, 0).Int("max_id");
    if (!latest) return NotFound("no snapshot stored yet; run `rio import` first");
    id = *latest;
  }
  OOAPI_ASSIGN_OR_RETURN(
      db::ResultSet head,
      connection.Query("SELECT id, created_at, bestuur, ref_date, source, warnings FROM "
                       "rio_snapshot WHERE id = ?",
                       {id}));
  if (head.empty()) return NotFound("no snapshot with id " + std::to_string(id));
  Snapshot s;
  db::Row h(head, 0);
  s.id = id;
  s.created_at = Text(h, "created_at");
  s.bestuur = Text(h, "bestuur");
  s.ref_date = Text(h, "ref_date");
  s.source = Text(h, "source");
  const std::string warnings = Text(h, "warnings");
  for (std::string_view w : Split(warnings, '\n')) {
    if (!w.empty()) s.warnings.emplace_back(w);
  }
  OOAPI_ASSIGN_OR_RETURN(db::ResultSet files,
                         connection.Query("SELECT name, bytes, records, sha256 FROM "
                                          "rio_snapshot_file WHERE snapshot_id = ? ORDER BY name",
                                          {id}));
  for (size_t i = 0; i < files.size(); ++i) {
    db::Row r(files, i);
    s.files.push_back({Text(r, "name"), r.Int("bytes").value_or(0), r.Int("records").value_or(0),
                       Text(r, "sha256")});
  }
  OOAPI_ASSIGN_OR_RETURN(
      db::ResultSet items,
      connection.Query("SELECT kind, code, sector, file, parent, classification, ended, "
                       "in_bestuur, period_count, current_values, periods FROM rio_item WHERE "
                       "snapshot_id = ? ORDER BY CASE kind WHEN 'oe' THEN 0 WHEN 'ao' THEN 1 "
                       "ELSE 2 END, sector, code",
                       {id}));
  for (size_t i = 0; i < items.size(); ++i) {
    db::Row r(items, i);
    Item item;
    const std::string kind = Text(r, "kind");
    const std::optional<ItemKind> parsed_kind = ParseItemKind(kind);
    if (!parsed_kind) {
      return Internal("snapshot " + std::to_string(id) + ": item " + Text(r, "code") +
                      " has an unknown kind '" + kind + "'");
    }
    item.kind = *parsed_kind;
    item.code = Text(r, "code");
    item.sector = Text(r, "sector");
    item.file = Text(r, "file");
    item.parent = Text(r, "parent");
    item.classification = Text(r, "classification");
    item.ended = r.Int("ended").value_or(0) != 0;
    item.in_bestuur = r.Int("in_bestuur").value_or(0) != 0;
    item.period_count = static_cast<int>(r.Int("period_count").value_or(0));
    OOAPI_ASSIGN_OR_RETURN(item.values, ParseValues(Text(r, "current_values")));
    item.periods_json = Text(r, "periods");
    s.items.push_back(std::move(item));
  }
  return s;
}

std::vector<ItemChange> DiffSnapshots(const Snapshot& a, const Snapshot& b) {
  // Keyed by the kind's name, so that the changes come out ordered by it ("ao" < "cohort" < "oe").
  using Key = std::pair<std::string_view, std::string>;
  std::map<Key, const Item*> left;
  std::map<Key, const Item*> right;
  for (const Item& i : a.items) left[{ItemKindName(i.kind), i.code}] = &i;
  for (const Item& i : b.items) right[{ItemKindName(i.kind), i.code}] = &i;
  std::vector<ItemChange> out;
  for (const auto& [key, item] : left) {
    auto it = right.find(key);
    if (it == right.end()) {
      out.push_back({item->kind, key.second, "removed", {}});
      continue;
    }
    const Item& other = *it->second;
    ItemChange change{item->kind, key.second, "changed", {}};
    if (item->classification != other.classification) change.columns.emplace_back("classification");
    if (item->ended != other.ended) change.columns.emplace_back("ended");
    if (item->parent != other.parent) change.columns.emplace_back("parent");
    if (item->in_bestuur != other.in_bestuur) change.columns.emplace_back("in_bestuur");
    std::set<std::string> names;
    for (const auto& [k, v] : item->values) names.insert(k);
    for (const auto& [k, v] : other.values) names.insert(k);
    for (const std::string& name : names) {
      const std::string* x = item->Value(name);
      const std::string* y = other.Value(name);
      if ((x ? *x : "") != (y ? *y : "")) change.columns.push_back(name);
    }
    if (item->periods_json != other.periods_json) change.columns.emplace_back("periods");
    if (!change.columns.empty()) out.push_back(std::move(change));
  }
  for (const auto& [key, item] : right) {
    if (!left.contains(key)) out.push_back({item->kind, key.second, "added", {}});
  }
  std::sort(out.begin(), out.end(), [](const ItemChange& x, const ItemChange& y) {
    return std::forward_as_tuple(ItemKindName(x.kind), x.code) <
           std::forward_as_tuple(ItemKindName(y.kind), y.code);
  });
  return out;
}

}  // namespace ooapi::sync
