// Readers of the lane sources: the ETRI edge extracts and the recipe's placement of the published
// lane counts (networks/daejeon/lanes_sections.csv against shared/data lanes_published.csv).
#include <fmt/format.h>

#include <map>
#include <set>
#include <sstream>

#include "modeshift/core/error.hpp"
#include "modeshift/import_daejeon/lanes.hpp"
#include "modeshift/io/csv.hpp"

namespace modeshift::daejeon {

std::vector<LaneEdge> read_lane_edges(const std::filesystem::path& csv) {
    CsvReader r(csv);
    std::vector<LaneEdge> out;
    while (r.next()) {
        LaneEdge e;
        e.from = {r.get_double("lat0"), r.get_double("lon0")};
        e.to = {r.get_double("lat1"), r.get_double("lon1")};
        for (const LatLon p : {e.from, e.to})
            if (p.lat < 35.5 || p.lat > 37.5 || p.lon < 126.5 || p.lon > 128.5)
                r.fail("lat0", fmt::format("coordinate ({}, {}) is outside the Daejeon region",
                                           p.lat, p.lon));
        const double lanes = r.get_double("num_lanes_this_direction");
        if (!(lanes >= 1 && lanes <= 10)) r.fail("num_lanes_this_direction", "must be 1..10 lanes");
        e.lanes = static_cast<float>(lanes);
        out.push_back(e);
    }
    return out;
}

namespace {

SectionDecision parse_decision(const CsvReader& r) {
    const auto& s = r.get("decision");
    if (s == "use") return SectionDecision::Use;
    if (s == "not_located") return SectionDecision::NotLocated;
    if (s == "not_used") return SectionDecision::NotUsed;
    r.fail("decision", fmt::format("'{}' is not use, not_located or not_used", s));
}

std::vector<std::string> split_spaces(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

}  // namespace

std::vector<LaneSection> read_lane_sections(const std::filesystem::path& sections_csv,
                                            const std::filesystem::path& published_csv) {
    // (road, section) -> (as_of, trust) of lanes_published.csv
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> published;
    CsvReader p(published_csv);
    while (p.next())
        published[{p.get("road"), p.get("section")}] = {p.get("as_of"), p.get("trust")};

    CsvReader r(sections_csv);
    std::vector<LaneSection> out;
    std::set<std::pair<std::string, std::string>> seen;
    std::set<std::string> segments;
    while (r.next()) {
        LaneSection s;
        s.road = r.get("road");
        s.section = r.get("section");
        const auto it = published.find({s.road, s.section});
        if (it == published.end())
            r.fail("section", fmt::format("road '{}', section '{}' is not a row of {}", s.road,
                                          s.section, published_csv.string()));
        if (!seen.insert({s.road, s.section}).second)
            r.fail("section", "this published row has a decision already");
        s.as_of = it->second.first;
        s.trust = it->second.second;
        s.decision = parse_decision(r);
        s.reason = r.get_nonempty("source", "every row needs a source (why this decision)");
        if (s.decision == SectionDecision::Use) {
            s.tram_segments = split_spaces(r.get("tram_segments"));
            if (s.tram_segments.empty())
                r.fail("tram_segments", "a used section needs the tram segments locating it");
            for (const auto& id : s.tram_segments)
                if (!segments.insert(id).second)
                    r.fail("tram_segments", fmt::format("segment {} is in two used sections", id));
            const double lanes = r.get_double("lanes_per_direction");
            if (!(lanes >= 1 && lanes <= 10)) r.fail("lanes_per_direction", "must be 1..10 lanes");
            s.lanes = static_cast<float>(lanes);
        }
        out.push_back(std::move(s));
    }
    for (const auto& [key, v] : published)
        if (!seen.contains(key))
            throw InputError(sections_csv.string(), 0, "section",
                             fmt::format("no decision for the published row road '{}', section "
                                         "'{}' of {}",
                                         key.first, key.second, published_csv.string()));
    return out;
}

}  // namespace modeshift::daejeon
