#include "ooapi/db/db.h"

#include <stdexcept>

namespace ooapi::db {

ResultSet::ResultSet(std::vector<std::string> columns, std::vector<std::vector<Value>> rows)
    : columns_(std::move(columns)), rows_(std::move(rows)) {}

int ResultSet::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

const Value& Row::Get(std::string_view column) const {
  int index = set_->ColumnIndex(column);
  if (index < 0) {
    throw std::logic_error("column not selected: " + std::string(column));
  }
  return set_->rows()[index_][static_cast<size_t>(index)];
}

bool Row::IsNull(std::string_view column) const {
  return std::holds_alternative<std::monostate>(Get(column));
}

std::optional<std::string> Row::Text(std::string_view column) const {
  const Value& v = Get(column);
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return std::to_string(*d);
  }
  return std::nullopt;
}

std::optional<int64_t> Row::Int(std::string_view column) const {
  const Value& v = Get(column);
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return *i;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return static_cast<int64_t>(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    try {
      size_t used = 0;
      int64_t out = std::stoll(*s, &used);
      if (used == s->size()) {
        return out;
      }
    } catch (const std::exception&) {
    }
    throw std::logic_error("column " + std::string(column) + " is not an integer");
  }
  return std::nullopt;
}

std::optional<double> Row::Real(std::string_view column) const {
  const Value& v = Get(column);
  if (const auto* d = std::get_if<double>(&v)) {
    return *d;
  }
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return static_cast<double>(*i);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    try {
      size_t used = 0;
      double out = std::stod(*s, &used);
      if (used == s->size()) {
        return out;
      }
    } catch (const std::exception&) {
    }
    throw std::logic_error("column " + std::string(column) + " is not a number");
  }
  return std::nullopt;
}

std::optional<bool> Row::Bool(std::string_view column) const {
  const Value& v = Get(column);
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return *i != 0;
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (*s == "t" || *s == "true" || *s == "1") {
      return true;
    }
    if (*s == "f" || *s == "false" || *s == "0") {
      return false;
    }
    throw std::logic_error("column " + std::string(column) + " is not a boolean");
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return *d != 0.0;
  }
  return std::nullopt;
}

Pool::Lease::Lease(Pool* pool, ConnectionPtr connection)
    : pool_(pool), connection_(std::move(connection)) {}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

Pool::Lease::~Lease() {
  if (connection_) {
    pool_->Return(std::move(connection_));
  }
}

Pool::Pool(ConnectionFactory factory, size_t size, std::chrono::milliseconds acquire_timeout)
    : factory_(std::move(factory)),
      size_(size == 0 ? 1 : size),
      acquire_timeout_(acquire_timeout) {}

StatusOr<Pool::Lease> Pool::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  bool ready = available_.wait_for(lock, acquire_timeout_,
                                   [this] { return !idle_.empty() || outstanding_ < size_; });
  if (!ready) {
    return Status(StatusCode::kUnavailable, "no database connection became free in time");
  }
  if (!idle_.empty()) {
    ConnectionPtr c = std::move(idle_.front());
    idle_.pop_front();
    return Lease(this, std::move(c));
  }
  ++outstanding_;
  lock.unlock();
  // Connect outside the lock: it may take a while and must not block other leases.
  StatusOr<ConnectionPtr> made = factory_();
  if (!made.ok()) {
    std::lock_guard<std::mutex> relock(mutex_);
    --outstanding_;
    available_.notify_one();
    return made.status();
  }
  return Lease(this, std::move(made).value());
}

void Pool::Return(ConnectionPtr connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (connection->Healthy()) {
    idle_.push_back(std::move(connection));
  } else {
    --outstanding_;  // dropped; a fresh one is made on the next Acquire
  }
  available_.notify_one();
}

}  // namespace ooapi::db
