// The status matchers of testing/include/ooapi/testing/status_matchers.h: each passes and fails as
// it should, on Status and on StatusOr<T>, and a failure shows the code and the message.

#include "ooapi/testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ooapi::testing {
namespace {

using ::testing::AnyOf;
using ::testing::DescribeMatcher;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Matcher;
using ::testing::Not;
using ::testing::StringMatchResultListener;

const Status kMissing = NotFound("no program with id x");

// The explanation a matcher gives for `value`, and whether it matched.
template <typename T, typename M>
std::pair<bool, std::string> Explain(const M& matcher, const T& value) {
  StringMatchResultListener listener;
  const bool matched = ::testing::ExplainMatchResult(matcher, value, &listener);
  return {matched, listener.str()};
}

TEST(StatusPrinting, ShowsCodeAndMessage) {
  EXPECT_EQ(::testing::PrintToString(kMissing), "NOT_FOUND: no program with id x");
  EXPECT_EQ(::testing::PrintToString(Status::Ok()), "OK");
  EXPECT_EQ(::testing::PrintToString(StatusCode::kInvalidArgument), "INVALID_ARGUMENT");
  EXPECT_EQ(::testing::PrintToString(StatusOr<int>(kMissing)), "NOT_FOUND: no program with id x");
  EXPECT_EQ(::testing::PrintToString(StatusOr<int>(7)), "OK holding 7");
}

TEST(IsOk, MatchesOkStatusAndStatusOrWithValue) {
  EXPECT_THAT(Status::Ok(), IsOk());
  EXPECT_THAT(StatusOr<int>(3), IsOk());
  EXPECT_THAT(kMissing, Not(IsOk()));
  EXPECT_THAT(StatusOr<std::string>(kMissing), Not(IsOk()));
  EXPECT_EQ(DescribeMatcher<Status>(IsOk()), "is OK");
  EXPECT_EQ(DescribeMatcher<const StatusOr<int>&>(IsOk(), /*negation=*/true), "is not OK");
}

TEST(IsOk, FailureShowsCodeAndMessage) {
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(kMissing, IsOk()), "NOT_FOUND: no program with id x");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(StatusOr<int>(kMissing), IsOk()), "Expected: is OK");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(StatusOr<int>(kMissing), IsOk()),
                          "Actual: NOT_FOUND: no program with id x");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(Status::Ok(), Not(IsOk())), "Expected: is not OK");
}

TEST(StatusIs, MatchesTheCode) {
  EXPECT_THAT(kMissing, StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(StatusOr<int>(kMissing), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Status::Ok(), StatusIs(StatusCode::kOk));
  EXPECT_THAT(StatusOr<int>(1), StatusIs(StatusCode::kOk));
  EXPECT_THAT(kMissing, Not(StatusIs(StatusCode::kInternal)));
  EXPECT_THAT(kMissing, StatusIs(AnyOf(StatusCode::kNotFound, StatusCode::kInternal)));
  EXPECT_THAT(kMissing, StatusIs(Not(StatusCode::kOk)));
}

TEST(StatusIs, MatchesCodeAndMessage) {
  EXPECT_THAT(kMissing, StatusIs(StatusCode::kNotFound, "no program with id x"));
  EXPECT_THAT(kMissing, StatusIs(StatusCode::kNotFound, HasSubstr("id x")));
  EXPECT_THAT(StatusOr<int>(kMissing), StatusIs(StatusCode::kNotFound, HasSubstr("program")));
  EXPECT_THAT(kMissing, Not(StatusIs(StatusCode::kNotFound, HasSubstr("course"))));
  EXPECT_THAT(kMissing, Not(StatusIs(StatusCode::kInternal, HasSubstr("program"))));
  EXPECT_THAT(Status::Ok(), StatusIs(StatusCode::kOk, ""));
}

TEST(StatusIs, DescribesCodeByName) {
  EXPECT_EQ(DescribeMatcher<Status>(StatusIs(StatusCode::kNotFound, HasSubstr("x"))),
            "has a status code that is equal to NOT_FOUND, and has an error message that has "
            "substring \"x\"");
  EXPECT_EQ(DescribeMatcher<Status>(StatusIs(StatusCode::kNotFound, HasSubstr("x")), true),
            "either has a status code that isn't equal to NOT_FOUND, or has an error message "
            "that has no substring \"x\"");
}

TEST(StatusIs, ExplainsWhichPartIsWrong) {
  auto [code_ok, code_why] = Explain(StatusIs(StatusCode::kInternal), kMissing);
  EXPECT_FALSE(code_ok);
  EXPECT_EQ(code_why, "whose status code is wrong");
  auto [message_ok, message_why] =
      Explain(StatusIs(StatusCode::kNotFound, HasSubstr("course")), StatusOr<int>(kMissing));
  EXPECT_FALSE(message_ok);
  EXPECT_EQ(message_why, "whose error message is wrong");
  auto [ok, why] = Explain(StatusIs(StatusCode::kNotFound), kMissing);
  EXPECT_TRUE(ok);
  EXPECT_EQ(why, "");
}

TEST(StatusIs, FailureShowsCodeAndMessage) {
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(kMissing, StatusIs(StatusCode::kInternal)),
                          "Actual: NOT_FOUND: no program with id x");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(kMissing, StatusIs(StatusCode::kInternal)),
                          "whose status code is wrong");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(StatusOr<int>(kMissing), StatusIs(StatusCode::kInternal)),
                          "Expected: has a status code that is equal to INTERNAL");
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(kMissing, StatusIs(StatusCode::kNotFound, HasSubstr("course"))),
      "and has an error message that has substring \"course\"\n"
      "  Actual: NOT_FOUND: no program with id x");
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(kMissing, StatusIs(StatusCode::kNotFound, HasSubstr("course"))),
      "whose error message is wrong");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(StatusOr<int>(2), StatusIs(StatusCode::kNotFound)),
                          "Actual: OK holding 2");
}

TEST(IsOkAndHolds, MatchesTheValue) {
  EXPECT_THAT(StatusOr<int>(4), IsOkAndHolds(4));
  EXPECT_THAT(StatusOr<std::vector<int>>(std::vector<int>{1, 2}), IsOkAndHolds(ElementsAre(1, 2)));
  EXPECT_THAT(StatusOr<int>(4), Not(IsOkAndHolds(5)));
  EXPECT_THAT(StatusOr<int>(kMissing), Not(IsOkAndHolds(4)));
  EXPECT_EQ(DescribeMatcher<StatusOr<int>>(IsOkAndHolds(Eq(4))),
            "is OK and holds a value that is equal to 4");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(StatusOr<int>(kMissing), IsOkAndHolds(4)),
                          "which has status NOT_FOUND: no program with id x");
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(StatusOr<std::vector<int>>(std::vector<int>{1}), IsOkAndHolds(ElementsAre(2))),
      "which holds a value whose element #0 doesn't match");
}

TEST(IsOkAndHolds, WorksThroughAMatcherOfAReference) {
  Matcher<const StatusOr<int>&> m = IsOkAndHolds(7);
  EXPECT_TRUE(m.Matches(StatusOr<int>(7)));
  EXPECT_FALSE(m.Matches(StatusOr<int>(kMissing)));
}

TEST(ExpectOk, PassesAndFails) {
  EXPECT_OK(Status::Ok());
  EXPECT_OK(StatusOr<int>(1)) << "a streamed message is accepted";
  ASSERT_OK(Status::Ok());
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(kMissing) << "while testing", "while testing");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(StatusOr<int>(kMissing)), "NOT_FOUND: no program with id x");
}

void AssertOkOnError() { ASSERT_OK(kMissing) << "context"; }

TEST(AssertOk, FailureIsFatal) {
  EXPECT_FATAL_FAILURE(AssertOkOnError(), "NOT_FOUND: no program with id x");
  EXPECT_FATAL_FAILURE(AssertOkOnError(), "context");
}

int g_evaluations = 0;
bool g_after_assign = false;

StatusOr<std::string> Counted(StatusOr<std::string> value) {
  ++g_evaluations;
  return value;
}

void AssignFromError() {
  ASSERT_OK_AND_ASSIGN(std::string s, Counted(kMissing));
  g_after_assign = !s.empty();
}

TEST(AssertOkAndAssign, AssignsTheValueEvaluatingOnce) {
  g_evaluations = 0;
  ASSERT_OK_AND_ASSIGN(std::string s, Counted(std::string("value")));
  EXPECT_EQ(s, "value");
  EXPECT_EQ(g_evaluations, 1);
  std::vector<int> existing;
  ASSERT_OK_AND_ASSIGN(existing, StatusOr<std::vector<int>>(std::vector<int>{1, 2, 3}));
  EXPECT_EQ(existing.size(), 3u);
  ASSERT_OK_AND_ASSIGN(const auto pair, (StatusOr<std::pair<int, int>>(std::pair{1, 2})));
  EXPECT_EQ(pair.first + pair.second, 3);
}

TEST(AssertOkAndAssign, AnErrorFailsFatallyNamingTheExpression) {
  g_evaluations = 0;
  g_after_assign = false;
  EXPECT_FATAL_FAILURE(AssignFromError(), "Value of: Counted(kMissing)");
  EXPECT_FATAL_FAILURE(AssignFromError(), "Actual: NOT_FOUND: no program with id x");
  EXPECT_EQ(g_evaluations, 2);
  EXPECT_FALSE(g_after_assign) << "nothing after a failed ASSERT_OK_AND_ASSIGN runs";
}

}  // namespace
}  // namespace ooapi::testing
