#pragma once
// The OOAPI v5 API as a pure request -> response function over a SisAdapter. Routing, parameter
// parsing, adapter calls and serialisation live here; transport concerns (sockets, keep-alive,
// draining, access logs) live in http_server.h.
//
// Thread-safety: Handle() may be called concurrently from any number of threads; the Api itself is
// immutable after construction and the adapter is thread-safe by contract.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/config/config.h"
#include "ooapi/endpoint/handler.h"
#include "ooapi/endpoint/http_types.h"

namespace ooapi::endpoint {

struct ApiOptions {
  config::ServiceConfig service;
  // offerings.default_window: "all" serves every offering when a request has no since/until;
  // "spec" applies OOAPI's default since=<today>.
  std::string offering_window = "all";
  // Today's date (YYYY-MM-DD) for the "spec" window; empty function = the UTC date. For tests.
  std::function<std::string()> today;
};

class Api final : public Handler {
 public:
  // `adapter` must outlive the Api.
  Api(adapters::SisAdapter* adapter, ApiOptions options);
  ~Api() override;
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Never throws. Errors are application/problem+json with the status chosen in problem.h.
  HttpResponse Handle(const HttpRequest& request) const override;

  // The OOAPI path templates served (as listed on GET /).
  std::vector<std::string> Paths() const;

 private:
  using RouteRef = const void*;  // an internal route of api.cc
  std::string Expand(const RouteRef& route, std::string body,
                     const std::vector<std::string>& fields, const std::string& trace_id) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ooapi::endpoint
