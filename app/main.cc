// ooapi-endpoint: the composition root. The only code that sees concrete adapters.

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "args.h"
#include "commands.h"
#include "link_command.h"
#include "ooapi/adapters/builtin.h"
#include "ooapi/adapters/postgres/postgres.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/check/rio_check.h"
#include "ooapi/common/date.h"
#include "ooapi/common/log.h"
#include "ooapi/common/strings.h"
#include "ooapi/config/config.h"
#include "ooapi/crypto/secret_hash.h"
#include "ooapi/demo/demo.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/endpoint/http_server.h"
#include "ooapi/sync/link/admin.h"
#include "ooapi/sync/link/rules.h"
#include "plan_command.h"
#include "rio_command.h"

namespace ooapi::app {
namespace {

// Every problem with the configuration file is a configuration error (exit 2), whatever code the
// loader chose (an unreadable file included).
StatusOr<config::Config> LoadConfig(const std::string& path) {
  StatusOr<config::Config> cfg = config::LoadConfigFile(path, config::ProcessEnvironment());
  if (!cfg.ok()) return InvalidArgument(cfg.status().message());
  return cfg;
}

bool IsPostgresUrl(const std::string& path_or_url) {
  return StartsWith(path_or_url, "postgresql://") || StartsWith(path_or_url, "postgres://");
}

// Opens the local database of the sync module: a SQLite file (created when missing) or a
// PostgreSQL URL (password from PGPASSWORD or ~/.pgpass).
StatusOr<db::ConnectionPtr> OpenSyncDatabase(const std::string& path_or_url) {
  if (IsPostgresUrl(path_or_url)) {
    adapters::postgres::ConnectOptions open;
    open.conninfo = path_or_url;
    open.read_only = false;
    return adapters::postgres::Open(open);
  }
  adapters::sqlite::OpenOptions open;
  open.create = true;
  return adapters::sqlite::Open(path_or_url, open);
}

// The admin listener of `serve` (admin.enabled): the AdminApi on its own connection, the runner
// of its jobs on another (one writer per SQLite connection), and the HTTP server with the admin
// credentials only.
struct AdminService {
  std::unique_ptr<sync::AdminRunner> runner;
  std::unique_ptr<sync::AdminApi> api;
  std::unique_ptr<endpoint::HttpServer> server;
  std::function<std::unique_ptr<endpoint::HttpServer>()> make_server;
};

// Everything but starting: configuration errors (kInvalidArgument) before any thread runs.
StatusOr<AdminService> PrepareAdmin(const config::Config& cfg) {
  AdminService admin;
  StatusOr<sync::SurfOptions> surf = sync::SurfOptionsFromConfig(cfg.surfeduhub);
  if (!surf.ok()) {
    return InvalidArgument("admin.enabled needs the surfeduhub section: " +
                           surf.status().message());
  }
  OOAPI_ASSIGN_OR_RETURN(db::ConnectionPtr runner_db, OpenDatabase(OpenSyncDatabase, cfg.admin.db));
  OOAPI_ASSIGN_OR_RETURN(db::ConnectionPtr api_db, OpenDatabase(OpenSyncDatabase, cfg.admin.db));
  admin.runner = std::make_unique<sync::AdminRunner>(std::move(runner_db), std::move(surf).value(),
                                                     sync::RunnerOptionsFromConfig(cfg.surfeduhub));
  sync::AdminOptions options;
  options.audit_log = cfg.admin.audit_log;
  options.on_enqueued = [runner = admin.runner.get()] { runner->Wake(); };
  admin.api = std::make_unique<sync::AdminApi>(std::move(api_db), options);
  OOAPI_RETURN_IF_ERROR(AsRuntime(admin.api->Init()));
  config::ServerConfig server = cfg.server;
  server.address = cfg.admin.address;
  server.port = cfg.admin.port;
  server.threads = 1;
  server.workers = 2;
  server.max_queued = 64;
  config::AuthConfig auth;
  auth.enabled = true;
  auth.realm = "ooapi-endpoint admin";
  auth.clients = cfg.admin.clients;
  // The server (its worker threads) is made by Serve once the stop signals are blocked.
  admin.make_server = [server, auth, access_log = cfg.logging.access_log, api = admin.api.get()] {
    return std::make_unique<endpoint::HttpServer>(server, access_log, api, auth, "admin");
  };
  return admin;
}

// The configured SIS adapter and the Api over it, as every command that answers like the
// endpoint (serve, check-rio, sync plan) needs them.
StatusOr<SisHandle> BuildSis(const config::Config& cfg) {
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  SisHandle handle;
  OOAPI_ASSIGN_OR_RETURN(handle.adapter, registry.Create(cfg));
  endpoint::ApiOptions options;
  options.service = cfg.service;
  options.offering_window = cfg.offerings.default_window;
  handle.api = std::make_unique<endpoint::Api>(handle.adapter.get(), options);
  handle.offering_window = cfg.offerings.default_window;
  return handle;
}

// Starts the admin listener and its job runner after the OOAPI listener is up.
Status StartAdmin(AdminService& admin, const config::Config& cfg) {
  admin.server = admin.make_server();
  if (Status s = admin.server->Start(); !s.ok()) return AsRuntime(s.WithPrefix("admin listener"));
  if (Status s = admin.runner->Start(); !s.ok()) {
    admin.server->Shutdown();
    return AsRuntime(s.WithPrefix("admin job runner"));
  }
  log::Info("listening", {{"listener", "admin"},
                          {"address", cfg.admin.address},
                          {"port", static_cast<int>(admin.server->port())},
                          {"clients", static_cast<int>(cfg.admin.clients.size())}});
  std::printf("ooapi-endpoint: admin API on http://%s:%u/admin/\n", cfg.admin.address.c_str(),
              admin.server->port());
  return Status::Ok();
}

// Waits for SIGINT or SIGTERM (blocked in every thread), then drains both listeners at once;
// the runner stops after the admin listener (no new jobs), its unfinished jobs stay in the
// ledger for the next start.
void WaitAndDrain(sigset_t& signals, endpoint::HttpServer& server, AdminService& admin,
                  const config::Config& cfg) {
  int received = 0;
  sigwait(&signals, &received);
  log::Info("draining", {{"signal", received}, {"in_flight", server.in_flight()}});
  const std::chrono::milliseconds timeout(cfg.server.drain_timeout_ms);
  int admin_left = 0;
  std::thread admin_stop;
  if (admin.server) {
    admin_stop = std::thread([&admin, &admin_left, timeout] {
      admin_left = admin.server->Drain(timeout);
      admin.runner->Stop();
    });
  }
  int left = server.Drain(timeout);
  if (admin_stop.joinable()) admin_stop.join();
  log::Info("stopped", {{"unfinished_requests", left + admin_left}});
}

int Serve(const ParsedArgs& args) {
  const std::string_view cmd = kServeCommand.name;
  StatusOr<config::Config> cfg = LoadConfig(*args.Get("config"));
  if (!cfg.ok()) return Fail(cmd, cfg.status());
  log::Level level = log::Level::kInfo;
  log::ParseLevel(cfg->logging.level, &level);
  log::SetLevel(level);

  StatusOr<SisHandle> sis = BuildSis(*cfg);
  if (!sis.ok()) return Fail(cmd, sis.status());
  AdminService admin;
  if (cfg->admin.enabled) {
    StatusOr<AdminService> prepared = PrepareAdmin(*cfg);
    if (!prepared.ok()) return Fail(cmd, prepared.status());
    admin = std::move(prepared).value();
  }

  // Block the stop signals before any thread starts, so only sigwait() receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  endpoint::HttpServer server(cfg->server, cfg->logging.access_log, sis->api.get(), cfg->auth);
  if (Status started = server.Start(); !started.ok()) return Fail(cmd, AsRuntime(started));
  log::Info("listening", {{"address", cfg->server.address},
                          {"port", static_cast<int>(server.port())},
                          {"threads", cfg->server.threads},
                          {"adapter", cfg->sis.adapter}});
  std::printf("ooapi-endpoint: serving OOAPI v5 on http://%s:%u/\n", cfg->server.address.c_str(),
              server.port());
  if (admin.make_server) {
    if (Status s = StartAdmin(admin, *cfg); !s.ok()) {
      server.Shutdown();
      return Fail(cmd, s);
    }
  }
  std::fflush(stdout);
  WaitAndDrain(signals, server, admin, *cfg);
  return kExitOk;
}

// The options of demo-data, all checked before the database is created.
StatusOr<demo::DemoOptions> DemoOptionsFrom(const ParsedArgs& args) {
  demo::DemoOptions options;
  OOAPI_ASSIGN_OR_RETURN(options.scale, args.OneOf("scale", {"small", "large"}, "small"));
  OOAPI_ASSIGN_OR_RETURN(int64_t seed, args.Int("seed", 1, 0));
  options.seed = static_cast<uint64_t>(seed);
  options.today = args.GetOr("today", "");
  if (!options.today.empty() &&
      (!IsIsoDate(options.today) || options.today < "1900-01-01" || options.today > "9000-12-31")) {
    return InvalidArgument(
        "option '--today' must be a date YYYY-MM-DD between 1900 and 9000, "
        "got '" +
        options.today + "'");
  }
  options.plant_rio_defects = args.Has("plant-rio-defects");
  return options;
}

void PrintDemoSummary(const std::string& path, const demo::DemoSummary& summary) {
  std::printf(
      "demo-data: wrote %s: %lld organizations, %lld academic sessions, %lld education "
      "specifications, %lld programs, %lld courses, %lld offerings\n",
      path.c_str(), static_cast<long long>(summary.organizations),
      static_cast<long long>(summary.academic_sessions),
      static_cast<long long>(summary.education_specifications),
      static_cast<long long>(summary.programs), static_cast<long long>(summary.courses),
      static_cast<long long>(summary.offerings));
  for (const auto& p : summary.planted) {
    std::printf("  planted %-32s %s %s: %s\n", p.rule.c_str(), p.entity_type.c_str(),
                p.entity_id.c_str(), p.what.c_str());
  }
}

int DemoData(const ParsedArgs& args) {
  const std::string_view cmd = kDemoDataCommand.name;
  StatusOr<demo::DemoOptions> options = DemoOptionsFrom(args);
  if (!options.ok()) return Fail(cmd, options.status());
  const std::string path = *args.Get("db");
  // The password, if any, comes from PGPASSWORD or ~/.pgpass (libpq), never from the URL.
  StatusOr<db::ConnectionPtr> connection = OpenDatabase(OpenSyncDatabase, path);
  if (!connection.ok()) return Fail(cmd, connection.status());
  StatusOr<demo::DemoSummary> summary = demo::WriteDemo(**connection, *options);
  if (!summary.ok()) return Fail(cmd, summary.status());
  if (IsPostgresUrl(path)) {
    // Statistics for the planner and a visibility map for index-only scans (deep pages).
    Status analyzed = (*connection)->ExecuteScript("VACUUM ANALYZE");
    if (!analyzed.ok()) return Fail(cmd, AsRuntime(analyzed));
  }
  PrintDemoSummary(path, *summary);
  return kExitOk;
}

int CheckRio(const ParsedArgs& args) {
  const std::string_view cmd = kCheckRioCommand.name;
  StatusOr<std::string> format = args.OneOf("format", {"text", "json", "csv"}, "text");
  if (!format.ok()) return Fail(cmd, format.status());
  StatusOr<config::Config> cfg = LoadConfig(args.GetOr("config", std::string(kDefaultConfig)));
  if (!cfg.ok()) return Fail(cmd, cfg.status());
  log::SetLevel(log::Level::kWarn);
  StatusOr<SisHandle> sis = BuildSis(*cfg);
  if (!sis.ok()) return Fail(cmd, sis.status());
  StatusOr<check::CheckReport> report = check::CheckRio(*sis->api);
  if (!report.ok()) return Fail(cmd, AsRuntime(report.status()));
  check::WriteReport(*report, *format, std::cout);
  return check::ExitStatus(*report);
}

int HashSecret(const ParsedArgs& /*args*/) {
  std::string secret;
  if (!std::getline(std::cin, secret) || secret.empty()) {
    return Fail(kHashSecretCommand.name,
                InvalidArgument("give the secret on standard input, e.g. "
                                "'ooapi-endpoint hash-secret < secret.txt'"));
  }
  std::printf("%s\n", crypto::HashSecret(secret).c_str());
  return kExitOk;
}

void PrintConfig(const std::string& path, const config::Config& cfg) {
  const auto& s = cfg.server;
  std::printf("%s: OK\n", path.c_str());
  std::printf("  listen        %s:%d, %d I/O threads\n", s.address.c_str(), s.port, s.threads);
  std::printf(
      "  limits        request %d bytes, header %d ms, body %d ms, keep-alive %d s, "
      "drain %d ms\n",
      s.max_request_bytes, s.header_timeout_ms, s.body_timeout_ms, s.keepalive_timeout_s,
      s.drain_timeout_ms);
  std::printf("  sis           adapter %s", cfg.sis.adapter.c_str());
  if (cfg.sis.adapter == "sqlite") {
    std::printf(", file %s", cfg.sis.sqlite.path.c_str());
  }
  std::printf("\n  offerings     default window %s\n", cfg.offerings.default_window.c_str());
  std::printf("  auth          %s", cfg.auth.enabled ? "on" : "off");
  if (cfg.auth.enabled) {
    std::printf(", %zu client(s)", cfg.auth.clients.size());
  }
  std::printf("\n  logging       level %s, access log %s\n", cfg.logging.level.c_str(),
              cfg.logging.access_log ? "on" : "off");
}

int CheckConfig(const ParsedArgs& args) {
  const std::string_view cmd = kCheckConfigCommand.name;
  const std::string path = *args.Get("FILE");
  StatusOr<config::Config> cfg = LoadConfig(path);
  if (!cfg.ok()) return Fail(cmd, cfg.status());
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  auto names = registry.Names();
  if (std::find(names.begin(), names.end(), cfg->sis.adapter) == names.end()) {
    return Fail(cmd, InvalidArgument(path + ": sis.adapter: unknown SIS adapter '" +
                                     cfg->sis.adapter + "' (known: " + Join(names, ", ") + ")"));
  }
  PrintConfig(path, *cfg);
  return kExitOk;
}

// The SIS side of `sync plan`: the configured adapter and the Api over it, exactly as `serve`
// builds them (same offering window), so the plan sees what the RIO mapper would.
StatusOr<SisHandle> OpenSis(const std::string& config_path) {
  OOAPI_ASSIGN_OR_RETURN(
      config::Config cfg,
      LoadConfig(config_path.empty() ? std::string(kDefaultConfig) : config_path));
  return BuildSis(cfg);
}

// What follows "ooapi-endpoint" selects one of these.
std::vector<Route> MainRoutes() {
  using Args = std::vector<std::string>;
  auto link_command = [](const std::string& name) {
    return Route{name,
                 [name](const Args& rest) { return RunLinkCommand(name, rest, OpenSyncDatabase); }};
  };
  return {CommandRoute(kServeCommand, Serve),
          CommandRoute(kDemoDataCommand, DemoData),
          CommandRoute(kCheckConfigCommand, CheckConfig),
          CommandRoute(kCheckRioCommand, CheckRio),
          CommandRoute(kHashSecretCommand, HashSecret),
          {kRioGroup.name, [](const Args& rest) { return RunRioCommand(rest, OpenSyncDatabase); }},
          {kSyncGroup.name,
           [](const Args& rest) { return RunSyncCommand(rest, OpenSyncDatabase, OpenSis); }},
          link_command(kLinkCommand.name),
          link_command(kUnlinkCommand.name),
          link_command(kPushCommand.name),
          link_command(kJobsCommand.name),
          link_command(kJobCommand.name)};
}

}  // namespace
}  // namespace ooapi::app

int main(int argc, char** argv) {
  using ooapi::app::kMainGroup;
  return ooapi::app::RunGroup(kMainGroup, ooapi::app::MainRoutes(),
                              std::vector<std::string>(argv + 1, argv + argc));
}
