#include <gtest/gtest.h>

#include <thread>

#include "modeshift/record/run_file.hpp"
#include "record_fixture.hpp"

using namespace modeshift;
using namespace modeshift::test;

TEST(RunFile, MergeIsIndependentOfPartitionsAndThreads) {
    const auto net = square_network();
    const auto one = recorded_run(net, 1);
    const auto four = recorded_run(net, 4);
    EXPECT_EQ(encode_run_file(one), encode_run_file(four));

    // Concurrent delivery: four threads feed their partitions at once, several small batches each.
    const auto types = vehicle_types();
    const auto all = day_traversals();
    for (int round = 0; round < 5; ++round) {
        RunRecorder rec;
        rec.begin(run_info(net, types, 4));
        std::vector<std::thread> threads;
        for (std::uint32_t p = 0; p < 4; ++p)
            threads.emplace_back([&, p] {
                for (const auto& t : all)
                    if (t.vehicle.value() % 4 == p)
                        rec.on_traversals(p, std::span<const Traversal>(&t, 1));
            });
        for (auto& th : threads) th.join();
        rec.end();
        EXPECT_EQ(rec.movements(), one.movements);
    }
}
