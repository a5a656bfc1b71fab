#include "ooapi/endpoint/api.h"

#include <algorithm>
#include <map>
#include <set>

#include "ooapi/common/date.h"
#include "ooapi/common/json.h"
#include "ooapi/common/log.h"
#include "ooapi/common/strings.h"
#include "ooapi/endpoint/problem.h"
#include "ooapi/endpoint/serialize.h"

namespace ooapi::endpoint {
namespace {

using adapters::ListQuery;
using adapters::Scope;
using adapters::ScopeKind;
using adapters::SisAdapter;

// Parameters every collection of this endpoint honours.
const std::set<std::string> kPagingParams = {"pageSize", "pageNumber", "consumer", "sort"};

struct Params {
  int64_t page_size = 10;
  int64_t page_number = 1;
  bool rio_only = false;
  std::vector<adapters::SortKey> sort;
  bool timeline_overrides = false;
  std::vector<adapters::Filter> filters;  // validated, normalised
  std::vector<std::string> expand;        // validated against the route
};

// Closed enumerations of OOAPI 5.0.0 used by filter parameters.
const std::map<std::string, std::vector<std::string>>& FilterEnums() {
  static const auto* enums = new std::map<std::string, std::vector<std::string>>{
      {"programType", {"program", "minor", "honours", "specialization", "track"}},
      {"qualificationAwarded", {"AD", "BA", "BSc", "LLB", "MA", "MSc", "LLM", "Phd", "None"}},
      {"levelOfQualification", {"1", "2", "3", "4", "4+", "5", "6", "7", "8"}},
      {"sector",
       {"secondary vocational education", "higher professional education", "university education"}},
      {"level",
       {"secondary vocational education", "secondary vocational education 1",
        "secondary vocational education 2", "secondary vocational education 3",
        "secondary vocational education 4", "associate degree", "bachelor", "master", "doctoral",
        "undefined", "undivided", "nt2-1", "nt2-2"}},
      {"modeOfDelivery", {"distance-learning", "on campus", "online", "hybrid", "situated"}},
      {"modeOfStudy", {"full-time", "part-time", "dual training", "self-paced"}},
      {"educationSpecificationType", {"program", "privateProgram", "cluster", "course"}},
      {"organizationType",
       {"root", "institute", "department", "faculty", "branch", "academy", "school"}},
      {"offeringType", {"program", "course", "component"}},
      {"resultExpected", {"true", "false"}},
  };
  return *enums;
}

// Validates one filter parameter; returns its normalised value or kInvalidArgument naming it.
StatusOr<std::string> ValidateFilter(const std::string& name, const std::string& value) {
  auto bad = [&](const std::string& rule) {
    return InvalidArgument("query parameter " + name + " " + rule + "; got '" + value + "'");
  };
  const auto& enums = FilterEnums();
  if (auto it = enums.find(name); it != enums.end()) {
    if (std::find(it->second.begin(), it->second.end(), value) == it->second.end()) {
      return bad("must be one of " + Join(it->second, ", "));
    }
    return value;
  }
  if (name == "teachingLanguage") {
    bool ok = value.size() == 3;
    for (char c : value) {
      ok = ok && c >= 'a' && c <= 'z';
    }
    return ok ? StatusOr<std::string>(value) : bad("must be three lowercase letters (ISO 639-2)");
  }
  if (name == "fieldsOfStudy") {
    bool ok = !value.empty() && value.size() <= 4;
    for (char c : value) {
      ok = ok && c >= '0' && c <= '9';
    }
    return ok ? StatusOr<std::string>(value) : bad("must be an ISCED-F code of 1 to 4 digits");
  }
  if (name == "since" || name == "until") {
    return IsIsoDate(value) ? StatusOr<std::string>(value) : bad("must be a date YYYY-MM-DD");
  }
  if (name == "parent" || name == "year") {
    return IsUuid(value) ? StatusOr<std::string>(ToLowerAscii(value)) : bad("must be a UUID");
  }
  if (name == "academicSessionType") {
    static const std::vector<std::string> kTypes = {"academic year", "semester",       "trimester",
                                                    "quarter",       "testing period", "period"};
    const bool extension = StartsWith(value, "x-") && value.size() > 2;
    if (!extension && std::find(kTypes.begin(), kTypes.end(), value) == kTypes.end()) {
      return bad("must be one of " + Join(kTypes, ", ") + " or start with x-");
    }
    return value;
  }
  // q, primaryCode, croho-creboCode: free text.
  if (value.empty() || value.size() > 255) {
    return bad("must be 1 to 255 characters");
  }
  return value;
}

enum class RouteKind { kService, kHealthLive, kHealthReady, kSingle, kCollection };

using Handler = std::function<StatusOr<std::string>(
    SisAdapter& adapter, const std::vector<std::string>& ids, const Params& params)>;

struct Route {
  std::string path;  // template, e.g. "/programs/{programId}/offerings"
  RouteKind kind;
  // Query parameters OOAPI 5.0.0 defines on this operation besides paging, consumer and sort; each
  // is honoured (a filter, expand or returnTimelineOverrides) or refused with 400, never ignored.
  std::vector<std::string> spec_params;
  std::vector<std::string> sort_values;
  std::string default_sort;
  Handler handler;
  std::vector<std::string> segments;       // split template
  std::vector<std::string> expand_values;  // what the spec allows in `expand` on this operation
  std::string collection;                  // for parent/children expansion: "/programs"...
};

const std::vector<std::string> kProgramFilters = {
    "q",      "teachingLanguage", "programType", "qualificationAwarded", "levelOfQualification",
    "sector", "fieldsOfStudy"};
const std::vector<std::string> kCourseFilters = {"q", "teachingLanguage", "level",
                                                 "modeOfDelivery"};
const std::vector<std::string> kOfferingSort = {"offeringId", "name", "startDate", "endDate"};

std::vector<std::string> With(std::vector<std::string> base, std::vector<std::string> more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

// ---------------------------------------------------------------------------------------------
// Writing bodies.

template <typename WriteFn>
std::string Render(WriteFn&& write) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  write(w);
  if (!w.IsComplete()) {
    throw SerializeError("incomplete JSON document");
  }
  return {buffer.GetString(), buffer.GetSize()};
}

template <typename T, typename WriteItem>
StatusOr<std::string> RenderPage(const StatusOr<adapters::Page<T>>& page, const Params& p,
                                 WriteItem&& write_item) {
  if (!page.ok()) {
    return page.status();
  }
  PageInfo info{p.page_size, p.page_number, page->total_items};
  return Render([&](json::Writer& w) {
    WritePage(w, info, [&] {
      for (const T& item : page->items) {
        write_item(w, item);
      }
    });
  });
}

template <typename T, typename WriteItem>
StatusOr<std::string> RenderOne(const StatusOr<T>& item, WriteItem&& write_item) {
  if (!item.ok()) {
    return item.status();
  }
  return Render([&](json::Writer& w) { write_item(w, *item); });
}

ListQuery MakeQuery(const Params& p, ScopeKind kind, const std::vector<std::string>& ids) {
  ListQuery q;
  q.scope = Scope{kind, ids.empty() ? std::string() : ids.front()};
  q.page_size = p.page_size;
  q.page_number = p.page_number;
  q.rio_only = p.rio_only;
  q.sort = p.sort;
  q.filters = p.filters;
  return q;
}

// ---------------------------------------------------------------------------------------------
// Route handlers.

Handler ListEducationSpecifications(ScopeKind kind) {
  return [kind](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
    return RenderPage(a.ListEducationSpecifications(MakeQuery(p, kind, ids)), p,
                      [](json::Writer& w, const adapters::EducationSpecification& e) {
                        WriteEducationSpecification(w, e, {});
                      });
  };
}

Handler ListPrograms(ScopeKind kind) {
  return [kind](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
    return RenderPage(a.ListPrograms(MakeQuery(p, kind, ids)), p,
                      [](json::Writer& w, const adapters::Program& x) { WriteProgram(w, x, {}); });
  };
}

Handler ListCourses(ScopeKind kind) {
  return [kind](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
    return RenderPage(a.ListCourses(MakeQuery(p, kind, ids)), p,
                      [](json::Writer& w, const adapters::Course& x) { WriteCourse(w, x, {}); });
  };
}

Handler ListOfferings(ScopeKind kind) {
  return [kind](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
    return RenderPage(a.ListOfferings(MakeQuery(p, kind, ids)), p,
                      [](json::Writer& w, const adapters::Offering& x) { WriteOffering(w, x); });
  };
}

std::vector<Route> BuildRoutes() {
  std::vector<Route> r;
  auto add = [&](std::string path, RouteKind kind, std::vector<std::string> spec_params,
                 std::vector<std::string> sort_values, std::string default_sort, Handler handler) {
    r.push_back(Route{std::move(path),
                      kind,
                      std::move(spec_params),
                      std::move(sort_values),
                      std::move(default_sort),
                      std::move(handler),
                      {},
                      {},
                      ""});
  };
  const auto C = RouteKind::kCollection;
  const auto S = RouteKind::kSingle;

  add("/", RouteKind::kService, {}, {}, "", nullptr);
  add("/health/live", RouteKind::kHealthLive, {}, {}, "", nullptr);
  add("/health/ready", RouteKind::kHealthReady, {}, {}, "", nullptr);

  add("/education-specifications", C, {"q", "educationSpecificationType", "primaryCode"},
      {"educationSpecificationType", "name", "primaryCode"}, "name",
      ListEducationSpecifications(ScopeKind::kAll));
  add("/education-specifications/{educationSpecificationId}", S,
      {"returnTimelineOverrides", "expand"}, {}, "",
      [](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
        return RenderOne(a.GetEducationSpecification(ids[0], {p.timeline_overrides}),
                         [&](json::Writer& w, const adapters::EducationSpecification& e) {
                           WriteEducationSpecification(w, e, {p.timeline_overrides});
                         });
      });
  add("/education-specifications/{educationSpecificationId}/education-specifications", C, {"q"},
      {"educationSpecificationId", "name", "educationSpecificationType"},
      "educationSpecificationId", ListEducationSpecifications(ScopeKind::kParent));
  add("/education-specifications/{educationSpecificationId}/programs", C,
      With(kProgramFilters, {"croho-creboCode"}), {"programId", "name"}, "name",
      ListPrograms(ScopeKind::kEducationSpecification));
  add("/education-specifications/{educationSpecificationId}/courses", C, kCourseFilters,
      {"courseId", "name"}, "courseId", ListCourses(ScopeKind::kEducationSpecification));

  add("/programs", C, With(kProgramFilters, {"primaryCode"}), {"programId", "name"}, "name",
      ListPrograms(ScopeKind::kAll));
  add("/programs/{programId}", S, {"returnTimelineOverrides", "expand"}, {}, "",
      [](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
        return RenderOne(a.GetProgram(ids[0], {p.timeline_overrides}),
                         [&](json::Writer& w, const adapters::Program& x) {
                           WriteProgram(w, x, {p.timeline_overrides});
                         });
      });
  add("/programs/{programId}/programs", C, kProgramFilters, {"programId", "name"}, "name",
      ListPrograms(ScopeKind::kParent));
  add("/programs/{programId}/courses", C, kCourseFilters, {"courseId", "name"}, "courseId",
      ListCourses(ScopeKind::kProgram));
  add("/programs/{programId}/offerings", C,
      {"q", "teachingLanguage", "modeOfStudy", "resultExpected", "since", "until"}, kOfferingSort,
      "startDate", ListOfferings(ScopeKind::kProgram));

  add("/courses", C, With(kCourseFilters, {"primaryCode"}), {"courseId", "name"}, "name",
      ListCourses(ScopeKind::kAll));
  add("/courses/{courseId}", S, {"returnTimelineOverrides", "expand"}, {}, "",
      [](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
        return RenderOne(a.GetCourse(ids[0], {p.timeline_overrides}),
                         [&](json::Writer& w, const adapters::Course& x) {
                           WriteCourse(w, x, {p.timeline_overrides});
                         });
      });
  add("/courses/{courseId}/offerings", C,
      {"q", "teachingLanguage", "modeOfDelivery", "resultExpected", "since", "until"},
      kOfferingSort, "startDate", ListOfferings(ScopeKind::kCourse));

  add("/offerings/{offeringId}", S, {"expand"}, {}, "",
      [](SisAdapter& a, const std::vector<std::string>& ids, const Params&) {
        return RenderOne(a.GetOffering(ids[0]),
                         [](json::Writer& w, const adapters::Offering& x) { WriteOffering(w, x); });
      });

  add("/organizations", C, {"q", "organizationType", "primaryCode"}, {"organizationId", "name"},
      "name", [](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
        return RenderPage(
            a.ListOrganizations(MakeQuery(p, ScopeKind::kAll, ids)), p,
            [](json::Writer& w, const adapters::Organization& x) { WriteOrganization(w, x); });
      });
  add("/organizations/{organizationId}", S, {"expand"}, {}, "",
      [](SisAdapter& a, const std::vector<std::string>& ids, const Params&) {
        return RenderOne(
            a.GetOrganization(ids[0]),
            [](json::Writer& w, const adapters::Organization& x) { WriteOrganization(w, x); });
      });
  add("/organizations/{organizationId}/programs", C, kProgramFilters, {"programId", "name"}, "name",
      ListPrograms(ScopeKind::kOrganization));
  add("/organizations/{organizationId}/courses", C, kCourseFilters, {"courseId", "name"}, "name",
      ListCourses(ScopeKind::kOrganization));
  add("/organizations/{organizationId}/offerings", C,
      {"q", "teachingLanguage", "offeringType", "resultExpected", "since", "until"}, kOfferingSort,
      "startDate", ListOfferings(ScopeKind::kOrganization));
  add("/organizations/{organizationId}/education-specifications", C,
      {"q", "educationSpecificationType"}, {"educationSpecificationType", "name", "primarycode"},
      "name", ListEducationSpecifications(ScopeKind::kOrganization));

  add("/academic-sessions", C, {"primaryCode", "academicSessionType", "parent", "year"},
      {"academicSessionId", "name", "startDate"}, "startDate",
      [](SisAdapter& a, const std::vector<std::string>& ids, const Params& p) {
        return RenderPage(a.ListAcademicSessions(MakeQuery(p, ScopeKind::kAll, ids)), p,
                          [](json::Writer& w, const adapters::AcademicSession& x) {
                            WriteAcademicSession(w, x);
                          });
      });
  add("/academic-sessions/{academicSessionId}", S, {"expand"}, {}, "",
      [](SisAdapter& a, const std::vector<std::string>& ids, const Params&) {
        return RenderOne(a.GetAcademicSession(ids[0]),
                         [](json::Writer& w, const adapters::AcademicSession& x) {
                           WriteAcademicSession(w, x);
                         });
      });
  add("/academic-sessions/{academicSessionId}/offerings", C,
      {"q", "teachingLanguage", "offeringType", "resultExpected", "since", "until"}, kOfferingSort,
      "startDate", ListOfferings(ScopeKind::kAcademicSession));

  const std::map<std::string, std::vector<std::string>> expand = {
      {"/education-specifications/{educationSpecificationId}",
       {"parent", "children", "organization"}},
      {"/programs/{programId}",
       {"parent", "children", "coordinators", "organization", "educationSpecification"}},
      {"/courses/{courseId}",
       {"programs", "coordinators", "organization", "educationSpecification"}},
      {"/offerings/{offeringId}",
       {"program", "programOffering", "course", "courseOffering", "component", "organization",
        "academicSession"}},
      {"/organizations/{organizationId}", {"parent", "children"}},
      {"/academic-sessions/{academicSessionId}", {"parent", "children", "year"}},
  };
  for (Route& route : r) {
    if (auto it = expand.find(route.path); it != expand.end()) {
      route.expand_values = it->second;
      route.collection = route.path.substr(0, route.path.find('/', 1));
    }
    if (route.path != "/") {
      for (auto seg : Split(std::string_view{route.path}.substr(1), '/')) {
        route.segments.emplace_back(seg);
      }
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Request parsing.

HttpResponse JsonResponse(std::string body) {
  HttpResponse r;
  r.body = std::move(body);
  return r;
}

// True when the client accepts OOAPI v5 JSON: no Accept, */*, application/*, application/json
// (with no version or version=5), or application/problem+json.
bool AcceptsV5(const std::string* accept) {
  if (accept == nullptr || TrimAscii(*accept).empty()) {
    return true;
  }
  for (std::string_view range : Split(*accept, ',')) {
    auto parts = Split(range, ';');
    std::string type = ToLowerAscii(TrimAscii(parts[0]));
    bool version_ok = true;
    bool refused = false;
    for (size_t i = 1; i < parts.size(); ++i) {
      std::string param = ToLowerAscii(TrimAscii(parts[i]));
      if (StartsWith(param, "version=")) {
        version_ok = param == "version=5" || param == "version=\"5\"";
      } else if (param == "q=0" || param == "q=0.0" || param == "q=0.00" || param == "q=0.000") {
        refused = true;
      }
    }
    if (refused) {
      continue;
    }
    if (type == "*/*" || type == "application/*" ||
        ((type == "application/json" || type == "application/problem+json") && version_ok)) {
      return true;
    }
  }
  return false;
}

// Matches a decoded path against the route templates; fills `ids` with the lowercased UUIDs.
// kNotFound for an unknown path, kInvalidArgument for a malformed id.
StatusOr<const Route*> Match(const std::vector<Route>& routes, const std::string& raw_path,
                             std::vector<std::string>* ids) {
  if (raw_path.empty() || raw_path[0] != '/') {
    return NotFound("no such path: " + raw_path);
  }
  std::string_view path(raw_path);
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);  // "/programs/" is "/programs" (the gateway follows no redirects)
  }
  std::vector<std::string> segments;
  if (!path.empty()) {
    for (auto raw : Split(path, '/')) {
      auto decoded = PercentDecode(raw, false);
      if (!decoded || decoded->empty()) {
        return NotFound("no such path: " + raw_path);
      }
      segments.push_back(std::move(*decoded));
    }
  }
  if (segments.empty()) {
    return &routes.front();  // "/"
  }
  for (const Route& route : routes) {
    if (route.segments.size() != segments.size()) {
      continue;
    }
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      match = route.segments[i].front() == '{' || route.segments[i] == segments[i];
    }
    if (!match) {
      continue;
    }
    ids->clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i].front() == '{') {
        std::string name = route.segments[i].substr(1, route.segments[i].size() - 2);
        if (!IsUuid(segments[i])) {
          return InvalidArgument("path parameter " + name + " must be a UUID, got '" + segments[i] +
                                 "'");
        }
        ids->push_back(ToLowerAscii(segments[i]));
      }
    }
    return &route;
  }
  return NotFound("no such path: " + raw_path);
}

StatusOr<Params> ParseParams(const Route& route,
                             const std::vector<std::pair<std::string, std::string>>& query) {
  Params p;
  std::set<std::string> seen;
  const bool collection = route.kind == RouteKind::kCollection;
  for (const auto& [raw_key, raw_value] : query) {
    auto key = PercentDecode(raw_key, true);
    auto value = PercentDecode(raw_value, true);
    if (!key || !value) {
      return InvalidArgument("query parameter '" + raw_key +
                             "' is not valid percent-encoded UTF-8");
    }
    if (!seen.insert(*key).second) {
      return InvalidArgument("query parameter '" + *key + "' is given more than once");
    }
    const bool known_collection = collection && kPagingParams.contains(*key);
    const bool known_spec = std::find(route.spec_params.begin(), route.spec_params.end(), *key) !=
                            route.spec_params.end();
    if (!known_collection && !known_spec) {
      continue;  // not an OOAPI parameter of this operation: ignored, as the gateway expects
    }
    if (*key == "pageSize") {
      auto n = ParseInt64(*value);
      if (!n || (*n != 10 && *n != 20 && *n != 50 && *n != 100 && *n != 250)) {
        return InvalidArgument(
            "query parameter pageSize must be one of 10, 20, 50, 100, 250; got '" + *value + "'");
      }
      p.page_size = *n;
    } else if (*key == "pageNumber") {
      auto n = ParseInt64(*value);
      if (!n || *n < 1 || *n > 1000000000) {
        return InvalidArgument(
            "query parameter pageNumber must be an integer of at least 1; got '" + *value + "'");
      }
      p.page_number = *n;
    } else if (*key == "consumer") {
      if (value->empty()) {
        return InvalidArgument("query parameter consumer must not be empty");
      }
      p.rio_only = *value == "rio";
    } else if (*key == "sort") {
      std::set<std::string> fields;
      for (auto item : Split(*value, ',')) {
        adapters::SortKey key_item;
        std::string_view name = item;
        if (StartsWith(name, "-")) {
          key_item.descending = true;
          name.remove_prefix(1);
        }
        key_item.field = std::string(name);
        if (std::find(route.sort_values.begin(), route.sort_values.end(), key_item.field) ==
            route.sort_values.end()) {
          return InvalidArgument("query parameter sort: '" + std::string(item) +
                                 "' is not one of " + Join(route.sort_values, ", ") +
                                 " (optionally prefixed with '-')");
        }
        if (!fields.insert(key_item.field).second) {
          return InvalidArgument("query parameter sort names '" + key_item.field + "' twice");
        }
        p.sort.push_back(key_item);
      }
    } else if (*key == "returnTimelineOverrides") {
      if (*value != "true" && *value != "false") {
        return InvalidArgument(
            "query parameter returnTimelineOverrides must be true or false; got '" + *value + "'");
      }
      p.timeline_overrides = *value == "true";
    } else if (*key == "expand") {
      for (auto item : Split(*value, ',')) {
        std::string field(item);
        if (std::find(route.expand_values.begin(), route.expand_values.end(), field) ==
            route.expand_values.end()) {
          return InvalidArgument("query parameter expand: '" + field + "' is not one of " +
                                 Join(route.expand_values, ", "));
        }
        if (field == "coordinators" || field == "component" || field == "programOffering" ||
            field == "courseOffering") {
          return InvalidArgument("query parameter expand: '" + field +
                                 "' cannot be expanded: this endpoint does not serve " +
                                 (field == "coordinators" ? "persons" : "that entity"));
        }
        if (std::find(p.expand.begin(), p.expand.end(), field) != p.expand.end()) {
          return InvalidArgument("query parameter expand names '" + field + "' twice");
        }
        p.expand.push_back(field);
      }
    } else {
      auto normalised = ValidateFilter(*key, *value);
      if (!normalised.ok()) {
        return normalised.status();
      }
      p.filters.push_back(adapters::Filter{*key, *normalised});
    }
  }
  if (collection && p.sort.empty()) {
    p.sort.push_back(adapters::SortKey{route.default_sort, false});
  }
  return p;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SplitQueryString(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  if (query.empty()) {
    return out;
  }
  for (auto part : Split(query, '&')) {
    if (part.empty()) {
      continue;
    }
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(std::string(part), "");
    } else {
      out.emplace_back(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
    }
  }
  return out;
}

struct Api::Impl {
  SisAdapter* adapter;
  ApiOptions options;
  std::vector<Route> routes;
  std::string service_body;
};

Api::Api(adapters::SisAdapter* adapter, ApiOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->adapter = adapter;
  impl_->options = std::move(options);
  impl_->routes = BuildRoutes();
  impl_->service_body =
      Render([&](json::Writer& w) { WriteService(w, impl_->options.service, Paths()); });
}

Api::~Api() = default;

// Replaces the ids of the expanded relations in `body` by the objects this API serves for them
// (fetched through Handle, so they are exactly what a client would get). A related id that is not
// served stays an id: every relation is oneOf [uuid, object] in OOAPI 5.
std::string Api::Expand(const RouteRef& route_ref, std::string body,
                        const std::vector<std::string>& fields, const std::string& trace_id) const {
  const Route& route = *static_cast<const Route*>(route_ref);
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return body;
  }
  auto fetch = [&](const std::string& collection, const std::string& id) -> rapidjson::Document {
    HttpRequest sub;
    sub.path = collection + "/" + id;
    sub.trace_id = trace_id;
    HttpResponse r = Handle(sub);
    rapidjson::Document d;
    if (r.status == 200) {
      d.Parse(r.body.c_str(), r.body.size());
    }
    return d;
  };
  auto collection_of = [&](const std::string& field) -> std::string {
    if (field == "parent" || field == "children") {
      return route.collection;
    }
    if (field == "organization") return "/organizations";
    if (field == "educationSpecification") return "/education-specifications";
    if (field == "programs" || field == "program") return "/programs";
    if (field == "course") return "/courses";
    return "/academic-sessions";  // academicSession, year
  };
  auto& alloc = doc.GetAllocator();
  for (const std::string& field : fields) {
    if (!doc.HasMember(field.c_str())) {
      continue;
    }
    rapidjson::Value& v = doc[field.c_str()];
    auto expand_one = [&](rapidjson::Value& slot) {
      if (!slot.IsString()) {
        return;
      }
      rapidjson::Document object = fetch(collection_of(field), slot.GetString());
      if (object.IsObject()) {
        slot.CopyFrom(object, alloc);
      }
    };
    if (v.IsArray()) {
      for (auto& item : v.GetArray()) {
        expand_one(item);
      }
    } else {
      expand_one(v);
    }
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  doc.Accept(w);
  return {buffer.GetString(), buffer.GetSize()};
}

std::vector<std::string> Api::Paths() const {
  std::vector<std::string> paths;
  for (const Route& r : impl_->routes) {
    if (r.kind != RouteKind::kHealthLive && r.kind != RouteKind::kHealthReady) {
      paths.push_back(r.path);
    }
  }
  return paths;
}

HttpResponse Api::Handle(const HttpRequest& request) const {
  try {
    std::vector<std::string> ids;
    auto route = Match(impl_->routes, request.path, &ids);
    if (!route.ok()) {
      return ProblemResponse(route.status());
    }
    if (request.method != "GET") {
      HttpResponse r = ProblemResponse(Status(StatusCode::kInvalidArgument, ""));
      r.status = 405;
      r.body = R"({"status":"405","title":"Method Not Allowed","detail":"only GET is supported"})";
      r.headers.emplace_back("Allow", "GET");
      return r;
    }
    const Route& rt = **route;
    if (rt.kind == RouteKind::kHealthLive) {
      return JsonResponse(R"({"status":"ok"})");
    }
    if (rt.kind == RouteKind::kHealthReady) {
      Status ready = impl_->adapter->CheckReady();
      if (!ready.ok()) {
        log::Warn("not_ready", {{"trace_id", request.trace_id}, {"error", ready.ToString()}});
        return ProblemResponse(Status(StatusCode::kUnavailable, ready.message()));
      }
      return JsonResponse(R"({"status":"ready"})");
    }
    if (!AcceptsV5(request.Header("accept"))) {
      return ProblemResponse(Status(StatusCode::kNotAcceptable,
                                    "this endpoint serves OOAPI v5 as application/json; Accept '" +
                                        *request.Header("accept") + "' cannot be satisfied"));
    }
    auto params = ParseParams(rt, request.query);
    if (!params.ok()) {
      return ProblemResponse(params.status());
    }
    if (rt.kind == RouteKind::kService) {
      return JsonResponse(impl_->service_body);
    }
    if (EndsWith(rt.path, "/offerings") && impl_->options.offering_window == "spec") {
      const bool windowed = std::any_of(
          params->filters.begin(), params->filters.end(),
          [](const adapters::Filter& f) { return f.field == "since" || f.field == "until"; });
      if (!windowed) {
        params->filters.push_back(
            adapters::Filter{"since", impl_->options.today ? impl_->options.today() : TodayUtc()});
      }
    }
    StatusOr<std::string> body = rt.handler(*impl_->adapter, ids, *params);
    if (!body.ok()) {
      if (HttpStatusFor(body.status().code()) >= 500) {
        log::Error("request_failed", {{"trace_id", request.trace_id},
                                      {"path", request.path},
                                      {"error", body.status().ToString()}});
      }
      return ProblemResponse(body.status());
    }
    if (!params->expand.empty()) {
      return JsonResponse(Expand(&rt, std::move(body).value(), params->expand, request.trace_id));
    }
    return JsonResponse(std::move(body).value());
  } catch (const std::exception& e) {
    log::Error("request_failed",
               {{"trace_id", request.trace_id}, {"path", request.path}, {"error", e.what()}});
    return ProblemResponse(Internal(e.what()));
  }
}

}  // namespace ooapi::endpoint
