#pragma once
// Time as the job runner and the job ledger see it, behind a small interface so that they can be
// tested on a fake clock: minutes of polling back-off or of another machine's silence then pass
// at once, and every time a test asserts is exact. The real clock is Clock::Default().

#include <chrono>
#include <thread>

namespace ooapi::sync {

// A source of time and a way to wait for it. All Clock implementations are safe for concurrent
// use from multiple threads without external synchronization (a runner thread sleeps on the
// clock while another thread reads it).
class Clock {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  // Monotonic time, for intervals, back-off and deadlines. Never goes back.
  virtual SteadyTime Now() = 0;

  // UTC wall-clock time, for the timestamps the ledger writes and for heartbeats, which other
  // processes (on other machines too) compare with their own wall clock.
  virtual WallTime WallNow() = 0;

  // Returns once Now() >= `until`, at once when it already is. The real clock blocks the calling
  // thread; a fake clock instead advances its time (Now and WallNow alike) to `until` and returns
  // at once, so that a test neither waits nor spins.
  virtual void SleepUntil(SteadyTime until) = 0;

  // The process's real clock: std::chrono::steady_clock, std::chrono::system_clock and
  // std::this_thread::sleep_until. It belongs to the library, lives for the whole process and
  // must not be deleted.
  static Clock* Default();
};

namespace internal {

class RealClock final : public Clock {
 public:
  SteadyTime Now() override { return std::chrono::steady_clock::now(); }
  WallTime WallNow() override { return std::chrono::system_clock::now(); }
  void SleepUntil(SteadyTime until) override { std::this_thread::sleep_until(until); }
};

}  // namespace internal

inline Clock* Clock::Default() {
  static Clock* const clock = new internal::RealClock();  // never destroyed: used until exit
  return clock;
}

}  // namespace ooapi::sync
