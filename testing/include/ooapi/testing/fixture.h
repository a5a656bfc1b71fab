#pragma once
// A small, hand-made SIS in the contract schema for adapter conformance and HTTP tests. It holds
// the edge cases the suites assert on: 25 programs under one education specification (paging
// edges at size 10), three programs with the same name (ordering ties), unicode texts, a program
// without any optional attribute, timeline overrides with inherited columns, RIO-irrelevant items.

#include <string>

#include "ooapi/db/db.h"

namespace ooapi::testing {

// Fixed ids used by the assertions.
inline constexpr const char* kOrgId = "0a000000-0000-4000-8000-000000000001";
inline constexpr const char* kEspecId = "1e000000-0000-4000-8000-000000000001";
inline constexpr const char* kVariantEspecId = "1e000000-0000-4000-8000-000000000002";
inline constexpr const char* kCourseEspecId = "1e000000-0000-4000-8000-000000000003";
inline constexpr const char* kBareProgramId = "2b000000-0000-4000-8000-000000000099";
inline constexpr const char* kUnicodeProgramId = "2b000000-0000-4000-8000-000000000098";
inline constexpr const char* kOverrideProgramId = "2b000000-0000-4000-8000-000000000001";
inline constexpr const char* kNotRioProgramId = "2b000000-0000-4000-8000-000000000097";
inline constexpr const char* kCourseId = "3c000000-0000-4000-8000-000000000001";
inline constexpr const char* kSessionId = "4a000000-0000-4000-8000-000000000001";
inline constexpr const char* kUnknownId = "99999999-9999-4999-8999-999999999999";
inline constexpr int kFixturePrograms = 25;     // all under kEspecId
inline constexpr int kFixtureOfferings = 12;    // all of kOverrideProgramId
inline constexpr int kFixtureRioPrograms = 24;  // all but kNotRioProgramId

// `path` (an OOAPI path template such as "/programs/{programId}/offerings") with every id
// placeholder replaced by the fixture's id of that kind, so that the path is served.
std::string WithFixtureIds(std::string path);

// Creates the contract schema and the fixture data. The database must be empty.
Status WriteFixture(db::Connection& connection);

}  // namespace ooapi::testing
