#include "ooapi/sync/link/surf.h"

#include <algorithm>
#include <array>

#include "ooapi/http_client/http_client.h"
#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"

namespace ooapi::sync {
namespace {

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// A short, printable excerpt of a response body for messages (bodies may be large or binary).
std::string Excerpt(std::string_view body) {
  std::string out;
  for (const char c : body.substr(0, 200)) {
    out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  return std::string(TrimAscii(out));
}

std::string StringMember(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return {it->value.GetString(), it->value.GetStringLength()};
}

Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }

}  // namespace

bool IsSurfType(std::string_view type) {
  return type == "education-specifications" || type == "programs" || type == "courses";
}

std::string SurfResourceType(std::string_view type) {
  if (type == "education-specifications") return "education-specification";
  if (type == "programs") return "program";
  if (type == "courses") return "course";
  return std::string(type);
}

std::string_view SurfActionName(SurfAction action) {
  switch (action) {
    case SurfAction::kUpsert:
      return "upsert";
    case SurfAction::kDelete:
      return "delete";
    case SurfAction::kDryRunUpsert:
      return "dry-run-upsert";
    case SurfAction::kLink:
      return "link";
    case SurfAction::kUnlink:
      return "unlink";
  }
  return "?";
}

bool ParseSurfAction(std::string_view name, SurfAction* out) {
  static constexpr std::array kActions{SurfAction::kUpsert, SurfAction::kDelete,
                                       SurfAction::kDryRunUpsert, SurfAction::kLink,
                                       SurfAction::kUnlink};
  const auto* it =
      std::ranges::find_if(kActions, [name](SurfAction a) { return SurfActionName(a) == name; });
  if (it == kActions.end()) return false;
  *out = *it;
  return true;
}

std::string SurfJobPath(const SurfJob& job) {
  using http_client::UrlEncode;
  switch (job.action) {
    case SurfAction::kUpsert:
      return "/job/upsert/" + job.type + "/" + UrlEncode(job.id);
    case SurfAction::kDelete:
      return "/job/delete/" + job.type + "/" + UrlEncode(job.id);
    case SurfAction::kDryRunUpsert:
      return "/job/dry-run/upsert/" + job.type + "/" + UrlEncode(job.id);
    case SurfAction::kLink:
      return "/job/link/" + UrlEncode(job.rio_code) + "/" + job.type + "/" + UrlEncode(job.id);
    case SurfAction::kUnlink:
      return "/job/unlink/" + UrlEncode(job.rio_code) + "/" + job.type;
  }
  return "/";
}

StatusOr<SurfStatus> ParseSurfStatus(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return InvalidArgument("status body is not a JSON object: " + Excerpt(json));
  }
  SurfStatus s;
  s.status = StringMember(doc, "status");
  if (s.status.empty()) return InvalidArgument("status body has no 'status': " + Excerpt(json));
  s.token = StringMember(doc, "token");
  s.action = StringMember(doc, "action");
  s.resource = StringMember(doc, "resource");
  s.created_at = StringMember(doc, "created-at");
  s.started_at = StringMember(doc, "started-at");
  s.finished_at = StringMember(doc, "finished-at");
  s.phase = StringMember(doc, "phase");
  s.message = StringMember(doc, "message");
  auto attributes = doc.FindMember("attributes");
  if (attributes != doc.MemberEnd() && !attributes->value.IsNull()) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    attributes->value.Accept(writer);
    s.attributes_json.assign(buffer.GetString(), buffer.GetSize());
  }
  return s;
}

SurfClient::SurfClient(SurfOptions options, http_client::Transport* transport)
    : options_(std::move(options)),
      transport_(transport != nullptr ? transport : http_client::Transport::Default()) {
  options_.base_url = TrimSlash(options_.base_url);
}

SurfClient::SurfClient(SurfOptions options) : SurfClient(std::move(options), nullptr) {}

int SurfClient::tokens_fetched() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tokens_fetched_;
}

Status SurfClient::FetchToken(std::string* token) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!token_.empty() && now < token_expires_) {
    *token = token_;
    return Status::Ok();
  }
  if (options_.token_url.empty()) {
    return FailedPrecondition("surfeduhub.token_url is not configured");
  }
  http_client::HttpRequest request;
  request.method = "POST";
  request.url = options_.token_url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = "grant_type=client_credentials";
  if (!options_.audience.empty())
    request.body += "&audience=" + http_client::UrlEncode(options_.audience);
  request.basic_user = options_.client_id;
  request.basic_password = options_.client_secret;
  request.connect_timeout_s = options_.connect_timeout_s;
  request.timeout_s = options_.request_timeout_s;
  const http_client::HttpResponse r = transport_->Perform(request);
  const std::string where = "token endpoint " + options_.token_url;
  if (r.status == 0) return Unavailable(where + ": " + r.error);
  if (r.status == 400 || r.status == 401 || r.status == 403) {
    // The body may echo parameters, but never the secret (it travels in the Authorization header).
    return Unauthenticated(where + " refused client '" + options_.client_id + "': HTTP " +
                           std::to_string(r.status) + " " + Excerpt(r.body));
  }
  if (r.status < 200 || r.status >= 300) {
    return Unavailable(where + ": HTTP " + std::to_string(r.status));
  }
  rapidjson::Document doc;
  doc.Parse(r.body.c_str(), r.body.size());
  if (doc.HasParseError() || !doc.IsObject() || StringMember(doc, "access_token").empty()) {
    return Unavailable(where + ": answer has no access_token");
  }
  token_ = StringMember(doc, "access_token");
  int64_t lifetime = 3600;
  auto expires = doc.FindMember("expires_in");
  if (expires != doc.MemberEnd() && expires->value.IsInt64() && expires->value.GetInt64() > 0) {
    lifetime = expires->value.GetInt64();
  }
  // Renew a little before the end: a minute, or a tenth of a short lifetime.
  const int64_t margin = std::min<int64_t>(60, lifetime / 10);
  token_expires_ = now + std::chrono::seconds(lifetime - margin);
  ++tokens_fetched_;
  *token = token_;
  return Status::Ok();
}

void SurfClient::Invalidate(const std::string& token) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (token_ == token) token_.clear();
}

SurfClient::Call SurfClient::Authorized(
    const std::string& method, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& extra_headers) {
  Call call;
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string token;
    if (Status s = FetchToken(&token); !s.ok()) {
      call.token_failed = true;
      call.error = s.message();
      call.status = s.code() == StatusCode::kUnauthenticated ? 401 : 0;
      return call;
    }
    http_client::HttpRequest request;
    request.method = method;
    request.url = options_.base_url + path;
    request.headers = extra_headers;
    request.headers.emplace_back("Authorization", "Bearer " + token);
    request.headers.emplace_back("Accept", "application/json");
    request.connect_timeout_s = options_.connect_timeout_s;
    request.timeout_s = options_.request_timeout_s;
    const http_client::HttpResponse r = transport_->Perform(request);
    call.status = r.status;
    call.body = r.body;
    call.error = r.error;
    call.maybe_received = r.maybe_received;
    // 401/403: the token expired or was revoked (the mapper answers 403 after introspection).
    // Fetch a new one once; a second refusal is final.
    if ((r.status == 401 || r.status == 403) && attempt == 0) {
      Invalidate(token);
      continue;
    }
    break;
  }
  return call;
}

SubmitResult SurfClient::Submit(const SurfJob& job) {
  SubmitResult result;
  if (!IsSurfType(job.type)) {
    result.outcome = SubmitResult::kRejected;
    result.message = "unknown type '" + job.type + "'";
    return result;
  }
  std::vector<std::pair<std::string, std::string>> headers;
  if (!job.callback_url.empty()) headers.emplace_back("X-Callback", job.callback_url);
  if (!job.traceparent.empty()) headers.emplace_back("traceparent", job.traceparent);
  headers.emplace_back("X-Suppress-Http-Messages", "true");
  const std::string path = SurfJobPath(job);
  const Call call = Authorized("POST", path, headers);
  result.http_status = call.status;
  const std::string where = "POST " + options_.base_url + path;
  if (call.token_failed) {
    result.outcome = call.status == 401 ? SubmitResult::kRejected : SubmitResult::kRetry;
    result.message = call.error;
    return result;
  }
  if (call.status == 0) {
    result.outcome = call.maybe_received ? SubmitResult::kInDoubt : SubmitResult::kRetry;
    result.message = where + ": " + call.error +
                     (call.maybe_received ? " (the request may have been queued)" : "");
    return result;
  }
  if (call.status >= 200 && call.status < 300) {
    rapidjson::Document doc;
    doc.Parse(call.body.c_str(), call.body.size());
    std::string token = doc.HasParseError() || !doc.IsObject() ? "" : StringMember(doc, "token");
    if (token.empty()) {
      // A 2xx without a token: queued or not, we cannot follow it.
      result.outcome = SubmitResult::kInDoubt;
      result.message = where + ": HTTP " + std::to_string(call.status) +
                       " without a token: " + Excerpt(call.body);
      return result;
    }
    result.outcome = SubmitResult::kAccepted;
    result.token = std::move(token);
    return result;
  }
  if (call.status >= 500) {
    result.outcome = SubmitResult::kRetry;
    result.message = where + ": HTTP " + std::to_string(call.status) + " " + Excerpt(call.body);
    return result;
  }
  result.outcome = SubmitResult::kRejected;
  std::string why = Excerpt(call.body);
  if (call.status == 403) {
    why = "forbidden (token refused twice, or the client has no institution OIN at SURFeduhub)";
  } else if (call.status == 404) {
    why = "no such route (unknown type or action)";
  }
  result.message = where + ": HTTP " + std::to_string(call.status) + " " + why;
  return result;
}

StatusOr<SurfStatus> SurfClient::GetStatus(const std::string& token) {
  if (!IsUuid(token)) return InvalidArgument("job token '" + token + "' is not a UUID");
  const std::string path = "/status/" + token;
  const Call call = Authorized("GET", path, {});
  const std::string where = "GET " + options_.base_url + path;
  if (call.token_failed) {
    if (call.status == 401) return Unauthenticated(call.error);
    return Unavailable(call.error);
  }
  if (call.status == 0) return Unavailable(where + ": " + call.error);
  if (call.status == 404) return NotFound("job " + token + " is unknown to SURFeduhub (expired?)");
  if (call.status == 401 || call.status == 403) {
    return Unauthenticated(where + ": HTTP " + std::to_string(call.status));
  }
  if (call.status >= 500 || call.status < 200 || call.status >= 300) {
    return Unavailable(where + ": HTTP " + std::to_string(call.status) + " " + Excerpt(call.body));
  }
  return ParseSurfStatus(call.body);
}

}  // namespace ooapi::sync
