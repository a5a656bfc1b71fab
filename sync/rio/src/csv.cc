#include "ooapi/sync/rio/csv.h"

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

#include "ooapi/common/line_file.h"
#include "ooapi/common/strings.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace ooapi::sync {
namespace {

// UTF-8 is validated per block as it is read (ValidateUtf8), so the field scans below only look
// for the bytes that structure the CSV.

// First byte in [p, e) that ends an unquoted field (separator, quote, line break), or e.
inline const char* ScanUnquoted(const char* p, const char* e) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
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
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n');
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

// How reading a quoted field ended: after its closing quote, or where the data ran out before it
// closed (more may follow, or the file ends there).
enum class QuotedField { kClosed, kNeedMore, kOpenAtEnd };

// Reads the quoted field whose opening quote is at `open`, in [open, e); `eof` when nothing
// follows e. On kClosed, `*value` is its text (unescaped into `*scratch`, which then moves past
// it, when it holds "" escapes) and `*after` the byte after the closing quote. Adds the line feeds
// inside to `*newlines`.
inline QuotedField ReadQuotedField(const char* open, const char* e, bool eof, char** scratch,
                                   int64_t* newlines, std::string_view* value, const char** after) {
  const char* q = open + 1;
  const char* segment = q;
  char* out = nullptr;  // set once the field needs unescaping
  char* out_begin = nullptr;
  for (;;) {
    q = ScanQuoted(q, e);
    if (q == e) return eof ? QuotedField::kOpenAtEnd : QuotedField::kNeedMore;
    if (*q == '\n') {
      ++*newlines;
      ++q;
      continue;
    }
    // *q == '"'
    if (q + 1 == e && !eof) return QuotedField::kNeedMore;
    if (q + 1 < e && q[1] == '"') {
      if (out == nullptr) out = out_begin = *scratch;
      const auto len = static_cast<size_t>(q + 1 - segment);  // keeps one quote
      std::memcpy(out, segment, len);
      out += len;
      q += 2;
      segment = q;
      continue;
    }
    if (out == nullptr) {
      *value = std::string_view(segment, static_cast<size_t>(q - segment));
    } else {
      const auto len = static_cast<size_t>(q - segment);
      std::memcpy(out, segment, len);
      out += len;
      *value = std::string_view(out_begin, static_cast<size_t>(out - out_begin));
      *scratch = out;
    }
    *after = q + 1;
    return QuotedField::kClosed;
  }
}

// Validates UTF-8 in [p, e), one sequence at a time. Returns the first byte not validated: e when
// all is valid, the start of an incomplete sequence at the end (*bad false), or the first invalid
// byte (*bad true).
const char* ValidateUtf8Scalar(const char* p, const char* e, bool* bad) {
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

// The start of the character that holds the byte before `at`, when that character continues at
// or after `at`; else `at`. The bytes in [begin, at) are valid UTF-8 but for a sequence cut at
// `at`.
const char* CharacterBoundary(const char* begin, const char* at) {
  const char* q = at;
  while (q > begin && at - q < 4 && (static_cast<unsigned char>(q[-1]) & 0xC0) == 0x80) --q;
  if (q == begin) return at;
  const auto lead = static_cast<unsigned char>(q[-1]);
  const int n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return q - 1 + n > at ? q - 1 : at;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define OOAPI_CSV_X86 1
bool CpuHasAvx2Clmul() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
                          __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
  return has;
}

// The lookup algorithm of Keiser and Lemire ("Validating UTF-8 in less than one instruction per
// byte", 2021), 64 bytes per step. Only answers whether a block holds an error; the scalar
// validator then finds the first invalid byte.
__attribute__((target("avx2"))) inline __m256i Lookup16(__m256i table, __m256i index) {
  return _mm256_shuffle_epi8(table, index);
}
__attribute__((target("avx2"))) inline __m256i Prev(__m256i input, __m256i prev_input, int n) {
  const __m256i joined = _mm256_permute2x128_si256(prev_input, input, 0x21);
  switch (n) {
    case 1:
      return _mm256_alignr_epi8(input, joined, 15);
    case 2:
      return _mm256_alignr_epi8(input, joined, 14);
    default:
      return _mm256_alignr_epi8(input, joined, 13);
  }
}
__attribute__((target("avx2"))) __m256i Utf8Errors(__m256i input, __m256i prev_input) {
  constexpr char kTooShort = 1 << 0;
  constexpr char kTooLong = 1 << 1;
  constexpr char kOverlong3 = 1 << 2;
  constexpr char kTooLarge = 1 << 3;
  constexpr char kSurrogate = 1 << 4;
  constexpr char kOverlong2 = 1 << 5;
  constexpr char kTooLarge1000 = 1 << 6;
  constexpr char kOverlong4 = 1 << 6;
  constexpr char kTwoConts = static_cast<char>(1 << 7);
  constexpr char kCarry = kTooShort | kTooLong | kTwoConts;
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  const __m256i prev1 = Prev(input, prev_input, 1);
  const __m256i prev1_high = _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low4);
  const __m256i prev1_low = _mm256_and_si256(prev1, low4);
  const __m256i input_high = _mm256_and_si256(_mm256_srli_epi16(input, 4), low4);
  const __m256i byte_1_high = Lookup16(
      _mm256_setr_epi8(
          kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTwoConts,
          kTwoConts, kTwoConts, kTwoConts, kTooShort | kOverlong2, kTooShort,
          kTooShort | kOverlong3 | kSurrogate, kTooShort | kTooLarge | kTooLarge1000 | kOverlong4,
          kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTwoConts,
          kTwoConts, kTwoConts, kTwoConts, kTooShort | kOverlong2, kTooShort,
          kTooShort | kOverlong3 | kSurrogate, kTooShort | kTooLarge | kTooLarge1000 | kOverlong4),
      prev1_high);
  constexpr char kLarge = kCarry | kTooLarge | kTooLarge1000;
  const __m256i byte_1_low = Lookup16(
      _mm256_setr_epi8(kCarry | kOverlong3 | kOverlong2 | kOverlong4, kCarry | kOverlong2, kCarry,
                       kCarry, kCarry | kTooLarge, kLarge, kLarge, kLarge, kLarge, kLarge, kLarge,
                       kLarge, kLarge, kLarge | kSurrogate, kLarge, kLarge,
                       kCarry | kOverlong3 | kOverlong2 | kOverlong4, kCarry | kOverlong2, kCarry,
                       kCarry, kCarry | kTooLarge, kLarge, kLarge, kLarge, kLarge, kLarge, kLarge,
                       kLarge, kLarge, kLarge | kSurrogate, kLarge, kLarge),
      prev1_low);
  constexpr char kCont8 =
      kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4;
  constexpr char kCont9 = kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge;
  constexpr char kContAB = kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge;
  const __m256i byte_2_high = Lookup16(
      _mm256_setr_epi8(kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
                       kTooShort, kCont8, kCont9, kContAB, kContAB, kTooShort, kTooShort, kTooShort,
                       kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
                       kTooShort, kTooShort, kCont8, kCont9, kContAB, kContAB, kTooShort, kTooShort,
                       kTooShort, kTooShort),
      input_high);
  const __m256i special = _mm256_and_si256(_mm256_and_si256(byte_1_high, byte_1_low), byte_2_high);
  // A third or fourth byte must be a continuation exactly when two or three bytes back is a
  // three- or four-byte lead.
  const __m256i third = _mm256_subs_epu8(Prev(input, prev_input, 2), _mm256_set1_epi8(0x60));
  const __m256i fourth = _mm256_subs_epu8(Prev(input, prev_input, 3), _mm256_set1_epi8(0x70));
  const __m256i must23 =
      _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(static_cast<char>(0x80)));
  return _mm256_xor_si256(must23, special);
}

__attribute__((target("avx2"))) const char* ValidateUtf8Avx2(const char* p, const char* e,
                                                             bool* bad) {
  const char* const begin = p;
  __m256i prev = _mm256_setzero_si256();
  __m256i prev_incomplete = _mm256_setzero_si256();
  // the last three bytes of a 32-byte block may not start a sequence they do not finish
  const __m256i max_value =
      _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                       -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xEF),
                       static_cast<char>(0xDF), static_cast<char>(0xBF));
  while (e - p >= 64) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    __m256i error;
    if (_mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0) {
      error = prev_incomplete;
    } else {
      error = _mm256_or_si256(Utf8Errors(a, prev), Utf8Errors(b, a));
      prev_incomplete = _mm256_subs_epu8(b, max_value);
    }
    if (_mm256_testz_si256(error, error) == 0) {  // find it: from the character holding this block
      return ValidateUtf8Scalar(CharacterBoundary(begin, p), e, bad);
    }
    prev = b;
    p += 64;
  }
  return ValidateUtf8Scalar(CharacterBoundary(begin, p), e, bad);
}
#endif

bool g_simd_enabled = true;

#if defined(OOAPI_CSV_X86)
__attribute__((target("pclmul"))) inline uint64_t PrefixXor(uint64_t bits) {
  const __m128i v = _mm_set_epi64x(0, static_cast<int64_t>(bits));
  return static_cast<uint64_t>(
      _mm_cvtsi128_si64(_mm_clmulepi64_si128(v, _mm_set1_epi8(static_cast<char>(0xFF)), 0)));
}

// Bit i set when byte i of the 64 bytes (lo, hi) equals c's bytes.
__attribute__((target("avx2"))) inline uint64_t Bits64(__m256i lo, __m256i hi, __m256i c) {
  return static_cast<uint64_t>(
             static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c)))) |
         static_cast<uint64_t>(
             static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c))))
             << 32;
}

__attribute__((target("avx2,pclmul,popcnt,bmi"))) bool SkipRecordAvx2(
    const char* p, const char* e, internal::SkippedRecord* out) {
  uint64_t inside_carry = 0;  // all ones when the last block ended inside a quoted field
  uint64_t sep_carry = 1;     // the byte before the block ends a field (p starts one)
  uint64_t close_carry = 0;   // the byte before the block is a closing quote
  uint64_t cr_carry = 0;      // the byte before the block is a CR outside quotes
  int64_t separators = 0;
  int64_t newlines = 0;
  alignas(32) char pad[64];
  const __m256i comma = _mm256_set1_epi8(',');
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i lf = _mm256_set1_epi8('\n');
  const __m256i cr = _mm256_set1_epi8('\r');
  for (const char* b = p; b < e; b += 64) {
    const char* src = b;
    uint64_t valid = ~uint64_t{0};
    if (e - b < 64) {
      std::memset(pad, 0, sizeof pad);
      std::memcpy(pad, b, static_cast<size_t>(e - b));
      src = pad;
      valid = (uint64_t{1} << (e - b)) - 1;
    }
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + 32));
    const uint64_t q = Bits64(lo, hi, quote) & valid;
    const uint64_t c = Bits64(lo, hi, comma) & valid;
    const uint64_t l = Bits64(lo, hi, lf) & valid;
    const uint64_t r = Bits64(lo, hi, cr) & valid;
    // inside: set from an opening quote up to, not including, its closing quote
    const uint64_t inside = PrefixXor(q) ^ inside_carry;
    inside_carry = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
    const uint64_t open = q & inside;
    const uint64_t close = q & ~inside;
    const uint64_t c_out = c & ~inside;
    const uint64_t l_out = l & ~inside;
    const uint64_t r_out = r & ~inside;
    const bool last = l_out != 0;
    const int end = last ? __builtin_ctzll(l_out) : 63;
    const uint64_t upto = end == 63 ? ~uint64_t{0} : (uint64_t{2} << end) - 1;  // record bytes
    // An opening quote starts a field or follows a closing quote ("" inside a quoted field);
    // anything else (a quote inside an unquoted field) is left to the field loop.
    if ((open & upto & ~((c_out << 1) | sep_carry | (close << 1) | close_carry)) != 0) return false;
    // A closing quote is followed by a separator, a line break or a quote.
    const uint64_t may_follow = c | l | r | q;
    if (close_carry != 0 && (may_follow & 1) == 0) return false;
    if ((close & upto & ~(may_follow >> 1) & ~(uint64_t{1} << 63)) != 0) return false;
    // A CR outside quotes only right before the line feed that ends the record.
    if (cr_carry != 0 && (l_out & 1) == 0) return false;
    const uint64_t allowed_cr = last ? (uint64_t{1} << end) >> 1 : uint64_t{1} << 63;
    if ((r_out & upto & ~allowed_cr) != 0) return false;
    separators += __builtin_popcountll(c_out & upto);
    newlines += __builtin_popcountll(l & inside & upto);
    if (last) {
      out->end = b + end + 1;
      out->fields = separators + 1;
      out->newlines = newlines;
      out->crlf = end > 0 ? ((r_out >> (end - 1)) & 1) != 0 : cr_carry != 0;
      return true;
    }
    if (valid != ~uint64_t{0}) return false;  // no line break before e
    sep_carry = c_out >> 63;
    close_carry = close >> 63;
    cr_carry = r_out >> 63;
  }
  return false;
}
#endif

}  // namespace

namespace internal {
void SetCsvSimdForTesting(bool enabled) { g_simd_enabled = enabled; }
bool CsvSimdAvailable() {
#if defined(OOAPI_CSV_X86)
  return CpuHasAvx2Clmul();
#else
  return false;
#endif
}

bool SkipRecord(const char* p, const char* e, SkippedRecord* out) {
#if defined(OOAPI_CSV_X86)
  if (g_simd_enabled && CpuHasAvx2Clmul()) return SkipRecordAvx2(p, e, out);
#endif
  (void)p;
  (void)e;
  (void)out;
  return false;
}

const char* ValidateUtf8(const char* p, const char* e, bool* bad) {
#if defined(OOAPI_CSV_X86)
  if (g_simd_enabled && CpuHasAvx2Clmul()) return ValidateUtf8Avx2(p, e, bad);
#endif
  return ValidateUtf8Scalar(p, e, bad);
}
}  // namespace internal

namespace {
using internal::ValidateUtf8;

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
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;  // allowed range of the second byte
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
      return {StatusCode::kUnavailable, name + ": mmap failed: " + std::strerror(errno)};
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

StatusOr<std::unique_ptr<CsvReader>> CsvReader::OpenFileAt(const std::string& path,
                                                           std::string name, Options options,
                                                           const CsvPosition& start) {
  OOAPI_ASSIGN_OR_RETURN(auto reader, OpenFile(path, std::move(name), std::move(options)));
  if (!reader->source_->mapped || start.byte_offset < 0 ||
      start.byte_offset > reader->source_->file_size) {
    return InvalidArgument(reader->name_ + ": cannot start reading at byte offset " +
                           std::to_string(start.byte_offset));
  }
  reader->started_ = true;
  reader->base_offset_ = start.byte_offset;
  reader->utf8_checked_ = start.byte_offset;
  reader->next_record_ = start.record;
  reader->next_line_ = start.line;
  return reader;
}

Status CsvReader::Seek(const CsvPosition& start) {
  if (!source_->mapped || start.byte_offset < 0 || start.byte_offset > source_->file_size) {
    return InvalidArgument(name_ + ": cannot start reading at byte offset " +
                           std::to_string(start.byte_offset));
  }
  started_ = true;
  const int64_t window_end = base_offset_ + static_cast<int64_t>(end_);
  if (data_ != nullptr && start.byte_offset >= base_offset_ && start.byte_offset <= window_end) {
    pos_ = static_cast<size_t>(start.byte_offset - base_offset_);
  } else {  // the next Refill maps the window that holds `start`
    source_->Unmap();
    data_ = nullptr;
    base_offset_ = start.byte_offset;
    pos_ = end_ = 0;
    eof_ = false;
    utf8_checked_ = start.byte_offset;
  }
  missing_final_newline_ = false;
  next_record_ = start.record;
  next_line_ = start.line;
  return Status::Ok();
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

Status CsvReader::ParseWhole() {
  if (whole_) return Status::Ok();
  // The record is still in the window: parse it again from its start, every field.
  const CsvPosition position = position_;
  const size_t pos = pos_;
  const size_t prefix = prefix_;
  const bool missing = missing_final_newline_;
  const int64_t next_record = next_record_;
  const int64_t next_line = next_line_;
  pos_ = record_begin_;
  next_record_ = position.record;
  next_line_ = position.line;
  prefix_ = 0;
  const Step step = ParseRecord();
  prefix_ = prefix;
  if (step != Step::kRecord || pos_ != pos || next_line_ != next_line ||
      next_record_ != next_record || missing_final_newline_ != missing) {
    return Internal(DescribePosition(name_, position, "the record parses differently twice"));
  }
  return Status::Ok();
}

CsvReader::Step CsvReader::ParseRecord() {
  const char* const buf = data_;
  const char* p = buf + pos_;
  const char* const e = buf + end_;
  if (p == e) return eof_ ? Step::kEnd : Step::kNeedMore;
  CsvPosition start{next_record_, next_line_, base_offset_ + static_cast<int64_t>(pos_)};
  const size_t record_begin = pos_;
  fields_.clear();
  char* scratch = scratch_.get();
  int64_t newlines = 0;
  bool crlf = false;
  int64_t skipped_fields = 0;
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
    record_begin_ = record_begin;
    if (skipped_fields == 0) {
      field_count_ = fields_.size();
      whole_ = true;
    } else {
      field_count_ = fields_.size() + static_cast<size_t>(skipped_fields);
      whole_ = false;
    }
    ++next_record_;
    next_line_ += newlines + (newline ? 1 : 0);
    if (crlf) saw_crlf_ = true;
    missing_final_newline_ = !newline;
    pos_ = static_cast<size_t>(next - buf);
    return Step::kRecord;
  };
  for (;;) {  // one field per iteration
    if (prefix_ != 0 && fields_.size() == prefix_ && p != e) {
      internal::SkippedRecord rest;
      if (internal::SkipRecord(p, e, &rest)) {
        skipped_fields = rest.fields;
        newlines += rest.newlines;
        crlf = rest.crlf;
        return finish(rest.end, true);
      }
    }
    if (p == e) {
      if (!eof_) return Step::kNeedMore;
      fields_.emplace_back();  // "a," at end of file: a last, empty field
      return finish(p, false);
    }
    if (*p == '"') {
      std::string_view value;
      const char* after = nullptr;
      switch (ReadQuotedField(p, e, eof_, &scratch, &newlines, &value, &after)) {
        case QuotedField::kClosed:
          break;
        case QuotedField::kNeedMore:
          return Step::kNeedMore;
        case QuotedField::kOpenAtEnd:
          return fail(p, "quote still open at end of file; the quoted field opens", e);
      }
      fields_.push_back(value);
      p = after;
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
  for (const NameValueLine& line : NameValueLines(text, "=")) {
    if (!line.separated) {
      return LineError(source_name, line.number,
                       "expected CANONICAL = Header or file.CANONICAL = Header");
    }
    if (line.name.empty() || line.value.empty()) {
      return LineError(source_name, line.number, "empty name");
    }
    const std::string key(line.name);
    const size_t dot = key.rfind('.');
    std::string file = dot == std::string::npos ? "" : key.substr(0, dot);
    if (EndsWith(file, ".csv")) file.resize(file.size() - 4);
    const std::string canonical = UpperTrim(dot == std::string::npos ? key : key.substr(dot + 1));
    if (!map.entries_.emplace(file + "." + canonical, std::string(line.value)).second) {
      return LineError(source_name, line.number, key + " is mapped twice");
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
