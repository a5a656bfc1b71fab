#pragma once
// Runs ledger jobs against SURFeduhub: claims intents in priority order with a bounded number in
// flight, submits them, and polls their status with back-off until each is settled. Polling is the
// source of truth; webhooks only speed it up. Never busy-waits and never gives up on a job that is
// still pending or in progress (the mapper may keep one in progress for more than 12 minutes),
// unless a deadline is set.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/sync/link/clock.h"
#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/link/surf.h"

namespace ooapi::sync {

struct RunnerOptions {
  int max_in_flight = 4;               // submitted jobs not yet settled, at most
  int poll_initial_ms = 2000;          // first status poll after submitting
  int poll_max_ms = 60000;             // the back-off (x1.5 per poll) stops growing here
  int submit_retry_initial_ms = 1000;  // after a 5xx or a refused connection (nothing queued)
  int submit_retry_max_ms = 60000;
  int max_submit_attempts = 0;  // 0 = keep trying; else give up (job stays an intent)
  bool submit_only = false;     // return once every intent is sent (or given up), without polling
  std::chrono::milliseconds deadline{0};  // 0 = none; else stop waiting (jobs stay as they are)
  std::string callback_base;              // "" = no X-Callback; else <base>/<job's callback secret>
  // Called after every change, with the jobs being run (for a progress display).
  std::function<void(const std::vector<LedgerJob>&)> on_progress;
  // Asked once per loop turn (at least once a second): true makes Run return at once with
  // aborted = true and abort_reason "stopped"; the jobs stay as they are (a later Run resumes
  // them). For a runner inside a server that must stop on SIGTERM. Empty = never.
  std::function<bool()> stop;
  // Every time the runner reads (back-off, polls, deadline, heartbeat interval) and every wait
  // comes from this clock; nullptr: Clock::Default(). Not owned; it must outlive Run. The ledger
  // has a clock of its own (Ledger's constructor); tests give both the same.
  Clock* clock = nullptr;
};

struct RunSummary {
  int done = 0, error = 0, time_out = 0, rejected = 0, in_doubt = 0, waiting = 0;
  bool aborted = false;  // stopped early: token refused, or the deadline
  std::string abort_reason;
};

class JobRunner {
 public:
  JobRunner(Ledger& ledger, SurfClient& client, RunnerOptions options);
  // Runs the jobs `ids` (intents are sent, submitted ones polled, settled and in-doubt ones left
  // alone) until none is in flight or waiting. Ledger failures are returned as errors.
  StatusOr<RunSummary> Run(const std::vector<int64_t>& ids);

 private:
  Ledger& ledger_;
  SurfClient& client_;
  RunnerOptions options_;
};

}  // namespace ooapi::sync
