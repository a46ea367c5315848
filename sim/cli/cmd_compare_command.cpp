// `modeshift compare`: the comparison report of a base and a policy scenario from their run
// folders, one or several seeds per side (docs/reports.md):
//   compare BASE_DIR POLICY_DIR --out report.html
//   compare --base DIR... --policy DIR... --out report.html
//   compare --sweep SWEEP_DIR BASE_SCENARIO POLICY_SCENARIO --out report.html
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "commands.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/output_folder.hpp"
#include "modeshift/pathway/pathway_file.hpp"
#include "modeshift/report/compare.hpp"

namespace modeshift::cli {
namespace {

namespace fs = std::filesystem;

struct CompareArgs {
    std::string first, second;  ///< BASE_DIR POLICY_DIR, or with --sweep the scenario names
    std::vector<std::string> base, policy;
    std::string sweep, out = "report.html", network, annualisation;
    std::optional<int> year;
    std::optional<double> days_per_year;
};

/// The runs of a side and what was left out of it (shown as notes).
struct Side {
    std::vector<fs::path> dirs;
    std::vector<std::string> left_out;
};

/// The runs of `scenario` in a sweep folder: DIR/<scenario>_seed<k>/ with a summary.json (a
/// failed or unfinished run has none and is left out, with a note).
Side sweep_side(const fs::path& dir, const std::string& scenario) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError(dir.string(), 0, "--sweep", "not a folder");
    Side side;
    const std::string prefix = scenario + "_seed";
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size() ||
            name.find_first_not_of("0123456789", prefix.size()) != std::string::npos ||
            !e.is_directory(ec))
            continue;
        if (fs::is_regular_file(e.path() / kSummaryFile, ec))
            side.dirs.push_back(e.path());
        else
            side.left_out.push_back(fmt::format(
                "{}: no summary.json (a failed or unfinished run), left out / 완료되지 않은 실행 "
                "제외",
                e.path().string()));
    }
    if (side.dirs.empty())
        throw InputError(dir.string(), 0, "--sweep",
                         fmt::format("no finished run of scenario '{}' (a folder {}<k> with a "
                                     "summary.json)",
                                     scenario, prefix));
    std::sort(side.dirs.begin(), side.dirs.end());
    std::sort(side.left_out.begin(), side.left_out.end());
    return side;
}

/// Which runs to compare: two folders, --base/--policy, or a sweep folder and two scenarios.
std::pair<Side, Side> sides(const CompareArgs& a) {
    const bool two = !a.first.empty() || !a.second.empty();
    const bool lists = !a.base.empty() || !a.policy.empty();
    const char* usage =
        "give BASE_DIR POLICY_DIR, or --base DIR... --policy DIR..., or --sweep DIR "
        "BASE_SCENARIO POLICY_SCENARIO";
    if (!a.sweep.empty()) {
        if (lists || a.first.empty() || a.second.empty())
            throw CLI::ValidationError("compare", usage);
        return {sweep_side(a.sweep, a.first), sweep_side(a.sweep, a.second)};
    }
    if (two == lists || (two && (a.first.empty() || a.second.empty())) ||
        (lists && (a.base.empty() || a.policy.empty())))
        throw CLI::ValidationError("compare", usage);
    if (two) return {Side{{a.first}, {}}, Side{{a.second}, {}}};
    auto paths = [](const std::vector<std::string>& v) {
        return Side{std::vector<fs::path>(v.begin(), v.end()), {}};
    };
    return {paths(a.base), paths(a.policy)};
}

/// t/day -> t/year as the pathway annualises CO2: the pathway file's holiday calendar and
/// road-traffic day-type factors (each with its source), for its base year or --year.
AnnualBasis annual_basis(const CompareArgs& a) {
    if (a.days_per_year) {
        if (!(*a.days_per_year >= 1 && *a.days_per_year <= 366))
            throw InputError("", 0, "--days-per-year",
                             fmt::format("{} is not a number of days in 1..366", *a.days_per_year));
        return {*a.days_per_year,
                fmt::format("t/년 = t/일 × {} (--days-per-year)", *a.days_per_year),
                fmt::format("t/year = t/day x {} days given with --days-per-year (no source)",
                            *a.days_per_year)};
    }
    const fs::path file = a.annualisation.empty() ? MODESHIFT_DEFAULT_PATHWAY : a.annualisation;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw InputError(file.string(), 0, "--annualisation",
                         "no pathway file here to annualise with: name one with --annualisation, "
                         "or give --days-per-year");
    const pathway::PathwayFile p = pathway::load_pathway(file);
    const pathway::Annualisation& an = p.annualisation;
    const int year = a.year.value_or(p.base_year);
    const pathway::DayCounts d = pathway::count_days(an.holidays, year);
    const double days = pathway::annual_factor(d, an.road);
    return {days,
            fmt::format("t/년 = t/일 × 평일 환산 {:.1f}일. 시뮬레이션한 하루는 평일이며, {}년은 "
                        "평일 {}일 + 토요일 {}일 × {} + 일요일·공휴일 {}일 × {} (경로 파일 {}의 "
                        "도로 교통 요일 계수와 공휴일 달력 {}, 경로와 같은 방법)",
                        days, year, d.weekdays, d.saturdays, an.road.saturday, d.sundays_holidays,
                        an.road.sunday_holiday, file.string(), an.holidays_file.string()),
            fmt::format("t/year = t/day x {:.1f} weekday-equivalent days, as the pathway "
                        "annualises CO2: the simulated day is a weekday, and {} has {} weekdays + "
                        "{} Saturdays x {} + {} Sundays and public holidays x {}. Road-traffic "
                        "day-type factors of the pathway file {} ($.annualisation.road): Saturday "
                        "— {}; Sunday/holiday — {}. Public holidays: {}",
                        days, year, d.weekdays, d.saturdays, an.road.saturday, d.sundays_holidays,
                        an.road.sunday_holiday, file.string(), an.road_saturday_source,
                        an.road_sunday_holiday_source, an.holidays_file.string())};
}

/// --out is checked before anything is read or written: it must be a new page (.html) whose
/// files (the page, .json, .csv, .xlsx beside it) are neither inputs nor inside a run folder.
void check_out(const fs::path& out, const std::vector<fs::path>& inputs) {
    check_output_file(out, inputs);
    if (out.extension() != ".html")
        throw InputError(out.string(), 0, "--out",
                         "must end in .html: the report is the page, and its .json, .csv and "
                         ".xlsx are written next to it under the same name");
    for (const fs::path& f : comparison_files(out)) check_output_file(f, inputs);
}

void print_summary(const Comparison& c, const fs::path& out) {
    auto pct = c.co2_t.pct();
    fmt::print(
        "CO2 배출량 / CO2 emissions: {:.2f} -> {:.2f} t/day ({:+.2f} t/day, {}; {:+.0f} "
        "t/year)\n",
        c.co2_t.base, c.co2_t.policy, c.co2_t.delta(),
        pct ? fmt::format("{:+.1f} %", *pct) : std::string("n/a"), c.co2_t.delta() * c.annual.days);
    if (c.co2_t.band.kind != Band::Kind::None)
        fmt::print("  {} seeds: change {:+.2f} .. {:+.2f} t/day ({}){}\n", c.co2_t.band.n,
                   c.co2_t.band.lo, c.co2_t.band.hi,
                   c.co2_t.band.kind == Band::Kind::Range ? "min-max" : "90 % t interval",
                   c.co2_t.band.includes_zero() ? ": not distinguishable from noise" : "");
    for (Mode m : kAllModes) {
        const auto& s = c.mode_share_pct[mode_index(m)];
        if (s.base == 0 && s.policy == 0) continue;
        fmt::print("  {:<6} share {:5.1f}% -> {:5.1f}% ({:+.1f} pp)\n", mode_name(m), s.base,
                   s.policy, s.delta());
    }
    for (const auto& n : c.notes) fmt::print("note: {}\n", n);
    const auto files = comparison_files(fs::absolute(out));
    fmt::print("wrote {}\n", files.front().string());
    for (std::size_t i = 1; i < files.size(); ++i) fmt::print("      {}\n", files[i].string());
}

void run_compare(const CompareArgs& a) {
    auto [base, policy] = sides(a);
    CompareOptions opt;
    std::vector<fs::path> inputs = base.dirs;
    inputs.insert(inputs.end(), policy.dirs.begin(), policy.dirs.end());
    if (!a.network.empty()) {
        opt.network = a.network;
        inputs.push_back(a.network);
    }
    if (!a.annualisation.empty()) inputs.push_back(a.annualisation);
    check_out(a.out, inputs);
    opt.annual = annual_basis(a);
    Comparison c = compare_runs(base.dirs, policy.dirs, opt);
    for (const Side* s : {&base, &policy})
        c.notes.insert(c.notes.end(), s->left_out.begin(), s->left_out.end());
    write_comparison(c, a.out);
    print_summary(c, a.out);
}

}  // namespace

void add_compare_command(CLI::App& app) {
    auto args = std::make_shared<CompareArgs>();
    auto* cmd = app.add_subcommand(
        "compare",
        "Compare the runs of two scenarios (one or several seeds per side): HTML report (+ JSON, "
        "CSV, xlsx)");
    cmd->add_option("base", args->first,
                    "run folder of the base scenario (with --sweep: the base scenario's name)");
    cmd->add_option("policy", args->second,
                    "run folder of the policy scenario (with --sweep: the policy scenario's name)");
    cmd->add_option("--base", args->base,
                    "run folders of the base scenario, one per seed (repeatable; several values "
                    "allowed)");
    cmd->add_option("--policy", args->policy,
                    "run folders of the policy scenario, the same seeds as --base");
    cmd->add_option("--sweep", args->sweep,
                    "a sweep folder: compare every finished run of the two scenarios named by the "
                    "positionals (DIR/<name>_seed<k>)");
    cmd->add_option("--out,-o", args->out,
                    "report page, ending in .html (the .json, .csv and .xlsx are written next to "
                    "it); not inside a run folder")
        ->capture_default_str();
    cmd->add_option("--network", args->network,
                    "network file for the map (default: the one named in summary.json)");
    auto* ann = cmd->add_option("--annualisation", args->annualisation,
                                "pathway file whose annualisation (holidays, road day-type "
                                "factors) turns t/day into t/year (default: the bundled "
                                "scenarios/seogu-plan-2034.json)");
    auto* year = cmd->add_option("--year", args->year,
                                 "calendar year of the annualisation (default: the pathway "
                                 "file's base_year)");
    cmd->add_option("--days-per-year", args->days_per_year,
                    "weekday-equivalent days per year, instead of the pathway's annualisation")
        ->excludes(ann)
        ->excludes(year);
    cmd->callback([args] { run_compare(*args); });
}

}  // namespace modeshift::cli
