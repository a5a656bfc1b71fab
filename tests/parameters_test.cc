// Every OOAPI query parameter of the served paths: its effect on the results (checked against an
// oracle computed from the unfiltered collection) and a 400 naming it for a bad value. Runs on the
// small demo on every backend, so the filters are shown to work in SQL on sqlite and postgres.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "ooapi/adapters/builtin.h"
#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/demo/demo.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::testing {
namespace {

using Item = rapidjson::Value;

// Writes the small demo into the backend's database instead of the fixture.
template <typename Backend>
Status WriteDemoInto(Backend& backend);

template <>
Status WriteDemoInto(SqliteBackend& b) {
  std::filesystem::remove(b.file.path());
  adapters::sqlite::OpenOptions open;
  open.create = true;
  OOAPI_ASSIGN_OR_RETURN(auto c, adapters::sqlite::Open(b.file.path(), open));
  demo::DemoOptions options;
  options.seed = 3;
  options.today = "2026-11-01";
  return demo::WriteDemo(*c, options).status();
}

template <>
Status WriteDemoInto(PostgresBackend& b) {
  OOAPI_ASSIGN_OR_RETURN(auto c, b.OpenWritable());
  OOAPI_RETURN_IF_ERROR(
      c->ExecuteScript("DROP SCHEMA " + b.schema + " CASCADE; CREATE SCHEMA " + b.schema));
  demo::DemoOptions options;
  options.seed = 3;
  options.today = "2026-11-01";
  OOAPI_RETURN_IF_ERROR(demo::WriteDemo(*c, options).status());
  return c->ExecuteScript("ANALYZE");
}

template <typename Backend>
class ParametersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OOAPI_SKIP_OR_ASSERT_READY(backend_);
    Status written = WriteDemoInto(backend_);
    ASSERT_OK(written);
    adapters::AdapterRegistry registry;
    adapters::RegisterBuiltinAdapters(registry);
    auto a = registry.Create(backend_.MakeConfig());
    ASSERT_OK(a);
    adapter_ = std::move(a).value();
    api_ = std::make_unique<endpoint::Api>(adapter_.get(), endpoint::ApiOptions{});
  }

  endpoint::HttpResponse Get(const std::string& target) {
    endpoint::HttpRequest r;
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      r.query = endpoint::SplitQueryString(target.substr(q + 1));
    }
    return api_->Handle(r);
  }

  // All items of a collection (every page of 250), as one JSON array owned by `doc`.
  void All(const std::string& target, rapidjson::Document* doc) {
    doc->SetArray();
    for (int page = 1;; ++page) {
      auto r = Get(target + (target.find('?') == std::string::npos ? "?" : "&") +
                   "pageSize=250&pageNumber=" + std::to_string(page));
      ASSERT_EQ(r.status, 200) << target << ": " << r.body;
      rapidjson::Document d;
      d.Parse(r.body.c_str());
      for (auto& item : d["items"].GetArray()) {
        rapidjson::Value copy(item, doc->GetAllocator());
        doc->PushBack(copy, doc->GetAllocator());
      }
      if (!d["hasNextPage"].GetBool()) {
        break;
      }
    }
  }

  // The ids (first *Id attribute) of the items of `target` matching `predicate`.
  std::vector<std::string> Ids(const rapidjson::Document& items,
                               const std::function<bool(const Item&)>& predicate,
                               const std::string& id_key) {
    std::vector<std::string> out;
    for (const auto& item : items.GetArray()) {
      if (predicate(item)) {
        out.emplace_back(item[id_key.c_str()].GetString());
      }
    }
    return out;
  }

  // Asserts that `collection?param=value` returns exactly the unfiltered items that satisfy
  // `predicate`, in the same order. `strict`: the demo must have items with and without the value
  // (the filter is shown to select); otherwise all or none may match.
  void ExpectFilter(const std::string& collection, const std::string& param,
                    const std::string& value, const std::string& id_key,
                    const std::function<bool(const Item&)>& predicate, bool strict = true) {
    rapidjson::Document all;
    All(collection, &all);
    rapidjson::Document filtered;
    All(collection + (collection.find('?') == std::string::npos ? "?" : "&") + param + "=" +
            Encode(value),
        &filtered);
    std::vector<std::string> expected = Ids(all, predicate, id_key);
    std::vector<std::string> actual = Ids(
        filtered, [](const Item&) { return true; }, id_key);
    EXPECT_EQ(actual, expected) << collection << " " << param << "=" << value;
    if (strict) {
      EXPECT_FALSE(expected.empty()) << "the demo has items with " << param << "=" << value;
      EXPECT_LT(expected.size(), all.Size()) << param << "=" << value << " filters something out";
    }
  }

  void ExpectRefused(const std::string& target, const std::string& param) {
    auto r = Get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_NE(r.body.find(param), std::string::npos) << r.body;
  }

  static std::string Encode(const std::string& v) {
    std::string out;
    for (char c : v) {
      out += c == ' ' ? std::string("%20") : c == '+' ? std::string("%2B") : std::string(1, c);
    }
    return out;
  }

  // The id of the first item of a collection.
  std::string First(const std::string& collection, const std::string& id_key) {
    rapidjson::Document all;
    All(collection, &all);
    return all.Empty() ? "" : all[0][id_key.c_str()].GetString();
  }

  Backend backend_;
  adapters::SisAdapterPtr adapter_;
  std::unique_ptr<endpoint::Api> api_;
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
TYPED_TEST_SUITE(ParametersTest, Backends);

std::function<bool(const Item&)> Equals(const char* field, const std::string& value) {
  return [field, value](const Item& i) {
    return i.HasMember(field) && i[field].IsString() && value == i[field].GetString();
  };
}

std::function<bool(const Item&)> ListHas(const char* field, const std::string& value) {
  return [field, value](const Item& i) {
    if (!i.HasMember(field)) {
      return false;
    }
    for (const auto& v : i[field].GetArray()) {
      if (value == v.GetString()) {
        return true;
      }
    }
    return false;
  };
}

std::function<bool(const Item&)> CodeIs(const std::string& value) {
  return [value](const Item& i) { return value == i["primaryCode"]["code"].GetString(); };
}

// name, abbreviation or description contains `term`, ASCII case-insensitively.
std::function<bool(const Item&)> Mentions(const std::string& term) {
  return [term](const Item& i) {
    std::string t = ToLowerAscii(term);
    auto has = [&](const std::string& s) { return ToLowerAscii(s).find(t) != std::string::npos; };
    for (const char* key : {"abbreviation", "shortName"}) {
      if (i.HasMember(key) && has(i[key].GetString())) {
        return true;
      }
    }
    for (const char* key : {"name", "description"}) {
      if (i.HasMember(key)) {
        for (const auto& s : i[key].GetArray()) {
          if (has(s["value"].GetString())) {
            return true;
          }
        }
      }
    }
    return false;
  };
}

TYPED_TEST(ParametersTest, ProgramFilters) {
  const std::string c = "/programs";
  this->ExpectFilter(c, "q", "VERPLEEG", "programId", Mentions("verpleeg"));
  // The demo's programs are all taught in Dutch: nld keeps all, eng none.
  this->ExpectFilter(c, "teachingLanguage", "nld", "programId", Equals("teachingLanguage", "nld"),
                     false);
  this->ExpectFilter(c, "teachingLanguage", "eng", "programId", Equals("teachingLanguage", "eng"),
                     false);
  this->ExpectFilter(c, "programType", "specialization", "programId",
                     Equals("programType", "specialization"));
  this->ExpectFilter(c, "qualificationAwarded", "BSc", "programId",
                     Equals("qualificationAwarded", "BSc"));
  this->ExpectFilter(c, "levelOfQualification", "6", "programId",
                     Equals("levelOfQualification", "6"));
  this->ExpectFilter(c, "sector", "higher professional education", "programId",
                     Equals("sector", "higher professional education"));
  this->ExpectFilter(c, "fieldsOfStudy", "0613", "programId", Equals("fieldsOfStudy", "0613"));
  const std::string code = [&] {
    rapidjson::Document all;
    this->All(c, &all);
    return std::string(all[3]["primaryCode"]["code"].GetString());
  }();
  this->ExpectFilter(c, "primaryCode", code, "programId", CodeIs(code));
  for (const char* bad :
       {"teachingLanguage=NL", "programType=bachelor", "qualificationAwarded=Bsc",
        "levelOfQualification=9", "sector=hbo", "fieldsOfStudy=06130", "q=", "primaryCode="}) {
    std::string param(bad, std::string_view(bad).find('='));
    this->ExpectRefused(c + "?" + bad, param);
  }
}

TYPED_TEST(ParametersTest, CourseFilters) {
  const std::string c = "/courses";
  this->ExpectFilter(c, "q", "data", "courseId", Mentions("data"));
  this->ExpectFilter(c, "teachingLanguage", "eng", "courseId", Equals("teachingLanguage", "eng"));
  // The demo's courses are all bachelor level: bachelor keeps all, master none.
  this->ExpectFilter(c, "level", "bachelor", "courseId", Equals("level", "bachelor"), false);
  this->ExpectFilter(c, "level", "master", "courseId", Equals("level", "master"), false);
  this->ExpectFilter(c, "modeOfDelivery", "online", "courseId",
                     ListHas("modeOfDelivery", "online"));
  for (const char* bad : {"level=hbo", "modeOfDelivery=remote", "teachingLanguage=en"}) {
    std::string param(bad, std::string_view(bad).find('='));
    this->ExpectRefused(c + "?" + bad, param);
  }
}

TYPED_TEST(ParametersTest, EducationSpecificationAndOrganizationFilters) {
  this->ExpectFilter("/education-specifications", "educationSpecificationType", "course",
                     "educationSpecificationId", Equals("educationSpecificationType", "course"));
  this->ExpectFilter("/education-specifications", "q", "informatica", "educationSpecificationId",
                     Mentions("informatica"));
  this->ExpectFilter("/organizations", "organizationType", "faculty", "organizationId",
                     Equals("organizationType", "faculty"));
  this->ExpectRefused("/education-specifications?educationSpecificationType=opleiding",
                      "educationSpecificationType");
  this->ExpectRefused("/organizations?organizationType=school-board", "organizationType");
  // croho-creboCode on the programs of an education specification.
  rapidjson::Document especs;
  this->All("/education-specifications?educationSpecificationType=program", &especs);
  for (const auto& e : especs.GetArray()) {
    std::string id = e["educationSpecificationId"].GetString();
    std::string code = e["primaryCode"]["code"].GetString();
    auto r = this->Get("/education-specifications/" + id +
                       "/programs?pageSize=250&croho-creboCode=" + code);
    auto none = this->Get("/education-specifications/" + id +
                          "/programs?pageSize=250&croho-creboCode=00000");
    auto all = this->Get("/education-specifications/" + id + "/programs?pageSize=250");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, all.body) << "every program of the specification carries its code";
    EXPECT_NE(none.body.find("\"items\":[]"), std::string::npos);
    break;
  }
}

TYPED_TEST(ParametersTest, AcademicSessionFilters) {
  const std::string c = "/academic-sessions";
  rapidjson::Document all;
  this->All(c, &all);
  std::string year;
  for (const auto& s : all.GetArray()) {
    if (s.HasMember("year")) {
      year = s["year"].GetString();
      break;
    }
  }
  ASSERT_FALSE(year.empty());
  this->ExpectFilter(c, "year", year, "academicSessionId", Equals("year", year));
  this->ExpectFilter(c, "parent", year, "academicSessionId", Equals("parent", year));
  this->ExpectFilter(c, "academicSessionType", "semester", "academicSessionId",
                     Equals("academicSessionType", "semester"));
  this->ExpectRefused(c + "?parent=2025", "parent");
  this->ExpectRefused(c + "?academicSessionType=blok", "academicSessionType");
}

TYPED_TEST(ParametersTest, OfferingFilters) {
  // The program with the most offerings, and an organization and session with offerings.
  std::string busiest;
  size_t most = 0;
  rapidjson::Document programs;
  this->All("/programs", &programs);
  for (const auto& p : programs.GetArray()) {
    rapidjson::Document offerings;
    std::string id = p["programId"].GetString();
    this->All("/programs/" + id + "/offerings", &offerings);
    if (offerings.Size() > most) {
      most = offerings.Size();
      busiest = id;
    }
  }
  const std::string c = "/programs/" + busiest + "/offerings";
  this->ExpectFilter(c, "since", "2026-11-01", "offeringId", [](const Item& i) {
    return std::string(i["startDate"].GetString()) >= "2026-11-01";
  });
  this->ExpectFilter(c, "until", "2027-08-31", "offeringId", [](const Item& i) {
    return std::string(i["endDate"].GetString()) <= "2027-08-31";
  });
  this->ExpectFilter(c, "q", "2027", "offeringId", Mentions("2027"));
  // A faculty that offers program and course offerings, in Dutch and English.
  std::string org;
  rapidjson::Document orgs;
  this->All("/organizations", &orgs);
  for (const auto& o : orgs.GetArray()) {
    std::string id = o["organizationId"].GetString();
    rapidjson::Document offerings;
    this->All("/organizations/" + id + "/offerings", &offerings);
    std::set<std::string> types;
    std::set<std::string> languages;
    for (const auto& x : offerings.GetArray()) {
      types.insert(x["offeringType"].GetString());
      languages.insert(x["teachingLanguage"].GetString());
    }
    if (types.size() == 2 && languages.size() == 2) {
      org = id;
      break;
    }
  }
  ASSERT_FALSE(org.empty());
  this->ExpectFilter("/organizations/" + org + "/offerings", "offeringType", "course", "offeringId",
                     Equals("offeringType", "course"));
  this->ExpectFilter("/organizations/" + org + "/offerings", "teachingLanguage", "eng",
                     "offeringId", Equals("teachingLanguage", "eng"));
  const std::string course = this->First("/courses?modeOfDelivery=online", "courseId");
  auto all_results = this->Get("/courses/" + course + "/offerings?pageSize=250");
  auto expected = this->Get("/courses/" + course + "/offerings?pageSize=250&resultExpected=true");
  auto unexpected =
      this->Get("/courses/" + course + "/offerings?pageSize=250&resultExpected=false");
  EXPECT_EQ(all_results.body, expected.body) << "every demo offering expects a result";
  EXPECT_NE(unexpected.body.find("\"items\":[]"), std::string::npos);
  // modeOfStudy on program offerings filters by the program's mode of study.
  rapidjson::Document program;
  program.Parse(this->Get("/programs/" + busiest).body.c_str());
  const std::string mode = program["modeOfStudy"].GetString();
  EXPECT_EQ(this->Get(c + "?pageSize=250&modeOfStudy=" + this->Encode(mode)).body,
            this->Get(c + "?pageSize=250").body);
  const std::string other = mode == "part-time" ? "full-time" : "part-time";
  EXPECT_NE(this->Get(c + "?pageSize=250&modeOfStudy=" + other).body.find("\"items\":[]"),
            std::string::npos);
  for (const char* bad : {"since=2026-13-01", "until=01-09-2026", "resultExpected=yes",
                          "modeOfStudy=evening", "offeringType=cohort"}) {
    std::string param(bad, std::string_view(bad).find('='));
    const std::string target = std::string(param) == "offeringType"
                                   ? "/organizations/" + org + "/offerings?" + bad
                                   : c + "?" + bad;
    this->ExpectRefused(target, param);
  }
}

TYPED_TEST(ParametersTest, ExpandReplacesIdsByTheServedObjects) {
  const std::string program = this->First("/programs?programType=specialization", "programId");
  auto r = this->Get("/programs/" + program + "?expand=educationSpecification,organization,parent");
  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  ASSERT_TRUE(d["educationSpecification"].IsObject());
  EXPECT_TRUE(d["educationSpecification"].HasMember("educationSpecificationId"));
  ASSERT_TRUE(d["organization"].IsObject());
  ASSERT_TRUE(d["parent"].IsObject());
  EXPECT_TRUE(d["parent"].HasMember("programId"));
  rapidjson::Document plain;
  plain.Parse(this->Get("/programs/" + program).body.c_str());
  EXPECT_TRUE(plain["educationSpecification"].IsString()) << "no expansion unless asked";
  this->ExpectRefused("/programs/" + program + "?expand=coordinators", "coordinators");
  this->ExpectRefused("/programs/" + program + "?expand=offerings", "expand");
  this->ExpectRefused("/programs/" + program + "?expand=parent,parent", "expand");
  const std::string course = this->First("/courses", "courseId");
  auto cr = this->Get("/courses/" + course + "?expand=programs");
  rapidjson::Document cd;
  cd.Parse(cr.body.c_str());
  ASSERT_TRUE(cd["programs"].IsArray());
  EXPECT_TRUE(cd["programs"][0].IsObject());
}

}  // namespace
}  // namespace ooapi::testing
