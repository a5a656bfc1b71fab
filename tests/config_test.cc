#include "ooapi/config/config.h"
#include "ooapi/testing/status_matchers.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

using ::ooapi::StatusCode;
using ::ooapi::StatusOr;
using ::ooapi::config::Config;
using ::ooapi::config::Environment;
using ::ooapi::config::EnvironmentName;
using ::ooapi::config::LoadConfigFile;
using ::ooapi::config::LoadConfigString;
using ::ooapi::config::ProcessEnvironment;

namespace {

// gtest-only assertions (the test binary does not link gmock) that print the whole message.
::testing::AssertionResult ContainsFormat(const char* text_expr, const char* part_expr,
                                          const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text_expr << " does not contain " << part_expr
                                       << "\n  text: " << text << "\n  part: " << part;
}
::testing::AssertionResult StartsWithFormat(const char* text_expr, const char* prefix_expr,
                                            const std::string& text, const std::string& prefix) {
  if (text.rfind(prefix, 0) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text_expr << " does not start with " << prefix_expr
                                       << "\n    text: " << text << "\n  prefix: " << prefix;
}
#define EXPECT_CONTAINS(text, part) EXPECT_PRED_FORMAT2(ContainsFormat, text, part)
#define EXPECT_STARTS_WITH(text, prefix) EXPECT_PRED_FORMAT2(StartsWithFormat, text, prefix)

StatusOr<Config> Load(std::string_view yaml, const Environment& env = {}) {
  return LoadConfigString(yaml, "etc/ooapi.yaml", env);
}

// The error message of a load that must fail with kInvalidArgument.
std::string ErrorOf(const StatusOr<Config>& result) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  return result.status().message();
}

void ExpectDefaults(const Config& c) {
  const Config d;
  EXPECT_EQ(c.server.address, d.server.address);
  EXPECT_EQ(c.server.port, d.server.port);
  EXPECT_EQ(c.server.threads, d.server.threads);
  EXPECT_EQ(c.server.max_request_bytes, d.server.max_request_bytes);
  EXPECT_EQ(c.server.header_timeout_ms, d.server.header_timeout_ms);
  EXPECT_EQ(c.server.body_timeout_ms, d.server.body_timeout_ms);
  EXPECT_EQ(c.server.keepalive_timeout_s, d.server.keepalive_timeout_s);
  EXPECT_EQ(c.server.drain_timeout_ms, d.server.drain_timeout_ms);
  EXPECT_EQ(c.service.contact_email, d.service.contact_email);
  EXPECT_EQ(c.service.specification, d.service.specification);
  EXPECT_EQ(c.service.documentation, d.service.documentation);
  EXPECT_EQ(c.sis.adapter, d.sis.adapter);
  EXPECT_EQ(c.sis.pool_size, d.sis.pool_size);
  EXPECT_EQ(c.sis.acquire_timeout_ms, d.sis.acquire_timeout_ms);
  EXPECT_EQ(c.sis.sqlite.path, d.sis.sqlite.path);
  EXPECT_EQ(c.sis.sqlite.busy_timeout_ms, d.sis.sqlite.busy_timeout_ms);
  EXPECT_EQ(c.logging.level, d.logging.level);
  EXPECT_EQ(c.logging.access_log, d.logging.access_log);
  EXPECT_EQ(c.auth.enabled, d.auth.enabled);
  EXPECT_EQ(c.auth.realm, d.auth.realm);
  EXPECT_TRUE(c.auth.clients.empty());
}

}  // namespace

TEST(ConfigTest, EmptyInputGivesDefaults) {
  for (std::string_view yaml : {"", "# only a comment\n\n# another\n", "---\n"}) {
    StatusOr<Config> config = Load(yaml);
    ASSERT_OK(config);
    ExpectDefaults(*config);
  }
}

TEST(ConfigTest, ExampleFileLoadsToDefaults) {
  StatusOr<Config> config =
      LoadConfigFile(std::string(OOAPI_SOURCE_DIR) + "/config/example.yaml", {});
  ASSERT_OK(config);
  ExpectDefaults(*config);
}

TEST(ConfigTest, DemoFileLoads) {
  StatusOr<Config> config = LoadConfigFile(std::string(OOAPI_SOURCE_DIR) + "/config/demo.yaml", {});
  ASSERT_OK(config);
  EXPECT_EQ(config->server.address, "127.0.0.1");
  EXPECT_EQ(config->server.port, 8080);
  EXPECT_EQ(config->sis.adapter, "sqlite");
  EXPECT_EQ(config->sis.sqlite.path, "var/demo.db");
}

TEST(ConfigTest, ReadsEveryType) {
  StatusOr<Config> config = Load(
      "server:\n"
      "  address: 0.0.0.0\n"
      "  port: 9090\n"
      "  drain_timeout_ms: 0755\n"
      "sis:\n"
      "  sqlite:\n"
      "    path: \"/srv/sis db.sqlite\"\n"
      "logging:\n"
      "  level: debug\n"
      "  access_log: false\n");
  ASSERT_OK(config);
  EXPECT_EQ(config->server.address, "0.0.0.0");
  EXPECT_EQ(config->server.port, 9090);
  EXPECT_EQ(config->server.drain_timeout_ms, 755);  // base 10, never octal
  EXPECT_EQ(config->server.threads, 2);             // default kept
  EXPECT_EQ(config->sis.sqlite.path, "/srv/sis db.sqlite");
  EXPECT_EQ(config->logging.level, "debug");
  EXPECT_FALSE(config->logging.access_log);
}

TEST(ConfigTest, UnknownKeyNamesFileLineAndKnownKeys) {
  std::string m = ErrorOf(Load("server:\n  port: 80\n  thread: 4\n"));
  EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:3: unknown key 'thread' in section 'server'");
  EXPECT_CONTAINS(m, "(known: address, port, threads, workers, max_queued, max_request_bytes,");
  EXPECT_CONTAINS(m, "drain_timeout_ms)");
}

TEST(ConfigTest, UnknownTopLevelKeyListsSections) {
  std::string m = ErrorOf(Load("logging:\n  level: info\nservr:\n  port: 1\n"));
  EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:3: unknown key 'servr'");
  EXPECT_CONTAINS(m, "(known: server, service, sis, offerings, logging, auth, surfeduhub, admin)");
}

TEST(ConfigTest, UnknownNestedKey) {
  std::string m = ErrorOf(Load("sis:\n  sqlite:\n    pth: x\n"));
  EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:3: unknown key 'pth' in section 'sis.sqlite'");
  EXPECT_CONTAINS(m, "(known: path, busy_timeout_ms)");
}

TEST(ConfigTest, DuplicateKeyNamesBothLines) {
  std::string m = ErrorOf(Load("server:\n  port: 1\n  threads: 2\n  port: 2\n"));
  EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:4: duplicate key 'port' in section 'server'");
  EXPECT_CONTAINS(m, "first at line 2");
}

TEST(ConfigTest, DuplicateSectionRejected) {
  std::string m = ErrorOf(Load("server:\n  port: 1\nserver:\n  threads: 2\n"));
  EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:3: duplicate key 'server'");
  EXPECT_CONTAINS(m, "first at line 1");
}

TEST(ConfigTest, WordForIntRejectedNotDefaulted) {
  EXPECT_EQ(ErrorOf(Load("server:\n  threads: four\n")),
            "etc/ooapi.yaml:2: server.threads: expected an integer, got 'four'");
}

TEST(ConfigTest, MalformedIntsRejected) {
  for (std::string value : {"4.0", "4x", "0x10", "1e3", "+4", "99999999999999999999999", "[4]"}) {
    EXPECT_STARTS_WITH(ErrorOf(Load("server:\n  threads: " + value + "\n")),
                       "etc/ooapi.yaml:2: server.threads: expected an integer")
        << value;
  }
}

TEST(ConfigTest, QuotedNumberForIntRejected) {
  for (std::string value : {"\"8080\"", "'8080'"}) {
    std::string m = ErrorOf(Load("server:\n  port: " + value + "\n"));
    EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:2: server.port: expected an integer");
    EXPECT_CONTAINS(m, "quoted");
  }
}

TEST(ConfigTest, YesForBoolRejected) {
  for (std::string value : {"yes", "no", "on", "off", "True", "1", "\"true\""}) {
    EXPECT_STARTS_WITH(ErrorOf(Load("logging:\n  access_log: " + value + "\n")),
                       "etc/ooapi.yaml:2: logging.access_log: expected true or false")
        << value;
  }
}

TEST(ConfigTest, EmptyValueRejected) {
  EXPECT_EQ(ErrorOf(Load("server:\n  address:\n")),
            "etc/ooapi.yaml:2: server.address: expected a string, got nothing");
}

TEST(ConfigTest, OutOfRangeNamesKeyPath) {
  EXPECT_EQ(ErrorOf(Load("server:\n  threads: 0\n")),
            "etc/ooapi.yaml:2: server.threads must be between 1 and 256, got 0");
  EXPECT_EQ(ErrorOf(Load("server:\n  port: 65536\n")),
            "etc/ooapi.yaml:2: server.port must be between 0 and 65535, got 65536");
  EXPECT_EQ(ErrorOf(Load("server:\n  port: 99999999999\n")),
            "etc/ooapi.yaml:2: server.port must be between 0 and 65535, got 99999999999");
  EXPECT_EQ(ErrorOf(Load("sis:\n  sqlite:\n    busy_timeout_ms: -1\n")),
            "etc/ooapi.yaml:3: sis.sqlite.busy_timeout_ms must be between 0 and 600000, got -1");
  EXPECT_EQ(ErrorOf(Load("logging:\n  level: verbose\n")),
            "etc/ooapi.yaml:2: logging.level must be one of debug, info, warn, error, got "
            "'verbose'");
  EXPECT_EQ(ErrorOf(Load("sis:\n  adapter: \"\"\n")),
            "etc/ooapi.yaml:2: sis.adapter must not be empty");
  EXPECT_STARTS_WITH(ErrorOf(Load("sis:\n  sqlite:\n    path: ''\n")),
                     "etc/ooapi.yaml:3: sis.sqlite.path must not be empty");
}

TEST(ConfigTest, EmptySqlitePathAllowedForOtherAdapters) {
  StatusOr<Config> config = Load("sis:\n  adapter: memory\n  sqlite:\n    path: ''\n");
  ASSERT_OK(config);
  EXPECT_EQ(config->sis.sqlite.path, "");
}

TEST(ConfigTest, EnvironmentOverridesFile) {
  StatusOr<Config> config =
      Load("server:\n  port: 8081\n  threads: 2\n", {{"OOAPI_SERVER__PORT", "9090"},
                                                     {"OOAPI_SIS__SQLITE__PATH", "/srv/sis.db"},
                                                     {"OOAPI_LOGGING__ACCESS_LOG", "false"},
                                                     {"PATH", "/usr/bin"}});
  ASSERT_OK(config);
  EXPECT_EQ(config->server.port, 9090);
  EXPECT_EQ(config->server.threads, 2);
  EXPECT_EQ(config->sis.sqlite.path, "/srv/sis.db");
  EXPECT_FALSE(config->logging.access_log);
}

TEST(ConfigTest, EnvironmentReplacesOutOfRangeFileValue) {
  StatusOr<Config> config = Load("server:\n  threads: 0\n", {{"OOAPI_SERVER__THREADS", "8"}});
  ASSERT_OK(config);
  EXPECT_EQ(config->server.threads, 8);
}

TEST(ConfigTest, MalformedEnvironmentValue) {
  EXPECT_EQ(ErrorOf(Load("", {{"OOAPI_SERVER__PORT", "abc"}})),
            "environment OOAPI_SERVER__PORT: expected an integer, got 'abc'");
  EXPECT_EQ(ErrorOf(Load("", {{"OOAPI_SERVER__PORT", " 80"}})),
            "environment OOAPI_SERVER__PORT: expected an integer, got ' 80'");
  EXPECT_EQ(ErrorOf(Load("", {{"OOAPI_LOGGING__ACCESS_LOG", "yes"}})),
            "environment OOAPI_LOGGING__ACCESS_LOG: expected true or false, got 'yes'");
  EXPECT_EQ(ErrorOf(Load("", {{"OOAPI_SERVER__THREADS", "0"}})),
            "environment OOAPI_SERVER__THREADS: server.threads must be between 1 and 256, got 0");
}

TEST(ConfigTest, UnknownEnvironmentVariableRejected) {
  std::string m = ErrorOf(Load("", {{"OOAPI_SERVR__PORT", "1"}}));
  EXPECT_STARTS_WITH(
      m,
      "environment OOAPI_SERVR__PORT: unknown setting (known: OOAPI_SERVER__ADDRESS, "
      "OOAPI_SERVER__PORT,");
  EXPECT_CONTAINS(m, "OOAPI_SIS__SQLITE__BUSY_TIMEOUT_MS");
  EXPECT_STARTS_WITH(ErrorOf(Load("", {{"OOAPI_SERVER", "x"}})),
                     "environment OOAPI_SERVER: unknown setting");
}

TEST(ConfigTest, TestToolingVariablesIgnored) {
  StatusOr<Config> config =
      Load("", {{"OOAPI_TEST_DATABASE", "x"}, {"OOAPI_KIT_DIR", "y"}, {"OTHER_VAR", "z"}});
  ASSERT_OK(config);
  ExpectDefaults(*config);
}

TEST(ConfigTest, EnvironmentNameMapping) {
  EXPECT_EQ(EnvironmentName("server.port"), "OOAPI_SERVER__PORT");
  EXPECT_EQ(EnvironmentName("sis.sqlite.path"), "OOAPI_SIS__SQLITE__PATH");
  EXPECT_EQ(EnvironmentName("server.max_request_bytes"), "OOAPI_SERVER__MAX_REQUEST_BYTES");
}

TEST(ConfigTest, ProcessEnvironmentKeepsOnlyOoapiVariables) {
  ASSERT_EQ(setenv("OOAPI_TEST_CONFIG_PROBE", "a=b", 1), 0);
  Environment env = ProcessEnvironment();
  EXPECT_EQ(env["OOAPI_TEST_CONFIG_PROBE"], "a=b");
  for (const auto& [name, value] : env) EXPECT_STARTS_WITH(name, "OOAPI_");
  unsetenv("OOAPI_TEST_CONFIG_PROBE");
}

TEST(ConfigTest, SyntaxErrorHasLine) {
  EXPECT_STARTS_WITH(ErrorOf(Load("server:\n  port: 80\n bad: 2\n")),
                     "etc/ooapi.yaml:3: invalid YAML: ");
  std::string m = ErrorOf(Load("server:\n  port: 80\n  threads: [4\n"));
  EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:");
  EXPECT_CONTAINS(m, ": invalid YAML: ");
}

TEST(ConfigTest, MissingFile) {
  EXPECT_EQ(ErrorOf(LoadConfigFile("/nonexistent/ooapi.yaml", {})),
            "/nonexistent/ooapi.yaml: cannot read file");
  EXPECT_EQ(ErrorOf(LoadConfigFile(OOAPI_SOURCE_DIR, {})),
            std::string(OOAPI_SOURCE_DIR) + ": cannot read file");
}

TEST(ConfigTest, SectionThatIsNotAMappingRejected) {
  std::string m = ErrorOf(Load("sis:\n  sqlite: var/demo.db\n"));
  EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:2: section 'sis.sqlite' must be a mapping");
  EXPECT_CONTAINS(m, "'var/demo.db'");
  EXPECT_STARTS_WITH(ErrorOf(Load("server:\n  - port\n")),
                     "etc/ooapi.yaml:1: section 'server' must be a mapping");
  EXPECT_STARTS_WITH(ErrorOf(Load("just a scalar\n")),
                     "etc/ooapi.yaml:1: the top level must be a mapping");
}

TEST(ConfigTest, EmptySectionKeepsDefaults) {
  StatusOr<Config> config = Load("server:\n  # port: 9090\nlogging:\n");
  ASSERT_OK(config);
  ExpectDefaults(*config);
}

TEST(ConfigTest, MappingForLeafRejected) {
  EXPECT_EQ(ErrorOf(Load("server:\n  port:\n    value: 1\n")),
            "etc/ooapi.yaml:2: server.port: expected an integer, got a mapping");
}

TEST(ConfigTest, MultipleDocumentsRejected) {
  EXPECT_STARTS_WITH(ErrorOf(Load("server:\n  port: 1\n---\nserver:\n  port: 2\n")),
                     "etc/ooapi.yaml:4: only one YAML document is allowed");
}

// ---------------------------------------------------------------------------------------------
// auth: a list of clients with hashed secrets.
// ---------------------------------------------------------------------------------------------

namespace {

// PBKDF2-HMAC-SHA-256("s3cret-pass", "0123456789abcdef", 1000) and SHA-256("abc"), made with
// Python's hashlib, so the loader is checked against an independent implementation's output.
constexpr const char* kPbkdf2Hash =
    "pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$R9YfMf7zcL7ozZT8JIy/zWtSg8/vgeSynGD+jCoSLk4=";
constexpr const char* kSha256Hash =
    "sha256$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

std::string AuthYaml(const std::string& clients, const std::string& enabled = "true") {
  return "auth:\n  enabled: " + enabled + "\n  realm: SIS of Example\n  clients:\n" + clients;
}

}  // namespace

TEST(ConfigAuthTest, ReadsClientsWithEveryCredentialKind) {
  StatusOr<Config> config =
      Load(AuthYaml(std::string("    - name: surf-basic\n") + "      basic_user: surf\n" +
                    "      basic_password_hash: " + kPbkdf2Hash + "\n" + "    - name: surf-key\n" +
                    "      api_key_header: X-API-Key\n" + "      api_key_hash: '" + kSha256Hash +
                    "'\n" + "      bearer_token_hash: \"" + kPbkdf2Hash + "\"\n"));
  ASSERT_OK(config);
  EXPECT_TRUE(config->auth.enabled);
  EXPECT_EQ(config->auth.realm, "SIS of Example");
  ASSERT_EQ(config->auth.clients.size(), 2u);
  const auto& basic = config->auth.clients[0];
  EXPECT_EQ(basic.name, "surf-basic");
  EXPECT_EQ(basic.basic_user, "surf");
  EXPECT_EQ(basic.basic_password_hash, kPbkdf2Hash);
  EXPECT_TRUE(basic.api_key_header.empty());
  EXPECT_EQ(basic.origin, "etc/ooapi.yaml:5");
  const auto& key = config->auth.clients[1];
  EXPECT_EQ(key.name, "surf-key");
  EXPECT_EQ(key.api_key_header, "X-API-Key");
  EXPECT_EQ(key.api_key_hash, kSha256Hash);
  EXPECT_EQ(key.bearer_token_hash, kPbkdf2Hash);
}

TEST(ConfigAuthTest, OffByDefaultAndClientsMayBeListedWhileOff) {
  StatusOr<Config> config = Load(AuthYaml(
      std::string("    - name: a\n      bearer_token_hash: ") + kSha256Hash + "\n", "false"));
  ASSERT_OK(config);
  EXPECT_FALSE(config->auth.enabled);
  EXPECT_EQ(config->auth.clients.size(), 1u);
  EXPECT_FALSE(Config().auth.enabled);
}

TEST(ConfigAuthTest, EnvironmentOverridesScalarsButNotTheList) {
  const std::string yaml = AuthYaml(
      std::string("    - name: a\n      bearer_token_hash: ") + kSha256Hash + "\n", "false");
  StatusOr<Config> config =
      Load(yaml, {{"OOAPI_AUTH__ENABLED", "true"}, {"OOAPI_AUTH__REALM", "other"}});
  ASSERT_OK(config);
  EXPECT_TRUE(config->auth.enabled);
  EXPECT_EQ(config->auth.realm, "other");
  EXPECT_EQ(ErrorOf(Load(yaml, {{"OOAPI_AUTH__CLIENTS", "x"}})),
            "environment OOAPI_AUTH__CLIENTS: auth.clients is a list and can only be set in the "
            "configuration file");
  EXPECT_STARTS_WITH(ErrorOf(Load("", {{"OOAPI_AUTH__ENABLED", "true"}})),
                     "environment OOAPI_AUTH__ENABLED: auth.enabled is true but auth.clients "
                     "lists no client");
}

TEST(ConfigAuthTest, EnabledWithoutClientsRejected) {
  EXPECT_EQ(ErrorOf(Load("auth:\n  enabled: true\n")),
            "etc/ooapi.yaml:2: auth.enabled is true but auth.clients lists no client");
  EXPECT_EQ(ErrorOf(Load("auth:\n  enabled: true\n  clients:\n")),
            "etc/ooapi.yaml:2: auth.enabled is true but auth.clients lists no client");
}

TEST(ConfigAuthTest, UnknownClientKeyNamesFileLineAndKnownKeys) {
  std::string m = ErrorOf(
      Load(AuthYaml(std::string("    - name: a\n") + "      bearer_token_hash: " + kSha256Hash +
                    "\n" + "      token_hash: x\n")));
  EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:7: unknown key 'token_hash' in auth.clients[0]");
  EXPECT_CONTAINS(m,
                  "(known: name, basic_user, basic_password_hash, api_key_header, "
                  "api_key_hash, bearer_token_hash)");
  EXPECT_STARTS_WITH(ErrorOf(Load("auth:\n  client:\n    - name: a\n")),
                     "etc/ooapi.yaml:2: unknown key 'client' in section 'auth' (known: enabled, "
                     "realm, clients)");
}

TEST(ConfigAuthTest, WrongTypesRejectedWithLine) {
  EXPECT_EQ(ErrorOf(Load(AuthYaml("    - name:\n        - a\n"))),
            "etc/ooapi.yaml:5: auth.clients[0].name: expected a string, got a list");
  EXPECT_EQ(ErrorOf(Load(AuthYaml("    - name:\n"))),
            "etc/ooapi.yaml:5: auth.clients[0].name: expected a string, got nothing");
  EXPECT_STARTS_WITH(ErrorOf(Load("auth:\n  clients:\n    name: a\n")),
                     "etc/ooapi.yaml:2: auth.clients must be a list of clients");
  EXPECT_STARTS_WITH(ErrorOf(Load("auth:\n  clients:\n    - just-a-name\n")),
                     "etc/ooapi.yaml:3: auth.clients[0] must be a mapping");
  EXPECT_STARTS_WITH(ErrorOf(Load("auth:\n  enabled: yes\n")),
                     "etc/ooapi.yaml:2: auth.enabled: expected true or false, got 'yes'");
}

TEST(ConfigAuthTest, DuplicatesRejectedWithBothLines) {
  const std::string bearer = std::string("      bearer_token_hash: ") + kSha256Hash + "\n";
  EXPECT_EQ(ErrorOf(Load(AuthYaml("    - name: surf\n" + bearer + "    - name: surf\n" + bearer))),
            "etc/ooapi.yaml:7: auth.clients[1]: duplicate client name 'surf' (first at line 5)");
  EXPECT_EQ(ErrorOf(Load(AuthYaml("    - name: a\n" + bearer + "      name: b\n"))),
            "etc/ooapi.yaml:7: duplicate key 'name' in auth.clients[0] (first at line 5)");
  const std::string basic =
      std::string("      basic_user: surf\n      basic_password_hash: ") + kPbkdf2Hash + "\n";
  EXPECT_EQ(ErrorOf(Load(AuthYaml("    - name: a\n" + basic + "    - name: b\n" + basic))),
            "etc/ooapi.yaml:8: auth.clients[1]: basic_user 'surf' is already used by the client "
            "at line 5");
}

TEST(ConfigAuthTest, IncompleteClientsRejected) {
  EXPECT_EQ(ErrorOf(Load(AuthYaml(std::string("    - bearer_token_hash: ") + kSha256Hash + "\n"))),
            "etc/ooapi.yaml:5: auth.clients[0]: name is required");
  EXPECT_STARTS_WITH(ErrorOf(Load(AuthYaml("    - name: lonely\n"))),
                     "etc/ooapi.yaml:5: auth.clients[0]: client 'lonely' has no credentials");
  EXPECT_EQ(ErrorOf(Load(AuthYaml("    - name: a\n      basic_user: surf\n"))),
            "etc/ooapi.yaml:5: auth.clients[0]: basic_user and basic_password_hash go together");
  EXPECT_EQ(ErrorOf(Load(
                AuthYaml(std::string("    - name: a\n      api_key_hash: ") + kSha256Hash + "\n"))),
            "etc/ooapi.yaml:5: auth.clients[0]: api_key_header and api_key_hash go together");
}

TEST(ConfigAuthTest, BadValuesRejected) {
  EXPECT_STARTS_WITH(ErrorOf(Load(AuthYaml("    - name: 'has space'\n"))),
                     "etc/ooapi.yaml:5: auth.clients[0].name: must be 1..64 characters");
  EXPECT_STARTS_WITH(
      ErrorOf(Load(AuthYaml("    - name: a\n      basic_user: 'a:b'\n"))),
      "etc/ooapi.yaml:6: auth.clients[0].basic_user: must be non-empty, without ':'");
  EXPECT_STARTS_WITH(
      ErrorOf(Load(AuthYaml("    - name: a\n      api_key_header: Authorization\n"))),
      "etc/ooapi.yaml:6: auth.clients[0].api_key_header: must not be "
      "'Authorization' (for 'Authorization: Bearer <key>' use bearer_token_hash");
  EXPECT_STARTS_WITH(
      ErrorOf(Load(AuthYaml("    - name: a\n      api_key_header: 'X Key'\n"))),
      "etc/ooapi.yaml:6: auth.clients[0].api_key_header: must be an HTTP header name");
  EXPECT_STARTS_WITH(ErrorOf(Load("auth:\n  realm: 'a\"b'\n")),
                     "etc/ooapi.yaml:2: auth.realm must be printable ASCII");
}

TEST(ConfigAuthTest, PlaintextAndMalformedHashesRejectedWithoutEchoingThem) {
  for (const std::string& bad :
       {std::string("hunter2-plaintext"), std::string("sha256$abc"),
        std::string("sha256$") + std::string(63, 'a') + "Z",
        std::string("pbkdf2-sha256$999$MDEyMzQ1Njc4OWFiY2RlZg==$") +
            "R9YfMf7zcL7ozZT8JIy/zWtSg8/vgeSynGD+jCoSLk4=",
        std::string("pbkdf2-sha256$1000$c2FsdA==$R9YfMf7zcL7ozZT8JIy/zWtSg8/vgeSynGD+jCoSLk4="),
        std::string("pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$short"),
        std::string("pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==")}) {
    const std::string m =
        ErrorOf(Load(AuthYaml("    - name: a\n      bearer_token_hash: '" + bad + "'\n")));
    EXPECT_STARTS_WITH(m, "etc/ooapi.yaml:6: auth.clients[0].bearer_token_hash: ") << bad;
    EXPECT_EQ(m.find(bad), std::string::npos) << "the message must not repeat the value: " << m;
  }
  EXPECT_CONTAINS(ErrorOf(Load(AuthYaml("    - name: a\n      bearer_token_hash: hunter2\n"))),
                  "plaintext secrets are not accepted");
}

TEST(ConfigSyncTest, SurfeduhubAndAdminSections) {
  StatusOr<Config> config =
      Load(std::string("surfeduhub:\n  base_url: https://rio.example\n  token_url: "
                       "https://auth.example/token\n  client_id: inst\n  poll_initial_ms: 500\n"
                       "admin:\n  enabled: true\n  port: 0\n  clients:\n    - name: beheer\n"
                       "      bearer_token_hash: ") +
           kSha256Hash + "\n");
  ASSERT_OK(config);
  EXPECT_EQ(config->surfeduhub.base_url, "https://rio.example");
  EXPECT_EQ(config->surfeduhub.client_secret_env, "SURFEDUHUB_CLIENT_SECRET");
  EXPECT_EQ(config->surfeduhub.poll_initial_ms, 500);
  EXPECT_EQ(config->admin.address, "127.0.0.1");
  ASSERT_EQ(config->admin.clients.size(), 1u);
  EXPECT_EQ(config->admin.clients[0].name, "beheer");
  EXPECT_TRUE(config->auth.clients.empty()) << "admin clients are not OOAPI clients";
  StatusOr<Config> env =
      Load("", {{"OOAPI_SURFEDUHUB__BASE_URL", "https://other"}, {"OOAPI_ADMIN__PORT", "9"}});
  ASSERT_OK(env);
  EXPECT_EQ(env->surfeduhub.base_url, "https://other");
  EXPECT_EQ(env->admin.port, 9);
}

TEST(ConfigSyncTest, AdminNeedsClientsAndPollingMustGrow) {
  EXPECT_EQ(ErrorOf(Load("admin:\n  enabled: true\n")),
            "etc/ooapi.yaml:2: admin.enabled is true but admin.clients lists no client");
  EXPECT_EQ(ErrorOf(Load("surfeduhub:\n  poll_initial_ms: 5000\n  poll_max_ms: 1000\n")),
            "etc/ooapi.yaml:3: surfeduhub.poll_max_ms must not be below "
            "surfeduhub.poll_initial_ms");
  EXPECT_STARTS_WITH(ErrorOf(Load("admin:\n  clients:\n    - name: x\n      token: y\n")),
                     "etc/ooapi.yaml:4: unknown key 'token' in admin.clients[0]");
  EXPECT_CONTAINS(ErrorOf(Load("", {{"OOAPI_ADMIN__CLIENTS", "x"}})),
                  "admin.clients is a list and can only be set in the configuration file");
}
