#pragma once
// The SIS as the matcher sees it: every RIO-relevant entity the endpoint serves, flattened into
// RIO's vocabulary, read through the adapter interface so that matching runs the same on every
// backend.

#include <string>
#include <vector>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/common/status.h"

namespace ooapi::sync {

// One SIS entity as the matcher sees it. Codes and values in RIO's vocabulary.
struct SisEntity {
  std::string type;       // "education-specification" | "program" | "course"
  std::string id;         // lowercase UUID
  std::string parent_id;  // spec: parent spec (variants); program/course: its education spec
  bool variant = false;   // spec: rio.subType "variant" (RIO SOORT VARIANT)
  std::string isat;       // spec: the crohoCreboCode/isat identifier ("" none)
  std::vector<std::string> names;  // every name of every period and language
  std::string niveau;              // RIO NIVEAU derived from level + sector ("" unknown)
  std::string studielast;          // integer text ("" unknown)
  std::string studielasteenheid;   // RIO unit, e.g. ECTS_PUNT
  std::string begin, end;  // validFrom / validTo (program: firstStartDate when no validFrom)
  std::string aanbieder, locatie;     // rio educationOffererCode / educationLocationCode
  std::string vorm;                   // VOLTIJD | DEELTIJD | DUAAL ("" unknown)
  std::vector<std::string> voertaal;  // upper-case ISO 639-2, sorted
};
struct SisOffering {
  std::string id;
  std::string parent_id;  // program or course id
  std::string code;       // primaryCode.code = the cohort code the mapper sends
  std::string start_date;
};
struct SisSide {
  std::vector<SisEntity> entities;
  std::vector<SisOffering> offerings;
};

// Reads every RIO-relevant education specification (with its timeline overrides, for the names of
// all periods), program, course and offering (consumer=rio, pages of 250).
StatusOr<SisSide> LoadSisSide(adapters::SisAdapter& adapter);

}  // namespace ooapi::sync
