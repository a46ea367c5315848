#pragma once
/// A sweep spread over the processes of an MPI job (`mpirun -np N modeshift sweep ...`, or srun
/// under Slurm). Open MPI from Debian, through the C API.
///
/// Assignment is deterministic: run i of the plan (scenario-major, seed-minor, as sweep.csv)
/// goes to rank i mod N. Each rank runs its share with the local sweep's resume rule (a run with
/// a valid summary.json is skipped) and reports through the shared output folder; rank 0 then
/// writes sweep.csv and sweep_summary.csv. Every figure comes from the runs' summaries, so the
/// tables equal the local sweep's (all columns but the measured wall_s).
///
/// A rank that dies fails only its runs: each rank keeps a heartbeat file fresh, and rank 0
/// marks the unfinished runs of a rank whose heartbeat stopped as failed (runs it finished before
/// dying keep their results). The same command resumes. Open MPI ends the whole job when one
/// process dies unless mpirun is given `--mca orte_abort_on_non_zero_status 0`.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "modeshift/report/sweep.hpp"

namespace modeshift {

/// True when this process was started by an MPI launcher with more than one process.
bool launched_as_mpi_job();

struct MpiSweepOptions {
    double rank_timeout_s = 30;  ///< a heartbeat unchanged this long: that rank is gone
};

/// Runs this rank's share. On rank 0 returns the whole sweep's result (tables written); on the
/// others returns their share only (`runs` holds just their entries' results) after rank 0 is done.
SweepResult run_sweep_mpi(const std::vector<std::filesystem::path>& scenarios,
                          const SweepOptions& opt, const SweepRunFunction& run,
                          const std::function<void(const std::string&)>& progress,
                          const MpiSweepOptions& mpi, int& rank);

}  // namespace modeshift
