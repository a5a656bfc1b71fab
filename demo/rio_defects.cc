#include "rio_defects.h"

#include <utility>
#include <vector>

namespace ooapi::demo::internal {
namespace {

using Row = std::vector<std::pair<std::string, db::Value>>;

db::Value T(std::string s) { return {std::move(s)}; }
db::Value I(int64_t n) { return {n}; }
db::Value R(double d) { return {d}; }
db::Value N() { return db::Null(); }

// defec7ed-0000-4000-8000-0000000000NN
std::string Id(int n) {
  std::string s = std::to_string(n);
  return "defec7ed-0000-4000-8000-" + std::string(12 - s.size(), '0') + s;
}

// An id no table holds (targets of dangling references).
const std::string kUnknownEduspec = "defec7ed-0000-4000-8000-0000000000ee";
const std::string kUnknownParent = "defec7ed-0000-4000-8000-0000000000ff";

void Set(Row& row, const std::string& column, db::Value value) {
  for (auto& [c, v] : row) {
    if (c == column) {
      v = std::move(value);
      return;
    }
  }
  row.emplace_back(column, std::move(value));
}

class Planter {
 public:
  Planter(db::Connection& connection, const std::string& today, DemoSummary& summary)
      : connection_(connection), summary_(summary) {
    year_ = std::stoi(today.substr(0, 4)) + 1;
  }

  Status status() const { return status_; }

  void Insert(const std::string& table, const Row& row) {
    if (!status_.ok()) return;
    std::string names;
    std::string marks;
    std::vector<db::Value> values;
    for (const auto& [c, v] : row) {
      names += (names.empty() ? "" : ", ") + c;
      marks += marks.empty() ? "?" : ", ?";
      values.push_back(v);
    }
    auto r = connection_.Execute("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")",
                                 values);
    if (!r.ok()) status_ = r.status();
  }

  void Text(const char* owner_type, const std::string& id, const db::Value& period,
            const char* field, const char* language, const std::string& value, int ordinal) {
    Insert("texts", {{"owner_type", T(owner_type)},
                     {"owner_id", T(id)},
                     {"period_valid_from", period},
                     {"field", T(field)},
                     {"language", T(language)},
                     {"value", T(value)},
                     {"ordinal", I(ordinal)}});
    ++summary_.text_rows;
  }

  // Name and description in nl-NL and en-GB, unless overridden.
  void Texts(const char* owner_type, const std::string& id, const std::string& nl,
             const std::string& en, const char* nl_tag = "nl-NL", const char* en_tag = "en-GB",
             const std::string& description_nl = "") {
    Text(owner_type, id, N(), "name", nl_tag, nl, 0);
    Text(owner_type, id, N(), "name", en_tag, en, 1);
    Text(owner_type, id, N(), "description", nl_tag,
         description_nl.empty() ? "Geplante fout voor check-rio: " + nl + "." : description_nl, 0);
    Text(owner_type, id, N(), "description", en_tag, "Planted defect for check-rio: " + en + ".",
         1);
  }

  void Plant(std::string rule, const char* type, const std::string& id, std::string what) {
    summary_.planted.push_back({std::move(rule), type, id, std::move(what)});
  }

  // --- clean rows; each defect changes one thing --------------------------------------------

  Row Eduspec(const std::string& id, const char* type, const std::string& code) {
    return {{"education_specification_id", T(id)},
            {"education_specification_type", T(type)},
            {"primary_code_type", T("identifier")},
            {"primary_code", T(code)},
            {"sort_name", T("RIO defect: " + code)},
            {"abbreviation", T(code)},
            {"formal_document", std::string(type) == "program" ? T("diploma") : N()},
            {"level", T("bachelor")},
            {"sector", T("higher professional education")},
            {"study_load_unit", T("ects")},
            {"study_load_value", R(240)},
            {"valid_from", T("2015-09-01")},
            {"rio_relevant", I(1)}};
  }
  void WriteEduspec(const Row& row, const std::string& id, const std::string& nl,
                    const std::string& en, const char* nl_tag = "nl-NL",
                    const char* en_tag = "en-GB") {
    Insert("education_specifications", row);
    Texts("education_specification", id, nl, en, nl_tag, en_tag);
    ++summary_.education_specifications;
  }

  Row Program(const std::string& id, const std::string& code) {
    return {{"program_id", T(id)},
            {"education_specification_id", T(Id(1))},
            {"program_type", T("program")},
            {"primary_code_type", T("programCode")},
            {"primary_code", T(code)},
            {"sort_name", T("RIO defect: " + code)},
            {"abbreviation", T(code)},
            {"teaching_language", T("nld")},
            {"mode_of_study", T("full-time")},
            {"modes_of_delivery", T("[\"situated\"]")},
            {"duration", T("P4Y")},
            {"valid_from", T("2016-09-01")},
            {"rio_relevant", I(1)},
            {"rio_education_offerer_code", T("100A001")},
            {"rio_education_location_code", T("100X101")},
            {"rio_propaedeutic_phase", T("propaedeutic_phase_exam")},
            {"rio_study_choice_check", T("study_choice_check_mandatory")}};
  }
  void WriteProgram(const Row& row, const std::string& id, const std::string& nl,
                    const std::string& en, const char* nl_tag = "nl-NL",
                    const std::string& description_nl = "") {
    Insert("programs", row);
    Texts("program", id, nl, en, nl_tag, "en-GB", description_nl);
    ++summary_.programs;
  }

  Row Course(const std::string& id, const std::string& code) {
    return {{"course_id", T(id)},
            {"education_specification_id", T(Id(2))},
            {"primary_code_type", T("componentCode")},
            {"primary_code", T(code)},
            {"sort_name", T("RIO defect: " + code)},
            {"abbreviation", T(code)},
            {"teaching_language", T("nld")},
            {"study_load_unit", T("ects")},
            {"study_load_value", R(5)},
            {"modes_of_delivery", T("[\"situated\"]")},
            {"duration", T("P10W")},
            {"valid_from", T("2016-09-01")},
            {"rio_relevant", I(1)},
            {"rio_education_offerer_code", T("100A001")},
            {"rio_education_location_code", T("100X101")}};
  }
  void WriteCourse(const Row& row, const std::string& id, const std::string& nl,
                   const std::string& en, const std::string& description_nl = "") {
    Insert("courses", row);
    Texts("course", id, nl, en, "nl-NL", "en-GB", description_nl);
    ++summary_.courses;
  }

  Row Offering(const std::string& id, const std::string& course_id, const std::string& code) const {
    const std::string y = std::to_string(year_);
    return {{"offering_id", T(id)},
            {"offering_type", T("course")},
            {"course_id", T(course_id)},
            {"primary_code_type", T("offeringCode")},
            {"primary_code", T(code)},
            {"sort_name", T("RIO defect: " + code)},
            {"teaching_language", T("nld")},
            {"modes_of_delivery", T("[\"situated\"]")},
            {"result_expected", I(1)},
            {"start_date", T(y + "-09-01")},
            {"end_date", T(y + "-11-09")},
            {"enroll_start_date", T(y + "-07-01")},
            {"enroll_end_date", T(y + "-08-18")},
            {"rio_relevant", I(1)},
            {"rio_registration_status", T("open")},
            {"rio_required_permission_registration", T("no")}};
  }
  void WriteOffering(const Row& row, const std::string& id, const std::string& nl,
                     const std::string& en) {
    Insert("offerings", row);
    Texts("offering", id, nl, en);
    ++summary_.offerings;
  }

 private:
  db::Connection& connection_;
  DemoSummary& summary_;
  Status status_;
  int year_ = 0;
};

// Clean hosts: a program-type and a course-type education specification for the planted
// programs and courses, and a course for the planted offerings.
void PlantHosts(Planter& p) {
  p.WriteEduspec(p.Eduspec(Id(1), "program", "RIO-HOST-PROGRAM"), Id(1),
                 "RIO defect: gastopleiding", "RIO defect: host programme");
  p.WriteEduspec(p.Eduspec(Id(2), "course", "RIO-HOST-COURSE"), Id(2), "RIO defect: gastonderwijs",
                 "RIO defect: host course unit");
  p.WriteCourse(p.Course(Id(24), "RIO-HOST-OFFERINGS"), Id(24), "RIO defect: gastcursus",
                "RIO defect: host course");
}

void PlantEducationSpecificationDefects(Planter& p) {
  {
    const std::string id = Id(3);
    p.WriteEduspec(p.Eduspec(id, "course", "RIO-NAME-LANGUAGE"), id,
                   "RIO defect: naam zonder regio", "RIO defect: name without region", "nl", "en");
    p.Plant("name-language", "education-specification", id,
            "name only in 'nl' and 'en' (no nl-NL/nl-BE/en-XX)");
  }
  {
    const std::string id = Id(4);
    Row row = p.Eduspec(id, "course", "RIO-LEVEL-SECTOR");
    Set(row, "level", T("associate degree"));
    Set(row, "sector", T("university education"));
    p.WriteEduspec(row, id, "RIO defect: niveau en sector", "RIO defect: level and sector");
    p.Plant("level-sector", "education-specification", id,
            "level 'associate degree' with sector 'university education'");
  }
  {
    const std::string id = Id(5);
    p.WriteEduspec(p.Eduspec(id, "course", "RIO-DUPLICATE-START"), id,
                   "RIO defect: dubbele periode", "RIO defect: duplicate period");
    p.Insert("education_specification_periods",
             {{"education_specification_id", T(id)}, {"valid_from", T("2015-09-01")}});
    p.Plant("duplicate-period-start", "education-specification", id,
            "a timeline override starting on the main object's validFrom");
  }
  {
    const std::string id = Id(6);
    Row row = p.Eduspec(id, "program", "RIO-DANGLING-PARENT");
    Set(row, "parent_id", T(kUnknownParent));
    Set(row, "rio_sub_type", T("variant"));
    p.WriteEduspec(row, id, "RIO defect: variant zonder ouder", "RIO defect: orphaned variant");
    p.Plant("dangling-relation", "education-specification", id,
            "a variant whose parent " + kUnknownParent + " does not exist");
  }
}

// Under the clean program-type host.
void PlantProgramDefects(Planter& p) {
  {
    const std::string id = Id(10);
    std::string long_text;
    while (long_text.size() <= 3000) long_text += "Een heel lange omschrijving. ";
    p.WriteProgram(p.Program(id, "RIO-TEXT-LENGTH"), id, "RIO defect: te lange omschrijving",
                   "RIO defect: description too long", "nl-NL", long_text);
    p.Plant("text-length", "program", id, "a Dutch description over 3000 characters");
  }
  {
    const std::string id = Id(11);
    p.WriteProgram(p.Program(id, "RIO-LANGUAGE-TAG"), id, "RIO defect: taalcode",
                   "RIO defect: language tag", "dutch");
    p.Plant("language-tag", "program", id, "texts in language 'dutch'");
  }
  {
    const std::string id = Id(12);
    Row row = p.Program(id, "RIO-ENUM");
    Set(row, "mode_of_study", T("evening"));
    p.WriteProgram(row, id, "RIO defect: studievorm", "RIO defect: mode of study");
    p.Plant("enum", "program", id, "modeOfStudy 'evening'");
  }
  {
    const std::string id = Id(13);
    Row row = p.Program(id, "RIO-CONSUMER-REQUIRED");
    Set(row, "rio_propaedeutic_phase", N());
    p.WriteProgram(row, id, "RIO defect: propedeuse ontbreekt",
                   "RIO defect: propaedeutic phase missing");
    p.Plant("consumer-required", "program", id,
            "no propaedeuticPhase under a program-type education specification");
  }
  {
    const std::string id = Id(14);
    Row row = p.Program(id, "RIO-CONSUMER-ENUM");
    Set(row, "rio_study_choice_check", T("study_choice_check_maybe"));
    p.WriteProgram(row, id, "RIO defect: studiekeuzecheck", "RIO defect: study choice check");
    p.Plant("consumer-enum", "program", id, "studyChoiceCheck 'study_choice_check_maybe'");
  }
  {
    const std::string id = Id(15);
    p.WriteProgram(p.Program(id, "RIO-OVERRIDE-VALID-TO"), id, "RIO defect: periode met einde",
                   "RIO defect: period with an end");
    p.Insert(
        "program_periods",
        {{"program_id", T(id)}, {"valid_from", T("2014-09-01")}, {"valid_to", T("2016-09-01")}});
    p.Plant("override-valid-to", "program", id,
            "an open-ended program whose timeline override has validTo");
  }
  {
    const std::string id = Id(16);
    Row row = p.Program(id, "RIO-MISSING-EDUSPEC");
    Set(row, "education_specification_id", T(kUnknownEduspec));
    p.WriteProgram(row, id, "RIO defect: onbekende opleidingsspecificatie",
                   "RIO defect: unknown education specification");
    p.Plant("missing-education-specification", "program", id,
            "educationSpecification " + kUnknownEduspec + " does not exist");
  }
}

// Under the clean course-type host.
void PlantCourseDefects(Planter& p) {
  {
    const std::string id = Id(20);
    p.WriteCourse(p.Course(id, "RIO-HTML"), id, "RIO defect: HTML", "RIO defect: HTML",
                  "Lees de studiehandleiding &amp; het rooster.");
    p.Plant("html", "course", id, "a Dutch description containing '&amp;'");
  }
  {
    const std::string id = Id(21);
    p.WriteCourse(p.Course(id, "RIO-CODE-TYPE"), id, "RIO defect: codetype",
                  "RIO defect: code type");
    p.Insert("other_codes", {{"owner_type", T("course")},
                             {"owner_id", T(id)},
                             {"code_type", T("x-sis-code")},
                             {"code", T("SIS-1")},
                             {"ordinal", I(0)}});
    p.Plant("code-type", "course", id, "otherCodes codeType 'x-sis-code' (hyphen after x-)");
  }
  {
    const std::string id = Id(22);
    Row row = p.Course(id, "RIO-STUDY-LOAD");
    Set(row, "study_load_value", R(7.5));
    p.WriteCourse(row, id, "RIO defect: studielast", "RIO defect: study load");
    p.Plant("study-load-integer", "course", id, "studyLoad 7.5 ects");
  }
  {
    const std::string id = Id(23);
    p.WriteCourse(p.Course(id, "RIO-HTTP-STATUS"), id, "RIO defect: uitvoeringen onleesbaar",
                  "RIO defect: offerings unreadable");
    Row row = p.Offering(Id(33), id, "RIO-HTTP-STATUS-1");
    Set(row, "modes_of_delivery", T("situated"));  // not a JSON list: the SIS data is broken
    p.WriteOffering(row, Id(33), "RIO defect: kapotte uitvoering", "RIO defect: broken offering");
    p.Plant("http-status", "course", id,
            "an offering with modes_of_delivery 'situated' (not a JSON list) makes its offerings "
            "list answer 500");
  }
}

// Of the clean host course.
void PlantOfferingDefects(Planter& p) {
  {
    const std::string id = Id(30);
    Row row = p.Offering(id, Id(24), "RIO-REQUIRED-FIELD");
    Set(row, "enroll_start_date", N());
    p.WriteOffering(row, id, "RIO defect: geen aanmeldstart", "RIO defect: no enrolment start");
    p.Plant("required-field", "offering", id, "no enrollStartDate");
  }
  {
    const std::string id = Id(31);
    const std::string code = "RIO-COHORT-CODE-" + std::string(50, 'X');
    p.WriteOffering(p.Offering(id, Id(24), code), id, "RIO defect: cohortcode",
                    "RIO defect: cohort code");
    p.Plant("cohort-code", "offering", id, "primaryCode.code of 66 characters");
  }
  {
    const std::string id = Id(32);
    p.WriteOffering(p.Offering(id, Id(24), "RIO-COST-TYPE"), id, "RIO defect: kostensoort",
                    "RIO defect: cost type");
    p.Insert("offering_costs", {{"offering_id", T(id)},
                                {"cost_type", T("STAP eligible")},
                                {"amount", T("100.00")},
                                {"currency", T("EUR")},
                                {"ordinal", I(0)}});
    p.Plant("cost-type", "offering", id, "priceInformation costType 'STAP eligible'");
  }
}

}  // namespace

Status PlantRioDefects(db::Connection& connection, const std::string& today, DemoSummary& summary) {
  Planter p(connection, today, summary);
  PlantHosts(p);
  PlantEducationSpecificationDefects(p);
  PlantProgramDefects(p);
  PlantCourseDefects(p);
  PlantOfferingDefects(p);
  return p.status();
}

}  // namespace ooapi::demo::internal
