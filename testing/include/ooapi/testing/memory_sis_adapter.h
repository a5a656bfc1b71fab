#pragma once
// An in-memory SisAdapter for tests and benchmarks: no database, the data given as structs.

#include <string>
#include <unordered_map>
#include <vector>

#include "ooapi/adapters/sis_adapter.h"

namespace ooapi::testing {

// What MemorySisAdapter serves: every entity complete, as a SQL adapter's Get returns it with
// timeline overrides (children, programs of a course and timeline overrides filled in by the
// caller; the adapter derives nothing).
struct SisData {
  std::vector<adapters::EducationSpecification> specs;
  std::vector<adapters::Program> programs;
  std::vector<adapters::Course> courses;
  std::vector<adapters::Offering> offerings;
  std::vector<adapters::Organization> organizations;
  std::vector<adapters::AcademicSession> academic_sessions;
};

// Every entity `adapter` serves (lists of every type, and a Get with timeline overrides for the
// types that have them): a copy of a SIS to serve from memory.
StatusOr<SisData> ReadSisData(adapters::SisAdapter& adapter);

// How MemorySisAdapter orders a list.
enum class MemoryOrder {
  // By id, whatever ListQuery::sort asks (its keys are still checked): the order the plan tests
  // and benchmarks were written against.
  kById,
  // As the SQL adapters (and SisAdapter's contract): the requested sort keys, else the spec's
  // default (startDate for offerings and academic sessions, name for the others), then the id.
  // `name` sorts by the first entry of the entity's name (a SQL adapter by the contract's
  // sort_name column, which holds that name in the fixture) in binary order.
  kSpec,
};

// Serves SisData as the SQL adapters serve the same data (tests/adapter_conformance_test.cc runs
// it with MemoryOrder::kSpec): the scope kinds the SQL adapters support (kInvalidArgument for
// another, kNotFound when the scoping entity does not exist), consumer=rio, every filter of
// Features() with the SQL adapters' meaning (kInvalidArgument for a filter or sort key the listed
// type lacks), paging, and timeline overrides only from a Get that asks for them. Organizations and
// academic sessions have no RIO flag: consumer=rio keeps them all. The offerings of a program or
// course are found through an index (as a SQL adapter's), so listing them costs their number, not
// the number of all offerings. Thread-safe (immutable).
class MemorySisAdapter final : public adapters::SisAdapter {
 public:
  explicit MemorySisAdapter(SisData data, MemoryOrder order = MemoryOrder::kById);

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
  MemoryOrder order_;
  // Program or course id -> positions of its offerings in data_.offerings, ascending.
  std::unordered_map<std::string, std::vector<size_t>> offerings_by_parent_;
};

}  // namespace ooapi::testing
