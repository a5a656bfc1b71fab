#include "ooapi/endpoint/problem.h"

#include "ooapi/common/json.h"

namespace ooapi::endpoint {
namespace {

const char* Title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kNotAcceptable:
      return 406;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return 503;
    default:
      return 500;
  }
}

namespace {

HttpResponse Problem(int code, const std::string& detail) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("status");
  w.String(std::to_string(code));
  w.Key("title");
  w.String(Title(code));
  w.Key("detail");
  w.String(detail);
  w.EndObject();
  HttpResponse r;
  r.status = code;
  r.content_type = "application/problem+json";
  r.body.assign(buffer.GetString(), buffer.GetSize());
  return r;
}

}  // namespace

HttpResponse ProblemResponse(const Status& status, std::string_view unavailable) {
  const int code = HttpStatusFor(status.code());
  std::string detail;
  if (code == 503) {
    detail = std::string(unavailable) + " is temporarily unavailable; try again later.";
  } else if (code >= 500) {
    detail = "An internal error occurred; it has been logged.";
  } else {
    detail = status.message();
  }
  return Problem(code, detail);
}

HttpResponse MethodNotAllowed(const std::string& allow) {
  HttpResponse r = Problem(405, "this path supports only " + allow);
  r.headers.emplace_back("Allow", allow);
  return r;
}

HttpResponse PayloadTooLarge(int max_request_bytes) {
  return Problem(413, "the request exceeds " + std::to_string(max_request_bytes) +
                          " bytes (server.max_request_bytes)");
}

}  // namespace ooapi::endpoint
