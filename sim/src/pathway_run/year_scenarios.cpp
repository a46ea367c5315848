// Which runs a pathway needs and the scenario file of each: the base scenario extended with the
// year's trends (fleet, energy, population) and the measures active that year.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/pathway_run/pathway_run.hpp"
#include "modeshift/scenario/scenario.hpp"

namespace modeshift::pathway {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<int> chosen_years(const PathwayFile& p, const PathwayRunOptions& opt) {
    if (opt.years.empty()) return p.years;
    for (int y : opt.years)
        if (std::find(p.years.begin(), p.years.end(), y) == p.years.end())
            throw InputError(p.file.string(), 0, "--years",
                             fmt::format("{} is not a year of the pathway file", y));
    std::vector<int> ys = opt.years;
    std::sort(ys.begin(), ys.end());
    ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
    return ys;
}

/// Reference years of the targets that lie before the base year: the BAU is back-cast there.
std::vector<int> reference_years(const PathwayFile& p) {
    std::set<int> ys;
    for (const Target& t : p.targets)
        if (t.reference_year < p.base_year) ys.insert(t.reference_year);
    return {ys.begin(), ys.end()};
}

fs::path scenario_path(const PathwayRunOptions& opt, int year, const std::string& variant) {
    return opt.out_dir / "scenarios" / std::to_string(year) / (variant + ".json");
}

fs::path run_dir(const PathwayRunOptions& opt, int year, const std::string& variant,
                 std::uint64_t seed) {
    return opt.out_dir / "runs" / std::to_string(year) / variant / fmt::format("seed{}", seed);
}

json sourced(double value, const std::string& source) {
    return json{{"value", value}, {"source", source}};
}

/// The base fleet file with the year's car and bus mixes.
json year_fleet(const PathwayFile& p, const FleetPath& cars, int year) {
    json fleet = read_json_file(load_scenario(p.base_scenario).fleet);
    const int car_year = std::max(year, p.base_year);  // before the base year: the base-year mix
    json car_shares = json::object();
    for (const auto& [type, share] : cars.at(car_year).shares) car_shares[type] = share;
    fleet["car_mix"] = {{"source", fmt::format("stock-turnover model of {} for {} ({}; {})",
                                               p.file.filename().string(), car_year,
                                               p.trends.car_fleet.base_shares_source,
                                               p.trends.car_fleet.sales_shares.source)},
                        {"shares", car_shares}};
    json bus_shares = json::object();
    for (const auto& [type, share] : p.trends.bus_fleet.at(year)) bus_shares[type] = share;
    fleet["bus_mix"] = {
        {"source", fmt::format("pathway trend for {} ({})", year, p.trends.bus_fleet.source)},
        {"shares", bus_shares}};
    fleet["description"] =
        fmt::format("{} in {}: {}", p.name, year, fleet.value("description", ""));
    return fleet;
}

json year_scenario(const PathwayFile& p, const PathwayRunOptions& opt, int year,
                   const std::string& variant, const json& policies) {
    const Trends& t = p.trends;
    json pop = {{"factor", sourced(t.population.city.at(year), t.population.city.source)}};
    if (!t.population.dongs.empty()) {
        json by_zone = json::object();
        for (const auto& [dong, series] : t.population.dongs)
            by_zone[dong] = sourced(series.at(year), series.source);
        pop["by_zone"] = by_zone;
    }
    json s = {
        {"extends", fs::absolute(p.base_scenario).lexically_normal().string()},
        {"name", fmt::format("{}-{}", year, variant)},
        {"description", fmt::format("{}: {} in {}", p.name, variant, year)},
        {"fleet", "fleet.json"},
        {"energy",
         {{"grid_t_per_mwh", sourced(t.grid_t_per_mwh.at(year), t.grid_t_per_mwh.source)},
          {"hydrogen_kg_co2_per_kg",
           sourced(t.hydrogen_kg_co2_per_kg.at(year), t.hydrogen_kg_co2_per_kg.source)}}},
        {"population", pop},
        {"policies", policies},
    };
    if (opt.sample_fraction) s["sample_fraction"] = *opt.sample_fraction;
    return s;
}

}  // namespace

std::vector<PathwayRun> plan_runs(const PathwayFile& p, const PathwayRunOptions& opt,
                                  std::uint64_t default_seed) {
    std::vector<std::uint64_t> seeds = opt.seeds;
    if (seeds.empty())
        for (int k = 0; k < std::max(1, opt.seed_count); ++k)
            seeds.push_back(default_seed + std::uint64_t(k));
    std::vector<PathwayRun> runs;
    auto add = [&](int year, const std::string& variant, const std::string& left_out, int prev_year,
                   const std::string& warm_variant) {
        for (std::uint64_t seed : seeds) {
            PathwayRun r;
            r.year = year;
            r.variant = variant;
            r.left_out = left_out;
            r.seed = seed;
            r.scenario = scenario_path(opt, year, variant);
            r.out_dir = run_dir(opt, year, variant, seed);
            if (prev_year > 0) r.warm_start = run_dir(opt, prev_year, warm_variant, seed);
            r.iterations = opt.iterations;
            r.threads = std::max(1, opt.threads_per_run);
            runs.push_back(std::move(r));
        }
    };
    for (int y : reference_years(p)) add(y, "reference", "", 0, "");
    int prev = 0;
    std::set<std::string> prev_variants;
    for (int y : chosen_years(p, opt)) {
        const MeasureSet set = active_measures(p, y);
        std::set<std::string> variants = {"bau"};
        // Each run starts from the same variant of the previous year where there is one, else
        // from last year's plan (a measure left out for the first time) or BAU.
        auto warm = [&](const std::string& v) {
            if (prev_variants.count(v)) return v;
            return prev_variants.count("plan") ? std::string("plan") : std::string("bau");
        };
        add(y, "bau", "", prev, warm("bau"));
        if (!set.active.empty()) {
            add(y, "plan", "", prev, warm("plan"));
            variants.insert("plan");
        }
        // With one active measure, the plan without it is BAU: no run needed.
        if (set.active.size() > 1)
            for (const ActiveMeasure& a : set.active) {
                const std::string v = "without_" + a.measure->id;
                add(y, v, a.measure->id, prev, warm(v));
                variants.insert(v);
            }
        prev = y;
        prev_variants = variants;
    }
    return runs;
}

void write_year_scenarios(const PathwayFile& p, const PathwayRunOptions& opt,
                          const std::vector<PathwayRun>& runs) {
    const FleetPath cars =
        run_stock_turnover(p.trends.car_fleet, p.base_year, p.last_year(), p.file.string());
    std::set<fs::path> written;
    for (const PathwayRun& r : runs) {
        if (!written.insert(r.scenario).second) continue;
        const MeasureSet set = active_measures(p, r.year);
        json policies = json::array();
        if (r.variant == "plan" || !r.left_out.empty()) policies = plan_policies(set, r.left_out);
        const fs::path dir = r.scenario.parent_path();
        if (written.insert(dir / "fleet.json").second)
            write_text_atomic(dir / "fleet.json", year_fleet(p, cars, r.year).dump(1) + "\n");
        write_text_atomic(r.scenario,
                          year_scenario(p, opt, r.year, r.variant, policies).dump(1) + "\n");
    }
}

}  // namespace modeshift::pathway
