#include "ooapi/adapters/sql/sql_adapter.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"

namespace ooapi::adapters::sql {

extern const char kSisContractSql[];
extern const char kSisContractIndexesSql[];

std::string_view SisContractSql() { return kSisContractSql; }
std::string_view SisContractIndexesSql() { return kSisContractIndexesSql; }

namespace {

// SIS data that breaks the contract (a malformed JSON list, half a study load). Thrown inside the
// adapter and turned into kInternal by Guard(); the message names table, column and id.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Entity descriptions.

struct EntitySpec {
  const char* table;
  const char* id_column;
  const char* owner_type;     // texts.owner_type / other_codes.owner_type
  const char* periods_table;  // nullptr: no timeline overrides
  const char* type_name;      // for messages: "program"
  std::string default_sort;
  std::vector<std::pair<std::string, std::string>> sort_columns;  // OOAPI field -> column
  std::vector<std::pair<ScopeKind, std::string>> scopes;          // scope -> WHERE fragment
};

const EntitySpec kOrganizations{"organizations",
                                "organization_id",
                                "organization",
                                nullptr,
                                "organization",
                                "name",
                                {{"name", "sort_name"}, {"organizationId", "organization_id"}},
                                {{ScopeKind::kParent, "parent_id = ?"}}};

const EntitySpec kAcademicSessions{"academic_sessions",
                                   "academic_session_id",
                                   "academic_session",
                                   nullptr,
                                   "academic session",
                                   "startDate",
                                   {{"academicSessionId", "academic_session_id"},
                                    {"name", "sort_name"},
                                    {"startDate", "start_date"}},
                                   {{ScopeKind::kParent, "parent_id = ?"}}};

const EntitySpec kEducationSpecifications{
    "education_specifications",
    "education_specification_id",
    "education_specification",
    "education_specification_periods",
    "education specification",
    "name",
    {{"name", "sort_name"},
     {"educationSpecificationId", "education_specification_id"},
     {"primaryCode", "primary_code"},
     {"primarycode", "primary_code"},  // the spelling 5.0.0 uses on /organizations/{id}/...
     {"educationSpecificationType", "education_specification_type"}},
    {{ScopeKind::kParent, "parent_id = ?"}, {ScopeKind::kOrganization, "organization_id = ?"}}};

const EntitySpec kPrograms{"programs",
                           "program_id",
                           "program",
                           "program_periods",
                           "program",
                           "name",
                           {{"name", "sort_name"}, {"programId", "program_id"}},
                           {{ScopeKind::kEducationSpecification, "education_specification_id = ?"},
                            {ScopeKind::kParent, "parent_id = ?"},
                            {ScopeKind::kOrganization, "organization_id = ?"}}};

const EntitySpec kCourses{
    "courses",
    "course_id",
    "course",
    "course_periods",
    "course",
    "name",
    {{"name", "sort_name"}, {"courseId", "course_id"}},
    {{ScopeKind::kEducationSpecification, "education_specification_id = ?"},
     {ScopeKind::kProgram,
      "course_id IN (SELECT course_id FROM {course_programs} WHERE program_id = ?)"},
     {ScopeKind::kOrganization, "organization_id = ?"}}};

const EntitySpec kOfferings{"offerings",
                            "offering_id",
                            "offering",
                            nullptr,
                            "offering",
                            "startDate",
                            {{"offeringId", "offering_id"},
                             {"name", "sort_name"},
                             {"startDate", "start_date"},
                             {"endDate", "end_date"}},
                            {{ScopeKind::kProgram, "program_id = ?"},
                             {ScopeKind::kCourse, "course_id = ?"},
                             {ScopeKind::kOrganization, "organization_id = ?"},
                             {ScopeKind::kAcademicSession, "academic_session_id = ?"}}};

// How a Filter (an OOAPI query parameter the endpoint validated) becomes SQL. Fragments refer to
// the listed entity as `e` and to contract tables as {name}; every `?` is bound to the value.
enum class FilterKind {
  kEqual,         // value as is
  kBool,          // "true"/"false" -> 1/0
  kJsonContains,  // a JSON list column holds the value: LIKE '%"value"%'
  kText,          // q: case-insensitive (ASCII) substring: LIKE '%value%'
};

struct FilterSpec {
  const char* param;
  FilterKind kind;
  const char* fragment;
};

// q: "items having a name, abbreviation or description containing the given search term (exact
// partial match, case insensitive)". `abbreviation_column` is the entity's short text column.
std::string TextSearch(const char* owner_type, const char* id_column,
                       const char* abbreviation_column) {
  return std::string("(lower(coalesce(e.") + abbreviation_column +
         ", '')) LIKE ? ESCAPE '!' OR EXISTS (SELECT 1 FROM {texts} t WHERE t.owner_type = '" +
         owner_type + "' AND t.owner_id = e." + id_column +
         " AND t.period_valid_from IS NULL AND t.field IN ('name', 'description') AND "
         "lower(t.value) LIKE ? ESCAPE '!'))";
}

const std::vector<FilterSpec>& Filters(const std::string& table) {
  static const auto* filters = new std::map<std::string, std::vector<FilterSpec>>{
      {"organizations",
       {{"primaryCode", FilterKind::kEqual, "e.primary_code = ?"},
        {"organizationType", FilterKind::kEqual, "e.organization_type = ?"}}},
      {"academic_sessions",
       {{"primaryCode", FilterKind::kEqual, "e.primary_code = ?"},
        {"academicSessionType", FilterKind::kEqual, "e.academic_session_type = ?"},
        {"parent", FilterKind::kEqual, "e.parent_id = ?"},
        {"year", FilterKind::kEqual, "e.year_id = ?"}}},
      {"education_specifications",
       {{"primaryCode", FilterKind::kEqual, "e.primary_code = ?"},
        {"educationSpecificationType", FilterKind::kEqual, "e.education_specification_type = ?"}}},
      {"programs",
       {{"primaryCode", FilterKind::kEqual, "e.primary_code = ?"},
        {"teachingLanguage", FilterKind::kEqual, "e.teaching_language = ?"},
        {"programType", FilterKind::kEqual, "e.program_type = ?"},
        {"qualificationAwarded", FilterKind::kEqual, "e.qualification_awarded = ?"},
        {"levelOfQualification", FilterKind::kEqual, "e.level_of_qualification = ?"},
        {"sector", FilterKind::kEqual, "e.sector = ?"},
        {"fieldsOfStudy", FilterKind::kEqual, "e.fields_of_study = ?"},
        // The program's own crohoCreboCode (primary or other code) or its specification's.
        {"croho-creboCode", FilterKind::kEqual,
         "((e.primary_code_type = 'crohoCreboCode' AND e.primary_code = ?) OR EXISTS (SELECT 1 "
         "FROM {other_codes} oc WHERE oc.owner_type = 'program' AND oc.owner_id = e.program_id "
         "AND oc.code_type = 'crohoCreboCode' AND oc.code = ?) OR EXISTS (SELECT 1 FROM "
         "{education_specifications} es WHERE es.education_specification_id = "
         "e.education_specification_id AND es.primary_code_type = 'crohoCreboCode' AND "
         "es.primary_code = ?))"}}},
      {"courses",
       {{"primaryCode", FilterKind::kEqual, "e.primary_code = ?"},
        {"teachingLanguage", FilterKind::kEqual, "e.teaching_language = ?"},
        {"level", FilterKind::kEqual, "e.level = ?"},
        {"modeOfDelivery", FilterKind::kJsonContains, "e.modes_of_delivery LIKE ? ESCAPE '!'"}}},
      {"offerings",
       {{"teachingLanguage", FilterKind::kEqual, "e.teaching_language = ?"},
        {"modeOfDelivery", FilterKind::kJsonContains, "e.modes_of_delivery LIKE ? ESCAPE '!'"},
        {"resultExpected", FilterKind::kBool, "e.result_expected = ?"},
        {"offeringType", FilterKind::kEqual, "e.offering_type = ?"},
        {"since", FilterKind::kEqual, "e.start_date >= ?"},
        {"until", FilterKind::kEqual, "e.end_date <= ?"},
        {"modeOfStudy", FilterKind::kEqual,
         "e.program_id IN (SELECT p.program_id FROM {programs} p WHERE p.mode_of_study = ?)"}}},
  };
  static const std::vector<FilterSpec> kNone;
  auto it = filters->find(table);
  return it == filters->end() ? kNone : it->second;
}

// '!' escapes LIKE wildcards in user text.
std::string LikeEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') {
      out += '!';
    }
    out += c;
  }
  return out;
}

const EntitySpec* ScopeEntity(ScopeKind kind, const EntitySpec& self) {
  switch (kind) {
    case ScopeKind::kParent:
      return &self;
    case ScopeKind::kEducationSpecification:
      return &kEducationSpecifications;
    case ScopeKind::kProgram:
      return &kPrograms;
    case ScopeKind::kCourse:
      return &kCourses;
    case ScopeKind::kOrganization:
      return &kOrganizations;
    case ScopeKind::kAcademicSession:
      return &kAcademicSessions;
    case ScopeKind::kAll:
      return nullptr;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Reading rows.

using Ids = std::vector<std::string>;

std::string InList(size_t n) {
  std::string out = "(";
  for (size_t i = 0; i < n; ++i) {
    out += i == 0 ? "?" : ",?";
  }
  out += ")";
  return out;
}

std::vector<db::Value> ToValues(const Ids& ids) {
  std::vector<db::Value> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    out.emplace_back(id);
  }
  return out;
}

template <typename T>
T Require(StatusOr<T> s) {
  if (!s.ok()) {
    throw s.status();
  }
  return std::move(s).value();
}

// Texts of one owner (or one period of it), by field.
struct TextBag {
  std::map<std::string, std::vector<std::pair<int64_t, LanguageString>>> fields;

  LanguageStrings Strings(const std::string& field) const {
    LanguageStrings out;
    auto it = fields.find(field);
    if (it != fields.end()) {
      for (const auto& [ordinal, s] : it->second) {
        out.push_back(s);
      }
    }
    return out;
  }
  // Entries with the same ordinal form one group (learningOutcomes is an array of arrays).
  std::vector<LanguageStrings> Groups(const std::string& field) const {
    std::vector<LanguageStrings> out;
    auto it = fields.find(field);
    if (it == fields.end()) {
      return out;
    }
    int64_t current = 0;
    for (const auto& [ordinal, s] : it->second) {
      if (out.empty() || ordinal != current) {
        out.emplace_back();
        current = ordinal;
      }
      out.back().push_back(s);
    }
    return out;
  }
  // Fields this bag lacks are taken from `base` (a period inherits the main texts).
  TextBag InheritFrom(const TextBag& base) const {
    TextBag out = *this;
    for (const auto& [field, values] : base.fields) {
      out.fields.emplace(field, values);
    }
    return out;
  }
};

std::optional<std::string> Opt(const db::Row& r, const char* column) { return r.Text(column); }

std::string Req(const db::Row& r, const char* column, const char* table, const std::string& id) {
  auto v = r.Text(column);
  if (!v) {
    throw DataError(std::string(table) + "." + column + " is NULL for " + id);
  }
  return *v;
}

std::vector<std::string> JsonList(const db::Row& r, const char* column, const char* table,
                                  const std::string& id) {
  std::vector<std::string> out;
  auto text = r.Text(column);
  if (!text || TrimAscii(*text).empty()) {
    return out;
  }
  // One reference, so that no call on the optional comes between c_str() and the parse.
  const std::string& json = *text;
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  if (d.HasParseError() || !d.IsArray()) {
    throw DataError(std::string(table) + "." + column + " of " + id +
                    " is not a JSON array of strings");
  }
  for (const auto& v : d.GetArray()) {
    if (!v.IsString()) {
      throw DataError(std::string(table) + "." + column + " of " + id +
                      " is not a JSON array of strings");
    }
    out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

std::optional<StudyLoad> ReadStudyLoad(const db::Row& r, const char* table, const std::string& id) {
  auto unit = r.Text("study_load_unit");
  auto value = r.Real("study_load_value");
  if (!unit && !value) {
    return std::nullopt;
  }
  if (!unit || !value) {
    throw DataError(std::string(table) +
                    ": study_load_unit and study_load_value must both be set " +
                    "or both be NULL for " + id);
  }
  return StudyLoad{*unit, *value};
}

Identifier ReadPrimaryCode(const db::Row& r, const char* table, const std::string& id) {
  return Identifier{Req(r, "primary_code_type", table, id), Req(r, "primary_code", table, id)};
}

// Merges a period row over the main row: a NULL period column inherits the main value.
db::ResultSet MergePeriod(const db::ResultSet& main, size_t main_index,
                          const db::ResultSet& periods, size_t period_index) {
  std::vector<db::Value> merged = main.rows()[main_index];
  const auto& prow = periods.rows()[period_index];
  for (size_t c = 0; c < periods.columns().size(); ++c) {
    if (std::holds_alternative<std::monostate>(prow[c])) {
      continue;
    }
    int target = main.ColumnIndex(periods.columns()[c]);
    if (target >= 0) {
      merged[static_cast<size_t>(target)] = prow[c];
    }
  }
  return db::ResultSet(main.columns(), {std::move(merged)});
}

EducationSpecificationProperties ReadEducationSpecificationProperties(
    const db::Row& r, const TextBag& texts, const std::vector<Identifier>& codes,
    const std::string& id) {
  const char* t = "education_specifications";
  EducationSpecificationProperties p;
  p.type = Req(r, "education_specification_type", t, id);
  p.primary_code = ReadPrimaryCode(r, t, id);
  p.name = texts.Strings("name");
  p.abbreviation = Opt(r, "abbreviation");
  p.description = texts.Strings("description");
  p.formal_document = Opt(r, "formal_document");
  p.level = Opt(r, "level");
  p.sector = Opt(r, "sector");
  p.level_of_qualification = Opt(r, "level_of_qualification");
  p.fields_of_study = Opt(r, "fields_of_study");
  p.study_load = ReadStudyLoad(r, t, id);
  p.link = Opt(r, "link");
  p.learning_outcomes = texts.Groups("learning_outcomes");
  p.other_codes = codes;
  p.rio.sub_type = Opt(r, "rio_sub_type");
  p.rio.categories = JsonList(r, "rio_categories", t, id);
  return p;
}

OfferedProperties ReadOfferedProperties(const db::Row& r, const TextBag& texts,
                                        const std::vector<Identifier>& codes, const char* table,
                                        const std::string& id, bool is_program) {
  OfferedProperties p;
  p.primary_code = ReadPrimaryCode(r, table, id);
  p.name = texts.Strings("name");
  p.abbreviation = Opt(r, "abbreviation");
  p.description = texts.Strings("description");
  p.teaching_language = Opt(r, "teaching_language");
  p.study_load = ReadStudyLoad(r, table, id);
  p.modes_of_delivery = JsonList(r, "modes_of_delivery", table, id);
  p.duration = Opt(r, "duration");
  p.first_start_date = Opt(r, "first_start_date");
  p.level = Opt(r, "level");
  p.fields_of_study = Opt(r, "fields_of_study");
  p.link = Opt(r, "link");
  p.enrollment = texts.Strings("enrollment");
  p.assessment = texts.Strings("assessment");
  p.admission_requirements = texts.Strings("admission_requirements");
  p.qualification_requirements = texts.Strings("qualification_requirements");
  p.learning_outcomes = texts.Groups("learning_outcomes");
  p.other_codes = codes;
  OfferedRio& rio = p.rio;
  rio.education_offerer_code = Opt(r, "rio_education_offerer_code");
  rio.education_location_code = Opt(r, "rio_education_location_code");
  rio.consent_participation_stap = Opt(r, "rio_consent_participation_stap");
  rio.foreign_partners = JsonList(r, "rio_foreign_partners", table, id);
  rio.joint_partner_codes = JsonList(r, "rio_joint_partner_codes", table, id);
  rio.teaching_languages = JsonList(r, "rio_teaching_languages", table, id);
  rio.last_start_date = Opt(r, "rio_last_start_date");
  rio.duration = Opt(r, "rio_duration");
  if (is_program) {
    p.program_type = Opt(r, "program_type");
    p.qualification_awarded = Opt(r, "qualification_awarded");
    p.mode_of_study = Opt(r, "mode_of_study");
    p.level_of_qualification = Opt(r, "level_of_qualification");
    p.sector = Opt(r, "sector");
    rio.propaedeutic_phase = Opt(r, "rio_propaedeutic_phase");
    rio.study_choice_check = Opt(r, "rio_study_choice_check");
    rio.accelerated_route = Opt(r, "rio_accelerated_route");
    rio.deficiency = Opt(r, "rio_deficiency");
    rio.requirements_activities = Opt(r, "rio_requirements_activities");
    rio.joint_program = r.Bool("rio_joint_program");
    rio.education_unit_code = Opt(r, "rio_education_unit_code");
  }
  return p;
}

// ---------------------------------------------------------------------------------------------

class SqlAdapter final : public SisAdapter {
 public:
  SqlAdapter(std::unique_ptr<db::Pool> pool, std::string table_prefix)
      : pool_(std::move(pool)), prefix_(std::move(table_prefix)) {}

  StatusOr<Organization> GetOrganization(std::string_view id) override {
    return Guard<Organization>([&](db::Connection& c) {
      auto rows = LoadById(c, kOrganizations, id);
      return BuildOrganizations(c, rows).front();
    });
  }
  StatusOr<Page<Organization>> ListOrganizations(const ListQuery& query) override {
    return Guard<Page<Organization>>([&](db::Connection& c) {
      return List<Organization>(c, kOrganizations, query, [&](const db::ResultSet& rows) {
        return BuildOrganizations(c, rows);
      });
    });
  }

  StatusOr<AcademicSession> GetAcademicSession(std::string_view id) override {
    return Guard<AcademicSession>([&](db::Connection& c) {
      auto rows = LoadById(c, kAcademicSessions, id);
      return BuildAcademicSessions(c, rows).front();
    });
  }
  StatusOr<Page<AcademicSession>> ListAcademicSessions(const ListQuery& query) override {
    return Guard<Page<AcademicSession>>([&](db::Connection& c) {
      return List<AcademicSession>(c, kAcademicSessions, query, [&](const db::ResultSet& rows) {
        return BuildAcademicSessions(c, rows);
      });
    });
  }

  StatusOr<EducationSpecification> GetEducationSpecification(std::string_view id,
                                                             const GetOptions& options) override {
    return Guard<EducationSpecification>([&](db::Connection& c) {
      auto rows = LoadById(c, kEducationSpecifications, id);
      auto item = BuildEducationSpecifications(c, rows).front();
      if (options.timeline_overrides) {
        item.timeline_overrides = LoadOverrides<EducationSpecificationProperties>(
            c, kEducationSpecifications, rows, item.id,
            [&](const db::Row& r, const TextBag& texts) {
              return ReadEducationSpecificationProperties(r, texts, item.properties.other_codes,
                                                          item.id);
            });
      }
      return item;
    });
  }
  StatusOr<Page<EducationSpecification>> ListEducationSpecifications(
      const ListQuery& query) override {
    return Guard<Page<EducationSpecification>>([&](db::Connection& c) {
      return List<EducationSpecification>(
          c, kEducationSpecifications, query,
          [&](const db::ResultSet& rows) { return BuildEducationSpecifications(c, rows); });
    });
  }

  StatusOr<Program> GetProgram(std::string_view id, const GetOptions& options) override {
    return Guard<Program>([&](db::Connection& c) {
      auto rows = LoadById(c, kPrograms, id);
      auto item = BuildPrograms(c, rows).front();
      if (options.timeline_overrides) {
        item.timeline_overrides = LoadOverrides<OfferedProperties>(
            c, kPrograms, rows, item.id, [&](const db::Row& r, const TextBag& texts) {
              return ReadOfferedProperties(r, texts, item.properties.other_codes, "program_periods",
                                           item.id, true);
            });
      }
      return item;
    });
  }
  StatusOr<Page<Program>> ListPrograms(const ListQuery& query) override {
    return Guard<Page<Program>>([&](db::Connection& c) {
      return List<Program>(c, kPrograms, query,
                           [&](const db::ResultSet& rows) { return BuildPrograms(c, rows); });
    });
  }

  StatusOr<Course> GetCourse(std::string_view id, const GetOptions& options) override {
    return Guard<Course>([&](db::Connection& c) {
      auto rows = LoadById(c, kCourses, id);
      auto item = BuildCourses(c, rows).front();
      if (options.timeline_overrides) {
        item.timeline_overrides = LoadOverrides<OfferedProperties>(
            c, kCourses, rows, item.id, [&](const db::Row& r, const TextBag& texts) {
              return ReadOfferedProperties(r, texts, item.properties.other_codes, "course_periods",
                                           item.id, false);
            });
      }
      return item;
    });
  }
  StatusOr<Page<Course>> ListCourses(const ListQuery& query) override {
    return Guard<Page<Course>>([&](db::Connection& c) {
      return List<Course>(c, kCourses, query,
                          [&](const db::ResultSet& rows) { return BuildCourses(c, rows); });
    });
  }

  StatusOr<Offering> GetOffering(std::string_view id) override {
    return Guard<Offering>([&](db::Connection& c) {
      auto rows = LoadById(c, kOfferings, id);
      return BuildOfferings(c, rows).front();
    });
  }
  StatusOr<Page<Offering>> ListOfferings(const ListQuery& query) override {
    return Guard<Page<Offering>>([&](db::Connection& c) {
      return List<Offering>(c, kOfferings, query,
                            [&](const db::ResultSet& rows) { return BuildOfferings(c, rows); });
    });
  }

  Status CheckReady() override {
    auto lease = pool_->Acquire();
    if (!lease.ok()) {
      return lease.status();
    }
    auto r = (*lease)->Query("SELECT 1 AS ok", {});
    return r.ok() ? Status::Ok() : r.status();
  }

  AdapterFeatures Features() const override {
    AdapterFeatures f;
    f.filters.emplace_back("q");
    for (const char* table : {"organizations", "academic_sessions", "education_specifications",
                              "programs", "courses", "offerings"}) {
      for (const FilterSpec& spec : Filters(table)) {
        f.filters.emplace_back(spec.param);
      }
    }
    return f;
  }

 private:
  // Runs `fn` on a leased connection; converts exceptions and thrown Status into Status.
  // All adapter calls are reads, so when the connection turns out to be broken (a restarted or
  // failed-over server, an idle connection the server closed) the call is retried once on a
  // fresh connection; the broken one is dropped by the pool (libpqxx's own reactivation of a
  // broken connection fails twice before it works).
  template <typename T, typename Fn>
  StatusOr<T> Guard(Fn&& fn) {
    for (int attempt = 0;; ++attempt) {
      auto lease = pool_->Acquire();
      if (!lease.ok()) {
        return lease.status();
      }
      StatusOr<T> result = Run<T>(**lease, fn);
      if (!result.ok() && result.status().code() == StatusCode::kUnavailable &&
          !(*lease)->Healthy() && attempt == 0) {
        continue;
      }
      return result;
    }
  }

  template <typename T, typename Fn>
  static StatusOr<T> Run(db::Connection& connection, Fn& fn) {
    try {
      return static_cast<T>(fn(connection));
    } catch (const Status& s) {
      return s;
    } catch (const DataError& e) {
      return Internal(std::string("SIS data violates the contract: ") + e.what());
    } catch (const std::exception& e) {
      return Internal(std::string("SQL adapter: ") + e.what());
    }
  }

  std::string Collate() const {
    return pool_->dialect() == db::Dialect::kPostgres ? " COLLATE \"C\"" : "";
  }

  db::ResultSet Query(db::Connection& c, const std::string& sql,
                      const std::vector<db::Value>& params) {
    return Require(c.Query(sql, params));
  }

  db::ResultSet LoadById(db::Connection& c, const EntitySpec& spec, std::string_view id) {
    std::string sql = "SELECT * FROM " + Table(spec.table) + " WHERE " + spec.id_column + " = ?";
    auto rows = Query(c, sql, {db::Text(std::string(id))});
    if (rows.empty()) {
      throw NotFound(std::string("no ") + spec.type_name + " with id " + std::string(id));
    }
    return rows;
  }

  template <typename T, typename BuildFn>
  Page<T> List(db::Connection& c, const EntitySpec& spec, const ListQuery& query, BuildFn&& build) {
    std::string where = "1 = 1";
    std::vector<db::Value> params;
    if (query.scope.kind != ScopeKind::kAll) {
      auto it = std::find_if(spec.scopes.begin(), spec.scopes.end(),
                             [&](const auto& s) { return s.first == query.scope.kind; });
      if (it == spec.scopes.end()) {
        throw InvalidArgument(std::string("unsupported scope for ") + spec.table);
      }
      const EntitySpec* owner = ScopeEntity(query.scope.kind, spec);
      std::string exists =
          "SELECT 1 AS found FROM " + Table(owner->table) + " WHERE " + owner->id_column + " = ?";
      if (Query(c, exists, {db::Text(query.scope.id)}).empty()) {
        throw NotFound(std::string("no ") + owner->type_name + " with id " + query.scope.id);
      }
      where += " AND " + Resolve(it->second);
      params.emplace_back(query.scope.id);
    }
    if (query.rio_only) {
      where += " AND rio_relevant = 1";
    }
    for (const Filter& filter : query.filters) {
      AddFilter(spec, filter, &where, &params);
    }
    std::string order;
    std::vector<SortKey> keys = query.sort;
    if (keys.empty()) {
      keys.push_back(SortKey{spec.default_sort, false});
    }
    for (const SortKey& key : keys) {
      auto col = std::find_if(spec.sort_columns.begin(), spec.sort_columns.end(),
                              [&](const auto& s) { return s.first == key.field; });
      if (col == spec.sort_columns.end()) {
        throw InvalidArgument("cannot sort " + std::string(spec.table) + " by '" + key.field + "'");
      }
      order += col->second + Collate() + (key.descending ? " DESC, " : " ASC, ");
    }
    order += std::string(spec.id_column) + Collate() + " ASC";

    Page<T> page;
    auto count =
        Query(c, "SELECT COUNT(*) AS n FROM " + Table(spec.table) + " e WHERE " + where, params);
    page.total_items = db::Row(count, 0).Int("n").value_or(0);
    const int64_t offset = (query.page_number - 1) * query.page_size;
    if (offset >= page.total_items) {
      return page;
    }
    // Ids first (an index-only scan for the common orders), then the rows of just those ids.
    std::vector<db::Value> id_params = params;
    id_params.emplace_back(query.page_size);
    id_params.emplace_back(offset);
    auto id_rows =
        Query(c,
              std::string("SELECT ") + spec.id_column + " AS id FROM " + Table(spec.table) +
                  " e WHERE " + where + " ORDER BY " + order + " LIMIT ? OFFSET ?",
              id_params);
    if (id_rows.empty()) {
      return page;
    }
    Ids ids;
    for (size_t i = 0; i < id_rows.size(); ++i) {
      ids.push_back(*db::Row(id_rows, i).Text("id"));
    }
    auto rows = Query(c,
                      "SELECT * FROM " + Table(spec.table) + " WHERE " + spec.id_column + " IN " +
                          InList(ids.size()),
                      ToValues(ids));
    // Restore the page order.
    std::unordered_map<std::string, size_t> position;
    for (size_t i = 0; i < ids.size(); ++i) {
      position[ids[i]] = i;
    }
    std::vector<size_t> order_index(rows.size());
    int id_col = rows.ColumnIndex(spec.id_column);
    for (size_t i = 0; i < rows.size(); ++i) {
      order_index[position.at(std::get<std::string>(rows.rows()[i][static_cast<size_t>(id_col)]))] =
          i;
    }
    std::vector<std::vector<db::Value>> ordered;
    ordered.reserve(rows.size());
    for (size_t i : order_index) {
      ordered.push_back(rows.rows()[i]);
    }
    db::ResultSet sorted(rows.columns(), std::move(ordered));
    page.items = build(sorted);
    return page;
  }

  // Appends the SQL of one validated filter. kInvalidArgument for a filter this entity lacks.
  void AddFilter(const EntitySpec& spec, const Filter& filter, std::string* where,
                 std::vector<db::Value>* params) const {
    std::string fragment;
    db::Value value = filter.value;
    if (filter.field == "q") {
      const bool org = std::string_view(spec.table) == "organizations";
      fragment = TextSearch(spec.owner_type, spec.id_column, org ? "short_name" : "abbreviation");
      value = "%" + LikeEscape(ToLowerAscii(filter.value)) + "%";
    } else {
      const auto& filters = Filters(spec.table);
      auto it = std::find_if(filters.begin(), filters.end(),
                             [&](const FilterSpec& f) { return filter.field == f.param; });
      if (it == filters.end()) {
        throw InvalidArgument("cannot filter " + std::string(spec.table) + " by '" + filter.field +
                              "'");
      }
      fragment = it->fragment;
      if (it->kind == FilterKind::kBool) {
        value = int64_t{filter.value == "true" ? 1 : 0};
      } else if (it->kind == FilterKind::kJsonContains) {
        value = "%\"" + LikeEscape(filter.value) + "\"%";
      }
    }
    *where += " AND " + Resolve(fragment);
    for (char ch : fragment) {
      if (ch == '?') {
        params->push_back(value);
      }
    }
  }

  Ids IdsOf(const db::ResultSet& rows, const EntitySpec& spec) {
    Ids ids;
    for (size_t i = 0; i < rows.size(); ++i) {
      ids.push_back(*db::Row(rows, i).Text(spec.id_column));
    }
    return ids;
  }

  std::unordered_map<std::string, TextBag> LoadTexts(db::Connection& c, const EntitySpec& spec,
                                                     const Ids& ids) {
    std::vector<db::Value> params{db::Text(spec.owner_type)};
    for (const auto& id : ids) {
      params.emplace_back(id);
    }
    auto rows = Query(c,
                      "SELECT owner_id, field, language, value, ordinal FROM " + Table("texts") +
                          " WHERE "
                          "owner_type = ? AND period_valid_from IS NULL AND owner_id IN " +
                          InList(ids.size()) + " ORDER BY owner_id" + Collate() + ", field" +
                          Collate() + ", ordinal, language" + Collate(),
                      params);
    std::unordered_map<std::string, TextBag> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      out[*r.Text("owner_id")].fields[*r.Text("field")].emplace_back(
          r.Int("ordinal").value_or(0), LanguageString{*r.Text("language"), *r.Text("value")});
    }
    return out;
  }

  std::unordered_map<std::string, std::vector<Identifier>> LoadCodes(db::Connection& c,
                                                                     const EntitySpec& spec,
                                                                     const Ids& ids) {
    std::vector<db::Value> params{db::Text(spec.owner_type)};
    for (const auto& id : ids) {
      params.emplace_back(id);
    }
    auto rows = Query(c,
                      "SELECT owner_id, code_type, code FROM " + Table("other_codes") +
                          " WHERE owner_type = ? AND "
                          "owner_id IN " +
                          InList(ids.size()) + " ORDER BY owner_id" + Collate() +
                          ", ordinal, code_type" + Collate() + ", code" + Collate(),
                      params);
    std::unordered_map<std::string, std::vector<Identifier>> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      out[*r.Text("owner_id")].push_back(Identifier{*r.Text("code_type"), *r.Text("code")});
    }
    return out;
  }

  // (owner id -> related ids) from `SELECT <key>, <value> FROM <table> WHERE <key> IN ids`.
  std::unordered_map<std::string, Ids> LoadRelated(db::Connection& c, const std::string& table,
                                                   const std::string& key, const std::string& value,
                                                   const Ids& ids) {
    auto rows = Query(c,
                      "SELECT " + key + " AS k, " + value + " AS v FROM " + Table(table) +
                          " WHERE " + key + " IN " + InList(ids.size()) + " ORDER BY " + key +
                          Collate() + ", " + value + Collate(),
                      ToValues(ids));
    std::unordered_map<std::string, Ids> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      out[*r.Text("k")].push_back(*r.Text("v"));
    }
    return out;
  }

  template <typename Props, typename ReadFn>
  std::vector<TimelineOverride<Props>> LoadOverrides(db::Connection& c, const EntitySpec& spec,
                                                     const db::ResultSet& main,
                                                     const std::string& id, ReadFn&& read) {
    auto periods = Query(c,
                         "SELECT * FROM " + Table(spec.periods_table) + " WHERE " + spec.id_column +
                             " = ? ORDER BY valid_from",
                         {db::Text(id)});
    auto text_rows =
        Query(c,
              "SELECT period_valid_from, field, language, value, ordinal FROM " + Table("texts") +
                  " "
                  "WHERE owner_type = ? AND owner_id = ? AND period_valid_from IS NOT "
                  "NULL ORDER BY period_valid_from, field" +
                  Collate() + ", ordinal, language" + Collate(),
              {db::Text(spec.owner_type), db::Text(id)});
    std::map<std::string, TextBag> period_texts;
    for (size_t i = 0; i < text_rows.size(); ++i) {
      db::Row r(text_rows, i);
      period_texts[*r.Text("period_valid_from")].fields[*r.Text("field")].emplace_back(
          r.Int("ordinal").value_or(0), LanguageString{*r.Text("language"), *r.Text("value")});
    }
    TextBag main_texts = LoadTexts(c, spec, {id})[id];
    std::vector<TimelineOverride<Props>> out;
    for (size_t i = 0; i < periods.size(); ++i) {
      db::Row pr(periods, i);
      TimelineOverride<Props> o;
      o.valid_from = Req(pr, "valid_from", spec.periods_table, id);
      o.valid_to = pr.Text("valid_to");
      db::ResultSet merged = MergePeriod(main, 0, periods, i);
      TextBag texts = period_texts[o.valid_from].InheritFrom(main_texts);
      o.properties = read(db::Row(merged, 0), texts);
      out.push_back(std::move(o));
    }
    return out;
  }

  std::vector<Organization> BuildOrganizations(db::Connection& c, const db::ResultSet& rows) {
    Ids ids = IdsOf(rows, kOrganizations);
    auto texts = LoadTexts(c, kOrganizations, ids);
    auto codes = LoadCodes(c, kOrganizations, ids);
    auto children = LoadRelated(c, "organizations", "parent_id", "organization_id", ids);
    std::vector<Organization> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      const char* t = "organizations";
      Organization o;
      o.id = ids[i];
      o.organization_type = Req(r, "organization_type", t, o.id);
      o.primary_code = ReadPrimaryCode(r, t, o.id);
      o.name = texts[o.id].Strings("name");
      o.short_name = Req(r, "short_name", t, o.id);
      o.description = texts[o.id].Strings("description");
      o.link = Opt(r, "link");
      o.logo = Opt(r, "logo");
      o.parent_id = Opt(r, "parent_id");
      o.children = children[o.id];
      o.other_codes = codes[o.id];
      out.push_back(std::move(o));
    }
    return out;
  }

  std::vector<AcademicSession> BuildAcademicSessions(db::Connection& c, const db::ResultSet& rows) {
    Ids ids = IdsOf(rows, kAcademicSessions);
    auto texts = LoadTexts(c, kAcademicSessions, ids);
    auto codes = LoadCodes(c, kAcademicSessions, ids);
    auto children = LoadRelated(c, "academic_sessions", "parent_id", "academic_session_id", ids);
    std::vector<AcademicSession> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      const char* t = "academic_sessions";
      AcademicSession s;
      s.id = ids[i];
      s.academic_session_type = Opt(r, "academic_session_type");
      auto code_type = Opt(r, "primary_code_type");
      auto code = Opt(r, "primary_code");
      if (code_type && code) {
        s.primary_code = Identifier{*code_type, *code};
      }
      s.name = texts[s.id].Strings("name");
      s.start_date = Req(r, "start_date", t, s.id);
      s.end_date = Req(r, "end_date", t, s.id);
      s.parent_id = Opt(r, "parent_id");
      s.year_id = Opt(r, "year_id");
      s.children = children[s.id];
      s.other_codes = codes[s.id];
      out.push_back(std::move(s));
    }
    return out;
  }

  std::vector<EducationSpecification> BuildEducationSpecifications(db::Connection& c,
                                                                   const db::ResultSet& rows) {
    Ids ids = IdsOf(rows, kEducationSpecifications);
    auto texts = LoadTexts(c, kEducationSpecifications, ids);
    auto codes = LoadCodes(c, kEducationSpecifications, ids);
    auto children =
        LoadRelated(c, "education_specifications", "parent_id", "education_specification_id", ids);
    std::vector<EducationSpecification> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      EducationSpecification e;
      e.id = ids[i];
      e.properties = ReadEducationSpecificationProperties(r, texts[e.id], codes[e.id], e.id);
      e.parent_id = Opt(r, "parent_id");
      e.children = children[e.id];
      e.organization_id = Opt(r, "organization_id");
      e.valid_from = Opt(r, "valid_from");
      e.valid_to = Opt(r, "valid_to");
      e.rio_relevant = r.Bool("rio_relevant").value_or(false);
      out.push_back(std::move(e));
    }
    return out;
  }

  std::vector<Program> BuildPrograms(db::Connection& c, const db::ResultSet& rows) {
    Ids ids = IdsOf(rows, kPrograms);
    auto texts = LoadTexts(c, kPrograms, ids);
    auto codes = LoadCodes(c, kPrograms, ids);
    auto children = LoadRelated(c, "programs", "parent_id", "program_id", ids);
    std::vector<Program> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      Program p;
      p.id = ids[i];
      p.properties = ReadOfferedProperties(r, texts[p.id], codes[p.id], "programs", p.id, true);
      if (!p.properties.program_type) {
        throw DataError("programs.program_type is NULL for " + p.id);
      }
      p.education_specification_id = Opt(r, "education_specification_id");
      p.parent_id = Opt(r, "parent_id");
      p.children = children[p.id];
      p.organization_id = Opt(r, "organization_id");
      p.valid_from = Opt(r, "valid_from");
      p.valid_to = Opt(r, "valid_to");
      p.rio_relevant = r.Bool("rio_relevant").value_or(false);
      out.push_back(std::move(p));
    }
    return out;
  }

  std::vector<Course> BuildCourses(db::Connection& c, const db::ResultSet& rows) {
    Ids ids = IdsOf(rows, kCourses);
    auto texts = LoadTexts(c, kCourses, ids);
    auto codes = LoadCodes(c, kCourses, ids);
    auto programs = LoadRelated(c, "course_programs", "course_id", "program_id", ids);
    std::vector<Course> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      Course k;
      k.id = ids[i];
      k.properties = ReadOfferedProperties(r, texts[k.id], codes[k.id], "courses", k.id, false);
      k.education_specification_id = Opt(r, "education_specification_id");
      k.programs = programs[k.id];
      k.organization_id = Opt(r, "organization_id");
      k.valid_from = Opt(r, "valid_from");
      k.valid_to = Opt(r, "valid_to");
      k.rio_relevant = r.Bool("rio_relevant").value_or(false);
      out.push_back(std::move(k));
    }
    return out;
  }

  std::vector<Offering> BuildOfferings(db::Connection& c, const db::ResultSet& rows) {
    Ids ids = IdsOf(rows, kOfferings);
    auto texts = LoadTexts(c, kOfferings, ids);
    auto codes = LoadCodes(c, kOfferings, ids);
    auto cost_rows =
        Query(c,
              "SELECT offering_id, cost_type, amount, currency FROM " + Table("offering_costs") +
                  " "
                  "WHERE offering_id IN " +
                  InList(ids.size()) + " ORDER BY offering_id" + Collate() + ", ordinal",
              ToValues(ids));
    std::unordered_map<std::string, std::vector<Cost>> costs;
    for (size_t i = 0; i < cost_rows.size(); ++i) {
      db::Row r(cost_rows, i);
      costs[*r.Text("offering_id")].push_back(
          Cost{*r.Text("cost_type"), *r.Text("amount"), r.Text("currency")});
    }
    std::vector<Offering> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      db::Row r(rows, i);
      const char* t = "offerings";
      Offering o;
      o.id = ids[i];
      o.offering_type = Req(r, "offering_type", t, o.id);
      o.primary_code = ReadPrimaryCode(r, t, o.id);
      o.name = texts[o.id].Strings("name");
      o.abbreviation = Opt(r, "abbreviation");
      o.description = texts[o.id].Strings("description");
      o.teaching_language = Opt(r, "teaching_language");
      o.modes_of_delivery = JsonList(r, "modes_of_delivery", t, o.id);
      o.result_expected = r.Bool("result_expected").value_or(true);
      o.link = Opt(r, "link");
      o.max_number_students = r.Int("max_number_students");
      o.min_number_students = r.Int("min_number_students");
      o.academic_session_id = Opt(r, "academic_session_id");
      o.program_id = Opt(r, "program_id");
      o.course_id = Opt(r, "course_id");
      o.organization_id = Opt(r, "organization_id");
      o.start_date = Req(r, "start_date", t, o.id);
      o.end_date = Req(r, "end_date", t, o.id);
      o.enroll_start_date = Opt(r, "enroll_start_date");
      o.enroll_end_date = Opt(r, "enroll_end_date");
      o.flexible_entry_period_start = Opt(r, "flexible_entry_period_start");
      o.flexible_entry_period_end = Opt(r, "flexible_entry_period_end");
      o.costs = costs[o.id];
      o.other_codes = codes[o.id];
      o.rio.registration_status = Opt(r, "rio_registration_status");
      o.rio.required_permission_registration = Opt(r, "rio_required_permission_registration");
      o.rio.explanation_required_permission = Opt(r, "rio_explanation_required_permission");
      o.rio_relevant = r.Bool("rio_relevant").value_or(false);
      out.push_back(std::move(o));
    }
    return out;
  }

  // The configured name of a contract table or view.
  std::string Table(std::string_view table) const { return prefix_ + std::string(table); }
  // Scope fragments name tables as {table}.
  std::string Resolve(const std::string& fragment) const {
    std::string out = fragment;
    size_t open;
    while ((open = out.find('{')) != std::string::npos) {
      size_t close = out.find('}', open);
      out.replace(open, close - open + 1, Table(out.substr(open + 1, close - open - 1)));
    }
    return out;
  }

  std::unique_ptr<db::Pool> pool_;
  const std::string prefix_;
};

// Table name -> column names, read from the contract DDL (the single source of truth).
std::vector<std::pair<std::string, std::vector<std::string>>> ContractColumns() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  std::string_view sql = SisContractSql();
  bool in_table = false;
  for (std::string_view line : Split(sql, '\n')) {
    std::string_view t = TrimAscii(line);
    if (StartsWith(t, "CREATE TABLE ")) {
      std::string_view rest = t.substr(13);
      out.emplace_back(std::string(rest.substr(0, rest.find(' '))), std::vector<std::string>{});
      in_table = true;
    } else if (in_table && StartsWith(t, ");")) {
      in_table = false;
    } else if (in_table && !t.empty() && !StartsWith(t, "PRIMARY KEY") && !StartsWith(t, "--")) {
      out.back().second.emplace_back(t.substr(0, t.find(' ')));
    }
  }
  return out;
}

}  // namespace

Status ValidateContract(db::Connection& connection, std::string_view table_prefix) {
  for (const auto& [contract_table, columns] : ContractColumns()) {
    const std::string table = std::string(table_prefix) + contract_table;
    auto result = connection.Query("SELECT * FROM " + table + " WHERE 1 = 0", {});
    if (!result.ok()) {
      if (result.status().code() == StatusCode::kUnavailable) {
        return result.status();
      }
      return FailedPrecondition("SIS contract: table or view '" + table +
                                "' cannot be read: " + result.status().message());
    }
    std::set<std::string> have(result->columns().begin(), result->columns().end());
    for (const auto& column : columns) {
      if (!have.contains(column)) {
        return FailedPrecondition("SIS contract: table or view '" + table + "' lacks column '" +
                                  column + "' (see adapters/README.md)");
      }
    }
  }
  return Status::Ok();
}

StatusOr<SisAdapterPtr> CreateSqlAdapter(std::unique_ptr<db::Pool> pool,
                                         const std::string& table_prefix) {
  {
    auto lease = pool->Acquire();
    if (!lease.ok()) {
      return lease.status();
    }
    OOAPI_RETURN_IF_ERROR(ValidateContract(**lease, table_prefix));
  }
  return SisAdapterPtr(std::make_unique<SqlAdapter>(std::move(pool), table_prefix));
}

}  // namespace ooapi::adapters::sql
