#pragma once
/// The measures a what-if can switch on (scenarios/measures.json): toggles and sliders with
/// Korean/English labels, each expanding to the policy objects of the bundled packages. A what-if
/// is a scenario file that extends the baseline with the chosen measures, so every what-if seen
/// at a meeting can be re-run from the command line with the same event hash.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "modeshift/io/json_util.hpp"

namespace modeshift {

struct Measure {
    std::string key;  ///< e.g. "tram_line2", "bus_frequency"
    std::string label_ko, label_en;
    bool slider = false;  ///< false: a toggle
    double min = 0, max = 1, step = 1, off = 0,
           preset = 0;  ///< sliders: range, the "no measure" value, the package's value
    std::string unit;   ///< sliders: "×", "KRW", "%"
    /// Policy objects; in a slider's, the string "$value" stands for the chosen value (and
    /// "$fraction" for value / 100, for percentage sliders).
    Json policies = Json::array();
};

struct MeasureCatalogue {
    std::vector<Measure> measures;
    std::filesystem::path file;
    const Measure* find(const std::string& key) const;
};

/// Loads and checks the catalogue: keys unique, slider ranges sane, policies an array of objects
/// with a "kind". InputError names the file and JSON path.
MeasureCatalogue load_measures(const std::filesystem::path& file);

/// One choice: a toggle switched on, or a slider at a value.
struct MeasureChoice {
    std::string key;
    std::optional<double> value;
};

/// Parses "key" or "key=value" (the CLI's --set). InputError names `origin` and the argument.
MeasureChoice parse_measure_choice(const std::string& text, const std::string& origin);

/// The scenario JSON of a what-if: {"extends": <baseline, relative to out_dir>, "name",
/// "description", "policies": [...]} with every chosen measure's policies (a slider at its "off"
/// value adds none). InputError (naming `origin`) for an unknown key, a value on a toggle, a
/// missing or out-of-range slider value, or a measure chosen twice.
Json what_if_scenario(const MeasureCatalogue& cat, const std::vector<MeasureChoice>& choices,
                      const std::filesystem::path& baseline, const std::filesystem::path& out_dir,
                      const std::string& origin);

}  // namespace modeshift
