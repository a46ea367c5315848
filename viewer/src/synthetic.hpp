#pragma once
/// A synthetic district day written as a RunFile: a street grid the size of Seo-gu with dongs,
/// metro, tram and bus lines, stops, Tashu stations and a day of car, bus, train, tram and bike
/// movements. Used to test the viewer and to measure file size, load time and frame rate at
/// full-day scale. Not a simulation result: every figure in it is made up and labelled so.
#include <cstdint>
#include <string>

#include "modeshift/record/run_file.hpp"

namespace modeshift::viewer {

struct SyntheticSpec {
    std::uint32_t car_trips = 20'000;  ///< each car makes two trips (out and back)
    std::uint32_t bike_trips = 2'000;
    std::uint32_t links_per_trip = 15;
    std::uint32_t bus_lines = 12;
    std::uint32_t grid_cols = 60;  ///< grid nodes east-west (spacing 150 m)
    std::uint32_t grid_rows = 45;
    std::uint64_t seed = 1;
    std::string scenario = "synthetic";
    std::string label = "synthetic";
    /// Shifts this fraction of car trips to bike/bus (to make a "policy" variant differ).
    double car_shift = 0.0;
    /// Departures squeezed into [from, to) ms when to > from (e.g. to get 100k cars at once).
    TimeMs burst_from_ms = 0, burst_to_ms = 0;
};

/// Builds the synthetic run (deterministic for a given spec).
RunFile make_synthetic_run(const SyntheticSpec& spec);

}  // namespace modeshift::viewer
