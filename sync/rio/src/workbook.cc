#include "ooapi/sync/rio/workbook.h"

#include <xlsxwriter.h>

namespace ooapi::sync {
namespace {

void WriteTable(lxw_worksheet* ws, const Sheet& sheet, lxw_format* bold) {
  for (size_t c = 0; c < sheet.header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
  }
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      if (sheet.rows[r][c].empty()) continue;
      worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                             sheet.rows[r][c].c_str(), nullptr);
    }
  }
  worksheet_freeze_panes(ws, 1, 0);
  if (!sheet.rows.empty()) {
    worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()),
                         static_cast<lxw_col_t>(sheet.header.size() - 1));
  }
}

void WriteKeyValues(lxw_worksheet* ws, const Sheet& sheet, lxw_format* bold) {
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                             sheet.rows[r][c].c_str(), c == 0 ? bold : nullptr);
    }
  }
}

}  // namespace

Status WriteXlsx(const std::vector<Sheet>& sheets, const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) return Unavailable("cannot create " + path);
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (const Sheet& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(workbook, sheet.name.c_str());
    if (sheet.header.empty()) {
      WriteKeyValues(ws, sheet, bold);
    } else {
      WriteTable(ws, sheet, bold);
    }
  }
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    return Unavailable("cannot write " + path + ": " + lxw_strerror(error));
  }
  return Status::Ok();
}

}  // namespace ooapi::sync
