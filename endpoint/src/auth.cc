#include "ooapi/endpoint/auth.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <unordered_set>

#include "ooapi/common/strings.h"
#include "ooapi/crypto/crypto.h"
#include "ooapi/crypto/secret_hash.h"
#include "ooapi/endpoint/problem.h"

namespace ooapi::endpoint {
namespace {

// Slow-hash outcomes kept at most per kind (verified / rejected); a set is emptied when full. A
// few clients use a handful of credentials, so only a flood of distinct guesses reaches this.
constexpr size_t kMaxCachedCredentials = 4096;

enum class Kind : char { kBasic = 'b', kApiKey = 'k', kBearer = 't' };

// "Basic"/"Bearer" + one or more spaces + the rest; the scheme is case-insensitive (RFC 9110
// §11.1), so the gateway's "bearer <token>" from OAuth2 token_type works as well.
bool SplitAuthorization(std::string_view value, std::string* scheme, std::string_view* rest) {
  value = TrimAscii(value);
  const size_t space = value.find(' ');
  if (space == std::string_view::npos) return false;
  *scheme = ToLowerAscii(value.substr(0, space));
  *rest = TrimAscii(value.substr(space + 1));
  return !rest->empty();
}

struct Credential {
  Kind kind;
  std::string user;    // basic only
  std::string secret;  // password, key or token
  std::string header;  // api key only: the lower-case header name
};

}  // namespace

std::string_view AuthFailureName(AuthResult result) {
  switch (result) {
    case AuthResult::kMissing:
      return "missing";
    case AuthResult::kInvalid:
      return "invalid";
    default:
      return "";
  }
}

struct Authenticator::Impl {
  config::AuthConfig config;
  std::vector<std::string> api_key_headers;  // lower case, distinct
  std::string challenge;
  std::string cache_key = crypto::RandomBytes(32);
  std::string dummy_hash;  // verified against for unknown basic users, to even out timing

  // Outcomes of slow-hash verifications, as HMACs of the credential. Failures are remembered too:
  // a gateway still sending a rotated-out password must not cost a pbkdf2 run per request.
  mutable std::mutex mutex;
  mutable std::unordered_set<std::string> verified;  // guarded by mutex
  mutable std::unordered_set<std::string> rejected;  // guarded by mutex

  // True when `secret` matches `hash`, the credential of kind `kind` of client `index`.
  bool Verify(Kind kind, size_t index, std::string_view secret, const std::string& hash) const {
    if (!crypto::IsSlowHash(hash)) return crypto::VerifySecret(secret, hash);
    std::string material;
    material.append(1, static_cast<char>(kind)).append(std::to_string(index)).append(1, '\0');
    material.append(secret);
    const std::string tag = crypto::HmacSha256(cache_key, material);
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (verified.contains(tag)) return true;
      if (rejected.contains(tag)) return false;
    }
    const bool ok = crypto::VerifySecret(secret, hash);
    std::lock_guard<std::mutex> lock(mutex);
    std::unordered_set<std::string>& cache = ok ? verified : rejected;
    if (cache.size() >= kMaxCachedCredentials) cache.clear();
    cache.insert(tag);
    return ok;
  }

  // The client that `credential` identifies, or nullopt when it is wrong.
  std::optional<size_t> Identify(const Credential& credential) const {
    const auto& clients = config.clients;
    switch (credential.kind) {
      case Kind::kBasic:
        for (size_t i = 0; i < clients.size(); ++i) {
          if (!clients[i].basic_user.empty() && clients[i].basic_user == credential.user) {
            if (Verify(Kind::kBasic, i, credential.secret, clients[i].basic_password_hash)) {
              return i;
            }
            return std::nullopt;
          }
        }
        // Unknown user: spend the same effort as for a known one.
        if (!dummy_hash.empty()) (void)crypto::VerifySecret(credential.secret, dummy_hash);
        return std::nullopt;
      case Kind::kApiKey:
        for (size_t i = 0; i < clients.size(); ++i) {
          if (!clients[i].api_key_hash.empty() &&
              ToLowerAscii(clients[i].api_key_header) == credential.header &&
              Verify(Kind::kApiKey, i, credential.secret, clients[i].api_key_hash)) {
            return i;
          }
        }
        return std::nullopt;
      case Kind::kBearer:
        for (size_t i = 0; i < clients.size(); ++i) {
          if (!clients[i].bearer_token_hash.empty() &&
              Verify(Kind::kBearer, i, credential.secret, clients[i].bearer_token_hash)) {
            return i;
          }
        }
        return std::nullopt;
    }
    return std::nullopt;
  }
};

Authenticator::Authenticator(const config::AuthConfig& config) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  bool basic = false;
  bool bearer = false;
  for (const config::AuthClient& c : config.clients) {
    basic = basic || !c.basic_user.empty();
    bearer = bearer || !c.bearer_token_hash.empty();
    if (!c.api_key_header.empty()) {
      std::string name = ToLowerAscii(c.api_key_header);
      auto& names = impl_->api_key_headers;
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    if (impl_->dummy_hash.empty() && !c.basic_password_hash.empty()) {
      impl_->dummy_hash = c.basic_password_hash;
    }
  }
  const std::string realm = "realm=\"" + config.realm + "\"";
  std::vector<std::string> challenges;
  if (basic) challenges.push_back("Basic " + realm + ", charset=\"UTF-8\"");
  if (bearer) challenges.push_back("Bearer " + realm);
  if (!impl_->api_key_headers.empty()) challenges.push_back("ApiKey " + realm);
  impl_->challenge = Join(challenges, ", ");
}

Authenticator::~Authenticator() = default;

bool Authenticator::enabled() const { return impl_->config.enabled; }

const std::vector<std::string>& Authenticator::ApiKeyHeaders() const {
  return impl_->api_key_headers;
}

bool Authenticator::IsOpenPath(std::string_view raw_path) {
  return raw_path == "/health/live" || raw_path == "/health/ready" || raw_path == "/health/live/" ||
         raw_path == "/health/ready/";
}

AuthOutcome Authenticator::Check(const HttpRequest& request) const {
  if (!impl_->config.enabled || IsOpenPath(request.path)) return {AuthResult::kOpen, ""};
  std::vector<Credential> credentials;
  if (const std::string* authorization = request.Header("authorization")) {
    std::string scheme;
    std::string_view rest;
    if (!SplitAuthorization(*authorization, &scheme, &rest)) return {AuthResult::kInvalid, ""};
    if (scheme == "basic") {
      std::optional<std::string> decoded = crypto::Base64Decode(rest);
      const size_t colon = decoded ? decoded->find(':') : std::string::npos;
      if (colon == std::string::npos) return {AuthResult::kInvalid, ""};
      credentials.push_back(
          {Kind::kBasic, decoded->substr(0, colon), decoded->substr(colon + 1), ""});
    } else if (scheme == "bearer") {
      credentials.push_back({Kind::kBearer, "", std::string(rest), ""});
    } else {
      return {AuthResult::kInvalid, ""};
    }
  }
  for (const std::string& name : impl_->api_key_headers) {
    if (const std::string* value = request.Header(name)) {
      credentials.push_back({Kind::kApiKey, "", std::string(TrimAscii(*value)), name});
    }
  }
  if (credentials.empty()) return {AuthResult::kMissing, ""};
  std::optional<size_t> client;
  for (const Credential& credential : credentials) {
    std::optional<size_t> found = impl_->Identify(credential);
    if (!found || (client && *client != *found)) return {AuthResult::kInvalid, ""};
    client = found;
  }
  return {AuthResult::kAuthenticated, impl_->config.clients[*client].name};
}

HttpResponse Authenticator::Unauthorized() const {
  HttpResponse response = ProblemResponse(
      Status(StatusCode::kUnauthenticated, "Missing or invalid credentials for this endpoint."));
  response.headers.emplace_back("WWW-Authenticate", impl_->challenge);
  return response;
}

}  // namespace ooapi::endpoint
