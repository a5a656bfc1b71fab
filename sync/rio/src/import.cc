#include "ooapi/sync/rio/import.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <stop_token>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "ooapi/common/json.h"
#include "ooapi/common/line_file.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/rio/classify.h"
#include "ooapi/sync/rio/csv.h"
#include "file_checksum.h"

namespace ooapi::sync {
namespace {

// ---- column specifications ------------------------------------------------------------------

// OE files (ho_opleidingen, ho_opleidingsonderdelen, nfo_opleidingen).
enum OeCol { kOeCode, kOeBeginPeriode, kOeOwner, kOeFirstValue };
const std::vector<ColumnSpec>& OeSpecs() {
  static const std::vector<ColumnSpec> specs = {
      {"OPLEIDINGSEENHEIDCODE", true},
      {"BEGINDATUM_PERIODE", true},
      {"EIGENAAR", true, {"ONDERWIJSBESTUURID", "ONDERWIJSBESTUURCODE"}},
      {"EINDDATUM_PERIODE", false},
      {"BEGINDATUM", false},
      {"EINDDATUM", false},
      {"SOORT", false},
      {"NIVEAU", false},
      {"VOLLEDIGE_NAAM", false, {"NAAM_LANG"}},
      {"KORTE_NAAM", false, {"NAAM_KORT"}},
      {"INTERNATIONALE_NAAM", false, {"INTERNATIONALE_NAAM_ENGELS"}},
      {"STUDIELAST", false},
      {"STUDIELASTEENHEID", false},
      {"WAARDEDOCUMENTSOORT", false},
      {"EIGEN_OPLEIDINGSEENHEIDSLEUTEL", false},
      {"OMSCHRIJVING", false},
  };
  return specs;
}

enum AoCol { kAoCode, kAoOeCode, kAoAanbieder, kAoBeginPeriode, kAoFirstValue };
const std::vector<ColumnSpec>& AoSpecs() {
  static const std::vector<ColumnSpec> specs = {
      {"AANGEBODEN_OPLEIDINGCODE", true},
      {"OPLEIDINGSEENHEIDCODE", true},
      {"ONDERWIJSAANBIEDERID", true, {"ONDERWIJSAANBIEDERCODE"}},
      {"BEGINDATUM_PERIODE", true},
      {"EINDDATUM_PERIODE", false},
      {"ONDERWIJSLOCATIECODE", false},
      {"BEGINDATUM", false},
      {"EINDDATUM", false},
      {"EERSTE_INSTROOMDATUM", false},
      {"LAATSTE_INSTROOMDATUM", false},
      {"EIGENNAAM", false},
      {"VORM", false},
      {"VOERTAAL", false},
      {"EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL", false},
      {"EIGEN_OMSCHRIJVING", false},
  };
  return specs;
}

enum CohortCol { kCoAoCode, kCoCode, kCoFirstValue };
const std::vector<ColumnSpec>& CohortSpecs() {
  static const std::vector<ColumnSpec> specs = {
      {"AANGEBODEN_OPLEIDINGCODE", true},
      {"COHORTCODE", true},
      {"COHORTSTATUS", false},
      {"BEGIN_AANMELDPERIODE", false},
      {"EINDE_AANMELDPERIODE", false},
      {"INSTROOMMOMENT", false},
      {"BEGIN_INSTROOMPERIODE", false},
      {"EINDE_INSTROOMPERIODE", false},
      {"EINDDATUM", false},
      {"OPLEIDINGSVORM", false},
      {"DEELNEMERSPLAATSEN", false},
  };
  return specs;
}

const std::vector<ColumnSpec>& RelationSpecs() {
  static const std::vector<ColumnSpec> specs = {
      {"ONDERWIJSBESTUURID", true, {"ONDERWIJSBESTUURCODE"}},
      {"ONDERWIJSAANBIEDERID", true, {"ONDERWIJSAANBIEDERCODE"}},
      {"EINDDATUM", false},
  };
  return specs;
}
const std::vector<ColumnSpec>& AanbiederSpecs() {
  static const std::vector<ColumnSpec> specs = {
      {"ONDERWIJSAANBIEDERID", true, {"ONDERWIJSAANBIEDERCODE"}},
      {"NAAM", false, {"NAAM_LANG"}},
      {"BEGINDATUM_PERIODE", false},
  };
  return specs;
}
const std::vector<ColumnSpec>& LocatieSpecs() {
  static const std::vector<ColumnSpec> specs = {
      {"ONDERWIJSLOCATIECODE", true},
      {"PLAATSNAAM", false},
  };
  return specs;
}
const std::vector<ColumnSpec>& OeRelationSpecs() {
  static const std::vector<ColumnSpec> specs = {
      {"RELATIESOORT", false},
      {"VAN_OPLEIDINGSEENHEIDCODE", true},
      {"NAAR_OPLEIDINGSEENHEIDCODE", true},
      {"EINDDATUM", false},
  };
  return specs;
}
const std::vector<ColumnSpec>& ErkenningSpecs() {
  static const std::vector<ColumnSpec> specs = {
      {"OPLEIDINGSEENHEIDCODE", true},
      {"ERKENDEOPLEIDINGSCODE", true},
      {"UNIEKE_ERKENDEOPLEIDINGSCODE", false},
  };
  return specs;
}

bool IsDateColumn(std::string_view name) {
  return name.find("DATUM") != std::string_view::npos ||
         name.find("INSTROOM") != std::string_view::npos ||
         name.find("AANMELDPERIODE") != std::string_view::npos;
}

// Columns kept per entity row, for values and periods (OMSCHRIJVING is checked, not kept).
bool IsKeptColumn(std::string_view name) {
  return name != "OMSCHRIJVING" && name != "EIGEN_OMSCHRIJVING";
}

uint64_t CodeHash(std::string_view code) { return std::hash<std::string_view>{}(code); }

// A set of 64-bit code hashes: open addressing with linear probing in one flat array (no node
// per code). Also used as a cheap filter in front of the string-keyed maps of scoped items.
class CodeSet {
 public:
  void Insert(uint64_t h) {
    if (h == 0) h = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t i = h & mask_;
    while (slots_[i] != 0) {
      if (slots_[i] == h) return;
      i = (i + 1) & mask_;
    }
    slots_[i] = h;
    ++size_;
  }
  void Insert(std::string_view code) { Insert(CodeHash(code)); }
  bool Contains(uint64_t h) const {
    if (size_ == 0) return false;
    if (h == 0) h = 1;
    for (size_t i = h & mask_; slots_[i] != 0; i = (i + 1) & mask_) {
      if (slots_[i] == h) return true;
    }
    return false;
  }
  bool Contains(std::string_view code) const { return Contains(CodeHash(code)); }
  // Where h's probe starts, to prefetch it (the national sets are larger than the caches).
  const uint64_t* Home(uint64_t h) const {
    return slots_.empty() ? nullptr : &slots_[(h == 0 ? 1 : h) & mask_];
  }
  // Inserts many hashes, prefetching their slots a few ahead.
  void InsertAll(const std::vector<uint64_t>& hashes) {
    while ((size_ + hashes.size() + 1) * 2 > slots_.size()) Grow();
    constexpr size_t kAhead = 16;
    for (size_t i = 0; i < hashes.size(); ++i) {
      if (i + kAhead < hashes.size()) __builtin_prefetch(Home(hashes[i + kAhead]), 1);
      Insert(hashes[i]);
    }
  }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (uint64_t h : old) {
      if (h != 0) Insert(h);
    }
  }
  std::vector<uint64_t> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Inserts into a CodeSet in batches (see InsertAll); Flush before the set is read.
class BatchedInserts {
 public:
  explicit BatchedInserts(CodeSet* set) : set_(set) {}
  void Add(uint64_t h) {
    pending_.push_back(h);
    if (pending_.size() == kBatch) Flush();
  }
  void Flush() {
    set_->InsertAll(pending_);
    pending_.clear();
  }

 private:
  static constexpr size_t kBatch = 4096;
  CodeSet* set_;
  std::vector<uint64_t> pending_;
};

// The orphan check of every record against a national CodeSet, in batches so the set's slots are
// prefetched. Counts the orphans and describes the first one (file order); Flush before reading.
class OrphanCheck {
 public:
  using Describe =
      std::function<std::string(std::string_view, std::string_view, const CsvPosition&)>;
  OrphanCheck(const CodeSet& set, Describe describe) : set_(set), describe_(std::move(describe)) {}
  // `a` and `b`: the codes the description names.
  void Add(uint64_t h, const CsvPosition& pos, std::string_view a, std::string_view b) {
    pending_.push_back({h, pos, text_.size(), a.size(), b.size()});
    text_.append(a).append(b);
    if (pending_.size() == kBatch) Flush();
  }
  void Flush() {
    constexpr size_t kAhead = 16;
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (i + kAhead < pending_.size()) __builtin_prefetch(set_.Home(pending_[i + kAhead].hash));
      const Pending& p = pending_[i];
      if (set_.Contains(p.hash)) continue;
      if (orphans_++ == 0) {
        const std::string_view text(text_);
        first_ = describe_(text.substr(p.text, p.a), text.substr(p.text + p.a, p.b), p.pos);
      }
    }
    pending_.clear();
    text_.clear();
  }
  int64_t orphans() const { return orphans_; }
  const std::string& first() const { return first_; }

 private:
  static constexpr size_t kBatch = 1024;
  struct Pending {
    uint64_t hash;
    CsvPosition pos;
    size_t text, a, b;
  };
  const CodeSet& set_;
  Describe describe_;
  std::vector<Pending> pending_;
  std::string text_;
  int64_t orphans_ = 0;
  std::string first_;
};

// ---- the files ------------------------------------------------------------------------------

struct Chain {  // AO file -> its OE file; cohort file -> its AO file
  std::string_view oe, ao, cohort, sector;
};
const std::vector<Chain>& Chains() {
  static const std::vector<Chain> chains = {
      {"ho_opleidingen", "aangeboden_ho_opleidingen", "aangeboden_ho_opleiding_cohorten", "HO"},
      {"ho_opleidingsonderdelen", "aangeboden_ho_opleidingsonderdelen",
       "aangeboden_ho_opleidingsonderdeel_cohorten", "HO"},
      {"nfo_opleidingen", "aangeboden_nfo_opleidingen", "aangeboden_nfo_opleiding_cohorten", "NFO"},
  };
  return chains;
}

// ---- one period row of an entity ------------------------------------------------------------

struct Row {
  std::vector<std::string> values;  // parallel to the kept columns of its file
};

struct Entity {
  std::string sector;
  std::string file;
  std::string parent;  // AO: OE code
  bool in_bestuur = false;
  std::vector<Row> rows;
};

struct KeptColumns {
  std::vector<int> spec;                                     // spec index per kept column
  std::vector<std::string> names;                            // canonical names
  int begin_periode = -1, end_periode = -1, einddatum = -1;  // positions in `names`
};

KeptColumns MakeKept(const std::vector<ColumnSpec>& specs, const HeaderBinding& binding) {
  KeptColumns kept;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (binding.index[i] < 0 || !IsKeptColumn(specs[i].name)) continue;
    const int pos = static_cast<int>(kept.names.size());
    if (specs[i].name == "BEGINDATUM_PERIODE") kept.begin_periode = pos;
    if (specs[i].name == "EINDDATUM_PERIODE") kept.end_periode = pos;
    if (specs[i].name == "EINDDATUM") kept.einddatum = pos;
    kept.spec.push_back(static_cast<int>(i));
    kept.names.emplace_back(specs[i].name);
  }
  return kept;
}

// ---- the importer ---------------------------------------------------------------------------

struct FileOutcome {  // of a verified file, for the snapshot
  std::vector<std::string> warnings;
  SourceFile file;
};

class Importer {
 public:
  explicit Importer(const ImportOptions& options) : options_(options) {}

  StatusOr<Snapshot> Run();

 private:
  std::string PathOf(std::string_view name) const {
    return options_.dir + "/" + std::string(name) + ".csv";
  }
  bool Exists(std::string_view name) const {
    struct stat st;
    return ::stat(PathOf(name).c_str(), &st) == 0;
  }
  // Reads one file through `fn`. With `verify`, also checksums it, counts its records against
  // the expectation and records it in the snapshot. `fn(fields, position)` returns a Status; it is
  // a template parameter so the per-record call is inlined (no std::function per record).
  template <typename RecordFn>
  Status Scan(std::string_view name, const std::vector<ColumnSpec>& specs, bool verify,
              HeaderBinding* binding, const std::function<Status(const HeaderBinding&)>& on_header,
              RecordFn&& fn);
  Status ReadRelations();
  Status ReadAanbieders();
  Status ReadLocaties();
  Status ReadOeRelations();
  Status ReadErkenningen();
  Status ReadOes(const Chain& chain, bool second_pass);
  Status ReadAos(const Chain& chain);
  Status ReadCohorts(const Chain& chain);
  // The parallel mode's cohort files: indexed on the second thread (IndexCohorts) while the OE and
  // AO files are read; then the in-scope records are parsed again from their offsets on the main
  // thread (MergeInScope) while the second thread checks every record's AO code against the AO
  // file's codes (CountOrphans). Same items and refusals as ReadCohorts.
  struct Checkpoint {  // where record 1 + k * CohortIndex::kEvery starts
    int64_t byte_offset, line;
  };
  struct CohortIndex {
    const Chain* chain = nullptr;
    // The scan's refusal, which comes after a refusal of a value of the records in `refs`.
    Status status;
    HeaderBinding binding;
    KeptColumns kept;
    std::vector<std::string> notices;
    FileOutcome outcome;
    int64_t orphans = 0;  // CountOrphans
    size_t first_orphan = 0;
    int64_t duplicates = 0;  // MergeInScope
    std::string first_duplicate;
    // Every record that passed the scan, in file order: record i + 1's AO code hash is hash(i),
    // in chunks (memory does not double while it grows); and where every kEvery-th record starts.
    // 8.25 bytes per record.
    static constexpr size_t kChunkBits = 16;
    static constexpr size_t kEvery = 64;
    std::vector<std::vector<uint64_t>> chunks;
    std::vector<Checkpoint> checkpoints;
    size_t size = 0;
    void Add(uint64_t hash, const CsvPosition& pos) {
      if (size % kEvery == 0) checkpoints.push_back({pos.byte_offset, pos.line});
      if ((size & ((size_t{1} << kChunkBits) - 1)) == 0) {
        chunks.emplace_back();
        chunks.back().reserve(size_t{1} << kChunkBits);
      }
      chunks.back().push_back(hash);
      ++size;
    }
    uint64_t hash(size_t i) const {
      return chunks[i >> kChunkBits][i & ((size_t{1} << kChunkBits) - 1)];
    }
  };
  // Reads records of an indexed cohort file again, in file order: from the checkpoint before
  // them, or on from the last one read when that is nearer.
  struct CohortReader {
    std::unique_ptr<CsvReader> reader;
    size_t next = SIZE_MAX;  // the index of the record the reader's next Next() returns
  };
  void IndexCohorts(const std::stop_token& stop, CohortIndex* index);
  // Second thread, once the AO codes are complete: counts the records whose AO is not in them.
  void CountOrphans(CohortIndex* index) const;
  // Main thread: the in-scope records into cohorts_ (the first refused value in *refused, counted
  // duplicates in the index), then, once the orphans are counted, the file's outcome in order.
  void MergeInScope(CohortIndex* index, Status* refused);
  Status FinishCohorts(const CohortIndex& index);
  StatusOr<CsvPosition> ReadCohortAt(const CohortIndex& index, size_t i, CohortReader* in);
  static Status FieldCountError(const CsvReader& reader, const HeaderBinding& binding);
  // The end of a verified file: the record count against the expectation, the final line break,
  // its entry for the snapshot. Called by both threads.
  Status Verify(std::string_view name, const CsvReader& reader, int64_t records, std::string digest,
                FileOutcome* out) const;
  void Progress(size_t bytes);
  Status CheckValue(std::string_view file, const CsvPosition& pos, std::string_view column,
                    std::string_view value, std::string* out) const;
  void BuildItems();

  const ImportOptions& options_;
  HeaderMap header_map_;
  std::map<std::string, int64_t> expected_counts_;
  int64_t total_bytes_ = 0;
  std::mutex progress_mutex_;
  int64_t done_bytes_ = 0;  // guarded by progress_mutex_
  Snapshot snapshot_;
  // Set by an on_header callback: the fields a record callback looks at before it needs the rest
  // (0: all); the callback calls reader_->ParseWhole() for the rest.
  size_t scan_prefix_ = 0;
  CsvReader* reader_ = nullptr;  // the file Scan reads

  std::unordered_set<std::string> aanbieders_;  // Aanbieders(B), ended relations included
  std::unordered_map<std::string, std::string> aanbieder_names_;
  std::unordered_map<std::string, std::string> locatie_plaats_;
  std::unordered_map<std::string, std::string> variant_van_;  // NAAR -> VAN
  std::unordered_map<std::string, std::string> isat_;         // OE code -> ERKENDEOPLEIDINGSCODE
  std::map<std::string, CodeSet> all_codes_;                  // file -> hashes of its codes
  struct RecordRef {
    uint64_t hash;  // of its code
    CsvPosition position;
  };
  // OE file -> where its records outside the scope start (for the second pass), and its header.
  std::map<std::string, std::vector<RecordRef>> oe_skipped_;
  std::map<std::string, HeaderBinding> oe_bindings_;
  // Filters in front of the maps below (and aanbieders_): hashes of their keys.
  CodeSet aanbieder_keys_, oe_keys_, ao_keys_, wanted_oe_keys_;
  std::map<std::string, Entity> oes_;        // scoped OEs by code
  std::map<std::string, KeptColumns> kept_;  // file -> kept columns
  std::map<std::string, Entity> aos_;        // scoped AOs by code
  std::set<std::string> wanted_oes_;         // OEs of scoped AOs not owned by the bestuur
  struct Cohort {
    std::string sector, file;
    Row row;
  };
  std::map<std::pair<std::string, std::string>, Cohort> cohorts_;  // (AO code, cohortcode)
  // The parallel mode: the cohort files' indexes, written by cohort_thread_ until it ends.
  std::vector<std::unique_ptr<CohortIndex>> cohort_indexes_;
  // The two threads' hand-over: the indexes are complete (second thread), the AO codes are
  // complete and all_codes_ is no longer written (main thread).
  std::mutex stage_mutex_;
  std::condition_variable_any stage_changed_;
  bool indexes_done_ = false, ao_codes_done_ = false;  // guarded by stage_mutex_
  std::jthread cohort_thread_;  // last: stopped and joined first when an import is refused
};

template <typename RecordFn>
Status Importer::Scan(std::string_view name, const std::vector<ColumnSpec>& specs, bool verify,
                      HeaderBinding* binding_out,
                      const std::function<Status(const HeaderBinding&)>& on_header, RecordFn&& fn) {
  const std::string file = std::string(name) + ".csv";
  // The checksum is computed from the mapped bytes as they are parsed (one read of each file).
  internal::FileChecksum checksum;
  CsvReader::Options reader_options;
  reader_options.block_size = options_.block_size;
  reader_options.on_bytes = [&](std::string_view bytes) {
    if (verify) checksum.Update(bytes);
    Progress(bytes.size());
  };
  OOAPI_ASSIGN_OR_RETURN(auto reader, CsvReader::OpenFile(PathOf(name), file, reader_options));
  OOAPI_ASSIGN_OR_RETURN(bool has_header, reader->Next());
  if (!has_header) return InvalidArgument(file + ": the file is empty (no header)");
  OOAPI_ASSIGN_OR_RETURN(HeaderBinding binding,
                         BindHeader(name, reader->fields(), specs, header_map_));
  if (verify) {
    for (std::string& notice : binding.notices) snapshot_.notices.push_back(std::move(notice));
  }
  scan_prefix_ = 0;
  if (on_header) OOAPI_RETURN_IF_ERROR(on_header(binding));
  reader->set_prefix(scan_prefix_);
  reader_ = reader.get();
  int64_t records = 0;
  for (;;) {
    OOAPI_ASSIGN_OR_RETURN(bool more, reader->Next());
    if (!more) break;
    ++records;
    const auto& fields = reader->fields();
    const size_t count = reader->field_count();
    if (count != binding.field_count) return FieldCountError(*reader, binding);
    OOAPI_RETURN_IF_ERROR(fn(fields, reader->position()));
  }
  if (verify) {
    FileOutcome outcome;
    OOAPI_RETURN_IF_ERROR(Verify(name, *reader, records, checksum.Value(), &outcome));
    for (std::string& w : outcome.warnings) snapshot_.warnings.push_back(std::move(w));
    snapshot_.files.push_back(std::move(outcome.file));
  }
  reader_ = nullptr;
  if (binding_out) *binding_out = std::move(binding);
  return Status::Ok();
}

Status Importer::FieldCountError(const CsvReader& reader, const HeaderBinding& binding) {
  const size_t count = reader.field_count();
  const bool last = reader.missing_final_newline();
  return reader.ErrorAt(reader.position(),
                        (count < binding.field_count ? "short record: " : "record too long: ") +
                            std::to_string(count) + " fields, the header has " +
                            std::to_string(binding.field_count) +
                            (last ? " (the file ends inside this record: truncated?)" : ""));
}

Status Importer::Verify(std::string_view name, const CsvReader& reader, int64_t records,
                        std::string digest, FileOutcome* out) const {
  const std::string file = std::string(name) + ".csv";
  const int64_t bytes = reader.bytes_consumed();
  auto expected = expected_counts_.find(std::string(name));
  std::string expected_from = options_.expected_counts_path;
  std::optional<int64_t> want;
  if (expected != expected_counts_.end()) {
    want = expected->second;
  } else {
    std::ifstream sidecar(PathOf(name) + ".count");
    if (sidecar) {
      std::string text((std::istreambuf_iterator<char>(sidecar)), {});
      want = ParseInt64(TrimAscii(text));
      if (!want) return InvalidArgument(file + ".count: not a record count");
      expected_from = file + ".count";
    }
  }
  if (want && *want != records) {
    return InvalidArgument(file + ": " + std::to_string(records) + " records, expected " +
                           std::to_string(*want) + " (from " + expected_from +
                           "); the file ends at byte offset " + std::to_string(bytes) +
                           " after record " + std::to_string(records) + ": truncated download?");
  }
  if (reader.missing_final_newline() && records > 0) {
    out->warnings.push_back(DescribePosition(file, reader.position(),
                                             "the last record is not followed by a line break"));
  }
  out->file = {std::string(name), bytes, records, std::move(digest)};
  return Status::Ok();
}

void Importer::Progress(size_t bytes) {
  if (!options_.on_progress) return;
  std::lock_guard lock(progress_mutex_);  // both threads report
  done_bytes_ += static_cast<int64_t>(bytes);
  options_.on_progress(done_bytes_, total_bytes_);
}

Status Importer::CheckValue(std::string_view file, const CsvPosition& pos, std::string_view column,
                            std::string_view value, std::string* out) const {
  if (!IsDateColumn(column)) {
    out->assign(value);
    return Status::Ok();
  }
  auto date = NormalizeDate(TrimAscii(value));
  if (!date) {
    return InvalidArgument(DescribePosition(std::string(file) + ".csv", pos,
                                            "column " + std::string(column) + ": \"" +
                                                std::string(value) +
                                                "\" is not a date (YYYY-MM-DD)"));
  }
  *out = std::move(*date);
  return Status::Ok();
}

Status Importer::ReadRelations() {
  HeaderBinding b;
  int bestuur = 0;
  int aanbieder = 0;
  int einddatum = -1;
  int64_t ended = 0;
  OOAPI_RETURN_IF_ERROR(Scan(
      "relaties_onderwijsbesturen_onderwijsaanbieders", RelationSpecs(), true, &b,
      [&](const HeaderBinding& h) {
        bestuur = h.index[0];
        aanbieder = h.index[1];
        einddatum = h.index[2];
        return Status::Ok();
      },
      [&](const std::vector<std::string_view>& f, const CsvPosition&) {
        if (TrimAscii(f[static_cast<size_t>(bestuur)]) == options_.bestuur) {
          aanbieders_.emplace(TrimAscii(f[static_cast<size_t>(aanbieder)]));
          aanbieder_keys_.Insert(TrimAscii(f[static_cast<size_t>(aanbieder)]));
          if (einddatum >= 0 && IsEnded(f[static_cast<size_t>(einddatum)], options_.ref_date)) {
            ++ended;
          }
        }
        return Status::Ok();
      }));
  if (aanbieders_.empty()) {
    snapshot_.warnings.push_back("bestuur " + options_.bestuur +
                                 " has no aanbieders in relaties_onderwijsbesturen_"
                                 "onderwijsaanbieders.csv");
  }
  if (ended > 0) {
    snapshot_.notices.push_back(std::to_string(ended) +
                                " ended bestuur-aanbieder relations included (historic offerings)");
  }
  return Status::Ok();
}

Status Importer::ReadAanbieders() {
  int code = 0;
  int naam = -1;
  return Scan(
      "onderwijsaanbieders", AanbiederSpecs(), true, nullptr,
      [&](const HeaderBinding& h) {
        code = h.index[0];
        naam = h.index[1];
        return Status::Ok();
      },
      [&](const std::vector<std::string_view>& f, const CsvPosition&) {
        std::string key(TrimAscii(f[static_cast<size_t>(code)]));
        if (aanbieders_.contains(key) && naam >= 0) {
          aanbieder_names_[key] = std::string(f[static_cast<size_t>(naam)]);
        } else if (!aanbieder_names_.contains(key)) {
          aanbieder_names_.emplace(std::move(key), std::string());
        }
        return Status::Ok();
      });
}

Status Importer::ReadLocaties() {
  int code = 0;
  int plaats = -1;
  return Scan(
      "onderwijslocaties", LocatieSpecs(), true, nullptr,
      [&](const HeaderBinding& h) {
        code = h.index[0];
        plaats = h.index[1];
        return Status::Ok();
      },
      [&](const std::vector<std::string_view>& f, const CsvPosition&) {
        locatie_plaats_[std::string(TrimAscii(f[static_cast<size_t>(code)]))] =
            plaats >= 0 ? std::string(f[static_cast<size_t>(plaats)]) : std::string();
        return Status::Ok();
      });
}

Status Importer::ReadOeRelations() {
  int soort = -1;
  int van = 0;
  int naar = 0;
  return Scan(
      "ho_relaties_opleidingseenheden", OeRelationSpecs(), true, nullptr,
      [&](const HeaderBinding& h) {
        soort = h.index[0];
        van = h.index[1];
        naar = h.index[2];
        return Status::Ok();
      },
      [&](const std::vector<std::string_view>& f, const CsvPosition&) {
        if (soort < 0 || TrimAscii(f[static_cast<size_t>(soort)]) == "VARIANT_VAN") {
          variant_van_[std::string(TrimAscii(f[static_cast<size_t>(naar)]))] =
              std::string(TrimAscii(f[static_cast<size_t>(van)]));
        }
        return Status::Ok();
      });
}

Status Importer::ReadErkenningen() {
  int oe = 0;
  int isat = 0;
  return Scan(
      "ho_relaties_opleidingseenheden_erkenningen", ErkenningSpecs(), true, nullptr,
      [&](const HeaderBinding& h) {
        oe = h.index[0];
        isat = h.index[1];
        return Status::Ok();
      },
      [&](const std::vector<std::string_view>& f, const CsvPosition&) {
        isat_[std::string(TrimAscii(f[static_cast<size_t>(oe)]))] =
            std::string(TrimAscii(f[static_cast<size_t>(isat)]));
        return Status::Ok();
      });
}

Status Importer::ReadOes(const Chain& chain, bool second_pass) {
  const std::string file(chain.oe);
  HeaderBinding& binding = oe_bindings_[file];
  KeptColumns kept = second_pass ? kept_[file] : KeptColumns();
  auto add_row = [&](const std::vector<std::string_view>& f, const CsvPosition& pos,
                     std::string_view code, uint64_t hash, bool owned) -> Status {
    oe_keys_.Insert(hash);
    Entity& entity = oes_[std::string(code)];
    entity.sector = std::string(chain.sector);
    entity.file = file;
    if (owned) entity.in_bestuur = true;
    Row row;
    row.values.resize(kept.names.size());
    for (size_t i = 0; i < kept.names.size(); ++i) {
      const int spec = kept.spec[i];
      OOAPI_RETURN_IF_ERROR(CheckValue(chain.oe, pos, kept.names[i],
                                       f[static_cast<size_t>(binding.index[spec])],
                                       &row.values[i]));
    }
    entity.rows.push_back(std::move(row));
    return Status::Ok();
  };
  std::vector<RecordRef>& skipped = oe_skipped_[file];
  if (second_pass) {
    // Programmes of other besturen that the bestuur offers: only their records, read again where
    // the first pass saw them (in file order), not the whole file.
    CsvReader::Options reader_options;
    reader_options.block_size = size_t{64} << 10;
    for (const RecordRef& ref : skipped) {
      if (!wanted_oe_keys_.Contains(ref.hash)) continue;
      OOAPI_ASSIGN_OR_RETURN(auto reader, CsvReader::OpenFileAt(PathOf(chain.oe), file + ".csv",
                                                                reader_options, ref.position));
      OOAPI_ASSIGN_OR_RETURN(bool more, reader->Next());
      const auto& f = reader->fields();
      if (!more || f.size() != binding.field_count ||
          reader->position().line != ref.position.line) {
        return reader->ErrorAt(ref.position, "the record changed since it was first read");
      }
      const std::string_view code = TrimAscii(f[static_cast<size_t>(binding.index[kOeCode])]);
      if (!wanted_oes_.contains(std::string(code))) continue;
      OOAPI_RETURN_IF_ERROR(add_row(f, ref.position, code, ref.hash, false));
    }
    std::vector<RecordRef>().swap(skipped);
    return Status::Ok();
  }
  BatchedInserts codes(&all_codes_[file]);
  Status status = Scan(
      chain.oe, OeSpecs(), true, &binding,
      [&](const HeaderBinding& h) {
        kept = MakeKept(OeSpecs(), h);
        binding = h;
        kept_[file] = kept;
        scan_prefix_ = static_cast<size_t>(std::max(h.index[kOeCode], h.index[kOeOwner])) + 1;
        return Status::Ok();
      },
      [&](const std::vector<std::string_view>& f, const CsvPosition& pos) -> Status {
        const std::string_view code = TrimAscii(f[static_cast<size_t>(binding.index[kOeCode])]);
        const uint64_t hash = CodeHash(code);
        codes.Add(hash);
        const bool owned =
            TrimAscii(f[static_cast<size_t>(binding.index[kOeOwner])]) == options_.bestuur;
        // The filters answer most records without building a string or walking a map.
        if (!owned && !(oe_keys_.Contains(hash) && oes_.contains(std::string(code)))) {
          skipped.push_back({hash, pos});  // for the second pass
          return Status::Ok();
        }
        OOAPI_RETURN_IF_ERROR(reader_->ParseWhole());
        return add_row(f, pos, code, hash, owned);
      });
  codes.Flush();
  return status;
}

Status Importer::ReadAos(const Chain& chain) {
  const std::string file(chain.ao);
  HeaderBinding binding;
  KeptColumns kept;
  const auto& oe_codes = all_codes_[std::string(chain.oe)];
  BatchedInserts codes(&all_codes_[file]);
  OrphanCheck orphans(
      oe_codes, [&](std::string_view code, std::string_view oe, const CsvPosition& pos) {
        return DescribePosition(file + ".csv", pos,
                                "aangeboden opleiding " + std::string(code) +
                                    " refers to opleidingseenheid " + std::string(oe) +
                                    ", which is not in " + std::string(chain.oe) + ".csv");
      });
  OOAPI_RETURN_IF_ERROR(Scan(
      chain.ao, AoSpecs(), true, &binding,
      [&](const HeaderBinding& h) {
        kept = MakeKept(AoSpecs(), h);
        binding = h;
        kept_[file] = kept;
        scan_prefix_ = static_cast<size_t>(std::max(
                           {h.index[kAoCode], h.index[kAoOeCode], h.index[kAoAanbieder]})) +
                       1;
        return Status::Ok();
      },
      [&](const std::vector<std::string_view>& f, const CsvPosition& pos) -> Status {
        const std::string_view code = TrimAscii(f[static_cast<size_t>(binding.index[kAoCode])]);
        const std::string_view oe = TrimAscii(f[static_cast<size_t>(binding.index[kAoOeCode])]);
        codes.Add(CodeHash(code));
        const uint64_t oe_hash = CodeHash(oe);
        orphans.Add(oe_hash, pos, code, oe);
        const std::string_view aanbieder =
            TrimAscii(f[static_cast<size_t>(binding.index[kAoAanbieder])]);
        const bool offered =
            aanbieder_keys_.Contains(aanbieder) && aanbieders_.contains(std::string(aanbieder));
        auto owned_oe = oe_keys_.Contains(oe_hash) ? oes_.find(std::string(oe)) : oes_.end();
        const bool oe_owned = owned_oe != oes_.end() && owned_oe->second.in_bestuur;
        if (!offered && !oe_owned) return Status::Ok();
        if (!oe_codes.Contains(oe_hash)) return Status::Ok();  // an orphan (counted above)
        OOAPI_RETURN_IF_ERROR(reader_->ParseWhole());
        ao_keys_.Insert(code);
        Entity& entity = aos_[std::string(code)];
        entity.sector = std::string(chain.sector);
        entity.file = file;
        entity.parent = std::string(oe);
        if (offered) entity.in_bestuur = true;
        if (owned_oe == oes_.end()) {
          wanted_oes_.emplace(oe);
          wanted_oe_keys_.Insert(oe_hash);
        }
        Row row;
        row.values.resize(kept.names.size());
        for (size_t i = 0; i < kept.names.size(); ++i) {
          OOAPI_RETURN_IF_ERROR(CheckValue(chain.ao, pos, kept.names[i],
                                           f[static_cast<size_t>(binding.index[kept.spec[i]])],
                                           &row.values[i]));
        }
        entity.rows.push_back(std::move(row));
        return Status::Ok();
      }));
  codes.Flush();
  orphans.Flush();
  if (orphans.orphans() > 0) {
    return InvalidArgument(orphans.first() + " (" + std::to_string(orphans.orphans()) +
                           " such orphans; is " + std::string(chain.oe) +
                           ".csv a truncated download?)");
  }
  return Status::Ok();
}

Status Importer::ReadCohorts(const Chain& chain) {
  const std::string file(chain.cohort);
  HeaderBinding binding;
  KeptColumns kept;
  const auto& ao_codes = all_codes_[std::string(chain.ao)];
  OrphanCheck orphans(ao_codes, [&](std::string_view ao, std::string_view, const CsvPosition& pos) {
    return DescribePosition(file + ".csv", pos,
                            "cohort refers to aangeboden opleiding " + std::string(ao) +
                                ", which is not in " + std::string(chain.ao) + ".csv");
  });
  int64_t duplicates = 0;
  std::string first_duplicate;
  OOAPI_RETURN_IF_ERROR(Scan(
      chain.cohort, CohortSpecs(), true, &binding,
      [&](const HeaderBinding& h) {
        kept = MakeKept(CohortSpecs(), h);
        binding = h;
        kept_[file] = kept;
        scan_prefix_ = static_cast<size_t>(h.index[kCoAoCode]) + 1;
        return Status::Ok();
      },
      [&](const std::vector<std::string_view>& f, const CsvPosition& pos) -> Status {
        const std::string_view ao = TrimAscii(f[static_cast<size_t>(binding.index[kCoAoCode])]);
        const uint64_t ao_hash = CodeHash(ao);
        orphans.Add(ao_hash, pos, ao, {});
        // An orphan is never in ao_keys_ (a subset of the AO file's codes).
        if (!ao_keys_.Contains(ao_hash) || !aos_.contains(std::string(ao))) return Status::Ok();
        OOAPI_RETURN_IF_ERROR(reader_->ParseWhole());
        const std::string_view cohortcode = f[static_cast<size_t>(binding.index[kCoCode])];
        Row row;
        row.values.resize(kept.names.size());
        for (size_t i = 0; i < kept.names.size(); ++i) {
          OOAPI_RETURN_IF_ERROR(CheckValue(chain.cohort, pos, kept.names[i],
                                           f[static_cast<size_t>(binding.index[kept.spec[i]])],
                                           &row.values[i]));
        }
        auto [it, inserted] = cohorts_.try_emplace({std::string(ao), std::string(cohortcode)});
        if (!inserted) {
          if (duplicates++ == 0) {
            first_duplicate = DescribePosition(file + ".csv", pos,
                                               "cohortcode " + std::string(cohortcode) +
                                                   " appears twice in aangeboden opleiding " +
                                                   std::string(ao) + "; the first is kept");
          }
          return Status::Ok();
        }
        it->second.sector = std::string(chain.sector);
        it->second.file = file;
        it->second.row = std::move(row);
        return Status::Ok();
      }));
  orphans.Flush();
  if (orphans.orphans() > 0) {
    return InvalidArgument(orphans.first() + " (" + std::to_string(orphans.orphans()) +
                           " such orphans; is " + std::string(chain.ao) +
                           ".csv a truncated download?)");
  }
  if (duplicates > 0) {
    snapshot_.warnings.push_back(first_duplicate + " (" + std::to_string(duplicates) +
                                 " duplicate cohorts)");
  }
  return Status::Ok();
}

void Importer::IndexCohorts(const std::stop_token& stop, CohortIndex* index) {
  const std::string_view name = index->chain->cohort;
  const std::string file = std::string(name) + ".csv";
  internal::FileChecksum checksum;
  CsvReader::Options reader_options;
  reader_options.block_size = options_.block_size;
  reader_options.on_bytes = [&](std::string_view bytes) {
    checksum.Update(bytes);
    Progress(bytes.size());
  };
  auto run = [&]() -> Status {
    OOAPI_ASSIGN_OR_RETURN(auto reader, CsvReader::OpenFile(PathOf(name), file, reader_options));
    OOAPI_ASSIGN_OR_RETURN(bool has_header, reader->Next());
    if (!has_header) return InvalidArgument(file + ": the file is empty (no header)");
    OOAPI_ASSIGN_OR_RETURN(index->binding,
                           BindHeader(name, reader->fields(), CohortSpecs(), header_map_));
    const HeaderBinding& binding = index->binding;
    index->notices = binding.notices;
    index->kept = MakeKept(CohortSpecs(), binding);
    const auto ao_column = static_cast<size_t>(binding.index[kCoAoCode]);
    reader->set_prefix(ao_column + 1);
    int64_t records = 0;
    for (;;) {
      OOAPI_ASSIGN_OR_RETURN(bool more, reader->Next());
      if (!more) break;
      ++records;
      if (reader->field_count() != binding.field_count) return FieldCountError(*reader, binding);
      const CsvPosition& pos = reader->position();
      index->Add(CodeHash(TrimAscii(reader->fields()[ao_column])), pos);
      if ((records & 0xffff) == 0 && stop.stop_requested()) {
        return Unavailable(file + ": stopped");  // the import was refused before this file
      }
    }
    return Verify(name, *reader, records, checksum.Value(), &index->outcome);
  };
  try {
    index->status = run();
  } catch (const std::exception& e) {
    index->status = Internal(file + ": " + e.what());
  }
}

StatusOr<CsvPosition> Importer::ReadCohortAt(const CohortIndex& index, size_t i, CohortReader* in) {
  const std::string file = std::string(index.chain->cohort) + ".csv";
  if (!in->reader) {
    CsvReader::Options reader_options;
    reader_options.block_size = size_t{64} << 10;
    OOAPI_ASSIGN_OR_RETURN(in->reader,
                           CsvReader::OpenFile(PathOf(index.chain->cohort), file, reader_options));
  }
  CsvReader& reader = *in->reader;
  if (in->next > i || i - in->next >= CohortIndex::kEvery) {
    const size_t k = i / CohortIndex::kEvery;
    const Checkpoint& at = index.checkpoints[k];
    in->next = k * CohortIndex::kEvery;
    OOAPI_RETURN_IF_ERROR(
        reader.Seek({static_cast<int64_t>(in->next) + 1, at.line, at.byte_offset}));
  }
  const auto ao_column = static_cast<size_t>(index.binding.index[kCoAoCode]);
  for (;;) {
    const size_t n = in->next;
    OOAPI_ASSIGN_OR_RETURN(bool more, reader.Next());
    // The same record as in the index: its field count and its AO code.
    if (!more || reader.field_count() != index.binding.field_count ||
        CodeHash(TrimAscii(reader.fields()[ao_column])) != index.hash(n)) {
      in->next = SIZE_MAX;
      return reader.ErrorAt(reader.position(), "the record changed since it was first read");
    }
    ++in->next;
    if (n == i) return reader.position();
  }
}

void Importer::CountOrphans(CohortIndex* index) const {
  const CodeSet& ao_codes = all_codes_.at(std::string(index->chain->ao));
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < index->size; ++i) {
    if (i + kAhead < index->size) __builtin_prefetch(ao_codes.Home(index->hash(i + kAhead)));
    if (!ao_codes.Contains(index->hash(i)) && index->orphans++ == 0) index->first_orphan = i;
  }
}

void Importer::MergeInScope(CohortIndex* index, Status* refused) {
  const Chain& chain = *index->chain;
  const std::string file(chain.cohort);
  for (const std::string& notice : index->notices) snapshot_.notices.push_back(notice);
  const HeaderBinding& binding = index->binding;
  const KeptColumns& kept = index->kept;
  if (!binding.index.empty()) kept_[file] = kept;
  CohortReader in;
  auto merge = [&]() -> Status {
    for (size_t i = 0; i < index->size; ++i) {
      if (!ao_keys_.Contains(index->hash(i))) continue;
      OOAPI_ASSIGN_OR_RETURN(const CsvPosition pos, ReadCohortAt(*index, i, &in));
      const auto& f = in.reader->fields();
      const std::string_view ao = TrimAscii(f[static_cast<size_t>(binding.index[kCoAoCode])]);
      if (!aos_.contains(std::string(ao))) continue;
      const std::string_view cohortcode = f[static_cast<size_t>(binding.index[kCoCode])];
      Row row;
      row.values.resize(kept.names.size());
      for (size_t k = 0; k < kept.names.size(); ++k) {
        OOAPI_RETURN_IF_ERROR(CheckValue(chain.cohort, pos, kept.names[k],
                                         f[static_cast<size_t>(binding.index[kept.spec[k]])],
                                         &row.values[k]));
      }
      auto [it, inserted] = cohorts_.try_emplace({std::string(ao), std::string(cohortcode)});
      if (!inserted) {
        if (index->duplicates++ == 0) {
          index->first_duplicate = DescribePosition(file + ".csv", pos,
                                                    "cohortcode " + std::string(cohortcode) +
                                                        " appears twice in aangeboden opleiding " +
                                                        std::string(ao) + "; the first is kept");
        }
        continue;
      }
      it->second.sector = std::string(chain.sector);
      it->second.file = file;
      it->second.row = std::move(row);
    }
    return Status::Ok();
  };
  *refused = merge();
}

Status Importer::FinishCohorts(const CohortIndex& index) {
  const Chain& chain = *index.chain;
  const std::string file(chain.cohort);
  OOAPI_RETURN_IF_ERROR(index.status);
  for (const std::string& w : index.outcome.warnings) snapshot_.warnings.push_back(w);
  snapshot_.files.push_back(index.outcome.file);
  if (index.orphans > 0) {
    CohortReader in;
    OOAPI_ASSIGN_OR_RETURN(const CsvPosition pos, ReadCohortAt(index, index.first_orphan, &in));
    const std::string_view ao =
        TrimAscii(in.reader->fields()[static_cast<size_t>(index.binding.index[kCoAoCode])]);
    return InvalidArgument(DescribePosition(file + ".csv", pos,
                                            "cohort refers to aangeboden opleiding " +
                                                std::string(ao) + ", which is not in " +
                                                std::string(chain.ao) + ".csv") +
                           " (" + std::to_string(index.orphans) + " such orphans; is " +
                           std::string(chain.ao) + ".csv a truncated download?)");
  }
  if (index.duplicates > 0) {
    snapshot_.warnings.push_back(index.first_duplicate + " (" + std::to_string(index.duplicates) +
                                 " duplicate cohorts)");
  }
  return Status::Ok();
}

std::string PeriodsJson(const KeptColumns& kept, const std::vector<Row>& rows) {
  rapidjson::StringBuffer buffer;
  json::Writer writer(buffer);
  writer.StartArray();
  for (const Row& row : rows) {
    writer.StartObject();
    for (size_t i = 0; i < kept.names.size(); ++i) {
      json::Member(writer, kept.names[i], row.values[i]);
    }
    writer.EndObject();
  }
  writer.EndArray();
  return buffer.GetString();
}

// Sorts the rows by period begin, drops exact duplicates and keeps the first of rows with the same
// begin. Returns the index of the representative period.
int CollapsePeriods(const KeptColumns& kept, std::vector<Row>* rows, std::string_view ref) {
  auto begin_of = [&](const Row& r) -> const std::string& {
    return r.values[static_cast<size_t>(kept.begin_periode)];
  };
  std::stable_sort(rows->begin(), rows->end(),
                   [&](const Row& a, const Row& b) { return begin_of(a) < begin_of(b); });
  rows->erase(std::unique(rows->begin(), rows->end(),
                          [&](const Row& a, const Row& b) { return begin_of(a) == begin_of(b); }),
              rows->end());
  std::vector<PeriodSpan> spans;
  for (const Row& r : *rows) {
    spans.push_back({begin_of(r), kept.end_periode >= 0
                                      ? r.values[static_cast<size_t>(kept.end_periode)]
                                      : std::string()});
  }
  return SelectPeriod(spans, ref);
}

void Importer::BuildItems() {
  const std::string& ref = options_.ref_date;
  auto add_entity = [&](ItemKind kind, const std::string& code, Entity& e) {
    const KeptColumns& kept = kept_[e.file];
    Item item;
    item.kind = kind;
    item.sector = e.sector;
    item.file = e.file;
    item.code = code;
    item.parent = e.parent;
    item.in_bestuur = e.in_bestuur;
    const int selected = CollapsePeriods(kept, &e.rows, ref);
    item.period_count = static_cast<int>(e.rows.size());
    const Row& current = e.rows[static_cast<size_t>(selected)];
    for (size_t i = 0; i < kept.names.size(); ++i) {
      item.values.emplace_back(kept.names[i], current.values[i]);
    }
    if (kept.einddatum >= 0) {
      item.ended = IsEnded(current.values[static_cast<size_t>(kept.einddatum)], ref);
    }
    const std::string* key;
    if (kind == ItemKind::kOe) {
      key = item.Value("EIGEN_OPLEIDINGSEENHEIDSLEUTEL");
      item.classification = ClassificationName(ClassifyOe(key ? *key : ""));
      if (e.sector == "HO") {
        auto isat = isat_.find(code);
        item.values.emplace_back("ERKENDEOPLEIDINGSCODE", isat == isat_.end() ? "" : isat->second);
        auto parent = variant_van_.find(code);
        item.values.emplace_back("VARIANT_VAN", parent == variant_van_.end() ? "" : parent->second);
      }
    } else {
      key = item.Value("EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL");
      item.classification = ClassificationName(ClassifyAo(code, key ? *key : ""));
      const std::string* aanbieder = item.Value("ONDERWIJSAANBIEDERID");
      auto name = aanbieder ? aanbieder_names_.find(*aanbieder) : aanbieder_names_.end();
      item.values.emplace_back("AANBIEDER_NAAM",
                               name == aanbieder_names_.end() ? "" : name->second);
      const std::string* locatie = item.Value("ONDERWIJSLOCATIECODE");
      auto plaats = locatie ? locatie_plaats_.find(*locatie) : locatie_plaats_.end();
      item.values.emplace_back("LOCATIE_PLAATS",
                               plaats == locatie_plaats_.end() ? "" : plaats->second);
    }
    item.periods_json = PeriodsJson(kept, e.rows);
    snapshot_.items.push_back(std::move(item));
  };
  snapshot_.items.reserve(snapshot_.items.size() + oes_.size() + aos_.size() + cohorts_.size());
  for (auto& [code, e] : oes_) add_entity(ItemKind::kOe, code, e);
  for (auto& [code, e] : aos_) add_entity(ItemKind::kAo, code, e);
  for (auto& [key, c] : cohorts_) {
    const KeptColumns& kept = kept_[c.file];
    Item item;
    item.kind = ItemKind::kCohort;
    item.sector = c.sector;
    item.file = c.file;
    item.code = key.first + "/" + key.second;
    item.parent = key.first;
    for (size_t i = 0; i < kept.names.size(); ++i) {
      item.values.emplace_back(kept.names[i], c.row.values[i]);
    }
    if (kept.einddatum >= 0) {
      item.ended = IsEnded(c.row.values[static_cast<size_t>(kept.einddatum)], ref);
    }
    snapshot_.items.push_back(std::move(item));
  }
  // oe, then ao, then cohort (the enum's order); references, not copies: a comparison allocates
  // nothing.
  auto order = [](const Item& a, const Item& b) {
    return std::forward_as_tuple(a.kind, a.sector, a.code) <
           std::forward_as_tuple(b.kind, b.sector, b.code);
  };
  std::stable_sort(snapshot_.items.begin(), snapshot_.items.end(), order);
}

StatusOr<Snapshot> Importer::Run() {
  if (options_.bestuur.empty()) return InvalidArgument("--bestuur is required");
  if (!IsIsoDate(options_.ref_date)) {
    return InvalidArgument("reference date \"" + options_.ref_date + "\" is not YYYY-MM-DD");
  }
  if (!options_.header_map_path.empty()) {
    OOAPI_ASSIGN_OR_RETURN(header_map_, HeaderMap::Load(options_.header_map_path));
  }
  if (!options_.expected_counts_path.empty()) {
    std::ifstream in(options_.expected_counts_path, std::ios::binary);
    if (!in) return NotFound("cannot read " + options_.expected_counts_path);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    OOAPI_ASSIGN_OR_RETURN(expected_counts_,
                           ParseExpectedCounts(text, options_.expected_counts_path));
  }
  for (const DuoFile& f : DuoFiles()) {
    struct stat st;
    if (::stat(PathOf(f.name).c_str(), &st) == 0) {
      total_bytes_ += st.st_size;
    } else if (f.required) {
      return NotFound("required file " + PathOf(f.name) + " is missing");
    }
  }
  snapshot_.bestuur = options_.bestuur;
  snapshot_.ref_date = options_.ref_date;
  snapshot_.source = options_.dir;
  if (options_.parallel) {  // the cohort files of complete chains, on a second thread
    for (const Chain& chain : Chains()) {
      if (Exists(chain.oe) && Exists(chain.ao) && Exists(chain.cohort)) {
        cohort_indexes_.push_back(std::make_unique<CohortIndex>());
        cohort_indexes_.back()->chain = &chain;
      }
    }
    cohort_thread_ = std::jthread([this](const std::stop_token& stop) {
      for (auto& index : cohort_indexes_) {
        if (stop.stop_requested()) break;
        IndexCohorts(stop, index.get());
        if (!index->status.ok()) break;  // the import is refused at this file at the latest
      }
      std::unique_lock lock(stage_mutex_);
      indexes_done_ = true;
      stage_changed_.notify_all();
      if (!stage_changed_.wait(lock, stop, [&] { return ao_codes_done_; })) return;
      lock.unlock();
      for (auto& index : cohort_indexes_) {
        if (!index->status.ok()) break;  // refused before its orphans matter
        CountOrphans(index.get());
      }
    });
  }
  OOAPI_RETURN_IF_ERROR(ReadRelations());
  OOAPI_RETURN_IF_ERROR(ReadAanbieders());
  OOAPI_RETURN_IF_ERROR(ReadLocaties());
  OOAPI_RETURN_IF_ERROR(ReadOeRelations());
  OOAPI_RETURN_IF_ERROR(ReadErkenningen());
  std::vector<const Chain*> present;
  for (const Chain& chain : Chains()) {
    const bool oe = Exists(chain.oe);
    const bool ao = Exists(chain.ao);
    const bool co = Exists(chain.cohort);
    if ((co && !ao) || (ao && !oe)) {
      return NotFound(std::string(co && !ao ? chain.ao : chain.oe) + ".csv is missing, but " +
                      std::string(co && !ao ? chain.cohort : chain.ao) + ".csv refers to it");
    }
    if (!oe) {
      snapshot_.notices.push_back(std::string(chain.oe) + ".csv and its offerings not present");
      continue;
    }
    present.push_back(&chain);
  }
  for (const Chain* chain : present) OOAPI_RETURN_IF_ERROR(ReadOes(*chain, false));
  for (const Chain* chain : present) {
    if (Exists(chain->ao)) OOAPI_RETURN_IF_ERROR(ReadAos(*chain));
  }
  if (options_.parallel) {
    {  // the AO codes are complete: the second thread counts the orphans meanwhile
      std::unique_lock lock(stage_mutex_);
      ao_codes_done_ = true;
      stage_changed_.notify_all();
      stage_changed_.wait(lock, [&] { return indexes_done_; });
    }
    std::vector<Status> refused(cohort_indexes_.size());
    for (size_t i = 0; i < cohort_indexes_.size(); ++i) {
      MergeInScope(cohort_indexes_[i].get(), &refused[i]);
      if (!refused[i].ok() || !cohort_indexes_[i]->status.ok()) break;
    }
    cohort_thread_.join();
    for (size_t i = 0; i < cohort_indexes_.size(); ++i) {  // in file order, as ReadCohorts
      OOAPI_RETURN_IF_ERROR(refused[i]);
      OOAPI_RETURN_IF_ERROR(FinishCohorts(*cohort_indexes_[i]));
    }
  } else {
    for (const Chain* chain : present) {
      if (Exists(chain->cohort)) OOAPI_RETURN_IF_ERROR(ReadCohorts(*chain));
    }
  }
  if (!wanted_oes_.empty()) {  // programmes of other besturen offered by ours (joint degrees)
    for (const Chain* chain : present) OOAPI_RETURN_IF_ERROR(ReadOes(*chain, true));
  }
  BuildItems();
  return std::move(snapshot_);
}

}  // namespace

const std::vector<DuoFile>& DuoFiles() {
  static const std::vector<DuoFile> files = {
      {"relaties_onderwijsbesturen_onderwijsaanbieders", true},
      {"onderwijsaanbieders", true},
      {"onderwijslocaties", true},
      {"ho_relaties_opleidingseenheden", true},
      {"ho_relaties_opleidingseenheden_erkenningen", true},
      {"ho_opleidingen", true},
      {"ho_opleidingsonderdelen", false},
      {"nfo_opleidingen", true},
      {"aangeboden_ho_opleidingen", true},
      {"aangeboden_ho_opleidingsonderdelen", false},
      {"aangeboden_nfo_opleidingen", true},
      {"aangeboden_ho_opleiding_cohorten", true},
      {"aangeboden_ho_opleidingsonderdeel_cohorten", false},
      {"aangeboden_nfo_opleiding_cohorten", true},
  };
  return files;
}

StatusOr<std::map<std::string, int64_t>> ParseExpectedCounts(std::string_view text,
                                                             std::string_view source_name) {
  std::map<std::string, int64_t> counts;
  for (const NameValueLine& line : NameValueLines(text, " \t,=:")) {
    std::optional<int64_t> count;
    if (line.separated) count = ParseInt64(line.value);
    if (!count || *count < 0) {
      return LineError(source_name, line.number, "expected \"name count\"");
    }
    std::string name(line.name);
    if (EndsWith(name, ".csv")) name.resize(name.size() - 4);
    counts[name] = *count;
  }
  return counts;
}

StatusOr<Snapshot> ImportDuo(const ImportOptions& options) {
  try {
    Importer importer(options);
    return importer.Run();
  } catch (const std::exception& e) {
    return Internal(std::string("rio import failed: ") + e.what());
  }
}

}  // namespace ooapi::sync
