#pragma once
// A one-line progress bar on stderr (bytes, rate, ETA), drawn only when stderr is a terminal.
#include <chrono>
#include <cstdint>
#include <string>

namespace ooapi::app::internal {

class ProgressBar {
 public:
  // `enabled` is normally isatty(STDERR_FILENO).
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar();
  void Update(int64_t done, int64_t total);
  void Finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

// "12.3 MB" style formatting; pure, for tests.
std::string FormatBytes(double bytes);
// The bar's text for the given state; pure, for tests.
std::string ProgressLine(std::string_view label, int64_t done, int64_t total, double seconds);

}  // namespace ooapi::app::internal
