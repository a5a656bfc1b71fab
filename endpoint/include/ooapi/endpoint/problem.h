#pragma once
// The one place where a Status becomes an HTTP status and an application/problem+json body,
// so that every caller answers the same code for the same error. Internal messages of 5xx errors never reach the client.

#include <string>
#include <string_view>

#include "ooapi/common/status.h"
#include "ooapi/endpoint/http_types.h"

namespace ooapi::endpoint {

// kInvalidArgument 400, kUnauthenticated 401, kNotFound 404, kNotAcceptable 406,
// kAlreadyExists 409, kUnavailable/kDeadlineExceeded 503, everything else 500.
int HttpStatusFor(StatusCode code);

// A problem+json response: {"status": "<code as string>", "title": ..., "detail": ...}. For 4xx the
// status message is the detail; for 5xx a fixed, safe detail is used instead, naming for 503 what
// is unavailable (`unavailable`, e.g. "The student information system").
HttpResponse ProblemResponse(const Status& status,
                             std::string_view unavailable = "The student information system");

// Answers that no Status describes: 405 with an Allow header listing `allow`, and 413 for a
// request larger than the configured limit (the detail names the limit).
HttpResponse MethodNotAllowed(const std::string& allow);
HttpResponse PayloadTooLarge(int max_request_bytes);

}  // namespace ooapi::endpoint
