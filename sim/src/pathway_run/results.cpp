// From the runs' t/day to the pathway's t/year: annualisation, wedges per seed (common random
// numbers: BAU, plan and every leave-one-out run of a seed simulate the same persons), then the
// mean and interval over seeds of every figure.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "modeshift/core/error.hpp"
#include "modeshift/pathway/attribution.hpp"
#include "modeshift/pathway_run/pathway_result.hpp"

namespace modeshift::pathway {
namespace {

/// Figures by (year, variant), one per seed in seed order.
using RunTable = std::map<std::pair<int, std::string>, std::vector<const RunFigures*>>;

double co2_of(const RunFigures& f, Scope s) {
    return s == Scope::City ? f.city_co2_t : f.study_co2_t;
}
double vkt_of(const RunFigures& f, Scope s) {
    return s == Scope::City ? f.city_vkt_km : f.study_vkt_km;
}

const std::vector<const RunFigures*>* find(const RunTable& t, int year,
                                           const std::string& variant) {
    const auto it = t.find({year, variant});
    return it == t.end() ? nullptr : &it->second;
}

std::vector<double> column(const std::vector<const RunFigures*>& runs, Scope s, double factor) {
    std::vector<double> v;
    for (const RunFigures* f : runs) v.push_back(co2_of(*f, s) * factor);
    return v;
}

double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / double(v.size());
}

struct SeedWedges {
    std::vector<std::vector<double>> wedge, loo;  ///< [measure][seed]
    std::vector<double> scale, interaction;
    std::string note;
};

SeedWedges wedges_by_seed(const std::vector<double>& bau, const std::vector<double>& plan,
                          const std::vector<std::vector<double>>& without) {
    SeedWedges w;
    w.wedge.assign(without.size(), {});
    w.loo.assign(without.size(), {});
    for (std::size_t s = 0; s < bau.size(); ++s) {
        std::vector<double> wo;
        for (const auto& m : without) wo.push_back(m[s]);
        const Wedges r = attribute(bau[s], plan[s], wo);
        for (std::size_t k = 0; k < wo.size(); ++k) {
            w.wedge[k].push_back(r.wedge[k]);
            w.loo[k].push_back(r.loo[k]);
        }
        w.scale.push_back(r.scale);
        w.interaction.push_back(r.interaction);
        if (r.flagged && w.note.empty()) w.note = fmt::format("seed {}: {}", s + 1, r.note);
    }
    return w;
}

ScopeYear scope_year(const PathwayFile& p, const RunTable& t, Scope scope, int year,
                     const std::vector<double>& base_bau_day) {
    ScopeYear y;
    y.year = year;
    y.annual_factor = p.annualisation.road_factor(year);
    const auto& bau_runs = *find(t, year, "bau");
    const std::vector<double> bau_day = column(bau_runs, scope, 1);
    const auto* plan_runs = find(t, year, "plan");
    y.has_plan = plan_runs != nullptr;
    const std::vector<double> plan_day = plan_runs ? column(*plan_runs, scope, 1) : bau_day;
    const double f = y.annual_factor;
    auto yearly = [f](std::vector<double> v) {
        for (double& x : v) x *= f;
        return v;
    };
    const auto bau = yearly(bau_day), plan = yearly(plan_day);
    y.bau_t = mean_interval(bau);
    y.plan_t = mean_interval(plan);
    y.bau_day_t = mean_interval(bau_day);
    y.plan_day_t = mean_interval(plan_day);
    y.reduction_t = paired_difference_interval(bau, plan);
    y.trend_t = paired_difference_interval(yearly(base_bau_day), bau);
    for (std::size_t s = 0; s < bau.size(); ++s)
        y.trend_by_seed_t.push_back(base_bau_day[s] * f - bau[s]);
    for (std::size_t s = 0; s < bau_runs.size(); ++s) {
        const RunFigures& b = *bau_runs[s];
        const RunFigures& q = plan_runs ? *(*plan_runs)[s] : b;
        y.bau_vkt_km += vkt_of(b, scope) / double(bau_runs.size());
        y.plan_vkt_km += vkt_of(q, scope) / double(bau_runs.size());
        for (std::size_t m = 0; m < kModeCount; ++m) {
            const auto& bs = scope == Scope::City ? b.city_share : b.study_share;
            const auto& ps = scope == Scope::City ? q.city_share : q.study_share;
            y.bau_share[m] += bs[m] / double(bau_runs.size());
            y.plan_share[m] += ps[m] / double(bau_runs.size());
        }
    }
    const MeasureSet set = active_measures(p, year);
    if (set.active.empty()) return y;
    std::vector<std::vector<double>> without;
    for (const ActiveMeasure& a : set.active) {
        const auto* runs = find(t, year, "without_" + a.measure->id);
        // One active measure: the plan without it is BAU (plan_runs skips that run).
        without.push_back(runs ? yearly(column(*runs, scope, 1)) : bau);
    }
    const SeedWedges w = wedges_by_seed(bau, plan, without);
    y.scale = mean(w.scale);
    y.interaction_t = mean(w.interaction);
    y.wedge_note = w.note;
    for (std::size_t k = 0; k < set.active.size(); ++k) {
        const Measure& m = *set.active[k].measure;
        MeasureYear my;
        my.id = m.id;
        my.fraction = set.active[k].fraction;
        my.avoided_t = mean_interval(w.wedge[k]);
        my.avoided_by_seed_t = w.wedge[k];
        my.loo_t = mean_interval(w.loo[k]);
        my.distinguishable = distinguishable(my.avoided_t);
        if (m.costs.any())
            my.cost = cost_per_tonne(annual_cost_krw(m.costs, p.discount_rate), my.avoided_t.mean,
                                     my.distinguishable);
        else
            my.cost.reason = m.cost_note.empty() ? "no cost source" : m.cost_note;
        y.measures.push_back(std::move(my));
    }
    return y;
}

/// Cumulative tonnes of one measure (or the trend with id ""): each seed's yearly wedges of the
/// simulated years (0 where the measure is not active), summed over the calendar years, then the
/// interval over seeds.
Interval cumulative_of(const std::vector<ScopeYear>& years, const std::string& id,
                       std::size_t seeds) {
    std::vector<double> per_seed;
    for (std::size_t s = 0; s < seeds; ++s) {
        std::vector<YearValue> v;
        for (const ScopeYear& y : years) {
            double wedge = 0;
            if (id.empty()) {
                wedge = y.trend_by_seed_t[s];
            } else {
                for (const MeasureYear& my : y.measures)
                    if (my.id == id) wedge = my.avoided_by_seed_t[s];
            }
            v.push_back({y.year, wedge});
        }
        per_seed.push_back(cumulative(v, years.front().year, years.back().year));
    }
    return mean_interval(per_seed);
}

std::vector<TargetLine> target_lines(const PathwayFile& p, const RunTable& t, const ScopeResult& r,
                                     Scope scope) {
    std::vector<TargetLine> lines;
    for (const Target& tg : p.targets) {
        if (tg.scope != scope_name(scope)) continue;
        TargetLine l;
        l.target = &tg;
        const auto* ref =
            find(t, tg.reference_year, tg.reference_year < p.base_year ? "reference" : "bau");
        const double f = p.annualisation.road_factor(tg.reference_year);
        if (ref) {
            l.reference_t = mean(column(*ref, scope, f));
            l.how = tg.reference_year < p.base_year
                        ? fmt::format(
                              "BAU back-cast to {}: the base scenario with the trends' {} values",
                              tg.reference_year, tg.reference_year)
                        : fmt::format("modelled BAU of {}", tg.reference_year);
        } else {
            l.reference_t = r.years.front().bau_t.mean;
            l.how = fmt::format("{} was not simulated: the first simulated year's BAU stands in",
                                tg.reference_year);
        }
        l.level_t = target_level(tg, l.reference_t);
        for (const ScopeYear& y : r.years)
            if (y.year == tg.year) l.plan_t = y.plan_t.mean;
        lines.push_back(std::move(l));
    }
    return lines;
}

}  // namespace

const char* scope_name(Scope s) {
    return s == Scope::City ? "city" : "study_area";
}

PathwayResult summarise(const PathwayFile& p, const std::vector<PathwayRun>& runs,
                        const std::vector<RunFigures>& figures) {
    MS_ASSERT(runs.size() == figures.size(), "one figure set per run");
    PathwayResult res;
    res.pathway = &p;
    RunTable t;
    std::vector<int> years;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        t[{runs[i].year, runs[i].variant}].push_back(&figures[i]);
        if (runs[i].variant == "bau" && (years.empty() || years.back() != runs[i].year))
            years.push_back(runs[i].year);
    }
    MS_ASSERT(!years.empty(), "a pathway has a BAU run in every year");
    for (const PathwayRun& r : runs)
        if (r.variant == "bau" && r.year == years.front()) res.seeds.push_back(r.seed);
    res.first_year = years.front();
    res.last_year = years.back();
    res.mac_year = res.last_year;
    for (Scope scope : kScopes) {
        ScopeResult& r = res.scopes[std::size_t(scope)];
        r.scope = scope;
        const std::vector<double> base_bau_day = column(*find(t, years.front(), "bau"), scope, 1);
        for (int year : years) r.years.push_back(scope_year(p, t, scope, year, base_bau_day));
        const std::size_t seeds = base_bau_day.size();
        for (const Measure& m : p.measures)
            r.totals.push_back({m.id, cumulative_of(r.years, m.id, seeds)});
        r.trend_cumulative_t = cumulative_of(r.years, "", seeds);
        std::vector<MacInput> mac;
        for (const MeasureYear& my : r.years.back().measures) {
            const Measure& m = *p.find_measure(my.id);
            mac.push_back({my.id, m.costs.any(), annual_cost_krw(m.costs, p.discount_rate),
                           my.avoided_t.mean, my.distinguishable});
        }
        r.mac = mac_curve(mac);
        r.targets = target_lines(p, t, r, scope);
    }
    if (p.trends.car_fleet.zev_check) {
        const FleetPath cars =
            run_stock_turnover(p.trends.car_fleet, p.base_year, p.last_year(), p.file.string());
        if (p.trends.car_fleet.zev_check->year <= p.last_year())
            res.zev = compare_zev(cars, *p.trends.car_fleet.zev_check);
    }
    return res;
}

}  // namespace modeshift::pathway
