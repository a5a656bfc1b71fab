// The cohort-loss check of `sync plan`: what an upsert of each linked or proposed AO would do to
// its RIO cohorts, seen through Api::Handle exactly as the RIO mapper fetches offerings.

#include <unordered_map>
#include <unordered_set>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/sync/plan/cohort_check.h"

namespace ooapi::sync {
namespace {

struct Served {
  std::string id, code, start, enroll_start, status;
};

std::string S(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

// Every page of the mapper's request, through the HTTP handler.
StatusOr<std::vector<Served>> FetchServed(const endpoint::Api& api, const std::string& collection,
                                          const std::string& id) {
  std::vector<Served> out;
  for (int page = 1;; ++page) {
    endpoint::HttpRequest request;
    request.path = "/" + collection + "/" + id + "/offerings";
    request.query = {{"pageSize", "250"}, {"consumer", "rio"}};
    if (page > 1) request.query.emplace_back("pageNumber", std::to_string(page));
    endpoint::HttpResponse response = api.Handle(request);
    if (response.status != 200) {
      return Unavailable("GET " + request.path + " answered " + std::to_string(response.status) +
                         ": " + response.body.substr(0, 200));
    }
    rapidjson::Document doc;
    doc.Parse(response.body.c_str(), response.body.size());
    auto items = doc.IsObject() ? doc.FindMember("items") : doc.MemberEnd();
    if (doc.HasParseError() || !doc.IsObject() || items == doc.MemberEnd() ||
        !items->value.IsArray()) {
      return Internal("GET " + request.path + ": not an OOAPI page");
    }
    for (const auto& o : items->value.GetArray()) {
      if (!o.IsObject()) continue;
      Served s;
      s.id = S(o, "offeringId");
      auto pc = o.FindMember("primaryCode");
      if (pc != o.MemberEnd() && pc->value.IsObject()) s.code = S(pc->value, "code");
      s.start = S(o, "startDate");
      s.enroll_start = S(o, "enrollStartDate");
      auto consumers = o.FindMember("consumers");
      if (consumers != o.MemberEnd() && consumers->value.IsArray()) {
        for (const auto& c : consumers->value.GetArray()) {
          if (c.IsObject() && S(c, "consumerKey") == "rio") s.status = S(c, "registrationStatus");
        }
      }
      out.push_back(std::move(s));
    }
    if (items->value.Size() < 250) return out;
  }
}

std::string V(const Item& item, std::string_view column) {
  const std::string* v = item.Value(column);
  return v ? std::string(TrimAscii(*v)) : std::string();
}

}  // namespace

StatusOr<std::vector<CohortFinding>> CheckCohortLoss(const Plan& plan, const Snapshot& snapshot,
                                                     const endpoint::Api& api,
                                                     adapters::SisAdapter& adapter) {
  std::unordered_map<std::string, std::vector<const Item*>> cohorts;
  for (const Item& item : snapshot.items) {
    if (item.kind == ItemKind::kCohort && item.in_bestuur) cohorts[item.parent].push_back(&item);
  }
  std::vector<CohortFinding> out;
  for (const PlanItem& p : plan.items) {
    if (p.kind != "ao" || p.decision == "reject") continue;
    std::string sis_id = p.decision == "override" ? p.override_sis_id : p.sis_id;
    const bool linked = p.cls == PlanClass::kAlreadyLinked || p.cls == PlanClass::kProposed ||
                        p.decision == "override";
    if (!linked || sis_id.empty()) continue;
    const std::string collection = p.sis_type == "course" ? "courses" : "programs";
    OOAPI_ASSIGN_OR_RETURN(std::vector<Served> served, FetchServed(api, collection, sis_id));
    std::unordered_map<std::string, const Served*> by_code;
    std::unordered_set<std::string> served_ids;
    for (const auto& s : served) {
      by_code[s.code] = &s;
      served_ids.insert(s.id);
    }
    auto finding = [&](std::string code, std::string offering, std::string what,
                       std::string detail) {
      out.push_back({p.rio_code, p.sis_type, sis_id, std::move(code), std::move(offering),
                     std::move(what), std::move(detail)});
    };
    for (const Item* c : cohorts[p.rio_code]) {
      const std::string code = V(*c, "COHORTCODE");
      std::string intake = V(*c, "INSTROOMMOMENT");
      if (intake.empty()) intake = V(*c, "BEGIN_INSTROOMPERIODE");
      auto s = by_code.find(code);
      if (s == by_code.end()) {
        finding(code, "", "deleted",
                "RIO cohort " + code + " (intake " + intake + ", status " + V(*c, "COHORTSTATUS") +
                    ") is not served by GET /" + collection + "/" + sis_id +
                    "/offerings?consumer=rio: an upsert deletes it");
        continue;
      }
      const Served& o = *s->second;
      if (!intake.empty() && o.start != intake) {
        finding(code, o.id, "date",
                "intake " + intake + " in RIO, startDate " + o.start + " served");
      }
      const std::string aanmeld = V(*c, "BEGIN_AANMELDPERIODE");
      if (!aanmeld.empty() && !o.enroll_start.empty() && aanmeld != o.enroll_start) {
        finding(code, o.id, "date",
                "begin aanmeldperiode " + aanmeld + " in RIO, enrollStartDate " + o.enroll_start +
                    " served");
      }
      const std::string status = V(*c, "COHORTSTATUS");
      const std::string expected = status == "O" ? "open" : status == "G" ? "closed" : "";
      if (!expected.empty() && !o.status.empty() && expected != o.status) {
        finding(code, o.id, "status",
                "cohortstatus " + status + " in RIO, registrationStatus " + o.status + " served");
      }
    }
    // What the SIS holds but the endpoint does not serve to the mapper (the offering window).
    adapters::ListQuery q;
    q.scope = {
        p.sis_type == "course" ? adapters::ScopeKind::kCourse : adapters::ScopeKind::kProgram,
        sis_id};
    q.page_size = 250;
    for (q.page_number = 1;; ++q.page_number) {
      OOAPI_ASSIGN_OR_RETURN(auto page, adapter.ListOfferings(q));
      for (const auto& o : page.items) {
        if (served_ids.contains(o.id)) continue;
        finding(o.primary_code.code, o.id, "not_served",
                "SIS offering " + o.id + " (start " + o.start_date +
                    (o.rio_relevant ? "" : ", not RIO-relevant") +
                    ") is not served to the RIO mapper (outside the offering window '" +
                    plan.offering_window + "'): an upsert will not send it");
      }
      if (page.items.size() < 250) break;
    }
  }
  return out;
}

}  // namespace ooapi::sync
