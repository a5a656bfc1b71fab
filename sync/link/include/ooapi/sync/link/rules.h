#pragma once
// Local validation of link and unlink jobs before anything is sent to SURFeduhub, with
// the RIO mapper's own rules and what the latest `rio import` snapshot
// knows about the RIO item. Pure; thread-safe.

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ooapi/common/json.h"
#include "ooapi/common/status.h"
#include "ooapi/sync/rio/snapshot.h"
#include "ooapi/sync/link/surf.h"

namespace ooapi::sync {

struct LinkOp {
  SurfAction action = SurfAction::kLink;  // kLink or kUnlink
  std::string type;                       // education-specifications | programs | courses
  std::string rio_code;                   // opleidingseenheidcode or aangeboden-opleidingcode
  std::string id;                         // link: the new eigen sleutel; unlink: ""
};

struct LinkCheckOptions {
  bool force = false;           // overwrite another key, or send a code the snapshot lacks
  bool include_edudex = false;  // the item leaves the EDU-DEX feed (guide §4.1)
};

// What the snapshot says about the item a link targets.
struct RioItemState {
  bool in_snapshot = false;
  ItemKind kind = ItemKind::kOe;  // kOe or kAo
  std::string key;   // its current eigen sleutel ("" none)
  bool edudex = false;
};
RioItemState LookupRioItem(const Snapshot& snapshot, const std::string& type,
                           const std::string& rio_code);

// A snapshot's OEs and AOs indexed by code and by key (both case-insensitive), built once so that
// checking every entry of a plan costs one lookup each instead of a pass over all items.
class LinkIndex {
 public:
  explicit LinkIndex(const Snapshot& snapshot);
  // As LookupRioItem.
  RioItemState Lookup(const std::string& type, const std::string& rio_code) const;
  // The first item of `kind` (kOe or kAo), in snapshot order, other than `except_code` whose key
  // equals `key` (case-insensitive); "" when none.
  std::string OtherWithKey(ItemKind kind, const std::string& key,
                           const std::string& except_code) const;
  int64_t snapshot_id() const { return snapshot_id_; }
  const std::string& bestuur() const { return bestuur_; }

 private:
  int64_t snapshot_id_ = 0;
  std::string bestuur_;
  std::map<std::pair<ItemKind, std::string>, RioItemState> by_code_;  // lowercase code
  std::map<std::pair<ItemKind, std::string>, std::vector<std::string>> by_key_;  // lowercase key
                                                                                   // -> codes
};

struct LinkCheck {
  Status status;                   // kInvalidArgument: refused, nothing is sent
  std::string key_lost;            // the key this job removes or overwrites ("" none)
  std::vector<std::string> notes;  // things the admin must see before it runs
};

// The mapper's syntax rules (code shapes, lowercase UUID ids), then with a snapshot (nullptr: no
// import yet) the EDU-DEX rule, the overwrite rule (needs force; the lost key is reported), the
// unique-key rule (RIO rejects a key another item of the same kind carries: P01081/A01160) and
// unknown codes (the mapper ends those `time-out` after its retries). Messages name the field.
LinkCheck CheckLinkOp(const LinkOp& op, const LinkIndex* index, const LinkCheckOptions& options);
// The same, indexing `snapshot` first (for one check; index once for many).
LinkCheck CheckLinkOp(const LinkOp& op, const Snapshot* snapshot, const LinkCheckOptions& options);
// No snapshot at all (nothing imported yet): only the syntax rules.
inline LinkCheck CheckLinkOp(const LinkOp& op, std::nullptr_t, const LinkCheckOptions& options) {
  return CheckLinkOp(op, static_cast<const LinkIndex*>(nullptr), options);
}

}  // namespace ooapi::sync

namespace ooapi::config {
struct SurfeduhubConfig;
}

namespace ooapi::sync {

struct LedgerJob;
struct LedgerEvent;

// The client settings from the configuration, with the secret read from `client_secret_file` or
// the environment variable `client_secret_env`. kInvalidArgument naming the setting when
// something is missing.
StatusOr<SurfOptions> SurfOptionsFromConfig(const config::SurfeduhubConfig& config);

// One sentence on how a job ended (or where it is), in the admin's terms: the key change of a
// link, the RIO rejection codes P01081/A01160 as "key already used", a `time-out` in phase
// resolving as "RIO does not know the code", an in-doubt job as what to do next.
std::string DescribeJob(const LedgerJob& job);

// The members of one job (without the enclosing braces), as `jobs --format json`, `job` and the
// admin API show them: ids, states, the mapper's status, phase, message and attributes, the key
// lost, who asked, timestamps, `summary` (DescribeJob in the caller's wording) and, with
// `events`, its history. Never the callback secret. Text that is not UTF-8 is shown with '?'.
void WriteJobMembers(json::Writer& w, const LedgerJob& job, const std::string& summary,
                     const std::vector<LedgerEvent>* events);

}  // namespace ooapi::sync
