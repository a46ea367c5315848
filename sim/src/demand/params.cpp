#include <fmt/format.h>

#include "modeshift/demand/demand.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/io/sourced.hpp"

namespace modeshift {

DemandParams load_demand_params(const std::filesystem::path& file) {
    const Json root = read_json_file(file);
    JsonCursor j(root, file.string());
    DemandParams p;
    p.source_file = file.string();
    if (j.has("scope")) {
        auto sc = j.at("scope");
        const std::string v = sc.string("value");
        if (v == "city")
            p.scope = DemandScope::City;
        else if (v == "study_area")
            p.scope = DemandScope::StudyArea;
        else
            sc.at("value").fail("expected \"city\" or \"study_area\"");
        if (sc.string_or("source", "").empty()) sc.fail("needs a \"source\"");
    }
    p.tours_per_person = sourced_number(j, "tours_per_person", 0, 10);
    p.car_available_share = sourced_number(j, "car_available_share", 0, 1);
    p.bike_owner_share = sourced_number(j, "bike_owner_share", 0, 1);
    p.tashu_member_share = sourced_number(j, "tashu_member_share", 0, 1);
    p.tashu_access_m = sourced_number(j, "tashu_access_m", 0, 5000);
    p.car_occupancy_work = sourced_number(j, "car_occupancy_work", 1, 8);
    p.car_occupancy_other = sourced_number(j, "car_occupancy_other", 1, 8);
    auto purposes = j.at("purposes");
    double share_sum = 0;
    for (std::size_t i = 0; i < purposes.size(); ++i) {
        auto c = purposes.at(i);
        PurposeParams pp;
        pp.name = c.string("name");
        pp.tour_share = sourced_number(c, "tour_share", 0, 1);
        share_sum += pp.tour_share;
        auto attr = c.at("attraction");
        attr.expect_object();
        for (auto it = attr.json().begin(); it != attr.json().end(); ++it) {
            if (it.key() == "source") continue;
            pp.attraction_attrs.push_back(it.key());
            const double w = attr.number(it.key());
            if (w < 0) attr.at(it.key()).fail("attraction weight must be >= 0");
            pp.attraction_weights.push_back(w);
        }
        if (attr.string_or("source", "").empty()) attr.fail("attraction weights need a \"source\"");
        pp.distance_decay_per_km = sourced_number(c, "distance_decay_per_km", 0, 10);
        auto dep = c.at("depart_hour_share");
        auto vals = dep.at("value");
        if (vals.size() != 24) vals.fail("needs 24 hourly shares");
        double dsum = 0;
        for (std::size_t h = 0; h < 24; ++h) {
            const double v = vals.at(h).number();
            if (v < 0) vals.at(h).fail("share must be >= 0");
            pp.depart_hour_share.push_back(v);
            dsum += v;
        }
        if (dsum <= 0) vals.fail("shares must not all be zero");
        if (dep.string_or("source", "").empty()) dep.fail("needs a \"source\"");
        auto dur = c.at("duration_h");
        pp.duration_mean_h = dur.number("mean");
        pp.duration_sd_h = dur.number("sd");
        if (pp.duration_mean_h <= 0 || pp.duration_sd_h < 0)
            dur.fail("mean must be > 0 and sd >= 0");
        if (dur.string_or("source", "").empty()) dur.fail("needs a \"source\"");
        p.purposes.push_back(std::move(pp));
    }
    if (p.purposes.empty()) purposes.fail("at least one purpose is required");
    if (std::abs(share_sum - 1.0) > 1e-6)
        purposes.fail(fmt::format("tour shares must sum to 1 (they sum to {:.6f})", share_sum));
    return p;
}

}  // namespace modeshift
