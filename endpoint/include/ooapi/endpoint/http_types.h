#pragma once
// Transport-independent request and response. The Pistache server, the tests and the offline
// tools (check-rio, sync planning) all go through Api::Handle with these, so every caller sees the
// exact bytes an HTTP client would.

#include <string>
#include <utility>
#include <vector>

namespace ooapi::endpoint {

struct HttpRequest {
  std::string method = "GET";
  std::string path;  // raw (still percent-encoded), without the query string
  // Raw (still percent-encoded) query parameters. Pistache 0.0.5 keeps them in a hash map, so order
  // and repeated names are lost before they reach us; other callers pass them in request order.
  std::vector<std::pair<std::string, std::string>> query;
  // Header names in lower case. The HTTP server copies only accept, content-type, traceparent,
  // authorization and the api-key headers of the auth configuration
  // (config::AuthClient::api_key_header).
  std::vector<std::pair<std::string, std::string>> headers;
  // The request body as received (the server bounds the whole request by
  // server.max_request_bytes and answers 413 beyond); empty for offline callers.
  std::string body;
  // The configured name of the client whose credentials the server accepted; empty when the
  // listener has no authentication, the path is open, or the caller is offline.
  std::string client;
  // The W3C trace id (32 hex) for log lines: the caller's traceparent's, or a new one; empty when
  // not known (offline callers).
  std::string trace_id;

  // First value of a header (name in lower case), or nullptr.
  const std::string* Header(const std::string& lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) {
        return &v;
      }
    }
    return nullptr;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (e.g. Allow)
};

// Parses "a=1&b=x%20y" into raw pairs (no decoding). For callers that hold a URL.
std::vector<std::pair<std::string, std::string>> SplitQueryString(const std::string& query);

}  // namespace ooapi::endpoint
