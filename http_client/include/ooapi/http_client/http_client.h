#pragma once
// One blocking HTTP exchange through libcurl, for the outgoing calls of the sync module (the
// SURFeduhub client, the DUO download). The only target that links libcurl.

#include <string>
#include <utility>
#include <vector>

namespace ooapi::http_client {

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;        // POST body (may be empty)
  std::string basic_user;  // HTTP basic auth when non-empty
  std::string basic_password;
  long connect_timeout_s = 10;
  long timeout_s = 30;
};

struct HttpResponse {
  long status = 0;  // 0 when no response arrived
  std::string body;
  std::string content_type;
  std::string error;  // curl's message when the exchange failed ("" otherwise)
  // True when the request may have reached the server although no response came back (the
  // connection broke or timed out after sending). False for failures before anything was sent
  // (DNS, refused connection, TLS handshake), which are safe to repeat.
  bool maybe_received = false;
};

HttpResponse Perform(const HttpRequest& request);

// curl_global_init, once per process (thread-safe).
void CurlGlobalInit();

// RFC 3986 unreserved characters kept, everything else %XX.
std::string UrlEncode(std::string_view text);

}  // namespace ooapi::http_client
