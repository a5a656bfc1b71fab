#include "ooapi/common/date.h"

#include <chrono>
#include <cstdio>

namespace ooapi {
namespace {

// Howard Hinnant's civil calendar algorithms (public domain).
int DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(int z, int* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

}  // namespace

std::string TodayUtc() {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
  return IsoFromDays(static_cast<int>(days));
}

int DaysFromIso(std::string_view iso) {
  int y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
  auto m = static_cast<unsigned>((iso[5] - '0') * 10 + (iso[6] - '0'));
  auto d = static_cast<unsigned>((iso[8] - '0') * 10 + (iso[9] - '0'));
  return DaysFromCivil(y, m, d);
}

std::string IsoFromDays(int days) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string AddDays(std::string_view iso, int delta) {
  return IsoFromDays(DaysFromIso(iso) + delta);
}

}  // namespace ooapi
