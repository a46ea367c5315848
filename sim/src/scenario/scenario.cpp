#include "modeshift/scenario/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/input_file.hpp"
#include "modeshift/io/sourced.hpp"

namespace modeshift {
namespace {

namespace fs = std::filesystem;

enum class Want { File, FileOrDirectory };

// "energy": {"grid_t_per_mwh": {value, source}, "hydrogen_kg_co2_per_kg": {value, source}}.
// Bounds: no grid has been above 1.5 tCO2/MWh (coal-only ~1.0); grey hydrogen is ~10-12 kgCO2/kg.
void read_energy(const JsonCursor& e, Scenario& s) {
    e.only_keys({"grid_t_per_mwh", "hydrogen_kg_co2_per_kg"});
    if (e.has("grid_t_per_mwh")) {
        s.grid_t_per_mwh = sourced_number(e, "grid_t_per_mwh", 0, 1.5);
        s.grid_source = e.at("grid_t_per_mwh").string("source");
    }
    if (e.has("hydrogen_kg_co2_per_kg")) {
        s.hydrogen_kg_co2_per_kg = sourced_number(e, "hydrogen_kg_co2_per_kg", 0, 30);
        s.hydrogen_source = e.at("hydrogen_kg_co2_per_kg").string("source");
    }
}

// "population": {"factor": {value, source}, "by_zone": {"둔산1동": {value, source}, ...}}.
// Factors up to 5 keep the sampled population (and so memory) within a few times today's.
void read_population(const JsonCursor& p, Scenario& s) {
    p.only_keys({"factor", "by_zone"});
    if (p.has("factor")) {
        s.population_factor = sourced_number(p, "factor", 1e-3, 5);
        s.population_source = p.at("factor").string("source");
    }
    if (p.has("by_zone")) {
        const auto z = p.at("by_zone");
        z.expect_object();
        s.population_by_zone.clear();  // a child scenario's list replaces its parent's
        for (const auto& [name, value] : z.json().items()) {
            (void)value;
            s.population_by_zone.push_back(
                {name, sourced_number(z, name, 1e-3, 5), z.file(), z.at(name).path()});
        }
    }
}

/// The path at `c`, relative to `base_dir`, of an existing regular file within `cap` (or a
/// directory, if `want` allows one), refused at `c` otherwise: the field to fix is named.
fs::path resolve(const JsonCursor& c, const fs::path& base_dir, const InputCap& cap,
                 Want want = Want::File) {
    const fs::path p = c.string();
    if (p.empty()) c.fail("empty path");
    const fs::path full = p.is_absolute() ? p : (base_dir / p).lexically_normal();
    // error_code overloads: a path the system refuses (too long, a loop of links) is bad input too.
    std::error_code ec;
    const auto st = fs::status(full, ec);
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
        c.fail(fmt::format("cannot use path {}: {}", full.string(), ec.message()));
    if (!fs::exists(st)) c.fail(fmt::format("file not found: {}", full.string()));
    if (want == Want::File && fs::is_directory(st))
        c.fail(fmt::format("{} is a directory, expected a file", full.string()));
    if (!fs::is_directory(st)) {
        // A device or a pipe (/dev/urandom) would never end when the inputs are hashed, and a
        // file over its kind's cap would be read whole for the hash before its reader refused it.
        try {
            check_input_file(full, cap);
        } catch (const InputError& e) {
            c.fail(fmt::format("{}: {}", full.string(), e.message()));
        }
    }
    return full;
}

/// A number of day-to-day iterations (simulated days): 1..500.
int iteration_count(const JsonCursor& c, const char* key) {
    const auto v = c.integer(key);
    if (v < 1 || v > 500) c.at(key).fail("must be 1..500");
    return static_cast<int>(v);
}

void load_into(const fs::path& file, Scenario& s, std::vector<fs::path>& chain) {
    const fs::path abs = fs::absolute(file).lexically_normal();
    if (std::find(chain.begin(), chain.end(), abs) != chain.end())
        throw InputError(file.string(), 0, "$.extends", "scenario extends itself (cycle)");
    chain.push_back(abs);
    const Json root = read_json_file(file);
    JsonCursor j(root, file.string());
    j.only_keys({"name",       "description", "extends", "network",          "demand",
                 "choice",     "asc",         "fleet",   "emission_factors", "road_traffic",
                 "freight",    "external",    "seed",    "sample_fraction",  "iterations",
                 "replanning", "engine",      "energy",  "population",       "policies"});
    const fs::path dir = abs.parent_path();
    if (j.has("extends")) load_into(resolve(j.at("extends"), dir, kJsonInput), s, chain);
    s.inputs.push_back(abs);
    if (j.has("name")) s.name = j.string("name");
    if (j.has("description")) s.description = j.string("description");
    auto path_field = [&](const char* key, fs::path& out, const InputCap& cap = kJsonInput,
                          Want want = Want::File) {
        if (j.has(key)) {
            out = resolve(j.at(key), dir, cap, want);
            s.inputs.push_back(out);
            s.named_at[out.string()] = {file.string(), j.at(key).path()};
        }
    };
    path_field("network", s.network, kBinaryInput);  // binary or JSON: the larger cap
    path_field("demand", s.demand);
    path_field("choice", s.choice);
    path_field("asc", s.asc);
    path_field("fleet", s.fleet);
    path_field("emission_factors", s.emission_factors, kTextInput, Want::FileOrDirectory);
    path_field("road_traffic", s.road_traffic);
    path_field("freight", s.freight);
    path_field("external", s.external);
    if (j.has("seed")) {
        const auto v = j.integer("seed");
        if (v < 0) j.at("seed").fail("must be >= 0");
        s.seed = static_cast<std::uint64_t>(v);
    }
    if (j.has("sample_fraction")) {
        s.sample_fraction = j.number("sample_fraction");
        if (s.sample_fraction <= 0 || s.sample_fraction > 1)
            j.at("sample_fraction").fail("must be in (0, 1]");
        s.sample_fraction_at = {file.string(), j.at("sample_fraction").path()};
    }
    if (j.has("iterations")) s.iterations = iteration_count(j, "iterations");
    if (j.has("replanning")) {
        auto r = j.at("replanning");
        r.only_keys({"fraction", "convergence_share_change", "min_iterations"});
        s.replan_fraction = r.number_or("fraction", s.replan_fraction);
        if (s.replan_fraction <= 0 || s.replan_fraction > 1)
            r.at("fraction").fail("must be in (0, 1]");
        s.convergence_share_change =
            r.number_or("convergence_share_change", s.convergence_share_change);
        if (s.convergence_share_change < 0 || s.convergence_share_change > 1)
            r.at("convergence_share_change").fail("must be in [0, 1] (a change of mode shares)");
        if (r.has("min_iterations")) s.min_iterations = iteration_count(r, "min_iterations");
    }
    if (j.has("engine")) {
        auto e = j.at("engine");
        e.only_keys({"stuck_s"});
        s.stuck_s = sourced_number(e, "stuck_s", 1, 3600);
        s.stuck_source = e.at("stuck_s").string("source");
    }
    if (j.has("energy")) read_energy(j.at("energy"), s);
    if (j.has("population")) read_population(j.at("population"), s);
    if (j.has("policies")) {
        auto ps = j.at("policies");
        for (std::size_t i = 0; i < ps.size(); ++i) {
            auto p = ps.at(i);
            p.expect_object();
            s.policies.push_back({p.json(), file.string(), p.path()});
            s.rationales.push_back(p.string_or("rationale", ""));
        }
    }
}

}  // namespace

Scenario load_scenario(const fs::path& file) {
    Scenario s;
    s.file = file;
    std::vector<fs::path> chain;
    load_into(file, s, chain);
    if (s.name.empty()) s.name = file.stem().string();
    auto require = [&](const fs::path& p, const char* key) {
        if (p.empty())
            throw InputError(file.string(), 0, std::string("$.") + key,
                             "required (here or in the scenario it extends)");
    };
    require(s.network, "network");
    require(s.demand, "demand");
    require(s.choice, "choice");
    require(s.fleet, "fleet");
    Hasher h;
    for (const auto& in : s.inputs) {
        // A directory (emission_factors may name one) adds nothing here, as it always has.
        std::error_code ec;
        const std::string bytes = fs::is_directory(in, ec) ? std::string() : read_file_bytes(in);
        h.add_bytes(bytes.data(), bytes.size());
    }
    s.hash = hex64(h.value());
    return s;
}

}  // namespace modeshift
