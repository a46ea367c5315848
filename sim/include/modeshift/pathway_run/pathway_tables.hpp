#pragma once
/// The pathway's output files (docs/pathway.md): pathway.csv (BAU and plan by scope and year),
/// wedges.csv (per measure and the trend), pathway.json (everything, with the method), the
/// self-contained pathway.html and the pathway.xlsx workbook.
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "modeshift/pathway_run/pathway_result.hpp"

namespace modeshift::pathway {

/// The UTF-8 byte-order mark that makes Excel read a CSV as UTF-8.
inline constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";

/// A table built once for every rendering: a CSV column key and Korean/English headers (with
/// the unit) for the workbook.
struct Column {
    std::string key, ko, en;
};
using Cell = std::variant<std::monostate, double, std::string>;  ///< empty, number or text
struct Table {
    std::string sheet;
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows;
};

Table pathway_table(const PathwayResult& r);  ///< pathway.csv: BAU and plan by scope and year
Table wedges_table(const PathwayResult& r);   ///< wedges.csv: the trend and every measure
Table targets_table(const PathwayResult& r);  ///< targets.csv: the target lines
/// CSV with a byte-order mark, RFC 4180 quoting, numbers to 6 significant digits.
std::string to_csv(const Table& t);

std::string pathway_json(const PathwayResult& r);
std::string pathway_html(const PathwayResult& r);
/// Writes the workbook: one sheet per table with Korean and English header rows (units in the
/// headers), and a sheet with the method.
void write_xlsx(const std::filesystem::path& file, const std::vector<Table>& tables,
                const std::vector<std::string>& method);

/// Writes every output into `dir`, pathway.json (the completion mark) last.
void write_pathway_outputs(const std::filesystem::path& dir, const PathwayResult& r);

/// The whole job: loads the pathway file, checks and locks opt.out_dir (io/output_folder.hpp),
/// writes the year scenarios, runs them (resuming what matches), and writes every output.
/// The result's `pathway` pointer is cleared (the file's data lives in the outputs).
PathwayResult run_pathway(const std::filesystem::path& file, const PathwayRunOptions& opt,
                          const PathwayRunFunction& run,
                          const std::function<void(const std::string&)>& progress);

/// The method box: what is and is not counted, the annualisation and the attribution.
std::vector<std::string> method_lines(const PathwayFile& p, const PathwayResult& r);

}  // namespace modeshift::pathway
