#pragma once
// The OOAPI entities as plain data, filled by SIS adapters and turned into JSON by the endpoint.
// Optional attributes are std::optional or empty containers; "absent" is never "null".
// Ids are lowercase UUID strings. Dates are ISO "YYYY-MM-DD" strings.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ooapi::adapters {

struct LanguageString {
  std::string language;  // e.g. "nl-NL"
  std::string value;
};
using LanguageStrings = std::vector<LanguageString>;

struct Identifier {
  std::string code_type;  // e.g. "programCode" or an "x-..." value
  std::string code;
};

struct StudyLoad {
  std::string unit;  // ects | contacttime | sbu | sp | hour
  double value = 0;
};

struct Cost {
  std::string cost_type;  // e.g. "total costs"
  std::string amount;     // decimal string, e.g. "2601.00"
  std::optional<std::string> currency;
};

// One entry of timelineOverrides: the complete properties valid in [valid_from, valid_to).
template <typename Properties>
struct TimelineOverride {
  std::string valid_from;
  std::optional<std::string> valid_to;
  Properties properties;
};

struct Organization {
  std::string id;
  std::string organization_type;
  Identifier primary_code;
  LanguageStrings name;
  std::string short_name;
  LanguageStrings description;
  std::optional<std::string> link;
  std::optional<std::string> logo;
  std::optional<std::string> parent_id;
  std::vector<std::string> children;
  std::vector<Identifier> other_codes;
};

struct AcademicSession {
  std::string id;
  std::optional<std::string> academic_session_type;
  std::optional<Identifier> primary_code;
  LanguageStrings name;
  std::string start_date;
  std::string end_date;
  std::optional<std::string> parent_id;
  std::optional<std::string> year_id;
  std::vector<std::string> children;
  std::vector<Identifier> other_codes;
};

// rio consumer of an education specification, as the RIO mapper reads it.
struct EducationSpecificationRio {
  std::optional<std::string> sub_type;  // only "variant"
  std::vector<std::string> categories;  // privateProgram categories
};

struct EducationSpecificationProperties {
  std::string type;  // program | privateProgram | cluster | course
  Identifier primary_code;
  LanguageStrings name;
  std::optional<std::string> abbreviation;
  LanguageStrings description;
  std::optional<std::string> formal_document;
  std::optional<std::string> level;
  std::optional<std::string> sector;
  std::optional<std::string> level_of_qualification;
  std::optional<std::string> fields_of_study;
  std::optional<StudyLoad> study_load;
  std::optional<std::string> link;
  std::vector<LanguageStrings> learning_outcomes;
  std::vector<Identifier> other_codes;
  EducationSpecificationRio rio;
};

struct EducationSpecification {
  std::string id;
  EducationSpecificationProperties properties;
  std::optional<std::string> parent_id;
  std::vector<std::string> children;
  std::optional<std::string> organization_id;
  std::optional<std::string> valid_from;
  std::optional<std::string> valid_to;
  bool rio_relevant = true;
  std::vector<TimelineOverride<EducationSpecificationProperties>> timeline_overrides;
};

// rio consumer of a program or course, as the RIO mapper reads it. Program-only fields stay empty
// for courses.
struct OfferedRio {
  std::optional<std::string> education_offerer_code;
  std::optional<std::string> education_location_code;
  std::optional<std::string> consent_participation_stap;
  std::optional<std::string> propaedeutic_phase;
  std::optional<std::string> study_choice_check;
  std::optional<std::string> accelerated_route;
  std::optional<std::string> deficiency;
  std::optional<std::string> requirements_activities;
  std::vector<std::string> foreign_partners;
  std::vector<std::string> joint_partner_codes;
  std::vector<std::string> teaching_languages;
  std::optional<std::string> last_start_date;
  std::optional<bool> joint_program;
  std::optional<std::string> education_unit_code;
  std::optional<std::string> duration;
};

// Texts and codes shared by programs and courses.
struct OfferedProperties {
  Identifier primary_code;
  LanguageStrings name;
  std::optional<std::string> abbreviation;
  LanguageStrings description;
  std::optional<std::string> teaching_language;
  std::optional<StudyLoad> study_load;
  std::vector<std::string> modes_of_delivery;
  std::optional<std::string> duration;
  std::optional<std::string> first_start_date;
  std::optional<std::string> level;
  std::optional<std::string> fields_of_study;
  std::optional<std::string> link;
  LanguageStrings enrollment;
  LanguageStrings assessment;
  LanguageStrings admission_requirements;
  LanguageStrings qualification_requirements;
  std::vector<LanguageStrings> learning_outcomes;
  std::vector<Identifier> other_codes;
  OfferedRio rio;
  // Program only.
  std::optional<std::string> program_type;
  std::optional<std::string> qualification_awarded;
  std::optional<std::string> mode_of_study;
  std::optional<std::string> level_of_qualification;
  std::optional<std::string> sector;
};

struct Program {
  std::string id;
  OfferedProperties properties;
  std::optional<std::string> education_specification_id;
  std::optional<std::string> parent_id;
  std::vector<std::string> children;
  std::optional<std::string> organization_id;
  std::optional<std::string> valid_from;
  std::optional<std::string> valid_to;
  bool rio_relevant = true;
  std::vector<TimelineOverride<OfferedProperties>> timeline_overrides;
};

struct Course {
  std::string id;
  OfferedProperties properties;
  std::optional<std::string> education_specification_id;
  std::vector<std::string> programs;
  std::optional<std::string> organization_id;
  std::optional<std::string> valid_from;
  std::optional<std::string> valid_to;
  bool rio_relevant = true;
  std::vector<TimelineOverride<OfferedProperties>> timeline_overrides;
};

// rio consumer of an offering, as the RIO mapper reads it.
struct OfferingRio {
  std::optional<std::string> registration_status;               // open | closed
  std::optional<std::string> required_permission_registration;  // yes | no
  std::optional<std::string> explanation_required_permission;
};

struct Offering {
  std::string id;
  std::string offering_type;  // program | course
  Identifier primary_code;
  LanguageStrings name;
  std::optional<std::string> abbreviation;
  LanguageStrings description;
  std::optional<std::string> teaching_language;
  std::vector<std::string> modes_of_delivery;
  bool result_expected = true;
  std::optional<std::string> link;
  std::optional<int64_t> max_number_students;
  std::optional<int64_t> min_number_students;
  std::optional<std::string> academic_session_id;
  std::optional<std::string> program_id;
  std::optional<std::string> course_id;
  std::optional<std::string> organization_id;
  std::string start_date;
  std::string end_date;
  std::optional<std::string> enroll_start_date;
  std::optional<std::string> enroll_end_date;
  std::optional<std::string> flexible_entry_period_start;
  std::optional<std::string> flexible_entry_period_end;
  std::vector<Cost> costs;
  std::vector<Identifier> other_codes;
  OfferingRio rio;
  bool rio_relevant = true;
};

}  // namespace ooapi::adapters
