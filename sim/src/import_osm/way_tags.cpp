// OSM tag rules -> link attributes of each travel direction: access, oneway, lanes, maxspeed, bus
// and cycle lanes, and capacity from the class defaults (networks/osm/osm_defaults.csv).
#include <fmt/format.h>
#include <osmium/osm/way.hpp>

#include <algorithm>
#include <optional>

#include "internal.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/utf8.hpp"

namespace modeshift::osm {
namespace {

bool is_one_of(const std::string& v, std::initializer_list<const char*> options) {
    for (const char* o : options)
        if (v == o) return true;
    return false;
}

std::optional<float> parse_lanes(const std::string& v) {
    if (v.empty()) return std::nullopt;
    const auto semi = v.find(';');
    const auto n = parse_double(semi == std::string::npos ? v : v.substr(0, semi));
    if (!n || *n < 1 || *n > 20) return std::nullopt;
    return static_cast<float>(*n);
}

/// Counts "designated" entries in a "|"-separated per-lane value (bus:lanes=no|no|designated).
int designated_lanes(const std::string& v) {
    int n = 0;
    std::size_t pos = 0;
    while ((pos = v.find("designated", pos)) != std::string::npos) {
        ++n;
        pos += 10;
    }
    return n;
}

class WayTagger {
  public:
    WayTagger(const OsmTables& t, OsmImportReport& r) : tables_(t), report_(r) {}

    /// Fills `w` from tags; false if the way is not part of the network.
    bool classify(const osmium::Way& way, KeptWay& w) {
        const auto& tags = way.tags();
        const char* hw = tags.get_value_by_key("highway");
        const char* rw = tags.get_value_by_key("railway");
        const OsmWayDefaults* d = nullptr;
        if (hw) {
            auto it = tables_.ways.find(std::string("highway=") + hw);
            if (it != tables_.ways.end()) d = &it->second;
        }
        if (!d && rw) {
            auto it = tables_.ways.find(std::string("railway=") + rw);
            if (it != tables_.ways.end()) {
                d = &it->second;
                w.rail = true;
            }
        }
        if (!d) return false;
        if (tag_or(tags, "area") == "yes") {
            ++report_.warnings["highway area (area=yes) skipped: not a line"];
            return false;
        }
        w.road_class = d->road_class;
        const std::string raw_name = tag_or(tags, "name");
        if (!is_valid_utf8(raw_name)) {
            ++report_.warnings["way name not valid UTF-8: bad bytes replaced by U+FFFD"];
            w.name = repair_utf8(raw_name);
        } else {
            w.name = raw_name;
        }
        ModeMask modes = d->modes;
        if (!w.rail) modes = apply_access(tags, modes);
        const auto [fwd_on, bwd_on] = directions(tags, *d);
        w.fwd = base_dir(*d, modes);
        w.bwd = base_dir(*d, modes);
        if (!w.rail) {
            lanes(tags, *d, fwd_on, bwd_on, w);
            speeds(tags, w);
            bus_lanes(tags, hw ? std::string(hw) : std::string(), fwd_on, bwd_on, w);
            cycle_lanes(tags, hw ? std::string(hw) : std::string(), fwd_on, bwd_on, w);
        }
        // A oneway road stays walkable both ways (pedestrians are not bound by oneway);
        // contraflow cycling and buses only where tagged.
        if (!fwd_on)
            w.fwd.modes &=
                static_cast<ModeMask>(kWalk | contraflow(tags, w.fwd.bike_lane, w.fwd.bus_lane));
        if (!bwd_on)
            w.bwd.modes &=
                static_cast<ModeMask>(kWalk | contraflow(tags, w.bwd.bike_lane, w.bwd.bus_lane));
        if (w.rail) {
            if (!fwd_on) w.fwd.modes = 0;
            if (!bwd_on) w.bwd.modes = 0;
        }
        for (DirAttrs* dir : {&w.fwd, &w.bwd}) {
            const float car_lanes = std::max(1.0f, dir->lanes);
            dir->capacity_vph = d->capacity_per_lane_vph * car_lanes;
        }
        return (w.fwd.modes | w.bwd.modes) != 0;
    }

  private:
    ModeMask apply_access(const osmium::TagList& tags, ModeMask m) {
        auto no = [](const std::string& v) {
            return is_one_of(v, {"no", "private", "agricultural", "forestry"});
        };
        auto yes = [](const std::string& v) {
            return is_one_of(v, {"yes", "designated", "permissive", "destination"});
        };
        const auto access = tag_or(tags, "access");
        if (no(access)) m = 0;
        if (no(tag_or(tags, "vehicle"))) m &= static_cast<ModeMask>(~(kMotor | kBike));
        if (no(tag_or(tags, "motor_vehicle"))) m &= static_cast<ModeMask>(~kMotor);
        if (no(tag_or(tags, "motorcar"))) m &= static_cast<ModeMask>(~kCar);
        if (yes(tag_or(tags, "motor_vehicle")) || yes(tag_or(tags, "motorcar")))
            m |= kCar | (no(access) ? 0 : kBus);
        if (yes(tag_or(tags, "psv")) || yes(tag_or(tags, "bus"))) m |= kBus;
        if (no(tag_or(tags, "psv")) || no(tag_or(tags, "bus"))) m &= static_cast<ModeMask>(~kBus);
        const auto bicycle = tag_or(tags, "bicycle");
        if (no(bicycle) || bicycle == "dismount") m &= static_cast<ModeMask>(~kBike);
        if (yes(bicycle)) m |= kBike;
        const auto foot = tag_or(tags, "foot");
        if (no(foot)) m &= static_cast<ModeMask>(~kWalk);
        if (yes(foot)) m |= kWalk;
        if (no(access) && m == 0)
            ++report_.warnings["way closed by access tags (access=no/private) skipped"];
        return m;
    }

    std::pair<bool, bool> directions(const osmium::TagList& tags, const OsmWayDefaults& d) {
        const auto ow = tag_or(tags, "oneway");
        const auto junction = tag_or(tags, "junction");
        if (is_one_of(ow, {"yes", "true", "1"})) return {true, false};
        if (is_one_of(ow, {"-1", "reverse"})) return {false, true};
        if (is_one_of(ow, {"no", "false", "0"})) return {true, true};
        if (is_one_of(junction, {"roundabout", "circular"})) return {true, false};
        if (!ow.empty())
            ++report_.warnings[fmt::format("oneway={} not understood: treated as two-way", ow)];
        return d.oneway ? std::pair{true, false} : std::pair{true, true};
    }

    DirAttrs base_dir(const OsmWayDefaults& d, ModeMask modes) const {
        DirAttrs a;
        a.modes = modes;
        a.lanes = d.lanes_per_direction;
        a.speed_kmh = d.speed_kmh;
        return a;
    }

    void lanes(const osmium::TagList& tags, const OsmWayDefaults& d, bool fwd_on, bool bwd_on,
               KeptWay& w) {
        const auto total_s = tag_or(tags, "lanes");
        const auto total = parse_lanes(total_s);
        if (!total_s.empty() && !total)
            ++report_.warnings["lanes value not a number in 1..20: class default used"];
        const auto f = parse_lanes(tag_or(tags, "lanes:forward"));
        const auto b = parse_lanes(tag_or(tags, "lanes:backward"));
        if (fwd_on && !bwd_on) {
            w.fwd.lanes = total ? *total : (f ? *f : d.lanes_per_direction);
        } else if (bwd_on && !fwd_on) {
            w.bwd.lanes = total ? *total : (b ? *b : d.lanes_per_direction);
        } else {
            if (f) w.fwd.lanes = *f;
            if (b) w.bwd.lanes = *b;
            if (total && !f && !b) {
                w.fwd.lanes = std::max(1.0f, *total / 2);
                w.bwd.lanes = std::max(1.0f, *total / 2);
            } else if (total && f && !b) {
                w.bwd.lanes = std::max(1.0f, *total - *f);
            } else if (total && b && !f) {
                w.fwd.lanes = std::max(1.0f, *total - *b);
            }
        }
    }

    void speeds(const osmium::TagList& tags, KeptWay& w) {
        auto one = [&](const char* key) -> std::optional<double> {
            const auto v = tag_or(tags, key);
            if (v.empty()) return std::nullopt;
            auto s = parse_maxspeed_kmh(v, tables_);
            if (!s && !is_one_of(v, {"none", "signals", "variable"}))
                ++report_.warnings["maxspeed value not understood: class default used"];
            return s;
        };
        const auto both = one("maxspeed");
        const auto f = one("maxspeed:forward");
        const auto b = one("maxspeed:backward");
        if (both) w.fwd.speed_kmh = w.bwd.speed_kmh = *both;
        if (f) w.fwd.speed_kmh = *f;
        if (b) w.bwd.speed_kmh = *b;
    }

    /// The sides (f forward, b backward; right-hand traffic) on which `key`, `key:both`,
    /// `key:right` or `key:left` tag a lane that `is_lane` accepts. On a one-way road "both" and
    /// the bare key mean the direction of travel.
    template <class IsLane>
    static void tagged_sides(const osmium::TagList& tags, const std::string& key, IsLane is_lane,
                             bool fwd_on, bool bwd_on, bool& f, bool& b) {
        const bool oneway = fwd_on != bwd_on;
        auto lane = [&](const std::string& suffix) {
            return is_lane(tag_or(tags, (key + suffix).c_str()));
        };
        if (lane("") || lane(":both")) {
            if (oneway)
                (fwd_on ? f : b) = true;
            else
                f = b = true;
        }
        if (lane(":right")) (oneway && bwd_on ? b : f) = true;
        if (lane(":left")) (oneway ? (fwd_on ? f : b) : b) = true;
    }

    void bus_lanes(const osmium::TagList& tags, const std::string& hw, bool fwd_on, bool bwd_on,
                   KeptWay& w) {
        bool f = false, b = false;
        const bool oneway = fwd_on != bwd_on;
        auto lane = [](const std::string& v) { return v == "lane" || v == "designated"; };
        if (hw == "busway" || hw == "bus_guideway") f = b = true;
        tagged_sides(tags, "busway", lane, fwd_on, bwd_on, f, b);
        if (tag_or(tags, "busway") == "opposite_lane") b = true;
        for (const char* k : {"lanes:bus", "lanes:psv"}) {
            const auto n = parse_lanes(tag_or(tags, k));
            if (n) {
                if (oneway)
                    (fwd_on ? f : b) = true;
                else if (*n >= 2)
                    f = b = true;
                else
                    f = true;  // one bus lane on a two-way road: right-hand traffic, forward side
            }
        }
        for (const char* k : {"lanes:bus:forward", "lanes:psv:forward"})
            if (parse_lanes(tag_or(tags, k))) f = true;
        for (const char* k : {"lanes:bus:backward", "lanes:psv:backward"})
            if (parse_lanes(tag_or(tags, k))) b = true;
        for (const char* k : {"bus:lanes", "psv:lanes"})
            if (designated_lanes(tag_or(tags, k)) > 0) (bwd_on && !fwd_on ? b : f) = true;
        for (const char* k : {"bus:lanes:forward", "psv:lanes:forward"})
            if (designated_lanes(tag_or(tags, k)) > 0) f = true;
        for (const char* k : {"bus:lanes:backward", "psv:lanes:backward"})
            if (designated_lanes(tag_or(tags, k)) > 0) b = true;
        // A bus lane is one of the tagged lanes: the car capacity loses it (OSM "lanes" counts
        // every lane, bus lanes included), but never below one lane.
        if (f && !(hw == "busway" || hw == "bus_guideway")) {
            w.fwd.bus_lane = true;
            w.fwd.modes |= kBus;
            if (w.fwd.lanes >= 2) w.fwd.lanes -= 1;
        }
        if (b && !(hw == "busway" || hw == "bus_guideway")) {
            w.bwd.bus_lane = true;
            w.bwd.modes |= kBus;
            if (w.bwd.lanes >= 2) w.bwd.lanes -= 1;
        }
        if (hw == "busway" || hw == "bus_guideway") w.fwd.bus_lane = w.bwd.bus_lane = true;
    }

    void cycle_lanes(const osmium::TagList& tags, const std::string& hw, bool fwd_on, bool bwd_on,
                     KeptWay& w) {
        bool f = false, b = false;
        auto lane = [](const std::string& v) {
            return is_one_of(v, {"lane", "track", "separate", "exclusive"});
        };
        if (hw == "cycleway") f = b = true;
        tagged_sides(tags, "cycleway", lane, fwd_on, bwd_on, f, b);
        if (is_one_of(tag_or(tags, "cycleway"), {"opposite_lane", "opposite_track"})) b = true;
        if (f) {
            w.fwd.bike_lane = true;
            w.fwd.modes |= kBike;
        }
        if (b) {
            w.bwd.bike_lane = true;
            w.bwd.modes |= kBike;
        }
    }

    /// Modes allowed against a oneway direction.
    static ModeMask contraflow(const osmium::TagList& tags, bool bike_lane, bool bus_lane) {
        ModeMask m = 0;
        if (bike_lane || tag_or(tags, "oneway:bicycle") == "no" ||
            tag_or(tags, "cycleway").rfind("opposite", 0) == 0)
            m |= kBike;
        if (bus_lane || tag_or(tags, "oneway:bus") == "no" || tag_or(tags, "oneway:psv") == "no")
            m |= kBus;
        return m;
    }

    const OsmTables& tables_;
    OsmImportReport& report_;
};

}  // namespace

bool classify_way(const osmium::Way& way, const OsmTables& tables, OsmImportReport& report,
                  KeptWay& w) {
    return WayTagger(tables, report).classify(way, w);
}

}  // namespace modeshift::osm
