#include "ooapi/sync/rio/download.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string_view>
#include <thread>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/http_client/http_client.h"
#include "ooapi/sync/rio/csv.h"
#include "ooapi/sync/rio/import.h"

namespace ooapi::sync {
namespace {

using http_client::Failure;
using http_client::HttpRequest;
using http_client::HttpResponse;
using http_client::UrlEncode;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

int64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

bool Answered(const HttpResponse& r) { return r.failure == Failure::kNone; }

// A failed exchange (dropped, timed out) and the server-side HTTP errors are worth another try.
bool Retryable(const HttpResponse& r) {
  if (!Answered(r)) return true;
  return r.status >= 500 || r.status == 408 || r.status == 429;
}

std::string Describe(const HttpResponse& r, const std::string& url) {
  if (!Answered(r)) return url + ": " + r.error;
  return url + ": HTTP " + std::to_string(r.status);
}

// The body sink of a file request: writes the body of a 200 or 206 into the partial file. The
// body of any other status (an error page) is not the file; it is read and dropped so that the
// exchange completes and its status decides what happens next.
class PartSink {
 public:
  PartSink(std::string path, int64_t resume_from, int64_t total,
           const std::function<void(int64_t, int64_t)>& on_progress)
      : path_(std::move(path)),
        resume_from_(resume_from),
        total_(total),
        on_progress_(on_progress) {}

  // For HttpRequest::body_sink; false when the file cannot be opened or written.
  bool Write(int status, std::string_view data) {
    if (!started_ && !Start(status)) return false;
    if (!file_) return true;  // an error page
    if (std::fwrite(data.data(), 1, data.size(), file_.get()) != data.size()) {
      return Fail(path_ + ": write failed: " + std::strerror(errno));
    }
    written_ += static_cast<int64_t>(data.size());
    if (on_progress_) on_progress_(resume_from_ + written_, total_);
    return true;
  }

  // Flushes and closes the file; false when that or an earlier write failed (error() says why).
  bool Close() {
    if (file_ && std::fclose(file_.release()) != 0) {
      Fail(path_ + ": " + std::strerror(errno));
    }
    return error_.empty();
  }

  const std::string& error() const { return error_; }
  // A 206 continued the existing partial file.
  bool appended() const { return appended_; }
  // Where the body of this response starts in the file: 0 unless appended.
  int64_t offset() const { return appended_ ? resume_from_ : 0; }

 private:
  bool Start(int status) {
    started_ = true;
    if (status != 200 && status != 206) return true;
    // 200 on a range request: the server ignored the range, so start the file over.
    appended_ = status == 206 && resume_from_ > 0;
    if (!appended_) resume_from_ = 0;
    file_.reset(std::fopen(path_.c_str(), appended_ ? "ab" : "wb"));
    if (!file_) return Fail(path_ + ": " + std::strerror(errno));
    return true;
  }
  bool Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  const std::string path_;
  int64_t resume_from_;
  const int64_t total_;  // for on_progress: the expected size, 0 when unknown
  const std::function<void(int64_t, int64_t)>& on_progress_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  bool started_ = false;
  bool appended_ = false;
  int64_t written_ = 0;
  std::string error_;
};

// Counts the data records of a CSV file, quote-aware (the header is not counted); a record with
// another number of fields than the header (a body cut inside its last record) is an error.
StatusOr<int64_t> CountRecords(const std::string& path, const std::string& name) {
  OOAPI_ASSIGN_OR_RETURN(auto reader, CsvReader::OpenFile(path, name, {}));
  OOAPI_ASSIGN_OR_RETURN(bool has_header, reader->Next());
  if (!has_header) return InvalidArgument(name + ": the file is empty (no header)");
  const size_t columns = reader->fields().size();
  int64_t records = 0;
  for (;;) {
    OOAPI_ASSIGN_OR_RETURN(bool more, reader->Next());
    if (!more) break;
    ++records;
    if (reader->fields().size() != columns) {
      return reader->ErrorAt(reader->position(),
                             std::to_string(reader->fields().size()) + " fields, the header has " +
                                 std::to_string(columns) + ": truncated download?");
    }
  }
  return records;
}

class Downloader {
 public:
  explicit Downloader(const DownloadOptions& options)
      : options_(options),
        transport_(options.transport != nullptr ? options.transport
                                                : http_client::Transport::Default()) {}
  StatusOr<std::vector<DownloadedFile>> Run();

 private:
  struct Resource {
    std::string id, url;
    int64_t size = -1;
  };
  // One file's download across its attempts.
  struct FileJob {
    std::string file;  // <name>.csv
    std::string url;
    std::string final_path;  // where a verified download ends up
    std::string part;        // where it is written until then, and resumed from
    int64_t expected = -1;   // bytes, from CKAN or else the server's announcement; -1 unknown
    std::string last_error;  // why the last attempt did not complete the file
  };

  HttpRequest NewRequest(const std::string& url) const;
  // GETs `url` with retries; the JSON body's "result" must be present and "success" true.
  StatusOr<rapidjson::Document> GetJson(const std::string& url, bool* not_found);
  StatusOr<std::map<std::string, Resource>> PackageShow();
  StatusOr<int64_t> DatastoreTotal(const std::string& resource_id);
  FileJob NewJob(const std::string& name, const Resource& resource) const;
  Status Fetch(const std::string& name, const Resource& resource, DownloadedFile* out);
  Status Transfer(FileJob* job, DownloadedFile* out);
  StatusOr<bool> Attempt(FileJob* job, DownloadedFile* out);
  StatusOr<bool> Judge(const HttpResponse& r, const PartSink& sink, FileJob* job) const;
  Status Verify(const FileJob& job, DownloadedFile* out) const;
  Status Store(const FileJob& job, const DownloadedFile& file) const;
  void Sleep(int attempt) const {
    int64_t delay = options_.retry_delay_ms;
    for (int i = 1; i < attempt && delay < 60000; ++i) delay *= 2;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  }
  std::string Base() const {
    std::string base = options_.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
  }

  const DownloadOptions& options_;
  http_client::Transport* const transport_;
};

HttpRequest Downloader::NewRequest(const std::string& url) const {
  HttpRequest request;
  request.url = url;
  request.max_redirects = 5;
  request.connect_timeout_s = options_.connect_timeout_s;
  request.timeout_s = options_.request_timeout_s;
  // A stalled transfer (under 1 byte/s for stall_timeout_s) is abandoned and retried.
  request.stall_timeout_s = options_.stall_timeout_s;
  request.user_agent = "ooapi-endpoint rio download";
  request.accept_compressed = true;  // identity or compressed
  return request;
}

StatusOr<rapidjson::Document> Downloader::GetJson(const std::string& url, bool* not_found) {
  HttpResponse r;
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) Sleep(attempt);
    r = transport_->Perform(NewRequest(url));
    if (Answered(r) && r.status == 200) break;
    if (!Retryable(r) || attempt >= options_.retries) {
      if (not_found != nullptr && Answered(r) && r.status == 404) {
        *not_found = true;
        return rapidjson::Document();
      }
      return Unavailable(Describe(r, url) + " (after " + std::to_string(attempt + 1) +
                         " attempts)");
    }
  }
  rapidjson::Document doc;
  doc.Parse(r.body.data(), r.body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return Unavailable(url +
                       ": not a JSON object: " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  auto success = doc.FindMember("success");
  auto result = doc.FindMember("result");
  if (success == doc.MemberEnd() || !success->value.IsBool() || !success->value.GetBool() ||
      result == doc.MemberEnd()) {
    if (not_found != nullptr) {
      *not_found = true;
      return rapidjson::Document();
    }
    return Unavailable(url + ": CKAN answered success=false");
  }
  return doc;
}

StatusOr<std::map<std::string, Downloader::Resource>> Downloader::PackageShow() {
  const std::string url = Base() + "/api/3/action/package_show?id=" + UrlEncode(options_.package);
  OOAPI_ASSIGN_OR_RETURN(rapidjson::Document doc, GetJson(url, nullptr));
  const rapidjson::Value& result = doc["result"];
  if (!result.IsObject() || !result.HasMember("resources") || !result["resources"].IsArray()) {
    return Unavailable(url + ": result.resources is not a list");
  }
  std::map<std::string, Resource> resources;
  for (const rapidjson::Value& r : result["resources"].GetArray()) {
    if (!r.IsObject() || !r.HasMember("name") || !r["name"].IsString() || !r.HasMember("id") ||
        !r["id"].IsString()) {
      continue;
    }
    std::string name = ToLowerAscii(TrimAscii(r["name"].GetString()));
    if (EndsWith(name, ".csv")) name.resize(name.size() - 4);
    Resource resource;
    resource.id = r["id"].GetString();
    if (r.HasMember("url") && r["url"].IsString()) resource.url = r["url"].GetString();
    if (r.HasMember("size") && r["size"].IsInt64()) resource.size = r["size"].GetInt64();
    if (r.HasMember("size") && r["size"].IsString()) {
      resource.size = ParseInt64(r["size"].GetString()).value_or(-1);
    }
    resources.emplace(std::move(name), std::move(resource));  // the first of a name wins
  }
  return resources;
}

StatusOr<int64_t> Downloader::DatastoreTotal(const std::string& resource_id) {
  const std::string url =
      Base() + "/api/3/action/datastore_search?resource_id=" + UrlEncode(resource_id) + "&limit=0";
  bool not_found = false;
  OOAPI_ASSIGN_OR_RETURN(rapidjson::Document doc, GetJson(url, &not_found));
  if (not_found) return int64_t{-1};
  const rapidjson::Value& result = doc["result"];
  if (!result.IsObject() || !result.HasMember("total") || !result["total"].IsInt64()) {
    return Unavailable(url + ": result.total is not a number");
  }
  return result["total"].GetInt64();
}

Downloader::FileJob Downloader::NewJob(const std::string& name, const Resource& resource) const {
  FileJob job;
  job.file = name + ".csv";
  job.final_path = options_.to_dir + "/" + job.file;
  job.part = job.final_path + ".part";
  job.url = resource.url;
  if (job.url.empty() || job.url[0] == '/') {
    job.url = job.url.empty() ? "/dataset/" + UrlEncode(options_.package) + "/resource/" +
                                    UrlEncode(resource.id) + "/download/" + job.file
                              : job.url;
    job.url = Base() + job.url;
  }
  job.expected = resource.size > 0 ? resource.size : -1;
  return job;
}

Status Downloader::Fetch(const std::string& name, const Resource& resource, DownloadedFile* out) {
  FileJob job = NewJob(name, resource);
  out->name = name;
  out->path = job.final_path;
  OOAPI_ASSIGN_OR_RETURN(out->datastore_total, DatastoreTotal(resource.id));
  OOAPI_RETURN_IF_ERROR(Transfer(&job, out));
  OOAPI_RETURN_IF_ERROR(Verify(job, out));
  return Store(job, *out);
}

// Downloads into job->part, resuming after every failed attempt. Ok when the part file holds the
// whole body; after the retries it is kept for the next run to resume.
Status Downloader::Transfer(FileJob* job, DownloadedFile* out) {
  for (int attempt = 0; attempt <= options_.retries; ++attempt) {
    if (attempt > 0) Sleep(attempt);
    out->attempts = attempt + 1;
    OOAPI_ASSIGN_OR_RETURN(const bool complete, Attempt(job, out));
    if (complete) return Status::Ok();
  }
  return Unavailable(job->file + ": not downloaded after " + std::to_string(out->attempts) +
                     " attempts (" + job->last_error + "); " + job->file +
                     ".part is kept for the next run to resume");
}

// One request for the file, resuming the part file when there is one. True when the part file is
// complete, false to try again.
StatusOr<bool> Downloader::Attempt(FileJob* job, DownloadedFile* out) {
  int64_t resume_from = std::max<int64_t>(FileSize(job->part), 0);
  if (job->expected > 0 && resume_from >= job->expected) {
    // Longer than CKAN says, or complete but not verified: start over.
    ::unlink(job->part.c_str());
    resume_from = 0;
  }
  PartSink sink(job->part, resume_from, job->expected > 0 ? job->expected : 0,
                options_.on_progress);
  HttpRequest request = NewRequest(job->url);
  request.timeout_s = 0;  // a file takes as long as it takes; the stall limit ends a dead one
  request.body_sink = [&sink](int status, std::string_view data) {
    return sink.Write(status, data);
  };
  // Resuming needs an uncompressed, byte-addressed body.
  if (resume_from > 0) {
    request.accept_compressed = false;
    request.resume_from = resume_from;
  }
  const HttpResponse r = transport_->Perform(request);
  if (!sink.Close()) return Unavailable(job->file + ": " + sink.error());
  if (sink.appended()) out->resumed = true;
  return Judge(r, sink, job);
}

// What the response to an attempt means for the part file: true when it is complete, false to try
// again (job->last_error says why), or an error that ends the download of this file.
StatusOr<bool> Downloader::Judge(const HttpResponse& r, const PartSink& sink, FileJob* job) const {
  if (Answered(r) && r.status == 416) {  // the partial file is not a prefix we can extend
    ::unlink(job->part.c_str());
    job->last_error = Describe(r, job->url);
    return false;
  }
  if (Answered(r) && r.status != 200 && r.status != 206) {
    job->last_error = Describe(r, job->url);
    if (!Retryable(r)) return Unavailable(job->file + ": " + job->last_error);
    return false;
  }
  if (Answered(r) && r.content_length >= 0) {
    const int64_t announced = sink.offset() + r.content_length;
    if (job->expected > 0 && announced != job->expected) {
      return InvalidArgument(job->file + ": the server announces " + std::to_string(announced) +
                             " bytes, CKAN's resource size is " + std::to_string(job->expected));
    }
    job->expected = announced;
  }
  if (!Answered(r)) {  // dropped, timed out: keep the partial file and resume
    job->last_error = Describe(r, job->url);
    return false;
  }
  const int64_t have = FileSize(job->part);
  if (job->expected > 0 && have < job->expected) {
    job->last_error = job->file + ": body ended after " + std::to_string(have) + " of " +
                      std::to_string(job->expected) + " bytes";
    return false;  // resume from where it stopped
  }
  return true;
}

// Checks the complete part file against the expected size and the datastore row count. A file
// that fails is deleted, so that it is neither resumed nor taken for a download.
Status Downloader::Verify(const FileJob& job, DownloadedFile* out) const {
  const int64_t have = FileSize(job.part);
  out->bytes = have;
  auto refuse = [&](const std::string& why) {
    ::unlink(job.part.c_str());
    return InvalidArgument(job.file + ": " + why + "; refused, not stored as " + job.final_path);
  };
  if (job.expected > 0 && have != job.expected) {
    return refuse(std::to_string(have) + " bytes, expected " + std::to_string(job.expected));
  }
  auto records = CountRecords(job.part, job.file);
  if (!records.ok()) return refuse(std::string(records.status().message()));
  out->records = *records;
  if (out->datastore_total >= 0 && out->datastore_total != out->records) {
    return refuse(std::to_string(out->records) + " records, expected " +
                  std::to_string(out->datastore_total) +
                  " (from the CKAN datastore_search total): truncated download?");
  }
  return Status::Ok();
}

// Writes the `.count` sidecar `rio import` checks against (or removes a stale one), then gives the
// verified part file its final name.
Status Downloader::Store(const FileJob& job, const DownloadedFile& file) const {
  const std::string sidecar = job.final_path + ".count";
  if (file.datastore_total >= 0) {
    const std::string tmp = sidecar + ".part";
    {
      std::ofstream s(tmp, std::ios::binary | std::ios::trunc);
      s << file.datastore_total << "\n";
      if (!s) return Unavailable(tmp + ": cannot write");
    }
    if (std::rename(tmp.c_str(), sidecar.c_str()) != 0) {
      return Unavailable(sidecar + ": " + std::strerror(errno));
    }
  } else {
    ::unlink(sidecar.c_str());  // a stale count must not judge the new file
  }
  if (std::rename(job.part.c_str(), job.final_path.c_str()) != 0) {
    return Unavailable(job.final_path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

StatusOr<std::vector<DownloadedFile>> Downloader::Run() {
  if (options_.to_dir.empty()) return InvalidArgument("--to DIR is required");
  ::mkdir(options_.to_dir.c_str(), 0755);
  struct stat st;
  if (::stat(options_.to_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return InvalidArgument(options_.to_dir + " is not a directory");
  }
  std::vector<std::pair<std::string, bool>> wanted;  // name, required
  for (const DuoFile& f : DuoFiles()) {
    if (options_.names.empty()) {
      wanted.emplace_back(f.name, f.required);
    }
  }
  for (const std::string& n : options_.names) wanted.emplace_back(n, true);
  OOAPI_ASSIGN_OR_RETURN(auto resources, PackageShow());
  std::vector<DownloadedFile> files;
  for (const auto& [name, required] : wanted) {
    auto it = resources.find(ToLowerAscii(name));
    if (it == resources.end()) {
      if (!required) continue;
      return NotFound("resource " + name + " is not in CKAN package " + options_.package + " at " +
                      Base());
    }
    DownloadedFile file;
    OOAPI_RETURN_IF_ERROR(Fetch(name, it->second, &file));
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace

StatusOr<std::vector<DownloadedFile>> DownloadDuo(const DownloadOptions& options) {
  try {
    Downloader downloader(options);
    return downloader.Run();
  } catch (const std::exception& e) {
    return Internal(std::string("rio download failed: ") + e.what());
  }
}

}  // namespace ooapi::sync
