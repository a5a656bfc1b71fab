#include "ooapi/endpoint/http_server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "ooapi/common/log.h"
#include "ooapi/common/strings.h"
#include "ooapi/endpoint/auth.h"
#include "ooapi/endpoint/problem.h"
#include "ooapi/endpoint/trace.h"

namespace ooapi::endpoint {
namespace {

using namespace Pistache;  // NOLINT(google-build-using-namespace): Pistache's nested names

// A request handed from an I/O thread to a worker. The ResponseWriter may be used from another
// thread: Pistache queues the write to the connection's reactor.
struct Job {
  HttpRequest request;
  std::string logged_path;  // Handler::LoggedPath of the request's path
  Http::ResponseWriter writer;
  bool keep_alive_default = false;  // HTTP/1.1 request without a Connection header
  std::string query_text;           // for the access log, values of secret-looking names redacted
  std::chrono::steady_clock::time_point started;
  TraceContext trace;
};

// True for query parameter names that may carry a credential (api_key, access_token, ...): their
// values never reach the log.
bool IsSecretParameter(std::string_view raw_name) {
  const std::string name =
      ToLowerAscii(PercentDecode(raw_name, true).value_or(std::string(raw_name)));
  static constexpr std::array<std::string_view, 10> kWords{
      "key", "token", "secret",     "password",  "passwd",
      "pwd", "auth",  "credential", "signature", "session"};
  return std::ranges::any_of(
      kWords, [&name](std::string_view word) { return name.find(word) != std::string::npos; });
}

// "?a=1&api_key=[redacted]" from the raw query pairs, for the access log.
std::string LoggedQuery(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    out.append(out.empty() ? "?" : "&").append(name).append(1, '=');
    out.append(IsSecretParameter(name) ? "[redacted]" : value);
  }
  return out;
}

// A response header whose name is only known at run time (Allow, traceparent, WWW-Authenticate).
class DynamicHeader final : public Http::Header::Header {
 public:
  DynamicHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& stream) const override { stream << value_; }
  uint64_t hash() const override { return Http::Header::detail::hash(name_.c_str()); }

 private:
  std::string name_;
  std::string value_;
};

// State shared by every clone of the handler (Pistache clones handlers per I/O thread) and by the
// workers. Thread-safe.
class Shared {
 public:
  Shared(const Handler* handler, bool access_log, int workers, int max_queued,
         int max_request_bytes, const config::AuthConfig& auth, std::string name)
      : handler_(handler),
        access_log_(access_log),
        max_queued_(static_cast<size_t>(max_queued)),
        max_request_bytes_(max_request_bytes),
        auth_(auth),
        name_(std::move(name)) {
    for (int i = 0; i < workers; ++i) {
      threads_.emplace_back([this] { Work(); });
    }
  }
  ~Shared() { Stop(); }

  std::atomic<int> in_flight{0};  // accepted and not yet answered
  std::atomic<bool> draining{false};

  const Authenticator& auth() const { return auth_; }
  const Handler& handler() const { return *handler_; }

  // Queues `job`; false (and `job` untouched) when the queue is full or stopped.
  bool Submit(std::unique_ptr<Job>& job) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_ || queue_.size() >= max_queued_ + idle_) {
      return false;
    }
    queue_.push_back(std::move(job));
    ready_.notify_one();
    return true;
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopped_) {
        return;
      }
      stopped_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) {
      t.join();
    }
  }

  // Checks the credentials, runs Handler::Handle (or the drain answer) and sends the response.
  // Any thread; normally a worker, so that key stretching (pbkdf2) never holds an I/O thread.
  void Answer(Job& job, bool refuse) {
    HttpResponse resp;
    AuthOutcome auth;
    if (refuse) {
      resp = ProblemResponse(Status(StatusCode::kUnavailable, "overloaded or shutting down"));
    } else if (job.request.body.size() > static_cast<size_t>(max_request_bytes_)) {
      // Pistache bounds the whole request already; this keeps the promise for any body framing.
      resp = PayloadTooLarge(max_request_bytes_);
    } else {
      if (handler_->IsOpenPath(job.request.path)) {
        auth.result = AuthResult::kOpen;
      } else {
        auth = auth_.Check(job.request);
      }
      if (auth.allowed()) {
        job.request.client = auth.client;
        resp = handler_->Handle(job.request);  // never throws
      } else {
        resp = auth_.Unauthorized();
        handler_->OnRefused(job.request, resp, AuthFailureName(auth.result));
      }
    }
    resp.headers.emplace_back("traceparent", job.trace.TraceParentHeader());
    Http::ResponseWriter& writer = job.writer;
    // HTTP/1.1 connections are persistent unless the client says otherwise (RFC 9112 §9.3);
    // Pistache adds "Connection: Close" when the request has no Connection header (B.2.3).
    if (job.keep_alive_default) {
      writer.headers().remove<Http::Header::Connection>();
    }
    if (refuse && draining.load()) {
      writer.headers().remove<Http::Header::Connection>();
      writer.headers().add<Http::Header::Connection>(Http::ConnectionControl::Close);
    }
    for (const auto& [name, value] : resp.headers) {
      writer.headers().add(std::make_shared<DynamicHeader>(name, value));
    }
    writer.send(static_cast<Http::Code>(resp.status), resp.body,
                Http::Mime::MediaType::fromString(resp.content_type));
    if (access_log_) {
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - job.started)
                              .count();
      // Never a header value or a credential: only the client's configured name.
      std::vector<log::Field> fields{{"method", job.request.method},
                                     {"path", job.logged_path + job.query_text},
                                     {"status", resp.status},
                                     {"duration_ms", static_cast<double>(micros) / 1000.0},
                                     {"bytes", static_cast<int64_t>(resp.body.size())},
                                     {"client", auth.client},
                                     {"trace_id", job.trace.trace_id},
                                     {"span_id", job.trace.span_id}};
      if (!job.trace.parent_id.empty()) fields.emplace_back("parent_id", job.trace.parent_id);
      if (!auth.allowed()) fields.emplace_back("auth", AuthFailureName(auth.result));
      if (!name_.empty()) fields.emplace_back("listener", name_);
      log::Info("access", fields);
    }
    --in_flight;
  }

 private:
  void Work() {
    while (true) {
      std::unique_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ++idle_;
        ready_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
        --idle_;
        if (queue_.empty()) {
          return;  // stopped
        }
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      Answer(*job, false);
    }
  }

  const Handler* handler_;
  const bool access_log_;
  const size_t max_queued_;
  const int max_request_bytes_;
  const Authenticator auth_;
  const std::string name_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::unique_ptr<Job>> queue_;  // guarded by mutex_
  size_t idle_ = 0;                         // workers waiting; guarded by mutex_
  bool stopped_ = false;                    // guarded by mutex_
  std::vector<std::thread> threads_;
};

class PistacheHandler final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)

  explicit PistacheHandler(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  // Runs on an I/O thread: copies what the handler needs out of Pistache's request and hands it to
  // a worker, so the I/O thread is free again at once.
  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    ++shared_->in_flight;
    auto job = std::make_unique<Job>(
        Job{HttpRequest{}, "", std::move(writer), false, "", std::chrono::steady_clock::now(), {}});
    HttpRequest& req = job->request;
    req.method = Http::methodString(request.method());
    req.path = request.resource();
    job->logged_path = shared_->handler().LoggedPath(req.path);
    req.body = request.body();
    for (auto it = request.query().parameters_begin(); it != request.query().parameters_end();
         ++it) {
      req.query.emplace_back(it->first, it->second);
    }
    for (const char* name : {"accept", "content-type", "traceparent", "authorization"}) {
      if (auto raw = request.headers().tryGetRaw(name)) {
        req.headers.emplace_back(name, raw->value());
      }
    }
    for (const std::string& name : shared_->auth().ApiKeyHeaders()) {
      if (auto raw = request.headers().tryGetRaw(name)) {
        req.headers.emplace_back(name, raw->value());
      }
    }
    job->trace = StartSpan(req.Header("traceparent"));
    req.trace_id = job->trace.trace_id;
    job->keep_alive_default = request.version() == Http::Version::Http11 &&
                              !request.headers().has<Http::Header::Connection>();
    job->query_text = LoggedQuery(req.query);
    if (shared_->draining.load() || !shared_->Submit(job)) {
      shared_->Answer(*job, true);
    }
  }

  void onTimeout(const Http::Request& /*request*/, Http::ResponseWriter writer) override {
    writer.headers().add<Http::Header::Connection>(Http::ConnectionControl::Close);
    writer.send(Http::Code::Request_Timeout, "");
  }

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace

struct HttpServer::Impl {
  config::ServerConfig config;
  std::string name;
  std::shared_ptr<Shared> shared;
  std::unique_ptr<Http::Endpoint> endpoint;
  bool running = false;
};

HttpServer::HttpServer(const config::ServerConfig& config, bool access_log, const Handler* handler,
                       const config::AuthConfig& auth, const std::string& name)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  impl_->name = name;
  impl_->shared = std::make_shared<Shared>(handler, access_log, config.workers, config.max_queued,
                                           config.max_request_bytes, auth, name);
}

HttpServer::~HttpServer() { Shutdown(); }

Status HttpServer::Start() {
  const auto& c = impl_->config;
  try {
    Address address(c.address, Port(static_cast<uint16_t>(c.port)));
    impl_->endpoint = std::make_unique<Http::Endpoint>(address);
    auto options = Http::Endpoint::options()
                       .threads(c.threads)
                       .threadsName(impl_->name.empty() ? "ooapi-io" : "ooapi-" + impl_->name)
                       .flags(Tcp::Options::ReuseAddr)
                       .maxRequestSize(static_cast<size_t>(c.max_request_bytes))
                       .headerTimeout(std::chrono::milliseconds(c.header_timeout_ms))
                       .bodyTimeout(std::chrono::milliseconds(c.body_timeout_ms))
                       .keepaliveTimeout(std::chrono::seconds(c.keepalive_timeout_s));
    impl_->endpoint->init(options);
    impl_->endpoint->setHandler(Http::make_handler<PistacheHandler>(impl_->shared));
    impl_->endpoint->serveThreaded();
    impl_->running = true;
  } catch (const std::exception& e) {
    impl_->endpoint.reset();
    return Unavailable("cannot listen on " + c.address + ":" + std::to_string(c.port) + ": " +
                       e.what());
  }
  return Status::Ok();
}

uint16_t HttpServer::port() const {
  return impl_->endpoint ? static_cast<uint16_t>(impl_->endpoint->getPort()) : 0;
}

int HttpServer::in_flight() const { return impl_->shared->in_flight.load(); }

int HttpServer::Drain(std::chrono::milliseconds deadline) {
  impl_->shared->draining.store(true);
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (impl_->shared->in_flight.load() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const int left = impl_->shared->in_flight.load();
  // Responses are queued to the reactor by send(); give it a moment to put them on the wire.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Shutdown();
  return left;
}

void HttpServer::Shutdown() {
  if (impl_->endpoint && impl_->running) {
    impl_->running = false;
    impl_->endpoint->shutdown();
  }
  impl_->shared->Stop();
}

}  // namespace ooapi::endpoint
