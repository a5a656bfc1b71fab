#pragma once
// Hashed secrets for the auth configuration (passwords, API keys, bearer tokens). Two encodings:
//
//   pbkdf2-sha256$<iterations>$<salt, Base64>$<derived key, Base64>
//       PBKDF2-HMAC-SHA-256 (RFC 8018), the password hash that Debian's OpenSSL offers without
//       extra libraries and the one OWASP lists for FIPS settings (600 000 iterations). A random
//       16-byte salt, a 32-byte key. Right for anything a human chose (basic-auth passwords).
//       The layout follows passlib/Django (`pbkdf2_sha256$…`) so operators recognise it.
//   sha256$<64 hex digits>
//       Plain SHA-256 of the secret. Only for machine-generated secrets with at least 128 bits of
//       entropy (API keys, static bearer tokens): guessing those is infeasible without key
//       stretching, and the hash can be made with `printf %s "$KEY" | sha256sum`.
//
// Verification compares in constant time (CRYPTO_memcmp). Thread-safety: all functions may be
// called from any thread.

#include <string>
#include <string_view>

#include "ooapi/common/status.h"

namespace ooapi::crypto {

inline constexpr int kDefaultPbkdf2Iterations = 600000;
inline constexpr int kMinPbkdf2Iterations = 1000;
inline constexpr int kMaxPbkdf2Iterations = 10000000;

// Hashes `secret` as pbkdf2-sha256 with a fresh random salt and kDefaultPbkdf2Iterations. The
// result goes into the configuration (`basic_password_hash`, `api_key_hash`,
// `bearer_token_hash`). This is what `ooapi-endpoint hash-secret` prints.
std::string HashSecret(std::string_view secret);
// The same with an explicit iteration count (kMinPbkdf2Iterations..kMaxPbkdf2Iterations; clamped).
// Tests use small counts to stay fast.
std::string HashSecret(std::string_view secret, int iterations);

// OK when `encoded` is a well-formed hash in one of the two encodings above; kInvalidArgument
// with a message naming what is wrong otherwise (never echoing the value).
Status CheckSecretHash(std::string_view encoded);

// True when `secret` matches `encoded`. False for a malformed `encoded` too. Costs one PBKDF2
// run for pbkdf2-sha256 hashes (callers on a hot path cache successes, see endpoint/auth).
bool VerifySecret(std::string_view secret, std::string_view encoded);

// True for a pbkdf2-sha256 hash (expensive to verify), false otherwise.
bool IsSlowHash(std::string_view encoded);

}  // namespace ooapi::crypto
