// LoadSisSide: the SIS as `sync plan` sees it, read through the adapter interface, so matching
// runs the same on every backend.

#include <algorithm>

#include "ooapi/sync/plan/sis_side.h"

namespace ooapi::sync {
namespace {

using adapters::ListQuery;
using adapters::Page;
using adapters::ScopeKind;


std::string Niveau(const std::optional<std::string>& level,
                   const std::optional<std::string>& sector) {
  if (!level) return "";
  const std::string s = sector.value_or("");
  const std::string prefix = s == "university education" ? "WO" : "HBO";
  if (*level == "bachelor") return prefix + "-BA";
  if (*level == "master") return prefix + "-MA";
  if (*level == "associate degree") return "HBO-AD";
  if (*level == "undefined") return "ONBEPAALD";
  return "";
}

std::string RioUnit(const std::string& unit) {
  if (unit == "ects") return "ECTS_PUNT";
  if (unit == "sbu") return "SBU";
  if (unit == "contacttime") return "CONTACTUUR";
  if (unit == "sp") return "STUDIEPUNT";
  if (unit == "hour") return "UUR";
  return unit;
}

std::string Vorm(const std::optional<std::string>& mode) {
  if (!mode) return "";
  if (*mode == "full-time") return "VOLTIJD";
  if (*mode == "part-time") return "DEELTIJD";
  if (*mode == "dual training") return "DUAAL";
  return "";
}

void AddNames(const adapters::LanguageStrings& names, std::vector<std::string>& out) {
  for (const auto& n : names) out.push_back(n.value);
}

// A program or course (`type`) as the matcher sees it: its RIO consumer facts and names; it
// begins at validFrom, else at its first start date.
template <typename T>
SisEntity OfferedEntity(const T& x, const char* type) {
  SisEntity e;
  e.type = type;
  e.id = x.id;
  e.parent_id = x.education_specification_id.value_or("");
  const adapters::OfferedProperties& p = x.properties;
  AddNames(p.name, e.names);
  e.aanbieder = p.rio.education_offerer_code.value_or("");
  e.locatie = p.rio.education_location_code.value_or("");
  e.vorm = Vorm(p.mode_of_study);
  for (const auto& l : p.rio.teaching_languages) {
    std::string u = l;
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::toupper(c); });
    e.voertaal.push_back(u);
  }
  std::sort(e.voertaal.begin(), e.voertaal.end());
  e.begin = x.valid_from.value_or(p.first_start_date.value_or(""));
  e.end = x.valid_to.value_or("");
  return e;
}

// An education specification (read with its timeline overrides, for the names of all periods).
SisEntity SpecEntity(const adapters::EducationSpecification& s) {
  SisEntity e;
  e.type = "education-specification";
  e.id = s.id;
  e.parent_id = s.parent_id.value_or("");
  e.variant = s.properties.rio.sub_type.value_or("") == "variant";
  auto isat = [](const adapters::Identifier& i) {
    return i.code_type == "crohoCreboCode" || i.code_type == "isat";
  };
  if (isat(s.properties.primary_code)) e.isat = s.properties.primary_code.code;
  for (const auto& o : s.properties.other_codes) {
    if (e.isat.empty() && isat(o)) e.isat = o.code;
  }
  AddNames(s.properties.name, e.names);
  for (const auto& t : s.timeline_overrides) AddNames(t.properties.name, e.names);
  e.niveau = Niveau(s.properties.level, s.properties.sector);
  if (s.properties.study_load) {
    e.studielast = std::to_string(static_cast<int64_t>(s.properties.study_load->value));
    e.studielasteenheid = RioUnit(s.properties.study_load->unit);
  }
  e.begin = s.valid_from.value_or("");
  e.end = s.valid_to.value_or("");
  return e;
}

template <typename T, typename List>
Status AllPages(List list, ScopeKind kind, std::vector<T>& out) {
  ListQuery q;
  q.scope.kind = kind;
  q.page_size = 250;
  q.rio_only = true;
  for (q.page_number = 1;; ++q.page_number) {
    OOAPI_ASSIGN_OR_RETURN(Page<T> page, list(q));
    const size_t n = page.items.size();
    for (auto& x : page.items) out.push_back(std::move(x));
    if (n < 250) return Status::Ok();
  }
}

}  // namespace

StatusOr<SisSide> LoadSisSide(adapters::SisAdapter& adapter) {
  SisSide side;
  std::vector<adapters::EducationSpecification> specs;
  OOAPI_RETURN_IF_ERROR(AllPages<adapters::EducationSpecification>(
      [&](const ListQuery& q) { return adapter.ListEducationSpecifications(q); }, ScopeKind::kAll,
      specs));
  for (const auto& listed : specs) {
    OOAPI_ASSIGN_OR_RETURN(auto s, adapter.GetEducationSpecification(listed.id, {true}));
    side.entities.push_back(SpecEntity(s));
  }
  std::vector<adapters::Program> programs;
  OOAPI_RETURN_IF_ERROR(AllPages<adapters::Program>(
      [&](const ListQuery& q) { return adapter.ListPrograms(q); }, ScopeKind::kAll, programs));
  for (const auto& p : programs) side.entities.push_back(OfferedEntity(p, "program"));
  std::vector<adapters::Course> courses;
  OOAPI_RETURN_IF_ERROR(AllPages<adapters::Course>(
      [&](const ListQuery& q) { return adapter.ListCourses(q); }, ScopeKind::kAll, courses));
  for (const auto& c : courses) side.entities.push_back(OfferedEntity(c, "course"));
  std::vector<adapters::Offering> offerings;
  OOAPI_RETURN_IF_ERROR(AllPages<adapters::Offering>(
      [&](const ListQuery& q) { return adapter.ListOfferings(q); }, ScopeKind::kAll, offerings));
  for (const auto& o : offerings) {
    side.offerings.push_back(
        {o.id, o.program_id.value_or(o.course_id.value_or("")), o.primary_code.code, o.start_date});
  }
  return side;
}

}  // namespace ooapi::sync
