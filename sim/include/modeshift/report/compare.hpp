#pragma once
/// `modeshift compare`: reads the run directories of a base and a policy scenario (one or several
/// seeds per side) and writes a self-contained HTML report (inline CSS and SVG, no external
/// assets) plus report.json, report.csv and report.xlsx with the same numbers (docs/reports.md).
/// The page is built from the report helpers (html.hpp, svg_chart.hpp), the workbook from
/// workbook.hpp.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/core/mode.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/report/summary.hpp"

namespace modeshift {

class Network;

/// Everything a run directory holds that a comparison needs.
struct RunOutputs {
    std::filesystem::path dir;
    RunSummary summary;
    std::vector<LinkRow> links;
    std::vector<DongRow> dongs;
    std::vector<HourRow> hourly;
};
/// Reads summary.json, links.csv, by_dong.csv and hourly_by_mode.csv. InputError naming the file
/// if any is bad, cut inside a row, or holds another number of rows than summary.json records.
RunOutputs read_run_outputs(const std::filesystem::path& dir);

/// The spread over seeds of a change (policy - base), from the per-seed differences of runs
/// paired by seed (common random numbers).
struct Band {
    enum class Kind {
        None,       ///< one run per side: no spread to show
        TInterval,  ///< 3+ seeds: 90 % Student's t interval of the mean difference
        Range       ///< 2 seeds: min and max of the two differences (too few for a t interval)
    };
    Kind kind = Kind::None;
    std::size_t n = 1;      ///< seeds
    double lo = 0, hi = 0;  ///< of the difference
    /// The interval (or range) holds 0: the change is not distinguishable from seed noise at
    /// this sample. False without a band.
    bool includes_zero() const { return kind != Kind::None && lo <= 0 && hi >= 0; }
};

/// A base and a policy value (means over seeds when there are several), and the band of the
/// change.
struct Delta {
    double base = 0, policy = 0;
    Band band;
    Delta() = default;
    Delta(double base_value, double policy_value) : base(base_value), policy(policy_value) {}
    double delta() const { return policy - base; }
    /// Relative change in percent; nullopt when the base is 0.
    std::optional<double> pct() const;
    /// Every figure times `k` (a unit change, e.g. t/day -> t/year).
    Delta scaled(double k) const;
};

struct LinkDelta {
    std::uint32_t link = 0;  ///< link index in the (policy) network
    std::string road_name;
    Delta co2_kg, vehicles;
};

struct DongDelta {
    std::string code, name, name_en;
    Delta co2_kg, vkt_km, trips_from;
};

/// Study-area figures of both runs (trips touching the area; CO2 on links inside it).
struct StudyAreaDelta {
    bool present = false;  ///< both runs have a study area
    std::string name;
    Delta co2_t, trips;
    std::array<Delta, kModeCount> mode_share_pct{}, mode_co2_t{};
};

/// How a simulated day becomes a year: the simulated day is a weekday, and
/// t/year = t/day x `days` weekday-equivalent days. The caller finds `days` (the CLI takes it
/// from the pathway file's annualisation, the same the pathway uses) and says how in `method`.
struct AnnualBasis {
    double days = 0;                   ///< weekday-equivalent days per year (> 0)
    std::string method_ko, method_en;  ///< how `days` was found, with its sources
};

struct CompareOptions {
    /// A network file for the map, instead of the one the policy run's summary.json names.
    std::optional<std::filesystem::path> network;
    AnnualBasis annual;
};

struct Comparison {
    RunOutputs base, policy;  ///< the first run (lowest seed) of each side
    std::vector<std::filesystem::path> base_dirs, policy_dirs;  ///< every run, by seed
    std::vector<std::uint64_t> seeds;  ///< the seeds of the pairs (one pair: the policy run's)
    AnnualBasis annual;
    StudyAreaDelta study;
    Delta co2_t;  ///< per simulated day
    Delta co2_tailpipe_t, co2_grid_t, co2_hydrogen_t;
    Delta vkt_km, pkt_km, trips, co2_g_per_pkm, mean_travel_time_min;
    std::array<Delta, kModeCount> mode_co2_t{}, mode_share_pct{}, mode_vkt_km{}, mode_pkt_km{},
        mode_travel_time_min{}, mode_trips{};
    std::vector<Delta> hourly_co2_kg;  ///< total per hour
    std::vector<LinkDelta> links;      ///< matched links, in link order
    std::string link_match;            ///< how links were matched (or why they could not be)
    std::vector<DongDelta> dongs;      ///< in base order, then dongs only in the policy run
    std::vector<std::string> notes;    ///< warnings shown in the report (e.g. different seeds)
    /// The network for the map (from the policy run's network_file), if it could be loaded.
    std::shared_ptr<const Network> network;

    std::size_t runs_per_side() const { return base_dirs.size(); }
};

/// Compares the runs of two scenarios. With one run per side, the two runs (their seeds may
/// differ: a note says so). With several, each side's runs must be of one scenario on one
/// network and sample, the two sides must have the same seeds, and every figure is the mean over
/// the seeds with the band of its change. InputError naming the run directory otherwise.
Comparison compare_runs(const std::vector<std::filesystem::path>& base_dirs,
                        const std::vector<std::filesystem::path>& policy_dirs,
                        const CompareOptions& options);
/// One run per side.
Comparison compare_runs(const std::filesystem::path& base_dir,
                        const std::filesystem::path& policy_dir, const CompareOptions& options);

std::string comparison_json(const Comparison& c);
/// Long table, UTF-8 with a byte-order mark:
/// section,item,mode,base,policy,delta,delta_pct,unit,delta_lo,delta_hi,band,seeds.
std::string comparison_csv(const Comparison& c);
std::string comparison_html(const Comparison& c);
/// The method in words (annualisation, seeds and bands, link matching), Korean and English.
std::vector<std::string> comparison_method(const Comparison& c);

/// The files a report `html_path` (which must end in .html) consists of: the page, then the same
/// stem with .json, .csv and .xlsx.
std::vector<std::filesystem::path> comparison_files(const std::filesystem::path& html_path);
/// Writes every file of comparison_files(html_path), each atomically, the page last.
void write_comparison(const Comparison& c, const std::filesystem::path& html_path);

}  // namespace modeshift
