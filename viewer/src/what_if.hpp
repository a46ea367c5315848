#pragma once
/// The live what-if: the measures panel's state (which toggles are on, where the sliders are)
/// and the job that runs `modeshift what-if` as a child process, follows its progress lines and
/// loads the finished run for the right pane. No drawing here (measures_panel.cpp and
/// live_what_if.cpp draw), so the logic is testable without a display.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "modeshift/measures/measures.hpp"
#include "scene.hpp"

namespace modeshift::viewer {

/// Where a what-if comes from and goes to (viewer options, with defaults filled in).
struct WhatIfSetup {
    std::filesystem::path modeshift;      ///< the CLI binary
    std::filesystem::path base_scenario;  ///< the baseline scenario the what-if extends
    std::filesystem::path measures;       ///< the catalogue
    std::filesystem::path
        warm_start;  ///< the baseline run folder (its plans and link times); empty: cold
    std::filesystem::path out_root;  ///< what-ifs go to out_root/<measures chosen>
    int iterations = 3;              ///< days simulated from the warm start
    double sample = 0;  ///< > 0: sample fraction for live use (written into the scenario)
    std::uint64_t network_hash = 0;  ///< the baseline's: a what-if on another network is refused
};

/// The panel's choices: one entry per catalogue measure.
class MeasureChoices {
  public:
    explicit MeasureChoices(MeasureCatalogue cat);
    const MeasureCatalogue& catalogue() const { return cat_; }
    std::size_t size() const { return cat_.measures.size(); }
    const Measure& measure(std::size_t i) const { return cat_.measures[i]; }
    bool on(std::size_t i) const { return on_[i]; }
    double value(std::size_t i) const { return value_[i]; }
    /// Toggles flip; sliders go to their package value, or back to "off".
    void toggle(std::size_t i);
    /// Sliders move by `steps` steps, clamped to [min, max]; toggles switch on (> 0) or off (< 0).
    void step(std::size_t i, int steps);
    /// Sliders: the value at `u` in [0, 1] along the track, snapped to the step.
    void set_fraction(std::size_t i, double u);
    void reset();
    /// True if anything differs from the baseline.
    bool any() const;
    /// The CLI's --set arguments: "key" for toggles on, "key=value" for sliders off their "off".
    std::vector<std::string> set_args() const;
    /// A folder name for these choices ("baseline" when none).
    std::string slug() const;
    /// Applies scripted choices ("key" or "key=value", as --set); InputError names `origin`.
    void apply(const std::vector<std::string>& set, const std::string& origin);
    /// Text of a value with its unit ("1.8×", "2,000 KRW", "30 %").
    static std::string format_value(const Measure& m, double v);

  private:
    MeasureCatalogue cat_;
    std::vector<bool> on_;
    std::vector<double> value_;
};

/// One what-if, from pressing Simulate to the run loaded for the right pane.
class WhatIfJob {
  public:
    enum class State { Idle, Starting, Running, Loading, Done, Failed, Cancelled };
    using Clock = std::chrono::steady_clock;

    /// Writes nothing itself: checks the choices (same rules as the CLI), then starts
    /// `modeshift what-if --set ... --out DIR --progress`. Failures become State::Failed.
    void start(const WhatIfSetup& setup, const MeasureChoices& choices,
               const std::string& description);
    /// Stops a running child (Cancel); a loaded result is kept.
    void cancel();
    /// Call every frame: reads progress, notices the end of the child, finishes loading.
    void update();

    State state() const { return state_; }
    bool busy() const {
        return state_ == State::Starting || state_ == State::Running || state_ == State::Loading;
    }
    int iteration() const { return iteration_; }
    int iterations() const { return of_; }
    double share_change() const { return share_change_; }
    double eta_s() const { return eta_s_; }
    double elapsed_s() const;
    /// 0..1 for the progress bar (loading counts as the last tenth).
    double fraction() const;
    /// Failure or cancel text, shown on screen (may hold several lines).
    const std::string& message() const { return message_; }
    const std::string& description() const { return description_; }
    const std::filesystem::path& out_dir() const { return out_dir_; }
    std::string event_hash() const { return event_hash_; }
    pid_t child_pid() const { return child_ ? child_->pid() : -1; }
    /// The loaded run, once (then the job keeps only its figures).
    std::unique_ptr<RunScene> take_result();
    /// Seconds from start() to the child's end and to the run loaded.
    double child_s() const { return child_s_; }
    double total_s() const { return total_s_; }

  private:
    void fail(std::string msg);
    void on_line(const std::string& line);
    State state_ = State::Idle;
    std::unique_ptr<ChildProcess> child_;
    std::future<std::unique_ptr<RunScene>> loading_;
    std::string load_error_;
    std::unique_ptr<RunScene> result_;
    Clock::time_point t0_{};
    int iteration_ = 0, of_ = 0;
    double share_change_ = 0, eta_s_ = 0, child_s_ = 0, total_s_ = 0;
    std::string message_, description_, event_hash_;
    std::filesystem::path out_dir_;
    std::uint64_t network_hash_ = 0;
};

/// Reads a scripted what-if (`--what-if FILE`): {"set": ["tram_line2", "bus_frequency=1.8"],
/// "cancel_after_s": 5 (optional, presses Cancel then)}. InputError names the file and field.
struct WhatIfScript {
    std::vector<std::string> set;
    double cancel_after_s = 0;
};
WhatIfScript read_what_if_script(const std::filesystem::path& file);

/// The modeshift binary the viewer starts: $MODESHIFT_BIN, the build tree's sim/cli/modeshift
/// beside the viewer's folder, a modeshift beside the viewer, else "modeshift" (looked up in PATH).
std::filesystem::path default_modeshift_binary();

}  // namespace modeshift::viewer
