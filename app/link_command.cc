#include "link_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "ooapi/common/json.h"
#include "ooapi/common/log.h"
#include "ooapi/common/strings.h"
#include "ooapi/config/config.h"
#include "ooapi/sync/link/admin.h"
#include "ooapi/sync/rio/classify.h"
#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/link/rules.h"
#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/link/runner.h"
#include "ooapi/sync/rio/store.h"

namespace ooapi::sync {
namespace {

constexpr int kOk = 0, kFailed = 1, kUsage = 2;

constexpr std::string_view kUsageText =
    "usage:\n"
    "  ooapi-endpoint link TYPE RIOCODE ID [--force] [--include-edudex] [--no-wait]\n"
    "  ooapi-endpoint unlink TYPE RIOCODE [--no-wait]\n"
    "  ooapi-endpoint push upsert|delete|dry-run-upsert TYPE ID [--no-wait]\n"
    "  ooapi-endpoint jobs [--status STATE] [--format text|json]\n"
    "  ooapi-endpoint job TOKEN|ID [--refresh]\n"
    "  ooapi-endpoint sync apply PLAN [--force] [--max-in-flight N] [--resubmit-in-doubt]\n"
    "                                 [--retry-failed] [--dry-run]\n"
    "  ooapi-endpoint sync verify [--snapshot ID] [--before ID] [--format text|json]\n"
    "common options: --verbose (JSON log lines on stderr), --config FILE (default "
    "config/demo.yaml: the surfeduhub section),\n"
    "                --db PATH|URL (default var/sync.db: the ledger and the rio snapshots)\n"
    "TYPE is education-specifications (RIOCODE an opleidingseenheidcode such as 1234O5678),\n"
    "programs or courses (RIOCODE an aangeboden-opleidingcode, a UUID). ID is our lowercase UUID.\n"
    "Jobs are written to the ledger before they are sent; a killed run is resumed by running the\n"
    "same command again. The client secret comes from $SURFEDUHUB_CLIENT_SECRET (or\n"
    "surfeduhub.client_secret_env / client_secret_file).\n";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  std::set<std::string> flags;
};

StatusOr<Args> Parse(const std::vector<std::string>& in, const std::set<std::string>& with_value,
                     const std::set<std::string>& flags) {
  Args a;
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string& arg = in[i];
    if (!StartsWith(arg, "--")) {
      a.positional.push_back(arg);
      continue;
    }
    const std::string name = arg.substr(2);
    if (flags.count(name) != 0) {
      a.flags.insert(name);
    } else if (with_value.count(name) != 0) {
      if (i + 1 >= in.size()) return InvalidArgument("option " + arg + " needs a value");
      if (a.options.count(name) != 0) return InvalidArgument("option " + arg + " given twice");
      a.options[name] = in[++i];
    } else {
      return InvalidArgument("unknown option " + arg);
    }
  }
  return a;
}

std::string Opt(const Args& a, const std::string& name, const std::string& fallback) {
  auto it = a.options.find(name);
  return it == a.options.end() ? fallback : it->second;
}

int Fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ? kUsage
                                                                                       : kFailed;
}

std::string Actor() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "uid:" + std::to_string(::getuid());
}

// The newest snapshot, or nullptr when there is none (or kNotFound for an explicit id).
StatusOr<std::unique_ptr<Snapshot>> Snapshot(db::Connection& c, int64_t id) {
  OOAPI_RETURN_IF_ERROR(EnsureSchema(c));
  StatusOr<ooapi::sync::Snapshot> s = LoadSnapshot(c, id);
  if (!s.ok()) {
    if (s.status().code() == StatusCode::kNotFound && id == 0) {
      return std::unique_ptr<ooapi::sync::Snapshot>();
    }
    return s.status();
  }
  return std::make_unique<ooapi::sync::Snapshot>(std::move(s).value());
}

struct Context {
  db::ConnectionPtr connection;
  std::unique_ptr<Ledger> ledger;
  config::Config config;
};

StatusOr<Context> OpenContext(const Args& a, const DatabaseOpener& open, bool need_config) {
  Context ctx;
  if (need_config || a.options.count("config") != 0) {
    StatusOr<config::Config> cfg =
        config::LoadConfigFile(Opt(a, "config", "config/demo.yaml"), config::ProcessEnvironment());
    if (!cfg.ok()) return cfg.status();
    ctx.config = std::move(cfg).value();
  }
  const std::string db = Opt(a, "db", need_config ? ctx.config.admin.db : "var/sync.db");
  OOAPI_ASSIGN_OR_RETURN(ctx.connection, open(db));
  ctx.ledger = std::make_unique<Ledger>(*ctx.connection);
  OOAPI_RETURN_IF_ERROR(ctx.ledger->EnsureSchema());
  return ctx;
}

// A progress line on a terminal: settled of total, in flight, failures.
std::function<void(const std::vector<LedgerJob>&)> ProgressPrinter(const std::string& label) {
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  if (!tty) return nullptr;
  return [label](const std::vector<LedgerJob>& jobs) {
    int done = 0, failed = 0, flight = 0;
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
    const int filled = total == 0 ? width : static_cast<int>((done + failed) * width / total);
    std::fprintf(stderr, "\r%s [%s%s] %d/%zu done, %d in flight, %d not done ", label.c_str(),
                 std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(width - filled), '.').c_str(), done, total, flight,
                 failed);
    std::fflush(stderr);
  };
}

std::string JobJson(const LedgerJob& j, const std::vector<LedgerEvent>* events) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  WriteJobMembers(w, j, DescribeJob(j), events);
  w.EndObject();
  return buffer.GetString();
}

// ---------------------------------------------------------------------------------------------
// link / unlink

// Writes `job` to the ledger (or finds the item's active job), sends it and follows it until it
// settles (or, with --no-wait, until it is sent).
int RunOne(const Args& a, Context& ctx, LedgerJob job, SurfOptions surf) {
  Ledger& ledger = *ctx.ledger;
  int64_t id = 0;
  // A job left `submitting` by a killed process is in doubt before anything else is decided.
  if (Status s = ledger.RecoverOrphans().status(); !s.ok()) return Fail(s);
  Status enqueued = ledger.WithEnqueueLock([&]() -> Status {
    bool created = false;
    OOAPI_ASSIGN_OR_RETURN(LedgerJob existing, ledger.Enqueue(job, &created));
    id = existing.id;
    if (created) return Status::Ok();
    if (existing.action != job.action || existing.sis_id != job.sis_id) {
      return FailedPrecondition("job " + std::to_string(existing.id) + " (" +
                                std::string(SurfActionName(existing.action)) + " " +
                                existing.rio_code + ", " +
                                std::string(JobStateName(existing.state)) +
                                ") is still active for this item; wait for it or settle it first");
    }
    if (existing.state == JobState::kInDoubt) {
      if (a.flags.count("resubmit-in-doubt") == 0) {
        return FailedPrecondition(DescribeJob(existing));
      }
      return ledger.Requeue(existing.id, "--resubmit-in-doubt by " + Actor());
    }
    std::cerr << "note: resuming job " << existing.id << " (" << JobStateName(existing.state)
              << ")\n";
    return Status::Ok();
  });
  if (!enqueued.ok()) return Fail(enqueued);
  SurfClient client(std::move(surf));
  RunnerOptions runner_options = RunnerOptionsFromConfig(ctx.config.surfeduhub);
  // --no-wait: send it and return; `job ID --refresh`, a later run or a webhook follows it.
  runner_options.submit_only = a.flags.count("no-wait") != 0;
  runner_options.max_submit_attempts = 5;
  JobRunner runner(ledger, client, runner_options);
  StatusOr<RunSummary> summary = runner.Run({id});
  if (!summary.ok()) return Fail(summary.status());
  StatusOr<LedgerJob> result = ledger.Get(id);
  if (!result.ok()) return Fail(result.status());
  std::cout << "job " << id << ": " << DescribeJob(*result) << "\n";
  if (summary->aborted && result->state == JobState::kIntent) {
    std::cerr << "error: " << summary->abort_reason
              << "\n(the job stays in the ledger as an intent; run the same command again)\n";
    return kFailed;
  }
  if (a.flags.count("no-wait") != 0 && result->Active()) return kOk;
  return result->state == JobState::kDone ? kOk : kFailed;
}

int LinkOrUnlink(bool link, const std::vector<std::string>& in, const DatabaseOpener& open) {
  StatusOr<Args> parsed =
      Parse(in, {"config", "db", "snapshot"},
            {"force", "include-edudex", "no-wait", "resubmit-in-doubt", "retry-failed"});
  if (!parsed.ok()) return Fail(parsed.status());
  const Args& a = *parsed;
  const size_t want = link ? 3 : 2;
  if (a.positional.size() != want) {
    std::cerr << "error: " << (link ? "link TYPE RIOCODE ID" : "unlink TYPE RIOCODE") << " takes "
              << want << " arguments, got " << a.positional.size() << "\n"
              << kUsageText;
    return kUsage;
  }
  LinkOp op;
  op.action = link ? SurfAction::kLink : SurfAction::kUnlink;
  op.type = a.positional[0];
  op.rio_code = a.positional[1];
  if (link) op.id = a.positional[2];
  StatusOr<Context> ctx = OpenContext(a, open, true);
  if (!ctx.ok()) return Fail(ctx.status());
  StatusOr<SurfOptions> surf = SurfOptionsFromConfig(ctx->config.surfeduhub);
  if (!surf.ok()) return Fail(surf.status());
  const std::optional<int64_t> snapshot_id = ParseInt64(Opt(a, "snapshot", "0"));
  if (!snapshot_id || *snapshot_id < 0) {
    return Fail(InvalidArgument("--snapshot must be a snapshot id"));
  }
  StatusOr<std::unique_ptr<ooapi::sync::Snapshot>> snapshot =
      Snapshot(*ctx->connection, *snapshot_id);
  if (!snapshot.ok()) return Fail(snapshot.status());

  LinkCheckOptions options;
  options.force = a.flags.count("force") != 0;
  options.include_edudex = a.flags.count("include-edudex") != 0;
  const LinkCheck check = CheckLinkOp(op, snapshot->get(), options);
  if (!check.status.ok()) return Fail(check.status);
  for (const std::string& note : check.notes) std::cerr << "note: " << note << "\n";

  LedgerJob job = NewJob(op.action, op.type, op.rio_code, op.id, JobSource::kCli, Actor());
  job.key_lost = check.key_lost;
  return RunOne(a, *ctx, std::move(job), std::move(surf).value());
}

// push upsert|delete|dry-run-upsert TYPE ID: the mapper's other jobs, through the same ledger.
int Push(const std::vector<std::string>& in, const DatabaseOpener& open) {
  StatusOr<Args> parsed = Parse(in, {"config", "db"}, {"no-wait", "resubmit-in-doubt"});
  if (!parsed.ok()) return Fail(parsed.status());
  const Args& a = *parsed;
  if (a.positional.size() != 3) {
    std::cerr << "error: push ACTION TYPE ID takes 3 arguments, got " << a.positional.size() << "\n"
              << kUsageText;
    return kUsage;
  }
  SurfAction action = SurfAction::kUpsert;
  if (!ParseSurfAction(a.positional[0], &action) || action == SurfAction::kLink ||
      action == SurfAction::kUnlink) {
    return Fail(InvalidArgument("action: '" + a.positional[0] +
                                "' is not one of upsert, delete, dry-run-upsert"));
  }
  if (!IsSurfType(a.positional[1])) {
    return Fail(InvalidArgument("type: '" + a.positional[1] +
                                "' is not one of education-specifications, programs, courses"));
  }
  if (!IsLowercaseUuid(a.positional[2])) {
    return Fail(InvalidArgument("id: '" + a.positional[2] + "' must be a lowercase UUID"));
  }
  StatusOr<Context> ctx = OpenContext(a, open, true);
  if (!ctx.ok()) return Fail(ctx.status());
  StatusOr<SurfOptions> surf = SurfOptionsFromConfig(ctx->config.surfeduhub);
  if (!surf.ok()) return Fail(surf.status());
  if (action == SurfAction::kUpsert) {
    std::cerr << "note: an upsert replaces ALL cohorts of an offered programme in RIO with the "
                 "offerings the endpoint serves; `sync plan` lists the ones it would delete\n";
  }
  // The item of an upsert/delete is our own id.
  LedgerJob job = NewJob(action, a.positional[1], a.positional[2], a.positional[2], JobSource::kCli, Actor());
  return RunOne(a, *ctx, std::move(job), std::move(surf).value());
}

// ---------------------------------------------------------------------------------------------
// jobs / job

int Jobs(const std::vector<std::string>& in, const DatabaseOpener& open) {
  StatusOr<Args> parsed = Parse(in, {"config", "db", "status", "format", "limit"}, {});
  if (!parsed.ok()) return Fail(parsed.status());
  if (!parsed->positional.empty()) return Fail(InvalidArgument("jobs takes no arguments"));
  const std::string format = Opt(*parsed, "format", "text");
  if (format != "text" && format != "json") {
    return Fail(InvalidArgument("--format must be text or json, got '" + format + "'"));
  }
  const std::string state_name = Opt(*parsed, "status", "");
  std::optional<JobState> state;
  if (!state_name.empty()) {
    state = ParseJobState(state_name);
    if (!state) {
      return Fail(
          InvalidArgument("--status must be one of intent, submitting, submitted, done, "
                          "error, time-out, in-doubt, rejected; got '" +
                          state_name + "'"));
    }
  }
  const std::optional<int64_t> limit = ParseInt64(Opt(*parsed, "limit", "1000"));
  if (!limit || *limit <= 0) return Fail(InvalidArgument("--limit must be a positive number"));
  StatusOr<Context> ctx = OpenContext(*parsed, open, false);
  if (!ctx.ok()) return Fail(ctx.status());
  StatusOr<std::vector<LedgerJob>> jobs = ctx->ledger->List(state, static_cast<int>(*limit));
  if (!jobs.ok()) return Fail(jobs.status());
  if (format == "json") {
    std::cout << "[";
    for (size_t i = 0; i < jobs->size(); ++i) {
      std::cout << (i ? ",\n " : "") << JobJson((*jobs)[i], nullptr);
    }
    std::cout << "]\n";
    return kOk;
  }
  for (const LedgerJob& j : *jobs) {
    std::printf("%6lld  %-10s %-7s %-24s %s\n", static_cast<long long>(j.id),
                std::string(JobStateName(j.state)).c_str(),
                std::string(SurfActionName(j.action)).c_str(), j.created_at.c_str(),
                DescribeJob(j).c_str());
  }
  if (jobs->empty()) std::cout << "no jobs\n";
  return kOk;
}

int OneJob(const std::vector<std::string>& in, const DatabaseOpener& open) {
  StatusOr<Args> parsed = Parse(in, {"config", "db"}, {"refresh"});
  if (!parsed.ok()) return Fail(parsed.status());
  if (parsed->positional.size() != 1) return Fail(InvalidArgument("job takes a TOKEN or an ID"));
  const bool refresh = parsed->flags.count("refresh") != 0;
  StatusOr<Context> ctx = OpenContext(*parsed, open, refresh);
  if (!ctx.ok()) return Fail(ctx.status());
  const std::string& key = parsed->positional[0];
  StatusOr<LedgerJob> job =
      IsUuid(key) ? ctx->ledger->GetByToken(ToLowerAscii(key))
      : ParseInt64(key)
          ? ctx->ledger->Get(*ParseInt64(key))
          : StatusOr<LedgerJob>(InvalidArgument("'" + key + "' is neither a token nor a job id"));
  if (!job.ok()) return Fail(job.status());
  if (refresh && job->state == JobState::kSubmitted) {
    StatusOr<SurfOptions> surf = SurfOptionsFromConfig(ctx->config.surfeduhub);
    if (!surf.ok()) return Fail(surf.status());
    SurfClient client(std::move(surf).value());
    StatusOr<SurfStatus> status = client.GetStatus(job->token);
    if (!status.ok()) return Fail(status.status());
    Status recorded = ctx->ledger->RecordStatus(job->id, *status, "job --refresh");
    if (!recorded.ok()) return Fail(recorded);
    job = ctx->ledger->Get(job->id);
    if (!job.ok()) return Fail(job.status());
  }
  StatusOr<std::vector<LedgerEvent>> events = ctx->ledger->Events(job->id);
  if (!events.ok()) return Fail(events.status());
  std::cout << JobJson(*job, &*events) << "\n";
  return kOk;
}

// ---------------------------------------------------------------------------------------------
// sync apply

struct PlannedOp {
  LinkOp op;
  const PlanItem* item = nullptr;
  int64_t priority = 0;
  bool include_edudex = false;
};

int Apply(const std::vector<std::string>& in, const DatabaseOpener& open) {
  StatusOr<Args> parsed = Parse(in, {"config", "db", "max-in-flight"},
                                {"force", "resubmit-in-doubt", "retry-failed", "dry-run"});
  if (!parsed.ok()) return Fail(parsed.status());
  const Args& a = *parsed;
  if (a.positional.size() != 1) return Fail(InvalidArgument("sync apply takes one PLAN file"));
  const std::string plan_path = a.positional[0];
  std::ifstream file(plan_path, std::ios::binary);
  if (!file) return Fail(InvalidArgument(plan_path + ": cannot read file"));
  std::stringstream text;
  text << file.rdbuf();
  StatusOr<Plan> plan = ParsePlan(text.str());
  if (!plan.ok()) return Fail(InvalidArgument(plan_path + ": " + plan.status().message()));
  const bool dry_run = a.flags.count("dry-run") != 0;
  StatusOr<Context> ctx = OpenContext(a, open, true);
  if (!ctx.ok()) return Fail(ctx.status());
  StatusOr<SurfOptions> surf = SurfOptionsFromConfig(ctx->config.surfeduhub);
  if (!surf.ok() && !dry_run) return Fail(surf.status());
  RunnerOptions runner_options = RunnerOptionsFromConfig(ctx->config.surfeduhub);
  if (a.options.count("max-in-flight") != 0) {
    const std::optional<int64_t> n = ParseInt64(a.options.at("max-in-flight"));
    if (!n || *n < 1 || *n > 64) return Fail(InvalidArgument("--max-in-flight must be 1..64"));
    runner_options.max_in_flight = static_cast<int>(*n);
  }
  // The snapshot the plan was made from knows the keys and the variants; the newest one is the
  // better judge of what RIO holds now.
  StatusOr<std::unique_ptr<ooapi::sync::Snapshot>> snapshot = Snapshot(*ctx->connection, 0);
  if (!snapshot.ok()) return Fail(snapshot.status());
  if (!*snapshot) {
    return Fail(InvalidArgument("no rio import snapshot in the database: run rio import first"));
  }
  if ((*snapshot)->id != plan->snapshot_id) {
    std::cerr << "note: the plan was made from snapshot " << plan->snapshot_id
              << "; checking against the newest, " << (*snapshot)->id << "\n";
  }
  const LinkIndex index(**snapshot);  // one pass; each entry below is then one lookup
  std::map<std::string, const Item*> oe_items;
  for (const Item& item : (*snapshot)->items) {
    if (item.kind == ItemKind::kOe) oe_items[item.code] = &item;
  }

  // 1. The accepted entries, in order: parents, variants, then offered programmes.
  std::vector<PlannedOp> ops;
  std::vector<std::string> skipped;
  for (const PlanItem& item : plan->items) {
    if (item.kind != "oe" && item.kind != "ao") continue;
    if (item.decision != "accept" && item.decision != "override") continue;
    const std::string where = item.kind + ":" + item.rio_code;
    std::string id = item.decision == "override" ? item.override_sis_id : item.sis_id;
    if (item.cls == PlanClass::kAlreadyLinked && item.decision == "accept") continue;
    if (item.cls == PlanClass::kEduDex && !item.include_edudex) {
      skipped.push_back(where + ": EDU-DEX item accepted without include_edudex");
      continue;
    }
    if (item.decision == "accept" && item.cls == PlanClass::kAmbiguous) {
      skipped.push_back(where + ": ambiguous; choose with decision override + override_sis_id");
      continue;
    }
    if (id.empty()) {
      skipped.push_back(where + ": " + item.decision + " without a SIS id");
      continue;
    }
    PlannedOp p;
    p.item = &item;
    p.op.action = SurfAction::kLink;
    p.op.rio_code = item.rio_code;
    p.op.id = id;
    p.include_edudex = item.include_edudex;
    if (item.kind == "oe") {
      p.op.type = "education-specifications";
      auto oe = oe_items.find(item.rio_code);
      const std::string* parent = oe == oe_items.end() ? nullptr : oe->second->Value("VARIANT_VAN");
      p.priority = parent != nullptr && !parent->empty() ? 1 : 0;
    } else {
      p.op.type = item.sis_type == "course" ? "courses" : "programs";
      p.priority = 2;
    }
    ops.push_back(std::move(p));
  }
  std::stable_sort(ops.begin(), ops.end(),
                   [](const PlannedOp& x, const PlannedOp& y) { return x.priority < y.priority; });

  // 2. Local validation of every entry before anything is sent.
  std::vector<PlannedOp> valid;
  std::vector<std::string> refused;
  std::map<const PlanItem*, std::string> key_lost;
  for (const PlannedOp& p : ops) {
    LinkCheckOptions options;
    options.force = a.flags.count("force") != 0;
    options.include_edudex = p.include_edudex;
    const LinkCheck check = CheckLinkOp(p.op, &index, options);
    const std::string where = p.item->kind + ":" + p.item->rio_code;
    if (!check.status.ok()) {
      refused.push_back(where + ": " + check.status.message());
      continue;
    }
    for (const std::string& note : check.notes)
      std::cerr << "note: " << where << ": " << note << "\n";
    key_lost[p.item] = check.key_lost;
    valid.push_back(p);
  }
  for (const std::string& s : skipped) std::cerr << "skipped: " << s << "\n";
  for (const std::string& r : refused) std::cerr << "refused: " << r << "\n";
  std::cout << "plan " << plan_path << ": " << ops.size() << " accepted link(s), " << valid.size()
            << " valid, " << refused.size() << " refused, " << skipped.size() << " skipped"
            << std::endl;  // flushed: a killed run's output still says what it planned
  if (dry_run) return refused.empty() ? kOk : kUsage;

  // 3. The ledger: resume what is under way, skip what is done, add the rest as intents.
  Ledger& ledger = *ctx->ledger;
  std::vector<int64_t> ids;
  int already = 0, failed_before = 0, busy = 0;
  std::vector<std::string> held;
  if (Status s = ledger.RecoverOrphans().status(); !s.ok()) return Fail(s);
  Status enqueued = ledger.WithEnqueueLock([&]() -> Status {
    for (const PlannedOp& p : valid) {
      OOAPI_ASSIGN_OR_RETURN(std::optional<LedgerJob> latest,
                             ledger.Latest(p.op.type, p.op.rio_code));
      const bool same = latest && latest->action == p.op.action && latest->sis_id == p.op.id;
      if (same && latest->state == JobState::kDone) {
        ++already;
        continue;
      }
      if (latest && latest->Active() && !same) {
        ++busy;
        held.push_back(p.op.rio_code + ": job " + std::to_string(latest->id) + " (" +
                       std::string(SurfActionName(latest->action)) + ", " +
                       std::string(JobStateName(latest->state)) + ") is still active");
        continue;
      }
      if (same && latest->state == JobState::kInDoubt) {
        if (a.flags.count("resubmit-in-doubt") == 0) {
          held.push_back("job " + std::to_string(latest->id) + ": " + DescribeJob(*latest));
          continue;
        }
        OOAPI_RETURN_IF_ERROR(ledger.Requeue(latest->id, "--resubmit-in-doubt by " + Actor()));
        ids.push_back(latest->id);
        continue;
      }
      if (same && latest->Active()) {
        ids.push_back(latest->id);  // resume
        continue;
      }
      if (same && a.flags.count("retry-failed") == 0) {
        ++failed_before;
        held.push_back("job " + std::to_string(latest->id) + ": " + DescribeJob(*latest) +
                       " (--retry-failed sends it again)");
        continue;
      }
      LedgerJob job = NewJob(p.op.action, p.op.type, p.op.rio_code, p.op.id, JobSource::kApply, Actor());
      job.key_lost = key_lost[p.item];
      job.priority = p.priority;
      bool created = false;
      OOAPI_ASSIGN_OR_RETURN(LedgerJob added, ledger.Enqueue(job, &created));
      ids.push_back(added.id);
    }
    return Status::Ok();
  });
  if (!enqueued.ok()) return Fail(enqueued);
  for (const std::string& h : held) std::cerr << "held: " << h << "\n";
  std::cout << "ledger: " << already << " already done, " << ids.size() << " to run, "
            << held.size() << " held" << std::endl;

  // 4. Run.
  SurfClient client(std::move(surf).value());
  runner_options.on_progress = ProgressPrinter("apply");
  runner_options.max_submit_attempts = 8;
  JobRunner runner(ledger, client, runner_options);
  StatusOr<RunSummary> summary = runner.Run(ids);
  if (runner_options.on_progress) std::fputc('\n', stderr);
  if (!summary.ok()) return Fail(summary.status());
  StatusOr<std::vector<LedgerJob>> jobs = ledger.GetMany(ids);
  if (!jobs.ok()) return Fail(jobs.status());
  for (const LedgerJob& j : *jobs) {
    if (j.state != JobState::kDone) std::cerr << "not done: job " << j.id << ": " << DescribeJob(j) << "\n";
  }
  std::cout << "applied: " << summary->done << " done, " << summary->error << " error, "
            << summary->time_out << " time-out, " << summary->rejected << " rejected, "
            << summary->in_doubt << " in doubt, " << summary->waiting << " waiting\n";
  if (summary->aborted) {
    std::cerr << "error: stopped: " << summary->abort_reason
              << "\n(nothing is lost: run the same command again to continue)\n";
    return kFailed;
  }
  const bool all_done =
      summary->done == static_cast<int>(ids.size()) && held.empty() && refused.empty() && busy == 0;
  (void)failed_before;
  return all_done ? kOk : kFailed;
}

// ---------------------------------------------------------------------------------------------
// sync verify

// The item's periods as JSON with the eigen sleutel blanked, to compare all but the key.
std::string PeriodsWithoutKey(const Item& item, ItemKind kind) {
  rapidjson::Document doc;
  doc.Parse(item.periods_json.c_str(), item.periods_json.size());
  if (doc.HasParseError() || !doc.IsArray()) return item.periods_json;
  for (auto& period : doc.GetArray()) {
    if (!period.IsObject()) continue;
    const std::string_view column = EigenSleutelColumn(kind);
    auto key = period.FindMember(
        rapidjson::Value(column.data(), static_cast<rapidjson::SizeType>(column.size())));
    if (key != period.MemberEnd()) key->value.SetString("");
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  doc.Accept(w);
  return buffer.GetString();
}

std::map<std::string, std::string> Keys(const ooapi::sync::Snapshot& s) {
  std::map<std::string, std::string> keys;  // "oe:CODE" -> key
  for (const Item& item : s.items) {
    if (item.kind != ItemKind::kOe && item.kind != ItemKind::kAo) continue;
    const std::string* key = item.Value(EigenSleutelColumn(item.kind));
    keys[std::string(ItemKindName(item.kind)) + ":" + ToLowerAscii(item.code)] =
        key == nullptr ? "" : std::string(TrimAscii(*key));
  }
  return keys;
}

int Verify(const std::vector<std::string>& in, const DatabaseOpener& open) {
  StatusOr<Args> parsed = Parse(in, {"config", "db", "snapshot", "before", "format"}, {});
  if (!parsed.ok()) return Fail(parsed.status());
  const Args& a = *parsed;
  if (!a.positional.empty()) return Fail(InvalidArgument("sync verify takes no arguments"));
  const std::string format = Opt(a, "format", "text");
  if (format != "text" && format != "json") {
    return Fail(InvalidArgument("--format must be text or json, got '" + format + "'"));
  }
  StatusOr<Context> ctx = OpenContext(a, open, false);
  if (!ctx.ok()) return Fail(ctx.status());
  const std::optional<int64_t> after_id = ParseInt64(Opt(a, "snapshot", "0"));
  if (!after_id || *after_id < 0) return Fail(InvalidArgument("--snapshot must be an id"));
  StatusOr<std::unique_ptr<ooapi::sync::Snapshot>> after = Snapshot(*ctx->connection, *after_id);
  if (!after.ok()) return Fail(after.status());
  if (!*after) return Fail(InvalidArgument("no rio import snapshot: run rio import first"));
  // The snapshot to compare with: --before, else the newest older one of the same bestuur.
  int64_t before_id = 0;
  if (a.options.count("before") != 0) {
    const std::optional<int64_t> b = ParseInt64(a.options.at("before"));
    if (!b || *b <= 0) return Fail(InvalidArgument("--before must be a snapshot id"));
    before_id = *b;
  } else {
    StatusOr<std::vector<SnapshotInfo>> list = ListSnapshots(*ctx->connection);
    if (!list.ok()) return Fail(list.status());
    for (const SnapshotInfo& info : *list) {
      if (info.id < (*after)->id && info.bestuur == (*after)->bestuur) {
        before_id = std::max(before_id, info.id);
      }
    }
  }
  std::unique_ptr<ooapi::sync::Snapshot> before;
  if (before_id > 0) {
    StatusOr<std::unique_ptr<ooapi::sync::Snapshot>> loaded = Snapshot(*ctx->connection, before_id);
    if (!loaded.ok()) return Fail(loaded.status());
    before = std::move(loaded).value();
  }
  const std::map<std::string, std::string> after_keys = Keys(**after);

  // The ledger's say per item: the newest link/unlink job.
  StatusOr<std::vector<LedgerJob>> all = ctx->ledger->List(std::nullopt, 1000000);
  if (!all.ok()) return Fail(all.status());
  std::map<std::string, LedgerJob> newest;  // "oe:code" -> job (List is newest first)
  for (const LedgerJob& j : *all) {
    if (j.action != SurfAction::kLink && j.action != SurfAction::kUnlink) continue;
    const std::string item = std::string(j.type == "education-specifications" ? "oe" : "ao") + ":" +
                             ToLowerAscii(j.rio_code);
    newest.emplace(item, j);
  }
  struct Finding {
    std::string item, problem;
  };
  std::vector<Finding> findings;
  int present = 0;
  for (const auto& [item, job] : newest) {
    auto now = after_keys.find(item);
    if (job.state != JobState::kDone) {
      findings.push_back({item, "not applied: " + DescribeJob(job)});
      continue;
    }
    const std::string expected = job.action == SurfAction::kLink ? job.sis_id : "";
    if (now == after_keys.end()) {
      findings.push_back({item, "missing from snapshot " + std::to_string((*after)->id) +
                                    " (expected key '" + expected + "')"});
    } else if (ToLowerAscii(now->second) != ToLowerAscii(expected)) {
      findings.push_back({item, "key is '" + now->second + "', expected '" + expected +
                                    "' after job " + std::to_string(job.id)});
    } else {
      ++present;
    }
  }
  if (before) {
    // Everything that changed between the two imports must be a key the ledger set: the key
    // column, the classification it implies and the key inside the periods, nothing else.
    std::map<std::pair<ItemKind, std::string>, const Item*> was, now;
    for (const Item& i : before->items) was[{i.kind, i.code}] = &i;
    for (const Item& i : (*after)->items) now[{i.kind, i.code}] = &i;
    for (const ItemChange& change : DiffSnapshots(*before, **after)) {
      const std::string item =
          std::string(ItemKindName(change.kind)) + ":" + ToLowerAscii(change.code);
      if (change.change != "changed") {
        findings.push_back({item, change.change + " since snapshot " + std::to_string(before_id)});
        continue;
      }
      auto job = newest.find(item);
      const bool explained_key = job != newest.end() && job->second.state == JobState::kDone;
      std::vector<std::string> other;
      for (const std::string& column : change.columns) {
        if (explained_key && (column == EigenSleutelColumn(change.kind) || column == "classification")) {
          continue;
        }
        if (explained_key && column == "periods" &&
            PeriodsWithoutKey(*was.at({change.kind, change.code}), change.kind) ==
                PeriodsWithoutKey(*now.at({change.kind, change.code}), change.kind)) {
          continue;
        }
        other.push_back(column);
      }
      if (other.empty()) continue;
      findings.push_back({item, "changed outside the ledger since snapshot " +
                                    std::to_string(before_id) + ": " + Join(other, ", ")});
    }
  }
  std::sort(findings.begin(), findings.end(),
            [](const Finding& x, const Finding& y) { return x.item < y.item; });
  if (format == "json") {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("snapshot");
    w.Int64((*after)->id);
    w.Key("before");
    w.Int64(before_id);
    w.Key("links_present");
    w.Int(present);
    w.Key("differences");
    w.StartArray();
    for (const Finding& f : findings) {
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
  } else {
    std::cout << "verify: snapshot " << (*after)->id << " against the ledger"
              << (before_id > 0 ? " and snapshot " + std::to_string(before_id) : "") << ": "
              << present << " applied link(s) present, " << findings.size() << " difference(s)\n";
    for (const Finding& f : findings) std::cout << "  " << f.item << ": " << f.problem << "\n";
  }
  return findings.empty() ? kOk : kFailed;
}

int Dispatch(const std::string& command, const std::vector<std::string>& args,
             const DatabaseOpener& open_database) {
  if (command == "link") return LinkOrUnlink(true, args, open_database);
  if (command == "unlink") return LinkOrUnlink(false, args, open_database);
  if (command == "push") return Push(args, open_database);
  if (command == "jobs") return Jobs(args, open_database);
  if (command == "job") return OneJob(args, open_database);
  if (command == "apply") return Apply(args, open_database);
  if (command == "verify") return Verify(args, open_database);
  std::cerr << "error: unknown command '" << command << "'\n" << kUsageText;
  return kUsage;
}

}  // namespace

int RunLinkCommand(const std::string& command, const std::vector<std::string>& args,
                   const DatabaseOpener& open_database) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsageText;
    return kOk;
  }
  // The JSON log lines (job submitted, retries) go to stderr only with --verbose; the commands
  // print their own summary.
  std::vector<std::string> rest;
  bool verbose = false;
  for (const std::string& arg : args) {
    if (arg == "--verbose") {
      verbose = true;
    } else {
      rest.push_back(arg);
    }
  }
  log::SetLevel(verbose ? log::Level::kInfo : log::Level::kError);
  return Dispatch(command, rest, open_database);
}

}  // namespace ooapi::sync
