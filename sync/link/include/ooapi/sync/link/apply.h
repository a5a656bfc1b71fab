#pragma once
// The logic of `sync apply` between reading a plan and running its jobs, as pure functions: the
// accepted entries of a plan as ordered link operations (phase 1), their local validation with the
// RIO mapper's rules (phase 2), and what to do with each given the ledger's newest job for its
// item (phase 3). The command does the I/O around them: the plan file, the snapshot, the ledger
// transaction and the runner.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/link/rules.h"
#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::sync {

// One link a plan asks for.
struct PlannedLink {
  LinkOp op;                    // always a kLink
  std::string item;             // "oe:CODE" or "ao:CODE", as the plan names the entry
  int64_t priority = 0;         // claim order: 0 a parent OE, 1 a variant OE, 2 an AO
  bool include_edudex = false;  // the plan entry's include_edudex
  std::string key_lost;         // set by CheckPlannedLinks: the key the link overwrites
};

struct AcceptedLinks {
  std::vector<PlannedLink> links;    // parents, then variants, then offered programmes
  std::vector<std::string> skipped;  // "oe:CODE: why", accepted but not linkable as they stand
};

// Phase 1. The entries of `plan` an admin accepted (decision accept, or override with
// override_sis_id) on an oe or ao, as link operations in claim order; within a priority the plan's
// order is kept. An accepted already_linked entry needs nothing; an EDU-DEX one without
// include_edudex, an accepted ambiguous one, and one without a SIS id are skipped with the reason.
// `snapshot` tells which OE is a variant (VARIANT_VAN set); an OE it lacks counts as a parent.
AcceptedLinks OrderAcceptedLinks(const Plan& plan, const Snapshot& snapshot);

struct CheckedLinks {
  std::vector<PlannedLink> valid;    // in the order given, key_lost set
  std::vector<std::string> refused;  // "oe:CODE: why"; nothing is sent for these
  std::vector<std::string> notes;    // "oe:CODE: note", what the admin must see before it runs
};

// Phase 2. Every link through CheckLinkOp against `index` (the newest snapshot), with `force` and
// the entry's include_edudex.
CheckedLinks CheckPlannedLinks(const std::vector<PlannedLink>& links, const LinkIndex& index,
                               bool force);

struct ApplyFlags {
  bool resubmit_in_doubt = false;  // --resubmit-in-doubt
  bool retry_failed = false;       // --retry-failed
};

enum class LedgerStep {
  kEnqueue,  // no job for the item, another one that settled, or a retried failure: a new intent
  kAlreadyDone,  // the same link is done
  kResume,       // the same link is under way (intent, submitting, submitted): run it
  kRequeue,      // the same link is in doubt and the admin says send it again
  kHeld,         // not sent now; `why` says what the admin can do
};

struct LedgerDecision {
  LedgerStep step = LedgerStep::kEnqueue;
  bool busy = false;  // kHeld because another job on the item is still active
  std::string why;    // for kHeld
};

// Phase 3. What to do with a valid link given `latest`, the newest ledger job of its item.
LedgerDecision DecideLedgerStep(const PlannedLink& link, const std::optional<LedgerJob>& latest,
                                const ApplyFlags& flags);

// The ledger job for a kEnqueue: source apply, `actor`, the key it overwrites and its priority.
LedgerJob NewApplyJob(const PlannedLink& link, const std::string& actor);

}  // namespace ooapi::sync
