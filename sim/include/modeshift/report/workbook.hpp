#pragma once
/// Tables that planners open in a spreadsheet: built once, written as CSV (UTF-8 with a
/// byte-order mark, so that Korean Excel reads the Korean text) and as an xlsx workbook (one sheet
/// per table, a Korean and an English header row with the units, numbers as numbers, and a sheet
/// with the method). Used by `modeshift compare` (report.xlsx) and `modeshift pathway`
/// (pathway.xlsx).
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace modeshift::sheet {

/// The UTF-8 byte-order mark that makes Excel read a CSV as UTF-8.
inline constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";

/// A column: its CSV key and its Korean and English headers (with the unit) for the workbook.
struct Column {
    std::string key, ko, en;
};
using Cell = std::variant<std::monostate, double, std::string>;  ///< empty, number or text
struct Table {
    std::string sheet;  ///< sheet name: at most 31 characters, none of []:*?/\ (Excel's rules)
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows;
};

/// CSV with a byte-order mark, RFC 4180 quoting, numbers to 6 significant digits.
std::string to_csv(const Table& t);

/// Writes the workbook atomically (a temporary beside it, then renamed): one sheet per table,
/// then a sheet "method" with one line of `method` per row. std::runtime_error naming the file
/// if libxlsxwriter fails.
void write_xlsx(const std::filesystem::path& file, const std::vector<Table>& tables,
                const std::vector<std::string>& method);

}  // namespace modeshift::sheet
