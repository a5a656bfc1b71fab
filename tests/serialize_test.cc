// The pure model -> JSON mapping, with the output rules the RIO mapper relies on.

#include <gtest/gtest.h>

#include "ooapi/endpoint/problem.h"
#include "ooapi/endpoint/serialize.h"

namespace ooapi::endpoint {
namespace {

using adapters::LanguageString;

template <typename Fn>
rapidjson::Document Json(Fn&& write) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  write(w);
  rapidjson::Document d;
  d.Parse(buffer.GetString(), buffer.GetSize());
  EXPECT_FALSE(d.HasParseError()) << buffer.GetString();
  return d;
}

bool HasNull(const rapidjson::Value& v) {
  if (v.IsNull()) {
    return true;
  }
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      if (HasNull(m.value)) {
        return true;
      }
    }
  }
  if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (HasNull(e)) {
        return true;
      }
    }
  }
  return false;
}

adapters::Program MinimalProgram() {
  adapters::Program p;
  p.id = "2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e";
  p.properties.primary_code = {"programCode", "INF"};
  p.properties.program_type = "program";
  p.properties.name = {LanguageString{"nl-NL", "Informatica"}};
  return p;
}

TEST(Serialize, AbsentAttributesAreOmittedNeverNull) {
  auto d = Json([](json::Writer& w) { WriteProgram(w, MinimalProgram(), {}); });
  EXPECT_FALSE(HasNull(d));
  EXPECT_FALSE(d.HasMember("abbreviation"));
  EXPECT_FALSE(d.HasMember("validTo"));
  EXPECT_FALSE(d.HasMember("modeOfDelivery")) << "empty optional arrays are omitted";
  EXPECT_FALSE(d.HasMember("otherCodes"));
  EXPECT_FALSE(d.HasMember("children"));
  EXPECT_FALSE(d.HasMember("timelineOverrides"));
  EXPECT_TRUE(d.HasMember("description")) << "required texts stay, so a gap is visible";
}

TEST(Serialize, EveryEntityCarriesARioConsumer) {
  auto check = [](const rapidjson::Document& d) {
    ASSERT_TRUE(d.HasMember("consumers"));
    ASSERT_EQ(d["consumers"].Size(), 1u);
    EXPECT_STREQ(d["consumers"][0]["consumerKey"].GetString(), "rio");
  };
  check(Json([](json::Writer& w) { WriteProgram(w, MinimalProgram(), {}); }));
  adapters::Course c;
  c.id = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f";
  check(Json([&](json::Writer& w) { WriteCourse(w, c, {}); }));
  adapters::EducationSpecification e;
  e.id = "8f4a1c2e-6b3d-4e5f-9a7b-1c2d3e4f5a6b";
  e.properties.rio.sub_type = "variant";
  auto de = Json([&](json::Writer& w) { WriteEducationSpecification(w, e, {}); });
  check(de);
  EXPECT_STREQ(de["consumers"][0]["educationSpecificationSubType"].GetString(), "variant");
  adapters::Offering o;
  o.id = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";
  o.offering_type = "program";
  o.program_id = "2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e";
  o.rio.registration_status = "open";
  o.rio.explanation_required_permission = "Motivatiebrief";
  auto d = Json([&](json::Writer& w) { WriteOffering(w, o); });
  check(d);
  EXPECT_STREQ(d["consumers"][0]["registrationStatus"].GetString(), "open");
  EXPECT_STREQ(d["explanationRequiredPermission"].GetString(), "Motivatiebrief")
      << "the RIO mapper reads this attribute from the offering itself";
  EXPECT_STREQ(d["program"].GetString(), "2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e");
  EXPECT_FALSE(d.HasMember("course"));
}

TEST(Serialize, StudyLoadIsAnIntegerWhenWhole) {
  auto p = MinimalProgram();
  p.properties.study_load = adapters::StudyLoad{"ects", 240};
  auto d = Json([&](json::Writer& w) { WriteProgram(w, p, {}); });
  EXPECT_TRUE(d["studyLoad"]["value"].IsInt64());
  EXPECT_EQ(d["studyLoad"]["value"].GetInt64(), 240);
  p.properties.study_load = adapters::StudyLoad{"ects", 7.5};
  d = Json([&](json::Writer& w) { WriteProgram(w, p, {}); });
  EXPECT_DOUBLE_EQ(d["studyLoad"]["value"].GetDouble(), 7.5);
}

TEST(Serialize, TimelineOverridesOnlyWhenAskedAndComplete) {
  auto p = MinimalProgram();
  p.properties.rio.education_offerer_code = "123A456";
  adapters::TimelineOverride<adapters::OfferedProperties> o;
  o.valid_from = "2015-09-01";
  o.properties = p.properties;
  o.properties.name = {LanguageString{"nl-NL", "HBO-ICT"}};
  p.timeline_overrides.push_back(o);
  auto without = Json([&](json::Writer& w) { WriteProgram(w, p, {false}); });
  EXPECT_FALSE(without.HasMember("timelineOverrides"));
  auto with = Json([&](json::Writer& w) { WriteProgram(w, p, {true}); });
  ASSERT_TRUE(with.HasMember("timelineOverrides"));
  const auto& item = with["timelineOverrides"][0];
  EXPECT_STREQ(item["validFrom"].GetString(), "2015-09-01");
  EXPECT_FALSE(item.HasMember("validTo"));
  const auto& inner = item["program"];
  EXPECT_FALSE(inner.HasMember("programId"));
  EXPECT_STREQ(inner["name"][0]["value"].GetString(), "HBO-ICT");
  EXPECT_STREQ(inner["consumers"][0]["educationOffererCode"].GetString(), "123A456")
      << "the rio consumer is repeated in each override";
}

TEST(Serialize, InvalidUtf8IsRefusedNamingTheField) {
  auto p = MinimalProgram();
  p.properties.name = {LanguageString{"nl-NL", std::string("Caf\xe9")}};  // Latin-1 é
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  try {
    WriteProgram(w, p, {});
    FAIL() << "expected SerializeError";
  } catch (const SerializeError& e) {
    EXPECT_NE(std::string(e.what()).find("name"), std::string::npos);
  }
}

TEST(Serialize, PageEnvelope) {
  auto d = Json([](json::Writer& w) { WritePage(w, PageInfo{10, 3, 25}, [] {}); });
  EXPECT_EQ(d["pageSize"].GetInt(), 10);
  EXPECT_EQ(d["pageNumber"].GetInt(), 3);
  EXPECT_TRUE(d["hasPreviousPage"].GetBool());
  EXPECT_FALSE(d["hasNextPage"].GetBool());
  EXPECT_EQ(d["totalPages"].GetInt(), 3);
  auto first = Json([](json::Writer& w) { WritePage(w, PageInfo{10, 1, 25}, [] {}); });
  EXPECT_FALSE(first["hasPreviousPage"].GetBool());
  EXPECT_TRUE(first["hasNextPage"].GetBool());
}

}  // namespace
}  // namespace ooapi::endpoint

namespace ooapi::endpoint {
namespace {

// 5xx answers never carry the internal message; a 503 names what is unavailable.
TEST(Problem, ServerErrorsHideTheMessageAndNameWhatIsDown) {
  const HttpResponse sis = ProblemResponse(Unavailable("connection to 10.0.0.5 refused"));
  EXPECT_EQ(sis.status, 503);
  EXPECT_NE(sis.body.find("The student information system is temporarily unavailable"),
            std::string::npos);
  EXPECT_EQ(sis.body.find("10.0.0.5"), std::string::npos);
  const HttpResponse ledger =
      ProblemResponse(Unavailable("database is locked"), "The sync database");
  EXPECT_NE(ledger.body.find("The sync database is temporarily unavailable"), std::string::npos);
  const HttpResponse bug = ProblemResponse(Internal("null pointer in x.cc:12"));
  EXPECT_EQ(bug.status, 500);
  EXPECT_EQ(bug.body.find("x.cc"), std::string::npos);
  EXPECT_NE(ProblemResponse(InvalidArgument("pageSize: must be 10, 20, 50, 100 or 250"))
                .body.find("pageSize: must be"),
            std::string::npos);
}

}  // namespace
}  // namespace ooapi::endpoint
