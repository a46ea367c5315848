// The bundled matched-plans file (networks/daejeon/signals_etri.csv) against its recipe: the ETRI
// plans in the shared data matched to the bundled network must give the committed file byte for
// byte, and the bundled rules must run those plans on that network.
#include <gtest/gtest.h>

#include <filesystem>

#include "modeshift/import_etri/etri.hpp"
#include "modeshift/import_etri/etri_match.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/network/network_file.hpp"
#include "modeshift/traffic/road_traffic.hpp"

namespace modeshift {
namespace {

namespace fs = std::filesystem;

const fs::path kSrc = MODESHIFT_SOURCE_DIR;
const fs::path kEtri = fs::path(MODESHIFT_SHARED_DATA) / "daejeon/etri/doan2022";
const fs::path kNetwork = kSrc / "networks/daejeon/daejeon.msnet";
const fs::path kBundled = kSrc / "networks/daejeon/signals_etri.csv";

TEST(EtriDaejeon, BundledMatchedPlansMatchTheRecipe) {
    if (!fs::exists(kEtri / "tss.xml")) GTEST_SKIP() << "shared data not found: " << kEtri;
    const etri::EtriData d = etri::read_etri(kEtri);
    EXPECT_EQ(d.signals.size(), 115u);
    const Network net(read_network(kNetwork), kNetwork.string());
    const etri::MatchOptions opt;
    etri::MatchReport rep;
    const auto rows = etri::match_signals(d, net, opt, &rep);
    EXPECT_EQ(rep.junctions, 57u);
    const fs::path rebuilt = fs::temp_directory_path() / "modeshift_signals_etri_rebuilt.csv";
    write_real_signals(rebuilt, rows, etri::matched_file_preamble(rep, opt, net.name()));
    EXPECT_TRUE(read_file_bytes(rebuilt) == read_file_bytes(kBundled))
        << "regenerate with: modeshift import etri-signals --etri "
           "../shared/data/daejeon/etri/doan2022 --network networks/daejeon/daejeon.msnet --out "
           "networks/daejeon/signals_etri.csv";
}

TEST(EtriDaejeon, BundledRulesRunTheRealPlansOnTheBundledNetwork) {
    const RoadTrafficParams rules =
        load_road_traffic(kSrc / "scenarios/data/road_traffic_etri.json");
    const Network net(read_network(kNetwork), kNetwork.string());
    SignalPlanStats st;
    const SignalPlan plan = build_signal_plan(net, rules.signals, &st);
    EXPECT_EQ(st.real.junctions, 57u);
    EXPECT_EQ(st.real.rows_without_link, 0u);
    // The real plans switch at 07:00, 09:30, 17:00 and 21:00 (and a few at 11:30, 12:30): each
    // part of the day that differs from noon is a time-of-day plan.
    EXPECT_GE(plan.time_of_day.size(), 4u);
    for (const TimeOfDayPlan& t : plan.time_of_day) EXPECT_EQ(t.general.size(), net.link_count());
}

}  // namespace
}  // namespace modeshift
