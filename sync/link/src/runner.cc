#include "ooapi/sync/link/runner.h"

#include <unistd.h>
#include <csignal>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <map>
#include <utility>

#include "ooapi/common/log.h"

namespace ooapi::sync {
namespace {

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

// When a job is due next: the next status poll of a submitted job, or the next POST of an intent
// that met a 5xx or a refused connection.
struct Schedule {
  Clock::SteadyTime next;
  milliseconds interval;
};

// What one look at the jobs of a run found.
struct View {
  std::vector<LedgerJob> jobs;
  Clock::SteadyTime now;
  int in_flight = 0;                // submitting or submitted
  bool any_intent = false;          // something is still to be sent
  bool own_submitting = false;      // this process is sending one of them
  bool waiting_for_others = false;  // another process is sending one of them
  // Intents of the lowest priority still waiting whose retry, if any, is due; in ledger order.
  std::vector<int64_t> ready;
};

// One call of JobRunner::Run: the schedules of its jobs, and the phases of each turn of its loop
// (look at the jobs, submit what is ready, poll what is due, sleep), then the summary.
class RunLoop {
 public:
  RunLoop(Ledger& ledger, SurfClient& client, const RunnerOptions& options,
          const std::vector<int64_t>& ids)
      : ledger_(ledger),
        client_(client),
        options_(options),
        clock_(options.clock != nullptr ? *options.clock : *Clock::Default()),
        ids_(ids),
        start_(clock_.Now()) {}

  StatusOr<RunSummary> Run();

 private:
  StatusOr<View> Look();
  bool Finished(const View& view);
  Status KeepAlive(const View& view);
  StatusOr<bool> SubmitReady(View& view);
  Status Submit(const LedgerJob& job, std::vector<int64_t>& ready);
  Status Accepted(const LedgerJob& job, const SubmitResult& r);
  Status Retry(const LedgerJob& job, const SubmitResult& r, std::vector<int64_t>& ready);
  Status Rejected(const LedgerJob& job, const SubmitResult& r);
  Status PollDue(const View& view);
  StatusOr<bool> Poll(const View& view, int64_t id, Schedule& schedule);
  void Sleep();
  StatusOr<RunSummary> Summarize();

  bool Abort(std::string reason) {
    summary_.aborted = true;
    summary_.abort_reason = std::move(reason);
    return true;
  }

  Ledger& ledger_;
  SurfClient& client_;
  const RunnerOptions& options_;
  Clock& clock_;
  const std::vector<int64_t>& ids_;
  const Clock::SteadyTime start_;
  Clock::SteadyTime last_heartbeat_;
  std::map<int64_t, Schedule> polls_;    // submitted jobs: when to ask next
  std::map<int64_t, Schedule> retries_;  // intents that met a 5xx/refusal: not before
  std::map<int64_t, int> submit_attempts_;
  CrashPoint crash_;
  RunSummary summary_;
};

StatusOr<RunSummary> RunLoop::Run() {
  OOAPI_RETURN_IF_ERROR(ledger_.Heartbeat());
  OOAPI_RETURN_IF_ERROR(ledger_.RecoverOrphans().status());
  last_heartbeat_ = clock_.Now();
  for (;;) {
    OOAPI_ASSIGN_OR_RETURN(View view, Look());
    if (Finished(view)) break;
    OOAPI_RETURN_IF_ERROR(KeepAlive(view));
    OOAPI_ASSIGN_OR_RETURN(const bool claimed_any, SubmitReady(view));
    if (summary_.aborted) break;
    OOAPI_RETURN_IF_ERROR(PollDue(view));
    if (!claimed_any) Sleep();
  }
  return Summarize();
}

// Reads the jobs, reports them, and works out what is in flight and what may be sent now.
StatusOr<View> RunLoop::Look() {
  View view;
  OOAPI_ASSIGN_OR_RETURN(view.jobs, ledger_.GetMany(ids_));
  if (options_.on_progress) options_.on_progress(view.jobs);
  view.now = clock_.Now();
  int64_t lowest_waiting = INT64_MAX;
  for (const LedgerJob& job : view.jobs) {
    if (job.state == JobState::kSubmitted) {
      ++view.in_flight;
      // Submitted by an earlier run (or before a restart): ask now.
      polls_.emplace(job.id, Schedule{view.now, milliseconds(0)});
    } else if (job.state == JobState::kSubmitting) {
      ++view.in_flight;
      if (job.owner == ledger_.owner()) {
        view.own_submitting = true;
      } else {
        view.waiting_for_others = true;
      }
    } else if (job.state == JobState::kIntent) {
      view.any_intent = true;
      lowest_waiting = std::min(lowest_waiting, job.priority);
    }
  }
  // Submission follows the priority (parents, then variants, then offered programmes) also
  // across retries: nothing of a later level is sent while an earlier one still waits.
  for (const LedgerJob& job : view.jobs) {
    if (job.state != JobState::kIntent || job.priority != lowest_waiting) continue;
    auto r = retries_.find(job.id);
    if (r == retries_.end() || r->second.next <= view.now) view.ready.push_back(job.id);
  }
  return view;
}

// True when the run ends here: nothing is left to send or to wait for (with submit_only: nothing
// is left to send), the deadline passed, or the caller asks to stop.
bool RunLoop::Finished(const View& view) {
  if (view.in_flight == 0 && !view.any_intent) return true;
  if (options_.submit_only && !view.any_intent && !view.own_submitting) return true;
  if (options_.deadline.count() > 0 && view.now - start_ > options_.deadline) {
    return Abort("deadline passed");
  }
  if (options_.stop && options_.stop()) return Abort("stopped");
  return false;
}

// Every few seconds: this process's heartbeat, and the jobs other processes left `submitting`.
Status RunLoop::KeepAlive(const View& view) {
  if (view.now - last_heartbeat_ <= std::chrono::seconds(5)) return Status::Ok();
  OOAPI_RETURN_IF_ERROR(ledger_.Heartbeat());
  if (view.waiting_for_others) OOAPI_RETURN_IF_ERROR(ledger_.RecoverOrphans().status());
  last_heartbeat_ = view.now;
  return Status::Ok();
}

// Submits ready intents, in priority order, while there is room. True when it claimed any.
StatusOr<bool> RunLoop::SubmitReady(View& view) {
  const int room = options_.max_in_flight - view.in_flight;
  bool claimed_any = false;
  // One job at a time, claimed right before its POST: a job is `submitting` only while its
  // request is on the wire, so a crash leaves at most that one in doubt.
  for (int sent = 0; sent < room && !view.ready.empty() && !summary_.aborted; ++sent) {
    OOAPI_ASSIGN_OR_RETURN(std::vector<LedgerJob> claimed, ledger_.Claim(view.ready, 1));
    if (claimed.empty()) break;
    claimed_any = true;
    OOAPI_RETURN_IF_ERROR(Submit(claimed.front(), view.ready));
  }
  return claimed_any;
}

// Sends one claimed job and records what became of it.
Status RunLoop::Submit(const LedgerJob& job, std::vector<int64_t>& ready) {
  SurfJob surf = job.ToSurfJob();
  if (!options_.callback_base.empty() && !job.callback_secret.empty()) {
    surf.callback_url = options_.callback_base + "/" + job.callback_secret;
  }
  const SubmitResult r = client_.Submit(surf);
  switch (r.outcome) {
    case SubmitResult::kAccepted:
      return Accepted(job, r);
    case SubmitResult::kRetry:
      return Retry(job, r, ready);
    case SubmitResult::kInDoubt:
      OOAPI_RETURN_IF_ERROR(ledger_.MarkInDoubt(job.id, r.message));
      log::Warn("sync_job_in_doubt", {{"job", std::to_string(job.id)}, {"message", r.message}});
      return Status::Ok();
    case SubmitResult::kRejected:
      return Rejected(job, r);
  }
  return Status::Ok();
}

Status RunLoop::Accepted(const LedgerJob& job, const SubmitResult& r) {
  crash_.Reached("after-post");
  OOAPI_RETURN_IF_ERROR(ledger_.MarkSubmitted(job.id, r.token));
  crash_.Reached("after-record");
  polls_[job.id] = Schedule{clock_.Now() + milliseconds(options_.poll_initial_ms),
                            milliseconds(options_.poll_initial_ms)};
  retries_.erase(job.id);
  log::Info("sync_job_submitted", {{"job", std::to_string(job.id)},
                                   {"action", std::string(SurfActionName(job.action))},
                                   {"rio_code", job.rio_code},
                                   {"token", r.token}});
  return Status::Ok();
}

// Nothing was queued: the job goes back to the intents, to be sent again after a back-off.
Status RunLoop::Retry(const LedgerJob& job, const SubmitResult& r, std::vector<int64_t>& ready) {
  OOAPI_RETURN_IF_ERROR(ledger_.MarkRetry(job.id, r.message));
  ready.erase(std::remove(ready.begin(), ready.end(), job.id), ready.end());
  const int attempts = ++submit_attempts_[job.id];
  Schedule& s = retries_[job.id];
  s.interval = attempts == 1 ? milliseconds(options_.submit_retry_initial_ms)
                             : Grow(s.interval, options_.submit_retry_max_ms);
  s.next = clock_.Now() + s.interval;
  log::Warn("sync_job_retry", {{"job", std::to_string(job.id)},
                               {"message", r.message},
                               {"retry_in_ms", std::to_string(s.interval.count())}});
  const bool token_down = r.http_status == 0 && r.message.rfind("token endpoint", 0) == 0;
  if (options_.max_submit_attempts > 0 && attempts >= options_.max_submit_attempts) {
    Abort((token_down ? "cannot get a token: " : "cannot submit: ") + r.message);
  }
  return Status::Ok();
}

Status RunLoop::Rejected(const LedgerJob& job, const SubmitResult& r) {
  if (r.http_status == 401 || r.http_status == 403) {
    // Our credentials are refused (token endpoint, or a client without an OIN): nothing was
    // queued and every job would fare alike. The job goes back to the queue and the run stops;
    // once the configuration is fixed, running it again continues.
    OOAPI_RETURN_IF_ERROR(ledger_.MarkRetry(job.id, r.message));
    Abort(r.message);
    return Status::Ok();
  }
  return ledger_.MarkRejected(job.id, r.message);
}

// Polls every submitted job whose poll is due.
Status RunLoop::PollDue(const View& view) {
  const Clock::SteadyTime now = clock_.Now();
  for (auto it = polls_.begin(); it != polls_.end();) {
    if (it->second.next > now) {
      ++it;
      continue;
    }
    OOAPI_ASSIGN_OR_RETURN(const bool done_polling, Poll(view, it->first, it->second));
    it = done_polling ? polls_.erase(it) : std::next(it);
  }
  return Status::Ok();
}

// Asks for the status of job `id` and records it, then schedules the next poll with back-off.
// True when the job needs no more polls: settled, or no longer submitted.
StatusOr<bool> RunLoop::Poll(const View& view, int64_t id, Schedule& schedule) {
  const auto job = std::find_if(view.jobs.begin(), view.jobs.end(),
                                [&](const LedgerJob& j) { return j.id == id; });
  if (job == view.jobs.end() ||
      (job->state != JobState::kSubmitted && job->state != JobState::kSubmitting)) {
    return true;
  }
  OOAPI_ASSIGN_OR_RETURN(LedgerJob fresh, ledger_.Get(id));
  if (fresh.state != JobState::kSubmitted) return true;  // settled by a webhook meanwhile
  StatusOr<SurfStatus> status = client_.GetStatus(fresh.token);
  if (status.ok()) {
    OOAPI_RETURN_IF_ERROR(ledger_.RecordStatus(fresh.id, *status, "poll"));
    if (status->Final()) return true;
  } else if (status.status().code() == StatusCode::kNotFound) {
    // Expired at SURFeduhub (statuses live 7 days): record it as unknown, settled.
    SurfStatus unknown;
    unknown.status = "time-out";
    unknown.message = status.status().message();
    OOAPI_RETURN_IF_ERROR(ledger_.RecordStatus(fresh.id, unknown, "poll"));
    return true;
  } else {
    log::Warn("sync_job_poll_failed",
              {{"job", std::to_string(fresh.id)}, {"message", status.status().message()}});
  }
  schedule.interval = schedule.interval.count() == 0
                          ? milliseconds(options_.poll_initial_ms)
                          : Grow(schedule.interval, options_.poll_max_ms);
  schedule.next = clock_.Now() + schedule.interval;
  return false;
}

// Sleeps until the next thing is due (at most a second, to notice webhooks, other processes'
// progress and `stop`).
void RunLoop::Sleep() {
  Clock::SteadyTime wake = clock_.Now() + std::chrono::seconds(1);
  for (const auto& [id, s] : polls_) wake = std::min(wake, s.next);
  for (const auto& [id, s] : retries_) wake = std::min(wake, s.next);
  clock_.SleepUntil(std::max(wake, clock_.Now() + milliseconds(5)));
}

StatusOr<RunSummary> RunLoop::Summarize() {
  OOAPI_ASSIGN_OR_RETURN(std::vector<LedgerJob> final_jobs, ledger_.GetMany(ids_));
  if (options_.on_progress) options_.on_progress(final_jobs);
  for (const LedgerJob& job : final_jobs) {
    if (job.state == JobState::kDone) {
      ++summary_.done;
    } else if (job.state == JobState::kError) {
      ++summary_.error;
    } else if (job.state == JobState::kTimeOut) {
      ++summary_.time_out;
    } else if (job.state == JobState::kRejected) {
      ++summary_.rejected;
    } else if (job.state == JobState::kInDoubt) {
      ++summary_.in_doubt;
    } else {
      ++summary_.waiting;
    }
  }
  return summary_;
}

}  // namespace

JobRunner::JobRunner(Ledger& ledger, SurfClient& client, RunnerOptions options)
    : ledger_(ledger), client_(client), options_(std::move(options)) {}

StatusOr<RunSummary> JobRunner::Run(const std::vector<int64_t>& ids) {
  RunLoop loop(ledger_, client_, options_, ids);
  return loop.Run();
}

}  // namespace ooapi::sync
