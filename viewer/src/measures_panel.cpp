#include "measures_panel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace modeshift::viewer {
namespace {

// Unscaled sizes (pixels at 1920x1080); the layout scales them.
constexpr float kWidth = 560, kPad = 18, kTitle = 66, kToggleRow = 52, kSliderRow = 80,
                kButtons = 74, kStatus = 150, kNote = 34;

const sf::Color kPanelBg(12, 14, 20, 235), kSelected(44, 54, 82), kGrey(170, 175, 190),
    kOn(110, 215, 130), kWarn(255, 150, 120), kAccent(255, 210, 120);

bool inside(const sf::FloatRect& r, float x, float y) {
    return r.contains(x, y);
}

}  // namespace

std::vector<std::string> wrap_text(const Hud& hud, const std::string& text, float px, float max_w) {
    std::vector<std::string> out;
    std::istringstream paragraphs(text);
    for (std::string para; std::getline(paragraphs, para);) {
        std::istringstream words(para);
        std::string line;
        for (std::string w; words >> w;) {
            const std::string cand = line.empty() ? w : line + " " + w;
            if (!line.empty() &&
                hud.text(cand, px, sf::Color::White).getLocalBounds().width > max_w) {
                out.push_back(line);
                line = w;
            } else {
                line = cand;
            }
        }
        out.push_back(line);
    }
    return out;
}

MeasuresPanel::MeasuresPanel(std::optional<MeasureChoices> choices, std::string problem,
                             std::string setup_note)
    : choices_(std::move(choices)),
      problem_(std::move(problem)),
      setup_note_(std::move(setup_note)) {}

std::string MeasuresPanel::describe() const {
    if (!choices_) return {};
    std::string out;
    for (std::size_t i = 0; i < choices_->size(); ++i) {
        const Measure& m = choices_->measure(i);
        const bool chosen =
            m.slider ? std::abs(choices_->value(i) - m.off) > 1e-12 : choices_->on(i);
        if (!chosen) continue;
        if (!out.empty()) out.append(" + ");
        out.append(m.label_ko);
        if (m.slider) out.append(" ").append(MeasureChoices::format_value(m, choices_->value(i)));
    }
    return out.empty() ? "기준 그대로 baseline as is" : out;
}

MeasuresPanel::Layout MeasuresPanel::layout(sf::Vector2u size, float ui, float bottom) const {
    Layout L;
    float need = kTitle + kButtons + kStatus + kNote + 2 * kPad;
    if (choices_)
        for (const auto& m : choices_->catalogue().measures)
            need += m.slider ? kSliderRow : kToggleRow;
    const float avail = bottom - 32 * ui;
    L.s = std::min(ui, avail / need);  // shrink to fit rather than run off the screen
    const float s = L.s, w = kWidth * s;
    const float x = static_cast<float>(size.x) - w - 16 * ui, y = 16 * ui;
    L.box = {x, y, w, need * s};
    float cy = y + (kPad + kTitle) * s;
    if (choices_)
        for (const auto& m : choices_->catalogue().measures) {
            const float h = (m.slider ? kSliderRow : kToggleRow) * s;
            L.rows.push_back({x + 8 * s, cy, w - 16 * s, h - 4 * s});
            L.tracks.push_back(m.slider ? sf::FloatRect{x + kPad * s + 10 * s, cy + 52 * s,
                                                        w - 2 * kPad * s - 20 * s, 10 * s}
                                        : sf::FloatRect{});
            cy += h;
        }
    const float bw = (w - 3 * kPad * s) / 2;
    L.simulate = {x + kPad * s, cy + 10 * s, bw * 1.3f, (kButtons - 20) * s};
    L.reset = {x + kPad * s * 2 + bw * 1.3f, cy + 10 * s, bw * 0.7f, (kButtons - 20) * s};
    L.status = {x + kPad * s, cy + kButtons * s, w - 2 * kPad * s, kStatus * s};
    return L;
}

bool MeasuresPanel::contains(sf::Vector2u size, float ui, float bottom, float x, float y) const {
    return open && inside(layout(size, ui, bottom).box, x, y);
}

void MeasuresPanel::draw(sf::RenderTarget& tg, const sf::Font& font, const sf::Font& bold,
                         sf::Vector2u size, float ui, float bottom, const WhatIfJob& job) const {
    const Layout L = layout(size, ui, bottom);
    const Hud hud{font, bold, L.s};
    const float s = L.s, x = L.box.left, w = L.box.width;
    Hud::rect(tg, L.box, kPanelBg);
    hud.put(tg, hud.text("정책 실험 · what-if measures", 28, sf::Color::White, true), x + kPad * s,
            L.box.top + kPad * s);
    hud.put(tg, hud.text("M 닫기 close  ·  방향키 arrows  ·  Space/Enter 선택 select", 15, kGrey),
            x + kPad * s, L.box.top + (kPad + 36) * s);
    if (!choices_) {
        float cy = L.box.top + (kPad + kTitle) * s;
        for (const auto& line : wrap_text(hud, problem_, 19, w - 2 * kPad * s)) {
            hud.put(tg, hud.text(line, 19, kWarn), x + kPad * s, cy);
            cy += 26 * s;
        }
        return;
    }
    const auto& C = *choices_;
    for (std::size_t i = 0; i < C.size(); ++i) {
        const Measure& m = C.measure(i);
        const sf::FloatRect r = L.rows[i];
        if (selected_ == i) Hud::rect(tg, r, kSelected);
        if (!m.slider) {
            const float bx = r.left + 10 * s, by = r.top + 9 * s, bs = 28 * s;
            Hud::rect(tg, {bx, by, bs, bs}, C.on(i) ? kOn : sf::Color(70, 75, 90));
            if (!C.on(i)) Hud::rect(tg, {bx + 3 * s, by + 3 * s, bs - 6 * s, bs - 6 * s}, kPanelBg);
            hud.put(tg, hud.text(m.label_ko, 23, sf::Color::White, true), bx + bs + 14 * s,
                    r.top + 6 * s);
            hud.put(tg, hud.fitted(m.label_en, 16, kGrey, false, r.width * 0.42f),
                    r.left + r.width - 10 * s, r.top + 14 * s, 2);
            continue;
        }
        const bool moved = std::abs(C.value(i) - m.off) > 1e-12;
        hud.put(tg, hud.text(m.label_ko, 23, sf::Color::White, true), r.left + 10 * s,
                r.top + 6 * s);
        hud.put(tg, hud.fitted(m.label_en, 16, kGrey, false, r.width * 0.3f),
                r.left + 10 * s + 190 * s, r.top + 14 * s);
        hud.put(tg,
                hud.text(MeasureChoices::format_value(m, C.value(i)), 24, moved ? kAccent : kGrey,
                         true),
                r.left + r.width - 10 * s, r.top + 4 * s, 2);
        const sf::FloatRect t = L.tracks[i];
        const float u = static_cast<float>((C.value(i) - m.min) / (m.max - m.min));
        const float pu = static_cast<float>((m.preset - m.min) / (m.max - m.min));
        Hud::rect(tg, t, {70, 75, 90});
        Hud::rect(tg, {t.left, t.top, t.width * u, t.height},
                  moved ? kAccent : sf::Color(110, 115, 130));
        Hud::rect(tg, {t.left + t.width * pu - 1.5f * s, t.top - 6 * s, 3 * s, t.height + 12 * s},
                  {150, 155, 170});
        Hud::rect(tg, {t.left + t.width * u - 9 * s, t.top - 8 * s, 18 * s, t.height + 16 * s},
                  sf::Color::White);
    }
    const bool busy = job.busy();
    const std::size_t n = C.size();
    Hud::rect(tg, L.simulate, busy ? sf::Color(190, 70, 60) : sf::Color(40, 150, 80));
    if (selected_ == n)
        Hud::rect(
            tg,
            {L.simulate.left, L.simulate.top + L.simulate.height - 4 * s, L.simulate.width, 4 * s},
            sf::Color::White);
    hud.put(tg, hud.text(busy ? "취소 Cancel" : "시뮬레이션 Simulate", 25, sf::Color::White, true),
            L.simulate.left + L.simulate.width / 2, L.simulate.top + 10 * s, 1);
    Hud::rect(tg, L.reset, sf::Color(70, 75, 90));
    if (selected_ == n + 1)
        Hud::rect(tg, {L.reset.left, L.reset.top + L.reset.height - 4 * s, L.reset.width, 4 * s},
                  sf::Color::White);
    hud.put(tg, hud.text("초기화 Reset", 21, sf::Color::White, true),
            L.reset.left + L.reset.width / 2, L.reset.top + 12 * s, 1);
    draw_status(tg, hud, L, job);
    hud.put(tg, hud.fitted(setup_note_, 15, kGrey, false, w - 2 * kPad * s), x + kPad * s,
            L.status.top + L.status.height + 4 * s);
}

void MeasuresPanel::draw_status(sf::RenderTarget& tg, const Hud& hud, const Layout& L,
                                const WhatIfJob& job) const {
    using S = WhatIfJob::State;
    const float s = L.s, x = L.status.left, w = L.status.width;
    float cy = L.status.top;
    auto line = [&](const std::string& t, float px, sf::Color c, bool strong = false) {
        hud.put(tg, hud.fitted(t, px, c, strong, w), x, cy);
        cy += (px + 8) * s;
    };
    switch (job.state()) {
        case S::Idle:
            line("측정을 고른 뒤 시뮬레이션 · choose, then Simulate", 19, kGrey);
            break;
        case S::Starting:
        case S::Running:
        case S::Loading: {
            Hud::rect(tg, {x, cy, w, 22 * s}, {50, 55, 70});
            Hud::rect(tg, {x, cy, w * static_cast<float>(job.fraction()), 22 * s}, kAccent);
            cy += 32 * s;
            if (job.state() == S::Loading)
                line("결과 불러오는 중 · loading the new day", 20, sf::Color::White, true);
            else if (job.iteration() == 0)
                line("시작 중 · starting (baseline plans)", 20, sf::Color::White, true);
            else
                line(fmt::format("{}일째 / {}일 · day {} of {}   수단 변화 share change {:.2f} %",
                                 job.iteration(), job.iterations(), job.iteration(),
                                 job.iterations(), 100 * job.share_change()),
                     20, sf::Color::White, true);
            line(fmt::format("경과 {:.0f} s elapsed   ·   남은 시간 ~{:.0f} s left",
                             job.elapsed_s(), job.state() == S::Running ? job.eta_s() : 0.0),
                 18, kGrey);
            break;
        }
        case S::Done:
            line(fmt::format("완료 done in {:.1f} s · 오른쪽 화면 right pane", job.total_s()), 20,
                 kOn, true);
            line("재현 reproduce: sh " + (job.out_dir() / "reproduce.sh").string(), 16, kGrey);
            line("event hash " + job.event_hash(), 16, kGrey);
            break;
        case S::Failed:
        case S::Cancelled: {
            // A bar in the message colour down the left edge: visible from the back of the room.
            const sf::Color c = job.state() == S::Failed ? kWarn : kAccent;
            const float top = cy;
            for (const auto& l : wrap_text(hud, job.message(), 19, w - 18 * s)) {
                if (cy > L.status.top + L.status.height - 24 * s) break;
                hud.put(tg, hud.fitted(l, 19, c, false, w - 18 * s), x + 18 * s, cy);
                cy += 27 * s;
            }
            Hud::rect(tg, {x, top, 8 * s, cy - top}, c);
            break;
        }
    }
}

MeasuresPanel::Action MeasuresPanel::activate(std::size_t row, bool busy) {
    if (!choices_) return Action::None;
    const std::size_t n = choices_->size();
    if (row < n && !busy) choices_->toggle(row);
    if (row == n) return busy ? Action::Cancel : Action::Simulate;
    if (row == n + 1 && !busy) choices_->reset();
    return Action::None;
}

bool MeasuresPanel::key(sf::Keyboard::Key k, bool busy, Action& act) {
    using K = sf::Keyboard;
    act = Action::None;
    if (!choices_) return false;
    const std::size_t rows = row_count();
    switch (k) {
        case K::Up:
            selected_ = (selected_ + rows - 1) % rows;
            return true;
        case K::Down:
            selected_ = (selected_ + 1) % rows;
            return true;
        case K::Left:
        case K::Right:
            if (selected_ < choices_->size() && !busy)
                choices_->step(selected_, k == K::Right ? 1 : -1);
            return true;
        case K::Space:
        case K::Return:
            act = activate(selected_, busy);
            return true;
        default:
            return false;
    }
}

bool MeasuresPanel::press(sf::Vector2u size, float ui, float bottom, float x, float y, bool busy,
                          Action& act) {
    act = Action::None;
    if (!open) return false;
    const Layout L = layout(size, ui, bottom);
    if (!inside(L.box, x, y)) return false;
    if (!choices_) return true;
    const std::size_t n = choices_->size();
    for (std::size_t i = 0; i < n; ++i) {
        if (!inside(L.rows[i], x, y)) continue;
        selected_ = i;
        if (busy) return true;
        if (choices_->measure(i).slider) {
            const sf::FloatRect t = L.tracks[i];
            if (y >= t.top - 20 * L.s) {  // on the track: set the value there and start dragging
                choices_->set_fraction(i, (x - t.left) / t.width);
                dragging_ = static_cast<int>(i);
            }
        } else {
            choices_->toggle(i);
        }
        return true;
    }
    if (inside(L.simulate, x, y)) {
        selected_ = n;
        act = activate(n, busy);
    } else if (inside(L.reset, x, y)) {
        selected_ = n + 1;
        act = activate(n + 1, busy);
    }
    return true;
}

void MeasuresPanel::drag(sf::Vector2u size, float ui, float bottom, float x) {
    if (dragging_ < 0 || !choices_) return;
    const sf::FloatRect t = layout(size, ui, bottom).tracks[static_cast<std::size_t>(dragging_)];
    choices_->set_fraction(static_cast<std::size_t>(dragging_), (x - t.left) / t.width);
}

}  // namespace modeshift::viewer
