// Tables as CSV and as the workbook planners paste from (Debian's libxlsxwriter): one sheet per
// table, a Korean and an English header row with the units, numbers as numbers, and the method on
// its own sheet.
#include "modeshift/report/workbook.hpp"
#include "modeshift/io/csv.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <sstream>
#include <stdexcept>

#include "modeshift/io/atomic_file.hpp"
#include "modeshift/report/outputs.hpp"

namespace modeshift::sheet {
namespace {

std::string text_of(const Cell& c) {
    if (const auto* d = std::get_if<double>(&c)) return fmt::format("{:.6g}", *d);
    if (const auto* s = std::get_if<std::string>(&c)) return csv_field(*s);
    return {};
}

void check(lxw_error e, const std::filesystem::path& file, const char* what) {
    if (e != LXW_NO_ERROR)
        throw std::runtime_error(
            fmt::format("{}: {} failed: {}", file.string(), what, lxw_strerror(e)));
}

void write_sheet(lxw_workbook* wb, const Table& t, lxw_format* head,
                 const std::filesystem::path& file) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, t.sheet.c_str());
    if (!ws)
        throw std::runtime_error(fmt::format("{}: cannot add sheet {}", file.string(), t.sheet));
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        check(worksheet_write_string(ws, 0, col, t.columns[c].ko.c_str(), head), file, "header");
        check(worksheet_write_string(ws, 1, col, t.columns[c].en.c_str(), head), file, "header");
        worksheet_set_column(ws, col, col, 16, nullptr);
    }
    worksheet_freeze_panes(ws, 2, 0);
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
            const auto row = static_cast<lxw_row_t>(r + 2);
            const auto col = static_cast<lxw_col_t>(c);
            const Cell& cell = t.rows[r][c];
            if (const auto* d = std::get_if<double>(&cell))
                check(worksheet_write_number(ws, row, col, *d, nullptr), file, "cell");
            else if (const auto* s = std::get_if<std::string>(&cell))
                check(worksheet_write_string(ws, row, col, s->c_str(), nullptr), file, "cell");
        }
}

}  // namespace

std::string to_csv(const Table& t) {
    std::ostringstream os;
    os << kUtf8Bom;
    for (std::size_t c = 0; c < t.columns.size(); ++c) os << (c ? "," : "") << t.columns[c].key;
    os << "\n";
    for (const auto& row : t.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) os << (c ? "," : "") << text_of(row[c]);
        os << "\n";
    }
    return os.str();
}

void write_xlsx(const std::filesystem::path& file, const std::vector<Table>& tables,
                const std::vector<std::string>& method) {
    // Written under a temporary name and renamed, like every output (io/atomic_file.hpp).
    const std::filesystem::path tmp = temporary_for(file);
    lxw_workbook* wb = workbook_new(tmp.c_str());
    if (!wb) throw std::runtime_error(fmt::format("cannot create '{}'", tmp.string()));
    try {
        lxw_format* head = workbook_add_format(wb);
        format_set_bold(head);
        format_set_text_wrap(head);
        for (const Table& t : tables) write_sheet(wb, t, head, file);
        lxw_worksheet* ws = workbook_add_worksheet(wb, "method");
        check(worksheet_write_string(ws, 0, 0, "방법 Method", head), file, "method");
        worksheet_set_column(ws, 0, 0, 120, nullptr);
        for (std::size_t i = 0; i < method.size(); ++i)
            check(worksheet_write_string(ws, static_cast<lxw_row_t>(i + 1), 0, method[i].c_str(),
                                         nullptr),
                  file, "method");
    } catch (...) {
        workbook_close(wb);
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw;
    }
    check(workbook_close(wb), file, "writing the workbook");
    commit_temporary(tmp, file);
}

}  // namespace modeshift::sheet
