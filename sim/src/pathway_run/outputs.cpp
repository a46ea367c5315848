// Writing a pathway's outputs, and the method box every output carries.
#include <fmt/format.h>

#include "modeshift/io/atomic_file.hpp"
#include "modeshift/pathway_run/pathway_tables.hpp"

namespace modeshift::pathway {

std::vector<std::string> method_lines(const PathwayFile& p, const PathwayResult& r) {
    std::vector<std::string> m;
    m.push_back(
        "Counted: CO2 of every vehicle the model simulates on the road network (residents' cars "
        "and "
        "taxis, buses, freight vans and trucks, boundary traffic) and of the electricity and "
        "hydrogen "
        "for electric cars, buses, metro and tram. 'study_area' counts the links inside Seo-gu, "
        "'city' the whole Daejeon network. / 집계: 도로망의 모든 차량과 전기·수소 생산 배출.");
    m.push_back(
        "Not counted: expressway through traffic that never enters the city network, off-road "
        "machinery, aviation, rail freight, and vehicle manufacture. This is a traffic-based "
        "(Tier 3) on-road estimate, not the fuel-sales (Tier 1) regional inventory the city's plan "
        "reports: the two can differ by 20 % or several times for one city (plan_anchors.csv "
        "inventory_method_gap), so compare changes, not levels, with the inventory.");
    m.push_back(fmt::format(
        "Annual tonnes: a simulated weekday times the weekday-equivalent days of the year: "
        "weekdays + "
        "Saturdays x {:.3g} + Sundays and public holidays x {:.3g} (holidays from {}). Saturday: "
        "{}. "
        "Sunday/holiday: {}.",
        p.annualisation.road.saturday, p.annualisation.road.sunday_holiday,
        p.annualisation.holidays_file.filename().string(), p.annualisation.road_saturday_source,
        p.annualisation.road_sunday_holiday_source));
    m.push_back(
        "Trends (BAU and plan alike): population by dong, the car fleet by stock turnover "
        "(new-sales "
        "shares, scrappage), the bus fleet by fuel, the grid and hydrogen carbon intensity. The "
        "trend wedge is the first year's BAU minus each year's BAU.");
    m.push_back(
        "Wedges (Energy Policy Simulator method): each measure is left out of the full plan in "
        "turn; "
        "its leave-one-out effect is rescaled so the wedges add up exactly to BAU minus plan. The "
        "scale and the interaction (BAU - plan - sum of leave-one-out effects; > 0: the measures "
        "overlap) are reported per year.");
    m.push_back(fmt::format(
        "Uncertainty: {} seed(s) ({}), common random numbers (the same persons and tours in every "
        "run of a seed). Intervals are 90 % intervals of the mean over seeds (Student t); a wedge "
        "whose interval includes 0 is 'not distinguishable from noise at this sample'. One seed "
        "gives no interval.",
        r.seeds.size(), fmt::join(r.seeds, ", ")));
    m.push_back(
        fmt::format("Cost per tonne: capital cost annualised over its lifetime at a {:.1f} % "
                    "discount rate ({}), "
                    "plus operating cost, minus revenue, over the tonnes avoided in the year. "
                    "Cumulative tonnes "
                    "{}-{}: every calendar year, linear between simulated years.",
                    100 * p.discount_rate, p.discount_rate_source, r.first_year, r.last_year));
    if (r.zev) m.push_back(r.zev->line);
    return m;
}

void write_pathway_outputs(const std::filesystem::path& dir, const PathwayResult& r) {
    const std::vector<Table> tables = {pathway_table(r), wedges_table(r), targets_table(r)};
    for (const Table& t : tables) write_text_atomic(dir / (t.sheet + ".csv"), to_csv(t));
    write_xlsx(dir / "pathway.xlsx", tables, r.method);
    write_text_atomic(dir / "pathway.html", pathway_html(r));
    // pathway.json last: the folder's completion mark.
    write_text_atomic(dir / "pathway.json", pathway_json(r));
}

}  // namespace modeshift::pathway
