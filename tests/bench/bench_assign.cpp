// Static assignment benchmark: wall time for bi-conjugate Frank-Wolfe to reach relative gap 1e-4
// on Chicago Sketch (387 zones, 933 nodes, 2,950 links, generalized cost), 1 and 2 threads.
// Run: build/<dir>/tests/bench/bench_assign   (reads MODESHIFT_SHARED_DATA/tntp)
#include <benchmark/benchmark.h>

#include <filesystem>

#include "modeshift/assign/assignment.hpp"
#include "modeshift/import_tntp/tntp.hpp"

namespace {

using namespace modeshift;

struct Chicago {
    Network net;
    tntp::OdMatrix od;
};

const Chicago& chicago() {
    static const Chicago c = [] {
        const auto dir = std::filesystem::path(MODESHIFT_SHARED_DATA) / "tntp";
        std::vector<std::string> warnings;
        return Chicago{Network(tntp::read_net(dir / "ChicagoSketch_net.tntp"), "ChicagoSketch"),
                       tntp::read_trips(dir / "ChicagoSketch_trips.tntp", warnings)};
    }();
    return c;
}

void BM_ChicagoSketchBfwGap1e4(benchmark::State& state) {
    const Chicago& c = chicago();
    AssignmentOptions opt;
    opt.algorithm = AssignAlgorithm::BiconjugateFrankWolfe;
    opt.cost = AssignCost::Generalized;
    opt.target_gap = 1e-4;
    opt.threads = static_cast<int>(state.range(0));
    AssignmentResult r;
    for (auto _ : state) {
        r = assign_user_equilibrium(c.net, c.od.demand_veh, opt);
        benchmark::DoNotOptimize(r.tstt_veh_s);
    }
    state.counters["iterations"] = r.iterations;
    state.counters["relative_gap"] = r.relative_gap;
    state.counters["objective_min"] = r.beckmann_veh_s / 60.0;
    state.counters["ms_per_iteration"] = 1000.0 * r.wall_s / r.iterations;
}
BENCHMARK(BM_ChicagoSketchBfwGap1e4)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
