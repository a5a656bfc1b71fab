#pragma once
// Incremental SHA-256 (libcrypto EVP), for checksums of large files read in blocks.
// Not thread-safe: one object per stream.

#include <memory>
#include <string>
#include <string_view>

namespace ooapi::crypto {

class Sha256Stream {
 public:
  Sha256Stream();  // throws std::runtime_error if libcrypto cannot initialise the digest
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(std::string_view bytes);
  // Lowercase hex of the digest; the object must not be updated afterwards.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ooapi::crypto
