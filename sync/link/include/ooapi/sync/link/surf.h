#pragma once
// The SURFeduhub RIO mapper's job API: upsert, delete, dry-run upsert, link, unlink and status,
// with an OAuth2 client-credentials token.
//
// Tokens come from a configurable token endpoint (POST grant_type=client_credentials, HTTP basic
// client_id:secret), are cached until shortly before `expires_in` and fetched again once when the
// mapper answers 401/403 (it answers 403 for an expired or revoked token). The secret is never
// part of a message or log line.
//
// Submitting is NOT retried on a lost answer: when the connection breaks after the request was
// sent, the job may or may not be queued, and Submit says so (SubmitResult::kInDoubt) instead of
// guessing, so a caller never submits a job twice without knowing it. Failures that certainly
// queued nothing (refused connection, 5xx answers, token endpoint down) are kRetry.
//
// Every HTTP exchange, with the token endpoint and with the mapper, goes through an
// http_client::Transport (libcurl unless the caller passes another one), so that the client and
// whatever runs on it can be tested in-process against a scripted transport.
//
// Thread-safe: several threads may submit and poll through one client, provided the transport is
// safe for concurrent use too (the default one is).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi::http_client {
class Transport;
}

namespace ooapi::sync {

struct SurfOptions {
  std::string base_url;   // the mapper's API, e.g. https://rio-api.surfeduhub.nl
  std::string token_url;  // OAuth2 token endpoint
  std::string client_id;
  std::string client_secret;  // from the environment or a file, never from the config file
  std::string audience;       // optional `audience` parameter of the token request
  int connect_timeout_s = 10;
  int request_timeout_s = 30;
};

// "education-specifications", "programs" or "courses".
bool IsSurfType(std::string_view type);
// The singular form the status object uses in `resource` ("program/…").
std::string SurfResourceType(std::string_view type);

enum class SurfAction { kUpsert, kDelete, kDryRunUpsert, kLink, kUnlink };
std::string_view SurfActionName(SurfAction action);  // "upsert", "delete", "dry-run-upsert", …
bool ParseSurfAction(std::string_view name, SurfAction* out);

struct SurfJob {
  SurfAction action = SurfAction::kLink;
  std::string type;          // see IsSurfType
  std::string rio_code;      // link/unlink: opleidingseenheidcode or aangeboden-opleidingcode
  std::string id;            // upsert/delete/dry-run/link: our id ("" for unlink)
  std::string callback_url;  // optional X-Callback
  std::string traceparent;   // optional W3C trace context
};
// The mapper path of a job, e.g. "/job/link/1234O5678/education-specifications/<id>".
std::string SurfJobPath(const SurfJob& job);

struct SubmitResult {
  enum Outcome {
    kAccepted,  // token set: the job is queued
    kRejected,  // 4xx: the mapper refused it (message says why); nothing queued; do not retry
    kRetry,     // certainly nothing queued (connection refused, 5xx, token endpoint down)
    kInDoubt,   // the request may have been queued: the answer was lost
  };
  Outcome outcome = kRetry;
  std::string token;
  int http_status = 0;
  std::string message;
};

struct SurfStatus {
  std::string status;  // pending | in-progress | done | error | time-out | unknown
  std::string token, action, resource, created_at, started_at, finished_at, phase, message;
  std::string attributes_json;  // the `attributes` object as JSON text ("" when absent)
  bool Final() const { return status == "done" || status == "error" || status == "time-out"; }
};
// Parses a status object (GET /status/{token} body or a webhook body). kInvalidArgument when it
// is not a JSON object with a string `status`.
StatusOr<SurfStatus> ParseSurfStatus(std::string_view json);

class SurfClient {
 public:
  // Every request goes through `transport`; nullptr: http_client::Transport::Default(). Not owned;
  // it must outlive the client.
  SurfClient(SurfOptions options, http_client::Transport* transport);
  // Through http_client::Transport::Default().
  explicit SurfClient(SurfOptions options);

  SubmitResult Submit(const SurfJob& job);
  // The job's status. kNotFound for an unknown or expired token (404 {"status":"unknown"}),
  // kUnavailable for transport failures and 5xx (poll again later), kUnauthenticated when a fresh
  // token is refused too.
  StatusOr<SurfStatus> GetStatus(const std::string& token);

  // Number of tokens fetched from the token endpoint so far (for tests and diagnostics).
  int tokens_fetched() const;

 private:
  struct Call {
    int status = 0;
    std::string body, error;
    bool maybe_received = false;
    bool token_failed = false;
  };
  Call Authorized(const std::string& method, const std::string& path,
                  const std::vector<std::pair<std::string, std::string>>& extra_headers);
  Status FetchToken(std::string* token);
  void Invalidate(const std::string& token);

  SurfOptions options_;
  http_client::Transport* const transport_;
  mutable std::mutex mutex_;
  std::string token_;
  std::chrono::steady_clock::time_point token_expires_;
  int tokens_fetched_ = 0;
};

}  // namespace ooapi::sync
