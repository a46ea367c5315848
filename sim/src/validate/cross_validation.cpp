#include "modeshift/validate/cross_validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "modeshift/core/error.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/validate/profile.hpp"

namespace modeshift {

namespace {

/// One compared item of a candidate: a daytime segment-hour (its error d = simulated - observed)
/// or a located count (its |ln ratio|), and the fold it belongs to.
struct Item {
    std::size_t fold = 0;
    double value = 0;  ///< d (speeds) or |ln ratio| (counts)
    double observed = 0;
    std::size_t segment = 0;  ///< speeds: index into the run's segments
    int hour = 0;
};

/// Groups sorted by name and dealt to the folds round robin.
std::map<std::string, std::size_t> deal(const std::set<std::string>& groups, std::size_t k) {
    std::map<std::string, std::size_t> fold;
    std::size_t i = 0;
    for (const auto& g : groups) fold[g] = i++ % k;
    return fold;
}

std::vector<Item> speed_items(const ValidationResult& r,
                              const std::map<std::string, std::size_t>& fold) {
    std::vector<Item> out;
    for (std::size_t s = 0; s < r.segments.size(); ++s)
        for (const auto& h : r.segments[s].hours)
            if (h.hour >= kDaytimeFirstHour && h.observed_kmh && h.simulated_kmh)
                out.push_back({fold.at(r.segments[s].segment_id),
                               *h.simulated_kmh - *h.observed_kmh, *h.observed_kmh, s, h.hour});
    return out;
}

std::string count_group(const std::string& kind, const std::string& name) {
    return kind + ":" + name;
}

double abs_log_ratio(double ratio) {
    return std::fabs(std::log(std::max(ratio, kMinCountRatio)));
}

std::vector<Item> count_items(const ValidationResult& r,
                              const std::map<std::string, std::size_t>& fold) {
    std::vector<Item> out;
    for (const auto& c : r.counts)
        if (c.ratio)
            out.push_back(
                {fold.at(count_group("daily", c.count.count_id)), abs_log_ratio(*c.ratio)});
    for (const auto& j : r.junctions)
        if (j.ratio)
            out.push_back(
                {fold.at(count_group("junction", j.count.junction)), abs_log_ratio(*j.ratio)});
    return out;
}

/// Speeds: root mean square of the items; counts: their mean. `keep` picks the items.
struct Score {
    std::size_t n = 0;
    double sum = 0, sum_sq = 0;
    void add(double v) {
        ++n;
        sum += v;
        sum_sq += v * v;
    }
    std::optional<double> error(bool rms) const {
        if (n == 0) return std::nullopt;
        return rms ? std::sqrt(sum_sq / static_cast<double>(n)) : sum / static_cast<double>(n);
    }
};

Score score(const std::vector<Item>& items, const std::function<bool(const Item&)>& keep) {
    Score s;
    for (const auto& it : items)
        if (keep(it)) s.add(it.value);
    return s;
}

/// Fills one part: per fold, the candidate with the lowest error outside it, scored on it.
/// `profile_of(fold, chosen)`: the profile predictor's errors on the chosen one's held-out items
/// (speeds only).
void select_and_score(const std::vector<std::vector<Item>>& items, std::size_t k, bool rms,
                      const std::vector<std::vector<std::string>>& held_out, CvPart& part,
                      std::vector<CvCandidate>& candidates,
                      const std::function<Score(std::size_t, std::size_t)>& profile_of,
                      bool speeds) {
    Score pooled, pooled_profile;
    for (std::size_t f = 0; f < k; ++f) {
        CvFold fold;
        fold.held_out = held_out[f];
        for (std::size_t c = 0; c < items.size(); ++c) {
            auto train = score(items[c], [f](const Item& it) { return it.fold != f; }).error(rms);
            if (train && (!fold.train_error || *train < *fold.train_error)) {
                fold.chosen = c;
                fold.train_error = train;
            }
        }
        if (fold.chosen) {
            const std::size_t c = *fold.chosen;
            (speeds ? candidates[c].picked_speeds : candidates[c].picked_counts)++;
            const Score test = score(items[c], [f](const Item& it) { return it.fold == f; });
            fold.n = test.n;
            fold.test_error = test.error(rms);
            pooled.n += test.n;
            pooled.sum += test.sum;
            pooled.sum_sq += test.sum_sq;
            if (profile_of) {
                const Score p = profile_of(f, c);
                fold.profile_error = p.error(rms);
                pooled_profile.n += p.n;
                pooled_profile.sum += p.sum;
                pooled_profile.sum_sq += p.sum_sq;
            }
        }
        part.folds.push_back(std::move(fold));
    }
    part.n = pooled.n;
    part.error = pooled.error(rms);
    if (speeds && pooled.n > 0) part.bias = pooled.sum / static_cast<double>(pooled.n);
    if (profile_of) part.profile = pooled_profile.error(true);
}

/// Every run must have been compared with the same observed speeds.
void check_same_observations(std::span<const ValidationResult> runs) {
    const auto& first = runs[0].segments;
    for (const auto& r : runs) {
        bool same = r.segments.size() == first.size();
        for (std::size_t s = 0; same && s < first.size(); ++s) {
            same = r.segments[s].key == first[s].key;
            for (std::size_t h = 0; same && h < kObservedHours; ++h)
                same = r.segments[s].hours[h].observed_kmh == first[s].hours[h].observed_kmh;
        }
        if (!same)
            throw InputError(r.run_dir.string(), 0, "speeds",
                             fmt::format("validated against other observed speeds than {}",
                                         runs[0].run_dir.string()));
    }
}

}  // namespace

CrossValidation cross_validate(std::span<const ValidationResult> runs, std::size_t folds) {
    MS_ASSERT(!runs.empty(), "cross-validation needs a run");
    if (folds < 2)
        throw InputError("--folds", 0, "folds", fmt::format("{} folds: need at least 2", folds));
    check_same_observations(runs);
    CrossValidation cv;
    cv.k = folds;
    if (runs.size() == 1)
        cv.notes.push_back(
            "one candidate: nothing selected (the cross-validated error is that run's error "
            "split by folds)");

    std::set<std::string> segment_ids, count_groups;
    for (const auto& s : runs[0].segments) segment_ids.insert(s.segment_id);
    for (const auto& r : runs) {
        for (const auto& c : r.counts) count_groups.insert(count_group("daily", c.count.count_id));
        for (const auto& j : r.junctions)
            count_groups.insert(count_group("junction", j.count.junction));
    }
    const auto segment_fold = deal(segment_ids, folds), count_fold = deal(count_groups, folds);
    std::vector<std::vector<std::string>> seg_held(folds), count_held(folds);
    for (const auto& [g, f] : segment_fold) seg_held[f].push_back(g);
    for (const auto& [g, f] : count_fold) count_held[f].push_back(g);
    if (segment_ids.size() < folds)
        cv.notes.push_back(fmt::format("{} segments for {} folds: {} folds hold no segment",
                                       segment_ids.size(), folds, folds - segment_ids.size()));

    std::vector<std::vector<Item>> speeds, counts;
    for (const auto& r : runs) {
        CvCandidate c;
        c.run = r.run_dir.string();
        c.daytime = r.daytime;
        speeds.push_back(speed_items(r, segment_fold));
        counts.push_back(count_items(r, count_fold));
        Score all = score(counts.back(), [](const Item&) { return true; });
        c.counts_n = all.n;
        c.count_error = all.error(false);
        cv.candidates.push_back(std::move(c));
    }

    // The profile of fold f: fitted on the observations of the segments outside it.
    std::vector<HourlyProfile> profiles;
    for (std::size_t f = 0; f < folds; ++f) {
        const std::set<std::string> excluded(seg_held[f].begin(), seg_held[f].end());
        profiles.push_back(observed_profile(runs[0].segments, excluded));
    }
    auto profile_of = [&](std::size_t f, std::size_t c) {
        Score s;
        for (const auto& it : speeds[c])
            if (it.fold == f)
                if (const auto& p = profiles[f][static_cast<std::size_t>(it.hour)])
                    s.add(*p - it.observed);
        return s;
    };
    select_and_score(speeds, folds, true, seg_held, cv.speeds, cv.candidates, profile_of, true);
    select_and_score(counts, folds, false, count_held, cv.counts, cv.candidates, nullptr, false);
    return cv;
}

namespace {

std::string opt_num(const std::optional<double>& v, int decimals) {
    return v ? fmt::format("{:.{}f}", *v, decimals) : std::string("n/a");
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
}

void part_table(std::string& o, const CvPart& p, const char* unit, const char* items,
                int decimals) {
    for (std::size_t f = 0; f < p.folds.size(); ++f) {
        const CvFold& fold = p.folds[f];
        o += fmt::format(
            "  fold {}: picked {}  train {}  held out n {:>3}  test {}{}   [{}]\n", f + 1,
            fold.chosen ? fmt::format("#{}", *fold.chosen + 1) : "-",
            opt_num(fold.train_error, decimals), fold.n, opt_num(fold.test_error, decimals),
            fold.profile_error ? fmt::format("  profile {}", opt_num(fold.profile_error, decimals))
                               : std::string(),
            joined(fold.held_out));
    }
    o += fmt::format("  cross-validated: {}{} over {} held-out {}", opt_num(p.error, decimals),
                     unit, p.n, items);
    if (p.bias) o += fmt::format(" (bias {:+.2f})", *p.bias);
    if (p.profile) o += fmt::format("; profile predictor {}{}", opt_num(p.profile, decimals), unit);
    o += "\n";
}

Json opt_json(const std::optional<double>& v) {
    return v ? Json(*v) : Json(nullptr);
}

Json part_json(const CvPart& p, const CrossValidation& cv) {
    Json folds = Json::array();
    for (const auto& f : p.folds)
        folds.push_back({{"held_out", f.held_out},
                         {"chosen", f.chosen ? Json(cv.candidates[*f.chosen].run) : Json(nullptr)},
                         {"chosen_index", f.chosen ? Json(*f.chosen) : Json(nullptr)},
                         {"train_error", opt_json(f.train_error)},
                         {"n", f.n},
                         {"test_error", opt_json(f.test_error)},
                         {"profile_error", opt_json(f.profile_error)}});
    return {{"folds", folds},
            {"n", p.n},
            {"error", opt_json(p.error)},
            {"bias", opt_json(p.bias)},
            {"profile_predictor", opt_json(p.profile)}};
}

}  // namespace

std::string cross_validation_table(const CrossValidation& cv) {
    std::string o = fmt::format("{} candidates, {} folds\n", cv.candidates.size(), cv.k);
    o += fmt::format(
        "  #   RMSE {:02}-23 h  bias    n   counts |ln r|  n   picked (speeds/counts)  run\n",
        kDaytimeFirstHour);
    for (std::size_t i = 0; i < cv.candidates.size(); ++i) {
        const auto& c = cv.candidates[i];
        o += fmt::format(
            "  #{:<2} {:>11} {:>+6.2f} {:>4}   {:>12} {:>2}   {:>6}/{:<6}              {}\n", i + 1,
            c.daytime.n ? fmt::format("{:.2f}", c.daytime.rmse) : "n/a", c.daytime.bias,
            c.daytime.n, opt_num(c.count_error, 3), c.counts_n, c.picked_speeds, c.picked_counts,
            c.run);
    }
    o += fmt::format("speeds (RMSE km/h, {:02}-23 h; selection on the other folds):\n",
                     kDaytimeFirstHour);
    part_table(o, cv.speeds, " km/h", "segment-hours", 2);
    o += "counts (mean |ln(simulated / observed)|; selection on the other folds):\n";
    part_table(o, cv.counts, "", "counts", 3);
    for (const auto& n : cv.notes) o += fmt::format("note: {}\n", n);
    return o;
}

std::string cross_validation_json(const CrossValidation& cv) {
    Json cands = Json::array();
    for (const auto& c : cv.candidates)
        cands.push_back({{"run", c.run},
                         {"daytime_rmse_kmh", c.daytime.n ? Json(c.daytime.rmse) : Json(nullptr)},
                         {"daytime_bias_kmh", c.daytime.n ? Json(c.daytime.bias) : Json(nullptr)},
                         {"daytime_n", c.daytime.n},
                         {"count_mean_abs_log_ratio", opt_json(c.count_error)},
                         {"counts_n", c.counts_n},
                         {"picked_speeds", c.picked_speeds},
                         {"picked_counts", c.picked_counts}});
    Json j;
    j["format"] = "modeshift-cross-validation";
    j["schema_version"] = 1;
    j["folds"] = cv.k;
    j["rules"] = {{"folds",
                   "segments grouped by segment_id, count points by count_id (daily) or junction; "
                   "sorted and dealt round robin"},
                  {"speed_criterion",
                   fmt::format("RMSE km/h over {:02}-23 h segment-hours", kDaytimeFirstHour)},
                  {"count_criterion", "mean |ln(simulated / observed)|"},
                  {"min_count_ratio", kMinCountRatio},
                  {"tie", "the first candidate of equals"}};
    j["candidates"] = cands;
    j["speeds"] = part_json(cv.speeds, cv);
    j["counts"] = part_json(cv.counts, cv);
    j["notes"] = cv.notes;
    return j.dump(2) + "\n";
}

}  // namespace modeshift
