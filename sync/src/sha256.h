#pragma once
// The sync module's file checksums: the incremental SHA-256 of ooapi::crypto (the only target that
// links libcrypto).
#include "ooapi/crypto/sha256_stream.h"

namespace ooapi::sync::internal {

using Sha256 = crypto::Sha256Stream;

}  // namespace ooapi::sync::internal
