#include "ooapi/sync/link/verify.h"

#include <algorithm>
#include <map>
#include <utility>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/link/rules.h"

namespace ooapi::sync {
namespace {

std::string ItemName(ItemKind kind, const std::string& code) {
  return std::string(ItemKindName(kind)) + ":" + ToLowerAscii(code);
}

// The item's periods as JSON with the eigen sleutel blanked, to compare all but the key.
std::string PeriodsWithoutKey(const Item& item) {
  rapidjson::Document doc;
  doc.Parse(item.periods_json.c_str(), item.periods_json.size());
  if (doc.HasParseError() || !doc.IsArray()) return item.periods_json;
  const std::string_view column = EigenSleutelColumn(item.kind);
  for (auto& period : doc.GetArray()) {
    if (!period.IsObject()) continue;
    const rapidjson::Value name(
        rapidjson::StringRef(column.data(), static_cast<rapidjson::SizeType>(column.size())));
    if (period.HasMember(name)) period[name].SetString("");
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  doc.Accept(w);
  return buffer.GetString();
}

// "oe:code" -> the trimmed key ("" none), for every OE and AO.
std::map<std::string, std::string> Keys(const Snapshot& s) {
  std::map<std::string, std::string> keys;
  for (const Item& item : s.items) {
    if (item.kind != ItemKind::kOe && item.kind != ItemKind::kAo) continue;
    const std::string* key = item.Value(EigenSleutelColumn(item.kind));
    keys[ItemName(item.kind, item.code)] = key == nullptr ? "" : std::string(TrimAscii(*key));
  }
  return keys;
}

// The ledger's say per item: its newest link or unlink job.
std::map<std::string, LedgerJob> NewestLinkJobs(const std::vector<LedgerJob>& jobs) {
  std::map<std::string, LedgerJob> newest;
  for (const LedgerJob& j : jobs) {
    if (j.action != SurfAction::kLink && j.action != SurfAction::kUnlink) continue;
    const ItemKind kind = j.type == "education-specifications" ? ItemKind::kOe : ItemKind::kAo;
    newest.emplace(ItemName(kind, j.rio_code), j);  // the first seen is the newest
  }
  return newest;
}

// Every job's item in `after`, with the key it should carry.
void CompareWithLedger(const Snapshot& after, const std::map<std::string, LedgerJob>& newest,
                       VerifyReport& report) {
  const std::map<std::string, std::string> keys = Keys(after);
  for (const auto& [item, job] : newest) {
    if (job.state != JobState::kDone) {
      report.differences.push_back({item, "not applied: " + DescribeJob(job)});
      continue;
    }
    const std::string expected = job.action == SurfAction::kLink ? job.sis_id : "";
    auto now = keys.find(item);
    if (now == keys.end()) {
      report.differences.push_back({item, "missing from snapshot " + std::to_string(after.id) +
                                              " (expected key '" + expected + "')"});
    } else if (ToLowerAscii(now->second) != ToLowerAscii(expected)) {
      report.differences.push_back({item, "key is '" + now->second + "', expected '" + expected +
                                              "' after job " + std::to_string(job.id)});
    } else {
      ++report.links_present;
    }
  }
}

// The columns of a changed item that a done job of the ledger does not explain.
std::vector<std::string> UnexplainedColumns(const ItemChange& change, const Item& was,
                                            const Item& now, bool key_set_by_ledger) {
  std::vector<std::string> other;
  for (const std::string& column : change.columns) {
    if (key_set_by_ledger &&
        (column == EigenSleutelColumn(change.kind) || column == "classification")) {
      continue;
    }
    if (key_set_by_ledger && column == "periods" &&
        PeriodsWithoutKey(was) == PeriodsWithoutKey(now)) {
      continue;
    }
    other.push_back(column);
  }
  return other;
}

// Everything that changed between the two imports must be a key the ledger set.
void CompareWithBefore(const Snapshot& after, const Snapshot& before,
                       const std::map<std::string, LedgerJob>& newest, VerifyReport& report) {
  std::map<std::pair<ItemKind, std::string>, const Item*> was;
  std::map<std::pair<ItemKind, std::string>, const Item*> now;
  for (const Item& i : before.items) was[{i.kind, i.code}] = &i;
  for (const Item& i : after.items) now[{i.kind, i.code}] = &i;
  const std::string since = " since snapshot " + std::to_string(before.id);
  for (const ItemChange& change : DiffSnapshots(before, after)) {
    const std::string item = ItemName(change.kind, change.code);
    if (change.change != "changed") {
      report.differences.push_back({item, change.change + since});
      continue;
    }
    auto job = newest.find(item);
    const bool explained = job != newest.end() && job->second.state == JobState::kDone;
    const std::vector<std::string> other =
        UnexplainedColumns(change, *was.at({change.kind, change.code}),
                           *now.at({change.kind, change.code}), explained);
    if (other.empty()) continue;
    report.differences.push_back(
        {item, "changed outside the ledger" + since + ": " + Join(other, ", ")});
  }
}

}  // namespace

int64_t PreviousSnapshotId(const std::vector<SnapshotInfo>& snapshots, const Snapshot& after) {
  int64_t before = 0;
  for (const SnapshotInfo& info : snapshots) {
    if (info.id < after.id && info.bestuur == after.bestuur) before = std::max(before, info.id);
  }
  return before;
}

VerifyReport VerifyLinks(const Snapshot& after, const Snapshot* before,
                         const std::vector<LedgerJob>& jobs) {
  VerifyReport report;
  report.snapshot = after.id;
  report.before = before == nullptr ? 0 : before->id;
  const std::map<std::string, LedgerJob> newest = NewestLinkJobs(jobs);
  CompareWithLedger(after, newest, report);
  if (before != nullptr) CompareWithBefore(after, *before, newest, report);
  std::stable_sort(report.differences.begin(), report.differences.end(),
                   [](const VerifyFinding& x, const VerifyFinding& y) { return x.item < y.item; });
  return report;
}

}  // namespace ooapi::sync
