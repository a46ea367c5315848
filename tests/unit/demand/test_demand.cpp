#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>

#include "daejeon_fixture.hpp"
#include "modeshift/core/error.hpp"
#include "modeshift/demand/demand.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/json_util.hpp"

using namespace modeshift;
namespace fs = std::filesystem;

namespace {
using test::daejeon;
using test::kSrc;
const DemandParams& params() {
    static const DemandParams p = load_demand_params(kSrc / "scenarios/data/demand.json");
    return p;
}
}  // namespace

TEST(Demand, ParamsLoadWithSources) {
    const auto& p = params();
    EXPECT_EQ(p.purposes.size(), 4u);
    EXPECT_NEAR(p.tours_per_person, 0.84, 1e-9);
    double s = 0;
    for (const auto& pp : p.purposes) s += pp.tour_share;
    EXPECT_NEAR(s, 1.0, 1e-9);
}

TEST(Demand, SeoGuAttractsItsShareOfDaejeonWork) {
    // Calibration target of the work attraction weights: Seo-gu had 186,918 of Daejeon's
    // 605,755 workers in 2017 (30.9 %), daejeon_travel_stats.csv. The proxies (residents,
    // hospitals, named employers) cannot go below Seo-gu's 32.4 % share of residents.
    const auto& net = daejeon();
    const auto a = purpose_attraction(net, params().purposes[0], "demand.json");
    double seogu = 0, all = 0;
    for (std::size_t z = 0; z < net.zone_count(); ++z) {
        all += a[z];
        if (net.zone(ZoneId::from_index(z)).study_area) seogu += a[z];
    }
    EXPECT_NEAR(seogu / all, 0.309, 0.035);
}

TEST(Demand, DeterministicAndSeedSensitive) {
    const auto& net = daejeon();
    const Demand a = generate_demand(net, params(), 7, 0.01);
    const Demand b = generate_demand(net, params(), 7, 0.01);
    const Demand c = generate_demand(net, params(), 8, 0.01);
    ASSERT_GT(a.trips.size(), 1000u);
    EXPECT_EQ(a.trips.dest, b.trips.dest);
    EXPECT_EQ(a.trips.depart_ms, b.trips.depart_ms);
    EXPECT_NE(a.trips.depart_ms, c.trips.depart_ms);
}

TEST(Demand, CityScopeKeepsEveryTourAndFlagsThoseTouchingTheStudyArea) {
    const auto& net = daejeon();
    ASSERT_EQ(params().scope, DemandScope::City);
    const Demand d = generate_demand(net, params(), 3, 0.01);
    ASSERT_EQ(d.trips.size() % 2, 0u);
    ASSERT_EQ(d.trips.touches_study_area.size(), d.trips.size());
    std::size_t flagged = 0, ends_inside = 0;
    for (std::size_t t = 0; t < d.trips.size(); t += 2) {
        EXPECT_EQ(d.trips.origin[t], d.trips.dest[t + 1]);
        EXPECT_EQ(d.trips.dest[t], d.trips.origin[t + 1]);
        EXPECT_LT(d.trips.depart_ms[t], d.trips.depart_ms[t + 1]);
        EXPECT_EQ(d.trips.origin[t], d.persons.home_zone[d.trips.person[t].index()]);
        EXPECT_EQ(d.trips.touches_study_area[t], d.trips.touches_study_area[t + 1])
            << "a tour is flagged as a whole";
        const bool inside =
            net.zone(d.trips.origin[t]).study_area || net.zone(d.trips.dest[t]).study_area;
        if (inside) {
            EXPECT_EQ(d.trips.touches_study_area[t], 1);
        }
        flagged += d.trips.touches_study_area[t];
        ends_inside += inside;
    }
    const double tours = d.trips.size() / 2.0;
    EXPECT_EQ(flagged, d.tours_touching_study_area);
    // Every resident's tour is kept (only those still running after 28 h are not): Daejeon's
    // 1.45 M residents make 0.84 tours each.
    EXPECT_NEAR(tours / d.sample_fraction, 1.445e6 * 0.84, 0.02 * 1.445e6 * 0.84);
    EXPECT_NEAR(static_cast<double>(d.tours_generated), tours, 0.01 * tours);
    // Seo-gu holds a third of Daejeon's residents; with visitors and through tours more than
    // half of all tours touch it, but far from all.
    EXPECT_GT(flagged / tours, 0.5);
    EXPECT_LT(flagged / tours, 0.8);
    EXPECT_GT(flagged, ends_inside) << "some tours only pass through";
}

TEST(Demand, StudyAreaScopeKeepsOnlyTheFlaggedTours) {
    DemandParams p = params();
    p.scope = DemandScope::StudyArea;
    const Demand city = generate_demand(daejeon(), params(), 3, 0.01);
    const Demand study = generate_demand(daejeon(), p, 3, 0.01);
    EXPECT_EQ(study.trips.size(), 2 * city.tours_touching_study_area);
    EXPECT_EQ(study.tours_generated, city.tours_generated);
    for (auto f : study.trips.touches_study_area) EXPECT_EQ(f, 1);
    // Common random numbers: the kept tours are the same tours as in the city demand.
    std::vector<TimeMs> flagged_departures;
    for (std::size_t t = 0; t < city.trips.size(); ++t)
        if (city.trips.touches_study_area[t]) flagged_departures.push_back(city.trips.depart_ms[t]);
    EXPECT_EQ(study.trips.depart_ms, flagged_departures);
}

TEST(Demand, MorningPeakFollowsTheCommuteCurve) {
    const auto& net = daejeon();
    const Demand d = generate_demand(net, params(), 5, 0.01);
    std::size_t work_out = 0, work_7_9 = 0;
    for (std::size_t t = 0; t < d.trips.size(); t += 2)
        if (d.trips.purpose[t] == 0) {
            ++work_out;
            const auto h = d.trips.depart_ms[t] / kMsPerHour;
            work_7_9 += (h == 7 || h == 8);
        }
    // 33.3 % + 32.0 % of commuters leave between 07 and 09 h (KOTI 2010).
    EXPECT_NEAR(static_cast<double>(work_7_9) / work_out, 0.653, 0.03);
}

TEST(Demand, BadParameterFilesNameFileAndPath) {
    const fs::path dir = fs::temp_directory_path() / "modeshift_test_demand";
    fs::create_directories(dir);
    auto j = read_json_file(kSrc / "scenarios/data/demand.json");
    j["purposes"][1]["tour_share"]["value"] = 0.5;  // shares no longer sum to 1
    write_text_atomic(dir / "bad_sum.json", j.dump());
    EXPECT_THROW(load_demand_params(dir / "bad_sum.json"), InputError);
    j = read_json_file(kSrc / "scenarios/data/demand.json");
    j["tours_per_person"].erase("source");
    write_text_atomic(dir / "no_source.json", j.dump());
    try {
        load_demand_params(dir / "no_source.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "$.tours_per_person");
    }
    j = read_json_file(kSrc / "scenarios/data/demand.json");
    j["scope"]["value"] = "seogu";
    write_text_atomic(dir / "bad_scope.json", j.dump());
    try {
        load_demand_params(dir / "bad_scope.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "$.scope.value");
    }
    j = read_json_file(kSrc / "scenarios/data/demand.json");
    j["purposes"][0]["attraction"]["no_such_attribute"] = 1.0;
    write_text_atomic(dir / "bad_attr.json", j.dump());
    const auto p = load_demand_params(dir / "bad_attr.json");
    EXPECT_THROW(generate_demand(daejeon(), p, 1, 0.001), InputError);
}
