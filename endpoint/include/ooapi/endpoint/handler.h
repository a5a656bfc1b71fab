#pragma once
// What HttpServer serves: a pure request -> response function plus the few things the transport
// must know about the routes (which need no credentials, how a path may be logged, who wants to
// hear about refused requests). The OOAPI Api (api.h) and the admin API of the sync module
// (ooapi/sync/admin.h) implement it, each on its own listener.
//
// Thread-safety: every member may be called concurrently from the server's worker threads.

#include <string>
#include <string_view>

#include "ooapi/endpoint/http_types.h"

namespace ooapi::endpoint {

class Handler {
 public:
  virtual ~Handler() = default;

  // Never throws. Errors are application/problem+json with the status chosen in problem.h.
  virtual HttpResponse Handle(const HttpRequest& request) const = 0;

  // Paths this handler answers without credentials even when authentication is on, besides the
  // health checks (Authenticator::IsOpenPath). Such a path must carry its own proof, e.g. an
  // unguessable secret. Default: none.
  virtual bool IsOpenPath(std::string_view /*raw_path*/) const { return false; }

  // The path as it may appear in the access log: a handler whose paths carry secrets replaces
  // them. Default: the raw path.
  virtual std::string LoggedPath(std::string_view raw_path) const { return std::string(raw_path); }

  // Called after the server refused `request` with `response` (401) without calling Handle, with
  // the reason ("missing" or "invalid"), e.g. for an audit log. Default: nothing.
  virtual void OnRefused(const HttpRequest& /*request*/, const HttpResponse& /*response*/,
                         std::string_view /*reason*/) const {}
};

}  // namespace ooapi::endpoint
