// summary.json: the headline figures of a run, filled from the emission counters, written, and
// read back (by compare, sweep and validate). Its plain fields are declared once, in the tables
// below, for the writer and the reader.
#include <fmt/format.h>

#include <cmath>
#include <span>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/report/outputs.hpp"

namespace modeshift {

// ---------------------------------------------------------------- summary

namespace {

/// Per-mode figures from the counter's totals; shares of `trips`.
void fill_modes(const std::array<ModeEmissions, kModeCount>& from, double trips,
                std::array<ModeFigures, kModeCount>& to) {
    for (std::size_t i = 0; i < kModeCount; ++i) {
        const auto& e = from[i];
        auto& m = to[i];
        m.trips = e.trips;
        m.share = trips > 0 ? e.trips / trips : 0.0;
        m.co2_kg = e.co2_g() / 1000.0;
        m.vkt_km = e.vkt_km;
        m.pkt_km = e.pkt_km;
        m.mean_travel_time_min = e.mean_travel_time_min();
    }
}

void apply_study_area(const EmissionResults& r, StudyAreaFigures& s) {
    s.present = r.has_study_area;
    if (!s.present) return;
    s.trips = r.study_trips();
    fill_modes(r.study_modes, s.trips, s.modes);
    s.co2_kg_total = r.study_co2_g() / 1000.0;
}

}  // namespace

void apply_to_summary(const EmissionResults& r, RunSummary& s) {
    apply_study_area(r, s.study_area);
    s.freight_trips = r.segment_trips[static_cast<std::size_t>(TripSegment::Freight)];
    s.external_trips = r.segment_trips[static_cast<std::size_t>(TripSegment::External)];
    const double trips = r.trips();
    fill_modes(r.modes, trips, s.modes);
    double pkt = 0;
    for (const auto& e : r.modes) pkt += e.pkt_km;
    s.trips = trips;
    s.co2_kg_tailpipe = r.co2_tailpipe_g() / 1000.0;
    s.co2_kg_grid = r.co2_grid_g() / 1000.0;
    s.co2_kg_hydrogen = r.co2_hydrogen_g() / 1000.0;
    s.co2_kg_total = r.co2_g() / 1000.0;
    double nox = 0, pm = 0, co2e = 0, stuck = 0;
    for (const auto& e : r.modes) {
        nox += e.nox_g;
        pm += e.pm_g;
        co2e += e.co2e_g;
        stuck += e.trips_stuck;
    }
    s.co2e_kg = co2e / 1000.0;
    s.nox_kg = nox / 1000.0;
    s.pm_kg = pm / 1000.0;
    s.nox_available = r.nox_available;
    s.pm_available = r.pm_available;
    s.co2_g_per_pkm = pkt > 0 ? r.co2_g() / pkt : 0.0;
    s.trips_stuck = static_cast<std::uint64_t>(std::llround(stuck));
    s.emission_factors_hash = r.factors_hash;
    s.emission_factor_sources = r.factor_sources;
}

// ---------------------------------------------------------------- the fields

namespace {

/// A value of summary.json: its key and the RunSummary member it holds.
template <class T>
struct Field {
    const char* key;
    T RunSummary::*member;
};

constexpr Field<std::string> kTexts[] = {{"scenario", &RunSummary::scenario},
                                         {"demand_scope", &RunSummary::demand_scope},
                                         {"event_hash", &RunSummary::event_hash}};
constexpr Field<std::uint64_t> kCounts[] = {{"seed", &RunSummary::seed},
                                            {"events", &RunSummary::events},
                                            {"trips_stuck", &RunSummary::trips_stuck}};
/// Counts an int holds: 0..1,000,000.
constexpr Field<int> kSmallCounts[] = {{"threads", &RunSummary::threads},
                                       {"iterations", &RunSummary::iterations}};
/// The sample and the demand simulated...
constexpr Field<double> kDemand[] = {{"sample_fraction", &RunSummary::sample_fraction},
                                     {"persons", &RunSummary::persons},
                                     {"trips", &RunSummary::trips},
                                     {"freight_trips", &RunSummary::freight_trips},
                                     {"external_trips", &RunSummary::external_trips}};
/// ...the emissions other than CO2 by mode, and the wall time.
constexpr Field<double> kTotals[] = {{"co2e_kg", &RunSummary::co2e_kg},
                                     {"co2_g_per_pkm", &RunSummary::co2_g_per_pkm},
                                     {"nox_kg", &RunSummary::nox_kg},
                                     {"pm_kg", &RunSummary::pm_kg},
                                     {"wall_s", &RunSummary::wall_s}};
constexpr Field<bool> kFlags[] = {{"nox_available", &RunSummary::nox_available},
                                  {"pm_available", &RunSummary::pm_available}};
/// Under "provenance": what was run...
constexpr Field<std::string> kRunProvenance[] = {{"version", &RunSummary::version},
                                                 {"scenario_file", &RunSummary::scenario_file},
                                                 {"scenario_hash", &RunSummary::scenario_hash}};
/// ...on which data.
constexpr Field<std::string> kDataProvenance[] = {
    {"network", &RunSummary::network},
    {"network_hash", &RunSummary::network_hash},
    {"network_file", &RunSummary::network_file},
    {"emission_factors_hash", &RunSummary::emission_factors_hash}};
constexpr Field<std::vector<std::string>> kProvenanceLists[] = {
    {"policies", &RunSummary::policies},
    {"emission_factor_sources", &RunSummary::emission_factor_sources}};

/// A value of an iteration in "history"; `optional` ones are absent in older summaries.
struct IterationField {
    const char* key;
    double IterationFigures::*member;
    bool optional = false;
};
constexpr IterationField kIterationFields[] = {
    {"mean_travel_time_min", &IterationFigures::mean_travel_time_min},
    {"mode_share_change", &IterationFigures::mode_share_change},
    {"route_gap", &IterationFigures::route_gap},
    {"wall_s", &IterationFigures::wall_s},
    {"simulate_s", &IterationFigures::simulate_s, true},
    {"link_events", &IterationFigures::link_events, true}};

/// An object of per-mode values (by mode name): the ModeFigures member it holds, at the top
/// level and under "study_area".
struct ModeField {
    const char* key;
    double ModeFigures::*member;
};
/// Trips and CO2 (the "co2_kg" object also holds the "total")...
constexpr ModeField kModeTripFields[] = {{"mode_share", &ModeFigures::share},
                                         {"trips_by_mode", &ModeFigures::trips},
                                         {"co2_kg", &ModeFigures::co2_kg}};
/// ...and distances and times.
constexpr ModeField kModeDistanceFields[] = {
    {"vkt_km", &ModeFigures::vkt_km},
    {"pkt_km", &ModeFigures::pkt_km},
    {"mean_travel_time_min", &ModeFigures::mean_travel_time_min}};

using Modes = std::array<ModeFigures, kModeCount>;

// ---------------------------------------------------------------- writing

template <class Fields>
void put(Json& j, const Fields& fields, const RunSummary& s) {
    for (const auto& f : fields) j[f.key] = s.*f.member;
}

void put_modes(Json& j, const Modes& modes, double co2_kg_total) {
    for (std::span<const ModeField> fields :
         {std::span(kModeTripFields), std::span(kModeDistanceFields)})
        for (const auto& f : fields) {
            Json per_mode = Json::object();
            for (Mode m : kAllModes)
                per_mode[std::string(mode_name(m))] = modes[mode_index(m)].*f.member;
            j[f.key] = per_mode;
        }
    j["co2_kg"]["total"] = co2_kg_total;
}

Json study_area_json(const StudyAreaFigures& s) {
    Json j;
    j["scope"] =
        "trips that start, end or pass through the study area; CO2 and km on links inside it";
    j["name"] = s.name;
    j["residents"] = s.residents;
    j["trips"] = s.trips;
    put_modes(j, s.modes, s.co2_kg_total);
    return j;
}

Json history_json(const IterationFigures& it) {
    Json j;
    j["iteration"] = it.iteration;
    Json share = Json::object();
    for (Mode m : kAllModes) share[std::string(mode_name(m))] = it.mode_share[mode_index(m)];
    j["mode_share"] = share;
    for (const auto& f : kIterationFields) j[f.key] = it.*f.member;
    return j;
}

}  // namespace

std::string summary_to_json(const RunSummary& s) {
    Json j;
    j["format"] = "modeshift-summary";
    j["schema_version"] = kSummarySchemaVersion;
    put(j, kTexts, s);
    put(j, kCounts, s);
    put(j, kSmallCounts, s);
    put(j, kDemand, s);
    put(j, kTotals, s);
    put(j, kFlags, s);
    put_modes(j, s.modes, s.co2_kg_total);
    j["co2_kg_split"] = {
        {"tailpipe", s.co2_kg_tailpipe}, {"grid", s.co2_kg_grid}, {"hydrogen", s.co2_kg_hydrogen}};
    if (s.study_area.present) j["study_area"] = study_area_json(s.study_area);
    Json hist = Json::array();
    for (const auto& it : s.history) hist.push_back(history_json(it));
    j["history"] = hist;
    if (!s.table_rows.empty()) j["table_rows"] = s.table_rows;
    Json provenance;
    put(provenance, kRunProvenance, s);
    put(provenance, kDataProvenance, s);
    put(provenance, kProvenanceLists, s);
    provenance["warm_start"] = s.warm_start;
    provenance["iterations_limit"] = s.iterations_limit;
    j["provenance"] = provenance;
    return j.dump(2) + "\n";
}

void write_summary_json(const std::filesystem::path& path, const RunSummary& s) {
    write_text_atomic(path, summary_to_json(s));
}

// ---------------------------------------------------------------- reading

namespace {

std::uint64_t read_u64(const JsonCursor& c) {
    if (!c.json().is_number_unsigned() &&
        !(c.json().is_number_integer() && c.json().get<long long>() >= 0))
        c.fail("expected a non-negative integer");
    return c.json().get<std::uint64_t>();
}

/// A count that an int holds (threads, iterations): 0..1,000,000.
int small_count(const JsonCursor& c) {
    const long long v = c.integer();
    if (v < 0 || v > 1'000'000) c.fail(fmt::format("{} is not a count in 0..1000000", v));
    return static_cast<int>(v);
}

template <class F>
void read_per_mode(const JsonCursor& c, F f) {
    c.expect_object();
    // Modes added later (append-only enum) may be absent from older files: they read as 0.
    for (Mode m : kAllModes) {
        std::string k(mode_name(m));
        if (c.has(k)) f(m, c.number(k));
    }
}

void read_modes(const JsonCursor& c, std::span<const ModeField> fields, Modes& modes) {
    for (const auto& f : fields)
        read_per_mode(c.at(f.key), [&](Mode m, double v) { modes[mode_index(m)].*f.member = v; });
}

StudyAreaFigures read_study_area(const JsonCursor& c) {
    StudyAreaFigures s;
    s.present = true;
    s.name = c.string("name");
    s.residents = c.number("residents");
    s.trips = c.number("trips");
    read_modes(c, kModeTripFields, s.modes);
    s.co2_kg_total = c.at("co2_kg").number("total");
    read_modes(c, kModeDistanceFields, s.modes);
    return s;
}

std::vector<std::string> read_strings(const JsonCursor& c) {
    std::vector<std::string> v;
    for (std::size_t i = 0; i < c.size(); ++i) v.push_back(c.at(i).string());
    return v;
}

IterationFigures read_iteration(const JsonCursor& h) {
    IterationFigures it;
    it.iteration = small_count(h.at("iteration"));
    read_per_mode(h.at("mode_share"), [&](Mode m, double v) { it.mode_share[mode_index(m)] = v; });
    for (const auto& f : kIterationFields)
        if (!f.optional || h.has(f.key)) it.*f.member = h.number(f.key);
    return it;
}

/// "table_rows": {"links.csv": 1234, ...}; absent in summaries written before it was added.
std::map<std::string, std::uint64_t> read_table_rows(const JsonCursor& c) {
    c.expect_object();
    std::map<std::string, std::uint64_t> rows;
    for (const auto& item : c.json().items()) rows[item.key()] = read_u64(c.at(item.key()));
    return rows;
}

void read_fields(const JsonCursor& c, RunSummary& s) {
    for (const auto& f : kTexts) s.*f.member = c.string(f.key);
    for (const auto& f : kCounts) s.*f.member = read_u64(c.at(f.key));
    for (const auto& f : kSmallCounts) s.*f.member = small_count(c.at(f.key));
    for (const auto& f : kDemand) s.*f.member = c.number(f.key);
    for (const auto& f : kTotals) s.*f.member = c.number(f.key);
    for (const auto& f : kFlags) s.*f.member = c.at(f.key).boolean();
    auto p = c.at("provenance");
    for (const auto& f : kRunProvenance) s.*f.member = p.string(f.key);
    for (const auto& f : kDataProvenance) s.*f.member = p.string(f.key);
    for (const auto& f : kProvenanceLists) s.*f.member = read_strings(p.at(f.key));
    // Absent in summaries written before runs recorded them.
    if (p.has("warm_start")) s.warm_start = p.string("warm_start");
    if (p.has("iterations_limit")) s.iterations_limit = small_count(p.at("iterations_limit"));
}

}  // namespace

RunSummary read_summary_json(const std::filesystem::path& path) {
    Json j = read_json_file(path);
    JsonCursor c(j, path.string());
    c.expect_object();
    if (c.string("format") != "modeshift-summary")
        c.at("format").fail("not a modeshift summary file");
    if (c.integer("schema_version") != kSummarySchemaVersion)
        c.at("schema_version")
            .fail(fmt::format("unsupported schema version (this build reads {})",
                              kSummarySchemaVersion));
    RunSummary s;
    read_fields(c, s);
    if (!(s.sample_fraction > 0 && s.sample_fraction <= 1))
        c.at("sample_fraction").fail("must be in (0, 1]");
    if (c.has("study_area")) s.study_area = read_study_area(c.at("study_area"));
    read_modes(c, kModeTripFields, s.modes);
    s.co2_kg_total = c.at("co2_kg").number("total");
    auto split = c.at("co2_kg_split");
    s.co2_kg_tailpipe = split.number("tailpipe");
    s.co2_kg_grid = split.number("grid");
    s.co2_kg_hydrogen = split.number("hydrogen");
    read_modes(c, kModeDistanceFields, s.modes);
    auto hist = c.at("history");
    for (std::size_t i = 0; i < hist.size(); ++i) s.history.push_back(read_iteration(hist.at(i)));
    if (c.has("table_rows")) s.table_rows = read_table_rows(c.at("table_rows"));
    return s;
}

bool is_valid_summary(const std::filesystem::path& path) noexcept {
    try {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) return false;
        read_summary_json(path);
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace modeshift
