// The matching-SIS generator: a SIS side derived from a RIO snapshot, with the ground truth of
// the right links, for the accuracy test and the benchmark of `sync plan`.

#include "ooapi/testing/matching_sis.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ooapi/common/date.h"
#include "ooapi/common/json.h"
#include "ooapi/common/rng.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/plan/match.h"

namespace ooapi::testing {
namespace {

using sync::Item;
using sync::ItemKind;
using sync::ItemKindName;
using sync::EigenSleutelColumn;
using sync::NormalizeName;
using sync::Snapshot;

std::string Val(const Item& item, std::string_view column) {
  const std::string* v = item.Value(column);
  return v ? std::string(TrimAscii(*v)) : std::string();
}

// A spelling the normaliser must see through.
std::string Fuzz(const std::string& name, Rng& rng) {
  switch (rng.Next() % 5) {
    case 0: {
      std::string u = name;
      std::transform(u.begin(), u.end(), u.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      return u;
    }
    case 1:
      return "B " + name;
    case 2:
      return name + " (VT)";
    case 3: {
      std::string u = name;
      size_t e = u.find('e');
      if (e != std::string::npos) u.replace(e, 1, "\xC3\xA9");  // é
      return u;
    }
    default: {
      std::string u;
      for (char c : name) {
        if (c == ',') continue;
        u.push_back(c == ' ' ? '-' : c);
      }
      return u + ".";
    }
  }
}

// The names of an item's earlier periods that differ from its current name.
std::vector<std::string> OlderNames(const Item& item, std::string_view column) {
  std::vector<std::string> out;
  const std::string current = Val(item, column);
  rapidjson::Document doc;
  doc.Parse(item.periods_json.c_str(), item.periods_json.size());
  if (doc.HasParseError() || !doc.IsArray()) return out;
  for (const auto& period : doc.GetArray()) {
    if (!period.IsObject()) continue;
    auto it = period.FindMember(
        rapidjson::Value(column.data(), static_cast<rapidjson::SizeType>(column.size())));
    if (it == period.MemberEnd() || !it->value.IsString()) continue;
    std::string name(it->value.GetString(), it->value.GetStringLength());
    if (!name.empty() && NormalizeName(name) != NormalizeName(current)) out.push_back(name);
  }
  return out;
}

// A date a few days (1..20) or months (1..11) off, either way.
std::string Shift(const std::string& date, bool months, Rng& rng) {
  const int days =
      months ? 30 * static_cast<int>(1 + rng.Next() % 11) : static_cast<int>(1 + rng.Next() % 20);
  return AddDays(date, rng.Next() % 2 == 0 ? days : -days);
}

// The share of matched OEs and AOs whose SIS facts differ from RIO in one respect.
constexpr int kVariedPercent = 30;

adapters::LanguageStrings Nl(const std::string& v) { return {{"nl-NL", v}}; }

bool IsCourse(const Item& ao) { return ao.file.find("opleidingsonderdelen") != std::string::npos; }

// A program or course with the given facts.
template <typename Offered>
Offered OfferedEntity(const std::string& id, const adapters::OfferedProperties& properties,
                      const std::string& spec_id, const std::optional<std::string>& from,
                      const std::optional<std::string>& to) {
  Offered o;
  o.id = id;
  o.properties = properties;
  o.education_specification_id = spec_id;
  o.valid_from = from;
  o.valid_to = to;
  return o;
}

// One run of GenerateMatchingSis. The order of the random draws is the generator's contract: a
// seed must keep giving the same SIS.
class Builder {
 public:
  Builder(const Snapshot& snapshot, uint64_t seed) : snapshot_(snapshot), rng_(seed, 7) {}

  MatchingSis Build() && {
    CountKeys();
    CountOeNamesAndCodes();
    for (const Item& oe : snapshot_.items) {
      if (oe.kind == ItemKind::kOe && oe.in_bestuur) AddSpecs(oe);
    }
    CountTwins();
    for (const Item& ao : snapshot_.items) {
      if (ao.kind == ItemKind::kAo && ao.in_bestuur) AddOffered(ao);
    }
    for (const Item& c : snapshot_.items) {
      if (c.kind == ItemKind::kCohort && c.in_bestuur) AddOffering(c);
    }
    AddSisOnly();
    return std::move(out_);
  }

 private:
  // --- education specifications -----------------------------------------------------------------

  adapters::EducationSpecification SpecFrom(const Item& oe, const std::string& id, bool fuzzy) {
    adapters::EducationSpecification s;
    s.id = id;
    std::string name = Val(oe, "VOLLEDIGE_NAAM");
    s.properties.type = "program";
    s.properties.name = Nl(fuzzy ? Fuzz(name, rng_) : name);
    s.properties.primary_code = {"crohoCreboCode", Val(oe, "ERKENDEOPLEIDINGSCODE")};
    if (s.properties.primary_code.code.empty()) s.properties.primary_code = {"programCode", id};
    const std::string niveau = Val(oe, "NIVEAU");
    if (niveau == "ONBEPAALD") s.properties.level = "undefined";
    if (EndsWith(niveau, "-BA")) s.properties.level = "bachelor";
    if (EndsWith(niveau, "-MA")) s.properties.level = "master";
    if (niveau == "HBO-AD") s.properties.level = "associate degree";
    if (StartsWith(niveau, "WO")) s.properties.sector = "university education";
    if (StartsWith(niveau, "HBO")) s.properties.sector = "higher professional education";
    if (Val(oe, "SOORT") == "VARIANT") {
      s.properties.rio.sub_type = "variant";
      auto parent = oe_sis_.find(Val(oe, "VARIANT_VAN"));
      if (parent != oe_sis_.end()) s.parent_id = parent->second;
    }
    const std::string sl = Val(oe, "STUDIELAST");
    if (!sl.empty()) {
      s.properties.study_load =
          adapters::StudyLoad{Val(oe, "STUDIELASTEENHEID") == "ECTS_PUNT" ? "ects" : "sbu",
                              static_cast<double>(std::stoll(sl))};
    }
    if (!Val(oe, "BEGINDATUM").empty()) s.valid_from = Val(oe, "BEGINDATUM");
    if (!Val(oe, "EINDDATUM").empty()) s.valid_to = Val(oe, "EINDDATUM");
    return s;
  }

  // The SIS holds one fact of a matched OE differently, as SIS and RIO drift apart in life: the
  // begin date a few days or months off, another end date, another studyload, only the name of
  // an earlier period, or (when it has an ISAT code to carry it) a new name. The right link stays
  // the same; the evidence has to see through it.
  void VarySpec(const Item& oe, adapters::EducationSpecification& s) {
    std::vector<std::string> kinds = {"begin days", "begin months", "end date"};
    if (s.properties.study_load) kinds.emplace_back("studyload");
    const std::vector<std::string> older = OlderNames(oe, "VOLLEDIGE_NAAM");
    if (!older.empty()) kinds.emplace_back("earlier name only");
    if (!Val(oe, "ERKENDEOPLEIDINGSCODE").empty()) kinds.emplace_back("renamed");
    const std::string kind = kinds[rng_.Next() % kinds.size()];
    if (kind == "begin days" || kind == "begin months") {
      if (!s.valid_from) return;
      s.valid_from = Shift(*s.valid_from, kind == "begin months", rng_);
    } else if (kind == "end date") {
      s.valid_to =
          s.valid_to
              ? std::nullopt
              : std::optional<std::string>(AddDays(s.valid_from.value_or("2020-09-01"), 3650));
    } else if (kind == "studyload") {
      s.properties.study_load->value = s.properties.study_load->value == 240 ? 180 : 240;
    } else if (kind == "earlier name only") {
      s.properties.name = Nl(older[rng_.Next() % older.size()]);
    } else {
      s.properties.name = Nl(Val(oe, "VOLLEDIGE_NAAM") + " nieuwe stijl");
    }
    truth().planted["oe " + kind]++;
  }

  // A key on several RIO items is a conflict whatever the SIS holds; the SIS holds that id once.
  void CountKeys() {
    for (const Item& item : snapshot_.items) {
      if (!item.in_bestuur || (item.kind != ItemKind::kOe && item.kind != ItemKind::kAo)) continue;
      const std::string k = ToLowerAscii(Val(item, EigenSleutelColumn(item.kind)));
      if (!k.empty()) key_count_[std::string(ItemKindName(item.kind)) + ":" + k]++;
    }
  }

  // An OE that shares no normalised name of any period and no ISAT code with another of the
  // bestuur's OEs: left out of the SIS, no evidence points anywhere, so it must end RIO only. One
  // that shares them, left out, is claimed by its twin's SIS entity as strongly as the twin's own
  // facts there allow (which the varied facts below weaken): it must not be proposed, and
  // whether it ends RIO only, ambiguous or conflict depends on how well the twin fits.
  void CountOeNamesAndCodes() {
    for (const Item& oe : snapshot_.items) {
      if (oe.kind != ItemKind::kOe || !oe.in_bestuur) continue;
      for (const auto& n : NamesOf(oe)) oe_names_[n]++;
      if (!Val(oe, "ERKENDEOPLEIDINGSCODE").empty()) oe_isats_[Val(oe, "ERKENDEOPLEIDINGSCODE")]++;
    }
  }

  static std::set<std::string> NamesOf(const Item& oe) {
    std::set<std::string> names;
    for (std::string_view c : {"VOLLEDIGE_NAAM", "KORTE_NAAM", "INTERNATIONALE_NAAM"}) {
      if (!Val(oe, c).empty()) names.insert(NormalizeName(Val(oe, c)));
      for (const auto& n : OlderNames(oe, c)) names.insert(NormalizeName(n));
    }
    names.erase("");
    return names;
  }

  bool Distinct(const Item& oe) {
    for (const auto& n : NamesOf(oe)) {
      if (oe_names_[n] > 1) return false;
    }
    const std::string isat = Val(oe, "ERKENDEOPLEIDINGSCODE");
    return isat.empty() || oe_isats_[isat] == 1;
  }

  // The education specification(s) of one OE, and its right answer.
  void AddSpecs(const Item& oe) {
    const std::string key = ToLowerAscii(Val(oe, "EIGEN_OPLEIDINGSEENHEIDSLEUTEL"));
    if (!key.empty() && key_count_["oe:" + key] > 1 && oe.classification != "edudex") {
      truth().expected[oe.code] = "conflict";
      truth().planted["shared key"]++;
      if (spec_ids_.insert(key).second) out_.data.specs.push_back(SpecFrom(oe, key, false));
      return;
    }
    if (oe.classification == "edudex") {
      truth().expected[oe.code] = "edudex";
      if (rng_.Below(100) < 50) out_.data.specs.push_back(SpecFrom(oe, rng_.HexUuid(), false));
      truth().planted["edudex"]++;
      return;
    }
    const int r = rng_.Below(100);
    const bool alone = Distinct(oe);
    if (r < 7 || (alone && r >= 75)) {
      truth().expected[oe.code] = alone ? "rio_only" : "not_proposed";
      truth().planted[alone ? "rio_only" : "rio_only with a twin"]++;
      return;
    }
    if (r < 11) {
      truth().expected[oe.code] = "ambiguous";
      truth().planted["ambiguous"]++;
      out_.data.specs.push_back(SpecFrom(oe, rng_.HexUuid(), false));
      // Whether the twin is fuzzy is drawn before its id: the order these draws have always had.
      const bool fuzzy = rng_.Below(100) < 50;
      const std::string id = rng_.HexUuid();
      out_.data.specs.push_back(SpecFrom(oe, id, fuzzy));
      return;
    }
    AddMatchedSpec(oe, key);
  }

  // An OE the SIS holds once: exactly or fuzzily named, linked, a conflict or to be proposed.
  void AddMatchedSpec(const Item& oe, const std::string& key) {
    const bool fuzzy = rng_.Below(100) < 40;
    truth().planted[fuzzy ? "fuzzy" : "exact"]++;
    std::string id = rng_.HexUuid();
    if (oe.classification == "linked" && rng_.Below(100) >= 5) {
      id = key;
      truth().expected[oe.code] = "linked:" + id;
    } else if (oe.classification == "linked" || oe.classification == "foreign") {
      truth().expected[oe.code] = "conflict";
    } else {
      truth().expected[oe.code] = "link:" + id;
      oe_sis_[oe.code] = id;
    }
    if (oe.classification == "linked" && id == key) oe_sis_[oe.code] = id;
    adapters::EducationSpecification spec = SpecFrom(oe, id, fuzzy);
    if (rng_.Below(100) < kVariedPercent) VarySpec(oe, spec);
    out_.data.specs.push_back(std::move(spec));
  }

  // --- programs and courses ---------------------------------------------------------------------

  // AOs of one OE that agree on every fact the SIS can hold (name, aanbieder, locatie, vorm,
  // voertaal, dates) cannot be told apart by anyone: the right answer for them is "ambiguous".
  static std::string Facts(const Item& ao) {
    std::string f = ao.parent + "|" + NormalizeName(Val(ao, "EIGENNAAM"));
    for (std::string_view c : {"ONDERWIJSAANBIEDERID", "ONDERWIJSLOCATIECODE", "VORM", "VOERTAAL",
                               "BEGINDATUM", "EINDDATUM"}) {
      f += "|" + Val(ao, c);
    }
    return f;
  }

  void CountTwins() {
    for (const Item& ao : snapshot_.items) {
      if (ao.kind == ItemKind::kAo && ao.in_bestuur) twins_[Facts(ao)]++;
    }
  }

  // The program(s) or course(s) of one AO under its OE's SIS entity, and its right answer.
  void AddOffered(const Item& ao) {
    const bool course = IsCourse(ao);
    const std::string key = ToLowerAscii(Val(ao, "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL"));
    auto parent = oe_sis_.find(ao.parent);
    if (!key.empty() && key_count_["ao:" + key] > 1 && ao.classification != "edudex") {
      truth().expected[ao.code] = "conflict";  // whatever the SIS holds
      truth().planted["ao shared key"]++;
      return;
    }
    if (ao.classification == "edudex") {
      truth().expected[ao.code] = "edudex";
    } else if (parent == oe_sis_.end()) {
      truth().expected[ao.code] = "rio_only";
      return;
    }
    if (parent == oe_sis_.end()) return;
    const int r = rng_.Below(100);
    int copies = 1;
    std::string id = rng_.HexUuid();
    if (!PlanAo(ao, r, key, id, copies)) return;
    const bool fuzzy = rng_.Below(100) < 40;
    for (int k = 0; k < copies; ++k) {
      if (k > 0) id = rng_.HexUuid();
      adapters::OfferedProperties p = OfferedFrom(ao, fuzzy);
      std::optional<std::string> from;
      std::optional<std::string> to;
      if (!Val(ao, "BEGINDATUM").empty()) from = Val(ao, "BEGINDATUM");
      if (!Val(ao, "EINDDATUM").empty()) to = Val(ao, "EINDDATUM");
      // One fact held differently (see VarySpec), only for an AO the SIS holds once.
      if (copies == 1 && rng_.Below(100) < kVariedPercent) VaryOffered(ao, course, p, from, to);
      if (course) {
        out_.data.courses.push_back(
            OfferedEntity<adapters::Course>(id, p, parent->second, from, to));
      } else {
        out_.data.programs.push_back(
            OfferedEntity<adapters::Program>(id, p, parent->second, from, to));
      }
    }
    if (copies == 1) {
      ao_sis_[ao.code] = id;
      ao_type_[ao.code] = course ? "course" : "program";
    }
  }

  // The right answer for an AO under a matched OE, from the roll `r`; sets how many SIS entities
  // hold it and, for an already-linked one, its id. False when the SIS does not hold it.
  bool PlanAo(const Item& ao, int r, const std::string& key, std::string& id, int& copies) {
    if (ao.classification == "edudex") {
      if (r < 50) return false;
    } else if (r < 6) {
      truth().expected[ao.code] = "rio_only";
      truth().planted["ao rio_only"]++;
      return false;
    } else if (r < 9) {
      truth().expected[ao.code] = "ambiguous";
      truth().planted["ao ambiguous"]++;
      copies = 2;
    } else if (ao.classification == "linked" && r >= 12) {
      id = key;
      truth().expected[ao.code] = "linked:" + id;
    } else if (ao.classification == "linked" || ao.classification == "foreign") {
      truth().expected[ao.code] = "conflict";
    } else if (twins_[Facts(ao)] > 1) {
      truth().expected[ao.code] = "ambiguous";
      truth().planted["ao indistinguishable"]++;
    } else {
      truth().expected[ao.code] = "link:" + id;
    }
    return true;
  }

  // The properties RIO's facts of the AO give, its name fuzzed when `fuzzy`.
  adapters::OfferedProperties OfferedFrom(const Item& ao, bool fuzzy) {
    adapters::OfferedProperties p;
    p.primary_code = {"programCode", ao.code};
    const std::string name = Val(ao, "EIGENNAAM");
    p.name = Nl(fuzzy ? Fuzz(name, rng_) : name);
    p.rio.education_offerer_code = Val(ao, "ONDERWIJSAANBIEDERID");
    if (!Val(ao, "ONDERWIJSLOCATIECODE").empty()) {
      p.rio.education_location_code = Val(ao, "ONDERWIJSLOCATIECODE");
    }
    const std::string vorm = Val(ao, "VORM");
    if (vorm == "VOLTIJD") p.mode_of_study = "full-time";
    if (vorm == "DEELTIJD") p.mode_of_study = "part-time";
    if (vorm == "DUAAL") p.mode_of_study = "dual training";
    const std::string voertaal = Val(ao, "VOERTAAL");
    for (std::string_view l : Split(voertaal, ',')) {
      if (!l.empty()) p.rio.teaching_languages.push_back(ToLowerAscii(TrimAscii(l)));
    }
    return p;
  }

  // Begin date days or months off, another end date, no or another locatie, or a name of the
  // SIS's own.
  void VaryOffered(const Item& ao, bool course, adapters::OfferedProperties& p,
                   std::optional<std::string>& from, std::optional<std::string>& to) {
    std::vector<std::string> kinds = {"begin days", "begin months", "end date", "name"};
    if (p.rio.education_location_code) kinds.emplace_back("locatie");
    const std::string kind = kinds[rng_.Next() % kinds.size()];
    if (kind == "begin days" || kind == "begin months") {
      if (from) from = Shift(*from, kind == "begin months", rng_);
    } else if (kind == "end date") {
      to = to ? std::nullopt
              : std::optional<std::string>(AddDays(from.value_or("2030-08-31"), 3650));
    } else if (kind == "locatie") {
      if (rng_.Next() % 2 == 0) {
        p.rio.education_location_code.reset();
      } else {
        p.rio.education_location_code = "999X" + p.rio.education_location_code->substr(4);
      }
    } else {
      p.name = Nl(Val(ao, "EIGENNAAM") + " " + (course ? "(onderdeel)" : "Leeuwarden"));
    }
    truth().planted["ao " + kind]++;
  }

  // --- offerings and SIS-only entities ----------------------------------------------------------

  // The offering of cohort `c` under its AO's SIS entity, unless it is RIO only (an upsert would
  // delete it) or has no intake date.
  void AddOffering(const Item& c) {
    auto ao = ao_sis_.find(c.parent);
    if (ao == ao_sis_.end()) return;
    std::string start = Val(c, "INSTROOMMOMENT");
    if (start.empty()) start = Val(c, "BEGIN_INSTROOMPERIODE");
    const int r = rng_.Below(100);
    if (r < 7 || start.empty()) return;
    const std::string code = r < 15 ? "SIS-" + Val(c, "COHORTCODE") : Val(c, "COHORTCODE");
    const std::string& type = ao_type_[c.parent];
    const std::string enroll = Val(c, "BEGIN_AANMELDPERIODE");
    adapters::Offering o;
    o.id = rng_.HexUuid();
    o.offering_type = type;
    o.primary_code = {"offeringCode", code};
    o.name = Nl("Cohort " + code);
    if (type == "course") {
      o.course_id = ao->second;
    } else {
      o.program_id = ao->second;
    }
    o.start_date = start;
    o.end_date = start;
    if (!enroll.empty()) o.enroll_start_date = enroll;
    o.rio.registration_status = Val(c, "COHORTSTATUS") == "G" ? "closed" : "open";
    o.rio.required_permission_registration = "no";
    out_.data.offerings.push_back(std::move(o));
  }

  // SIS-only entities: new programmes an upsert will create.
  void AddSisOnly() {
    for (int i = 0; i < 25; ++i) {
      adapters::EducationSpecification s;
      s.id = rng_.HexUuid();
      s.properties.type = "program";
      s.properties.primary_code = {"programCode", "NEW-" + std::to_string(i)};
      s.properties.name = Nl("Nieuwe opleiding " + std::to_string(i) + " zonder RIO");
      s.valid_from = "2026-09-01";
      truth().sis_only.insert(s.id);
      out_.data.specs.push_back(std::move(s));
    }
    truth().planted["sis_only"] = 25;
  }

  SisTruth& truth() { return out_.truth; }

  const Snapshot& snapshot_;
  Rng rng_;
  MatchingSis out_;
  std::unordered_map<std::string, std::string> oe_sis_;  // OE code -> its single SIS spec id
  std::unordered_map<std::string, std::string> ao_sis_;  // AO code -> program/course id
  std::unordered_map<std::string, std::string> ao_type_;
  std::unordered_map<std::string, int> key_count_;            // "oe:key" -> RIO items with it
  std::unordered_map<std::string, int> oe_names_, oe_isats_;  // -> OEs with the name or code
  std::unordered_map<std::string, int> twins_;                // Facts -> AOs with them
  std::unordered_set<std::string> spec_ids_;
};

}  // namespace

MatchingSis GenerateMatchingSis(const Snapshot& snapshot, uint64_t seed) {
  return Builder(snapshot, seed).Build();
}

}  // namespace ooapi::testing
