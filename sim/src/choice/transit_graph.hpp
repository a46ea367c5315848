#pragma once
// The transit graph of one period and alternative, kept across days: its topology (which lines
// run, their stops, the walking links) is fixed within a run, only the costs of boarding (the
// crowding wait) and riding (link times) change from day to day, so only those are refreshed.
// The searches over it are most of the skims' time; they read weights stored per CSR slot.
#include <tbb/enumerable_thread_specific.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "modeshift/choice/choice.hpp"

namespace modeshift::transit_detail {

enum class EdgeKind : std::uint8_t { Access, Egress, Board, Ride, Alight, Transfer };

struct TEdge {
    EdgeKind kind;
    LineId line;
    std::uint16_t k = 0;  ///< stop index on the line (Board: boarding index; Ride: from index)
    float cost = 0;       ///< generalized minutes of bus in-vehicle time
    float minutes = 0;    ///< physical minutes (ivt, wait or walk)
    float metres = 0;     ///< walking metres
};

/// Boarding wait and riding minutes per route stop of every line for one period; the same for
/// every alternative, so each is computed once a day. Filled line by line on first use.
struct LineStopCosts {
    std::vector<std::uint32_t> first;  ///< route-stop base per line (all lines)
    std::vector<float> board_wait_min, ride_min;
    std::vector<std::uint8_t> filled;  ///< by line
};

/// The graph; vertices are laid out [zone sources | zone sinks | stops | route stops] per layer.
struct TransitGraph {
    /// Route-stop base per line the topology was built for (max = line not in the graph); empty
    /// when nothing is built. Comparing it finds a change in the lines that run.
    std::vector<std::uint32_t> key;
    std::uint32_t n_per_layer = 0;
    int layers = 1;
    std::vector<TEdge> edges;          ///< in the order they were added
    std::vector<std::uint32_t> tails;  ///< tail vertex per edge (walking a path back)
    // The CSR exactly as boost's compressed_sparse_row_graph sorted the edges (the order of out
    // edges decides ties between equally short paths); weights contiguous per CSR slot.
    std::vector<std::uint32_t> row;        ///< first CSR slot per vertex, size vertices + 1
    std::vector<std::uint32_t> head;       ///< target vertex per CSR slot
    std::vector<std::uint32_t> slot_edge;  ///< edge index per CSR slot
    std::vector<double> weight;            ///< cost per CSR slot
};

struct HeapEntry {
    double d;  ///< the vertex's distance when it was pushed or last decreased
    std::uint32_t v;
};

/// Per-thread buffers of the shortest-path searches, kept across graphs and days.
struct DijkstraScratch {
    std::vector<double> dist;
    std::vector<std::uint32_t> pred;      ///< edge index that last relaxed a vertex
    std::vector<std::uint32_t> heap_pos;  ///< position of a queued vertex in `heap`
    std::vector<HeapEntry> heap;
    std::vector<std::uint32_t> path;
};

/// Everything the transit skims keep from one day to the next.
struct TransitCache {
    std::vector<TransitGraph> graphs;  ///< [period * kTransitAlts + alt]
    std::vector<LineStopCosts> costs;  ///< [period]
    std::vector<std::vector<TransitLeg>> legs_by_task;
    tbb::enumerable_thread_specific<DijkstraScratch> scratch;
};

/// Builds the topology for the lines whose base in `line_rs_first` is set, adding edges in the
/// order the skims have always used (Access/Egress by zone, Transfer by stop, then each line's
/// Board, Ride and Alight by stop). Costs are left for refresh_costs.
void build_topology(TransitGraph& tg, const Network& net,
                    const std::vector<std::uint32_t>& line_rs_first, int layers, std::size_t nz,
                    const std::vector<std::vector<std::pair<StopId, float>>>& access,
                    const std::vector<std::vector<std::pair<StopId, float>>>& transfer);

/// Sets every edge's cost and minutes for the day; `c` must have the graph's lines filled.
void refresh_costs(TransitGraph& tg, const Network& net, const ChoiceParams& p,
                   const LineStopCosts& c);

/// Shortest-path tree from zone `origin` into `sc.dist` / `sc.pred`. The same relaxations in the
/// same order as boost's dijkstra_shortest_paths_no_color_map (same 4-ary heap moves), but it stops
/// once every zone sink is settled: settled vertices keep their distance and predecessor, so the
/// paths to all zones are those of the full search.
void shortest_tree(const TransitGraph& tg, std::uint32_t origin, std::size_t nz,
                   DijkstraScratch& sc);

}  // namespace modeshift::transit_detail
