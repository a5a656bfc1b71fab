// The conformance suite every SIS adapter must pass (engineering.md G9). A new adapter adds a
// Backend in support/backends.h and one entry to `Backends` below.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "ooapi/testing/backends.h"

namespace ooapi::testing {
namespace {

using adapters::ListQuery;
using adapters::Scope;
using adapters::ScopeKind;

template <typename Backend>
class AdapterConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (backend_.skip) {
      GTEST_SKIP() << backend_.setup.message();
    }
    ASSERT_TRUE(backend_.setup.ok()) << backend_.setup.ToString();
    auto a = backend_.CreateAdapter();
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    adapter_ = std::move(a).value();
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
      EXPECT_TRUE(page.ok()) << page.status().ToString();
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

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
TYPED_TEST_SUITE(AdapterConformanceTest, Backends);

TYPED_TEST(AdapterConformanceTest, PagingEdges) {
  auto first = this->adapter_->ListPrograms(this->ProgramsOfEspec(10, 1));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->total_items, kFixturePrograms);
  EXPECT_EQ(first->items.size(), 10u);
  auto last = this->adapter_->ListPrograms(this->ProgramsOfEspec(10, 3));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->items.size(), 5u);  // 25 = 10 + 10 + 5
  auto past = this->adapter_->ListPrograms(this->ProgramsOfEspec(10, 4));
  ASSERT_TRUE(past.ok()) << "a page past the end is not an error";
  EXPECT_TRUE(past->items.empty());
  EXPECT_EQ(past->total_items, kFixturePrograms);
  auto whole = this->adapter_->ListPrograms(this->ProgramsOfEspec(250, 1));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->items.size(), static_cast<size_t>(kFixturePrograms));
}

TYPED_TEST(AdapterConformanceTest, PagesPartitionTheCollectionInOrder) {
  std::vector<std::string> paged = this->AllProgramIds(this->ProgramsOfEspec(10, 1));
  auto whole = this->adapter_->ListPrograms(this->ProgramsOfEspec(250, 1));
  ASSERT_TRUE(whole.ok());
  std::vector<std::string> at_once;
  for (const auto& p : whole->items) {
    at_once.push_back(p.id);
  }
  EXPECT_EQ(paged, at_once);
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), paged.size())
      << "no program appears on two pages";
}

TYPED_TEST(AdapterConformanceTest, OrderingTiesAreBrokenById) {
  auto whole = this->adapter_->ListPrograms(this->ProgramsOfEspec(250, 1));
  ASSERT_TRUE(whole.ok());
  std::vector<std::string> tied;
  for (const auto& p : whole->items) {
    if (p.properties.name.front().value == "Programma gelijk") {
      tied.push_back(p.id);
    }
  }
  ASSERT_EQ(tied.size(), 3u);
  EXPECT_TRUE(std::is_sorted(tied.begin(), tied.end()));
  // Names ascend (binary order), the bare "Aaa kaal" first, "Zzz intern" last.
  EXPECT_EQ(whole->items.front().id, kBareProgramId);
  EXPECT_EQ(whole->items.back().id, kNotRioProgramId);
}

TYPED_TEST(AdapterConformanceTest, DescendingSortKeepsIdTieBreakerAscending) {
  auto q = this->ProgramsOfEspec(250, 1);
  q.sort = {{"name", true}};
  auto page = this->adapter_->ListPrograms(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.front().id, kNotRioProgramId);
  EXPECT_EQ(page->items.back().id, kBareProgramId);
  q.sort = {{"programId", false}};
  page = this->adapter_->ListPrograms(q);
  ASSERT_TRUE(page.ok());
  std::vector<std::string> ids;
  for (const auto& p : page->items) {
    ids.push_back(p.id);
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TYPED_TEST(AdapterConformanceTest, NotFound) {
  auto p = this->adapter_->GetProgram(kUnknownId, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_NE(p.status().message().find(kUnknownId), std::string::npos);
  ListQuery q;
  q.scope = Scope{ScopeKind::kProgram, kUnknownId};
  auto offerings = this->adapter_->ListOfferings(q);
  ASSERT_FALSE(offerings.ok());
  EXPECT_EQ(offerings.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->adapter_->GetCourse(kUnknownId, {}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->adapter_->GetOffering(kUnknownId).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->adapter_->GetOrganization(kUnknownId).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->adapter_->GetAcademicSession(kUnknownId).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->adapter_->GetEducationSpecification(kUnknownId, {}).status().code(),
            StatusCode::kNotFound);
}

TYPED_TEST(AdapterConformanceTest, UnicodeSurvivesUnchanged) {
  auto p = this->adapter_->GetProgram(kUnicodeProgramId, {});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_FALSE(p->properties.name.empty());
  EXPECT_EQ(p->properties.name[0].language, "nl-NL");
  EXPECT_EQ(p->properties.name[0].value, "Toegepaste Psychologie – Coördinatie ĳ 𝄞 \"quoted\"");
  EXPECT_EQ(p->properties.name[1].value, "Applied Psychology – Coordination");
}

TYPED_TEST(AdapterConformanceTest, AbsentOptionalFieldsStayAbsent) {
  auto p = this->adapter_->GetProgram(kBareProgramId, {true});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const auto& props = p->properties;
  EXPECT_FALSE(props.abbreviation);
  EXPECT_FALSE(props.teaching_language);
  EXPECT_FALSE(props.study_load);
  EXPECT_TRUE(props.modes_of_delivery.empty());
  EXPECT_TRUE(props.description.empty());
  EXPECT_TRUE(props.other_codes.empty());
  EXPECT_FALSE(props.rio.education_offerer_code);
  EXPECT_FALSE(props.rio.joint_program);
  EXPECT_FALSE(p->valid_from);
  EXPECT_FALSE(p->parent_id);
  EXPECT_TRUE(p->children.empty());
  EXPECT_TRUE(p->timeline_overrides.empty());
}

TYPED_TEST(AdapterConformanceTest, TimelineOverridesInheritUnsetColumnsAndTexts) {
  auto p = this->adapter_->GetProgram(kOverrideProgramId, {true});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->timeline_overrides.size(), 1u);
  const auto& o = p->timeline_overrides[0];
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
  auto without = this->adapter_->GetProgram(kOverrideProgramId, {false});
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->timeline_overrides.empty());
  EXPECT_FALSE(without->properties.rio.education_location_code);
}

TYPED_TEST(AdapterConformanceTest, RioOnlyFiltersIrrelevantItems) {
  auto q = this->ProgramsOfEspec(250, 1);
  q.rio_only = true;
  auto page = this->adapter_->ListPrograms(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total_items, kFixtureRioPrograms);
  for (const auto& p : page->items) {
    EXPECT_NE(p.id, kNotRioProgramId);
  }
}

TYPED_TEST(AdapterConformanceTest, OfferingsOrderedByStartDateThenId) {
  ListQuery q;
  q.scope = Scope{ScopeKind::kProgram, kOverrideProgramId};
  q.page_size = 250;
  auto page = this->adapter_->ListOfferings(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->items.size(), static_cast<size_t>(kFixtureOfferings));
  for (size_t i = 1; i < page->items.size(); ++i) {
    const auto& a = page->items[i - 1];
    const auto& b = page->items[i];
    EXPECT_TRUE(a.start_date < b.start_date || (a.start_date == b.start_date && a.id < b.id));
  }
  EXPECT_EQ(page->items[0].costs.size(), 1u);
  EXPECT_EQ(page->items[0].rio.registration_status, "open");
}

TYPED_TEST(AdapterConformanceTest, RelationsAreFilled) {
  auto e = this->adapter_->GetEducationSpecification(kEspecId, {true});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->children, std::vector<std::string>{kVariantEspecId});
  ASSERT_EQ(e->timeline_overrides.size(), 1u);
  EXPECT_EQ(e->timeline_overrides[0].properties.abbreviation, "B HBO-ICT");
  EXPECT_EQ(e->timeline_overrides[0].properties.level, "bachelor");
  auto v = this->adapter_->GetEducationSpecification(kVariantEspecId, {});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->parent_id, kEspecId);
  EXPECT_EQ(v->properties.rio.sub_type, "variant");
  auto c = this->adapter_->GetCourse(kCourseId, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->programs, std::vector<std::string>{kOverrideProgramId});
  ListQuery q;
  q.scope = Scope{ScopeKind::kProgram, kOverrideProgramId};
  auto courses = this->adapter_->ListCourses(q);
  ASSERT_TRUE(courses.ok());
  ASSERT_EQ(courses->items.size(), 1u);
  EXPECT_EQ(courses->items[0].id, kCourseId);
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
  EXPECT_TRUE(this->adapter_->CheckReady().ok());
}

}  // namespace
}  // namespace ooapi::testing
