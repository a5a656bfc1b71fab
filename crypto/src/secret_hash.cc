#include "ooapi/crypto/secret_hash.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "ooapi/common/strings.h"
#include "ooapi/crypto/crypto.h"

namespace ooapi::crypto {
namespace {

constexpr std::string_view kPbkdf2Prefix = "pbkdf2-sha256$";
constexpr std::string_view kSha256Prefix = "sha256$";
constexpr size_t kSaltBytes = 16;
constexpr size_t kKeyBytes = 32;
constexpr size_t kMinSaltBytes = 8;

struct Pbkdf2Hash {
  int iterations = 0;
  std::string salt;
  std::string key;
};

// Parses "pbkdf2-sha256$<iter>$<salt>$<key>"; the error never contains the value itself.
StatusOr<Pbkdf2Hash> ParsePbkdf2(std::string_view encoded) {
  std::vector<std::string_view> parts;
  std::string_view rest = encoded.substr(kPbkdf2Prefix.size());
  for (size_t pos; (pos = rest.find('$')) != std::string_view::npos;) {
    parts.push_back(rest.substr(0, pos));
    rest.remove_prefix(pos + 1);
  }
  parts.push_back(rest);
  if (parts.size() != 3) {
    return InvalidArgument(
        "a pbkdf2-sha256 hash has the form pbkdf2-sha256$<iterations>$<salt>$<hash>");
  }
  Pbkdf2Hash hash;
  std::optional<int64_t> iterations = ParseInt64(parts[0]);
  if (!iterations || *iterations < kMinPbkdf2Iterations || *iterations > kMaxPbkdf2Iterations) {
    return InvalidArgument("pbkdf2-sha256 iterations must be an integer between " +
                           std::to_string(kMinPbkdf2Iterations) + " and " +
                           std::to_string(kMaxPbkdf2Iterations));
  }
  hash.iterations = static_cast<int>(*iterations);
  std::optional<std::string> salt = Base64Decode(parts[1]);
  if (!salt || salt->size() < kMinSaltBytes) {
    return InvalidArgument("pbkdf2-sha256 salt must be Base64 of at least " +
                           std::to_string(kMinSaltBytes) + " bytes");
  }
  std::optional<std::string> key = Base64Decode(parts[2]);
  if (!key || key->size() != kKeyBytes) {
    return InvalidArgument("pbkdf2-sha256 hash must be Base64 of " + std::to_string(kKeyBytes) +
                           " bytes");
  }
  hash.salt = std::move(*salt);
  hash.key = std::move(*key);
  return hash;
}

StatusOr<std::string> ParseSha256(std::string_view encoded) {
  std::optional<std::string> digest = HexDecode(encoded.substr(kSha256Prefix.size()));
  if (!digest || digest->size() != 32) {
    return InvalidArgument("a sha256 hash has the form sha256$<64 hexadecimal digits>");
  }
  return std::move(*digest);
}

}  // namespace

std::string HashSecret(std::string_view secret) {
  return HashSecret(secret, kDefaultPbkdf2Iterations);
}

std::string HashSecret(std::string_view secret, int iterations) {
  iterations = std::clamp(iterations, kMinPbkdf2Iterations, kMaxPbkdf2Iterations);
  const std::string salt = RandomBytes(kSaltBytes);
  const std::string key = Pbkdf2Sha256(secret, salt, iterations, kKeyBytes);
  std::string out(kPbkdf2Prefix);
  out.append(std::to_string(iterations))
      .append(1, '$')
      .append(Base64Encode(salt))
      .append(1, '$')
      .append(Base64Encode(key));
  return out;
}

Status CheckSecretHash(std::string_view encoded) {
  if (StartsWith(encoded, kPbkdf2Prefix)) return ParsePbkdf2(encoded).status();
  if (StartsWith(encoded, kSha256Prefix)) return ParseSha256(encoded).status();
  return InvalidArgument(
      "expected a hashed secret, pbkdf2-sha256$... (ooapi-endpoint hash-secret) or "
      "sha256$<hex>; plaintext secrets are not accepted");
}

bool VerifySecret(std::string_view secret, std::string_view encoded) {
  if (StartsWith(encoded, kPbkdf2Prefix)) {
    StatusOr<Pbkdf2Hash> hash = ParsePbkdf2(encoded);
    if (!hash.ok()) return false;
    return ConstantTimeEquals(Pbkdf2Sha256(secret, hash->salt, hash->iterations, hash->key.size()),
                              hash->key);
  }
  if (StartsWith(encoded, kSha256Prefix)) {
    StatusOr<std::string> digest = ParseSha256(encoded);
    if (!digest.ok()) return false;
    return ConstantTimeEquals(Sha256(secret), *digest);
  }
  return false;
}

bool IsSlowHash(std::string_view encoded) { return StartsWith(encoded, kPbkdf2Prefix); }

}  // namespace ooapi::crypto
