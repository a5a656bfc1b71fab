#pragma once
// The sync module's file checksums (the name of this header is historical): incremental XXH3-128
// of ooapi::crypto (the only target that links libxxhash), written "xxh3-128:<32 hex digits>";
// `xxhsum -H2 FILE` prints the same digits. Snapshots stored by older versions hold a SHA-256
// (64 hex digits, no prefix) in the same place: the prefix tells them apart.
#include <string>
#include <string_view>

#include "ooapi/crypto/xxh3_stream.h"

namespace ooapi::sync::internal {

class FileChecksum {
 public:
  void Update(std::string_view bytes) { stream_.Update(bytes); }
  // The value to store; the object must not be updated afterwards.
  std::string Value() { return "xxh3-128:" + stream_.HexDigest(); }

 private:
  crypto::Xxh3Stream stream_;
};

}  // namespace ooapi::sync::internal
