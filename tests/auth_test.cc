// Authentication of the gateway: the crypto helpers, the hashed-secret format,
// the Authenticator on its own, and the real server on port 0 with every credential kind, with the
// access log scanned for secrets.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "ooapi/common/log.h"
#include "ooapi/config/config.h"
#include "ooapi/crypto/crypto.h"
#include "ooapi/crypto/secret_hash.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/endpoint/auth.h"
#include "ooapi/endpoint/http_server.h"
#include "ooapi/testing/backends.h"
#include "ooapi/testing/status_matchers.h"
#include "ooapi/testing/test_http_client.h"

namespace ooapi::testing {
namespace {

using endpoint::Authenticator;
using endpoint::AuthResult;
using endpoint::HttpRequest;

// ---------------------------------------------------------------------------------------------
// crypto: known answers from the RFCs, so the wrapper is checked against independent values.
// ---------------------------------------------------------------------------------------------

TEST(CryptoTest, KnownAnswers) {
  EXPECT_EQ(crypto::HexEncode(crypto::Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  EXPECT_EQ(crypto::HexEncode(crypto::HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");  // RFC 4231 #2
  EXPECT_EQ(crypto::HexEncode(crypto::Pbkdf2Sha256("password", "salt", 1, 32)),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");  // RFC 7914 §11
  EXPECT_EQ(crypto::HexEncode(crypto::Pbkdf2Sha256("password", "salt", 2, 32)),
            "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(crypto::ConstantTimeEquals("", ""));
  EXPECT_TRUE(crypto::ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(crypto::ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(crypto::ConstantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(crypto::ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(CryptoTest, Base64AndHex) {
  for (const std::string& text :
       {std::string(""), std::string("f"), std::string("fo"), std::string("foo"),
        std::string("foob"), std::string("\xff\x00", 2)}) {
    const std::string encoded = crypto::Base64Encode(text);
    EXPECT_EQ(crypto::Base64Decode(encoded), text) << encoded;
    EXPECT_EQ(crypto::HexDecode(crypto::HexEncode(text)), text);
  }
  EXPECT_EQ(crypto::Base64Encode("foob"), "Zm9vYg==");  // RFC 4648 §10
  EXPECT_EQ(crypto::Base64Decode("c3VyZjpwYXNz"), "surf:pass");
  for (const char* bad : {"Zm9vYg=", "Zm9vY===", "Zm=vYg==", "Zm9v Yg==", "Zm9vYh==", "Zg=a"}) {
    EXPECT_FALSE(crypto::Base64Decode(bad).has_value()) << bad;
  }
  EXPECT_FALSE(crypto::HexDecode("abc").has_value());
  EXPECT_FALSE(crypto::HexDecode("zz").has_value());
  EXPECT_NE(crypto::RandomBytes(16), crypto::RandomBytes(16));
}

TEST(SecretHashTest, HashAndVerify) {
  const std::string hash = crypto::HashSecret("correct horse", 1000);
  EXPECT_EQ(hash.rfind("pbkdf2-sha256$1000$", 0), 0u) << hash;
  EXPECT_OK(crypto::CheckSecretHash(hash));
  EXPECT_TRUE(crypto::IsSlowHash(hash));
  EXPECT_TRUE(crypto::VerifySecret("correct horse", hash));
  EXPECT_FALSE(crypto::VerifySecret("correct horsE", hash));
  EXPECT_FALSE(crypto::VerifySecret("", hash));
  EXPECT_NE(crypto::HashSecret("correct horse", 1000), hash) << "a fresh salt every time";
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
}

TEST(SecretHashTest, DefaultIsTheOwaspIterationCount) {
  const std::string hash = crypto::HashSecret("x");
  EXPECT_EQ(hash.rfind("pbkdf2-sha256$600000$", 0), 0u) << hash;
  EXPECT_TRUE(crypto::VerifySecret("x", hash));
}

TEST(SecretHashTest, Sha256ForRandomKeys) {
  const std::string hash = "sha256$" + crypto::HexEncode(crypto::Sha256("key-123"));
  EXPECT_OK(crypto::CheckSecretHash(hash));
  EXPECT_FALSE(crypto::IsSlowHash(hash));
  EXPECT_TRUE(crypto::VerifySecret("key-123", hash));
  EXPECT_FALSE(crypto::VerifySecret("key-124", hash));
  // Upper-case hex, as `sha256sum | tr a-f A-F` would give, is the same digest.
  std::string upper = hash;
  for (size_t i = 7; i < upper.size(); ++i) {
    if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = static_cast<char>(upper[i] - 32);
  }
  EXPECT_TRUE(crypto::VerifySecret("key-123", upper));
}

TEST(SecretHashTest, MalformedHashesNeverVerify) {
  for (const std::string& bad :
       {std::string("key-123"), std::string("sha256$"), std::string("pbkdf2-sha256$1000$$"),
        std::string("pbkdf2-sha256$x$MDEyMzQ1Njc4OWFiY2RlZg==$") + std::string(44, 'A'),
        std::string("md5$abc")}) {
    EXPECT_FALSE(crypto::CheckSecretHash(bad).ok()) << bad;
    EXPECT_FALSE(crypto::VerifySecret("key-123", bad)) << bad;
    if (bad.size() > 10) {  // short ones ("sha256$") occur in the explanation itself
      EXPECT_EQ(crypto::CheckSecretHash(bad).message().find(bad), std::string::npos);
    }
  }
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(OOAPI_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Timing cannot be asserted in a test, so this pins the code: hashes are compared only through
// ConstantTimeEquals, and that is CRYPTO_memcmp.
TEST(SecretHashTest, VerificationComparesInConstantTime) {
  const std::string crypto_cc = ReadSource("crypto/src/crypto.cc");
  const size_t equals = crypto_cc.find("bool ConstantTimeEquals(");
  ASSERT_NE(equals, std::string::npos);
  EXPECT_NE(crypto_cc.find("CRYPTO_memcmp(", equals), std::string::npos);
  const std::string secret_hash_cc = ReadSource("crypto/src/secret_hash.cc");
  const size_t verify = secret_hash_cc.find("bool VerifySecret(");
  ASSERT_NE(verify, std::string::npos);
  const std::string body =
      secret_hash_cc.substr(verify, secret_hash_cc.find("\n}\n", verify) - verify);
  size_t compares = 0;
  for (size_t at = body.find("return ConstantTimeEquals("); at != std::string::npos;
       at = body.find("return ConstantTimeEquals(", at + 1)) {
    ++compares;
  }
  EXPECT_EQ(compares, 2u) << "both hash kinds end in ConstantTimeEquals:\n" << body;
  EXPECT_EQ(body.find("=="), std::string::npos) << "no plain comparison in VerifySecret";
}

// ---------------------------------------------------------------------------------------------
// Authenticator on requests.
// ---------------------------------------------------------------------------------------------

constexpr const char* kBasicUser = "surf";
constexpr const char* kBasicPassword = "correct-horse-battery-staple-41";
constexpr const char* kApiKey = "k3y5f1c0e7a9b2d4c6e8f0a1b2c3d4e5f60";
constexpr const char* kBearerToken = "tok8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2";
constexpr const char* kMultiToken = "multi0f1e2d3c4b5a69788796a5b4c3d2e1f0";
// Wrong secrets that requests present; they must not be logged either.
constexpr const char* kWrongPassword = "wrong-horse-battery-staple-42";
constexpr const char* kWrongKey = "w40ngk3yf1c0e7a9b2d4c6e8f0a1b2c3d4e5";

std::string BasicValue(const std::string& user, const std::string& password) {
  return "Basic " + crypto::Base64Encode(user + ":" + password);
}

std::string Sha256Hash(const std::string& secret) {
  return "sha256$" + crypto::HexEncode(crypto::Sha256(secret));
}

// The auth section as an operator writes it, through the real config loader.
config::AuthConfig LoadAuth() {
  const std::string yaml =
      "auth:\n"
      "  enabled: true\n"
      "  realm: Test SIS\n"
      "  clients:\n"
      "    - name: surf-basic\n"
      "      basic_user: " +
      std::string(kBasicUser) + "\n" +
      "      basic_password_hash: " + crypto::HashSecret(kBasicPassword, 1000) + "\n" +
      "    - name: surf-header\n"
      "      api_key_header: X-API-Key\n"
      "      api_key_hash: " +
      crypto::HashSecret(kApiKey, 1000) + "\n" +
      "    - name: surf-oauth\n"
      "      bearer_token_hash: " +
      Sha256Hash(kBearerToken) + "\n" +
      "    - name: surf-multi\n"
      "      bearer_token_hash: " +
      crypto::HashSecret(kMultiToken, 1000) + "\n" +
      "      basic_user: multi\n"
      "      basic_password_hash: " +
      Sha256Hash(kMultiToken) + "\n";
  StatusOr<config::Config> loaded = config::LoadConfigString(yaml, "auth.yaml", {});
  EXPECT_OK(loaded);
  return loaded.ok() ? loaded->auth : config::AuthConfig{};
}

HttpRequest Request(std::string path, std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest r;
  r.path = std::move(path);
  r.headers = std::move(headers);
  return r;
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  endpoint::AuthOutcome Check(std::vector<std::pair<std::string, std::string>> headers,
                              std::string path = "/programs") {
    return auth_.Check(Request(std::move(path), std::move(headers)));
  }
  Authenticator auth_{LoadAuth()};
};

TEST_F(AuthenticatorTest, EachKindAcceptedWithTheRightSecret) {
  auto basic = Check({{"authorization", BasicValue(kBasicUser, kBasicPassword)}});
  EXPECT_EQ(basic.result, AuthResult::kAuthenticated);
  EXPECT_EQ(basic.client, "surf-basic");
  auto key = Check({{"x-api-key", kApiKey}});
  EXPECT_EQ(key.result, AuthResult::kAuthenticated);
  EXPECT_EQ(key.client, "surf-header");
  auto bearer = Check({{"authorization", std::string("Bearer ") + kBearerToken}});
  EXPECT_EQ(bearer.result, AuthResult::kAuthenticated);
  EXPECT_EQ(bearer.client, "surf-oauth");
  // OAuth2 token_type is often lower case: "bearer <access_token>".
  EXPECT_EQ(Check({{"authorization", std::string("bearer ") + kBearerToken}}).client, "surf-oauth");
  // A client with two kinds is the same client through either.
  EXPECT_EQ(Check({{"authorization", std::string("Bearer ") + kMultiToken}}).client, "surf-multi");
  EXPECT_EQ(Check({{"authorization", BasicValue("multi", kMultiToken)}}).client, "surf-multi");
}

TEST_F(AuthenticatorTest, EachKindRefusedWithAWrongSecret) {
  EXPECT_EQ(Check({{"authorization", BasicValue(kBasicUser, kWrongPassword)}}).result,
            AuthResult::kInvalid);
  EXPECT_EQ(Check({{"authorization", BasicValue("nobody", kBasicPassword)}}).result,
            AuthResult::kInvalid);
  EXPECT_EQ(Check({{"x-api-key", kWrongKey}}).result, AuthResult::kInvalid);
  EXPECT_EQ(Check({{"authorization", std::string("Bearer ") + kWrongKey}}).result,
            AuthResult::kInvalid);
  // Another client's secret in the wrong place is wrong too.
  EXPECT_EQ(Check({{"authorization", std::string("Bearer ") + kApiKey}}).result,
            AuthResult::kInvalid);
  EXPECT_EQ(Check({{"authorization", BasicValue(kBasicUser, kApiKey)}}).result,
            AuthResult::kInvalid);
}

TEST_F(AuthenticatorTest, CachedOutcomesKeepEachSecretApart) {
  ASSERT_EQ(Check({{"x-api-key", kApiKey}}).result, AuthResult::kAuthenticated);
  ASSERT_EQ(Check({{"x-api-key", kApiKey}}).result, AuthResult::kAuthenticated);  // cached
  EXPECT_EQ(Check({{"x-api-key", kWrongKey}}).result, AuthResult::kInvalid);
  EXPECT_EQ(Check({{"x-api-key", std::string(kApiKey) + "x"}}).result, AuthResult::kInvalid);
  // A remembered failure stays a failure, and does not poison the right key.
  EXPECT_EQ(Check({{"x-api-key", kWrongKey}}).result, AuthResult::kInvalid);
  EXPECT_EQ(Check({{"x-api-key", kApiKey}}).result, AuthResult::kAuthenticated);
}

TEST_F(AuthenticatorTest, MissingMalformedAndConflictingCredentials) {
  EXPECT_EQ(Check({}).result, AuthResult::kMissing);
  EXPECT_EQ(Check({{"accept", "application/json"}}).result, AuthResult::kMissing);
  for (const char* bad : {"Basic", "Basic !!!", "Basic c3VyZg==" /* no ':' */, "Digest abc",
                          "Bearer", "Bearer ", "Negotiate x"}) {
    EXPECT_EQ(Check({{"authorization", bad}}).result, AuthResult::kInvalid) << bad;
  }
  // Two valid credentials of different clients do not add up.
  EXPECT_EQ(
      Check({{"authorization", std::string("Bearer ") + kBearerToken}, {"x-api-key", kApiKey}})
          .result,
      AuthResult::kInvalid);
  // A valid credential next to a wrong one is refused.
  EXPECT_EQ(
      Check({{"authorization", std::string("Bearer ") + kBearerToken}, {"x-api-key", kWrongKey}})
          .result,
      AuthResult::kInvalid);
}

TEST_F(AuthenticatorTest, HealthIsOpenAndDisabledAuthIsOpen) {
  EXPECT_EQ(Check({}, "/health/live").result, AuthResult::kOpen);
  EXPECT_EQ(Check({}, "/health/ready").result, AuthResult::kOpen);
  EXPECT_EQ(Check({}, "/health/other").result, AuthResult::kMissing);
  EXPECT_EQ(Check({}, "/").result, AuthResult::kMissing);
  config::AuthConfig off = LoadAuth();
  off.enabled = false;
  Authenticator disabled(off);
  EXPECT_EQ(disabled.Check(Request("/programs", {})).result, AuthResult::kOpen);
}

TEST_F(AuthenticatorTest, UnauthorizedNamesEveryConfiguredSchemeAndNothingElse) {
  endpoint::HttpResponse r = auth_.Unauthorized();
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.content_type, "application/problem+json");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(r.headers[0].second,
            "Basic realm=\"Test SIS\", charset=\"UTF-8\", Bearer realm=\"Test SIS\", "
            "ApiKey realm=\"Test SIS\"");
  EXPECT_NE(r.body.find("\"status\":\"401\""), std::string::npos);
  EXPECT_EQ(auth_.ApiKeyHeaders(), std::vector<std::string>{"x-api-key"});

  config::AuthConfig only_bearer;
  only_bearer.enabled = true;
  only_bearer.realm = "r";
  only_bearer.clients.push_back({"c", "", "", "", "", Sha256Hash("t"), ""});
  EXPECT_EQ(Authenticator(only_bearer).Unauthorized().headers[0].second, "Bearer realm=\"r\"");
}

// ---------------------------------------------------------------------------------------------
// The real server on port 0.
// ---------------------------------------------------------------------------------------------

// Every served path (Api::Paths) with the fixture's ids filled in.
std::vector<std::string> ServedPaths(const endpoint::Api& api) {
  std::vector<std::string> paths;
  for (const std::string& path_template : api.Paths()) {
    const std::string path = WithFixtureIds(path_template);
    EXPECT_EQ(path.find('{'), std::string::npos) << "no id for " << path;
    paths.push_back(path);
  }
  return paths;
}

class AuthServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetSinkForTest([this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.push_back(line);
    });
    auto a = backend_.CreateAdapter();
    ASSERT_OK(a);
    adapter_ = std::move(a).value();
    api_ = std::make_unique<endpoint::Api>(adapter_.get(), endpoint::ApiOptions{});
    config::ServerConfig cfg;
    cfg.port = 0;
    auth_ = LoadAuth();
    server_ = std::make_unique<endpoint::HttpServer>(cfg, true, api_.get(), auth_);
    ASSERT_OK(server_->Start());
    port_ = server_->port();
  }
  void TearDown() override {
    server_.reset();
    log::SetSinkForTest(nullptr);
  }

  std::vector<std::string> Lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  std::vector<std::string> AccessLines() {
    std::vector<std::string> access;
    for (const std::string& line : Lines()) {
      if (line.find("\"event\":\"access\"") != std::string::npos) access.push_back(line);
    }
    return access;
  }

  SqliteBackend backend_;
  adapters::SisAdapterPtr adapter_;
  std::unique_ptr<endpoint::Api> api_;
  config::AuthConfig auth_;
  std::unique_ptr<endpoint::HttpServer> server_;
  uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<std::string> lines_;  // guarded by mutex_
};

void ExpectUnauthorized(const RawResponse& r, const std::string& what) {
  EXPECT_EQ(r.status, 401) << what;
  EXPECT_NE(r.Header("content-type").find("application/problem+json"), std::string::npos) << what;
  const std::string challenge = r.Header("www-authenticate");
  EXPECT_NE(challenge.find("Basic realm=\"Test SIS\""), std::string::npos) << what;
  EXPECT_NE(challenge.find("Bearer realm=\"Test SIS\""), std::string::npos) << what;
  EXPECT_NE(r.body.find("\"status\":\"401\""), std::string::npos) << what;
  EXPECT_FALSE(r.Header("traceparent").empty()) << what;
}

TEST_F(AuthServerTest, EveryRouteIs401WithoutCredentialsAnd200WithEachKind) {
  const std::vector<std::string> paths = ServedPaths(*api_);
  ASSERT_GE(paths.size(), 20u);
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"surf-basic", "Authorization: " + BasicValue(kBasicUser, kBasicPassword) + "\r\n"},
      {"surf-header", std::string("X-API-Key: ") + kApiKey + "\r\n"},
      {"surf-oauth", std::string("Authorization: Bearer ") + kBearerToken + "\r\n"},
      {"surf-oauth", std::string("Authorization: bearer ") + kBearerToken + "\r\n"},
      {"surf-multi", std::string("Authorization: Bearer ") + kMultiToken + "\r\n"}};
  HttpConnection connection(port_);  // keep-alive, as the gateway does
  ASSERT_TRUE(connection.connected());
  for (const std::string& path : paths) {
    ExpectUnauthorized(connection.Get(path), "no credentials on " + path);
    for (const auto& [client, header] : kinds) {
      auto r = connection.Get(path, header);
      EXPECT_EQ(r.status, 200) << client << " on " << path << ": " << r.body;
      EXPECT_TRUE(r.Header("www-authenticate").empty());
    }
  }
  // One access line per request, naming the client that was let in.
  server_->Shutdown();  // every line written
  const std::vector<std::string> access = AccessLines();
  EXPECT_EQ(access.size(), paths.size() * (1 + kinds.size()));
  std::map<std::string, size_t> per_client;
  for (const std::string& line : access) {
    for (const char* client : {"surf-basic", "surf-header", "surf-oauth", "surf-multi"}) {
      if (line.find(std::string("\"client\":\"") + client + "\"") != std::string::npos) {
        ++per_client[client];
      }
    }
    EXPECT_NE(line.find("\"trace_id\":\""), std::string::npos) << line;
  }
  EXPECT_EQ(per_client["surf-basic"], paths.size());
  EXPECT_EQ(per_client["surf-header"], paths.size());
  EXPECT_EQ(per_client["surf-oauth"], 2 * paths.size());
  EXPECT_EQ(per_client["surf-multi"], paths.size());
}

TEST_F(AuthServerTest, WrongCredentialsOfEachKindAre401WithTheSameAnswer) {
  const std::string path = std::string("/programs/") + kOverrideProgramId;
  const RawResponse missing = HttpGet(port_, path);
  ExpectUnauthorized(missing, "missing");
  for (const std::string& header :
       {"Authorization: " + BasicValue(kBasicUser, kWrongPassword) + "\r\n",
        "Authorization: " + BasicValue("nobody", kBasicPassword) + "\r\n",
        std::string("X-API-Key: ") + kWrongKey + "\r\n",
        std::string("Authorization: Bearer ") + kWrongKey + "\r\n",
        std::string("Authorization: Digest ") + kWrongKey + "\r\n"}) {
    const RawResponse r = HttpGet(port_, path, header);
    ExpectUnauthorized(r, header);
    EXPECT_EQ(r.body, missing.body) << "the detail never says which part was wrong";
  }
  server_->Shutdown();  // every line written
  ASSERT_EQ(AccessLines().size(), 6u);
  for (const std::string& line : AccessLines()) {
    EXPECT_NE(line.find("\"status\":401"), std::string::npos) << line;
    EXPECT_NE(line.find("\"client\":\"\""), std::string::npos) << line;
    EXPECT_TRUE(line.find("\"auth\":\"missing\"") != std::string::npos ||
                line.find("\"auth\":\"invalid\"") != std::string::npos)
        << line;
  }
}

TEST_F(AuthServerTest, HealthStaysOpen) {
  EXPECT_EQ(HttpGet(port_, "/health/live").status, 200);
  EXPECT_EQ(HttpGet(port_, "/health/ready").status, 200);
  // Even with wrong credentials: the health checks do not look at them.
  EXPECT_EQ(HttpGet(port_, "/health/live", std::string("X-API-Key: ") + kWrongKey + "\r\n").status,
            200);
}

TEST_F(AuthServerTest, NoLogLineEverContainsASecret) {
  const std::vector<std::string> headers = {
      "Authorization: " + BasicValue(kBasicUser, kBasicPassword) + "\r\n",
      "Authorization: " + BasicValue(kBasicUser, kWrongPassword) + "\r\n",
      std::string("X-API-Key: ") + kApiKey + "\r\n",
      std::string("X-API-Key: ") + kWrongKey + "\r\n",
      std::string("Authorization: Bearer ") + kBearerToken + "\r\n",
      std::string("Authorization: bearer ") + kMultiToken + "\r\n",
      std::string("Authorization: Bearer ") + kWrongKey + "\r\n"};
  const std::vector<std::string> targets = {
      "/programs", std::string("/programs/") + kUnknownId, "/programs?pageSize=13", "/nope",
      std::string("/programs?api_key=") + kApiKey + "&access_token=" + kBearerToken +
          "&password=" + kBasicPassword};
  for (const std::string& target : targets) {
    for (const std::string& header : headers) {
      EXPECT_NE(HttpGet(port_, target, header).status, 0);
    }
  }
  server_->Shutdown();  // every line written
  std::vector<std::string> secrets = {kBasicPassword, kWrongPassword, kApiKey,
                                      kWrongKey,      kBearerToken,   kMultiToken};
  for (const std::string& header : headers) {
    const std::string value =
        header.substr(header.find(": ") + 2, header.size() - header.find(": ") - 4);
    secrets.push_back(value);                              // the whole header value
    secrets.push_back(value.substr(value.find(' ') + 1));  // the credential after the scheme
  }
  for (const auto& client : auth_.clients) {  // hashes are not for logs either
    for (const std::string& hash :
         {client.basic_password_hash, client.api_key_hash, client.bearer_token_hash}) {
      if (!hash.empty()) secrets.push_back(hash);
    }
  }
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(AccessLines().size(), targets.size() * headers.size());
  for (const std::string& line : lines) {
    for (const std::string& secret : secrets) {
      EXPECT_EQ(line.find(secret), std::string::npos) << "secret " << secret << " in " << line;
    }
  }
  // The query's credential-like values are redacted, the rest of the path stays.
  for (const char* part :
       {"api_key=[redacted]", "access_token=[redacted]", "password=[redacted]", "pageSize=13"}) {
    bool found = false;
    for (const std::string& line : lines) {
      found = found || (line.find("\"path\":\"/programs?") != std::string::npos &&
                        line.find(part) != std::string::npos);
    }
    EXPECT_TRUE(found) << part;
  }
}

TEST_F(AuthServerTest, AuthOffLeavesEveryRouteOpen) {
  config::ServerConfig cfg;
  cfg.port = 0;
  config::AuthConfig off = auth_;
  off.enabled = false;
  endpoint::HttpServer open(cfg, false, api_.get(), off);
  ASSERT_OK(open.Start());
  for (const std::string& path : ServedPaths(*api_)) {
    EXPECT_EQ(HttpGet(open.port(), path).status, 200) << path;
  }
}

}  // namespace
}  // namespace ooapi::testing
