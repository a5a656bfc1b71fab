#include "ooapi/testing/memory_sis_adapter.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "ooapi/common/strings.h"

namespace ooapi::testing {
namespace {

using adapters::AcademicSession;
using adapters::Course;
using adapters::EducationSpecification;
using adapters::Filter;
using adapters::ListQuery;
using adapters::Offering;
using adapters::Organization;
using adapters::Page;
using adapters::Program;
using adapters::ScopeKind;

template <typename T>
using Predicate = std::function<bool(const T&)>;

// `all` is sorted by id (the constructor sorts it).
template <typename T>
const T* FindById(const std::vector<T>& all, std::string_view id) {
  auto it = std::lower_bound(all.begin(), all.end(), id,
                             [](const T& x, std::string_view key) { return x.id < key; });
  return it != all.end() && it->id == id ? &*it : nullptr;
}

// The messages of the SQL adapters: "no program with id ...".
Status Missing(const char* type, std::string_view id) {
  return NotFound(std::string("no ") + type + " with id " + std::string(id));
}

template <typename T>
StatusOr<T> Get(const std::vector<T>& all, std::string_view id, const char* type) {
  const T* found = FindById(all, id);
  if (found == nullptr) {
    return Missing(type, id);
  }
  return *found;
}

// ---------------------------------------------------------------------------------------------
// What the SQL adapters' entity descriptions say, per type: messages, sort keys, filters.

// The value a sort key compares; `name` is the first entry of the name (see MemoryOrder::kSpec).
template <typename T>
using SortKeyFn = std::string_view (*)(const T&);

std::string_view FirstName(const adapters::LanguageStrings& name) {
  return name.empty() ? std::string_view{} : std::string_view{name.front().value};
}

// ASCII-lowercase `text` contains `needle` (already lowercase): the SQL adapters' q.
bool ContainsLower(std::string_view text, const std::string& needle) {
  return ToLowerAscii(text).find(needle) != std::string::npos;
}
bool AnyContainsLower(const adapters::LanguageStrings& texts, const std::string& needle) {
  return std::any_of(texts.begin(), texts.end(), [&](const adapters::LanguageString& s) {
    return ContainsLower(s.value, needle);
  });
}
bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool RioRelevant(const Organization& /*unused*/) { return true; }  // no RIO flag in the contract
bool RioRelevant(const AcademicSession& /*unused*/) { return true; }
template <typename T>
bool RioRelevant(const T& x) {
  return x.rio_relevant;
}

// A SQL adapter fills timeline overrides only in a Get that asks for them.
void DropOverrides(Organization& /*unused*/) {}
void DropOverrides(AcademicSession& /*unused*/) {}
void DropOverrides(Offering& /*unused*/) {}
template <typename T>
void DropOverrides(T& x) {
  x.timeline_overrides.clear();
}

template <typename T>
struct Entity;

template <>
struct Entity<Organization> {
  static constexpr const char* kTable = "organizations";
  static constexpr const char* kDefaultSort = "name";
  static std::vector<std::pair<std::string_view, SortKeyFn<Organization>>> SortKeys() {
    return {{"name", [](const Organization& x) { return FirstName(x.name); }},
            {"organizationId", [](const Organization& x) { return std::string_view{x.id}; }}};
  }
};

template <>
struct Entity<AcademicSession> {
  static constexpr const char* kTable = "academic_sessions";
  static constexpr const char* kDefaultSort = "startDate";
  static std::vector<std::pair<std::string_view, SortKeyFn<AcademicSession>>> SortKeys() {
    return {{"academicSessionId", [](const AcademicSession& x) { return std::string_view{x.id}; }},
            {"name", [](const AcademicSession& x) { return FirstName(x.name); }},
            {"startDate", [](const AcademicSession& x) { return std::string_view{x.start_date}; }}};
  }
};

template <>
struct Entity<EducationSpecification> {
  static constexpr const char* kTable = "education_specifications";
  static constexpr const char* kDefaultSort = "name";
  static std::vector<std::pair<std::string_view, SortKeyFn<EducationSpecification>>> SortKeys() {
    auto code = [](const EducationSpecification& x) {
      return std::string_view{x.properties.primary_code.code};
    };
    return {{"name", [](const EducationSpecification& x) { return FirstName(x.properties.name); }},
            {"educationSpecificationId",
             [](const EducationSpecification& x) { return std::string_view{x.id}; }},
            {"primaryCode", code},
            {"primarycode", code},  // the spelling 5.0.0 uses on /organizations/{id}/...
            {"educationSpecificationType",
             [](const EducationSpecification& x) { return std::string_view{x.properties.type}; }}};
  }
};

template <>
struct Entity<Program> {
  static constexpr const char* kTable = "programs";
  static constexpr const char* kDefaultSort = "name";
  static std::vector<std::pair<std::string_view, SortKeyFn<Program>>> SortKeys() {
    return {{"name", [](const Program& x) { return FirstName(x.properties.name); }},
            {"programId", [](const Program& x) { return std::string_view{x.id}; }}};
  }
};

template <>
struct Entity<Course> {
  static constexpr const char* kTable = "courses";
  static constexpr const char* kDefaultSort = "name";
  static std::vector<std::pair<std::string_view, SortKeyFn<Course>>> SortKeys() {
    return {{"name", [](const Course& x) { return FirstName(x.properties.name); }},
            {"courseId", [](const Course& x) { return std::string_view{x.id}; }}};
  }
};

template <>
struct Entity<Offering> {
  static constexpr const char* kTable = "offerings";
  static constexpr const char* kDefaultSort = "startDate";
  static std::vector<std::pair<std::string_view, SortKeyFn<Offering>>> SortKeys() {
    return {{"offeringId", [](const Offering& x) { return std::string_view{x.id}; }},
            {"name", [](const Offering& x) { return FirstName(x.name); }},
            {"startDate", [](const Offering& x) { return std::string_view{x.start_date}; }},
            {"endDate", [](const Offering& x) { return std::string_view{x.end_date}; }}};
  }
};

template <typename T>
Status CannotFilter(const Filter& f) {
  return InvalidArgument("cannot filter " + std::string(Entity<T>::kTable) + " by '" + f.field +
                         "'");
}

// The filters of the SQL adapters (adapters/sql/sql_adapter.cc, Filters() and q), one function per
// type. `data` is for filters that look at a related entity.
StatusOr<Predicate<Organization>> FilterOf(const Filter& f, const SisData& /*unused*/,
                                           Organization* /*unused*/) {
  const std::string& v = f.value;
  if (f.field == "primaryCode") {
    return Predicate<Organization>([v](const Organization& x) { return x.primary_code.code == v; });
  }
  if (f.field == "organizationType") {
    return Predicate<Organization>([v](const Organization& x) { return x.organization_type == v; });
  }
  if (f.field == "q") {
    return Predicate<Organization>([q = ToLowerAscii(v)](const Organization& x) {
      return ContainsLower(x.short_name, q) || AnyContainsLower(x.name, q) ||
             AnyContainsLower(x.description, q);
    });
  }
  return CannotFilter<Organization>(f);
}

StatusOr<Predicate<AcademicSession>> FilterOf(const Filter& f, const SisData& /*unused*/,
                                              AcademicSession* /*unused*/) {
  const std::string& v = f.value;
  if (f.field == "primaryCode") {
    return Predicate<AcademicSession>(
        [v](const AcademicSession& x) { return x.primary_code && x.primary_code->code == v; });
  }
  if (f.field == "academicSessionType") {
    return Predicate<AcademicSession>(
        [v](const AcademicSession& x) { return x.academic_session_type == v; });
  }
  if (f.field == "parent") {
    return Predicate<AcademicSession>([v](const AcademicSession& x) { return x.parent_id == v; });
  }
  if (f.field == "year") {
    return Predicate<AcademicSession>([v](const AcademicSession& x) { return x.year_id == v; });
  }
  if (f.field == "q") {  // an academic session has neither abbreviation nor description
    return Predicate<AcademicSession>(
        [q = ToLowerAscii(v)](const AcademicSession& x) { return AnyContainsLower(x.name, q); });
  }
  return CannotFilter<AcademicSession>(f);
}

StatusOr<Predicate<EducationSpecification>> FilterOf(const Filter& f, const SisData& /*unused*/,
                                                     EducationSpecification* /*unused*/) {
  using E = EducationSpecification;
  const std::string& v = f.value;
  if (f.field == "primaryCode") {
    return Predicate<E>([v](const E& x) { return x.properties.primary_code.code == v; });
  }
  if (f.field == "educationSpecificationType") {
    return Predicate<E>([v](const E& x) { return x.properties.type == v; });
  }
  if (f.field == "q") {
    return Predicate<E>([q = ToLowerAscii(v)](const E& x) {
      return ContainsLower(x.properties.abbreviation.value_or(""), q) ||
             AnyContainsLower(x.properties.name, q) ||
             AnyContainsLower(x.properties.description, q);
    });
  }
  return CannotFilter<E>(f);
}

// q of a program or course.
template <typename T>
Predicate<T> OfferedText(const std::string& value) {
  return [q = ToLowerAscii(value)](const T& x) {
    return ContainsLower(x.properties.abbreviation.value_or(""), q) ||
           AnyContainsLower(x.properties.name, q) || AnyContainsLower(x.properties.description, q);
  };
}

StatusOr<Predicate<Program>> FilterOf(const Filter& f, const SisData& data, Program* /*unused*/) {
  const std::string& v = f.value;
  using Field = std::optional<std::string> adapters::OfferedProperties::*;
  auto equal = [&v](Field field) {
    return Predicate<Program>([v, field](const Program& x) { return x.properties.*field == v; });
  };
  if (f.field == "primaryCode") {
    return Predicate<Program>(
        [v](const Program& x) { return x.properties.primary_code.code == v; });
  }
  if (f.field == "teachingLanguage") {
    return equal(&adapters::OfferedProperties::teaching_language);
  }
  if (f.field == "programType") {
    return equal(&adapters::OfferedProperties::program_type);
  }
  if (f.field == "qualificationAwarded") {
    return equal(&adapters::OfferedProperties::qualification_awarded);
  }
  if (f.field == "levelOfQualification") {
    return equal(&adapters::OfferedProperties::level_of_qualification);
  }
  if (f.field == "sector") {
    return equal(&adapters::OfferedProperties::sector);
  }
  if (f.field == "fieldsOfStudy") {
    return equal(&adapters::OfferedProperties::fields_of_study);
  }
  if (f.field == "croho-creboCode") {
    // The program's own crohoCreboCode (primary or other code) or its specification's.
    return Predicate<Program>([v, &data](const Program& x) {
      auto croho = [&v](const adapters::Identifier& i) {
        return i.code_type == "crohoCreboCode" && i.code == v;
      };
      if (croho(x.properties.primary_code) ||
          std::any_of(x.properties.other_codes.begin(), x.properties.other_codes.end(), croho)) {
        return true;
      }
      const EducationSpecification* spec = x.education_specification_id
                                               ? FindById(data.specs, *x.education_specification_id)
                                               : nullptr;
      return spec != nullptr && croho(spec->properties.primary_code);
    });
  }
  if (f.field == "q") {
    return OfferedText<Program>(v);
  }
  return CannotFilter<Program>(f);
}

StatusOr<Predicate<Course>> FilterOf(const Filter& f, const SisData& /*unused*/,
                                     Course* /*unused*/) {
  const std::string& v = f.value;
  if (f.field == "primaryCode") {
    return Predicate<Course>([v](const Course& x) { return x.properties.primary_code.code == v; });
  }
  if (f.field == "teachingLanguage") {
    return Predicate<Course>([v](const Course& x) { return x.properties.teaching_language == v; });
  }
  if (f.field == "level") {
    return Predicate<Course>([v](const Course& x) { return x.properties.level == v; });
  }
  if (f.field == "modeOfDelivery") {
    return Predicate<Course>(
        [v](const Course& x) { return Has(x.properties.modes_of_delivery, v); });
  }
  if (f.field == "q") {
    return OfferedText<Course>(v);
  }
  return CannotFilter<Course>(f);
}

StatusOr<Predicate<Offering>> FilterOf(const Filter& f, const SisData& data, Offering* /*unused*/) {
  const std::string& v = f.value;
  if (f.field == "teachingLanguage") {
    return Predicate<Offering>([v](const Offering& x) { return x.teaching_language == v; });
  }
  if (f.field == "modeOfDelivery") {
    return Predicate<Offering>([v](const Offering& x) { return Has(x.modes_of_delivery, v); });
  }
  if (f.field == "resultExpected") {
    return Predicate<Offering>(
        [want = v == "true"](const Offering& x) { return x.result_expected == want; });
  }
  if (f.field == "offeringType") {
    return Predicate<Offering>([v](const Offering& x) { return x.offering_type == v; });
  }
  if (f.field == "since") {
    return Predicate<Offering>([v](const Offering& x) { return x.start_date >= v; });
  }
  if (f.field == "until") {
    return Predicate<Offering>([v](const Offering& x) { return x.end_date <= v; });
  }
  if (f.field == "modeOfStudy") {  // of the offering's program
    return Predicate<Offering>([v, &data](const Offering& x) {
      const Program* p = x.program_id ? FindById(data.programs, *x.program_id) : nullptr;
      return p != nullptr && p->properties.mode_of_study == v;
    });
  }
  if (f.field == "q") {
    return Predicate<Offering>([q = ToLowerAscii(v)](const Offering& x) {
      return ContainsLower(x.abbreviation.value_or(""), q) || AnyContainsLower(x.name, q) ||
             AnyContainsLower(x.description, q);
    });
  }
  return CannotFilter<Offering>(f);
}

// Which members of a collection a scope selects: `keep`, looked at only in `subset` (ascending
// positions) when that is set.
template <typename T>
struct Selection {
  Predicate<T> keep;
  const std::vector<size_t>* subset = nullptr;
};

// A scope of kind `kind` over the entities of type `Owner`: kNotFound when `id` is none of them.
template <typename T, typename Owner>
StatusOr<Selection<T>> ScopeOwnedBy(const std::vector<Owner>& owners, const char* owner_type,
                                    const std::string& id, Predicate<T> keep) {
  if (FindById(owners, id) == nullptr) {
    return Missing(owner_type, id);
  }
  return Selection<T>{std::move(keep)};
}

template <typename T>
Status UnsupportedScope() {
  return InvalidArgument(std::string("unsupported scope for ") + Entity<T>::kTable);
}

// The page of `q` among the members of `all` that `scope` (or its error), consumer=rio and the
// filters of `q` keep, ordered as `order` says. Checked in the SQL adapters' order: the scope, the
// filters, the sort keys.
template <typename T>
StatusOr<Page<T>> ListOf(const std::vector<T>& all, const ListQuery& q, MemoryOrder order,
                         const SisData& data, StatusOr<Selection<T>> scope) {
  OOAPI_RETURN_IF_ERROR(scope.status());
  std::vector<Predicate<T>> filters;
  for (const Filter& f : q.filters) {
    OOAPI_ASSIGN_OR_RETURN(auto p, FilterOf(f, data, static_cast<T*>(nullptr)));
    filters.push_back(std::move(p));
  }
  const auto sort_keys = Entity<T>::SortKeys();
  std::vector<std::pair<SortKeyFn<T>, bool>> keys;  // key, descending
  std::vector<adapters::SortKey> requested = q.sort;
  if (requested.empty()) {
    requested.push_back({Entity<T>::kDefaultSort, false});
  }
  for (const adapters::SortKey& key : requested) {
    auto it = std::find_if(sort_keys.begin(), sort_keys.end(),
                           [&](const auto& k) { return k.first == key.field; });
    if (it == sort_keys.end()) {
      return InvalidArgument("cannot sort " + std::string(Entity<T>::kTable) + " by '" + key.field +
                             "'");
    }
    keys.emplace_back(it->second, key.descending);
  }
  const Selection<T>& s = *scope;
  auto keep = [&](const T& x) {
    if (s.keep && !s.keep(x)) {
      return false;
    }
    if (q.rio_only && !RioRelevant(x)) {
      return false;
    }
    return std::all_of(filters.begin(), filters.end(), [&](const auto& f) { return f(x); });
  };
  auto for_each_candidate = [&](auto visit) {
    if (s.subset != nullptr) {
      for (size_t i : *s.subset) {
        visit(i);
      }
    } else {
      for (size_t i = 0; i < all.size(); ++i) {
        visit(i);
      }
    }
  };
  Page<T> page;
  const int64_t first = (q.page_number - 1) * q.page_size;
  auto add = [&](const T& x) {
    page.items.push_back(x);
    DropOverrides(page.items.back());
  };
  if (order == MemoryOrder::kById) {
    // The candidates are in id order already: one pass, nothing sorted or collected.
    for_each_candidate([&](size_t i) {
      if (!keep(all[i])) {
        return;
      }
      const int64_t n = page.total_items++;
      if (n >= first && n < first + q.page_size) {
        add(all[i]);
      }
    });
    return page;
  }
  std::vector<size_t> kept;  // positions in `all`
  for_each_candidate([&](size_t i) {
    if (keep(all[i])) {
      kept.push_back(i);
    }
  });
  // Stable: ties keep the id order of the candidates, the SQL adapters' tie-breaker.
  std::stable_sort(kept.begin(), kept.end(), [&](size_t a, size_t b) {
    for (const auto& [key, descending] : keys) {
      const std::string_view ka = key(all[a]);
      const std::string_view kb = key(all[b]);
      if (ka != kb) {
        return descending ? kb < ka : ka < kb;
      }
    }
    return false;
  });
  page.total_items = static_cast<int64_t>(kept.size());
  for (int64_t n = std::max<int64_t>(first, 0); n < page.total_items && n < first + q.page_size;
       ++n) {
    add(all[kept[static_cast<size_t>(n)]]);
  }
  return page;
}

}  // namespace

MemorySisAdapter::MemorySisAdapter(SisData data, MemoryOrder order)
    : data_(std::move(data)), order_(order) {
  auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(data_.specs.begin(), data_.specs.end(), by_id);
  std::sort(data_.programs.begin(), data_.programs.end(), by_id);
  std::sort(data_.courses.begin(), data_.courses.end(), by_id);
  std::sort(data_.offerings.begin(), data_.offerings.end(), by_id);
  std::sort(data_.organizations.begin(), data_.organizations.end(), by_id);
  std::sort(data_.academic_sessions.begin(), data_.academic_sessions.end(), by_id);
  for (size_t i = 0; i < data_.offerings.size(); ++i) {
    const auto& o = data_.offerings[i];
    if (o.program_id) {
      offerings_by_parent_[*o.program_id].push_back(i);
    }
    if (o.course_id && o.course_id != o.program_id) {
      offerings_by_parent_[*o.course_id].push_back(i);
    }
  }
}

StatusOr<Organization> MemorySisAdapter::GetOrganization(std::string_view id) {
  return Get(data_.organizations, id, "organization");
}
StatusOr<Page<Organization>> MemorySisAdapter::ListOrganizations(const ListQuery& q) {
  auto scope = [&]() -> StatusOr<Selection<Organization>> {
    switch (q.scope.kind) {
      case ScopeKind::kAll:
        return Selection<Organization>{};
      case ScopeKind::kParent:
        return ScopeOwnedBy<Organization>(
            data_.organizations, "organization", q.scope.id,
            [&](const Organization& x) { return x.parent_id == q.scope.id; });
      default:
        return UnsupportedScope<Organization>();
    }
  };
  return ListOf(data_.organizations, q, order_, data_, scope());
}

StatusOr<AcademicSession> MemorySisAdapter::GetAcademicSession(std::string_view id) {
  return Get(data_.academic_sessions, id, "academic session");
}
StatusOr<Page<AcademicSession>> MemorySisAdapter::ListAcademicSessions(const ListQuery& q) {
  auto scope = [&]() -> StatusOr<Selection<AcademicSession>> {
    switch (q.scope.kind) {
      case ScopeKind::kAll:
        return Selection<AcademicSession>{};
      case ScopeKind::kParent:
        return ScopeOwnedBy<AcademicSession>(
            data_.academic_sessions, "academic session", q.scope.id,
            [&](const AcademicSession& x) { return x.parent_id == q.scope.id; });
      default:
        return UnsupportedScope<AcademicSession>();
    }
  };
  return ListOf(data_.academic_sessions, q, order_, data_, scope());
}

StatusOr<EducationSpecification> MemorySisAdapter::GetEducationSpecification(
    std::string_view id, const adapters::GetOptions& options) {
  OOAPI_ASSIGN_OR_RETURN(auto e, Get(data_.specs, id, "education specification"));
  if (!options.timeline_overrides) {
    DropOverrides(e);
  }
  return e;
}
StatusOr<Page<EducationSpecification>> MemorySisAdapter::ListEducationSpecifications(
    const ListQuery& q) {
  using E = EducationSpecification;
  auto scope = [&]() -> StatusOr<Selection<E>> {
    switch (q.scope.kind) {
      case ScopeKind::kAll:
        return Selection<E>{};
      case ScopeKind::kParent:
        return ScopeOwnedBy<E>(data_.specs, "education specification", q.scope.id,
                               [&](const E& x) { return x.parent_id == q.scope.id; });
      case ScopeKind::kOrganization:
        return ScopeOwnedBy<E>(data_.organizations, "organization", q.scope.id,
                               [&](const E& x) { return x.organization_id == q.scope.id; });
      default:
        return UnsupportedScope<E>();
    }
  };
  return ListOf(data_.specs, q, order_, data_, scope());
}

StatusOr<Program> MemorySisAdapter::GetProgram(std::string_view id,
                                               const adapters::GetOptions& options) {
  OOAPI_ASSIGN_OR_RETURN(auto p, Get(data_.programs, id, "program"));
  if (!options.timeline_overrides) {
    DropOverrides(p);
  }
  return p;
}
StatusOr<Page<Program>> MemorySisAdapter::ListPrograms(const ListQuery& q) {
  auto scope = [&]() -> StatusOr<Selection<Program>> {
    switch (q.scope.kind) {
      case ScopeKind::kAll:
        return Selection<Program>{};
      case ScopeKind::kEducationSpecification:
        return ScopeOwnedBy<Program>(
            data_.specs, "education specification", q.scope.id,
            [&](const Program& x) { return x.education_specification_id == q.scope.id; });
      case ScopeKind::kParent:
        return ScopeOwnedBy<Program>(data_.programs, "program", q.scope.id,
                                     [&](const Program& x) { return x.parent_id == q.scope.id; });
      case ScopeKind::kOrganization:
        return ScopeOwnedBy<Program>(
            data_.organizations, "organization", q.scope.id,
            [&](const Program& x) { return x.organization_id == q.scope.id; });
      default:
        return UnsupportedScope<Program>();
    }
  };
  return ListOf(data_.programs, q, order_, data_, scope());
}

StatusOr<Course> MemorySisAdapter::GetCourse(std::string_view id,
                                             const adapters::GetOptions& options) {
  OOAPI_ASSIGN_OR_RETURN(auto c, Get(data_.courses, id, "course"));
  if (!options.timeline_overrides) {
    DropOverrides(c);
  }
  return c;
}
StatusOr<Page<Course>> MemorySisAdapter::ListCourses(const ListQuery& q) {
  auto scope = [&]() -> StatusOr<Selection<Course>> {
    switch (q.scope.kind) {
      case ScopeKind::kAll:
        return Selection<Course>{};
      case ScopeKind::kEducationSpecification:
        return ScopeOwnedBy<Course>(
            data_.specs, "education specification", q.scope.id,
            [&](const Course& x) { return x.education_specification_id == q.scope.id; });
      case ScopeKind::kProgram:
        return ScopeOwnedBy<Course>(data_.programs, "program", q.scope.id,
                                    [&](const Course& x) { return Has(x.programs, q.scope.id); });
      case ScopeKind::kOrganization:
        return ScopeOwnedBy<Course>(
            data_.organizations, "organization", q.scope.id,
            [&](const Course& x) { return x.organization_id == q.scope.id; });
      default:
        return UnsupportedScope<Course>();
    }
  };
  return ListOf(data_.courses, q, order_, data_, scope());
}

StatusOr<Offering> MemorySisAdapter::GetOffering(std::string_view id) {
  return Get(data_.offerings, id, "offering");
}
StatusOr<Page<Offering>> MemorySisAdapter::ListOfferings(const ListQuery& q) {
  static const std::vector<size_t> kNone;
  // The offerings of a program or course: only those the index lists are looked at.
  using ParentOf = const std::optional<std::string>& (*)(const Offering&);
  auto of_parent = [&](ParentOf parent_of) -> Selection<Offering> {
    auto it = offerings_by_parent_.find(q.scope.id);
    return {[&q, parent_of](const Offering& x) { return parent_of(x) == q.scope.id; },
            it == offerings_by_parent_.end() ? &kNone : &it->second};
  };
  auto scope = [&]() -> StatusOr<Selection<Offering>> {
    switch (q.scope.kind) {
      case ScopeKind::kAll:
        return Selection<Offering>{};
      case ScopeKind::kProgram:
        if (FindById(data_.programs, q.scope.id) == nullptr) {
          return Missing("program", q.scope.id);
        }
        return of_parent([](const Offering& x) -> const auto& { return x.program_id; });
      case ScopeKind::kCourse:
        if (FindById(data_.courses, q.scope.id) == nullptr) {
          return Missing("course", q.scope.id);
        }
        return of_parent([](const Offering& x) -> const auto& { return x.course_id; });
      case ScopeKind::kOrganization:
        return ScopeOwnedBy<Offering>(
            data_.organizations, "organization", q.scope.id,
            [&](const Offering& x) { return x.organization_id == q.scope.id; });
      case ScopeKind::kAcademicSession:
        return ScopeOwnedBy<Offering>(
            data_.academic_sessions, "academic session", q.scope.id,
            [&](const Offering& x) { return x.academic_session_id == q.scope.id; });
      default:
        return UnsupportedScope<Offering>();
    }
  };
  return ListOf(data_.offerings, q, order_, data_, scope());
}

adapters::AdapterFeatures MemorySisAdapter::Features() const {
  // The filters FilterOf() implements, as the SQL adapters name them.
  return {{"q",
           "primaryCode",
           "organizationType",
           "academicSessionType",
           "parent",
           "year",
           "educationSpecificationType",
           "teachingLanguage",
           "programType",
           "qualificationAwarded",
           "levelOfQualification",
           "sector",
           "fieldsOfStudy",
           "croho-creboCode",
           "level",
           "modeOfDelivery",
           "resultExpected",
           "offeringType",
           "since",
           "until",
           "modeOfStudy"}};
}

StatusOr<SisData> ReadSisData(adapters::SisAdapter& adapter) {
  auto read_all = [](auto list, auto& out) -> Status {
    ListQuery q;
    q.page_size = 250;
    for (q.page_number = 1;; ++q.page_number) {
      OOAPI_ASSIGN_OR_RETURN(auto page, list(q));
      for (auto& x : page.items) {
        out.push_back(std::move(x));
      }
      if (page.items.empty() || static_cast<int64_t>(out.size()) >= page.total_items) {
        return Status::Ok();
      }
    }
  };
  SisData data;
  OOAPI_RETURN_IF_ERROR(read_all([&](const ListQuery& q) { return adapter.ListOrganizations(q); },
                                 data.organizations));
  OOAPI_RETURN_IF_ERROR(read_all(
      [&](const ListQuery& q) { return adapter.ListAcademicSessions(q); }, data.academic_sessions));
  OOAPI_RETURN_IF_ERROR(read_all(
      [&](const ListQuery& q) { return adapter.ListEducationSpecifications(q); }, data.specs));
  OOAPI_RETURN_IF_ERROR(
      read_all([&](const ListQuery& q) { return adapter.ListPrograms(q); }, data.programs));
  OOAPI_RETURN_IF_ERROR(
      read_all([&](const ListQuery& q) { return adapter.ListCourses(q); }, data.courses));
  OOAPI_RETURN_IF_ERROR(
      read_all([&](const ListQuery& q) { return adapter.ListOfferings(q); }, data.offerings));
  // Lists leave timeline overrides out: read every entity that has them once more.
  for (auto& e : data.specs) {
    OOAPI_ASSIGN_OR_RETURN(e, adapter.GetEducationSpecification(e.id, {true}));
  }
  for (auto& p : data.programs) {
    OOAPI_ASSIGN_OR_RETURN(p, adapter.GetProgram(p.id, {true}));
  }
  for (auto& c : data.courses) {
    OOAPI_ASSIGN_OR_RETURN(c, adapter.GetCourse(c.id, {true}));
  }
  return data;
}

}  // namespace ooapi::testing
