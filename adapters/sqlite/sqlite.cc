#include "ooapi/adapters/sqlite/sqlite.h"

#include <sqlite3.h>

#include <string_view>
#include <unordered_map>

#include "ooapi/adapters/sql/sql_adapter.h"

namespace ooapi::adapters::sqlite {
namespace {

// One sqlite3 handle with a cache of prepared statements. Used by one thread at a time.
class SqliteConnection final : public db::Connection {
 public:
  explicit SqliteConnection(sqlite3* handle) : handle_(handle) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) {
      sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(handle_);
  }

  StatusOr<db::ResultSet> Query(std::string_view sql,
                                const std::vector<db::Value>& params) override {
    sqlite3_stmt* stmt = nullptr;
    OOAPI_RETURN_IF_ERROR(Prepare(sql, params, &stmt));
    std::vector<std::vector<db::Value>> rows;
    std::vector<std::string> columns;
    int ncols = 0;
    while (true) {
      int rc = sqlite3_step(stmt);
      if (columns.empty()) {
        // After the first step: a cached statement is re-prepared there if the schema changed.
        ncols = sqlite3_column_count(stmt);
        for (int i = 0; i < ncols; ++i) {
          columns.emplace_back(sqlite3_column_name(stmt, i));
        }
      }
      if (rc == SQLITE_DONE) {
        break;
      }
      if (rc != SQLITE_ROW) {
        Status s = Error(rc, sql);
        sqlite3_reset(stmt);
        return s;
      }
      std::vector<db::Value> row;
      row.reserve(static_cast<size_t>(ncols));
      for (int i = 0; i < ncols; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(stmt, i));
            break;
          case SQLITE_NULL:
            row.emplace_back(std::monostate{});
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            int len = sqlite3_column_bytes(stmt, i);
            row.emplace_back(std::string(text == nullptr ? "" : text, static_cast<size_t>(len)));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_reset(stmt);
    return db::ResultSet(std::move(columns), std::move(rows));
  }

  StatusOr<int64_t> Execute(std::string_view sql, const std::vector<db::Value>& params) override {
    sqlite3_stmt* stmt = nullptr;
    OOAPI_RETURN_IF_ERROR(Prepare(sql, params, &stmt));
    int rc = sqlite3_step(stmt);
    while (rc == SQLITE_ROW) {
      rc = sqlite3_step(stmt);
    }
    if (rc != SQLITE_DONE) {
      Status s = Error(rc, sql);
      sqlite3_reset(stmt);
      return s;
    }
    sqlite3_reset(stmt);
    return static_cast<int64_t>(sqlite3_changes(handle_));
  }

  Status ExecuteScript(std::string_view sql) override {
    char* message = nullptr;
    int rc = sqlite3_exec(handle_, std::string(sql).c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return Internal("sqlite: " + text);
    }
    return Status::Ok();
  }

  db::Dialect dialect() const override { return db::Dialect::kSqlite; }
  bool Healthy() const override { return healthy_; }

 private:
  Status Prepare(std::string_view sql, const std::vector<db::Value>& params, sqlite3_stmt** out) {
    std::string key(sql);
    auto it = statements_.find(key);
    sqlite3_stmt* stmt = nullptr;
    if (it != statements_.end()) {
      stmt = it->second;
    } else {
      int rc =
          sqlite3_prepare_v2(handle_, key.c_str(), static_cast<int>(key.size()), &stmt, nullptr);
      if (rc != SQLITE_OK) {
        return Error(rc, sql);
      }
      statements_.emplace(std::move(key), stmt);
    }
    sqlite3_clear_bindings(stmt);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Internal("sqlite: statement expects " +
                      std::to_string(sqlite3_bind_parameter_count(stmt)) + " parameters, got " +
                      std::to_string(params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const db::Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) {
        return Error(rc, sql);
      }
    }
    *out = stmt;
    return Status::Ok();
  }

  Status Error(int rc, std::string_view sql) {
    std::string message = "sqlite: ";
    message += sqlite3_errmsg(handle_);
    message += " (in: ";
    message += sql.substr(0, 120);
    message += ")";
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      return Unavailable(message);
    }
    if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_NOTADB ||
        primary == SQLITE_CORRUPT) {
      healthy_ = false;
      return Unavailable(message);
    }
    return Internal(message);
  }

  sqlite3* handle_;
  bool healthy_ = true;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

StatusOr<db::ConnectionPtr> Open(const std::string& path, const OpenOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX;
  if (options.create) {
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  } else if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
  }
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open SQLite database '" + path +
                          "': " + (handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
    sqlite3_close_v2(handle);
    return Unavailable(message);
  }
  sqlite3_busy_timeout(handle, options.busy_timeout_ms);
  sqlite3_extended_result_codes(handle, 1);
  auto connection = std::make_unique<SqliteConnection>(handle);
  // A read-only open succeeds on a file that is not a database; find out now.
  StatusOr<db::ResultSet> probe = connection->Query("SELECT count(*) FROM sqlite_master", {});
  if (!probe.ok()) {
    return Unavailable("cannot read SQLite database '" + path + "': " + probe.status().message());
  }
  return db::ConnectionPtr(std::move(connection));
}

void Register(AdapterRegistry& registry) {
  registry.Register("sqlite", [](const config::Config& config) -> StatusOr<SisAdapterPtr> {
    const std::string path = config.sis.sqlite.path;
    OpenOptions options;
    options.busy_timeout_ms = config.sis.sqlite.busy_timeout_ms;
    const auto size = static_cast<size_t>(config.sis.pool_size > 0 ? config.sis.pool_size
                                                                   : config.server.workers);
    auto pool =
        std::make_unique<db::Pool>([path, options] { return Open(path, options); }, size,
                                   std::chrono::milliseconds(config.sis.acquire_timeout_ms));
    pool->set_dialect(db::Dialect::kSqlite);
    return sql::CreateSqlAdapter(std::move(pool), config.sis.table_prefix);
  });
}

}  // namespace ooapi::adapters::sqlite
