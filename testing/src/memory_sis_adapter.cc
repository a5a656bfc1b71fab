#include "ooapi/testing/memory_sis_adapter.h"

#include <algorithm>

namespace ooapi::testing {
namespace {

using adapters::ListQuery;
using adapters::Page;
using adapters::ScopeKind;


// The page of `q` among the entries of `all` that `keep` accepts; only the positions in `subset`
// are looked at when it is given (an index, ascending).
template <typename T, typename Keep>
StatusOr<Page<T>> PageOf(const std::vector<T>& all, const ListQuery& q, Keep keep,
                         const std::vector<size_t>* subset = nullptr) {
  Page<T> page;
  const int64_t first = (q.page_number - 1) * q.page_size;
  auto visit = [&](const T& x) {
    if (!keep(x)) return;
    const int64_t n = page.total_items++;
    if (n >= first && n < first + q.page_size) page.items.push_back(x);
  };
  if (subset != nullptr) {
    for (size_t i : *subset) visit(all[i]);
  } else {
    for (const T& x : all) visit(x);
  }
  return page;
}

// `all` is sorted by id (the constructor sorts it).
template <typename T>
StatusOr<T> Find(const std::vector<T>& all, std::string_view id, const char* type) {
  auto it = std::lower_bound(all.begin(), all.end(), id,
                             [](const T& x, std::string_view key) { return x.id < key; });
  if (it != all.end() && it->id == id) return *it;
  return NotFound(std::string(type) + " " + std::string(id) + " not found");
}

}  // namespace

MemorySisAdapter::MemorySisAdapter(SisData data) : data_(std::move(data)) {
  auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(data_.specs.begin(), data_.specs.end(), by_id);
  std::sort(data_.programs.begin(), data_.programs.end(), by_id);
  std::sort(data_.courses.begin(), data_.courses.end(), by_id);
  std::sort(data_.offerings.begin(), data_.offerings.end(), by_id);
  for (size_t i = 0; i < data_.offerings.size(); ++i) {
    const auto& o = data_.offerings[i];
    offerings_by_parent_[o.program_id.value_or(o.course_id.value_or(""))].push_back(i);
  }
}

StatusOr<adapters::Organization> MemorySisAdapter::GetOrganization(std::string_view id) {
  return NotFound("organization " + std::string(id) + " not found");
}
StatusOr<Page<adapters::Organization>> MemorySisAdapter::ListOrganizations(const ListQuery&) {
  return Page<adapters::Organization>{};
}
StatusOr<adapters::AcademicSession> MemorySisAdapter::GetAcademicSession(std::string_view id) {
  return NotFound("academic session " + std::string(id) + " not found");
}
StatusOr<Page<adapters::AcademicSession>> MemorySisAdapter::ListAcademicSessions(const ListQuery&) {
  return Page<adapters::AcademicSession>{};
}
StatusOr<adapters::EducationSpecification> MemorySisAdapter::GetEducationSpecification(
    std::string_view id, const adapters::GetOptions&) {
  return Find(data_.specs, id, "education specification");
}
StatusOr<Page<adapters::EducationSpecification>> MemorySisAdapter::ListEducationSpecifications(
    const ListQuery& q) {
  return PageOf(data_.specs, q, [&](const adapters::EducationSpecification& s) {
    return (!q.rio_only || s.rio_relevant) &&
           (q.scope.kind != ScopeKind::kParent || s.parent_id == q.scope.id);
  });
}
StatusOr<adapters::Program> MemorySisAdapter::GetProgram(std::string_view id,
                                                         const adapters::GetOptions&) {
  return Find(data_.programs, id, "program");
}
StatusOr<Page<adapters::Program>> MemorySisAdapter::ListPrograms(const ListQuery& q) {
  return PageOf(data_.programs, q, [&](const adapters::Program& p) {
    return (!q.rio_only || p.rio_relevant) && (q.scope.kind != ScopeKind::kEducationSpecification ||
                                               p.education_specification_id == q.scope.id);
  });
}
StatusOr<adapters::Course> MemorySisAdapter::GetCourse(std::string_view id,
                                                       const adapters::GetOptions&) {
  return Find(data_.courses, id, "course");
}
StatusOr<Page<adapters::Course>> MemorySisAdapter::ListCourses(const ListQuery& q) {
  return PageOf(data_.courses, q, [&](const adapters::Course& c) {
    return (!q.rio_only || c.rio_relevant) && (q.scope.kind != ScopeKind::kEducationSpecification ||
                                               c.education_specification_id == q.scope.id);
  });
}
StatusOr<adapters::Offering> MemorySisAdapter::GetOffering(std::string_view id) {
  return Find(data_.offerings, id, "offering");
}
StatusOr<Page<adapters::Offering>> MemorySisAdapter::ListOfferings(const ListQuery& q) {
  const std::vector<size_t>* subset = nullptr;
  static const std::vector<size_t> kNone;
  if (q.scope.kind == ScopeKind::kProgram || q.scope.kind == ScopeKind::kCourse) {
    if (q.scope.kind == ScopeKind::kProgram) {
      OOAPI_RETURN_IF_ERROR(Find(data_.programs, q.scope.id, "program").status());
    } else {
      OOAPI_RETURN_IF_ERROR(Find(data_.courses, q.scope.id, "course").status());
    }
    auto it = offerings_by_parent_.find(q.scope.id);
    subset = it == offerings_by_parent_.end() ? &kNone : &it->second;
  }
  return PageOf(
      data_.offerings, q,
      [&](const adapters::Offering& o) {
        if (q.rio_only && !o.rio_relevant) return false;
        if (q.scope.kind == ScopeKind::kProgram && o.program_id != q.scope.id) return false;
        if (q.scope.kind == ScopeKind::kCourse && o.course_id != q.scope.id) return false;
        for (const auto& f : q.filters) {
          if (f.field == "since" && o.start_date < f.value) return false;
          if (f.field == "until" && o.end_date > f.value) return false;
        }
        return true;
      },
      subset);
}
adapters::AdapterFeatures MemorySisAdapter::Features() const { return {{"since", "until"}}; }

}  // namespace ooapi::testing
