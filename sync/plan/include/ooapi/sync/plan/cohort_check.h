#pragma once
// The cohort-loss check: an upsert replaces ALL cohorts of an offered programme in RIO with the
// offerings the endpoint serves, so every RIO cohort the endpoint does not serve is lost at the
// first upsert. This lists them before anything is sent.

#include <vector>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/common/status.h"
#include "ooapi/sync/plan/plan.h"
#include "ooapi/sync/rio/snapshot.h"

namespace ooapi::endpoint {
class Api;
}

namespace ooapi::sync {

// Fetches each linked/proposed AO's offerings through `api` exactly as the RIO mapper does
// (`/programs/{id}/offerings?pageSize=250&consumer=rio`, `&pageNumber=N` while a page is full; the
// course equivalent) and compares them with the AO's RIO cohorts; offerings the adapter holds but
// the endpoint does not serve (the offering window) are listed too.
StatusOr<std::vector<CohortFinding>> CheckCohortLoss(const Plan& plan, const Snapshot& snapshot,
                                                     const endpoint::Api& api,
                                                     adapters::SisAdapter& adapter);

}  // namespace ooapi::sync
