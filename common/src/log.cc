#include "ooapi/common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <variant>

#include "ooapi/common/json.h"

namespace ooapi::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_sink_mutex;
// Guarded by g_sink_mutex.
std::function<void(const std::string&)> g_sink;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

}  // namespace

bool ParseLevel(std::string_view text, Level* level) {
  if (text == "debug") {
    *level = Level::kDebug;
  } else if (text == "info") {
    *level = Level::kInfo;
  } else if (text == "warn") {
    *level = Level::kWarn;
  } else if (text == "error") {
    *level = Level::kError;
  } else {
    return false;
  }
  return true;
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void SetSinkForTest(std::function<void(const std::string& line)> sink) {
  std::lock_guard<std::mutex> lock(g_sink_mutex);
  g_sink = std::move(sink);
}

void Write(Level level, std::string_view event, const std::vector<Field>& fields) {
  if (!Enabled(level)) {
    return;
  }
  rapidjson::StringBuffer buffer;
  // Plain writer: log text may hold arbitrary bytes from requests; RapidJSON escapes controls.
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  json::Member(w, "ts", Timestamp());
  json::Member(w, "level", LevelName(level));
  json::Member(w, "event", event);
  for (const Field& f : fields) {
    std::visit([&](const auto& value) { json::Member(w, f.key, value); }, f.value);
  }
  w.EndObject();
  std::string line(buffer.GetString(), buffer.GetSize());
  std::lock_guard<std::mutex> lock(g_sink_mutex);
  if (g_sink) {
    g_sink(line);
    return;
  }
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace ooapi::log
