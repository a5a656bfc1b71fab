#pragma once
// W3C Trace Context (https://www.w3.org/TR/trace-context/) for the `traceparent` header that
// SURFeduhub's gateway adds to every request. We continue the caller's trace
// with a span of our own, or start a new trace when the header is absent or malformed, echo the
// result in the response and log the ids in the access log. Thread-safety: all functions may be
// called from any thread.

#include <optional>
#include <string>
#include <string_view>

namespace ooapi::endpoint {

// The fields of a valid incoming traceparent, lower-case hex.
struct TraceParent {
  std::string trace_id;   // 32 hex digits, not all zero
  std::string parent_id;  // 16 hex digits, not all zero
  std::string flags;      // 2 hex digits
};

// Parses a traceparent header value. Version 00 must be exactly
// "00-<32 hex>-<16 hex>-<2 hex>"; a higher version (not "ff") is read by its first four fields
// and may carry more after a '-', as the specification requires. Hex digits must be lower case;
// all-zero ids are invalid. nullopt when invalid.
std::optional<TraceParent> ParseTraceParent(std::string_view header);

// The trace a request runs in.
struct TraceContext {
  std::string trace_id;   // the caller's, or new
  std::string parent_id;  // the caller's span id; empty when we started the trace
  std::string span_id;    // ours, new for every request
  std::string flags;      // the caller's (version 00) or "00" for a new trace

  // "00-<trace_id>-<span_id>-<flags>": the traceparent to send back (and onwards).
  std::string TraceParentHeader() const;
};

// Continues the trace of `header` (the request's traceparent, nullptr when absent) with a new
// span, or starts a new trace when it is absent or invalid.
TraceContext StartSpan(const std::string* header);

// Random non-zero lower-case hex ids from the CSPRNG.
std::string NewTraceId();  // 32 hex digits
std::string NewSpanId();   // 16 hex digits

}  // namespace ooapi::endpoint
