#pragma once
// Incremental SHA-256 over OpenSSL's libcrypto (EVP), private to ooapi_sync.
#include <memory>
#include <string>
#include <string_view>

namespace ooapi::sync::internal {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view bytes);
  // Lowercase hex; the object must not be updated afterwards.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ooapi::sync::internal
