#include "ooapi/sync/rio/download.h"

#include <curl/curl.h>
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
#include <mutex>
#include <thread>

#include "ooapi/http_client/http_client.h"
#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/rio/csv.h"
#include "ooapi/sync/rio/import.h"

namespace ooapi::sync {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

int64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

using http_client::UrlEncode;

// The outcome of one HTTP request.
struct Response {
  CURLcode curl = CURLE_OK;
  long http = 0;
  std::string error;            // curl's error text
  std::string body;             // in-memory requests, and error bodies of file requests
  int64_t content_length = -1;  // of this response, -1 when not sent
  int64_t written = 0;          // bytes written to the file by this response
  bool appended = false;        // a 206 continued the existing partial file
  bool retryable() const {
    if (curl != CURLE_OK) return true;
    return http >= 500 || http == 408 || http == 429;
  }
  std::string Describe(const std::string& url) const {
    if (curl != CURLE_OK) return url + ": " + error;
    return url + ": HTTP " + std::to_string(http);
  }
};

// State of a request that writes into a partial file.
struct FileSink {
  CURL* curl = nullptr;
  std::string path;
  int64_t resume_from = 0;
  std::unique_ptr<std::FILE, FileCloser> file;
  bool decided = false;
  bool to_body = false;  // not a 200/206: collect the (error) body instead
  Response* response = nullptr;
  bool failed = false;
  const DownloadOptions* options = nullptr;
  int64_t total = 0;
};

size_t WriteToString(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t WriteToFile(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<FileSink*>(user);
  const size_t bytes = size * n;
  if (!sink->decided) {
    sink->decided = true;
    long http = 0;
    curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &http);
    if (http == 206 || http == 200) {
      // 200 on a range request: the server ignored the range, so start the file over.
      sink->response->appended = http == 206 && sink->resume_from > 0;
      sink->file.reset(std::fopen(sink->path.c_str(), sink->response->appended ? "ab" : "wb"));
      if (!sink->file) {
        sink->failed = true;
        sink->response->error = sink->path + ": " + std::strerror(errno);
        return 0;
      }
      if (!sink->response->appended) sink->resume_from = 0;
    } else {
      sink->to_body = true;
    }
  }
  if (sink->to_body) {
    if (sink->response->body.size() < 4096) sink->response->body.append(data, bytes);
    return bytes;
  }
  if (std::fwrite(data, 1, bytes, sink->file.get()) != bytes) {
    sink->failed = true;
    sink->response->error = sink->path + ": write failed: " + std::strerror(errno);
    return 0;
  }
  sink->response->written += static_cast<int64_t>(bytes);
  if (sink->options->on_progress) {
    sink->options->on_progress(sink->resume_from + sink->response->written, sink->total);
  }
  return bytes;
}

class Downloader {
 public:
  explicit Downloader(const DownloadOptions& options) : options_(options) {}
  StatusOr<std::vector<DownloadedFile>> Run();

 private:
  struct Resource {
    std::string id, url;
    int64_t size = -1;
  };
  CurlHandle NewHandle(const std::string& url) const;
  Response Get(const std::string& url) const;
  // GETs `url` with retries; the JSON body's "result" must be present and "success" true.
  StatusOr<rapidjson::Document> GetJson(const std::string& url, bool* not_found);
  StatusOr<std::map<std::string, Resource>> PackageShow();
  StatusOr<int64_t> DatastoreTotal(const std::string& resource_id);
  Status Fetch(const std::string& name, const Resource& resource, DownloadedFile* out);
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
};

CurlHandle Downloader::NewHandle(const std::string& url) const {
  CurlHandle curl(curl_easy_init());
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
  // A stalled transfer (under 1 byte/s for stall_timeout_s) is abandoned and retried.
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, options_.stall_timeout_s);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "ooapi-endpoint rio download");
  curl_easy_setopt(curl.get(), CURLOPT_ACCEPT_ENCODING, "");  // identity or compressed
  return curl;
}

Response Downloader::Get(const std::string& url) const {
  Response r;
  CurlHandle curl = NewHandle(url);
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, options_.request_timeout_s);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, WriteToString);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &r.body);
  r.curl = curl_easy_perform(curl.get());
  if (r.curl != CURLE_OK) r.error = error[0] ? error : curl_easy_strerror(r.curl);
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.http);
  return r;
}

StatusOr<rapidjson::Document> Downloader::GetJson(const std::string& url, bool* not_found) {
  Response r;
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) Sleep(attempt);
    r = Get(url);
    if (r.curl == CURLE_OK && r.http == 200) break;
    if (!r.retryable() || attempt >= options_.retries) {
      if (not_found != nullptr && r.curl == CURLE_OK && r.http == 404) {
        *not_found = true;
        return rapidjson::Document();
      }
      return Unavailable(r.Describe(url) + " (after " + std::to_string(attempt + 1) + " attempts)");
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

Status Downloader::Fetch(const std::string& name, const Resource& resource, DownloadedFile* out) {
  const std::string file = name + ".csv";
  const std::string final_path = options_.to_dir + "/" + file;
  const std::string part = final_path + ".part";
  std::string url = resource.url;
  if (url.empty() || url[0] == '/') {
    url = url.empty() ? "/dataset/" + UrlEncode(options_.package) + "/resource/" +
                            UrlEncode(resource.id) + "/download/" + file
                      : url;
    url = Base() + url;
  }
  out->name = name;
  out->path = final_path;
  OOAPI_ASSIGN_OR_RETURN(out->datastore_total, DatastoreTotal(resource.id));

  int64_t expected = resource.size > 0 ? resource.size : -1;
  std::string last_error;
  bool complete = false;
  for (int attempt = 0; attempt <= options_.retries && !complete; ++attempt) {
    if (attempt > 0) Sleep(attempt);
    out->attempts = attempt + 1;
    Response r;
    FileSink sink;
    sink.path = part;
    sink.response = &r;
    sink.options = &options_;
    sink.resume_from = std::max<int64_t>(FileSize(part), 0);
    if (expected > 0 && sink.resume_from >= expected) {
      // Longer than CKAN says, or complete but not verified: start over.
      ::unlink(part.c_str());
      sink.resume_from = 0;
    }
    sink.total = expected > 0 ? expected : 0;
    CurlHandle curl = NewHandle(url);
    sink.curl = curl.get();
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, WriteToFile);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
    // Resuming needs an uncompressed, byte-addressed body.
    if (sink.resume_from > 0) {
      curl_easy_setopt(curl.get(), CURLOPT_ACCEPT_ENCODING, nullptr);
      curl_easy_setopt(curl.get(), CURLOPT_RESUME_FROM_LARGE,
                       static_cast<curl_off_t>(sink.resume_from));
    }
    r.curl = curl_easy_perform(curl.get());
    if (r.curl != CURLE_OK) r.error = error[0] ? error : curl_easy_strerror(r.curl);
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.http);
    curl_off_t length = -1;
    curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    r.content_length = length;
    sink.file.reset();  // flush and close
    if (sink.failed) return Unavailable(file + ": " + r.error);
    if (r.appended) out->resumed = true;
    if (r.curl == CURLE_OK && r.http == 416) {  // the partial file is not a prefix we can extend
      ::unlink(part.c_str());
      last_error = r.Describe(url);
      continue;
    }
    if (r.curl == CURLE_OK && r.http != 200 && r.http != 206) {
      last_error = r.Describe(url);
      if (!r.retryable()) return Unavailable(file + ": " + last_error);
      continue;
    }
    if (r.content_length >= 0 && (r.http == 200 || r.http == 206) && r.curl == CURLE_OK) {
      const int64_t announced = (r.appended ? sink.resume_from : 0) + r.content_length;
      if (expected > 0 && announced != expected) {
        return InvalidArgument(file + ": the server announces " + std::to_string(announced) +
                               " bytes, CKAN's resource size is " + std::to_string(expected));
      }
      expected = announced;
    }
    if (r.curl != CURLE_OK) {  // dropped, timed out: keep the partial file and resume
      last_error = r.Describe(url);
      continue;
    }
    const int64_t have = FileSize(part);
    if (expected > 0 && have < expected) {
      last_error = file + ": body ended after " + std::to_string(have) + " of " +
                   std::to_string(expected) + " bytes";
      continue;  // resume from where it stopped
    }
    complete = true;
  }
  if (!complete) {
    return Unavailable(file + ": not downloaded after " + std::to_string(out->attempts) +
                       " attempts (" + last_error + "); " + file +
                       ".part is kept for the next run to resume");
  }
  const int64_t have = FileSize(part);
  out->bytes = have;
  auto refuse = [&](const std::string& why) {
    ::unlink(part.c_str());
    return InvalidArgument(file + ": " + why + "; refused, not stored as " + final_path);
  };
  if (expected > 0 && have != expected) {
    return refuse(std::to_string(have) + " bytes, expected " + std::to_string(expected));
  }
  auto records = CountRecords(part, file);
  if (!records.ok()) return refuse(std::string(records.status().message()));
  out->records = *records;
  if (out->datastore_total >= 0 && out->datastore_total != out->records) {
    return refuse(std::to_string(out->records) + " records, expected " +
                  std::to_string(out->datastore_total) +
                  " (from the CKAN datastore_search total): truncated download?");
  }
  const std::string sidecar = final_path + ".count";
  if (out->datastore_total >= 0) {
    const std::string tmp = sidecar + ".part";
    {
      std::ofstream s(tmp, std::ios::binary | std::ios::trunc);
      s << out->datastore_total << "\n";
      if (!s) return Unavailable(tmp + ": cannot write");
    }
    if (std::rename(tmp.c_str(), sidecar.c_str()) != 0) {
      return Unavailable(sidecar + ": " + std::strerror(errno));
    }
  } else {
    ::unlink(sidecar.c_str());  // a stale count must not judge the new file
  }
  if (std::rename(part.c_str(), final_path.c_str()) != 0) {
    return Unavailable(final_path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

StatusOr<std::vector<DownloadedFile>> Downloader::Run() {
  http_client::CurlGlobalInit();
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
