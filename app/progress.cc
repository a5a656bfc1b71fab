#include "progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace ooapi::app::internal {

std::string FormatBytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000 && unit < 4) {
    bytes /= 1000;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return buffer;
}

std::string ProgressLine(std::string_view label, int64_t done, int64_t total, double seconds) {
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0;
  constexpr int kWidth = 30;
  const int filled = std::min(kWidth, static_cast<int>(fraction * kWidth));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string eta = "--";
  if (rate > 0 && total >= done) {
    char buffer[16];
    const int s = static_cast<int>(std::lround(static_cast<double>(total - done) / rate));
    std::snprintf(buffer, sizeof buffer, "%d:%02d", s / 60, s % 60);
    eta = buffer;
  }
  char percent[16];
  std::snprintf(percent, sizeof percent, "%3d%%", static_cast<int>(fraction * 100));
  return std::string(label) + " [" + bar + "] " + percent + " " +
         FormatBytes(static_cast<double>(done)) + " / " + FormatBytes(static_cast<double>(total)) +
         " " + FormatBytes(rate) + "/s ETA " + eta;
}

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(int64_t done, int64_t total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(200) && done < total) return;
  last_ = now;
  drawn_ = true;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  std::fprintf(stderr, "\r%s\033[K", ProgressLine(label_, done, total, seconds).c_str());
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\n");
    drawn_ = false;
  }
}

}  // namespace ooapi::app::internal
