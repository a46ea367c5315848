#include "modeshift/report/outputs.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network.hpp"

namespace modeshift {

// ---------------------------------------------------------------- summary

namespace {

/// Per-mode figures from the counter's totals; shares of `trips`.
void fill_modes(const std::array<ModeEmissions, kModeCount>& from, double trips, std::array<ModeFigures, kModeCount>& to) {
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

namespace {

template <class F>
Json per_mode(const std::array<ModeFigures, kModeCount>& modes, F f) {
    Json j = Json::object();
    for (Mode m : kAllModes) j[std::string(mode_name(m))] = f(modes[mode_index(m)]);
    return j;
}

Json study_area_json(const StudyAreaFigures& s) {
    Json j;
    j["scope"] = "trips that start, end or pass through the study area; CO2 and km on links inside it";
    j["name"] = s.name;
    j["residents"] = s.residents;
    j["trips"] = s.trips;
    j["mode_share"] = per_mode(s.modes, [](const ModeFigures& m) { return m.share; });
    j["trips_by_mode"] = per_mode(s.modes, [](const ModeFigures& m) { return m.trips; });
    Json co2 = per_mode(s.modes, [](const ModeFigures& m) { return m.co2_kg; });
    co2["total"] = s.co2_kg_total;
    j["co2_kg"] = co2;
    j["vkt_km"] = per_mode(s.modes, [](const ModeFigures& m) { return m.vkt_km; });
    j["pkt_km"] = per_mode(s.modes, [](const ModeFigures& m) { return m.pkt_km; });
    j["mean_travel_time_min"] = per_mode(s.modes, [](const ModeFigures& m) { return m.mean_travel_time_min; });
    return j;
}

Json history_json(const IterationFigures& it) {
    Json share = Json::object();
    for (Mode m : kAllModes) share[std::string(mode_name(m))] = it.mode_share[mode_index(m)];
    return Json{{"iteration", it.iteration},       {"mode_share", share},
                {"mean_travel_time_min", it.mean_travel_time_min},
                {"mode_share_change", it.mode_share_change},
                {"route_gap", it.route_gap},       {"wall_s", it.wall_s},
                {"simulate_s", it.simulate_s},     {"link_events", it.link_events}};
}

}  // namespace

std::string summary_to_json(const RunSummary& s) {
    Json j;
    j["format"] = "modeshift-summary";
    j["schema_version"] = kSummarySchemaVersion;
    j["scenario"] = s.scenario;
    j["seed"] = s.seed;
    j["threads"] = s.threads;
    j["iterations"] = s.iterations;
    j["sample_fraction"] = s.sample_fraction;
    j["demand_scope"] = s.demand_scope;
    j["persons"] = s.persons;
    j["trips"] = s.trips;
    j["freight_trips"] = s.freight_trips;
    j["external_trips"] = s.external_trips;
    j["mode_share"] = per_mode(s.modes, [](const ModeFigures& m) { return m.share; });
    j["trips_by_mode"] = per_mode(s.modes, [](const ModeFigures& m) { return m.trips; });
    Json co2 = per_mode(s.modes, [](const ModeFigures& m) { return m.co2_kg; });
    co2["total"] = s.co2_kg_total;
    j["co2_kg"] = co2;
    j["co2_kg_split"] = {{"tailpipe", s.co2_kg_tailpipe}, {"grid", s.co2_kg_grid}, {"hydrogen", s.co2_kg_hydrogen}};
    j["co2e_kg"] = s.co2e_kg;
    j["co2_g_per_pkm"] = s.co2_g_per_pkm;
    j["nox_kg"] = s.nox_kg;
    j["nox_available"] = s.nox_available;
    j["pm_kg"] = s.pm_kg;
    j["pm_available"] = s.pm_available;
    j["vkt_km"] = per_mode(s.modes, [](const ModeFigures& m) { return m.vkt_km; });
    j["pkt_km"] = per_mode(s.modes, [](const ModeFigures& m) { return m.pkt_km; });
    j["mean_travel_time_min"] = per_mode(s.modes, [](const ModeFigures& m) { return m.mean_travel_time_min; });
    if (s.study_area.present) j["study_area"] = study_area_json(s.study_area);
    j["events"] = s.events;
    j["event_hash"] = s.event_hash;
    j["trips_stuck"] = s.trips_stuck;
    j["wall_s"] = s.wall_s;
    Json hist = Json::array();
    for (const auto& it : s.history) hist.push_back(history_json(it));
    j["history"] = hist;
    j["provenance"] = {{"version", s.version},
                       {"scenario_file", s.scenario_file},
                       {"scenario_hash", s.scenario_hash},
                       {"network", s.network},
                       {"network_hash", s.network_hash},
                       {"network_file", s.network_file},
                       {"policies", s.policies},
                       {"emission_factors_hash", s.emission_factors_hash},
                       {"emission_factor_sources", s.emission_factor_sources}};
    return j.dump(2) + "\n";
}

void write_summary_json(const std::filesystem::path& path, const RunSummary& s) {
    write_text_atomic(path, summary_to_json(s));
}

namespace {

std::uint64_t read_u64(const JsonCursor& c) {
    if (!c.json().is_number_unsigned() && !(c.json().is_number_integer() && c.json().get<long long>() >= 0))
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

StudyAreaFigures read_study_area(const JsonCursor& c) {
    StudyAreaFigures s;
    s.present = true;
    s.name = c.string("name");
    s.residents = c.number("residents");
    s.trips = c.number("trips");
    read_per_mode(c.at("mode_share"), [&](Mode m, double v) { s.modes[mode_index(m)].share = v; });
    read_per_mode(c.at("trips_by_mode"), [&](Mode m, double v) { s.modes[mode_index(m)].trips = v; });
    read_per_mode(c.at("co2_kg"), [&](Mode m, double v) { s.modes[mode_index(m)].co2_kg = v; });
    s.co2_kg_total = c.at("co2_kg").number("total");
    read_per_mode(c.at("vkt_km"), [&](Mode m, double v) { s.modes[mode_index(m)].vkt_km = v; });
    read_per_mode(c.at("pkt_km"), [&](Mode m, double v) { s.modes[mode_index(m)].pkt_km = v; });
    read_per_mode(c.at("mean_travel_time_min"),
                  [&](Mode m, double v) { s.modes[mode_index(m)].mean_travel_time_min = v; });
    return s;
}

std::vector<std::string> read_strings(const JsonCursor& c) {
    std::vector<std::string> v;
    for (std::size_t i = 0; i < c.size(); ++i) v.push_back(c.at(i).string());
    return v;
}

}  // namespace

RunSummary read_summary_json(const std::filesystem::path& path) {
    Json j = read_json_file(path);
    JsonCursor c(j, path.string());
    c.expect_object();
    if (c.string("format") != "modeshift-summary") c.at("format").fail("not a modeshift summary file");
    if (c.integer("schema_version") != kSummarySchemaVersion)
        c.at("schema_version").fail(fmt::format("unsupported schema version (this build reads {})", kSummarySchemaVersion));
    RunSummary s;
    s.scenario = c.string("scenario");
    s.seed = read_u64(c.at("seed"));
    s.threads = small_count(c.at("threads"));
    s.iterations = small_count(c.at("iterations"));
    s.sample_fraction = c.number("sample_fraction");
    if (!(s.sample_fraction > 0 && s.sample_fraction <= 1)) c.at("sample_fraction").fail("must be in (0, 1]");
    s.demand_scope = c.string("demand_scope");
    s.persons = c.number("persons");
    s.trips = c.number("trips");
    s.freight_trips = c.number("freight_trips");
    s.external_trips = c.number("external_trips");
    if (c.has("study_area")) s.study_area = read_study_area(c.at("study_area"));
    read_per_mode(c.at("mode_share"), [&](Mode m, double v) { s.modes[mode_index(m)].share = v; });
    read_per_mode(c.at("trips_by_mode"), [&](Mode m, double v) { s.modes[mode_index(m)].trips = v; });
    read_per_mode(c.at("co2_kg"), [&](Mode m, double v) { s.modes[mode_index(m)].co2_kg = v; });
    s.co2_kg_total = c.at("co2_kg").number("total");
    auto split = c.at("co2_kg_split");
    s.co2_kg_tailpipe = split.number("tailpipe");
    s.co2_kg_grid = split.number("grid");
    s.co2_kg_hydrogen = split.number("hydrogen");
    s.co2e_kg = c.number("co2e_kg");
    s.co2_g_per_pkm = c.number("co2_g_per_pkm");
    s.nox_kg = c.number("nox_kg");
    s.nox_available = c.at("nox_available").boolean();
    s.pm_kg = c.number("pm_kg");
    s.pm_available = c.at("pm_available").boolean();
    read_per_mode(c.at("vkt_km"), [&](Mode m, double v) { s.modes[mode_index(m)].vkt_km = v; });
    read_per_mode(c.at("pkt_km"), [&](Mode m, double v) { s.modes[mode_index(m)].pkt_km = v; });
    read_per_mode(c.at("mean_travel_time_min"),
                  [&](Mode m, double v) { s.modes[mode_index(m)].mean_travel_time_min = v; });
    s.events = read_u64(c.at("events"));
    s.event_hash = c.string("event_hash");
    s.trips_stuck = read_u64(c.at("trips_stuck"));
    s.wall_s = c.number("wall_s");
    auto hist = c.at("history");
    for (std::size_t i = 0; i < hist.size(); ++i) {
        auto h = hist.at(i);
        IterationFigures it;
        it.iteration = small_count(h.at("iteration"));
        read_per_mode(h.at("mode_share"), [&](Mode m, double v) { it.mode_share[mode_index(m)] = v; });
        it.mean_travel_time_min = h.number("mean_travel_time_min");
        it.mode_share_change = h.number("mode_share_change");
        it.route_gap = h.number("route_gap");
        it.wall_s = h.number("wall_s");
        if (h.has("simulate_s")) it.simulate_s = h.number("simulate_s");  // absent in older summaries
        if (h.has("link_events")) it.link_events = h.number("link_events");
        s.history.push_back(it);
    }
    auto p = c.at("provenance");
    s.version = p.string("version");
    s.scenario_file = p.string("scenario_file");
    s.scenario_hash = p.string("scenario_hash");
    s.network = p.string("network");
    s.network_hash = p.string("network_hash");
    s.network_file = p.string("network_file");
    s.policies = read_strings(p.at("policies"));
    s.emission_factors_hash = p.string("emission_factors_hash");
    s.emission_factor_sources = read_strings(p.at("emission_factor_sources"));
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

// ---------------------------------------------------------------- tables

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string o = "\"";
    for (char ch : s) {
        if (ch == '"') o += '"';
        o += ch;
    }
    return o + "\"";
}

namespace {

/// Round for output: the tables are for people; summary.json keeps full precision.
std::string num(double v, int decimals = 3) {
    if (v == 0) return "0";
    return fmt::format("{:.{}f}", v, decimals);
}

double link_speed(const EmissionResults& r, std::size_t l) {
    return r.link_time_h[l] > 0 ? r.link_vkt_km[l] / r.link_time_h[l] : 0.0;
}

std::string zone_code(const EmissionResults& r, const Network& net, std::size_t l) {
    if (l >= r.link_zone.size() || !r.link_zone[l].valid()) return "";
    return net.zone(r.link_zone[l]).code;
}

std::string json_escape(std::string_view s) { return Json(std::string(s)).dump(); }

}  // namespace

void write_links_geojson(const std::filesystem::path& path, const EmissionResults& r, const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "{\"type\":\"FeatureCollection\",\"name\":" << json_escape(net.name() + " links")
          << ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC:1.3:CRS84\"}},\"features\":[\n";
        const auto& L = net.data().links;
        for (std::size_t l = 0; l < net.link_count(); ++l) {
            LinkId id = LinkId::from_index(l);
            double co2_kg = l < r.link_co2_g.size() ? r.link_co2_g[l] / 1000.0 : 0.0;
            double veh = l < r.link_vehicles.size() ? r.link_vehicles[l] : 0.0;
            o << (l ? ",\n" : "") << "{\"type\":\"Feature\",\"properties\":{\"link_id\":" << l
              << ",\"external_id\":" << json_escape(L.external_id[l]) << ",\"road_name\":" << json_escape(net.link_name(id))
              << ",\"road_class\":" << json_escape(road_class_name(L.road_class[l]))
              << ",\"zone\":" << json_escape(zone_code(r, net, l)) << ",\"length_m\":" << num(L.length_m[l], 1)
              << ",\"vehicles\":" << num(veh, 2) << ",\"vkt_km\":" << num(l < r.link_vkt_km.size() ? r.link_vkt_km[l] : 0.0)
              << ",\"mean_speed_kmh\":" << num(l < r.link_time_h.size() ? link_speed(r, l) : 0.0, 2)
              << ",\"co2_kg\":" << num(co2_kg, 4)
              << ",\"co2_kg_per_km\":" << num(L.length_m[l] > 0 ? co2_kg / (L.length_m[l] / 1000.0) : 0.0, 4)
              << "},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[";
            auto g = net.link_geometry(id);
            for (std::size_t i = 0; i < g.size(); ++i)
                o << (i ? "," : "") << fmt::format("[{:.6f},{:.6f}]", g[i].lon, g[i].lat);
            o << "]}}";
        }
        o << "\n]}\n";
    });
}

void write_links_csv(const std::filesystem::path& path, const EmissionResults& r, const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "link_id,external_id,road_name,road_class,zone,length_m,vehicles,vkt_km,mean_speed_kmh,co2_kg\n";
        const auto& L = net.data().links;
        for (std::size_t l = 0; l < net.link_count(); ++l) {
            bool has = l < r.link_co2_g.size();
            o << l << ',' << csv_field(L.external_id[l]) << ',' << csv_field(net.link_name(LinkId::from_index(l)))
              << ',' << road_class_name(L.road_class[l]) << ',' << csv_field(zone_code(r, net, l)) << ','
              << num(L.length_m[l], 1) << ',' << num(has ? r.link_vehicles[l] : 0, 2) << ','
              << num(has ? r.link_vkt_km[l] : 0) << ',' << num(has ? link_speed(r, l) : 0, 2) << ','
              << num(has ? r.link_co2_g[l] / 1000.0 : 0, 4) << '\n';
        }
    });
}

void write_link_hourly_csv(const std::filesystem::path& path, const EmissionResults& r, const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "link_id,external_id,road_name,hour,vehicles,mean_speed_kmh,co2_kg,vkt_km\n";
        for (const auto& c : r.link_hours)
            o << c.link.value() << ',' << csv_field(net.data().links.external_id[c.link.index()]) << ','
              << csv_field(net.link_name(c.link)) << ',' << c.hour << ',' << num(c.vehicles, 2) << ','
              << num(c.mean_speed_kmh(), 2) << ',' << num(c.co2_g / 1000.0, 4) << ',' << num(c.vkt_km) << '\n';
    });
}

void write_hourly_by_mode_csv(const std::filesystem::path& path, const EmissionResults& r) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "hour";
        for (Mode m : kAllModes) o << ",co2_kg_" << mode_name(m);
        o << ",co2_kg_total";
        for (Mode m : kAllModes) o << ",vkt_km_" << mode_name(m);
        o << '\n';
        for (std::size_t h = 0; h < r.hour_co2_g.size(); ++h) {
            o << h;
            double total = 0;
            for (Mode m : kAllModes) {
                double g = r.hour_co2_g[h][mode_index(m)];
                total += g;
                o << ',' << num(g / 1000.0, 4);
            }
            o << ',' << num(total / 1000.0, 4);
            for (Mode m : kAllModes) o << ',' << num(r.hour_vkt_km[h][mode_index(m)]);
            o << '\n';
        }
    });
}

void write_by_dong_csv(const std::filesystem::path& path, const EmissionResults& r, const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "dong_code,name_ko,name_en,district,study_area,population,co2_kg,vkt_km,trips_from,trips_to,"
             "co2_kg_per_capita,area_km2,co2_t_per_km2\n";
        for (std::size_t z = 0; z < net.zone_count(); ++z) {
            const Zone& zn = net.zone(ZoneId::from_index(z));
            double co2 = z < r.zone_co2_g.size() ? r.zone_co2_g[z] / 1000.0 : 0.0;
            o << csv_field(zn.code) << ',' << csv_field(zn.name) << ',' << csv_field(zn.name_en) << ','
              << csv_field(zn.district) << ',' << (zn.study_area ? 1 : 0) << ',' << num(zn.population, 0) << ','
              << num(co2, 3) << ',' << num(z < r.zone_vkt_km.size() ? r.zone_vkt_km[z] : 0) << ','
              << num(z < r.zone_trips_from.size() ? r.zone_trips_from[z] : 0, 1) << ','
              << num(z < r.zone_trips_to.size() ? r.zone_trips_to[z] : 0, 1) << ','
              << num(zn.population > 0 ? co2 / zn.population : 0, 5) << ',' << num(zn.area_km2, 3) << ','
              << num(zn.area_km2 > 0 ? co2 / 1000.0 / zn.area_km2 : 0, 4) << '\n';
        }
    });
}

void write_co2_by_minute_csv(const std::filesystem::path& path, const EmissionResults& r) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "minute,clock";
        for (const auto& n : r.minute_series_names()) o << ',' << n << "_cumulative";
        o << '\n';
        for (std::size_t i = 0; i < r.minute_cum_co2_g.size(); ++i) {
            o << i << ',' << fmt::format("{:02}:{:02}", i / 60, i % 60);
            double total = 0;
            for (double g : r.minute_cum_co2_g[i]) {
                total += g;
                o << ',' << num(g / 1000.0, 3);
            }
            o << ',' << num(total / 1000.0, 3) << '\n';
        }
    });
}

void write_run_outputs(const std::filesystem::path& dir, const RunSummary& summary, const EmissionResults& r,
                       const Network& net) {
    std::filesystem::create_directories(dir);
    // Tables first, summary.json last: a run directory with a valid summary is complete (sweep resume).
    write_links_geojson(dir / "links.geojson", r, net);
    write_links_csv(dir / "links.csv", r, net);
    write_link_hourly_csv(dir / "link_hourly.csv", r, net);
    write_hourly_by_mode_csv(dir / "hourly_by_mode.csv", r);
    write_by_dong_csv(dir / "by_dong.csv", r, net);
    write_co2_by_minute_csv(dir / "co2_by_minute.csv", r);
    write_summary_json(dir / kSummaryFile, summary);
}

// ---------------------------------------------------------------- readers

std::vector<LinkRow> read_links_csv(const std::filesystem::path& path) {
    CsvReader c(path);
    std::vector<LinkRow> out;
    while (c.next()) {
        LinkRow r;
        long long id = c.get_int("link_id");
        if (id < 0) c.fail("link_id", "negative link id");
        r.link = static_cast<std::uint32_t>(id);
        r.external_id = c.get("external_id");
        r.road_name = c.get("road_name");
        r.vehicles = c.get_double("vehicles");
        r.vkt_km = c.get_double("vkt_km");
        r.mean_speed_kmh = c.get_double("mean_speed_kmh");
        r.co2_kg = c.get_double("co2_kg");
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<DongRow> read_by_dong_csv(const std::filesystem::path& path) {
    CsvReader c(path);
    std::vector<DongRow> out;
    while (c.next()) {
        DongRow r;
        r.code = c.get("dong_code");
        r.name = c.get("name_ko");
        r.name_en = c.get("name_en");
        r.population = c.get_double("population");
        r.co2_kg = c.get_double("co2_kg");
        r.vkt_km = c.get_double("vkt_km");
        r.trips_from = c.get_double("trips_from");
        r.trips_to = c.get_double("trips_to");
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<HourRow> read_hourly_by_mode_csv(const std::filesystem::path& path) {
    CsvReader c(path);
    std::vector<HourRow> out;
    while (c.next()) {
        long long h = c.get_int("hour");
        if (h != static_cast<long long>(out.size())) c.fail("hour", "hours must be 0, 1, 2, ... in order");
        HourRow row{};
        for (Mode m : kAllModes) {
            std::string col = "co2_kg_" + std::string(mode_name(m));
            row[mode_index(m)] = c.has_column(col) ? c.get_double(col) : 0.0;
        }
        row[kModeCount] = c.get_double("co2_kg_total");
        out.push_back(row);
    }
    return out;
}

}  // namespace modeshift
