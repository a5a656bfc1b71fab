#pragma once
// Structured logging: one JSON object per line on stderr (or a test sink).
// Thread-safety: every function may be called from any thread.
// Never pass secrets or client-facing error text through here unredacted.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ooapi::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

struct Field {
  Field(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  Field(std::string k, const char* v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, std::string_view v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, int64_t v) : key(std::move(k)), value(v) {}
  Field(std::string k, int v) : key(std::move(k)), value(static_cast<int64_t>(v)) {}
  Field(std::string k, uint64_t v) : key(std::move(k)), value(static_cast<int64_t>(v)) {}
  Field(std::string k, double v) : key(std::move(k)), value(v) {}
  Field(std::string k, bool v) : key(std::move(k)), value(v) {}
  std::string key;
  std::variant<std::string, int64_t, double, bool> value;
};

// Parses "debug", "info", "warn", "error".
bool ParseLevel(std::string_view text, Level* level);
void SetLevel(Level level);
bool Enabled(Level level);

// Replaces the output (default: stderr). Pass nullptr to restore stderr. For tests.
void SetSinkForTest(std::function<void(const std::string& line)> sink);

// Writes {"ts":..,"level":..,"event":..,<fields>} as one line.
void Write(Level level, std::string_view event, const std::vector<Field>& fields = {});

inline void Info(std::string_view event, const std::vector<Field>& fields = {}) {
  Write(Level::kInfo, event, fields);
}
inline void Warn(std::string_view event, const std::vector<Field>& fields = {}) {
  Write(Level::kWarn, event, fields);
}
inline void Error(std::string_view event, const std::vector<Field>& fields = {}) {
  Write(Level::kError, event, fields);
}

}  // namespace ooapi::log
