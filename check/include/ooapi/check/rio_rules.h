#pragma once
// The RIO mapper's rules as pure functions over one parsed OOAPI response. Each Rule* function checks one rule on one entity and appends a Finding per violation; the
// Check* functions run every rule that applies to an entity kind, on the main object and on each
// timeline override. None of them does I/O, so each is unit-tested on a hand-written document.

#include <string>
#include <string_view>
#include <vector>

#include "ooapi/check/rio_check.h"
#include "ooapi/common/json.h"

namespace ooapi::check {

// Stable rule ids (the values of Finding::rule).
namespace rule {
inline constexpr std::string_view kHttpStatus = "http-status";
inline constexpr std::string_view kInvalidJson = "invalid-json";
inline constexpr std::string_view kRequiredField = "required-field";
inline constexpr std::string_view kNullValue = "null-value";
inline constexpr std::string_view kUuid = "uuid";
inline constexpr std::string_view kDate = "date";
inline constexpr std::string_view kTextLength = "text-length";
inline constexpr std::string_view kHtml = "html";
inline constexpr std::string_view kLanguageTag = "language-tag";
inline constexpr std::string_view kNameLanguage = "name-language";
inline constexpr std::string_view kLevelSector = "level-sector";
inline constexpr std::string_view kEnum = "enum";
inline constexpr std::string_view kCodeType = "code-type";
inline constexpr std::string_view kConsumerRequired = "consumer-required";
inline constexpr std::string_view kConsumerEnum = "consumer-enum";
inline constexpr std::string_view kStudyLoadInteger = "study-load-integer";
inline constexpr std::string_view kOverrideIncomplete = "override-incomplete";
inline constexpr std::string_view kDuplicatePeriodStart = "duplicate-period-start";
inline constexpr std::string_view kOverrideValidTo = "override-valid-to";
inline constexpr std::string_view kCohortCode = "cohort-code";
inline constexpr std::string_view kCostType = "cost-type";
inline constexpr std::string_view kDanglingRelation = "dangling-relation";
inline constexpr std::string_view kMissingEducationSpecification =
    "missing-education-specification";
inline constexpr std::string_view kOfferingWindow = "offering-window";
}  // namespace rule

enum class EntityKind { kEducationSpecification, kProgram, kCourse, kOffering };

// "education-specification", "program", "course", "offering".
std::string_view EntityTypeName(EntityKind kind);

// Which entity a rule looks at and where it came from.
struct EntityContext {
  EntityKind kind = EntityKind::kProgram;
  std::string entity_id;
  std::string request;
  // Prepended to every field path: "" for a single GET, "items[3]." for an offering in a page,
  // "timelineOverrides[0].program." for an override (set by the Check* functions).
  std::string path_prefix;
  // Programs and courses: educationSpecificationType of their education specification, "" when
  // unknown (then the rules that depend on it are skipped).
  std::string eduspec_type;
};

using Findings = std::vector<Finding>;
using JsonValue = rapidjson::Value;

// --- rules on one object (the main object or the inner object of one override) ---------------

// Required top-level attributes per kind (eduspec: educationSpecificationId, type, primaryCode,
// validFrom, name, formalDocument for type program; program: programId, name, validFrom,
// modeOfStudy under a program-type eduspec; course: courseId, name, validFrom, duration;
// offering: offeringId, startDate, endDate, enrollStartDate, modeOfDelivery here or in the rio
// consumer).
void RuleRequiredFields(const JsonValue& e, const EntityContext& c, Findings& out);
// Any attribute present with a null value (the mapper validates present keys: omit instead).
void RuleNullValues(const JsonValue& e, const EntityContext& c, Findings& out);
// The entity's own id and the ids it refers to are UUIDs in lowercase.
void RuleUuids(const JsonValue& e, const EntityContext& c, Findings& out);
// Every date attribute is YYYY-MM-DD and a real calendar date, year not 0.
void RuleDates(const JsonValue& e, const EntityContext& c, Findings& out);
// Names and learning outcomes 1-1000 characters, descriptions 1-3000, abbreviations 1-255 on an
// eduspec and 1-40 on a program; a required name has at least one entry.
void RuleTextLengths(const JsonValue& e, const EntityContext& c, Findings& out);
// No HTML-looking content, regex (<(\S|\Z))|(&\S+;), in texts and abbreviations.
void RuleHtml(const JsonValue& e, const EntityContext& c, Findings& out);
// LanguageTypedString.language matches ^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$.
void RuleLanguageTags(const JsonValue& e, const EntityContext& c, Findings& out);
// An eduspec name has an nl-NL/nl-BE or en-{AU,BZ,CA,CB,GB,IE,JM,NZ,PH,TT,US,ZA,ZW} entry.
void RuleNameLanguage(const JsonValue& e, const EntityContext& c, Findings& out);
// An eduspec (not privateProgram) has a level and sector whose pair maps to a RIO niveau.
void RuleLevelSector(const JsonValue& e, const EntityContext& c, Findings& out);
// Top-level enumerations: educationSpecificationType, formalDocument, studyLoadUnit,
// modeOfStudy, teachingLanguage, fieldsOfStudy, levelOfQualification, offering modeOfDelivery.
void RuleEnums(const JsonValue& e, const EntityContext& c, Findings& out);
// codeType of primaryCode and otherCodes: a predefined value or x-[\w.]+.
void RuleCodeTypes(const JsonValue& e, const EntityContext& c, Findings& out);
// The rio consumer and its required fields: educationOffererCode (program, course),
// propaedeuticPhase and studyChoiceCheck (program under a program-type eduspec),
// educationUnitCode (joint program), registrationStatus and requiredPermissionRegistration
// (offering).
void RuleConsumerRequired(const JsonValue& e, const EntityContext& c, Findings& out);
// Values in the rio consumer: enums, code formats (\d{3}A\d{3}, \d{3}X\d{3}, \d{4}O\d{4}),
// teachingLanguages, jointProgram boolean, educationSpecificationSubType only "variant" on type
// program.
void RuleConsumerValues(const JsonValue& e, const EntityContext& c, Findings& out);
// studyLoad.value is an integer of at most 5 digits (RIO StudielastZwaarte).
void RuleStudyLoadInteger(const JsonValue& e, const EntityContext& c, Findings& out);
// Offering: primaryCode.code (the RIO cohortcode) present and at most 60 characters.
void RuleCohortCode(const JsonValue& e, const EntityContext& c, Findings& out);
// Offering: every priceInformation[].costType is "total costs" (others break the RIO XSD).
void RuleCostType(const JsonValue& e, const EntityContext& c, Findings& out);

// --- rules on the timeline (main object plus timelineOverrides) ------------------------------

// Every override has validFrom and an inner object with everything the main object has that RIO
// takes per period (name, description, abbreviation, link, studyLoad, the rio consumer and each of
// its attributes): values never fall back to the main object
// (the mapper reads each period on its own).
void RuleOverridesComplete(const JsonValue& e, const EntityContext& c, Findings& out);
// No two periods (main object and overrides) start on the same validFrom.
void RuleDuplicatePeriodStarts(const JsonValue& e, const EntityContext& c, Findings& out);
// No override has validTo while the main object has none (§9: RIO would end the whole entity).
void RuleOverrideValidTo(const JsonValue& e, const EntityContext& c, Findings& out);

// --- every rule that applies to a kind -------------------------------------------------------

// A single GET of an eduspec, program or course (with its timeline overrides).
Findings CheckEntity(const JsonValue& e, const EntityContext& c);
// One page of /{programs|courses}/{id}/offerings: each item is checked as an offering with
// path_prefix "items[i].". `base` carries the request; entity ids come from the items.
Findings CheckOfferingsPage(const JsonValue& page, const EntityContext& base);

// The offerings in `all` (ids, e.g. from the list with since=1900-01-01) that `seen` (the
// mapper's list) lacks, as "offering-window" findings.
Findings OfferingWindowFindings(const std::vector<std::string>& seen,
                                const std::vector<std::string>& all, const EntityContext& c);

// --- small pure helpers, exposed for tests -----------------------------------------------------
bool LooksLikeHtml(std::string_view s);        // (<(\S|\Z))|(&\S+;)
bool IsLanguageTag(std::string_view tag);      // the LanguageTypedString regex
bool IsRioNameLanguage(std::string_view tag);  // nl-NL, nl-BE, en-XX from the mapper's list
bool IsRioDate(std::string_view s);            // \d{4}-[01]\d-[0-3]\d, real date, year != 0
bool IsLowercaseUuid(std::string_view s);
bool LevelSectorMaps(std::string_view level, std::string_view sector);
size_t TextLength(std::string_view utf8);  // in UTF-16 code units, as the mapper counts

}  // namespace ooapi::check
