#pragma once
// Deterministic randomness for generated data (the demo institution, the test-data generators).
// Only raw engine output is used: std::*_distribution differs between standard libraries, and a
// seed must give the same data on every platform.
//
// Not thread-safe: one Rng per thread.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace ooapi {

// splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, every output from one multiply-xorshift
// chain. `stream` separates generators that share a seed.
class SplitMix64 {
 public:
  using result_type = uint64_t;
  explicit SplitMix64(uint64_t seed, uint64_t stream = 1)
      : state_(seed * kGolden + stream) {}
  uint64_t operator()() {
    uint64_t z = (state_ += kGolden);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  static constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
  uint64_t state_;
};

// The draws every generator needs, over any engine with a 64-bit operator() (SplitMix64, or
// std::mt19937_64 whose output the standard fixes).
template <typename Engine>
class BasicRng {
 public:
  template <typename... Args>
  explicit BasicRng(Args&&... args) : engine_(std::forward<Args>(args)...) {}

  uint64_t Next() { return engine_(); }
  // A value in [0, n) for n > 0 (the modulo bias is irrelevant for test data).
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  // A value in [lo, hi].
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  // True with probability percent/100.
  bool Percent(int percent) { return Below(100) < percent; }
  // 32 hex digits in the 8-4-4-4-12 shape after `prefix` (its characters count as digits).
  std::string HexUuid(bool upper = false, std::string_view prefix = "") {
    const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out(prefix);
    while (out.size() < 36) {
      const size_t i = out.size();
      out += (i == 8 || i == 13 || i == 18 || i == 23) ? '-' : hex[Next() % 16];
    }
    return out;
  }
  // A lowercase UUID shaped as version 4 (variant 10xx), from two draws.
  std::string Uuid4() {
    uint64_t hi = Next();
    uint64_t lo = Next();
    hi = (hi & ~uint64_t{0xF000}) | uint64_t{0x4000};
    lo = (lo & uint64_t{0x3FFFFFFFFFFFFFFF}) | uint64_t{0x8000000000000000};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int shift = 60; shift >= 0; shift -= 4) {
      out += kHex[(hi >> shift) & 0xF];
      if (shift == 32 || shift == 16 || shift == 0) out += '-';
    }
    for (int shift = 60; shift >= 0; shift -= 4) {
      out += kHex[(lo >> shift) & 0xF];
      if (shift == 48) out += '-';
    }
    return out;
  }

 private:
  Engine engine_;
};

using Rng = BasicRng<SplitMix64>;

}  // namespace ooapi
