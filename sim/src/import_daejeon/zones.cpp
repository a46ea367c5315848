// Zones: the 82 Daejeon admin dongs (boundaries, population, schools, hospitals), Seo-gu enriched
// with English names and attractor sizes. Centroid nodes are created first (node ids 0..81).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "internal.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/zone_geometry.hpp"

namespace modeshift::daejeon::detail {
namespace {

struct PopRow {
    double population = 0, households = 0, lat = 0, lon = 0;
};

/// raw/daejeon_admin_dongs_pop_2022_2024_bitspatial.csv: admi_cd -> base_ym -> row.
std::map<std::string, std::map<std::string, PopRow>> read_population(
    const std::filesystem::path& f) {
    std::map<std::string, std::map<std::string, PopRow>> out;
    CsvReader r(f);
    while (r.next()) {
        PopRow p{r.get_double("population"), r.get_double("household"),
                 r.get_double("centroid_lat"), r.get_double("centroid_lon")};
        out[r.get("admi_cd")][r.get("base_ym")] = p;
    }
    return out;
}

void set_attr(Zone& z, const std::string& name, double v) {
    for (std::size_t i = 0; i < z.attr_names.size(); ++i)
        if (z.attr_names[i] == name) {
            z.attr_values[i] += v;
            return;
        }
    z.attr_names.push_back(name);
    z.attr_values.push_back(v);
}

Zone zone_from_feature(const JsonCursor& f) {
    Zone z;
    const auto props = f.at("properties");
    z.code = props.string("admi_cd");
    z.name = props.string("dong");
    z.district = props.string("gu");
    z.study_area = z.district == "서구";
    z.area_km2 = props.number("land_area");
    set_attr(z, "population_2024_06", props.number("population"));
    set_attr(z, "households_2024_06", props.number("household"));
    const double el = props.number("elemnt_schl_cnt"), mi = props.number("mdle_schl_cnt"),
                 hi = props.number("high_schl_cnt");
    set_attr(z, "elementary_schools", el);
    set_attr(z, "middle_schools", mi);
    set_attr(z, "high_schools", hi);
    set_attr(z, "schools", el + mi + hi);
    set_attr(z, "hospitals", props.number("total_hospital_cnt"));
    set_attr(z, "clinics", props.number("clinic_cnt"));
    set_attr(z, "general_hospitals", props.number("general_hospital_cnt"));
    set_attr(z, "tertiary_hospitals", props.number("tertiary_hospital_cnt"));
    const auto geom = f.at("geometry");
    if (geom.string("type") != "Polygon") geom.fail("only Polygon geometries are expected");
    const auto rings = geom.at("coordinates");
    for (std::size_t r = 0; r < rings.size(); ++r) {
        z.ring_first.push_back(static_cast<std::uint32_t>(z.ring_lat.size()));
        const auto ring = rings.at(r);
        if (ring.size() < 4) ring.fail("a polygon ring needs at least 4 points");
        for (std::size_t i = 0; i < ring.size(); ++i) {
            const auto pt = ring.at(i);
            z.ring_lon.push_back(pt.at(std::size_t{0}).number());
            z.ring_lat.push_back(pt.at(std::size_t{1}).number());
        }
    }
    z.ring_first.push_back(static_cast<std::uint32_t>(z.ring_lat.size()));
    return z;
}

/// seogu_dongs.csv: English names and the 2023-06 population/households of the 24 Seo-gu dongs.
void enrich_seogu(Build& b, std::vector<Zone>& zones) {
    CsvReader r(b.opt.data_dir / "seogu_dongs.csv");
    int matched = 0;
    while (r.next()) {
        const auto code = r.get("admin_code");
        auto it =
            std::find_if(zones.begin(), zones.end(), [&](const Zone& z) { return z.code == code; });
        if (it == zones.end())
            r.fail("admin_code", fmt::format("dong {} is not in the boundary file", code));
        if (it->population != r.get_double("population"))
            b.notes.push_back(
                fmt::format("zone {} {}: seogu_dongs.csv population {} differs from raw "
                            "table {}; seogu_dongs.csv used",
                            code, it->name, r.get("population"), it->population));
        it->population = r.get_double("population");
        it->households = r.get_double("households");
        it->name_en = r.get("dong_en");
        ++matched;
    }
    b.count("zones_seogu_enriched", matched);
}

/// seogu_attractors.csv: sizes by kind as zone attributes (jobs, students, beds, floor area ...).
void add_attractors(Build& b, std::vector<Zone>& zones) {
    CsvReader r(b.opt.data_dir / "seogu_attractors.csv");
    int used = 0;
    while (r.next()) {
        const LatLon p{r.get_double("lat"), r.get_double("lon")};
        auto it = std::find_if(zones.begin(), zones.end(),
                               [&](const Zone& z) { return zone_contains(z, p); });
        if (it == zones.end()) r.fail("lat", "attractor lies in no Daejeon dong");
        set_attr(*it, "attractors", 1);
        const auto size = r.get_double_opt("size_value");
        if (!size) continue;
        const auto& unit = r.get("size_unit");
        std::string attr;
        if (unit.starts_with("civil servants") || unit.starts_with("staff"))
            attr = "attractor_jobs";
        else if (unit.starts_with("students"))
            attr = "attractor_students";
        else if (unit.starts_with("beds"))
            attr = "attractor_beds";
        else if (unit.starts_with("m2 sales floor"))
            attr = "attractor_floor_m2";
        else if (unit.starts_with("bus boardings"))
            attr = "attractor_boardings_per_day";
        else if (unit.starts_with("dwelling units"))
            attr = "attractor_dwellings";
        else if (unit == "m2")
            attr = "attractor_site_m2";
        else
            r.fail("size_unit", fmt::format("unknown attractor unit '{}'", unit));
        set_attr(*it, attr, *size);
        ++used;
    }
    b.count("attractor_sizes_used", used);
}

}  // namespace

void add_zones(Build& b) {
    const auto geo_path = b.opt.data_dir / "daejeon_admin_dongs_2024.geojson";
    const Json j = read_json_file(geo_path);
    const JsonCursor root(j, geo_path.string());
    const auto feats = root.at("features");
    std::vector<Zone> zones;
    for (std::size_t i = 0; i < feats.size(); ++i) zones.push_back(zone_from_feature(feats.at(i)));
    std::sort(zones.begin(), zones.end(),
              [](const Zone& a, const Zone& c) { return a.code < c.code; });
    for (std::size_t i = 1; i < zones.size(); ++i)
        if (zones[i].code == zones[i - 1].code)
            throw InputError(geo_path.string(), 0, "admi_cd",
                             "duplicate dong code " + zones[i].code);

    const auto pop_path =
        b.opt.data_dir / "raw" / "daejeon_admin_dongs_pop_2022_2024_bitspatial.csv";
    const auto pop = read_population(pop_path);
    for (auto& z : zones) {
        auto it = pop.find(z.code);
        if (it == pop.end() || !it->second.contains("202306"))
            throw InputError(pop_path.string(), 0, "admi_cd", "no 2023-06 row for dong " + z.code);
        const auto& p = it->second.at("202306");
        z.population = p.population;  // 2023-06: same date as seogu_dongs.csv (published total)
        z.households = p.households;
        z.lat = p.lat;  // SGIS area-weighted polygon centroid
        z.lon = p.lon;
        if (it->second.contains("202206"))
            set_attr(z, "population_2022_06", it->second.at("202206").population);
    }
    enrich_seogu(b, zones);
    add_attractors(b, zones);
    for (auto& z : zones) {
        z.centroid = b.builder.add_node({z.lat, z.lon}, "zone:" + z.code);
        b.builder.data().zones.push_back(z);
    }
    b.builder.data().first_thru_node = static_cast<std::uint32_t>(zones.size());
    b.count("zones", static_cast<double>(zones.size()));
    b.count("zones_study_area",
            static_cast<double>(std::count_if(zones.begin(), zones.end(),
                                              [](const Zone& z) { return z.study_area; })));
}

}  // namespace modeshift::daejeon::detail
