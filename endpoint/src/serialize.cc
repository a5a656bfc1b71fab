#include "ooapi/endpoint/serialize.h"

#include <cmath>

#include "ooapi/common/strings.h"

namespace ooapi::endpoint {
namespace {

using adapters::Identifier;
using adapters::LanguageStrings;

// The writer would only return false on invalid UTF-8; refusing it here names the field.
void CheckUtf8(const std::string& value, const char* field) {
  if (!IsValidUtf8(value)) {
    throw SerializeError(std::string("invalid UTF-8 in ") + field);
  }
}

void Str(json::Writer& w, const std::string& value, const char* field) {
  CheckUtf8(value, field);
  json::String(w, value);
}

void Field(json::Writer& w, const char* key, const std::string& value) {
  CheckUtf8(value, key);
  json::Member(w, key, value);
}

void Field(json::Writer& w, const char* key, const std::optional<std::string>& value) {
  if (value) {
    Field(w, key, *value);
  }
}

void StringArray(json::Writer& w, const char* key, const std::vector<std::string>& values) {
  if (values.empty()) {
    return;
  }
  for (const auto& v : values) CheckUtf8(v, key);
  json::StringArray(w, key, values);
}

void WriteLanguageStrings(json::Writer& w, const LanguageStrings& values, const char* field) {
  w.StartArray();
  for (const auto& s : values) {
    w.StartObject();
    Field(w, "language", s.language);
    json::Key(w, "value");
    Str(w, s.value, field);
    w.EndObject();
  }
  w.EndArray();
}

// Required multilingual attributes are written even when empty, so a missing SIS text shows up
// as a validation error instead of a silently dropped attribute.
void Texts(json::Writer& w, const char* key, const LanguageStrings& values, bool required) {
  if (values.empty() && !required) {
    return;
  }
  json::Key(w, key);
  WriteLanguageStrings(w, values, key);
}

void Outcomes(json::Writer& w, const std::vector<LanguageStrings>& outcomes) {
  if (outcomes.empty()) {
    return;
  }
  json::Key(w, "learningOutcomes");
  w.StartArray();
  for (const auto& group : outcomes) {
    WriteLanguageStrings(w, group, "learningOutcomes");
  }
  w.EndArray();
}

void WriteIdentifier(json::Writer& w, const Identifier& id) {
  w.StartObject();
  Field(w, "codeType", id.code_type);
  Field(w, "code", id.code);
  w.EndObject();
}

void PrimaryCode(json::Writer& w, const Identifier& id) {
  json::Key(w, "primaryCode");
  WriteIdentifier(w, id);
}

void OtherCodes(json::Writer& w, const std::vector<Identifier>& codes) {
  if (codes.empty()) {
    return;
  }
  json::Key(w, "otherCodes");
  w.StartArray();
  for (const auto& c : codes) {
    WriteIdentifier(w, c);
  }
  w.EndArray();
}

void StudyLoad(json::Writer& w, const std::optional<adapters::StudyLoad>& load) {
  if (!load) {
    return;
  }
  json::Key(w, "studyLoad");
  w.StartObject();
  Field(w, "studyLoadUnit", load->unit);
  json::Key(w, "value");
  double integral = 0;
  if (std::modf(load->value, &integral) == 0.0 && std::fabs(integral) < 9e15) {
    w.Int64(static_cast<int64_t>(integral));
  } else {
    w.Double(load->value);
  }
  w.EndObject();
}

void RioConsumerStart(json::Writer& w) {
  json::Key(w, "consumers");
  w.StartArray();
  w.StartObject();
  Field(w, "consumerKey", std::string("rio"));
}

void RioConsumerEnd(json::Writer& w) {
  w.EndObject();
  w.EndArray();
}

void EducationSpecificationProperties(json::Writer& w,
                                      const adapters::EducationSpecificationProperties& p) {
  PrimaryCode(w, p.primary_code);
  Field(w, "educationSpecificationType", p.type);
  Texts(w, "name", p.name, true);
  Field(w, "abbreviation", p.abbreviation);
  Texts(w, "description", p.description, false);
  Field(w, "formalDocument", p.formal_document);
  Field(w, "level", p.level);
  Field(w, "sector", p.sector);
  Field(w, "levelOfQualification", p.level_of_qualification);
  Field(w, "fieldsOfStudy", p.fields_of_study);
  StudyLoad(w, p.study_load);
  Outcomes(w, p.learning_outcomes);
  Field(w, "link", p.link);
  OtherCodes(w, p.other_codes);
  RioConsumerStart(w);
  Field(w, "educationSpecificationSubType", p.rio.sub_type);
  StringArray(w, "category", p.rio.categories);
  RioConsumerEnd(w);
}

void OfferedRioConsumer(json::Writer& w, const adapters::OfferedRio& r) {
  RioConsumerStart(w);
  Field(w, "educationOffererCode", r.education_offerer_code);
  Field(w, "educationLocationCode", r.education_location_code);
  Field(w, "consentParticipationSTAP", r.consent_participation_stap);
  Field(w, "propaedeuticPhase", r.propaedeutic_phase);
  Field(w, "studyChoiceCheck", r.study_choice_check);
  Field(w, "acceleratedRoute", r.accelerated_route);
  Field(w, "deficiency", r.deficiency);
  Field(w, "requirementsActivities", r.requirements_activities);
  StringArray(w, "foreignPartners", r.foreign_partners);
  StringArray(w, "jointPartnerCodes", r.joint_partner_codes);
  StringArray(w, "teachingLanguages", r.teaching_languages);
  Field(w, "lastStartDate", r.last_start_date);
  if (r.joint_program) {
    json::Member(w, "jointProgram", *r.joint_program);
  }
  Field(w, "educationUnitCode", r.education_unit_code);
  Field(w, "duration", r.duration);
  RioConsumerEnd(w);
}

// Program and course properties share most attributes; `is_program` adds the program-only ones.
void OfferedProperties(json::Writer& w, const adapters::OfferedProperties& p, bool is_program) {
  PrimaryCode(w, p.primary_code);
  if (is_program) {
    Field(w, "programType", p.program_type);
  }
  Texts(w, "name", p.name, true);
  Field(w, "abbreviation", p.abbreviation);
  Texts(w, "description", p.description, true);
  Field(w, "teachingLanguage", p.teaching_language);
  StudyLoad(w, p.study_load);
  if (is_program) {
    Field(w, "qualificationAwarded", p.qualification_awarded);
    Field(w, "modeOfStudy", p.mode_of_study);
  }
  StringArray(w, "modeOfDelivery", p.modes_of_delivery);
  Field(w, "duration", p.duration);
  Field(w, "firstStartDate", p.first_start_date);
  if (is_program) {
    Field(w, "levelOfQualification", p.level_of_qualification);
  }
  Field(w, "level", p.level);
  if (is_program) {
    Field(w, "sector", p.sector);
  }
  Field(w, "fieldsOfStudy", p.fields_of_study);
  Texts(w, "enrollment", p.enrollment, false);
  Texts(w, "assessment", p.assessment, false);
  Texts(w, "admissionRequirements", p.admission_requirements, false);
  Texts(w, "qualificationRequirements", p.qualification_requirements, false);
  Outcomes(w, p.learning_outcomes);
  Field(w, "link", p.link);
  OtherCodes(w, p.other_codes);
  OfferedRioConsumer(w, p.rio);
}

template <typename Props, typename WriteProps>
void Overrides(json::Writer& w, const std::vector<adapters::TimelineOverride<Props>>& overrides,
               const char* inner_key, WriteProps&& write_props) {
  if (overrides.empty()) {
    return;
  }
  json::Key(w, "timelineOverrides");
  w.StartArray();
  for (const auto& o : overrides) {
    w.StartObject();
    Field(w, "validFrom", o.valid_from);
    Field(w, "validTo", o.valid_to);
    json::Key(w, inner_key);
    w.StartObject();
    write_props(o.properties);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
}

// validFrom and validTo of `entity`, then (when asked) its timeline overrides, each holding its
// properties under `inner_key`.
template <typename Entity, typename WriteProps>
void Timeline(json::Writer& w, const Entity& entity, const SerializeOptions& options,
              const char* inner_key, WriteProps&& write_props) {
  Field(w, "validFrom", entity.valid_from);
  Field(w, "validTo", entity.valid_to);
  if (options.timeline_overrides) {
    Overrides(w, entity.timeline_overrides, inner_key, write_props);
  }
}

}  // namespace

void WriteOrganization(json::Writer& w, const adapters::Organization& o) {
  w.StartObject();
  Field(w, "organizationId", o.id);
  PrimaryCode(w, o.primary_code);
  Field(w, "organizationType", o.organization_type);
  Texts(w, "name", o.name, true);
  Field(w, "shortName", o.short_name);
  Texts(w, "description", o.description, false);
  Field(w, "link", o.link);
  Field(w, "logo", o.logo);
  Field(w, "parent", o.parent_id);
  StringArray(w, "children", o.children);
  OtherCodes(w, o.other_codes);
  w.EndObject();
}

void WriteAcademicSession(json::Writer& w, const adapters::AcademicSession& s) {
  w.StartObject();
  Field(w, "academicSessionId", s.id);
  Field(w, "academicSessionType", s.academic_session_type);
  if (s.primary_code) {
    PrimaryCode(w, *s.primary_code);
  }
  Texts(w, "name", s.name, true);
  Field(w, "startDate", s.start_date);
  Field(w, "endDate", s.end_date);
  Field(w, "parent", s.parent_id);
  StringArray(w, "children", s.children);
  Field(w, "year", s.year_id);
  OtherCodes(w, s.other_codes);
  w.EndObject();
}

void WriteEducationSpecification(json::Writer& w, const adapters::EducationSpecification& e,
                                 const SerializeOptions& options) {
  w.StartObject();
  Field(w, "educationSpecificationId", e.id);
  EducationSpecificationProperties(w, e.properties);
  Field(w, "parent", e.parent_id);
  StringArray(w, "children", e.children);
  Field(w, "organization", e.organization_id);
  Timeline(w, e, options, "educationSpecification",
           [&](const auto& p) { EducationSpecificationProperties(w, p); });
  w.EndObject();
}

void WriteProgram(json::Writer& w, const adapters::Program& p, const SerializeOptions& options) {
  w.StartObject();
  Field(w, "programId", p.id);
  OfferedProperties(w, p.properties, true);
  Field(w, "educationSpecification", p.education_specification_id);
  Field(w, "parent", p.parent_id);
  StringArray(w, "children", p.children);
  Field(w, "organization", p.organization_id);
  Timeline(w, p, options, "program", [&](const auto& props) { OfferedProperties(w, props, true); });
  w.EndObject();
}

void WriteCourse(json::Writer& w, const adapters::Course& c, const SerializeOptions& options) {
  w.StartObject();
  Field(w, "courseId", c.id);
  OfferedProperties(w, c.properties, false);
  Field(w, "educationSpecification", c.education_specification_id);
  StringArray(w, "programs", c.programs);
  Field(w, "organization", c.organization_id);
  Timeline(w, c, options, "course", [&](const auto& props) { OfferedProperties(w, props, false); });
  w.EndObject();
}

void WriteOffering(json::Writer& w, const adapters::Offering& o) {
  w.StartObject();
  Field(w, "offeringId", o.id);
  PrimaryCode(w, o.primary_code);
  Field(w, "offeringType", o.offering_type);
  Texts(w, "name", o.name, true);
  Field(w, "abbreviation", o.abbreviation);
  Texts(w, "description", o.description, true);
  Field(w, "teachingLanguage", o.teaching_language);
  StringArray(w, "modeOfDelivery", o.modes_of_delivery);
  json::Member(w, "resultExpected", o.result_expected);
  Field(w, "link", o.link);
  if (o.max_number_students) {
    json::Member(w, "maxNumberStudents", *o.max_number_students);
  }
  if (o.min_number_students) {
    json::Member(w, "minNumberStudents", *o.min_number_students);
  }
  Field(w, "academicSession", o.academic_session_id);
  Field(w, "startDate", o.start_date);
  Field(w, "endDate", o.end_date);
  Field(w, "enrollStartDate", o.enroll_start_date);
  Field(w, "enrollEndDate", o.enroll_end_date);
  Field(w, "flexibleEntryPeriodStart", o.flexible_entry_period_start);
  Field(w, "flexibleEntryPeriodEnd", o.flexible_entry_period_end);
  if (!o.costs.empty()) {
    json::Key(w, "priceInformation");
    w.StartArray();
    for (const auto& c : o.costs) {
      w.StartObject();
      Field(w, "costType", c.cost_type);
      Field(w, "amount", c.amount);
      Field(w, "currency", c.currency);
      w.EndObject();
    }
    w.EndArray();
  }
  OtherCodes(w, o.other_codes);
  RioConsumerStart(w);
  Field(w, "registrationStatus", o.rio.registration_status);
  Field(w, "requiredPermissionRegistration", o.rio.required_permission_registration);
  Field(w, "explanationRequiredPermission", o.rio.explanation_required_permission);
  RioConsumerEnd(w);
  // The RIO mapper reads this attribute from the offering itself, not from its consumer.
  Field(w, "explanationRequiredPermission", o.rio.explanation_required_permission);
  Field(w, o.offering_type == "course" ? "course" : "program",
        o.offering_type == "course" ? o.course_id : o.program_id);
  Field(w, "organization", o.organization_id);
  w.EndObject();
}

void WriteService(json::Writer& w, const config::ServiceConfig& service,
                  const std::vector<std::string>& paths) {
  w.StartObject();
  Field(w, "contactEmail", service.contact_email);
  Field(w, "specification", service.specification);
  Field(w, "documentation", service.documentation);
  json::Key(w, "ext");
  w.StartObject();
  for (const auto& p : paths) {
    CheckUtf8(p, "paths");
  }
  json::StringArray(w, "paths", paths);
  w.EndObject();
  w.EndObject();
}

}  // namespace ooapi::endpoint
