#pragma once
// Streaming RFC 4180 reader for the DUO open-data CSV files, and header binding by column name.
//
// The reader maps files window by window (other sources: reads large blocks) and hands out each
// record as string_views into its buffer; only quoted fields with "" escapes are copied (into a
// scratch area). It accepts an optional UTF-8 BOM, LF or CRLF, separators and newlines inside
// quoted fields, and validates UTF-8. Errors name the file, the data record number, the line and
// the byte offset at which the record starts. A CsvReader is used by one thread at a time.

#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi::sync {

// Where a record starts.
struct CsvPosition {
  int64_t record = 0;       // data record number, 1-based; the header row is record 0
  int64_t line = 1;         // physical line (1-based) on which the record starts
  int64_t byte_offset = 0;  // offset of the record's first byte in the file (a BOM counts)
};

// Formats "name: record R (line L, byte offset B): what".
std::string DescribePosition(std::string_view name, const CsvPosition& position,
                             std::string_view what);

// UTF-8 validation of one file by another thread (the one that checksums it), so that the
// reader's thread only parses. The validator thread feeds the file's bytes in order; the reader
// waits, per record, until the validator has passed the record's last byte, so errors are the same
// as when the reader validates itself.
class Utf8Validator {
 public:
  // Validator side. The file offset at which the next Feed must begin (INT64_MAX once done).
  int64_t resume_offset() const { return resume_; }
  // `bytes`: the file's bytes from resume_offset() on; `at_eof` when they reach the end of file.
  void Feed(std::string_view bytes, bool at_eof);
  // The validator stops before the end of the file (its owner reports why): the reader stops
  // waiting and treats the rest as valid.
  void Abandon();

  // Reader side: waits until the bytes before `offset` are validated. Returns the offset up to
  // which the answer is known; *bad is the offset of the first invalid byte, or INT64_MAX.
  int64_t WaitFor(int64_t offset, int64_t* bad) const;

 private:
  void Publish(int64_t checked);
  int64_t resume_ = 0;  // validator thread only
  std::atomic<int64_t> checked_{0};
  std::atomic<int64_t> bad_{INT64_MAX};
  mutable std::atomic<bool> waiting_{false};  // the reader waits on advanced_
  mutable std::mutex mutex_;
  mutable std::condition_variable advanced_;
};

class CsvReader {
 public:
  struct Options {
    size_t block_size = size_t{4} << 20;
    // Called with every block of raw bytes as read (checksums, progress).
    std::function<void(std::string_view)> on_bytes;
    // When set (it must outlive the reader), UTF-8 is validated by it instead of by the reader.
    const Utf8Validator* utf8 = nullptr;
  };

  // kNotFound when the file cannot be opened.
  static StatusOr<std::unique_ptr<CsvReader>> OpenFile(const std::string& path, std::string name,
                                                       Options options);
  // A reader of the records from `start` on (a record's first byte, its record and line numbers,
  // as a reader of the whole file gave them): no header, no BOM.
  static StatusOr<std::unique_ptr<CsvReader>> OpenFileAt(const std::string& path, std::string name,
                                                         Options options, const CsvPosition& start);
  // Moves a file reader (OpenFile, OpenFileAt) to `start`, as OpenFileAt would open it, reusing the
  // mapped window when `start` lies in it: for reading a few records of a file in file order.
  Status Seek(const CsvPosition& start);
  static std::unique_ptr<CsvReader> FromString(std::string data, std::string name, Options options);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record (the first call returns the header). Returns false at the end of the
  // input. kInvalidArgument for corrupt input: a quote still open at end of file, invalid UTF-8,
  // a character after a closing quote, a bare CR.
  StatusOr<bool> Next();

  // Parse only the first `n` fields of each record into fields() (0: all). The rest of a record is
  // checked and counted without being split (a 64-byte block scan where the CPU allows), so
  // field_count() and the errors are the same as for a whole parse. ParseWhole() splits the
  // current record when its other fields are needed.
  void set_prefix(size_t n) { prefix_ = n; }
  Status ParseWhole();

  // The current record's fields: all of them, or the first prefix ones (see set_prefix).
  const std::vector<std::string_view>& fields() const { return fields_; }
  // The number of fields in the current record.
  size_t field_count() const { return field_count_; }
  const CsvPosition& position() const { return position_; }
  const std::string& name() const { return name_; }
  bool had_bom() const { return had_bom_; }
  bool saw_crlf() const { return saw_crlf_; }
  // True once the last record ended at end of file without a line break.
  bool missing_final_newline() const { return missing_final_newline_; }
  // Bytes consumed so far (the whole file at the end).
  int64_t bytes_consumed() const { return base_offset_ + static_cast<int64_t>(pos_); }

  Status ErrorAt(const CsvPosition& position, std::string_view what) const;

 private:
  struct Source;
  CsvReader(std::unique_ptr<Source> source, std::string name, Options options);
  enum class Step { kRecord, kNeedMore, kEnd, kError };
  Step ParseRecord();
  Status Refill();
  // True when an invalid UTF-8 byte lies before file offset `offset`.
  bool Utf8BadBefore(int64_t offset) {
    if (offset > utf8_known_) {
      utf8_known_ = options_.utf8->WaitFor(offset, &utf8_bad_);
    }
    return utf8_bad_ < offset;
  }

  std::unique_ptr<Source> source_;
  std::string name_;
  Options options_;
  std::unique_ptr<char[]> buffer_;  // read() sources
  const char* data_ = nullptr;      // buffer_ or the mapped window
  std::unique_ptr<char[]> scratch_;
  size_t capacity_ = 0;
  size_t pos_ = 0;           // start of unconsumed data in data_
  size_t end_ = 0;           // end of valid data in data_
  int64_t base_offset_ = 0;  // file offset of data_[0]
  bool eof_ = false;
  bool started_ = false;
  bool had_bom_ = false;
  bool saw_crlf_ = false;
  bool missing_final_newline_ = false;
  int64_t utf8_checked_ = 0;        // file offset up to which UTF-8 is validated
  int64_t utf8_bad_ = INT64_MAX;    // file offset of the first invalid UTF-8 byte
  int64_t utf8_known_ = INT64_MAX;  // with options_.utf8: utf8_bad_ is known before this offset
  int64_t next_record_ = 0;
  int64_t next_line_ = 1;
  size_t prefix_ = 0;
  size_t field_count_ = 0;
  bool whole_ = true;        // fields_ holds every field of the current record
  size_t record_begin_ = 0;  // the current record's first byte in data_
  CsvPosition position_;
  std::vector<std::string_view> fields_;
  Status error_;
};

// A user's header-mapping file: lines "CANONICAL = Header in file" (every file) or
// "file_name.CANONICAL = Header in file" (one file); '#' starts a comment. The user's names are
// tried before the built-in aliases.
class HeaderMap {
 public:
  static StatusOr<HeaderMap> Parse(std::string_view text, std::string_view source_name);
  static StatusOr<HeaderMap> Load(const std::string& path);
  // The user's header name for `canonical` in `file` (file-specific entries win).
  std::optional<std::string> Lookup(std::string_view file, std::string_view canonical) const;
  bool empty() const { return entries_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> entries_;  // "file.CANON" or ".CANON" -> name
};

struct ColumnSpec {
  std::string_view name;  // canonical DUO name
  bool required = false;
  std::vector<std::string_view> aliases = {};  // other known spellings
};

// Column positions for a list of ColumnSpecs.
struct HeaderBinding {
  std::vector<int> index;            // per spec: field index, or -1 when absent
  std::vector<std::string> notices;  // unknown extra columns, absent optional columns
  size_t field_count = 0;            // columns in the header
};

// Binds `header` (the file's first record) by name: case-insensitive, surrounding spaces ignored.
// kInvalidArgument naming the file and the column when a required column is missing or a column is
// duplicated.
StatusOr<HeaderBinding> BindHeader(std::string_view file,
                                   const std::vector<std::string_view>& header,
                                   const std::vector<ColumnSpec>& specs, const HeaderMap& map);

// Length of the valid UTF-8 sequence starting at p (first byte >= 0x80): 2..4, 0 when invalid, -1
// when more bytes are needed than [p, end) holds.
int Utf8SequenceLength(const char* p, const char* end);

namespace internal {
// The rest of a record, from a field start outside quotes, as SkipRecord finds it.
struct SkippedRecord {
  const char* end = nullptr;  // just past the line feed that ends the record
  int64_t fields = 0;         // fields from the start on
  int64_t newlines = 0;       // line feeds inside quoted fields
  bool crlf = false;          // the record ends with CR LF
};
// Block scan (AVX2 + carry-less multiply for the quote parity) of the record that continues at
// p, a field start outside quotes, and ends before e. False when the scan cannot answer exactly
// as the field loop would: no line break before e, a quote inside an unquoted field, a character
// after a closing quote, a bare CR, or no SIMD on this CPU. Then the field loop parses it.
bool SkipRecord(const char* p, const char* e, SkippedRecord* out);
// UTF-8 validation as the reader does it (SIMD where the CPU allows): returns the first byte not
// validated, see csv.cc.
const char* ValidateUtf8(const char* p, const char* e, bool* bad);
// Tests: turn the SIMD paths off (scalar only) or on; whether this CPU has them.
void SetCsvSimdForTesting(bool enabled);
bool CsvSimdAvailable();
}  // namespace internal

}  // namespace ooapi::sync
