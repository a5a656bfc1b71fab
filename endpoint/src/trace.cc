#include "ooapi/endpoint/trace.h"

#include <algorithm>

#include "ooapi/crypto/crypto.h"

namespace ooapi::endpoint {
namespace {

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool AllZero(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

std::string NewId(size_t bytes) {
  while (true) {
    std::string id = crypto::HexEncode(crypto::RandomBytes(bytes));
    if (!AllZero(id)) return id;  // all-zero ids are invalid; practically never drawn
  }
}

}  // namespace

std::optional<TraceParent> ParseTraceParent(std::string_view header) {
  // version "-" trace-id "-" parent-id "-" flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55 characters.
  constexpr size_t kLength = 55;
  if (header.size() < kLength) return std::nullopt;
  const std::string_view version = header.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00" ? header.size() != kLength
                      : header.size() > kLength && header[kLength] != '-') {
    return std::nullopt;
  }
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  TraceParent parsed{std::string(header.substr(3, 32)), std::string(header.substr(36, 16)),
                     std::string(header.substr(53, 2))};
  if (!IsLowerHex(parsed.trace_id) || !IsLowerHex(parsed.parent_id) || !IsLowerHex(parsed.flags) ||
      AllZero(parsed.trace_id) || AllZero(parsed.parent_id)) {
    return std::nullopt;
  }
  if (version != "00") {
    // Flags of a later version may mean things version 00 does not; keep only "sampled".
    const char low = parsed.flags[1];
    const int value = low <= '9' ? low - '0' : low - 'a' + 10;
    parsed.flags = (value & 1) != 0 ? "01" : "00";
  }
  return parsed;
}

std::string TraceContext::TraceParentHeader() const {
  std::string out = "00-";
  out.append(trace_id).append(1, '-').append(span_id).append(1, '-').append(flags);
  return out;
}

TraceContext StartSpan(const std::string* header) {
  TraceContext trace;
  trace.span_id = NewSpanId();
  std::optional<TraceParent> parent;
  if (header != nullptr) parent = ParseTraceParent(*header);
  if (parent) {
    trace.trace_id = std::move(parent->trace_id);
    trace.parent_id = std::move(parent->parent_id);
    trace.flags = std::move(parent->flags);
  } else {
    trace.trace_id = NewTraceId();
    trace.flags = "00";
  }
  return trace;
}

std::string NewTraceId() { return NewId(16); }
std::string NewSpanId() { return NewId(8); }

}  // namespace ooapi::endpoint
