// ooapi-plan-bench: the speed benchmark of `sync plan` (docs/BENCHMARKS.md; not
// installed). Two steps, each its own process, so that the second one's peak RSS is the plan's:
//
//   ooapi-plan-bench prepare --dir DIR --bestuur CODE [--ref-date D] [--copies K] --db FILE
//     imports one bestuur from generated DUO files, makes it K times as large (each copy with its
//     own codes, keys, ISAT codes and names, so blocks keep their size: a copy is more programmes,
//     not more of the same programme) and stores it as a snapshot in a new SQLite file, as
//     `rio import` does (SaveSnapshot).
//   ooapi-plan-bench plan --db FILE --out plan.json [--seed N]
//     derives the matching SIS side from the stored snapshot (GenerateMatchingSis, untimed: it
//     stands for the SIS database), then runs `sync plan --db FILE --out plan.json` through
//     RunSyncCommand, the code the executable runs: load the snapshot from the store, read the SIS
//     through the adapter interface, match, the cohort-loss check through Api::Handle over the
//     in-memory adapter (offering window "all", the default), write the plan file.
//
// `plan` prints one line: the phases (seen from the adapter's calls), the total, the RSS before
// RunSyncCommand (the in-memory SIS) and the process's peak RSS.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/common/json.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/sync/rio/import.h"
#include "ooapi/sync/plan/plan.h"
#include "plan_command.h"
#include "ooapi/testing/forwarding_adapter.h"
#include "ooapi/testing/matching_sis.h"
#include "ooapi/sync/rio/store.h"

namespace {

namespace adapters = ooapi::adapters;
using Clock = std::chrono::steady_clock;
using ooapi::StatusOr;
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

double Seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Forwards to the in-memory adapter and notes when `sync plan` reads the whole SIS (unscoped
// lists) and when it checks cohorts (offerings of one program or course).
struct Marks {
  Clock::time_point read_end, cohort_begin, cohort_end;
  int64_t cohort_calls = 0;
};

class TimedAdapter final : public ooapi::testing::ForwardingAdapter {
 public:
  // `marks` must outlive the adapter's calls.
  TimedAdapter(std::unique_ptr<adapters::SisAdapter> inner, Marks* marks)
      : ForwardingAdapter(inner.get()), owned_(std::move(inner)), m_(*marks) {}

  StatusOr<adapters::EducationSpecification> GetEducationSpecification(
      std::string_view id, const adapters::GetOptions& o) override {
    auto r = inner_->GetEducationSpecification(id, o);
    m_.read_end = Clock::now();
    return r;
  }
  StatusOr<adapters::Page<adapters::EducationSpecification>> ListEducationSpecifications(
      const adapters::ListQuery& q) override {
    return Read([&] { return inner_->ListEducationSpecifications(q); });
  }
  StatusOr<adapters::Page<adapters::Program>> ListPrograms(const adapters::ListQuery& q) override {
    return Read([&] { return inner_->ListPrograms(q); });
  }
  StatusOr<adapters::Page<adapters::Course>> ListCourses(const adapters::ListQuery& q) override {
    return Read([&] { return inner_->ListCourses(q); });
  }
  StatusOr<adapters::Page<adapters::Offering>> ListOfferings(
      const adapters::ListQuery& q) override {
    if (q.scope.kind == adapters::ScopeKind::kAll) {
      return Read([&] { return inner_->ListOfferings(q); });
    }
    const auto start = Clock::now();
    if (m_.cohort_calls++ == 0) m_.cohort_begin = start;
    auto r = inner_->ListOfferings(q);
    m_.cohort_end = Clock::now();
    return r;
  }

 private:
  template <typename F>
  auto Read(F f) -> decltype(f()) {
    auto r = f();
    m_.read_end = Clock::now();
    return r;
  }
  std::unique_ptr<adapters::SisAdapter> owned_;
  Marks& m_;
};

long CurrentRssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6) / 1024;
  }
  return -1;
}

StatusOr<ooapi::db::ConnectionPtr> OpenStore(const std::string& path) {
  return adapters::sqlite::Open(path, {.read_only = false, .create = true});
}

int Prepare(std::map<std::string, std::string> opt) {
  ooapi::sync::ImportOptions io;
  io.dir = opt["dir"];
  io.bestuur = opt["bestuur"];
  io.ref_date = opt.count("ref-date") ? opt["ref-date"] : "2025-09-01";
  const int copies = opt.count("copies") ? std::atoi(opt["copies"].c_str()) : 1;
  if (io.dir.empty() || io.bestuur.empty() || opt["db"].empty() || copies < 1) {
    std::fprintf(stderr, "prepare needs --dir, --bestuur, --db and --copies >= 1\n");
    return 2;
  }
  const auto t = Clock::now();
  auto snapshot = ooapi::sync::ImportDuo(io);
  if (!snapshot.ok()) {
    std::fprintf(stderr, "%s\n", snapshot.status().ToString().c_str());
    return 1;
  }
  // Copies keep the snapshot order: oe, then ao, then cohort.
  std::vector<Item> items;
  for (ooapi::sync::ItemKind kind :
       {ooapi::sync::ItemKind::kOe, ooapi::sync::ItemKind::kAo, ooapi::sync::ItemKind::kCohort}) {
    for (int c = 0; c < copies; ++c) {
      for (const Item& item : snapshot->items) {
        if (item.kind == kind) items.push_back(c == 0 ? item : Copy(item, c));
      }
    }
  }
  snapshot->items = std::move(items);
  std::filesystem::remove(opt["db"]);
  auto db = OpenStore(opt["db"]);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  auto id = ooapi::sync::SaveSnapshot(**db, *snapshot);
  if (!id.ok()) {
    std::fprintf(stderr, "%s\n", id.status().ToString().c_str());
    return 1;
  }
  int64_t in_scope = 0;
  for (const Item& item : snapshot->items) in_scope += item.in_bestuur ? 1 : 0;
  std::printf("copies %d: %lld RIO items in scope, %zu stored, snapshot %lld in %s (%.1f s)\n",
              copies, static_cast<long long>(in_scope), snapshot->items.size(),
              static_cast<long long>(*id), opt["db"].c_str(), Seconds(t, Clock::now()));
  return 0;
}

int RunPlan(std::map<std::string, std::string> opt) {
  if (opt["db"].empty() || opt["out"].empty()) {
    std::fprintf(stderr, "plan needs --db and --out\n");
    return 2;
  }
  const uint64_t seed = opt.count("seed") ? std::strtoull(opt["seed"].c_str(), nullptr, 10) : 7;
  // The SIS: derived from the stored snapshot, which is then dropped (untimed).
  ooapi::testing::SisData data;
  size_t sis_entities = 0, sis_offerings = 0;
  {
    auto db = OpenStore(opt["db"]);
    if (!db.ok()) {
      std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
      return 1;
    }
    auto snapshot = ooapi::sync::LoadSnapshot(**db, 0);
    if (!snapshot.ok()) {
      std::fprintf(stderr, "%s\n", snapshot.status().ToString().c_str());
      return 1;
    }
    data = std::move(ooapi::testing::GenerateMatchingSis(*snapshot, seed).data);
    sis_entities = data.specs.size() + data.programs.size() + data.courses.size();
    sis_offerings = data.offerings.size();
  }
  Marks marks;  // the adapter is gone when RunSyncCommand returns
  auto adapter = std::make_unique<TimedAdapter>(
      std::make_unique<ooapi::testing::MemorySisAdapter>(std::move(data)), &marks);
  const long rss_before = CurrentRssMb();
  Clock::time_point sis_opened;
  auto open_sis = [&](const std::string&) -> StatusOr<ooapi::app::SisHandle> {
    sis_opened = Clock::now();  // the snapshot is loaded
    ooapi::app::SisHandle handle;
    handle.adapter = std::move(adapter);
    handle.api =
        std::make_unique<ooapi::endpoint::Api>(handle.adapter.get(), ooapi::endpoint::ApiOptions{});
    handle.offering_window = "all";
    return handle;
  };
  const auto t0 = Clock::now();
  const int rc = ooapi::app::RunSyncCommand({"plan", "--db", opt["db"], "--out", opt["out"]},
                                            OpenStore, open_sis);
  const auto t1 = Clock::now();
  if (rc != 0) return rc;
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  const bool cohorts = marks.cohort_calls > 0;
  const auto match_end = cohorts ? marks.cohort_begin : t1;
  const auto cohort_end = cohorts ? marks.cohort_end : match_end;
  std::printf(
      "sync plan: %zu SIS entities, %zu offerings; load snapshot %.3f s, read SIS %.3f, match "
      "%.3f, cohort check %.3f (%lld offering requests), write plan %.3f (%lld bytes); total "
      "%.3f s; RSS before %ld MB (the in-memory SIS), peak %ld MB\n",
      sis_entities, sis_offerings, Seconds(t0, sis_opened), Seconds(sis_opened, marks.read_end),
      Seconds(marks.read_end, match_end), Seconds(match_end, cohort_end),
      static_cast<long long>(marks.cohort_calls), Seconds(cohort_end, t1),
      static_cast<long long>(std::filesystem::file_size(opt["out"])), Seconds(t0, t1), rss_before,
      usage.ru_maxrss / 1024);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  std::map<std::string, std::string> opt;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a.rfind("--", 0) != 0) break;
    opt[a.substr(2)] = argv[i + 1];
  }
  if (command == "prepare") return Prepare(opt);
  if (command == "plan") return RunPlan(opt);
  std::fprintf(stderr,
               "usage: ooapi-plan-bench prepare --dir DIR --bestuur CODE [--ref-date D] "
               "[--copies K] --db FILE\n"
               "       ooapi-plan-bench plan --db FILE --out plan.json [--seed N]\n");
  return 2;
}
