#pragma once
// Loads a TransportationNetworks case from the shared data (MODESHIFT_SHARED_DATA/tntp).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "modeshift/assign/assignment.hpp"
#include "modeshift/import_tntp/tntp.hpp"

namespace modeshift::testing {

inline std::filesystem::path tntp_dir() {
    return std::filesystem::path(MODESHIFT_SHARED_DATA) / "tntp";
}

struct TntpCase {
    Network net;
    tntp::OdMatrix od;
};

/// Reads <name>_net.tntp and <name>_trips.tntp (time unit 1 s = the file's own unit).
inline TntpCase load_case(const std::string& name) {
    tntp::TntpUnits u;
    u.time_unit_s = 1.0;
    std::vector<std::string> warnings;
    auto data = tntp::read_net(tntp_dir() / (name + "_net.tntp"), u);
    auto od = tntp::read_trips(tntp_dir() / (name + "_trips.tntp"), warnings);
    EXPECT_TRUE(warnings.empty()) << warnings.front();
    return TntpCase{Network(std::move(data), name), std::move(od)};
}

#define MODESHIFT_REQUIRE_TNTP(name)                                 \
    if (!std::filesystem::exists(::modeshift::testing::tntp_dir() /  \
                                 (std::string(name) + "_net.tntp"))) \
    GTEST_SKIP() << "shared data not found: " << ::modeshift::testing::tntp_dir()

}  // namespace modeshift::testing
