#include "ooapi/adapters/postgres/postgres.h"

#include <pqxx/pqxx>

#include <fstream>
#include <unordered_map>

#include "ooapi/adapters/sql/sql_adapter.h"
#include "ooapi/common/strings.h"

namespace ooapi::adapters::postgres {
namespace {

// `?` placeholders outside string literals become $1, $2, ... (the db layer is dialect-neutral).
std::string ToDollarPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_string = false;
  for (char c : sql) {
    if (c == '\'') {
      in_string = !in_string;
    }
    if (c == '?' && !in_string) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

bool IsUri(std::string_view conninfo) {
  return StartsWith(conninfo, "postgresql://") || StartsWith(conninfo, "postgres://");
}

std::string PercentEncode(std::string_view value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Adds key=value to a keyword/value conninfo or to a URI's query string.
void AppendParam(std::string* conninfo, std::string_view key, std::string_view value) {
  if (IsUri(*conninfo)) {
    *conninfo += conninfo->find('?') == std::string::npos ? '?' : '&';
    *conninfo += std::string(key) + "=" + PercentEncode(value);
    return;
  }
  std::string quoted;
  for (char c : value) {
    if (c == '\'' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  *conninfo += " " + std::string(key) + "='" + quoted + "'";
}

// Where we connect, for messages: never the password.
std::string Describe(pqxx::connection& c) {
  std::string host = c.hostname() != nullptr ? c.hostname() : "?";
  std::string db = c.dbname() != nullptr ? c.dbname() : "?";
  return "PostgreSQL " + db + " on " + host + ":" + (c.port() != nullptr ? c.port() : "?");
}

class PgConnection final : public db::Connection {
 public:
  explicit PgConnection(std::unique_ptr<pqxx::connection> c) : conn_(std::move(c)) {}

  StatusOr<db::ResultSet> Query(std::string_view sql,
                                const std::vector<db::Value>& params) override {
    pqxx::result r;
    OOAPI_RETURN_IF_ERROR(Run(sql, params, &r));
    std::vector<std::string> columns;
    const auto ncols = static_cast<size_t>(r.columns());
    columns.reserve(ncols);
    for (size_t i = 0; i < ncols; ++i) {
      columns.emplace_back(r.column_name(static_cast<pqxx::row::size_type>(i)));
    }
    std::vector<std::vector<db::Value>> rows;
    rows.reserve(r.size());
    for (const auto& row : r) {
      std::vector<db::Value> out;
      out.reserve(ncols);
      for (const auto& field : row) {
        if (field.is_null()) {
          out.emplace_back(std::monostate{});
        } else {
          out.emplace_back(std::string(field.c_str(), field.size()));
        }
      }
      rows.push_back(std::move(out));
    }
    return db::ResultSet(std::move(columns), std::move(rows));
  }

  StatusOr<int64_t> Execute(std::string_view sql, const std::vector<db::Value>& params) override {
    pqxx::result r;
    OOAPI_RETURN_IF_ERROR(Run(sql, params, &r));
    return static_cast<int64_t>(r.affected_rows());
  }

  Status ExecuteScript(std::string_view sql) override {
    return Guard([&] {
      pqxx::nontransaction tx(*conn_);
      tx.exec(std::string(sql));
    });
  }

  db::Dialect dialect() const override { return db::Dialect::kPostgres; }
  bool Healthy() const override { return healthy_ && conn_->is_open(); }

 private:
  Status Run(std::string_view sql, const std::vector<db::Value>& params, pqxx::result* out) {
    std::string key(sql);
    return Guard([&] {
      auto it = statements_.find(key);
      if (it == statements_.end()) {
        std::string name = "s" + std::to_string(statements_.size());
        conn_->prepare(name, ToDollarPlaceholders(sql));
        it = statements_.emplace(key, name).first;
      }
      std::vector<std::string> texts(params.size());
      std::vector<const char*> values(params.size(), nullptr);
      for (size_t i = 0; i < params.size(); ++i) {
        const db::Value& v = params[i];
        if (const auto* s = std::get_if<std::string>(&v)) {
          texts[i] = *s;
        } else if (const auto* n = std::get_if<int64_t>(&v)) {
          texts[i] = std::to_string(*n);
        } else if (const auto* d = std::get_if<double>(&v)) {
          texts[i] = pqxx::to_string(*d);
        } else {
          continue;  // NULL
        }
        values[i] = texts[i].c_str();
      }
      pqxx::nontransaction tx(*conn_);
      *out = tx.exec_prepared(it->second, pqxx::prepare::make_dynamic_params(values));
    });
  }

  // Runs `fn`, mapping libpqxx exceptions onto Status codes: no exception leaves the adapter.
  template <typename Fn>
  Status Guard(Fn&& fn) {
    try {
      fn();
      return Status::Ok();
    } catch (const pqxx::broken_connection& e) {
      healthy_ = false;
      return Unavailable(std::string("PostgreSQL connection lost: ") + e.what());
    } catch (const pqxx::sql_error& e) {
      const std::string& state = e.sqlstate();
      const std::string message = std::string("PostgreSQL ") + state + ": " + e.what();
      if (state == "57014") {
        return DeadlineExceeded(message);  // statement_timeout
      }
      if (StartsWith(state, "08") || StartsWith(state, "57P")) {
        healthy_ = false;
        return Unavailable(message);
      }
      if (StartsWith(state, "22")) {
        return InvalidArgument(message);
      }
      if (StartsWith(state, "25P02")) {
        return Internal(message);
      }
      return Internal(message);
    } catch (const std::exception& e) {
      if (!conn_->is_open()) {
        healthy_ = false;
        return Unavailable(std::string("PostgreSQL connection lost: ") + e.what());
      }
      return Internal(std::string("PostgreSQL: ") + e.what());
    }
  }

  std::unique_ptr<pqxx::connection> conn_;
  bool healthy_ = true;
  std::unordered_map<std::string, std::string> statements_;  // SQL -> prepared statement name
};

}  // namespace

StatusOr<db::ConnectionPtr> Open(const ConnectOptions& options) {
  std::string conninfo = options.conninfo;
  if (!options.password.empty()) {
    AppendParam(&conninfo, "password", options.password);
  }
  AppendParam(&conninfo, "connect_timeout", std::to_string(options.connect_timeout_s));
  AppendParam(&conninfo, "application_name", options.application_name);
  std::unique_ptr<pqxx::connection> c;
  try {
    c = std::make_unique<pqxx::connection>(conninfo);
  } catch (const std::exception& e) {
    // libpq's message names host and port; it never contains the password.
    std::string why = e.what();
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) {
      why.pop_back();
    }
    return Unavailable("cannot connect to PostgreSQL: " + why);
  }
  const std::string where = Describe(*c);
  auto connection = std::make_unique<PgConnection>(std::move(c));
  std::string setup;
  if (!options.schema.empty()) {
    setup += "SET search_path TO " + options.schema + ";";
  }
  setup += "SET statement_timeout = " + std::to_string(options.statement_timeout_ms) + ";";
  if (options.read_only) {
    setup += "SET default_transaction_read_only = on;";
  }
  Status s = connection->ExecuteScript(setup);
  if (!s.ok()) {
    return Unavailable("cannot prepare the session on " + where + ": " + s.message());
  }
  return db::ConnectionPtr(std::move(connection));
}

StatusOr<ConnectOptions> OptionsFromConfig(const config::Config& config) {
  const config::PostgresConfig& pg = config.sis.postgres;
  ConnectOptions o;
  std::string conninfo;
  AppendParam(&conninfo, "host", pg.host);
  AppendParam(&conninfo, "port", std::to_string(pg.port));
  AppendParam(&conninfo, "dbname", pg.database);
  AppendParam(&conninfo, "user", pg.user);
  AppendParam(&conninfo, "sslmode", pg.sslmode);
  o.conninfo = std::string(TrimAscii(conninfo));
  if (!pg.password_file.empty()) {
    std::ifstream in(pg.password_file);
    if (!in || !std::getline(in, o.password)) {
      return InvalidArgument("sis.postgres.password_file: cannot read '" + pg.password_file + "'");
    }
  } else if (!pg.password_env.empty()) {
    if (const char* v = std::getenv(pg.password_env.c_str())) {
      o.password = v;
    }
  }
  if (!pg.schema.empty()) {
    for (char c : pg.schema) {
      if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') {
        return InvalidArgument("sis.postgres.schema: '" + pg.schema +
                               "' is not a plain identifier (letters, digits, _)");
      }
    }
  }
  o.schema = pg.schema;
  o.statement_timeout_ms = pg.statement_timeout_ms;
  o.connect_timeout_s = pg.connect_timeout_s;
  return o;
}

void Register(AdapterRegistry& registry) {
  registry.Register("postgres", [](const config::Config& config) -> StatusOr<SisAdapterPtr> {
    OOAPI_ASSIGN_OR_RETURN(ConnectOptions options, OptionsFromConfig(config));
    const auto size = static_cast<size_t>(config.sis.pool_size > 0 ? config.sis.pool_size
                                                                   : config.server.workers);
    auto pool =
        std::make_unique<db::Pool>([options] { return Open(options); }, size,
                                   std::chrono::milliseconds(config.sis.acquire_timeout_ms));
    pool->set_dialect(db::Dialect::kPostgres);
    return sql::CreateSqlAdapter(std::move(pool), config.sis.table_prefix);
  });
}

}  // namespace ooapi::adapters::postgres
