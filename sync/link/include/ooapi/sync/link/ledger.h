#pragma once
// The job ledger: every SURFeduhub job is written to the local database (SQLite, or PostgreSQL when
// configured) as an intent BEFORE it is sent, then its token and every status seen. That is what
// makes `sync apply` crash-safe:
//
//   intent ──claim──▶ submitting ──2xx+token──▶ submitted ──poll/webhook──▶ done|error|time-out
//     ▲                   │  │
//     └──nothing queued───┘  └──answer lost / process died while sending──▶ in-doubt
//   (5xx, refused, token endpoint down)            4xx ──▶ rejected
//
// A job is claimed (intent → submitting) in one statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
// SQLite serialises writers), so several processes never send the same intent. A job found
// `submitting` whose owner process is gone may or may not have reached SURFeduhub: it becomes
// `in-doubt` and is only sent again when the admin says so. At most one job per RIO item is active
// (intent, submitting, submitted, in-doubt): a unique index enforces it.
//
// Not thread-safe: one Ledger per connection, one thread at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/db/db.h"
#include "ooapi/sync/link/clock.h"
#include "ooapi/sync/link/surf.h"

namespace ooapi::sync {

// Where a job is in its life (the diagram above). Stored as its name in sync_job.state.
enum class JobState {
  kIntent,      // "intent": written, not sent
  kSubmitting,  // "submitting": claimed by a process that is sending it
  kSubmitted,   // "submitted": queued at SURFeduhub (token known)
  kDone,        // "done"
  kError,       // "error"
  kTimeOut,     // "time-out"
  kInDoubt,     // "in-doubt": maybe queued, the answer was lost
  kRejected,    // "rejected": refused by SURFeduhub (4xx), nothing queued
};
std::string_view JobStateName(JobState state);
std::optional<JobState> ParseJobState(std::string_view name);
const std::vector<JobState>& AllJobStates();
// intent, submitting, submitted and in-doubt: at most one such job per RIO item.
bool IsActive(JobState state);
// The name, for messages and test output.
inline std::ostream& operator<<(std::ostream& out, JobState state) {
  return out << JobStateName(state);
}

// Who asked for a job. Stored as its name in sync_job.source.
enum class JobSource {
  kCli,    // "cli": link, unlink, push
  kApply,  // "apply": sync apply
  kAdmin,  // "admin": the admin API
};
std::string_view JobSourceName(JobSource source);
std::optional<JobSource> ParseJobSource(std::string_view name);

struct LedgerJob {
  int64_t id = 0;
  SurfAction action = SurfAction::kLink;
  std::string type;  // education-specifications | programs | courses
  std::string rio_code, sis_id;
  JobState state = JobState::kIntent;
  std::string token;
  std::string status;  // the mapper's last status (pending, in-progress, done, …)
  std::string phase, message, attributes;
  std::string key_lost;  // the RIO key this job removes or overwrites, as checked before sending
  JobSource source = JobSource::kCli;
  std::string actor;            // who asked (OS user, admin client name)
  std::string owner;            // the process that claimed it (host:pid:nonce)
  std::string callback_secret;  // the unguessable part of this job's webhook URL ("" none)
  int64_t attempts = 0;         // how often it was sent
  int64_t priority = 0;         // claim order: lower first (parents before variants before AOs)
  std::string created_at, updated_at, submitted_at, finished_at;

  bool Active() const { return IsActive(state); }
  bool Final() const { return !Active(); }
  SurfJob ToSurfJob() const;
};

struct LedgerEvent {
  std::string at;
  JobState state = JobState::kIntent;
  std::string detail;
};

class Ledger {
 public:
  // The timestamps it writes (created_at, updated_at, events, …) and the heartbeats it writes and
  // judges come from `clock`'s wall time; nullptr: Clock::Default(). Neither `connection` nor
  // `clock` is owned; both must outlive the ledger.
  explicit Ledger(db::Connection& connection, Clock* clock = nullptr);

  // Creates the tables when missing. Call once before anything else.
  Status EnsureSchema();

  // The identity of this process as an owner of claimed jobs, and its heartbeat (other processes
  // declare its `submitting` jobs in doubt once it is gone).
  const std::string& owner() const { return owner_; }
  Status Heartbeat();

  // Runs `body` in a transaction that excludes every other process's enqueue phase (SQLite: BEGIN
  // IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so "the item's latest job is done,
  // so skip it" and "insert an intent" cannot interleave with another process finishing or
  // enqueuing the same item. Rolled back when `body` fails.
  Status WithEnqueueLock(const std::function<Status()>& body);

  // Adds an intent, unless the item already has an active job (returned instead, with
  // *created=false). kAlreadyExists is never returned: a concurrent enqueue of the same item by
  // another process yields that process's job.
  StatusOr<LedgerJob> Enqueue(LedgerJob job, bool* created);
  // The newest job of an item, any state.
  StatusOr<std::optional<LedgerJob>> Latest(const std::string& type, const std::string& rio_code);

  // Claims up to `limit` intents among `ids` (all intents when ids is empty), lowest priority
  // first: their state becomes `submitting`, owned by this process.
  StatusOr<std::vector<LedgerJob>> Claim(const std::vector<int64_t>& ids, int limit);
  // After the POST: the token (submitted), nothing queued (back to intent), answer lost
  // (in-doubt), or refused (rejected).
  Status MarkSubmitted(int64_t id, const std::string& token);
  Status MarkRetry(int64_t id, const std::string& why);
  Status MarkInDoubt(int64_t id, const std::string& why);
  Status MarkRejected(int64_t id, const std::string& why);
  // An admin decision on an in-doubt or failed job: back to intent, to be sent again.
  Status Requeue(int64_t id, const std::string& why);
  // A status seen by polling or a webhook. A final status settles the job; a late non-final one
  // never reopens a settled job.
  Status RecordStatus(int64_t id, const SurfStatus& status, const std::string& via);

  // An owner on another host is alive while its heartbeat is younger than this; one on this host
  // while its process exists.
  static constexpr std::chrono::seconds kOrphanHeartbeatAge{120};
  // `submitting` jobs whose owner is no longer alive become in-doubt. Returns how many.
  StatusOr<int> RecoverOrphans();

  StatusOr<LedgerJob> Get(int64_t id);
  StatusOr<LedgerJob> GetByToken(const std::string& token);
  StatusOr<LedgerJob> GetByCallbackSecret(const std::string& secret);
  // Newest first; every state when `state` is empty.
  StatusOr<std::vector<LedgerJob>> List(std::optional<JobState> state, int limit = 1000);
  StatusOr<std::vector<LedgerJob>> GetMany(const std::vector<int64_t>& ids);
  StatusOr<std::vector<LedgerEvent>> Events(int64_t id);

 private:
  // One transaction around `body` (SQLite: BEGIN IMMEDIATE when `immediate`, so a writer never
  // has to upgrade a read lock); inside another one, `body` simply runs in it.
  Status InTransaction(const std::function<Status()>& body, bool immediate = true);
  Status Event(int64_t id, JobState state, const std::string& detail);
  // Now, as the timestamps of the ledger's rows (UtcMillis of the clock's wall time).
  std::string Timestamp() const;
  // Moves job `id` from one of `from` to `to`, with the extra assignments `set_sql`
  // (", column = ?"…) bound to `params`. kFailedPrecondition when the job is in another state.
  Status Transition(int64_t id, std::initializer_list<JobState> from, const std::string& set_sql,
                    std::vector<db::Value> params, JobState to, const std::string& detail);

  db::Connection& c_;
  Clock* const clock_;
  std::string owner_;
  bool in_transaction_ = false;
};

// A new unguessable secret for a job's webhook URL (24 random bytes, hex).
std::string NewCallbackSecret();

// A job to Enqueue: the operation, who asked (source and actor) and a fresh callback
// secret. For link/unlink the item is the RIO code; for upsert/delete our id is both.
LedgerJob NewJob(SurfAction action, std::string type, std::string rio_code, std::string sis_id,
                 JobSource source, std::string actor);

// `time` as ISO 8601 UTC with milliseconds ("2026-11-28T16:30:00.123Z").
std::string UtcMillis(std::chrono::system_clock::time_point time);
// Now (the real clock) as UtcMillis.
std::string UtcNowMillis();

}  // namespace ooapi::sync
