// The headline figures, the words for bands and the method text shared by every rendering of a
// comparison.
#include "compare_text.hpp"

#include <fmt/format.h>

#include "modeshift/report/html.hpp"

namespace modeshift {

namespace compare_text {

std::vector<Figure> headline_figures(const Comparison& c) {
    const double days = c.annual.days;
    const auto car = mode_index(Mode::Car);
    std::vector<Figure> f = {
        {"co2_t_per_day", "CO2 배출량", "CO2 emissions", "t/day", c.co2_t, 2},
        {"co2_t_per_year", "CO2 배출량 (연간 환산)", "CO2 emissions, per year", "t/year",
         c.co2_t.scaled(days), 0},
        {"co2_tailpipe_t", "· 배기구", "· tailpipe", "t/day", c.co2_tailpipe_t, 2},
        {"co2_grid_t", "· 전력", "· grid electricity", "t/day", c.co2_grid_t, 2},
        {"co2_hydrogen_t", "· 수소 생산", "· hydrogen production", "t/day", c.co2_hydrogen_t, 2},
        {"co2_g_per_pkm", "인·km당 CO2", "CO2 per person-km", "g/pkm", c.co2_g_per_pkm, 1},
        {"car_share_pct", "승용차 분담률", "car mode share", "%", c.mode_share_pct[car], 1},
        {"vkt_km", "차량 주행거리", "vehicle-km (VKT)", "km/day", c.vkt_km, 0},
        {"pkt_km", "인 주행거리", "person-km (PKT)", "km/day", c.pkt_km, 0, false},
        {"trips", "통행 수", "trips", "trips/day", c.trips, 0, false},
        {"mean_travel_time_min", "평균 통행시간", "mean travel time", "min", c.mean_travel_time_min,
         1}};
    if (!c.study.present) return f;
    const std::string& n = c.study.name;
    const StudyAreaDelta& st = c.study;
    f.push_back({"co2_t_per_day", n + " 도로 CO2", "CO2 on " + n + "'s roads", "t/day", st.co2_t, 2,
                 true, true});
    f.push_back({"co2_t_per_year", n + " 도로 CO2 (연간 환산)",
                 "CO2 on " + n + "'s roads, per year", "t/year", st.co2_t.scaled(days), 0, true,
                 true});
    f.push_back({"car_share_pct", n + " 관련 통행 승용차 분담률",
                 "car share of trips to, from or through " + n, "%", st.mode_share_pct[car], 1,
                 true, true});
    f.push_back(
        {"trips", n + " 관련 통행", "trips touching " + n, "trips/day", st.trips, 0, false, true});
    return f;
}

std::string band_key(const Band& b) {
    switch (b.kind) {
        case Band::Kind::TInterval:
            return "t90";
        case Band::Kind::Range:
            return "range";
        case Band::Kind::None:
            break;
    }
    return {};
}

std::string band_name(const Band& b) {
    switch (b.kind) {
        case Band::Kind::TInterval:
            return fmt::format("90 % 구간 (시드 {}개) / 90 % interval ({} seeds)", b.n, b.n);
        case Band::Kind::Range:
            return fmt::format("최소–최대 (시드 {}개) / min–max ({} seeds)", b.n, b.n);
        case Band::Kind::None:
            break;
    }
    return "시드 1개: 범위 없음 / one seed: no band";
}

std::string band_range(const Band& b, int decimals, const std::string& unit) {
    return html::signed_num(b.lo, decimals) + " … " + html::signed_num(b.hi, decimals) + " " + unit;
}

}  // namespace compare_text

std::vector<std::string> comparison_method(const Comparison& c) {
    std::vector<std::string> m;
    m.push_back("연간 환산 / per year: " + c.annual.method_ko + " / " + c.annual.method_en);
    const std::size_t n = c.runs_per_side();
    if (n <= 1) {
        m.push_back(
            "시드 / seeds: 한 쪽에 실행 1개 — 변화는 한 쌍의 실행의 차이이며 범위 없음 / one run "
            "per side: each change is that of one pair of runs, with no band (compare several "
            "seeds per side to see the spread: docs/reports.md)");
    } else {
        const std::string band =
            n >= 3 ? fmt::format(
                         "the 90 % Student's t interval of the mean per-seed difference "
                         "({} degrees of freedom) / 시드별 차이 평균의 90 % t 구간",
                         n - 1)
                   : std::string(
                         "the minimum and maximum of the 2 per-seed differences (too "
                         "few seeds for a t interval) / 시드별 차이 2개의 최소–최대");
        m.push_back(fmt::format(
            "시드 / seeds: 한 쪽에 {} 개, 시드별로 짝지음 (공통 난수) / {} runs per side, paired "
            "by seed (common random numbers: the same persons make the same tours). Figures are "
            "means over the seeds; the band of a change is {}. A change whose band holds 0 is "
            "marked '{}' / '{}'.",
            n, n, band, compare_text::kNoiseKo, compare_text::kNoiseEn));
    }
    m.push_back("링크 대응 / links: " + c.link_match);
    m.push_back(
        "범위 / scope: 시 전체 (모든 시민의 통행, 화물차, 시계 유출입 교통), 연구지역 행 제외 / "
        "the whole city (every resident's trips, freight, traffic across the boundary) except the "
        "study-area rows (CO2 on links inside it, trips that start, end or pass through it).");
    return m;
}

}  // namespace modeshift
