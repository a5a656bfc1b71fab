#include "ooapi/testing/test_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace ooapi::testing {

HttpConnection::HttpConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

namespace {

bool ReadMore(int fd, std::string* buffer, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) {
    return false;
  }
  char chunk[16384];
  ssize_t n = ::read(fd, chunk, sizeof(chunk));
  if (n <= 0) {
    return false;
  }
  buffer->append(chunk, static_cast<size_t>(n));
  return true;
}

}  // namespace

RawResponse HttpConnection::Exchange(const std::string& raw_request, int timeout_ms) {
  RawResponse r;
  if (fd_ < 0) {
    return r;
  }
  size_t sent = 0;
  while (sent < raw_request.size()) {
    ssize_t n = ::send(fd_, raw_request.data() + sent, raw_request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return r;
    }
    sent += static_cast<size_t>(n);
  }
  size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore(fd_, &buffer_, timeout_ms)) {
      return r;
    }
  }
  std::string head = buffer_.substr(0, header_end);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() >= 12) {
    r.status = std::atoi(status_line.c_str() + 9);
  }
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) {
      end = head.size();
    }
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.erase(0, 1);
      }
      r.headers[name] = value;
    }
    pos = end + 2;
  }
  size_t length = static_cast<size_t>(std::atol(r.Header("content-length").c_str()));
  size_t body_start = header_end + 4;
  while (buffer_.size() < body_start + length) {
    if (!ReadMore(fd_, &buffer_, timeout_ms)) {
      r.status = 0;
      return r;
    }
  }
  r.body = buffer_.substr(body_start, length);
  buffer_.erase(0, body_start + length);
  return r;
}

RawResponse HttpConnection::Get(const std::string& target, const std::string& extra_headers) {
  return Exchange("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n");
}

bool HttpConnection::ClosedByPeer(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) {
    return false;
  }
  char c;
  return ::recv(fd_, &c, 1, MSG_PEEK) == 0;
}

RawResponse HttpGet(uint16_t port, const std::string& target, const std::string& extra_headers) {
  HttpConnection c(port);
  return c.Get(target, extra_headers);
}

}  // namespace ooapi::testing
