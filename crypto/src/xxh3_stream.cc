#include "ooapi/crypto/xxh3_stream.h"

#include <xxhash.h>

#include <new>

namespace ooapi::crypto {

struct Xxh3Stream::Impl {
  XXH3_state_t* state = nullptr;
};

Xxh3Stream::Xxh3Stream() : impl_(std::make_unique<Impl>()) {
  impl_->state = XXH3_createState();
  if (impl_->state == nullptr) throw std::bad_alloc();
  XXH3_128bits_reset(impl_->state);
}

Xxh3Stream::~Xxh3Stream() { XXH3_freeState(impl_->state); }

void Xxh3Stream::Update(std::string_view bytes) {
  XXH3_128bits_update(impl_->state, bytes.data(), bytes.size());
}

std::string Xxh3Stream::HexDigest() {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(impl_->state));
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : canonical.digest) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 15]);
  }
  return out;
}

}  // namespace ooapi::crypto
