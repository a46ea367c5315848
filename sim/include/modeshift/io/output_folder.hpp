#pragma once
/// The contract every command that writes a folder keeps (docs/reports.md, "Output folders"):
///  1. `--out` is checked before any work: not empty, not a file, not an input or a folder
///     holding one, creatable and writable;
///  2. the folder is locked (a second process writing into it is refused, naming the holder);
///  3. the old completion marker is removed first, so a folder being rewritten never looks done,
///     and temporaries a killed run left behind are swept;
///  4. files are written as temporaries and renamed (io/atomic_file.hpp);
///  5. the completion marker is written last (complete()).
/// A killed command therefore leaves a folder that is either complete (marker present) or
/// clearly incomplete (no marker).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace modeshift {

class OutputFolder {
  public:
    /// Checks and locks `dir` (see above). `option` names the flag in messages ("--out").
    /// `marker` is the completion file's name inside the folder ("summary.json").
    /// Throws InputError (file = dir, field = option) when the folder cannot be used.
    static OutputFolder open(const std::filesystem::path& dir, std::string_view marker,
                             const std::vector<std::filesystem::path>& inputs,
                             std::string_view option = "--out");

    OutputFolder(OutputFolder&& other) noexcept;
    OutputFolder& operator=(OutputFolder&&) = delete;
    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;
    ~OutputFolder();  ///< releases the lock (the marker stays only if complete() ran)

    const std::filesystem::path& path() const { return dir_; }
    std::filesystem::path file(std::string_view name) const { return dir_ / name; }
    /// Writes the completion marker atomically: call after every other file is in place.
    void complete(std::string_view marker_content);

  private:
    OutputFolder(std::filesystem::path dir, std::string marker, int lock_fd)
        : dir_(std::move(dir)), marker_(std::move(marker)), lock_fd_(lock_fd) {}
    std::filesystem::path dir_;
    std::string marker_;
    int lock_fd_ = -1;
};

/// Name of the lock file inside a locked output folder.
inline constexpr const char* kOutputLockFile = ".modeshift.lock";

/// Checks a single output FILE option (compare --out report.html) before any work: not empty,
/// not a directory, not one of the inputs nor inside an input that is a folder, parent
/// creatable. Throws InputError naming `option`.
void check_output_file(const std::filesystem::path& file,
                       const std::vector<std::filesystem::path>& inputs,
                       std::string_view option = "--out");

}  // namespace modeshift
