#pragma once
/// Emission factors: speed-dependent Korean national (GIR/NIER) CO2/CH4/N2O functions, a COPERT
/// (EMEP/EEA Tier 3) form as a fallback, grid electricity and hydrogen pathways for electric and
/// fuel-cell vehicles. Every factor is loaded from a data file and keeps its `source` text.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modeshift/core/mode.hpp"

namespace modeshift {

/// A formula in x (average speed, km/h) as printed in the source table, e.g.
/// "1065.1722*x^(-0.5889)" or "0.0225*x^2-3.3075*x+212.8460". Supports + - * / ^, unary minus,
/// parentheses, numbers and x.
class SpeedFormula {
  public:
    SpeedFormula() = default;
    /// Parses `text`; throws std::invalid_argument with the offending position on bad text.
    static SpeedFormula parse(std::string_view text);

    /// Value at x; 0 for an empty formula.
    double eval(double x) const;
    bool empty() const { return program_.empty(); }
    const std::string& text() const { return text_; }

    /// One step of the postfix program (public for the parser's helpers).
    struct Op {
        enum Kind : std::uint8_t { Number, X, Add, Sub, Mul, Div, Pow, Neg } kind = Number;
        double value = 0;
    };

  private:
    std::string text_;
    std::vector<Op> program_;
};

/// Which form of a Korean speed function applies: motorway-class links use the highway form.
enum class RoadForm : std::uint8_t { Urban = 0, Highway = 1 };

/// One row of the Korean speed-function table.
struct SpeedFunction {
    std::string vehicle_type, size, fuel;  ///< e.g. passenger / medium / gasoline
    RoadForm road = RoadForm::Urban;
    SpeedFormula co2, ch4, n2o;  ///< g/km at x km/h
    double min_speed_kmh = 5;    ///< speeds are clamped to [min, max] before evaluation
    double max_speed_kmh = 100;
    std::string source, note;
};

/// How a class turns distance (and speed) into emissions.
enum class EmissionMethod : std::uint8_t {
    KoreaSpeed = 0,  ///< Korean speed function (urban / highway form)
    Copert = 1,      ///< EMEP/EEA Tier 3 fuel-consumption form x CO2 per g fuel
    Grid = 2,        ///< kWh per vehicle-km x grid factor (no tailpipe CO2)
    Hydrogen = 3,    ///< kg H2 per vehicle-km x CO2 per kg H2 of the production pathway
    None = 4,        ///< human powered (walk, bike): zero operating emissions
};
std::string_view emission_method_name(EmissionMethod m);

/// COPERT hot-emission form: EF = (a V^2 + b V + g + d/V) / (e V^2 + z V + h) * (1 - RF),
/// here for fuel consumption (g/km), converted to CO2 with co2_g_per_g_fc.
struct CopertCoefficients {
    double alpha = 0, beta = 0, gamma = 0, delta = 0, epsilon = 0, zeta = 0, eta = 1;
    double reduction = 0;  ///< RF as a fraction
    double vmin_kmh = 10, vmax_kmh = 100;
    double co2_g_per_g_fc = 3.169;  ///< overwritten from the data file
    double fuel_g_per_km(double v_kmh) const;
};

/// One vehicle emission class (the `emission_class` string of a VehicleType).
struct EmissionClass {
    std::string name;
    Mode mode = Mode::Car;
    EmissionMethod method = EmissionMethod::None;
    int urban_function = -1;    ///< index into the table's functions (KoreaSpeed)
    int highway_function = -1;  ///< -1: no highway form -> the urban form is used
    CopertCoefficients copert;
    double kwh_per_km = 0;               ///< Grid
    double h2_kg_per_km = 0;             ///< Hydrogen
    std::optional<double> nox_g_per_km;  ///< only where a sourced factor exists
    std::optional<double> pm_g_per_km;
    std::string source, note;
};

/// Emission rates of one vehicle at one speed, grams per vehicle-km.
struct EmissionRate {
    double co2_tailpipe = 0;  ///< fuel burnt in the vehicle
    double co2_grid = 0;      ///< electricity generation
    double co2_hydrogen = 0;  ///< hydrogen production
    double co2e = 0;          ///< CO2 + GWP-weighted CH4 and N2O (tailpipe) + grid + hydrogen
    double nox = 0;
    double pm = 0;
    double co2_total() const { return co2_tailpipe + co2_grid + co2_hydrogen; }
};

/// Which energy factors to use (keys of emission_factors_energy.csv) and optional overrides.
struct EmissionOptions {
    std::string grid_key = "grid_2023";    ///< 0.4173 tCO2/MWh, Korea 2023
    std::optional<double> grid_t_per_mwh;  ///< overrides the keyed value
    std::string grid_source;               ///< where the override comes from
    std::string hydrogen_key = "h2_smr_direct";
    std::optional<double> hydrogen_kg_co2_per_kg;
    std::string hydrogen_source;
};

/// The loaded factor table.
class EmissionFactorTable {
  public:
    /// File names inside a data directory (scenarios/data).
    static constexpr const char* kSpeedFile = "emission_factors_korea_speed.csv";
    static constexpr const char* kEnergyFile = "emission_factors_energy.csv";
    static constexpr const char* kClassFile = "emission_classes.csv";

    /// Loads the three files from `data_dir`. Throws InputError naming file, line and column.
    static EmissionFactorTable load(const std::filesystem::path& data_dir,
                                    const EmissionOptions& options = {});
    /// Loads from explicit files (tests, alternative data sets).
    static EmissionFactorTable load_files(const std::filesystem::path& speed_csv,
                                          const std::filesystem::path& energy_csv,
                                          const std::filesystem::path& class_csv,
                                          const EmissionOptions& options = {});

    /// The class of that name, or nullptr.
    const EmissionClass* find(std::string_view emission_class) const;
    const std::vector<EmissionClass>& classes() const { return classes_; }
    const std::vector<SpeedFunction>& functions() const { return functions_; }
    /// Rate of a class at an average speed on a road form. Speeds are clamped to the function's
    /// range.
    EmissionRate rate(const EmissionClass& c, double speed_kmh, RoadForm road) const;
    /// The Korean function row matching the key, or nullptr.
    const SpeedFunction* find_function(std::string_view vehicle_type, std::string_view size,
                                       std::string_view fuel, RoadForm road) const;

    double grid_kg_per_kwh() const { return grid_kg_per_kwh_; }
    double hydrogen_kg_co2_per_kg() const { return h2_kg_co2_per_kg_; }
    const std::string& grid_source() const { return grid_source_; }
    const std::string& hydrogen_source() const { return h2_source_; }
    /// Hash of the three files' bytes and the options (for provenance).
    const std::string& content_hash() const { return hash_; }
    /// One line per class: "name: method, factor, source" (for reports and summary provenance).
    std::vector<std::string> provenance() const;

  private:
    std::vector<SpeedFunction> functions_;
    std::vector<EmissionClass> classes_;
    double grid_kg_per_kwh_ = 0;
    double h2_kg_co2_per_kg_ = 0;
    double gwp_ch4_ = 0, gwp_n2o_ = 0;
    std::string grid_source_, h2_source_, hash_;
};

}  // namespace modeshift
