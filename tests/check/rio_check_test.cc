// check-rio end to end: the small demo is generated into a temporary SQLite file, served by
// endpoint::Api over the sqlite adapter (built through the registry, as the executable does), and
// walked by CheckRio. The clean demo has no finding; with DemoOptions::plant_rio_defects every
// planted entity breaks its rule and nothing else fires.

#include "ooapi/check/rio_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "ooapi/adapters/builtin.h"
#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/check/rio_rules.h"
#include "ooapi/common/json.h"
#include "ooapi/demo/demo.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"

namespace ooapi::check {
namespace {

// Rules no SIS-contract data can break, because the endpoint always serves them correctly
// (complete overrides, no nulls, valid JSON, the since parameter not yet implemented, ids and
// dates passed through unchanged but also used as request paths). rio_rules_test.cc covers
// each of them on hand-written documents.
const std::set<std::string> kNotPlantable = {
    "invalid-json", "null-value", "uuid", "date", "override-incomplete", "offering-window"};

// One generated demo database and the Api over it.
struct Served {
  ooapi::testing::TempFile file{".db"};
  demo::DemoSummary summary;
  adapters::SisAdapterPtr adapter;
  std::unique_ptr<endpoint::Api> api;
  CheckReport report;
};

std::unique_ptr<Served> Serve(bool plant) {
  auto s = std::make_unique<Served>();
  {
    adapters::sqlite::OpenOptions open;
    open.read_only = false;
    open.create = true;
    auto connection = adapters::sqlite::Open(s->file.path(), open);
    EXPECT_OK(connection);
    if (!connection.ok()) return nullptr;
    demo::DemoOptions options;
    options.today = "2025-10-15";
    options.plant_rio_defects = plant;
    auto summary = demo::WriteDemo(**connection, options);
    EXPECT_OK(summary);
    if (!summary.ok()) return nullptr;
    s->summary = *summary;
  }
  adapters::AdapterRegistry registry;
  adapters::RegisterBuiltinAdapters(registry);
  config::Config cfg;
  cfg.sis.adapter = "sqlite";
  cfg.sis.sqlite.path = s->file.path();
  auto adapter = registry.Create(cfg);
  EXPECT_OK(adapter);
  if (!adapter.ok()) return nullptr;
  s->adapter = std::move(adapter).value();
  s->api = std::make_unique<endpoint::Api>(s->adapter.get(), endpoint::ApiOptions{});
  auto report = CheckRio(*s->api);
  EXPECT_OK(report);
  if (!report.ok()) return nullptr;
  s->report = std::move(report).value();
  return s;
}

std::string Text(const CheckReport& report) {
  std::ostringstream out;
  WriteReport(report, "text", out);
  return out.str();
}

// Findings other than offering-window: whether offerings outside the default window exist is the
// deployment's offering-window choice, not a defect of the data (that rule has its own test).
std::vector<Finding> DataFindings(const CheckReport& report) {
  std::vector<Finding> out;
  for (const Finding& f : report.findings) {
    if (f.rule != "offering-window") out.push_back(f);
  }
  return out;
}

// Each demo is generated once per process and only when a test needs it (ctest runs every test
// in its own process).
const Served* Clean() {
  static const std::unique_ptr<Served> served = Serve(false);  // removes its file at exit
  return served.get();
}
const Served* Planted() {
  static const std::unique_ptr<Served> served = Serve(true);  // removes its file at exit
  return served.get();
}

TEST(RioCheckTest, CleanDemoPasses) {
  const Served* clean = Clean();
  ASSERT_NE(clean, nullptr);
  const CheckReport& r = clean->report;
  EXPECT_TRUE(DataFindings(r).empty()) << Text(r);
  EXPECT_EQ(ExitStatus(r), r.findings.empty() ? 0 : 1);
  // Every RIO-relevant eduspec, program and course plus their offerings were walked.
  EXPECT_GT(r.entities_checked, 1000);
  EXPECT_GT(r.requests, r.entities_checked / 10);
  EXPECT_TRUE(clean->summary.planted.empty());
  if (!r.offering_window_checked) {
    // Today the endpoint refuses `since` (400): the comparison is skipped with a note.
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("'since'"), std::string::npos) << r.notes[0];
  }
}

TEST(RioCheckTest, EveryPlantedDefectFiresOnExactlyItsEntity) {
  const Served* planted_demo = Planted();
  ASSERT_NE(planted_demo, nullptr);
  const CheckReport& r = planted_demo->report;
  const auto& planted = planted_demo->summary.planted;
  ASSERT_FALSE(planted.empty());
  EXPECT_EQ(ExitStatus(r), 1);
  for (const demo::PlantedDefect& d : planted) {
    const bool fired = std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
      return f.rule == d.rule && f.entity_id == d.entity_id && f.entity_type == d.entity_type;
    });
    EXPECT_TRUE(fired) << d.rule << " did not fire on " << d.entity_type << " " << d.entity_id
                       << " (" << d.what << ")\n"
                       << Text(r);
  }
  for (const Finding& f : DataFindings(r)) {
    const bool expected = std::any_of(planted.begin(), planted.end(), [&](const auto& d) {
      return f.rule == d.rule && f.entity_id == d.entity_id;
    });
    EXPECT_TRUE(expected) << "unexpected finding: " << f.rule << " " << f.entity_type << " "
                          << f.entity_id << " " << f.field_path << ": " << f.message << " ["
                          << f.request << "]";
  }

  // One planted entity per rule that data can break; the others are unit-tested.
  std::set<std::string> planted_rules;
  for (const auto& d : planted) {
    EXPECT_TRUE(planted_rules.insert(d.rule).second) << "planted twice: " << d.rule;
    EXPECT_FALSE(RuleDescription(d.rule).empty()) << "not a rule: " << d.rule;
  }
  for (const std::string& id : RuleIds()) {
    EXPECT_EQ(planted_rules.count(id) + kNotPlantable.count(id), 1u) << id;
  }

  // Findings name the mapper's exact request and the field.
  const std::string prefix = "defec7ed-0000-4000-8000-0000000000";
  int located = 0;
  for (const Finding& f : r.findings) {
    if (f.rule == "missing-education-specification") {
      ++located;
      EXPECT_EQ(f.request,
                "/education-specifications/" + prefix + "ee?returnTimelineOverrides=true");
      EXPECT_EQ(f.field_path, "educationSpecification");
    }
    if (f.rule == "cohort-code") {
      ++located;
      EXPECT_EQ(f.request, "/courses/" + prefix + "24/offerings?pageSize=250&consumer=rio");
      EXPECT_EQ(f.field_path, "items[1].primaryCode.code");
    }
    if (f.rule == "consumer-required") {
      ++located;
      EXPECT_EQ(f.request, "/programs/" + prefix + "13?returnTimelineOverrides=true");
      EXPECT_EQ(f.field_path, "consumers[0].propaedeuticPhase");
    }
  }
  EXPECT_EQ(located, 3);
}

TEST(RioCheckTest, ReportFormats) {
  CheckReport r;
  r.entities_checked = 3;
  r.requests = 7;
  r.notes = {"a note"};
  r.findings = {
      {"program", "p1", "/programs/p1?returnTimelineOverrides=true", "name[0].value", "html",
       "name looks like HTML"},
      {"offering", "o1", "/programs/p1/offerings?pageSize=250&consumer=rio",
       "items[0].primaryCode.code", "cohort-code", "too long, \"quoted\""},
  };
  EXPECT_EQ(ExitStatus(r), 1);
  EXPECT_EQ(ExitStatus(CheckReport{}), 0);

  std::ostringstream json_out;
  WriteReport(r, "json", json_out);
  rapidjson::Document d;
  d.Parse(json_out.str().c_str());
  ASSERT_FALSE(d.HasParseError()) << json_out.str();
  ASSERT_TRUE(d["findings"].IsArray());
  EXPECT_EQ(d["findings"].Size(), 2u);
  EXPECT_EQ(d["entitiesChecked"].GetInt(), 3);
  EXPECT_EQ(d["requests"].GetInt(), 7);
  EXPECT_STREQ(d["notes"][0].GetString(), "a note");
  EXPECT_STREQ(d["findings"][1]["fieldPath"].GetString(), "items[0].primaryCode.code");
  EXPECT_STREQ(d["findings"][1]["message"].GetString(), "too long, \"quoted\"");

  std::ostringstream csv_out;
  WriteReport(r, "csv", csv_out);
  EXPECT_EQ(csv_out.str(),
            "entity_type,entity_id,request,field_path,rule,message\r\n"
            "program,p1,/programs/p1?returnTimelineOverrides=true,name[0].value,html,"
            "name looks like HTML\r\n"
            "offering,o1,/programs/p1/offerings?pageSize=250&consumer=rio,"
            "items[0].primaryCode.code,cohort-code,\"too long, \"\"quoted\"\"\"\r\n");

  const std::string text = Text(r);
  EXPECT_NE(text.find("html: program p1 name[0].value: name looks like HTML "
                      "[GET /programs/p1?returnTimelineOverrides=true]\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("note: a note\n"), std::string::npos);
  EXPECT_NE(text.find("2 findings in 3 entities (7 requests)\n"), std::string::npos) << text;
  EXPECT_TRUE(IsReportFormat("text") && IsReportFormat("json") && IsReportFormat("csv"));
  EXPECT_FALSE(IsReportFormat("xml"));
}

}  // namespace
}  // namespace ooapi::check
