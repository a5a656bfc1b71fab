// The matching-SIS generator: a SIS side derived from a RIO snapshot, with the ground truth of
// the right links, for the accuracy test and the benchmark of `sync plan`.

#include "ooapi/testing/matching_sis.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "ooapi/common/date.h"
#include "ooapi/common/json.h"
#include "ooapi/common/rng.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/plan/plan.h"

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

}  // namespace

MatchingSis GenerateMatchingSis(const Snapshot& snapshot, uint64_t seed) {
  MatchingSis out;
  Rng rng(seed, 7);
  auto& truth = out.truth;
  std::unordered_map<std::string, std::string> oe_sis;  // OE code -> its single SIS spec id
  std::unordered_map<std::string, std::string> ao_sis;  // AO code -> program/course id
  std::unordered_map<std::string, std::string> ao_type;
  auto spec_from = [&](const Item& oe, const std::string& id, bool fuzzy) {
    adapters::EducationSpecification s;
    s.id = id;
    std::string name = Val(oe, "VOLLEDIGE_NAAM");
    s.properties.type = "program";
    s.properties.name = Nl(fuzzy ? Fuzz(name, rng) : name);
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
      auto parent = oe_sis.find(Val(oe, "VARIANT_VAN"));
      if (parent != oe_sis.end()) s.parent_id = parent->second;
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
  };
  // The SIS holds one fact of a matched OE differently, as SIS and RIO drift apart in life: the
  // begin date a few days or months off, another end date, another studyload, only the name of
  // an earlier period, or (when it has an ISAT code to carry it) a new name. The right link stays
  // the same; the evidence has to see through it.
  auto vary_spec = [&](const Item& oe, adapters::EducationSpecification& s) {
    std::vector<std::string> kinds = {"begin days", "begin months", "end date"};
    if (s.properties.study_load) kinds.push_back("studyload");
    const std::vector<std::string> older = OlderNames(oe, "VOLLEDIGE_NAAM");
    if (!older.empty()) kinds.push_back("earlier name only");
    if (!Val(oe, "ERKENDEOPLEIDINGSCODE").empty()) kinds.push_back("renamed");
    const std::string kind = kinds[rng.Next() % kinds.size()];
    if (kind == "begin days" || kind == "begin months") {
      if (!s.valid_from) return;
      s.valid_from = Shift(*s.valid_from, kind == "begin months", rng);
    } else if (kind == "end date") {
      s.valid_to =
          s.valid_to
              ? std::nullopt
              : std::optional<std::string>(AddDays(s.valid_from.value_or("2020-09-01"), 3650));
    } else if (kind == "studyload") {
      s.properties.study_load->value = s.properties.study_load->value == 240 ? 180 : 240;
    } else if (kind == "earlier name only") {
      s.properties.name = Nl(older[rng.Next() % older.size()]);
    } else {
      s.properties.name = Nl(Val(oe, "VOLLEDIGE_NAAM") + " nieuwe stijl");
    }
    truth.planted["oe " + kind]++;
  };
  // A key on several RIO items is a conflict whatever the SIS holds (issue 6: "one key on two RIO
  // items"); the SIS holds that id once.
  std::unordered_map<std::string, int> key_count;
  for (const Item& item : snapshot.items) {
    if (!item.in_bestuur || (item.kind != ItemKind::kOe && item.kind != ItemKind::kAo)) continue;
    const std::string k =
        ToLowerAscii(Val(item, EigenSleutelColumn(item.kind)));
    if (!k.empty()) key_count[std::string(ItemKindName(item.kind)) + ":" + k]++;
  }
  // An OE that shares no normalised name of any period and no ISAT code with another of the
  // bestuur's OEs: left out of the SIS, no evidence points anywhere, so it must end RIO only. One
  // that shares them, left out, is claimed by its twin's SIS entity as strongly as the twin's own
  // facts there allow (which the varied facts below weaken): it must not be proposed, and
  // whether it ends RIO only, ambiguous or conflict depends on how well the twin fits.
  std::unordered_map<std::string, int> oe_names, oe_isats;
  auto names_of = [](const Item& oe) {
    std::set<std::string> names;
    for (std::string_view c : {"VOLLEDIGE_NAAM", "KORTE_NAAM", "INTERNATIONALE_NAAM"}) {
      if (!Val(oe, c).empty()) names.insert(NormalizeName(Val(oe, c)));
      for (const auto& n : OlderNames(oe, c)) names.insert(NormalizeName(n));
    }
    names.erase("");
    return names;
  };
  for (const Item& oe : snapshot.items) {
    if (oe.kind != ItemKind::kOe || !oe.in_bestuur) continue;
    for (const auto& n : names_of(oe)) oe_names[n]++;
    if (!Val(oe, "ERKENDEOPLEIDINGSCODE").empty()) oe_isats[Val(oe, "ERKENDEOPLEIDINGSCODE")]++;
  }
  auto distinct = [&](const Item& oe) {
    for (const auto& n : names_of(oe)) {
      if (oe_names[n] > 1) return false;
    }
    const std::string isat = Val(oe, "ERKENDEOPLEIDINGSCODE");
    return isat.empty() || oe_isats[isat] == 1;
  };
  std::unordered_set<std::string> spec_ids;
  for (const Item& oe : snapshot.items) {
    if (oe.kind != ItemKind::kOe || !oe.in_bestuur) continue;
    const std::string key = ToLowerAscii(Val(oe, "EIGEN_OPLEIDINGSEENHEIDSLEUTEL"));
    if (!key.empty() && key_count["oe:" + key] > 1 && oe.classification != "edudex") {
      truth.expected[oe.code] = "conflict";
      truth.planted["shared key"]++;
      if (spec_ids.insert(key).second) out.data.specs.push_back(spec_from(oe, key, false));
      continue;
    }
    if (oe.classification == "edudex") {
      truth.expected[oe.code] = "edudex";
      if (rng.Below(100) < 50) out.data.specs.push_back(spec_from(oe, rng.HexUuid(), false));
      truth.planted["edudex"]++;
      continue;
    }
    const int r = rng.Below(100);
    const bool alone = distinct(oe);
    if (r < 7 || (alone && r >= 75)) {
      truth.expected[oe.code] = alone ? "rio_only" : "not_proposed";
      truth.planted[alone ? "rio_only" : "rio_only with a twin"]++;
      continue;
    }
    if (r < 11) {
      truth.expected[oe.code] = "ambiguous";
      truth.planted["ambiguous"]++;
      out.data.specs.push_back(spec_from(oe, rng.HexUuid(), false));
      out.data.specs.push_back(spec_from(oe, rng.HexUuid(), rng.Below(100) < 50));
      continue;
    }
    const bool fuzzy = rng.Below(100) < 40;
    truth.planted[fuzzy ? "fuzzy" : "exact"]++;
    std::string id = rng.HexUuid();
    if (oe.classification == "linked" && rng.Below(100) >= 5) {
      id = key;
      truth.expected[oe.code] = "linked:" + id;
    } else if (oe.classification == "linked" || oe.classification == "foreign") {
      truth.expected[oe.code] = "conflict";
    } else {
      truth.expected[oe.code] = "link:" + id;
      oe_sis[oe.code] = id;
    }
    if (oe.classification == "linked" && id == key) oe_sis[oe.code] = id;
    adapters::EducationSpecification spec = spec_from(oe, id, fuzzy);
    if (rng.Below(100) < kVariedPercent) vary_spec(oe, spec);
    out.data.specs.push_back(std::move(spec));
  }
  // AOs of one OE that agree on every fact the SIS can hold (name, aanbieder, locatie, vorm,
  // voertaal, dates) cannot be told apart by anyone: the right answer for them is "ambiguous".
  auto facts = [](const Item& ao) {
    std::string f = ao.parent + "|" + NormalizeName(Val(ao, "EIGENNAAM"));
    for (std::string_view c : {"ONDERWIJSAANBIEDERID", "ONDERWIJSLOCATIECODE", "VORM", "VOERTAAL",
                               "BEGINDATUM", "EINDDATUM"}) {
      f += "|" + Val(ao, c);
    }
    return f;
  };
  std::unordered_map<std::string, int> twins;
  for (const Item& ao : snapshot.items) {
    if (ao.kind == ItemKind::kAo && ao.in_bestuur) twins[facts(ao)]++;
  }
  for (const Item& ao : snapshot.items) {
    if (ao.kind != ItemKind::kAo || !ao.in_bestuur) continue;
    const bool course = ao.file.find("opleidingsonderdelen") != std::string::npos;
    const std::string key = ToLowerAscii(Val(ao, "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL"));
    auto parent = oe_sis.find(ao.parent);
    if (!key.empty() && key_count["ao:" + key] > 1 && ao.classification != "edudex") {
      truth.expected[ao.code] = "conflict";  // whatever the SIS holds
      truth.planted["ao shared key"]++;
      continue;
    }
    if (ao.classification == "edudex") {
      truth.expected[ao.code] = "edudex";
    } else if (parent == oe_sis.end()) {
      truth.expected[ao.code] = "rio_only";
      continue;
    }
    if (parent == oe_sis.end()) continue;
    const int r = rng.Below(100);
    int copies = 1;
    std::string id = rng.HexUuid();
    if (ao.classification == "edudex") {
      if (r < 50) continue;
    } else if (r < 6) {
      truth.expected[ao.code] = "rio_only";
      truth.planted["ao rio_only"]++;
      continue;
    } else if (r < 9) {
      truth.expected[ao.code] = "ambiguous";
      truth.planted["ao ambiguous"]++;
      copies = 2;
    } else if (ao.classification == "linked" && r >= 12) {
      id = key;
      truth.expected[ao.code] = "linked:" + id;
    } else if (ao.classification == "linked" || ao.classification == "foreign") {
      truth.expected[ao.code] = "conflict";
    } else if (twins[facts(ao)] > 1) {
      truth.expected[ao.code] = "ambiguous";
      truth.planted["ao indistinguishable"]++;
    } else {
      truth.expected[ao.code] = "link:" + id;
    }
    const bool fuzzy = rng.Below(100) < 40;
    for (int k = 0; k < copies; ++k) {
      if (k > 0) id = rng.HexUuid();
      adapters::OfferedProperties p;
      p.primary_code = {"programCode", ao.code};
      const std::string name = Val(ao, "EIGENNAAM");
      p.name = Nl(fuzzy ? Fuzz(name, rng) : name);
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
      std::optional<std::string> from, to;
      if (!Val(ao, "BEGINDATUM").empty()) from = Val(ao, "BEGINDATUM");
      if (!Val(ao, "EINDDATUM").empty()) to = Val(ao, "EINDDATUM");
      // One fact held differently (see vary_spec): begin date days or months off, another end
      // date, no or another locatie, or a name of the SIS's own.
      if (copies == 1 && rng.Below(100) < kVariedPercent) {
        std::vector<std::string> kinds = {"begin days", "begin months", "end date", "name"};
        if (p.rio.education_location_code) kinds.push_back("locatie");
        const std::string kind = kinds[rng.Next() % kinds.size()];
        if (kind == "begin days" || kind == "begin months") {
          if (from) from = Shift(*from, kind == "begin months", rng);
        } else if (kind == "end date") {
          to = to ? std::nullopt
                  : std::optional<std::string>(AddDays(from.value_or("2030-08-31"), 3650));
        } else if (kind == "locatie") {
          if (rng.Next() % 2 == 0) {
            p.rio.education_location_code.reset();
          } else {
            p.rio.education_location_code = "999X" + p.rio.education_location_code->substr(4);
          }
        } else {
          p.name = Nl(name + " " + (course ? "(onderdeel)" : "Leeuwarden"));
        }
        truth.planted["ao " + kind]++;
      }
      if (course) {
        adapters::Course c;
        c.id = id;
        c.properties = std::move(p);
        c.education_specification_id = parent->second;
        c.valid_from = from;
        c.valid_to = to;
        out.data.courses.push_back(std::move(c));
      } else {
        adapters::Program pr;
        pr.id = id;
        pr.properties = std::move(p);
        pr.education_specification_id = parent->second;
        pr.valid_from = from;
        pr.valid_to = to;
        out.data.programs.push_back(std::move(pr));
      }
    }
    if (copies == 1) {
      ao_sis[ao.code] = id;
      ao_type[ao.code] = course ? "course" : "program";
    }
  }
  int64_t seq = 0;
  auto offering = [&](const std::string& parent, const std::string& type, const std::string& code,
                      const std::string& start, const std::string& status,
                      const std::string& enroll) {
    adapters::Offering o;
    o.id = rng.HexUuid();
    o.offering_type = type;
    o.primary_code = {"offeringCode", code};
    o.name = Nl("Cohort " + code);
    if (type == "course") {
      o.course_id = parent;
    } else {
      o.program_id = parent;
    }
    o.start_date = start;
    o.end_date = start;
    if (!enroll.empty()) o.enroll_start_date = enroll;
    o.rio.registration_status = status;
    o.rio.required_permission_registration = "no";
    out.data.offerings.push_back(std::move(o));
    ++seq;
  };
  for (const Item& c : snapshot.items) {
    if (c.kind != ItemKind::kCohort || !c.in_bestuur) continue;
    auto ao = ao_sis.find(c.parent);
    if (ao == ao_sis.end()) continue;
    std::string start = Val(c, "INSTROOMMOMENT");
    if (start.empty()) start = Val(c, "BEGIN_INSTROOMPERIODE");
    const int r = rng.Below(100);
    if (r < 7 || start.empty()) continue;  // RIO-only cohort: the upsert would delete it
    const std::string code = r < 15 ? "SIS-" + Val(c, "COHORTCODE") : Val(c, "COHORTCODE");
    offering(ao->second, ao_type[c.parent], code, start,
             Val(c, "COHORTSTATUS") == "G" ? "closed" : "open", Val(c, "BEGIN_AANMELDPERIODE"));
  }
  // SIS-only entities: new programmes an upsert will create.
  for (int i = 0; i < 25; ++i) {
    adapters::EducationSpecification s;
    s.id = rng.HexUuid();
    s.properties.type = "program";
    s.properties.primary_code = {"programCode", "NEW-" + std::to_string(i)};
    s.properties.name = Nl("Nieuwe opleiding " + std::to_string(i) + " zonder RIO");
    s.valid_from = "2026-09-01";
    truth.sis_only.insert(s.id);
    out.data.specs.push_back(std::move(s));
  }
  truth.planted["sis_only"] = 25;
  (void)seq;
  return out;
}


}  // namespace ooapi::testing
