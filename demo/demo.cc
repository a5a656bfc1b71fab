#include "ooapi/demo/demo.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog.h"
#include "ooapi/adapters/sql/sql_adapter.h"
#include "ooapi/common/date.h"
#include "ooapi/common/rng.h"
#include "ooapi/common/strings.h"
#include "rio_defects.h"

namespace ooapi::demo {
namespace {

using namespace internal;  // NOLINT(build/namespaces,google-build-using-namespace): the demo
                           // vocabulary

// ---------------------------------------------------------------------------------------------
// Determinism helpers. The demo draws from mt19937_64, whose output the standard fixes (a seed
// gives the same institution on every platform).

using Rng = BasicRng<std::mt19937_64>;

std::string Ymd(int year, int month, int day) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// The first day of the month `months` after year-month.
std::string FirstOfMonth(int year, int month, int months) {
  int index = year * 12 + (month - 1) + months;
  return Ymd(index / 12, index % 12 + 1, 1);
}

std::string Money(int64_t cents) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
  return buf;
}

std::string Pad(int value, int width) {
  std::string s = std::to_string(value);
  while (static_cast<int>(s.size()) < width) {
    s.insert(s.begin(), '0');
  }
  return s;
}

std::string YearLabel(int year) { return std::to_string(year) + "-" + std::to_string(year + 1); }

// "1 september 2025" / "1 September 2025".
std::string LongDate(const std::string& iso, bool dutch) {
  int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  int day = (iso[8] - '0') * 10 + (iso[9] - '0');
  return std::to_string(day) + " " + (dutch ? kMonthsNl : kMonthsEn)[month - 1] + " " +
         iso.substr(0, 4);
}

db::Value T(std::string s) { return {std::move(s)}; }
db::Value I(int64_t n) { return {n}; }
db::Value R(double d) { return {d}; }
db::Value N() { return db::Null(); }

// "INSERT INTO table (a, b) VALUES (?, ?)". Each table gets exactly one such string so the
// connection's statement cache prepares it once.
std::string InsertSql(std::string_view table, std::initializer_list<const char*> columns) {
  std::string names;
  std::string marks;
  for (const char* c : columns) {
    if (!names.empty()) {
      names += ", ";
      marks += ", ";
    }
    names += c;
    marks += "?";
  }
  return "INSERT INTO " + std::string(table) + " (" + names + ") VALUES (" + marks + ")";
}

// The contract tables; "programs" first so the usual refusal names it.
constexpr std::array<const char*, 13> kContractTables{"programs",
                                                      "organizations",
                                                      "academic_sessions",
                                                      "education_specifications",
                                                      "education_specification_periods",
                                                      "program_periods",
                                                      "courses",
                                                      "course_periods",
                                                      "course_programs",
                                                      "offerings",
                                                      "offering_costs",
                                                      "texts",
                                                      "other_codes"};

// ---------------------------------------------------------------------------------------------
// Writer: one reused INSERT per table; the first error is kept and later rows are skipped.

class Writer {
 public:
  explicit Writer(db::Connection& connection) : connection_(connection) {}

  void Insert(const std::string& sql, const std::vector<db::Value>& values) {
    if (!status_.ok()) {
      return;
    }
    auto result = connection_.Execute(sql, values);
    if (!result.ok()) {
      status_ = result.status();
    }
  }

  // One texts row per language: nl-NL (ordinal `ordinal`) and en-GB (ordinal `ordinal` + 1, or
  // the same ordinal for a learning-outcome group).
  void Texts(const char* owner_type, const std::string& owner_id, const db::Value& period,
             const char* field, const std::string& nl, const std::string& en, int ordinal = 0,
             bool group = false) {
    Insert(texts_sql,
           {T(owner_type), T(owner_id), period, T(field), T("nl-NL"), T(nl), I(ordinal)});
    Insert(texts_sql, {T(owner_type), T(owner_id), period, T(field), T("en-GB"), T(en),
                       I(group ? ordinal : ordinal + 1)});
    text_rows_ += 2;
  }

  void OtherCode(const char* owner_type, const std::string& owner_id, const std::string& type,
                 const std::string& code) {
    Insert(other_codes_sql, {T(owner_type), T(owner_id), T(type), T(code), I(0)});
  }

  const Status& status() const { return status_; }
  int64_t text_rows() const { return text_rows_; }

  const std::string organizations_sql = InsertSql(
      "organizations", {"organization_id", "organization_type", "primary_code_type", "primary_code",
                        "sort_name", "short_name", "link", "logo", "parent_id"});
  const std::string sessions_sql =
      InsertSql("academic_sessions",
                {"academic_session_id", "academic_session_type", "primary_code_type",
                 "primary_code", "sort_name", "start_date", "end_date", "parent_id", "year_id"});
  const std::string eduspecs_sql =
      InsertSql("education_specifications", {"education_specification_id",
                                             "education_specification_type",
                                             "primary_code_type",
                                             "primary_code",
                                             "sort_name",
                                             "abbreviation",
                                             "formal_document",
                                             "level",
                                             "sector",
                                             "level_of_qualification",
                                             "fields_of_study",
                                             "study_load_unit",
                                             "study_load_value",
                                             "link",
                                             "parent_id",
                                             "organization_id",
                                             "valid_from",
                                             "valid_to",
                                             "rio_relevant",
                                             "rio_sub_type",
                                             "rio_categories"});
  // Period rows set only the columns that changed; the others stay NULL (inherited).
  const std::string eduspec_periods_sql =
      InsertSql("education_specification_periods",
                {"education_specification_id", "valid_from", "abbreviation", "fields_of_study"});
  const std::string programs_sql = InsertSql("programs", {"program_id",
                                                          "education_specification_id",
                                                          "program_type",
                                                          "primary_code_type",
                                                          "primary_code",
                                                          "sort_name",
                                                          "abbreviation",
                                                          "teaching_language",
                                                          "study_load_unit",
                                                          "study_load_value",
                                                          "qualification_awarded",
                                                          "mode_of_study",
                                                          "modes_of_delivery",
                                                          "duration",
                                                          "first_start_date",
                                                          "level_of_qualification",
                                                          "level",
                                                          "sector",
                                                          "fields_of_study",
                                                          "link",
                                                          "parent_id",
                                                          "organization_id",
                                                          "valid_from",
                                                          "valid_to",
                                                          "rio_relevant",
                                                          "rio_education_offerer_code",
                                                          "rio_education_location_code",
                                                          "rio_consent_participation_stap",
                                                          "rio_propaedeutic_phase",
                                                          "rio_study_choice_check",
                                                          "rio_accelerated_route",
                                                          "rio_deficiency",
                                                          "rio_requirements_activities",
                                                          "rio_foreign_partners",
                                                          "rio_joint_partner_codes",
                                                          "rio_teaching_languages",
                                                          "rio_last_start_date",
                                                          "rio_joint_program",
                                                          "rio_education_unit_code",
                                                          "rio_duration"});
  const std::string program_periods_sql = InsertSql(
      "program_periods", {"program_id", "valid_from", "abbreviation", "rio_study_choice_check"});
  const std::string courses_sql = InsertSql("courses", {"course_id",
                                                        "education_specification_id",
                                                        "primary_code_type",
                                                        "primary_code",
                                                        "sort_name",
                                                        "abbreviation",
                                                        "teaching_language",
                                                        "level",
                                                        "study_load_unit",
                                                        "study_load_value",
                                                        "modes_of_delivery",
                                                        "duration",
                                                        "first_start_date",
                                                        "fields_of_study",
                                                        "link",
                                                        "organization_id",
                                                        "valid_from",
                                                        "valid_to",
                                                        "rio_relevant",
                                                        "rio_education_offerer_code",
                                                        "rio_education_location_code",
                                                        "rio_consent_participation_stap",
                                                        "rio_foreign_partners",
                                                        "rio_joint_partner_codes",
                                                        "rio_teaching_languages",
                                                        "rio_last_start_date",
                                                        "rio_duration"});
  const std::string course_periods_sql =
      InsertSql("course_periods", {"course_id", "valid_from", "study_load_value"});
  const std::string course_programs_sql = InsertSql("course_programs", {"course_id", "program_id"});
  const std::string offerings_sql = InsertSql("offerings", {"offering_id",
                                                            "offering_type",
                                                            "program_id",
                                                            "course_id",
                                                            "primary_code_type",
                                                            "primary_code",
                                                            "sort_name",
                                                            "abbreviation",
                                                            "academic_session_id",
                                                            "organization_id",
                                                            "teaching_language",
                                                            "modes_of_delivery",
                                                            "result_expected",
                                                            "link",
                                                            "max_number_students",
                                                            "min_number_students",
                                                            "start_date",
                                                            "end_date",
                                                            "enroll_start_date",
                                                            "enroll_end_date",
                                                            "flexible_entry_period_start",
                                                            "flexible_entry_period_end",
                                                            "rio_relevant",
                                                            "rio_registration_status",
                                                            "rio_required_permission_registration",
                                                            "rio_explanation_required_permission"});
  const std::string costs_sql =
      InsertSql("offering_costs", {"offering_id", "cost_type", "amount", "currency", "ordinal"});
  const std::string texts_sql = InsertSql("texts", {"owner_type", "owner_id", "period_valid_from",
                                                    "field", "language", "value", "ordinal"});
  const std::string other_codes_sql =
      InsertSql("other_codes", {"owner_type", "owner_id", "code_type", "code", "ordinal"});

 private:
  db::Connection& connection_;
  Status status_;
  int64_t text_rows_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The generator.

struct Scale {
  int program_eduspecs;  // type program (HoOpleiding), not variants
  int variants;
  int private_eduspecs;
  int course_eduspecs;
  int programs;   // total, including specialisations
  int courses;    // total
  int offerings;  // total
};

constexpr Scale kSmall{11, 2, 1, 6, 60, 400, 2000};
constexpr Scale kLarge{150, 60, 30, 360, 1500, 30000, 250000};

// A historic state of an entity: a timeline override starting at valid_from.
struct Period {
  std::string valid_from;
  std::string nl;
  std::string en;
  std::string abbr;
};

enum class SpecKind { kProgram, kVariant, kPrivate, kCourse };

struct EduSpec {
  std::string id;
  SpecKind kind = SpecKind::kProgram;
  int faculty = 0;
  int campus = 0;
  std::string nl, en, abbr, code;
  std::string level, sector, field, qualification, language;
  int study_load = 0;
  std::string valid_from;       // main row
  std::vector<Period> periods;  // ascending, all before valid_from
  int parent = -1;              // variants: index of the parent eduspec
  int related = -1;             // course eduspecs: the program eduspec they serve
  int root = -1;                // program eduspec this one belongs to (self for programs)
  const PrivateProgramme* private_programme = nullptr;
};

struct Program {
  std::string id;
  int eduspec = 0;
  int faculty = 0;
  int campus = 0;
  int mode = 0;
  int fee_euros = 0;  // 0: statutory tuition fee
  std::string nl, en, code, language, duration, modes, valid_from;
  int duration_months = 0;
  bool is_private = false;
  bool specialisation = false;
  int children = 0;
};

struct Course {
  std::string id;
  int faculty = 0;
  int campus = 0;
  int study_load = 0;
  int duration_days = 0;
  std::string nl, en, code, language, modes, valid_from;
};

class Generator {
 public:
  Generator(db::Connection& connection, const Scale& scale, uint64_t seed, std::string today)
      : writer_(connection), scale_(scale), rng_(seed), today_(std::move(today)) {
    const int year = std::stoi(today_.substr(0, 4));
    const int month = std::stoi(today_.substr(5, 2));
    year_ = month >= 9 ? year : year - 1;
  }

  // Writes everything; returns the first database error.
  Status Run() {
    // Entities refer to each other by index while these vectors grow; reserving keeps references
    // taken during generation valid.
    eduspecs_.reserve(
        static_cast<size_t>(scale_.program_eduspecs) + static_cast<size_t>(scale_.variants) +
        static_cast<size_t>(scale_.private_eduspecs) + static_cast<size_t>(scale_.course_eduspecs));
    programs_.reserve(static_cast<size_t>(scale_.programs) + 1);
    Organizations();
    AcademicSessions();
    ProgramEduSpecs();
    VariantEduSpecs();
    PrivateEduSpecs();
    CourseEduSpecs();
    BasePrograms();
    FlexProgram();
    Specialisations();
    ProgramOfferings();
    Courses();
    return writer_.status();
  }

  DemoSummary summary() const {
    DemoSummary s;
    s.organizations = static_cast<int64_t>(faculty_ids_.size()) + 1;
    s.academic_sessions = sessions_;
    s.education_specifications = static_cast<int64_t>(eduspecs_.size());
    s.programs = static_cast<int64_t>(programs_.size());
    s.courses = courses_;
    s.offerings = offerings_;
    s.text_rows = writer_.text_rows();
    return s;
  }

 private:
  static constexpr int kFirstOfferingYearOffset = -3;  // academic years Y-3 .. Y+2
  static constexpr int kOfferingYears = 6;
  static constexpr int kFirstSessionYearOffset = -4;  // sessions Y-4 .. Y+3
  static constexpr int kSessionYears = 8;

  // Returns `code`, or code-2, code-3, ... if it was handed out before.
  std::string Unique(const std::string& code) {
    std::string candidate = code;
    for (int n = 2; !codes_.insert(candidate).second; ++n) {
      candidate = code + "-" + std::to_string(n);
    }
    return candidate;
  }

  std::string Sep(int year) const { return Ymd(year, 9, 1); }

  // The academic year session of the academic year starting in `year`, or NULL.
  db::Value YearSession(int year) const {
    int i = year - (year_ + kFirstSessionYearOffset);
    return i >= 0 && i < kSessionYears ? T(year_ids_[i]) : N();
  }
  // The semester session containing the date (semester 1: Sep-Jan, semester 2: Feb-Aug).
  db::Value SemesterSession(const std::string& iso) const {
    int year = std::stoi(iso.substr(0, 4));
    int month = std::stoi(iso.substr(5, 2));
    int academic = month >= 9 ? year : year - 1;
    int semester = (month >= 9 || month == 1) ? 0 : 1;
    int i = academic - (year_ + kFirstSessionYearOffset);
    return i >= 0 && i < kSessionYears ? T(semester_ids_[i][semester]) : N();
  }

  // --- organizations -------------------------------------------------------------------------

  void Organizations() {
    root_id_ = rng_.Uuid4();
    writer_.Insert(
        writer_.organizations_sql,
        {T(root_id_), T("root"), T("brin"), T("99DM"), T("Hogeschool Demo"), T("HS Demo"),
         T("https://www.hogeschooldemo.nl"), T("https://www.hogeschooldemo.nl/logo.png"), N()});
    writer_.Texts("organization", root_id_, N(), "name", "Hogeschool Demo",
                  "Demo University of Applied Sciences");
    writer_.Texts("organization", root_id_, N(), "description",
                  "Hogeschool Demo is een hogeschool met vestigingen in Utrecht, Amsterdam, "
                  "Rotterdam, Den Haag, Eindhoven en Zwolle.",
                  "Hogeschool Demo is a Dutch university of applied sciences with campuses in "
                  "Utrecht, Amsterdam, Rotterdam, The Hague, Eindhoven and Zwolle.");
    writer_.OtherCode("organization", root_id_, "x-sis.code", "HSDEMO");
    for (const Faculty& f : kFaculties) {
      std::string id = rng_.Uuid4();
      faculty_ids_.push_back(id);
      writer_.Insert(
          writer_.organizations_sql,
          {T(id), T("faculty"), T("organizationId"), T(f.short_name), T(f.nl), T(f.short_name),
           T("https://www.hogeschooldemo.nl/" + ToLowerAscii(f.short_name)), N(), T(root_id_)});
      writer_.Texts("organization", id, N(), "name", f.nl, f.en);
      writer_.Texts("organization", id, N(), "description",
                    std::string(f.nl) +
                        " verzorgt het onderwijs van Hogeschool Demo in het "
                        "domein " +
                        f.area_nl + ".",
                    std::string(f.en) +
                        " provides the education of Hogeschool Demo in the field "
                        "of " +
                        f.area_en + ".");
    }
  }

  // --- academic sessions ---------------------------------------------------------------------

  void AcademicSessions() {
    for (int i = 0; i < kSessionYears; ++i) {
      const int y = year_ + kFirstSessionYearOffset + i;
      const std::string label = YearLabel(y);
      std::string year_id = rng_.Uuid4();
      year_ids_.push_back(year_id);
      writer_.Insert(writer_.sessions_sql,
                     {T(year_id), T("academic year"), T("identifier"), T(label),
                      T("Studiejaar " + label), T(Sep(y)), T(Ymd(y + 1, 8, 31)), N(), N()});
      writer_.Texts("academic_session", year_id, N(), "name", "Studiejaar " + label,
                    "Academic year " + label);
      writer_.Texts("academic_session", year_id, N(), "description",
                    "Het studiejaar " + label + " loopt van 1 september " + std::to_string(y) +
                        " tot en met 31 augustus " + std::to_string(y + 1) + ".",
                    "The academic year " + label + " runs from 1 September " + std::to_string(y) +
                        " to 31 August " + std::to_string(y + 1) + ".");
      ++sessions_;
      std::array<std::string, 2> semesters;
      for (int s = 0; s < 2; ++s) {
        semesters[s] = rng_.Uuid4();
        const std::string name = "Semester " + std::to_string(s + 1) + " " + label;
        writer_.Insert(writer_.sessions_sql,
                       {T(semesters[s]), T("semester"), T("identifier"),
                        T(label + "-S" + std::to_string(s + 1)), T(name),
                        T(s == 0 ? Sep(y) : Ymd(y + 1, 2, 1)),
                        T(s == 0 ? Ymd(y + 1, 1, 31) : Ymd(y + 1, 8, 31)), T(year_id), T(year_id)});
        writer_.Texts("academic_session", semesters[s], N(), "name", name, name);
        writer_.Texts(
            "academic_session", semesters[s], N(), "description",
            std::string(s == 0 ? "Eerste" : "Tweede") + " semester van studiejaar " + label + ".",
            std::string(s == 0 ? "First" : "Second") + " semester of academic year " + label + ".");
        ++sessions_;
      }
      semester_ids_.push_back(semesters);
    }
  }

  // --- education specifications --------------------------------------------------------------

  static const char* QualificationLevel(const std::string& level) {
    if (level == "master") return "7";
    if (level == "associate degree") return "5";
    return "6";
  }
  static int StudyLoad(const std::string& level) {
    if (level == "master") return 60;
    if (level == "associate degree") return 120;
    return 240;
  }
  static const char* LevelNl(const std::string& level) {
    if (level == "master") return "een masterdiploma";
    if (level == "associate degree") return "een associate degree";
    return "een bachelordiploma";
  }
  static const char* LevelEn(const std::string& level) {
    if (level == "master") return "master's degree";
    if (level == "associate degree") return "associate degree";
    return "bachelor's degree";
  }

  std::string Croho(const std::string& level) {
    int& next = level == "master"             ? next_master_
                : level == "associate degree" ? next_ad_
                                              : next_bachelor_;
    int code = next;
    next += 13;
    return std::to_string(code);
  }

  void WriteEduSpec(const EduSpec& e, const char* type, const std::string& primary_code_type,
                    const db::Value& formal_document, const db::Value& rio_sub_type,
                    const db::Value& categories, const std::string& description_nl,
                    const std::string& description_en) {
    const bool has_level = !e.level.empty();
    writer_.Insert(writer_.eduspecs_sql,
                   {T(e.id),
                    T(type),
                    T(primary_code_type),
                    T(e.code),
                    T(e.nl),
                    T(e.abbr),
                    formal_document,
                    has_level ? T(e.level) : N(),
                    has_level ? T(e.sector) : N(),
                    has_level && e.kind != SpecKind::kCourse ? T(QualificationLevel(e.level)) : N(),
                    e.field.empty() ? N() : T(e.field),
                    T("ects"),
                    R(e.study_load),
                    T("https://www.hogeschooldemo.nl/opleidingen/" + ToLowerAscii(e.abbr)),
                    e.parent >= 0 ? T(eduspecs_[e.parent].id) : N(),
                    T(faculty_ids_[e.faculty]),
                    T(e.valid_from),
                    N(),
                    I(1),
                    rio_sub_type,
                    categories});
    writer_.Texts("education_specification", e.id, N(), "name", e.nl, e.en);
    writer_.Texts("education_specification", e.id, N(), "description", description_nl,
                  description_en);
    for (const Period& p : e.periods) {
      writer_.Insert(writer_.eduspec_periods_sql, {T(e.id), T(p.valid_from), T(p.abbr), N()});
      writer_.Texts("education_specification", e.id, T(p.valid_from), "name", p.nl, p.en);
    }
  }

  // " (<city>)" for a catalogue entry's eduspec in a later round (at another campus), else "".
  static std::string CitySuffix(int round, int campus) {
    return round == 0 ? "" : std::string(" (") + kCampuses[campus].city + ")";
  }

  // A catalogue entry's eduspec in round `round` through the catalogue: a new id, and from the
  // second round on another campus, whose city is in its names and whose code is in its
  // abbreviation.
  EduSpec CatalogueEduSpec(SpecKind kind, int faculty, int round, const char* nl, const char* en,
                           const char* abbr) {
    EduSpec e;
    e.id = rng_.Uuid4();
    e.kind = kind;
    e.faculty = faculty;
    e.campus = round % static_cast<int>(kCampuses.size());
    const std::string suffix = CitySuffix(round, e.campus);
    e.nl = nl + suffix;
    e.en = en + suffix;
    e.abbr = round == 0 ? abbr : std::string(abbr) + "-" + kCampuses[e.campus].code;
    return e;
  }

  void ProgramEduSpecs() {
    const int n = static_cast<int>(kProgrammes.size());
    for (int i = 0; i < scale_.program_eduspecs; ++i) {
      const Programme& t = kProgrammes[i % n];
      const int round = i / n;
      EduSpec e = CatalogueEduSpec(SpecKind::kProgram, t.faculty, round, t.nl, t.en, t.abbr);
      const std::string suffix = CitySuffix(round, e.campus);
      e.level = t.level;
      e.sector = "higher professional education";
      e.field = t.field;
      e.qualification = t.qualification;
      e.language = t.language;
      e.study_load = StudyLoad(e.level);
      e.root = static_cast<int>(eduspecs_.size());
      if (t.old_nl != nullptr) {
        // History: [older name], old name, then the current name.
        int y = year_ - 14 - rng_.Below(6);
        if (t.older_nl != nullptr) {
          e.periods.push_back({Sep(y), t.older_nl + suffix, t.older_en + suffix, t.older_abbr});
          y += 5;
        }
        e.periods.push_back({Sep(y), t.old_nl + suffix, t.old_en + suffix, t.old_abbr});
        e.valid_from = Sep(y + 3 + rng_.Below(2));
      } else {
        e.valid_from = Sep(year_ - 12 - rng_.Below(15));
      }
      e.code = Croho(e.level);
      eduspecs_.push_back(e);
      WriteEduSpec(e, "program", "crohoCreboCode", T("diploma"), N(), N(),
                   "De opleiding " + e.nl + " van Hogeschool Demo leidt op tot " +
                       LevelNl(e.level) +
                       ". Het programma combineert theorie, praktijkopdrachten "
                       "en praktijkgericht onderzoek.",
                   "The " + e.en + " programme at Hogeschool Demo leads to a " + LevelEn(e.level) +
                       ". It combines theory, practical assignments and practice-based research.");
      writer_.OtherCode("education_specification", e.id, "x-sis.code", "OPL-" + e.abbr);
      writer_.Texts("education_specification", e.id, N(), "learning_outcomes",
                    "De afgestudeerde handelt zelfstandig in complexe beroepssituaties.",
                    "The graduate acts independently in complex professional situations.", 0, true);
      writer_.Texts("education_specification", e.id, N(), "learning_outcomes",
                    "De afgestudeerde onderzoekt en verbetert de eigen beroepspraktijk.",
                    "The graduate investigates and improves their own professional practice.", 1,
                    true);
    }
  }

  void VariantEduSpecs() {
    const int parents = scale_.program_eduspecs;
    for (int i = 0; i < scale_.variants; ++i) {
      const int parent =
          i < static_cast<int>(kFixedVariantParents.size()) && kFixedVariantParents[i] < parents
              ? kFixedVariantParents[i]
              : (i * 7) % parents;
      const Phrase& suffix = kVariantSuffixes[i % kVariantSuffixes.size()];
      const EduSpec& p = eduspecs_[parent];
      EduSpec e;
      e.id = rng_.Uuid4();
      e.kind = SpecKind::kVariant;
      e.faculty = p.faculty;
      e.campus = p.campus;
      e.nl = p.nl + " – " + suffix.nl;
      e.en = p.en + " – " + suffix.en;
      e.abbr = p.abbr + "-" + suffix.abbr;
      e.level = p.level;
      e.sector = p.sector;
      e.field = p.field;
      e.qualification = p.qualification;
      e.language = p.language;
      e.study_load = p.study_load;
      e.code = p.code;  // a variant shares its parent's CROHO code
      e.parent = parent;
      e.root = parent;
      e.valid_from = Sep(std::stoi(p.valid_from.substr(0, 4)) + 1 + rng_.Below(2));
      eduspecs_.push_back(e);
      WriteEduSpec(e, "program", "crohoCreboCode", T("diploma"), T("variant"), N(),
                   "Variant " + std::string(suffix.nl) + " van de opleiding " + p.nl +
                       ", met een eigen profiel binnen dezelfde CROHO-opleiding.",
                   "The " + std::string(suffix.en) + " variant of the " + p.en +
                       " programme, with its own profile within the same CROHO programme.");
    }
  }

  void PrivateEduSpecs() {
    const int n = static_cast<int>(kPrivateProgrammes.size());
    for (int i = 0; i < scale_.private_eduspecs; ++i) {
      const PrivateProgramme& t = kPrivateProgrammes[i % n];
      EduSpec e = CatalogueEduSpec(SpecKind::kPrivate, kContractCentre, i / n, t.nl, t.en, t.abbr);
      e.study_load = t.study_load;
      e.language = "nld";
      e.private_programme = &t;
      e.code = Unique("CC-" + e.abbr);
      e.root = static_cast<int>(eduspecs_.size());
      e.valid_from = Sep(year_ - 5 - rng_.Below(4));
      eduspecs_.push_back(e);
      WriteEduSpec(e, "privateProgram", "programCode", T("certificate"), N(),
                   T(std::string("[\"") + t.category + "\"]"),
                   e.nl +
                       " is een opleiding van het Centrum voor Contractonderwijs voor "
                       "professionals die naast hun werk willen bijscholen.",
                   e.en +
                       " is a course of the Centre for Professional Education for professionals "
                       "who want to develop alongside their work.");
    }
  }

  void CourseEduSpecs() {
    const int programs = scale_.program_eduspecs;
    for (int i = 0; i < scale_.course_eduspecs; ++i) {
      const EduSpec& r = eduspecs_[i % programs];
      const Phrase& cluster = kCourseClusters[(i / programs) % kCourseClusters.size()];
      EduSpec e;
      e.id = rng_.Uuid4();
      e.kind = SpecKind::kCourse;
      e.faculty = r.faculty;
      e.campus = r.campus;
      e.nl = std::string(cluster.nl) + " " + r.nl;
      e.en = std::string(cluster.en) + " " + r.en;
      e.abbr = std::string(cluster.abbr) + "-" + r.abbr;
      e.level = r.level;
      e.sector = r.sector;
      e.field = r.field;
      e.language = r.language;
      e.study_load = cluster.abbr == std::string_view("KO")   ? 60
                     : cluster.abbr == std::string_view("KZ") ? 15
                                                              : 30;
      e.related = i % programs;
      e.root = e.related;
      e.code = Unique(e.abbr);
      e.valid_from = r.periods.empty() ? r.valid_from : r.periods.front().valid_from;
      course_eduspecs_.push_back(static_cast<int>(eduspecs_.size()));
      eduspecs_.push_back(e);
      WriteEduSpec(e, "course", "identifier", N(), N(), N(),
                   std::string(cluster.nl) + " van de opleiding " + r.nl +
                       ": de onderwijseenheden die studenten in dit deel van het programma "
                       "volgen.",
                   std::string(cluster.en) + " of the " + r.en +
                       " programme: the course units students take in this part of the "
                       "programme.");
    }
  }

  // --- programs ------------------------------------------------------------------------------

  static std::string Duration(const std::string& level, int mode, int* months) {
    int years = level == "master" ? (mode == 1 ? 2 : 1) : level == "associate degree" ? 2 : 4;
    *months = years * 12;
    return "P" + std::to_string(years) + "Y";
  }

  // Writes the programs row, its texts and other codes. `parent` < 0: no parent program.
  void WriteProgram(const Program& p, int parent, const std::vector<Period>& periods) {
    const EduSpec& e = eduspecs_[p.eduspec];
    const bool ho = !p.is_private;  // eduspec type program: the HO enums are required
    const bool bachelorish = e.level != "master";
    const Mode& mode = kModes[p.mode];
    const std::string first_start = periods.empty() ? p.valid_from : periods.front().valid_from;
    db::Value teaching_languages = N();
    if (p.language == "eng") {
      teaching_languages = T("[\"eng\"]");
    } else if (rng_.Percent(10)) {
      teaching_languages = T(R"(["nld","eng"])");
    }
    writer_.Insert(
        writer_.programs_sql,
        {T(p.id),
         T(e.id),
         T(p.specialisation ? "specialization" : "program"),
         T("programCode"),
         T(p.code),
         T(p.nl),
         T(p.code),
         T(p.language),
         T("ects"),
         R(e.study_load),
         ho ? T(e.qualification) : N(),
         T(mode.mode_of_study),
         T(p.modes),
         T(p.duration),
         T(first_start),
         ho ? T(QualificationLevel(e.level)) : N(),
         ho ? T(e.level) : N(),
         ho ? T(e.sector) : N(),
         ho ? T(e.field) : N(),
         T("https://www.hogeschooldemo.nl/opleidingen/" + ToLowerAscii(p.code)),
         parent >= 0 ? T(programs_[parent].id) : N(),
         T(faculty_ids_[p.faculty]),
         T(p.valid_from),
         N(),
         I(rng_.Percent(3) ? 0 : 1),
         T(kEducationOffererCode),
         T(kCampuses[p.campus].location_code),
         T("permission_not_granted"),
         ho ? T(e.level == "master"             ? "no_propaedeutic_phase"
                : e.level == "associate degree" ? "propaedeutic_phase_no_exam"
                                                : "propaedeutic_phase_exam")
            : N(),
         ho ? T(!bachelorish  ? "no_study_choice_check"
                : p.mode == 0 ? "study_choice_check_mandatory"
                              : "study_choice_check_available")
            : N(),
         ho ? T(bachelorish && rng_.Percent(15) ? "accelerated_route" : "no_accelerated_route")
            : N(),
         ho ? T(!bachelorish && rng_.Percent(50) ? "deficiencies" : "no_deficiencies") : N(),
         ho ? T(p.mode == 2 ? "requirements" : "no_requirements") : N(),
         p.language == "eng" ? T("[\"Fachhochschule Münster\"]") : N(),
         N(),
         teaching_languages,
         N(),
         N(),
         N(),
         N()});
    WriteProgramTexts(p, e, mode, ho);
    writer_.OtherCode("program", p.id, "x-sis.code", "SIS-" + Pad(++sis_code_, 6));
    for (const Period& period : periods) {
      writer_.Insert(writer_.program_periods_sql,
                     {T(p.id), T(period.valid_from), T(period.abbr),
                      ho && bachelorish && p.mode == 0 ? T("study_choice_check_available") : N()});
      writer_.Texts("program", p.id, T(period.valid_from), "name", period.nl + " " + mode.nl,
                    period.en + " " + mode.en);
    }
  }

  // The program's name and description; an HO program's requirements and learning outcomes.
  void WriteProgramTexts(const Program& p, const EduSpec& e, const Mode& mode, bool ho) {
    writer_.Texts("program", p.id, N(), "name", p.nl, p.en);
    writer_.Texts("program", p.id, N(), "description",
                  p.nl + " is de " + mode.nl + "se vorm van de opleiding " + e.nl +
                      " aan Hogeschool Demo in " + kCampuses[p.campus].city + ".",
                  p.en + " is the " + mode.en + " form of the " + e.en +
                      " programme at Hogeschool Demo in " + kCampuses[p.campus].city + ".");
    if (ho) {
      writer_.Texts("program", p.id, N(), "admission_requirements",
                    e.level == "master"
                        ? "Een afgeronde bacheloropleiding in een verwant vakgebied."
                        : "Een havo-, vwo- of mbo-4-diploma.",
                    e.level == "master" ? "A completed bachelor's degree in a related field."
                                        : "A Dutch havo, vwo or mbo level 4 diploma, or an "
                                          "equivalent.");
      writer_.Texts("program", p.id, N(), "qualification_requirements",
                    "Alle onderwijseenheden van het programma met een voldoende afgerond.",
                    "All course units of the programme completed with a pass.");
      writer_.Texts("program", p.id, N(), "learning_outcomes",
                    "Je past kennis uit het vakgebied toe in de beroepspraktijk.",
                    "You apply knowledge of the field in professional practice.", 0, true);
      writer_.Texts("program", p.id, N(), "learning_outcomes",
                    "Je werkt samen in multidisciplinaire teams.",
                    "You work together in multidisciplinary teams.", 1, true);
    }
  }

  void AddProgram(Program p, int parent, const std::vector<Period>& periods) {
    WriteProgram(p, parent, periods);
    programs_of_root_[eduspecs_[p.eduspec].root].push_back(static_cast<int>(programs_.size()));
    programs_.push_back(std::move(p));
  }

  void BasePrograms() {
    programs_of_root_.assign(eduspecs_.size(), {});
    for (int ei = 0; ei < static_cast<int>(eduspecs_.size()); ++ei) {
      const EduSpec& e = eduspecs_[ei];
      if (e.kind == SpecKind::kCourse) {
        continue;
      }
      std::vector<int> modes{0};
      if (e.kind == SpecKind::kPrivate) {
        modes = {1};
      } else if (e.kind == SpecKind::kProgram) {
        if (rng_.Percent(e.level == "bachelor" ? 45 : 70)) modes.push_back(1);
        if (e.level != "master" && rng_.Percent(25)) modes.push_back(2);
      }
      for (int m : modes) {
        Program p;
        p.id = rng_.Uuid4();
        p.eduspec = ei;
        p.faculty = e.faculty;
        p.campus = e.campus;
        p.mode = m;
        p.is_private = e.kind == SpecKind::kPrivate;
        p.language = e.language;
        if (p.is_private) {
          p.nl = e.nl;
          p.en = e.en;
          p.code = Unique(e.abbr + "-" + kCampuses[p.campus].code);
          p.duration = e.private_programme->duration;
          p.duration_months = std::stoi(p.duration.substr(1, p.duration.size() - 2));
          p.fee_euros = e.private_programme->fee_euros;
          p.modes = rng_.Percent(50) ? "[\"online\"]" : "[\"hybrid\"]";
        } else {
          p.nl = e.nl + " " + kModes[m].nl;
          p.en = e.en + " " + kModes[m].en;
          p.code = Unique(e.abbr + "-" + kModes[m].code);
          p.duration = Duration(e.level, m, &p.duration_months);
          p.modes = m == 1 ? (rng_.Percent(50) ? "[\"hybrid\"]" : R"(["situated","online"])")
                           : "[\"situated\"]";
        }
        // Programs mirror their eduspec's history; otherwise they start a little later.
        p.valid_from = e.periods.empty() && e.kind != SpecKind::kVariant
                           ? Sep(std::stoi(e.valid_from.substr(0, 4)) + rng_.Below(3))
                           : e.valid_from;
        std::vector<Period> periods;
        for (const Period& ep : e.periods) {
          periods.push_back({ep.valid_from, ep.nl, ep.en, ep.abbr + "-" + kModes[m].code});
        }
        AddProgram(std::move(p), -1, periods);
      }
    }
  }

  // A part-time programme with monthly intakes at five campuses over five years (300 offerings).
  void FlexProgram() {
    const int ei = 1 % scale_.program_eduspecs;  // Verpleegkunde
    const EduSpec& e = eduspecs_[ei];
    Program p;
    p.id = rng_.Uuid4();
    p.eduspec = ei;
    p.faculty = e.faculty;
    p.campus = 0;
    p.mode = 1;
    p.language = e.language;
    p.nl = e.nl + " deeltijd flex";
    p.en = e.en + " part-time flexible";
    p.code = Unique(e.abbr + "-DT-FLEX");
    p.duration = Duration(e.level, 0, &p.duration_months);
    p.modes = "[\"hybrid\"]";
    p.valid_from = Sep(year_ + kFirstOfferingYearOffset - 1);
    flex_program_ = static_cast<int>(programs_.size());
    AddProgram(std::move(p), -1, {});
  }

  void Specialisations() {
    std::vector<int> parents;
    for (int i = 0; i < static_cast<int>(programs_.size()); ++i) {
      if (!programs_[i].is_private && i != flex_program_) {
        parents.push_back(i);
      }
    }
    const int wanted = scale_.programs - static_cast<int>(programs_.size());
    for (int n = 0; n < wanted && !parents.empty(); ++n) {
      const int pi = parents[n % parents.size()];
      Program& parent = programs_[pi];
      if (parent.children >= 6) {
        break;  // every parent is full (the rotation reached them all)
      }
      const Phrase& s =
          kSpecialisations[parent.faculty][(parent.children + pi) % kSpecialisations[0].size()];
      ++parent.children;
      Program p = parent;
      p.id = rng_.Uuid4();
      p.specialisation = true;
      p.children = 0;
      p.nl = parent.nl + " – " + s.nl;
      p.en = parent.en + " – " + s.en;
      p.code = Unique(parent.code + "-" + s.abbr);
      // Never later than the first offering year, so every cohort lies inside the validity.
      p.valid_from = Sep(std::min(
          std::stoi(parent.valid_from.substr(0, 4)) + 1 + rng_.Below(2),
          std::max(year_ + kFirstOfferingYearOffset, std::stoi(parent.valid_from.substr(0, 4)))));
      AddProgram(std::move(p), pi, {});
    }
  }

  // --- offerings -----------------------------------------------------------------------------

  struct OfferingRow {
    bool program = true;
    std::string owner_id;
    std::string code;
    std::string nl, en, description_nl, description_en;
    db::Value session;
    int faculty = 0;
    std::string language, modes, link;
    int max_students = 0;  // 0: none
    std::string start, end, enroll_start, enroll_end;
    bool flexible = false;
    bool permission = false;
    int64_t fee_cents = 0;  // 0: no costs row
  };

  void WriteOffering(const OfferingRow& o) {
    const std::string id = rng_.Uuid4();
    const std::string code = Unique(o.code);
    writer_.Insert(writer_.offerings_sql,
                   {T(id),
                    T(o.program ? "program" : "course"),
                    o.program ? T(o.owner_id) : N(),
                    o.program ? N() : T(o.owner_id),
                    T("offeringCode"),
                    T(code),
                    T(o.nl),
                    T(code),
                    o.session,
                    T(faculty_ids_[o.faculty]),
                    T(o.language),
                    T(o.modes),
                    I(1),
                    o.link.empty() ? N() : T(o.link),
                    o.max_students > 0 ? I(o.max_students) : N(),
                    o.max_students > 0 ? I(std::min(12, o.max_students)) : N(),
                    T(o.start),
                    T(o.end),
                    T(o.enroll_start),
                    T(o.enroll_end),
                    o.flexible ? T(o.start) : N(),
                    o.flexible ? T(AddDays(o.start, 60)) : N(),
                    I(rng_.Percent(1) ? 0 : 1),
                    T(o.start > today_ ? "open" : "closed"),
                    T(o.permission ? "yes" : "no"),
                    o.permission ? T("Toelating na een intakegesprek met de opleiding.") : N()});
    writer_.Texts("offering", id, N(), "name", o.nl, o.en);
    writer_.Texts("offering", id, N(), "description", o.description_nl, o.description_en);
    if (o.fee_cents > 0) {
      writer_.Insert(writer_.costs_sql,
                     {T(id), T("total costs"), T(Money(o.fee_cents)), T("EUR"), I(0)});
    }
    ++offerings_;
  }

  // One cohort of program `p` starting on the first of `month` of `year`.
  void ProgramOffering(const Program& p, int year, int month, int campus, bool with_campus) {
    const EduSpec& e = eduspecs_[p.eduspec];
    OfferingRow o;
    o.program = true;
    o.owner_id = p.id;
    o.start = Ymd(year, month, 1);
    o.end = AddDays(FirstOfMonth(year, month, p.duration_months), -1);
    const bool studielink_deadline = p.mode == 0 && month == 9 && e.level == "bachelor";
    o.enroll_start = AddDays(o.start, -335);
    o.enroll_end = studielink_deadline ? Ymd(year, 5, 1) : AddDays(o.start, -14 - rng_.Below(30));
    o.code = p.code + "-" + o.start.substr(0, 7) +
             (with_campus ? std::string("-") + kCampuses[campus].code : "");
    const std::string where = with_campus ? std::string(" (") + kCampuses[campus].city + ")" : "";
    o.nl = p.nl + ", start " + LongDate(o.start, true) + where;
    o.en = p.en + ", starting " + LongDate(o.start, false) + where;
    o.description_nl = "Cohort " + o.code + " van " + p.nl + ". Start op " + o.start + " in " +
                       kCampuses[campus].city + ", einde op " + o.end + ".";
    o.description_en = "Cohort " + o.code + " of " + p.en + ", starting " + o.start + " in " +
                       kCampuses[campus].city + " and ending " + o.end + ".";
    o.session = month == 9 ? YearSession(year) : SemesterSession(o.start);
    o.faculty = p.faculty;
    o.language = p.language;
    o.modes = p.modes;
    o.link = "https://www.hogeschooldemo.nl/opleidingen/" + ToLowerAscii(p.code);
    o.max_students = program_caps_[&p - programs_.data()];
    o.flexible = p.is_private;
    o.permission = p.is_private || e.level == "master";
    const int64_t statutory = std::max<int64_t>(50000, 260100 + (year - 2025) * 7100);
    o.fee_cents = p.fee_euros > 0 ? int64_t{p.fee_euros} * 100 : statutory;
    WriteOffering(o);
  }

  void ProgramOfferings() {
    program_caps_.assign(programs_.size(), 0);
    for (size_t i = 0; i < programs_.size(); ++i) {
      if (rng_.Percent(25)) {
        program_caps_[i] = 20 * rng_.Between(2, 12);
      }
    }
    const int first = year_ + kFirstOfferingYearOffset;
    for (int pi = 0; pi < static_cast<int>(programs_.size()); ++pi) {
      const Program& p = programs_[pi];
      if (!writer_.status().ok()) {
        return;
      }
      if (pi == flex_program_) {
        for (int m = 0; m < 12 * 5; ++m) {
          const std::string start = FirstOfMonth(first, 9, m);
          for (int c = 0; c < 5; ++c) {
            ProgramOffering(p, std::stoi(start.substr(0, 4)), std::stoi(start.substr(5, 2)), c,
                            true);
          }
        }
        continue;
      }
      const bool february = p.mode == 1 || p.is_private || eduspecs_[p.eduspec].level == "master";
      for (int y = first; y < first + kOfferingYears; ++y) {
        ProgramOffering(p, y, 9, p.campus, false);
        if (february) {
          ProgramOffering(p, y + 1, 2, p.campus, false);
        }
      }
    }
  }

  // --- courses -------------------------------------------------------------------------------

  void WriteCourse(const Course& c, int course_eduspec, const Period* period) {
    const EduSpec& ce = eduspecs_[course_eduspec];
    writer_.Insert(writer_.courses_sql,
                   {T(c.id),
                    T(ce.id),
                    T("identifier"),
                    T(c.code),
                    T(c.nl),
                    T(c.code.substr(0, 40)),
                    T(c.language),
                    T(ce.level),
                    T("ects"),
                    R(c.study_load),
                    T(c.modes),
                    T(c.duration_days > 70   ? "P20W"
                      : c.duration_days > 42 ? "P10W"
                                             : "P6W"),
                    N(),
                    T(ce.field),
                    T("https://www.hogeschooldemo.nl/onderwijs/" + ToLowerAscii(c.code)),
                    T(faculty_ids_[c.faculty]),
                    T(c.valid_from),
                    N(),
                    I(rng_.Percent(2) ? 0 : 1),
                    T(kEducationOffererCode),
                    T(kCampuses[c.campus].location_code),
                    T("permission_not_granted"),
                    N(),
                    N(),
                    N(),
                    N(),
                    N()});
    writer_.Texts("course", c.id, N(), "name", c.nl, c.en);
    writer_.Texts("course", c.id, N(), "description",
                  "Onderwijseenheid " + c.nl + " (" + std::to_string(c.study_load) +
                      " EC) binnen het domein " + kFaculties[c.faculty].area_nl +
                      ". Studenten werken aan praktijkopdrachten en sluiten af met een toets.",
                  "Course unit " + c.en + " (" + std::to_string(c.study_load) +
                      " ECTS) in the field of " + kFaculties[c.faculty].area_en +
                      ". Students work on practical assignments and finish with an assessment.");
    static constexpr std::array<std::pair<const char*, const char*>, 3> kAssessments{{
        {"Schriftelijk tentamen.", "Written exam."},
        {"Praktijkopdracht met mondelinge toelichting.", "Practical assignment with an oral."},
        {"Portfolio en criteriumgericht interview.", "Portfolio and criterion-based interview."},
    }};
    const auto& a = kAssessments[rng_.Below(3)];
    writer_.Texts("course", c.id, N(), "assessment", a.first, a.second);
    if (rng_.Percent(30)) {
      writer_.OtherCode("course", c.id, "x-osiris.cursuscode", "OSI" + Pad(++osiris_code_, 6));
    }
    if (period != nullptr) {
      writer_.Insert(writer_.course_periods_sql,
                     {T(c.id), T(period->valid_from), R(c.study_load == 5 ? 4 : c.study_load + 1)});
      writer_.Texts("course", c.id, T(period->valid_from), "name", period->nl, period->en);
    }
    // Links to 1-3 programs of the programme this course cluster serves.
    const std::vector<int>& candidates = programs_of_root_[ce.root];
    const int size = static_cast<int>(candidates.size());
    const int links = std::min(size, rng_.Between(1, 3));
    const int start = rng_.Below(size);
    for (int k = 0; k < links; ++k) {
      writer_.Insert(writer_.course_programs_sql,
                     {T(c.id), T(programs_[candidates[(start + k) % size]].id)});
    }
    ++courses_;
  }

  OfferingRow CourseOfferingBase(const Course& c, const std::string& start) {
    OfferingRow o;
    o.program = false;
    o.owner_id = c.id;
    o.start = start;
    o.end = AddDays(start, c.duration_days - 1);
    o.enroll_start = AddDays(start, -56);
    o.enroll_end = AddDays(start, -14);
    o.session = SemesterSession(start);
    o.faculty = c.faculty;
    o.language = c.language;
    o.modes = c.modes;
    return o;
  }

  // A mathematics bridging course starting every two weeks, online and on campus (260 offerings).
  void SpecialCourse(int course_eduspec) {
    Course c;
    c.id = rng_.Uuid4();
    c.faculty = eduspecs_[course_eduspec].faculty;
    c.campus = 0;
    c.study_load = 3;
    c.duration_days = 42;
    c.nl = "Bijspijkercursus Wiskunde";
    c.en = "Mathematics Bridging Course";
    c.code = Unique("BSW-WIS");
    c.language = "nld";
    c.modes = R"(["online","on campus"])";
    c.valid_from = Sep(year_ + kFirstOfferingYearOffset - 1);
    WriteCourse(c, course_eduspec, nullptr);
    const std::string first = Sep(year_ + kFirstOfferingYearOffset);
    for (int k = 0; k < 130; ++k) {
      const std::string start = AddDays(first, 14 * k);
      for (int form = 0; form < 2; ++form) {
        OfferingRow o = CourseOfferingBase(c, start);
        o.enroll_start = AddDays(start, -42);
        o.enroll_end = AddDays(start, -3);
        o.modes = form == 0 ? "[\"online\"]" : "[\"on campus\"]";
        o.code = c.code + "-" + start + (form == 0 ? "-ONL" : "-UTR");
        const char* how_nl = form == 0 ? "online" : "op de campus Utrecht";
        const char* how_en = form == 0 ? "online" : "on campus in Utrecht";
        o.nl = c.nl + ", start " + LongDate(start, true) + ", " + how_nl;
        o.en = c.en + ", starting " + LongDate(start, false) + ", " + how_en;
        o.description_nl = "Zesweekse bijspijkercursus wiskunde, " + std::string(how_nl) +
                           ", van " + start + " tot en met " + o.end + ".";
        o.description_en = "Six-week mathematics bridging course, " + std::string(how_en) +
                           ", from " + start + " to " + o.end + ".";
        o.max_students = 30;
        WriteOffering(o);
      }
    }
  }

  // Regular course `i` (of the course eduspec at `ce_index`), written with its texts and links;
  // `first` is the first offering year.
  Course RegularCourse(int i, int ce_index, int first) {
    const EduSpec& ce = eduspecs_[ce_index];
    const int faculty = ce.faculty;
    const Phrase& topic = kTopics[faculty][rng_.Below(static_cast<int>(kTopics[0].size()))];
    const int number = rng_.Between(1, 3);
    Course c;
    c.id = rng_.Uuid4();
    c.faculty = faculty;
    c.campus = ce.campus;
    static constexpr std::array<int, 12> kLoads{3, 4, 5, 5, 5, 5, 6, 7, 7, 10, 15, 30};
    c.study_load = kLoads[rng_.Below(static_cast<int>(kLoads.size()))];
    c.duration_days = c.study_load <= 7 ? 70 : 140;
    c.nl = std::string(topic.nl) + " " + std::to_string(number);
    c.en = std::string(topic.en) + " " + std::to_string(number);
    std::string abbr = std::string(topic.abbr) + std::to_string(number);
    if (rng_.Percent(25)) {
      const Phrase& flavour = kCourseFlavours[rng_.Below(static_cast<int>(kCourseFlavours.size()))];
      c.nl += std::string(" – ") + flavour.nl;
      c.en += std::string(" – ") + flavour.en;
      abbr += flavour.abbr;
    }
    c.code = Unique(abbr + "-" + Pad(i + 1, 5));
    c.language = ce.language == "eng" || rng_.Percent(10) ? "eng" : "nld";
    const int how = rng_.Below(20);
    c.modes = how < 14 ? "[\"situated\"]" : how < 17 ? "[\"hybrid\"]" : "[\"online\"]";
    Period period;
    const bool history = rng_.Percent(8);
    if (history) {
      const int y = first - rng_.Below(3);
      c.valid_from = Sep(y);
      period = {Sep(y - 3), c.nl + " (curriculum " + std::to_string(y - 3) + ")",
                c.en + " (" + std::to_string(y - 3) + " curriculum)", ""};
    } else {
      c.valid_from = Sep(first - rng_.Below(6));
    }
    WriteCourse(c, ce_index, history ? &period : nullptr);
    return c;
  }

  // `count` offerings of course `c`, one a semester of the offering window from a random slot on,
  // in groups when there are more than semesters.
  void CourseOfferings(const Course& c, int count, int first) {
    constexpr int kSlots = 2 * kOfferingYears;  // semesters in the offering window
    const int window = std::min(count, kSlots);
    const int offset = rng_.Below(kSlots - window + 1);
    const int cap = rng_.Percent(40) ? 10 * rng_.Between(2, 12) : 0;
    for (int k = 0; k < count; ++k) {
      const int slot = offset + k % window;
      const int group = k / window;
      const int year = first + slot / 2;
      const int semester = slot % 2;
      const std::string start = semester == 0 ? Sep(year) : Ymd(year + 1, 2, 1);
      OfferingRow o = CourseOfferingBase(c, start);
      const std::string sem = "semester " + std::to_string(semester + 1) + " " + YearLabel(year);
      const std::string g = group == 0 ? "" : ", groep " + std::to_string(group + 1);
      const std::string g_en = group == 0 ? "" : ", group " + std::to_string(group + 1);
      o.code = c.code + "-" + std::to_string(year) + "-S" + std::to_string(semester + 1) +
               (group == 0 ? "" : "-G" + std::to_string(group + 1));
      o.nl = c.nl + ", " + sem + g;
      o.en = c.en + ", " + sem + g_en;
      o.description_nl =
          "Uitvoering van " + c.nl + " in " + sem + ", van " + start + " tot en met " + o.end + ".";
      o.description_en = "Run of " + c.en + " in " + sem + ", from " + start + " to " + o.end + ".";
      o.max_students = cap;
      WriteOffering(o);
    }
  }

  void Courses() {
    SpecialCourse(course_eduspecs_[0]);
    const int regular = scale_.courses - 1;
    const int64_t remaining = std::max<int64_t>(scale_.offerings - offerings_, regular);
    const int first = year_ + kFirstOfferingYearOffset;
    int carry = 0;  // keeps the total exact while varying per course
    for (int i = 0; i < regular && writer_.status().ok(); ++i) {
      const Course c = RegularCourse(i, course_eduspecs_[(i + 1) % course_eduspecs_.size()], first);
      // Offerings: an exact share of the remaining total, varied by +-2 in pairs.
      const int64_t share = remaining * (i + 1) / regular - remaining * i / regular;
      int count = static_cast<int>(share);
      if (i % 2 == 0) {
        carry = std::min(count - 1, rng_.Below(3));
        count += carry;
      } else {
        count = std::max(1, count - carry);
        carry = 0;
      }
      CourseOfferings(c, count, first);
    }
  }

  Writer writer_;
  const Scale scale_;
  Rng rng_;
  const std::string today_;
  int year_ = 0;  // start year of the academic year containing today

  std::string root_id_;
  std::vector<std::string> faculty_ids_;
  std::vector<std::string> year_ids_;
  std::vector<std::array<std::string, 2>> semester_ids_;
  std::vector<EduSpec> eduspecs_;
  std::vector<int> course_eduspecs_;
  std::vector<Program> programs_;
  std::vector<std::vector<int>> programs_of_root_;  // by eduspec index
  std::vector<int> program_caps_;
  int flex_program_ = -1;
  std::set<std::string> codes_;
  int next_bachelor_ = 34101;
  int next_master_ = 49101;
  int next_ad_ = 80101;
  int sis_code_ = 0;
  int osiris_code_ = 0;
  int64_t sessions_ = 0;
  int64_t courses_ = 0;
  int64_t offerings_ = 0;
};

}  // namespace

StatusOr<DemoSummary> WriteDemo(db::Connection& connection, const DemoOptions& options) {
  const Scale* scale = nullptr;
  if (options.scale == "small") {
    scale = &kSmall;
  } else if (options.scale == "large") {
    scale = &kLarge;
  } else {
    return InvalidArgument("--scale must be 'small' or 'large', got '" + options.scale + "'");
  }
  const std::string today = options.today.empty() ? TodayUtc() : options.today;
  if (!IsIsoDate(today) || today < "1900-01-01" || today > "9000-12-31") {
    return InvalidArgument("--today must be a date YYYY-MM-DD between 1900 and 9000, got '" +
                           options.today + "'");
  }

  for (const char* table : kContractTables) {
    auto probe = connection.Query(std::string("SELECT 1 FROM ") + table + " WHERE 1 = 0", {});
    if (probe.ok()) {
      return FailedPrecondition(std::string("database already contains table '") + table +
                                "'; demo-data writes only into a new database");
    }
    if (probe.status().code() == StatusCode::kUnavailable) {
      return probe.status();
    }
  }

  // Schema, rows and indexes in one transaction: a failure leaves the database untouched.
  // Indexes are created after the rows, which is much faster than maintaining them per insert.
  auto begin = connection.Execute("BEGIN", {});
  if (!begin.ok()) {
    return begin.status();
  }
  Generator generator(connection, *scale, options.seed, today);
  Status status = connection.ExecuteScript(adapters::sql::SisContractSql());
  if (status.ok()) {
    status = generator.Run();
  }
  DemoSummary summary;
  if (status.ok()) {
    summary = generator.summary();
    if (options.plant_rio_defects) {
      status = internal::PlantRioDefects(connection, today, summary);
    }
  }
  if (status.ok()) {
    status = connection.ExecuteScript(adapters::sql::SisContractIndexesSql());
  }
  if (status.ok()) {
    auto commit = connection.Execute("COMMIT", {});
    if (commit.ok()) {
      return summary;
    }
    status = commit.status();
  }
  (void)connection.Execute("ROLLBACK", {});
  return status;
}

}  // namespace ooapi::demo
