#pragma once
// A matching SIS side for the synthetic DUO data (issue 6, a test and benchmark tool): an
// in-memory SisAdapter, and a generator that derives a SIS from a RIO snapshot with planted exact,
// fuzzy (case, diacritics, prefixes/suffixes), ambiguous, SIS-only and RIO-only items and the
// ground truth of the right links.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/sync/snapshot.h"

namespace ooapi::sync {

struct SisData {
  std::vector<adapters::EducationSpecification> specs;
  std::vector<adapters::Program> programs;
  std::vector<adapters::Course> courses;
  std::vector<adapters::Offering> offerings;
};

// Serves SisData. Lists honour scope (all, program, course), consumer=rio, paging, and the filters
// "since" (startDate >= value) and "until" (endDate <= value); sorted by id. The offerings of a
// program or course are found through an index (as a SQL adapter's), so listing them costs their
// number, not the number of all offerings. Thread-safe (immutable).
class MemorySisAdapter final : public adapters::SisAdapter {
 public:
  explicit MemorySisAdapter(SisData data);

  StatusOr<adapters::Organization> GetOrganization(std::string_view id) override;
  StatusOr<adapters::Page<adapters::Organization>> ListOrganizations(
      const adapters::ListQuery& query) override;
  StatusOr<adapters::AcademicSession> GetAcademicSession(std::string_view id) override;
  StatusOr<adapters::Page<adapters::AcademicSession>> ListAcademicSessions(
      const adapters::ListQuery& query) override;
  StatusOr<adapters::EducationSpecification> GetEducationSpecification(
      std::string_view id, const adapters::GetOptions& options) override;
  StatusOr<adapters::Page<adapters::EducationSpecification>> ListEducationSpecifications(
      const adapters::ListQuery& query) override;
  StatusOr<adapters::Program> GetProgram(std::string_view id,
                                         const adapters::GetOptions& options) override;
  StatusOr<adapters::Page<adapters::Program>> ListPrograms(
      const adapters::ListQuery& query) override;
  StatusOr<adapters::Course> GetCourse(std::string_view id,
                                       const adapters::GetOptions& options) override;
  StatusOr<adapters::Page<adapters::Course>> ListCourses(const adapters::ListQuery& query) override;
  StatusOr<adapters::Offering> GetOffering(std::string_view id) override;
  StatusOr<adapters::Page<adapters::Offering>> ListOfferings(
      const adapters::ListQuery& query) override;
  Status CheckReady() override { return Status::Ok(); }
  adapters::AdapterFeatures Features() const override;

 private:
  SisData data_;
  std::unordered_map<std::string, std::vector<size_t>> offerings_by_parent_;  // ascending positions
};

// The right answer per RIO code: "link:<sis id>" (to be proposed), "linked:<sis id>" (already
// linked), "ambiguous", "rio_only", "edudex", "conflict", or "not_proposed" (an OE left out of the
// SIS that shares a name or ISAT code with another OE: any class but proposed or already linked).
struct SisTruth {
  std::map<std::string, std::string> expected;
  std::set<std::string> sis_only;          // SIS ids planted with no RIO item
  std::map<std::string, int64_t> planted;  // "exact", "fuzzy", "ambiguous", ... -> count
};

struct MatchingSis {
  SisData data;
  SisTruth truth;
};

// Derives the SIS side from the snapshot's in-bestuur OEs and AOs (and cohorts as offerings).
// Deterministic for a seed.
MatchingSis GenerateMatchingSis(const Snapshot& snapshot, uint64_t seed);

}  // namespace ooapi::sync
