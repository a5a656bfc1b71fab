// The matcher of `sync plan`: pure functions from a snapshot and a SIS side to a plan.
// Scores are sums of evidence weights (clamped to 1); a proposal needs the threshold, one piece of
// identifying evidence (ISAT code, name or begin date) and no runner-up within the margin.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/plan/plan.h"

namespace ooapi::sync {
namespace {

// Folds the Latin-1 supplement letters (UTF-8 C3 xx) to ASCII; other non-ASCII bytes become spaces.
char FoldC3(unsigned char second) {
  static const char kMap[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
  if (second >= 0x80 && second <= 0xBF) {
    char c = kMap[second - 0x80];
    return (c == 'x' || c == '/') ? ' ' : c;
  }
  return ' ';
}

bool Overlaps(const std::string& b1, const std::string& e1, const std::string& b2,
              const std::string& e2) {
  // [b, e) with "" = open; unknown begin counts as -inf.
  const bool a_before_b_ends = e2.empty() || b1.empty() || b1 < e2;
  const bool b_before_a_ends = e1.empty() || b2.empty() || b2 < e1;
  return a_before_b_ends && b_before_a_ends;
}

std::string Val(const Item& item, std::string_view column) {
  const std::string* v = item.Value(column);
  return v ? std::string(TrimAscii(*v)) : std::string();
}

// Names of every period (duo-opendata.md §5.5: match against all of them).
std::vector<std::string> AllNames(const Item& item, const std::vector<std::string_view>& columns) {
  std::vector<std::string> names;
  for (std::string_view c : columns) {
    std::string v = Val(item, c);
    if (!v.empty()) names.push_back(v);
  }
  rapidjson::Document doc;
  doc.Parse(item.periods_json.c_str(), item.periods_json.size());
  if (!doc.HasParseError() && doc.IsArray()) {
    for (const auto& period : doc.GetArray()) {
      if (!period.IsObject()) continue;
      for (std::string_view c : columns) {
        auto it = period.FindMember(
            rapidjson::Value(c.data(), static_cast<rapidjson::SizeType>(c.size())));
        if (it != period.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
          names.emplace_back(it->value.GetString(), it->value.GetStringLength());
        }
      }
    }
  }
  return names;
}

std::set<std::string> NormalizedSet(const std::vector<std::string>& names) {
  std::set<std::string> out;
  for (const auto& n : names) {
    std::string k = NormalizeName(n);
    if (!k.empty()) out.insert(std::move(k));
  }
  return out;
}

std::vector<std::string> Languages(std::string_view voertaal) {
  std::vector<std::string> out;
  for (std::string_view part : Split(voertaal, ',')) {
    std::string p(TrimAscii(part));
    std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::toupper(c); });
    if (!p.empty()) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

struct Scored {
  size_t sis = 0;
  double score = 0;
  bool identifying = false;
  std::vector<std::string> evidence;
};

struct Adder {
  Scored& s;
  void operator()(double w, std::string what) {
    s.score += w;
    s.evidence.push_back((w >= 0 ? "+" : "") + Fmt(w) + " " + what);
  }
  // A fact both sides know: `same` when equal, `differs` otherwise. True when equal.
  bool Compare(const std::string& label, const std::string& rio, const std::string& sis,
               double same, double differs) {
    if (rio.empty() || sis.empty()) {
      return false;
    }
    if (rio == sis) {
      (*this)(same, label + " " + rio);
      return true;
    }
    (*this)(differs, label + " differs (" + rio + " vs " + sis + ")");
    return false;
  }
};

// A RIO item's facts for scoring.
struct RioFacts {
  std::string isat, niveau, studielast, eenheid, begin, end;
  bool variant = false;
  std::string parent_sis;  // variant: SIS id its VARIANT_VAN matched; AO: its OE's SIS id
  std::set<std::string> names;
  std::string aanbieder, locatie, vorm;
  std::vector<std::string> voertaal;
};

// Evidence both kinds of item share: a normalised name in common (identifying), the begin date
// (identifying) and overlapping lifetimes.
void AddNameEvidence(const RioFacts& r, const SisEntity& s, double weight, Adder& add) {
  for (const auto& n : s.names) {
    std::string k = NormalizeName(n);
    if (!k.empty() && r.names.count(k) != 0) {
      add(weight, "name '" + k + "'");
      add.s.identifying = true;
      return;
    }
  }
}

void AddDateEvidence(const RioFacts& r, const SisEntity& s, Adder& add) {
  if (!r.begin.empty() && r.begin == s.begin) {
    add(0.15, "begin date " + r.begin);
    add.s.identifying = true;
  }
  if (Overlaps(r.begin, r.end, s.begin, s.end)) {
    add(0.05, "lifetimes overlap");
  } else {
    add(-0.3, "lifetimes do not overlap");
  }
}

Scored ScoreOe(const RioFacts& r, const SisEntity& s, size_t index) {
  Scored out;
  out.sis = index;
  Adder add{out};
  if (add.Compare("ISAT/CROHO code", r.isat, s.isat, 0.45, -1.0)) {
    out.identifying = true;
  }
  add.Compare("niveau", r.niveau, s.niveau, 0.05, -0.4);
  if (r.variant != s.variant) add(-0.4, "soort differs (variant vs opleiding)");
  // A parent unknown on either side (no VARIANT_VAN in RIO, its parent not matched, or a SIS
  // variant without parent) is no evidence either way.
  if (r.variant && !r.parent_sis.empty() && !s.parent_id.empty()) {
    if (r.parent_sis == s.parent_id) {
      add(0.1, "variant of the matched parent " + s.parent_id);
    } else {
      add(-0.3, "variant of " + s.parent_id + ", not of the matched parent " + r.parent_sis);
    }
  }
  AddNameEvidence(r, s, 0.4, add);
  if (!r.studielast.empty() && !s.studielast.empty()) {
    if (r.studielast == s.studielast && r.eenheid == s.studielasteenheid) {
      add(0.05, "studielast " + r.studielast + " " + r.eenheid);
    } else {
      add(-0.1, "studielast differs (" + r.studielast + " " + r.eenheid + " vs " + s.studielast +
                    " " + s.studielasteenheid + ")");
    }
  }
  AddDateEvidence(r, s, add);
  return out;
}

Scored ScoreAo(const RioFacts& r, const SisEntity& s, size_t index) {
  Scored out;
  out.sis = index;
  Adder add{out};
  add(0.2, "under the matched opleidingseenheid " + s.parent_id);
  add.Compare("aanbieder", r.aanbieder, s.aanbieder, 0.15, -0.5);
  add.Compare("locatie", r.locatie, s.locatie, 0.05, -0.1);
  add.Compare("vorm", r.vorm, s.vorm, 0.1, -0.5);
  if (!r.voertaal.empty() && !s.voertaal.empty()) {
    if (r.voertaal == s.voertaal) {
      add(0.05, "voertaal " + Join(r.voertaal, ","));
    } else {
      add(-0.05, "voertaal differs");
    }
  }
  AddNameEvidence(r, s, 0.3, add);
  AddDateEvidence(r, s, add);
  return out;
}

constexpr std::string_view kEduDexWarning =
    "EDU-DEX-managed (guide §4.1): excluded from the synchronisation unless you include it; if you "
    "do, take it OUT of the EDU-DEX feed first, or both feeds manage it and RIO gets duplicates";

std::string SpecNiveauForRio(const Item& item) { return Val(item, "NIVEAU"); }

bool IsCourseFile(const std::string& file) {
  return file.find("opleidingsonderdelen") != std::string::npos;
}

}  // namespace

std::string NormalizeName(std::string_view name) {
  std::string folded;
  folded.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      folded.push_back(std::isalnum(c) ? static_cast<char>(std::tolower(c)) : ' ');
    } else if (c == 0xC3 && i + 1 < name.size()) {
      folded.push_back(static_cast<char>(
          std::tolower(static_cast<unsigned char>(FoldC3(static_cast<unsigned char>(name[++i]))))));
    } else {
      folded.push_back(' ');
    }
  }
  std::vector<std::string_view> tokens;
  for (std::string_view t : Split(folded, ' ')) {
    if (!t.empty()) tokens.push_back(t);
  }
  static const std::unordered_set<std::string_view> kPrefixes = {"b",  "m",   "ad", "ba",
                                                                 "ma", "bsc", "msc"};
  static const std::unordered_set<std::string_view> kSuffixes = {"vt",      "dt",       "du",
                                                                 "voltijd", "deeltijd", "duaal"};
  size_t begin = 0, end = tokens.size();
  while (end - begin > 1 && kPrefixes.count(tokens[begin]) != 0) ++begin;
  while (end - begin > 1 && kSuffixes.count(tokens[end - 1]) != 0) --end;
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (!out.empty()) out.push_back(' ');
    out.append(tokens[i]);
  }
  return out;
}

std::string_view PlanClassName(PlanClass c) {
  switch (c) {
    case PlanClass::kAlreadyLinked:
      return "already_linked";
    case PlanClass::kProposed:
      return "proposed";
    case PlanClass::kAmbiguous:
      return "ambiguous";
    case PlanClass::kSisOnly:
      return "sis_only";
    case PlanClass::kRioOnly:
      return "rio_only";
    case PlanClass::kEduDex:
      return "edudex";
    case PlanClass::kConflict:
      return "conflict";
  }
  return "rio_only";
}

const std::vector<PlanClass>& AllPlanClasses() {
  static const std::vector<PlanClass> all = {
      PlanClass::kAlreadyLinked, PlanClass::kProposed, PlanClass::kAmbiguous, PlanClass::kConflict,
      PlanClass::kEduDex,        PlanClass::kRioOnly,  PlanClass::kSisOnly};
  return all;
}

std::optional<PlanClass> ParsePlanClass(std::string_view name) {
  for (PlanClass c : AllPlanClasses()) {
    if (PlanClassName(c) == name) return c;
  }
  return std::nullopt;
}

std::map<std::string, int64_t> Plan::Counts() const {
  std::map<std::string, int64_t> out;
  for (PlanClass c : AllPlanClasses()) out[std::string(PlanClassName(c))] = 0;
  for (const auto& item : items) out[std::string(PlanClassName(item.cls))]++;
  return out;
}

Plan MatchPlan(const Snapshot& snapshot, const SisSide& sis, const MatchOptions& options) {
  Plan plan;
  plan.snapshot_id = snapshot.id;
  plan.bestuur = snapshot.bestuur;
  plan.ref_date = snapshot.ref_date;

  // Indexes over the SIS side (the blocking keys).
  std::unordered_map<std::string, size_t> by_id;
  std::unordered_map<std::string, std::vector<size_t>> spec_by_isat, spec_by_name, by_parent;
  for (size_t i = 0; i < sis.entities.size(); ++i) {
    const SisEntity& e = sis.entities[i];
    by_id.emplace(e.id, i);
    if (e.type == "education-specification") {
      if (!e.isat.empty()) spec_by_isat[e.isat].push_back(i);
      for (const auto& k : NormalizedSet(e.names)) spec_by_name[k].push_back(i);
    } else if (!e.parent_id.empty()) {
      by_parent[e.parent_id].push_back(i);
    }
  }
  std::unordered_map<std::string, std::vector<size_t>> offerings_by_parent;
  for (size_t i = 0; i < sis.offerings.size(); ++i) {
    offerings_by_parent[sis.offerings[i].parent_id].push_back(i);
  }

  // RIO items in scope, and their keys (case-insensitive) per group.
  std::vector<const Item*> oes, aos, cohorts;
  for (const Item& item : snapshot.items) {
    if (!item.in_bestuur) continue;
    if (item.kind == ItemKind::kOe) oes.push_back(&item);
    if (item.kind == ItemKind::kAo) aos.push_back(&item);
    if (item.kind == ItemKind::kCohort) cohorts.push_back(&item);
  }
  auto key_of = [](const Item& item) {
    return ToLowerAscii(
        TrimAscii(Val(item, EigenSleutelColumn(item.kind))));
  };
  std::unordered_map<std::string, std::vector<std::string>> key_owners;  // "oe:key" -> RIO codes
  for (const auto* group : {&oes, &aos}) {
    for (const Item* item : *group) {
      std::string k = key_of(*item);
      if (!k.empty()) key_owners[std::string(ItemKindName(item->kind)) + ":" + k].push_back(item->code);
    }
  }

  std::unordered_map<std::string, size_t> item_index;       // RIO code -> plan item
  std::unordered_map<std::string, std::string> rio_to_sis;  // linked/proposed RIO code -> SIS id
  std::unordered_set<std::string> sis_in_play;

  auto base_item = [&](const Item& item) {
    PlanItem p;
    p.kind = ItemKindName(item.kind);
    p.sector = item.sector;
    p.rio_code = item.code;
    p.rio_name = item.kind == ItemKind::kOe   ? Val(item, "VOLLEDIGE_NAAM")
                 : item.kind == ItemKind::kAo ? Val(item, "EIGENNAAM")
                                     : Val(item, "COHORTCODE");
    p.rio_key = item.kind == ItemKind::kCohort
                    ? ""
                    : Val(item, EigenSleutelColumn(item.kind));
    p.sis_type = item.kind == ItemKind::kOe         ? "education-specification"
                 : item.kind == ItemKind::kCohort   ? "offering"
                 : IsCourseFile(item.file) ? "course"
                                           : "program";
    return p;
  };

  // A proposal leads another score when it is at least the margin higher (0.70 vs 0.55 leads).
  auto leads = [&](double a, double b) { return a - b >= options.ambiguity_margin - 1e-9; };

  // An OE or AO whose class depends on the other items' claims (SettleClaims): its viable
  // candidates (score >= threshold, identifying), best first.
  struct Open {
    size_t index = 0;            // in `out`
    std::vector<Scored> viable;  // best first
    bool foreign_key = false;    // carries a key that linking would overwrite
    bool edudex = false;         // excluded EDU-DEX item: its best candidate is its counterpart
    std::string taken;           // why its best candidate went to another RIO item
  };
  std::vector<Open> open;
  // SIS id -> the already-linked RIO item whose key it is, and how well its facts fit the entity.
  std::unordered_map<std::string, std::pair<std::string, double>> linked_by_sis;
  std::vector<PlanItem> out;
  auto push = [&](PlanItem p) {
    item_index[p.rio_code] = out.size();
    out.push_back(std::move(p));
  };
  auto firm = [&](const std::vector<Scored>& v) {
    return !v.empty() && (v.size() == 1 || leads(v[0].score, v[1].score));
  };

  // Classifies one OE/AO whose class does not depend on other items (EDU-DEX, a shared key, an
  // existing key, no viable candidate), or adds it to `open`. `score_one` scores its facts
  // against any SIS entity (for an already-linked item: how well it fits its own entity).
  auto decide = [&](const Item& item, std::vector<Scored> scored,
                    const std::function<Scored(size_t)>& score_one) {
    PlanItem p = base_item(item);
    const bool edudex = item.classification == "edudex";
    const bool included = edudex && options.include_edudex.count(item.code) != 0;
    for (auto& s : scored) s.score = std::min(1.0, s.score);
    std::sort(scored.begin(), scored.end(), [&](const Scored& a, const Scored& b) {
      if (a.score != b.score) return a.score > b.score;
      return sis.entities[a.sis].id < sis.entities[b.sis].id;
    });
    std::vector<Scored> viable;
    for (auto& s : scored) {
      if (s.score >= options.propose_threshold && s.identifying) viable.push_back(s);
    }
    if (edudex && !included) {
      p.cls = PlanClass::kEduDex;
      p.reason = std::string(kEduDexWarning);
      // Its SIS counterpart, if any, is no one else's match and no SIS-only entity (an upsert
      // would duplicate the EDU-DEX item); it is listed, never proposed.
      if (!viable.empty()) open.push_back({out.size(), std::move(viable), false, true, ""});
      push(std::move(p));
      return;
    }
    if (included)
      p.evidence.push_back("EDU-DEX item included by the admin: " + std::string(kEduDexWarning));
    const std::string key = key_of(item);
    if (!key.empty()) {
      const auto& owners = key_owners[std::string(ItemKindName(item.kind)) + ":" + key];
      if (owners.size() > 1) {
        p.cls = PlanClass::kConflict;
        p.reason = "key " + p.rio_key + " is on " + std::to_string(owners.size()) +
                   " RIO items: " + Join(owners, ", ");
        push(std::move(p));
        return;
      }
      auto it = by_id.find(key);
      if (it != by_id.end() && sis.entities[it->second].type == p.sis_type) {
        p.cls = PlanClass::kAlreadyLinked;
        p.sis_id = key;
        p.confidence = 1;
        p.reason = "eigen sleutel equals the SIS id (case-insensitive)";
        p.evidence.push_back("key " + p.rio_key);
        rio_to_sis[item.code] = key;
        sis_in_play.insert(key);
        linked_by_sis[key] = {item.code, std::min(1.0, score_one(it->second).score)};
        push(std::move(p));
        return;
      }
    }
    for (const auto& s : scored) {
      if (s.score >= 0.3) {
        p.candidates.push_back({sis.entities[s.sis].id, s.score, s.evidence});
      }
    }
    if (viable.empty()) {
      p.cls = PlanClass::kRioOnly;
      p.reason = scored.empty() ? "no SIS candidate shares a code or a name"
                                : "no SIS candidate reaches the threshold (best " +
                                      Fmt(scored.front().score) + ")";
      if (!key.empty()) p.reason += "; carries key " + p.rio_key + " that the SIS does not serve";
      push(std::move(p));
      return;
    }
    // Until the claims are settled: proposed for its best candidate when that one leads (a
    // variant's parent is looked up here).
    const bool foreign = !key.empty() && !included;
    if (firm(viable) && !foreign) rio_to_sis[item.code] = sis.entities[viable[0].sis].id;
    p.cls = PlanClass::kProposed;
    open.push_back({out.size(), std::move(viable), foreign, false, ""});
    push(std::move(p));
  };

  // One SIS entity, many claims. Each open item (also one that carries another key, and an
  // excluded EDU-DEX item: it still is that entity's RIO item) claims the candidates of its top
  // group: its best and those within the margin of it. A candidate goes to another RIO item when
  // that item claims it with a score at least the margin higher, or when it is the key of an
  // already-linked RIO item whose facts fit it that much better; the item then falls back to its
  // remaining candidates (none left: RIO only). Repeated until nothing changes. Then every open
  // item is classified by what is left: a best candidate that leads the rest by the margin →
  // proposed (or conflict: the item's key would be overwritten, or the SIS id is another RIO
  // item's key and fits that item no better); several within the margin → ambiguous; one entity
  // the best of several items within the margin → those proposals are all ambiguous.
  // Runs over the OEs before the AOs are matched, so an AO only follows a surviving OE.
  static const std::vector<std::pair<size_t, double>> kNoClaims;
  auto settle_claims = [&](size_t first_open) {
    for (int round = 0; round < 16; ++round) {
      // SIS id -> (open item, score) for every candidate in an item's top group (its best and
      // those within the margin of it).
      std::unordered_map<std::string, std::vector<std::pair<size_t, double>>> top_claims;
      for (size_t k = first_open; k < open.size(); ++k) {
        const auto& v = open[k].viable;
        for (size_t i = 0; i < v.size() && (i == 0 || !leads(v[0].score, v[i].score)); ++i) {
          top_claims[sis.entities[v[i].sis].id].push_back({k, v[i].score});
        }
      }
      bool changed = false;
      for (size_t k = first_open; k < open.size(); ++k) {
        auto& v = open[k].viable;
        for (auto it = v.begin(); it != v.end();) {
          const std::string& id = sis.entities[it->sis].id;
          std::string why;
          auto linked = linked_by_sis.find(id);
          if (linked != linked_by_sis.end() && leads(linked->second.second, it->score)) {
            why = "candidate " + id + " is the key of RIO item " + linked->second.first +
                  ", which fits it better (" + Fmt(it->score) + " vs " +
                  Fmt(linked->second.second) + ")";
          }
          auto claims = top_claims.find(id);
          for (const auto& [j, other] : claims == top_claims.end() ? kNoClaims : claims->second) {
            if (!why.empty()) break;
            if (j != k && leads(other, it->score)) {
              why = "candidate " + id + " fits RIO item " + out[open[j].index].rio_code +
                    " better (" + Fmt(it->score) + " vs " + Fmt(other) + ")";
            }
          }
          if (why.empty()) {
            ++it;
            continue;
          }
          if (open[k].taken.empty()) open[k].taken = why;
          it = v.erase(it);
          changed = true;
        }
      }
      if (!changed) break;
    }
    std::map<std::string, std::vector<size_t>> claims;  // ordered: deterministic reasons
    for (size_t k = first_open; k < open.size(); ++k) {
      Open& o = open[k];
      PlanItem& p = out[o.index];
      const auto& v = o.viable;
      rio_to_sis.erase(p.rio_code);
      if (o.edudex) {
        if (v.empty()) continue;
        p.sis_id = sis.entities[v[0].sis].id;
        p.confidence = v[0].score;
        p.evidence = v[0].evidence;
        p.reason += "; its SIS counterpart is " + p.sis_id;
        sis_in_play.insert(p.sis_id);
        claims[p.sis_id].push_back(o.index);
        continue;
      }
      if (v.empty()) {
        p.cls = PlanClass::kRioOnly;
        p.reason = "its best " + o.taken;
        if (o.foreign_key) {
          p.reason += "; carries key " + p.rio_key + " that the SIS does not serve";
        }
        continue;
      }
      if (!firm(v)) {
        p.cls = PlanClass::kAmbiguous;
        size_t n = 1;
        while (n < v.size() && !leads(v[0].score, v[n].score)) ++n;
        p.reason = std::to_string(n) + " SIS candidates score within " +
                   Fmt(options.ambiguity_margin) + " of each other";
        for (size_t i = 0; i < n; ++i) sis_in_play.insert(sis.entities[v[i].sis].id);
        continue;
      }
      const SisEntity& best = sis.entities[v[0].sis];
      p.sis_id = best.id;
      p.confidence = v[0].score;
      p.evidence.insert(p.evidence.end(), v[0].evidence.begin(), v[0].evidence.end());
      sis_in_play.insert(best.id);
      claims[best.id].push_back(o.index);
      if (o.foreign_key) {
        p.cls = PlanClass::kConflict;
        p.reason = "carries key " + p.rio_key + " that linking to " + best.id + " would overwrite";
        continue;
      }
      p.cls = PlanClass::kProposed;
      p.reason = "best candidate, score " + Fmt(p.confidence);
      if (!o.taken.empty()) p.reason += "; " + o.taken;
      rio_to_sis[p.rio_code] = best.id;
    }
    for (auto& [id, list] : claims) {
      auto linked = linked_by_sis.find(id);
      for (size_t i : list) {
        PlanItem& p = out[i];
        if (p.cls != PlanClass::kProposed) continue;
        if (linked != linked_by_sis.end()) {
          p.cls = PlanClass::kConflict;
          p.reason = "SIS id " + id + " is already the key of RIO item " + linked->second.first;
        } else if (list.size() > 1) {
          p.cls = PlanClass::kAmbiguous;
          p.reason = "SIS entity " + id + " is the best candidate for " +
                     std::to_string(list.size()) + " RIO items within " +
                     Fmt(options.ambiguity_margin);
        } else {
          continue;
        }
        rio_to_sis.erase(p.rio_code);
        p.confidence = 0;
        p.sis_id.clear();
      }
    }
  };

  // OEs: non-variants first, then variants (their parent must have matched).
  for (int pass = 0; pass < 2; ++pass) {
    for (const Item* oe : oes) {
      const bool variant = Val(*oe, "SOORT") == "VARIANT";
      if (variant != (pass == 1)) continue;
      RioFacts r;
      r.isat = Val(*oe, "ERKENDEOPLEIDINGSCODE");
      r.niveau = SpecNiveauForRio(*oe);
      r.variant = variant;
      r.studielast = Val(*oe, "STUDIELAST");
      r.eenheid = Val(*oe, "STUDIELASTEENHEID");
      r.begin = Val(*oe, "BEGINDATUM");
      r.end = Val(*oe, "EINDDATUM");
      r.names =
          NormalizedSet(AllNames(*oe, {"VOLLEDIGE_NAAM", "KORTE_NAAM", "INTERNATIONALE_NAAM"}));
      if (variant) {
        auto parent = rio_to_sis.find(Val(*oe, "VARIANT_VAN"));
        if (parent != rio_to_sis.end()) r.parent_sis = parent->second;
      }
      std::set<size_t> block;
      if (!r.isat.empty()) {
        auto it = spec_by_isat.find(r.isat);
        if (it != spec_by_isat.end()) block.insert(it->second.begin(), it->second.end());
      }
      for (const auto& n : r.names) {
        auto it = spec_by_name.find(n);
        if (it != spec_by_name.end()) block.insert(it->second.begin(), it->second.end());
      }
      std::vector<Scored> scored;
      for (size_t i : block) scored.push_back(ScoreOe(r, sis.entities[i], i));
      decide(*oe, std::move(scored), [&](size_t i) { return ScoreOe(r, sis.entities[i], i); });
    }
  }
  settle_claims(0);
  const size_t first_ao_open = open.size();

  // AOs: only under a matched OE.
  for (const Item* ao : aos) {
    RioFacts r;
    r.aanbieder = Val(*ao, "ONDERWIJSAANBIEDERID");
    r.locatie = Val(*ao, "ONDERWIJSLOCATIECODE");
    r.vorm = Val(*ao, "VORM");
    r.voertaal = Languages(Val(*ao, "VOERTAAL"));
    r.begin = Val(*ao, "BEGINDATUM");
    r.end = Val(*ao, "EINDDATUM");
    r.names = NormalizedSet(AllNames(*ao, {"EIGENNAAM"}));
    std::vector<Scored> scored;
    auto parent = rio_to_sis.find(ao->parent);
    const std::string type = IsCourseFile(ao->file) ? "course" : "program";
    if (parent != rio_to_sis.end()) {
      auto children = by_parent.find(parent->second);
      if (children != by_parent.end()) {
        for (size_t i : children->second) {
          if (sis.entities[i].type == type) scored.push_back(ScoreAo(r, sis.entities[i], i));
        }
      }
    }
    const size_t at = out.size();
    decide(*ao, std::move(scored), [&](size_t i) { return ScoreAo(r, sis.entities[i], i); });
    if (parent == rio_to_sis.end() && out[at].cls == PlanClass::kRioOnly) {
      out[at].reason = "its opleidingseenheid " + ao->parent + " is not linked or proposed";
    }
  }
  settle_claims(first_ao_open);

  // Cohorts within a linked or proposed AO: by cohort code, then by intake date.
  std::unordered_set<std::string> offering_used;
  for (const Item* c : cohorts) {
    PlanItem p = base_item(*c);
    auto ao = rio_to_sis.find(c->parent);
    if (ao == rio_to_sis.end()) {
      p.cls = PlanClass::kRioOnly;
      p.reason = "its aangeboden opleiding " + c->parent + " is not linked or proposed";
      push(std::move(p));
      continue;
    }
    const std::string code = Val(*c, "COHORTCODE");
    std::string intake = Val(*c, "INSTROOMMOMENT");
    if (intake.empty()) intake = Val(*c, "BEGIN_INSTROOMPERIODE");
    const SisOffering* by_code = nullptr;
    std::vector<const SisOffering*> by_date;
    auto offs = offerings_by_parent.find(ao->second);
    if (offs != offerings_by_parent.end()) {
      for (size_t i : offs->second) {
        const SisOffering& o = sis.offerings[i];
        if (o.code == code) by_code = &o;
        if (!intake.empty() && o.start_date == intake) by_date.push_back(&o);
      }
    }
    if (by_code != nullptr) {
      p.cls = PlanClass::kAlreadyLinked;
      p.sis_id = by_code->id;
      p.confidence = 1;
      p.reason = "cohort code equals the offering's primaryCode (the upsert updates it)";
      p.evidence.push_back("cohortcode " + code);
      offering_used.insert(by_code->id);
    } else if (by_date.size() == 1) {
      p.cls = PlanClass::kProposed;
      p.sis_id = by_date[0]->id;
      p.confidence = 0.8;
      p.reason = "same intake date; an upsert replaces cohort code " + code + " by " +
                 by_date[0]->code + " (the RIO cohort " + code + " is deleted)";
      p.evidence.push_back("intake " + intake);
      offering_used.insert(by_date[0]->id);
    } else if (by_date.size() > 1) {
      p.cls = PlanClass::kAmbiguous;
      p.reason = std::to_string(by_date.size()) + " SIS offerings start on " + intake;
      for (const auto* o : by_date) {
        p.candidates.push_back({o->id, 0.8, {"intake " + intake}});
        offering_used.insert(o->id);
      }
    } else {
      p.cls = PlanClass::kRioOnly;
      p.reason = "no SIS offering with cohort code " + code + " or intake " + intake +
                 ": an upsert of " + ao->second + " deletes this cohort";
    }
    push(std::move(p));
  }

  // SIS entities no RIO item took: created by an upsert later. Offerings only under a linked or
  // proposed AO (the others come with their program or course).
  for (const auto& ao : rio_to_sis) sis_in_play.insert(ao.second);
  for (const SisEntity& e : sis.entities) {
    if (sis_in_play.count(e.id) != 0) continue;
    PlanItem p;
    p.kind = e.type;
    p.sis_type = e.type;
    p.sis_id = e.id;
    p.rio_name = e.names.empty() ? "" : e.names.front();
    p.cls = PlanClass::kSisOnly;
    p.reason = "no RIO item matched: an upsert will create it";
    out.push_back(std::move(p));
  }
  std::unordered_set<std::string> matched_parents;
  for (const auto& item : out) {
    if ((item.kind == "ao") &&
        (item.cls == PlanClass::kAlreadyLinked || item.cls == PlanClass::kProposed)) {
      matched_parents.insert(item.sis_id);
    }
  }
  for (const SisOffering& o : sis.offerings) {
    if (matched_parents.count(o.parent_id) == 0 || offering_used.count(o.id) != 0) continue;
    PlanItem p;
    p.kind = "offering";
    p.sis_type = "offering";
    p.sis_id = o.id;
    p.rio_name = o.code;
    p.cls = PlanClass::kSisOnly;
    p.reason = "no RIO cohort of its AO: an upsert of " + o.parent_id + " creates cohort " + o.code;
    out.push_back(std::move(p));
  }
  plan.items = std::move(out);
  return plan;
}

}  // namespace ooapi::sync
