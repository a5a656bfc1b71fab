#include "plan_command.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "link_command.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/plan/cohort_check.h"
#include "ooapi/sync/plan/match.h"
#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/plan/sis_side.h"
#include "ooapi/sync/rio/store.h"

namespace ooapi::app {
namespace {

template <typename T>
StatusOr<T> AsRuntimeOr(StatusOr<T> result) {
  if (!result.ok()) return AsRuntime(result.status());
  return result;
}

// The report's format comes from its extension; checked before anything is written.
Status CheckReportPath(const std::string& path) {
  for (const char* extension : {".csv", ".html", ".xlsx"}) {
    const std::string_view e(extension);
    if (path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) {
      return Status::Ok();
    }
  }
  return InvalidArgument("option '--report' must name a .csv, .html or .xlsx file, got '" + path +
                         "'");
}

// The plan of --merge, whose decisions (and include_edudex marks) the new plan keeps.
StatusOr<sync::Plan> ReadOldPlan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return InvalidArgument("--merge " + path + ": cannot read file");
  StatusOr<sync::Plan> parsed = sync::ParsePlan(text.str());
  if (!parsed.ok()) return parsed.status().WithPrefix("--merge " + path);
  return parsed;
}

Status WritePlan(const sync::Plan& plan, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  out << sync::PlanToJson(plan);
  out.close();
  if (!out) return Unavailable("cannot write " + path);
  return Status::Ok();
}

// Reads the snapshot and the SIS, matches, merges the old decisions and checks the cohorts.
StatusOr<sync::Plan> MakePlan(const ParsedArgs& a, int64_t snapshot_id, const sync::Plan* old,
                              const DatabaseOpener& open_database, const SisOpener& open_sis) {
  sync::MatchOptions options;
  if (old != nullptr) {
    for (const sync::PlanItem& p : old->items) {
      if (p.include_edudex) options.include_edudex.insert(p.rio_code);
    }
  }
  OOAPI_ASSIGN_OR_RETURN(db::ConnectionPtr connection,
                         OpenDatabase(open_database, a.GetOr("db", std::string(kDefaultSyncDb))));
  OOAPI_ASSIGN_OR_RETURN(sync::Snapshot snapshot, sync::LoadSnapshot(*connection, snapshot_id));
  OOAPI_ASSIGN_OR_RETURN(SisHandle sis, open_sis(a.GetOr("config", "")));
  // Past the configuration, a failure of the SIS is a runtime one whatever its code.
  OOAPI_ASSIGN_OR_RETURN(sync::SisSide side, AsRuntimeOr(sync::LoadSisSide(*sis.adapter)));
  sync::Plan plan = sync::MatchPlan(snapshot, side, options);
  plan.offering_window = sis.offering_window;
  plan.created_at = snapshot.created_at;
  if (old != nullptr) sync::MergeDecisions(plan, *old);
  OOAPI_ASSIGN_OR_RETURN(plan.cohort_findings, AsRuntimeOr(sync::CheckCohortLoss(
                                                   plan, snapshot, *sis.api, *sis.adapter)));
  return plan;
}

int Plan(const ParsedArgs& a, const DatabaseOpener& open_database, const SisOpener& open_sis) {
  const std::string_view cmd = kSyncPlanCommand.name;
  StatusOr<int64_t> snapshot_id = a.Int("snapshot", 0, 1);
  if (!snapshot_id.ok()) return Fail(cmd, snapshot_id.status());
  if (auto report = a.Get("report")) {
    if (Status s = CheckReportPath(*report); !s.ok()) return Fail(cmd, s);
  }
  std::optional<sync::Plan> old;
  if (auto merge = a.Get("merge")) {
    StatusOr<sync::Plan> read = ReadOldPlan(*merge);
    if (!read.ok()) return Fail(cmd, read.status());
    old = std::move(read).value();
  }
  StatusOr<sync::Plan> plan =
      MakePlan(a, *snapshot_id, old ? &*old : nullptr, open_database, open_sis);
  if (!plan.ok()) return Fail(cmd, plan.status());
  if (Status s = WritePlan(*plan, *a.Get("out")); !s.ok()) return Fail(cmd, s);
  if (auto report = a.Get("report")) {
    if (Status s = sync::WriteReport(*plan, *report); !s.ok()) return Fail(cmd, AsRuntime(s));
  }
  for (const auto& w : plan->warnings) std::cerr << "warning: " << w << "\n";
  for (const auto& [cls, n] : plan->Counts()) std::cout << cls << " " << n << "\n";
  std::cout << "cohort_findings " << plan->cohort_findings.size() << "\n";
  return kExitOk;
}

}  // namespace

int RunSyncCommand(const std::vector<std::string>& args, const DatabaseOpener& open_database,
                   const SisOpener& open_sis) {
  return RunGroup(
      kSyncGroup,
      {CommandRoute(kSyncPlanCommand,
                    [&](const ParsedArgs& a) { return Plan(a, open_database, open_sis); }),
       CommandRoute(kSyncApplyCommand,
                    [&](const ParsedArgs& a) { return SyncApply(a, open_database); }),
       CommandRoute(kSyncVerifyCommand,
                    [&](const ParsedArgs& a) { return SyncVerify(a, open_database); })},
      args);
}

}  // namespace ooapi::app
