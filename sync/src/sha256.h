#pragma once
// The sync module's file checksums: the incremental SHA-256 of ooapi::crypto (the only target that
// links libcrypto), as lowercase hex.
#include <string>
#include <string_view>

#include "ooapi/crypto/sha256_stream.h"

namespace ooapi::sync::internal {

class FileChecksum {
 public:
  void Update(std::string_view bytes) { stream_.Update(bytes); }
  // The value to store; the object must not be updated afterwards.
  std::string Value() { return stream_.HexDigest(); }

 private:
  crypto::Sha256Stream stream_;
};

}  // namespace ooapi::sync::internal
