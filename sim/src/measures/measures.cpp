#include "modeshift/measures/measures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "modeshift/core/error.hpp"

namespace modeshift {

const Measure* MeasureCatalogue::find(const std::string& key) const {
    for (const auto& m : measures)
        if (m.key == key) return &m;
    return nullptr;
}

namespace {

Measure load_measure(const JsonCursor& c) {
    c.only_keys({"key", "label_ko", "label_en", "slider", "policies", "rationale"});
    Measure m;
    m.key = c.string("key");
    if (m.key.empty() || m.key.find_first_of("= ") != std::string::npos)
        c.at("key").fail("a key is a non-empty word without '=' or spaces");
    m.label_ko = c.string("label_ko");
    m.label_en = c.string("label_en");
    if (c.has("slider")) {
        const JsonCursor s = c.at("slider");
        s.only_keys({"min", "max", "step", "off", "preset", "unit"});
        m.slider = true;
        m.min = s.number("min");
        m.max = s.number("max");
        m.step = s.number("step");
        m.off = s.number("off");
        m.preset = s.number("preset");
        m.unit = s.string_or("unit", "");
        if (!(m.min < m.max)) s.at("max").fail("max must be above min");
        if (!(m.step > 0) || m.step > m.max - m.min)
            s.at("step").fail("step must be in (0, max - min]");
        if (m.off < m.min || m.off > m.max)
            s.at("off").fail("the 'no measure' value must lie in [min, max]");
        if (m.preset < m.min || m.preset > m.max)
            s.at("preset").fail("the preset must lie in [min, max]");
    }
    const JsonCursor pol = c.at("policies");
    pol.expect_array();
    if (pol.size() == 0) pol.fail("a measure needs at least one policy");
    for (std::size_t i = 0; i < pol.size(); ++i) {
        pol.at(i).expect_object();
        if (!pol.at(i).has("kind")) pol.at(i).fail("a policy needs a \"kind\"");
    }
    m.policies = pol.json();
    return m;
}

/// Replaces the strings "$value" / "$fraction" anywhere in `j` by the slider value.
void substitute(Json& j, double value) {
    if (j.is_string()) {
        if (j.get<std::string>() == "$value")
            j = value;
        else if (j.get<std::string>() == "$fraction")
            j = value / 100.0;
        return;
    }
    if (j.is_array() || j.is_object())
        for (auto& e : j) substitute(e, value);
}

}  // namespace

MeasureCatalogue load_measures(const std::filesystem::path& file) {
    const Json root = read_json_file(file);
    JsonCursor j(root, file.string());
    j.only_keys({"description", "measures"});
    MeasureCatalogue cat;
    cat.file = file;
    const JsonCursor ms = j.at("measures");
    ms.expect_array();
    for (std::size_t i = 0; i < ms.size(); ++i) {
        Measure m = load_measure(ms.at(i));
        if (cat.find(m.key))
            ms.at(i).at("key").fail(fmt::format("measure '{}' is listed twice", m.key));
        cat.measures.push_back(std::move(m));
    }
    return cat;
}

MeasureChoice parse_measure_choice(const std::string& text, const std::string& origin) {
    MeasureChoice c;
    const auto eq = text.find('=');
    c.key = text.substr(0, eq);
    if (eq != std::string::npos) {
        const std::string v = text.substr(eq + 1);
        char* end = nullptr;
        const double x = std::strtod(v.c_str(), &end);
        if (v.empty() || end != v.c_str() + v.size() || !std::isfinite(x))
            throw InputError(origin, 0, c.key, fmt::format("'{}' is not a number", v));
        c.value = x;
    }
    return c;
}

Json what_if_scenario(const MeasureCatalogue& cat, const std::vector<MeasureChoice>& choices,
                      const std::filesystem::path& baseline, const std::filesystem::path& out_dir,
                      const std::string& origin) {
    Json policies = Json::array();
    std::set<std::string> seen;
    std::string name = "what-if", description;
    for (const auto& c : choices) {
        const Measure* m = cat.find(c.key);
        if (!m) {
            std::string keys;
            for (const auto& x : cat.measures) keys += (keys.empty() ? "" : ", ") + x.key;
            throw InputError(
                origin, 0, c.key,
                fmt::format("no such measure in {} (known: {})", cat.file.string(), keys));
        }
        if (!seen.insert(c.key).second) throw InputError(origin, 0, c.key, "measure chosen twice");
        if (!m->slider && c.value) throw InputError(origin, 0, c.key, "a toggle takes no value");
        if (m->slider && !c.value)
            throw InputError(
                origin, 0, c.key,
                fmt::format("a slider needs a value: {}=<{}..{}>", c.key, m->min, m->max));
        if (m->slider && (*c.value < m->min - 1e-9 || *c.value > m->max + 1e-9))
            throw InputError(origin, 0, c.key,
                             fmt::format("value {} is outside [{}, {}]", *c.value, m->min, m->max));
        name += "+" + c.key + (c.value ? fmt::format("={}", *c.value) : "");
        description += (description.empty() ? "" : ", ") + m->label_ko + " " + m->label_en +
                       (c.value ? fmt::format(" {}{}", *c.value, m->unit) : "");
        if (m->slider && std::abs(*c.value - m->off) < 1e-12)
            continue;  // at its "no measure" value
        for (Json p : m->policies) {
            if (c.value) substitute(p, *c.value);
            policies.push_back(std::move(p));
        }
    }
    // Relative when both sit under the working directory (a what-if folder inside the project
    // stays valid when the project moves), absolute otherwise.
    const auto cwd = std::filesystem::current_path();
    const auto base = std::filesystem::absolute(baseline).lexically_normal();
    const auto out = std::filesystem::absolute(out_dir).lexically_normal();
    const auto under_cwd = [&](const std::filesystem::path& p) {
        const auto r = p.lexically_relative(cwd);
        return !r.empty() && *r.begin() != "..";
    };
    const bool relative = under_cwd(base) && under_cwd(out);
    Json j;
    j["extends"] = (relative ? base.lexically_relative(out) : base).generic_string();
    j["name"] = name;
    j["description"] =
        description.empty() ? std::string("what-if: baseline") : "what-if: " + description;
    j["policies"] = policies;
    return j;
}

}  // namespace modeshift
