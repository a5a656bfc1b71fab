#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/plan/cohort_check.h"
#include "ooapi/sync/plan/match.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/common/strings.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/sync/rio/import.h"
#include "ooapi/sync/rio/store.h"
#include "ooapi/testing/duo_generator.h"
#include "ooapi/testing/matching_sis.h"
#include "ooapi/testing/rio_items.h"
#include "ooapi/testing/status_matchers.h"
#include "plan_command.h"

namespace ooapi::sync {
namespace {

using ooapi::testing::GenerateDuo;
using ooapi::testing::GenerateMatchingSis;
using ooapi::testing::GeneratorOptions;
using ooapi::testing::MatchingSis;
using ooapi::testing::MemorySisAdapter;
using ooapi::testing::RioItem;
using ooapi::testing::SisData;

// The columns in DUO's order: the eigen sleutel (RioItem's) last. Tests index values by position.
Item Oe(const std::string& code, const std::string& name, const std::string& key,
        const std::string& isat, const std::string& cls = "unlinked") {
  Item i = RioItem(ItemKind::kOe, code, key, cls);
  i.file = "ho_opleidingen";
  i.values.insert(i.values.begin(), {{"VOLLEDIGE_NAAM", name},
                                     {"SOORT", "OPLEIDING"},
                                     {"NIVEAU", "HBO-BA"},
                                     {"BEGINDATUM", "2010-09-01"},
                                     {"ERKENDEOPLEIDINGSCODE", isat}});
  return i;
}
Item Ao(const std::string& code, std::string oe, const std::string& name,
        const std::string& key = "") {
  Item i = RioItem(ItemKind::kAo, code, key, key.empty() ? "unlinked" : "linked");
  i.file = "aangeboden_ho_opleidingen";
  i.parent = std::move(oe);
  i.values.insert(i.values.begin(), {{"EIGENNAAM", name},
                                     {"ONDERWIJSAANBIEDERID", "110A133"},
                                     {"VORM", "VOLTIJD"},
                                     {"BEGINDATUM", "2015-09-01"},
                                     {"VOERTAAL", "NLD"}});
  return i;
}
Item Cohort(const std::string& ao, const std::string& code, const std::string& intake,
            const std::string& status = "O") {
  Item i;
  i.kind = ItemKind::kCohort;
  i.sector = "HO";
  i.code = ao + "/" + code;
  i.parent = ao;
  i.values = {{"COHORTCODE", code}, {"INSTROOMMOMENT", intake}, {"COHORTSTATUS", status}};
  return i;
}
SisEntity Spec(std::string id, std::string name, std::string isat) {
  SisEntity e;
  e.type = "education-specification";
  e.id = std::move(id);
  e.names = {std::move(name)};
  e.isat = std::move(isat);
  e.niveau = "HBO-BA";
  e.begin = "2010-09-01";
  return e;
}
SisEntity Prog(std::string id, std::string spec, std::string name) {
  SisEntity e;
  e.type = "program";
  e.id = std::move(id);
  e.parent_id = std::move(spec);
  e.names = {std::move(name)};
  e.aanbieder = "110A133";
  e.vorm = "VOLTIJD";
  e.voertaal = {"NLD"};
  e.begin = "2015-09-01";
  return e;
}
const PlanItem& ByCode(const Plan& plan, const std::string& code) {
  for (const auto& p : plan.items) {
    if (p.rio_code == code || (p.rio_code.empty() && p.sis_id == code)) return p;
  }
  static PlanItem none;
  ADD_FAILURE() << "no plan item " << code;
  return none;
}

TEST(NormalizeName, FoldsCaseDiacriticsPunctuationPrefixesSuffixes) {
  EXPECT_EQ(NormalizeName("B Zorg & Welzijn (VT)"), "zorg welzijn");
  EXPECT_EQ(NormalizeName("ZORG, WELZIJN"), "zorg welzijn");
  EXPECT_EQ(NormalizeName("Zorg-en-Cr\xC3\xA9"
                          "atie DU"),
            "zorg en creatie");
  EXPECT_EQ(NormalizeName("AD Techniek deeltijd"), "techniek");
  EXPECT_EQ(NormalizeName("M"), "m");  // a lone token is kept
}

TEST(MatchPlan, EveryItemEndsInExactlyOneClassWithReason) {
  Snapshot s;
  s.bestuur = "100B490";
  s.items = {
      Oe("O1", "Zorg", "AAAAAAAA-0000-0000-0000-000000000001", "34001", "linked"),
      Oe("O2", "B Techniek VT", "", "34002"),
      Oe("O3", "Kunst", "", "34003"),
      Oe("O4", "Edudex", "ED0B0000-0000-0000-0000-000000000004", "", "edudex"),
      Oe("O5", "Recht", "OSIRIS-123", "34005", "foreign"),
      Oe("O6", "Dubbel", "dup-key", "", "foreign"),
      Oe("O7", "Dubbel twee", "DUP-KEY", "", "foreign"),
      Oe("O8", "Alleen in RIO", "", "34008"),
      Oe("O9", "Zorg", "", "34001"),  // same as O1, whose key already carries the SIS id
      Ao("A1", "O1", "Zorg Leeuwarden"),
      Ao("A2", "O1", "Zorg Groningen"),
      Cohort("A1", "C2024", "2024-09-01"),
      Cohort("A1", "C2023", "2023-09-01"),
      Cohort("A1", "C2022", "2022-09-01"),
  };
  SisSide sis;
  sis.entities = {Spec("aaaaaaaa-0000-0000-0000-000000000001", "Zorg", "34001"),
                  Spec("s2", "techniek", "34002"),
                  Spec("s3a", "Kunst", "34003"),
                  Spec("s3b", "KUNST", "34003"),
                  Spec("s4", "Edudex", ""),
                  Spec("s5", "Recht", "34005"),
                  Spec("s10", "Nieuw", "34010"),
                  Prog("p1", "aaaaaaaa-0000-0000-0000-000000000001", "Zorg Leeuwarden")};
  sis.offerings = {{"f1", "p1", "C2024", "2024-09-01"},
                   {"f2", "p1", "SIS-2023", "2023-09-01"},
                   {"f3", "p1", "C2025", "2025-09-01"}};
  s.items[10].values[3].second = "2019-09-01";  // A2 starts later than p1
  Plan plan = MatchPlan(s, sis);
  EXPECT_EQ(ByCode(plan, "O1").cls, PlanClass::kAlreadyLinked);
  EXPECT_EQ(ByCode(plan, "O1").sis_id, "aaaaaaaa-0000-0000-0000-000000000001");
  EXPECT_EQ(ByCode(plan, "O2").cls, PlanClass::kProposed);
  EXPECT_EQ(ByCode(plan, "O2").sis_id, "s2");
  EXPECT_GT(ByCode(plan, "O2").confidence, 0.5);
  EXPECT_EQ(ByCode(plan, "O3").cls, PlanClass::kAmbiguous);
  EXPECT_EQ(ByCode(plan, "O3").candidates.size(), 2u);
  EXPECT_TRUE(ByCode(plan, "O3").sis_id.empty());
  EXPECT_EQ(ByCode(plan, "O4").cls, PlanClass::kEduDex);
  EXPECT_THAT(ByCode(plan, "O4").reason, ::testing::HasSubstr("EDU-DEX feed"));
  EXPECT_EQ(ByCode(plan, "O5").cls, PlanClass::kConflict);
  EXPECT_THAT(ByCode(plan, "O5").reason, ::testing::HasSubstr("would overwrite"));
  EXPECT_EQ(ByCode(plan, "O6").cls, PlanClass::kConflict);
  EXPECT_THAT(ByCode(plan, "O6").reason, ::testing::HasSubstr("on 2 RIO items"));
  EXPECT_EQ(ByCode(plan, "O7").cls, PlanClass::kConflict);
  EXPECT_EQ(ByCode(plan, "O8").cls, PlanClass::kRioOnly);
  EXPECT_EQ(ByCode(plan, "O9").cls, PlanClass::kConflict);
  EXPECT_THAT(ByCode(plan, "O9").reason, ::testing::HasSubstr("already the key of RIO item O1"));
  EXPECT_EQ(ByCode(plan, "A1").cls, PlanClass::kProposed);
  EXPECT_EQ(ByCode(plan, "A1").sis_id, "p1");
  EXPECT_EQ(ByCode(plan, "A2").cls, PlanClass::kRioOnly);
  EXPECT_EQ(ByCode(plan, "A1/C2024").cls, PlanClass::kAlreadyLinked);
  EXPECT_EQ(ByCode(plan, "A1/C2023").cls, PlanClass::kProposed);  // by intake date
  EXPECT_EQ(ByCode(plan, "A1/C2022").cls, PlanClass::kRioOnly);
  EXPECT_EQ(ByCode(plan, "s10").cls, PlanClass::kSisOnly);
  EXPECT_EQ(ByCode(plan, "f3").cls, PlanClass::kSisOnly);
  for (const auto& p : plan.items) EXPECT_FALSE(p.reason.empty()) << p.rio_code << p.sis_id;

  MatchOptions include;
  include.include_edudex = {"O4"};
  Plan with = MatchPlan(s, sis, include);
  EXPECT_EQ(ByCode(with, "O4").cls, PlanClass::kProposed);
  EXPECT_THAT(Join(ByCode(with, "O4").evidence, " "), ::testing::HasSubstr("EDU-DEX feed"));
}

// A RIO item without a SIS entity of its own that shares a name with others: the entity goes to
// the item whose facts fit it better (a proposal or an already-linked item), and the item that
// carries another key is no conflict for an entity that is not its own.
TEST(MatchPlan, AnEntityGoesToTheItemItFitsBetter) {
  Snapshot s;
  s.items = {Oe("O1", "Zorg Welzijn", "", ""), Oe("O2", "Zorg Welzijn", "", ""),
             Oe("O3", "Zorg Welzijn", "OSIRIS-3", "", "foreign"),
             Oe("O4", "Sport", "bbbbbbbb-0000-0000-0000-000000000004", "", "linked"),
             Oe("O5", "Sport", "", "")};
  for (auto* item : {&s.items[1], &s.items[2], &s.items[4]}) {
    item->values[3].second = "2016-02-01";  // BEGINDATUM: not the SIS entity's
  }
  SisSide sis;
  sis.entities = {Spec("s1", "Zorg & Welzijn", ""),
                  Spec("bbbbbbbb-0000-0000-0000-000000000004", "SPORT", "")};
  Plan plan = MatchPlan(s, sis);
  EXPECT_EQ(ByCode(plan, "O1").cls, PlanClass::kProposed);
  EXPECT_EQ(ByCode(plan, "O1").sis_id, "s1");
  EXPECT_EQ(ByCode(plan, "O2").cls, PlanClass::kRioOnly);
  EXPECT_THAT(ByCode(plan, "O2").reason, ::testing::HasSubstr("fits RIO item O1 better"));
  EXPECT_EQ(ByCode(plan, "O3").cls, PlanClass::kRioOnly);
  EXPECT_THAT(ByCode(plan, "O3").reason, ::testing::HasSubstr("carries key OSIRIS-3"));
  EXPECT_EQ(ByCode(plan, "O4").cls, PlanClass::kAlreadyLinked);
  EXPECT_EQ(ByCode(plan, "O5").cls, PlanClass::kRioOnly);
  EXPECT_THAT(ByCode(plan, "O5").reason, ::testing::HasSubstr("is the key of RIO item O4"));
  // The same begin date: nothing tells O5 from O4, so it is a conflict, as before.
  s.items[4].values[3].second = "2010-09-01";
  EXPECT_EQ(ByCode(MatchPlan(s, sis), "O5").cls, PlanClass::kConflict);
}

TEST(PlanFile, MergeKeepsRejectionAndOverride) {
  Snapshot s;
  s.items = {Oe("O2", "Techniek", "", "34002"), Oe("O3", "Kunst", "", "34003"),
             Oe("O8", "Weg", "", "34008")};
  SisSide sis;
  sis.entities = {Spec("s2", "Techniek", "34002"), Spec("s3", "Kunst", "34003")};
  Plan first = MatchPlan(s, sis);
  auto parsed = ParsePlan(PlanToJson(first));
  ASSERT_OK(parsed);
  Plan edited = *parsed;
  for (auto& p : edited.items) {
    if (p.rio_code == "O2") p.decision = "reject";
    if (p.rio_code == "O3") {
      p.decision = "override";
      p.override_sis_id = "s9";
      p.note = "checked with the faculty";
    }
    if (p.rio_code == "O8") p.decision = "accept";
  }
  auto reread = ParsePlan(PlanToJson(edited));
  ASSERT_OK(reread);
  // A new snapshot: O8 is gone.
  s.items.pop_back();
  Plan second = MatchPlan(s, sis);
  MergeDecisions(second, *reread);
  EXPECT_EQ(ByCode(second, "O2").decision, "reject");
  EXPECT_EQ(ByCode(second, "O3").decision, "override");
  EXPECT_EQ(ByCode(second, "O3").override_sis_id, "s9");
  EXPECT_EQ(ByCode(second, "O3").note, "checked with the faculty");
  ASSERT_EQ(second.warnings.size(), 1u);
  EXPECT_THAT(second.warnings[0], ::testing::HasSubstr("oe:O8"));
  EXPECT_FALSE(ParsePlan(R"({"format":"ooapi-endpoint/sync-plan","version":2,"items":[]})").ok());
}

TEST(CohortLoss, ListsUnservedRioCohortAndOfferingOutsideTheWindow) {
  SisData data;
  adapters::EducationSpecification spec;
  spec.id = "aaaaaaaa-0000-4000-8000-000000000001";
  spec.properties.type = "program";
  spec.properties.primary_code = {"crohoCreboCode", "34001"};
  spec.properties.name = {{"nl-NL", "Zorg"}};
  spec.valid_from = "2010-09-01";
  data.specs.push_back(spec);
  adapters::Program program;
  program.id = "bbbbbbbb-0000-4000-8000-000000000001";
  program.education_specification_id = spec.id;
  program.properties.primary_code = {"programCode", "P1"};
  program.properties.name = {{"nl-NL", "Zorg Leeuwarden"}};
  program.properties.rio.education_offerer_code = "110A133";
  program.properties.mode_of_study = "full-time";
  program.valid_from = "2015-09-01";
  data.programs.push_back(program);
  auto offering = [&](const std::string& id, const std::string& code, const std::string& start) {
    adapters::Offering o;
    o.id = id;
    o.offering_type = "program";
    o.primary_code = {"offeringCode", code};
    o.name = {{"nl-NL", code}};
    o.program_id = program.id;
    o.start_date = start;
    o.end_date = start;
    o.rio.registration_status = "open";
    return o;
  };
  data.offerings = {offering("cccccccc-0000-4000-8000-000000000001", "C2026", "2026-09-01"),
                    offering("cccccccc-0000-4000-8000-000000000002", "C2024", "2024-09-01")};
  MemorySisAdapter adapter(data);
  endpoint::ApiOptions options;
  options.offering_window = "spec";
  options.today = [] { return std::string("2025-09-01"); };
  endpoint::Api api(&adapter, options);

  Snapshot s;
  s.items = {Oe("O1", "Zorg", spec.id, "34001", "linked"), Ao("A1", "O1", "Zorg Leeuwarden"),
             Cohort("A1", "C2026", "2026-09-01", "G"), Cohort("A1", "C2020", "2020-09-01")};
  auto side = LoadSisSide(adapter);
  ASSERT_OK(side);
  Plan plan = MatchPlan(s, *side);
  plan.offering_window = "spec";
  ASSERT_EQ(ByCode(plan, "A1").cls, PlanClass::kProposed);
  auto findings = CheckCohortLoss(plan, s, api, adapter);
  ASSERT_OK(findings);
  std::vector<std::string> got;
  for (const auto& f : *findings) got.push_back(f.finding + " " + f.cohortcode);
  EXPECT_THAT(got,
              ::testing::UnorderedElementsAre("deleted C2020", "not_served C2024", "status C2026"));
  plan.cohort_findings = *findings;
  const std::string csv = ::testing::TempDir() + "/plan_report.csv";
  const std::string html = ::testing::TempDir() + "/plan_report.html";
  ASSERT_OK(WriteReport(plan, csv));
  ASSERT_OK(WriteReport(plan, html));
  const std::string xlsx = ::testing::TempDir() + "/plan_report.xlsx";
  ASSERT_OK(WriteReport(plan, xlsx));
  std::ifstream zip(xlsx, std::ios::binary);
  std::string magic(2, '\0');
  zip.read(magic.data(), 2);
  EXPECT_EQ(magic, "PK");  // an .xlsx is a zip archive
  EXPECT_FALSE(WriteReport(plan, ::testing::TempDir() + "/plan_report.txt").ok());
  std::ifstream in(html);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), ::testing::HasSubstr("RIO cohort C2020"));
  EXPECT_THAT(text.str(),
              ::testing::HasSubstr("SIS offering cccccccc-0000-4000-8000-000000000002"));
  EXPECT_THAT(text.str(), ::testing::HasSubstr("outside the offering window"));
}

// Acceptance: `sync plan --merge old.json`, as a user runs it (snapshot store, SIS, plan file),
// keeps an admin's rejection and override when re-planning after a new snapshot.
TEST(SyncPlanCommand, MergeKeepsRejectionAndOverrideAcrossSnapshots) {
  const std::string dir = ::testing::TempDir() + "/plan_cli_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/sync.db";
  auto open_db = [](const std::string& path) {
    return adapters::sqlite::Open(path, {.read_only = false, .create = true});
  };
  auto open_sis = [](const std::string&) -> StatusOr<app::SisHandle> {
    SisData data;
    for (const auto& [id, name, isat] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"aaaaaaaa-0000-4000-8000-000000000002", "Techniek", "34002"},
             {"aaaaaaaa-0000-4000-8000-000000000003", "Kunst", "34003"}}) {
      adapters::EducationSpecification spec;
      spec.id = id;
      spec.properties.type = "program";
      spec.properties.primary_code = {"crohoCreboCode", isat};
      spec.properties.name = {{"nl-NL", name}};
      spec.properties.level = "bachelor";
      spec.valid_from = "2010-09-01";
      data.specs.push_back(spec);
    }
    app::SisHandle handle;
    handle.adapter = std::make_unique<MemorySisAdapter>(std::move(data));
    handle.api = std::make_unique<endpoint::Api>(handle.adapter.get(), endpoint::ApiOptions{});
    handle.offering_window = "all";
    return handle;
  };
  Snapshot s;
  s.bestuur = "100B490";
  s.ref_date = "2025-09-01";
  s.items = {Oe("O2", "Techniek", "", "34002"), Oe("O3", "Kunst", "", "34003")};
  {
    auto c = open_db(db);
    ASSERT_OK(c);
    ASSERT_OK(SaveSnapshot(**c, s));
  }
  const std::string first = dir + "/plan.json", second = dir + "/plan2.json";
  ASSERT_EQ(app::RunSyncCommand({"plan", "--db", db, "--out", first}, open_db, open_sis), 0);
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return ParsePlan(text.str());
  };
  auto plan = read(first);
  ASSERT_OK(plan);
  ASSERT_EQ(ByCode(*plan, "O2").cls, PlanClass::kProposed);
  for (auto& p : plan->items) {
    if (p.rio_code == "O2") p.decision = "reject";
    if (p.rio_code == "O3") {
      p.decision = "override";
      p.override_sis_id = "aaaaaaaa-0000-4000-8000-000000000002";
    }
  }
  {
    std::ofstream out(first, std::ios::binary);
    out << PlanToJson(*plan);
  }
  // A new import: O3 renamed in RIO, and a new OE.
  s.items[1].values[0].second = "Kunst en Cultuur";
  s.items.push_back(Oe("O4", "Nieuw", "", "34004"));
  {
    auto c = open_db(db);
    ASSERT_OK(c);
    ASSERT_OK(SaveSnapshot(**c, s));
  }
  ASSERT_EQ(app::RunSyncCommand({"plan", "--db", db, "--out", second, "--merge", first}, open_db,
                                open_sis),
            0);
  auto merged = read(second);
  ASSERT_OK(merged);
  EXPECT_EQ(merged->snapshot_id, 2);
  EXPECT_EQ(ByCode(*merged, "O2").decision, "reject");
  EXPECT_EQ(ByCode(*merged, "O3").decision, "override");
  EXPECT_EQ(ByCode(*merged, "O3").override_sis_id, "aaaaaaaa-0000-4000-8000-000000000002");
  EXPECT_EQ(ByCode(*merged, "O4").decision, "");
  std::filesystem::remove_all(dir);
}

// The accuracy test: the institution profile's target bestuur against the ground truth of
// GenerateMatchingSis (exact, fuzzy, ambiguous, SIS-only and RIO-only items; a share of the
// matched ones with a begin date, end date, studyload, name or locatie that differs), for several
// seeds of both generators. Prints the figures; PLAN_DEBUG=1 prints every miss.
class PlanAccuracy : public ::testing::TestWithParam<uint64_t> {};

TEST_P(PlanAccuracy, InstitutionProfileAgainstGroundTruth) {
  const uint64_t seed = GetParam();
  const std::string dir = ::testing::TempDir() + "/plan_accuracy_" + std::to_string(::getpid()) +
                          "_" + std::to_string(seed);
  GeneratorOptions g;
  g.profile = "institution";
  g.seed = seed;
  g.out_dir = dir;
  auto truth = GenerateDuo(g);
  ASSERT_OK(truth);
  ImportOptions io;
  io.dir = dir;
  io.bestuur = truth->bestuur;
  io.ref_date = truth->ref_date;
  auto snapshot = ImportDuo(io);
  ASSERT_OK(snapshot);
  std::filesystem::remove_all(dir);
  MatchingSis sis = GenerateMatchingSis(*snapshot, seed);
  MemorySisAdapter adapter(sis.data);
  auto side = LoadSisSide(adapter);
  ASSERT_OK(side);
  Plan plan = MatchPlan(*snapshot, *side);
  const bool debug = getenv("PLAN_DEBUG") != nullptr;
  auto print = [&](const char* what, const PlanItem& p, const std::string& want) {
    if (!debug) return;
    std::printf("%s %s %s want %s got %s %s: %s\n", what, p.kind.c_str(), p.rio_code.c_str(),
                want.c_str(), std::string(PlanClassName(p.cls)).c_str(), p.sis_id.c_str(),
                p.reason.c_str());
    for (const auto& c : p.candidates) {
      std::printf("  candidate %s %.2f: %s\n", c.sis_id.c_str(), c.score,
                  Join(c.evidence, "; ").c_str());
    }
  };
  int64_t proposed = 0, correct = 0, expected_links = 0, wrong_class = 0, bad_proposals = 0;
  int64_t linked_ok = 0, linked_expected = 0, rio_only_planted = 0, rio_only_oes = 0, varied = 0;
  for (const auto& [code, want] : sis.truth.expected) {
    if (want.rfind("link:", 0) == 0) ++expected_links;
    if (want.rfind("linked:", 0) == 0) ++linked_expected;
    if (want == "rio_only") ++rio_only_planted;
  }
  rio_only_oes = sis.truth.planted["rio_only"];
  for (const auto& [kind, n] : sis.truth.planted) {
    if (kind.find("begin") != std::string::npos || kind.find("end date") != std::string::npos ||
        kind.find("studyload") != std::string::npos || kind.find("name") != std::string::npos ||
        kind.find("renamed") != std::string::npos || kind.find("locatie") != std::string::npos) {
      varied += n;
    }
  }
  for (const auto& p : plan.items) {
    if (p.kind != "oe" && p.kind != "ao") continue;
    auto it = sis.truth.expected.find(p.rio_code);
    const std::string want = it == sis.truth.expected.end() ? "" : it->second;
    if ((want.rfind("link", 0) == 0 || p.cls == PlanClass::kProposed) &&
        want != "link:" + p.sis_id && want != "linked:" + p.sis_id) {
      print("MISS", p, want);
    }
    if (p.cls == PlanClass::kProposed) {
      ++proposed;
      if (want == "link:" + p.sis_id) {
        ++correct;
      } else if (want == "ambiguous" || want == "edudex") {
        ++bad_proposals;
      }
    }
    if (p.cls == PlanClass::kAlreadyLinked && want == "linked:" + p.sis_id) ++linked_ok;
    if (want == "not_proposed") {
      EXPECT_TRUE(p.cls != PlanClass::kProposed && p.cls != PlanClass::kAlreadyLinked)
          << p.rio_code << " " << PlanClassName(p.cls);
    } else if (!want.empty() && want.find(':') == std::string::npos &&
               want != PlanClassName(p.cls)) {
      ++wrong_class;
      print("CLASS", p, want);
    }
    // Planted RIO-only items (no SIS entity at all, or an OE not in the SIS) end RIO only.
    if (want == "rio_only") {
      EXPECT_EQ(PlanClassName(p.cls), "rio_only")
          << p.kind << " " << p.rio_code << ": " << p.reason;
    }
  }
  const double precision = proposed ? 100.0 * correct / proposed : 0;
  const double recall = expected_links ? 100.0 * correct / expected_links : 0;
  std::printf(
      "plan accuracy (institution, seed %llu): %lld proposed, %lld correct of %lld expected: "
      "precision %.2f%%, recall %.2f%%; already linked %lld/%lld; ambiguous/EDU-DEX proposed "
      "%lld; other class mismatches %lld; %lld items with a varied fact, %lld planted RIO-only "
      "(%lld OEs, the rest AOs)\n",
      static_cast<unsigned long long>(seed), static_cast<long long>(proposed),
      static_cast<long long>(correct), static_cast<long long>(expected_links), precision, recall,
      static_cast<long long>(linked_ok), static_cast<long long>(linked_expected),
      static_cast<long long>(bad_proposals), static_cast<long long>(wrong_class),
      static_cast<long long>(varied), static_cast<long long>(rio_only_planted),
      static_cast<long long>(rio_only_oes));
  EXPECT_GT(expected_links, 100);
  EXPECT_GT(varied, 100);
  EXPECT_GE(rio_only_oes, 5);  // the planting still plants
  EXPECT_GE(precision, 99.5);
  EXPECT_GE(recall, 95.0);
  EXPECT_EQ(bad_proposals, 0);
  EXPECT_EQ(linked_ok, linked_expected);
  // Planted SIS-only entities end SIS only.
  ASSERT_EQ(sis.truth.sis_only.size(), 25u);
  for (const auto& id : sis.truth.sis_only) EXPECT_EQ(ByCode(plan, id).cls, PlanClass::kSisOnly);
}

INSTANTIATE_TEST_SUITE_P(Seeds, PlanAccuracy, ::testing::Values(7, 11, 23, 101));

}  // namespace
}  // namespace ooapi::sync
