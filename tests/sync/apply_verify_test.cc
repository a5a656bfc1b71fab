// The pure parts of `sync apply` (a plan as ordered, checked link operations and the ledger step
// of each) and of `sync verify` (a snapshot against the ledger and the earlier snapshot).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ooapi/sync/link/apply.h"
#include "ooapi/sync/link/verify.h"
#include "ooapi/testing/rio_items.h"

namespace ooapi::sync {
namespace {

using ::ooapi::testing::RioItem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kId1[] = "3f2c7a10-1111-4a4a-8a8a-000000000001";
constexpr char kId2[] = "3f2c7a10-1111-4a4a-8a8a-000000000002";
constexpr char kId3[] = "3f2c7a10-1111-4a4a-8a8a-000000000003";
constexpr char kAo1[] = "5a9d3c2e-0000-4000-8000-00000000a001";
constexpr char kAo2[] = "5a9d3c2e-0000-4000-8000-00000000a002";

PlanItem Entry(const std::string& kind, const std::string& code, const std::string& sis_id,
               PlanClass cls = PlanClass::kProposed, const std::string& decision = "accept") {
  PlanItem p;
  p.kind = kind;
  p.rio_code = code;
  p.sis_id = sis_id;
  p.sis_type = "program";
  p.cls = cls;
  p.decision = decision;
  return p;
}

std::vector<std::string> Items(const std::vector<PlannedLink>& links) {
  std::vector<std::string> out;
  for (const PlannedLink& l : links) out.push_back(l.item);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Phase 1: the accepted entries in claim order

TEST(OrderAcceptedLinks, ParentsThenVariantsThenOfferedProgrammes) {
  Snapshot s;
  Item variant = RioItem(ItemKind::kOe, "1000O0002", "");
  variant.values.emplace_back("VARIANT_VAN", "1000O0001");
  s.items = {RioItem(ItemKind::kOe, "1000O0001", ""), variant};
  Plan plan;
  PlanItem course = Entry("ao", kAo2, kId3);
  course.sis_type = "course";
  PlanItem overridden = Entry("oe", "1000O0003", kId1, PlanClass::kConflict, "override");
  overridden.override_sis_id = kId2;
  plan.items = {Entry("ao", kAo1, kId1), Entry("oe", "1000O0002", kId2), course,
                Entry("oe", "1000O0001", kId1), overridden};
  const AcceptedLinks accepted = OrderAcceptedLinks(plan, s);
  EXPECT_THAT(Items(accepted.links),
              ElementsAre("oe:1000O0001", "oe:1000O0003", "oe:1000O0002", std::string("ao:") + kAo1,
                          std::string("ao:") + kAo2));
  EXPECT_THAT(accepted.skipped, IsEmpty());
  const PlannedLink& parent = accepted.links[0];
  EXPECT_EQ(parent.op.action, SurfAction::kLink);
  EXPECT_EQ(parent.op.type, "education-specifications");
  EXPECT_EQ(parent.op.rio_code, "1000O0001");
  EXPECT_EQ(parent.op.id, kId1);
  EXPECT_EQ(parent.priority, 0);
  // An override links to override_sis_id; an OE the snapshot lacks counts as a parent.
  EXPECT_EQ(accepted.links[1].op.id, kId2);
  EXPECT_EQ(accepted.links[1].priority, 0);
  EXPECT_EQ(accepted.links[2].priority, 1);
  EXPECT_EQ(accepted.links[3].op.type, "programs");
  EXPECT_EQ(accepted.links[3].priority, 2);
  EXPECT_EQ(accepted.links[4].op.type, "courses");
}

TEST(OrderAcceptedLinks, SkipsWhatCannotBeLinkedAsItStandsAndSaysWhy) {
  Plan plan;
  PlanItem edudex = Entry("oe", "1000O0004", kId1, PlanClass::kEduDex);
  PlanItem edudex_included = Entry("oe", "1000O0005", kId2, PlanClass::kEduDex);
  edudex_included.include_edudex = true;
  PlanItem cohort = Entry("cohort", std::string(kAo1) + "/2025", kId1);
  plan.items = {Entry("oe", "1000O0001", kId1, PlanClass::kAlreadyLinked),  // nothing to do
                Entry("oe", "1000O0002", kId1, PlanClass::kProposed, "reject"),
                Entry("oe", "1000O0003", kId1, PlanClass::kProposed, ""),
                cohort,
                edudex,
                Entry("oe", "1000O0006", kId1, PlanClass::kAmbiguous),
                Entry("ao", kAo1, "", PlanClass::kRioOnly),
                edudex_included};
  const AcceptedLinks accepted = OrderAcceptedLinks(plan, Snapshot{});
  EXPECT_THAT(Items(accepted.links), ElementsAre("oe:1000O0005"));
  EXPECT_TRUE(accepted.links[0].include_edudex);
  EXPECT_THAT(accepted.skipped,
              ElementsAre("oe:1000O0004: EDU-DEX item accepted without include_edudex",
                          "oe:1000O0006: ambiguous; choose with decision override + "
                          "override_sis_id",
                          std::string("ao:") + kAo1 + ": accept without a SIS id"));
}

// ---------------------------------------------------------------------------------------------
// Phase 2: local validation

TEST(CheckPlannedLinks, RefusesWhatTheMapperWouldAndKeepsTheLostKey) {
  Snapshot s;
  s.id = 3;
  s.items = {RioItem(ItemKind::kOe, "1000O0001", ""),
             RioItem(ItemKind::kOe, "1000O0003", "OSIRIS-12345", "foreign")};
  const LinkIndex index(s);
  Plan plan;
  plan.items = {Entry("oe", "1000O0001", kId1), Entry("oe", "1234o5678", kId2),
                Entry("oe", "1000O0003", kId3)};
  const AcceptedLinks accepted = OrderAcceptedLinks(plan, s);

  const CheckedLinks unforced = CheckPlannedLinks(accepted.links, index, false);
  EXPECT_THAT(Items(unforced.valid), ElementsAre("oe:1000O0001"));
  ASSERT_EQ(unforced.refused.size(), 2u);
  EXPECT_THAT(unforced.refused[0], HasSubstr("oe:1234o5678: rio code"));
  EXPECT_THAT(unforced.refused[1], HasSubstr("oe:1000O0003: "));
  EXPECT_THAT(unforced.refused[1], HasSubstr("OSIRIS-12345"));

  const CheckedLinks forced = CheckPlannedLinks(accepted.links, index, true);
  EXPECT_THAT(Items(forced.valid), ElementsAre("oe:1000O0001", "oe:1000O0003"));
  EXPECT_EQ(forced.valid[0].key_lost, "");
  EXPECT_EQ(forced.valid[1].key_lost, "OSIRIS-12345");
  EXPECT_EQ(forced.refused.size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Phase 3: the ledger's step for each valid link

class DecideLedgerStepTest : public ::testing::Test {
 protected:
  DecideLedgerStepTest() {
    link_.op = LinkOp{SurfAction::kLink, "education-specifications", "1000O0001", kId1};
    link_.item = "oe:1000O0001";
  }
  LedgerJob Job(JobState state, const std::string& sis_id = kId1) const {
    LedgerJob j = NewJob(SurfAction::kLink, link_.op.type, link_.op.rio_code, sis_id,
                         JobSource::kApply, "tester");
    j.id = 42;
    j.state = state;
    return j;
  }
  LedgerDecision Decide(const std::optional<LedgerJob>& latest, ApplyFlags flags = {}) const {
    return DecideLedgerStep(link_, latest, flags);
  }
  PlannedLink link_;
};

TEST_F(DecideLedgerStepTest, NewOrSettledElsewhereIsEnqueued) {
  EXPECT_EQ(Decide(std::nullopt).step, LedgerStep::kEnqueue);
  EXPECT_EQ(Decide(Job(JobState::kDone, kId2)).step, LedgerStep::kEnqueue);
  EXPECT_EQ(Decide(Job(JobState::kError, kId2)).step, LedgerStep::kEnqueue);
}

TEST_F(DecideLedgerStepTest, DoneIsSkippedAndUnderWayIsResumed) {
  EXPECT_EQ(Decide(Job(JobState::kDone)).step, LedgerStep::kAlreadyDone);
  for (JobState state : {JobState::kIntent, JobState::kSubmitting, JobState::kSubmitted}) {
    EXPECT_EQ(Decide(Job(state)).step, LedgerStep::kResume) << state;
  }
}

TEST_F(DecideLedgerStepTest, AnotherActiveJobHoldsTheItem) {
  const LedgerDecision d = Decide(Job(JobState::kSubmitted, kId2));
  EXPECT_EQ(d.step, LedgerStep::kHeld);
  EXPECT_TRUE(d.busy);
  EXPECT_EQ(d.why, "1000O0001: job 42 (link, submitted) is still active");
}

TEST_F(DecideLedgerStepTest, InDoubtIsSentAgainOnlyOnTheAdminsWord) {
  const LedgerDecision held = Decide(Job(JobState::kInDoubt));
  EXPECT_EQ(held.step, LedgerStep::kHeld);
  EXPECT_FALSE(held.busy);
  EXPECT_THAT(held.why, HasSubstr("job 42: "));
  EXPECT_EQ(Decide(Job(JobState::kInDoubt), {.resubmit_in_doubt = true}).step,
            LedgerStep::kRequeue);
}

TEST_F(DecideLedgerStepTest, AFailureIsRetriedOnlyWithRetryFailed) {
  for (JobState state : {JobState::kError, JobState::kTimeOut, JobState::kRejected}) {
    const LedgerDecision held = Decide(Job(state));
    EXPECT_EQ(held.step, LedgerStep::kHeld) << state;
    EXPECT_FALSE(held.busy);
    EXPECT_THAT(held.why, HasSubstr("(--retry-failed sends it again)"));
    EXPECT_EQ(Decide(Job(state), {.retry_failed = true}).step, LedgerStep::kEnqueue) << state;
  }
}

TEST(NewApplyJob, CarriesTheCheckedKeyAndTheClaimOrder) {
  PlannedLink link;
  link.op = LinkOp{SurfAction::kLink, "programs", kAo1, kId1};
  link.priority = 2;
  link.key_lost = "OLD";
  const LedgerJob job = NewApplyJob(link, "admin");
  EXPECT_EQ(job.action, SurfAction::kLink);
  EXPECT_EQ(job.type, "programs");
  EXPECT_EQ(job.rio_code, kAo1);
  EXPECT_EQ(job.sis_id, kId1);
  EXPECT_EQ(job.source, JobSource::kApply);
  EXPECT_EQ(job.actor, "admin");
  EXPECT_EQ(job.key_lost, "OLD");
  EXPECT_EQ(job.priority, 2);
  EXPECT_EQ(job.state, JobState::kIntent);
}

// ---------------------------------------------------------------------------------------------
// sync verify

LedgerJob Done(int64_t id, SurfAction action, const std::string& type, const std::string& code,
               const std::string& sis_id, JobState state = JobState::kDone) {
  LedgerJob j = NewJob(action, type, code, sis_id, JobSource::kApply, "tester");
  j.id = id;
  j.state = state;
  return j;
}

TEST(PreviousSnapshotId, TheNewestOlderImportOfTheSameBestuur) {
  std::vector<SnapshotInfo> list;
  for (const auto& [id, bestuur] :
       std::vector<std::pair<int64_t, std::string>>{{1, "A"}, {2, "B"}, {3, "A"}, {5, "A"}}) {
    SnapshotInfo info;
    info.id = id;
    info.bestuur = bestuur;
    list.push_back(info);
  }
  Snapshot after;
  after.id = 5;
  after.bestuur = "A";
  EXPECT_EQ(PreviousSnapshotId(list, after), 3);
  after.id = 1;
  EXPECT_EQ(PreviousSnapshotId(list, after), 0);
  after.id = 3;
  after.bestuur = "B";
  EXPECT_EQ(PreviousSnapshotId(list, after), 2);
}

TEST(VerifyLinks, EveryDoneJobMustShowInTheSnapshot) {
  Snapshot after;
  after.id = 9;
  after.items = {RioItem(ItemKind::kOe, "1000O0001", " 3F2C7A10-1111-4A4A-8A8A-000000000001 "),
                 RioItem(ItemKind::kOe, "1000O0002", ""), RioItem(ItemKind::kAo, kAo1, ""),
                 RioItem(ItemKind::kOe, "1000O0005", "")};
  const std::string es = "education-specifications";
  // Newest first, as Ledger::List gives them.
  const std::vector<LedgerJob> jobs = {
      Done(7, SurfAction::kLink, es, "1000o0001", kId1),   // present (code and key any case)
      Done(6, SurfAction::kUnlink, es, "1000O0002", ""),   // present: no key
      Done(5, SurfAction::kLink, "programs", kAo1, kId2),  // the key did not arrive
      Done(4, SurfAction::kLink, es, "1000O0009", kId3),   // the item is gone
      Done(3, SurfAction::kLink, es, "1000O0005", kId3, JobState::kError),
      Done(2, SurfAction::kLink, es, "1000O0002", kId3),     // older than job 6: ignored
      Done(1, SurfAction::kUpsert, "programs", kId1, kId1),  // not a link job
  };
  const VerifyReport report = VerifyLinks(after, nullptr, jobs);
  EXPECT_EQ(report.snapshot, 9);
  EXPECT_EQ(report.before, 0);
  EXPECT_EQ(report.links_present, 2);
  ASSERT_EQ(report.differences.size(), 3u);
  EXPECT_EQ(report.differences[0].item, std::string("ao:") + kAo1);
  EXPECT_EQ(report.differences[0].problem,
            std::string("key is '', expected '") + kId2 + "' after job 5");
  EXPECT_EQ(report.differences[1].item, "oe:1000o0005");
  EXPECT_THAT(report.differences[1].problem, HasSubstr("not applied: "));
  EXPECT_EQ(report.differences[2].item, "oe:1000o0009");
  EXPECT_EQ(report.differences[2].problem,
            std::string("missing from snapshot 9 (expected key '") + kId3 + "')");
}

TEST(VerifyLinks, OnlyKeysTheLedgerSetMayChangeBetweenImports) {
  const std::string es = "education-specifications";
  Snapshot before;
  before.id = 4;
  Item linked = RioItem(ItemKind::kOe, "1000O0001", "");
  linked.periods_json = R"([{"EIGEN_OPLEIDINGSEENHEIDSLEUTEL":"","NAAM":"X"}])";
  Item renamed = RioItem(ItemKind::kOe, "1000O0002", "");
  renamed.values.emplace_back("VOLLEDIGE_NAAM", "Techniek");
  Item keyed_behind_our_back = RioItem(ItemKind::kOe, "1000O0003", "");
  before.items = {linked, renamed, keyed_behind_our_back, RioItem(ItemKind::kAo, kAo2, "")};

  Snapshot after;
  after.id = 8;
  linked.values[0].second = kId1;
  linked.classification = "linked";
  linked.periods_json =
      std::string(R"([{"EIGEN_OPLEIDINGSEENHEIDSLEUTEL":")") + kId1 + R"(","NAAM":"X"}])";
  renamed.values[1].second = "Techniek Nieuw";
  keyed_behind_our_back.values[0].second = "OSIRIS-1";
  after.items = {linked, renamed, keyed_behind_our_back, RioItem(ItemKind::kAo, kAo1, "")};

  const VerifyReport report =
      VerifyLinks(after, &before, {Done(1, SurfAction::kLink, es, "1000O0001", kId1)});
  EXPECT_EQ(report.before, 4);
  EXPECT_EQ(report.links_present, 1);
  std::vector<std::string> lines;
  for (const VerifyFinding& f : report.differences) lines.push_back(f.item + ": " + f.problem);
  EXPECT_THAT(lines, ElementsAre(std::string("ao:") + kAo1 + ": added since snapshot 4",
                                 std::string("ao:") + kAo2 + ": removed since snapshot 4",
                                 "oe:1000o0002: changed outside the ledger since snapshot 4: "
                                 "VOLLEDIGE_NAAM",
                                 "oe:1000o0003: changed outside the ledger since snapshot 4: "
                                 "EIGEN_OPLEIDINGSEENHEIDSLEUTEL"));
}

TEST(VerifyLinks, AKeyChangeWithoutADoneJobIsNotExplained) {
  const std::string es = "education-specifications";
  Snapshot before;
  before.id = 1;
  before.items = {RioItem(ItemKind::kOe, "1000O0001", "")};
  Snapshot after = before;
  after.id = 2;
  after.items[0].values[0].second = kId1;
  after.items[0].classification = "linked";
  const VerifyReport report = VerifyLinks(
      after, &before, {Done(1, SurfAction::kLink, es, "1000O0001", kId1, JobState::kSubmitted)});
  EXPECT_EQ(report.links_present, 0);
  ASSERT_EQ(report.differences.size(), 2u);
  EXPECT_THAT(report.differences[0].problem, HasSubstr("not applied: "));
  EXPECT_EQ(report.differences[1].problem,
            "changed outside the ledger since snapshot 1: classification, "
            "EIGEN_OPLEIDINGSEENHEIDSLEUTEL");
}

}  // namespace
}  // namespace ooapi::sync
