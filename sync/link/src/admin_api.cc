#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "ooapi/common/json.h"
#include "ooapi/common/log.h"
#include "ooapi/common/strings.h"
#include "ooapi/config/config.h"
#include "ooapi/endpoint/problem.h"
#include "ooapi/sync/link/admin.h"
#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/link/rules.h"
#include "ooapi/sync/rio/store.h"

namespace ooapi::sync {
namespace {

using endpoint::HttpRequest;
using endpoint::HttpResponse;
using endpoint::ProblemResponse;

constexpr std::string_view kCallbackPrefix = "/admin/callback/";
constexpr std::string_view kJobsPrefix = "/admin/jobs/";

// "intent, submitting, …": the names a status filter accepts.
std::string JobStateNames() {
  std::string out;
  for (JobState state : AllJobStates()) {
    out += (out.empty() ? "" : ", ") + std::string(JobStateName(state));
  }
  return out;
}

// Problem answers of the admin API: a 503 here means the sync database (the ledger), not the SIS.
HttpResponse AdminProblem(const Status& status) {
  return ProblemResponse(status, "The sync database");
}

// Bytes that may go into a log line as they are: printable ASCII; anything else becomes '?'.
std::string Printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = '?';
  }
  return out;
}

// The CLI words of CheckLinkOp's messages ("pass --force") in the terms of the JSON body.
std::string AdminWording(std::string message) {
  const std::pair<std::string_view, std::string_view> kWords[] = {
      {"pass --force", "set \"force\": true"},
      {"pass --include-edudex", "set \"include_edudex\": true"},
      {"run again with --resubmit-in-doubt", "repeat the request with \"resubmit_in_doubt\": true"},
      {"--include-edudex", "\"include_edudex\": true"},
      {"--force", "\"force\": true"},
  };
  if (StartsWith(message, "rio code: ")) message.replace(0, 8, "rio_code");
  for (const auto& [from, to] : kWords) {
    for (size_t at = message.find(from); at != std::string::npos;
         at = message.find(from, at + to.size())) {
      message.replace(at, from.size(), to);
    }
  }
  return message;
}

void WriteJob(json::Writer& w, const LedgerJob& j,
              const std::vector<LedgerEvent>* events = nullptr) {
  WriteJobMembers(w, j, AdminWording(DescribeJob(j)), events);  // never the callback secret
}

HttpResponse Json(int status, const rapidjson::StringBuffer& buffer) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body.assign(buffer.GetString(), buffer.GetSize());
  return r;
}

// What the audit line says about a request besides method, path and status.
struct AuditInfo {
  int64_t job = 0;
  std::string action, type, rio_code, sis_id;
};

// The fields of a link/unlink body.
struct LinkBody {
  LinkOp op;
  LinkCheckOptions options;
  bool resubmit_in_doubt = false;
};

StatusOr<LinkBody> ParseLinkBody(const HttpRequest& request, bool link) {
  if (const std::string* type = request.Header("content-type")) {
    const std::string media = ToLowerAscii(
        TrimAscii(std::string_view{*type}.substr(0, std::min(type->size(), type->find(';')))));
    if (media != "application/json") {
      return InvalidArgument("Content-Type: must be application/json, got '" + Printable(*type) +
                             "'");
    }
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(request.body.c_str(), request.body.size());
  if (doc.HasParseError()) {
    return InvalidArgument(std::string("body: not valid JSON (") +
                           rapidjson::GetParseError_En(doc.GetParseError()) + " at offset " +
                           std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject()) return InvalidArgument("body: must be a JSON object");
  LinkBody body;
  body.op.action = link ? SurfAction::kLink : SurfAction::kUnlink;
  static const std::set<std::string> kLinkFields = {"type",  "rio_code",       "id",
                                                    "force", "include_edudex", "resubmit_in_doubt"};
  std::set<std::string> seen;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    const std::string name(it->name.GetString(), it->name.GetStringLength());
    if (!kLinkFields.contains(name)) {
      return InvalidArgument(Printable(name) + ": unknown field (" +
                             (link ? "link takes type, rio_code, id, force, include_edudex, "
                                     "resubmit_in_doubt"
                                   : "unlink takes type, rio_code, force, include_edudex, "
                                     "resubmit_in_doubt") +
                             ")");
    }
    if (!seen.insert(name).second) return InvalidArgument(name + ": given twice");
    const rapidjson::Value& v = it->value;
    if (name == "type" || name == "rio_code" || name == "id") {
      if (!v.IsString()) return InvalidArgument(name + ": must be a string");
      std::string text(v.GetString(), v.GetStringLength());
      if (name == "type") {
        body.op.type = std::move(text);
      } else if (name == "rio_code") {
        body.op.rio_code = std::move(text);
      } else {
        body.op.id = std::move(text);
      }
    } else {
      if (!v.IsBool()) return InvalidArgument(name + ": must be true or false");
      if (name == "force") {
        body.options.force = v.GetBool();
      } else if (name == "include_edudex") {
        body.options.include_edudex = v.GetBool();
      } else {
        body.resubmit_in_doubt = v.GetBool();
      }
    }
  }
  if (!seen.contains("type")) return InvalidArgument("type: missing");
  if (!seen.contains("rio_code")) return InvalidArgument("rio_code: missing");
  if (link && !seen.contains("id")) return InvalidArgument("id: missing");
  return body;
}

}  // namespace

RunnerOptions RunnerOptionsFromConfig(const config::SurfeduhubConfig& c) {
  RunnerOptions r;
  r.max_in_flight = c.max_in_flight;
  r.poll_initial_ms = c.poll_initial_ms;
  r.poll_max_ms = c.poll_max_ms;
  r.submit_retry_initial_ms = std::min(1000, c.poll_initial_ms);
  r.submit_retry_max_ms = c.poll_max_ms;
  if (!c.callback_base_url.empty()) {
    std::string base = c.callback_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    r.callback_base = base + "/admin/callback";
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// AdminApi

struct AdminApi::Impl {
  db::ConnectionPtr connection;
  AdminOptions options;
  // Guards `ledger`, `connection` and the snapshot cache: one request at a time on the
  // connection (a Ledger is not thread-safe).
  std::mutex mutex;
  std::unique_ptr<Ledger> ledger;
  int64_t snapshot_id = 0;
  std::unique_ptr<LinkIndex> snapshot;  // the newest snapshot, indexed for the link checks
  int audit_fd = -1;  // O_APPEND: each line is one write(), so lines never interleave

  std::string Now() const { return options.now ? options.now() : UtcNowMillis(); }

  // The newest `rio import` snapshot, indexed, or nullptr when there is none. Caller holds
  // `mutex`.
  StatusOr<const LinkIndex*> NewestSnapshot() {
    OOAPI_ASSIGN_OR_RETURN(std::vector<SnapshotInfo> list, ListSnapshots(*connection));
    int64_t newest = 0;
    for (const SnapshotInfo& info : list) newest = std::max(newest, info.id);
    if (newest == 0) return static_cast<const LinkIndex*>(nullptr);
    if (newest != snapshot_id || !snapshot) {
      OOAPI_ASSIGN_OR_RETURN(Snapshot loaded, LoadSnapshot(*connection, newest));
      snapshot = std::make_unique<LinkIndex>(loaded);
      snapshot_id = newest;
    }
    return static_cast<const LinkIndex*>(snapshot.get());
  }

  void Audit(const HttpRequest& request, const std::string& client, const std::string& path,
             int status, const AuditInfo& info, std::string_view auth_failure) const {
    if (audit_fd < 0) return;
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("time");
    w.String(Now());
    w.Key("client");
    w.String(Printable(client));
    w.Key("method");
    w.String(Printable(request.method));
    w.Key("path");
    w.String(Printable(path));
    w.Key("status");
    w.Int(status);
    if (info.job > 0) {
      w.Key("job");
      w.Int64(info.job);
    }
    for (const auto& [key, value] :
         {std::pair<const char*, const std::string*>{"action", &info.action},
          {"type", &info.type},
          {"rio_code", &info.rio_code},
          {"id", &info.sis_id}}) {
      if (value->empty()) continue;
      w.Key(key);
      w.String(Printable(*value));
    }
    if (!auth_failure.empty()) {
      w.Key("auth");
      w.String(std::string(auth_failure));
    }
    w.Key("trace_id");
    w.String(Printable(request.trace_id));
    w.EndObject();
    std::string line(buffer.GetString(), buffer.GetSize());
    line.push_back('\n');
    const ssize_t n = ::write(audit_fd, line.data(), line.size());
    if (n != static_cast<ssize_t>(line.size())) {
      log::Error("admin_audit_write_failed", {{"error", n < 0 ? std::strerror(errno) : "short"}});
    }
  }

  HttpResponse LinkOrUnlink(const HttpRequest& request, bool link, AuditInfo* audit);
  HttpResponse Jobs(const HttpRequest& request) const;
  HttpResponse OneJob(const std::string& key, AuditInfo* audit) const;
  HttpResponse Callback(const HttpRequest& request, const std::string& secret,
                        AuditInfo* audit) const;
};

AdminApi::AdminApi(db::ConnectionPtr connection, AdminOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->connection = std::move(connection);
  impl_->options = std::move(options);
  impl_->ledger = std::make_unique<Ledger>(*impl_->connection);
}

AdminApi::~AdminApi() {
  if (impl_->audit_fd >= 0) ::close(impl_->audit_fd);
}

Status AdminApi::Init() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  OOAPI_RETURN_IF_ERROR(EnsureSchema(*impl_->connection));
  OOAPI_RETURN_IF_ERROR(impl_->ledger->EnsureSchema());
  const std::string& path = impl_->options.audit_log;
  if (path.empty() || impl_->audit_fd >= 0) return Status::Ok();
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Unavailable("cannot open the admin audit log " + path + ": " + std::strerror(errno));
  }
  impl_->audit_fd = fd;
  return Status::Ok();
}

bool AdminApi::IsOpenPath(std::string_view raw_path) const {
  return StartsWith(raw_path, kCallbackPrefix);
}

std::string AdminApi::LoggedPath(std::string_view raw_path) const {
  if (IsOpenPath(raw_path)) return std::string(kCallbackPrefix) + "[redacted]";
  return std::string(raw_path);
}

void AdminApi::OnRefused(const HttpRequest& request, const HttpResponse& response,
                         std::string_view reason) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->Audit(request, "", LoggedPath(request.path), response.status, {},
               reason.empty() ? "refused" : reason);
}

HttpResponse AdminApi::Handle(const HttpRequest& request) const {
  AuditInfo audit;
  std::string client = request.client;
  HttpResponse response;
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    const std::string& path = request.path;
    if (path == "/admin/link" || path == "/admin/unlink") {
      response = request.method == "POST"
                     ? impl_->LinkOrUnlink(request, path == "/admin/link", &audit)
                     : endpoint::MethodNotAllowed("POST");
    } else if (path == "/admin/jobs") {
      response = request.method == "GET" ? impl_->Jobs(request) : endpoint::MethodNotAllowed("GET");
    } else if (StartsWith(path, kJobsPrefix) && path.size() > kJobsPrefix.size() &&
               path.find('/', kJobsPrefix.size()) == std::string::npos) {
      const std::optional<std::string> key =
          PercentDecode(std::string_view{path}.substr(kJobsPrefix.size()), false);
      if (request.method != "GET") {
        response = endpoint::MethodNotAllowed("GET");
      } else if (!key) {
        response = AdminProblem(InvalidArgument("job: malformed percent-encoding"));
      } else {
        response = impl_->OneJob(*key, &audit);
      }
    } else if (IsOpenPath(path)) {
      client = "webhook";  // authenticated by the job's secret, not by admin credentials
      const std::optional<std::string> secret =
          PercentDecode(std::string_view{path}.substr(kCallbackPrefix.size()), false);
      if (request.method != "POST") {
        response = endpoint::MethodNotAllowed("POST");
      } else {
        response = impl_->Callback(request, secret.value_or(""), &audit);
      }
    } else {
      response = AdminProblem(NotFound("no such admin path"));
    }
  } catch (const std::exception& e) {
    log::Error(
        "admin_request_failed",
        {{"trace_id", request.trace_id}, {"path", LoggedPath(request.path)}, {"error", e.what()}});
    response = AdminProblem(Internal("unexpected failure"));
  }
  impl_->Audit(request, client, LoggedPath(request.path), response.status, audit, "");
  return response;
}

HttpResponse AdminApi::Impl::LinkOrUnlink(const HttpRequest& request, bool link, AuditInfo* audit) {
  audit->action = link ? "link" : "unlink";
  StatusOr<LinkBody> body = ParseLinkBody(request, link);
  if (!body.ok()) return AdminProblem(body.status());
  const LinkOp& op = body->op;
  audit->type = op.type;
  audit->rio_code = op.rio_code;
  audit->sis_id = op.id;
  StatusOr<const LinkIndex*> newest = NewestSnapshot();
  if (!newest.ok()) {
    log::Error("admin_snapshot_failed", {{"error", newest.status().ToString()}});
    return AdminProblem(newest.status());
  }
  const LinkCheck check = CheckLinkOp(op, *newest, body->options);
  if (!check.status.ok()) {
    return AdminProblem(InvalidArgument(AdminWording(check.status.message())));
  }

  LedgerJob job = NewJob(op.action, op.type, op.rio_code, op.id, JobSource::kAdmin, request.client);
  job.key_lost = check.key_lost;
  int64_t id = 0;
  bool created = false;
  bool requeued = false;
  Status enqueued = ledger->WithEnqueueLock([&]() -> Status {
    OOAPI_ASSIGN_OR_RETURN(LedgerJob existing, ledger->Enqueue(job, &created));
    id = existing.id;
    if (created) return Status::Ok();
    if (existing.action != job.action || existing.sis_id != job.sis_id) {
      return {StatusCode::kAlreadyExists,
              "job " + std::to_string(existing.id) + " (" +
                  std::string(SurfActionName(existing.action)) + " " + existing.rio_code + ", " +
                  std::string(JobStateName(existing.state)) +
                  ") is still active for this item; wait for it or settle it first"};
    }
    if (existing.state == JobState::kInDoubt) {
      if (!body->resubmit_in_doubt) {
        return {StatusCode::kAlreadyExists, AdminWording(DescribeJob(existing))};
      }
      requeued = true;
      return ledger->Requeue(existing.id, "resubmit_in_doubt by admin client " + request.client);
    }
    return Status::Ok();  // the same job is under way: resume it
  });
  audit->job = id;
  if (!enqueued.ok()) {
    if (endpoint::HttpStatusFor(enqueued.code()) >= 500) {
      log::Error("admin_enqueue_failed", {{"trace_id", request.trace_id},
                                          {"job", std::to_string(id)},
                                          {"error", enqueued.ToString()}});
    }
    return AdminProblem(enqueued);
  }
  if ((created || requeued) && options.on_enqueued) options.on_enqueued();
  StatusOr<LedgerJob> stored = ledger->Get(id);
  if (!stored.ok()) return AdminProblem(stored.status());
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  WriteJob(w, *stored);
  w.Key("created");
  w.Bool(created);
  w.Key("notes");
  w.StartArray();
  for (const std::string& note : check.notes) w.String(Printable(AdminWording(note)));
  w.EndArray();
  w.EndObject();
  HttpResponse r = Json(202, buffer);
  r.headers.emplace_back("Location", "/admin/jobs/" + std::to_string(id));
  return r;
}

HttpResponse AdminApi::Impl::Jobs(const HttpRequest& request) const {
  std::optional<JobState> state;
  int64_t limit = 100;
  for (const auto& [raw_name, raw_value] : request.query) {
    const std::string name = PercentDecode(raw_name, true).value_or("");
    const std::optional<std::string> value = PercentDecode(raw_value, true);
    if (name == "status") {
      state = value ? ParseJobState(*value) : std::nullopt;
      if (!state) {
        return AdminProblem(InvalidArgument("status: must be one of " + JobStateNames()));
      }
    } else if (name == "limit") {
      const std::optional<int64_t> n = value ? ParseInt64(*value) : std::nullopt;
      if (!n || *n < 1 || *n > 10000) {
        return AdminProblem(InvalidArgument("limit: must be a number from 1 to 10000"));
      }
      limit = *n;
    }
  }
  StatusOr<std::vector<LedgerJob>> jobs = ledger->List(state, static_cast<int>(limit));
  if (!jobs.ok()) return AdminProblem(jobs.status());
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  w.Key("items");
  w.StartArray();
  for (const LedgerJob& j : *jobs) {
    w.StartObject();
    WriteJob(w, j);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Json(200, buffer);
}

HttpResponse AdminApi::Impl::OneJob(const std::string& key, AuditInfo* audit) const {
  StatusOr<LedgerJob> job =
      IsUuid(key) ? ledger->GetByToken(ToLowerAscii(key))
      : ParseInt64(key) && *ParseInt64(key) > 0
          ? ledger->Get(*ParseInt64(key))
          : StatusOr<LedgerJob>(
                InvalidArgument("job: '" + Printable(key) + "' is neither a job id nor a token"));
  if (!job.ok()) return AdminProblem(job.status());
  audit->job = job->id;
  StatusOr<std::vector<LedgerEvent>> events = ledger->Events(job->id);
  if (!events.ok()) return AdminProblem(events.status());
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  WriteJob(w, *job, &*events);
  w.EndObject();
  return Json(200, buffer);
}

HttpResponse AdminApi::Impl::Callback(const HttpRequest& request, const std::string& secret,
                                      AuditInfo* audit) const {
  // Unknown and malformed secrets alike: 404 and nothing more.
  HttpResponse not_found = AdminProblem(NotFound("not found"));
  if (secret.empty()) return not_found;
  StatusOr<LedgerJob> job = ledger->GetByCallbackSecret(secret);
  if (!job.ok()) {
    return job.status().code() == StatusCode::kNotFound ? not_found : AdminProblem(job.status());
  }
  audit->job = job->id;
  audit->action = "webhook";
  StatusOr<SurfStatus> status = ParseSurfStatus(request.body);
  if (!status.ok()) return AdminProblem(InvalidArgument("body: " + status.status().message()));
  // Only the status of the submission the ledger knows counts: a webhook that arrives before
  // the token was recorded, or one of an earlier submission of a requeued job, is acknowledged
  // and left to polling, which is the source of truth anyway.
  const bool ours = !job->token.empty() && ToLowerAscii(status->token) == ToLowerAscii(job->token);
  if (ours) {
    Status recorded = ledger->RecordStatus(job->id, *status, "webhook");
    if (!recorded.ok()) return AdminProblem(recorded);
  }
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  w.Key("recorded");
  w.Bool(ours);
  w.EndObject();
  return Json(200, buffer);
}

// ---------------------------------------------------------------------------------------------
// AdminRunner

AdminRunner::AdminRunner(db::ConnectionPtr connection, SurfOptions surf, RunnerOptions options,
                         std::chrono::milliseconds idle_check, http_client::Transport* transport)
    : connection_(std::move(connection)),
      surf_(std::move(surf)),
      options_(std::move(options)),
      idle_check_(idle_check),
      transport_(transport) {}

AdminRunner::~AdminRunner() { Stop(); }

Status AdminRunner::Start() {
  Ledger ledger(*connection_, options_.clock);
  OOAPI_RETURN_IF_ERROR(ledger.EnsureSchema());
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void AdminRunner::Wake() {
  wake_flag_.store(true);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void AdminRunner::Stop() {
  stop_flag_.store(true);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool AdminRunner::Sleep(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, d, [this] { return stopping_ || woken_; });
  woken_ = false;
  return stopping_;
}

void AdminRunner::Loop() {
  Ledger ledger(*connection_, options_.clock);
  SurfClient client(surf_, transport_);
  RunnerOptions options = options_;
  options.max_submit_attempts = 0;  // a server keeps trying, with the runner's back-off
  options.deadline = std::chrono::milliseconds(0);
  // A wake-up interrupts a round so that the next one includes the new job.
  options.stop = [this] { return stop_flag_.load() || wake_flag_.load(); };
  JobRunner runner(ledger, client, options);
  const std::chrono::milliseconds kBackoffMax(60000);
  std::chrono::milliseconds backoff(1000);
  log::Info("admin_runner_started");
  while (!stop_flag_.load()) {
    wake_flag_.store(false);  // before listing: a later enqueue wakes the next round
    std::string failure;
    try {
      std::vector<int64_t> ids;
      for (JobState state : {JobState::kIntent, JobState::kSubmitting, JobState::kSubmitted}) {
        StatusOr<std::vector<LedgerJob>> jobs = ledger.List(state, 100000);
        if (!jobs.ok()) {
          failure = jobs.status().ToString();
          break;
        }
        for (const LedgerJob& j : *jobs) {
          if (j.source == JobSource::kAdmin) ids.push_back(j.id);
        }
      }
      if (failure.empty() && ids.empty()) {
        if (Sleep(idle_check_)) break;
        continue;
      }
      if (failure.empty()) {
        ++rounds_;
        StatusOr<RunSummary> summary = runner.Run(ids);
        if (!summary.ok()) {
          failure = summary.status().ToString();
        } else if (summary->aborted && summary->abort_reason != "stopped") {
          failure = summary->abort_reason;  // e.g. credentials refused: the jobs are rejected
        } else {
          backoff = std::chrono::milliseconds(1000);
          continue;
        }
      }
    } catch (const std::exception& e) {
      failure = std::string("unexpected: ") + e.what();
    }
    log::Warn("admin_runner_failed",
              {{"error", failure}, {"retry_in_ms", static_cast<int64_t>(backoff.count())}});
    if (Sleep(backoff)) break;
    backoff = std::min(kBackoffMax, backoff * 2);
  }
  log::Info("admin_runner_stopped");
}

}  // namespace ooapi::sync
