#include "link_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "ooapi/common/json.h"
#include "ooapi/common/log.h"
#include "ooapi/common/strings.h"
#include "ooapi/config/config.h"
#include "ooapi/sync/link/admin.h"
#include "ooapi/sync/link/apply.h"
#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/link/rules.h"
#include "ooapi/sync/link/runner.h"
#include "ooapi/sync/link/verify.h"
#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/rio/store.h"

namespace ooapi::app {
namespace {

using sync::JobState;
using sync::LedgerJob;
using sync::SurfAction;

// The JSON log lines (job submitted, retries) go to stderr only with --verbose; the commands
// print their own summary.
void SetLogLevel(const ParsedArgs& a) {
  log::SetLevel(a.Has("verbose") ? log::Level::kInfo : log::Level::kError);
}

std::string Actor() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "uid:" + std::to_string(::getuid());
}

// Snapshot `id` (0: the newest), or nullptr when there is none at all. kNotFound for an unknown
// explicit id.
StatusOr<std::unique_ptr<sync::Snapshot>> LoadSnapshotOrNone(db::Connection& c, int64_t id) {
  OOAPI_RETURN_IF_ERROR(AsRuntime(sync::EnsureSchema(c)));
  StatusOr<sync::Snapshot> s = sync::LoadSnapshot(c, id);
  if (!s.ok()) {
    if (s.status().code() == StatusCode::kNotFound && id == 0) {
      return std::unique_ptr<sync::Snapshot>();
    }
    return s.status();
  }
  return std::make_unique<sync::Snapshot>(std::move(s).value());
}

struct Context {
  db::ConnectionPtr connection;
  std::unique_ptr<sync::Ledger> ledger;
  config::Config config;
};

// The configuration (always when `need_config`, else only when --config is given; its errors give
// exit 2), then the sync database (--db, else the configuration's admin.db) and its ledger.
StatusOr<Context> OpenContext(const ParsedArgs& a, const DatabaseOpener& open, bool need_config) {
  Context ctx;
  const bool have_config = need_config || a.Has("config");
  if (have_config) {
    OOAPI_ASSIGN_OR_RETURN(ctx.config,
                           config::LoadConfigFile(a.GetOr("config", std::string(kDefaultConfig)),
                                                  config::ProcessEnvironment()));
  }
  const std::string db =
      a.GetOr("db", have_config ? ctx.config.admin.db : std::string(kDefaultSyncDb));
  OOAPI_ASSIGN_OR_RETURN(ctx.connection, OpenDatabase(open, db));
  ctx.ledger = std::make_unique<sync::Ledger>(*ctx.connection);
  OOAPI_RETURN_IF_ERROR(AsRuntime(ctx.ledger->EnsureSchema()));
  return ctx;
}

// A progress line on a terminal: settled of total, in flight, failures.
std::function<void(const std::vector<LedgerJob>&)> ProgressPrinter(const std::string& label) {
  if (::isatty(STDERR_FILENO) == 0) return nullptr;
  return [label](const std::vector<LedgerJob>& jobs) {
    int done = 0;
    int failed = 0;
    int flight = 0;
    for (const LedgerJob& j : jobs) {
      if (j.state == JobState::kDone) {
        ++done;
      } else if (j.state == JobState::kSubmitted || j.state == JobState::kSubmitting) {
        ++flight;
      } else if (j.state != JobState::kIntent) {
        ++failed;
      }
    }
    const size_t total = jobs.size();
    const int width = 30;
    const int filled =
        total == 0 ? width : static_cast<int>(static_cast<size_t>(done + failed) * width / total);
    std::fprintf(stderr, "\r%s [%s%s] %d/%zu done, %d in flight, %d not done ", label.c_str(),
                 std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(width - filled), '.').c_str(), done, total, flight,
                 failed);
    std::fflush(stderr);
  };
}

std::string JobJson(const LedgerJob& j, const std::vector<sync::LedgerEvent>* events) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  sync::WriteJobMembers(w, j, sync::DescribeJob(j), events);
  w.EndObject();
  return buffer.GetString();
}

// ---------------------------------------------------------------------------------------------
// link / unlink / push: one job

// Writes `job` to the ledger, or finds the item's active job for the same operation (resumed,
// or requeued when in doubt and `resubmit_in_doubt`). Returns the id to run.
StatusOr<int64_t> EnqueueOne(sync::Ledger& ledger, const LedgerJob& job, bool resubmit_in_doubt) {
  // A job left `submitting` by a killed process is in doubt before anything else is decided.
  OOAPI_RETURN_IF_ERROR(ledger.RecoverOrphans().status());
  int64_t id = 0;
  OOAPI_RETURN_IF_ERROR(ledger.WithEnqueueLock([&]() -> Status {
    bool created = false;
    OOAPI_ASSIGN_OR_RETURN(LedgerJob existing, ledger.Enqueue(job, &created));
    id = existing.id;
    if (created) return Status::Ok();
    if (existing.action != job.action || existing.sis_id != job.sis_id) {
      return FailedPrecondition("job " + std::to_string(existing.id) + " (" +
                                std::string(sync::SurfActionName(existing.action)) + " " +
                                existing.rio_code + ", " +
                                std::string(sync::JobStateName(existing.state)) +
                                ") is still active for this item; wait for it or settle it first");
    }
    if (existing.state == JobState::kInDoubt) {
      if (!resubmit_in_doubt) return FailedPrecondition(sync::DescribeJob(existing));
      return ledger.Requeue(existing.id, "--resubmit-in-doubt by " + Actor());
    }
    std::cerr << "note: resuming job " << existing.id << " (" << existing.state << ")\n";
    return Status::Ok();
  }));
  return id;
}

// Writes `job` to the ledger (or finds the item's active job), sends it and follows it until it
// settles (or, with --no-wait, until it is sent).
int RunOne(std::string_view cmd, const ParsedArgs& a, Context& ctx, const LedgerJob& job,
           sync::SurfOptions surf) {
  sync::Ledger& ledger = *ctx.ledger;
  StatusOr<int64_t> id = EnqueueOne(ledger, job, a.Has("resubmit-in-doubt"));
  if (!id.ok()) return Fail(cmd, AsRuntime(id.status()));
  sync::SurfClient client(std::move(surf));
  sync::RunnerOptions runner_options = sync::RunnerOptionsFromConfig(ctx.config.surfeduhub);
  // --no-wait: send it and return; `job ID --refresh`, a later run or a webhook follows it.
  runner_options.submit_only = a.Has("no-wait");
  runner_options.max_submit_attempts = 5;
  sync::JobRunner runner(ledger, client, runner_options);
  StatusOr<sync::RunSummary> summary = runner.Run({*id});
  if (!summary.ok()) return Fail(cmd, AsRuntime(summary.status()));
  StatusOr<LedgerJob> result = ledger.Get(*id);
  if (!result.ok()) return Fail(cmd, AsRuntime(result.status()));
  std::cout << "job " << *id << ": " << sync::DescribeJob(*result) << "\n";
  if (summary->aborted && result->state == JobState::kIntent) {
    std::cerr << "ooapi-endpoint " << cmd << ": " << summary->abort_reason
              << "\n(the job stays in the ledger as an intent; run the same command again)\n";
    return kExitFailure;
  }
  if (a.Has("no-wait") && result->Active()) return kExitOk;
  return result->state == JobState::kDone ? kExitOk : kExitFailure;
}

int LinkOrUnlink(const CommandSpec& spec, const ParsedArgs& a, const DatabaseOpener& open) {
  SetLogLevel(a);
  const std::string_view cmd = spec.name;
  const bool link = &spec == &kLinkCommand;
  sync::LinkOp op;
  op.action = link ? SurfAction::kLink : SurfAction::kUnlink;
  op.type = *a.Get("TYPE");
  op.rio_code = *a.Get("RIOCODE");
  if (link) op.id = *a.Get("ID");
  StatusOr<int64_t> snapshot_id = a.Int("snapshot", 0, 1);
  if (!snapshot_id.ok()) return Fail(cmd, snapshot_id.status());
  StatusOr<Context> ctx = OpenContext(a, open, true);
  if (!ctx.ok()) return Fail(cmd, ctx.status());
  StatusOr<sync::SurfOptions> surf = sync::SurfOptionsFromConfig(ctx->config.surfeduhub);
  if (!surf.ok()) return Fail(cmd, surf.status());
  StatusOr<std::unique_ptr<sync::Snapshot>> snapshot =
      LoadSnapshotOrNone(*ctx->connection, *snapshot_id);
  if (!snapshot.ok()) return Fail(cmd, snapshot.status());

  sync::LinkCheckOptions options;
  options.force = a.Has("force");
  options.include_edudex = a.Has("include-edudex");
  const sync::LinkCheck check = sync::CheckLinkOp(op, snapshot->get(), options);
  if (!check.status.ok()) return Fail(cmd, check.status);
  for (const std::string& note : check.notes) std::cerr << "note: " << note << "\n";

  LedgerJob job =
      sync::NewJob(op.action, op.type, op.rio_code, op.id, sync::JobSource::kCli, Actor());
  job.key_lost = check.key_lost;
  return RunOne(cmd, a, *ctx, job, std::move(surf).value());
}

// The action, type and id of `push`, checked before anything is opened.
StatusOr<SurfAction> PushAction(const ParsedArgs& a) {
  const std::string action_name = *a.Get("ACTION");
  const std::string type = *a.Get("TYPE");
  const std::string id = *a.Get("ID");
  SurfAction action = SurfAction::kUpsert;
  if (!sync::ParseSurfAction(action_name, &action) || action == SurfAction::kLink ||
      action == SurfAction::kUnlink) {
    return InvalidArgument("action: '" + action_name +
                           "' is not one of upsert, delete, dry-run-upsert");
  }
  if (!sync::IsSurfType(type)) {
    return InvalidArgument("type: '" + type +
                           "' is not one of education-specifications, programs, courses");
  }
  if (!IsLowercaseUuid(id)) return InvalidArgument("id: '" + id + "' must be a lowercase UUID");
  return action;
}

// push upsert|delete|dry-run-upsert TYPE ID: the mapper's other jobs, through the same ledger.
int Push(const ParsedArgs& a, const DatabaseOpener& open) {
  SetLogLevel(a);
  const std::string_view cmd = kPushCommand.name;
  StatusOr<SurfAction> action = PushAction(a);
  if (!action.ok()) return Fail(cmd, action.status());
  StatusOr<Context> ctx = OpenContext(a, open, true);
  if (!ctx.ok()) return Fail(cmd, ctx.status());
  StatusOr<sync::SurfOptions> surf = sync::SurfOptionsFromConfig(ctx->config.surfeduhub);
  if (!surf.ok()) return Fail(cmd, surf.status());
  if (*action == SurfAction::kUpsert) {
    std::cerr << "note: an upsert replaces ALL cohorts of an offered programme in RIO with the "
                 "offerings the endpoint serves; `sync plan` lists the ones it would delete\n";
  }
  // The item of an upsert/delete is our own id.
  const std::string type = *a.Get("TYPE");
  const std::string id = *a.Get("ID");
  const LedgerJob job = sync::NewJob(*action, type, id, id, sync::JobSource::kCli, Actor());
  return RunOne(cmd, a, *ctx, job, std::move(surf).value());
}

// ---------------------------------------------------------------------------------------------
// jobs / job

StatusOr<std::optional<JobState>> StateFilter(const ParsedArgs& a) {
  const std::optional<std::string> name = a.Get("status");
  if (!name) return std::optional<JobState>();
  std::optional<JobState> state = sync::ParseJobState(*name);
  if (!state) {
    return InvalidArgument(
        "option '--status' must be one of intent, submitting, submitted, done, error, time-out, "
        "in-doubt, rejected, got '" +
        *name + "'");
  }
  return state;
}

void PrintJobs(const std::vector<LedgerJob>& jobs, const std::string& format) {
  if (format == "json") {
    std::cout << "[";
    for (size_t i = 0; i < jobs.size(); ++i) {
      std::cout << (i > 0 ? ",\n " : "") << JobJson(jobs[i], nullptr);
    }
    std::cout << "]\n";
    return;
  }
  for (const LedgerJob& j : jobs) {
    std::printf("%6lld  %-10s %-7s %-24s %s\n", static_cast<long long>(j.id),
                std::string(sync::JobStateName(j.state)).c_str(),
                std::string(sync::SurfActionName(j.action)).c_str(), j.created_at.c_str(),
                sync::DescribeJob(j).c_str());
  }
  if (jobs.empty()) std::cout << "no jobs\n";
}

int Jobs(const ParsedArgs& a, const DatabaseOpener& open) {
  SetLogLevel(a);
  const std::string_view cmd = kJobsCommand.name;
  StatusOr<std::string> format = a.OneOf("format", {"text", "json"}, "text");
  if (!format.ok()) return Fail(cmd, format.status());
  StatusOr<std::optional<JobState>> state = StateFilter(a);
  if (!state.ok()) return Fail(cmd, state.status());
  StatusOr<int64_t> limit = a.Int("limit", 1000, 1, std::numeric_limits<int>::max());
  if (!limit.ok()) return Fail(cmd, limit.status());
  StatusOr<Context> ctx = OpenContext(a, open, false);
  if (!ctx.ok()) return Fail(cmd, ctx.status());
  StatusOr<std::vector<LedgerJob>> jobs = ctx->ledger->List(*state, static_cast<int>(*limit));
  if (!jobs.ok()) return Fail(cmd, AsRuntime(jobs.status()));
  PrintJobs(*jobs, *format);
  return kExitOk;
}

// The job named by a token (a UUID) or an id; kNotFound when the ledger has no such job.
StatusOr<LedgerJob> FindJob(sync::Ledger& ledger, const std::string& key) {
  if (IsUuid(key)) return ledger.GetByToken(ToLowerAscii(key));
  if (std::optional<int64_t> id = ParseInt64(key)) return ledger.Get(*id);
  return InvalidArgument("argument TOKEN|ID: '" + key + "' is neither a token nor a job id");
}

// Asks SURFeduhub for the status of a submitted job and records it. A failure here is SURFeduhub's
// or the network's (an expired token included), not the user's.
Status RefreshJob(Context& ctx, const LedgerJob& job) {
  OOAPI_ASSIGN_OR_RETURN(sync::SurfOptions surf,
                         sync::SurfOptionsFromConfig(ctx.config.surfeduhub));
  sync::SurfClient client(std::move(surf));
  StatusOr<sync::SurfStatus> status = client.GetStatus(job.token);
  if (!status.ok()) return AsRuntime(status.status());
  return AsRuntime(ctx.ledger->RecordStatus(job.id, *status, "job --refresh"));
}

int OneJob(const ParsedArgs& a, const DatabaseOpener& open) {
  SetLogLevel(a);
  const std::string_view cmd = kJobCommand.name;
  const bool refresh = a.Has("refresh");
  StatusOr<Context> ctx = OpenContext(a, open, refresh);
  if (!ctx.ok()) return Fail(cmd, ctx.status());
  StatusOr<LedgerJob> job = FindJob(*ctx->ledger, *a.Get("TOKEN|ID"));
  if (!job.ok()) return Fail(cmd, job.status());
  if (refresh && job->state == JobState::kSubmitted) {
    if (Status s = RefreshJob(*ctx, *job); !s.ok()) return Fail(cmd, s);
    job = ctx->ledger->Get(job->id);
    if (!job.ok()) return Fail(cmd, AsRuntime(job.status()));
  }
  StatusOr<std::vector<sync::LedgerEvent>> events = ctx->ledger->Events(job->id);
  if (!events.ok()) return Fail(cmd, AsRuntime(events.status()));
  std::cout << JobJson(*job, &*events) << "\n";
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// sync apply

StatusOr<sync::Plan> ReadPlanFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return InvalidArgument(path + ": cannot read file");
  std::stringstream text;
  text << file.rdbuf();
  StatusOr<sync::Plan> plan = sync::ParsePlan(text.str());
  if (!plan.ok()) return InvalidArgument(path + ": " + plan.status().message());
  return plan;
}

// What apply needs before it looks at the plan's entries: the ledger, the SURFeduhub client
// settings (not with --dry-run), the runner's and the newest snapshot.
struct ApplySetup {
  Context ctx;
  std::optional<sync::SurfOptions> surf;
  sync::RunnerOptions runner;
  std::unique_ptr<sync::Snapshot> snapshot;
};

StatusOr<ApplySetup> PrepareApply(const ParsedArgs& a, const DatabaseOpener& open,
                                  int64_t max_in_flight) {
  ApplySetup setup;
  OOAPI_ASSIGN_OR_RETURN(setup.ctx, OpenContext(a, open, true));
  StatusOr<sync::SurfOptions> surf = sync::SurfOptionsFromConfig(setup.ctx.config.surfeduhub);
  if (surf.ok()) {
    setup.surf = std::move(surf).value();
  } else if (!a.Has("dry-run")) {
    return surf.status();
  }
  setup.runner = sync::RunnerOptionsFromConfig(setup.ctx.config.surfeduhub);
  if (max_in_flight > 0) setup.runner.max_in_flight = static_cast<int>(max_in_flight);
  OOAPI_ASSIGN_OR_RETURN(setup.snapshot, LoadSnapshotOrNone(*setup.ctx.connection, 0));
  if (!setup.snapshot) {
    return InvalidArgument("no rio import snapshot in the database: run rio import first");
  }
  return setup;
}

// Phases 1 and 2: the accepted entries in order, each checked locally before anything is sent;
// prints the notes, skipped and refused entries and the plan's summary line.
sync::CheckedLinks CheckPlan(const std::string& plan_path, const sync::Plan& plan,
                             const sync::Snapshot& snapshot, bool force) {
  if (snapshot.id != plan.snapshot_id) {
    // The snapshot the plan was made from knows the keys and the variants; the newest one is the
    // better judge of what RIO holds now.
    std::cerr << "note: the plan was made from snapshot " << plan.snapshot_id
              << "; checking against the newest, " << snapshot.id << "\n";
  }
  const sync::AcceptedLinks accepted = sync::OrderAcceptedLinks(plan, snapshot);
  const sync::LinkIndex index(snapshot);  // one pass; each entry is then one lookup
  sync::CheckedLinks checked = sync::CheckPlannedLinks(accepted.links, index, force);
  for (const std::string& n : checked.notes) std::cerr << "note: " << n << "\n";
  for (const std::string& s : accepted.skipped) std::cerr << "skipped: " << s << "\n";
  for (const std::string& r : checked.refused) std::cerr << "refused: " << r << "\n";
  std::cout << "plan " << plan_path << ": " << accepted.links.size() << " accepted link(s), "
            << checked.valid.size() << " valid, " << checked.refused.size() << " refused, "
            << accepted.skipped.size() << " skipped"
            << std::endl;  // flushed: a killed run's output still says what it planned
  return checked;
}

struct Enqueued {
  std::vector<int64_t> ids;       // the jobs to run
  int already = 0;                // links the ledger has done
  std::vector<std::string> held;  // not sent now, with the reason
  int busy = 0;                   // of which: another job on the item is still active
};

// Phase 3: resume what is under way, skip what is done, add the rest as intents, all in one
// enqueue transaction.
StatusOr<Enqueued> EnqueueLinks(sync::Ledger& ledger, const std::vector<sync::PlannedLink>& links,
                                const sync::ApplyFlags& flags) {
  OOAPI_RETURN_IF_ERROR(ledger.RecoverOrphans().status());
  const std::string actor = Actor();
  Enqueued out;
  OOAPI_RETURN_IF_ERROR(ledger.WithEnqueueLock([&]() -> Status {
    for (const sync::PlannedLink& link : links) {
      OOAPI_ASSIGN_OR_RETURN(std::optional<LedgerJob> latest,
                             ledger.Latest(link.op.type, link.op.rio_code));
      const sync::LedgerDecision decision = sync::DecideLedgerStep(link, latest, flags);
      switch (decision.step) {
        case sync::LedgerStep::kAlreadyDone:
          ++out.already;
          break;
        case sync::LedgerStep::kHeld:
          out.held.push_back(decision.why);
          out.busy += decision.busy ? 1 : 0;
          break;
        case sync::LedgerStep::kRequeue:
          OOAPI_RETURN_IF_ERROR(ledger.Requeue(latest->id, "--resubmit-in-doubt by " + actor));
          out.ids.push_back(latest->id);
          break;
        case sync::LedgerStep::kResume:
          out.ids.push_back(latest->id);
          break;
        case sync::LedgerStep::kEnqueue: {
          bool created = false;
          OOAPI_ASSIGN_OR_RETURN(LedgerJob added,
                                 ledger.Enqueue(sync::NewApplyJob(link, actor), &created));
          out.ids.push_back(added.id);
          break;
        }
      }
    }
    return Status::Ok();
  }));
  return out;
}

// Phase 4: runs the jobs and reports. Exit 0 only when every job ended done and nothing was
// held or refused.
int RunApplyJobs(ApplySetup& setup, const Enqueued& enqueued, bool refused_any) {
  const std::string_view cmd = kSyncApplyCommand.name;
  sync::Ledger& ledger = *setup.ctx.ledger;
  sync::SurfClient client(std::move(setup.surf).value());
  setup.runner.on_progress = ProgressPrinter("apply");
  setup.runner.max_submit_attempts = 8;
  sync::JobRunner runner(ledger, client, setup.runner);
  StatusOr<sync::RunSummary> summary = runner.Run(enqueued.ids);
  if (setup.runner.on_progress) std::fputc('\n', stderr);
  if (!summary.ok()) return Fail(cmd, AsRuntime(summary.status()));
  StatusOr<std::vector<LedgerJob>> jobs = ledger.GetMany(enqueued.ids);
  if (!jobs.ok()) return Fail(cmd, AsRuntime(jobs.status()));
  for (const LedgerJob& j : *jobs) {
    if (j.state != JobState::kDone) {
      std::cerr << "not done: job " << j.id << ": " << sync::DescribeJob(j) << "\n";
    }
  }
  std::cout << "applied: " << summary->done << " done, " << summary->error << " error, "
            << summary->time_out << " time-out, " << summary->rejected << " rejected, "
            << summary->in_doubt << " in doubt, " << summary->waiting << " waiting\n";
  if (summary->aborted) {
    std::cerr << "ooapi-endpoint " << cmd << ": stopped: " << summary->abort_reason
              << "\n(nothing is lost: run the same command again to continue)\n";
    return kExitFailure;
  }
  const bool all_done = summary->done == static_cast<int>(enqueued.ids.size()) &&
                        enqueued.held.empty() && !refused_any && enqueued.busy == 0;
  return all_done ? kExitOk : kExitFailure;
}

// ---------------------------------------------------------------------------------------------
// sync verify

struct VerifyInputs {
  std::unique_ptr<sync::Snapshot> after, before;
  std::vector<LedgerJob> jobs;
};

// The import to check (`after_id`, 0 the newest), the one to compare it with (`before_id`, 0 the
// newest older one of the same bestuur) and every job of the ledger, newest first.
StatusOr<VerifyInputs> LoadVerifyInputs(Context& ctx, int64_t after_id, int64_t before_id) {
  VerifyInputs in;
  OOAPI_ASSIGN_OR_RETURN(in.after, LoadSnapshotOrNone(*ctx.connection, after_id));
  if (!in.after) return InvalidArgument("no rio import snapshot: run rio import first");
  if (before_id == 0) {
    StatusOr<std::vector<sync::SnapshotInfo>> list = sync::ListSnapshots(*ctx.connection);
    if (!list.ok()) return AsRuntime(list.status());
    before_id = sync::PreviousSnapshotId(*list, *in.after);
  }
  if (before_id > 0) {
    OOAPI_ASSIGN_OR_RETURN(in.before, LoadSnapshotOrNone(*ctx.connection, before_id));
  }
  StatusOr<std::vector<LedgerJob>> jobs = ctx.ledger->List(std::nullopt, 1000000);
  if (!jobs.ok()) return AsRuntime(jobs.status());
  in.jobs = std::move(jobs).value();
  return in;
}

void PrintVerifyJson(const sync::VerifyReport& report) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  w.Key("snapshot");
  w.Int64(report.snapshot);
  w.Key("before");
  w.Int64(report.before);
  w.Key("links_present");
  w.Int(report.links_present);
  w.Key("differences");
  w.StartArray();
  for (const sync::VerifyFinding& f : report.differences) {
    w.StartObject();
    w.Key("item");
    w.String(f.item);
    w.Key("problem");
    w.String(f.problem);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::cout << buffer.GetString() << "\n";
}

void PrintVerifyText(const sync::VerifyReport& report) {
  std::cout << "verify: snapshot " << report.snapshot << " against the ledger"
            << (report.before > 0 ? " and snapshot " + std::to_string(report.before) : "") << ": "
            << report.links_present << " applied link(s) present, " << report.differences.size()
            << " difference(s)\n";
  for (const sync::VerifyFinding& f : report.differences) {
    std::cout << "  " << f.item << ": " << f.problem << "\n";
  }
}

int Dispatch(const std::string& command, const std::vector<std::string>& args,
             const DatabaseOpener& open) {
  const std::vector<Route> routes = {
      CommandRoute(kLinkCommand,
                   [&](const ParsedArgs& a) { return LinkOrUnlink(kLinkCommand, a, open); }),
      CommandRoute(kUnlinkCommand,
                   [&](const ParsedArgs& a) { return LinkOrUnlink(kUnlinkCommand, a, open); }),
      CommandRoute(kPushCommand, [&](const ParsedArgs& a) { return Push(a, open); }),
      CommandRoute(kJobsCommand, [&](const ParsedArgs& a) { return Jobs(a, open); }),
      CommandRoute(kJobCommand, [&](const ParsedArgs& a) { return OneJob(a, open); }),
  };
  for (const Route& route : routes) {
    if (route.name == command) return route.run(args);
  }
  std::cerr << "ooapi-endpoint: unknown command '" << command << "'\n";
  return kExitUsage;
}

}  // namespace

int RunLinkCommand(const std::string& command, const std::vector<std::string>& args,
                   const DatabaseOpener& open_database) {
  return Dispatch(command, args, open_database);
}

int SyncApply(const ParsedArgs& a, const DatabaseOpener& open) {
  SetLogLevel(a);
  const std::string_view cmd = kSyncApplyCommand.name;
  const std::string plan_path = *a.Get("PLAN");
  StatusOr<int64_t> max_in_flight = a.Int("max-in-flight", 0, 1, 64);
  if (!max_in_flight.ok()) return Fail(cmd, max_in_flight.status());
  StatusOr<sync::Plan> plan = ReadPlanFile(plan_path);
  if (!plan.ok()) return Fail(cmd, plan.status());
  StatusOr<ApplySetup> setup = PrepareApply(a, open, *max_in_flight);
  if (!setup.ok()) return Fail(cmd, setup.status());

  // 1. The accepted entries, in order, and 2. their local validation.
  const sync::CheckedLinks checked = CheckPlan(plan_path, *plan, *setup->snapshot, a.Has("force"));
  if (a.Has("dry-run")) return checked.refused.empty() ? kExitOk : kExitUsage;

  // 3. The ledger.
  const sync::ApplyFlags flags{.resubmit_in_doubt = a.Has("resubmit-in-doubt"),
                               .retry_failed = a.Has("retry-failed")};
  StatusOr<Enqueued> enqueued = EnqueueLinks(*setup->ctx.ledger, checked.valid, flags);
  if (!enqueued.ok()) return Fail(cmd, AsRuntime(enqueued.status()));
  for (const std::string& h : enqueued->held) std::cerr << "held: " << h << "\n";
  std::cout << "ledger: " << enqueued->already << " already done, " << enqueued->ids.size()
            << " to run, " << enqueued->held.size() << " held" << std::endl;

  // 4. Run.
  return RunApplyJobs(*setup, *enqueued, !checked.refused.empty());
}

int SyncVerify(const ParsedArgs& a, const DatabaseOpener& open) {
  SetLogLevel(a);
  const std::string_view cmd = kSyncVerifyCommand.name;
  StatusOr<std::string> format = a.OneOf("format", {"text", "json"}, "text");
  if (!format.ok()) return Fail(cmd, format.status());
  StatusOr<int64_t> after_id = a.Int("snapshot", 0, 1);
  if (!after_id.ok()) return Fail(cmd, after_id.status());
  StatusOr<int64_t> before_id = a.Int("before", 0, 1);
  if (!before_id.ok()) return Fail(cmd, before_id.status());
  StatusOr<Context> ctx = OpenContext(a, open, false);
  if (!ctx.ok()) return Fail(cmd, ctx.status());
  StatusOr<VerifyInputs> in = LoadVerifyInputs(*ctx, *after_id, *before_id);
  if (!in.ok()) return Fail(cmd, in.status());
  const sync::VerifyReport report = sync::VerifyLinks(*in->after, in->before.get(), in->jobs);
  if (*format == "json") {
    PrintVerifyJson(report);
  } else {
    PrintVerifyText(report);
  }
  return report.differences.empty() ? kExitOk : kExitFailure;
}

}  // namespace ooapi::app
