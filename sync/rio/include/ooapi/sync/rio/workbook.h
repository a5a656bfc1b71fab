#pragma once
// Spreadsheet output shared by the reports of the sync module (the RIO overview, the plan
// report): one .xlsx workbook of plain text sheets, written through libxlsxwriter.

#include <string>
#include <vector>

#include "ooapi/common/status.h"

namespace ooapi::sync {

struct Sheet {
  std::string name;
  // With a header: a bold, frozen header row, then the rows with an autofilter; empty cells are
  // left blank. Without one: "key, value" lines with the key in bold.
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Writes the sheets in order. kUnavailable when the file cannot be created or written.
Status WriteXlsx(const std::vector<Sheet>& sheets, const std::string& path);

}  // namespace ooapi::sync
