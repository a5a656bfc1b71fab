#pragma once
// Civil dates as ISO strings (YYYY-MM-DD) and a few conversions. Pure and thread-safe.

#include <string>
#include <string_view>

namespace ooapi {

// Today's date in UTC.
std::string TodayUtc();
// Days since 1970-01-01 for a valid ISO date (checked by the caller with IsIsoDate).
int DaysFromIso(std::string_view iso);
// The ISO date `days` after 1970-01-01.
std::string IsoFromDays(int days);
// `iso` shifted by `delta` days.
std::string AddDays(std::string_view iso, int delta);

}  // namespace ooapi
