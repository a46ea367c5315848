// The Daejeon recipe: reads the shared data and the sourced parameters, builds NetworkData.
#include "modeshift/import_daejeon/daejeon.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "internal.hpp"

namespace modeshift::daejeon {

bool is_daejeon_bis_code(const std::string& code) {
    // FORMAT.md: A|F + N/S/E/W + 5-digit sigungu (30110 .. 30230 = Daejeon's five gu) + serial.
    if (code.size() != 12 || (code[0] != 'A' && code[0] != 'F')) return false;
    if (code[1] != 'N' && code[1] != 'S' && code[1] != 'E' && code[1] != 'W') return false;
    for (std::size_t i = 2; i < 12; ++i)
        if (!std::isdigit(static_cast<unsigned char>(code[i]))) return false;
    return code.compare(2, 2, "30") == 0;
}

namespace {

void write_notes(detail::Build& b, NetworkData& d) {
    d.source =
        "Roads, bus lines and stops: Daejeon BIS (대전교통정보센터) link geometry and route/stop "
        "sequences as "
        "cached in github spspwl12/DaejeonBus@3ce9d362 Build/DATA/DB (circa 2019-2020, no licence "
        "stated: "
        "testing/validation use). Zones: SGIS admin-dong boundaries and MOIS resident registration "
        "via github "
        "bit2r/bitSpatial (2022-06/2023-06/2024-06). Metro line 1: data.go.kr 15013205 "
        "(2020-07-03). Tram "
        "line 2: github nynji/daejeon-tram-analysis@ed23e87. Tashu: open API snapshot via github "
        "Jeric1223/TASHU-OPTIMAL-ROUTE-FINDER (2026-08-22). Rules and parameters with sources: "
        "networks/daejeon/road_rules.csv and parameters.csv. Recipe: modeshift import daejeon.";
    for (const auto& [k, v] : b.report.counts)
        d.notes.push_back(fmt::format("count {} = {}", k, v));
    for (const auto& [k, p] : b.params.values)
        d.notes.push_back(fmt::format("param {} = {} {}{}", k, p.value, p.unit,
                                      p.estimated ? " (estimated)" : ""));
    for (const auto& r : b.params.road_rules)
        d.notes.push_back(
            fmt::format("road rule {}: area {}, {}-{} bus lines -> {}, {} lanes/dir, {} km/h, "
                        "{} pcphgpl",
                        r.rule_id, r.area, r.min_bus_lines, r.max_bus_lines,
                        road_class_name(r.road_class), r.lanes, r.speed_kmh, r.sat_flow_pcphgpl));
    d.notes.push_back(
        "Nodes 0..81 are zone centroids (first_thru_node = 82): routes cannot pass through them.");
    d.notes.push_back(
        "Road links whose end points lie within snap_tolerance_m are joined at one node; a link "
        "without a reverse partner is one-way for vehicles and gets a walk-only reverse link.");
    d.notes.push_back(
        "Bus gaps between consecutive route links are filled by the shortest road path if the gap "
        "is "
        "<= gap_fill_max_straight_m and the path <= gap_fill_max_detour x gap + 500 m; otherwise "
        "the direction is dropped. Stop calls > 500 m from their own route are skipped.");
    for (const auto& n : b.notes) d.notes.push_back(n);
}

}  // namespace

NetworkData build_daejeon_network(const ImportOptions& opt, ImportReport* report) {
    detail::Build b;
    b.opt = opt;
    b.params = read_params(opt.params_dir);
    b.bis = detail::read_bis(opt.data_dir / "bis");
    detail::read_tram(b);
    detail::add_zones(b);
    detail::add_roads(b);
    detail::set_road_lanes(b);
    detail::map_bus_routes(b);
    detail::finish_roads(b);
    detail::add_connectors(b);
    detail::add_bus(b);
    detail::add_rail(b);
    detail::add_tashu(b);
    NetworkData d = b.builder.finish();
    double road_km = 0;
    for (std::size_t i = 0; i < b.road_link_end; ++i) road_km += d.links.length_m[i] / 1000.0;
    b.report.counts["road_km_directed"] = std::round(road_km * 10) / 10;
    b.report.counts["nodes"] = static_cast<double>(d.nodes.size());
    b.report.counts["links"] = static_cast<double>(d.links.size());
    write_notes(b, d);
    if (report) {
        *report = b.report;
        report->lines = b.notes;
    }
    return d;
}

}  // namespace modeshift::daejeon
