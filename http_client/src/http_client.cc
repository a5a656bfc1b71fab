#include "ooapi/http_client/http_client.h"

#include <curl/curl.h>

#include <exception>
#include <memory>
#include <mutex>

namespace ooapi::http_client {
namespace {

// libcurl's options and infos take and give `long` through varargs, so the type must be exact;
// the rest of the tree uses int.
long CurlLong(int value) { return value; }  // NOLINT(google-runtime-int): libcurl's type

int ResponseCode(CURL* c) {
  long code = 0;  // NOLINT(google-runtime-int): libcurl's type
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  return static_cast<int>(code);
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using HeaderList = std::unique_ptr<curl_slist, ListDeleter>;

// Where libcurl's write callback puts the body of one exchange.
struct BodyTarget {
  CURL* curl = nullptr;
  const BodySink* sink = nullptr;  // null: collect into `body`
  std::string* body = nullptr;
  bool aborted = false;
  std::string abort_reason;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* target = static_cast<BodyTarget*>(user);
  const size_t bytes = size * count;
  if (target->sink == nullptr) {
    target->body->append(data, bytes);
    return bytes;
  }
  if (bytes == 0) return 0;  // nothing to hand over (the sink is promised non-empty chunks)
  const int status = ResponseCode(target->curl);
  // An exception must not unwind through libcurl's C frames.
  try {
    if ((*target->sink)(status, std::string_view(data, bytes))) return bytes;
    target->abort_reason = "the body sink stopped the transfer";
  } catch (const std::exception& e) {
    target->abort_reason = std::string("the body sink failed: ") + e.what();
  } catch (...) {
    target->abort_reason = "the body sink failed";
  }
  target->aborted = true;
  return 0;  // anything but `bytes` makes libcurl stop with CURLE_WRITE_ERROR
}

Failure Classify(CURLcode code, bool aborted) {
  if (code == CURLE_OK) return Failure::kNone;
  if (aborted) return Failure::kAborted;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Failure::kNotSent;
    // A connect timeout lands here too: libcurl does not tell it apart, so it counts as possibly
    // received, the safe side for callers that must not repeat a request.
    case CURLE_OPERATION_TIMEDOUT:
      return Failure::kTimedOut;
    default:
      return Failure::kTransfer;
  }
}

// Appends `line` to `list`; false when libcurl runs out of memory (`list` is then unchanged).
bool AppendHeader(HeaderList* list, const std::string& line) {
  curl_slist* next = curl_slist_append(list->get(), line.c_str());
  if (next == nullptr) return false;
  (void)list->release();  // `next` is the same list, extended
  list->reset(next);
  return true;
}

// The request headers; false when they cannot be built.
bool BuildHeaders(const HttpRequest& request, HeaderList* list) {
  for (const auto& [name, value] : request.headers) {
    if (!AppendHeader(list, name + ": " + value)) return false;
  }
  // Without this, libcurl adds "Expect: 100-continue" to larger POSTs.
  (void)AppendHeader(list, "Expect:");
  return true;
}

// Sets what the request asks for on `c`. Strings are referenced, not copied: `request` and
// `range` must outlive the transfer.
void SetRequestOptions(CURL* c, const HttpRequest& request, const std::string& range) {
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CurlLong(request.connect_timeout_s));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, CurlLong(request.timeout_s));
  if (request.stall_timeout_s > 0) {
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, CurlLong(request.stall_timeout_s));
  }
  curl_easy_setopt(c, CURLOPT_USERAGENT, request.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, request.max_redirects > 0 ? 1L : 0L);
  if (request.max_redirects > 0) {
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, CurlLong(request.max_redirects));
  }
  // "": every encoding this libcurl was built to decode.
  if (request.accept_compressed) curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  // CURLOPT_RANGE rather than CURLOPT_RESUME_FROM_LARGE: the latter fails the transfer when the
  // server ignores the range and sends the whole body, which the caller can use instead.
  if (!range.empty()) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
  if (!request.basic_user.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, request.basic_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, request.basic_password.c_str());
  }
  if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

// Fills status, content type and length, or the failure, after curl_easy_perform.
void ReadOutcome(CURL* c, CURLcode code, const BodyTarget& target, const char* error,
                 HttpResponse* r) {
  char* type = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) {
    r->content_type = type;
  }
  r->failure = Classify(code, target.aborted);
  if (r->failure == Failure::kNone) {
    r->status = ResponseCode(c);
    curl_off_t length = -1;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK) {
      r->content_length = length;
    }
    return;
  }
  r->status = 0;
  r->maybe_received = r->failure != Failure::kNotSent;
  if (r->failure == Failure::kAborted) {
    r->error = target.abort_reason;
  } else {
    r->error = error[0] != '\0' ? error : curl_easy_strerror(code);
  }
}

// Each exchange gets its own easy handle and no state is shared between calls, which is what
// makes concurrent use safe.
class CurlTransport final : public Transport {
 public:
  CurlTransport() { CurlGlobalInit(); }

  HttpResponse Perform(const HttpRequest& request) override {
    HttpResponse r;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
      r.failure = Failure::kNotSent;
      r.error = "curl_easy_init failed";
      return r;
    }
    CURL* c = curl.get();
    HeaderList headers;
    if (!BuildHeaders(request, &headers)) {
      r.failure = Failure::kNotSent;
      r.error = "out of memory building headers";
      return r;
    }
    const std::string range =
        request.resume_from > 0 ? std::to_string(request.resume_from) + "-" : std::string();
    SetRequestOptions(c, request, range);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    BodyTarget target;
    target.curl = c;
    target.sink = request.body_sink ? &request.body_sink : nullptr;
    target.body = &r.body;
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &target);
    const CURLcode code = curl_easy_perform(c);
    ReadOutcome(c, code, target, error, &r);
    return r;
  }
};

}  // namespace

Transport::~Transport() = default;

Transport* Transport::Default() {
  // Never destroyed: threads still running at exit may be using it.
  static Transport* const transport = new CurlTransport;
  return transport;
}

HttpResponse Perform(const HttpRequest& request) { return Transport::Default()->Perform(request); }

void CurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace ooapi::http_client
