#pragma once
// The production SIS backend: the SIS contract as views in PostgreSQL, read with libpqxx 6.4.

#include <string>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/config/config.h"
#include "ooapi/db/db.h"

namespace ooapi::adapters::postgres {

struct ConnectOptions {
  // A libpq connection string or URI (postgresql://user@host:port/db). A password inside it is
  // accepted but discouraged; `password` below wins.
  std::string conninfo;
  std::string password;          // empty: libpq's own sources (PGPASSWORD, ~/.pgpass)
  std::string schema;            // search_path; empty keeps the server default
  int statement_timeout_ms = 0;  // 0: none
  int connect_timeout_s = 5;
  bool read_only = true;  // default_transaction_read_only
  std::string application_name = "ooapi-endpoint";
};

// Opens one connection. kUnavailable when the server cannot be reached; the message names host and
// database but never the password.
StatusOr<db::ConnectionPtr> Open(const ConnectOptions& options);

// Builds ConnectOptions from sis.postgres.* (reads the password from password_file or the
// environment variable named by password_env). kInvalidArgument naming the setting on a problem.
StatusOr<ConnectOptions> OptionsFromConfig(const config::Config& config);

// Registers the adapter named "postgres" (config: sis.postgres.*).
void Register(AdapterRegistry& registry);

}  // namespace ooapi::adapters::postgres
