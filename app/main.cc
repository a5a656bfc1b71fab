// ooapi-endpoint: the composition root. The only code that sees concrete adapters.

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "args.h"
#include "ooapi/adapters/builtin.h"
#include "ooapi/adapters/postgres/postgres.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/check/rio_check.h"
#include "ooapi/common/log.h"
#include "ooapi/common/strings.h"
#include "ooapi/config/config.h"
#include "ooapi/crypto/secret_hash.h"
#include "ooapi/demo/demo.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/endpoint/http_server.h"
#include "ooapi/sync/link/admin.h"
#include "rio_command.h"
#include "ooapi/sync/link/rules.h"
#include "link_command.h"
#include "plan_command.h"

namespace ooapi::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

const CommandSpec kServe{"serve",
                         "Serves OOAPI v5 from the configured SIS until SIGTERM or SIGINT, then "
                         "drains in-flight requests. With admin.enabled, also serves the admin API "
                         "(docs/admin-api.md) on its own listener and runs its SURFeduhub jobs.",
                         {{"config", "FILE", "YAML configuration (see config/example.yaml)", true}},
                         ""};
const CommandSpec kDemoData{
    "demo-data",
    "Writes a deterministic demo institution into a new database that follows the SIS contract "
    "(adapters/README.md): a SQLite file, or a PostgreSQL database given as a URL (the tables go "
    "into the URL's search_path; the password comes from PGPASSWORD or ~/.pgpass).",
    {{"db", "PATH|URL",
      "SQLite file to create, or postgresql://user@host:port/db; it must not hold the contract "
      "tables yet",
      true},
     {"scale", "small|large",
      "small: ~20 education specifications, ~2,000 offerings (default); "
      "large: ~600 and ~250,000",
      false},
     {"seed", "N", "random seed; the same seed and --today give the same data (default 1)", false},
     {"today", "YYYY-MM-DD", "reference date for past/current/future offerings (default: today)",
      false},
     {"plant-rio-defects", "", "add one entity per check-rio rule that breaks exactly that rule",
      false}},
    ""};
const CommandSpec kCheckRio{
    "check-rio",
    "Fetches, through the same handler code as HTTP, exactly what SURFeduhub's RIO mapper fetches "
    "(every RIO-relevant education specification, program and course with "
    "returnTimelineOverrides=true, their offerings in pages of 250, their education "
    "specifications, parents and children) and reports every violation of the mapper's rules with "
    "entity, request, field path and rule. Exit status 1 when anything is found.",
    {{"config", "FILE", "YAML configuration (default: config/demo.yaml)", false},
     {"format", "text|json|csv", "report format (default text)", false}},
    ""};
const CommandSpec kHashSecret{
    "hash-secret",
    "Reads a secret (a gateway password, API key or bearer token) from standard input and prints "
    "the pbkdf2-sha256 hash to put in auth.clients (config/example.yaml). The secret is never "
    "taken from the command line, where ps and the shell history would keep it.",
    {},
    ""};
const CommandSpec kCheckConfig{"check-config",
                               "Loads and validates a configuration file (with OOAPI_* environment "
                               "overrides) and prints the effective settings.",
                               {},
                               "FILE"};

int Fail(const Status& status, int exit_code) {
  std::cerr << "ooapi-endpoint: " << status.message() << "\n";
  return exit_code;
}

// Config errors are usage errors (2).
StatusOr<config::Config> LoadConfig(const std::string& path) {
  return config::LoadConfigFile(path, config::ProcessEnvironment());
}

// Opens the local database of the sync module: a SQLite file (created when missing) or a
// PostgreSQL URL (password from PGPASSWORD or ~/.pgpass).
StatusOr<db::ConnectionPtr> OpenSyncDatabase(const std::string& path_or_url) {
  if (StartsWith(path_or_url, "postgresql://") || StartsWith(path_or_url, "postgres://")) {
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
  OOAPI_ASSIGN_OR_RETURN(db::ConnectionPtr runner_db, OpenSyncDatabase(cfg.admin.db));
  OOAPI_ASSIGN_OR_RETURN(db::ConnectionPtr api_db, OpenSyncDatabase(cfg.admin.db));
  admin.runner = std::make_unique<sync::AdminRunner>(std::move(runner_db), std::move(surf).value(),
                                                     sync::RunnerOptionsFromConfig(cfg.surfeduhub));
  sync::AdminOptions options;
  options.audit_log = cfg.admin.audit_log;
  options.on_enqueued = [runner = admin.runner.get()] { runner->Wake(); };
  admin.api = std::make_unique<sync::AdminApi>(std::move(api_db), options);
  OOAPI_RETURN_IF_ERROR(admin.api->Init());
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
StatusOr<sync::SisHandle> BuildSis(const config::Config& cfg) {
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  sync::SisHandle handle;
  OOAPI_ASSIGN_OR_RETURN(handle.adapter, registry.Create(cfg));
  endpoint::ApiOptions options;
  options.service = cfg.service;
  options.offering_window = cfg.offerings.default_window;
  handle.api = std::make_unique<endpoint::Api>(handle.adapter.get(), options);
  handle.offering_window = cfg.offerings.default_window;
  return handle;
}

int Serve(const ParsedArgs& args) {
  auto cfg = LoadConfig(*args.Get("config"));
  if (!cfg.ok()) {
    return Fail(cfg.status(), kExitUsage);
  }
  log::Level level = log::Level::kInfo;
  log::ParseLevel(cfg->logging.level, &level);
  log::SetLevel(level);

  auto sis = BuildSis(*cfg);
  if (!sis.ok()) {
    return Fail(sis.status(),
                sis.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitRuntime);
  }
  const endpoint::Api& api = *sis->api;

  AdminService admin;
  if (cfg->admin.enabled) {
    StatusOr<AdminService> prepared = PrepareAdmin(*cfg);
    if (!prepared.ok()) {
      return Fail(prepared.status(), prepared.status().code() == StatusCode::kInvalidArgument
                                         ? kExitUsage
                                         : kExitRuntime);
    }
    admin = std::move(prepared).value();
  }

  // Block the stop signals before any thread starts, so only sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  endpoint::HttpServer server(cfg->server, cfg->logging.access_log, &api, cfg->auth);
  Status started = server.Start();
  if (!started.ok()) {
    return Fail(started, kExitRuntime);
  }
  log::Info("listening", {{"address", cfg->server.address},
                          {"port", static_cast<int>(server.port())},
                          {"threads", cfg->server.threads},
                          {"adapter", cfg->sis.adapter}});
  std::printf("ooapi-endpoint: serving OOAPI v5 on http://%s:%u/\n", cfg->server.address.c_str(),
              server.port());
  if (admin.make_server) {
    admin.server = admin.make_server();
    Status admin_started = admin.server->Start();
    if (!admin_started.ok()) {
      server.Shutdown();
      return Fail(admin_started.WithPrefix("admin listener"), kExitRuntime);
    }
    Status runner_started = admin.runner->Start();
    if (!runner_started.ok()) {
      admin.server->Shutdown();
      server.Shutdown();
      return Fail(runner_started.WithPrefix("admin job runner"), kExitRuntime);
    }
    log::Info("listening", {{"listener", "admin"},
                            {"address", cfg->admin.address},
                            {"port", static_cast<int>(admin.server->port())},
                            {"clients", static_cast<int>(cfg->admin.clients.size())}});
    std::printf("ooapi-endpoint: admin API on http://%s:%u/admin/\n", cfg->admin.address.c_str(),
                admin.server->port());
  }
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  log::Info("draining", {{"signal", received}, {"in_flight", server.in_flight()}});
  // Both listeners drain at once; the runner stops after the admin listener (no new jobs), its
  // unfinished jobs stay in the ledger for the next start.
  int admin_left = 0;
  std::thread admin_stop;
  if (admin.server) {
    admin_stop = std::thread([&admin, &admin_left, &cfg] {
      admin_left = admin.server->Drain(std::chrono::milliseconds(cfg->server.drain_timeout_ms));
      admin.runner->Stop();
    });
  }
  int left = server.Drain(std::chrono::milliseconds(cfg->server.drain_timeout_ms));
  if (admin_stop.joinable()) admin_stop.join();
  log::Info("stopped", {{"unfinished_requests", left + admin_left}});
  return kExitOk;
}

int DemoData(const ParsedArgs& args) {
  demo::DemoOptions options;
  options.scale = args.Get("scale").value_or("small");
  if (auto seed = args.Get("seed")) {
    auto n = ParseInt64(*seed);
    if (!n || *n < 0) {
      return Fail(
          InvalidArgument("demo-data: --seed must be a non-negative integer, got '" + *seed + "'"),
          kExitUsage);
    }
    options.seed = static_cast<uint64_t>(*n);
  }
  options.today = args.Get("today").value_or("");
  options.plant_rio_defects = args.Get("plant-rio-defects").has_value();
  const std::string path = *args.Get("db");
  const bool postgres = StartsWith(path, "postgresql://") || StartsWith(path, "postgres://");
  StatusOr<db::ConnectionPtr> connection = Status(StatusCode::kInternal, "not opened");
  if (postgres) {
    // The password, if any, comes from PGPASSWORD or ~/.pgpass (libpq), never from the URL.
    adapters::postgres::ConnectOptions open;
    open.conninfo = path;
    open.read_only = false;
    connection = adapters::postgres::Open(open);
  } else {
    adapters::sqlite::OpenOptions open;
    open.create = true;
    connection = adapters::sqlite::Open(path, open);
  }
  if (!connection.ok()) {
    return Fail(connection.status(), kExitRuntime);
  }
  auto summary = demo::WriteDemo(**connection, options);
  if (summary.ok() && postgres) {
    // Statistics for the planner and a visibility map for index-only scans (deep pages).
    Status analyzed = (*connection)->ExecuteScript("VACUUM ANALYZE");
    if (!analyzed.ok()) {
      return Fail(analyzed, kExitRuntime);
    }
  }
  if (!summary.ok()) {
    return Fail(summary.status(), summary.status().code() == StatusCode::kInvalidArgument
                                      ? kExitUsage
                                      : kExitRuntime);
  }
  std::printf(
      "demo-data: wrote %s: %lld organizations, %lld academic sessions, %lld education "
      "specifications, %lld programs, %lld courses, %lld offerings\n",
      path.c_str(), static_cast<long long>(summary->organizations),
      static_cast<long long>(summary->academic_sessions),
      static_cast<long long>(summary->education_specifications),
      static_cast<long long>(summary->programs), static_cast<long long>(summary->courses),
      static_cast<long long>(summary->offerings));
  for (const auto& p : summary->planted) {
    std::printf("  planted %-32s %s %s: %s\n", p.rule.c_str(), p.entity_type.c_str(),
                p.entity_id.c_str(), p.what.c_str());
  }
  return kExitOk;
}

int CheckRio(const ParsedArgs& args) {
  const std::string format = args.Get("format").value_or("text");
  if (!check::IsReportFormat(format)) {
    return Fail(
        InvalidArgument("check-rio: --format must be text, json or csv, got '" + format + "'"),
        kExitUsage);
  }
  auto cfg = LoadConfig(args.Get("config").value_or("config/demo.yaml"));
  if (!cfg.ok()) {
    return Fail(cfg.status(), kExitUsage);
  }
  log::SetLevel(log::Level::kWarn);
  auto sis = BuildSis(*cfg);
  if (!sis.ok()) {
    return Fail(sis.status(),
                sis.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitRuntime);
  }
  const endpoint::Api& api = *sis->api;
  auto report = check::CheckRio(api);
  if (!report.ok()) {
    return Fail(report.status(), kExitRuntime);
  }
  check::WriteReport(*report, format, std::cout);
  return check::ExitStatus(*report);
}

int HashSecret(const ParsedArgs& /*args*/) {
  std::string secret;
  if (!std::getline(std::cin, secret) || secret.empty()) {
    return Fail(InvalidArgument("hash-secret: give the secret on standard input, e.g. "
                                "'ooapi-endpoint hash-secret < secret.txt'"),
                kExitUsage);
  }
  std::printf("%s\n", crypto::HashSecret(secret).c_str());
  return kExitOk;
}

int CheckConfig(const ParsedArgs& args) {
  auto cfg = LoadConfig(*args.positional);
  if (!cfg.ok()) {
    return Fail(cfg.status(), kExitUsage);
  }
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  auto names = registry.Names();
  if (std::find(names.begin(), names.end(), cfg->sis.adapter) == names.end()) {
    return Fail(InvalidArgument(*args.positional + ": sis.adapter: unknown SIS adapter '" +
                                cfg->sis.adapter + "' (known: " + Join(names, ", ") + ")"),
                kExitUsage);
  }
  const auto& s = cfg->server;
  std::printf("%s: OK\n", args.positional->c_str());
  std::printf("  listen        %s:%d, %d I/O threads\n", s.address.c_str(), s.port, s.threads);
  std::printf(
      "  limits        request %d bytes, header %d ms, body %d ms, keep-alive %d s, "
      "drain %d ms\n",
      s.max_request_bytes, s.header_timeout_ms, s.body_timeout_ms, s.keepalive_timeout_s,
      s.drain_timeout_ms);
  std::printf("  sis           adapter %s", cfg->sis.adapter.c_str());
  if (cfg->sis.adapter == "sqlite") {
    std::printf(", file %s", cfg->sis.sqlite.path.c_str());
  }
  std::printf("\n  offerings     default window %s\n", cfg->offerings.default_window.c_str());
  std::printf("  auth          %s", cfg->auth.enabled ? "on" : "off");
  if (cfg->auth.enabled) {
    std::printf(", %zu client(s)", cfg->auth.clients.size());
  }
  std::printf("\n  logging       level %s, access log %s\n", cfg->logging.level.c_str(),
              cfg->logging.access_log ? "on" : "off");
  return kExitOk;
}

// The SIS side of `sync plan`: the configured adapter and the Api over it, exactly as `serve`
// builds them (same offering window), so the plan sees what the RIO mapper would.
StatusOr<sync::SisHandle> OpenSis(const std::string& config_path) {
  OOAPI_ASSIGN_OR_RETURN(config::Config cfg,
                         LoadConfig(config_path.empty() ? "config/demo.yaml" : config_path));
  return BuildSis(cfg);
}

void PrintUsage(std::FILE* out) {
  std::fprintf(
      out,
      "usage: ooapi-endpoint COMMAND [options]\n\n"
      "commands:\n"
      "  serve --config FILE       serve OOAPI v5 over HTTP\n"
      "  demo-data --db PATH|URL   write the demo institution into a new database\n"
      "  check-config FILE         validate a configuration file\n"
      "  check-rio [--config FILE] check what the RIO mapper would fetch against its rules\n"
      "  rio import|download|diff|overview|snapshots   what RIO holds (DUO open data)\n"
      "  sync plan|apply|verify    match SIS and RIO, link through SURFeduhub, check the result\n"
      "  link|unlink|push          one job through SURFeduhub (link, unlink, upsert, delete)\n"
      "  jobs|job                  the job ledger\n\n"
      "'ooapi-endpoint COMMAND --help' describes a command.\n"
      "exit status: 0 ok, 2 usage or configuration error, 1 runtime failure\n");
}

}  // namespace
}  // namespace ooapi::app

int main(int argc, char** argv) {
  using namespace ooapi::app;  // NOLINT(google-build-using-namespace)
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintUsage(stderr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(stdout);
    return kExitOk;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "sync") {
    try {
      if (!args.empty() && (args[0] == "apply" || args[0] == "verify")) {
        const std::string sub = args[0];
        args.erase(args.begin());
        return ooapi::sync::RunLinkCommand(sub, args, OpenSyncDatabase);
      }
      return ooapi::sync::RunSyncCommand(args, OpenSyncDatabase, OpenSis);
    } catch (const std::exception& ex) {
      std::cerr << "ooapi-endpoint: unexpected failure: " << ex.what() << "\n";
      return kExitRuntime;
    }
  }
  if (command == "link" || command == "unlink" || command == "push" || command == "jobs" ||
      command == "job") {
    try {
      return ooapi::sync::RunLinkCommand(command, args, OpenSyncDatabase);
    } catch (const std::exception& ex) {
      std::cerr << "ooapi-endpoint: unexpected failure: " << ex.what() << "\n";
      return kExitRuntime;
    }
  }
  if (command == "rio") {
    try {
      return ooapi::sync::RunRioCommand(args, OpenSyncDatabase);
    } catch (const std::exception& ex) {
      std::cerr << "ooapi-endpoint: unexpected failure: " << ex.what() << "\n";
      return kExitRuntime;
    }
  }
  struct Entry {
    const CommandSpec* spec;
    int (*run)(const ParsedArgs&);
  };
  const Entry entries[] = {{&kServe, Serve},
                           {&kDemoData, DemoData},
                           {&kCheckConfig, CheckConfig},
                           {&kCheckRio, CheckRio},
                           {&kHashSecret, HashSecret}};
  for (const Entry& e : entries) {
    if (e.spec->name != command) {
      continue;
    }
    auto parsed = ParseArgs(*e.spec, args);
    if (!parsed.ok()) {
      std::cerr << "ooapi-endpoint " << parsed.status().message() << "\n";
      return kExitUsage;
    }
    if (parsed->help) {
      std::cout << HelpText(*e.spec);
      return kExitOk;
    }
    try {
      return e.run(*parsed);
    } catch (const std::exception& ex) {
      std::cerr << "ooapi-endpoint: unexpected failure: " << ex.what() << "\n";
      return kExitRuntime;
    }
  }
  std::cerr << "ooapi-endpoint: unknown command '" << command << "'\n";
  PrintUsage(stderr);
  return kExitUsage;
}
