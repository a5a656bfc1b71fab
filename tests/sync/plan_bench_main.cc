// ooapi-plan-bench: the speed benchmark of `sync plan` (issue 6, docs/BENCHMARKS.md; not
// installed). Imports one bestuur from generated DUO files, makes it COPIES times as large (each
// copy with its own codes, keys, ISAT codes and names, so blocks keep their size: a copy is more
// programmes, not more of the same programme), derives the matching SIS side, and times what
// `sync plan` does after reading the snapshot: read the SIS through the adapter interface
// (LoadSisSide), match (MatchPlan) and write the plan file (PlanToJson).
//
// usage: ooapi-plan-bench --dir DIR --bestuur CODE [--ref-date YYYY-MM-DD] [--copies K]
// Prints one line: copies, items, SIS entities, seconds per phase, peak RSS of the process.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ooapi/common/json.h"
#include "ooapi/sync/import.h"
#include "ooapi/sync/plan.h"
#include "ooapi/sync/plan_sis.h"

namespace {

using ooapi::sync::Item;

bool IsName(std::string_view column) {
  return column == "VOLLEDIGE_NAAM" || column == "KORTE_NAAM" || column == "INTERNATIONALE_NAAM" ||
         column == "EIGENNAAM";
}

std::string CopyCode(const std::string& code, int c) {
  if (code.empty()) return code;
  const size_t slash = code.find('/');  // cohort: "<AO>/<cohortcode>"
  if (slash != std::string::npos) return CopyCode(code.substr(0, slash), c) + code.substr(slash);
  return code + "~" + std::to_string(c);
}

std::string CopyKey(const std::string& key, int c) {
  if (key.size() != 36) return key.empty() ? key : key + "-" + std::to_string(c);
  char tail[16];
  std::snprintf(tail, sizeof tail, "%03x", static_cast<unsigned>(c) & 0xfffu);
  return key.substr(0, 33) + tail;
}

Item Copy(const Item& item, int c) {
  Item out = item;
  // Letters, not digits: "Zorg 1" would equal the name "Zorg (1)" of another period.
  const std::string suffix = " copy" + std::string(1, static_cast<char>('a' + c % 26)) +
                             std::string(static_cast<size_t>(c / 26), 'z');
  out.code = CopyCode(item.code, c);
  out.parent = CopyCode(item.parent, c);
  for (auto& [k, v] : out.values) {
    if (IsName(k) && !v.empty()) v += suffix;
    if (k == "EIGEN_OPLEIDINGSEENHEIDSLEUTEL" || k == "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL") {
      v = CopyKey(v, c);
    }
    if (k == "VARIANT_VAN") v = CopyCode(v, c);
    if (k == "ERKENDEOPLEIDINGSCODE" && !v.empty()) v = std::to_string(std::stoll(v) + 100000 * c);
  }
  rapidjson::Document doc;
  doc.Parse(item.periods_json.c_str(), item.periods_json.size());
  if (!doc.HasParseError() && doc.IsArray()) {
    for (auto& period : doc.GetArray()) {
      if (!period.IsObject()) continue;
      for (auto& m : period.GetObject()) {
        if (!m.value.IsString() || !IsName(m.name.GetString())) continue;
        const std::string v = std::string(m.value.GetString()) + suffix;
        m.value.SetString(v.c_str(), static_cast<rapidjson::SizeType>(v.size()),
                          doc.GetAllocator());
      }
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    doc.Accept(w);
    out.periods_json.assign(buffer.GetString(), buffer.GetSize());
  }
  return out;
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  ooapi::sync::ImportOptions io;
  io.ref_date = "2025-09-01";
  int copies = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--dir") {
      io.dir = v;
    } else if (a == "--bestuur") {
      io.bestuur = v;
    } else if (a == "--ref-date") {
      io.ref_date = v;
    } else if (a == "--copies") {
      copies = std::atoi(v.c_str());
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (io.dir.empty() || io.bestuur.empty() || copies < 1) {
    std::fprintf(stderr,
                 "usage: ooapi-plan-bench --dir DIR --bestuur CODE [--ref-date D] [--copies K]\n");
    return 2;
  }
  auto t = std::chrono::steady_clock::now();
  auto snapshot = ooapi::sync::ImportDuo(io);
  if (!snapshot.ok()) {
    std::fprintf(stderr, "%s\n", snapshot.status().ToString().c_str());
    return 1;
  }
  const double import_s = Since(t);
  // Copies keep the snapshot order: oe, then ao, then cohort.
  std::vector<Item> items;
  for (const char* kind : {"oe", "ao", "cohort"}) {
    for (int c = 0; c < copies; ++c) {
      for (const Item& item : snapshot->items) {
        if (item.kind == kind) items.push_back(c == 0 ? item : Copy(item, c));
      }
    }
  }
  snapshot->items = std::move(items);
  ooapi::sync::MemorySisAdapter adapter(
      std::move(ooapi::sync::GenerateMatchingSis(*snapshot, 7).data));

  t = std::chrono::steady_clock::now();
  auto side = ooapi::sync::LoadSisSide(adapter);
  if (!side.ok()) {
    std::fprintf(stderr, "%s\n", side.status().ToString().c_str());
    return 1;
  }
  const double load_s = Since(t);
  t = std::chrono::steady_clock::now();
  const ooapi::sync::Plan plan = ooapi::sync::MatchPlan(*snapshot, *side);
  const double match_s = Since(t);
  t = std::chrono::steady_clock::now();
  const std::string json = ooapi::sync::PlanToJson(plan);
  const double json_s = Since(t);

  int64_t in_scope = 0;
  for (const Item& item : snapshot->items) in_scope += item.in_bestuur ? 1 : 0;
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::printf(
      "copies %d: %lld RIO items in scope, %zu SIS entities, %zu offerings; import %.2f s; "
      "plan %.3f s (read SIS %.3f, match %.3f, plan file %.3f, %zu bytes); peak RSS %ld MB\n",
      copies, static_cast<long long>(in_scope), side->entities.size(), side->offerings.size(),
      import_s, load_s + match_s + json_s, load_s, match_s, json_s, json.size(),
      usage.ru_maxrss / 1024);
  return 0;
}
