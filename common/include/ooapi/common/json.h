#pragma once
// The only way this project includes RapidJSON (engineering.md B.4): the assert macro must be
// identical in every translation unit, and a failed assertion must throw, never abort or be
// silently ignored.

#include <stdexcept>

#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x)                                       \
  do {                                                            \
    if (!(x)) throw std::logic_error("rapidjson assertion: " #x); \
  } while (0)
#endif
#ifndef RAPIDJSON_HAS_STDSTRING
#define RAPIDJSON_HAS_STDSTRING 1
#endif

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace ooapi::json {
// Writers validate UTF-8 so a SIS column in Latin-1 fails loudly instead of producing invalid JSON.
using Writer = rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>,
                                 rapidjson::CrtAllocator, rapidjson::kWriteValidateEncodingFlag>;
}  // namespace ooapi::json
