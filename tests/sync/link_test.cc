// Local link validation, the job ledger (SQLite and PostgreSQL), and the SURFeduhub client and
// runner against the simulator (tests/sync/surf_sim.py, started by the test on 127.0.0.1): real
// HTTP through libcurl. The runner's own rules (back-off, priority, in-doubt, deadline, stop) are
// tested in-process on a fake clock in runner_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/common/json.h"
#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/link/rules.h"
#include "ooapi/sync/link/runner.h"
#include "ooapi/sync/link/surf.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/duo_generator.h"
#include "ooapi/testing/port_server.h"
#include "ooapi/testing/rio_items.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::sync {
namespace {

using ooapi::testing::GenerateDuo;
using ooapi::testing::GeneratorOptions;
using ooapi::testing::RioItem;

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kId1[] = "3f2c7a10-1111-4a4a-8a8a-000000000001";
constexpr char kId2[] = "3f2c7a10-1111-4a4a-8a8a-000000000002";
constexpr char kAo1[] = "5a9d3c2e-0000-4000-8000-00000000a001";
constexpr char kAoEduDex[] = "ED0C1234-0000-4000-8000-00000000A002";

Snapshot TestSnapshot() {
  Snapshot s;
  s.id = 7;
  s.bestuur = "100B490";
  s.items.push_back(RioItem(ItemKind::kOe, "1000O0001", "", "unlinked"));
  s.items.push_back(RioItem(ItemKind::kOe, "1000O0002", kId2, "linked"));
  s.items.push_back(RioItem(ItemKind::kOe, "1000O0003", "OSIRIS-12345", "foreign"));
  s.items.push_back(
      RioItem(ItemKind::kOe, "1000O0004", "ED0B1234-0000-4000-8000-000000000001", "edudex"));
  s.items.push_back(RioItem(ItemKind::kAo, kAo1, "", "unlinked"));
  s.items.push_back(RioItem(ItemKind::kAo, kAoEduDex, "", "edudex"));
  return s;
}

SurfJob MakeJob(SurfAction action, const std::string& type, const std::string& code,
                const std::string& id) {
  SurfJob job;
  job.action = action;
  job.type = type;
  job.rio_code = code;
  job.id = id;
  return job;
}

LinkOp Link(const std::string& type, const std::string& code, const std::string& id) {
  return LinkOp{SurfAction::kLink, type, code, id};
}

// ---------------------------------------------------------------------------------------------
// Local validation

TEST(CheckLinkOp, TheMappersSyntaxRulesNameTheField) {
  const LinkCheckOptions none;
  EXPECT_THAT(CheckLinkOp(Link("education-specifications", "1000o0001", kId1), nullptr, none)
                  .status.message(),
              HasSubstr("rio code: '1000o0001' is not an opleidingseenheidcode"));
  EXPECT_THAT(CheckLinkOp(Link("programs", "1000O0001", kId1), nullptr, none).status.message(),
              HasSubstr("is not an aangeboden-opleidingcode (a UUID)"));
  EXPECT_THAT(
      CheckLinkOp(Link("programs", kAo1, "3F2C7A10-1111-4A4A-8A8A-000000000001"), nullptr, none)
          .status.message(),
      HasSubstr("id: '3F2C7A10-1111-4A4A-8A8A-000000000001' must be a lowercase UUID"));
  EXPECT_THAT(CheckLinkOp(Link("opleidingen", kAo1, kId1), nullptr, none).status.message(),
              HasSubstr("type: 'opleidingen'"));
  EXPECT_OK(CheckLinkOp(Link("education-specifications", "1000O0001", kId1), nullptr, none).status);
  EXPECT_OK(CheckLinkOp(Link("courses", kAo1, kId1), nullptr, none).status);
}

TEST(CheckLinkOp, EduDexItemsNeedIncludeEdudex) {
  const Snapshot s = TestSnapshot();
  LinkCheckOptions options;
  // By AO code (ED0C uppercase UUID) and by OE key (ED0B), as the guide says.
  EXPECT_THAT(CheckLinkOp(Link("programs", kAoEduDex, kId1), &s, options).status.message(),
              HasSubstr("managed by EDU-DEX"));
  EXPECT_THAT(CheckLinkOp(Link("education-specifications", "1000O0004", kId1), &s, options)
                  .status.message(),
              HasSubstr("--include-edudex"));
  options.include_edudex = true;
  options.force = true;  // the OE carries the ED0B key, which linking overwrites
  EXPECT_OK(CheckLinkOp(Link("programs", kAoEduDex, kId1), &s, options).status);
  EXPECT_OK(CheckLinkOp(Link("education-specifications", "1000O0004", kId1), &s, options).status);
}

TEST(CheckLinkOp, OverwritingAnotherKeyNeedsForceAndReportsTheLostKey) {
  const Snapshot s = TestSnapshot();
  LinkCheckOptions options;
  const LinkCheck refused =
      CheckLinkOp(Link("education-specifications", "1000O0003", kId1), &s, options);
  EXPECT_EQ(refused.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status.message(), HasSubstr("carries key 'OSIRIS-12345'"));
  EXPECT_THAT(refused.status.message(), HasSubstr("--force"));
  options.force = true;
  const LinkCheck forced =
      CheckLinkOp(Link("education-specifications", "1000O0003", kId1), &s, options);
  EXPECT_OK(forced.status);
  EXPECT_EQ(forced.key_lost, "OSIRIS-12345");
  // Re-linking the key it already has is no overwrite.
  const LinkCheck same =
      CheckLinkOp(Link("education-specifications", "1000O0002", kId2), &s, LinkCheckOptions{});
  EXPECT_OK(same.status);
  EXPECT_EQ(same.key_lost, "");
}

TEST(CheckLinkOp, AKeyAlreadyOnAnotherItemIsRefused) {
  const Snapshot s = TestSnapshot();
  const LinkCheck check =
      CheckLinkOp(Link("education-specifications", "1000O0001", kId2), &s, LinkCheckOptions{});
  EXPECT_THAT(check.status.message(), HasSubstr("already on 1000O0002"));
  EXPECT_THAT(check.status.message(), HasSubstr("P01081"));
}

TEST(CheckLinkOp, UnknownCodesNeedForceAndUnlinkReportsTheRemovedKey) {
  const Snapshot s = TestSnapshot();
  EXPECT_THAT(
      CheckLinkOp(Link("education-specifications", "9999O0001", kId1), &s, {}).status.message(),
      HasSubstr("not in snapshot 7"));
  LinkCheckOptions force;
  force.force = true;
  EXPECT_OK(CheckLinkOp(Link("education-specifications", "9999O0001", kId1), &s, force).status);
  const LinkCheck unlink =
      CheckLinkOp(LinkOp{SurfAction::kUnlink, "education-specifications", "1000O0003", ""}, &s, {});
  EXPECT_OK(unlink.status);
  EXPECT_EQ(unlink.key_lost, "OSIRIS-12345");
}

TEST(SurfJobPath, FollowsTheMappersRoutes) {
  EXPECT_EQ(SurfJobPath(MakeJob(SurfAction::kLink, "education-specifications", "1234O5678", kId1)),
            std::string("/job/link/1234O5678/education-specifications/") + kId1);
  EXPECT_EQ(SurfJobPath(MakeJob(SurfAction::kUnlink, "programs", kAo1, "")),
            std::string("/job/unlink/") + kAo1 + "/programs");
  EXPECT_EQ(SurfJobPath(MakeJob(SurfAction::kDryRunUpsert, "courses", "", kId1)),
            std::string("/job/dry-run/upsert/courses/") + kId1);
}

TEST(DescribeJob, ExplainsTheMappersOutcomesInTheAdminsTerms) {
  LedgerJob job;
  job.action = SurfAction::kLink;
  job.rio_code = "1000O0001";
  job.sis_id = kId1;
  job.state = JobState::kDone;
  job.attributes =
      R"({"eigenOpleidingseenheidSleutel":{"diff":true,"old-id":"OSIRIS-1","new-id":")" +
      std::string(kId1) + "\"}}";
  EXPECT_EQ(DescribeJob(job), std::string("link 1000O0001: done, eigenOpleidingseenheidSleutel "
                                          "OSIRIS-1 -> ") +
                                  kId1);
  job.attributes = R"({"eigenOpleidingseenheidSleutel":{"diff":false}})";
  EXPECT_THAT(DescribeJob(job), HasSubstr("key unchanged"));
  job.state = JobState::kError;
  job.message = "Rejected by RIO: P01081: Er bestaat al een opleidingseenheid";
  EXPECT_THAT(DescribeJob(job), HasSubstr("another RIO item already carries it"));
  job.state = JobState::kTimeOut;
  job.phase = "resolving";
  job.message = "404 Not Found";
  EXPECT_THAT(DescribeJob(job), HasSubstr("RIO does not know 1000O0001"));
  job.state = JobState::kInDoubt;
  EXPECT_THAT(DescribeJob(job), HasSubstr("--resubmit-in-doubt"));
}

TEST(ParseSurfStatus, ReadsTheStatusObject) {
  auto s = ParseSurfStatus(
      R"({"status":"error","token":"t","action":"link","resource":"program/x","phase":"upserting",)"
      R"("message":"m","created-at":"c","attributes":{"a":1}})");
  ASSERT_OK(s);
  EXPECT_TRUE(s->Final());
  EXPECT_EQ(s->phase, "upserting");
  EXPECT_EQ(s->attributes_json, R"({"a":1})");
  EXPECT_FALSE(ParseSurfStatus("[]").ok());
  EXPECT_FALSE(ParseSurfStatus(R"({"token":"x"})").ok());
}

// ---------------------------------------------------------------------------------------------
// The ledger, on both databases

// The ledger's own databases: an empty SQLite file, or a fresh PostgreSQL schema.
struct SqliteLedgerDb {
  Status setup = Status::Ok();
  bool skip = false;
  ooapi::testing::TempFile file{".db"};
};

template <typename Backend>
class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!backend_.setup.ok()) {
      if (backend_.skip) GTEST_SKIP() << backend_.setup.ToString();
      FAIL() << backend_.setup.ToString();
    }
    auto c = Open();
    ASSERT_OK(c);
    connection_ = std::move(c).value();
    ledger_ = std::make_unique<Ledger>(*connection_);
    ASSERT_OK(ledger_->EnsureSchema());
  }

  StatusOr<db::ConnectionPtr> Open() {
    if constexpr (std::is_same_v<Backend, SqliteLedgerDb>) {
      adapters::sqlite::OpenOptions o;
      o.create = true;
      o.read_only = false;
      o.busy_timeout_ms = 5000;
      return adapters::sqlite::Open(backend_.file.path(), o);
    } else {
      return backend_.OpenWritable();
    }
  }

  LedgerJob Job(const std::string& code, const std::string& id, int64_t priority = 0) {
    LedgerJob j;
    j.action = SurfAction::kLink;
    j.type = "education-specifications";
    j.rio_code = code;
    j.sis_id = id;
    j.source = JobSource::kCli;
    j.priority = priority;
    return j;
  }

  Backend backend_;
  db::ConnectionPtr connection_;
  std::unique_ptr<Ledger> ledger_;
};

using Backends = ::testing::Types<SqliteLedgerDb, ooapi::testing::PostgresBackend>;
TYPED_TEST_SUITE(LedgerTest, Backends);

TYPED_TEST(LedgerTest, OneActiveJobPerItemAndTheLifecycle) {
  Ledger& l = *this->ledger_;
  bool created = false;
  auto first = l.Enqueue(this->Job("1000O0001", kId1), &created);
  ASSERT_OK(first);
  EXPECT_TRUE(created);
  EXPECT_EQ(first->state, JobState::kIntent);
  auto again = l.Enqueue(this->Job("1000O0001", kId1), &created);
  ASSERT_OK(again);
  EXPECT_FALSE(created);
  EXPECT_EQ(again->id, first->id);

  auto claimed = l.Claim({}, 10);
  ASSERT_OK(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].state, JobState::kSubmitting);
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_TRUE(l.Claim({}, 10)->empty()) << "a claimed job is not claimed twice";

  ASSERT_OK(l.MarkSubmitted(first->id, "00000000-0000-4000-8000-000000000001"));
  SurfStatus running;
  running.status = "in-progress";
  ASSERT_OK(l.RecordStatus(first->id, running, "poll"));
  SurfStatus done;
  done.status = "done";
  done.attributes_json = R"({"eigenOpleidingseenheidSleutel":{"diff":false}})";
  ASSERT_OK(l.RecordStatus(first->id, done, "webhook"));
  // A late poll answer does not reopen it.
  ASSERT_OK(l.RecordStatus(first->id, running, "poll"));
  auto settled = l.GetByToken("00000000-0000-4000-8000-000000000001");
  ASSERT_OK(settled);
  EXPECT_EQ(settled->state, JobState::kDone);
  EXPECT_EQ(settled->status, "done");
  EXPECT_FALSE(settled->finished_at.empty());
  auto events = l.Events(first->id);
  ASSERT_OK(events);
  std::vector<std::string> states;
  for (const auto& e : *events) states.emplace_back(JobStateName(e.state));
  EXPECT_EQ(states,
            (std::vector<std::string>{"intent", "submitting", "submitted", "submitted", "done"}));
  // Settled, the item may get a new job (e.g. an unlink).
  auto next = l.Enqueue(this->Job("1000O0001", ""), &created);
  ASSERT_OK(next);
  EXPECT_TRUE(created);
  EXPECT_NE(next->id, first->id);
}

TYPED_TEST(LedgerTest, RetryInDoubtRejectAndRequeue) {
  Ledger& l = *this->ledger_;
  bool created = false;
  auto a = l.Enqueue(this->Job("1000O0001", kId1), &created);
  auto b = l.Enqueue(this->Job("1000O0002", kId2), &created);
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_EQ(l.Claim({a->id, b->id}, 2)->size(), 2u);
  ASSERT_OK(l.MarkRetry(a->id, "HTTP 503"));
  EXPECT_EQ(l.Get(a->id)->state, JobState::kIntent);
  ASSERT_OK(l.MarkInDoubt(b->id, "Empty reply from server"));
  EXPECT_EQ(l.Get(b->id)->state, JobState::kInDoubt);
  // In doubt is still active: no second job for the item.
  auto dup = l.Enqueue(this->Job("1000O0002", kId2), &created);
  ASSERT_OK(dup);
  EXPECT_FALSE(created);
  EXPECT_EQ(dup->id, b->id);
  EXPECT_FALSE(l.MarkSubmitted(b->id, "00000000-0000-4000-8000-000000000002").ok())
      << "only a submitting job can get a token";
  ASSERT_OK(l.Requeue(b->id, "admin checked RIO"));
  EXPECT_EQ(l.Get(b->id)->state, JobState::kIntent);
  ASSERT_EQ(l.Claim({b->id}, 1)->size(), 1u);
  ASSERT_OK(l.MarkRejected(b->id, "HTTP 400 Invalid UUID"));
  EXPECT_EQ(l.Get(b->id)->state, JobState::kRejected);
}

TYPED_TEST(LedgerTest, ClaimsFollowThePriority) {
  Ledger& l = *this->ledger_;
  bool created = false;
  const int64_t ao = l.Enqueue(this->Job("1000O0003", kId1, 2), &created)->id;
  const int64_t variant = l.Enqueue(this->Job("1000O0002", kId2, 1), &created)->id;
  const int64_t parent =
      l.Enqueue(this->Job("1000O0001", "3f2c7a10-1111-4a4a-8a8a-000000000003", 0), &created)->id;
  std::vector<int64_t> order;
  for (int i = 0; i < 3; ++i) {
    auto c = l.Claim({}, 1);
    ASSERT_TRUE(c.ok() && c->size() == 1u);
    order.push_back((*c)[0].id);
  }
  EXPECT_EQ(order, (std::vector<int64_t>{parent, variant, ao}));
}

TYPED_TEST(LedgerTest, ASubmittingJobOfADeadProcessBecomesInDoubt) {
  Ledger& l = *this->ledger_;
  bool created = false;
  const int64_t id = l.Enqueue(this->Job("1000O0001", kId1), &created)->id;
  // Another process claims it and dies (a reaped child: its pid no longer exists).
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  const std::string dead = std::string(host) + ":" + std::to_string(child) + ":deadbeef";
  ASSERT_TRUE(this->connection_
                  ->Execute("INSERT INTO sync_worker (owner, host, pid, heartbeat) VALUES (?, ?, "
                            "?, ?)",
                            {dead, std::string(host), static_cast<int64_t>(child), int64_t{0}})
                  .ok());
  ASSERT_TRUE(
      this->connection_
          ->Execute("UPDATE sync_job SET state = 'submitting', owner = ? WHERE id = ?", {dead, id})
          .ok());
  // A job this process owns is alive and stays.
  const int64_t mine = l.Enqueue(this->Job("1000O0002", kId2), &created)->id;
  ASSERT_OK(l.Heartbeat());
  ASSERT_EQ(l.Claim({mine}, 1)->size(), 1u);
  auto recovered = l.RecoverOrphans();
  ASSERT_OK(recovered);
  EXPECT_EQ(*recovered, 1);
  EXPECT_EQ(l.Get(id)->state, JobState::kInDoubt);
  EXPECT_THAT(l.Get(id)->message, HasSubstr("ended before the answer was recorded"));
  EXPECT_EQ(l.Get(mine)->state, JobState::kSubmitting);
}

TYPED_TEST(LedgerTest, ConcurrentClaimersNeverTakeTheSameJob) {
  bool created = false;
  std::vector<int64_t> all;
  for (int i = 0; i < 40; ++i) {
    char code[16];
    std::snprintf(code, sizeof code, "2000O%04d", i);
    all.push_back(this->ledger_->Enqueue(this->Job(code, kId1), &created)->id);
  }
  std::vector<std::vector<int64_t>> taken(3);
  std::vector<std::string> errors(3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      auto c = this->Open();
      if (!c.ok()) {
        errors[t] = c.status().ToString();
        return;
      }
      Ledger mine(**c);
      for (;;) {
        auto claimed = mine.Claim({}, 2);
        if (!claimed.ok()) {
          errors[t] = claimed.status().ToString();
          return;
        }
        if (claimed->empty()) return;
        for (const auto& j : *claimed) taken[static_cast<size_t>(t)].push_back(j.id);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  std::multiset<int64_t> seen;
  for (const auto& v : taken) seen.insert(v.begin(), v.end());
  EXPECT_EQ(seen.size(), all.size()) << "each job claimed exactly once";
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()), std::set<int64_t>(all.begin(), all.end()));
}

// ---------------------------------------------------------------------------------------------
// Against the simulator

std::string Curl(const std::string& args) {
  std::string out;
  std::FILE* p = ::popen(("curl -s " + args).c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

class SimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new fs::path(fs::temp_directory_path() / ("ooapi_link_sim_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    GeneratorOptions o;
    o.out_dir = (*dir_ / "duo").string();
    auto truth = GenerateDuo(o);
    ASSERT_OK(truth);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }

  void SetUp() override {
    const std::string error =
        sim_.Start({"python3", std::string(OOAPI_SOURCE_DIR) + "/tests/sync/surf_sim.py", "--port",
                    "0", "--duo", (*dir_ / "duo").string(), "--job-seconds", "0.05",
                    "--retry-wait-seconds", "0.02", "--token-ttl", "3600"});
    ASSERT_EQ(error, "") << "the simulator did not start";
    base_ = sim_.base_url();
    ledger_db_ = std::make_unique<ooapi::testing::TempFile>(".db");
    adapters::sqlite::OpenOptions o;
    o.create = true;
    o.read_only = false;
    auto c = adapters::sqlite::Open(ledger_db_->path(), o);
    ASSERT_OK(c);
    connection_ = std::move(c).value();
    ledger_ = std::make_unique<Ledger>(*connection_);
    ASSERT_OK(ledger_->EnsureSchema());
  }
  SurfOptions Options(const std::string& secret = "sim-secret") const {
    SurfOptions o;
    o.base_url = base_;
    o.token_url = base_ + "/oauth/token";
    o.client_id = "ooapi-endpoint-test";
    o.client_secret = secret;
    o.connect_timeout_s = 5;
    o.request_timeout_s = 10;
    return o;
  }
  void Fault(const std::string& json) {
    Curl("-X POST -H 'Content-Type: application/json' -d '" + json + "' " + base_ + "/_sim/fault");
  }
  int64_t Stat(const std::string& name) {
    rapidjson::Document d;
    const std::string body = Curl(base_ + "/_sim/stats");
    d.Parse(body.c_str());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember(name.c_str())) return 0;
    return d[name.c_str()].GetInt64();
  }
  RunnerOptions Fast() const {
    RunnerOptions r;
    r.poll_initial_ms = 20;
    r.poll_max_ms = 400;
    r.submit_retry_initial_ms = 20;
    r.submit_retry_max_ms = 200;
    return r;
  }
  int64_t Enqueue(const std::string& action, const std::string& type, const std::string& code,
                  const std::string& id) {
    LedgerJob j;
    EXPECT_TRUE(ParseSurfAction(action, &j.action)) << action;
    j.type = type;
    j.rio_code = code;
    j.sis_id = id;
    j.source = JobSource::kCli;
    bool created = false;
    auto job = ledger_->Enqueue(j, &created);
    EXPECT_OK(job);
    return job.ok() ? job->id : 0;
  }

  static fs::path* dir_;
  ooapi::testing::PortServer sim_;
  std::string base_;
  std::unique_ptr<ooapi::testing::TempFile> ledger_db_;
  db::ConnectionPtr connection_;
  std::unique_ptr<Ledger> ledger_;
};
fs::path* SimTest::dir_ = nullptr;

// The tiny profile: 1000O0008 has no key, 1000O0009 carries a SURF (UUID) key.
constexpr char kUnlinkedOe[] = "1000O0008";
constexpr char kLinkedOe[] = "1000O0009";

TEST_F(SimTest, OneTokenIsReusedAndRenewedOnceWhenRevoked) {
  SurfClient client(Options());
  SurfJob job = MakeJob(SurfAction::kLink, "education-specifications", kUnlinkedOe, kId1);
  const SubmitResult first = client.Submit(job);
  ASSERT_EQ(first.outcome, SubmitResult::kAccepted) << first.message;
  ASSERT_OK(client.GetStatus(first.token));
  ASSERT_OK(client.GetStatus(first.token));
  EXPECT_EQ(client.tokens_fetched(), 1);
  Fault(R"({"mode":"revoke"})");
  auto status = client.GetStatus(first.token);
  ASSERT_OK(status);
  EXPECT_EQ(client.tokens_fetched(), 2) << "a 403 fetches one new token and repeats the call";
}

TEST_F(SimTest, TokenFailuresAreRetryableOrFinalAndNeverShowTheSecret) {
  SurfJob job = MakeJob(SurfAction::kLink, "education-specifications", kUnlinkedOe, kId1);
  {
    SurfClient wrong(Options("not-the-secret-xyz"));
    const SubmitResult r = wrong.Submit(job);
    EXPECT_EQ(r.outcome, SubmitResult::kRejected);
    EXPECT_THAT(r.message, HasSubstr("refused client 'ooapi-endpoint-test'"));
    EXPECT_THAT(r.message, Not(HasSubstr("not-the-secret-xyz")));
  }
  Fault(R"({"mode":"token-down","count":1})");
  SurfClient client(Options());
  const SubmitResult down = client.Submit(job);
  EXPECT_EQ(down.outcome, SubmitResult::kRetry);
  EXPECT_THAT(down.message, HasSubstr("token endpoint"));
  EXPECT_THAT(down.message, HasSubstr("503"));
  EXPECT_EQ(Stat("job-posts"), 0) << "nothing reached the mapper";
  EXPECT_EQ(client.Submit(job).outcome, SubmitResult::kAccepted);
}

TEST_F(SimTest, LostAnswersAreInDoubtAndServerErrorsAreRetryable) {
  SurfClient client(Options());
  SurfJob job = MakeJob(SurfAction::kLink, "education-specifications", kUnlinkedOe, kId1);
  Fault(R"({"mode":"5xx","count":1})");
  const SubmitResult busy = client.Submit(job);
  EXPECT_EQ(busy.outcome, SubmitResult::kRetry);
  EXPECT_EQ(busy.http_status, 503);
  Fault(R"({"mode":"drop-after","count":1})");
  const SubmitResult lost = client.Submit(job);
  EXPECT_EQ(lost.outcome, SubmitResult::kInDoubt);
  EXPECT_THAT(lost.message, HasSubstr("may have been queued"));
  // The mapper's own validation is final and its text reaches the admin.
  const SubmitResult bad =
      client.Submit(MakeJob(SurfAction::kLink, "education-specifications", "12345", kId1));
  EXPECT_EQ(bad.outcome, SubmitResult::kRejected);
  EXPECT_THAT(bad.message, HasSubstr("Invalid opleidingscode '12345'"));
}

TEST_F(SimTest, RunnerSettlesLinksWithTheMappersOutcomes) {
  SurfClient client(Options());
  const int64_t overwrite =
      Enqueue("link", "education-specifications", kLinkedOe, kId1);  // silent overwrite
  const int64_t duplicate =
      Enqueue("link", "education-specifications", kUnlinkedOe, kId1);  // same key twice
  const int64_t unknown = Enqueue("link", "education-specifications", "9999O0001", kId2);
  RunnerOptions options = Fast();
  options.max_in_flight = 1;  // in this order: the overwrite first, then the duplicate
  JobRunner runner(*ledger_, client, options);
  auto summary = runner.Run({overwrite, duplicate, unknown});
  ASSERT_OK(summary);
  EXPECT_EQ(summary->done, 1);
  EXPECT_EQ(summary->error, 1);
  EXPECT_EQ(summary->time_out, 1);
  const LedgerJob o = *ledger_->Get(overwrite);
  EXPECT_EQ(o.state, JobState::kDone);
  EXPECT_THAT(o.attributes, HasSubstr(std::string("\"new-id\":\"") + kId1));
  EXPECT_THAT(DescribeJob(o), HasSubstr("-> " + std::string(kId1)));
  const LedgerJob d = *ledger_->Get(duplicate);
  EXPECT_EQ(d.state, JobState::kError);
  EXPECT_THAT(DescribeJob(d), HasSubstr("another RIO item already carries it"));
  const LedgerJob u = *ledger_->Get(unknown);
  EXPECT_EQ(u.state, JobState::kTimeOut);
  EXPECT_THAT(DescribeJob(u), HasSubstr("RIO does not know 9999O0001"));
}

TEST_F(SimTest, ServerErrorsAndATokenOutageOnlyDelay) {
  SurfClient client(Options());
  Fault(R"({"mode":"token-down","count":2})");
  Fault(R"({"mode":"5xx","count":3})");
  std::vector<int64_t> ids = {
      Enqueue("link", "education-specifications", kUnlinkedOe, kId1),
      Enqueue("unlink", "education-specifications", kLinkedOe, ""),
  };
  JobRunner runner(*ledger_, client, Fast());
  auto summary = runner.Run(ids);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->done, 2);
  const std::string duplicates = Curl(base_ + "/_sim/duplicates");
  EXPECT_THAT(duplicates, HasSubstr("\"count\": 0"));
  EXPECT_THAT(Curl(base_ + "/_sim/state/" + kLinkedOe), HasSubstr("\"key\": null"));
}

}  // namespace
}  // namespace ooapi::sync
