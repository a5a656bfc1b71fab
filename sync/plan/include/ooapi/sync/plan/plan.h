#pragma once
// The link plan of `sync plan`: every RIO item of a snapshot with its class (already linked,
// proposed, ambiguous, …), reason, evidence and the admin's decision, the cohort-loss findings,
// the plan file (a reviewable, versioned JSON file) and its report. Matching (match.h) makes a
// plan; `sync apply` carries out its accepted entries.
//
// Thread-safety: every function is pure or works on its arguments only.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi::sync {

// The classes of a plan item (the JSON values in quotes).
enum class PlanClass {
  kAlreadyLinked,  // "already_linked"
  kProposed,       // "proposed"
  kAmbiguous,      // "ambiguous": never proposed, every candidate listed
  kSisOnly,        // "sis_only": an upsert will create it later
  kRioOnly,        // "rio_only": a manual leftover
  kEduDex,         // "edudex": excluded unless included
  kConflict,       // "conflict"
};
std::string_view PlanClassName(PlanClass c);
std::optional<PlanClass> ParsePlanClass(std::string_view name);
const std::vector<PlanClass>& AllPlanClasses();

struct Candidate {
  std::string sis_id;
  double score = 0;
  std::vector<std::string> evidence;
};

// One RIO item, or one SIS-only entity. Admin fields are kept by MergeDecisions.
struct PlanItem {
  std::string kind;      // oe | ao | cohort | (SIS only) education-specification | program | ...
  std::string sector;    // HO | NFO ("" for SIS only)
  std::string rio_code;  // oe/ao code, cohort "<AO>/<cohortcode>"; "" for SIS only
  std::string rio_name;
  std::string rio_key;  // the RIO item's current eigen sleutel
  std::string sis_type;
  std::string sis_id;  // linked, proposed or SIS-only entity
  PlanClass cls = PlanClass::kRioOnly;
  double confidence = 0;  // proposed: the score (0..1]
  std::string reason;
  std::vector<std::string> evidence;
  std::vector<Candidate> candidates;  // ambiguous/conflict: all; else the runners-up
  // Admin decision: "" (none), "accept", "reject" or "override" (link to override_sis_id).
  std::string decision;
  std::string override_sis_id;
  bool include_edudex = false;  // EDU-DEX item to be managed through OOAPI from now on
  std::string note;
};

// One finding of the cohort-loss check.
struct CohortFinding {
  std::string ao_code;      // the RIO AO
  std::string sis_type;     // program | course
  std::string sis_id;       // its SIS entity
  std::string cohortcode;   // RIO cohort or the offering's code
  std::string offering_id;  // "" when RIO-only
  // "deleted" (a RIO cohort the endpoint does not serve: an upsert deletes it), "not_served" (a
  // SIS offering outside the offering window or not RIO-relevant), "date" or "status" difference.
  std::string finding;
  std::string detail;
};

struct Plan {
  static constexpr int kVersion = 1;
  int version = kVersion;
  int64_t snapshot_id = 0;
  std::string bestuur, ref_date, created_at;
  std::string offering_window;  // the endpoint's, for the cohort check
  std::vector<PlanItem> items;  // RIO items in snapshot order, then SIS-only items
  std::vector<CohortFinding> cohort_findings;
  std::vector<std::string> warnings;  // e.g. decisions of an old plan whose item is gone

  std::map<std::string, int64_t> Counts() const;  // class name -> items
};

// The plan file (format "ooapi-endpoint/sync-plan", version 1), documented in docs/sync-plan.md
// and plan_json.cc. ParsePlan refuses another format or a newer version.
std::string PlanToJson(const Plan& plan);
StatusOr<Plan> ParsePlan(std::string_view json);

// Copies every admin decision (decision, override, include_edudex, note) of `old_plan` onto the
// item of `plan` with the same identity (kind + RIO code; SIS-only: type + id). Decisions whose
// item is gone are reported in plan.warnings.
void MergeDecisions(Plan& plan, const Plan& old_plan);

// The report: .csv (one row per item, then the cohort findings), .html (one table per class and
// the cohort-loss list) or .xlsx (one sheet per class, "cohort loss" and "plan"); any other
// extension is refused.
Status WriteReport(const Plan& plan, const std::string& path);

}  // namespace ooapi::sync
