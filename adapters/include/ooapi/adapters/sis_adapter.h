#pragma once
// The seam between the endpoint (and the sync module) and an institution's student information
// system. An adapter reads one SIS; the endpoint never touches a database itself.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ooapi/adapters/model.h"
#include "ooapi/common/status.h"
#include "ooapi/config/config.h"

namespace ooapi::adapters {

// Which collection a list call reads.
enum class ScopeKind {
  kAll,                     // the top-level collection
  kParent,                  // children of the entity `id` of the same type
  kEducationSpecification,  // programs / courses of an education specification
  kProgram,                 // courses or offerings of a program
  kCourse,                  // offerings of a course
  kOrganization,            // entities of an organization
  kAcademicSession,         // offerings in an academic session
};

struct Scope {
  ScopeKind kind = ScopeKind::kAll;
  std::string id;  // lowercase UUID of the scoping entity; empty for kAll
};

struct SortKey {
  std::string
      field;  // an OOAPI attribute name the endpoint validated: name, startDate, programId...
  bool descending = false;
};

// A filter the endpoint validated: `field` is the OOAPI query parameter name, `value` its decoded
// value (e.g. {"teachingLanguage", "nld"}).
struct Filter {
  std::string field;
  std::string value;
};

struct ListQuery {
  Scope scope;
  int64_t page_size = 10;     // one of 10, 20, 50, 100, 250
  int64_t page_number = 1;    // 1-based
  bool rio_only = false;      // consumer=rio: only entities flagged RIO-relevant
  std::vector<SortKey> sort;  // empty = the spec's default; the adapter adds a unique tie-breaker
  std::vector<Filter> filters;
};

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total_items = 0;  // over all pages
};

struct GetOptions {
  bool timeline_overrides = false;  // fill timeline_overrides (returnTimelineOverrides=true)
};

// What an adapter can do, so the endpoint can refuse what it cannot honour.
struct AdapterFeatures {
  std::vector<std::string> filters;  // Filter::field values the adapter implements
};

// Read-only access to one SIS.
//
// Thread-safety: every method may be called concurrently from several threads (the HTTP I/O
// threads, check tools); implementations synchronise internally.
//
// Errors: kNotFound when the entity, or the scoping entity of a list, does not exist (the message
// names the type and id); kInvalidArgument for a query the adapter cannot run (unknown sort or
// filter field); kUnavailable when the SIS cannot be reached or is busy; kDeadlineExceeded when a
// query ran past its timeout; kInternal for anything else (the message is for logs, never for
// clients). Lists: a page past the end is OK with no items. Ordering is total and deterministic:
// the requested sort keys, then the entity id.
class SisAdapter {
 public:
  virtual ~SisAdapter() = default;

  virtual StatusOr<Organization> GetOrganization(std::string_view id) = 0;
  virtual StatusOr<Page<Organization>> ListOrganizations(const ListQuery& query) = 0;

  virtual StatusOr<AcademicSession> GetAcademicSession(std::string_view id) = 0;
  virtual StatusOr<Page<AcademicSession>> ListAcademicSessions(const ListQuery& query) = 0;

  virtual StatusOr<EducationSpecification> GetEducationSpecification(std::string_view id,
                                                                     const GetOptions& options) = 0;
  virtual StatusOr<Page<EducationSpecification>> ListEducationSpecifications(
      const ListQuery& query) = 0;

  virtual StatusOr<Program> GetProgram(std::string_view id, const GetOptions& options) = 0;
  virtual StatusOr<Page<Program>> ListPrograms(const ListQuery& query) = 0;

  virtual StatusOr<Course> GetCourse(std::string_view id, const GetOptions& options) = 0;
  virtual StatusOr<Page<Course>> ListCourses(const ListQuery& query) = 0;

  virtual StatusOr<Offering> GetOffering(std::string_view id) = 0;
  virtual StatusOr<Page<Offering>> ListOfferings(const ListQuery& query) = 0;

  // OK when the SIS answers a trivial query now.
  virtual Status CheckReady() = 0;
  virtual AdapterFeatures Features() const = 0;
};
using SisAdapterPtr = std::unique_ptr<SisAdapter>;

// Adapters by name. Filled single-threaded at start-up (RegisterBuiltinAdapters), read-only after:
// registration is explicit, never static self-registration (the linker drops unreferenced
// static registrars from a static library).
class AdapterRegistry {
 public:
  using Creator = std::function<StatusOr<SisAdapterPtr>(const config::Config& config)>;

  // Registering a name twice is a programming error (std::logic_error).
  void Register(std::string name, Creator creator);
  // kInvalidArgument "unknown SIS adapter 'x' (known: a, b)" for an unregistered name.
  StatusOr<SisAdapterPtr> Create(const config::Config& config) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Creator> creators_;
};

}  // namespace ooapi::adapters
