#include "ooapi/check/rio_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "ooapi/common/strings.h"

namespace ooapi::check {
namespace {

// --- JSON access ---------------------------------------------------------------------------------

const JsonValue* Member(const JsonValue& object, std::string_view key) {
  if (!object.IsObject()) {
    return nullptr;
  }
  auto it = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

bool Has(const JsonValue& object, std::string_view key) { return Member(object, key) != nullptr; }

std::string_view Str(const JsonValue& v) {
  return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view();
}

// The string value of a member, or nullptr when absent or not a string.
const JsonValue* StringMember(const JsonValue& object, std::string_view key) {
  const JsonValue* v = Member(object, key);
  return v != nullptr && v->IsString() ? v : nullptr;
}

std::string Quote(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 80));
  if (s.size() > 80) {
    out += "...";
  }
  out += "'";
  return out;
}

std::string Describe(const JsonValue& v) {
  if (v.IsString()) {
    return Quote(Str(v));
  }
  if (v.IsNull()) return "null";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsNumber()) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    v.Accept(writer);
    return buffer.GetString();
  }
  return v.IsArray() ? "an array" : "an object";
}

void Add(Findings& out, const EntityContext& c, const std::string& path, std::string_view rule,
         std::string message) {
  std::string field = c.path_prefix + path;
  if (!field.empty() && field.back() == '.') {
    field.pop_back();
  }
  out.push_back(Finding{std::string(EntityTypeName(c.kind)), c.entity_id, c.request,
                        std::move(field), std::string(rule), std::move(message)});
}

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// The rio consumer: the first consumers[i] with consumerKey "rio".
const JsonValue* RioConsumer(const JsonValue& e, size_t* index) {
  const JsonValue* consumers = Member(e, "consumers");
  if (consumers == nullptr || !consumers->IsArray()) {
    return nullptr;
  }
  for (rapidjson::SizeType i = 0; i < consumers->Size(); ++i) {
    const JsonValue& item = (*consumers)[i];
    const JsonValue* key = StringMember(item, "consumerKey");
    if (key != nullptr && Str(*key) == "rio") {
      *index = i;
      return &item;
    }
  }
  return nullptr;
}

std::string ConsumerPath(size_t index) { return "consumers[" + std::to_string(index) + "]"; }

bool In(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string Join(std::initializer_list<std::string_view> values) {
  std::string out;
  for (auto v : values) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch));
  });
}

// \d{3}<letter>\d{3} (A: onderwijsaanbieder, X: onderwijslocatie).
bool IsRioCode3(std::string_view s, char letter) {
  return s.size() == 7 && IsDigits(s.substr(0, 3)) && s[3] == letter && IsDigits(s.substr(4));
}
// \d{4}O\d{4} (opleidingseenheidcode).
bool IsEducationUnitCode(std::string_view s) {
  return s.size() == 9 && IsDigits(s.substr(0, 4)) && s[4] == 'O' && IsDigits(s.substr(5));
}
bool IsLanguage3(std::string_view s) {
  return s.size() == 3 &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
}

// The kind's key of the inner object of a timeline override.
const char* OverrideKey(EntityKind kind) {
  switch (kind) {
    case EntityKind::kEducationSpecification:
      return "educationSpecification";
    case EntityKind::kProgram:
      return "program";
    case EntityKind::kCourse:
      return "course";
    case EntityKind::kOffering:
      return "offering";
  }
  return "";
}

const char* IdKey(EntityKind kind) {
  switch (kind) {
    case EntityKind::kEducationSpecification:
      return "educationSpecificationId";
    case EntityKind::kProgram:
      return "programId";
    case EntityKind::kCourse:
      return "courseId";
    case EntityKind::kOffering:
      return "offeringId";
  }
  return "";
}

constexpr std::array<std::string_view, 25> kCodeTypes{"brin",          "crohoCreboCode",
                                                      "programCode",   "componentCode",
                                                      "offeringCode",  "organizationId",
                                                      "buildingId",    "bagId",
                                                      "roomCode",      "systemId",
                                                      "productId",     "nationalIdentityNumber",
                                                      "studentNumber", "studielinkNumber",
                                                      "esi",           "userName",
                                                      "accountId",     "emailAdress",
                                                      "groupCode",     "isbn",
                                                      "issn",          "orcId",
                                                      "uuid",          "schacHome",
                                                      "identifier"};

bool IsCodeType(std::string_view t) {
  if (std::find(kCodeTypes.begin(), kCodeTypes.end(), t) != kCodeTypes.end()) {
    return true;
  }
  if (t.size() < 3 || t.substr(0, 2) != "x-") {
    return false;
  }
  return std::all_of(t.begin() + 2, t.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_' || ch == '.';
  });
}

// Calls fn(path, item) for each LanguageTypedString of the multilingual attributes the mapper
// validates; learningOutcomes is an array of arrays.
template <typename Fn>
void ForEachText(const JsonValue& e, Fn&& fn) {
  for (const char* key : {"name", "description"}) {
    const JsonValue* list = Member(e, key);
    if (list == nullptr || !list->IsArray()) continue;
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      fn(std::string(key), Index(key, i), (*list)[i]);
    }
  }
  const JsonValue* outcomes = Member(e, "learningOutcomes");
  if (outcomes != nullptr && outcomes->IsArray()) {
    for (rapidjson::SizeType g = 0; g < outcomes->Size(); ++g) {
      const JsonValue& group = (*outcomes)[g];
      if (!group.IsArray()) continue;
      for (rapidjson::SizeType i = 0; i < group.Size(); ++i) {
        fn(std::string("learningOutcomes"), Index(Index("learningOutcomes", g), i), group[i]);
      }
    }
  }
}

bool IsSpace(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\x0B' || ch == '\f' || ch == '\r';
}

void WalkNulls(const JsonValue& v, const std::string& path, const EntityContext& c, Findings& out) {
  if (v.IsNull()) {
    Add(out, c, path, rule::kNullValue,
        "attribute is null; omit it instead (the mapper validates "
        "every present key)");
  } else if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      WalkNulls(it->value, (path.empty() ? "" : path + ".") + it->name.GetString(), c, out);
    }
  } else if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      WalkNulls(v[i], Index(path, i), c, out);
    }
  }
}

void CheckDate(const JsonValue& e, std::string_view key, const std::string& path,
               const EntityContext& c, Findings& out) {
  const JsonValue* v = Member(e, key);
  if (v == nullptr || v->IsNull()) {
    return;  // absence is RuleRequiredFields', null RuleNullValues' business
  }
  if (!v->IsString() || !IsRioDate(Str(*v))) {
    Add(out, c, path + std::string(key), rule::kDate,
        std::string(key) + " must be a date YYYY-MM-DD, is " + Describe(*v));
  }
}

void RequireMember(const JsonValue& e, std::string_view key, const EntityContext& c, Findings& out,
                   std::string_view why = "") {
  const JsonValue* v = Member(e, key);
  if (v == nullptr) {
    Add(out, c, std::string(key), rule::kRequiredField,
        std::string(key) + " is required by the RIO mapper" +
            (why.empty() ? std::string() : " (" + std::string(why) + ")"));
  }
}

void Enum(const JsonValue& e, std::string_view key, std::initializer_list<std::string_view> allowed,
          const std::string& path, std::string_view rule_id, const EntityContext& c,
          Findings& out) {
  const JsonValue* v = Member(e, key);
  if (v == nullptr || v->IsNull()) {
    return;
  }
  if (!v->IsString() || !In(Str(*v), allowed)) {
    Add(out, c, path + std::string(key), rule_id,
        std::string(key) + " is " + Describe(*v) + "; allowed: " + Join(allowed));
  }
}

}  // namespace

// --- helpers -------------------------------------------------------------------------------------

std::string_view EntityTypeName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kEducationSpecification:
      return "education-specification";
    case EntityKind::kProgram:
      return "program";
    case EntityKind::kCourse:
      return "course";
    case EntityKind::kOffering:
      return "offering";
  }
  return "";
}

bool LooksLikeHtml(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && (i + 1 == s.size() || !IsSpace(s[i + 1]))) {
      return true;
    }
    if (s[i] == '&') {
      // &\S+; : at least one non-space character, then ';', with no space in between.
      for (size_t j = i + 1; j < s.size() && !IsSpace(s[j]); ++j) {
        if (s[j] == ';' && j >= i + 2) {
          return true;
        }
      }
    }
  }
  return false;
}

bool IsLanguageTag(std::string_view t) {
  auto lower = [](char ch) { return ch >= 'a' && ch <= 'z'; };
  auto upper = [](char ch) { return ch >= 'A' && ch <= 'Z'; };
  auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
  size_t i = 0;
  while (i < t.size() && lower(t[i])) ++i;
  if (i < 2 || i > 4) return false;
  // Optional script: -Xxxx
  if (i + 5 <= t.size() && t[i] == '-' && upper(t[i + 1]) && lower(t[i + 2]) && lower(t[i + 3]) &&
      lower(t[i + 4]) && (i + 5 == t.size() || t[i + 5] == '-')) {
    i += 5;
  }
  if (i == t.size()) return true;
  // Optional region: -XX or -999, then the end.
  if (t[i] != '-') return false;
  std::string_view region = t.substr(i + 1);
  return (region.size() == 2 && upper(region[0]) && upper(region[1])) ||
         (region.size() == 3 && digit(region[0]) && digit(region[1]) && digit(region[2]));
}

bool IsRioNameLanguage(std::string_view tag) {
  return In(tag, {"nl-NL", "nl-BE", "en-AU", "en-BZ", "en-CA", "en-CB", "en-GB", "en-IE", "en-JM",
                  "en-NZ", "en-PH", "en-TT", "en-US", "en-ZA", "en-ZW"});
}

bool IsRioDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !IsDigits(s.substr(0, 4)) ||
      !IsDigits(s.substr(5, 2)) || !IsDigits(s.substr(8, 2))) {
    return false;
  }
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const int month = std::stoi(std::string(s.substr(5, 2)));
  const int day = std::stoi(std::string(s.substr(8, 2)));
  if (year == 0 || month < 1 || month > 12 || day < 1) return false;
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool IsLowercaseUuid(std::string_view s) { return ooapi::IsLowercaseUuid(s); }

bool LevelSectorMaps(std::string_view level, std::string_view sector) {
  if (In(level, {"undefined", "nt2-1", "nt2-2"})) return true;
  if (sector == "secondary vocational education") {
    return In(level, {"secondary vocational education", "secondary vocational education 1",
                      "secondary vocational education 2", "secondary vocational education 3",
                      "secondary vocational education 4"});
  }
  if (sector == "higher professional education") {
    return In(level, {"associate degree", "bachelor", "master", "doctoral", "undivided"});
  }
  if (sector == "university education") {
    return In(level, {"bachelor", "master", "doctoral", "undivided"});
  }
  return false;
}

size_t TextLength(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char ch : utf8) {
    if ((ch & 0xC0) != 0x80) {
      n += ch >= 0xF0 ? 2 : 1;  // a 4-byte sequence is a surrogate pair in UTF-16
    }
  }
  return n;
}

// --- rules on one object
// ---------------------------------------------------------------------------

void RuleRequiredFields(const JsonValue& e, const EntityContext& c, Findings& out) {
  switch (c.kind) {
    case EntityKind::kEducationSpecification: {
      for (const char* k : {"educationSpecificationId", "educationSpecificationType", "primaryCode",
                            "validFrom", "name"}) {
        RequireMember(e, k, c, out);
      }
      const JsonValue* type = StringMember(e, "educationSpecificationType");
      if (type != nullptr && Str(*type) == "program") {
        RequireMember(e, "formalDocument", c, out, "RIO XSD, waardedocumentsoort of a HoOpleiding");
      }
      break;
    }
    case EntityKind::kProgram:
      for (const char* k : {"programId", "name", "validFrom"}) RequireMember(e, k, c, out);
      if (c.eduspec_type == "program") {
        RequireMember(e, "modeOfStudy", c, out, "its education specification is of type program");
      }
      break;
    case EntityKind::kCourse:
      for (const char* k : {"courseId", "name", "validFrom"}) RequireMember(e, k, c, out);
      RequireMember(e, "duration", c, out, "listed as required by the mapper's course spec");
      break;
    case EntityKind::kOffering: {
      for (const char* k : {"offeringId", "startDate", "endDate", "enrollStartDate"}) {
        RequireMember(e, k, c, out);
      }
      size_t ci = 0;
      const JsonValue* rio = RioConsumer(e, &ci);
      if (!Has(e, "modeOfDelivery") && (rio == nullptr || !Has(*rio, "modeOfDelivery"))) {
        RequireMember(e, "modeOfDelivery", c, out, "on the offering or in its rio consumer");
      }
      break;
    }
  }
}

void RuleNullValues(const JsonValue& e, const EntityContext& c, Findings& out) {
  WalkNulls(e, "", c, out);
}

void RuleUuids(const JsonValue& e, const EntityContext& c, Findings& out) {
  auto check = [&](const std::string& path, const JsonValue& v) {
    if (!v.IsString() || !IsLowercaseUuid(Str(v))) {
      Add(out, c, path, rule::kUuid, path + " must be a lowercase UUID, is " + Describe(v));
    }
  };
  const char* id_key = IdKey(c.kind);
  if (const JsonValue* v = Member(e, id_key); v != nullptr && !v->IsNull()) check(id_key, *v);
  for (const char* key : {"educationSpecification", "parent"}) {
    if (const JsonValue* v = Member(e, key); v != nullptr && v->IsString()) check(key, *v);
  }
  if (const JsonValue* v = Member(e, "children"); v != nullptr && v->IsArray()) {
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      if ((*v)[i].IsString()) check(Index("children", i), (*v)[i]);
    }
  }
}

void RuleDates(const JsonValue& e, const EntityContext& c, Findings& out) {
  if (c.kind == EntityKind::kOffering) {
    for (const char* k : {"startDate", "endDate", "enrollStartDate", "enrollEndDate",
                          "flexibleEntryPeriodStart", "flexibleEntryPeriodEnd"}) {
      CheckDate(e, k, "", c, out);
    }
    return;
  }
  CheckDate(e, "validFrom", "", c, out);
  CheckDate(e, "validTo", "", c, out);
  size_t ci = 0;
  if (const JsonValue* rio = RioConsumer(e, &ci); rio != nullptr) {
    CheckDate(*rio, "lastStartDate", ConsumerPath(ci) + ".", c, out);
  }
  if (const JsonValue* list = Member(e, "timelineOverrides"); list != nullptr && list->IsArray()) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      const std::string p = Index("timelineOverrides", i) + ".";
      CheckDate((*list)[i], "validFrom", p, c, out);
      CheckDate((*list)[i], "validTo", p, c, out);
    }
  }
}

void RuleTextLengths(const JsonValue& e, const EntityContext& c, Findings& out) {
  if (const JsonValue* name = Member(e, "name");
      name != nullptr && name->IsArray() && name->Empty()) {
    Add(out, c, "name", rule::kRequiredField, "name has no entries");
  }
  ForEachText(e, [&](const std::string& field, const std::string& path, const JsonValue& item) {
    const JsonValue* value = StringMember(item, "value");
    if (value == nullptr) {
      if (!item.IsObject() || !Has(item, "value") || !Member(item, "value")->IsNull()) {
        Add(out, c, path + ".value", rule::kRequiredField, field + " entry needs a string value");
      }
      return;
    }
    const size_t max = field == "description" ? 3000 : 1000;
    const size_t n = TextLength(Str(*value));
    if (n < 1 || n > max) {
      Add(out, c, path + ".value", rule::kTextLength,
          field + " must be 1.." + std::to_string(max) + " characters, is " + std::to_string(n));
    }
  });
  const size_t abbreviation_max = c.kind == EntityKind::kEducationSpecification ? 255
                                  : c.kind == EntityKind::kProgram              ? 40
                                                                                : 0;
  if (const JsonValue* a = StringMember(e, "abbreviation"); a != nullptr) {
    const size_t n = TextLength(Str(*a));
    if (n < 1 || (abbreviation_max > 0 && n > abbreviation_max)) {
      Add(out, c, "abbreviation", rule::kTextLength,
          "abbreviation must be 1.." +
              (abbreviation_max > 0 ? std::to_string(abbreviation_max) : std::string("n")) +
              " characters, is " + std::to_string(n));
    }
  }
}

void RuleHtml(const JsonValue& e, const EntityContext& c, Findings& out) {
  ForEachText(e, [&](const std::string& field, const std::string& path, const JsonValue& item) {
    const JsonValue* value = StringMember(item, "value");
    if (value != nullptr && LooksLikeHtml(Str(*value))) {
      Add(out, c, path + ".value", rule::kHtml,
          field + " looks like HTML or an entity (" + Quote(Str(*value)) + "); RIO rejects it");
    }
  });
  if (const JsonValue* a = StringMember(e, "abbreviation");
      a != nullptr && LooksLikeHtml(Str(*a))) {
    Add(out, c, "abbreviation", rule::kHtml, "abbreviation looks like HTML or an entity");
  }
}

void RuleLanguageTags(const JsonValue& e, const EntityContext& c, Findings& out) {
  ForEachText(e, [&](const std::string& field, const std::string& path, const JsonValue& item) {
    const JsonValue* language = Member(item, "language");
    if (language == nullptr || !language->IsString() || !IsLanguageTag(Str(*language))) {
      Add(out, c, path + ".language", rule::kLanguageTag,
          field + " language " +
              (language == nullptr ? std::string("is missing") : Describe(*language)) +
              " does not match ^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$");
    }
  });
}

void RuleNameLanguage(const JsonValue& e, const EntityContext& c, Findings& out) {
  if (c.kind != EntityKind::kEducationSpecification) return;
  const JsonValue* name = Member(e, "name");
  if (name == nullptr || !name->IsArray() || name->Empty()) return;  // RuleRequiredFields
  for (const auto& item : name->GetArray()) {
    const JsonValue* language = StringMember(item, "language");
    if (language != nullptr && IsRioNameLanguage(Str(*language))) return;
  }
  Add(out, c, "name", rule::kNameLanguage,
      "name needs an entry in nl-NL or nl-BE or en-XX (en-GB, en-US, ...); plain nl/en do not "
      "count (#193)");
}

void RuleLevelSector(const JsonValue& e, const EntityContext& c, Findings& out) {
  if (c.kind != EntityKind::kEducationSpecification) return;
  const JsonValue* type = StringMember(e, "educationSpecificationType");
  if (type != nullptr && Str(*type) == "privateProgram") return;
  const JsonValue* level = StringMember(e, "level");
  const JsonValue* sector = StringMember(e, "sector");
  if (level == nullptr || sector == nullptr || !LevelSectorMaps(Str(*level), Str(*sector))) {
    Add(out, c,
        level == nullptr    ? "level"
        : sector == nullptr ? "sector"
                            : "level",
        rule::kLevelSector,
        "level " + (level ? Quote(Str(*level)) : std::string("(absent)")) + " with sector " +
            (sector ? Quote(Str(*sector)) : std::string("(absent)")) +
            " has no RIO niveau (required unless privateProgram)");
  }
}

void RuleEnums(const JsonValue& e, const EntityContext& c, Findings& out) {
  if (c.kind == EntityKind::kEducationSpecification) {
    Enum(e, "educationSpecificationType", {"program", "privateProgram", "cluster", "course"}, "",
         rule::kEnum, c, out);
    Enum(e, "formalDocument",
         {"diploma", "certificate", "no official document", "testimonial", "school advice"}, "",
         rule::kEnum, c, out);
    Enum(e, "levelOfQualification", {"1", "2", "3", "4", "4+", "5", "6", "7", "8"}, "", rule::kEnum,
         c, out);
    if (const JsonValue* f = Member(e, "fieldsOfStudy"); f != nullptr && !f->IsNull()) {
      if (!f->IsString() || Str(*f).size() > 4 || !IsDigits(Str(*f))) {
        Add(out, c, "fieldsOfStudy", rule::kEnum,
            "fieldsOfStudy must be 1-4 digits (ISCED-F), is " + Describe(*f));
      }
    }
  }
  if (c.kind == EntityKind::kProgram) {
    Enum(e, "modeOfStudy", {"full-time", "part-time", "dual training", "self-paced"}, "",
         rule::kEnum, c, out);
  }
  if (c.kind == EntityKind::kProgram || c.kind == EntityKind::kCourse) {
    if (const JsonValue* t = Member(e, "teachingLanguage"); t != nullptr && !t->IsNull()) {
      if (!t->IsString() || !IsLanguage3(Str(*t))) {
        Add(out, c, "teachingLanguage", rule::kEnum,
            "teachingLanguage must be [a-z]{3}, is " + Describe(*t));
      }
    }
  }
  if (const JsonValue* load = Member(e, "studyLoad"); load != nullptr && load->IsObject()) {
    Enum(*load, "studyLoadUnit", {"contacttime", "ects", "sbu", "sp", "hour"}, "studyLoad.",
         rule::kEnum, c, out);
  }
  if (c.kind == EntityKind::kOffering) {
    size_t ci = 0;
    const JsonValue* rio = RioConsumer(e, &ci);
    const JsonValue* modes = Member(e, "modeOfDelivery");
    if (modes != nullptr && !modes->IsNull() && (rio == nullptr || !Has(*rio, "modeOfDelivery"))) {
      bool mapped = false;
      if (modes->IsArray()) {
        for (const auto& m : modes->GetArray()) {
          mapped = mapped || (m.IsString() && In(Str(m), {"distance-learning", "on campus",
                                                          "online", "hybrid", "situated"}));
        }
      }
      if (!mapped) {
        Add(out, c, "modeOfDelivery", rule::kEnum,
            "modeOfDelivery must be an array with at least one of distance-learning, on campus, "
            "online, hybrid, situated");
      }
    }
  }
}

void RuleCodeTypes(const JsonValue& e, const EntityContext& c, Findings& out) {
  auto check = [&](const JsonValue& code, const std::string& path) {
    const JsonValue* type = Member(code, "codeType");
    if (type != nullptr && (!type->IsString() || !IsCodeType(Str(*type)))) {
      Add(out, c, path + ".codeType", rule::kCodeType,
          "codeType " + Describe(*type) + " is neither predefined nor x-[\\w.]+ (§9)");
    }
  };
  if (const JsonValue* p = Member(e, "primaryCode"); p != nullptr && p->IsObject()) {
    check(*p, "primaryCode");
  }
  if (const JsonValue* list = Member(e, "otherCodes"); list != nullptr && list->IsArray()) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      check((*list)[i], Index("otherCodes", i));
    }
  }
}

void RuleConsumerRequired(const JsonValue& e, const EntityContext& c, Findings& out) {
  if (c.kind == EntityKind::kEducationSpecification) return;  // its rio consumer is optional
  size_t ci = 0;
  const JsonValue* rio = RioConsumer(e, &ci);
  if (rio == nullptr) {
    Add(out, c, "consumers", rule::kConsumerRequired, "needs a consumer with consumerKey 'rio'");
    return;
  }
  const std::string base = ConsumerPath(ci) + ".";
  auto require = [&](const char* key, const std::string& why) {
    if (!Has(*rio, key)) {
      Add(out, c, base + key, rule::kConsumerRequired,
          std::string("rio consumer needs ") + key + " (" + why + ")");
    }
  };
  if (c.kind == EntityKind::kOffering) {
    require("registrationStatus", "required by the mapper, #241");
    require("requiredPermissionRegistration", "required by the RIO XSD");
    return;
  }
  require("educationOffererCode", "RIO onderwijsaanbiedercode");
  if (c.kind == EntityKind::kProgram && c.eduspec_type == "program") {
    require("propaedeuticPhase", "its education specification is of type program");
    require("studyChoiceCheck", "its education specification is of type program");
  }
  const JsonValue* joint = Member(*rio, "jointProgram");
  if (joint != nullptr && joint->IsBool() && joint->GetBool()) {
    require("educationUnitCode", "a joint program");
  }
}

void RuleConsumerValues(const JsonValue& e, const EntityContext& c, Findings& out) {
  size_t ci = 0;
  const JsonValue* rio = RioConsumer(e, &ci);
  if (rio == nullptr) return;
  const std::string base = ConsumerPath(ci) + ".";
  auto format = [&](const char* key, bool (*ok)(std::string_view), const char* what) {
    const JsonValue* v = Member(*rio, key);
    if (v != nullptr && !v->IsNull() && (!v->IsString() || !ok(Str(*v)))) {
      Add(out, c, base + key, rule::kConsumerEnum,
          std::string(key) + " must be " + what + ", is " + Describe(*v));
    }
  };
  auto list = [&](const char* key, bool (*ok)(std::string_view), const char* what) {
    const JsonValue* v = Member(*rio, key);
    if (v == nullptr || v->IsNull()) return;
    if (!v->IsArray()) {
      Add(out, c, base + key, rule::kConsumerEnum, std::string(key) + " must be an array");
      return;
    }
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      if (!(*v)[i].IsString() || !ok(Str((*v)[i]))) {
        Add(out, c, Index(base + key, i), rule::kConsumerEnum,
            std::string(key) + " entries must be " + what + ", is " + Describe((*v)[i]));
      }
    }
  };
  switch (c.kind) {
    case EntityKind::kEducationSpecification: {
      const JsonValue* sub = Member(*rio, "educationSpecificationSubType");
      const JsonValue* type = StringMember(e, "educationSpecificationType");
      if (sub != nullptr && !(sub->IsString() && Str(*sub) == "variant" && type != nullptr &&
                              Str(*type) == "program")) {
        Add(out, c, base + "educationSpecificationSubType", rule::kConsumerEnum,
            "educationSpecificationSubType must be absent unless it is 'variant' on type program, "
            "is " +
                Describe(*sub));
      }
      list(
          "category", [](std::string_view s) { return !s.empty(); }, "strings");
      return;
    }
    case EntityKind::kOffering:
      Enum(*rio, "registrationStatus", {"open", "closed"}, base, rule::kConsumerEnum, c, out);
      Enum(*rio, "requiredPermissionRegistration", {"yes", "no"}, base, rule::kConsumerEnum, c,
           out);
      list(
          "modeOfDelivery",
          [](std::string_view s) {
            return In(s, {"online", "hybrid", "situated", "lecture", "self-study", "coaching"});
          },
          "online, hybrid, situated, lecture, self-study or coaching");
      return;
    case EntityKind::kProgram:
    case EntityKind::kCourse:
      break;
  }
  format(
      "educationOffererCode", [](std::string_view s) { return IsRioCode3(s, 'A'); },
      "\\d{3}A\\d{3}");
  format(
      "educationLocationCode", [](std::string_view s) { return IsRioCode3(s, 'X'); },
      "\\d{3}X\\d{3}");
  format("educationUnitCode", IsEducationUnitCode, "\\d{4}O\\d{4}");
  list(
      "jointPartnerCodes", [](std::string_view s) { return IsRioCode3(s, 'A'); }, "\\d{3}A\\d{3}");
  list("teachingLanguages", IsLanguage3, "[a-z]{3}");
  list(
      "foreignPartners", [](std::string_view s) { return TextLength(s) <= 250; },
      "at most 250 characters");
  if (const JsonValue* joint = Member(*rio, "jointProgram");
      joint != nullptr && !joint->IsNull() && !joint->IsBool()) {
    Add(out, c, base + "jointProgram", rule::kConsumerEnum,
        "jointProgram must be a boolean, is " + Describe(*joint));
  }
  if (c.kind == EntityKind::kProgram) {
    Enum(*rio, "propaedeuticPhase",
         {"no_propaedeutic_phase", "propaedeutic_phase_exam", "propaedeutic_phase_no_exam"}, base,
         rule::kConsumerEnum, c, out);
    Enum(*rio, "studyChoiceCheck",
         {"no_study_choice_check", "study_choice_check_available", "study_choice_check_mandatory"},
         base, rule::kConsumerEnum, c, out);
    Enum(*rio, "acceleratedRoute", {"accelerated_route", "no_accelerated_route"}, base,
         rule::kConsumerEnum, c, out);
    Enum(*rio, "deficiency", {"deficiencies", "no_deficiencies"}, base, rule::kConsumerEnum, c,
         out);
    Enum(*rio, "requirementsActivities", {"requirements", "no_requirements"}, base,
         rule::kConsumerEnum, c, out);
  }
}

void RuleStudyLoadInteger(const JsonValue& e, const EntityContext& c, Findings& out) {
  const JsonValue* load = Member(e, "studyLoad");
  if (load == nullptr || !load->IsObject()) return;
  const JsonValue* value = Member(*load, "value");
  if (value == nullptr || value->IsNull()) return;
  bool ok = false;
  if (value->IsNumber()) {
    const double d = value->GetDouble();
    ok = std::floor(d) == d && d >= 0 && d <= 99999;
  }
  if (!ok) {
    Add(out, c, "studyLoad.value", rule::kStudyLoadInteger,
        "studyLoad.value must be an integer of at most 5 digits for RIO (StudielastZwaarte), is " +
            Describe(*value));
  }
}

void RuleCohortCode(const JsonValue& e, const EntityContext& c, Findings& out) {
  if (c.kind != EntityKind::kOffering) return;
  const JsonValue* primary = Member(e, "primaryCode");
  const JsonValue* code = primary != nullptr ? StringMember(*primary, "code") : nullptr;
  if (code == nullptr) {
    Add(out, c, "primaryCode.code", rule::kCohortCode,
        "primaryCode.code (the RIO cohortcode) is required");
    return;
  }
  const size_t n = TextLength(Str(*code));
  if (n < 1 || n > 60) {
    Add(out, c, "primaryCode.code", rule::kCohortCode,
        "primaryCode.code is the RIO cohortcode: 1..60 characters, is " + std::to_string(n) +
            " (codes are not truncated, RIO rejects them)");
  }
}

void RuleCostType(const JsonValue& e, const EntityContext& c, Findings& out) {
  const JsonValue* prices = Member(e, "priceInformation");
  if (prices == nullptr || !prices->IsArray()) return;
  for (rapidjson::SizeType i = 0; i < prices->Size(); ++i) {
    const JsonValue* type = Member((*prices)[i], "costType");
    if (type == nullptr || !type->IsString() || Str(*type) != "total costs") {
      Add(out, c, Index("priceInformation", i) + ".costType", rule::kCostType,
          "only costType 'total costs' maps to RIO; " +
              (type ? Describe(*type) : std::string("a missing costType")) +
              " yields an empty prijs soort and an XSD error");
    }
  }
}

// --- timeline rules
// --------------------------------------------------------------------------------

void RuleOverridesComplete(const JsonValue& e, const EntityContext& c, Findings& out) {
  const JsonValue* list = Member(e, "timelineOverrides");
  if (list == nullptr || !list->IsArray()) return;
  const char* inner_key = OverrideKey(c.kind);
  size_t main_ci = 0;
  const JsonValue* main_rio = RioConsumer(e, &main_ci);
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const JsonValue& item = (*list)[i];
    const std::string p = Index("timelineOverrides", i);
    if (!Has(item, "validFrom")) {
      Add(out, c, p + ".validFrom", rule::kOverrideIncomplete,
          "every timeline override needs its own validFrom (#190)");
    }
    const JsonValue* inner = Member(item, inner_key);
    if (inner == nullptr || !inner->IsObject()) {
      Add(out, c, p + "." + inner_key, rule::kOverrideIncomplete,
          std::string("timeline override lacks the '") + inner_key + "' object");
      continue;
    }
    const std::string ip = p + "." + inner_key + ".";
    if (!Has(*inner, "name")) {
      Add(out, c, ip + "name", rule::kOverrideIncomplete, "timeline override needs a name");
    }
    for (const char* key : {"description", "abbreviation", "link", "studyLoad"}) {
      if (Has(e, key) && !Has(*inner, key)) {
        Add(out, c, ip + key, rule::kOverrideIncomplete,
            std::string(key) +
                " is on the main object but not in this override; RIO gets a period without it "
                "(no fallback, #176)");
      }
    }
    if (main_rio == nullptr) continue;
    size_t ci = 0;
    const JsonValue* rio = RioConsumer(*inner, &ci);
    if (rio == nullptr) {
      Add(out, c, ip + "consumers", rule::kOverrideIncomplete,
          "timeline override lacks the rio consumer; repeat it in every period (K01010 risk)");
      continue;
    }
    for (auto m = main_rio->MemberBegin(); m != main_rio->MemberEnd(); ++m) {
      const std::string_view key(m->name.GetString(), m->name.GetStringLength());
      if (!Has(*rio, key)) {
        Add(out, c, ip + ConsumerPath(ci) + "." + std::string(key), rule::kOverrideIncomplete,
            "rio consumer attribute " + std::string(key) +
                " of the main object is missing in this override's rio consumer");
      }
    }
  }
}

void RuleDuplicatePeriodStarts(const JsonValue& e, const EntityContext& c, Findings& out) {
  const JsonValue* list = Member(e, "timelineOverrides");
  if (list == nullptr || !list->IsArray()) return;
  std::map<std::string, std::string> starts;  // validFrom -> path of its first period
  if (const JsonValue* from = StringMember(e, "validFrom"); from != nullptr) {
    starts.emplace(std::string(Str(*from)), "validFrom");
  }
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const JsonValue* from = StringMember((*list)[i], "validFrom");
    if (from == nullptr) continue;
    const std::string p = Index("timelineOverrides", i) + ".validFrom";
    auto [it, inserted] = starts.emplace(std::string(Str(*from)), p);
    if (!inserted) {
      Add(out, c, p, rule::kDuplicatePeriodStart,
          "two periods start on " + it->first + " (also " + it->second +
              "); each RIO period needs its own start");
    }
  }
}

void RuleOverrideValidTo(const JsonValue& e, const EntityContext& c, Findings& out) {
  const JsonValue* list = Member(e, "timelineOverrides");
  if (list == nullptr || !list->IsArray() || Has(e, "validTo")) return;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const JsonValue* to = StringMember((*list)[i], "validTo");
    if (to != nullptr) {
      Add(out, c, Index("timelineOverrides", i) + ".validTo", rule::kOverrideValidTo,
          "the object has no validTo, so RIO would end the whole entity on " +
              std::string(Str(*to)) + " (§9); leave validTo off overrides");
    }
  }
}

// --- per kind ------------------------------------------------------------------------------------

namespace {

// Rules that apply to one period's object (the main object or an override's inner object).
void PeriodRules(const JsonValue& o, const EntityContext& c, Findings& out) {
  RuleTextLengths(o, c, out);
  RuleHtml(o, c, out);
  RuleLanguageTags(o, c, out);
  RuleNameLanguage(o, c, out);
  RuleLevelSector(o, c, out);
  RuleEnums(o, c, out);
  RuleCodeTypes(o, c, out);
  RuleConsumerValues(o, c, out);
  RuleStudyLoadInteger(o, c, out);
}

}  // namespace

Findings CheckEntity(const JsonValue& e, const EntityContext& c) {
  Findings out;
  if (!e.IsObject()) {
    Add(out, c, "", rule::kInvalidJson, "the response is not a JSON object");
    return out;
  }
  RuleNullValues(e, c, out);
  RuleRequiredFields(e, c, out);
  RuleUuids(e, c, out);
  RuleDates(e, c, out);
  RuleConsumerRequired(e, c, out);
  PeriodRules(e, c, out);
  RuleCohortCode(e, c, out);
  RuleCostType(e, c, out);
  RuleOverridesComplete(e, c, out);
  RuleDuplicatePeriodStarts(e, c, out);
  RuleOverrideValidTo(e, c, out);
  if (const JsonValue* list = Member(e, "timelineOverrides"); list != nullptr && list->IsArray()) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      const JsonValue* inner = Member((*list)[i], OverrideKey(c.kind));
      if (inner == nullptr || !inner->IsObject()) continue;  // RuleOverridesComplete
      EntityContext oc = c;
      oc.path_prefix =
          c.path_prefix + Index("timelineOverrides", i) + "." + OverrideKey(c.kind) + ".";
      PeriodRules(*inner, oc, out);
    }
  }
  return out;
}

Findings CheckOfferingsPage(const JsonValue& page, const EntityContext& base) {
  Findings out;
  const JsonValue* items = Member(page, "items");
  if (items == nullptr || !items->IsArray()) {
    Add(out, base, "items", rule::kInvalidJson, "an offerings page needs an items array");
    return out;
  }
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    EntityContext c = base;
    c.kind = EntityKind::kOffering;
    c.path_prefix = base.path_prefix + Index("items", i) + ".";
    const JsonValue* id = StringMember((*items)[i], "offeringId");
    c.entity_id = id != nullptr ? std::string(Str(*id)) : "";
    Findings f = CheckEntity((*items)[i], c);
    out.insert(out.end(), std::make_move_iterator(f.begin()), std::make_move_iterator(f.end()));
  }
  return out;
}

Findings OfferingWindowFindings(const std::vector<std::string>& seen,
                                const std::vector<std::string>& all, const EntityContext& c) {
  Findings out;
  const std::set<std::string> visible(seen.begin(), seen.end());
  for (const std::string& id : all) {
    if (!visible.contains(id)) {
      EntityContext oc = c;
      oc.kind = EntityKind::kOffering;
      oc.entity_id = id;
      Add(out, oc, "", rule::kOfferingWindow,
          "offering exists but the mapper's request does not return it (default offering window); "
          "an upsert would delete this cohort from RIO");
    }
  }
  return out;
}

}  // namespace ooapi::check
