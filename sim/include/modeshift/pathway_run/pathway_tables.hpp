#pragma once
/// The pathway's output files (docs/pathway.md): pathway.csv (BAU and plan by scope and year),
/// wedges.csv (per measure and the trend), pathway.json (everything, with the method), the
/// self-contained pathway.html and the pathway.xlsx workbook.
#include <filesystem>
#include <string>
#include <vector>

#include "modeshift/pathway_run/pathway_result.hpp"
#include "modeshift/report/workbook.hpp"

namespace modeshift::pathway {

// A table is built once for every rendering (report/workbook.hpp): CSV and workbook sheet.
using sheet::Cell;
using sheet::Column;
using sheet::kUtf8Bom;
using sheet::Table;
using sheet::to_csv;
using sheet::write_xlsx;

Table pathway_table(const PathwayResult& r);  ///< pathway.csv: BAU and plan by scope and year
Table wedges_table(const PathwayResult& r);   ///< wedges.csv: the trend and every measure
Table targets_table(const PathwayResult& r);  ///< targets.csv: the target lines

std::string pathway_json(const PathwayResult& r);
std::string pathway_html(const PathwayResult& r);

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
