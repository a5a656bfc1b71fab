#pragma once
// A tiny blocking HTTP/1.1 client over a raw socket, for tests that need to see exactly what the
// server sends (headers, keep-alive behaviour). Loopback only.

#include <cstdint>
#include <map>
#include <string>

namespace ooapi::testing {

struct RawResponse {
  int status = 0;                              // 0 when no response arrived
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends `raw_request` verbatim and reads one response (Content-Length framed).
  RawResponse Exchange(const std::string& raw_request, int timeout_ms = 10000);
  // GET with the given extra header lines ("Name: value\r\n"...), HTTP/1.1, no Connection header.
  RawResponse Get(const std::string& target, const std::string& extra_headers = "");
  // True when the server has closed the connection (read returns 0 within timeout_ms).
  bool ClosedByPeer(int timeout_ms);

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection.
RawResponse HttpGet(uint16_t port, const std::string& target,
                    const std::string& extra_headers = "");

}  // namespace ooapi::testing
