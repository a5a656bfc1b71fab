#include "ooapi/check/rio_check.h"

#include <array>
#include <map>
#include <memory>
#include <utility>

#include "ooapi/check/rio_rules.h"
#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"

namespace ooapi::check {
namespace {

constexpr int kMapperPageSize = 250;

struct RuleInfo {
  std::string_view id;
  std::string_view description;
};

constexpr std::array<RuleInfo, 24> kRules{{
    {rule::kHttpStatus,
     "a request the mapper makes does not answer HTTP 200 (the mapper fails the job)"},
    {rule::kInvalidJson, "a response body is not the JSON object the mapper expects"},
    {rule::kRequiredField, "an attribute the mapper or the RIO XSD requires is missing"},
    {rule::kNullValue, "an attribute is sent as null (the mapper validates present keys; omit it)"},
    {rule::kUuid, "an id or id reference is not a lowercase UUID"},
    {rule::kDate, "a date is not YYYY-MM-DD or not a real date"},
    {rule::kTextLength,
     "a name/learning outcome is not 1-1000, a description not 1-3000, an abbreviation too long"},
    {rule::kHtml, R"(a text looks like HTML or contains an entity ((<(\S|\Z))|(&\S+;)))"},
    {rule::kLanguageTag, "a text's language tag does not match the mapper's regex"},
    {rule::kNameLanguage, "an education specification name has no nl-NL, nl-BE or en-XX entry"},
    {rule::kLevelSector,
     "an education specification's level and sector do not map to a RIO niveau"},
    {rule::kEnum, "a top-level enumeration or format has a value the mapper does not accept"},
    {rule::kCodeType, "a codeType is neither predefined nor x-[\\w.]+"},
    {rule::kConsumerRequired, "the rio consumer or one of its required attributes is missing"},
    {rule::kConsumerEnum, "a rio consumer attribute has a value the mapper or RIO does not accept"},
    {rule::kStudyLoadInteger, "studyLoad.value is not an integer of at most 5 digits"},
    {rule::kOverrideIncomplete,
     "a timeline override lacks validFrom, name or something the main object has (no fallback)"},
    {rule::kDuplicatePeriodStart, "two periods (main object and overrides) start on the same day"},
    {rule::kOverrideValidTo,
     "an override has validTo while the entity is open-ended (RIO ends the whole entity)"},
    {rule::kCohortCode, "an offering's primaryCode.code (RIO cohortcode) is missing or over 60"},
    {rule::kCostType, "an offering price item's costType is not 'total costs' (XSD error)"},
    {rule::kDanglingRelation,
     "an education specification's parent or child is not served (404) or is itself"},
    {rule::kMissingEducationSpecification,
     "a program or course has no educationSpecification, or it is not served (404)"},
    {rule::kOfferingWindow,
     "an offering the mapper's offerings request does not return (an upsert removes the cohort)"},
}};

std::string PathOf(std::string_view collection, const std::string& id) {
  return "/" + std::string(collection) + "/" + id;
}

// One fetched response.
struct Response {
  std::string request;  // path?query
  int status = 0;
  std::shared_ptr<rapidjson::Document> doc;  // null when the body is not JSON
};

class Walker {
 public:
  Walker(const endpoint::Api& api, const CheckOptions& options, CheckReport& report)
      : api_(api), options_(options), report_(report) {}

  Response Fetch(const std::string& path, const std::string& query) {
    endpoint::HttpRequest request;
    request.method = "GET";
    request.path = path;
    request.query = endpoint::SplitQueryString(query);
    request.headers = {{"accept", "application/json; version=5"}};
    request.trace_id = "check-rio";
    const endpoint::HttpResponse http = api_.Handle(request);
    ++report_.requests;
    Response r;
    r.request = query.empty() ? path : path + "?" + query;
    r.status = http.status;
    auto doc = std::make_shared<rapidjson::Document>();
    doc->Parse(http.body.data(), http.body.size());
    if (!doc->HasParseError()) {
      r.doc = std::move(doc);
    }
    return r;
  }

  // Ids of one collection with consumer=rio, paging with hasNextPage.
  StatusOr<std::vector<std::string>> ListIds(std::string_view collection, const char* id_key) {
    std::vector<std::string> ids;
    for (int page = 1;; ++page) {
      std::string query = "consumer=rio&pageSize=" + std::to_string(kMapperPageSize);
      if (page > 1) query += "&pageNumber=" + std::to_string(page);
      Response r = Fetch("/" + std::string(collection), query);
      if (r.status != 200 || !r.doc || !r.doc->IsObject() || !r.doc->HasMember("items") ||
          !(*r.doc)["items"].IsArray()) {
        const std::string what = "GET " + r.request + " answered " + std::to_string(r.status) +
                                 (r.doc ? "" : " without JSON") + "; cannot list entities";
        return r.status == 503 ? Unavailable(what) : Internal(what);
      }
      for (const auto& item : (*r.doc)["items"].GetArray()) {
        if (item.IsObject() && item.HasMember(id_key) && item[id_key].IsString()) {
          ids.emplace_back(item[id_key].GetString(), item[id_key].GetStringLength());
        }
      }
      const auto& d = *r.doc;
      if (!d.HasMember("hasNextPage") || !d["hasNextPage"].IsBool() ||
          !d["hasNextPage"].GetBool() || d["items"].Empty()) {
        break;
      }
    }
    return ids;
  }

  // Adds http-status / invalid-json findings; returns the document when it can be checked.
  const rapidjson::Document* Usable(const Response& r, const EntityContext& c) {
    if (r.status != 200) {
      AddFinding(c, rule::kHttpStatus,
                 "GET " + r.request + " answered " + std::to_string(r.status) +
                     "; the mapper accepts only 200 and fails the job");
      return nullptr;
    }
    if (!r.doc || !r.doc->IsObject()) {
      AddFinding(c, rule::kInvalidJson, "GET " + r.request + " did not answer a JSON object");
      return nullptr;
    }
    return r.doc.get();
  }

  void AddFinding(const EntityContext& c, std::string_view rule, std::string message,
                  std::string field = "") {
    report_.findings.push_back(Finding{std::string(EntityTypeName(c.kind)), c.entity_id, c.request,
                                       std::move(field), std::string(rule), std::move(message)});
  }

  void Append(Findings f) {
    report_.findings.insert(report_.findings.end(), std::make_move_iterator(f.begin()),
                            std::make_move_iterator(f.end()));
  }

  // GET /education-specifications/{id}?returnTimelineOverrides=true, fetched once per id.
  const Response& Eduspec(const std::string& id) {
    auto it = eduspecs_.find(id);
    if (it == eduspecs_.end()) {
      it = eduspecs_
               .emplace(id, Fetch(PathOf("education-specifications", id),
                                  "returnTimelineOverrides=true"))
               .first;
    }
    return it->second;
  }

  void CheckEducationSpecification(const std::string& id) {
    const Response& r = Eduspec(id);
    EntityContext c{EntityKind::kEducationSpecification, id, r.request, "", ""};
    const rapidjson::Document* doc = Usable(r, c);
    ++report_.entities_checked;
    if (doc == nullptr) return;
    Append(CheckEntity(*doc, c));

    // Relations the mapper fetches in its associating phase (§2.2), and parent in any case:
    // relatives must be served (§6.17).
    std::vector<std::pair<std::string, std::string>> relatives;  // field path, id
    if (doc->HasMember("parent") && (*doc)["parent"].IsString()) {
      const std::string parent = (*doc)["parent"].GetString();
      if (parent == id) {
        AddFinding(c, rule::kDanglingRelation, "parent is the education specification itself",
                   "parent");
      } else {
        relatives.emplace_back("parent", parent);
      }
    }
    if (doc->HasMember("children") && (*doc)["children"].IsArray()) {
      const auto& children = (*doc)["children"];
      for (rapidjson::SizeType i = 0; i < children.Size(); ++i) {
        if (children[i].IsString()) {
          relatives.emplace_back("children[" + std::to_string(i) + "]", children[i].GetString());
        }
      }
    }
    for (const auto& [field, relative] : relatives) {
      const Response& rr = Eduspec(relative);
      EntityContext rc = c;
      rc.request = rr.request;
      if (rr.status == 404) {
        AddFinding(rc, rule::kDanglingRelation,
                   field + " " + relative +
                       " is not served (404); the mapper fetches it after writing to RIO and "
                       "the job ends in time-out",
                   field);
      } else {
        Usable(rr, rc);
      }
    }
  }

  // Offerings as the mapper pages them: no pageNumber on page 1, then &pageNumber=n while a page
  // holds 250 items. Returns the offering ids seen; `status` is the first non-200 status (0 if
  // none).
  std::vector<std::string> OfferingIds(const std::string& path, const std::string& extra,
                                       const EntityContext& owner, bool check, int* status) {
    std::vector<std::string> ids;
    *status = 0;
    for (int page = 1;; ++page) {
      std::string query = "pageSize=" + std::to_string(kMapperPageSize) + "&consumer=rio" + extra;
      if (page > 1) query += "&pageNumber=" + std::to_string(page);
      Response r = Fetch(path, query);
      EntityContext c = owner;
      c.request = r.request;
      if (r.status != 200 || !r.doc) {
        *status = r.status;
        if (check) Usable(r, c);
        break;
      }
      if (check) {
        Findings f = CheckOfferingsPage(*r.doc, c);
        Append(std::move(f));
      }
      if (!r.doc->IsObject() || !r.doc->HasMember("items") || !(*r.doc)["items"].IsArray()) break;
      const auto& items = (*r.doc)["items"];
      for (const auto& item : items.GetArray()) {
        if (item.IsObject() && item.HasMember("offeringId") && item["offeringId"].IsString()) {
          ids.emplace_back(item["offeringId"].GetString());
        }
      }
      if (check) report_.entities_checked += static_cast<int>(items.Size());
      if (items.Size() < static_cast<rapidjson::SizeType>(kMapperPageSize)) break;
    }
    return ids;
  }

  void CheckOffered(EntityKind kind, const std::string& id) {
    const std::string_view collection = kind == EntityKind::kProgram ? "programs" : "courses";
    const std::string path = PathOf(collection, id);
    Response r = Fetch(path, "returnTimelineOverrides=true");
    EntityContext c{kind, id, r.request, "", ""};
    ++report_.entities_checked;
    const rapidjson::Document* doc = Usable(r, c);

    if (doc != nullptr) {
      // Step 3 of the upsert: its education specification, unless a joint program.
      bool joint = false;
      if (doc->HasMember("consumers") && (*doc)["consumers"].IsArray()) {
        for (const auto& consumer : (*doc)["consumers"].GetArray()) {
          if (consumer.IsObject() && consumer.HasMember("consumerKey") &&
              consumer["consumerKey"] == "rio") {
            joint = consumer.HasMember("jointProgram") && consumer["jointProgram"].IsBool() &&
                    consumer["jointProgram"].GetBool();
            break;
          }
        }
      }
      if (doc->HasMember("educationSpecification") && (*doc)["educationSpecification"].IsString()) {
        const Response& er = Eduspec((*doc)["educationSpecification"].GetString());
        EntityContext ec = c;
        ec.request = er.request;
        if (er.status == 404) {
          AddFinding(ec, rule::kMissingEducationSpecification,
                     "educationSpecification is not served (404); RIO cannot resolve it "
                     "(\"No 'opleidingseenheid' found\")",
                     "educationSpecification");
        } else if (const rapidjson::Document* ed = Usable(er, ec); ed != nullptr) {
          if (ed->HasMember("educationSpecificationType") &&
              (*ed)["educationSpecificationType"].IsString()) {
            c.eduspec_type = (*ed)["educationSpecificationType"].GetString();
          }
        }
      } else if (!joint) {
        AddFinding(c, rule::kMissingEducationSpecification,
                   "no educationSpecification (and not a joint program): the mapper's job dies "
                   "without writing anything (§9)",
                   "educationSpecification");
      }
      Append(CheckEntity(*doc, c));
    }

    int status = 0;
    const std::vector<std::string> seen = OfferingIds(path + "/offerings", "", c, true, &status);
    if (!options_.check_offering_window || status != 0 || !window_supported_) return;
    int since_status = 0;
    const std::vector<std::string> all =
        OfferingIds(path + "/offerings", "&since=" + options_.since_probe, c, false, &since_status);
    if (since_status == 400) {
      window_supported_ = false;
      report_.notes.push_back(
          "offering-window not checked: the endpoint answers 400 to the "
          "'since' parameter (GET " +
          path + "/offerings?pageSize=250&consumer=rio&since=" + options_.since_probe + ")");
      return;
    }
    if (since_status != 0) {
      report_.notes.push_back("offering-window not checked for " + path + ": 'since' answered " +
                              std::to_string(since_status));
      window_complete_ = false;
      return;
    }
    EntityContext wc = c;
    wc.request = path + "/offerings?pageSize=250&consumer=rio&since=" + options_.since_probe;
    Append(OfferingWindowFindings(seen, all, wc));
  }

  bool window_checked() const {
    return options_.check_offering_window && window_supported_ && window_complete_;
  }

 private:
  const endpoint::Api& api_;
  const CheckOptions& options_;
  CheckReport& report_;
  std::map<std::string, Response> eduspecs_;
  bool window_supported_ = true;
  bool window_complete_ = true;
};

void WriteJsonReport(const CheckReport& report, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::Member(w, "entitiesChecked", report.entities_checked);
  json::Member(w, "requests", report.requests);
  json::Member(w, "offeringWindowChecked", report.offering_window_checked);
  json::StringArray(w, "notes", report.notes);
  w.Key("findings");
  w.StartArray();
  for (const Finding& f : report.findings) {
    w.StartObject();
    json::Member(w, "entityType", f.entity_type);
    json::Member(w, "entityId", f.entity_id);
    json::Member(w, "request", f.request);
    json::Member(w, "fieldPath", f.field_path);
    json::Member(w, "rule", f.rule);
    json::Member(w, "message", f.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out << buffer.GetString() << "\n";
}

}  // namespace

StatusOr<CheckReport> CheckRio(const endpoint::Api& api, const CheckOptions& options) {
  CheckReport report;
  Walker walker(api, options, report);
  OOAPI_ASSIGN_OR_RETURN(std::vector<std::string> eduspecs,
                         walker.ListIds("education-specifications", "educationSpecificationId"));
  OOAPI_ASSIGN_OR_RETURN(std::vector<std::string> programs,
                         walker.ListIds("programs", "programId"));
  OOAPI_ASSIGN_OR_RETURN(std::vector<std::string> courses, walker.ListIds("courses", "courseId"));
  for (const std::string& id : eduspecs) walker.CheckEducationSpecification(id);
  for (const std::string& id : programs) walker.CheckOffered(EntityKind::kProgram, id);
  for (const std::string& id : courses) walker.CheckOffered(EntityKind::kCourse, id);
  report.offering_window_checked = walker.window_checked();
  return report;
}

bool IsReportFormat(std::string_view format) {
  return format == "text" || format == "json" || format == "csv";
}

void WriteReport(const CheckReport& report, std::string_view format, std::ostream& out) {
  if (format == "csv") {
    out << "entity_type,entity_id,request,field_path,rule,message\r\n";
    for (const Finding& f : report.findings) {
      for (const std::string* s :
           {&f.entity_type, &f.entity_id, &f.request, &f.field_path, &f.rule}) {
        out << CsvQuote(*s);
        out << ',';
      }
      out << CsvQuote(f.message);
      out << "\r\n";
    }
    return;
  }
  if (format == "json") {
    WriteJsonReport(report, out);
    return;
  }
  for (const Finding& f : report.findings) {
    out << f.rule << ": " << f.entity_type << ' ' << f.entity_id;
    if (!f.field_path.empty()) out << ' ' << f.field_path;
    out << ": " << f.message << " [GET " << f.request << "]\n";
  }
  for (const std::string& n : report.notes) out << "note: " << n << "\n";
  out << report.findings.size() << (report.findings.size() == 1 ? " finding" : " findings")
      << " in " << report.entities_checked << " entities (" << report.requests << " requests)\n";
}

std::vector<std::string> RuleIds() {
  std::vector<std::string> ids;
  ids.reserve(std::size(kRules));
  for (const RuleInfo& r : kRules) ids.emplace_back(r.id);
  return ids;
}

std::string_view RuleDescription(std::string_view rule_id) {
  for (const RuleInfo& r : kRules) {
    if (r.id == rule_id) return r.description;
  }
  return "";
}

}  // namespace ooapi::check
