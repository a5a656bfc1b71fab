#pragma once
// A matching SIS side for the synthetic DUO data (a test and benchmark tool): a generator that
// derives a SIS from a RIO snapshot with planted exact, fuzzy (case, diacritics,
// prefixes/suffixes), ambiguous, SIS-only and RIO-only items and the ground truth of the right
// links, served by MemorySisAdapter.

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "ooapi/sync/rio/snapshot.h"
#include "ooapi/testing/memory_sis_adapter.h"

namespace ooapi::testing {

// The right answer per RIO code: "link:<sis id>" (to be proposed), "linked:<sis id>" (already
// linked), "ambiguous", "rio_only", "edudex", "conflict", or "not_proposed" (an OE left out of the
// SIS that shares a name or ISAT code with another OE: any class but proposed or already linked).
struct SisTruth {
  std::map<std::string, std::string> expected;
  std::set<std::string> sis_only;          // SIS ids planted with no RIO item
  std::map<std::string, int64_t> planted;  // "exact", "fuzzy", "ambiguous", ... -> count
};

struct MatchingSis {
  SisData data;
  SisTruth truth;
};

// Derives the SIS side from the snapshot's in-bestuur OEs and AOs (and cohorts as offerings).
// Deterministic for a seed.
MatchingSis GenerateMatchingSis(const sync::Snapshot& snapshot, uint64_t seed);

}  // namespace ooapi::testing
