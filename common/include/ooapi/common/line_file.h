#pragma once
// Small line-oriented settings files ("name = value" per line): the header map and the expected
// record counts of `rio import` share this reading of them. Pure and thread-safe.

#include <string_view>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi {

// One line that holds something: '#' starts a comment, lines are trimmed, blank ones skipped.
struct NameValueLine {
  int number = 0;          // 1-based line number in the file
  bool separated = false;  // the line holds one of the separators
  std::string_view name;   // the text before the first separator, trimmed (all of it when none)
  std::string_view value;  // the text after it, trimmed ("" when none)
};

// The lines of `text` that hold something, split at the first of `separators`. The views point
// into `text`.
std::vector<NameValueLine> NameValueLines(std::string_view text, std::string_view separators);

// InvalidArgument("<source>:<line>: <what>"), the form every error about such a line takes.
Status LineError(std::string_view source, int line, std::string_view what);

}  // namespace ooapi
