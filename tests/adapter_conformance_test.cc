// The conformance suite every SIS adapter must pass: the definition of "an adapter works"
// (CONTRIBUTING.md, "How to add an SIS adapter"). A new adapter adds a Backend in
// testing/include/ooapi/testing/backends.h and one entry to `Backends` below.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <thread>

#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::testing {
namespace {

using adapters::Filter;
using adapters::ListQuery;
using adapters::Scope;
using adapters::ScopeKind;
using adapters::SortKey;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

template <typename T>
std::vector<std::string> IdsOf(const adapters::Page<T>& page) {
  std::vector<std::string> ids;
  for (const auto& item : page.items) {
    ids.push_back(item.id);
  }
  return ids;
}

// The collections a list call reads, to run one query against any of them.
enum class Collection {
  kOrganizations,
  kAcademicSessions,
  kEducationSpecifications,
  kPrograms,
  kCourses,
  kOfferings,
};

// The ids on the first page (of 250) of `q` over `collection`, and the total.
StatusOr<std::pair<std::vector<std::string>, int64_t>> List(adapters::SisAdapter& a,
                                                            Collection collection, ListQuery q) {
  q.page_size = 250;
  q.page_number = 1;
  auto ids = [](auto page) -> StatusOr<std::pair<std::vector<std::string>, int64_t>> {
    OOAPI_RETURN_IF_ERROR(page.status());
    return std::make_pair(IdsOf(*page), page->total_items);
  };
  switch (collection) {
    case Collection::kOrganizations:
      return ids(a.ListOrganizations(q));
    case Collection::kAcademicSessions:
      return ids(a.ListAcademicSessions(q));
    case Collection::kEducationSpecifications:
      return ids(a.ListEducationSpecifications(q));
    case Collection::kPrograms:
      return ids(a.ListPrograms(q));
    case Collection::kCourses:
      return ids(a.ListCourses(q));
    case Collection::kOfferings:
      return ids(a.ListOfferings(q));
  }
  return Internal("unknown collection");
}

ListQuery Query(ScopeKind kind, std::string id = "", std::vector<Filter> filters = {},
                std::vector<SortKey> sort = {}) {
  ListQuery q;
  q.scope = Scope{kind, std::move(id)};
  q.filters = std::move(filters);
  q.sort = std::move(sort);
  return q;
}

std::string Id(const char* prefix, int n) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s-0000-4000-8000-%012d", prefix, n);
  return buf;
}

template <typename Backend>
class AdapterConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OOAPI_SKIP_OR_ASSERT_READY(backend_);
    ASSERT_OK_AND_ASSIGN(adapter_, backend_.CreateAdapter());
  }

  ListQuery ProgramsOfEspec(int64_t size, int64_t number) {
    ListQuery q;
    q.scope = Scope{ScopeKind::kEducationSpecification, kEspecId};
    q.page_size = size;
    q.page_number = number;
    return q;
  }

  std::vector<std::string> AllProgramIds(ListQuery q) {
    std::vector<std::string> ids;
    q.page_size = 10;
    for (q.page_number = 1;; ++q.page_number) {
      auto page = adapter_->ListPrograms(q);
      EXPECT_OK(page);
      if (!page.ok() || page->items.empty()) {
        break;
      }
      for (const auto& p : page->items) {
        ids.push_back(p.id);
      }
    }
    return ids;
  }

  Backend backend_;
  adapters::SisAdapterPtr adapter_;
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend, MemoryBackend>;
TYPED_TEST_SUITE(AdapterConformanceTest, Backends);

TYPED_TEST(AdapterConformanceTest, PagingEdges) {
  ASSERT_OK_AND_ASSIGN(auto first, this->adapter_->ListPrograms(this->ProgramsOfEspec(10, 1)));
  EXPECT_EQ(first.total_items, kFixturePrograms);
  EXPECT_EQ(first.items.size(), 10u);
  ASSERT_OK_AND_ASSIGN(auto last, this->adapter_->ListPrograms(this->ProgramsOfEspec(10, 3)));
  EXPECT_EQ(last.items.size(), 5u);  // 25 = 10 + 10 + 5
  auto past = this->adapter_->ListPrograms(this->ProgramsOfEspec(10, 4));
  ASSERT_OK(past) << "a page past the end is not an error";
  EXPECT_TRUE(past->items.empty());
  EXPECT_EQ(past->total_items, kFixturePrograms);
  ASSERT_OK_AND_ASSIGN(auto whole, this->adapter_->ListPrograms(this->ProgramsOfEspec(250, 1)));
  EXPECT_EQ(whole.items.size(), static_cast<size_t>(kFixturePrograms));
}

TYPED_TEST(AdapterConformanceTest, PagesPartitionTheCollectionInOrder) {
  std::vector<std::string> paged = this->AllProgramIds(this->ProgramsOfEspec(10, 1));
  ASSERT_OK_AND_ASSIGN(auto whole, this->adapter_->ListPrograms(this->ProgramsOfEspec(250, 1)));
  EXPECT_EQ(paged, IdsOf(whole));
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), paged.size())
      << "no program appears on two pages";
}

TYPED_TEST(AdapterConformanceTest, OrderingTiesAreBrokenById) {
  ASSERT_OK_AND_ASSIGN(auto whole, this->adapter_->ListPrograms(this->ProgramsOfEspec(250, 1)));
  std::vector<std::string> tied;
  for (const auto& p : whole.items) {
    if (p.properties.name.front().value == "Programma gelijk") {
      tied.push_back(p.id);
    }
  }
  ASSERT_EQ(tied.size(), 3u);
  EXPECT_TRUE(std::is_sorted(tied.begin(), tied.end()));
  // Names ascend (binary order), the bare "Aaa kaal" first, "Zzz intern" last.
  EXPECT_EQ(whole.items.front().id, kBareProgramId);
  EXPECT_EQ(whole.items.back().id, kNotRioProgramId);
}

TYPED_TEST(AdapterConformanceTest, DescendingSortKeepsIdTieBreakerAscending) {
  auto q = this->ProgramsOfEspec(250, 1);
  q.sort = {{"name", true}};
  ASSERT_OK_AND_ASSIGN(auto page, this->adapter_->ListPrograms(q));
  EXPECT_EQ(page.items.front().id, kNotRioProgramId);
  EXPECT_EQ(page.items.back().id, kBareProgramId);
  q.sort = {{"programId", false}};
  ASSERT_OK_AND_ASSIGN(page, this->adapter_->ListPrograms(q));
  std::vector<std::string> ids = IdsOf(page);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TYPED_TEST(AdapterConformanceTest, NotFound) {
  EXPECT_THAT(this->adapter_->GetProgram(kUnknownId, {}),
              StatusIs(StatusCode::kNotFound, HasSubstr(kUnknownId)));
  ListQuery q;
  q.scope = Scope{ScopeKind::kProgram, kUnknownId};
  EXPECT_THAT(this->adapter_->ListOfferings(q), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(this->adapter_->GetCourse(kUnknownId, {}), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(this->adapter_->GetOffering(kUnknownId), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(this->adapter_->GetOrganization(kUnknownId), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(this->adapter_->GetAcademicSession(kUnknownId), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(this->adapter_->GetEducationSpecification(kUnknownId, {}),
              StatusIs(StatusCode::kNotFound));
}

TYPED_TEST(AdapterConformanceTest, UnicodeSurvivesUnchanged) {
  ASSERT_OK_AND_ASSIGN(auto p, this->adapter_->GetProgram(kUnicodeProgramId, {}));
  ASSERT_EQ(p.properties.name.size(), 2u);
  EXPECT_EQ(p.properties.name[0].language, "nl-NL");
  EXPECT_EQ(p.properties.name[0].value, "Toegepaste Psychologie – Coördinatie ĳ 𝄞 \"quoted\"");
  EXPECT_EQ(p.properties.name[1].value, "Applied Psychology – Coordination");
}

TYPED_TEST(AdapterConformanceTest, AbsentOptionalFieldsStayAbsent) {
  ASSERT_OK_AND_ASSIGN(auto p, this->adapter_->GetProgram(kBareProgramId, {true}));
  const auto& props = p.properties;
  EXPECT_FALSE(props.abbreviation);
  EXPECT_FALSE(props.teaching_language);
  EXPECT_FALSE(props.study_load);
  EXPECT_TRUE(props.modes_of_delivery.empty());
  EXPECT_TRUE(props.description.empty());
  EXPECT_TRUE(props.other_codes.empty());
  EXPECT_FALSE(props.rio.education_offerer_code);
  EXPECT_FALSE(props.rio.joint_program);
  EXPECT_FALSE(p.valid_from);
  EXPECT_FALSE(p.parent_id);
  EXPECT_TRUE(p.children.empty());
  EXPECT_TRUE(p.timeline_overrides.empty());
}

TYPED_TEST(AdapterConformanceTest, TimelineOverridesInheritUnsetColumnsAndTexts) {
  ASSERT_OK_AND_ASSIGN(auto p, this->adapter_->GetProgram(kOverrideProgramId, {true}));
  ASSERT_EQ(p.timeline_overrides.size(), 1u);
  const auto& o = p.timeline_overrides[0];
  EXPECT_EQ(o.valid_from, "2016-09-01");
  EXPECT_FALSE(o.valid_to);
  EXPECT_EQ(o.properties.abbreviation, "OUD");
  EXPECT_EQ(o.properties.rio.education_location_code, "123X456");
  // Inherited from the main row: the full rio consumer and the other attributes.
  EXPECT_EQ(o.properties.rio.education_offerer_code, "123A456");
  EXPECT_EQ(o.properties.rio.propaedeutic_phase, "propaedeutic_phase_exam");
  EXPECT_EQ(o.properties.teaching_language, "nld");
  ASSERT_EQ(o.properties.name.size(), 1u);
  EXPECT_EQ(o.properties.name[0].value, "Oude naam");
  EXPECT_EQ(o.properties.description.size(), 2u) << "description inherited from the main texts";
  ASSERT_EQ(o.properties.other_codes.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto without, this->adapter_->GetProgram(kOverrideProgramId, {false}));
  EXPECT_TRUE(without.timeline_overrides.empty());
  EXPECT_FALSE(without.properties.rio.education_location_code);
}

TYPED_TEST(AdapterConformanceTest, RioOnlyFiltersIrrelevantItems) {
  auto q = this->ProgramsOfEspec(250, 1);
  q.rio_only = true;
  ASSERT_OK_AND_ASSIGN(auto page, this->adapter_->ListPrograms(q));
  EXPECT_EQ(page.total_items, kFixtureRioPrograms);
  for (const auto& p : page.items) {
    EXPECT_NE(p.id, kNotRioProgramId);
  }
}

TYPED_TEST(AdapterConformanceTest, OfferingsOrderedByStartDateThenId) {
  ListQuery q;
  q.scope = Scope{ScopeKind::kProgram, kOverrideProgramId};
  q.page_size = 250;
  ASSERT_OK_AND_ASSIGN(auto page, this->adapter_->ListOfferings(q));
  ASSERT_EQ(page.items.size(), static_cast<size_t>(kFixtureOfferings));
  for (size_t i = 1; i < page.items.size(); ++i) {
    const auto& a = page.items[i - 1];
    const auto& b = page.items[i];
    EXPECT_TRUE(a.start_date < b.start_date || (a.start_date == b.start_date && a.id < b.id));
  }
  EXPECT_EQ(page.items[0].costs.size(), 1u);
  EXPECT_EQ(page.items[0].rio.registration_status, "open");
}

TYPED_TEST(AdapterConformanceTest, RelationsAreFilled) {
  ASSERT_OK_AND_ASSIGN(auto e, this->adapter_->GetEducationSpecification(kEspecId, {true}));
  EXPECT_EQ(e.children, std::vector<std::string>{kVariantEspecId});
  ASSERT_EQ(e.timeline_overrides.size(), 1u);
  EXPECT_EQ(e.timeline_overrides[0].properties.abbreviation, "B HBO-ICT");
  EXPECT_EQ(e.timeline_overrides[0].properties.level, "bachelor");
  ASSERT_OK_AND_ASSIGN(auto v, this->adapter_->GetEducationSpecification(kVariantEspecId, {}));
  EXPECT_EQ(v.parent_id, kEspecId);
  EXPECT_EQ(v.properties.rio.sub_type, "variant");
  ASSERT_OK_AND_ASSIGN(auto c, this->adapter_->GetCourse(kCourseId, {}));
  EXPECT_EQ(c.programs, std::vector<std::string>{kOverrideProgramId});
  ListQuery q;
  q.scope = Scope{ScopeKind::kProgram, kOverrideProgramId};
  ASSERT_OK_AND_ASSIGN(auto courses, this->adapter_->ListCourses(q));
  EXPECT_THAT(IdsOf(courses), ElementsAre(kCourseId));
}

TYPED_TEST(AdapterConformanceTest, EveryScopeSelectsItsMembers) {
  struct Case {
    Collection collection;
    ScopeKind kind;
    std::string id;
    std::vector<std::string> ids;  // in order; empty: check `total` only
    int64_t total;
  };
  const std::vector<Case> cases = {
      {Collection::kOrganizations, ScopeKind::kAll, "", {kOrgId}, 1},
      {Collection::kOrganizations, ScopeKind::kParent, kOrgId, {}, 0},
      {Collection::kAcademicSessions, ScopeKind::kAll, "", {kSessionId}, 1},
      {Collection::kAcademicSessions, ScopeKind::kParent, kSessionId, {}, 0},
      {Collection::kEducationSpecifications,
       ScopeKind::kAll,
       "",
       // By name: "Informatica", "Informatica variant", "Keuzevakken".
       {kEspecId, kVariantEspecId, kCourseEspecId},
       3},
      {Collection::kEducationSpecifications, ScopeKind::kParent, kEspecId, {kVariantEspecId}, 1},
      {Collection::kEducationSpecifications, ScopeKind::kOrganization, kOrgId, {}, 3},
      {Collection::kPrograms, ScopeKind::kAll, "", {}, kFixturePrograms},
      {Collection::kPrograms, ScopeKind::kParent, kOverrideProgramId, {}, 0},
      {Collection::kPrograms, ScopeKind::kOrganization, kOrgId, {}, kFixturePrograms - 1},
      {Collection::kCourses, ScopeKind::kAll, "", {kCourseId}, 1},
      {Collection::kCourses, ScopeKind::kEducationSpecification, kCourseEspecId, {kCourseId}, 1},
      {Collection::kCourses, ScopeKind::kEducationSpecification, kEspecId, {}, 0},
      {Collection::kCourses, ScopeKind::kProgram, kOverrideProgramId, {kCourseId}, 1},
      {Collection::kCourses, ScopeKind::kOrganization, kOrgId, {kCourseId}, 1},
      {Collection::kOfferings, ScopeKind::kAll, "", {}, kFixtureOfferings},
      {Collection::kOfferings, ScopeKind::kCourse, kCourseId, {}, 0},
      {Collection::kOfferings, ScopeKind::kProgram, kBareProgramId, {}, 0},
      {Collection::kOfferings, ScopeKind::kOrganization, kOrgId, {}, kFixtureOfferings},
      {Collection::kOfferings, ScopeKind::kAcademicSession, kSessionId, {}, kFixtureOfferings},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "collection " << static_cast<int>(c.collection)
                                      << ", scope " << static_cast<int>(c.kind) << " " << c.id);
    ASSERT_OK_AND_ASSIGN(auto got, List(*this->adapter_, c.collection, Query(c.kind, c.id)));
    EXPECT_EQ(got.second, c.total);
    if (!c.ids.empty()) {
      EXPECT_EQ(got.first, c.ids);
    }
  }
  ASSERT_OK_AND_ASSIGN(auto org, this->adapter_->GetOrganization(kOrgId));
  EXPECT_EQ(org.short_name, "HT");
  ASSERT_OK_AND_ASSIGN(auto session, this->adapter_->GetAcademicSession(kSessionId));
  EXPECT_EQ(session.start_date, "2025-09-01");
}

TYPED_TEST(AdapterConformanceTest, AScopeOfAMissingEntityIsNotFoundNamingIt) {
  const std::vector<std::pair<Collection, ScopeKind>> cases = {
      {Collection::kOrganizations, ScopeKind::kParent},
      {Collection::kAcademicSessions, ScopeKind::kParent},
      {Collection::kEducationSpecifications, ScopeKind::kParent},
      {Collection::kEducationSpecifications, ScopeKind::kOrganization},
      {Collection::kPrograms, ScopeKind::kEducationSpecification},
      {Collection::kPrograms, ScopeKind::kParent},
      {Collection::kPrograms, ScopeKind::kOrganization},
      {Collection::kCourses, ScopeKind::kEducationSpecification},
      {Collection::kCourses, ScopeKind::kProgram},
      {Collection::kCourses, ScopeKind::kOrganization},
      {Collection::kOfferings, ScopeKind::kProgram},
      {Collection::kOfferings, ScopeKind::kCourse},
      {Collection::kOfferings, ScopeKind::kOrganization},
      {Collection::kOfferings, ScopeKind::kAcademicSession},
  };
  for (const auto& [collection, kind] : cases) {
    SCOPED_TRACE(::testing::Message() << "collection " << static_cast<int>(collection) << ", scope "
                                      << static_cast<int>(kind));
    EXPECT_THAT(List(*this->adapter_, collection, Query(kind, kUnknownId)),
                StatusIs(StatusCode::kNotFound, HasSubstr(kUnknownId)));
  }
}

TYPED_TEST(AdapterConformanceTest, AScopeTheCollectionLacksIsInvalidArgument) {
  const std::vector<std::pair<Collection, ScopeKind>> cases = {
      {Collection::kOrganizations, ScopeKind::kOrganization},
      {Collection::kAcademicSessions, ScopeKind::kProgram},
      {Collection::kEducationSpecifications, ScopeKind::kProgram},
      {Collection::kPrograms, ScopeKind::kCourse},
      {Collection::kCourses, ScopeKind::kParent},
      {Collection::kOfferings, ScopeKind::kEducationSpecification},
  };
  for (const auto& [collection, kind] : cases) {
    SCOPED_TRACE(::testing::Message() << "collection " << static_cast<int>(collection) << ", scope "
                                      << static_cast<int>(kind));
    EXPECT_THAT(List(*this->adapter_, collection, Query(kind, kEspecId)),
                StatusIs(StatusCode::kInvalidArgument));
  }
}

// Each filter an adapter declares in Features() means what it means in SQL (adapters/README.md):
// a case runs only when the adapter declares its filter. Several filters all apply.
TYPED_TEST(AdapterConformanceTest, DeclaredFiltersSelectWhatTheyName) {
  const adapters::AdapterFeatures features = this->adapter_->Features();
  auto declared = [&](const std::string& field) {
    return std::find(features.filters.begin(), features.filters.end(), field) !=
           features.filters.end();
  };
  struct Case {
    Collection collection;
    ListQuery query;
    int64_t total;
  };
  const ListQuery offerings = Query(ScopeKind::kProgram, kOverrideProgramId);
  auto with = [](ListQuery q, std::vector<Filter> filters) {
    q.filters = std::move(filters);
    return q;
  };
  const std::vector<Case> cases = {
      {Collection::kOrganizations, Query(ScopeKind::kAll, "", {{"organizationType", "root"}}), 1},
      {Collection::kOrganizations, Query(ScopeKind::kAll, "", {{"primaryCode", "99XX"}}), 1},
      {Collection::kOrganizations, Query(ScopeKind::kAll, "", {{"q", "hogeschool"}}), 1},
      {Collection::kAcademicSessions,
       Query(ScopeKind::kAll, "", {{"academicSessionType", "academic year"}}), 1},
      {Collection::kAcademicSessions, Query(ScopeKind::kAll, "", {{"year", kSessionId}}), 0},
      {Collection::kEducationSpecifications,
       Query(ScopeKind::kAll, "", {{"educationSpecificationType", "course"}}), 1},
      {Collection::kEducationSpecifications, Query(ScopeKind::kAll, "", {{"primaryCode", "34479"}}),
       2},
      {Collection::kEducationSpecifications, Query(ScopeKind::kAll, "", {{"q", "B INFORMATICA"}}),
       1},  // the abbreviation, in another case
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"primaryCode", "P5"}}), 1},
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"teachingLanguage", "nld"}}),
       kFixturePrograms - 1},
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"programType", "program"}}),
       kFixturePrograms},
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"sector", "x"}}), 0},
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"croho-creboCode", "34479"}}),
       kFixturePrograms},  // the code of their education specification
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"croho-creboCode", "C-1"}}), 0},
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"q", "GELIJK"}}), 3},
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"q", "tp-c"}}), 1},
      {Collection::kPrograms, Query(ScopeKind::kAll, "", {{"q", "oude naam"}}),
       0},  // only the current texts, not a timeline override's
      {Collection::kPrograms,
       Query(ScopeKind::kAll, "", {{"q", "programma"}, {"primaryCode", "P10"}}), 1},
      {Collection::kCourses, Query(ScopeKind::kAll, "", {{"level", "bachelor"}}), 1},
      {Collection::kCourses, Query(ScopeKind::kAll, "", {{"modeOfDelivery", "situated"}}), 0},
      {Collection::kCourses, Query(ScopeKind::kAll, "", {{"q", "web technology"}}), 1},
      {Collection::kOfferings, with(offerings, {{"since", "2025-09-01"}}), 7},
      {Collection::kOfferings, with(offerings, {{"until", "2028-08-31"}}), 5},
      {Collection::kOfferings, with(offerings, {{"since", "2025-09-01"}, {"until", "2030-08-31"}}),
       2},
      {Collection::kOfferings, with(offerings, {{"resultExpected", "true"}}), kFixtureOfferings},
      {Collection::kOfferings, with(offerings, {{"resultExpected", "false"}}), 0},
      {Collection::kOfferings, with(offerings, {{"modeOfDelivery", "situated"}}),
       kFixtureOfferings},
      {Collection::kOfferings, with(offerings, {{"modeOfDelivery", "online"}}), 0},
      {Collection::kOfferings, with(offerings, {{"offeringType", "course"}}), 0},
      {Collection::kOfferings, with(offerings, {{"teachingLanguage", "nld"}}), kFixtureOfferings},
      {Collection::kOfferings, with(offerings, {{"modeOfStudy", "full-time"}}), kFixtureOfferings},
      {Collection::kOfferings, with(offerings, {{"modeOfStudy", "part-time"}}), 0},
      {Collection::kOfferings, with(offerings, {{"q", "cohort 2030"}}), 2},
  };
  for (const Case& c : cases) {
    if (!std::all_of(c.query.filters.begin(), c.query.filters.end(),
                     [&](const Filter& f) { return declared(f.field); })) {
      continue;
    }
    SCOPED_TRACE(::testing::Message()
                 << "collection " << static_cast<int>(c.collection) << ", filter "
                 << c.query.filters[0].field << "=" << c.query.filters[0].value);
    ASSERT_OK_AND_ASSIGN(auto got, List(*this->adapter_, c.collection, c.query));
    EXPECT_EQ(got.second, c.total);
    EXPECT_EQ(got.first.size(), static_cast<size_t>(c.total));
  }
}

TYPED_TEST(AdapterConformanceTest, AFilterTheCollectionLacksIsInvalidArgument) {
  EXPECT_THAT(List(*this->adapter_, Collection::kPrograms,
                   Query(ScopeKind::kAll, "", {{"no-such-filter", "x"}})),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no-such-filter")));
  EXPECT_THAT(List(*this->adapter_, Collection::kOfferings,
                   Query(ScopeKind::kAll, "", {{"croho-creboCode", "34479"}})),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("croho-creboCode")));
}

TYPED_TEST(AdapterConformanceTest, SortKeysApplyInOrderWithTheirDirection) {
  // Offerings by end date, latest first; the two of 2030 by id.
  ASSERT_OK_AND_ASSIGN(
      auto by_end, List(*this->adapter_, Collection::kOfferings,
                        Query(ScopeKind::kProgram, kOverrideProgramId, {}, {{"endDate", true}})));
  ASSERT_EQ(by_end.first.size(), static_cast<size_t>(kFixtureOfferings));
  EXPECT_EQ(by_end.first[0], Id("5f000000", 11));
  EXPECT_EQ(by_end.first[1], Id("5f000000", 12));
  EXPECT_EQ(by_end.first.back(), Id("5f000000", 1));
  // Education specifications by code descending ("C-1" > "34479"), then name descending.
  ASSERT_OK_AND_ASSIGN(
      auto by_code, List(*this->adapter_, Collection::kEducationSpecifications,
                         Query(ScopeKind::kAll, "", {}, {{"primaryCode", true}, {"name", true}})));
  EXPECT_EQ(by_code.first, (std::vector<std::string>{kCourseEspecId, kVariantEspecId, kEspecId}));
  ASSERT_OK_AND_ASSIGN(
      auto by_type, List(*this->adapter_, Collection::kEducationSpecifications,
                         Query(ScopeKind::kAll, "", {}, {{"educationSpecificationType", false}})));
  EXPECT_EQ(by_type.first, (std::vector<std::string>{kCourseEspecId, kEspecId, kVariantEspecId}));
  EXPECT_THAT(List(*this->adapter_, Collection::kPrograms,
                   Query(ScopeKind::kAll, "", {}, {{"startDate", false}})),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("startDate")));
}

TYPED_TEST(AdapterConformanceTest, ConcurrentReadersGetConsistentAnswers) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto page = this->adapter_->ListPrograms(this->ProgramsOfEspec(10, 1 + i % 3));
        if (!page.ok() || page->total_items != kFixturePrograms) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

TYPED_TEST(AdapterConformanceTest, ReadyWhenTheDatabaseAnswers) {
  EXPECT_OK(this->adapter_->CheckReady());
}

// MemoryOrder::kById, the order the plan tests and benchmarks use: every list by id whatever the
// sort keys; scopes, filters and paging as in the suite above.
TEST(MemorySisAdapterById, ListsByIdAndOtherwiseAnswersAsTheSuiteAsks) {
  MemoryBackend backend;
  ASSERT_OK(backend.setup);
  MemorySisAdapter adapter(backend.data);
  ListQuery q = Query(ScopeKind::kEducationSpecification, kEspecId, {}, {{"name", true}});
  q.page_size = 250;
  ASSERT_OK_AND_ASSIGN(auto whole, adapter.ListPrograms(q));
  const std::vector<std::string> ids = IdsOf(whole);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kFixturePrograms));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  q.page_size = 10;
  q.page_number = 3;
  ASSERT_OK_AND_ASSIGN(auto last, adapter.ListPrograms(q));
  EXPECT_EQ(last.total_items, kFixturePrograms);
  EXPECT_EQ(IdsOf(last), std::vector<std::string>(ids.begin() + 20, ids.end()));
  ASSERT_OK_AND_ASSIGN(auto since, List(adapter, Collection::kOfferings,
                                        Query(ScopeKind::kProgram, kOverrideProgramId,
                                              {{"since", "2025-09-01"}}, {{"startDate", true}})));
  EXPECT_EQ(since.second, 7);
  EXPECT_TRUE(std::is_sorted(since.first.begin(), since.first.end()));
  EXPECT_THAT(List(adapter, Collection::kPrograms, Query(ScopeKind::kAll, "", {}, {{"x", false}})),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(List(adapter, Collection::kOfferings, Query(ScopeKind::kProgram, kUnknownId)),
              StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace ooapi::testing
