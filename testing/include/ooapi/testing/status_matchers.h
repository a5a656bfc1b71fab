#pragma once
// GoogleTest matchers for Status and StatusOr<T>, modelled on absl/status/status_matchers.h. Each
// works on both a Status and a StatusOr<T>:
//
//   EXPECT_THAT(adapter->CheckReady(), IsOk());
//   EXPECT_THAT(adapter->GetProgram(id, {}), StatusIs(StatusCode::kNotFound));
//   EXPECT_THAT(adapter->GetProgram(id, {}), StatusIs(StatusCode::kNotFound, HasSubstr(id)));
//   EXPECT_THAT(adapter->ListPrograms(q), IsOkAndHolds(Field(&Page<Program>::total_items, 25)));
//   EXPECT_OK(WriteFixture(*c));
//   ASSERT_OK_AND_ASSIGN(auto page, adapter->ListPrograms(q));
//
// A failure prints the code and the message of the status ("NOT_FOUND: no program with id ..."):
// this header teaches GoogleTest to print Status, StatusOr<T> and StatusCode.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

#include "ooapi/common/status.h"

namespace ooapi {

// Found by argument-dependent lookup from GoogleTest's printers.
inline void PrintTo(StatusCode code, std::ostream* os) { *os << StatusCodeName(code); }
inline void PrintTo(const Status& status, std::ostream* os) { *os << status.ToString(); }
template <typename T>
void PrintTo(const StatusOr<T>& status_or, std::ostream* os) {
  if (status_or.ok()) {
    *os << "OK holding " << ::testing::PrintToString(*status_or);
  } else {
    *os << status_or.status().ToString();
  }
}

namespace testing {
namespace internal_status {

inline Status GetStatus(const Status& status) { return status; }
template <typename T>
Status GetStatus(const StatusOr<T>& status_or) {
  return status_or.status();
}

// IsOk() for one argument type (Status or StatusOr<T>, possibly a reference).
template <typename StatusType>
class MonoIsOkMatcher : public ::testing::MatcherInterface<StatusType> {
 public:
  bool MatchAndExplain(StatusType actual,
                       ::testing::MatchResultListener* /*listener*/) const override {
    return GetStatus(actual).ok();
  }
  void DescribeTo(std::ostream* os) const override { *os << "is OK"; }
  void DescribeNegationTo(std::ostream* os) const override { *os << "is not OK"; }
};

class IsOkMatcher {
 public:
  template <typename StatusType>
  operator ::testing::Matcher<StatusType>() const {  // NOLINT: converts to any status matcher
    return ::testing::Matcher<StatusType>(new MonoIsOkMatcher<StatusType>());
  }
};

// The code and message parts of StatusIs(), shared by every argument type.
class StatusIsMatcherCommon {
 public:
  StatusIsMatcherCommon(::testing::Matcher<StatusCode> code,
                        ::testing::Matcher<const std::string&> message)
      : code_(std::move(code)), message_(std::move(message)) {}

  void DescribeTo(std::ostream* os) const {
    *os << "has a status code that ";
    code_.DescribeTo(os);
    *os << ", and has an error message that ";
    message_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "either has a status code that ";
    code_.DescribeNegationTo(os);
    *os << ", or has an error message that ";
    message_.DescribeNegationTo(os);
  }
  bool MatchAndExplain(const Status& status, ::testing::MatchResultListener* listener) const {
    ::testing::StringMatchResultListener inner;
    if (!code_.MatchAndExplain(status.code(), &inner)) {
      *listener << "whose status code is wrong";
      if (!inner.str().empty()) {
        *listener << ", " << inner.str();
      }
      return false;
    }
    if (!message_.MatchAndExplain(status.message(), &inner)) {
      *listener << "whose error message is wrong";
      if (!inner.str().empty()) {
        *listener << ", " << inner.str();
      }
      return false;
    }
    return true;
  }

 private:
  ::testing::Matcher<StatusCode> code_;
  ::testing::Matcher<const std::string&> message_;
};

template <typename StatusType>
class MonoStatusIsMatcher : public ::testing::MatcherInterface<StatusType> {
 public:
  explicit MonoStatusIsMatcher(StatusIsMatcherCommon common) : common_(std::move(common)) {}
  bool MatchAndExplain(StatusType actual, ::testing::MatchResultListener* listener) const override {
    return common_.MatchAndExplain(GetStatus(actual), listener);
  }
  void DescribeTo(std::ostream* os) const override { common_.DescribeTo(os); }
  void DescribeNegationTo(std::ostream* os) const override { common_.DescribeNegationTo(os); }

 private:
  StatusIsMatcherCommon common_;
};

class StatusIsMatcher {
 public:
  template <typename CodeMatcher, typename MessageMatcher>
  StatusIsMatcher(CodeMatcher&& code, MessageMatcher&& message)
      : common_(::testing::MatcherCast<StatusCode>(std::forward<CodeMatcher>(code)),
                ::testing::MatcherCast<const std::string&>(std::forward<MessageMatcher>(message))) {
  }

  template <typename StatusType>
  operator ::testing::Matcher<StatusType>() const {  // NOLINT: converts to any status matcher
    return ::testing::Matcher<StatusType>(new MonoStatusIsMatcher<StatusType>(common_));
  }

 private:
  StatusIsMatcherCommon common_;
};

// IsOkAndHolds(m) for one StatusOr<T> type (possibly a reference).
template <typename StatusOrType>
class MonoIsOkAndHoldsMatcher : public ::testing::MatcherInterface<StatusOrType> {
 public:
  using Value = typename std::remove_cvref_t<StatusOrType>;
  using ValueType = std::remove_cvref_t<decltype(*std::declval<const Value&>())>;

  // Only ever built from IsOkAndHolds's matcher, never copied through this constructor.
  template <typename InnerMatcher>
  // NOLINTNEXTLINE(bugprone-forwarding-reference-overload)
  explicit MonoIsOkAndHoldsMatcher(InnerMatcher&& inner)
      : inner_(::testing::SafeMatcherCast<const ValueType&>(std::forward<InnerMatcher>(inner))) {}

  bool MatchAndExplain(StatusOrType actual,
                       ::testing::MatchResultListener* listener) const override {
    if (!actual.ok()) {
      *listener << "which has status " << actual.status().ToString();
      return false;
    }
    ::testing::StringMatchResultListener inner;
    const bool matched = inner_.MatchAndExplain(*actual, &inner);
    if (!inner.str().empty()) {
      *listener << "which holds a value " << inner.str();
    }
    return matched;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "is OK and holds a value that ";
    inner_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "isn't OK or holds a value that ";
    inner_.DescribeNegationTo(os);
  }

 private:
  ::testing::Matcher<const ValueType&> inner_;
};

template <typename InnerMatcher>
class IsOkAndHoldsMatcher {
 public:
  explicit IsOkAndHoldsMatcher(InnerMatcher inner) : inner_(std::move(inner)) {}

  template <typename StatusOrType>
  operator ::testing::Matcher<StatusOrType>() const {  // NOLINT: converts to any StatusOr matcher
    return ::testing::Matcher<StatusOrType>(new MonoIsOkAndHoldsMatcher<StatusOrType>(inner_));
  }

 private:
  InnerMatcher inner_;
};

}  // namespace internal_status

// Matches an OK Status, or a StatusOr<T> holding a value.
inline internal_status::IsOkMatcher IsOk() { return {}; }

// Matches a Status (or the status of a StatusOr<T>) whose code matches `code` (a StatusCode or a
// matcher of one) and whose message matches `message` (a string or a matcher of one, e.g.
// ::testing::HasSubstr("...")).
template <typename CodeMatcher, typename MessageMatcher>
internal_status::StatusIsMatcher StatusIs(CodeMatcher&& code, MessageMatcher&& message) {
  return {std::forward<CodeMatcher>(code), std::forward<MessageMatcher>(message)};
}
// Any message.
template <typename CodeMatcher>
internal_status::StatusIsMatcher StatusIs(CodeMatcher&& code) {
  return {std::forward<CodeMatcher>(code), ::testing::_};
}

// Matches a StatusOr<T> that is OK and whose value matches `inner` (a value or a matcher).
template <typename InnerMatcher>
internal_status::IsOkAndHoldsMatcher<std::decay_t<InnerMatcher>> IsOkAndHolds(
    InnerMatcher&& inner) {
  return internal_status::IsOkAndHoldsMatcher<std::decay_t<InnerMatcher>>(
      std::forward<InnerMatcher>(inner));
}

}  // namespace testing
}  // namespace ooapi

// EXPECT_OK(expr) / ASSERT_OK(expr): `expr` (a Status or a StatusOr<T>) is OK. On failure the
// code and message of the status are printed; more can be streamed: EXPECT_OK(s) << "context".
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::ooapi::testing::IsOk())
#define ASSERT_OK(expr) ASSERT_THAT((expr), ::ooapi::testing::IsOk())

// NOLINTBEGIN(bugprone-macro-parentheses): `lhs` is a declaration, `status_or` a name.
// ASSERT_OK_AND_ASSIGN(lhs, rexpr): evaluates `rexpr` (a StatusOr<T>) once; when it is OK, moves
// its value into `lhs` (a declaration such as `auto page` or an existing variable), otherwise
// fails the test fatally, printing the expression and its status. As ASSERT_*, only in functions
// that return void. Expands to more than one statement: not the body of an unbraced `if`.
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  OOAPI_ASSERT_OK_AND_ASSIGN_IMPL_(OOAPI_CONCAT_(ooapi_status_or_, __LINE__), lhs, rexpr)
#define OOAPI_ASSERT_OK_AND_ASSIGN_IMPL_(status_or, lhs, rexpr)   \
  auto status_or = (rexpr);                                       \
  if (!status_or.ok()) {                                          \
    GTEST_FATAL_FAILURE_("Value of: " #rexpr "\nExpected: is OK") \
        << "  Actual: " << status_or.status().ToString();         \
  }                                                               \
  lhs = std::move(status_or).value()
// NOLINTEND(bugprone-macro-parentheses)
