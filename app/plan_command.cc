#include "plan_command.h"

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "ooapi/common/strings.h"
#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/rio/store.h"

namespace ooapi::sync {
namespace {

constexpr std::string_view kUsage =
    "usage: ooapi-endpoint sync plan [--db PATH|URL] [--config FILE] [--snapshot ID]\n"
    "           --out plan.json [--report FILE.xlsx|.csv|.html] [--merge old.json]\n"
    "\n"
    "Matches every item of a RIO snapshot (default: the latest in var/sync.db) with the SIS\n"
    "entities the endpoint serves, classifies each (already_linked, proposed, ambiguous,\n"
    "conflict, edudex, rio_only, sis_only) with reason and evidence, checks through the endpoint\n"
    "which RIO cohorts an upsert would delete, and writes the plan. Edit decision (accept,\n"
    "reject, override + override_sis_id) and include_edudex per item; --merge old.json keeps\n"
    "those decisions when re-planning.\n";

int Fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ? 2 : 1;
}

}  // namespace

int RunSyncCommand(const std::vector<std::string>& args, const DatabaseOpener& open_database,
                   const SisOpener& open_sis) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "plan") {
    std::cerr << "error: unknown sync command '" << args[0] << "'\n" << kUsage;
    return 2;
  }
  std::map<std::string, std::string> opt = {{"db", "var/sync.db"}, {"snapshot", "0"}};
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--help") {
      std::cout << kUsage;
      return 0;
    }
    static const std::vector<std::string> kKnown = {"db",  "config", "snapshot",
                                                    "out", "report", "merge"};
    const std::string name = StartsWith(args[i], "--") ? args[i].substr(2) : "";
    if (std::find(kKnown.begin(), kKnown.end(), name) == kKnown.end() || i + 1 >= args.size()) {
      std::cerr << "error: unexpected argument '" << args[i] << "'\n" << kUsage;
      return 2;
    }
    opt[name] = args[++i];
  }
  if (opt["out"].empty()) {
    std::cerr << "error: --out is required\n" << kUsage;
    return 2;
  }
  auto snapshot_id = ParseInt64(opt["snapshot"]);
  if (!snapshot_id || *snapshot_id < 0) {
    std::cerr << "error: --snapshot must be a snapshot id\n";
    return 2;
  }
  Plan old;
  const bool merge = !opt["merge"].empty();
  MatchOptions options;
  if (merge) {
    std::ifstream in(opt["merge"], std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return Fail(InvalidArgument("cannot read " + opt["merge"]));
    auto parsed = ParsePlan(text.str());
    if (!parsed.ok()) return Fail(parsed.status().WithPrefix("--merge " + opt["merge"]));
    old = std::move(parsed).value();
    for (const auto& p : old.items) {
      if (p.include_edudex) options.include_edudex.insert(p.rio_code);
    }
  }
  auto connection = open_database(opt["db"]);
  if (!connection.ok()) return Fail(connection.status());
  auto snapshot = LoadSnapshot(**connection, *snapshot_id);
  if (!snapshot.ok()) return Fail(snapshot.status());
  auto sis = open_sis(opt["config"]);
  if (!sis.ok()) return Fail(sis.status());
  auto side = LoadSisSide(*sis->adapter);
  if (!side.ok()) return Fail(side.status());
  Plan plan = MatchPlan(*snapshot, *side, options);
  plan.offering_window = sis->offering_window;
  plan.created_at = snapshot->created_at;
  if (merge) MergeDecisions(plan, old);
  auto findings = CheckCohortLoss(plan, *snapshot, *sis->api, *sis->adapter);
  if (!findings.ok()) return Fail(findings.status());
  plan.cohort_findings = std::move(findings).value();
  {
    std::ofstream out(opt["out"], std::ios::binary);
    out << PlanToJson(plan);
    out.close();
    if (!out) return Fail(Unavailable("cannot write " + opt["out"]));
  }
  if (!opt["report"].empty()) {
    Status s = WriteReport(plan, opt["report"]);
    if (!s.ok()) return Fail(s);
  }
  for (const auto& w : plan.warnings) std::cerr << "warning: " << w << "\n";
  for (const auto& [cls, n] : plan.Counts()) std::cout << cls << " " << n << "\n";
  std::cout << "cohort_findings " << plan.cohort_findings.size() << "\n";
  return 0;
}

}  // namespace ooapi::sync
