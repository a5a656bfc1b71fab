#pragma once
// Text names of enum class values, kept in one table per enum: {value, "name"} pairs. States are
// enums in the code and text only where they leave it (SQL columns, JSON, the command line); the
// table is the one place that spells each name.

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace ooapi {

template <typename E, size_t N>
using EnumNameTable = std::pair<E, std::string_view>[N];

// The name of `value`, or "unknown" for a value the table lacks.
template <typename E, size_t N>
constexpr std::string_view EnumName(const EnumNameTable<E, N>& table, E value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return "unknown";
}

// The value named `name` (exactly, case included), or nullopt.
template <typename E, size_t N>
constexpr std::optional<E> ParseEnum(const EnumNameTable<E, N>& table, std::string_view name) {
  for (const auto& [value, candidate] : table) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

}  // namespace ooapi
