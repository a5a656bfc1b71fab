#pragma once
// The admin HTTP API, served by `ooapi-endpoint serve` on a listener of its own
// (admin.address:admin.port) with the admin credentials (admin.clients), never the OOAPI ones:
//
//   POST /admin/link              {"type", "rio_code", "id", "force"?, "include_edudex"?,
//                                  "resubmit_in_doubt"?}
//   POST /admin/unlink            {"type", "rio_code", "force"?, "resubmit_in_doubt"?}
//        -> 202 + Location: /admin/jobs/{id} + the job; or 400/409 problem+json
//   GET  /admin/jobs[?status=S]   {"items": [job, ...]} newest first
//   GET  /admin/jobs/{id|token}   the job with its events
//   POST /admin/callback/{secret} SURFeduhub's webhook (no admin credentials: the unguessable
//                                 per-job secret is the credential; unknown secret -> 404)
//
// link/unlink do what the CLI's `link`/`unlink` do (app/link_command.h): the same local validation
// (CheckLinkOp against the newest `rio import` snapshot) and the same ledger entry, with source
// "admin", actor = the admin client's name and a random callback secret; the job is then run by
// the AdminRunner of the serving process. Every request that passed authentication (and every
// refused one) is one JSON line in the audit log; a secret or an Authorization value never is.
//
// Thread-safety: AdminApi::Handle may be called from any number of threads; requests are
// serialised on the one database connection the AdminApi owns. AdminRunner runs its own thread
// on its own connection.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "ooapi/common/status.h"
#include "ooapi/db/db.h"
#include "ooapi/endpoint/handler.h"
#include "ooapi/sync/link/runner.h"
#include "ooapi/sync/link/surf.h"

namespace ooapi::config {
struct SurfeduhubConfig;
}

namespace ooapi::sync {

struct AdminOptions {
  // Append-only JSON lines; "" = no audit log. Its directory is created when missing.
  std::string audit_log;
  // Called after a job was added to (or requeued in) the ledger: wakes the runner.
  std::function<void()> on_enqueued;
  // Now as UTC ISO 8601 for the audit log; empty = the clock. For tests.
  std::function<std::string()> now;
};

class AdminApi final : public endpoint::Handler {
 public:
  // `connection` is used by this object only and must outlive it.
  AdminApi(db::ConnectionPtr connection, AdminOptions options);
  ~AdminApi() override;
  AdminApi(const AdminApi&) = delete;
  AdminApi& operator=(const AdminApi&) = delete;

  // Creates the ledger and snapshot tables when missing and opens the audit log (O_APPEND).
  // Call once before serving; kUnavailable/kInternal when either fails.
  Status Init();

  endpoint::HttpResponse Handle(const endpoint::HttpRequest& request) const override;
  // /admin/callback/{secret}: the secret is the credential.
  bool IsOpenPath(std::string_view raw_path) const override;
  // The callback secret is replaced by "[redacted]".
  std::string LoggedPath(std::string_view raw_path) const override;
  // Writes the audit line of a refused request (status 401, "auth": reason).
  void OnRefused(const endpoint::HttpRequest& request, const endpoint::HttpResponse& response,
                 std::string_view reason) const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The runner options of the configuration, as the CLI uses them (max in flight, poll back-off,
// webhooks at <surfeduhub.callback_base_url>/admin/callback/<secret> when that is set).
RunnerOptions RunnerOptionsFromConfig(const config::SurfeduhubConfig& config);

// Runs the admin API's jobs in the background of `serve`: every active job with source "admin"
// (intent, submitting, submitted; left over from an earlier run too) is submitted and polled by a
// JobRunner on its own connection until settled. Wake() (after an enqueue) makes it pick up new
// jobs at once; otherwise it looks at the ledger every `idle_check`. Stop() returns within about
// a second plus one SURFeduhub call; unfinished jobs stay in the ledger and are resumed by the
// next start.
//
// The runner and its ledger take their time from `options.clock` (nullptr: the real clock). The
// waits between rounds (`idle_check`, the back-off after a failed round) are real time whatever
// the clock, because they also wait for Wake() and Stop().
class AdminRunner {
 public:
  // The SURFeduhub client sends through `transport`; nullptr: http_client::Transport::Default().
  // Not owned; it must outlive the runner and be safe for use from the runner's thread.
  AdminRunner(db::ConnectionPtr connection, SurfOptions surf, RunnerOptions options,
              std::chrono::milliseconds idle_check = std::chrono::seconds(5),
              http_client::Transport* transport = nullptr);
  ~AdminRunner();  // Stop()
  AdminRunner(const AdminRunner&) = delete;
  AdminRunner& operator=(const AdminRunner&) = delete;

  // Creates the ledger tables when missing and starts the thread.
  Status Start();
  void Wake();
  void Stop();
  // Number of JobRunner::Run rounds so far (for tests and diagnostics).
  int rounds() const { return rounds_.load(); }

 private:
  void Loop();
  // Waits up to `d` for Wake() or Stop(); true when stopping.
  bool Sleep(std::chrono::milliseconds d);

  db::ConnectionPtr connection_;
  SurfOptions surf_;
  RunnerOptions options_;
  std::chrono::milliseconds idle_check_;
  http_client::Transport* const transport_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::atomic<bool> stop_flag_{false};
  std::atomic<bool> wake_flag_{false};
  std::atomic<int> rounds_{0};
  std::thread thread_;
};

}  // namespace ooapi::sync
