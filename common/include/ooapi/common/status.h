#pragma once
// Status and StatusOr: the error values that cross every module boundary.
// Modelled on absl::Status; exceptions never leave a module, so a caller sees every failure in
// the type it gets back.

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ooapi {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from a caller: HTTP 400, exit code 2
  kNotFound,            // the requested entity does not exist: HTTP 404
  kNotAcceptable,       // content negotiation failed: HTTP 406
  kFailedPrecondition,  // the system is not in a state to do this
  kUnavailable,         // a dependency (database, network) cannot be reached: HTTP 503
  kDeadlineExceeded,    // a dependency did not answer in time: HTTP 503
  kUnauthenticated,     // missing or wrong credentials: HTTP 401
  kAlreadyExists,
  kInternal,  // a bug or an unexpected state: HTTP 500
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NOT_FOUND: message"; for logs and CLI output, never for HTTP clients.
  std::string ToString() const;

  // Returns a copy whose message is "prefix: message" (same code).
  Status WithPrefix(std::string_view prefix) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status DeadlineExceeded(std::string m) {
  return {StatusCode::kDeadlineExceeded, std::move(m)};
}
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : value_(status) { assert(!status.ok()); }  // NOLINT
  StatusOr(Status&& status) : value_(std::move(status)) {                    // NOLINT
    assert(!std::get<Status>(value_).ok());
  }
  StatusOr(const T& value) : value_(value) {}        // NOLINT
  StatusOr(T&& value) : value_(std::move(value)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(value_); }

  const T& value() const& { return std::get<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> value_;
};

}  // namespace ooapi

// The macros take an identifier or a declaration (`lhs`, `tmp`), which cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)

#define OOAPI_CONCAT_INNER_(a, b) a##b
#define OOAPI_CONCAT_(a, b) OOAPI_CONCAT_INNER_(a, b)

// Propagates a non-OK Status to the caller. The local is named per use (__COUNTER__): `expr` may
// hold a lambda that uses the macro again, whose local would otherwise shadow this one.
#define OOAPI_RETURN_IF_ERROR(expr) \
  OOAPI_RETURN_IF_ERROR_IMPL_(OOAPI_CONCAT_(ooapi_status_, __COUNTER__), expr)
#define OOAPI_RETURN_IF_ERROR_IMPL_(status, expr) \
  do {                                            \
    ::ooapi::Status status = (expr);              \
    if (!status.ok()) {                           \
      return status;                              \
    }                                             \
  } while (0)
// Assigns the value of a StatusOr expression to `lhs`, or returns its Status.
#define OOAPI_ASSIGN_OR_RETURN(lhs, expr) \
  OOAPI_ASSIGN_OR_RETURN_IMPL_(OOAPI_CONCAT_(ooapi_statusor_, __LINE__), lhs, expr)
#define OOAPI_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) {                                   \
    return tmp.status();                             \
  }                                                  \
  lhs = std::move(tmp).value()

// NOLINTEND(bugprone-macro-parentheses)
