#pragma once
// Blocking HTTP exchanges for the outgoing calls of the sync module (the SURFeduhub client, the DUO
// download), behind a small `Transport` interface so that callers can be tested with a scripted
// fake in-process. The default transport is libcurl; this is the only target that links it.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ooapi::http_client {

// Receives the body of a response as it arrives, in order, in non-empty chunks of any size.
// `status` is the HTTP status of the response the body belongs to (the last one when redirects
// are followed), the same for every chunk. Return false to abort the transfer: Perform then
// returns Failure::kAborted and the sink is not called again. An exception thrown by the sink is
// caught and aborts the transfer the same way.
using BodySink = std::function<bool(int status, std::string_view chunk)>;

struct HttpRequest {
  std::string method = "GET";  // GET or POST (anything else is sent as a custom method)
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;        // POST body (may be empty)
  std::string basic_user;  // HTTP basic auth when non-empty
  std::string basic_password;
  std::string user_agent = "ooapi-endpoint sync";
  int connect_timeout_s = 10;
  int timeout_s = 30;       // the whole exchange; 0: no limit
  int stall_timeout_s = 0;  // a body arriving under 1 byte/s for this long fails; 0: no limit
  // Redirects followed at most; 0 never follows one (the 3xx itself is the response). The default
  // is 0 so that a POST is never repeated elsewhere and credentials never travel to another host.
  int max_redirects = 0;
  // Offers every content encoding the transport can decode and hands the body over decoded. Off,
  // no Accept-Encoding is sent and the body arrives as the server encoded it (identity).
  bool accept_compressed = false;
  // > 0: asks for the body from this byte on ("Range: bytes=N-"). The server may answer 206 with
  // the rest, 416 when the offset is past the end, or ignore the range and answer 200 with the
  // whole body; the status tells which, and the caller must handle all three.
  int64_t resume_from = 0;
  // When set, the body goes here instead of HttpResponse::body.
  BodySink body_sink;
};

// Why an exchange produced no complete response.
enum class Failure {
  kNone,  // a complete response arrived, whatever its HTTP status
  // Nothing can have reached the server: the name did not resolve, the connection was refused,
  // the TLS handshake failed, the URL is malformed. Safe to repeat.
  kNotSent,
  // The connect, whole-exchange or stall limit was hit. The request may have arrived (a connect
  // timeout counts here too: libcurl does not tell it apart).
  kTimedOut,
  // The body sink returned false.
  kAborted,
  // Anything else after the request may have been sent: the connection broke, the body ended
  // before its announced length, it could not be decoded, too many redirects.
  kTransfer,
};

struct HttpResponse {
  int status = 0;    // the HTTP status; 0 unless failure == kNone
  std::string body;  // empty when the request had a body_sink
  std::string content_type;
  // The Content-Length the (last) response announced; -1 when it sent none or on failure. With
  // accept_compressed it counts encoded bytes, not the decoded ones the body holds.
  int64_t content_length = -1;
  Failure failure = Failure::kNone;
  std::string error;  // what went wrong when failure != kNone ("" otherwise)
  // True when the request may have reached the server although no response came back (every
  // failure but kNotSent). False for failures before anything was sent, which are safe to repeat.
  bool maybe_received = false;
};

// Performs HTTP exchanges. The default transport is safe for concurrent use from multiple threads
// without external synchronization; another implementation says whether it is (a test double
// driven by one thread need not be).
class Transport {
 public:
  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  virtual ~Transport();

  // Performs one exchange and blocks the calling thread until it ends. Never throws. On success
  // returns failure == kNone and the HTTP status (an HTTP error status is a success here: the
  // server answered). On failure returns status 0, failure and error set, and maybe_received
  // saying whether the request may have had an effect. The body sink, if any, is called only on
  // the calling thread and only before Perform returns.
  virtual HttpResponse Perform(const HttpRequest& request) = 0;

  // The libcurl transport. It belongs to the library, lives for the whole process and must not be
  // deleted.
  static Transport* Default();
};

// Transport::Default()->Perform(request).
HttpResponse Perform(const HttpRequest& request);

// curl_global_init, once per process (thread-safe). The default transport calls it itself;
// callers that start threads may call it first, as libcurl asks.
void CurlGlobalInit();

// RFC 3986 unreserved characters kept, everything else %XX.
std::string UrlEncode(std::string_view s);

}  // namespace ooapi::http_client
