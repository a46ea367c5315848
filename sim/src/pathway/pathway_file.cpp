#include "modeshift/pathway/pathway_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "modeshift/io/sourced.hpp"
#include "modeshift/pathway/phase_in.hpp"
#include "pathway_read.hpp"

namespace modeshift::pathway {

namespace {

/// Plan years beyond this are outside any plan the module serves (2050 net zero + margin).
constexpr int kLastAllowedYear = 2060;
constexpr int kFirstAllowedYear = 1990;
const std::vector<int> kDefaultYears = {2024, 2026, 2028, 2030, 2032, 2034};

std::vector<int> read_years(const JsonCursor& root, int base_year) {
    if (!root.has("years")) {
        if (kDefaultYears.front() < base_year)
            root.at("base_year")
                .fail(fmt::format(
                    "the default years {}..{} start before the base year: give \"years\"",
                    kDefaultYears.front(), kDefaultYears.back()));
        return kDefaultYears;
    }
    const JsonCursor c = root.at("years");
    if (c.size() == 0) c.fail("give at least one plan year");
    std::vector<int> years;
    for (std::size_t i = 0; i < c.size(); ++i) {
        const long long y = c.at(i).integer();
        if (y < base_year || y > kLastAllowedYear)
            c.at(i).fail(fmt::format("year {} is outside [base_year {}, {}]", y, base_year,
                                     kLastAllowedYear));
        if (!years.empty() && y <= years.back())
            c.at(i).fail(
                fmt::format("years must strictly increase ({} after {})", y, years.back()));
        years.push_back(int(y));
    }
    return years;
}

bool valid_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
}

std::string read_string_or(const JsonCursor& c, const char* key) {
    return c.string_or(key, "");
}

MeasureCosts read_costs(const JsonCursor& c) {
    c.only_keys({"capex_krw", "lifetime_years", "opex_krw_per_year", "revenue_krw_per_year"});
    MeasureCosts k;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const auto read = [&](const char* key, std::optional<double>& v, std::string& src) {
        if (!c.has(key)) return;
        v = sourced_number(c, key, 0, kInf);
        src = c.at(key).string("source");
    };
    read("capex_krw", k.capex_krw, k.capex_source);
    read("opex_krw_per_year", k.opex_krw_per_year, k.opex_source);
    read("revenue_krw_per_year", k.revenue_krw_per_year, k.revenue_source);
    std::optional<double> life;
    read("lifetime_years", life, k.lifetime_source);
    if (life) {
        if (*life < 1 || *life > 100 || std::floor(*life) != *life)
            c.at("lifetime_years")
                .at("value")
                .fail("a lifetime is a whole number of years in 1..100");
        k.lifetime_years = int(*life);
    }
    if (k.capex_krw && !k.lifetime_years) c.fail("a capital cost (capex_krw) needs lifetime_years");
    if (!k.capex_krw && k.lifetime_years)
        c.at("lifetime_years").fail("a lifetime without capex_krw");
    return k;
}

Measure read_measure(const JsonCursor& c, int base_year, int last_year) {
    c.only_keys({"id", "label_ko", "label_en", "start_year", "phase_in_years", "policies", "costs",
                 "cost_note", "source", "rationale"});
    Measure m;
    m.id = c.string("id");
    if (!valid_id(m.id)) c.at("id").fail(fmt::format("'{}': a measure id is [a-z0-9_]+", m.id));
    if (m.id == "trend" || m.id == "bau" || m.id == "plan")
        c.at("id").fail(fmt::format("'{}' is reserved for the pathway's own runs", m.id));
    m.label_ko = c.string("label_ko");
    m.label_en = c.string("label_en");
    const long long start = c.integer("start_year");
    if (start < base_year || start > last_year)
        c.at("start_year")
            .fail(fmt::format("start year {} is outside [base_year {}, last plan year {}]", start,
                              base_year, last_year));
    m.start_year = int(start);
    const long long phase = c.has("phase_in_years") ? c.integer("phase_in_years") : 0;
    if (phase < 0 || phase > 30) c.at("phase_in_years").fail("phase_in_years is 0..30");
    m.phase_in_years = int(phase);
    const JsonCursor pol = c.at("policies");
    if (pol.size() == 0) pol.fail("a measure needs at least one policy");
    for (std::size_t i = 0; i < pol.size(); ++i) {
        check_policy(pol.at(i));
        const std::string kind = pol.at(i).string("kind");
        if (m.phase_in_years > 0 && !can_phase_in(kind))
            c.at("phase_in_years")
                .fail(fmt::format("policy {} is a {} policy, which has no intensity to ramp (it is "
                                  "on or off, or a "
                                  "fleet level): such a measure simply starts in its start year",
                                  i, kind));
    }
    m.policies = pol.json();
    if (c.has("costs")) m.costs = read_costs(c.at("costs"));
    m.cost_note = read_string_or(c, "cost_note");
    m.source = read_string_or(c, "source");
    m.rationale = read_string_or(c, "rationale");
    if (m.source.empty() && m.rationale.empty())
        c.fail("a measure needs a \"source\" or a \"rationale\"");
    if (!m.costs.any() && m.cost_note.empty())
        c.fail(
            "a measure without costs needs a \"cost_note\" saying why (e.g. \"no cost source\")");
    return m;
}

Target read_target(const JsonCursor& c) {
    c.only_keys({"id", "label_ko", "label_en", "scope", "reference_year", "year", "cut_pct",
                 "method", "source", "reference_t_co2", "target_t_co2"});
    Target t;
    t.id = c.string("id");
    if (!valid_id(t.id)) c.at("id").fail(fmt::format("'{}': a target id is [a-z0-9_]+", t.id));
    t.label_ko = c.string("label_ko");
    t.label_en = c.string("label_en");
    t.scope = c.string("scope");
    if (t.scope != "study_area" && t.scope != "city")
        c.at("scope").fail("scope is \"study_area\" or \"city\"");
    const long long ref = c.integer("reference_year");
    const long long year = c.integer("year");
    if (ref < kFirstAllowedYear || ref > kLastAllowedYear)
        c.at("reference_year")
            .fail(fmt::format("reference year {} is outside [{}, {}]", ref, kFirstAllowedYear,
                              kLastAllowedYear));
    if (year <= ref || year > kLastAllowedYear)
        c.at("year").fail(
            fmt::format("target year {} must lie after the reference year {} and by {}", year, ref,
                        kLastAllowedYear));
    t.reference_year = int(ref);
    t.year = int(year);
    t.cut_pct = c.number("cut_pct");
    if (t.cut_pct <= 0 || t.cut_pct > 100)
        c.at("cut_pct").fail("cut_pct is in (0, 100] (35 = 35 % below the reference)");
    t.method = c.string("method");
    if (t.method.empty()) c.at("method").fail("say how the target line is drawn");
    t.source = c.string("source");
    if (t.source.empty()) c.at("source").fail("a target needs its source");
    if (c.has("reference_t_co2")) {
        t.reference_t_co2 = sourced_number(c, "reference_t_co2", 0);
        t.reference_source = c.at("reference_t_co2").string("source");
    }
    if (c.has("target_t_co2")) {
        t.target_t_co2 = sourced_number(c, "target_t_co2", 0);
        t.target_source = c.at("target_t_co2").string("source");
    }
    return t;
}

std::vector<std::string> read_wedge_order(const JsonCursor& root, const PathwayFile& p) {
    std::vector<std::string> order;
    std::set<std::string> seen;
    if (root.has("wedge_order")) {
        const JsonCursor c = root.at("wedge_order");
        for (std::size_t i = 0; i < c.size(); ++i) {
            const std::string id = c.at(i).string();
            if (!p.find_measure(id)) c.at(i).fail(fmt::format("unknown measure id '{}'", id));
            if (!seen.insert(id).second)
                c.at(i).fail(fmt::format("measure '{}' is listed twice", id));
            order.push_back(id);
        }
    }
    for (const Measure& m : p.measures)
        if (!seen.count(m.id)) order.push_back(m.id);
    return order;
}

void check_coverage(const JsonCursor& root, const PathwayFile& p) {
    const HolidayCalendar& cal = p.annualisation.holidays;
    for (int y = p.first_year(); y <= p.last_year(); ++y)
        if (!cal.covers(y))
            root.at("annualisation")
                .at("holidays")
                .fail(fmt::format("{} covers {}..{}, but the plan runs {}..{} (cumulative tonnes "
                                  "need every year)",
                                  cal.file.string(), cal.first_year, cal.last_year, p.first_year(),
                                  p.last_year()));
}

}  // namespace

const Measure* PathwayFile::find_measure(const std::string& id) const {
    for (const Measure& m : measures)
        if (m.id == id) return &m;
    return nullptr;
}

PathwayFile load_pathway(const std::filesystem::path& file) {
    const Json root_json = read_json_file(file);
    const JsonCursor root(root_json, file.string());
    root.only_keys({"name", "description", "base_scenario", "base_year", "years", "trends",
                    "annualisation", "discount_rate", "measures", "wedge_order", "targets"});
    PathwayFile p;
    p.file = file;
    const auto dir = file.parent_path();
    p.name = root.string("name");
    p.description = root.string_or("description", "");
    p.base_scenario = (dir / root.string("base_scenario")).lexically_normal();
    if (!std::filesystem::is_regular_file(p.base_scenario))
        root.at("base_scenario")
            .fail(fmt::format("no scenario file at {}", p.base_scenario.string()));
    const long long base = root.integer("base_year");
    if (base < 2000 || base > kLastAllowedYear)
        root.at("base_year").fail("the base year is 2000..2060");
    p.base_year = int(base);
    p.years = read_years(root, p.base_year);
    p.trends = detail::read_trends(root.at("trends"));
    p.annualisation = detail::read_annualisation(root.at("annualisation"), dir);
    check_coverage(root, p);
    p.discount_rate = sourced_number(root, "discount_rate", 0, 0.2);
    p.discount_rate_source = root.at("discount_rate").string("source");
    const JsonCursor ms = root.at("measures");
    for (std::size_t i = 0; i < ms.size(); ++i) {
        Measure m = read_measure(ms.at(i), p.base_year, p.last_year());
        if (p.find_measure(m.id))
            ms.at(i).at("id").fail(fmt::format("measure '{}' is listed twice", m.id));
        p.measures.push_back(std::move(m));
    }
    p.wedge_order = read_wedge_order(root, p);
    const JsonCursor ts = root.at("targets");
    std::set<std::string> target_ids;
    for (std::size_t i = 0; i < ts.size(); ++i) {
        p.targets.push_back(read_target(ts.at(i)));
        if (!target_ids.insert(p.targets.back().id).second)
            ts.at(i).at("id").fail(fmt::format("target '{}' is listed twice", p.targets.back().id));
    }
    // A stock that shrinks faster than cars are scrapped is refused now, not mid-way.
    (void)run_stock_turnover(p.trends.car_fleet, p.base_year, p.last_year(), file.string());
    return p;
}

const ActiveMeasure* MeasureSet::find(const std::string& id) const {
    for (const ActiveMeasure& a : active)
        if (a.measure->id == id) return &a;
    return nullptr;
}

MeasureSet active_measures(const PathwayFile& pathway, int year) {
    MeasureSet s;
    s.year = year;
    for (const Measure& m : pathway.measures) {
        const double f = phase_in_fraction(year, m.start_year, m.phase_in_years);
        if (f > 0) s.active.push_back({&m, f});
    }
    return s;
}

nlohmann::json plan_policies(const MeasureSet& set, const std::string& leave_out) {
    MS_ASSERT(leave_out.empty() || set.contains(leave_out),
              fmt::format("the measure left out ('{}') is active in {}", leave_out, set.year));
    nlohmann::json out = nlohmann::json::array();
    for (const ActiveMeasure& a : set.active) {
        if (a.measure->id == leave_out) continue;
        for (const auto& p : a.measure->policies) out.push_back(scaled_policy(p, a.fraction));
    }
    return out;
}

}  // namespace modeshift::pathway
