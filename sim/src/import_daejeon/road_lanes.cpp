// The recipe step that replaces the road rule's lane estimate where real lane counts exist
// (lanes.hpp): reads the ETRI extracts, the published sections and the match parameters, and
// reports links and km per source and the lane-km before and after.
#include <fmt/format.h>

#include <cmath>

#include "internal.hpp"
#include "modeshift/import_daejeon/lanes.hpp"

namespace modeshift::daejeon::detail {

void set_road_lanes(Build& b) {
    const auto derived = b.opt.data_dir / "etri" / "derived";
    LaneSources src;
    src.doan2022 = read_lane_edges(derived / "etri_doan2022_edges_lanes.csv");
    src.dunsan = read_lane_edges(derived / "etri_dunsan_edges_lanes.csv");
    src.sections = read_lane_sections(b.opt.params_dir / "lanes_sections.csv",
                                      b.opt.data_dir / "lanes_published.csv");
    src.match.tolerance_m = b.p("lanes_match_tolerance_m");
    src.match.max_bearing_deg = b.p("lanes_match_max_bearing_deg");
    src.match.min_coverage = b.p("lanes_match_min_coverage");
    const auto st = assign_lanes(b.builder.data(), b.road_link_end, b.road_tram_segment, src);
    for (int k = 0; k <= static_cast<int>(kLastLanesSource); ++k) {
        const auto name = lanes_source_name(static_cast<LanesSource>(k));
        const auto i = static_cast<std::size_t>(k);
        if (st.links[i] == 0) continue;
        b.count(fmt::format("road_links_lanes_{}", name), st.links[i]);
        b.count(fmt::format("road_km_lanes_{}", name), std::round(st.km[i] * 10) / 10);
    }
    b.count("road_lane_km_rule_only", std::round(st.lane_km_before * 10) / 10);
    b.count("road_lane_km", std::round(st.lane_km_after * 10) / 10);
    b.count("road_links_etri_dunsan_not_above_rule", st.dunsan_not_above_rule);
    for (const auto& n : st.notes) b.notes.push_back(n);
}

}  // namespace modeshift::daejeon::detail
