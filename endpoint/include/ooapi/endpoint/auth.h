#pragma once
// Authentication of the callers (SURFeduhub's gateway) before a request reaches
// Api::Handle. Three credential kinds, per named client (config::AuthClient):
//   basic   Authorization: Basic base64(user:password)
//   header  <api_key_header>: <key>            (e.g. X-API-Key)
//   bearer  Authorization: Bearer <token>      (scheme case-insensitive: the gateway's OAuth2 mode
//                                               sends "<token_type> <access_token>")
// Secrets are only known as hashes and compared in constant time. The outcome of a pbkdf2
// verification (success or failure) is remembered as HMAC-SHA-256(per-process random key,
// credential), so the key-stretching cost is paid once per distinct credential, not per request;
// the plaintext is never stored. Distinct wrong guesses still cost one pbkdf2 run each (on a
// worker thread): rate-limit unauthenticated traffic in the TLS proxy, and prefer sha256$ hashes
// of long random keys for machine clients such as the gateway.
//
// Thread-safety: an Authenticator is immutable after construction apart from its internal cache,
// which has its own mutex; Check() may be called from any number of threads.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ooapi/config/config.h"
#include "ooapi/endpoint/http_types.h"

namespace ooapi::endpoint {

enum class AuthResult {
  kOpen,           // auth disabled, or a path that is always open (/health/live, /health/ready)
  kAuthenticated,  // valid credentials; AuthOutcome::client names the client
  kMissing,        // no credentials at all
  kInvalid,        // credentials present but wrong, malformed, or conflicting
};

struct AuthOutcome {
  AuthResult result = AuthResult::kOpen;
  std::string client;  // the configured client name when kAuthenticated, else empty
  bool allowed() const {
    return result == AuthResult::kOpen || result == AuthResult::kAuthenticated;
  }
};

// "missing" / "invalid" / "" for the access log.
std::string_view AuthFailureName(AuthResult result);

class Authenticator {
 public:
  // `config` must have passed config validation (well-formed hashes).
  explicit Authenticator(const config::AuthConfig& config);
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  bool enabled() const;

  // Lower-case names of the request headers Check() reads besides `authorization`: the configured
  // api_key_header names. The transport copies these into HttpRequest::headers.
  const std::vector<std::string>& ApiKeyHeaders() const;

  // True for the paths that never need credentials (the health checks).
  static bool IsOpenPath(std::string_view raw_path);

  // Decides on `request` (path and lower-case headers). Every credential the request presents
  // must be valid and all must name the same client; a request with none is kMissing.
  AuthOutcome Check(const HttpRequest& request) const;

  // The 401 answer: application/problem+json with one WWW-Authenticate header listing a challenge
  // per configured kind (Basic, Bearer, and ApiKey for header keys). The detail is the same for
  // every failure and never says which part was wrong.
  HttpResponse Unauthorized() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ooapi::endpoint
