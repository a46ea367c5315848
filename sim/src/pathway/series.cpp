#include "modeshift/pathway/series.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "modeshift/io/csv.hpp"

namespace modeshift::pathway {

namespace {

/// Linear interpolation of any value type with + and scalar *, flat outside the points.
template <class T, class Lerp>
T interpolate(const std::map<int, T>& points, int year, Lerp lerp) {
    MS_ASSERT(!points.empty(), "a series has at least one point");
    const auto hi = points.lower_bound(year);
    if (hi == points.end()) return std::prev(hi)->second;
    if (hi->first == year || hi == points.begin()) return hi->second;
    const auto lo = std::prev(hi);
    const double f = double(year - lo->first) / double(hi->first - lo->first);
    return lerp(lo->second, hi->second, f);
}

int read_year(const JsonCursor& c, const std::string& key) {
    const auto y = parse_int(key);
    if (!y || *y < 1900 || *y > 2100)
        c.at(key).fail(fmt::format("'{}' is not a year (an integer in 1900..2100)", key));
    return static_cast<int>(*y);
}

}  // namespace

double Series::at(int year) const {
    return interpolate(points, year, [](double a, double b, double f) { return a + f * (b - a); });
}

std::map<std::string, double> ShareSeries::at(int year) const {
    using Shares = std::map<std::string, double>;
    return interpolate(points, year, [](const Shares& a, const Shares& b, double f) {
        Shares out;
        for (const auto& [k, v] : a) out[k] += (1 - f) * v;
        for (const auto& [k, v] : b) out[k] += f * v;
        return out;
    });
}

std::string read_source(const JsonCursor& c) {
    if (!c.has("source") || c.string("source").empty())
        c.fail("needs a non-empty \"source\" (where the values come from)");
    return c.string("source");
}

Series read_series(const JsonCursor& c, double lo, double hi) {
    c.only_keys({"points", "source"});
    Series s;
    s.source = read_source(c);
    const JsonCursor pts = c.at("points");
    pts.expect_object();
    for (auto it = pts.json().begin(); it != pts.json().end(); ++it) {
        const int year = read_year(pts, it.key());
        const double v = pts.at(it.key()).number();
        if (v < lo || v > hi)
            pts.at(it.key()).fail(fmt::format("must be between {} and {}", lo, hi));
        s.points[year] = v;
    }
    if (s.points.empty()) pts.fail("a series needs at least one point");
    return s;
}

std::map<std::string, double> read_shares(const JsonCursor& c,
                                          std::initializer_list<const char*> known) {
    c.expect_object();
    std::map<std::string, double> shares;
    double sum = 0;
    for (auto it = c.json().begin(); it != c.json().end(); ++it) {
        bool ok = false;
        std::string list;
        for (const char* k : known) {
            ok = ok || it.key() == k;
            list += (list.empty() ? "" : ", ") + std::string(k);
        }
        if (!ok) c.at(it.key()).fail(fmt::format("unknown powertrain (known: {})", list));
        const double v = c.at(it.key()).number();
        if (v < 0 || v > 1) c.at(it.key()).fail("a share must be between 0 and 1");
        shares[it.key()] = v;
        sum += v;
    }
    if (std::abs(sum - 1) > kShareSumTolerance)
        c.fail(fmt::format("shares sum to {:.9f}, not 1 (tolerance {})", sum, kShareSumTolerance));
    return shares;
}

ShareSeries read_share_series(const JsonCursor& c, std::initializer_list<const char*> known) {
    c.only_keys({"points", "source"});
    ShareSeries s;
    s.source = read_source(c);
    const JsonCursor pts = c.at("points");
    pts.expect_object();
    for (auto it = pts.json().begin(); it != pts.json().end(); ++it)
        s.points[read_year(pts, it.key())] = read_shares(pts.at(it.key()), known);
    if (s.points.empty()) pts.fail("a series needs at least one point");
    return s;
}

}  // namespace modeshift::pathway
