#include "ooapi/sync/link/runner.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <map>
#include <thread>

#include "ooapi/common/log.h"

namespace ooapi::sync {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds Grow(milliseconds current, int max_ms) {
  return std::min(milliseconds(max_ms), milliseconds(current.count() * 3 / 2 + 1));
}

// Test hook for the crash-safety tests (tests/conformance/link_e2e.sh): OOAPI_TEST_CRASH_POINT=
// "after-post:N" kills this process with SIGKILL right after the N-th accepted POST, before its
// token is recorded (the in-doubt window); "after-record:N" right after the N-th token is
// recorded. Unset in production; the configuration loader ignores OOAPI_TEST_* variables.
class CrashPoint {
 public:
  CrashPoint() {
    const char* spec = std::getenv("OOAPI_TEST_CRASH_POINT");
    if (spec == nullptr) return;
    const std::string text(spec);
    const size_t colon = text.find(':');
    if (colon == std::string::npos) return;
    where_ = text.substr(0, colon);
    at_ = std::atoi(text.c_str() + colon + 1);
  }
  void Reached(const char* where) {
    if (where_ != where || at_ <= 0) return;
    if (++count_ == at_) ::kill(::getpid(), SIGKILL);
  }

 private:
  std::string where_;
  int at_ = 0;
  int count_ = 0;
};

}  // namespace

JobRunner::JobRunner(Ledger& ledger, SurfClient& client, RunnerOptions options)
    : ledger_(ledger), client_(client), options_(std::move(options)) {}

StatusOr<RunSummary> JobRunner::Run(const std::vector<int64_t>& ids) {
  RunSummary summary;
  const Clock::time_point start = Clock::now();
  struct Schedule {
    Clock::time_point next;
    milliseconds interval;
  };
  std::map<int64_t, Schedule> polls;    // submitted jobs: when to ask next
  std::map<int64_t, Schedule> retries;  // intents that met a 5xx/refusal: not before
  std::map<int64_t, int> submit_attempts;
  CrashPoint crash;
  OOAPI_RETURN_IF_ERROR(ledger_.Heartbeat());
  OOAPI_RETURN_IF_ERROR(ledger_.RecoverOrphans().status());
  Clock::time_point last_heartbeat = Clock::now();

  for (;;) {
    OOAPI_ASSIGN_OR_RETURN(std::vector<LedgerJob> jobs, ledger_.GetMany(ids));
    if (options_.on_progress) options_.on_progress(jobs);
    int in_flight = 0;
    std::vector<int64_t> ready_intents;
    int64_t lowest_waiting = INT64_MAX;
    bool waiting_for_others = false;
    const Clock::time_point now = Clock::now();
    for (const LedgerJob& job : jobs) {
      if (job.state == JobState::kSubmitted) {
        ++in_flight;
        polls.emplace(job.id, Schedule{now, milliseconds(0)});  // found after a restart: ask now
      } else if (job.state == JobState::kSubmitting) {
        ++in_flight;
        if (job.owner != ledger_.owner()) waiting_for_others = true;
      } else if (job.state == JobState::kIntent) {
        lowest_waiting = std::min(lowest_waiting, job.priority);
      }
    }
    // Submission follows the priority (parents, then variants, then offered programmes) also
    // across retries: nothing of a later level is sent while an earlier one still waits.
    for (const LedgerJob& job : jobs) {
      if (job.state != JobState::kIntent || job.priority != lowest_waiting) continue;
      auto r = retries.find(job.id);
      if (r == retries.end() || r->second.next <= now) ready_intents.push_back(job.id);
    }
    const bool any_intent = std::any_of(jobs.begin(), jobs.end(),
                                        [](const LedgerJob& j) { return j.state == JobState::kIntent; });
    if (in_flight == 0 && !any_intent) break;
    if (options_.submit_only && !any_intent &&
        std::none_of(jobs.begin(), jobs.end(), [&](const LedgerJob& j) {
          return j.state == JobState::kSubmitting && j.owner == ledger_.owner();
        })) {
      break;
    }
    if (options_.deadline.count() > 0 && now - start > options_.deadline) {
      summary.aborted = true;
      summary.abort_reason = "deadline passed";
      break;
    }
    if (options_.stop && options_.stop()) {
      summary.aborted = true;
      summary.abort_reason = "stopped";
      break;
    }
    if (now - last_heartbeat > std::chrono::seconds(5)) {
      OOAPI_RETURN_IF_ERROR(ledger_.Heartbeat());
      if (waiting_for_others) OOAPI_RETURN_IF_ERROR(ledger_.RecoverOrphans().status());
      last_heartbeat = now;
    }

    // Submit, in priority order, while there is room.
    const int room = options_.max_in_flight - in_flight;
    bool claimed_any = false;
    if (room > 0 && !ready_intents.empty()) {
      // One job at a time, claimed right before its POST: a job is `submitting` only while its
      // request is on the wire, so a crash leaves at most that one in doubt.
      for (int sent = 0; sent < room && !ready_intents.empty(); ++sent) {
        OOAPI_ASSIGN_OR_RETURN(std::vector<LedgerJob> claimed, ledger_.Claim(ready_intents, 1));
        if (claimed.empty()) break;
        claimed_any = true;
        const LedgerJob& job = claimed.front();
        SurfJob surf = job.ToSurfJob();
        if (!options_.callback_base.empty() && !job.callback_secret.empty()) {
          surf.callback_url = options_.callback_base + "/" + job.callback_secret;
        }
        const SubmitResult r = client_.Submit(surf);
        switch (r.outcome) {
          case SubmitResult::kAccepted:
            crash.Reached("after-post");
            OOAPI_RETURN_IF_ERROR(ledger_.MarkSubmitted(job.id, r.token));
            crash.Reached("after-record");
            polls[job.id] = Schedule{Clock::now() + milliseconds(options_.poll_initial_ms),
                                     milliseconds(options_.poll_initial_ms)};
            retries.erase(job.id);
            log::Info("sync_job_submitted", {{"job", std::to_string(job.id)},
                                             {"action", std::string(SurfActionName(job.action))},
                                             {"rio_code", job.rio_code},
                                             {"token", r.token}});
            break;
          case SubmitResult::kRetry: {
            OOAPI_RETURN_IF_ERROR(ledger_.MarkRetry(job.id, r.message));
            ready_intents.erase(std::remove(ready_intents.begin(), ready_intents.end(), job.id),
                                ready_intents.end());
            const int attempts = ++submit_attempts[job.id];
            auto& s = retries[job.id];
            s.interval = attempts == 1 ? milliseconds(options_.submit_retry_initial_ms)
                                       : Grow(s.interval, options_.submit_retry_max_ms);
            s.next = Clock::now() + s.interval;
            log::Warn("sync_job_retry", {{"job", std::to_string(job.id)},
                                         {"message", r.message},
                                         {"retry_in_ms", std::to_string(s.interval.count())}});
            const bool token_down = r.http_status == 0 && r.message.rfind("token endpoint", 0) == 0;
            if (options_.max_submit_attempts > 0 && attempts >= options_.max_submit_attempts) {
              summary.aborted = true;
              summary.abort_reason =
                  (token_down ? "cannot get a token: " : "cannot submit: ") + r.message;
            }
            break;
          }
          case SubmitResult::kInDoubt:
            OOAPI_RETURN_IF_ERROR(ledger_.MarkInDoubt(job.id, r.message));
            log::Warn("sync_job_in_doubt",
                      {{"job", std::to_string(job.id)}, {"message", r.message}});
            break;
          case SubmitResult::kRejected:
            if (r.http_status == 401 || r.http_status == 403) {
              // Our credentials are refused (token endpoint, or a client without an OIN): nothing
              // was queued and every job would fare alike. The job goes back to the queue and the
              // run stops; once the configuration is fixed, running it again continues.
              OOAPI_RETURN_IF_ERROR(ledger_.MarkRetry(job.id, r.message));
              summary.aborted = true;
              summary.abort_reason = r.message;
            } else {
              OOAPI_RETURN_IF_ERROR(ledger_.MarkRejected(job.id, r.message));
            }
            break;
        }
        if (summary.aborted) break;
      }
      if (summary.aborted) break;
    }

    // Poll what is due.
    const Clock::time_point poll_now = Clock::now();
    for (auto it = polls.begin(); it != polls.end();) {
      const auto job = std::find_if(jobs.begin(), jobs.end(),
                                    [&](const LedgerJob& j) { return j.id == it->first; });
      if (it->second.next > poll_now) {
        ++it;
        continue;
      }
      if (job == jobs.end() || (job->state != JobState::kSubmitted && job->state != JobState::kSubmitting)) {
        it = polls.erase(it);
        continue;
      }
      OOAPI_ASSIGN_OR_RETURN(LedgerJob fresh, ledger_.Get(it->first));
      if (fresh.state != JobState::kSubmitted) {  // settled by a webhook meanwhile
        it = polls.erase(it);
        continue;
      }
      StatusOr<SurfStatus> status = client_.GetStatus(fresh.token);
      if (status.ok()) {
        OOAPI_RETURN_IF_ERROR(ledger_.RecordStatus(fresh.id, *status, "poll"));
        if (status->Final()) {
          it = polls.erase(it);
          continue;
        }
      } else if (status.status().code() == StatusCode::kNotFound) {
        // Expired at SURFeduhub (statuses live 7 days): record it as unknown, settled.
        SurfStatus unknown;
        unknown.status = "time-out";
        unknown.message = status.status().message();
        OOAPI_RETURN_IF_ERROR(ledger_.RecordStatus(fresh.id, unknown, "poll"));
        it = polls.erase(it);
        continue;
      } else {
        log::Warn("sync_job_poll_failed",
                  {{"job", std::to_string(fresh.id)}, {"message", status.status().message()}});
      }
      it->second.interval = it->second.interval.count() == 0
                                ? milliseconds(options_.poll_initial_ms)
                                : Grow(it->second.interval, options_.poll_max_ms);
      it->second.next = Clock::now() + it->second.interval;
      ++it;
    }

    // Sleep until the next thing is due (at most a second, to notice webhooks and other
    // processes' progress).
    Clock::time_point wake = Clock::now() + std::chrono::seconds(1);
    for (const auto& [id, s] : polls) wake = std::min(wake, s.next);
    for (const auto& [id, s] : retries) wake = std::min(wake, s.next);
    if (!claimed_any) {
      std::this_thread::sleep_until(std::max(wake, Clock::now() + milliseconds(5)));
    }
  }

  OOAPI_ASSIGN_OR_RETURN(std::vector<LedgerJob> final_jobs, ledger_.GetMany(ids));
  if (options_.on_progress) options_.on_progress(final_jobs);
  for (const LedgerJob& job : final_jobs) {
    if (job.state == JobState::kDone) {
      ++summary.done;
    } else if (job.state == JobState::kError) {
      ++summary.error;
    } else if (job.state == JobState::kTimeOut) {
      ++summary.time_out;
    } else if (job.state == JobState::kRejected) {
      ++summary.rejected;
    } else if (job.state == JobState::kInDoubt) {
      ++summary.in_doubt;
    } else {
      ++summary.waiting;
    }
  }
  return summary;
}

}  // namespace ooapi::sync
