#pragma once
// check-rio: walks every RIO-relevant entity exactly as SURFeduhub's RIO mapper fetches it (same
// paths and query strings, through Api::Handle, i.e. the same handler code as HTTP) and reports
// every violation of the mapper's rules.
//
// What is walked: the ids listed by /education-specifications?consumer=rio, /programs?consumer=rio
// and /courses?consumer=rio (pageSize=250 while hasNextPage). Per id, the mapper's requests:
//   GET /education-specifications/{id}?returnTimelineOverrides=true, and its parent and children
//   GET /{programs|courses}/{id}?returnTimelineOverrides=true
//   GET /{programs|courses}/{id}/offerings?pageSize=250&consumer=rio (+ &pageNumber=N while a page
//       holds 250 items)
//   GET /education-specifications/{educationSpecification}?returnTimelineOverrides=true
// The rules themselves are pure functions over the parsed responses (rio_rules.h).
//
// Thread-safety: CheckRio only calls the (thread-safe) Api::Handle; it keeps no global state.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/endpoint/api.h"

namespace ooapi::check {

// One violation of one rule by one entity.
struct Finding {
  std::string entity_type;  // education-specification | program | course | offering
  std::string entity_id;
  std::string
      request;  // the exact path+query fetched, e.g. /programs/{id}?returnTimelineOverrides=true
  std::string
      field_path;    // e.g. timelineOverrides[0].program.consumers[0].propaedeuticPhase; "" = whole
  std::string rule;  // a stable id from RuleIds()
  std::string message;  // one line, for humans

  friend bool operator==(const Finding&, const Finding&) = default;
};

struct CheckOptions {
  // Compare each offerings list with the same request plus `&since=<since_probe>` and report the
  // offerings the mapper would not see (rule "offering-window"). Skipped, with a note, when the
  // endpoint answers the `since` request with 400.
  bool check_offering_window = true;
  std::string since_probe = "1900-01-01";
};

struct CheckReport {
  std::vector<Finding> findings;  // in walk order
  int entities_checked = 0;       // education specifications + programs + courses + offerings
  int requests = 0;               // Api::Handle calls made
  // Things the check could not do or decided to skip, e.g. the offering-window comparison when
  // `since` is refused. Never a violation.
  std::vector<std::string> notes;
  bool offering_window_checked = false;  // true when the since comparison ran for every list

  bool ok() const { return findings.empty(); }
};

// Walks the API. Returns an error only when the walk itself cannot start: a collection list
// (/education-specifications?consumer=rio, ...) does not answer 200 with JSON (kUnavailable for a
// 503, kInternal otherwise). Everything about individual entities is a Finding.
StatusOr<CheckReport> CheckRio(const endpoint::Api& api, const CheckOptions& options = {});

// The formats WriteReport accepts.
bool IsReportFormat(std::string_view format);

// Writes the report as "text" (one line per finding and a summary), "json" (one object:
// entitiesChecked, requests, offeringWindowChecked, notes, findings[]) or "csv" (header
// entity_type,entity_id,request,field_path,rule,message; RFC 4180 quoting). An unknown format is
// written as text; validate it with IsReportFormat first.
void WriteReport(const CheckReport& report, std::string_view format, std::ostream& out);

// Every rule id, in a stable order, and its one-line description ("" for an unknown id).
std::vector<std::string> RuleIds();
std::string_view RuleDescription(std::string_view rule);

// The process exit status for `check-rio`: 0 when the report has no finding, 1 otherwise.
inline int ExitStatus(const CheckReport& report) { return report.ok() ? 0 : 1; }

}  // namespace ooapi::check
