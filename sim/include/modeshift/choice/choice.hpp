#pragma once
/// Mode and route choice: level-of-service skims from the network and experienced link times,
/// a tour-level multinomial logit over car, taxi, bus, metro, tram, bike and walk, and the
/// PlanSet the engine simulates.
#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "modeshift/core/mode.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/travel_plan/plan_set.hpp"

namespace modeshift {

/// Logit coefficients and cost inputs, read from a data file where every number has a source.
/// Time coefficients are per minute, cost per KRW.
struct ChoiceParams {
    std::array<double, kModeCount> asc{};  ///< alternative-specific constants (car = 0)
    double b_ivt_car = -0.025, b_ivt_bus = -0.025, b_ivt_rail = -0.022;
    double b_wait = -0.05, b_walk = -0.05, b_bike = -0.06, b_transfer = -0.3;
    double b_cost = -0.000125;
    double b_bike_lane = 0.01;  ///< per minute of cycling on a bike lane (bonus)
    double fuel_cost_krw_per_km = 130;
    double car_access_min = 3;  ///< parking search + walk at both ends
    double taxi_base_fare_krw = 4300, taxi_base_km = 1.8, taxi_krw_per_km = 760, taxi_wait_min = 4;
    double walk_speed_mps = 1.2, bike_speed_mps = 4.2, detour_factor = 1.3;
    double max_access_walk_m = 800, transfer_walk_m = 250;
    double max_wait_min = 10;  ///< wait = min(headway / 2, this)
    double bus_dwell_s = 15, rail_dwell_s = 30;
    std::string source_file;
    std::string asc_source;
};

/// Loads coefficients and costs; `asc_file` (optional) overrides the constants (calibration
/// result).
ChoiceParams load_choice_params(const std::filesystem::path& file,
                                const std::filesystem::path& asc_file = {});
/// Writes the constants as a calibration file (JSON with method, targets and achieved shares).
void write_asc_file(const std::filesystem::path& file, const ChoiceParams& p,
                    const std::string& provenance_json);

/// Per-scenario modifiers set by policies.
struct ChoiceContext {
    std::vector<double> parking_charge_krw;                           ///< by destination zone
    std::array<double, kModeCount> fare_factor{1, 1, 1, 1, 1, 1, 1};  ///< general fare multiplier
    std::array<double, kModeCount> group_fare_factor{1, 1, 1, 1, 1, 1, 1};  ///< for fare_group 1
    std::vector<std::uint32_t> lez_banned_classes;  ///< by zone: bit c = car class c may not enter
    std::vector<double> tashu_coverage;  ///< by zone: share of the zone within reach of a station
    double bike_speed_factor = 1.0;
    std::array<bool, kModeCount> mode_enabled{true, true, true, true, true, true, true};
};

/// Level-of-service for every zone pair, rebuilt each iteration from experienced link times.
struct TransitLeg {
    LineId line;
    std::uint16_t board = 0, alight = 0;
    float walk_before_m = 0;  ///< access walk (first leg) or transfer walk
};
struct TransitPath {
    bool ok = false;
    float ivt_min = 0, wait_min = 0, walk_min = 0, fare_krw = 0, egress_m = 0;
    std::uint8_t boardings = 0;
    std::uint32_t first_leg = 0, leg_count = 0;
};

/// Transit alternatives: bus only; metro with bus feeders; tram with bus feeders.
enum class TransitAlt : std::uint8_t { Bus = 0, Metro = 1, Tram = 2 };
inline constexpr int kTransitAlts = 3;
inline constexpr int kPeriods = 4;  ///< 0: 07-09, 1: 09-17, 2: 17-19, 3: 19-07
int period_of_hour(int hour);

namespace transit_detail {
struct TransitCache;
}

/// Link travel time in seconds for a link at a time of day (from the previous iteration).
using LinkTimeFn = std::function<double(LinkId, TimeMs)>;

class Skims {
  public:
    Skims(const Network& net, const ChoiceParams& p, const ChoiceContext& ctx);
    ~Skims();
    Skims(Skims&&) noexcept;
    Skims& operator=(Skims&&) noexcept;
    /// Recomputes car (hourly), bike and transit (per period) skims. Parallel over origins,
    /// deterministic for any thread count.
    void update(const LinkTimeFn& link_time);
    /// Extra expected wait (minutes) when boarding line `l` at stop index `k` in `period`, e.g.
    /// from passengers left behind by full vehicles the previous day. Empty = none.
    using ExtraWaitFn = std::function<double(LineId l, std::size_t k, int period)>;
    void set_extra_wait(ExtraWaitFn fn) { extra_wait_ = std::move(fn); }

    // --- car (also taxi) ---
    float car_time_min(ZoneId o, ZoneId d, int hour) const { return car_time_[idx(o, d, hour)]; }
    float car_dist_km(ZoneId o, ZoneId d, int hour) const { return car_dist_[idx(o, d, hour)]; }
    float car_toll_krw(ZoneId o, ZoneId d, int hour) const { return car_toll_[idx(o, d, hour)]; }
    /// The car route at that hour (links from origin centroid to destination centroid).
    std::vector<LinkId> car_route(ZoneId o, ZoneId d, int hour) const;
    /// Road nodes where boundary traffic enters and leaves (gateway g = nodes[g]); car trees from
    /// them are built by update() too. Call before update().
    void set_gateways(std::vector<NodeId> nodes) { gateways_ = std::move(nodes); }
    /// Car route from gateway g to a zone's centroid, and from a zone's centroid to gateway g.
    std::vector<LinkId> car_route_from_gateway(std::size_t g, ZoneId d, int hour) const;
    std::vector<LinkId> car_route_to_gateway(ZoneId o, std::size_t g, int hour) const;
    // --- bike / walk ---
    float bike_dist_km(ZoneId o, ZoneId d) const { return bike_dist_[pair(o, d)]; }
    float bike_lane_share(ZoneId o, ZoneId d) const { return bike_lane_share_[pair(o, d)]; }
    std::vector<LinkId> bike_route(ZoneId o, ZoneId d) const;
    float walk_dist_km(ZoneId o, ZoneId d) const { return walk_dist_[pair(o, d)]; }
    // --- transit ---
    const TransitPath& transit(ZoneId o, ZoneId d, int period, TransitAlt alt) const {
        return transit_[(static_cast<std::size_t>(period) * kTransitAlts +
                         static_cast<std::size_t>(alt)) *
                            nz_ * nz_ +
                        pair(o, d)];
    }
    std::span<const TransitLeg> legs(const TransitPath& p) const {
        return {legs_.data() + p.first_leg, p.leg_count};
    }

    std::size_t zones() const { return nz_; }
    const Network& network() const { return *net_; }

  private:
    std::size_t pair(ZoneId o, ZoneId d) const { return o.index() * nz_ + d.index(); }
    std::size_t idx(ZoneId o, ZoneId d, int h) const {
        return (static_cast<std::size_t>(h) * nz_ + o.index()) * nz_ + d.index();
    }
    void update_car(const LinkTimeFn& link_time);
    void update_bike();
    void update_transit(const LinkTimeFn& link_time);
    std::vector<LinkId> intrazonal_route(ZoneId z) const;

    const Network* net_;
    const ChoiceParams* p_;
    const ChoiceContext* ctx_;
    std::size_t nz_;
    std::vector<float> car_time_, car_dist_, car_toll_;
    std::vector<std::vector<LinkId>> car_pred_;  ///< [hour * nz + origin] -> pred link per node
    std::vector<NodeId> gateways_;
    std::vector<std::vector<LinkId>>
        gateway_pred_;  ///< [hour * gateways + g] -> pred link per node
    std::vector<float> bike_dist_, bike_lane_share_, walk_dist_;
    std::vector<std::vector<LinkId>> bike_pred_;  ///< [origin] -> pred link per node
    std::vector<TransitPath> transit_;
    std::vector<TransitLeg> legs_;
    /// Walking links of the transit graph (independent of times: built once).
    std::vector<std::vector<std::pair<StopId, float>>> access_;  ///< by zone: stops and metres
    std::vector<std::vector<std::pair<StopId, float>>>
        transfer_;  ///< by stop: nearby stops and metres
    bool bike_done_ = false;
    ExtraWaitFn extra_wait_;
    /// Transit graphs and search buffers kept from one update to the next.
    std::unique_ptr<transit_detail::TransitCache> transit_cache_;
    void build_walk_links();
};

/// Systematic utility of each mode for one trip (-inf = unavailable).
using Utilities = std::array<double, kModeCount>;

struct PersonView {
    bool car_available = false, bike_owner = false, tashu_member = false;
    std::uint8_t fare_group = 0;
    std::uint8_t car_class = 0;  ///< fleet index of the person's car
};

Utilities trip_utilities(const Skims& s, const ChoiceParams& p, const ChoiceContext& ctx,
                         const PersonView& person, ZoneId o, ZoneId d, TimeMs depart,
                         std::uint64_t tashu_draw_key);

/// Tour-level choice: the same mode out and back. `gumbel` holds one draw per mode.
Mode choose_tour_mode(const Utilities& out, const Utilities& back,
                      const std::array<double, kModeCount>& gumbel);
/// Logit probabilities of the tour alternatives (for calibration and expected shares).
std::array<double, kModeCount> tour_probabilities(const Utilities& out, const Utilities& back);

}  // namespace modeshift
