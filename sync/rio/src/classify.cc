#include "ooapi/sync/rio/classify.h"

#include "ooapi/common/strings.h"

namespace ooapi::sync {
namespace {

bool IsUpperUuidWithPrefix(std::string_view s, std::string_view prefix) {
  return StartsWith(s, prefix) && IsUppercaseUuid(s);
}

Classification ByKey(std::string_view key) {
  if (key.empty()) return Classification::kUnlinked;
  if (IsUuid(key)) return Classification::kLinked;
  return Classification::kForeignKey;
}

}  // namespace

bool IsEduDexAoCode(std::string_view code) { return IsUpperUuidWithPrefix(code, "ED0C"); }
bool IsEduDexOeKey(std::string_view key) { return IsUpperUuidWithPrefix(key, "ED0B"); }

std::string_view ClassificationName(Classification c) {
  switch (c) {
    case Classification::kEduDex:
      return "edudex";
    case Classification::kLinked:
      return "linked";
    case Classification::kForeignKey:
      return "foreign";
    case Classification::kUnlinked:
      return "unlinked";
  }
  return "unlinked";
}

std::optional<Classification> ParseClassification(std::string_view name) {
  for (Classification c : {Classification::kEduDex, Classification::kLinked,
                           Classification::kForeignKey, Classification::kUnlinked}) {
    if (ClassificationName(c) == name) return c;
  }
  return std::nullopt;
}

Classification ClassifyOe(std::string_view eigen_sleutel) {
  if (IsEduDexOeKey(eigen_sleutel)) return Classification::kEduDex;
  return ByKey(eigen_sleutel);
}

Classification ClassifyAo(std::string_view ao_code, std::string_view eigen_sleutel) {
  if (IsEduDexAoCode(ao_code)) return Classification::kEduDex;
  return ByKey(eigen_sleutel);
}

std::optional<std::string> NormalizeDate(std::string_view text) {
  if (text.empty()) return std::string();
  if (text.size() == 19 && text.substr(10) == "T00:00:00") text = text.substr(0, 10);
  if (!IsIsoDate(text)) return std::nullopt;
  return std::string(text);
}

int SelectPeriod(const std::vector<PeriodSpan>& periods, std::string_view ref) {
  if (periods.empty()) return -1;
  // Effective end: the explicit end, else the smallest begin after this one, else open.
  auto effective_end = [&](size_t i) -> std::string_view {
    if (!periods[i].end.empty()) return periods[i].end;
    std::string_view next;
    for (const PeriodSpan& other : periods) {
      if (other.begin > periods[i].begin && (next.empty() || other.begin < next)) {
        next = other.begin;
      }
    }
    return next;
  };
  int current = -1;
  int before = -1;
  int future = -1;
  for (size_t i = 0; i < periods.size(); ++i) {
    const std::string& begin = periods[i].begin;
    const int idx = static_cast<int>(i);
    if (begin <= ref) {
      const std::string_view end = effective_end(i);
      if ((end.empty() || ref < end) &&
          (current < 0 || begin > periods[static_cast<size_t>(current)].begin)) {
        current = idx;
      }
      if (before < 0 || begin > periods[static_cast<size_t>(before)].begin) before = idx;
    } else if (future < 0 || begin < periods[static_cast<size_t>(future)].begin) {
      future = idx;
    }
  }
  if (current >= 0) return current;
  if (before >= 0) return before;
  return future;
}

bool IsEnded(std::string_view einddatum, std::string_view ref_date) {
  return !einddatum.empty() && einddatum <= ref_date;
}

}  // namespace ooapi::sync
