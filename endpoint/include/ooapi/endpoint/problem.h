#pragma once
// The one place where a Status becomes an HTTP status and an application/problem+json body
// (engineering.md G5). Internal messages of 5xx errors never reach the client.

#include "ooapi/common/status.h"
#include "ooapi/endpoint/http_types.h"

namespace ooapi::endpoint {

// kInvalidArgument 400, kUnauthenticated 401, kNotFound 404, kNotAcceptable 406,
// kUnavailable/kDeadlineExceeded 503, everything else 500.
int HttpStatusFor(StatusCode code);

// A problem+json response: {"status": "<code as string>", "title": ..., "detail": ...}. For 4xx the
// status message is the detail; for 5xx a fixed, safe detail is used instead.
HttpResponse ProblemResponse(const Status& status);

}  // namespace ooapi::endpoint
