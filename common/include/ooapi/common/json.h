#pragma once
// The only way this project includes RapidJSON: the assert macro must be
// identical in every translation unit, and a failed assertion must throw, never abort or be
// silently ignored.

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <type_traits>

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

// Member helpers for any RapidJSON writer `W` (Writer, PrettyWriter, with or without validation).
// Keys and strings are written with their length, so the bytes are those of the view.

template <typename W>
void Key(W& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

template <typename W>
void String(W& w, std::string_view value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// "key": value, for text (std::string, std::string_view, a literal), a bool, an integer (written
// as Int64: the same digits as Int) or a floating-point number.
template <typename W, typename T>
void Member(W& w, std::string_view key, const T& value) {
  Key(w, key);
  if constexpr (std::is_same_v<T, bool>) {
    w.Bool(value);
  } else if constexpr (std::is_integral_v<T>) {
    w.Int64(static_cast<int64_t>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    w.Double(value);
  } else {
    String(w, std::string_view{value});
  }
}

// "key": ["a", "b", ...], also when `values` is empty.
template <typename W, typename Strings>
void StringArray(W& w, std::string_view key, const Strings& values) {
  Key(w, key);
  w.StartArray();
  for (const auto& v : values) String(w, v);
  w.EndArray();
}

// "key": {"k": v, ...} for a map (or any range of pairs) whose values Member can write.
template <typename W, typename Map>
void MapObject(W& w, std::string_view key, const Map& map) {
  Key(w, key);
  w.StartObject();
  for (const auto& [k, v] : map) Member(w, k, v);
  w.EndObject();
}

}  // namespace ooapi::json
