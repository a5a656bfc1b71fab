#pragma once
// The HTTP transport (Pistache 0.0.5) around a Handler (handler.h: the OOAPI Api, or the admin
// API of the sync module on a listener of its own), with Pistache's traps handled: explicit limits and timeouts from config, HTTP/1.1 keep-alive without a Connection
// header, our own percent-decoding (in Api), a catch-all guard, and a graceful drain.
//
// Threading: `threads` Pistache I/O threads only parse
// requests and write responses; `workers` handler threads run Handler::Handle (and so the SIS
// queries) and send the answer through the moved ResponseWriter. A slow query therefore holds one
// worker, never an I/O thread: other clients, health checks and the drain's 503s keep flowing.
// At most `max_queued` requests wait for a worker; beyond that the answer is an immediate 503.
// Database connections belong to the adapter's pool (sized to the workers by default).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "ooapi/common/status.h"
#include "ooapi/config/config.h"
#include "ooapi/endpoint/handler.h"

namespace ooapi::endpoint {

class HttpServer {
 public:
  // `handler` must outlive the server. With `auth.enabled`, every request except the health
  // checks and the handler's open paths needs valid credentials of a configured client
  // (endpoint/auth.h) and is answered 401 without reaching `handler` otherwise (then
  // Handler::OnRefused is called); an accepted request carries the client's name in
  // HttpRequest::client. The request body reaches the handler; a request larger than
  // `config.max_request_bytes` is answered 413. Every response carries a `traceparent` continuing
  // the request's (endpoint/trace.h). The access log line (when `access_log`) has method, path
  // (Handler::LoggedPath, credential-like query values redacted), status, duration_ms, bytes,
  // client, trace_id, span_id [, parent_id] [, auth = missing|invalid] [, listener]; never a
  // header value or a secret. `name` (e.g. "admin") names the listener in the access log and
  // its I/O threads; empty for the OOAPI listener.
  HttpServer(const config::ServerConfig& config, bool access_log, const Handler* handler,
             const config::AuthConfig& auth = {}, const std::string& name = "");
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the I/O threads. kUnavailable if the address cannot be bound.
  Status Start();
  // The bound port (useful with port 0).
  uint16_t port() const;

  // Graceful stop: new requests get 503 with Connection: close, requests in flight finish (up to
  // `deadline`), then the listener shuts down. Returns the number of requests still in flight when
  // the deadline passed (0 on a clean drain).
  int Drain(std::chrono::milliseconds deadline);
  // Immediate stop. Idempotent.
  void Shutdown();

  int in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ooapi::endpoint
