#pragma once
// An in-memory SisAdapter for tests and benchmarks: no database, the data given as structs.

#include <string>
#include <unordered_map>
#include <vector>

#include "ooapi/adapters/sis_adapter.h"

namespace ooapi::testing {

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

}  // namespace ooapi::testing
