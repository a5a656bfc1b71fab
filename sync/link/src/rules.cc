#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/config/config.h"
#include "ooapi/sync/rio/classify.h"
#include "ooapi/sync/link/ledger.h"
#include "ooapi/sync/link/rules.h"

namespace ooapi::sync {
namespace {

bool IsOpleidingseenheidCode(std::string_view code) {
  if (code.size() != 9 || code[4] != 'O') return false;
  for (size_t i = 0; i < 9; ++i) {
    if (i != 4 && (std::isdigit(static_cast<unsigned char>(code[i])) == 0)) return false;
  }
  return true;
}

ItemKind KindOf(const std::string& type) {
  return type == "education-specifications" ? ItemKind::kOe : ItemKind::kAo;
}

}  // namespace

LinkIndex::LinkIndex(const Snapshot& snapshot)
    : snapshot_id_(snapshot.id), bestuur_(snapshot.bestuur) {
  for (const Item& item : snapshot.items) {
    if (item.kind != ItemKind::kOe && item.kind != ItemKind::kAo) continue;
    std::string key;
    if (const std::string* value = item.Value(EigenSleutelColumn(item.kind))) {
      key = std::string(TrimAscii(*value));
    }
    // The first item of a code wins, as a pass in snapshot order would find it.
    auto [it, inserted] = by_code_.try_emplace({item.kind, ToLowerAscii(item.code)});
    if (inserted) {
      it->second.in_snapshot = true;
      it->second.kind = item.kind;
      it->second.key = key;
      it->second.edudex = item.classification == "edudex";
    }
    if (!key.empty()) by_key_[{item.kind, ToLowerAscii(key)}].push_back(item.code);
  }
}

RioItemState LinkIndex::Lookup(const std::string& type, const std::string& rio_code) const {
  RioItemState state;
  state.kind = KindOf(type);
  auto it = by_code_.find({state.kind, ToLowerAscii(rio_code)});
  if (it != by_code_.end()) state = it->second;
  if (state.kind == ItemKind::kAo && IsEduDexAoCode(rio_code)) state.edudex = true;
  if (state.kind == ItemKind::kOe && IsEduDexOeKey(state.key)) state.edudex = true;
  return state;
}

std::string LinkIndex::OtherWithKey(ItemKind kind, const std::string& key,
                                    const std::string& except_code) const {
  auto it = by_key_.find({kind, ToLowerAscii(key)});
  if (it == by_key_.end()) return "";
  const std::string except = ToLowerAscii(except_code);
  for (const std::string& code : it->second) {
    if (ToLowerAscii(code) != except) return code;
  }
  return "";
}

RioItemState LookupRioItem(const Snapshot& snapshot, const std::string& type,
                           const std::string& rio_code) {
  return LinkIndex(snapshot).Lookup(type, rio_code);
}

LinkCheck CheckLinkOp(const LinkOp& op, const Snapshot* snapshot, const LinkCheckOptions& options) {
  if (snapshot == nullptr) return CheckLinkOp(op, static_cast<const LinkIndex*>(nullptr), options);
  const LinkIndex index(*snapshot);
  return CheckLinkOp(op, &index, options);
}

LinkCheck CheckLinkOp(const LinkOp& op, const LinkIndex* index, const LinkCheckOptions& options) {
  LinkCheck check;
  auto refuse = [&](std::string message) {
    check.status = InvalidArgument(std::move(message));
    return check;
  };
  if (op.action != SurfAction::kLink && op.action != SurfAction::kUnlink) {
    return refuse("action: only link and unlink are checked here");
  }
  if (!IsSurfType(op.type)) {
    return refuse("type: '" + op.type +
                  "' is not one of education-specifications, programs, courses");
  }
  if (op.type == "education-specifications") {
    if (!IsOpleidingseenheidCode(op.rio_code)) {
      return refuse("rio code: '" + op.rio_code +
                    "' is not an opleidingseenheidcode (4 digits, 'O', 4 digits, e.g. 1234O5678)");
    }
  } else if (!IsUuid(op.rio_code)) {
    return refuse("rio code: '" + op.rio_code + "' is not an aangeboden-opleidingcode (a UUID)");
  }
  if (op.action == SurfAction::kLink && !IsLowercaseUuid(op.id)) {
    return refuse(
        "id: '" + op.id +
        "' must be a lowercase UUID (our OOAPI id; the mapper stores it exactly as sent)");
  }
  if (op.action == SurfAction::kUnlink && !op.id.empty()) {
    return refuse("id: unlink takes no id");
  }
  if (index == nullptr) {
    check.notes.push_back("no rio import snapshot: the current key of " + op.rio_code +
                          " is unknown, and so is whether RIO knows the code");
    return check;
  }
  const RioItemState state = index->Lookup(op.type, op.rio_code);
  if (state.edudex && !options.include_edudex) {
    return refuse(op.rio_code +
                  " is managed by EDU-DEX (sync guide §4.1): take it out of the EDU-DEX feed "
                  "first, then pass --include-edudex");
  }
  if (!state.in_snapshot) {
    std::string message = op.rio_code + " is not in snapshot " +
                          std::to_string(index->snapshot_id()) + " (bestuur " + index->bestuur() +
                          "): if RIO does not know it, the mapper retries and ends the job "
                          "'time-out'";
    if (!options.force) return refuse(message + "; pass --force to send it anyway");
    check.notes.push_back(message);
    return check;
  }
  if (op.action == SurfAction::kUnlink) {
    if (state.key.empty()) {
      check.notes.push_back(op.rio_code + " has no key in snapshot " +
                            std::to_string(index->snapshot_id()) + ": unlink changes nothing");
    } else {
      check.key_lost = state.key;
      check.notes.push_back("removes key '" + state.key + "' from " + op.rio_code);
    }
    return check;
  }
  if (!state.key.empty() && ToLowerAscii(state.key) != op.id) {
    check.key_lost = state.key;
    std::string message = op.rio_code + " carries key '" + state.key +
                          "'; linking overwrites it irrevocably (the key is lost)";
    if (!options.force) return refuse(message + "; pass --force to do it anyway");
    check.notes.push_back(message);
  } else if (!state.key.empty() && state.key != op.id) {
    check.notes.push_back(op.rio_code + " carries the same key in other case ('" + state.key +
                          "'); it is rewritten in lower case");
  }
  const std::string other = index->OtherWithKey(state.kind, op.id, op.rio_code);
  if (!other.empty()) {
    std::string message = "key " + op.id + " is already on " + other +
                          "; RIO refuses a second item with the same key (" +
                          (state.kind == ItemKind::kOe ? "P01081" : "A01160") + "): unlink it there first";
    if (!options.force) return refuse(message);
    check.notes.push_back(message);
  }
  return check;
}

}  // namespace ooapi::sync

namespace ooapi::sync {

StatusOr<SurfOptions> SurfOptionsFromConfig(const config::SurfeduhubConfig& c) {
  if (c.base_url.empty()) {
    return InvalidArgument("surfeduhub.base_url is not set (the RIO mapper API's URL)");
  }
  if (c.token_url.empty()) {
    return InvalidArgument("surfeduhub.token_url is not set (the OAuth2 token endpoint)");
  }
  if (c.client_id.empty()) return InvalidArgument("surfeduhub.client_id is not set");
  SurfOptions o;
  o.base_url = c.base_url;
  o.token_url = c.token_url;
  o.client_id = c.client_id;
  o.audience = c.audience;
  o.connect_timeout_s = c.connect_timeout_s;
  o.request_timeout_s = c.request_timeout_s;
  if (!c.client_secret_file.empty()) {
    std::ifstream in(c.client_secret_file, std::ios::binary);
    if (!in) {
      return InvalidArgument("surfeduhub.client_secret_file: cannot read " + c.client_secret_file);
    }
    std::stringstream text;
    text << in.rdbuf();
    o.client_secret = std::string(TrimAscii(text.str()));
    if (o.client_secret.empty()) {
      return InvalidArgument("surfeduhub.client_secret_file: " + c.client_secret_file +
                             " is empty");
    }
  } else {
    const char* secret =
        c.client_secret_env.empty() ? nullptr : std::getenv(c.client_secret_env.c_str());
    if (secret == nullptr || *secret == '\0') {
      return InvalidArgument(
          "surfeduhub: no client secret: set the environment variable " +
          (c.client_secret_env.empty() ? std::string("(none configured)") : c.client_secret_env) +
          " or surfeduhub.client_secret_file");
    }
    o.client_secret = secret;
  }
  return o;
}

namespace {

// "done", with the key change the mapper reported in the job's attributes.
std::string DescribeDone(const std::string& what, const LedgerJob& job) {
  rapidjson::Document doc;
  doc.Parse(job.attributes.c_str(), job.attributes.size());
  if (doc.HasParseError() || !doc.IsObject()) return what + ": done";
  for (const auto& member : doc.GetObject()) {
    if (!member.value.IsObject()) continue;
    const auto& v = member.value;
    auto diff = v.FindMember("diff");
    if (diff != v.MemberEnd() && diff->value.IsBool() && !diff->value.GetBool()) {
      return what + ": done, key unchanged";
    }
    auto text = [&](const char* name) -> std::string {
      auto it = v.FindMember(name);
      return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "(none)";
    };
    return what + ": done, " + member.name.GetString() + " " + text("old-id") + " -> " +
           text("new-id");
  }
  return what + ": done";
}

std::string DescribeError(const std::string& what, const LedgerJob& job) {
  if (job.message.find("P01081") != std::string::npos ||
      job.message.find("A01160") != std::string::npos) {
    return what + ": error: RIO refused the key " + job.sis_id +
           " because another RIO item already carries it (" + job.message +
           "); unlink it there first";
  }
  return what + ": error in phase " + (job.phase.empty() ? "?" : job.phase) + ": " + job.message;
}

std::string DescribeTimeOut(const std::string& what, const LedgerJob& job) {
  if (job.phase == "resolving" && job.message.find("404") != std::string::npos) {
    return what + ": time-out: RIO does not know " + job.rio_code +
           " (the mapper could not load it and gave up after its retries: " + job.message + ")";
  }
  return what + ": time-out: the mapper kept failing and gave up" +
         (job.phase.empty() ? "" : " in phase " + job.phase) +
         (job.message.empty() ? "" : ": " + job.message);
}

}  // namespace

std::string DescribeJob(const LedgerJob& job) {
  const std::string what = std::string(SurfActionName(job.action)) + " " + job.rio_code;
  switch (job.state) {
    case JobState::kDone:
      return DescribeDone(what, job);
    case JobState::kError:
      return DescribeError(what, job);
    case JobState::kTimeOut:
      return DescribeTimeOut(what, job);
    case JobState::kRejected:
      return what + ": refused by SURFeduhub: " + job.message;
    case JobState::kInDoubt:
      return what + ": in doubt: it may have been queued at SURFeduhub (" + job.message +
             "); check RIO, then run again with --resubmit-in-doubt to send it again";
    case JobState::kSubmitted:
      return what + ": " + (job.status.empty() ? "submitted" : job.status) + ", token " +
             job.token;
    case JobState::kIntent:
    case JobState::kSubmitting:
      break;
  }
  return what + ": " + std::string(JobStateName(job.state)) +
         (job.message.empty() ? "" : " (last: " + job.message + ")");
}

void WriteJobMembers(json::Writer& w, const LedgerJob& j, const std::string& summary,
                     const std::vector<LedgerEvent>* events) {
  auto str = [&](const char* key, const std::string& value) {
    w.Key(key);
    if (IsValidUtf8(value)) {
      w.String(value);
      return;
    }
    std::string shown = value;
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    w.String(shown);
  };
  w.Key("id");
  w.Int64(j.id);
  str("action", std::string(SurfActionName(j.action)));
  str("type", j.type);
  str("rio_code", j.rio_code);
  str("id_sent", j.sis_id);
  str("state", std::string(JobStateName(j.state)));
  str("token", j.token);
  str("status", j.status);
  str("phase", j.phase);
  str("message", j.message);
  w.Key("attributes");
  rapidjson::Document attributes;
  attributes.Parse<rapidjson::kParseValidateEncodingFlag>(j.attributes.c_str(),
                                                          j.attributes.size());
  if (!j.attributes.empty() && !attributes.HasParseError()) {
    attributes.Accept(w);
  } else {
    w.Null();
  }
  str("key_lost", j.key_lost);
  str("source", std::string(JobSourceName(j.source)));
  str("actor", j.actor);
  w.Key("attempts");
  w.Int64(j.attempts);
  str("created_at", j.created_at);
  str("updated_at", j.updated_at);
  str("submitted_at", j.submitted_at);
  str("finished_at", j.finished_at);
  str("summary", summary);
  if (events != nullptr) {
    w.Key("events");
    w.StartArray();
    for (const LedgerEvent& e : *events) {
      w.StartObject();
      str("at", e.at);
      str("state", std::string(JobStateName(e.state)));
      str("detail", e.detail);
      w.EndObject();
    }
    w.EndArray();
  }
}

}  // namespace ooapi::sync
