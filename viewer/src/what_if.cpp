#include "what_if.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "modeshift/core/error.hpp"
#include "modeshift/io/json_util.hpp"
#include "scene.hpp"

namespace modeshift::viewer {
namespace fs = std::filesystem;

MeasureChoices::MeasureChoices(MeasureCatalogue cat) : cat_(std::move(cat)) {
    reset();
}

void MeasureChoices::reset() {
    on_.assign(cat_.measures.size(), false);
    value_.clear();
    for (const auto& m : cat_.measures) value_.push_back(m.slider ? m.off : 0.0);
}

void MeasureChoices::toggle(std::size_t i) {
    const Measure& m = cat_.measures[i];
    if (!m.slider) {
        on_[i] = !on_[i];
        return;
    }
    value_[i] = std::abs(value_[i] - m.off) < 1e-12 ? m.preset : m.off;
}

namespace {
/// Snaps to min + k * step (and rounds away binary noise, so 1.8 prints as 1.8).
double snap(const Measure& m, double v) {
    const double k = std::round((v - m.min) / m.step);
    const double s = m.min + k * m.step;
    return std::clamp(std::round(s * 1e9) / 1e9, m.min, m.max);
}
}  // namespace

void MeasureChoices::step(std::size_t i, int steps) {
    const Measure& m = cat_.measures[i];
    if (!m.slider) {
        on_[i] = steps > 0;
        return;
    }
    value_[i] = snap(m, value_[i] + steps * m.step);
}

void MeasureChoices::set_fraction(std::size_t i, double u) {
    const Measure& m = cat_.measures[i];
    if (m.slider) value_[i] = snap(m, m.min + std::clamp(u, 0.0, 1.0) * (m.max - m.min));
}

bool MeasureChoices::any() const {
    return !set_args().empty();
}

std::vector<std::string> MeasureChoices::set_args() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < cat_.measures.size(); ++i) {
        const Measure& m = cat_.measures[i];
        if (!m.slider && on_[i]) out.push_back(m.key);
        if (m.slider && std::abs(value_[i] - m.off) > 1e-12)
            out.push_back(fmt::format("{}={:g}", m.key, value_[i]));
    }
    return out;
}

std::string MeasureChoices::slug() const {
    std::string s;
    for (const auto& a : set_args()) s += (s.empty() ? "" : "+") + a;
    std::replace(s.begin(), s.end(), '=', '-');
    return s.empty() ? "baseline" : s;
}

void MeasureChoices::apply(const std::vector<std::string>& set, const std::string& origin) {
    reset();
    for (const auto& text : set) {
        const MeasureChoice c = parse_measure_choice(text, origin);
        const Measure* m = cat_.find(c.key);
        if (!m)
            throw InputError(origin, 0, c.key,
                             fmt::format("no such measure in {}", cat_.file.string()));
        const auto i = static_cast<std::size_t>(m - cat_.measures.data());
        if (m->slider != c.value.has_value())
            throw InputError(
                origin, 0, c.key,
                m->slider ? "a slider needs a value (key=value)" : "a toggle takes no value");
        if (m->slider)
            value_[i] = *c.value;  // the range is checked when the what-if starts
        else
            on_[i] = true;
    }
}

std::string MeasureChoices::format_value(const Measure& m, double v) {
    // The unit is written as the catalogue gives it (" KRW", " %", "×"); thousands get commas.
    if (std::abs(v) >= 1000 && v == std::round(v)) {
        std::string digits = fmt::format("{:.0f}", std::abs(v)), out = v < 0 ? "-" : "";
        for (std::size_t k = 0; k < digits.size(); ++k) {
            if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
            out += digits[k];
        }
        return out + m.unit;
    }
    return fmt::format("{:g}", v) + m.unit;
}

// ---------------------------------------------------------------------------------------------

void WhatIfJob::fail(std::string msg) {
    state_ = State::Failed;
    message_ = std::move(msg);
}

void WhatIfJob::start(const WhatIfSetup& setup, const MeasureChoices& choices,
                      const std::string& description) {
    if (busy()) return;
    *this = WhatIfJob{};
    t0_ = Clock::now();
    description_ = description;
    out_dir_ = setup.out_root / choices.slug();
    network_hash_ = setup.network_hash;
    of_ = setup.iterations;
    state_ = State::Starting;
    // The CLI would refuse the same choices; checking here shows the message at once.
    try {
        std::vector<MeasureChoice> parsed;
        for (const auto& a : choices.set_args())
            parsed.push_back(parse_measure_choice(a, "what-if"));
        (void)what_if_scenario(choices.catalogue(), parsed, setup.base_scenario, out_dir_,
                               "what-if");
    } catch (const std::exception& e) {
        return fail(fmt::format("선택 오류 · invalid choice: {}", e.what()));
    }
    std::error_code ec;
    if (!fs::exists(setup.base_scenario, ec))
        return fail(fmt::format("기준 시나리오 없음 · baseline scenario not found: {}",
                                setup.base_scenario.string()));
    std::vector<std::string> argv = {setup.modeshift.string(),
                                     "what-if",
                                     "--base",
                                     setup.base_scenario.string(),
                                     "--measures",
                                     setup.measures.string(),
                                     "--out",
                                     out_dir_.string(),
                                     "--progress"};
    for (const auto& a : choices.set_args()) argv.insert(argv.end(), {"--set", a});
    if (!setup.warm_start.empty())
        argv.insert(argv.end(), {"--warm-start", setup.warm_start.string()});
    if (setup.iterations > 0)
        argv.insert(argv.end(), {"--iterations", std::to_string(setup.iterations)});
    if (setup.sample > 0) argv.insert(argv.end(), {"--sample", fmt::format("{:g}", setup.sample)});
    child_ = std::make_unique<ChildProcess>();
    std::string err;
    if (!child_->start(argv, err)) {
        child_.reset();
        return fail(
            fmt::format("modeshift 실행 불가 · {} (--modeshift PATH or MODESHIFT_BIN)", err));
    }
}

void WhatIfJob::cancel() {
    if (child_ && child_->running() && (state_ == State::Starting || state_ == State::Running)) {
        child_->terminate();
        state_ = State::Cancelled;
        message_ = "취소됨 · cancelled: the baseline keeps playing";
    }
}

void WhatIfJob::on_line(const std::string& line) {
    if (line.rfind("progress ", 0) == 0) {
        state_ = State::Running;
        std::sscanf(line.c_str(),
                    "progress iteration=%d of=%d share_change=%lf elapsed_s=%*f eta_max_s=%lf",
                    &iteration_, &of_, &share_change_, &eta_s_);
    } else if (line.rfind("done ", 0) == 0) {
        if (const auto p = line.find("event_hash="); p != std::string::npos)
            event_hash_ = line.substr(p + 11, line.find(' ', p) - p - 11);
    }
}

void WhatIfJob::update() {
    if (child_) {
        for (const auto& line : child_->read_lines()) on_line(line);
        if (const auto ex = child_->poll()) {
            const bool was_running = state_ == State::Starting || state_ == State::Running;
            child_s_ = elapsed_s();
            if (was_running && (ex->signalled || ex->code != 0)) {
                std::string msg =
                    fmt::format("시뮬레이션 실패 · the simulation stopped ({})", ex->describe());
                for (const auto& l : child_->stderr_tail(3)) msg += "\n" + l;
                fail(std::move(msg));
            } else if (was_running) {
                state_ = State::Loading;
                const fs::path file = out_dir_ / "run" / "run.msrun";
                loading_ =
                    std::async(std::launch::async,
                               [file, this, hash = network_hash_]() -> std::unique_ptr<RunScene> {
                                   std::string e;
                                   auto run = load_run(file, e);
                                   if (!run) {
                                       load_error_ = e;
                                       return nullptr;
                                   }
                                   if (hash != 0 && run->network_hash != hash) {
                                       load_error_ = fmt::format(
                                           "{} uses another network ('{}') than the baseline",
                                           file.string(), run->network_name);
                                       return nullptr;
                                   }
                                   return std::make_unique<RunScene>(std::move(*run));
                               });
            }
            child_.reset();
        }
    }
    if (state_ == State::Loading && loading_.valid() &&
        loading_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        result_ = loading_.get();
        total_s_ = elapsed_s();
        if (result_)
            state_ = State::Done;
        else
            fail(fmt::format("실행 파일을 읽을 수 없음 · cannot load the what-if run: {}",
                             load_error_));
    }
}

double WhatIfJob::elapsed_s() const {
    return state_ == State::Idle ? 0.0 : std::chrono::duration<double>(Clock::now() - t0_).count();
}

double WhatIfJob::fraction() const {
    switch (state_) {
        case State::Running:
            return of_ > 0 ? 0.9 * std::clamp(static_cast<double>(iteration_) / of_, 0.0, 1.0)
                           : 0.0;
        case State::Loading:
            return 0.95;
        case State::Done:
            return 1.0;
        default:
            return 0.0;
    }
}

std::unique_ptr<RunScene> WhatIfJob::take_result() {
    return std::move(result_);
}

WhatIfScript read_what_if_script(const fs::path& file) {
    const Json root = read_json_file(file);
    JsonCursor j(root, file.string());
    j.only_keys({"set", "cancel_after_s", "description"});
    WhatIfScript s;
    const JsonCursor set = j.at("set");
    set.expect_array();
    for (std::size_t i = 0; i < set.size(); ++i) s.set.push_back(set.at(i).string());
    if (j.has("cancel_after_s")) {
        s.cancel_after_s = j.number("cancel_after_s");
        if (!(s.cancel_after_s > 0))
            j.at("cancel_after_s").fail("must be a positive number of seconds");
    }
    return s;
}

fs::path default_modeshift_binary() {
    if (const char* env = std::getenv("MODESHIFT_BIN"); env && *env) return env;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path dir = self.parent_path();
        for (const fs::path& p :
             {dir.parent_path() / "sim" / "cli" / "modeshift", dir / "modeshift"})
            if (::access(p.c_str(), X_OK) == 0) return p;
    }
    return "modeshift";
}

}  // namespace modeshift::viewer
