#pragma once
// Helpers shared by the OSM importer tests.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "modeshift/network/network_data.hpp"

namespace modeshift::test {

/// Share of links allowing `mode` whose both ends lie in the largest strongly connected component.
inline double largest_scc_share(const NetworkData& d, Mode mode) {
    using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    G g(d.nodes.size());
    std::size_t n_links = 0;
    for (std::size_t i = 0; i < d.links.size(); ++i)
        if (allows(d.links.modes[i], mode)) {
            boost::add_edge(d.links.from[i].index(), d.links.to[i].index(), g);
            ++n_links;
        }
    if (n_links == 0) return 0;
    std::vector<int> comp(d.nodes.size());
    const int nc = boost::strong_components(
        g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
    std::vector<std::size_t> links_in(static_cast<std::size_t>(nc), 0);
    for (std::size_t i = 0; i < d.links.size(); ++i)
        if (allows(d.links.modes[i], mode) &&
            comp[d.links.from[i].index()] == comp[d.links.to[i].index()])
            ++links_in[static_cast<std::size_t>(comp[d.links.from[i].index()])];
    return static_cast<double>(*std::max_element(links_in.begin(), links_in.end())) /
           static_cast<double>(n_links);
}

/// Runs a shell command and returns its trimmed stdout, or nullopt if it failed.
inline std::optional<std::string> run_command(const std::string& cmd) {
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return std::nullopt;
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    if (pclose(p) != 0) return std::nullopt;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

inline std::filesystem::path temp_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("modeshift_test_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary);
    f << text;
}

}  // namespace modeshift::test
