// Each check-rio rule on hand-written documents: a clean document per kind passes every rule, and
// one mutation per case makes exactly the expected rule fire at the expected field path.

#include "ooapi/check/rio_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ooapi::check {
namespace {

constexpr const char* kEduspec = R"({
  "educationSpecificationId": "10010000-0000-4000-8000-000000000000",
  "primaryCode": {"codeType": "crohoCreboCode", "code": "34101"},
  "educationSpecificationType": "program",
  "name": [{"language": "nl-NL", "value": "Informatica"}, {"language": "en-GB", "value": "Computer Science"}],
  "abbreviation": "INF",
  "description": [{"language": "nl-NL", "value": "R&D en a < b mogen"}],
  "formalDocument": "diploma", "level": "bachelor", "sector": "higher professional education",
  "fieldsOfStudy": "0613", "levelOfQualification": "6",
  "studyLoad": {"studyLoadUnit": "ects", "value": 240},
  "validFrom": "2019-09-01",
  "otherCodes": [{"codeType": "x-sis.code", "code": "OPL-INF"}],
  "consumers": [{"consumerKey": "rio"}],
  "timelineOverrides": [{"validFrom": "2010-09-01", "educationSpecification": {
    "primaryCode": {"codeType": "crohoCreboCode", "code": "34101"},
    "educationSpecificationType": "program",
    "name": [{"language": "nl-NL", "value": "HBO-ICT"}],
    "abbreviation": "ICT", "description": [{"language": "nl-NL", "value": "Oud"}],
    "formalDocument": "diploma", "level": "bachelor", "sector": "higher professional education",
    "studyLoad": {"studyLoadUnit": "ects", "value": 240},
    "consumers": [{"consumerKey": "rio"}]}}]
})";

constexpr const char* kProgram = R"({
  "programId": "20010000-0000-4000-8000-000000000000",
  "primaryCode": {"codeType": "programCode", "code": "INF-VT"},
  "name": [{"language": "nl-NL", "value": "Informatica voltijd"}],
  "abbreviation": "INF-VT",
  "description": [{"language": "nl-NL", "value": "Voltijd"}],
  "teachingLanguage": "nld", "modeOfStudy": "full-time",
  "studyLoad": {"studyLoadUnit": "ects", "value": 240},
  "educationSpecification": "10010000-0000-4000-8000-000000000000",
  "validFrom": "2019-09-01",
  "consumers": [{"consumerKey": "rio", "educationOffererCode": "100A001",
    "educationLocationCode": "100X101", "propaedeuticPhase": "propaedeutic_phase_exam",
    "studyChoiceCheck": "study_choice_check_mandatory", "teachingLanguages": ["nld", "eng"]}],
  "timelineOverrides": [{"validFrom": "2010-09-01", "program": {
    "primaryCode": {"codeType": "programCode", "code": "INF-VT"},
    "name": [{"language": "nl-NL", "value": "HBO-ICT voltijd"}],
    "abbreviation": "ICT-VT", "description": [{"language": "nl-NL", "value": "Oud"}],
    "teachingLanguage": "nld", "modeOfStudy": "full-time",
    "studyLoad": {"studyLoadUnit": "ects", "value": 240},
    "consumers": [{"consumerKey": "rio", "educationOffererCode": "100A001",
      "educationLocationCode": "100X101", "propaedeuticPhase": "propaedeutic_phase_exam",
      "studyChoiceCheck": "study_choice_check_available", "teachingLanguages": ["nld"]}]}}]
})";

constexpr const char* kOfferings = R"({"pageSize": 250, "items": [{
  "offeringId": "30010000-0000-4000-8000-000000000000",
  "primaryCode": {"codeType": "offeringCode", "code": "INF-VT-2025-09"},
  "name": [{"language": "nl-NL", "value": "Informatica, start september 2025"}],
  "startDate": "2025-09-01", "endDate": "2029-08-31", "enrollStartDate": "2024-10-01",
  "enrollEndDate": "2025-05-01", "modeOfDelivery": ["situated"],
  "priceInformation": [{"costType": "total costs", "amount": 2601, "currency": "EUR"}],
  "consumers": [{"consumerKey": "rio", "registrationStatus": "open",
    "requiredPermissionRegistration": "no"}]}]})";

rapidjson::Document Parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

// `text` with the first occurrence of `from` replaced by `to`.
std::string Mutate(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

EntityContext Context(EntityKind kind) {
  EntityContext c;
  c.kind = kind;
  c.entity_id = "id";
  c.request = "/x";
  c.eduspec_type = "program";
  return c;
}

Findings RunRules(EntityKind kind, const std::string& text) {
  rapidjson::Document d = Parse(text);
  if (kind == EntityKind::kOffering) return CheckOfferingsPage(d, Context(kind));
  return CheckEntity(d, Context(kind));
}

std::string Dump(const Findings& findings) {
  std::string out;
  for (const Finding& f : findings) out += f.rule + " @ " + f.field_path + ": " + f.message + "\n";
  return out;
}

TEST(RioRulesTest, CleanDocumentsPass) {
  EXPECT_EQ(Dump(RunRules(EntityKind::kEducationSpecification, kEduspec)), "");
  EXPECT_EQ(Dump(RunRules(EntityKind::kProgram, kProgram)), "");
  EXPECT_EQ(Dump(RunRules(EntityKind::kOffering, kOfferings)), "");
}

struct Case {
  std::string name;
  EntityKind kind;
  std::string from;
  std::string to;
  std::string rule;
  std::string path;
};

const Case kCases[] = {
    {"null", EntityKind::kProgram, R"("abbreviation": "INF-VT",)", R"("abbreviation": null,)",
     "null-value", "abbreviation"},
    {"required", EntityKind::kEducationSpecification, R"("validFrom": "2019-09-01",)", "",
     "required-field", "validFrom"},
    {"required_mode_of_study", EntityKind::kProgram, R"("modeOfStudy": "full-time",)", "",
     "required-field", "modeOfStudy"},
    {"required_enroll", EntityKind::kOffering, R"("enrollStartDate": "2024-10-01",)", "",
     "required-field", "items[0].enrollStartDate"},
    {"uuid", EntityKind::kProgram, "10010000-0000-4000-8000-000000000000",
     "10010000-0000-4000-8000-00000000000A", "uuid", "educationSpecification"},
    {"date", EntityKind::kProgram, R"("validFrom": "2019-09-01")", R"("validFrom": "2019-02-30")",
     "date", "validFrom"},
    {"date_override", EntityKind::kProgram, R"("validFrom": "2010-09-01")",
     R"("validFrom": "01-09-2010")", "date", "timelineOverrides[0].validFrom"},
    {"length_description", EntityKind::kProgram, R"("value": "Voltijd")",
     R"("value": ")" + std::string(3001, 'x') + "\"", "text-length", "description[0].value"},
    {"length_abbreviation", EntityKind::kProgram, R"("abbreviation": "INF-VT")",
     R"("abbreviation": "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJK")", "text-length",
     "abbreviation"},
    {"html", EntityKind::kEducationSpecification, R"("value": "Informatica")",
     R"("value": "<b>Informatica</b>")", "html", "name[0].value"},
    {"html_entity", EntityKind::kProgram, R"("value": "Oud")", R"("value": "Oud &amp; nieuw")",
     "html", "timelineOverrides[0].program.description[0].value"},
    {"language_tag", EntityKind::kProgram, R"({"language": "nl-NL", "value": "Voltijd"})",
     R"({"language": "NL", "value": "Voltijd"})", "language-tag", "description[0].language"},
    {"name_language", EntityKind::kEducationSpecification,
     R"([{"language": "nl-NL", "value": "Informatica"}, {"language": "en-GB", "value": "Computer Science"}])",
     R"([{"language": "nl", "value": "Informatica"}, {"language": "en", "value": "Computer Science"}])",
     "name-language", "name"},
    {"name_language_override", EntityKind::kEducationSpecification,
     R"([{"language": "nl-NL", "value": "HBO-ICT"}])",
     R"([{"language": "de-DE", "value": "HBO-ICT"}])", "name-language",
     "timelineOverrides[0].educationSpecification.name"},
    {"level_sector", EntityKind::kEducationSpecification, R"("level": "bachelor")",
     R"("level": "secondary vocational education 2")", "level-sector", "level"},
    {"enum_formal_document", EntityKind::kEducationSpecification, R"("formalDocument": "diploma")",
     R"("formalDocument": "degree")", "enum", "formalDocument"},
    {"enum_mode_of_study", EntityKind::kProgram, R"("modeOfStudy": "full-time")",
     R"("modeOfStudy": "evening")", "enum", "modeOfStudy"},
    {"enum_mode_of_delivery", EntityKind::kOffering, R"(["situated"])", R"(["carrier pigeon"])",
     "enum", "items[0].modeOfDelivery"},
    {"code_type", EntityKind::kEducationSpecification, "x-sis.code", "x-sis-code", "code-type",
     "otherCodes[0].codeType"},
    {"consumer_required", EntityKind::kProgram,
     R"("propaedeuticPhase": "propaedeutic_phase_exam",
    "studyChoiceCheck")",
     R"("studyChoiceCheck")", "consumer-required", "consumers[0].propaedeuticPhase"},
    {"consumer_required_offering", EntityKind::kOffering, R"("registrationStatus": "open",)", "",
     "consumer-required", "items[0].consumers[0].registrationStatus"},
    {"consumer_enum", EntityKind::kProgram, R"("educationOffererCode": "100A001",
    "educationLocationCode")",
     R"("educationOffererCode": "100B001",
    "educationLocationCode")",
     "consumer-enum", "consumers[0].educationOffererCode"},
    {"consumer_enum_override", EntityKind::kProgram, R"("study_choice_check_available")",
     R"("maybe")", "consumer-enum", "timelineOverrides[0].program.consumers[0].studyChoiceCheck"},
    {"consumer_enum_subtype", EntityKind::kEducationSpecification,
     R"("consumers": [{"consumerKey": "rio"}]}}])",
     R"("consumers": [{"consumerKey": "rio", "educationSpecificationSubType": "branch"}]}}])",
     "consumer-enum",
     "timelineOverrides[0].educationSpecification.consumers[0].educationSpecificationSubType"},
    {"study_load", EntityKind::kEducationSpecification, R"("value": 240},
  "validFrom")",
     R"("value": 7.5},
  "validFrom")",
     "study-load-integer", "studyLoad.value"},
    {"override_incomplete_consumer", EntityKind::kProgram,
     R"("studyChoiceCheck": "study_choice_check_available", )", "", "override-incomplete",
     "timelineOverrides[0].program.consumers[0].studyChoiceCheck"},
    {"override_incomplete_description", EntityKind::kEducationSpecification,
     R"("description": [{"language": "nl-NL", "value": "Oud"}],)", "", "override-incomplete",
     "timelineOverrides[0].educationSpecification.description"},
    {"duplicate_start", EntityKind::kProgram, R"("validFrom": "2010-09-01")",
     R"("validFrom": "2019-09-01")", "duplicate-period-start", "timelineOverrides[0].validFrom"},
    {"override_valid_to", EntityKind::kProgram, R"("validFrom": "2010-09-01",)",
     R"("validFrom": "2010-09-01", "validTo": "2019-09-01",)", "override-valid-to",
     "timelineOverrides[0].validTo"},
    {"cohort_code", EntityKind::kOffering, R"("code": "INF-VT-2025-09")",
     R"("code": ")" + std::string(61, 'C') + "\"", "cohort-code", "items[0].primaryCode.code"},
    {"cost_type", EntityKind::kOffering, R"("costType": "total costs")",
     R"("costType": "STAP eligible")", "cost-type", "items[0].priceInformation[0].costType"},
};

class RioRuleCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(RioRuleCaseTest, FiresExactlyOnce) {
  const Case& c = GetParam();
  const char* base = c.kind == EntityKind::kEducationSpecification ? kEduspec
                     : c.kind == EntityKind::kProgram              ? kProgram
                                                                   : kOfferings;
  const Findings findings = RunRules(c.kind, Mutate(base, c.from, c.to));
  ASSERT_EQ(findings.size(), 1u) << Dump(findings);
  EXPECT_EQ(findings[0].rule, c.rule) << Dump(findings);
  EXPECT_EQ(findings[0].field_path, c.path) << Dump(findings);
  EXPECT_EQ(findings[0].request, "/x");
  EXPECT_FALSE(RuleDescription(findings[0].rule).empty()) << findings[0].rule;
}

INSTANTIATE_TEST_SUITE_P(Rules, RioRuleCaseTest, ::testing::ValuesIn(kCases),
                         [](const auto& p) { return p.param.name; });

TEST(RioRulesTest, OfferingFindingsNameTheOffering) {
  const Findings f =
      RunRules(EntityKind::kOffering, Mutate(kOfferings, R"("endDate": "2029-08-31",)", ""));
  ASSERT_EQ(f.size(), 1u) << Dump(f);
  EXPECT_EQ(f[0].entity_type, "offering");
  EXPECT_EQ(f[0].entity_id, "30010000-0000-4000-8000-000000000000");
}

TEST(RioRulesTest, EduspecTypeDecidesHoConsumerFields) {
  rapidjson::Document d = Parse(Mutate(kProgram, R"("modeOfStudy": "full-time",)", ""));
  EntityContext c = Context(EntityKind::kProgram);
  c.eduspec_type = "privateProgram";
  EXPECT_EQ(Dump(CheckEntity(d, c)), "");
  c.eduspec_type = "program";
  EXPECT_EQ(CheckEntity(d, c).size(), 1u);
}

TEST(RioRulesTest, OverrideWithoutRioConsumer) {
  rapidjson::Document d = Parse(kProgram);
  d["timelineOverrides"][0]["program"].RemoveMember("consumers");
  const Findings f = CheckEntity(d, Context(EntityKind::kProgram));
  ASSERT_EQ(f.size(), 1u) << Dump(f);
  EXPECT_EQ(f[0].rule, "override-incomplete");
  EXPECT_EQ(f[0].field_path, "timelineOverrides[0].program.consumers");
}

TEST(RioRulesTest, NotAnObjectIsInvalidJson) {
  rapidjson::Document d = Parse("[1, 2]");
  const Findings f = CheckEntity(d, Context(EntityKind::kCourse));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "invalid-json");
}

TEST(RioRulesTest, OfferingWindowListsTheUnseen) {
  EntityContext c = Context(EntityKind::kProgram);
  const Findings f = OfferingWindowFindings({"a", "b"}, {"a", "b", "c", "d"}, c);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].rule, "offering-window");
  EXPECT_EQ(f[0].entity_type, "offering");
  EXPECT_EQ(f[0].entity_id, "c");
  EXPECT_EQ(f[1].entity_id, "d");
  EXPECT_TRUE(OfferingWindowFindings({"a"}, {"a"}, c).empty());
}

TEST(RioRulesTest, Helpers) {
  // The mapper's HTML regex (<(\S|\Z))|(&\S+;).
  EXPECT_TRUE(LooksLikeHtml("a<b"));
  EXPECT_TRUE(LooksLikeHtml("<p>"));
  EXPECT_TRUE(LooksLikeHtml("x <"));
  EXPECT_TRUE(LooksLikeHtml("&amp;"));
  EXPECT_TRUE(LooksLikeHtml("R&D;"));
  EXPECT_FALSE(LooksLikeHtml("a < b"));
  EXPECT_FALSE(LooksLikeHtml("R&D"));
  EXPECT_FALSE(LooksLikeHtml("& ;"));
  EXPECT_FALSE(LooksLikeHtml("&;"));

  for (const char* ok : {"nl", "nl-NL", "en-GB", "zh-Hant-TW", "es-419", "frr", "sr-Latn"}) {
    EXPECT_TRUE(IsLanguageTag(ok)) << ok;
  }
  for (const char* bad : {"", "n", "NL", "nl_NL", "nl-nl", "dutch", "nl-NLD", "nl-Latn-", "nl-"}) {
    EXPECT_FALSE(IsLanguageTag(bad)) << bad;
  }
  EXPECT_TRUE(IsRioNameLanguage("nl-BE"));
  EXPECT_TRUE(IsRioNameLanguage("en-ZW"));
  EXPECT_FALSE(IsRioNameLanguage("nl"));
  EXPECT_FALSE(IsRioNameLanguage("en-DE"));

  EXPECT_TRUE(IsRioDate("2024-02-29"));
  EXPECT_FALSE(IsRioDate("2023-02-29"));
  EXPECT_FALSE(IsRioDate("0000-01-01"));
  EXPECT_FALSE(IsRioDate("2024-1-01"));
  EXPECT_FALSE(IsRioDate("2024-01-01T00:00"));

  EXPECT_TRUE(IsLowercaseUuid("10010000-0000-4000-8000-00000000000a"));
  EXPECT_FALSE(IsLowercaseUuid("10010000-0000-4000-8000-00000000000A"));
  EXPECT_FALSE(IsLowercaseUuid("10010000000040008000000000000000000a"));

  EXPECT_TRUE(LevelSectorMaps("associate degree", "higher professional education"));
  EXPECT_FALSE(LevelSectorMaps("associate degree", "university education"));
  EXPECT_TRUE(
      LevelSectorMaps("secondary vocational education 4", "secondary vocational education"));
  EXPECT_TRUE(LevelSectorMaps("nt2-1", ""));
  EXPECT_FALSE(LevelSectorMaps("bachelor", "secondary vocational education"));

  EXPECT_EQ(TextLength("abc"), 3u);
  EXPECT_EQ(TextLength("Diëtetiek"), 9u);
  EXPECT_EQ(TextLength("\xF0\x9F\x98\x80"), 2u);  // one emoji = two UTF-16 units
}

TEST(RioRulesTest, EveryRuleIsDescribed) {
  const std::vector<std::string> ids = RuleIds();
  EXPECT_EQ(ids.size(), 24u);
  for (const std::string& id : ids) EXPECT_FALSE(RuleDescription(id).empty()) << id;
  EXPECT_TRUE(RuleDescription("no-such-rule").empty());
}

}  // namespace
}  // namespace ooapi::check
