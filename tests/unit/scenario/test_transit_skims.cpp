// Transit skims keep their graphs from one update to the next and only refresh the costs: the
// result must equal that of a fresh Skims given the same link times, crowding and context, also
// when the lines that run change between updates. Uses the real Seo-gu network (no files written).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "modeshift/scenario/model.hpp"

using namespace modeshift;

namespace {
const std::filesystem::path kSrc = MODESHIFT_SOURCE_DIR;

/// Compares every transit path and leg exactly; returns how many paths exist.
std::size_t expect_same_transit(const Skims& a, const Skims& b) {
    std::size_t ok = 0;
    for (int period = 0; period < kPeriods; ++period)
        for (int alt = 0; alt < kTransitAlts; ++alt)
            for (std::size_t o = 0; o < a.zones(); ++o)
                for (std::size_t d = 0; d < a.zones(); ++d) {
                    const auto oz = ZoneId::from_index(o), dz = ZoneId::from_index(d);
                    const auto& pa = a.transit(oz, dz, period, static_cast<TransitAlt>(alt));
                    const auto& pb = b.transit(oz, dz, period, static_cast<TransitAlt>(alt));
                    EXPECT_EQ(pa.ok, pb.ok) << period << " " << alt << " " << o << " " << d;
                    if (!pa.ok || !pb.ok) continue;
                    ++ok;
                    // Exact equality: the kept graphs must give the same floats, not close ones.
                    EXPECT_EQ(pa.ivt_min, pb.ivt_min);
                    EXPECT_EQ(pa.wait_min, pb.wait_min);
                    EXPECT_EQ(pa.walk_min, pb.walk_min);
                    EXPECT_EQ(pa.fare_krw, pb.fare_krw);
                    EXPECT_EQ(pa.egress_m, pb.egress_m);
                    EXPECT_EQ(pa.boardings, pb.boardings);
                    const auto la = a.legs(pa), lb = b.legs(pb);
                    EXPECT_EQ(la.size(), lb.size());
                    for (std::size_t i = 0; i < std::min(la.size(), lb.size()); ++i) {
                        EXPECT_EQ(la[i].line, lb[i].line);
                        EXPECT_EQ(la[i].board, lb[i].board);
                        EXPECT_EQ(la[i].alight, lb[i].alight);
                        EXPECT_EQ(la[i].walk_before_m, lb[i].walk_before_m);
                    }
                }
    return ok;
}

std::size_t metro_paths(const Skims& s) {
    std::size_t n = 0;
    for (std::size_t o = 0; o < s.zones(); ++o)
        for (std::size_t d = 0; d < s.zones(); ++d)
            n += s.transit(ZoneId::from_index(o), ZoneId::from_index(d), 0, TransitAlt::Metro).ok;
    return n;
}
}  // namespace

TEST(TransitSkims, KeptGraphsGiveTheSkimsOfAFreshBuild) {
    Model m = load_model(kSrc / "scenarios/seogu-baseline.json", -1, 2);
    const Network& net = *m.network;
    auto freeflow = [&](LinkId l, TimeMs) { return net.freeflow_time_s(l); };
    // Congestion that differs by link and hour, and crowding that differs by line, stop and
    // period: every refreshed cost changes between the two days.
    auto congested = [&](LinkId l, TimeMs at) {
        const auto k = (static_cast<std::int64_t>(l.index()) + at / kMsPerHour) % 7;
        return net.freeflow_time_s(l) * (1.0 + 0.15 * static_cast<double>(k));
    };
    auto crowded = [](LineId l, std::size_t k, int period) {
        return (l.index() + k + static_cast<std::size_t>(period)) % 5 == 0 ? 2.5 : 0.0;
    };
    Skims kept(net, m.choice, m.setup.context);
    kept.update(freeflow);
    kept.set_extra_wait(crowded);
    kept.update(congested);
    {
        Skims fresh(net, m.choice, m.setup.context);
        fresh.set_extra_wait(crowded);
        fresh.update(congested);
        EXPECT_GT(expect_same_transit(kept, fresh), kept.zones() * kept.zones());
        EXPECT_GT(metro_paths(fresh), 0u);
    }
    // Buses switched off between updates: the metro graphs are rebuilt without their bus feeders
    // (kept as they were, they would still offer bus legs).
    const std::size_t with_feeders = metro_paths(kept);
    m.setup.context.mode_enabled[mode_index(Mode::Bus)] = false;
    kept.update(congested);
    {
        Skims fresh(net, m.choice, m.setup.context);
        fresh.set_extra_wait(crowded);
        fresh.update(congested);
        EXPECT_GT(expect_same_transit(kept, fresh), 0u);
        EXPECT_LT(metro_paths(kept), with_feeders);
    }
    // And on again.
    m.setup.context.mode_enabled[mode_index(Mode::Bus)] = true;
    kept.update(freeflow);
    Skims fresh(net, m.choice, m.setup.context);
    fresh.set_extra_wait(crowded);
    fresh.update(freeflow);
    EXPECT_GT(expect_same_transit(kept, fresh), kept.zones() * kept.zones());
}
