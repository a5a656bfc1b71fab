#include "ooapi/testing/fixture.h"

#include <cstdio>
#include <string_view>
#include <utility>

#include "ooapi/adapters/sql/sql_adapter.h"

namespace ooapi::testing {
namespace {

std::string Id(const char* prefix, int n) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s-0000-4000-8000-%012d", prefix, n);
  return buf;
}

class Writer {
 public:
  explicit Writer(db::Connection& c) : c_(c) {}

  void Exec(const std::string& sql, const std::vector<db::Value>& params) {
    if (!status_.ok()) {
      return;
    }
    auto r = c_.Execute(sql, params);
    if (!r.ok()) {
      status_ = r.status().WithPrefix(sql.substr(0, 60));
    }
  }

  void Text(const char* owner_type, const std::string& owner, const char* field,
            const char* language, const std::string& value, int ordinal = 0,
            db::Value period = db::Null()) {
    Exec(
        "INSERT INTO texts (owner_type, owner_id, period_valid_from, field, language, value, "
        "ordinal) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {db::Text(owner_type), db::Text(owner), std::move(period), db::Text(field),
         db::Text(language), db::Text(value), int64_t{ordinal}});
  }

  void Names(const char* owner_type, const std::string& owner, const std::string& nl,
             const std::string& en) {
    Text(owner_type, owner, "name", "nl-NL", nl, 0);
    Text(owner_type, owner, "name", "en-GB", en, 1);
    Text(owner_type, owner, "description", "nl-NL", "Omschrijving van " + nl, 0);
    Text(owner_type, owner, "description", "en-GB", "Description of " + en, 1);
  }

  Status status() const { return status_; }

 private:
  db::Connection& c_;
  Status status_;
};

const char* kProgramInsert =
    "INSERT INTO programs (program_id, education_specification_id, program_type, "
    "primary_code_type, primary_code, sort_name, abbreviation, teaching_language, "
    "study_load_unit, study_load_value, mode_of_study, modes_of_delivery, duration, valid_from, "
    "organization_id, rio_relevant, rio_education_offerer_code, rio_propaedeutic_phase, "
    "rio_study_choice_check, rio_consent_participation_stap) VALUES (?, ?, 'program', "
    "'programCode', ?, ?, ?, 'nld', 'ects', 240, 'full-time', '[\"situated\"]', 'P4Y', "
    "'2020-09-01', ?, ?, '123A456', 'propaedeutic_phase_exam', 'study_choice_check_available', "
    "'permission_not_granted')";

}  // namespace

Status WriteFixture(db::Connection& connection) {
  OOAPI_RETURN_IF_ERROR(connection.ExecuteScript(adapters::sql::SisContractSql()));
  OOAPI_RETURN_IF_ERROR(connection.ExecuteScript(adapters::sql::SisContractIndexesSql()));
  Writer w(connection);
  w.Exec(
      "INSERT INTO organizations (organization_id, organization_type, primary_code_type, "
      "primary_code, sort_name, short_name) VALUES (?, 'root', 'brin', '99XX', "
      "'Hogeschool Test', 'HT')",
      {db::Text(kOrgId)});
  w.Names("organization", kOrgId, "Hogeschool Test", "Test University of Applied Sciences");
  w.Exec(
      "INSERT INTO academic_sessions (academic_session_id, academic_session_type, sort_name, "
      "start_date, end_date) VALUES (?, 'academic year', '2025-2026', '2025-09-01', "
      "'2026-08-31')",
      {db::Text(kSessionId)});
  w.Text("academic_session", kSessionId, "name", "nl-NL", "Studiejaar 2025-2026");

  const char* espec =
      "INSERT INTO education_specifications (education_specification_id, "
      "education_specification_type, primary_code_type, primary_code, sort_name, abbreviation, "
      "formal_document, level, sector, study_load_unit, study_load_value, parent_id, "
      "organization_id, valid_from, rio_relevant, rio_sub_type) VALUES (?, ?, 'crohoCreboCode', "
      "?, ?, ?, ?, ?, ?, 'ects', 240, ?, ?, '2020-09-01', 1, ?)";
  w.Exec(espec,
         {db::Text(kEspecId), db::Text("program"), db::Text("34479"), db::Text("Informatica"),
          db::Text("B Informatica"), db::Text("diploma"), db::Text("bachelor"),
          db::Text("higher professional education"), db::Null(), db::Text(kOrgId), db::Null()});
  w.Names("education_specification", kEspecId, "Informatica", "Computer Science");
  w.Exec(espec, {db::Text(kVariantEspecId), db::Text("program"), db::Text("34479"),
                 db::Text("Informatica variant"), db::Null(), db::Text("diploma"),
                 db::Text("bachelor"), db::Text("higher professional education"),
                 db::Text(kEspecId), db::Text(kOrgId), db::Text("variant")});
  w.Names("education_specification", kVariantEspecId, "Informatica variant",
          "Computer Science variant");
  w.Exec(espec, {db::Text(kCourseEspecId), db::Text("course"), db::Text("C-1"),
                 db::Text("Keuzevakken"), db::Null(), db::Null(), db::Null(), db::Null(),
                 db::Null(), db::Text(kOrgId), db::Null()});
  w.Names("education_specification", kCourseEspecId, "Keuzevakken", "Electives");
  // An education specification period that changes only the name.
  w.Exec(
      "INSERT INTO education_specification_periods (education_specification_id, valid_from, "
      "abbreviation) VALUES (?, '2015-09-01', 'B HBO-ICT')",
      {db::Text(kEspecId)});
  w.Text("education_specification", kEspecId, "name", "nl-NL", "HBO-ICT", 0,
         db::Text("2015-09-01"));

  // 22 ordinary programs, names "Programma 01".."Programma 22" except three equal names.
  for (int i = 1; i <= 22; ++i) {
    std::string id = Id("2b000000", i);
    char name[32];
    std::snprintf(name, sizeof(name), "Programma %02d", i);
    std::string sort_name = (i >= 10 && i <= 12) ? "Programma gelijk" : name;
    w.Exec(kProgramInsert,
           {db::Text(id), db::Text(kEspecId), db::Text("P" + std::to_string(i)),
            db::Text(sort_name), db::Text("P" + std::to_string(i)), db::Text(kOrgId), int64_t{1}});
    w.Names("program", id, sort_name, "Program " + std::to_string(i));
  }
  // The unicode program.
  const std::string unicode = "Toegepaste Psychologie – Coördinatie ĳ 𝄞 \"quoted\"";
  w.Exec(kProgramInsert, {db::Text(kUnicodeProgramId), db::Text(kEspecId), db::Text("PU"),
                          db::Text(unicode), db::Text("TP-C"), db::Text(kOrgId), int64_t{1}});
  w.Names("program", kUnicodeProgramId, unicode, "Applied Psychology – Coordination");
  // The program that is not RIO-relevant.
  w.Exec(kProgramInsert, {db::Text(kNotRioProgramId), db::Text(kEspecId), db::Text("PN"),
                          db::Text("Zzz intern"), db::Text("INT"), db::Text(kOrgId), int64_t{0}});
  w.Names("program", kNotRioProgramId, "Zzz intern", "Zzz internal");
  // The bare program: only what the contract requires.
  w.Exec(
      "INSERT INTO programs (program_id, education_specification_id, program_type, "
      "primary_code_type, primary_code, sort_name, rio_relevant) VALUES (?, ?, 'program', "
      "'programCode', 'BARE', 'Aaa kaal', 1)",
      {db::Text(kBareProgramId), db::Text(kEspecId)});
  w.Text("program", kBareProgramId, "name", "nl-NL", "Aaa kaal");
  // Timeline override of program 1: only the abbreviation, the name texts and the location change.
  w.Exec(
      "INSERT INTO program_periods (program_id, valid_from, abbreviation, "
      "rio_education_location_code) VALUES (?, '2016-09-01', 'OUD', '123X456')",
      {db::Text(kOverrideProgramId)});
  w.Text("program", kOverrideProgramId, "name", "nl-NL", "Oude naam", 0, db::Text("2016-09-01"));
  w.Exec(
      "INSERT INTO other_codes (owner_type, owner_id, code_type, code, ordinal) VALUES "
      "('program', ?, 'x-sis.code', 'SIS-1', 0)",
      {db::Text(kOverrideProgramId)});

  w.Exec(
      "INSERT INTO courses (course_id, education_specification_id, primary_code_type, "
      "primary_code, sort_name, abbreviation, teaching_language, level, study_load_unit, "
      "study_load_value, duration, valid_from, organization_id, rio_relevant, "
      "rio_education_offerer_code) VALUES (?, ?, 'identifier', 'WEB-1', 'Webtechnologie', "
      "'WEB1', 'nld', 'bachelor', 'ects', 5, 'P10W', '2020-09-01', ?, 1, '123A456')",
      {db::Text(kCourseId), db::Text(kCourseEspecId), db::Text(kOrgId)});
  w.Names("course", kCourseId, "Webtechnologie", "Web technology");
  w.Exec("INSERT INTO course_programs (course_id, program_id) VALUES (?, ?)",
         {db::Text(kCourseId), db::Text(kOverrideProgramId)});

  // Offerings of program 1: start dates 2020..2031, two on the same date (a tie).
  for (int i = 1; i <= kFixtureOfferings; ++i) {
    std::string id = Id("5f000000", i);
    int year = 2019 + (i == 12 ? 11 : i);
    char start[16];
    char end[16];
    std::snprintf(start, sizeof(start), "%04d-09-01", year);
    std::snprintf(end, sizeof(end), "%04d-08-31", year + 4);
    w.Exec(
        "INSERT INTO offerings (offering_id, offering_type, program_id, primary_code_type, "
        "primary_code, sort_name, academic_session_id, organization_id, teaching_language, "
        "modes_of_delivery, result_expected, start_date, end_date, enroll_start_date, "
        "rio_relevant, rio_registration_status, rio_required_permission_registration) VALUES "
        "(?, 'program', ?, 'offeringCode', ?, ?, ?, ?, 'nld', '[\"situated\"]', 1, ?, ?, ?, 1, "
        "'open', 'no')",
        {db::Text(id), db::Text(kOverrideProgramId), db::Text("P1-" + std::to_string(year)),
         db::Text("Cohort " + std::to_string(year)), db::Text(kSessionId), db::Text(kOrgId),
         db::Text(start), db::Text(end), db::Text(std::to_string(year - 1) + "-10-01")});
    w.Names("offering", id, "Cohort " + std::to_string(year), "Cohort " + std::to_string(year));
    w.Exec(
        "INSERT INTO offering_costs (offering_id, cost_type, amount, currency, ordinal) "
        "VALUES (?, 'total costs', '2601.00', 'EUR', 0)",
        {db::Text(id)});
  }
  return w.status();
}

std::string WithFixtureIds(std::string path) {
  static const std::pair<const char*, const char*> kIds[] = {
      {"{educationSpecificationId}", kEspecId},
      {"{programId}", kOverrideProgramId},
      {"{courseId}", kCourseId},
      {"{offeringId}", "5f000000-0000-4000-8000-000000000001"},
      {"{organizationId}", kOrgId},
      {"{academicSessionId}", kSessionId}};
  for (const auto& [placeholder, id] : kIds) {
    const std::string_view name(placeholder);
    for (size_t at; (at = path.find(name)) != std::string::npos;) path.replace(at, name.size(), id);
  }
  return path;
}

}  // namespace ooapi::testing
