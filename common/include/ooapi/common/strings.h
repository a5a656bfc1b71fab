#pragma once
// Small, strict text helpers shared by every module. All functions are pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ooapi {

// Decodes %XX escapes. With `plus_as_space` (query strings) '+' becomes ' '.
// Returns nullopt on a malformed escape or when the result is not valid UTF-8.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_as_space);

// Parses a base-10 integer; the whole string must be consumed (no sign for unsigned, no spaces).
std::optional<int64_t> ParseInt64(std::string_view text);

// True for 8-4-4-4-12 hex UUIDs (either case).
bool IsUuid(std::string_view text);
// True for UUIDs in lowercase hex, the only form this endpoint emits.
bool IsLowercaseUuid(std::string_view text);
// True for UUIDs in uppercase hex (the form of EDU-DEX codes).
bool IsUppercaseUuid(std::string_view text);

// True for a valid calendar date written as YYYY-MM-DD.
bool IsIsoDate(std::string_view text);

bool IsValidUtf8(std::string_view text);

std::string ToLowerAscii(std::string_view text);
std::string_view TrimAscii(std::string_view text);
std::vector<std::string_view> Split(std::string_view text, char separator);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
// Joins with `separator`.
std::string Join(const std::vector<std::string>& parts, std::string_view separator);

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote, CR or LF.
std::string CsvQuote(std::string_view field);

}  // namespace ooapi
