#pragma once
// Incremental XXH3-128 (libxxhash), for checksums of large files read in blocks: a fast
// non-cryptographic hash that detects changed or damaged files (not deliberate tampering).
// `xxhsum -H2 FILE` prints the same hex. Not thread-safe: one object per stream.

#include <memory>
#include <string>
#include <string_view>

namespace ooapi::crypto {

class Xxh3Stream {
 public:
  Xxh3Stream();  // throws std::bad_alloc if the state cannot be allocated
  ~Xxh3Stream();
  Xxh3Stream(const Xxh3Stream&) = delete;
  Xxh3Stream& operator=(const Xxh3Stream&) = delete;
  void Update(std::string_view bytes);
  // Lowercase hex (32 digits) of the 128-bit digest in its canonical (big-endian) form, as
  // `xxhsum -H2` prints it. The object must not be updated afterwards.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ooapi::crypto
