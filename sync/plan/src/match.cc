// The matcher of `sync plan`: pure functions from a snapshot and a SIS side to a plan.
// Scores are sums of evidence weights (clamped to 1); a proposal needs the threshold, one piece of
// identifying evidence (ISAT code, name or begin date) and no runner-up within the margin.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/plan/match.h"

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

// Names of every period: a SIS may still carry a name RIO has since replaced.
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
  void operator()(double w, const std::string& what) {
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
    if (!k.empty() && r.names.contains(k)) {
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
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      folded.push_back(std::isalnum(c) != 0 ? static_cast<char>(std::tolower(c)) : ' ');
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
  size_t begin = 0;
  size_t end = tokens.size();
  while (end - begin > 1 && kPrefixes.contains(tokens[begin])) ++begin;
  while (end - begin > 1 && kSuffixes.contains(tokens[end - 1])) --end;
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

namespace {

// One run of MatchPlan: the blocking indexes over the SIS side, the plan items so far, and the
// open items whose class depends on the claims of the others.
class Matcher {
 public:
  Matcher(const Snapshot& snapshot, const SisSide& sis, const MatchOptions& options)
      : sis_(sis), options_(options) {
    IndexSis();
    CollectRioItems(snapshot);
  }

  // OEs (then their claims settled), AOs under them (settled), cohorts under those, then the SIS
  // entities no RIO item took.
  std::vector<PlanItem> Run() && {
    MatchOes();
    SettleClaims(0);
    const size_t first_ao_open = open_.size();
    MatchAos();
    SettleClaims(first_ao_open);
    MatchCohorts();
    AddSisOnly();
    return std::move(out_);
  }

 private:
  // An OE or AO whose class depends on the other items' claims (SettleClaims): its viable
  // candidates (score >= threshold, identifying), best first.
  struct Open {
    size_t index = 0;            // in `out_`
    std::vector<Scored> viable;  // best first
    bool foreign_key = false;    // carries a key that linking would overwrite
    bool edudex = false;         // excluded EDU-DEX item: its best candidate is its counterpart
    std::string taken;           // why its best candidate went to another RIO item
  };
  // SIS id -> (open item, score) for every candidate in an open item's top group.
  using TopClaims = std::unordered_map<std::string, std::vector<std::pair<size_t, double>>>;
  // SIS id -> the plan items that ended with it as their best candidate (ordered: deterministic
  // reasons).
  using BestClaims = std::map<std::string, std::vector<size_t>>;

  // --- the indexes ------------------------------------------------------------------------------

  // The blocking keys over the SIS side.
  void IndexSis() {
    for (size_t i = 0; i < sis_.entities.size(); ++i) {
      const SisEntity& e = sis_.entities[i];
      by_id_.emplace(e.id, i);
      if (e.type == "education-specification") {
        if (!e.isat.empty()) spec_by_isat_[e.isat].push_back(i);
        for (const auto& k : NormalizedSet(e.names)) spec_by_name_[k].push_back(i);
      } else if (!e.parent_id.empty()) {
        by_parent_[e.parent_id].push_back(i);
      }
    }
    for (size_t i = 0; i < sis_.offerings.size(); ++i) {
      offerings_by_parent_[sis_.offerings[i].parent_id].push_back(i);
    }
  }

  // RIO items in scope, and the RIO codes that carry each key (case-insensitive) per kind.
  void CollectRioItems(const Snapshot& snapshot) {
    for (const Item& item : snapshot.items) {
      if (!item.in_bestuur) continue;
      if (item.kind == ItemKind::kOe) oes_.push_back(&item);
      if (item.kind == ItemKind::kAo) aos_.push_back(&item);
      if (item.kind == ItemKind::kCohort) cohorts_.push_back(&item);
    }
    for (const auto* group : {&oes_, &aos_}) {
      for (const Item* item : *group) {
        std::string k = KeyOf(*item);
        if (!k.empty()) key_owners_[OwnerKey(*item, k)].push_back(item->code);
      }
    }
  }

  static std::string KeyOf(const Item& item) {
    return ToLowerAscii(TrimAscii(Val(item, EigenSleutelColumn(item.kind))));
  }
  static std::string OwnerKey(const Item& item, const std::string& key) {
    return std::string(ItemKindName(item.kind)) + ":" + key;
  }

  // --- helpers ----------------------------------------------------------------------------------

  static PlanItem BaseItem(const Item& item) {
    PlanItem p;
    p.kind = ItemKindName(item.kind);
    p.sector = item.sector;
    p.rio_code = item.code;
    p.rio_name = item.kind == ItemKind::kOe   ? Val(item, "VOLLEDIGE_NAAM")
                 : item.kind == ItemKind::kAo ? Val(item, "EIGENNAAM")
                                              : Val(item, "COHORTCODE");
    p.rio_key = item.kind == ItemKind::kCohort ? "" : Val(item, EigenSleutelColumn(item.kind));
    p.sis_type = item.kind == ItemKind::kOe       ? "education-specification"
                 : item.kind == ItemKind::kCohort ? "offering"
                 : IsCourseFile(item.file)        ? "course"
                                                  : "program";
    return p;
  }

  // A proposal leads another score when it is at least the margin higher (0.70 vs 0.55 leads).
  bool Leads(double a, double b) const { return a - b >= options_.ambiguity_margin - 1e-9; }
  bool Firm(const std::vector<Scored>& v) const {
    return !v.empty() && (v.size() == 1 || Leads(v[0].score, v[1].score));
  }
  const std::string& SisId(const Scored& s) const { return sis_.entities[s.sis].id; }

  void Push(PlanItem p) { out_.push_back(std::move(p)); }

  // --- one OE or AO -----------------------------------------------------------------------------

  // Clamps the scores to 1 and sorts best first (ties by SIS id); returns the viable ones.
  std::vector<Scored> Rank(std::vector<Scored>& scored) const {
    for (auto& s : scored) s.score = std::min(1.0, s.score);
    std::sort(scored.begin(), scored.end(), [&](const Scored& a, const Scored& b) {
      if (a.score != b.score) return a.score > b.score;
      return SisId(a) < SisId(b);
    });
    std::vector<Scored> viable;
    for (auto& s : scored) {
      if (s.score >= options_.propose_threshold && s.identifying) viable.push_back(s);
    }
    return viable;
  }

  // Classifies one OE/AO whose class does not depend on other items (EDU-DEX, a shared key, an
  // existing key, no viable candidate), or adds it to `open_`. `score_one` scores its facts
  // against any SIS entity (for an already-linked item: how well it fits its own entity).
  void Decide(const Item& item, std::vector<Scored> scored,
              const std::function<Scored(size_t)>& score_one) {
    PlanItem p = BaseItem(item);
    const bool edudex = item.classification == "edudex";
    const bool included = edudex && options_.include_edudex.contains(item.code);
    std::vector<Scored> viable = Rank(scored);
    if (edudex && !included) {
      p.cls = PlanClass::kEduDex;
      p.reason = std::string(kEduDexWarning);
      // Its SIS counterpart, if any, is no one else's match and no SIS-only entity (an upsert
      // would duplicate the EDU-DEX item); it is listed, never proposed.
      if (!viable.empty()) open_.push_back({out_.size(), std::move(viable), false, true, ""});
      Push(std::move(p));
      return;
    }
    if (included)
      p.evidence.push_back("EDU-DEX item included by the admin: " + std::string(kEduDexWarning));
    const std::string key = KeyOf(item);
    if (!key.empty() && DecideByKey(item, key, p, score_one)) return;
    for (const auto& s : scored) {
      if (s.score >= 0.3) p.candidates.push_back({SisId(s), s.score, s.evidence});
    }
    if (viable.empty()) {
      p.cls = PlanClass::kRioOnly;
      p.reason = scored.empty() ? "no SIS candidate shares a code or a name"
                                : "no SIS candidate reaches the threshold (best " +
                                      Fmt(scored.front().score) + ")";
      if (!key.empty()) p.reason += "; carries key " + p.rio_key + " that the SIS does not serve";
      Push(std::move(p));
      return;
    }
    // Until the claims are settled: proposed for its best candidate when that one leads (a
    // variant's parent is looked up here).
    const bool foreign = !key.empty() && !included;
    if (Firm(viable) && !foreign) rio_to_sis_[item.code] = SisId(viable[0]);
    p.cls = PlanClass::kProposed;
    open_.push_back({out_.size(), std::move(viable), foreign, false, ""});
    Push(std::move(p));
  }

  // An item whose key is on several RIO items (conflict) or is the id of a SIS entity of its type
  // (already linked). Returns true when it classified and pushed `p`.
  bool DecideByKey(const Item& item, const std::string& key, PlanItem& p,
                   const std::function<Scored(size_t)>& score_one) {
    const auto owners = key_owners_.find(OwnerKey(item, key));
    if (owners != key_owners_.end() && owners->second.size() > 1) {
      p.cls = PlanClass::kConflict;
      p.reason = "key " + p.rio_key + " is on " + std::to_string(owners->second.size()) +
                 " RIO items: " + Join(owners->second, ", ");
      Push(std::move(p));
      return true;
    }
    auto it = by_id_.find(key);
    if (it == by_id_.end() || sis_.entities[it->second].type != p.sis_type) return false;
    p.cls = PlanClass::kAlreadyLinked;
    p.sis_id = key;
    p.confidence = 1;
    p.reason = "eigen sleutel equals the SIS id (case-insensitive)";
    p.evidence.push_back("key " + p.rio_key);
    rio_to_sis_[item.code] = key;
    sis_in_play_.insert(key);
    linked_by_sis_[key] = {item.code, std::min(1.0, score_one(it->second).score)};
    Push(std::move(p));
    return true;
  }

  // --- claims -----------------------------------------------------------------------------------

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
  void SettleClaims(size_t first_open) {
    for (int round = 0; round < 16; ++round) {
      if (!DropTakenCandidates(first_open)) break;
    }
    BestClaims claims;
    for (size_t k = first_open; k < open_.size(); ++k) ClassifyOpen(open_[k], claims);
    ResolveSharedClaims(claims);
  }

  // The candidates in every open item's top group (its best and those within the margin of it).
  TopClaims TopGroupClaims(size_t first_open) const {
    TopClaims top_claims;
    for (size_t k = first_open; k < open_.size(); ++k) {
      const auto& v = open_[k].viable;
      for (size_t i = 0; i < v.size() && (i == 0 || !Leads(v[0].score, v[i].score)); ++i) {
        top_claims[SisId(v[i])].push_back({k, v[i].score});
      }
    }
    return top_claims;
  }

  // One round: drops every candidate another RIO item takes. True when one was dropped.
  bool DropTakenCandidates(size_t first_open) {
    const TopClaims top_claims = TopGroupClaims(first_open);
    bool changed = false;
    for (size_t k = first_open; k < open_.size(); ++k) {
      auto& v = open_[k].viable;
      for (auto it = v.begin(); it != v.end();) {
        const std::string why = WhyTaken(k, *it, top_claims);
        if (why.empty()) {
          ++it;
          continue;
        }
        if (open_[k].taken.empty()) open_[k].taken = why;
        it = v.erase(it);
        changed = true;
      }
    }
    return changed;
  }

  // Why candidate `s` of open item `k` goes to another RIO item ("" when it does not): it is the
  // key of an already-linked item that fits it better, or another item claims it higher.
  std::string WhyTaken(size_t k, const Scored& s, const TopClaims& top_claims) const {
    const std::string& id = SisId(s);
    auto linked = linked_by_sis_.find(id);
    if (linked != linked_by_sis_.end() && Leads(linked->second.second, s.score)) {
      return "candidate " + id + " is the key of RIO item " + linked->second.first +
             ", which fits it better (" + Fmt(s.score) + " vs " + Fmt(linked->second.second) + ")";
    }
    auto claims = top_claims.find(id);
    if (claims == top_claims.end()) return "";
    for (const auto& [j, other] : claims->second) {
      if (j != k && Leads(other, s.score)) {
        return "candidate " + id + " fits RIO item " + out_[open_[j].index].rio_code + " better (" +
               Fmt(s.score) + " vs " + Fmt(other) + ")";
      }
    }
    return "";
  }

  // Classifies an open item by the candidates it has left; records its best in `claims`.
  void ClassifyOpen(const Open& o, BestClaims& claims) {
    PlanItem& p = out_[o.index];
    const auto& v = o.viable;
    rio_to_sis_.erase(p.rio_code);
    if (o.edudex) {
      if (v.empty()) return;
      p.sis_id = SisId(v[0]);
      p.confidence = v[0].score;
      p.evidence = v[0].evidence;
      p.reason += "; its SIS counterpart is " + p.sis_id;
      sis_in_play_.insert(p.sis_id);
      claims[p.sis_id].push_back(o.index);
      return;
    }
    if (v.empty()) {
      p.cls = PlanClass::kRioOnly;
      p.reason = "its best " + o.taken;
      if (o.foreign_key) p.reason += "; carries key " + p.rio_key + " that the SIS does not serve";
      return;
    }
    if (!Firm(v)) {
      p.cls = PlanClass::kAmbiguous;
      size_t n = 1;
      while (n < v.size() && !Leads(v[0].score, v[n].score)) ++n;
      p.reason = std::to_string(n) + " SIS candidates score within " +
                 Fmt(options_.ambiguity_margin) + " of each other";
      for (size_t i = 0; i < n; ++i) sis_in_play_.insert(SisId(v[i]));
      return;
    }
    const std::string& best = SisId(v[0]);
    p.sis_id = best;
    p.confidence = v[0].score;
    p.evidence.insert(p.evidence.end(), v[0].evidence.begin(), v[0].evidence.end());
    sis_in_play_.insert(best);
    claims[best].push_back(o.index);
    if (o.foreign_key) {
      p.cls = PlanClass::kConflict;
      p.reason = "carries key " + p.rio_key + " that linking to " + best + " would overwrite";
      return;
    }
    p.cls = PlanClass::kProposed;
    p.reason = "best candidate, score " + Fmt(p.confidence);
    if (!o.taken.empty()) p.reason += "; " + o.taken;
    rio_to_sis_[p.rio_code] = best;
  }

  // A proposal whose SIS entity is another RIO item's key is a conflict; one entity proposed for
  // several RIO items makes all those proposals ambiguous.
  void ResolveSharedClaims(const BestClaims& claims) {
    for (const auto& [id, list] : claims) {
      auto linked = linked_by_sis_.find(id);
      for (size_t i : list) {
        PlanItem& p = out_[i];
        if (p.cls != PlanClass::kProposed) continue;
        if (linked != linked_by_sis_.end()) {
          p.cls = PlanClass::kConflict;
          p.reason = "SIS id " + id + " is already the key of RIO item " + linked->second.first;
        } else if (list.size() > 1) {
          p.cls = PlanClass::kAmbiguous;
          p.reason = "SIS entity " + id + " is the best candidate for " +
                     std::to_string(list.size()) + " RIO items within " +
                     Fmt(options_.ambiguity_margin);
        } else {
          continue;
        }
        rio_to_sis_.erase(p.rio_code);
        p.confidence = 0;
        p.sis_id.clear();
      }
    }
  }

  // --- OEs and AOs ------------------------------------------------------------------------------

  // OEs: non-variants first, then variants (their parent must have matched).
  void MatchOes() {
    for (int pass = 0; pass < 2; ++pass) {
      for (const Item* oe : oes_) {
        const bool variant = Val(*oe, "SOORT") == "VARIANT";
        if (variant != (pass == 1)) continue;
        const RioFacts r = OeFacts(*oe, variant);
        std::vector<Scored> scored;
        for (size_t i : OeBlock(r)) scored.push_back(ScoreOe(r, sis_.entities[i], i));
        Decide(*oe, std::move(scored), [&](size_t i) { return ScoreOe(r, sis_.entities[i], i); });
      }
    }
  }

  RioFacts OeFacts(const Item& oe, bool variant) const {
    RioFacts r;
    r.isat = Val(oe, "ERKENDEOPLEIDINGSCODE");
    r.niveau = SpecNiveauForRio(oe);
    r.variant = variant;
    r.studielast = Val(oe, "STUDIELAST");
    r.eenheid = Val(oe, "STUDIELASTEENHEID");
    r.begin = Val(oe, "BEGINDATUM");
    r.end = Val(oe, "EINDDATUM");
    r.names = NormalizedSet(AllNames(oe, {"VOLLEDIGE_NAAM", "KORTE_NAAM", "INTERNATIONALE_NAAM"}));
    if (variant) {
      auto parent = rio_to_sis_.find(Val(oe, "VARIANT_VAN"));
      if (parent != rio_to_sis_.end()) r.parent_sis = parent->second;
    }
    return r;
  }

  // The education specifications that share the OE's ISAT code or one of its names.
  std::set<size_t> OeBlock(const RioFacts& r) const {
    std::set<size_t> block;
    if (!r.isat.empty()) {
      auto it = spec_by_isat_.find(r.isat);
      if (it != spec_by_isat_.end()) block.insert(it->second.begin(), it->second.end());
    }
    for (const auto& n : r.names) {
      auto it = spec_by_name_.find(n);
      if (it != spec_by_name_.end()) block.insert(it->second.begin(), it->second.end());
    }
    return block;
  }

  // AOs: only under a matched OE.
  void MatchAos() {
    for (const Item* ao : aos_) {
      const RioFacts r = AoFacts(*ao);
      std::vector<Scored> scored;
      auto parent = rio_to_sis_.find(ao->parent);
      const std::string type = IsCourseFile(ao->file) ? "course" : "program";
      if (parent != rio_to_sis_.end()) {
        auto children = by_parent_.find(parent->second);
        if (children != by_parent_.end()) {
          for (size_t i : children->second) {
            if (sis_.entities[i].type == type) scored.push_back(ScoreAo(r, sis_.entities[i], i));
          }
        }
      }
      const size_t at = out_.size();
      Decide(*ao, std::move(scored), [&](size_t i) { return ScoreAo(r, sis_.entities[i], i); });
      if (parent == rio_to_sis_.end() && out_[at].cls == PlanClass::kRioOnly) {
        out_[at].reason = "its opleidingseenheid " + ao->parent + " is not linked or proposed";
      }
    }
  }

  static RioFacts AoFacts(const Item& ao) {
    RioFacts r;
    r.aanbieder = Val(ao, "ONDERWIJSAANBIEDERID");
    r.locatie = Val(ao, "ONDERWIJSLOCATIECODE");
    r.vorm = Val(ao, "VORM");
    r.voertaal = Languages(Val(ao, "VOERTAAL"));
    r.begin = Val(ao, "BEGINDATUM");
    r.end = Val(ao, "EINDDATUM");
    r.names = NormalizedSet(AllNames(ao, {"EIGENNAAM"}));
    return r;
  }

  // --- cohorts ----------------------------------------------------------------------------------

  // Cohorts within a linked or proposed AO: by cohort code, then by intake date.
  void MatchCohorts() {
    for (const Item* c : cohorts_) {
      PlanItem p = BaseItem(*c);
      auto ao = rio_to_sis_.find(c->parent);
      if (ao == rio_to_sis_.end()) {
        p.cls = PlanClass::kRioOnly;
        p.reason = "its aangeboden opleiding " + c->parent + " is not linked or proposed";
      } else {
        MatchCohort(*c, ao->second, p);
      }
      Push(std::move(p));
    }
  }

  // Classifies cohort `c` against the offerings of SIS entity `ao_sis_id`.
  void MatchCohort(const Item& c, const std::string& ao_sis_id, PlanItem& p) {
    const std::string code = Val(c, "COHORTCODE");
    std::string intake = Val(c, "INSTROOMMOMENT");
    if (intake.empty()) intake = Val(c, "BEGIN_INSTROOMPERIODE");
    const SisOffering* by_code = nullptr;
    std::vector<const SisOffering*> by_date;
    auto offs = offerings_by_parent_.find(ao_sis_id);
    if (offs != offerings_by_parent_.end()) {
      for (size_t i : offs->second) {
        const SisOffering& o = sis_.offerings[i];
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
      offering_used_.insert(by_code->id);
    } else if (by_date.size() == 1) {
      p.cls = PlanClass::kProposed;
      p.sis_id = by_date[0]->id;
      p.confidence = 0.8;
      p.reason = "same intake date; an upsert replaces cohort code " + code + " by " +
                 by_date[0]->code + " (the RIO cohort " + code + " is deleted)";
      p.evidence.push_back("intake " + intake);
      offering_used_.insert(by_date[0]->id);
    } else if (by_date.size() > 1) {
      p.cls = PlanClass::kAmbiguous;
      p.reason = std::to_string(by_date.size()) + " SIS offerings start on " + intake;
      for (const auto* o : by_date) {
        p.candidates.push_back({o->id, 0.8, {"intake " + intake}});
        offering_used_.insert(o->id);
      }
    } else {
      p.cls = PlanClass::kRioOnly;
      p.reason = "no SIS offering with cohort code " + code + " or intake " + intake +
                 ": an upsert of " + ao_sis_id + " deletes this cohort";
    }
  }

  // --- SIS only ---------------------------------------------------------------------------------

  // SIS entities no RIO item took: created by an upsert later. Offerings only under a linked or
  // proposed AO (the others come with their program or course).
  void AddSisOnly() {
    for (const auto& ao : rio_to_sis_) sis_in_play_.insert(ao.second);
    for (const SisEntity& e : sis_.entities) {
      if (sis_in_play_.contains(e.id)) continue;
      PlanItem p;
      p.kind = e.type;
      p.sis_type = e.type;
      p.sis_id = e.id;
      p.rio_name = e.names.empty() ? "" : e.names.front();
      p.cls = PlanClass::kSisOnly;
      p.reason = "no RIO item matched: an upsert will create it";
      Push(std::move(p));
    }
    std::unordered_set<std::string> matched_parents;
    for (const auto& item : out_) {
      if ((item.kind == "ao") &&
          (item.cls == PlanClass::kAlreadyLinked || item.cls == PlanClass::kProposed)) {
        matched_parents.insert(item.sis_id);
      }
    }
    for (const SisOffering& o : sis_.offerings) {
      if (!matched_parents.contains(o.parent_id) || offering_used_.contains(o.id)) continue;
      PlanItem p;
      p.kind = "offering";
      p.sis_type = "offering";
      p.sis_id = o.id;
      p.rio_name = o.code;
      p.cls = PlanClass::kSisOnly;
      p.reason =
          "no RIO cohort of its AO: an upsert of " + o.parent_id + " creates cohort " + o.code;
      Push(std::move(p));
    }
  }

  const SisSide& sis_;
  const MatchOptions& options_;
  // Indexes over the SIS side (the blocking keys).
  std::unordered_map<std::string, size_t> by_id_;
  std::unordered_map<std::string, std::vector<size_t>> spec_by_isat_, spec_by_name_, by_parent_;
  std::unordered_map<std::string, std::vector<size_t>> offerings_by_parent_;
  // RIO items in scope.
  std::vector<const Item*> oes_, aos_, cohorts_;
  std::unordered_map<std::string, std::vector<std::string>> key_owners_;  // "oe:key" -> codes
  std::unordered_map<std::string, std::string> rio_to_sis_;  // linked/proposed RIO code -> SIS id
  std::unordered_set<std::string> sis_in_play_;
  std::unordered_set<std::string> offering_used_;
  std::vector<Open> open_;
  // SIS id -> the already-linked RIO item whose key it is, and how well its facts fit the entity.
  std::unordered_map<std::string, std::pair<std::string, double>> linked_by_sis_;
  std::vector<PlanItem> out_;
};

}  // namespace

Plan MatchPlan(const Snapshot& snapshot, const SisSide& sis, const MatchOptions& options) {
  Plan plan;
  plan.snapshot_id = snapshot.id;
  plan.bestuur = snapshot.bestuur;
  plan.ref_date = snapshot.ref_date;
  plan.items = Matcher(snapshot, sis, options).Run();
  return plan;
}

}  // namespace ooapi::sync
