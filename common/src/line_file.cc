#include "ooapi/common/line_file.h"

#include <string>

#include "ooapi/common/strings.h"

namespace ooapi {

std::vector<NameValueLine> NameValueLines(std::string_view text, std::string_view separators) {
  std::vector<NameValueLine> lines;
  int number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++number;
    const size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    line = TrimAscii(line);
    if (line.empty()) continue;
    NameValueLine parsed;
    parsed.number = number;
    const size_t separator = line.find_first_of(separators);
    parsed.separated = separator != std::string_view::npos;
    parsed.name = TrimAscii(line.substr(0, separator));
    if (parsed.separated) parsed.value = TrimAscii(line.substr(separator + 1));
    lines.push_back(parsed);
  }
  return lines;
}

Status LineError(std::string_view source, int line, std::string_view what) {
  return InvalidArgument(std::string(source) + ":" + std::to_string(line) + ": " +
                         std::string(what));
}

}  // namespace ooapi
