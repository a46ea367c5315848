// Real signal plans from a matched-plans file, laid over the rule's plans.
#include "modeshift/traffic/real_signals.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"

namespace modeshift {
namespace {

constexpr const char* kColumns =
    "cross_no,cross_name,source_node,node_lat,node_lon,match_m,link,link_class,source_edge,"
    "heading_diff_deg,movement,start_s,schedule,cycle_s,green_begin_s,green_s,green2_begin_s,"
    "green2_s,stages,note";

TimeMs ms(double s) {
    return static_cast<TimeMs>(std::llround(s * 1000));
}

}  // namespace

std::vector<RealApproachTiming> read_real_signals(const std::filesystem::path& path) {
    CsvReader r(path, ',', CsvPreamble::HashLines);
    std::vector<RealApproachTiming> out;
    while (r.next()) {
        RealApproachTiming t;
        t.line = r.line();
        t.cross_no = r.get_nonempty("cross_no", "every row names its junction");
        t.cross_name = r.get("cross_name");
        t.source_node = r.get("source_node");
        t.link = r.get("link");
        t.note = r.get("note");
        t.match_m = r.get_double_opt("match_m").value_or(-1);
        if (!t.matched()) {
            out.push_back(std::move(t));
            continue;
        }
        t.node_lat = r.get_double("node_lat");
        t.node_lon = r.get_double("node_lon");
        t.link_class = r.get("link_class");
        t.source_edge = r.get("source_edge");
        t.heading_diff_deg = r.get_double("heading_diff_deg");
        t.movement = r.get("movement");
        t.schedule = r.get("schedule");
        t.start_s = r.get_double("start_s");
        t.cycle_s = r.get_double("cycle_s");
        t.green_begin_s = r.get_double("green_begin_s");
        t.green_s = r.get_double("green_s");
        // Files written before the second window have neither column: one window.
        t.green2_begin_s = r.get_double_opt("green2_begin_s").value_or(0);
        t.green2_s = r.get_double_opt("green2_s").value_or(0);
        t.stages = static_cast<int>(r.get_int("stages"));
        if (!(t.start_s >= 0 && t.start_s < 86'400))
            r.fail("start_s", "a period starts at a time of day in [0, 86400) s");
        if (!(t.cycle_s > 0 && t.cycle_s <= 3600)) r.fail("cycle_s", "needs 0 < cycle <= 3600 s");
        if (!(t.green_s > 0 && ms(t.green_s) <= ms(t.cycle_s)))
            r.fail("green_s", "needs 0 < green <= cycle");
        if (!(t.green_begin_s >= 0 && ms(t.green_begin_s) < ms(t.cycle_s)))
            r.fail("green_begin_s", "needs 0 <= green begin < cycle");
        if (!(t.green2_s >= 0 && ms(t.green_s) + ms(t.green2_s) <= ms(t.cycle_s)))
            r.fail("green2_s", "needs 0 <= second green and both greens within the cycle");
        if (!(t.green2_begin_s >= 0 && ms(t.green2_begin_s) < ms(t.cycle_s)))
            r.fail("green2_begin_s", "needs 0 <= second green begin < cycle");
        out.push_back(std::move(t));
    }
    return out;
}

void write_real_signals(const std::filesystem::path& path,
                        const std::vector<RealApproachTiming>& rows,
                        const std::vector<std::string>& preamble) {
    std::string out;
    for (const std::string& p : preamble) out += "# " + p + "\n";
    out += kColumns;
    out += "\n";
    for (const RealApproachTiming& t : rows) {
        out += fmt::format("{},{},{},", csv_field(t.cross_no), csv_field(t.cross_name),
                           csv_field(t.source_node));
        if (t.matched())
            out += fmt::format("{:.7f},{:.7f},", t.node_lat, t.node_lon);
        else
            out += ",,";
        out += t.match_m >= 0 ? fmt::format("{:.1f},", t.match_m) : std::string(",");
        if (t.matched())
            out += fmt::format(
                "{},{},{},{:.0f},{},{:.0f},{},{:.1f},{:.1f},{:.1f},{:.1f},{:.1f},{},",
                csv_field(t.link), t.link_class, csv_field(t.source_edge), t.heading_diff_deg,
                t.movement, t.start_s, csv_field(t.schedule), t.cycle_s, t.green_begin_s, t.green_s,
                t.green2_begin_s, t.green2_s, t.stages);
        else
            out += ",,,,,,,,,,,,,";
        out += csv_field(t.note) + "\n";
    }
    write_text_atomic(path, out);
}

RealPlanUse apply_real_plans(SignalPlan& plan, const Network& net,
                             const std::vector<RealApproachTiming>& rows) {
    RealPlanUse use;
    use.cross_no_of_link.assign(net.link_count(), std::string());
    // The network's car links by external id (the first, if an id is given twice).
    std::unordered_map<std::string, std::uint32_t> link_of;
    const auto& ext = net.data().links.external_id;
    for (std::size_t l = 0; l < net.link_count(); ++l)
        if (!ext[l].empty() && allows(net.modes(LinkId::from_index(l)), Mode::Car))
            link_of.emplace(ext[l], static_cast<std::uint32_t>(l));
    // Per link: its periods (start, timing), sorted by start.
    std::map<std::uint32_t, std::vector<std::pair<TimeMs, ApproachSignal>>> periods;
    std::vector<TimeMs> cuts = {0};
    for (const RealApproachTiming& t : rows) {
        if (!t.matched()) continue;
        const auto it = link_of.find(t.link);
        if (it == link_of.end()) {
            ++use.rows_without_link;
            continue;
        }
        const auto c = static_cast<std::int32_t>(ms(t.cycle_s));
        ApproachSignal a{c, static_cast<std::int32_t>(ms(t.green_begin_s) % c),
                         static_cast<std::int32_t>(std::min<TimeMs>(ms(t.green_s), c))};
        if (t.green2_s > 0) {
            a.green2_begin_ms = static_cast<std::int32_t>(ms(t.green2_begin_s) % c);
            a.green2_ms =
                static_cast<std::int32_t>(std::min<TimeMs>(ms(t.green2_s), c - a.green_ms));
        }
        periods[it->second].emplace_back(ms(t.start_s), a);
        // Some plans carry crossNo "null": their name says which junction it is.
        use.cross_no_of_link[it->second] = t.cross_no == "null" ? t.cross_name : t.cross_no;
        cuts.push_back(ms(t.start_s));
    }
    if (periods.empty()) return use;  // an empty plan stays empty
    if (plan.general.size() != net.link_count()) plan.general.assign(net.link_count(), {});
    std::vector<std::uint8_t> node_seen(net.node_count(), 0);
    for (auto& [l, p] : periods) {
        std::sort(p.begin(), p.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        ++use.approaches;
        const NodeId n = net.to(LinkId(l));
        if (!node_seen[n.index()]) ++use.junctions;
        node_seen[n.index()] = 1;
    }
    for (const TimeOfDayPlan& t : plan.time_of_day)
        for (const auto& [b, e] : t.windows) {
            cuts.push_back(b);
            cuts.push_back(e);
        }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    // Each part of the day: the rule's timings there with the real ones laid over them.
    struct Part {
        TimeMs begin, end;
        std::string rule_plan;
        std::vector<ApproachSignal> timings;
    };
    std::vector<Part> parts;
    std::size_t noon = 0;
    for (std::size_t i = 0; i < cuts.size(); ++i) {
        Part part{cuts[i], i + 1 < cuts.size() ? cuts[i + 1] : kMsPerDay, "day", {}};
        part.timings = *plan.at(part.begin).first;
        for (const TimeOfDayPlan& t : plan.time_of_day)
            if (t.covers(part.begin)) {
                part.rule_plan = t.name;
                break;
            }
        for (const auto& [l, p] : periods) {
            const auto* cur = &p.front().second;
            for (const auto& [start, a] : p)
                if (start <= part.begin) cur = &a;
            part.timings[l] = *cur;
        }
        if (part.begin <= 12 * kMsPerHour && 12 * kMsPerHour < part.end) noon = i;
        parts.push_back(std::move(part));
    }
    SignalPlan out;
    out.general = parts[noon].timings;
    for (const Part& part : parts) {
        if (part.timings == out.general) continue;
        const std::pair<TimeMs, TimeMs> window{part.begin, part.end % kMsPerDay};
        auto same = std::find_if(out.time_of_day.begin(), out.time_of_day.end(),
                                 [&](const TimeOfDayPlan& t) { return t.general == part.timings; });
        if (same != out.time_of_day.end()) {
            same->windows.push_back(window);
            continue;
        }
        TimeOfDayPlan t;
        const TimeMs minute = part.begin / 60'000;
        t.name = fmt::format("{}_{:02d}{:02d}", part.rule_plan, minute / 60, minute % 60);
        t.general = part.timings;
        t.windows.push_back(window);
        out.time_of_day.push_back(std::move(t));
    }
    plan = std::move(out);
    return use;
}

}  // namespace modeshift
