// Systematic utilities of the modes for one trip, and the tour-level logit.
#include <cmath>
#include <limits>

#include "modeshift/choice/choice.hpp"
#include "modeshift/core/rng.hpp"

namespace modeshift {
namespace {

constexpr double kNa = -std::numeric_limits<double>::infinity();

double transit_utility(const Skims& s, const ChoiceParams& p, const ChoiceContext& ctx,
                       const PersonView& person, ZoneId o, ZoneId d, TimeMs depart, TransitAlt alt,
                       Mode mode) {
    const TransitPath& tp =
        s.transit(o, d, period_of_hour(static_cast<int>((depart / kMsPerHour) % 24)), alt);
    if (!tp.ok) return kNa;
    // No service: every line of the path must run at departure and for half an hour after it.
    const double depart_s = static_cast<double>(depart % kMsPerDay) / 1000.0;
    for (const TransitLeg& leg : s.legs(tp)) {
        const auto& ln = s.network().line(leg.line);
        if (depart_s < ln.service_start_s || depart_s > ln.service_end_s - 1800) return kNa;
    }
    const double b_ivt = mode == Mode::Bus ? p.b_ivt_bus : p.b_ivt_rail;
    const double fare_factor = person.fare_group == 1 ? ctx.group_fare_factor[mode_index(mode)]
                                                      : ctx.fare_factor[mode_index(mode)];
    return p.asc[mode_index(mode)] + b_ivt * tp.ivt_min + p.b_wait * tp.wait_min +
           p.b_walk * tp.walk_min + p.b_transfer * std::max(0, tp.boardings - 1) +
           p.b_cost * tp.fare_krw * fare_factor;
}

}  // namespace

Utilities trip_utilities(const Skims& s, const ChoiceParams& p, const ChoiceContext& ctx,
                         const PersonView& person, ZoneId o, ZoneId d, TimeMs depart,
                         std::uint64_t tashu_draw_key) {
    Utilities u;
    u.fill(kNa);
    const int hour = static_cast<int>((depart / kMsPerHour) % 24);
    const float car_min = s.car_time_min(o, d, hour);
    const float car_km = s.car_dist_km(o, d, hour);
    const bool lez_banned =
        !ctx.lez_banned_classes.empty() &&
        (((ctx.lez_banned_classes[o.index()] | ctx.lez_banned_classes[d.index()]) >>
          person.car_class) &
         1u);
    if (car_min >= 0 && ctx.mode_enabled[mode_index(Mode::Car)] && person.car_available &&
        !lez_banned) {
        const double parking =
            ctx.parking_charge_krw.empty() ? 0.0 : ctx.parking_charge_krw[d.index()];
        const double cost = p.fuel_cost_krw_per_km * car_km + parking + s.car_toll_krw(o, d, hour);
        u[mode_index(Mode::Car)] = p.asc[mode_index(Mode::Car)] +
                                   p.b_ivt_car * (car_min + p.car_access_min) + p.b_cost * cost;
    }
    if (car_min >= 0 && ctx.mode_enabled[mode_index(Mode::Taxi)]) {
        const double fare = p.taxi_base_fare_krw +
                            std::max(0.0, car_km - p.taxi_base_km) * p.taxi_krw_per_km +
                            s.car_toll_krw(o, d, hour);
        u[mode_index(Mode::Taxi)] = p.asc[mode_index(Mode::Taxi)] + p.b_ivt_car * car_min +
                                    p.b_wait * p.taxi_wait_min + p.b_cost * fare;
    }
    u[mode_index(Mode::Bus)] =
        transit_utility(s, p, ctx, person, o, d, depart, TransitAlt::Bus, Mode::Bus);
    u[mode_index(Mode::Metro)] =
        transit_utility(s, p, ctx, person, o, d, depart, TransitAlt::Metro, Mode::Metro);
    u[mode_index(Mode::Tram)] =
        transit_utility(s, p, ctx, person, o, d, depart, TransitAlt::Tram, Mode::Tram);
    if (!ctx.mode_enabled[mode_index(Mode::Bus)]) u[mode_index(Mode::Bus)] = kNa;
    if (!ctx.mode_enabled[mode_index(Mode::Metro)]) u[mode_index(Mode::Metro)] = kNa;
    if (!ctx.mode_enabled[mode_index(Mode::Tram)]) u[mode_index(Mode::Tram)] = kNa;

    // Bike: own bike, or a Tashu station within reach at both ends (drawn per person and pair).
    bool bike = person.bike_owner;
    if (!bike && person.tashu_member && !ctx.tashu_coverage.empty()) {
        Rng r(tashu_draw_key, RngPurpose::ModeChoice,
              (static_cast<std::uint64_t>(o.value()) << 32) | d.value(), 0xb1ce);
        bike = r.uniform() < ctx.tashu_coverage[o.index()] * ctx.tashu_coverage[d.index()];
    }
    const float bike_km = s.bike_dist_km(o, d);
    if (bike && bike_km >= 0 && ctx.mode_enabled[mode_index(Mode::Bike)]) {
        const double mins = bike_km * 1000.0 / (p.bike_speed_mps * ctx.bike_speed_factor) / 60.0;
        u[mode_index(Mode::Bike)] = p.asc[mode_index(Mode::Bike)] + p.b_bike * mins +
                                    p.b_bike_lane * mins * s.bike_lane_share(o, d);
    }
    if (ctx.mode_enabled[mode_index(Mode::Walk)]) {
        const double mins = s.walk_dist_km(o, d) * 1000.0 / p.walk_speed_mps / 60.0;
        u[mode_index(Mode::Walk)] = p.asc[mode_index(Mode::Walk)] + p.b_walk * mins;
    }
    return u;
}

Mode choose_tour_mode(const Utilities& out, const Utilities& back,
                      const std::array<double, kModeCount>& gumbel) {
    Mode best = Mode::Walk;
    double best_u = -std::numeric_limits<double>::infinity();
    for (Mode m : kAllModes) {
        const double v = out[mode_index(m)] + back[mode_index(m)];
        if (!std::isfinite(v)) continue;
        const double total = v + gumbel[mode_index(m)];
        if (total > best_u) {
            best_u = total;
            best = m;
        }
    }
    return best;
}

std::array<double, kModeCount> tour_probabilities(const Utilities& out, const Utilities& back) {
    std::array<double, kModeCount> pr{};
    double vmax = -std::numeric_limits<double>::infinity();
    for (Mode m : kAllModes) vmax = std::max(vmax, out[mode_index(m)] + back[mode_index(m)]);
    if (!std::isfinite(vmax)) {
        pr[mode_index(Mode::Walk)] = 1.0;
        return pr;
    }
    double sum = 0;
    for (Mode m : kAllModes) {
        const double v = out[mode_index(m)] + back[mode_index(m)];
        pr[mode_index(m)] = std::isfinite(v) ? std::exp(v - vmax) : 0.0;
        sum += pr[mode_index(m)];
    }
    for (auto& x : pr) x /= sum;
    return pr;
}

}  // namespace modeshift
