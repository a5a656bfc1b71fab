// The plan file and the report of `sync plan`.
//
// Plan file, format "ooapi-endpoint/sync-plan", version 1 (UTF-8 JSON object):
//   format, version, snapshot_id, bestuur, ref_date, created_at, offering_window,
//   counts {class: n}, warnings [..],
//   items [{kind, sector, rio_code, rio_name, rio_key, sis_type, sis_id, class, confidence,
//           reason, evidence [..], candidates [{sis_id, score, evidence [..]}],
//           decision "" | "accept" | "reject" | "override", override_sis_id, include_edudex,
//           note}],
//   cohort_findings [{ao_code, sis_type, sis_id, cohortcode, offering_id, finding, detail}]
// An admin edits only decision, override_sis_id, include_edudex and note; `--merge` carries them.


#include <fstream>
#include <sstream>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/rio/workbook.h"

namespace ooapi::sync {
namespace {

constexpr std::string_view kFormat = "ooapi-endpoint/sync-plan";

std::string GetS(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}
std::vector<std::string> GetSs(const rapidjson::Value& o, const char* key) {
  std::vector<std::string> out;
  auto it = o.FindMember(key);
  if (it != o.MemberEnd() && it->value.IsArray()) {
    for (const auto& v : it->value.GetArray()) {
      if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
    }
  }
  return out;
}
double GetD(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsNumber() ? it->value.GetDouble() : 0;
}

std::string Identity(const PlanItem& p) {
  return p.rio_code.empty() ? "sis:" + p.sis_type + ":" + p.sis_id : p.kind + ":" + p.rio_code;
}

std::string Html(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '"') {
      out += "&quot;";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> ItemRow(const PlanItem& p) {
  char conf[16];
  std::snprintf(conf, sizeof conf, "%.2f", p.confidence);
  std::vector<std::string> cands;
  for (const auto& c : p.candidates) {
    char s[16];
    std::snprintf(s, sizeof s, "%.2f", c.score);
    cands.push_back(c.sis_id + " (" + s + ")");
  }
  return {std::string(PlanClassName(p.cls)),
          p.kind,
          p.sector,
          p.rio_code,
          p.rio_name,
          p.rio_key,
          p.sis_type,
          p.sis_id,
          conf,
          p.reason,
          Join(p.evidence, "; "),
          Join(cands, "; "),
          p.decision,
          p.override_sis_id};
}
const std::vector<std::string> kItemHeader = {
    "class",  "kind",       "sector", "rio_code", "rio_name",   "rio_key",  "sis_type",
    "sis_id", "confidence", "reason", "evidence", "candidates", "decision", "override_sis_id"};
const std::vector<std::string> kFindingHeader = {"ao_code",     "sis_type", "sis_id", "cohortcode",
                                                 "offering_id", "finding",  "detail"};
std::vector<std::string> FindingRow(const CohortFinding& f) {
  return {f.ao_code, f.sis_type, f.sis_id, f.cohortcode, f.offering_id, f.finding, f.detail};
}

}  // namespace

namespace {

template <typename W>
void WriteItem(W& w, const PlanItem& p) {
  w.StartObject();
  json::Member(w, "kind", p.kind);
  json::Member(w, "sector", p.sector);
  json::Member(w, "rio_code", p.rio_code);
  json::Member(w, "rio_name", p.rio_name);
  json::Member(w, "rio_key", p.rio_key);
  json::Member(w, "sis_type", p.sis_type);
  json::Member(w, "sis_id", p.sis_id);
  json::Member(w, "class", PlanClassName(p.cls));
  json::Member(w, "confidence", p.confidence);
  json::Member(w, "reason", p.reason);
  json::StringArray(w, "evidence", p.evidence);
  w.Key("candidates");
  w.StartArray();
  for (const auto& c : p.candidates) {
    w.StartObject();
    json::Member(w, "sis_id", c.sis_id);
    json::Member(w, "score", c.score);
    json::StringArray(w, "evidence", c.evidence);
    w.EndObject();
  }
  w.EndArray();
  json::Member(w, "decision", p.decision);
  json::Member(w, "override_sis_id", p.override_sis_id);
  json::Member(w, "include_edudex", p.include_edudex);
  json::Member(w, "note", p.note);
  w.EndObject();
}

template <typename W>
void WriteFinding(W& w, const CohortFinding& f) {
  w.StartObject();
  json::Member(w, "ao_code", f.ao_code);
  json::Member(w, "sis_type", f.sis_type);
  json::Member(w, "sis_id", f.sis_id);
  json::Member(w, "cohortcode", f.cohortcode);
  json::Member(w, "offering_id", f.offering_id);
  json::Member(w, "finding", f.finding);
  json::Member(w, "detail", f.detail);
  w.EndObject();
}

}  // namespace

std::string PlanToJson(const Plan& plan) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 1);
  w.StartObject();
  json::Member(w, "format", kFormat);
  json::Member(w, "version", plan.version);
  json::Member(w, "snapshot_id", plan.snapshot_id);
  json::Member(w, "bestuur", plan.bestuur);
  json::Member(w, "ref_date", plan.ref_date);
  json::Member(w, "created_at", plan.created_at);
  json::Member(w, "offering_window", plan.offering_window);
  json::MapObject(w, "counts", plan.Counts());
  json::StringArray(w, "warnings", plan.warnings);
  w.Key("items");
  w.StartArray();
  for (const auto& p : plan.items) WriteItem(w, p);
  w.EndArray();
  w.Key("cohort_findings");
  w.StartArray();
  for (const auto& f : plan.cohort_findings) WriteFinding(w, f);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

StatusOr<Plan> ParsePlan(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return InvalidArgument(std::string("plan: not a JSON object (") +
                           rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                           std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (GetS(doc, "format") != kFormat) {
    return InvalidArgument("plan: format is not " + std::string(kFormat));
  }
  Plan plan;
  plan.version = static_cast<int>(GetD(doc, "version"));
  if (plan.version < 1 || plan.version > Plan::kVersion) {
    return InvalidArgument("plan: version " + std::to_string(plan.version) +
                           " is not supported (this build reads 1.." +
                           std::to_string(Plan::kVersion) + ")");
  }
  plan.snapshot_id = static_cast<int64_t>(GetD(doc, "snapshot_id"));
  plan.bestuur = GetS(doc, "bestuur");
  plan.ref_date = GetS(doc, "ref_date");
  plan.created_at = GetS(doc, "created_at");
  plan.offering_window = GetS(doc, "offering_window");
  plan.warnings = GetSs(doc, "warnings");
  auto items = doc.FindMember("items");
  if (items == doc.MemberEnd() || !items->value.IsArray()) {
    return InvalidArgument("plan: items is not an array");
  }
  for (const auto& o : items->value.GetArray()) {
    if (!o.IsObject()) return InvalidArgument("plan: an item is not an object");
    PlanItem p;
    p.kind = GetS(o, "kind");
    p.sector = GetS(o, "sector");
    p.rio_code = GetS(o, "rio_code");
    p.rio_name = GetS(o, "rio_name");
    p.rio_key = GetS(o, "rio_key");
    p.sis_type = GetS(o, "sis_type");
    p.sis_id = GetS(o, "sis_id");
    auto cls = ParsePlanClass(GetS(o, "class"));
    if (!cls) return InvalidArgument("plan: item " + Identity(p) + " has an unknown class");
    p.cls = *cls;
    p.confidence = GetD(o, "confidence");
    p.reason = GetS(o, "reason");
    p.evidence = GetSs(o, "evidence");
    auto cands = o.FindMember("candidates");
    if (cands != o.MemberEnd() && cands->value.IsArray()) {
      for (const auto& c : cands->value.GetArray()) {
        if (c.IsObject())
          p.candidates.push_back({GetS(c, "sis_id"), GetD(c, "score"), GetSs(c, "evidence")});
      }
    }
    p.decision = GetS(o, "decision");
    if (!p.decision.empty() && p.decision != "accept" && p.decision != "reject" &&
        p.decision != "override") {
      return InvalidArgument("plan: item " + Identity(p) + ": decision '" + p.decision +
                             "' is not accept, reject or override");
    }
    p.override_sis_id = GetS(o, "override_sis_id");
    if (p.decision == "override" && p.override_sis_id.empty()) {
      return InvalidArgument("plan: item " + Identity(p) + ": override needs override_sis_id");
    }
    auto inc = o.FindMember("include_edudex");
    p.include_edudex = inc != o.MemberEnd() && inc->value.IsBool() && inc->value.GetBool();
    p.note = GetS(o, "note");
    plan.items.push_back(std::move(p));
  }
  auto findings = doc.FindMember("cohort_findings");
  if (findings != doc.MemberEnd() && findings->value.IsArray()) {
    for (const auto& f : findings->value.GetArray()) {
      if (!f.IsObject()) continue;
      plan.cohort_findings.push_back({GetS(f, "ao_code"), GetS(f, "sis_type"), GetS(f, "sis_id"),
                                      GetS(f, "cohortcode"), GetS(f, "offering_id"),
                                      GetS(f, "finding"), GetS(f, "detail")});
    }
  }
  return plan;
}

void MergeDecisions(Plan& plan, const Plan& old_plan) {
  std::map<std::string, PlanItem*> by_identity;
  for (auto& p : plan.items) by_identity[Identity(p)] = &p;
  for (const auto& old : old_plan.items) {
    if (old.decision.empty() && !old.include_edudex && old.note.empty()) continue;
    auto it = by_identity.find(Identity(old));
    if (it == by_identity.end()) {
      plan.warnings.push_back("decision '" + old.decision + "' on " + Identity(old) +
                              " kept out: the item is no longer in the plan");
      continue;
    }
    PlanItem& p = *it->second;
    p.decision = old.decision;
    p.override_sis_id = old.override_sis_id;
    p.include_edudex = old.include_edudex;
    p.note = old.note;
    if (old.decision == "accept" && !old.sis_id.empty() && old.sis_id != p.sis_id) {
      plan.warnings.push_back("accepted " + Identity(old) + " → " + old.sis_id +
                              " but the new plan says " + std::string(PlanClassName(p.cls)) + " " +
                              p.sis_id + ": review it");
    }
  }
}

namespace {

// One sheet per class (in AllPlanClasses order, empty ones too, so every report has the same
// tabs), then "cohort loss", then "plan" with the snapshot and the warnings.
Status WriteXlsxReport(const Plan& plan, const std::string& path) {
  std::vector<Sheet> sheets;
  for (PlanClass c : AllPlanClasses()) {
    Sheet sheet{std::string(PlanClassName(c)), kItemHeader, {}};
    for (const auto& p : plan.items) {
      if (p.cls == c) sheet.rows.push_back(ItemRow(p));
    }
    sheets.push_back(std::move(sheet));
  }
  Sheet findings{"cohort loss", kFindingHeader, {}};
  for (const auto& f : plan.cohort_findings) findings.rows.push_back(FindingRow(f));
  sheets.push_back(std::move(findings));
  Sheet info{"plan",
             {"field", "value"},
             {{"snapshot", std::to_string(plan.snapshot_id)},
              {"bestuur", plan.bestuur},
              {"ref_date", plan.ref_date},
              {"created_at", plan.created_at},
              {"offering_window", plan.offering_window}}};
  for (const auto& w : plan.warnings) info.rows.push_back({"warning", w});
  sheets.push_back(std::move(info));
  return WriteXlsx(sheets, path);
}

}  // namespace

Status WriteReport(const Plan& plan, const std::string& path) {
  if (path.size() >= 5 && path.substr(path.size() - 5) == ".xlsx") {
    return WriteXlsxReport(plan, path);
  }
  std::ostringstream out;
  if (path.size() >= 4 && path.substr(path.size() - 4) == ".csv") {
    out << "section," << Join(kItemHeader, ",") << "\n";
    for (const auto& p : plan.items) {
      out << "item";
      for (const auto& f : ItemRow(p)) out << "," << CsvQuote(f);
      out << "\n";
    }
    out << "section," << Join(kFindingHeader, ",") << "\n";
    for (const auto& f : plan.cohort_findings) {
      out << "cohort_loss";
      for (const auto& v : FindingRow(f)) out << "," << CsvQuote(v);
      out << "\n";
    }
  } else if (path.size() >= 5 && path.substr(path.size() - 5) == ".html") {
    out << "<!doctype html><html><head><meta charset=\"utf-8\"><title>sync plan "
        << Html(plan.bestuur) << "</title></head><body>\n<h1>Sync plan " << Html(plan.bestuur)
        << " (snapshot " << plan.snapshot_id << ", " << Html(plan.ref_date) << ")</h1>\n";
    for (const auto& w : plan.warnings) out << "<p>warning: " << Html(w) << "</p>\n";
    for (PlanClass c : AllPlanClasses()) {
      out << "<h2 id=\"" << PlanClassName(c) << "\">" << PlanClassName(c) << "</h2>\n<table><tr>";
      for (const auto& h : kItemHeader) out << "<th>" << h << "</th>";
      out << "</tr>\n";
      for (const auto& p : plan.items) {
        if (p.cls != c) continue;
        out << "<tr>";
        for (const auto& f : ItemRow(p)) out << "<td>" << Html(f) << "</td>";
        out << "</tr>\n";
      }
      out << "</table>\n";
    }
    out << "<h2 id=\"cohort_loss\">cohort loss</h2>\n<table><tr>";
    for (const auto& h : kFindingHeader) out << "<th>" << h << "</th>";
    out << "</tr>\n";
    for (const auto& f : plan.cohort_findings) {
      out << "<tr>";
      for (const auto& v : FindingRow(f)) out << "<td>" << Html(v) << "</td>";
      out << "</tr>\n";
    }
    out << "</table>\n</body></html>\n";
  } else {
    return InvalidArgument("report " + path + ": use .xlsx, .csv or .html");
  }
  std::ofstream file(path, std::ios::binary);
  file << out.str();
  file.close();
  if (!file) return Unavailable("cannot write " + path);
  return Status::Ok();
}

}  // namespace ooapi::sync
