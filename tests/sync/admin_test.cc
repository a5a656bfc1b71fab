// The admin HTTP API: the pure AdminApi handler over a SQLite ledger with a `rio import` snapshot
// of the tiny synthetic DUO data; the same handler behind the real HttpServer with admin
// credentials next to an OOAPI listener with its own; and the background runner against the
// SURFeduhub simulator (tests/sync/surf_sim.py, started by the test on 127.0.0.1).

#include "ooapi/sync/link/admin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/common/json.h"
#include "ooapi/crypto/crypto.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/endpoint/http_server.h"
#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/rio/import.h"
#include "ooapi/sync/rio/store.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/duo_generator.h"
#include "ooapi/testing/port_server.h"
#include "ooapi/testing/status_matchers.h"
#include "ooapi/testing/test_http_client.h"

namespace ooapi::sync {
namespace {

using ooapi::testing::GenerateDuo;
using ooapi::testing::GeneratorOptions;
using ooapi::testing::GroundTruth;

namespace fs = std::filesystem;
using endpoint::HttpRequest;
using endpoint::HttpResponse;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kLinkId = "0b6e4c1a-3d2f-4e5a-8b7c-9d0e1f2a3b4c";
constexpr const char* kOtherId = "1c7f5d2b-4e3a-4f6b-9c8d-0e1f2a3b4c5d";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

rapidjson::Document Parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str(), body.size());
  return d;
}

std::string Sha256Hash(const std::string& secret) {
  return "sha256$" + crypto::HexEncode(crypto::Sha256(secret));
}

StatusOr<db::ConnectionPtr> OpenDb(const std::string& path) {
  adapters::sqlite::OpenOptions o;
  o.create = true;
  return adapters::sqlite::Open(path, o);
}

// One synthetic DUO data set and its snapshot, shared by every test (generating is the slow part).
class AdminEnvironment {
 public:
  static AdminEnvironment& Get() {
    static AdminEnvironment* env = new AdminEnvironment();  // never destroyed: static lifetime
    return *env;
  }
  fs::path dir;
  fs::path duo;
  Snapshot snapshot;
  Status status;
  // OE codes of the bestuur by classification (unlinked, linked, foreign, edudex).
  std::map<std::string, std::vector<std::string>> oe;

 private:
  AdminEnvironment() {
    dir = fs::temp_directory_path() / ("ooapi_admin_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    duo = dir / "duo";
    fs::create_directories(duo);
    GeneratorOptions g;
    g.out_dir = duo.string();
    StatusOr<GroundTruth> truth = GenerateDuo(g);
    if (!truth.ok()) {
      status = truth.status();
      return;
    }
    ImportOptions io;
    io.dir = duo.string();
    io.bestuur = truth->bestuur;
    io.ref_date = truth->ref_date;
    StatusOr<Snapshot> s = ImportDuo(io);
    if (!s.ok()) {
      status = s.status();
      return;
    }
    snapshot = std::move(s).value();
    for (const Item& item : snapshot.items) {
      if (item.kind == ItemKind::kOe && item.in_bestuur && !item.ended) {
        oe[item.classification].push_back(item.code);
      }
    }
  }
};

// Removes the shared data set after the last test.
class CleanupEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(fs::temp_directory_path() / ("ooapi_admin_" + std::to_string(::getpid())), ec);
  }
};
[[maybe_unused]] ::testing::Environment* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new CleanupEnvironment);

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AdminEnvironment& env = AdminEnvironment::Get();
    ASSERT_OK(env.status);
    for (const char* cls : {"unlinked", "linked", "foreign", "edudex"}) {
      ASSERT_FALSE(env.oe[cls].empty()) << "the tiny profile has a " << cls << " OE";
    }
    dir_ = env.dir / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_path_ = (dir_ / "sync.db").string();
    {
      StatusOr<db::ConnectionPtr> c = OpenDb(db_path_);
      ASSERT_OK(c);
      ASSERT_OK(EnsureSchema(**c));
      StatusOr<int64_t> id = SaveSnapshot(**c, env.snapshot);
      ASSERT_OK(id);
    }
    audit_path_ = dir_ / "logs" / "admin-audit.log";  // the directory does not exist yet
    StatusOr<db::ConnectionPtr> c = OpenDb(db_path_);
    ASSERT_OK(c);
    AdminOptions options;
    options.audit_log = audit_path_.string();
    options.on_enqueued = [this] { ++enqueued_; };
    api_ = std::make_unique<AdminApi>(std::move(c).value(), options);
    Status init = api_->Init();
    ASSERT_OK(init);
    StatusOr<db::ConnectionPtr> mine = OpenDb(db_path_);
    ASSERT_OK(mine);
    own_db_ = std::move(mine).value();
    ledger_ = std::make_unique<Ledger>(*own_db_);
  }

  const std::string& Oe(const std::string& cls) { return AdminEnvironment::Get().oe[cls][0]; }

  HttpResponse Call(const std::string& method, const std::string& path,
                    const std::string& body = "", const std::string& client = "alice") {
    HttpRequest r;
    r.method = method;
    const size_t q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) r.query = endpoint::SplitQueryString(path.substr(q + 1));
    r.body = body;
    r.client = client;
    r.trace_id = "0af7651916cd43dd8448eb211c80319c";
    if (!body.empty()) r.headers.emplace_back("content-type", "application/json");
    return api_->Handle(r);
  }
  HttpResponse Link(const std::string& rio_code, const std::string& id,
                    const std::string& extra = "") {
    return Call("POST", "/admin/link",
                R"({"type":"education-specifications","rio_code":")" + rio_code + R"(","id":")" +
                    id + "\"" + extra + "}");
  }

  // A job as SURFeduhub accepted it: claimed and given a token (what the runner does).
  std::string Submit(int64_t id) {
    StatusOr<std::vector<LedgerJob>> claimed = ledger_->Claim({id}, 1);
    EXPECT_TRUE(claimed.ok() && claimed->size() == 1);
    const std::string token = "5b3a8f2e-1c4d-4e6f-8a9b-0c1d2e3f4a5b";
    EXPECT_OK(ledger_->MarkSubmitted(id, token));
    return token;
  }

  static void ExpectProblem(const HttpResponse& r, int status, const std::string& detail_part) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json");
    rapidjson::Document d = Parse(r.body);
    ASSERT_TRUE(d.IsObject()) << r.body;
    EXPECT_EQ(std::string(d["status"].GetString()), std::to_string(status));
    EXPECT_THAT(std::string(d["detail"].GetString()), HasSubstr(detail_part));
  }

  fs::path dir_, audit_path_;
  std::string db_path_;
  std::unique_ptr<AdminApi> api_;
  db::ConnectionPtr own_db_;
  std::unique_ptr<Ledger> ledger_;
  int enqueued_ = 0;
};

TEST_F(AdminApiTest, LinkIsAcceptedQueuedAndListed) {
  const HttpResponse r = Link(Oe("unlinked"), kLinkId);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  rapidjson::Document d = Parse(r.body);
  ASSERT_TRUE(d.IsObject());
  const int64_t id = d["id"].GetInt64();
  ASSERT_GT(id, 0);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Location");
  EXPECT_EQ(r.headers[0].second, "/admin/jobs/" + std::to_string(id));
  EXPECT_EQ(std::string(d["state"].GetString()), "intent");
  EXPECT_EQ(std::string(d["action"].GetString()), "link");
  EXPECT_EQ(std::string(d["source"].GetString()), "admin");
  EXPECT_EQ(std::string(d["actor"].GetString()), "alice");
  EXPECT_EQ(std::string(d["id_sent"].GetString()), kLinkId);
  EXPECT_TRUE(d["created"].GetBool());
  EXPECT_EQ(enqueued_, 1) << "the runner was woken";

  // The ledger entry is the CLI's, with a random callback secret that no answer shows.
  StatusOr<LedgerJob> job = ledger_->Get(id);
  ASSERT_OK(job);
  EXPECT_EQ(job->source, JobSource::kAdmin);
  EXPECT_EQ(job->actor, "alice");
  EXPECT_EQ(job->callback_secret.size(), 48u);
  EXPECT_THAT(r.body, Not(HasSubstr(job->callback_secret)));

  const HttpResponse list = Call("GET", "/admin/jobs");
  ASSERT_EQ(list.status, 200) << list.body;
  rapidjson::Document l = Parse(list.body);
  ASSERT_TRUE(l["items"].IsArray());
  ASSERT_EQ(l["items"].Size(), 1u);
  EXPECT_EQ(l["items"][0]["id"].GetInt64(), id);
  EXPECT_EQ(Parse(Call("GET", "/admin/jobs?status=intent").body)["items"].Size(), 1u);
  EXPECT_EQ(Parse(Call("GET", "/admin/jobs?status=done").body)["items"].Size(), 0u);
  ExpectProblem(Call("GET", "/admin/jobs?status=finished"), 400, "status:");

  const HttpResponse one = Call("GET", "/admin/jobs/" + std::to_string(id));
  ASSERT_EQ(one.status, 200) << one.body;
  rapidjson::Document o = Parse(one.body);
  EXPECT_EQ(o["id"].GetInt64(), id);
  ASSERT_TRUE(o["events"].IsArray());
  EXPECT_GE(o["events"].Size(), 1u);
  EXPECT_THAT(one.body, Not(HasSubstr(job->callback_secret)));
  ExpectProblem(Call("GET", "/admin/jobs/999"), 404, "");
  ExpectProblem(Call("GET", "/admin/jobs/abc"), 400, "job:");

  // The same link again resumes the job; another link of the item conflicts while it is active.
  const HttpResponse again = Link(Oe("unlinked"), kLinkId);
  ASSERT_EQ(again.status, 202) << again.body;
  EXPECT_EQ(Parse(again.body)["id"].GetInt64(), id);
  EXPECT_FALSE(Parse(again.body)["created"].GetBool());
  ExpectProblem(Link(Oe("unlinked"), kOtherId), 409, "still active");
}

TEST_F(AdminApiTest, BadBodiesAreRefusedNamingTheField) {
  const std::string u = Oe("unlinked");
  ExpectProblem(Call("POST", "/admin/link", "{\"type\":"), 400, "body: not valid JSON");
  ExpectProblem(Call("POST", "/admin/link", "[1]"), 400, "body: must be a JSON object");
  ExpectProblem(
      Call("POST", "/admin/link", R"({"rio_code":")" + u + R"(","id":")" + kLinkId + "\"}"), 400,
      "type: missing");
  ExpectProblem(Call("POST", "/admin/link",
                     R"({"type":"education-specifications","id":")" + std::string(kLinkId) + "\"}"),
                400, "rio_code: missing");
  ExpectProblem(
      Call("POST", "/admin/link", R"({"type":"education-specifications","rio_code":")" + u + "\"}"),
      400, "id: missing");
  ExpectProblem(Link(u, kLinkId, R"(,"colour":"red")"), 400, "colour: unknown field");
  ExpectProblem(Link(u, kLinkId, R"(,"force":"yes")"), 400, "force: must be true or false");
  ExpectProblem(Call("POST", "/admin/link",
                     R"({"type":7,"rio_code":")" + u + R"(","id":")" + kLinkId + "\"}"),
                400, "type: must be a string");
  ExpectProblem(Call("POST", "/admin/link",
                     R"({"type":"studies","rio_code":")" + u + R"(","id":")" + kLinkId + "\"}"),
                400, "type:");
  ExpectProblem(Link("12345", kLinkId), 400, "rio_code:");
  ExpectProblem(Link(u, "0B6E4C1A-3D2F-4E5A-8B7C-9D0E1F2A3B4C"), 400, "id:");
  ExpectProblem(Call("POST", "/admin/unlink",
                     R"({"type":"education-specifications","rio_code":")" + u + R"(","id":")" +
                         kLinkId + "\"}"),
                400, "id: unlink takes no id");
  HttpRequest form;
  form.method = "POST";
  form.path = "/admin/link";
  form.client = "alice";
  form.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  form.body = "type=programs";
  ExpectProblem(api_->Handle(form), 400, "Content-Type");
  // Nothing was queued by any of them.
  EXPECT_EQ(Parse(Call("GET", "/admin/jobs").body)["items"].Size(), 0u);
  EXPECT_EQ(enqueued_, 0);
}

TEST_F(AdminApiTest, LocalRulesOfTheCliApply) {
  // EDU-DEX items only with include_edudex.
  ExpectProblem(Link(Oe("edudex"), kLinkId), 400, "\"include_edudex\": true");
  // Its EDU-DEX key is then overwritten, which needs force as well.
  ExpectProblem(Link(Oe("edudex"), kLinkId, R"(,"include_edudex":true)"), 400, "\"force\": true");
  const HttpResponse edudex = Link(Oe("edudex"), kLinkId, R"(,"include_edudex":true,"force":true)");
  EXPECT_EQ(edudex.status, 202) << edudex.body;
  // Overwriting another key only with force, and the lost key is recorded.
  ExpectProblem(Link(Oe("foreign"), kOtherId), 400, "\"force\": true");
  const HttpResponse forced = Link(Oe("foreign"), kOtherId, R"(,"force":true)");
  ASSERT_EQ(forced.status, 202) << forced.body;
  rapidjson::Document d = Parse(forced.body);
  EXPECT_FALSE(std::string(d["key_lost"].GetString()).empty());
  EXPECT_GE(d["notes"].Size(), 1u);
  // A code the snapshot lacks needs force too.
  ExpectProblem(Link("9999O9999", "2d8a6e3c-5f4b-4a7c-8d9e-1f2a3b4c5d6e"), 400, "not in snapshot");
  // Unlink of a linked item.
  const HttpResponse unlink =
      Call("POST", "/admin/unlink",
           R"({"type":"education-specifications","rio_code":")" + Oe("linked") + "\"}");
  ASSERT_EQ(unlink.status, 202) << unlink.body;
  EXPECT_EQ(std::string(Parse(unlink.body)["action"].GetString()), "unlink");
  EXPECT_EQ(enqueued_, 3);
}

TEST_F(AdminApiTest, WebhookWithTheJobsSecretSettlesIt) {
  const HttpResponse r = Link(Oe("unlinked"), kLinkId);
  ASSERT_EQ(r.status, 202) << r.body;
  const int64_t id = Parse(r.body)["id"].GetInt64();
  StatusOr<LedgerJob> job = ledger_->Get(id);
  ASSERT_OK(job);
  const std::string secret = job->callback_secret;
  const std::string callback = "/admin/callback/" + secret;
  EXPECT_TRUE(api_->IsOpenPath(callback)) << "the secret is the credential";
  EXPECT_FALSE(api_->IsOpenPath("/admin/jobs"));
  EXPECT_EQ(api_->LoggedPath(callback), "/admin/callback/[redacted]");

  // Before the token is recorded, a webhook is acknowledged and left to polling.
  const std::string token = "5b3a8f2e-1c4d-4e6f-8a9b-0c1d2e3f4a5b";
  const std::string done = R"({"status":"done","token":")" + token +
                           R"(","action":"link","resource":"education-specification/x",)"
                           R"("attributes":{"eigenOpleidingseenheidSleutel":{"diff":true}}})";
  HttpResponse early = Call("POST", callback, done, "");
  ASSERT_EQ(early.status, 200) << early.body;
  EXPECT_FALSE(Parse(early.body)["recorded"].GetBool());
  EXPECT_EQ(ledger_->Get(id)->state, JobState::kIntent);

  ASSERT_EQ(Submit(id), token);
  // Wrong secrets: 404 and nothing more.
  ExpectProblem(Call("POST", "/admin/callback/" + std::string(48, 'a'), done, ""), 404,
                "not found");
  ExpectProblem(Call("POST", "/admin/callback/", done, ""), 404, "not found");
  EXPECT_EQ(ledger_->Get(id)->state, JobState::kSubmitted);
  // A body that is not a status object: 400.
  ExpectProblem(Call("POST", callback, "{}", ""), 400, "body:");
  // Another token (an earlier submission): acknowledged, not recorded.
  HttpResponse other = Call(
      "POST", callback, R"({"status":"error","token":"6c4b9a3f-2d5e-4f7a-9b0c-1d2e3f4a5b6c"})", "");
  EXPECT_EQ(other.status, 200);
  EXPECT_FALSE(Parse(other.body)["recorded"].GetBool());
  // A non-final status is fine and settles nothing.
  HttpResponse progress =
      Call("POST", callback, R"({"status":"in-progress","token":")" + token + "\"}", "");
  EXPECT_EQ(progress.status, 200);
  EXPECT_TRUE(Parse(progress.body)["recorded"].GetBool());
  EXPECT_EQ(ledger_->Get(id)->state, JobState::kSubmitted);
  EXPECT_EQ(ledger_->Get(id)->status, "in-progress");
  // The final one settles the job.
  HttpResponse final_status = Call("POST", callback, done, "");
  ASSERT_EQ(final_status.status, 200) << final_status.body;
  EXPECT_TRUE(Parse(final_status.body)["recorded"].GetBool());
  StatusOr<LedgerJob> settled = ledger_->Get(id);
  EXPECT_EQ(settled->state, JobState::kDone);
  EXPECT_THAT(settled->attributes, HasSubstr("eigenOpleidingseenheidSleutel"));
  EXPECT_EQ(Parse(Call("GET", "/admin/jobs/" + token).body)["state"].GetString(),
            std::string("done"))
      << "a job is found by its token too";
  ExpectProblem(Call("GET", callback, "", ""), 405, "POST");
}

TEST_F(AdminApiTest, EveryRequestIsAuditedWithoutSecrets) {
  const HttpResponse r = Link(Oe("unlinked"), kLinkId);
  ASSERT_EQ(r.status, 202);
  const int64_t id = Parse(r.body)["id"].GetInt64();
  const std::string secret = ledger_->Get(id)->callback_secret;
  Call("GET", "/admin/jobs", "", "bob");
  ExpectProblem(Link("12345", kLinkId), 400, "rio_code");
  Call("POST", "/admin/callback/" + secret, R"({"status":"done","token":"x"})", "");
  HttpRequest refused;
  refused.method = "GET";
  refused.path = "/admin/jobs";
  refused.headers.emplace_back("authorization", "Bearer not-the-token");
  HttpResponse unauthorized;
  unauthorized.status = 401;
  api_->OnRefused(refused, unauthorized, "invalid");

  const std::string text = ReadFile(audit_path_);
  const std::vector<std::string> lines = Lines(text);
  ASSERT_EQ(lines.size(), 5u) << text;
  EXPECT_THAT(text, Not(HasSubstr(secret)));
  EXPECT_THAT(text, Not(HasSubstr("not-the-token")));
  rapidjson::Document first = Parse(lines[0]);
  ASSERT_TRUE(first.IsObject()) << lines[0];
  EXPECT_EQ(std::string(first["client"].GetString()), "alice");
  EXPECT_EQ(std::string(first["method"].GetString()), "POST");
  EXPECT_EQ(std::string(first["path"].GetString()), "/admin/link");
  EXPECT_EQ(first["status"].GetInt(), 202);
  EXPECT_EQ(first["job"].GetInt64(), id);
  EXPECT_EQ(std::string(first["action"].GetString()), "link");
  EXPECT_EQ(std::string(first["rio_code"].GetString()), Oe("unlinked"));
  EXPECT_EQ(std::string(first["trace_id"].GetString()), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_FALSE(std::string(first["time"].GetString()).empty());
  EXPECT_EQ(std::string(Parse(lines[1])["client"].GetString()), "bob");
  EXPECT_EQ(Parse(lines[2])["status"].GetInt(), 400);
  rapidjson::Document hook = Parse(lines[3]);
  EXPECT_EQ(std::string(hook["client"].GetString()), "webhook");
  EXPECT_EQ(std::string(hook["path"].GetString()), "/admin/callback/[redacted]");
  EXPECT_EQ(hook["job"].GetInt64(), id);
  rapidjson::Document no = Parse(lines[4]);
  EXPECT_EQ(no["status"].GetInt(), 401);
  EXPECT_EQ(std::string(no["auth"].GetString()), "invalid");
  EXPECT_EQ(std::string(no["client"].GetString()), "");
}

TEST_F(AdminApiTest, UnknownPathsAndMethods) {
  ExpectProblem(Call("GET", "/admin/nope"), 404, "");
  ExpectProblem(Call("GET", "/programs"), 404, "");
  const HttpResponse get_link = Call("GET", "/admin/link");
  ExpectProblem(get_link, 405, "POST");
  ASSERT_EQ(get_link.headers.size(), 1u);
  EXPECT_EQ(get_link.headers[0].first, "Allow");
  ExpectProblem(Call("DELETE", "/admin/jobs"), 405, "GET");
}

// ---------------------------------------------------------------------------------------------
// Over HTTP: the admin listener and an OOAPI listener side by side, each with its own clients.

class AdminHttpTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    if (HasFatalFailure()) return;
    StatusOr<adapters::SisAdapterPtr> a = backend_.CreateAdapter();
    ASSERT_OK(a);
    adapter_ = std::move(a).value();
    ooapi_ = std::make_unique<endpoint::Api>(adapter_.get(), endpoint::ApiOptions{});
    config::ServerConfig cfg;
    cfg.port = 0;
    cfg.threads = 1;
    cfg.workers = 2;
    cfg.max_request_bytes = 4096;
    config::AuthConfig ooapi_auth;
    ooapi_auth.enabled = true;
    ooapi_auth.clients.push_back({"gateway", "", "", "", "", Sha256Hash(kGatewayToken), ""});
    config::AuthConfig admin_auth;
    admin_auth.enabled = true;
    admin_auth.clients.push_back({"alice", "", "", "", "", Sha256Hash(kAdminToken), ""});
    ooapi_server_ = std::make_unique<endpoint::HttpServer>(cfg, false, ooapi_.get(), ooapi_auth);
    admin_server_ =
        std::make_unique<endpoint::HttpServer>(cfg, false, api_.get(), admin_auth, "admin");
    ASSERT_OK(ooapi_server_->Start());
    ASSERT_OK(admin_server_->Start());
  }
  void TearDown() override {
    admin_server_.reset();
    ooapi_server_.reset();
  }

  ooapi::testing::RawResponse Post(uint16_t port, const std::string& path, const std::string& body,
                            const std::string& token) {
    ooapi::testing::HttpConnection c(port);
    std::string req = "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return c.Exchange(req);
  }
  ooapi::testing::RawResponse Get(uint16_t port, const std::string& path, const std::string& token) {
    return ooapi::testing::HttpGet(port, path,
                            token.empty() ? "" : "Authorization: Bearer " + token + "\r\n");
  }
  std::string LinkBody() {
    return R"({"type":"education-specifications","rio_code":")" + Oe("unlinked") + R"(","id":")" +
           kLinkId + "\"}";
  }

  static constexpr const char* kGatewayToken = "gateway-token-0123456789abcdef0123456789";
  static constexpr const char* kAdminToken = "admin-token-fedcba9876543210fedcba9876543";
  ooapi::testing::SqliteBackend backend_;
  adapters::SisAdapterPtr adapter_;
  std::unique_ptr<endpoint::Api> ooapi_;
  std::unique_ptr<endpoint::HttpServer> ooapi_server_, admin_server_;
};

TEST_F(AdminHttpTest, AdminCredentialsOnlyOpenTheAdminListener) {
  const uint16_t admin = admin_server_->port();
  const uint16_t ooapi = ooapi_server_->port();
  // No credentials, or the OOAPI client's: 401 problem+json, nothing queued.
  ooapi::testing::RawResponse none = Post(admin, "/admin/link", LinkBody(), "");
  EXPECT_EQ(none.status, 401);
  EXPECT_THAT(none.Header("content-type"), HasSubstr("application/problem+json"));
  EXPECT_FALSE(none.Header("www-authenticate").empty());
  EXPECT_EQ(Post(admin, "/admin/link", LinkBody(), kGatewayToken).status, 401);
  EXPECT_EQ(Get(admin, "/admin/jobs", kGatewayToken).status, 401);
  EXPECT_EQ(Parse(Call("GET", "/admin/jobs").body)["items"].Size(), 0u);
  // The admin's credentials do not open the OOAPI listener; the gateway's do.
  EXPECT_EQ(Get(ooapi, "/programs", kAdminToken).status, 401);
  EXPECT_EQ(Get(ooapi, "/programs", kGatewayToken).status, 200);
  // The admin's open the admin listener; the body, its content type and the client name arrive.
  ooapi::testing::RawResponse ok = Post(admin, "/admin/link", LinkBody(), kAdminToken);
  ASSERT_EQ(ok.status, 202) << ok.body;
  const int64_t id = Parse(ok.body)["id"].GetInt64();
  EXPECT_EQ(ok.Header("location"), "/admin/jobs/" + std::to_string(id));
  EXPECT_EQ(std::string(Parse(ok.body)["actor"].GetString()), "alice");
  EXPECT_FALSE(ok.Header("traceparent").empty());
  ooapi::testing::RawResponse jobs = Get(admin, "/admin/jobs", kAdminToken);
  ASSERT_EQ(jobs.status, 200);
  EXPECT_EQ(Parse(jobs.body)["items"][0]["id"].GetInt64(), id);
  // The webhook needs no admin credentials: its secret is the credential.
  const std::string secret = ledger_->Get(id)->callback_secret;
  const std::string token = Submit(id);
  EXPECT_EQ(Post(admin, "/admin/callback/" + std::string(48, 'b'), "{}", "").status, 404);
  ooapi::testing::RawResponse hook =
      Post(admin, "/admin/callback/" + secret, R"({"status":"done","token":")" + token + "\"}", "");
  ASSERT_EQ(hook.status, 200) << hook.body;
  EXPECT_EQ(ledger_->Get(id)->state, JobState::kDone);
  // Too large a request: 413 (the server's limit), not the handler.
  EXPECT_EQ(Post(admin, "/admin/link", std::string(6000, ' ') + LinkBody(), kAdminToken).status,
            413);

  // The audit log: refused requests with their reason, accepted ones with the client's name,
  // never a secret or an Authorization value.
  const std::string text = ReadFile(audit_path_);
  EXPECT_THAT(text, Not(HasSubstr(secret)));
  EXPECT_THAT(text, Not(HasSubstr(kAdminToken)));
  EXPECT_THAT(text, Not(HasSubstr(kGatewayToken)));
  int refused = 0, alice = 0, webhooks = 0;
  for (const std::string& line : Lines(text)) {
    rapidjson::Document d = Parse(line);
    ASSERT_TRUE(d.IsObject()) << line;
    const std::string client = d["client"].GetString();
    if (d["status"].GetInt() == 401) {
      ++refused;
      EXPECT_TRUE(d.HasMember("auth")) << line;
    }
    if (client == "alice") ++alice;
    if (client == "webhook") ++webhooks;
    EXPECT_EQ(std::string(d["trace_id"].GetString()).size(), 32u) << line;
  }
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(alice, 3) << text;  // the list through Call() above, the link and the list
  EXPECT_EQ(webhooks, 2);
}

// ---------------------------------------------------------------------------------------------
// The background runner against the SURFeduhub simulator.

class AdminRunnerTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    if (HasFatalFailure()) return;
    const std::string error = sim_.Start(
        {"python3", std::string(OOAPI_SOURCE_DIR) + "/tests/sync/surf_sim.py", "--port", "0",
         "--port-file", (dir_ / "sim.port").string(), "--duo", AdminEnvironment::Get().duo.string(),
         "--job-seconds", "0.05", "--webhook-retry-seconds", "0.2"});
    ASSERT_EQ(error, "") << "the simulator did not start";
    sim_port_ = static_cast<uint16_t>(sim_.port());
  }
  void TearDown() override { sim_.Stop(); }

  SurfOptions Surf() const {
    SurfOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(sim_port_);
    o.token_url = o.base_url + "/oauth/token";
    o.client_id = "ooapi-endpoint-test";
    o.client_secret = "sim-secret";
    o.connect_timeout_s = 5;
    o.request_timeout_s = 10;
    return o;
  }
  RunnerOptions Fast() const {
    RunnerOptions r;
    r.poll_initial_ms = 100;
    r.poll_max_ms = 400;
    r.submit_retry_initial_ms = 50;
    r.submit_retry_max_ms = 200;
    return r;
  }

  // Waits until job `id` is no longer active; its final state.
  std::string WaitSettled(int64_t id, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      StatusOr<LedgerJob> j = ledger_->Get(id);
      if (j.ok() && j->Final()) return std::string(JobStateName(j->state));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "still " + std::string(JobStateName(ledger_->Get(id)->state));
  }

  ooapi::testing::PortServer sim_;
  uint16_t sim_port_ = 0;
};

TEST_F(AdminRunnerTest, AcceptedLinkIsSubmittedPolledAndSettledInRio) {
  StatusOr<db::ConnectionPtr> c = OpenDb(db_path_);
  ASSERT_OK(c);
  AdminRunner runner(std::move(c).value(), Surf(), Fast(), std::chrono::milliseconds(200));
  ASSERT_OK(runner.Start());
  const HttpResponse r = Link(Oe("unlinked"), kLinkId);
  ASSERT_EQ(r.status, 202) << r.body;
  runner.Wake();
  const int64_t id = Parse(r.body)["id"].GetInt64();
  EXPECT_EQ(WaitSettled(id, std::chrono::seconds(30)), "done");
  const LedgerJob job = *ledger_->Get(id);
  EXPECT_FALSE(job.token.empty());
  EXPECT_THAT(job.attributes, HasSubstr("\"diff\":true"));
  ooapi::testing::RawResponse state = ooapi::testing::HttpGet(sim_port_, "/_sim/state/" + Oe("unlinked"));
  ASSERT_EQ(state.status, 200) << state.body;
  EXPECT_EQ(std::string(Parse(state.body)["key"].GetString()), kLinkId) << "RIO has our key";
  // A job queued while the runner is busy with nothing is picked up too, then the runner stops.
  const HttpResponse u =
      Call("POST", "/admin/unlink",
           R"({"type":"education-specifications","rio_code":")" + Oe("unlinked") + "\"}");
  ASSERT_EQ(u.status, 202) << u.body;
  EXPECT_EQ(WaitSettled(Parse(u.body)["id"].GetInt64(), std::chrono::seconds(30)), "done")
      << "found by the runner's own look at the ledger (no Wake)";
  const auto t0 = std::chrono::steady_clock::now();
  runner.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  ooapi::testing::RawResponse dup = ooapi::testing::HttpGet(sim_port_, "/_sim/duplicates");
  EXPECT_EQ(Parse(dup.body)["count"].GetInt(), 0);
}

TEST_F(AdminRunnerTest, WebhookThroughTheAdminListenerAndACleanStopMidJob) {
  // The admin listener receives SURFeduhub's webhooks.
  config::ServerConfig cfg;
  cfg.port = 0;
  cfg.threads = 1;
  cfg.workers = 2;
  config::AuthConfig auth;
  auth.enabled = true;
  auth.clients.push_back({"alice", "", "", "", "", Sha256Hash("t0123456789abcdef"), ""});
  endpoint::HttpServer server(cfg, false, api_.get(), auth, "admin");
  ASSERT_OK(server.Start());
  RunnerOptions options = Fast();
  options.poll_initial_ms = 20000;  // so that only the webhook can settle the job in time
  options.poll_max_ms = 20000;
  options.callback_base = "http://127.0.0.1:" + std::to_string(server.port()) + "/admin/callback";
  StatusOr<db::ConnectionPtr> c = OpenDb(db_path_);
  ASSERT_OK(c);
  auto runner = std::make_unique<AdminRunner>(std::move(c).value(), Surf(), options,
                                              std::chrono::milliseconds(200));
  ASSERT_OK(runner->Start());
  // No Wake(): the runner finds the job by itself, in one round that polls only after 20 s.
  const HttpResponse r = Link(Oe("unlinked"), kLinkId);
  ASSERT_EQ(r.status, 202) << r.body;
  const int64_t id = Parse(r.body)["id"].GetInt64();
  EXPECT_EQ(WaitSettled(id, std::chrono::seconds(10)), "done");
  StatusOr<std::vector<LedgerEvent>> events = ledger_->Events(id);
  ASSERT_OK(events);
  ASSERT_FALSE(events->empty());
  EXPECT_THAT(events->back().detail, HasSubstr("(webhook)"));
  EXPECT_THAT(ReadFile(audit_path_), HasSubstr("\"client\":\"webhook\""));

  // A slow job in progress: Stop() returns promptly, the job stays submitted for the next start.
  ooapi::testing::HttpConnection control(sim_port_);
  const std::string fault = R"({"mode":"slow-job","count":1,"seconds":30})";
  ASSERT_EQ(control
                .Exchange("POST /_sim/fault HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          "application/json\r\nContent-Length: " +
                          std::to_string(fault.size()) + "\r\n\r\n" + fault)
                .status,
            200);
  const HttpResponse u =
      Call("POST", "/admin/unlink",
           R"({"type":"education-specifications","rio_code":")" + Oe("unlinked") + "\"}");
  ASSERT_EQ(u.status, 202) << u.body;
  runner->Wake();
  const int64_t uid = Parse(u.body)["id"].GetInt64();
  for (int i = 0; i < 200 && ledger_->Get(uid)->state != JobState::kSubmitted; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(ledger_->Get(uid)->state, JobState::kSubmitted);
  const auto t0 = std::chrono::steady_clock::now();
  runner->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  EXPECT_EQ(ledger_->Get(uid)->state, JobState::kSubmitted) << "left for the next start to poll";
  server.Drain(std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace ooapi::sync
