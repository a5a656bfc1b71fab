#include "ooapi/config/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ooapi/common/strings.h"
#include "ooapi/crypto/secret_hash.h"

#include <unistd.h>  // environ (g++ defines _GNU_SOURCE, which declares it)

namespace ooapi::config {
namespace {

// ---------------------------------------------------------------------------------------------
// The field table: the single description of every setting. YAML keys, sections, environment
// names, "known" lists and validation are all derived from it, so adding a setting is one line.
// ---------------------------------------------------------------------------------------------

using IntTarget = int* (*)(Config&);
using BoolTarget = bool* (*)(Config&);
using StringTarget = std::string* (*)(Config&);

struct Field {
  std::string_view path;  // dotted key path, e.g. "sis.sqlite.path"
  std::variant<IntTarget, BoolTarget, StringTarget> target;
  int64_t min = 0;                       // ints: inclusive range
  int64_t max = 0;                       //
  bool non_empty = false;                // strings: "" is rejected
  std::vector<std::string_view> one_of;  // strings: the allowed values; empty = any
};

Field IntField(std::string_view path, int64_t min, int64_t max, IntTarget target) {
  return {path, target, min, max, false, {}};
}
Field BoolField(std::string_view path, BoolTarget target) {
  return {path, target, 0, 0, false, {}};
}
Field StringField(std::string_view path, StringTarget target, bool non_empty = false,
                  std::vector<std::string_view> one_of = {}) {
  return {path, target, 0, 0, non_empty, std::move(one_of)};
}

// The member expression is also the key path: OOAPI_INT(server.port, ...) is "server.port".
#define OOAPI_INT(member, min, max) IntField(#member, min, max, [](Config& c) { return &c.member; })
#define OOAPI_BOOL(member) BoolField(#member, [](Config& c) { return &c.member; })
#define OOAPI_STRING(member, ...) \
  StringField(#member, [](Config& c) { return &c.member; } __VA_OPT__(, ) __VA_ARGS__)

constexpr bool kNonEmpty = true;

// In the order of config.h; that order is used in "known" lists.
const std::vector<Field>& Fields() {
  static const auto* const fields = new std::vector<Field>{
      OOAPI_STRING(server.address, kNonEmpty),
      OOAPI_INT(server.port, 0, 65535),
      OOAPI_INT(server.threads, 1, 256),
      OOAPI_INT(server.workers, 1, 1024),
      OOAPI_INT(server.max_queued, 0, 1000000),
      OOAPI_INT(server.max_request_bytes, 1024, 16777216),
      OOAPI_INT(server.header_timeout_ms, 100, 600000),
      OOAPI_INT(server.body_timeout_ms, 100, 600000),
      OOAPI_INT(server.keepalive_timeout_s, 1, 86400),
      OOAPI_INT(server.drain_timeout_ms, 0, 600000),
      OOAPI_STRING(service.contact_email),
      OOAPI_STRING(service.specification),
      OOAPI_STRING(service.documentation),
      OOAPI_STRING(sis.adapter, kNonEmpty),
      OOAPI_INT(sis.pool_size, 0, 1024),
      OOAPI_INT(sis.acquire_timeout_ms, 1, 600000),
      OOAPI_STRING(sis.sqlite.path),  // non-empty when sis.adapter is "sqlite", see Validate()
      OOAPI_INT(sis.sqlite.busy_timeout_ms, 0, 600000),
      OOAPI_STRING(sis.table_prefix),
      OOAPI_STRING(sis.postgres.host, kNonEmpty),
      OOAPI_INT(sis.postgres.port, 1, 65535),
      OOAPI_STRING(sis.postgres.database, kNonEmpty),
      OOAPI_STRING(sis.postgres.user, kNonEmpty),
      OOAPI_STRING(sis.postgres.password_env),
      OOAPI_STRING(sis.postgres.password_file),
      OOAPI_STRING(sis.postgres.sslmode, kNonEmpty,
                   {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}),
      OOAPI_STRING(sis.postgres.schema),
      OOAPI_INT(sis.postgres.statement_timeout_ms, 0, 600000),
      OOAPI_INT(sis.postgres.connect_timeout_s, 1, 60),
      OOAPI_STRING(offerings.default_window, kNonEmpty, {"all", "spec"}),
      OOAPI_STRING(logging.level, kNonEmpty, {"debug", "info", "warn", "error"}),
      OOAPI_BOOL(logging.access_log),
      OOAPI_BOOL(auth.enabled),
      OOAPI_STRING(auth.realm, kNonEmpty),  // printable ASCII without '"' and '\\', see Validate()
      OOAPI_STRING(surfeduhub.base_url),
      OOAPI_STRING(surfeduhub.token_url),
      OOAPI_STRING(surfeduhub.client_id),
      OOAPI_STRING(surfeduhub.client_secret_env),
      OOAPI_STRING(surfeduhub.client_secret_file),
      OOAPI_STRING(surfeduhub.audience),
      OOAPI_INT(surfeduhub.connect_timeout_s, 1, 600),
      OOAPI_INT(surfeduhub.request_timeout_s, 1, 3600),
      OOAPI_INT(surfeduhub.max_in_flight, 1, 64),
      OOAPI_INT(surfeduhub.poll_initial_ms, 10, 600000),
      OOAPI_INT(surfeduhub.poll_max_ms, 10, 3600000),
      OOAPI_STRING(surfeduhub.callback_base_url),
      OOAPI_BOOL(admin.enabled),
      OOAPI_STRING(admin.address, kNonEmpty),
      OOAPI_INT(admin.port, 0, 65535),
      OOAPI_STRING(admin.db, kNonEmpty),
      OOAPI_STRING(admin.audit_log, kNonEmpty),
  };
  return *fields;
}

#undef OOAPI_INT
#undef OOAPI_BOOL
#undef OOAPI_STRING

// Keys whose value is a list of mappings, read by their own code rather than the field table (and
// so not settable from the environment). They still appear in "known" lists.
constexpr std::string_view kListKeys[] = {"auth.clients", "admin.clients"};

// Environment variables with these prefixes belong to the test tooling and are never settings.
constexpr std::string_view kIgnoredEnvPrefixes[] = {"OOAPI_TEST_", "OOAPI_KIT"};

// ---------------------------------------------------------------------------------------------
// Loading: values are collected per field (file, then environment on top), then validated and
// only then stored, so that an out-of-range integer never has to fit in an int first.
// ---------------------------------------------------------------------------------------------

using Value = std::variant<int64_t, bool, std::string>;

struct Setting {
  Value value;
  std::string origin;  // "<file>:<line>" or "environment OOAPI_X"; prefixes every message
};

using Settings = std::vector<std::optional<Setting>>;  // parallel to Fields()

std::string Quote(std::string_view text) {
  // Built with append: g++ 12 -O2 reports a false -Wrestrict for "'" + std::string(...) (GCC PR
  // 105329).
  std::string out;
  out.reserve(text.size() + 2);
  out.append(1, '\'').append(text).append(1, '\'');
  return out;
}

// Parses an unquoted scalar, or an environment value, by the field's type.
StatusOr<Value> ParseText(const Field& field, std::string_view text) {
  if (std::holds_alternative<IntTarget>(field.target)) {
    std::optional<int64_t> number = ParseInt64(text);
    if (!number) return InvalidArgument("expected an integer, got " + Quote(text));
    return Value(*number);
  }
  if (std::holds_alternative<BoolTarget>(field.target)) {
    if (text == "true") return Value(true);
    if (text == "false") return Value(false);
    return InvalidArgument("expected true or false, got " + Quote(text));
  }
  return Value(std::string(text));
}

std::string_view TypeName(const Field& field) {
  if (std::holds_alternative<IntTarget>(field.target)) return "an integer";
  if (std::holds_alternative<BoolTarget>(field.target)) return "true or false";
  return "a string";
}

StatusOr<Value> ParseNode(const Field& field, const YAML::Node& node) {
  const std::string expected = "expected " + std::string(TypeName(field)) + ", got ";
  if (node.IsNull()) return InvalidArgument(expected + "nothing");
  if (node.IsMap()) return InvalidArgument(expected + "a mapping");
  if (node.IsSequence()) return InvalidArgument(expected + "a list");
  if (!std::holds_alternative<StringTarget>(field.target)) {  // ints and bools: plain scalars only
    if (node.Tag() == "!") {
      return InvalidArgument(expected + "the quoted string " + Quote(node.Scalar()) +
                             " (remove the quotes)");
    }
    if (node.Tag() != "?") {
      return InvalidArgument(expected + "a value tagged " + Quote(node.Tag()) +
                             " (tags are not supported)");
    }
  }
  return ParseText(field, node.Scalar());
}

// The distinct names directly below `section` ("" = top level), in table order.
std::vector<std::string> ChildNames(std::string_view section) {
  std::vector<std::string> names;
  const std::string prefix = section.empty() ? "" : std::string(section) + ".";
  auto add = [&](std::string_view path) {
    if (!StartsWith(path, prefix)) return;
    std::string_view rest = path.substr(prefix.size());
    std::string name(rest.substr(0, rest.find('.')));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const Field& field : Fields()) add(field.path);
  for (std::string_view list_key : kListKeys) add(list_key);
  return names;
}

std::optional<size_t> FieldIndex(std::string_view path) {
  for (size_t i = 0; i < Fields().size(); ++i) {
    if (Fields()[i].path == path) return i;
  }
  return std::nullopt;
}

bool IsSection(std::string_view path) { return !path.empty() && !ChildNames(path).empty(); }

class FileReader {
 public:
  FileReader(std::string_view source, Settings* settings, std::vector<AuthClient>* clients,
             std::vector<AuthClient>* admin_clients)
      : source_(source), settings_(settings), clients_(clients), admin_clients_(admin_clients) {}

  std::string Where(const YAML::Mark& mark) const {
    if (mark.is_null()) return source_;
    return source_ + ":" + std::to_string(mark.line + 1);
  }
  Status Error(const YAML::Mark& mark, std::string_view problem) const {
    return InvalidArgument(Where(mark) + ": " + std::string(problem));
  }

  // Reads the mapping `node` found at `section` ("" = top level; `mark` is where it starts).
  Status ReadSection(const YAML::Node& node, const std::string& section, const YAML::Mark& mark) {
    const std::string what = section.empty() ? "the top level" : "section " + Quote(section);
    if (node.IsNull()) return Status::Ok();  // "server:" with every key commented out
    if (!node.IsMap()) {
      return Error(mark, what + " must be a mapping of keys to values, got " +
                             (node.IsSequence() ? "a list" : "the scalar " + Quote(node.Scalar())));
    }
    std::map<std::string, int> seen;  // key -> 1-based line of its first occurrence
    for (const auto& entry : node) {  // `entry` is a value: iterator->first would dangle
      const YAML::Node& key = entry.first;
      const YAML::Mark key_mark = key.Mark();
      if (!key.IsScalar()) return Error(key_mark, "a key in " + what + " is not a plain name");
      const std::string& name = key.Scalar();
      auto [first, inserted] = seen.emplace(name, key_mark.line + 1);
      if (!inserted) {
        return Error(key_mark, "duplicate key " + Quote(name) + " in " + what + " (first at line " +
                                   std::to_string(first->second) + ")");
      }
      const std::string path = section.empty() ? name : section + "." + name;
      if (path == "auth.clients" || path == "admin.clients") {
        OOAPI_RETURN_IF_ERROR(ReadClients(entry.second, key_mark, path,
                                          path == "auth.clients" ? clients_ : admin_clients_));
      } else if (std::optional<size_t> index = FieldIndex(path)) {
        StatusOr<Value> value = ParseNode(Fields()[*index], entry.second);
        if (!value.ok()) return Error(key_mark, path + ": " + value.status().message());
        (*settings_)[*index] = Setting{std::move(value).value(), Where(key_mark)};
      } else if (IsSection(path)) {
        OOAPI_RETURN_IF_ERROR(ReadSection(entry.second, path, key_mark));
      } else {
        return Error(key_mark, "unknown key " + Quote(name) + " in " + what +
                                   " (known: " + Join(ChildNames(section), ", ") + ")");
      }
    }
    return Status::Ok();
  }

 private:
  // auth.clients: a list of mappings, one per client (see AuthClient).
  Status ReadClients(const YAML::Node& node, const YAML::Mark& mark, const std::string& list,
                     std::vector<AuthClient>* clients) {
    clients->clear();
    if (node.IsNull()) return Status::Ok();  // "clients:" with nothing below: no clients
    if (!node.IsSequence()) {
      return Error(mark, list + " must be a list of clients (\"- name: ...\"), got " +
                             std::string(node.IsMap() ? "a mapping" : "a scalar"));
    }
    std::map<std::string, int> names;        // client name -> line
    std::map<std::string, int> basic_users;  // basic_user -> line
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      const std::string where = list + "[" + std::to_string(i) + "]";
      const YAML::Mark item_mark = item.Mark().is_null() ? mark : item.Mark();
      if (!item.IsMap()) {
        return Error(item_mark, where + " must be a mapping (name, basic_user, ...)");
      }
      AuthClient client;
      client.origin = Where(item_mark);
      std::map<std::string, int> seen;
      for (const auto& entry : item) {
        const YAML::Node& key = entry.first;
        const YAML::Mark key_mark = key.Mark();
        if (!key.IsScalar()) return Error(key_mark, "a key in " + where + " is not a plain name");
        const std::string& name = key.Scalar();
        auto [first, inserted] = seen.emplace(name, key_mark.line + 1);
        if (!inserted) {
          return Error(key_mark, "duplicate key " + Quote(name) + " in " + where +
                                     " (first at line " + std::to_string(first->second) + ")");
        }
        std::string* target = ClientField(client, name);
        if (target == nullptr) {
          return Error(key_mark, "unknown key " + Quote(name) + " in " + where +
                                     " (known: " + Join(ClientKeys(), ", ") + ")");
        }
        static const Field kClientString = StringField("auth.clients[].*", nullptr);
        StatusOr<Value> value = ParseNode(kClientString, entry.second);
        if (!value.ok())
          return Error(key_mark, where + "." + name + ": " + value.status().message());
        *target = std::get<std::string>(std::move(value).value());
        if (Status valid = CheckClientValue(name, *target); !valid.ok()) {
          return Error(key_mark, where + "." + name + ": " + valid.message());
        }
      }
      OOAPI_RETURN_IF_ERROR(CheckClient(client, where, item_mark));
      if (auto [first, inserted] = names.emplace(client.name, item_mark.line + 1); !inserted) {
        return Error(item_mark, where + ": duplicate client name " + Quote(client.name) +
                                    " (first at line " + std::to_string(first->second) + ")");
      }
      if (!client.basic_user.empty()) {
        auto [first, inserted] = basic_users.emplace(client.basic_user, item_mark.line + 1);
        if (!inserted) {
          return Error(item_mark, where + ": basic_user " + Quote(client.basic_user) +
                                      " is already used by the client at line " +
                                      std::to_string(first->second));
        }
      }
      clients->push_back(std::move(client));
    }
    return Status::Ok();
  }

  static std::vector<std::string> ClientKeys() {
    return {"name",           "basic_user",   "basic_password_hash",
            "api_key_header", "api_key_hash", "bearer_token_hash"};
  }

  static std::string* ClientField(AuthClient& c, std::string_view key) {
    if (key == "name") return &c.name;
    if (key == "basic_user") return &c.basic_user;
    if (key == "basic_password_hash") return &c.basic_password_hash;
    if (key == "api_key_header") return &c.api_key_header;
    if (key == "api_key_hash") return &c.api_key_hash;
    if (key == "bearer_token_hash") return &c.bearer_token_hash;
    return nullptr;
  }

  // Checks one value of a client entry on its own. Messages never repeat a hash or secret.
  static Status CheckClientValue(std::string_view key, const std::string& value) {
    if (key == "name") {
      if (value.empty() || value.size() > 64 ||
          !std::all_of(value.begin(), value.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || c == '.';
          })) {
        return InvalidArgument("must be 1..64 characters of A-Z a-z 0-9 . _ -, got " +
                               Quote(value));
      }
    } else if (key == "basic_user") {
      if (value.empty() || value.find(':') != std::string::npos ||
          std::any_of(value.begin(), value.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        return InvalidArgument("must be non-empty, without ':' or control characters");
      }
    } else if (key == "api_key_header") {
      if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
          })) {
        return InvalidArgument("must be an HTTP header name, got " + Quote(value));
      }
      const std::string lower = ToLowerAscii(value);
      if (lower == "authorization" || lower == "traceparent" || lower == "accept") {
        return InvalidArgument(
            "must not be " + Quote(value) +
            " (for 'Authorization: Bearer <key>' use bearer_token_hash instead)");
      }
    } else if (!value.empty()) {  // the three *_hash keys
      OOAPI_RETURN_IF_ERROR(crypto::CheckSecretHash(value));
    } else {
      return InvalidArgument("must not be empty (leave the key out instead)");
    }
    return Status::Ok();
  }

  // Checks a whole client entry: a name and at least one complete credential.
  Status CheckClient(const AuthClient& c, const std::string& where, const YAML::Mark& mark) const {
    if (c.name.empty()) return Error(mark, where + ": name is required");
    if (c.basic_user.empty() != c.basic_password_hash.empty()) {
      return Error(mark, where + ": basic_user and basic_password_hash go together");
    }
    if (c.api_key_header.empty() != c.api_key_hash.empty()) {
      return Error(mark, where + ": api_key_header and api_key_hash go together");
    }
    if (c.basic_user.empty() && c.api_key_header.empty() && c.bearer_token_hash.empty()) {
      return Error(mark, where + ": client " + Quote(c.name) +
                             " has no credentials (basic_user + basic_password_hash, "
                             "api_key_header + api_key_hash, or bearer_token_hash)");
    }
    return Status::Ok();
  }

  std::string source_;
  Settings* settings_;
  std::vector<AuthClient>* clients_;
  std::vector<AuthClient>* admin_clients_;
};

Status ReadYaml(std::string_view yaml, std::string_view source, Settings* settings,
                std::vector<AuthClient>* clients, std::vector<AuthClient>* admin_clients) {
  FileReader reader(source, settings, clients, admin_clients);
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(yaml));
    if (documents.size() > 1) {
      return reader.Error(documents[1].Mark(), "only one YAML document is allowed");
    }
    if (documents.empty()) return Status::Ok();  // empty, or only comments: all defaults
    return reader.ReadSection(documents[0], "", documents[0].Mark());
  } catch (const YAML::Exception& e) {
    return reader.Error(e.mark, "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {  // yaml-cpp may also throw std exceptions (bad_alloc)
    return InvalidArgument(std::string(source) + ": cannot parse YAML: " + e.what());
  }
}

bool IsIgnoredEnv(std::string_view name) {
  return std::ranges::any_of(kIgnoredEnvPrefixes,
                             [name](std::string_view prefix) { return StartsWith(name, prefix); });
}

Status ReadEnvironment(const Environment& env, Settings* settings) {
  for (const auto& [name, text] : env) {
    if (!StartsWith(name, "OOAPI_") || IsIgnoredEnv(name)) continue;
    const std::string origin = "environment " + name;
    for (std::string_view list_key : kListKeys) {
      if (StartsWith(name, EnvironmentName(list_key))) {
        return InvalidArgument(origin + ": " + std::string(list_key) +
                               " is a list and can only be set in the configuration file");
      }
    }
    std::optional<size_t> index;
    for (size_t i = 0; i < Fields().size() && !index; ++i) {
      if (EnvironmentName(Fields()[i].path) == name) index = i;
    }
    if (!index) {
      std::vector<std::string> known;
      for (const Field& field : Fields()) known.push_back(EnvironmentName(field.path));
      return InvalidArgument(origin + ": unknown setting (known: " + Join(known, ", ") + ")");
    }
    StatusOr<Value> value = ParseText(Fields()[*index], text);
    if (!value.ok()) return InvalidArgument(origin + ": " + value.status().message());
    (*settings)[*index] = Setting{std::move(value).value(), origin};
  }
  return Status::Ok();
}

// Checks every field's final value (set or default) and stores it into `config`.
Status Validate(const Settings& settings, Config* config) {
  for (size_t i = 0; i < Fields().size(); ++i) {
    const Field& field = Fields()[i];
    const std::optional<Setting>& setting = settings[i];
    const std::string prefix = setting ? setting->origin + ": " : "";
    const std::string path(field.path);
    if (const auto* int_target = std::get_if<IntTarget>(&field.target)) {
      int* out = (*int_target)(*config);
      const int64_t value = setting ? std::get<int64_t>(setting->value) : *out;
      if (value < field.min || value > field.max) {
        return InvalidArgument(prefix + path + " must be between " + std::to_string(field.min) +
                               " and " + std::to_string(field.max) + ", got " +
                               std::to_string(value));
      }
      *out = static_cast<int>(value);
    } else if (const auto* bool_target = std::get_if<BoolTarget>(&field.target)) {
      if (setting) *(*bool_target)(*config) = std::get<bool>(setting->value);
    } else {
      std::string* out = std::get<StringTarget>(field.target)(*config);
      if (setting) *out = std::get<std::string>(setting->value);
      if (field.non_empty && out->empty()) {
        return InvalidArgument(prefix + path + " must not be empty");
      }
      if (!field.one_of.empty() &&
          std::find(field.one_of.begin(), field.one_of.end(), *out) == field.one_of.end()) {
        std::vector<std::string> allowed(field.one_of.begin(), field.one_of.end());
        return InvalidArgument(prefix + path + " must be one of " + Join(allowed, ", ") + ", got " +
                               Quote(*out));
      }
    }
  }
  if (std::any_of(config->auth.realm.begin(), config->auth.realm.end(), [](char c) {
        return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
               static_cast<unsigned char>(c) >= 0x7f;
      })) {
    const std::optional<Setting>& setting = settings[*FieldIndex("auth.realm")];
    return InvalidArgument((setting ? setting->origin + ": " : "") +
                           "auth.realm must be printable ASCII without '\"' or '\\'");
  }
  if (config->auth.enabled && config->auth.clients.empty()) {
    const std::optional<Setting>& setting = settings[*FieldIndex("auth.enabled")];
    return InvalidArgument((setting ? setting->origin + ": " : "") +
                           "auth.enabled is true but auth.clients lists no client");
  }
  if (config->admin.enabled && config->admin.clients.empty()) {
    const std::optional<Setting>& setting = settings[*FieldIndex("admin.enabled")];
    return InvalidArgument((setting ? setting->origin + ": " : "") +
                           "admin.enabled is true but admin.clients lists no client");
  }
  if (config->surfeduhub.poll_max_ms < config->surfeduhub.poll_initial_ms) {
    const std::optional<Setting>& setting = settings[*FieldIndex("surfeduhub.poll_max_ms")];
    return InvalidArgument((setting ? setting->origin + ": " : "") +
                           "surfeduhub.poll_max_ms must not be below surfeduhub.poll_initial_ms");
  }
  if (config->sis.adapter == "sqlite" && config->sis.sqlite.path.empty()) {
    const std::optional<Setting>& setting = settings[*FieldIndex("sis.sqlite.path")];
    return InvalidArgument((setting ? setting->origin + ": " : "") +
                           "sis.sqlite.path must not be empty when sis.adapter is 'sqlite'");
  }
  return Status::Ok();
}

}  // namespace

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos || !StartsWith(text, "OOAPI_")) continue;
    env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return env;
}

StatusOr<Config> LoadConfigString(std::string_view yaml, std::string_view source_name,
                                  const Environment& env) {
  Settings settings(Fields().size());
  Config config;
  OOAPI_RETURN_IF_ERROR(
      ReadYaml(yaml, source_name, &settings, &config.auth.clients, &config.admin.clients));
  OOAPI_RETURN_IF_ERROR(ReadEnvironment(env, &settings));
  OOAPI_RETURN_IF_ERROR(Validate(settings, &config));
  return config;
}

StatusOr<Config> LoadConfigFile(const std::string& path, const Environment& env) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return InvalidArgument(path + ": cannot read file");
  std::string text;
  char buffer[8192];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return InvalidArgument(path + ": cannot read file");
  return LoadConfigString(text, path, env);
}

std::string EnvironmentName(std::string_view dotted_path) {
  std::string name = "OOAPI_";
  for (char c : dotted_path) {
    if (c == '.') {
      name += "__";
    } else {
      name += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
  }
  return name;
}

}  // namespace ooapi::config
