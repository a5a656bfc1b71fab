// Tests for ooapi::demo::WriteDemo: sizes, determinism, refusal rules and the data rules SURF's
// RIO mapper applies. The detailed checks run on the small
// scale; the large scale is only sized, and only in optimized builds without sanitizers.

#include "ooapi/demo/demo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "ooapi/adapters/sql/sql_adapter.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/common/strings.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::demo {
namespace {

constexpr const char* kToday = "2025-10-15";

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("ooapi_demo_test_" + std::to_string(::getpid()) + "_" + name + ".db"))
      .string();
}

// A fresh, empty SQLite file that is deleted again when the test ends.
class TempDb {
 public:
  explicit TempDb(const std::string& name) : path_(TempPath(name)) {
    std::filesystem::remove(path_);
    adapters::sqlite::OpenOptions options;
    options.read_only = false;
    options.create = true;
    auto connection = adapters::sqlite::Open(path_, options);
    EXPECT_OK(connection);
    if (connection.ok()) {
      connection_ = std::move(connection).value();
    }
  }
  ~TempDb() {
    connection_.reset();
    std::filesystem::remove(path_);
  }
  db::Connection& operator*() { return *connection_; }
  db::Connection* operator->() { return connection_.get(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  db::ConnectionPtr connection_;
};

DemoOptions Options(uint64_t seed = 1, std::string today = kToday) {
  DemoOptions options;
  options.scale = "small";
  options.seed = seed;
  options.today = std::move(today);
  return options;
}

db::ResultSet Query(db::Connection& c, const std::string& sql) {
  auto result = c.Query(sql, {});
  EXPECT_OK(result) << sql << ": " << result.status().ToString();
  return result.ok() ? std::move(result).value() : db::ResultSet();
}

int64_t Count(db::Connection& c, const std::string& sql) {
  db::ResultSet set = Query(c, sql);
  if (set.empty()) {
    return -1;
  }
  return db::Row(set, 0).Int(set.columns()[0]).value_or(-1);
}

// Every value of the first column (NULLs skipped).
std::vector<std::string> Column(db::Connection& c, const std::string& sql) {
  db::ResultSet set = Query(c, sql);
  std::vector<std::string> out;
  for (size_t i = 0; i < set.size(); ++i) {
    auto text = db::Row(set, i).Text(set.columns()[0]);
    if (text) {
      out.push_back(*text);
    }
  }
  return out;
}

const std::vector<std::string> kTables{"organizations",
                                       "academic_sessions",
                                       "education_specifications",
                                       "education_specification_periods",
                                       "programs",
                                       "program_periods",
                                       "courses",
                                       "course_periods",
                                       "course_programs",
                                       "offerings",
                                       "offering_costs",
                                       "texts",
                                       "other_codes"};

// A canonical text dump of every table, rows ordered by all columns.
std::string Dump(db::Connection& c) {
  std::string out;
  for (const auto& table : kTables) {
    db::ResultSet head = Query(c, "SELECT * FROM " + table + " WHERE 1 = 0");
    std::string order;
    for (size_t i = 1; i <= head.columns().size(); ++i) {
      order += (i == 1 ? "" : ", ") + std::to_string(i);
    }
    db::ResultSet set = Query(c, "SELECT * FROM " + table + " ORDER BY " + order);
    out += "## " + table + "\n";
    for (const auto& row : set.rows()) {
      for (const auto& value : row) {
        if (std::holds_alternative<std::monostate>(value)) {
          out += "NULL";
        } else if (const auto* n = std::get_if<int64_t>(&value)) {
          out += 'i';  // appended piecewise: GCC 12 gives a false -Wrestrict on "i" + string
          out += std::to_string(*n);
        } else if (const auto* d = std::get_if<double>(&value)) {
          out += 'r';
          out += std::to_string(*d);
        } else {
          out += '\'';
          out += std::get<std::string>(value);
          out += '\'';
        }
        out += "|";
      }
      out += "\n";
    }
  }
  return out;
}

// The small demo, written once for the read-only checks.
class DemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new TempDb("shared");
    auto summary = WriteDemo(**db_, Options());
    ASSERT_OK(summary);
    summary_ = *summary;
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  db::Connection& c() { return **db_; }

  static TempDb* db_;
  static DemoSummary summary_;
};
TempDb* DemoTest::db_ = nullptr;
DemoSummary DemoTest::summary_;

// The owner types of the polymorphic texts and other codes: type -> (table, id column).
const std::map<std::string, std::pair<std::string, std::string>> kOwners{
    {"organization", {"organizations", "organization_id"}},
    {"academic_session", {"academic_sessions", "academic_session_id"}},
    {"education_specification", {"education_specifications", "education_specification_id"}},
    {"program", {"programs", "program_id"}},
    {"course", {"courses", "course_id"}},
    {"offering", {"offerings", "offering_id"}},
};

TEST_F(DemoTest, SmallCountsAreWithinTheStatedRanges) {
  EXPECT_EQ(summary_.organizations, Count(c(), "SELECT COUNT(*) FROM organizations"));
  EXPECT_EQ(summary_.academic_sessions, Count(c(), "SELECT COUNT(*) FROM academic_sessions"));
  EXPECT_EQ(summary_.education_specifications,
            Count(c(), "SELECT COUNT(*) FROM education_specifications"));
  EXPECT_EQ(summary_.programs, Count(c(), "SELECT COUNT(*) FROM programs"));
  EXPECT_EQ(summary_.courses, Count(c(), "SELECT COUNT(*) FROM courses"));
  EXPECT_EQ(summary_.offerings, Count(c(), "SELECT COUNT(*) FROM offerings"));
  EXPECT_EQ(summary_.text_rows, Count(c(), "SELECT COUNT(*) FROM texts"));

  EXPECT_GE(summary_.organizations, 5);
  EXPECT_EQ(Count(c(), "SELECT COUNT(*) FROM organizations WHERE organization_type = 'root'"), 1);
  EXPECT_GE(summary_.academic_sessions, 6);
  EXPECT_GE(summary_.education_specifications, 18);
  EXPECT_LE(summary_.education_specifications, 22);
  EXPECT_GE(summary_.programs, 54);
  EXPECT_LE(summary_.programs, 66);
  EXPECT_GE(summary_.courses, 360);
  EXPECT_LE(summary_.courses, 440);
  EXPECT_GE(summary_.offerings, 1800);
  EXPECT_LE(summary_.offerings, 2200);
  for (const char* type : {"program", "course", "privateProgram"}) {
    EXPECT_GT(Count(c(), std::string("SELECT COUNT(*) FROM education_specifications WHERE "
                                     "education_specification_type = '") +
                             type + "'"),
              0)
        << type;
  }
  EXPECT_GT(Count(c(),
                  "SELECT COUNT(*) FROM programs WHERE program_type = 'specialization' AND "
                  "parent_id IS NOT NULL"),
            0);
}

TEST_F(DemoTest, SameSeedGivesIdenticalDataAndOtherSeedDiffers) {
  TempDb again("again");
  ASSERT_OK(WriteDemo(*again, Options()));
  const std::string dump = Dump(c());
  EXPECT_EQ(dump, Dump(*again));

  TempDb other("other");
  ASSERT_OK(WriteDemo(*other, Options(2)));
  EXPECT_NE(dump, Dump(*other));
}

TEST_F(DemoTest, RefusesADatabaseThatHasContractTables) {
  const int64_t before = Count(c(), "SELECT COUNT(*) FROM programs");
  auto again = WriteDemo(c(), Options());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("database already contains table 'programs'"),
            std::string::npos)
      << again.status().message();
  EXPECT_EQ(before, Count(c(), "SELECT COUNT(*) FROM programs"));

  TempDb partial("partial");
  ASSERT_OK(partial->ExecuteScript("CREATE TABLE texts (x TEXT)"));
  auto refused = WriteDemo(*partial, Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("'texts'"), std::string::npos);
}

TEST(DemoOptionsTest, RejectsBadScaleAndToday) {
  TempDb db("options");
  DemoOptions bad_scale = Options();
  bad_scale.scale = "medium";
  auto a = WriteDemo(*db, bad_scale);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find("--scale"), std::string::npos);

  for (const char* today : {"2025-13-01", "yesterday", "2025-02-30", "25-10-15"}) {
    auto b = WriteDemo(*db, Options(1, today));
    ASSERT_FALSE(b.ok()) << today;
    EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument) << today;
    EXPECT_NE(b.status().message().find("--today"), std::string::npos) << today;
  }
  // Nothing was created.
  EXPECT_FALSE(db->Query("SELECT 1 FROM programs WHERE 1 = 0", {}).ok());
}

TEST_F(DemoTest, ContractValidates) {
  Status status = adapters::sql::ValidateContract(c());
  EXPECT_OK(status);
}

TEST_F(DemoTest, AllIdsAreLowercaseVersion4Uuids) {
  const std::vector<std::pair<std::string, std::string>> columns{
      {"organizations", "organization_id"},
      {"organizations", "parent_id"},
      {"academic_sessions", "academic_session_id"},
      {"academic_sessions", "parent_id"},
      {"academic_sessions", "year_id"},
      {"education_specifications", "education_specification_id"},
      {"education_specifications", "parent_id"},
      {"education_specifications", "organization_id"},
      {"programs", "program_id"},
      {"programs", "education_specification_id"},
      {"programs", "parent_id"},
      {"programs", "organization_id"},
      {"courses", "course_id"},
      {"courses", "education_specification_id"},
      {"courses", "organization_id"},
      {"offerings", "offering_id"},
      {"offerings", "program_id"},
      {"offerings", "course_id"},
      {"offerings", "academic_session_id"},
      {"offerings", "organization_id"},
      {"texts", "owner_id"},
      {"other_codes", "owner_id"},
      {"course_programs", "course_id"},
      {"course_programs", "program_id"},
  };
  std::set<std::string> primary;
  for (const auto& [table, column] : columns) {
    for (const auto& id : Column(c(), "SELECT " + column + " FROM " + table)) {
      ASSERT_TRUE(IsLowercaseUuid(id)) << table << "." << column << " = " << id;
      EXPECT_EQ(id[14], '4') << id;
      EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    }
  }
  // Primary keys are unique across all entity tables.
  int64_t total = 0;
  for (const auto& [table, column] : std::vector<std::pair<std::string, std::string>>{
           {"organizations", "organization_id"},
           {"academic_sessions", "academic_session_id"},
           {"education_specifications", "education_specification_id"},
           {"programs", "program_id"},
           {"courses", "course_id"},
           {"offerings", "offering_id"}}) {
    for (const auto& id : Column(c(), "SELECT " + column + " FROM " + table)) {
      primary.insert(id);
      ++total;
    }
  }
  EXPECT_EQ(static_cast<int64_t>(primary.size()), total);
}

TEST_F(DemoTest, AProgramAndACourseHaveMoreThan250Offerings) {
  EXPECT_GT(Count(c(),
                  "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM offerings WHERE "
                  "program_id IS NOT NULL GROUP BY program_id)"),
            250);
  EXPECT_GT(Count(c(),
                  "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM offerings WHERE "
                  "course_id IS NOT NULL GROUP BY course_id)"),
            250);
}

TEST_F(DemoTest, OfferingsArePastCurrentAndFuture) {
  const std::string today = kToday;
  for (const char* type : {"program", "course"}) {
    const std::string where = std::string(" FROM offerings WHERE offering_type = '") + type + "'";
    EXPECT_GT(Count(c(), "SELECT COUNT(*)" + where + " AND end_date < '" + today + "'"), 0);
    EXPECT_GT(Count(c(), "SELECT COUNT(*)" + where + " AND start_date <= '" + today +
                             "' AND end_date >= '" + today + "'"),
              0);
    EXPECT_GT(Count(c(), "SELECT COUNT(*)" + where + " AND start_date > '" + today + "'"), 0);
  }
  // Registration is open exactly for future offerings.
  EXPECT_EQ(Count(c(), "SELECT COUNT(*) FROM offerings WHERE (start_date > '" + today +
                           "') <> (rio_registration_status = 'open')"),
            0);
  EXPECT_EQ(Count(c(),
                  "SELECT COUNT(*) FROM offerings WHERE rio_registration_status NOT IN "
                  "('open', 'closed') OR rio_required_permission_registration NOT IN "
                  "('yes', 'no') OR result_expected <> 1"),
            0);
}

TEST_F(DemoTest, OfferingDatesAndCodesAreConsistent) {
  db::ResultSet set =
      Query(c(),
            "SELECT o.offering_id, o.primary_code, o.primary_code_type, o.start_date, o.end_date, "
            "o.enroll_start_date, o.enroll_end_date, o.modes_of_delivery, o.offering_type, "
            "o.program_id, o.course_id, COALESCE(p.valid_from, k.valid_from) AS owner_valid_from "
            "FROM offerings o LEFT JOIN programs p ON p.program_id = o.program_id "
            "LEFT JOIN courses k ON k.course_id = o.course_id");
  std::set<std::string> codes;
  const std::regex modes(
      R"re(^\[("(distance-learning|on campus|online|hybrid|situated)")(,"(distance-learning|on campus|online|hybrid|situated)")*\]$)re");
  for (size_t i = 0; i < set.size(); ++i) {
    db::Row r(set, i);
    const std::string id = *r.Text("offering_id");
    const std::string code = r.Text("primary_code").value_or("");
    EXPECT_EQ(r.Text("primary_code_type").value_or(""), "offeringCode");
    EXPECT_FALSE(code.empty());
    EXPECT_LE(code.size(), 60u) << code;
    EXPECT_TRUE(codes.insert(code).second) << "duplicate " << code;
    const std::string start = r.Text("start_date").value_or("");
    const std::string end = r.Text("end_date").value_or("");
    const std::string enroll_start = r.Text("enroll_start_date").value_or("");
    const std::string enroll_end = r.Text("enroll_end_date").value_or("");
    ASSERT_TRUE(IsIsoDate(start) && IsIsoDate(end) && IsIsoDate(enroll_start) &&
                IsIsoDate(enroll_end))
        << id;
    EXPECT_LT(start, end) << id;
    EXPECT_LT(enroll_start, start) << id;
    EXPECT_LE(enroll_start, enroll_end) << id;
    EXPECT_LE(enroll_end, start) << id;
    EXPECT_LE(r.Text("owner_valid_from").value_or("9999"), start) << id;
    EXPECT_TRUE(std::regex_match(r.Text("modes_of_delivery").value_or(""), modes)) << id;
    const bool program = r.Text("offering_type") == "program";
    EXPECT_EQ(program, !r.IsNull("program_id")) << id;
    EXPECT_EQ(program, r.IsNull("course_id")) << id;
  }
  // Every program offering has exactly one 'total costs' price in EUR.
  EXPECT_EQ(Count(c(),
                  "SELECT COUNT(*) FROM offerings o WHERE offering_type = 'program' AND "
                  "(SELECT COUNT(*) FROM offering_costs k WHERE k.offering_id = "
                  "o.offering_id) <> 1"),
            0);
  const std::regex amount(R"(^\d+\.\d\d$)");
  db::ResultSet costs = Query(c(), "SELECT cost_type, amount, currency FROM offering_costs");
  ASSERT_GT(costs.size(), 0u);
  for (size_t i = 0; i < costs.size(); ++i) {
    db::Row r(costs, i);
    EXPECT_EQ(r.Text("cost_type").value_or(""), "total costs");
    EXPECT_EQ(r.Text("currency").value_or(""), "EUR");
    EXPECT_TRUE(std::regex_match(r.Text("amount").value_or(""), amount));
  }
}

TEST_F(DemoTest, VariantsHaveAProgramTypeParent) {
  db::ResultSet set =
      Query(c(),
            "SELECT v.education_specification_type AS type, p.education_specification_type "
            "AS parent_type, p.rio_sub_type AS parent_sub_type, v.valid_from AS from_v, "
            "p.valid_from AS from_p FROM education_specifications v LEFT JOIN "
            "education_specifications p ON p.education_specification_id = v.parent_id "
            "WHERE v.rio_sub_type = 'variant'");
  ASSERT_GT(set.size(), 0u);
  for (size_t i = 0; i < set.size(); ++i) {
    db::Row r(set, i);
    EXPECT_EQ(r.Text("type").value_or(""), "program");
    EXPECT_EQ(r.Text("parent_type").value_or(""), "program");
    EXPECT_TRUE(r.IsNull("parent_sub_type"));
    EXPECT_LT(r.Text("from_p").value_or(""), r.Text("from_v").value_or(""));
  }
  EXPECT_EQ(Count(c(),
                  "SELECT COUNT(*) FROM education_specifications WHERE rio_sub_type IS NOT "
                  "NULL AND (rio_sub_type <> 'variant' OR education_specification_type <> "
                  "'program')"),
            0);
}

TEST_F(DemoTest, EveryReferenceResolves) {
  struct Ref {
    std::string table, column, target, key, condition;
  };
  const std::vector<Ref> refs{
      {"organizations", "parent_id", "organizations", "organization_id", ""},
      {"academic_sessions", "parent_id", "academic_sessions", "academic_session_id", ""},
      {"academic_sessions", "year_id", "academic_sessions", "academic_session_id",
       " AND t.academic_session_type = 'academic year'"},
      {"education_specifications", "parent_id", "education_specifications",
       "education_specification_id", ""},
      {"education_specifications", "organization_id", "organizations", "organization_id", ""},
      {"education_specification_periods", "education_specification_id", "education_specifications",
       "education_specification_id", ""},
      {"programs", "education_specification_id", "education_specifications",
       "education_specification_id",
       " AND t.education_specification_type IN ('program', 'privateProgram')"},
      {"programs", "parent_id", "programs", "program_id", ""},
      {"programs", "organization_id", "organizations", "organization_id", ""},
      {"program_periods", "program_id", "programs", "program_id", ""},
      {"courses", "education_specification_id", "education_specifications",
       "education_specification_id", " AND t.education_specification_type = 'course'"},
      {"courses", "organization_id", "organizations", "organization_id", ""},
      {"course_periods", "course_id", "courses", "course_id", ""},
      {"course_programs", "course_id", "courses", "course_id", ""},
      {"course_programs", "program_id", "programs", "program_id", ""},
      {"offerings", "program_id", "programs", "program_id", ""},
      {"offerings", "course_id", "courses", "course_id", ""},
      {"offerings", "academic_session_id", "academic_sessions", "academic_session_id", ""},
      {"offerings", "organization_id", "organizations", "organization_id", ""},
      {"offering_costs", "offering_id", "offerings", "offering_id", ""},
  };
  for (const auto& ref : refs) {
    EXPECT_EQ(Count(c(), "SELECT COUNT(*) FROM " + ref.table + " s WHERE s." + ref.column +
                             " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + ref.target +
                             " t WHERE t." + ref.key + " = s." + ref.column + ref.condition + ")"),
              0)
        << ref.table << "." << ref.column;
  }
  // Required references are set.
  EXPECT_EQ(Count(c(), "SELECT COUNT(*) FROM programs WHERE education_specification_id IS NULL"),
            0);
  EXPECT_EQ(Count(c(), "SELECT COUNT(*) FROM courses WHERE education_specification_id IS NULL"), 0);
  EXPECT_EQ(Count(c(),
                  "SELECT COUNT(*) FROM courses k WHERE NOT EXISTS (SELECT 1 FROM "
                  "course_programs cp WHERE cp.course_id = k.course_id)"),
            0);
  EXPECT_EQ(Count(c(),
                  "SELECT COUNT(*) FROM academic_sessions WHERE academic_session_type = "
                  "'semester' AND (parent_id IS NULL OR year_id IS NULL)"),
            0);
  // Polymorphic owners of texts and other codes.
  for (const char* table : {"texts", "other_codes"}) {
    std::string known;
    for (const auto& [type, target] : kOwners) {
      known += (known.empty() ? "'" : ", '") + type + "'";
      EXPECT_EQ(
          Count(c(), std::string("SELECT COUNT(*) FROM ") + table + " s WHERE s.owner_type = '" +
                         type + "' AND NOT EXISTS (SELECT 1 FROM " + target.first + " t WHERE t." +
                         target.second + " = s.owner_id)"),
          0)
          << table << " " << type;
    }
    EXPECT_EQ(Count(c(), std::string("SELECT COUNT(*) FROM ") + table +
                             " WHERE owner_type NOT IN (" + known + ")"),
              0);
  }
  // Period texts belong to an existing period of their owner.
  EXPECT_EQ(Count(c(),
                  "SELECT COUNT(*) FROM texts t WHERE period_valid_from IS NOT NULL AND NOT "
                  "EXISTS (SELECT 1 FROM education_specification_periods p WHERE "
                  "t.owner_type = 'education_specification' AND "
                  "p.education_specification_id = t.owner_id AND p.valid_from = "
                  "t.period_valid_from) AND NOT EXISTS (SELECT 1 FROM program_periods p "
                  "WHERE t.owner_type = 'program' AND p.program_id = t.owner_id AND "
                  "p.valid_from = t.period_valid_from) AND NOT EXISTS (SELECT 1 FROM "
                  "course_periods p WHERE t.owner_type = 'course' AND p.course_id = "
                  "t.owner_id AND p.valid_from = t.period_valid_from)"),
            0);
}

TEST_F(DemoTest, TextsArePlainAndEveryEntityIsNamedInDutchAndEnglish) {
  const std::regex html(R"((<(\S|$))|(&\S+;))");
  db::ResultSet set = Query(c(), "SELECT field, language, value FROM texts");
  ASSERT_GT(set.size(), 0u);
  for (size_t i = 0; i < set.size(); ++i) {
    db::Row r(set, i);
    const std::string value = r.Text("value").value_or("");
    const std::string field = r.Text("field").value_or("");
    EXPECT_FALSE(value.empty());
    EXPECT_FALSE(std::regex_search(value, html)) << value;
    EXPECT_TRUE(IsValidUtf8(value)) << value;
    EXPECT_EQ(value.find('\n'), std::string::npos) << value;
    EXPECT_EQ(value.find("  "), std::string::npos) << value;
    EXPECT_EQ(value, std::string(TrimAscii(value))) << value;
    EXPECT_LE(value.size(), field == "name" ? 200u : 3000u) << value;
    const std::string language = r.Text("language").value_or("");
    EXPECT_TRUE(language == "nl-NL" || language == "en-GB") << language;
  }
  for (const auto& [type, target] : kOwners) {
    for (const char* field : {"name", "description"}) {
      for (const char* language : {"nl-NL", "en-GB"}) {
        EXPECT_EQ(Count(c(), "SELECT COUNT(*) FROM " + target.first +
                                 " e WHERE NOT EXISTS "
                                 "(SELECT 1 FROM texts t WHERE t.owner_type = '" +
                                 type + "' AND t.owner_id = e." + target.second +
                                 " AND t.period_valid_from IS NULL AND t.field = '" + field +
                                 "' AND t.language = '" + language + "')"),
                  0)
            << type << " " << field << " " << language;
      }
    }
  }
  // UTF-8 names with diacritics are exercised.
  EXPECT_GT(Count(c(), "SELECT COUNT(*) FROM texts WHERE value LIKE '%Coördinatie%'"), 0);
  EXPECT_GT(Count(c(), "SELECT COUNT(*) FROM texts WHERE value LIKE '%Café-management%'"), 0);
  // Abbreviations fit RIO's naamKort.
  for (const char* table : {"education_specifications", "programs", "courses", "offerings"}) {
    EXPECT_EQ(Count(c(), std::string("SELECT COUNT(*) FROM ") + table +
                             " WHERE abbreviation IS NULL OR LENGTH(abbreviation) > 40"),
              0)
        << table;
  }
}

TEST_F(DemoTest, StudyLoadsAreIntegral) {
  for (const char* table :
       {"education_specifications", "programs", "courses", "education_specification_periods",
        "program_periods", "course_periods"}) {
    db::ResultSet set = Query(c(), std::string("SELECT study_load_value FROM ") + table +
                                       " WHERE study_load_value IS NOT NULL");
    for (size_t i = 0; i < set.size(); ++i) {
      const double value = db::Row(set, i).Real("study_load_value").value_or(-1);
      EXPECT_GT(value, 0) << table;
      EXPECT_EQ(value, std::floor(value)) << table;
      EXPECT_LT(value, 100000) << table;
    }
  }
  EXPECT_EQ(Count(c(),
                  "SELECT COUNT(*) FROM programs WHERE study_load_value IS NULL OR "
                  "study_load_unit <> 'ects'"),
            0);
  EXPECT_EQ(Count(c(),
                  "SELECT COUNT(*) FROM courses WHERE study_load_value IS NULL OR "
                  "study_load_unit <> 'ects'"),
            0);
}

TEST_F(DemoTest, EducationSpecificationsFollowTheRioRules) {
  db::ResultSet set = Query(c(), "SELECT * FROM education_specifications");
  const std::regex croho(R"(^\d{5}$)");
  const std::regex field(R"(^\d{4}$)");
  for (size_t i = 0; i < set.size(); ++i) {
    db::Row r(set, i);
    const std::string type = r.Text("education_specification_type").value_or("");
    ASSERT_TRUE(type == "program" || type == "course" || type == "privateProgram") << type;
    EXPECT_TRUE(IsIsoDate(r.Text("valid_from").value_or(""))) << type;
    EXPECT_TRUE(r.IsNull("valid_to"));
    if (type != "privateProgram") {
      const std::string level = r.Text("level").value_or("");
      EXPECT_TRUE(level == "bachelor" || level == "master" || level == "associate degree") << level;
      EXPECT_EQ(r.Text("sector").value_or(""), "higher professional education");
      EXPECT_TRUE(std::regex_match(r.Text("fields_of_study").value_or(""), field));
    } else {
      EXPECT_FALSE(r.IsNull("rio_categories"));
    }
    if (type == "program") {
      EXPECT_EQ(r.Text("primary_code_type").value_or(""), "crohoCreboCode");
      EXPECT_TRUE(std::regex_match(r.Text("primary_code").value_or(""), croho));
      EXPECT_EQ(r.Text("formal_document").value_or(""), "diploma");
    }
  }
}

TEST_F(DemoTest, ProgramsAndCoursesCarryValidRioFields) {
  const std::regex offerer(R"(^\d{3}A\d{3}$)");
  const std::regex location(R"(^\d{3}X\d{3}$)");
  const std::regex duration(R"(^P\d+[YMWD]$)");
  const std::regex language(R"(^[a-z]{3}$)");
  db::ResultSet programs =
      Query(c(),
            "SELECT p.*, e.education_specification_type AS espec_type, e.level AS espec_level "
            "FROM programs p JOIN education_specifications e ON "
            "e.education_specification_id = p.education_specification_id");
  ASSERT_GT(programs.size(), 0u);
  for (size_t i = 0; i < programs.size(); ++i) {
    db::Row r(programs, i);
    const std::string id = *r.Text("program_id");
    EXPECT_TRUE(std::regex_match(r.Text("rio_education_offerer_code").value_or(""), offerer));
    EXPECT_TRUE(std::regex_match(r.Text("rio_education_location_code").value_or(""), location));
    EXPECT_TRUE(std::regex_match(r.Text("duration").value_or(""), duration)) << id;
    EXPECT_TRUE(std::regex_match(r.Text("teaching_language").value_or(""), language)) << id;
    EXPECT_EQ(r.Text("rio_consent_participation_stap").value_or(""), "permission_not_granted");
    const std::string mode = r.Text("mode_of_study").value_or("");
    EXPECT_TRUE(mode == "full-time" || mode == "part-time" || mode == "dual training") << mode;
    EXPECT_TRUE(IsIsoDate(r.Text("valid_from").value_or(""))) << id;
    if (r.Text("espec_type") == "program") {
      const std::string phase = r.Text("rio_propaedeutic_phase").value_or("");
      EXPECT_TRUE(phase == "no_propaedeutic_phase" || phase == "propaedeutic_phase_exam" ||
                  phase == "propaedeutic_phase_no_exam")
          << id;
      const std::string check = r.Text("rio_study_choice_check").value_or("");
      EXPECT_TRUE(check == "no_study_choice_check" || check == "study_choice_check_available" ||
                  check == "study_choice_check_mandatory")
          << id;
      const std::string deficiency = r.Text("rio_deficiency").value_or("");
      EXPECT_TRUE(deficiency == "deficiencies" || deficiency == "no_deficiencies") << id;
      const std::string requirements = r.Text("rio_requirements_activities").value_or("");
      EXPECT_TRUE(requirements == "requirements" || requirements == "no_requirements") << id;
      const std::string route = r.Text("rio_accelerated_route").value_or("");
      EXPECT_TRUE(route == "accelerated_route" || route == "no_accelerated_route") << id;
      EXPECT_EQ(r.Text("level"), r.Text("espec_level")) << id;
      EXPECT_EQ(r.Text("sector").value_or(""), "higher professional education");
    }
  }
  EXPECT_GT(Count(c(), "SELECT COUNT(*) FROM programs WHERE rio_relevant = 1"),
            Count(c(), "SELECT COUNT(*) FROM programs") * 9 / 10);

  db::ResultSet courses = Query(c(), "SELECT * FROM courses");
  for (size_t i = 0; i < courses.size(); ++i) {
    db::Row r(courses, i);
    EXPECT_TRUE(std::regex_match(r.Text("rio_education_offerer_code").value_or(""), offerer));
    EXPECT_TRUE(std::regex_match(r.Text("rio_education_location_code").value_or(""), location));
    EXPECT_TRUE(std::regex_match(r.Text("duration").value_or(""), duration));
    EXPECT_TRUE(std::regex_match(r.Text("teaching_language").value_or(""), language));
    EXPECT_FALSE(r.IsNull("level"));
    EXPECT_FALSE(r.IsNull("valid_from"));
  }
  // Custom code types match x-[\w.]+.
  const std::regex custom(R"(^x-[\w.]+$)");
  for (const auto& type : Column(c(), "SELECT DISTINCT code_type FROM other_codes")) {
    EXPECT_TRUE(std::regex_match(type, custom)) << type;
  }
}

TEST_F(DemoTest, TimelineOverridesAreEarlierDistinctAndNamed) {
  struct Periods {
    std::string periods, main, key, owner_type;
  };
  for (const Periods& p :
       std::vector<Periods>{{"education_specification_periods", "education_specifications",
                             "education_specification_id", "education_specification"},
                            {"program_periods", "programs", "program_id", "program"},
                            {"course_periods", "courses", "course_id", "course"}}) {
    EXPECT_GT(Count(c(), "SELECT COUNT(*) FROM " + p.periods), 0) << p.periods;
    EXPECT_EQ(Count(c(), "SELECT COUNT(*) FROM " + p.periods + " x JOIN " + p.main + " m ON m." +
                             p.key + " = x." + p.key +
                             " WHERE x.valid_from >= m.valid_from OR x.valid_to IS NOT NULL"),
              0)
        << p.periods;
    for (const char* language : {"nl-NL", "en-GB"}) {
      EXPECT_EQ(Count(c(), "SELECT COUNT(*) FROM " + p.periods +
                               " x WHERE NOT EXISTS (SELECT 1 FROM texts t WHERE t.owner_type "
                               "= '" +
                               p.owner_type + "' AND t.owner_id = x." + p.key +
                               " AND t.period_valid_from = x.valid_from AND t.field = 'name' "
                               "AND t.language = '" +
                               language + "')"),
                0)
          << p.periods << " " << language;
    }
  }
  EXPECT_GT(Count(c(),
                  "SELECT COUNT(*) FROM texts WHERE owner_type = 'education_specification' "
                  "AND period_valid_from IS NOT NULL AND value = 'HBO-ICT'"),
            0);
}

// The generic SQL adapter reads every entity, with its timeline overrides, without error.
TEST_F(DemoTest, TheSqlAdapterReadsEverything) {
  const std::string path = db_->path();
  auto pool = std::make_unique<db::Pool>(
      [path]() {
        adapters::sqlite::OpenOptions options;
        return adapters::sqlite::Open(path, options);
      },
      2, std::chrono::milliseconds(2000));
  auto adapter = adapters::sql::CreateSqlAdapter(std::move(pool));
  ASSERT_OK(adapter);
  adapters::GetOptions with_overrides;
  with_overrides.timeline_overrides = true;
  for (const auto& id :
       Column(c(), "SELECT education_specification_id FROM education_specifications")) {
    auto e = (*adapter)->GetEducationSpecification(id, with_overrides);
    ASSERT_OK(e) << id << ": " << e.status().ToString();
    EXPECT_GE(e->properties.name.size(), 2u);
  }
  for (const auto& id : Column(c(), "SELECT program_id FROM programs")) {
    auto p = (*adapter)->GetProgram(id, with_overrides);
    ASSERT_OK(p) << id << ": " << p.status().ToString();
  }
  for (const auto& id : Column(c(), "SELECT course_id FROM courses")) {
    auto k = (*adapter)->GetCourse(id, with_overrides);
    ASSERT_OK(k) << id << ": " << k.status().ToString();
  }
  const auto big = Column(c(),
                          "SELECT program_id FROM offerings WHERE program_id IS NOT NULL "
                          "GROUP BY program_id HAVING COUNT(*) > 250");
  ASSERT_FALSE(big.empty());
  adapters::ListQuery query;
  query.scope = {adapters::ScopeKind::kProgram, big[0]};
  query.page_size = 250;
  query.page_number = 2;
  auto page = (*adapter)->ListOfferings(query);
  ASSERT_OK(page);
  EXPECT_GT(page->total_items, 250);
  EXPECT_FALSE(page->items.empty());
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(NDEBUG)
constexpr bool kOptimizedBuild = false;
#else
constexpr bool kOptimizedBuild = true;
#endif

// The large scale takes ~8 s and ~480 MB of temp disk in a Release build; far longer under
// sanitizers, so it runs only in optimized builds without them.
TEST(DemoLargeTest, LargeScaleHasTheStatedSizes) {
  if (!kOptimizedBuild) {
    GTEST_SKIP() << "large scale is checked only in optimized builds without sanitizers";
  }
  TempDb db("large");
  DemoOptions options = Options();
  options.scale = "large";
  const auto started = std::chrono::steady_clock::now();
  auto summary = WriteDemo(*db, options);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_OK(summary);
  EXPECT_LT(elapsed, std::chrono::seconds(60));
  EXPECT_GE(summary->education_specifications, 540);
  EXPECT_LE(summary->education_specifications, 660);
  EXPECT_GE(summary->programs, 1350);
  EXPECT_LE(summary->programs, 1650);
  EXPECT_GE(summary->courses, 27000);
  EXPECT_LE(summary->courses, 33000);
  EXPECT_GE(summary->offerings, 225000);
  EXPECT_LE(summary->offerings, 275000);
  EXPECT_GT(Count(*db,
                  "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM offerings WHERE "
                  "program_id IS NOT NULL GROUP BY program_id)"),
            250);
  EXPECT_GT(Count(*db,
                  "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM offerings WHERE "
                  "course_id IS NOT NULL GROUP BY course_id)"),
            250);
  Status status = adapters::sql::ValidateContract(*db);
  EXPECT_OK(status);
}

}  // namespace
}  // namespace ooapi::demo
