#pragma once
// The bundled Daejeon network, loaded once per test binary.
#include <filesystem>

#include "modeshift/network/network.hpp"
#include "modeshift/network/network_file.hpp"

namespace modeshift::test {

inline const std::filesystem::path kSrc = MODESHIFT_SOURCE_DIR;

inline const Network& daejeon() {
    static const Network net(read_network(kSrc / "networks/daejeon/daejeon.msnet"));
    return net;
}

}  // namespace modeshift::test
