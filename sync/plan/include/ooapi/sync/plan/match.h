#pragma once
// Matching a RIO snapshot with the SIS side into a plan.
//
// Matching is pure (MatchPlan) over a flattened view of the SIS (SisSide). Evidence, strongest
// first: an existing key (case-insensitive) → already linked; for an opleidingseenheid the
// ISAT/CROHO code + niveau + soort (a variant through its parent), names of all periods normalised
// (NormalizeName), studielast and unit, begin date and lifetime overlap; an aangeboden opleiding
// only under its matched opleidingseenheid (aanbieder, locatie, vorm, voertaal, name, dates); a
// cohort within its matched AO by cohort code, then by intake date. Candidates are found through
// blocking indexes (ISAT code, normalised name, parent), so the cost grows with the number of
// items, not with their product.
//
// Thread-safety: every function is pure.

#include <set>
#include <string>
#include <string_view>

#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/plan/sis_side.h"
#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::sync {

// Lower case, diacritics folded to ASCII, punctuation as spaces, whitespace collapsed, and the
// common Dutch prefixes ("B ", "M ", "AD ", "BA ", "MA ") and form suffixes ("VT", "DT", "DU",
// "voltijd", "deeltijd", "duaal") removed. "B Zorg & Welzijn (VT)" → "zorg welzijn".
std::string NormalizeName(std::string_view name);

struct MatchOptions {
  double propose_threshold = 0.5;        // a best score below this is no match
  double ambiguity_margin = 0.15;        // a runner-up within this of the best makes it ambiguous
  std::set<std::string> include_edudex;  // RIO codes of EDU-DEX items the admin included
};

// Classifies every in-bestuur item of the snapshot, and every SIS entity no RIO item matched.
Plan MatchPlan(const Snapshot& snapshot, const SisSide& sis, const MatchOptions& options = {});

}  // namespace ooapi::sync
