#include "ooapi/sync/csv.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>

#include "ooapi/common/strings.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ooapi::sync {
namespace {

// UTF-8 is validated per block as it is read (ValidateUtf8), so the field scans below only look
// for the bytes that structure the CSV.

// First byte in [p, e) that ends an unquoted field (separator, quote, line break), or e.
inline const char* ScanUnquoted(const char* p, const char* e) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  while (e - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    const int mask = _mm_movemask_epi8(m);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < e && *p != ',' && *p != '"' && *p != '\n' && *p != '\r') ++p;
  return p;
}

// First quote or line feed in [p, e) (inside a quoted field), or e.
inline const char* ScanQuoted(const char* p, const char* e) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n');
  while (e - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask =
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, lf)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < e && *p != '"' && *p != '\n') ++p;
  return p;
}

// Validates UTF-8 in [p, e). Returns the first byte not validated: e when all is valid, the start
// of an incomplete sequence at the end (*bad false), or the first invalid byte (*bad true).
const char* ValidateUtf8(const char* p, const char* e, bool* bad) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  *bad = false;
  while (p < e) {
    if (e - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      const uint64_t high = word & kHigh;
      if (high == 0) {
        p += 8;
        continue;
      }
      if constexpr (std::endian::native == std::endian::little) {
        p += __builtin_ctzll(high) / 8;  // the first non-ASCII byte
      } else {
        while (static_cast<unsigned char>(*p) < 0x80) ++p;
      }
    } else if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    const int n = Utf8SequenceLength(p, e);
    if (n < 0) return p;
    if (n == 0) {
      *bad = true;
      return p;
    }
    p += n;
  }
  return e;
}

std::string UpperTrim(std::string_view s) {
  s = TrimAscii(s);
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

int Utf8SequenceLength(const char* p, const char* end) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const unsigned char c = u[0];
  int n;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  const int available = static_cast<int>(end - p);
  for (int i = 1; i < n; ++i) {
    if (i >= available) return -1;
    const unsigned char b = u[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n;
}

std::string DescribePosition(std::string_view name, const CsvPosition& position,
                             std::string_view what) {
  std::ostringstream out;
  out << name << ": ";
  if (position.record == 0) {
    out << "header";
  } else {
    out << "record " << position.record;
  }
  out << " (line " << position.line << ", byte offset " << position.byte_offset << "): " << what;
  return out.str();
}

void Utf8Validator::Publish(int64_t checked) {
  checked_.store(checked, std::memory_order_seq_cst);  // seq_cst with waiting_: no lost wake-up
  if (waiting_.load(std::memory_order_seq_cst)) {
    std::lock_guard lock(mutex_);
    advanced_.notify_all();
  }
}

void Utf8Validator::Feed(std::string_view bytes, bool at_eof) {
  if (resume_ == INT64_MAX) return;
  bool bad = false;
  const char* const end = bytes.data() + bytes.size();
  const char* to = ValidateUtf8(bytes.data(), end, &bad);
  const int64_t reached = resume_ + (to - bytes.data());
  if (bad || (at_eof && to != end)) {
    bad_.store(reached, std::memory_order_relaxed);
    resume_ = INT64_MAX;
    Publish(INT64_MAX);
    return;
  }
  resume_ = at_eof ? INT64_MAX : reached;
  Publish(resume_);
}

void Utf8Validator::Abandon() {
  if (resume_ == INT64_MAX) return;
  resume_ = INT64_MAX;
  Publish(INT64_MAX);
}

int64_t Utf8Validator::WaitFor(int64_t offset, int64_t* bad) const {
  int64_t checked = checked_.load(std::memory_order_acquire);
  if (checked < offset) {
    std::unique_lock lock(mutex_);
    waiting_.store(true, std::memory_order_seq_cst);
    advanced_.wait(lock, [&] {
      checked = checked_.load(std::memory_order_seq_cst);
      return checked >= offset;
    });
    waiting_.store(false, std::memory_order_relaxed);
  }
  *bad = bad_.load(std::memory_order_relaxed);
  return checked;
}

struct CsvReader::Source {
  int fd = -1;
  std::string data;  // for FromString
  size_t data_pos = 0;
  // Files are read through a window mapped from the page cache (no copy into a buffer); only the
  // window's pages count towards the resident set, whatever the file's size.
  bool mapped = false;
  int64_t file_size = 0;
  void* map = nullptr;
  size_t map_length = 0;
  ~Source() {
    Unmap();
    if (fd >= 0) ::close(fd);
  }
  void Unmap() {
    if (map != nullptr) ::munmap(map, map_length);
    map = nullptr;
    map_length = 0;
  }
  StatusOr<size_t> Read(char* out, size_t n, const std::string& name) {
    if (fd < 0) {
      const size_t k = std::min(n, data.size() - data_pos);
      std::memcpy(out, data.data() + data_pos, k);
      data_pos += k;
      return k;
    }
    for (;;) {
      const ssize_t r = ::read(fd, out, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno != EINTR) {
        return Status(StatusCode::kUnavailable, name + ": read failed: " + std::strerror(errno));
      }
    }
  }
  // Maps [offset, offset + length) of the file (offset page-aligned).
  Status Map(int64_t offset, size_t length, const std::string& name) {
    Unmap();
    void* m = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
                     static_cast<off_t>(offset));
    if (m == MAP_FAILED) {
      return Status(StatusCode::kUnavailable, name + ": mmap failed: " + std::strerror(errno));
    }
    map = m;
    map_length = length;
    return Status::Ok();
  }
};

CsvReader::CsvReader(std::unique_ptr<Source> source, std::string name, Options options)
    : source_(std::move(source)), name_(std::move(name)), options_(std::move(options)) {
  capacity_ = std::max<size_t>(options_.block_size, 64);
  if (source_->mapped) {  // the window: whole pages
    const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    capacity_ = (capacity_ + page - 1) / page * page;
  } else {
    buffer_ = std::make_unique<char[]>(capacity_);
    data_ = buffer_.get();
  }
  scratch_ = std::make_unique<char[]>(capacity_);
  if (options_.utf8 != nullptr) utf8_known_ = 0;
}

CsvReader::~CsvReader() = default;

StatusOr<std::unique_ptr<CsvReader>> CsvReader::OpenFile(const std::string& path, std::string name,
                                                         Options options) {
  auto source = std::make_unique<Source>();
  source->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (source->fd < 0) {
    return NotFound(name + ": cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(source->fd, &st) == 0 && S_ISREG(st.st_mode)) {
    source->mapped = true;
    source->file_size = st.st_size;
  }
  return std::unique_ptr<CsvReader>(
      new CsvReader(std::move(source), std::move(name), std::move(options)));
}

std::unique_ptr<CsvReader> CsvReader::FromString(std::string data, std::string name,
                                                 Options options) {
  auto source = std::make_unique<Source>();
  source->data = std::move(data);
  return std::unique_ptr<CsvReader>(
      new CsvReader(std::move(source), std::move(name), std::move(options)));
}

Status CsvReader::ErrorAt(const CsvPosition& position, std::string_view what) const {
  return InvalidArgument(DescribePosition(name_, position, what));
}

Status CsvReader::Refill() {
  const int64_t old_end = base_offset_ + static_cast<int64_t>(end_);
  if (source_->mapped) {
    // The next window starts at the page holding the first unconsumed byte; it grows when one
    // record does not fit.
    const auto page = static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
    const int64_t from = base_offset_ + static_cast<int64_t>(pos_);
    const int64_t aligned = from / page * page;
    int64_t to = std::min(source_->file_size, aligned + static_cast<int64_t>(capacity_));
    while (to <= old_end && to < source_->file_size) {
      capacity_ *= 2;
      scratch_ = std::make_unique<char[]>(capacity_);
      to = std::min(source_->file_size, aligned + static_cast<int64_t>(capacity_));
    }
    if (to > aligned) {
      OOAPI_RETURN_IF_ERROR(source_->Map(aligned, static_cast<size_t>(to - aligned), name_));
      data_ = static_cast<const char*>(source_->map);
    } else {  // an empty file
      source_->Unmap();
      data_ = nullptr;
    }
    base_offset_ = aligned;
    pos_ = static_cast<size_t>(from - aligned);
    end_ = static_cast<size_t>(to - aligned);
    eof_ = to >= source_->file_size;
    if (to > old_end && options_.on_bytes) {
      options_.on_bytes(std::string_view(data_ + (old_end - aligned), to - old_end));
    }
  } else {
    if (pos_ > 0) {
      std::memmove(buffer_.get(), buffer_.get() + pos_, end_ - pos_);
      base_offset_ += static_cast<int64_t>(pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    if (end_ == capacity_) {  // one record larger than the buffer: grow
      const size_t bigger = capacity_ * 2;
      auto buffer = std::make_unique<char[]>(bigger);
      std::memcpy(buffer.get(), buffer_.get(), end_);
      buffer_ = std::move(buffer);
      scratch_ = std::make_unique<char[]>(bigger);
      capacity_ = bigger;
    }
    data_ = buffer_.get();
    OOAPI_ASSIGN_OR_RETURN(size_t n, source_->Read(buffer_.get() + end_, capacity_ - end_, name_));
    if (n == 0) {
      eof_ = true;
    } else if (options_.on_bytes) {
      options_.on_bytes(std::string_view(buffer_.get() + end_, n));
    }
    end_ += n;
  }
  if (options_.utf8 == nullptr && utf8_bad_ == INT64_MAX && end_ > 0) {
    // validate what is new (and a sequence cut by the last block)
    const char* from = data_ + (utf8_checked_ - base_offset_);
    bool bad = false;
    const char* to = ValidateUtf8(from, data_ + end_, &bad);
    utf8_checked_ = base_offset_ + (to - data_);
    if (bad || (eof_ && to != data_ + end_)) utf8_bad_ = utf8_checked_;
  }
  return Status::Ok();
}

StatusOr<bool> CsvReader::Next() {
  if (!started_) {
    started_ = true;
    OOAPI_RETURN_IF_ERROR(Refill());
    while (!eof_ && end_ < 3) OOAPI_RETURN_IF_ERROR(Refill());
    if (end_ >= 3 && std::memcmp(data_ + pos_, "\xEF\xBB\xBF", 3) == 0) {
      had_bom_ = true;
      pos_ = 3;
    }
  }
  for (;;) {
    switch (ParseRecord()) {
      case Step::kRecord:
        return true;
      case Step::kEnd:
        return false;
      case Step::kError:
        return error_;
      case Step::kNeedMore:
        OOAPI_RETURN_IF_ERROR(Refill());
        break;
    }
  }
}

CsvReader::Step CsvReader::ParseRecord() {
  const char* const buf = data_;
  const char* p = buf + pos_;
  const char* const e = buf + end_;
  if (p == e) return eof_ ? Step::kEnd : Step::kNeedMore;
  CsvPosition start{next_record_, next_line_, base_offset_ + static_cast<int64_t>(pos_)};
  fields_.clear();
  char* scratch = scratch_.get();
  int64_t newlines = 0;
  bool crlf = false;
  // `scanned`: how far the record was read before the error showed (default: `at`).
  auto fail = [&](const char* at, std::string_view what, const char* scanned = nullptr) {
    int64_t offset = base_offset_ + (at - buf);
    std::string message(what);
    if (Utf8BadBefore(base_offset_ + ((scanned ? scanned : at) - buf))) {  // an invalid byte first
      offset = utf8_bad_;
      message = "invalid UTF-8";
    }
    message += " at byte offset " + std::to_string(offset);
    error_ = ErrorAt(start, message);
    return Step::kError;
  };
  auto finish = [&](const char* next, bool newline) {
    if (Utf8BadBefore(base_offset_ + (next - buf))) {
      error_ = ErrorAt(start, "invalid UTF-8 at byte offset " + std::to_string(utf8_bad_));
      return Step::kError;
    }
    position_ = start;
    ++next_record_;
    next_line_ += newlines + (newline ? 1 : 0);
    if (crlf) saw_crlf_ = true;
    missing_final_newline_ = !newline;
    pos_ = static_cast<size_t>(next - buf);
    return Step::kRecord;
  };
  for (;;) {  // one field per iteration
    if (p == e) {
      if (!eof_) return Step::kNeedMore;
      fields_.emplace_back();  // "a," at end of file: a last, empty field
      return finish(p, false);
    }
    if (*p == '"') {
      const char* q = p + 1;
      const char* segment = q;
      char* out = nullptr;  // set once the field needs unescaping
      char* out_begin = nullptr;
      for (;;) {
        q = ScanQuoted(q, e);
        if (q == e) {
          if (!eof_) return Step::kNeedMore;
          return fail(p, "quote still open at end of file; the quoted field opens", e);
        }
        if (*q == '\n') {
          ++newlines;
          ++q;
          continue;
        }
        // *q == '"'
        if (q + 1 == e && !eof_) return Step::kNeedMore;
        if (q + 1 < e && q[1] == '"') {
          if (out == nullptr) out = out_begin = scratch;
          const size_t len = static_cast<size_t>(q + 1 - segment);  // keeps one quote
          std::memcpy(out, segment, len);
          out += len;
          q += 2;
          segment = q;
          continue;
        }
        if (out == nullptr) {
          fields_.emplace_back(segment, static_cast<size_t>(q - segment));
        } else {
          const size_t len = static_cast<size_t>(q - segment);
          std::memcpy(out, segment, len);
          out += len;
          fields_.emplace_back(out_begin, static_cast<size_t>(out - out_begin));
          scratch = out;
        }
        ++q;
        break;
      }
      p = q;
      if (p == e) {
        if (!eof_) return Step::kNeedMore;
        return finish(p, false);
      }
      if (*p == ',') {
        ++p;
        continue;
      }
      if (*p == '\n') return finish(p + 1, true);
      if (*p == '\r') {
        if (p + 1 == e && !eof_) return Step::kNeedMore;
        if (p + 1 < e && p[1] == '\n') {
          crlf = true;
          return finish(p + 2, true);
        }
        return fail(p, "bare carriage return");
      }
      return fail(p, "unexpected character after a closing quote");
    }
    const char* field_start = p;
    for (;;) {
      p = ScanUnquoted(p, e);
      if (p == e) break;
      if (*p == '"') {  // a quote inside an unquoted field is kept as a character
        ++p;
        continue;
      }
      break;
    }
    if (p == e) {
      if (!eof_) return Step::kNeedMore;
      fields_.emplace_back(field_start, static_cast<size_t>(p - field_start));
      return finish(p, false);
    }
    fields_.emplace_back(field_start, static_cast<size_t>(p - field_start));
    if (*p == ',') {
      ++p;
      continue;
    }
    if (*p == '\n') return finish(p + 1, true);
    // '\r'
    if (p + 1 == e && !eof_) return Step::kNeedMore;
    if (p + 1 < e && p[1] == '\n') {
      crlf = true;
      return finish(p + 2, true);
    }
    return fail(p, "bare carriage return");
  }
}

StatusOr<HeaderMap> HeaderMap::Parse(std::string_view text, std::string_view source_name) {
  HeaderMap map;
  int line_number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_number;
    const size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    line = TrimAscii(line);
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument(std::string(source_name) + ":" + std::to_string(line_number) +
                             ": expected CANONICAL = Header or file.CANONICAL = Header");
    }
    std::string key(TrimAscii(line.substr(0, eq)));
    const std::string value(TrimAscii(line.substr(eq + 1)));
    if (key.empty() || value.empty()) {
      return InvalidArgument(std::string(source_name) + ":" + std::to_string(line_number) +
                             ": empty name");
    }
    const size_t dot = key.rfind('.');
    std::string file = dot == std::string::npos ? "" : key.substr(0, dot);
    if (EndsWith(file, ".csv")) file.resize(file.size() - 4);
    const std::string canonical = UpperTrim(dot == std::string::npos ? key : key.substr(dot + 1));
    if (!map.entries_.emplace(file + "." + canonical, value).second) {
      return InvalidArgument(std::string(source_name) + ":" + std::to_string(line_number) + ": " +
                             key + " is mapped twice");
    }
  }
  return map;
}

StatusOr<HeaderMap> HeaderMap::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read header map " + path);
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

std::optional<std::string> HeaderMap::Lookup(std::string_view file,
                                             std::string_view canonical) const {
  std::string key = std::string(file) + "." + std::string(canonical);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    std::string any = ".";
    any.append(canonical);
    it = entries_.find(any);
  }
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

StatusOr<HeaderBinding> BindHeader(std::string_view file,
                                   const std::vector<std::string_view>& header,
                                   const std::vector<ColumnSpec>& specs, const HeaderMap& map) {
  HeaderBinding binding;
  binding.field_count = header.size();
  std::map<std::string, int, std::less<>> positions;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = UpperTrim(header[i]);
    if (!positions.emplace(name, static_cast<int>(i)).second) {
      return InvalidArgument(std::string(file) + ": column " + name +
                             " appears twice in the header");
    }
  }
  std::vector<bool> used(header.size(), false);
  for (const ColumnSpec& spec : specs) {
    int index = -1;
    std::string tried;
    std::vector<std::string> candidates;
    if (auto mapped = map.Lookup(file, spec.name)) candidates.push_back(UpperTrim(*mapped));
    candidates.emplace_back(spec.name);
    for (std::string_view alias : spec.aliases) candidates.emplace_back(alias);
    for (const std::string& candidate : candidates) {
      auto it = positions.find(candidate);
      if (it != positions.end()) {
        index = it->second;
        break;
      }
    }
    if (index < 0) {
      if (spec.required) {
        return InvalidArgument(std::string(file) + ": required column " + std::string(spec.name) +
                               " is missing from the header (tried " + Join(candidates, ", ") +
                               "; map it with --header-map)");
      }
      binding.notices.push_back(std::string(file) + ": optional column " + std::string(spec.name) +
                                " is absent");
    } else {
      used[static_cast<size_t>(index)] = true;
    }
    binding.index.push_back(index);
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!used[i]) {
      binding.notices.push_back(std::string(file) + ": unknown column " +
                                std::string(TrimAscii(header[i])) + " ignored");
    }
  }
  return binding;
}

}  // namespace ooapi::sync
