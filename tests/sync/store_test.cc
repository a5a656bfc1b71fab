#include "ooapi/sync/rio/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::sync {
namespace {

Snapshot Sample() {
  Snapshot s;
  s.created_at = "2025-09-01T10:00:00Z";
  s.bestuur = "100B490";
  s.ref_date = "2025-09-01";
  s.source = "/data";
  s.files = {{"ho_opleidingen", 100, 3, std::string(64, 'a')}};
  Item oe{ItemKind::kOe,
          "HO",
          "ho_opleidingen",
          "1000O0001",
          "",
          "linked",
          false,
          true,
          2,
          {{"VOLLEDIGE_NAAM", "B Zorg, \"welzijn\""}},
          "[]"};
  Item ao{ItemKind::kAo, "HO", "aangeboden_ho_opleidingen", "a-1", "1000O0001", "unlinked", false,
          true, 1,    {{"VORM", "VOLTIJD"}},       "[]"};
  s.items = {oe, ao};
  s.warnings = {"w1"};
  return s;
}

TEST(Store, SaveLoadRoundTripAndDiff) {
  auto c = adapters::sqlite::Open(":memory:", {.read_only = false, .create = true});
  ASSERT_OK(c);
  auto id = SaveSnapshot(**c, Sample());
  ASSERT_OK(id);
  EXPECT_EQ(*id, 1);
  auto loaded = LoadSnapshot(**c, 0);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->id, 1);
  EXPECT_EQ(loaded->files[0].sha256, std::string(64, 'a'));
  ASSERT_EQ(loaded->items.size(), 2u);
  EXPECT_EQ(*loaded->items[0].Value("VOLLEDIGE_NAAM"), "B Zorg, \"welzijn\"");
  EXPECT_EQ(loaded->warnings, std::vector<std::string>{"w1"});

  Snapshot next = Sample();
  next.items[1].values[0].second = "DEELTIJD";
  next.items[0].classification = "edudex";
  next.items.push_back(Item{ItemKind::kCohort, "HO", "c", "a-1/C1", "a-1", "", false, true, 0, {}, "[]"});
  next.items.erase(next.items.begin());
  ASSERT_EQ(*SaveSnapshot(**c, next), 2);
  auto changes = DiffSnapshots(*LoadSnapshot(**c, 1), *LoadSnapshot(**c, 2));
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].change, "changed");
  EXPECT_EQ(changes[0].code, "a-1");
  EXPECT_EQ(changes[0].columns, std::vector<std::string>{"VORM"});
  EXPECT_EQ(changes[1].change, "added");
  EXPECT_EQ(changes[1].code, "a-1/C1");
  EXPECT_EQ(changes[2].change, "removed");
  EXPECT_EQ(changes[2].code, "1000O0001");
  auto list = ListSnapshots(**c);
  ASSERT_OK(list);
  EXPECT_EQ(list->size(), 2u);
  EXPECT_EQ(LoadSnapshot(**c, 9).status().code(), StatusCode::kNotFound);
}

TEST(Store, AFailedSaveStoresNothing) {
  auto c = adapters::sqlite::Open(":memory:", {.read_only = false, .create = true});
  ASSERT_OK(c);
  Snapshot s = Sample();
  s.items.push_back(s.items[0]);  // duplicate primary key: the insert fails mid-transaction
  auto id = SaveSnapshot(**c, s);
  ASSERT_FALSE(id.ok());
  auto list = ListSnapshots(**c);
  ASSERT_OK(list);
  EXPECT_TRUE(list->empty());
}

// Snapshots of older versions hold a bare SHA-256 hex in rio_snapshot_file.sha256, newer ones
// "xxh3-128:<hex>": both load from the same table.
TEST(Store, ChecksumsOfOlderAndNewerImportsLoadAlike) {
  auto c = adapters::sqlite::Open(":memory:", {.read_only = false, .create = true});
  ASSERT_OK(c);
  ASSERT_OK(SaveSnapshot(**c, Sample()));
  Snapshot newer = Sample();
  newer.files[0].sha256 = "xxh3-128:b87c8b7583162597dd58aa98a82973ad";
  auto id = SaveSnapshot(**c, newer);
  ASSERT_OK(id);
  auto older = LoadSnapshot(**c, 1);
  auto loaded = LoadSnapshot(**c, *id);
  ASSERT_OK(older);
  ASSERT_OK(loaded);
  EXPECT_EQ(older->files[0].sha256, std::string(64, 'a'));
  EXPECT_EQ(loaded->files[0].sha256, "xxh3-128:b87c8b7583162597dd58aa98a82973ad");
}

}  // namespace
}  // namespace ooapi::sync
