#include "partition.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "modeshift/core/error.hpp"

namespace modeshift::engine_detail {

namespace {

struct UnionFind {
    std::vector<std::uint32_t> parent;
    explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
    std::uint32_t find(std::uint32_t x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }
    // Deterministic: the smaller root wins.
    void unite(std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a == b) return;
        if (a < b)
            parent[b] = a;
        else
            parent[a] = b;
    }
};

struct Cluster {
    double x = 0, y = 0;
    double weight = 0;
    std::uint32_t root = 0;
};

/// Recursive coordinate bisection of clusters[begin, end) into `parts` groups.
void bisect(std::vector<Cluster>& c, std::size_t begin, std::size_t end, std::uint32_t first_part,
            std::uint32_t parts, std::vector<std::uint16_t>& cluster_part,
            const std::vector<std::uint32_t>& cluster_index_of_root) {
    if (parts <= 1 || end - begin <= 1) {
        for (std::size_t i = begin; i < end; ++i)
            cluster_part[cluster_index_of_root[c[i].root]] = static_cast<std::uint16_t>(first_part);
        return;
    }
    double minx = 1e300, maxx = -1e300, miny = 1e300, maxy = -1e300, total = 0;
    for (std::size_t i = begin; i < end; ++i) {
        minx = std::min(minx, c[i].x);
        maxx = std::max(maxx, c[i].x);
        miny = std::min(miny, c[i].y);
        maxy = std::max(maxy, c[i].y);
        total += c[i].weight;
    }
    const bool by_x = (maxx - minx) >= (maxy - miny);
    std::sort(c.begin() + static_cast<std::ptrdiff_t>(begin),
              c.begin() + static_cast<std::ptrdiff_t>(end),
              [by_x](const Cluster& a, const Cluster& b) {
                  const double ka = by_x ? a.x : a.y, kb = by_x ? b.x : b.y;
                  if (ka != kb) return ka < kb;
                  return a.root < b.root;
              });
    const std::uint32_t left_parts = parts / 2;
    const double target = total * left_parts / parts;
    double acc = 0;
    std::size_t cut = begin;
    while (cut < end - 1 && acc + c[cut].weight * 0.5 < target) acc += c[cut++].weight;
    cut = std::max(cut, begin + 1);
    bisect(c, begin, cut, first_part, left_parts, cluster_part, cluster_index_of_root);
    bisect(c, cut, end, first_part + left_parts, parts - left_parts, cluster_part,
           cluster_index_of_root);
}

}  // namespace

TimeMs link_latency_ms(const Network& net, LinkId l, double backward_wave_speed_mps) {
    const TimeMs ff = seconds_to_ms(net.freeflow_time_s(l));
    const TimeMs bw = seconds_to_ms(net.length_m(l) / backward_wave_speed_mps);
    return std::min(ff, bw);
}

std::uint32_t default_partitions(const Network& net) {
    // About 200 nodes per partition, at most 32: enough parallel slack for work stealing on a
    // few cores (a window's wall time is its slowest thread's share) without making windows
    // short or messages dominant.
    const auto by_size = static_cast<std::uint32_t>(net.node_count() / 200);
    return std::clamp<std::uint32_t>(by_size, 1, 32);
}

Partitioning partition_network(const Network& net, std::uint32_t parts,
                               double backward_wave_speed_mps, TimeMs max_window_ms,
                               const std::vector<double>& node_load) {
    MS_ASSERT(parts >= 1 && parts <= 4096, "partition count out of range");
    MS_ASSERT(max_window_ms >= 1, "window must be at least 1 ms");
    Partitioning out;
    const std::size_t n = net.node_count(), nl = net.link_count();
    out.node_part.assign(n, 0);
    out.parts = parts;
    if (parts == 1 || n == 0) {
        out.parts = 1;
        out.window_ms = max_window_ms;
        return out;
    }
    std::vector<TimeMs> lat(nl);
    for (std::size_t l = 0; l < nl; ++l)
        lat[l] = link_latency_ms(net, LinkId::from_index(l), backward_wave_speed_mps);

    // Contract links faster than a threshold; take the largest threshold that keeps every
    // contracted cluster small relative to a partition, so the cut is balanced.
    static constexpr TimeMs kThresholds[] = {20000, 10000, 5000, 3000, 2000, 1000, 500, 250,
                                             100,   50,    20,   10,   5,    2,    1};
    const double node_budget = static_cast<double>(n) / (4.0 * parts);
    UnionFind uf(n);
    for (TimeMs thr : kThresholds) {
        if (thr > max_window_ms) continue;
        UnionFind trial(n);
        for (std::size_t l = 0; l < nl; ++l)
            if (lat[l] < thr)
                trial.unite(net.from(LinkId::from_index(l)).value(),
                            net.to(LinkId::from_index(l)).value());
        std::vector<std::uint32_t> size(n, 0);
        std::uint32_t largest = 0;
        for (std::uint32_t v = 0; v < n; ++v) largest = std::max(largest, ++size[trial.find(v)]);
        uf = std::move(trial);
        if (largest <= node_budget) break;
    }

    std::vector<std::uint32_t> cluster_index_of_root(n, UINT32_MAX);
    std::vector<Cluster> clusters;
    for (std::uint32_t v = 0; v < n; ++v) {
        const std::uint32_t r = uf.find(v);
        if (cluster_index_of_root[r] == UINT32_MAX) {
            cluster_index_of_root[r] = static_cast<std::uint32_t>(clusters.size());
            clusters.push_back(Cluster{0, 0, 0, r});
        }
        Cluster& c = clusters[cluster_index_of_root[r]];
        const XY p = net.node_xy(NodeId(v));
        const double w =
            1.0 +
            static_cast<double>(net.out_links(NodeId(v)).size() + net.in_links(NodeId(v)).size()) +
            (v < node_load.size() ? node_load[v] : 0.0);
        c.x += p.x_m * w;
        c.y += p.y_m * w;
        c.weight += w;
    }
    for (Cluster& c : clusters) {
        c.x /= c.weight;
        c.y /= c.weight;
    }
    std::vector<std::uint16_t> cluster_part(clusters.size(), 0);
    bisect(clusters, 0, clusters.size(), 0, parts, cluster_part, cluster_index_of_root);
    for (std::uint32_t v = 0; v < n; ++v)
        out.node_part[v] = cluster_part[cluster_index_of_root[uf.find(v)]];

    out.window_ms = max_window_ms;
    for (std::size_t l = 0; l < nl; ++l) {
        const LinkId id = LinkId::from_index(l);
        if (out.node_part[net.from(id).index()] != out.node_part[net.to(id).index()])
            out.window_ms = std::min(out.window_ms, lat[l]);
    }
    MS_ASSERT(out.window_ms >= 1, "a cut link has zero latency");
    return out;
}

}  // namespace modeshift::engine_detail
