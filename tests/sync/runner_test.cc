// The job runner and the job ledger in-process: a scripted SURFeduhub (its token endpoint and the
// mapper's job API) behind http_client::Transport, and a fake clock, on a SQLite ledger in a
// temporary file (the ledger's own tests on PostgreSQL too). No simulator, no sockets and no
// sleeps: every time these tests assert is the fake clock's, so they are exact.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "ooapi/adapters/postgres/postgres.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/http_client/http_client.h"
#include "ooapi/sync/link/admin.h"
#include "ooapi/sync/link/clock.h"
#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/link/runner.h"
#include "ooapi/sync/link/surf.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::sync {
namespace {

using http_client::Failure;
using http_client::HttpRequest;
using http_client::HttpResponse;
using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kClientId[] = "ooapi-endpoint-test";
constexpr char kSecret[] = "scripted-secret";
constexpr char kBaseUrl[] = "https://mapper.test";
constexpr char kTokenUrl[] = "https://auth.test/oauth/token";
constexpr char kSisId[] = "3f2c7a10-1111-4a4a-8a8a-000000000001";

// ---------------------------------------------------------------------------------------------
// The fakes

// A clock whose time moves only when someone sleeps on it (or the test advances it): a runner
// that waits a minute for its next poll gets it at once. Thread-safe.
class FakeClock final : public Clock {
 public:
  SteadyTime Now() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return kSteadyStart + elapsed_;
  }
  WallTime WallNow() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return kWallStart + std::chrono::duration_cast<WallTime::duration>(elapsed_);
  }
  void SleepUntil(SteadyTime until) override {
    std::lock_guard<std::mutex> lock(mutex_);
    elapsed_ = std::max(elapsed_, until - kSteadyStart);
  }
  void Advance(milliseconds d) {
    std::lock_guard<std::mutex> lock(mutex_);
    elapsed_ += d;
  }
  // Milliseconds since the clock was made.
  int64_t ElapsedMs() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::chrono::duration_cast<milliseconds>(elapsed_).count();
  }
  // The wall time as the ledger's heartbeats count it.
  int64_t EpochSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(WallNow().time_since_epoch()).count();
  }

 private:
  static constexpr SteadyTime kSteadyStart = SteadyTime(std::chrono::hours(1000));
  static constexpr WallTime kWallStart =
      std::chrono::sys_days(std::chrono::year(2026) / 11 / 28) + std::chrono::hours(16);
  std::mutex mutex_;
  SteadyTime::duration elapsed_{0};
};

// What the scripted SURFeduhub does with one request.
enum class Fault {
  kNone,          // answers as SURFeduhub does
  kServerError,   // 503, nothing done
  kRefused,       // connection refused: nothing reached the server
  kLostAnswer,    // does what was asked (a POST queues the job), then the connection breaks
  kUnauthorized,  // 401
  kForbidden,     // 403, as the mapper answers a revoked token or a client without an OIN
  kBadRequest,    // 400 with the mapper's text
};

// One scripted request: its fault, and how long the exchange takes (the fake clock advances by
// that much while the caller waits for the answer).
struct Step {
  Fault fault = Fault::kNone;
  milliseconds delay{0};
};

enum class Endpoint { kToken, kJob, kStatus };

// A request the scripted SURFeduhub saw.
struct Seen {
  Endpoint endpoint;
  std::string path;  // the mapper's path, or the token URL
  int64_t at_ms;     // on the fake clock, when the request arrived
  Fault fault;
};

// The SURFeduhub of a test, in the style of leveldb's FaultInjectionTestEnv: each request to an
// endpoint takes the next step scripted for it, and is answered normally once none is left. It
// plays the token endpoint (client credentials; any other secret is refused) and the mapper: a
// POSTed job is queued with a fresh token and is `in-progress` until its duration has passed on
// the fake clock, then `done` (or the outcome set for its RIO code). Thread-safe; it reads and
// advances the clock under its own lock (the clock calls nothing back).
class ScriptedSurf final : public http_client::Transport {
 public:
  explicit ScriptedSurf(FakeClock* clock) : clock_(clock) {}

  void Script(Endpoint endpoint, std::vector<Step> steps) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& queue = scripts_[endpoint];
    queue.insert(queue.end(), steps.begin(), steps.end());
  }
  // Jobs of `rio_code` take `duration` and end as `status` (done, error or time-out).
  void Outcome(const std::string& rio_code, milliseconds duration, std::string status = "done") {
    std::lock_guard<std::mutex> lock(mutex_);
    outcomes_[rio_code] = {duration, std::move(status)};
  }

  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }
  // The requests to `endpoint`, in order; with `path_part`, only those whose path contains it.
  std::vector<Seen> Requests(Endpoint endpoint, const std::string& path_part = "") {
    std::vector<Seen> out;
    for (const Seen& s : seen()) {
      if (s.endpoint == endpoint && s.path.find(path_part) != std::string::npos) out.push_back(s);
    }
    return out;
  }
  std::vector<int64_t> Times(Endpoint endpoint, const std::string& path_part = "") {
    std::vector<int64_t> out;
    for (const Seen& s : Requests(endpoint, path_part)) out.push_back(s.at_ms);
    return out;
  }
  // Jobs the mapper queued for a path containing `path_part` (a lost answer counts: it queued).
  int Queued(const std::string& path_part = "") {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const auto& [token, job] : jobs_) n += job.path.find(path_part) != std::string::npos;
    return n;
  }
  // The most jobs that were queued and not yet reported settled, right after a POST.
  int max_open() {
    std::lock_guard<std::mutex> lock(mutex_);
    return max_open_;
  }

  HttpResponse Perform(const HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Endpoint endpoint = Endpoint::kStatus;
    if (request.url == kTokenUrl) {
      endpoint = Endpoint::kToken;
    } else if (request.url.rfind(std::string(kBaseUrl) + "/job/", 0) == 0) {
      endpoint = Endpoint::kJob;
    }
    Step step;
    if (auto& queue = scripts_[endpoint]; !queue.empty()) {
      step = queue.front();
      queue.pop_front();
    }
    const std::string path =
        endpoint == Endpoint::kToken ? request.url : request.url.substr(std::strlen(kBaseUrl));
    seen_.push_back({endpoint, path, clock_->ElapsedMs(), step.fault});
    clock_->Advance(step.delay);  // a slow answer: the caller waits this long
    switch (step.fault) {
      case Fault::kNone:
      case Fault::kLostAnswer:
        break;
      case Fault::kServerError:
        return Answer(503, "Server stopping");
      case Fault::kRefused:
        return Broken(Failure::kNotSent, false, "Failed to connect: Connection refused");
      case Fault::kUnauthorized:
        return Answer(401, R"({"error":"invalid_client"})");
      case Fault::kForbidden:
        return Answer(403, "");
      case Fault::kBadRequest:
        return Answer(400, "Invalid opleidingscode '" + RioCode(path) + "'");
    }
    HttpResponse r = endpoint == Endpoint::kToken ? Token(request)
                     : endpoint == Endpoint::kJob ? Post(request, path)
                                                  : Poll(request, path);
    if (step.fault == Fault::kLostAnswer) {
      return Broken(Failure::kTransfer, true, "Recv failure: Connection reset by peer");
    }
    return r;
  }

 private:
  struct Job {
    std::string path, rio_code;
    int64_t finish_ms = 0;
    std::string final_status;
    bool reported_final = false;
  };

  static HttpResponse Answer(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
  }
  static HttpResponse Broken(Failure failure, bool maybe_received, std::string error) {
    HttpResponse r;
    r.failure = failure;
    r.maybe_received = maybe_received;
    r.error = std::move(error);
    return r;
  }
  // "/job/link/<code>/<type>/<id>" -> <code>.
  static std::string RioCode(const std::string& path) {
    const std::string prefix = "/job/link/";
    if (path.rfind(prefix, 0) != 0) return "";
    return path.substr(prefix.size(), path.find('/', prefix.size()) - prefix.size());
  }
  bool Authorized(const HttpRequest& request) const {
    for (const auto& [name, value] : request.headers) {
      if (name == "Authorization") return value == "Bearer access-" + std::to_string(tokens_);
    }
    return false;
  }

  HttpResponse Token(const HttpRequest& request) {
    if (request.basic_user != kClientId || request.basic_password != kSecret) {
      return Answer(401, R"({"error":"invalid_client"})");
    }
    ++tokens_;
    return Answer(200, R"({"access_token":"access-)" + std::to_string(tokens_) +
                           R"(","token_type":"Bearer","expires_in":3600})");
  }

  HttpResponse Post(const HttpRequest& request, const std::string& path) {
    if (!Authorized(request)) return Answer(403, "");
    char token[40];
    std::snprintf(token, sizeof token, "00000000-0000-4000-8000-%012d",
                  static_cast<int>(jobs_.size()) + 1);
    Job& job = jobs_[token];
    job.path = path;
    job.rio_code = RioCode(path);
    const auto outcome = outcomes_.find(job.rio_code);
    job.finish_ms =
        clock_->ElapsedMs() + (outcome == outcomes_.end() ? 0 : outcome->second.first.count());
    job.final_status = outcome == outcomes_.end() ? "done" : outcome->second.second;
    int open = 0;
    for (const auto& [t, j] : jobs_) open += !j.reported_final;
    max_open_ = std::max(max_open_, open);
    return Answer(200, std::string(R"({"token":")") + token + "\"}");
  }

  HttpResponse Poll(const HttpRequest& request, const std::string& path) {
    if (!Authorized(request)) return Answer(403, "");
    auto it = jobs_.find(path.substr(path.rfind('/') + 1));
    if (it == jobs_.end()) return Answer(404, R"({"status":"unknown"})");
    Job& job = it->second;
    const bool finished = clock_->ElapsedMs() >= job.finish_ms;
    job.reported_final = job.reported_final || finished;
    return Answer(200, R"({"status":")" + (finished ? job.final_status : "in-progress") +
                           R"(","token":")" + it->first + R"(","action":"link"})");
  }

  FakeClock* const clock_;
  std::mutex mutex_;
  std::map<Endpoint, std::deque<Step>> scripts_;
  std::map<std::string, std::pair<milliseconds, std::string>> outcomes_;
  std::map<std::string, Job> jobs_;  // by token
  std::vector<Seen> seen_;
  int tokens_ = 0;
  int max_open_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The ledger's databases: an empty SQLite file, or a fresh PostgreSQL schema.

// The SQLite file lives in memory (/dev/shm) where there is one: the ledger syncs every commit to
// disk, which on a busy machine made each test here take 100 ms or more instead of a few.
struct SqliteDb {
  SqliteDb() {
    static int counter = 0;
    const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                          ? std::filesystem::path("/dev/shm")
                                          : std::filesystem::temp_directory_path();
    path = (dir / ("ooapi-runner-test-" + std::to_string(::getpid()) + "-" +
                   std::to_string(++counter) + ".db"))
               .string();
  }
  ~SqliteDb() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path + suffix, ignored);
    }
  }
  StatusOr<db::ConnectionPtr> Open() const {
    adapters::sqlite::OpenOptions o;
    o.create = true;
    o.read_only = false;
    o.busy_timeout_ms = 5000;
    return adapters::sqlite::Open(path, o);
  }

  std::string path;
  Status setup = Status::Ok();
  bool skip = false;
};

// A fresh, empty schema in the throwaway cluster of tests/pg_cluster.sh, dropped at the end.
// Unlike testing::PostgresBackend it writes no SIS fixture, which the ledger does not need and
// which took most of a second per test.
struct PostgresDb {
  PostgresDb() {
    if (ooapi::testing::TestPostgresPort() == 0) {
      setup =
          FailedPrecondition("no test PostgreSQL (run tests/run.sh, or set OOAPI_TEST_PG_PORT)");
      skip = std::getenv("OOAPI_TEST_REQUIRE_POSTGRES") == nullptr;
      return;
    }
    static int counter = 0;
    schema = "ledger" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    StatusOr<db::ConnectionPtr> c = Connect("");
    setup = c.ok() ? (*c)->ExecuteScript("DROP SCHEMA IF EXISTS " + schema +
                                         " CASCADE; CREATE SCHEMA " + schema)
                   : c.status();
  }
  ~PostgresDb() {
    if (schema.empty()) return;
    StatusOr<db::ConnectionPtr> c = Connect("");
    if (c.ok()) (void)(*c)->ExecuteScript("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }
  StatusOr<db::ConnectionPtr> Open() const { return Connect(schema); }

  std::string schema;
  Status setup = Status::Ok();
  bool skip = false;

 private:
  static StatusOr<db::ConnectionPtr> Connect(const std::string& search_path) {
    adapters::postgres::ConnectOptions o;
    o.conninfo =
        "postgresql://ooapi@127.0.0.1:" + std::to_string(ooapi::testing::TestPostgresPort()) +
        "/ooapi_test";
    o.schema = search_path;
    o.read_only = false;
    return adapters::postgres::Open(o);
  }
};

template <typename Backend>
class LedgerClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!db_.setup.ok()) {
      if (db_.skip) GTEST_SKIP() << db_.setup.ToString();
      FAIL() << db_.setup.ToString();
    }
    StatusOr<db::ConnectionPtr> c = db_.Open();
    ASSERT_OK(c);
    connection_ = std::move(c).value();
    ledger_ = std::make_unique<Ledger>(*connection_, &clock_);
    ASSERT_OK(ledger_->EnsureSchema());
  }

  int64_t Enqueue(const std::string& rio_code, int64_t priority = 0,
                  JobSource source = JobSource::kCli) {
    LedgerJob job =
        NewJob(SurfAction::kLink, "education-specifications", rio_code, kSisId, source, "test");
    job.priority = priority;
    bool created = false;
    StatusOr<LedgerJob> added = ledger_->Enqueue(job, &created);
    EXPECT_TRUE(added.ok() && created) << added.status().ToString();
    return added.ok() ? added->id : 0;
  }

  // Job `id` as another process left it: claimed (`submitting`) by `owner`, which runs on `host`
  // with `pid` and last beat its heart at `heartbeat` (epoch seconds).
  void ClaimedElsewhere(int64_t id, const std::string& owner, const std::string& host, int64_t pid,
                        int64_t heartbeat) {
    ASSERT_TRUE(connection_
                    ->Execute("INSERT INTO sync_worker (owner, host, pid, heartbeat) "
                              "VALUES (?, ?, ?, ?)",
                              {owner, host, pid, heartbeat})
                    .ok());
    ASSERT_TRUE(connection_
                    ->Execute("UPDATE sync_job SET state = 'submitting', owner = ? WHERE id = ?",
                              {owner, id})
                    .ok());
  }

  JobState State(int64_t id) {
    StatusOr<LedgerJob> job = ledger_->Get(id);
    EXPECT_OK(job);
    return job.ok() ? job->state : JobState::kIntent;
  }

  Backend db_;
  FakeClock clock_;
  db::ConnectionPtr connection_;
  std::unique_ptr<Ledger> ledger_;
};

std::string ThisHost() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return host;
}

// ---------------------------------------------------------------------------------------------
// The ledger on the fake clock, on both databases

using Backends = ::testing::Types<SqliteDb, PostgresDb>;
TYPED_TEST_SUITE(LedgerClockTest, Backends);

TYPED_TEST(LedgerClockTest, TimestampsComeFromTheClock) {
  const int64_t id = this->Enqueue("1000O0001");
  StatusOr<LedgerJob> job = this->ledger_->Get(id);
  ASSERT_OK(job);
  EXPECT_EQ(job->created_at, "2026-11-28T16:00:00.000Z");
  this->clock_.Advance(milliseconds(90'250));
  ASSERT_EQ(this->ledger_->Claim({id}, 1)->size(), 1u);
  ASSERT_OK(this->ledger_->MarkSubmitted(id, "00000000-0000-4000-8000-000000000001"));
  job = this->ledger_->Get(id);
  EXPECT_EQ(job->submitted_at, "2026-11-28T16:01:30.250Z");
  EXPECT_EQ(job->updated_at, "2026-11-28T16:01:30.250Z");
  StatusOr<std::vector<LedgerEvent>> events = this->ledger_->Events(id);
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ(events->front().at, "2026-11-28T16:00:00.000Z");
  EXPECT_EQ(events->back().at, "2026-11-28T16:01:30.250Z");
}

TYPED_TEST(LedgerClockTest, AnotherHostsJobIsInDoubtOnceItsHeartbeatIsTwoMinutesOld) {
  const int64_t id = this->Enqueue("1000O0001");
  this->ClaimedElsewhere(id, "elsewhere.test:4242:0badcafe", "elsewhere.test", 4242,
                         this->clock_.EpochSeconds());
  this->clock_.Advance(std::chrono::seconds(119));
  StatusOr<int> recovered = this->ledger_->RecoverOrphans();
  ASSERT_OK(recovered);
  EXPECT_EQ(*recovered, 0) << "a heartbeat 119 s old: the other machine is still sending it";
  EXPECT_EQ(this->State(id), JobState::kSubmitting);
  this->clock_.Advance(std::chrono::seconds(2));
  recovered = this->ledger_->RecoverOrphans();
  ASSERT_OK(recovered);
  EXPECT_EQ(*recovered, 1) << "121 s: gone";
  EXPECT_EQ(this->State(id), JobState::kInDoubt);
  EXPECT_THAT(this->ledger_->Get(id)->message, HasSubstr("ended before the answer was recorded"));
}

TYPED_TEST(LedgerClockTest, ADeadProcessOnThisHostIsGoneWhateverItsHeartbeat) {
  const int64_t id = this->Enqueue("1000O0001");
  const pid_t child = ::fork();  // a reaped child: its pid no longer exists
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  this->ClaimedElsewhere(id, ThisHost() + ":" + std::to_string(child) + ":deadbeef", ThisHost(),
                         child, this->clock_.EpochSeconds());
  StatusOr<int> recovered = this->ledger_->RecoverOrphans();
  ASSERT_OK(recovered);
  EXPECT_EQ(*recovered, 1) << "its heartbeat is fresh, but the process is gone";
  EXPECT_EQ(this->State(id), JobState::kInDoubt);
}

// ---------------------------------------------------------------------------------------------
// The runner against the scripted SURFeduhub, on SQLite

class RunnerTest : public LedgerClockTest<SqliteDb> {
 protected:
  SurfOptions Surf(const std::string& secret = kSecret) const {
    SurfOptions o;
    o.base_url = kBaseUrl;
    o.token_url = kTokenUrl;
    o.client_id = kClientId;
    o.client_secret = secret;
    return o;
  }
  RunnerOptions Options() {
    RunnerOptions o;
    o.max_in_flight = 4;
    o.poll_initial_ms = 2000;
    o.poll_max_ms = 60000;
    o.submit_retry_initial_ms = 1000;
    o.submit_retry_max_ms = 60000;
    o.clock = &clock_;
    return o;
  }
  RunSummary Run(const std::vector<int64_t>& ids, const RunnerOptions& options,
                 const std::string& secret = kSecret) {
    SurfClient client(Surf(secret), &surf_);
    JobRunner runner(*ledger_, client, options);
    StatusOr<RunSummary> summary = runner.Run(ids);
    EXPECT_OK(summary);
    return summary.ok() ? *summary : RunSummary{};
  }
  RunSummary Run(const std::vector<int64_t>& ids) { return Run(ids, Options()); }

  ScriptedSurf surf_{&clock_};
};

TEST_F(RunnerTest, ALostAnswerIsInDoubtAndNeverSentAgainUnasked) {
  surf_.Script(Endpoint::kJob, {{Fault::kLostAnswer}});
  const int64_t id = Enqueue("1000O0001");
  RunSummary summary = Run({id});
  EXPECT_EQ(summary.in_doubt, 1);
  EXPECT_FALSE(summary.aborted);
  EXPECT_EQ(State(id), JobState::kInDoubt);
  EXPECT_THAT(ledger_->Get(id)->message, HasSubstr("may have been queued"));
  EXPECT_EQ(surf_.Queued(), 1) << "the mapper did queue it";
  summary = Run({id});
  EXPECT_EQ(summary.in_doubt, 1);
  EXPECT_EQ(surf_.Requests(Endpoint::kJob).size(), 1u) << "a second run leaves it alone";
  EXPECT_TRUE(surf_.Requests(Endpoint::kStatus).empty());
  // Only the admin's word sends it again.
  ASSERT_OK(ledger_->Requeue(id, "checked RIO: not there"));
  summary = Run({id});
  EXPECT_EQ(summary.done, 1);
  EXPECT_EQ(surf_.Requests(Endpoint::kJob).size(), 2u);
}

TEST_F(RunnerTest, ARefusedConnectionIsRetriedWithBackOffAndSentOnce) {
  surf_.Script(Endpoint::kJob, {{Fault::kRefused}, {Fault::kRefused}, {Fault::kRefused}});
  const int64_t id = Enqueue("1000O0001");
  const RunSummary summary = Run({id});
  EXPECT_EQ(summary.done, 1);
  // 1 s, then x1.5 (+1 ms) per attempt.
  EXPECT_THAT(surf_.Times(Endpoint::kJob), ElementsAre(0, 1000, 2501, 4753));
  EXPECT_EQ(surf_.Queued(), 1) << "sent exactly once";
  EXPECT_EQ(ledger_->Get(id)->attempts, 4);
  EXPECT_THAT(surf_.Times(Endpoint::kStatus), ElementsAre(4753 + 2000));
}

TEST_F(RunnerTest, AMapperRefusalIsRejectedAndTheRunGoesOn) {
  surf_.Script(Endpoint::kJob, {{Fault::kBadRequest}});
  const int64_t bad = Enqueue("1000O0001");
  const int64_t good = Enqueue("1000O0002");
  const RunSummary summary = Run({bad, good});
  EXPECT_FALSE(summary.aborted);
  EXPECT_EQ(summary.rejected, 1);
  EXPECT_EQ(summary.done, 1);
  EXPECT_EQ(State(bad), JobState::kRejected);
  EXPECT_THAT(ledger_->Get(bad)->message, HasSubstr("HTTP 400 Invalid opleidingscode '1000O0001'"));
  EXPECT_EQ(surf_.Requests(Endpoint::kJob, "1000O0001").size(), 1u) << "never retried";
}

TEST_F(RunnerTest, ARefusedTokenStopsTheRunAndTheJobStaysAnIntent) {
  const int64_t id = Enqueue("1000O0001");
  const RunSummary refused = Run({id}, Options(), "wrong-secret-123");
  EXPECT_TRUE(refused.aborted);
  EXPECT_THAT(refused.abort_reason, HasSubstr("refused client 'ooapi-endpoint-test'"));
  EXPECT_THAT(refused.abort_reason, Not(HasSubstr("wrong-secret-123")));
  EXPECT_EQ(refused.waiting, 1);
  EXPECT_EQ(State(id), JobState::kIntent) << "nothing was queued: it stays to be sent";
  EXPECT_TRUE(surf_.Requests(Endpoint::kJob).empty());
  EXPECT_EQ(surf_.Requests(Endpoint::kToken).size(), 1u) << "asked once, not retried";
  const RunSummary fixed = Run({id});
  EXPECT_FALSE(fixed.aborted);
  EXPECT_EQ(fixed.done, 1);
}

TEST_F(RunnerTest, AMapperThatRefusesAFreshTokenTooStopsTheRun) {
  // 401 or 403 on the POST: the token is fetched again once; a second refusal is final for this
  // run.
  surf_.Script(Endpoint::kJob, {{Fault::kUnauthorized}, {Fault::kForbidden}});
  const int64_t first = Enqueue("1000O0001");
  const int64_t second = Enqueue("1000O0002");
  const RunSummary summary = Run({first, second});
  EXPECT_TRUE(summary.aborted);
  EXPECT_THAT(summary.abort_reason, HasSubstr("HTTP 403"));
  EXPECT_EQ(surf_.Requests(Endpoint::kToken).size(), 2u);
  EXPECT_EQ(surf_.Requests(Endpoint::kJob).size(), 2u) << "the second job was not tried";
  EXPECT_EQ(State(first), JobState::kIntent);
  EXPECT_EQ(State(second), JobState::kIntent);
  EXPECT_EQ(surf_.Queued(), 0);
}

TEST_F(RunnerTest, ATokenEndpointOutageOnlyDelaysUnlessAttemptsAreLimited) {
  surf_.Script(Endpoint::kToken, {{Fault::kServerError}, {Fault::kRefused}});
  const int64_t id = Enqueue("1000O0001");
  RunSummary summary = Run({id});
  EXPECT_EQ(summary.done, 1);
  EXPECT_THAT(surf_.Times(Endpoint::kToken), ElementsAre(0, 1000, 2501));
  EXPECT_THAT(surf_.Times(Endpoint::kJob), ElementsAre(2501))
      << "nothing reached the mapper before";

  surf_.Script(Endpoint::kToken, {{Fault::kServerError}, {Fault::kServerError}});
  const int64_t next = Enqueue("1000O0002");
  RunnerOptions limited = Options();
  limited.max_submit_attempts = 2;
  summary = Run({next}, limited);
  EXPECT_TRUE(summary.aborted);
  EXPECT_THAT(summary.abort_reason, HasSubstr("cannot get a token: token endpoint"));
  EXPECT_EQ(State(next), JobState::kIntent);
}

TEST_F(RunnerTest, PriorityHoldsAcrossRetries) {
  // Enqueued children first, so that ids and priorities disagree.
  const int64_t offered = Enqueue("1000O0003", 2);
  const int64_t variant = Enqueue("1000O0002", 1);
  const int64_t parent = Enqueue("1000O0001", 0);
  surf_.Script(Endpoint::kJob, {{Fault::kServerError}});
  const RunSummary summary = Run({offered, variant, parent});
  EXPECT_EQ(summary.done, 3);
  std::vector<std::string> order;
  for (const Seen& s : surf_.Requests(Endpoint::kJob)) order.push_back(s.path.substr(10, 9));
  EXPECT_THAT(order, ElementsAre("1000O0001", "1000O0001", "1000O0002", "1000O0003"));
  EXPECT_THAT(surf_.Times(Endpoint::kJob), ElementsAre(0, 1000, 1000, 1000))
      << "the others wait for the parent's retry";
}

TEST_F(RunnerTest, NoMoreThanMaxInFlight) {
  std::vector<int64_t> ids;
  for (int i = 1; i <= 5; ++i) {
    const std::string code = "1000O000" + std::to_string(i);
    surf_.Outcome(code, std::chrono::seconds(10));
    ids.push_back(Enqueue(code));
  }
  RunnerOptions options = Options();
  options.max_in_flight = 2;
  const RunSummary summary = Run(ids, options);
  EXPECT_EQ(summary.done, 5);
  EXPECT_EQ(surf_.max_open(), 2);
  EXPECT_EQ(surf_.Queued(), 5);
  const std::vector<int64_t> posts = surf_.Times(Endpoint::kJob);
  ASSERT_EQ(posts.size(), 5u);
  EXPECT_EQ(posts[0], posts[1]);
  EXPECT_GE(posts[2], 10000) << "the third waits until one of the first two is settled";
}

TEST_F(RunnerTest, PollsBackOffByHalfUpToTheMaximum) {
  surf_.Outcome("1000O0001", std::chrono::seconds(50));
  const int64_t id = Enqueue("1000O0001");
  RunnerOptions options = Options();
  options.poll_max_ms = 10000;
  const RunSummary summary = Run({id}, options);
  EXPECT_EQ(summary.done, 1);
  // 2 s after the POST, then x1.5 (+1 ms) per poll: 3.001, 4.502, 6.754 s, then the 10 s cap
  // until the job is done. The second poll comes at 5.005 s, not 5.001: the runner looks at its
  // jobs at least once a second, and the look at 5.000 s found the poll 1 ms away, under the
  // 5 ms the runner sleeps at least.
  EXPECT_THAT(surf_.Times(Endpoint::kStatus),
              ElementsAre(2000, 5005, 9507, 16261, 26261, 36261, 46261, 56261));
  EXPECT_EQ(ledger_->Get(id)->finished_at, "2026-11-28T16:00:56.261Z");
}

TEST_F(RunnerTest, TheDeadlineEndsTheRunAndLeavesTheJobSubmitted) {
  surf_.Outcome("1000O0001", std::chrono::hours(1));
  const int64_t id = Enqueue("1000O0001");
  RunnerOptions options = Options();
  options.deadline = std::chrono::seconds(30);
  const RunSummary summary = Run({id}, options);
  EXPECT_TRUE(summary.aborted);
  EXPECT_EQ(summary.abort_reason, "deadline passed");
  EXPECT_EQ(summary.waiting, 1);
  EXPECT_EQ(State(id), JobState::kSubmitted);
  EXPECT_GT(clock_.ElapsedMs(), 30000);
  EXPECT_LE(clock_.ElapsedMs(), 31000) << "noticed within a second";
}

TEST_F(RunnerTest, ASlowAnswerCountsAgainstTheDeadline) {
  surf_.Script(Endpoint::kJob, {{Fault::kNone, std::chrono::seconds(40)}});
  const int64_t id = Enqueue("1000O0001");
  RunnerOptions options = Options();
  options.deadline = std::chrono::seconds(30);
  const RunSummary summary = Run({id}, options);
  EXPECT_TRUE(summary.aborted);
  EXPECT_EQ(summary.abort_reason, "deadline passed");
  EXPECT_EQ(State(id), JobState::kSubmitted) << "the answer came: its token is recorded";
  EXPECT_EQ(clock_.ElapsedMs(), 40000);
  EXPECT_TRUE(surf_.Requests(Endpoint::kStatus).empty());
}

TEST_F(RunnerTest, StopReturnsAndALaterRunResumesPolling) {
  surf_.Outcome("1000O0001", std::chrono::seconds(20));
  const int64_t id = Enqueue("1000O0001");
  RunnerOptions options = Options();
  options.stop = [this] { return clock_.ElapsedMs() >= 7000; };
  RunSummary summary = Run({id}, options);
  EXPECT_TRUE(summary.aborted);
  EXPECT_EQ(summary.abort_reason, "stopped");
  EXPECT_EQ(State(id), JobState::kSubmitted);
  EXPECT_LT(clock_.ElapsedMs(), 8000) << "noticed within a second";
  EXPECT_THAT(surf_.Times(Endpoint::kStatus), ElementsAre(2000, 5005));
  const int64_t stopped_at = clock_.ElapsedMs();
  summary = Run({id});
  EXPECT_EQ(summary.done, 1);
  EXPECT_EQ(surf_.Requests(Endpoint::kJob).size(), 1u) << "resumed, not sent again";
  EXPECT_EQ(surf_.Times(Endpoint::kStatus)[2], stopped_at)
      << "a job found submitted is asked at once";
}

TEST_F(RunnerTest, SubmitOnlySendsEverythingAndPollsNothing) {
  const std::vector<int64_t> ids = {Enqueue("1000O0001"), Enqueue("1000O0002"),
                                    Enqueue("1000O0003")};
  RunnerOptions options = Options();
  options.submit_only = true;
  const RunSummary summary = Run(ids, options);
  EXPECT_FALSE(summary.aborted);
  EXPECT_EQ(summary.waiting, 3);
  for (int64_t id : ids) EXPECT_EQ(State(id), JobState::kSubmitted);
  EXPECT_EQ(surf_.Queued(), 3);
  EXPECT_TRUE(surf_.Requests(Endpoint::kStatus).empty());
  EXPECT_EQ(clock_.ElapsedMs(), 0) << "and did not wait";
}

TEST_F(RunnerTest, AJobADeadProcessWasSendingIsInDoubtAndNotSent) {
  const int64_t id = Enqueue("1000O0001");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  ClaimedElsewhere(id, ThisHost() + ":" + std::to_string(child) + ":deadbeef", ThisHost(), child,
                   clock_.EpochSeconds());
  const RunSummary summary = Run({id});
  EXPECT_EQ(summary.in_doubt, 1);
  EXPECT_EQ(State(id), JobState::kInDoubt);
  EXPECT_TRUE(surf_.seen().empty());
}

TEST_F(RunnerTest, TheRunnerWaitsForAnotherHostUntilItsHeartbeatIsTwoMinutesOld) {
  const int64_t id = Enqueue("1000O0001");
  ClaimedElsewhere(id, "elsewhere.test:4242:0badcafe", "elsewhere.test", 4242,
                   clock_.EpochSeconds());
  std::vector<std::pair<int64_t, JobState>> seen;
  RunnerOptions options = Options();
  options.on_progress = [&](const std::vector<LedgerJob>& jobs) {
    if (seen.empty() || seen.back().second != jobs.at(0).state) {
      seen.emplace_back(clock_.ElapsedMs(), jobs.at(0).state);
    }
  };
  const RunSummary summary = Run({id}, options);
  EXPECT_EQ(summary.in_doubt, 1);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(int64_t{0}, JobState::kSubmitting));
  EXPECT_EQ(seen[1].second, JobState::kInDoubt);
  EXPECT_GE(seen[1].first, 120000);
  EXPECT_LE(seen[1].first, 126000) << "looked at again every few seconds";
  EXPECT_TRUE(surf_.seen().empty());
}

// ---------------------------------------------------------------------------------------------
// The admin API's background runner, with the same seams

class AdminRunnerSeamTest : public RunnerTest {
 protected:
  // Waits (real time) until on_progress reports every job of a round in `state`.
  bool WaitFor(JobState state) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] {
      return !last_.empty() &&
             std::all_of(last_.begin(), last_.end(), [&](JobState s) { return s == state; });
    });
  }
  RunnerOptions Watched() {
    RunnerOptions options = Options();
    options.on_progress = [this](const std::vector<LedgerJob>& jobs) {
      std::lock_guard<std::mutex> lock(mutex_);
      last_.clear();
      for (const LedgerJob& j : jobs) last_.push_back(j.state);
      changed_.notify_all();
    };
    return options;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<JobState> last_;  // guarded by mutex_
};

TEST_F(AdminRunnerSeamTest, SendsThroughTheTransportOnTheClockAndStopsMidJob) {
  surf_.Outcome("1000O0001", std::chrono::seconds(30));
  const int64_t first = Enqueue("1000O0001", 0, JobSource::kAdmin);
  StatusOr<db::ConnectionPtr> c = db_.Open();
  ASSERT_OK(c);
  AdminRunner runner(std::move(c).value(), Surf(), Watched(), std::chrono::seconds(60), &surf_);
  ASSERT_OK(runner.Start());
  ASSERT_TRUE(WaitFor(JobState::kDone));
  EXPECT_EQ(State(first), JobState::kDone);
  EXPECT_THAT(surf_.Times(Endpoint::kStatus), ElementsAre(2000, 5005, 9507, 16261, 26393, 41592))
      << "30 s of polling passed on the fake clock";

  // A job that never ends: Stop() returns while it is in progress and leaves it submitted.
  surf_.Outcome("1000O0002", std::chrono::hours(1000));
  const int64_t second = Enqueue("1000O0002", 0, JobSource::kAdmin);
  runner.Wake();
  ASSERT_TRUE(WaitFor(JobState::kSubmitted));
  runner.Stop();
  EXPECT_EQ(State(second), JobState::kSubmitted);
  EXPECT_EQ(surf_.Requests(Endpoint::kJob).size(), 2u);
}

}  // namespace
}  // namespace ooapi::sync
