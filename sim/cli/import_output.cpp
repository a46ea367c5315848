#include "import_output.hpp"

#include <fmt/format.h>

#include "modeshift/network/network_file.hpp"

namespace modeshift::cli {

void write_imported_network(const NetworkData& data, const std::string& source,
                            const std::string& out, const std::vector<std::string>& report) {
    const Network net(data, source);
    write_network(data, out);
    for (const auto& s : report) fmt::print("{}\n", s);
    fmt::print("wrote {}: {} nodes, {} links, {} stops, {} lines\n", out, net.node_count(),
               net.link_count(), data.stops.size(), data.lines.size());
}

}  // namespace modeshift::cli
