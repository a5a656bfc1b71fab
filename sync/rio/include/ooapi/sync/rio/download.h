#pragma once
// `rio download`: fetches the DUO RIO CSV files from CKAN (onderwijsdata.duo.nl or a configured
// base URL). Resource ids are resolved by name through package_show (they change); files are
// downloaded with resume and retries, and checked against the size CKAN reports and the datastore
// row count, which is also written as a `<file>.csv.count` sidecar for `rio import`.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ooapi/common/status.h"
#include "ooapi/http_client/http_client.h"

namespace ooapi::sync {

struct DownloadOptions {
  std::string to_dir;
  std::string base_url = "https://onderwijsdata.duo.nl";
  std::string package = "rio_nfo_po_vo_vavo_mbo_ho";
  // Empty: every file of DuoFiles() (a missing optional one is skipped); otherwise these names,
  // each required.
  std::vector<std::string> names;
  int retries = 3;            // attempts after the first, per request
  int retry_delay_ms = 2000;  // doubled after every failed attempt
  int connect_timeout_s = 30;
  int stall_timeout_s = 60;     // a transfer under 1 byte/s for this long is retried
  int request_timeout_s = 120;  // whole-request limit for the JSON API calls
  std::function<void(int64_t, int64_t)> on_progress;  // (bytes done, bytes total or 0)
  // Every HTTP exchange goes through this; nullptr: http_client::Transport::Default(). Not owned;
  // it must outlive the DownloadDuo call.
  http_client::Transport* transport = nullptr;
};

struct DownloadedFile {
  std::string name;
  std::string path;
  int64_t bytes = 0;
  int64_t records = 0;
  int64_t datastore_total = -1;  // -1: the resource is not in the datastore
  int attempts = 0;
  bool resumed = false;
};

// kUnavailable when CKAN or a file cannot be fetched after the retries, kInvalidArgument when a
// file is incomplete (size or row count differs) or corrupt, kNotFound for a required resource
// missing from the package.
StatusOr<std::vector<DownloadedFile>> DownloadDuo(const DownloadOptions& options);

}  // namespace ooapi::sync
