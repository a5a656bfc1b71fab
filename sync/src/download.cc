#include "ooapi/sync/download.h"

namespace ooapi::sync {

// Not implemented yet (issue 5, Deliver 4): the CLI reports this instead of pretending.
StatusOr<std::vector<DownloadedFile>> DownloadDuo(const DownloadOptions&) {
  return FailedPrecondition("rio download is not implemented yet; download the files by hand");
}

}  // namespace ooapi::sync
