#pragma once
/// MPI for the length of one command that needs collective steps (`mpirun -np N modeshift
/// pathway ...`): MPI_Init on construction, MPI_Finalize on destruction, this process's rank,
/// the job's size and one collective question. Unlike the sweep (mpi_sweep.hpp), which avoids
/// collective calls so that a dead rank fails only its runs, a pathway must wait for every
/// process at the end of each year: a process that dies ends the job (Open MPI's default), and
/// the same command resumes.
namespace modeshift {

class MpiSession {
  public:
    MpiSession();
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    int rank() const { return rank_; }
    int size() const { return size_; }
    /// Collective: true if every process passes ok == true. Also a barrier.
    bool all_ok(bool ok) const;

  private:
    int rank_ = 0, size_ = 1;
};

}  // namespace modeshift
