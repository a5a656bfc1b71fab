#pragma once
// A SisAdapter decorator that forwards every call; tests override single methods to inject
// delays or failures (leveldb's EnvWrapper pattern).

#include "ooapi/adapters/sis_adapter.h"

namespace ooapi::testing {

class ForwardingAdapter : public adapters::SisAdapter {
 public:
  explicit ForwardingAdapter(adapters::SisAdapter* inner) : inner_(inner) {}

  StatusOr<adapters::Organization> GetOrganization(std::string_view id) override {
    return inner_->GetOrganization(id);
  }
  StatusOr<adapters::Page<adapters::Organization>> ListOrganizations(
      const adapters::ListQuery& q) override {
    return inner_->ListOrganizations(q);
  }
  StatusOr<adapters::AcademicSession> GetAcademicSession(std::string_view id) override {
    return inner_->GetAcademicSession(id);
  }
  StatusOr<adapters::Page<adapters::AcademicSession>> ListAcademicSessions(
      const adapters::ListQuery& q) override {
    return inner_->ListAcademicSessions(q);
  }
  StatusOr<adapters::EducationSpecification> GetEducationSpecification(
      std::string_view id, const adapters::GetOptions& o) override {
    return inner_->GetEducationSpecification(id, o);
  }
  StatusOr<adapters::Page<adapters::EducationSpecification>> ListEducationSpecifications(
      const adapters::ListQuery& q) override {
    return inner_->ListEducationSpecifications(q);
  }
  StatusOr<adapters::Program> GetProgram(std::string_view id,
                                         const adapters::GetOptions& o) override {
    return inner_->GetProgram(id, o);
  }
  StatusOr<adapters::Page<adapters::Program>> ListPrograms(const adapters::ListQuery& q) override {
    return inner_->ListPrograms(q);
  }
  StatusOr<adapters::Course> GetCourse(std::string_view id,
                                       const adapters::GetOptions& o) override {
    return inner_->GetCourse(id, o);
  }
  StatusOr<adapters::Page<adapters::Course>> ListCourses(const adapters::ListQuery& q) override {
    return inner_->ListCourses(q);
  }
  StatusOr<adapters::Offering> GetOffering(std::string_view id) override {
    return inner_->GetOffering(id);
  }
  StatusOr<adapters::Page<adapters::Offering>> ListOfferings(
      const adapters::ListQuery& q) override {
    return inner_->ListOfferings(q);
  }
  Status CheckReady() override { return inner_->CheckReady(); }
  adapters::AdapterFeatures Features() const override { return inner_->Features(); }

 protected:
  adapters::SisAdapter* inner_;
};

}  // namespace ooapi::testing
