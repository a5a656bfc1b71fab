#pragma once
// Thin, exception-free wrappers over OpenSSL's libcrypto (the only code that includes OpenSSL
// headers). Inputs and outputs are byte strings (std::string holding raw bytes) unless a function
// says it produces text. Thread-safety: every function may be called from any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ooapi::crypto {

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(std::string_view data);

// HMAC-SHA-256 of `data` under `key`: 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

// PBKDF2-HMAC-SHA-256 (RFC 8018) of `secret` with `salt`: `length` raw bytes. `iterations` >= 1.
std::string Pbkdf2Sha256(std::string_view secret, std::string_view salt, int iterations,
                         size_t length);

// True when `a` and `b` are equal. The time taken depends only on the lengths, never on the
// contents (CRYPTO_memcmp); use it for every comparison involving a secret or a hash of one.
// Inputs of different length compare unequal at once (lengths of our hashes are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// `n` bytes from OpenSSL's CSPRNG. Aborts the process if the generator fails (it only fails when
// the system has no entropy source at all, which is not a state to serve from).
std::string RandomBytes(size_t n);

// Lower-case hexadecimal of raw bytes.
std::string HexEncode(std::string_view bytes);
// Decodes hexadecimal (either case); nullopt on an odd length or a non-hex character.
std::optional<std::string> HexDecode(std::string_view text);

// Standard Base64 (RFC 4648 §4, with '=' padding).
std::string Base64Encode(std::string_view bytes);
// Strict decoding of standard Base64 with padding: nullopt on any other character, a wrong length
// or non-canonical padding bits.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace ooapi::crypto
