#pragma once
// A minimal SQL access layer shared by the SQL-backed SIS adapters and (later) the sync module.
// Concrete drivers (sqlite, postgres) live with their adapters, which are the only targets that
// link the third-party client libraries. Everything here is dialect-neutral: statements use `?`
// placeholders, which a driver rewrites to its own syntax.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi::db {

using Value = std::variant<std::monostate, int64_t, double, std::string>;

inline Value Null() { return std::monostate{}; }
inline Value Text(std::string s) { return {std::move(s)}; }
inline Value OptionalText(const std::optional<std::string>& s) {
  return s ? Value(*s) : Value(std::monostate{});
}

// All rows of one statement, materialised. Immutable once returned; safe to share.
class ResultSet {
 public:
  ResultSet() = default;
  ResultSet(std::vector<std::string> columns, std::vector<std::vector<Value>> rows);

  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::vector<Value>>& rows() const { return rows_; }
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  // Index of a column by name, or -1.
  int ColumnIndex(std::string_view name) const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<Value>> rows_;
};

// Named, typed access to one row of a ResultSet. Accessing a column the statement did not select is
// a programming error and throws std::logic_error (caught by the adapter's guard).
class Row {
 public:
  Row(const ResultSet& set, size_t index) : set_(&set), index_(index) {}
  const Value& Get(std::string_view column) const;
  bool IsNull(std::string_view column) const;
  // Text of the column; numbers are formatted. nullopt for NULL.
  std::optional<std::string> Text(std::string_view column) const;
  std::optional<int64_t> Int(std::string_view column) const;
  std::optional<double> Real(std::string_view column) const;
  // Integer 0/1 (or text 't'/'f'/'true'/'false'); nullopt for NULL.
  std::optional<bool> Bool(std::string_view column) const;

 private:
  const ResultSet* set_;
  size_t index_;
};

enum class Dialect { kSqlite, kPostgres };

// One database session. Not thread-safe: a Connection is used by one thread at a time; a Pool
// hands it out. Errors: kUnavailable when the server cannot be reached (the connection is then
// unhealthy and the pool drops it), kDeadlineExceeded on a statement timeout, kInvalidArgument for
// data the database rejects (e.g. a malformed uuid), kInternal for SQL errors.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual StatusOr<ResultSet> Query(std::string_view sql, const std::vector<Value>& params) = 0;
  // Returns the number of rows changed.
  virtual StatusOr<int64_t> Execute(std::string_view sql, const std::vector<Value>& params) = 0;
  // Several statements separated by ';', no parameters (schema scripts).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
  // False once a connection-level failure was seen.
  virtual bool Healthy() const = 0;
};
using ConnectionPtr = std::unique_ptr<Connection>;
using ConnectionFactory = std::function<StatusOr<ConnectionPtr>()>;

// A bounded pool of connections. Thread-safe. Connections are created lazily by the factory and
// replaced when they become unhealthy.
class Pool {
 public:
  class Lease {
   public:
    Lease(Pool* pool, ConnectionPtr connection);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    Connection* operator->() const { return connection_.get(); }
    Connection& operator*() const { return *connection_; }

   private:
    Pool* pool_;
    ConnectionPtr connection_;
  };

  Pool(ConnectionFactory factory, size_t size, std::chrono::milliseconds acquire_timeout);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // kUnavailable if no connection can be made or none frees up within the acquire timeout.
  StatusOr<Lease> Acquire();
  Dialect dialect() const { return dialect_; }
  void set_dialect(Dialect dialect) { dialect_ = dialect; }

 private:
  void Return(ConnectionPtr connection);

  ConnectionFactory factory_;
  const size_t size_;
  const std::chrono::milliseconds acquire_timeout_;
  Dialect dialect_ = Dialect::kSqlite;
  std::mutex mutex_;
  std::condition_variable available_;
  std::deque<ConnectionPtr> idle_;  // guarded by mutex_
  size_t outstanding_ = 0;          // connections created and not dropped; guarded by mutex_
};

}  // namespace ooapi::db
