#pragma once
// What one `rio import` produces: the bestuur's RIO items from the DUO files on a reference date,
// with their classification and current-period values, and the source files it was built from.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ooapi::sync {

struct SourceFile {
  std::string name;  // DUO resource name, e.g. "aangeboden_nfo_opleidingen"
  int64_t bytes = 0;
  int64_t records = 0;  // data records (the header excluded)
  // The checksum of the file's bytes: "xxh3-128:<32 hex>" (`xxhsum -H2`); snapshots of older
  // versions hold 64 bare hex digits of SHA-256 here. The name is kept for the stored column.
  std::string sha256;
};

// The three kinds of RIO item a snapshot holds. Stored, and shown, as its name.
enum class ItemKind {
  kOe,      // "oe": an opleidingseenheid
  kAo,      // "ao": an aangeboden opleiding
  kCohort,  // "cohort": an aangeboden opleiding's cohort
};
constexpr std::string_view ItemKindName(ItemKind kind) {
  switch (kind) {
    case ItemKind::kOe:
      return "oe";
    case ItemKind::kAo:
      return "ao";
    case ItemKind::kCohort:
      return "cohort";
  }
  return "?";
}
constexpr std::optional<ItemKind> ParseItemKind(std::string_view name) {
  if (name == "oe") return ItemKind::kOe;
  if (name == "ao") return ItemKind::kAo;
  if (name == "cohort") return ItemKind::kCohort;
  return std::nullopt;
}

// The column of an opleidingseenheid or aangeboden opleiding that holds its eigen sleutel: the key
// a link puts on it (for an OOAPI endpoint, the entity's id).
constexpr std::string_view EigenSleutelColumn(ItemKind kind) {
  return kind == ItemKind::kOe ? "EIGEN_OPLEIDINGSEENHEIDSLEUTEL"
                               : "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL";
}

// One opleidingseenheid, aangeboden opleiding or cohort.
struct Item {
  ItemKind kind = ItemKind::kOe;
  std::string sector;          // "HO" or "NFO"
  std::string file;            // the DUO file it came from
  std::string code;            // oe/ao: its code; cohort: "<AO code>/<cohortcode>"
  std::string parent;          // ao: OE code; cohort: AO code; oe: ""
  std::string classification;  // oe/ao: edudex|linked|foreign|unlinked; cohort: ""
  bool ended = false;          // EINDDATUM on or before the reference date
  bool in_bestuur = true;      // oe: owned by the bestuur; ao: offered by one of its aanbieders
  int period_count = 0;        // distinct periods (0 for cohorts)
  // The values of the period SelectPeriod chose, column name -> value.
  std::vector<std::pair<std::string, std::string>> values;
  // Every period as a JSON array of objects, oldest first ("[]" for cohorts).
  std::string periods_json = "[]";

  const std::string* Value(std::string_view column) const {
    for (const auto& [k, v] : values) {
      if (k == column) return &v;
    }
    return nullptr;
  }
};

struct Snapshot {
  int64_t id = 0;
  std::string created_at;  // UTC, ISO 8601
  std::string bestuur;
  std::string ref_date;
  std::string source;  // the directory imported from
  std::vector<SourceFile> files;
  std::vector<Item> items;            // oe, then ao, then cohort; each sorted by (sector, code)
  std::vector<std::string> warnings;  // e.g. a missing final newline
  std::vector<std::string> notices;   // e.g. unknown columns ignored
};

}  // namespace ooapi::sync
