#pragma once
// Typed, immutable configuration. YAML is parsed once (LoadConfig*) into these structs; no YAML
// type escapes this module (yaml-cpp nodes are not thread-safe even for reads). Every value can be overridden from the
// environment: OOAPI_<SECTION>__<KEY>[__<KEY>...] in upper case, e.g. OOAPI_SERVER__PORT=9090 or
// OOAPI_SIS__SQLITE__PATH=/srv/sis.db. Environment values win over the file.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi::config {

struct ServerConfig {
  std::string address = "127.0.0.1";  // listen address; keep loopback behind a TLS proxy
  int port = 8080;                    // 0 = any free port (tests)
  int threads = 2;                    // Pistache I/O threads: sockets and HTTP parsing only
  int workers = 8;                    // handler threads: SIS queries run here
  int max_queued = 256;               // requests waiting for a worker; more are answered 503
  int max_request_bytes = 16384;      // request line + headers + body
  int header_timeout_ms = 10000;
  int body_timeout_ms = 30000;
  int keepalive_timeout_s = 60;
  int drain_timeout_ms = 10000;  // on SIGTERM: how long in-flight requests may take to finish
};

struct ServiceConfig {  // served on GET /
  std::string contact_email = "ooapi-beheer@example.org";
  std::string specification = "https://open-education-api.github.io/specification/v5/docs.html";
  std::string documentation = "https://github.com/ooapi-endpoint/ooapi-endpoint";
};

struct SqliteConfig {
  std::string path = "var/demo.db";
  int busy_timeout_ms = 2000;
};

// PostgreSQL holding the SIS contract as views (adapter "postgres"). The password is never part of
// the configuration file: it comes from the file `password_file` or the environment variable named
// by `password_env`.
struct PostgresConfig {
  std::string host = "127.0.0.1";
  int port = 5432;
  std::string database = "sis";
  std::string user = "ooapi";
  std::string password_env = "PGPASSWORD";
  std::string password_file;
  std::string sslmode = "prefer";   // disable | allow | prefer | require | verify-ca | verify-full
  std::string schema = "public";    // search_path: where the contract views live
  int statement_timeout_ms = 1500;  // a query running longer is cancelled: 503, not a hang
  int connect_timeout_s = 3;
};

struct SisConfig {
  std::string adapter = "sqlite";  // a name registered in the adapter registry
  std::string table_prefix;        // prepended to every contract table/view name
  int pool_size = 0;               // database connections; 0 = server.workers
  int acquire_timeout_ms = 2000;   // waiting for a free connection before answering 503
  SqliteConfig sqlite;
  PostgresConfig postgres;
};

// Which offerings a collection returns when the request has no `since`/`until`.
struct OfferingsConfig {
  // "all": every offering (RIO-safe default: an upsert replaces ALL cohorts in RIO, so hiding
  // running cohorts from the RIO mapper deletes them there). "spec": OOAPI's default, only
  // offerings that end today or later (equal to since=<today>).
  std::string default_window = "all";
};

struct LoggingConfig {
  std::string level = "info";  // debug | info | warn | error
  bool access_log = true;      // one JSON line per request
};

// One caller allowed through when auth is enabled, typically SURFeduhub's gateway. A client has at least one of three credentials; secrets are stored hashed only
// (pbkdf2-sha256$... from `ooapi-endpoint hash-secret`, or sha256$<hex> for random keys, see
// ooapi/crypto/secret_hash.h). Empty strings mean "not configured".
struct AuthClient {
  std::string name;                 // shown in the access log as `client`; unique
  std::string basic_user;           // HTTP basic: user name (no ':'), unique across clients
  std::string basic_password_hash;  //   and the hash of its password
  std::string api_key_header;       // static header, e.g. "X-API-Key" (not Authorization)
  std::string api_key_hash;         //   and the hash of its value
  std::string bearer_token_hash;    // Authorization: Bearer <token> (static or OAuth2 token)
  std::string origin;               // "<file>:<line>" of the entry, for messages
};

struct AuthConfig {
  bool enabled = false;                  // off: every route is open
  std::string realm = "ooapi-endpoint";  // in WWW-Authenticate
  // Only from the file: a list cannot be set through environment variables.
  std::vector<AuthClient> clients;
};

// SURFeduhub's RIO mapper API for link, unlink, upsert and delete jobs. The client
// secret is never part of the configuration file: it comes from `client_secret_file` or the
// environment variable named by `client_secret_env`.
struct SurfeduhubConfig {
  std::string base_url;   // e.g. https://rio-api.surfeduhub.nl ("" = not configured)
  std::string token_url;  // OAuth2 client-credentials token endpoint
  std::string client_id;
  std::string client_secret_env = "SURFEDUHUB_CLIENT_SECRET";
  std::string client_secret_file;
  std::string audience;  // optional `audience` of the token request
  int connect_timeout_s = 10;
  int request_timeout_s = 30;
  int max_in_flight = 4;       // jobs submitted and not yet settled, per process
  int poll_initial_ms = 2000;  // first status poll; grows x1.5 per poll
  int poll_max_ms = 60000;     // up to this
  // Public base URL under which SURFeduhub reaches POST /admin/callback/{secret} of the admin
  // listener ("" = no webhooks; polling alone is the source of truth anyway).
  std::string callback_base_url;
};

// The admin HTTP API (link, unlink, jobs, SURFeduhub webhooks) on its own listener. Its clients
// are separate from the OOAPI clients in `auth`; the same credential forms apply.
struct AdminConfig {
  bool enabled = false;
  std::string address = "127.0.0.1";
  int port = 8081;                 // 0 = any free port (tests)
  std::string db = "var/sync.db";  // the sync database (ledger, snapshots): path or URL
  std::string audit_log = "var/admin-audit.log";  // one JSON line per accepted request
  std::vector<AuthClient> clients;                // only from the file
};

struct Config {
  ServerConfig server;
  ServiceConfig service;
  SisConfig sis;
  OfferingsConfig offerings;
  LoggingConfig logging;
  AuthConfig auth;
  SurfeduhubConfig surfeduhub;
  AdminConfig admin;
};

using Environment = std::map<std::string, std::string>;

// The current process environment (only OOAPI_* variables).
Environment ProcessEnvironment();

// Parses and validates. Errors (kInvalidArgument) name the place: "<file>:<line>: <problem>" for
// the file, "environment OOAPI_X__Y: <problem>" for overrides. Rejected: unknown keys, duplicate
// keys, wrong types (a quoted number is not an int, yes/no are not booleans, strictly "true" and
// "false"), values out of range, unknown OOAPI_* variables. A missing file is kInvalidArgument too
// ("<path>: cannot read file").
// Precedence: environment > file > built-in default. An empty file (or only comments) and an
// empty section ("server:" with nothing below it) leave the defaults in place. Only one YAML
// document is allowed. Relative paths in values are returned as given (relative to the working
// directory, not to the file). Integers are strict base 10 ("0755" is 755, "0x10" is an error).
// In `env`, only names starting with "OOAPI_" are considered, and names starting with
// "OOAPI_TEST_" or "OOAPI_KIT" are ignored: they belong to the test tooling, not to settings.
// Never throws.
StatusOr<Config> LoadConfigFile(const std::string& path, const Environment& env);
StatusOr<Config> LoadConfigString(std::string_view yaml, std::string_view source_name,
                                  const Environment& env);

// The environment variable that overrides a dotted key path, e.g. "server.port" ->
// "OOAPI_SERVER__PORT".
std::string EnvironmentName(std::string_view dotted_path);

}  // namespace ooapi::config
