#include "modeshift/distributed/mpi_sweep.hpp"

// The C API only: Open MPI's deprecated C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"

namespace modeshift {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

int env_int(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : 0;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Touches `file` every half second until stopped: the rank is alive. A rank killed with
/// SIGKILL stops touching it, which is how rank 0 tells a dead rank from a slow one.
class Heartbeat {
  public:
    explicit Heartbeat(fs::path file) : file_(std::move(file)) {
        beat();
        thread_ = std::thread([this] {
            while (!stop_) {
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
                beat();
            }
        });
    }
    ~Heartbeat() {
        stop_ = true;
        thread_.join();
    }

  private:
    void beat() { write_text_atomic(file_, std::to_string(++count_) + "\n"); }
    fs::path file_;
    std::atomic<bool> stop_{false};
    std::uint64_t count_ = 0;
    std::thread thread_;
};

/// Follows another rank's heartbeat file; it is gone when the content has not changed for
/// `timeout_s` (content, not mtime: clocks of different nodes need not agree).
struct PeerWatch {
    explicit PeerWatch(fs::path f) : file(std::move(f)) {}
    fs::path file;
    std::string last;
    Clock::time_point changed = Clock::now();
    bool gone(double timeout_s) {
        std::string now = slurp(file);
        if (now != last) {
            last = std::move(now);
            changed = Clock::now();
        }
        return std::chrono::duration<double>(Clock::now() - changed).count() > timeout_s;
    }
};

fs::path rank_file(const fs::path& dir, int rank, const char* what) {
    return dir / fmt::format("rank{}.{}", rank, what);
}

/// This rank's results, for rank 0: index, status and error of each of its runs.
void write_share(const fs::path& file, const std::vector<SweepRunResult>& results,
                 const std::vector<std::size_t>& mine) {
    nlohmann::json j = nlohmann::json::array();
    for (std::size_t i : mine) {
        const auto& r = results[i];
        j.push_back({{"index", i}, {"status", sweep_status_name(r.status)}, {"error", r.error}});
    }
    write_text_atomic(file, j.dump() + "\n");
}

/// Rank 0 fills in another rank's runs from its report (or, if it died, from what it left).
void merge_share(std::vector<SweepRunResult>& all, const std::vector<std::size_t>& theirs, int rank,
                 const fs::path& report) {
    if (fs::exists(report)) {
        const auto j = nlohmann::json::parse(slurp(report));
        for (const auto& e : j) {
            auto& r = all.at(e.at("index").get<std::size_t>());
            const std::string st = e.at("status").get<std::string>();
            r.error = e.at("error").get<std::string>();
            r.status = st == "ran"       ? SweepStatus::Ran
                       : st == "skipped" ? SweepStatus::Skipped
                                         : SweepStatus::Failed;
            if (r.status != SweepStatus::Failed && !read_finished_run(r.request, r.summary)) {
                r.status = SweepStatus::Failed;
                r.error = fmt::format(
                    "rank {} reported this run done but its summary.json is not readable here "
                    "(is the output folder shared by all nodes?)",
                    rank);
            }
        }
        return;
    }
    for (std::size_t i : theirs) {
        auto& r = all[i];
        if (read_finished_run(r.request, r.summary)) {
            r.status = SweepStatus::Ran;  // finished before the rank died
        } else {
            r.status = SweepStatus::Failed;
            r.error = fmt::format(
                "rank {} stopped before finishing this run; run the same command again to retry it",
                rank);
        }
    }
}

/// Rank 0: waits for every other rank's report, or for its heartbeat to stop, and merges them.
/// Returns false if some rank died.
bool gather_shares(std::vector<SweepRunResult>& results,
                   const std::vector<std::vector<std::size_t>>& shares, const fs::path& dir,
                   double timeout_s, const std::function<void(const std::string&)>& say) {
    const int size = static_cast<int>(shares.size());
    std::vector<PeerWatch> peers;
    for (int r = 0; r < size; ++r) peers.emplace_back(rank_file(dir, r, "alive"));
    std::vector<bool> settled(shares.size(), false);
    bool all_reported = true;
    for (std::size_t left = shares.size() - 1; left > 0;) {
        for (int r = 1; r < size; ++r) {
            const auto ur = static_cast<std::size_t>(r);
            if (settled[ur]) continue;
            const bool reported = fs::exists(rank_file(dir, r, "json"));
            if (!reported && !peers[ur].gone(timeout_s)) continue;
            if (!reported) {
                all_reported = false;
                say(fmt::format(
                    "rank {} stopped (no heartbeat for {:g} s): its unfinished runs fail", r,
                    timeout_s));
            }
            merge_share(results, shares[ur], r, rank_file(dir, r, "json"));
            settled[ur] = true;
            --left;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return all_reported;
}

/// Other ranks: waits for rank 0's verdict; true = finalize together. Throws if rank 0 is gone.
bool await_verdict(const fs::path& dir, double timeout_s) {
    PeerWatch root(rank_file(dir, 0, "alive"));
    for (;;) {
        const std::string verdict = slurp(dir / "verdict");
        if (verdict == "finalize\n") return true;
        if (verdict == "exit\n") return false;
        if (root.gone(timeout_s) && !fs::exists(dir / "verdict"))
            throw std::runtime_error(
                "rank 0 stopped before writing sweep.csv; run the same command again "
                "(finished runs are kept)");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

}  // namespace

bool launched_as_mpi_job() {
    // Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; under Slurm's `srun --mpi=pmix` a process
    // has a PMIx rank and the step's task count. A plain srun of N copies has neither PMIx nor
    // Open MPI's variables and stays N local sweeps.
    if (env_int("OMPI_COMM_WORLD_SIZE") > 1) return true;
    return std::getenv("PMIX_RANK") != nullptr && env_int("SLURM_NTASKS") > 1;
}

SweepResult run_sweep_mpi(const std::vector<fs::path>& scenarios, const SweepOptions& opt,
                          const SweepRunFunction& run,
                          const std::function<void(const std::string&)>& progress,
                          const MpiSweepOptions& mpi, int& rank) {
    MPI_Init(nullptr, nullptr);
    int size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    // Every rank plans the same sweep from the same arguments; rank 0 names this launch, so
    // reports of an earlier (killed) launch in the same folder are never mistaken for this one's.
    const std::vector<SweepRequest> plan = plan_sweep(scenarios, opt);
    long long launch = 0;
    std::error_code ec;
    if (rank == 0) fs::remove_all(opt.out_dir / ".mpi", ec);  // reports of earlier launches
    if (rank == 0)
        launch =
            static_cast<long long>(std::chrono::system_clock::now().time_since_epoch().count()) ^
            ::getpid();
    MPI_Bcast(&launch, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    const fs::path dir = opt.out_dir / ".mpi" / fmt::format("{:x}", launch);
    fs::create_directories(dir);
    MPI_Barrier(MPI_COMM_WORLD);  // everyone sees the folder; from here on no collective calls

    std::vector<std::vector<std::size_t>> shares(static_cast<std::size_t>(size));
    for (std::size_t i = 0; i < plan.size(); ++i)
        shares[i % static_cast<std::size_t>(size)].push_back(i);
    const auto& mine = shares[static_cast<std::size_t>(rank)];
    auto say = [&](const std::string& line) {
        if (progress) progress(fmt::format("rank {}/{}: {}", rank, size, line));
    };
    std::vector<SweepRunResult> results;
    std::optional<SweepResult> whole;  // rank 0
    bool all_reported = true;
    {
        Heartbeat beat(rank_file(dir, rank, "alive"));
        results = run_sweep_requests(plan, mine, opt, run, say);
        write_share(rank_file(dir, rank, "json"), results, mine);
        if (rank == 0) {
            all_reported = gather_shares(results, shares, dir, mpi.rank_timeout_s, say);
            whole = finish_sweep(std::move(results), opt.out_dir);
            // Tell the others how to end: together (everyone alive), or each on its own.
            write_text_atomic(dir / "verdict", all_reported ? "finalize\n" : "exit\n");
        } else {
            all_reported = await_verdict(dir, mpi.rank_timeout_s);
        }
    }  // heartbeat stopped
    // With a rank dead, MPI_Finalize would wait for it forever: then each process just ends.
    if (all_reported) MPI_Finalize();  // every rank has read the verdict by now
    if (rank == 0) {
        if (all_reported) {
            fs::remove_all(dir, ec);
            fs::remove(opt.out_dir / ".mpi", ec);  // when empty
        }
        return std::move(*whole);
    }
    SweepResult share;
    for (std::size_t i : mine) share.runs.push_back(results[i]);
    for (const auto& r : share.runs) {
        if (r.status == SweepStatus::Ran)
            ++share.ran;
        else if (r.status == SweepStatus::Skipped)
            ++share.skipped;
        else
            ++share.failed;
    }
    return share;
}

}  // namespace modeshift
