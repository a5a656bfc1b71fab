#pragma once
// `sync plan` (issue 6, the guide's step 3): match a RIO snapshot with the SIS entities the
// endpoint serves, and write a reviewable, versioned link plan.
//
// Matching is pure (MatchPlan) over a flattened view of the SIS (SisSide) that LoadSisSide reads
// through the adapter interface, so it runs the same on every backend. Evidence, strongest first
// (duo-opendata.md §5.6): an existing key (case-insensitive) → already linked; for an
// opleidingseenheid the ISAT/CROHO code + niveau + soort (a variant through its parent), names of
// all periods normalised (NormalizeName), studielast and unit, begin date and lifetime overlap;
// an aangeboden opleiding only under its matched opleidingseenheid (aanbieder, locatie, vorm,
// voertaal, name, dates); a cohort within its matched AO by cohort code, then by intake date.
// Candidates are found through blocking indexes (ISAT code, normalised name, parent), so the cost
// grows with the number of items, not with their product.
//
// Thread-safety: every function is pure or works on its arguments only.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/common/status.h"
#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::endpoint {
class Api;
}

namespace ooapi::sync {

// Lower case, diacritics folded to ASCII, punctuation as spaces, whitespace collapsed, and the
// common Dutch prefixes ("B ", "M ", "AD ", "BA ", "MA ") and form suffixes ("VT", "DT", "DU",
// "voltijd", "deeltijd", "duaal") removed. "B Zorg & Welzijn (VT)" → "zorg welzijn".
std::string NormalizeName(std::string_view name);

// One SIS entity as the matcher sees it. Codes and values in RIO's vocabulary.
struct SisEntity {
  std::string type;       // "education-specification" | "program" | "course"
  std::string id;         // lowercase UUID
  std::string parent_id;  // spec: parent spec (variants); program/course: its education spec
  bool variant = false;   // spec: rio.subType "variant" (RIO SOORT VARIANT)
  std::string isat;       // spec: the crohoCreboCode/isat identifier ("" none)
  std::vector<std::string> names;  // every name of every period and language
  std::string niveau;              // RIO NIVEAU derived from level + sector ("" unknown)
  std::string studielast;          // integer text ("" unknown)
  std::string studielasteenheid;   // RIO unit, e.g. ECTS_PUNT
  std::string begin, end;  // validFrom / validTo (program: firstStartDate when no validFrom)
  std::string aanbieder, locatie;     // rio educationOffererCode / educationLocationCode
  std::string vorm;                   // VOLTIJD | DEELTIJD | DUAAL ("" unknown)
  std::vector<std::string> voertaal;  // upper-case ISO 639-2, sorted
};
struct SisOffering {
  std::string id;
  std::string parent_id;  // program or course id
  std::string code;       // primaryCode.code = the cohort code the mapper sends
  std::string start_date;
};
struct SisSide {
  std::vector<SisEntity> entities;
  std::vector<SisOffering> offerings;
};

// Reads every RIO-relevant education specification (with its timeline overrides, for the names of
// all periods), program, course and offering (consumer=rio, pages of 250).
StatusOr<SisSide> LoadSisSide(adapters::SisAdapter& adapter);

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

struct MatchOptions {
  double propose_threshold = 0.5;        // a best score below this is no match
  double ambiguity_margin = 0.15;        // a runner-up within this of the best makes it ambiguous
  std::set<std::string> include_edudex;  // RIO codes of EDU-DEX items the admin included
};

// Classifies every in-bestuur item of the snapshot, and every SIS entity no RIO item matched.
Plan MatchPlan(const Snapshot& snapshot, const SisSide& sis, const MatchOptions& options = {});

// Fetches each linked/proposed AO's offerings through `api` exactly as the RIO mapper does
// (`/programs/{id}/offerings?pageSize=250&consumer=rio`, `&pageNumber=N` while a page is full; the
// course equivalent) and compares them with the AO's RIO cohorts; offerings the adapter holds but
// the endpoint does not serve (the offering window) are listed too.
StatusOr<std::vector<CohortFinding>> CheckCohortLoss(const Plan& plan, const Snapshot& snapshot,
                                                     const endpoint::Api& api,
                                                     adapters::SisAdapter& adapter);

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
