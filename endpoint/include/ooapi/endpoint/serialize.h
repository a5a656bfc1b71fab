#pragma once
// Pure mapping from the adapter model to OOAPI v5 JSON, with the RIO mapper's output rules:
// absent attributes are omitted (never null), empty optional arrays are omitted, and every
// education specification, program, course and offering carries a "rio" consumer.
// All functions are thread-safe. Invalid UTF-8 in any text throws SerializeError naming the field.

#include <stdexcept>
#include <string>
#include <vector>

#include "ooapi/adapters/model.h"
#include "ooapi/common/json.h"
#include "ooapi/config/config.h"

namespace ooapi::endpoint {

class SerializeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SerializeOptions {
  bool timeline_overrides = false;  // write timelineOverrides (single-entity GETs only)
};

void WriteOrganization(json::Writer& w, const adapters::Organization& o);
void WriteAcademicSession(json::Writer& w, const adapters::AcademicSession& s);
void WriteEducationSpecification(json::Writer& w, const adapters::EducationSpecification& e,
                                 const SerializeOptions& options);
void WriteProgram(json::Writer& w, const adapters::Program& p, const SerializeOptions& options);
void WriteCourse(json::Writer& w, const adapters::Course& c, const SerializeOptions& options);
void WriteOffering(json::Writer& w, const adapters::Offering& o);
// GET /: contact data plus ext.paths, the path templates this endpoint serves.
void WriteService(json::Writer& w, const config::ServiceConfig& service,
                  const std::vector<std::string>& paths);

// The OOAPI collection envelope around `write_items`, which writes the items.
struct PageInfo {
  int64_t page_size = 10;
  int64_t page_number = 1;
  int64_t total_items = 0;
};
template <typename WriteItems>
void WritePage(json::Writer& w, const PageInfo& info, WriteItems&& write_items) {
  const int64_t total_pages = (info.total_items + info.page_size - 1) / info.page_size;
  w.StartObject();
  w.Key("pageSize");
  w.Int64(info.page_size);
  w.Key("pageNumber");
  w.Int64(info.page_number);
  w.Key("hasPreviousPage");
  w.Bool(info.page_number > 1);
  w.Key("hasNextPage");
  w.Bool(info.page_number < total_pages);
  w.Key("totalPages");
  w.Int64(total_pages);
  w.Key("items");
  w.StartArray();
  write_items();
  w.EndArray();
  w.EndObject();
}

}  // namespace ooapi::endpoint
