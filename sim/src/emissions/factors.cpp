#include "modeshift/emissions/factors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "modeshift/core/error.hpp"
#include "modeshift/core/hash.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/input_file.hpp"

namespace modeshift {

// ---------------------------------------------------------------- formula parser

namespace {

/// Recursive-descent parser emitting a postfix program.
class FormulaParser {
  public:
    explicit FormulaParser(std::string_view s) : s_(s) {}

    std::vector<SpeedFormula::Op> run() {
        skip_space();
        if (pos_ == s_.size()) return {};
        expr();
        skip_space();
        if (pos_ != s_.size()) fail("unexpected character");
        return std::move(out_);
    }

  private:
    using Op = SpeedFormula::Op;

    void expr() {
        term();
        for (;;) {
            skip_space();
            if (accept('+')) {
                term();
                emit(Op::Add);
            } else if (accept('-')) {
                term();
                emit(Op::Sub);
            } else
                return;
        }
    }
    void term() {
        unary();
        for (;;) {
            skip_space();
            if (accept('*')) {
                unary();
                emit(Op::Mul);
            } else if (accept('/')) {
                unary();
                emit(Op::Div);
            }
            // Implicit product as printed in the source ("1065.1722x^(-0.5889)").
            else if (pos_ < s_.size() && (s_[pos_] == 'x' || s_[pos_] == '(')) {
                unary();
                emit(Op::Mul);
            } else
                return;
        }
    }
    void unary() {
        skip_space();
        if (accept('-')) {
            unary();
            emit(Op::Neg);
            return;
        }
        if (accept('+')) {
            unary();
            return;
        }
        power();
    }
    void power() {
        primary();
        skip_space();
        if (accept('^')) {
            unary();
            emit(Op::Pow);
        }
    }
    void primary() {
        skip_space();
        if (pos_ >= s_.size()) fail("unexpected end");
        char c = s_[pos_];
        if (c == 'x' || c == 'X') {
            ++pos_;
            emit(Op::X);
            return;
        }
        if (c == '(') {
            ++pos_;
            expr();
            skip_space();
            if (!accept(')')) fail("missing ')'");
            return;
        }
        std::size_t start = pos_;
        while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.'))
            ++pos_;
        // Exponent of a number literal (1e-3) is not used by the source tables; keep the grammar
        // small.
        if (start == pos_) fail("expected a number, x or '('");
        auto v = parse_double(s_.substr(start, pos_ - start));
        if (!v) fail("bad number");
        out_.push_back({Op::Number, *v});
    }

    void emit(Op::Kind k) { out_.push_back({k, 0.0}); }
    bool accept(char c) {
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
    }
    [[noreturn]] void fail(const char* what) const {
        throw std::invalid_argument(
            fmt::format("{} at position {} in formula '{}'", what, pos_ + 1, s_));
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::vector<Op> out_;
};

}  // namespace

SpeedFormula SpeedFormula::parse(std::string_view text) {
    SpeedFormula f;
    f.text_ = std::string(text);
    f.program_ = FormulaParser(text).run();
    return f;
}

double SpeedFormula::eval(double x) const {
    if (program_.empty()) return 0.0;
    // The source formulas are short (< 16 ops deep); a small fixed stack avoids allocation per
    // call.
    double stack[32];
    int top = 0;
    for (const Op& op : program_) {
        switch (op.kind) {
            case Op::Number:
                stack[top++] = op.value;
                break;
            case Op::X:
                stack[top++] = x;
                break;
            case Op::Neg:
                stack[top - 1] = -stack[top - 1];
                break;
            default: {
                double b = stack[--top];
                double& a = stack[top - 1];
                if (op.kind == Op::Add)
                    a += b;
                else if (op.kind == Op::Sub)
                    a -= b;
                else if (op.kind == Op::Mul)
                    a *= b;
                else if (op.kind == Op::Div)
                    a /= b;
                else
                    a = std::pow(a, b);
            }
        }
        MS_ASSERT(top > 0 && top < 32, "formula stack out of range");
    }
    return stack[0];
}

std::string_view emission_method_name(EmissionMethod m) {
    // In enum order (the enum's values are those of the factor files).
    constexpr std::string_view kNames[] = {"korea_speed", "copert", "grid", "hydrogen", "none"};
    const auto i = static_cast<std::size_t>(m);
    return i < std::size(kNames) ? kNames[i] : "?";
}

double CopertCoefficients::fuel_g_per_km(double v_kmh) const {
    double v = std::clamp(v_kmh, vmin_kmh, vmax_kmh);
    double num = alpha * v * v + beta * v + gamma + delta / v;
    double den = epsilon * v * v + zeta * v + eta;
    return std::max(0.0, num / den * (1.0 - reduction));
}

// ---------------------------------------------------------------- loading

namespace {

std::optional<EmissionMethod> parse_method(std::string_view s) {
    for (auto m : {EmissionMethod::KoreaSpeed, EmissionMethod::Copert, EmissionMethod::Grid,
                   EmissionMethod::Hydrogen, EmissionMethod::None})
        if (emission_method_name(m) == s) return m;
    return std::nullopt;
}

SpeedFormula parse_formula_cell(const CsvReader& r, std::string_view column) {
    auto cell = r.get_opt(column);
    if (!cell) return {};
    try {
        return SpeedFormula::parse(*cell);
    } catch (const std::invalid_argument& e) {
        r.fail(column, e.what());
    }
}

/// The source rounds its check values to 0.1 g/km.
void check_tabulated(const CsvReader& r, const SpeedFormula& f, std::string_view column, double x) {
    auto expected = r.get_double_opt(column);
    if (!expected) return;
    double got = f.eval(x);
    if (std::abs(got - *expected) > 0.051 + 1e-4 * std::abs(*expected))
        r.fail(column, fmt::format("formula gives {:.2f} g/km at {} km/h but the table says {}",
                                   got, x, *expected));
}

std::vector<SpeedFunction> load_speed_functions(const std::filesystem::path& path) {
    CsvReader r(path);
    std::vector<SpeedFunction> out;
    while (r.next()) {
        SpeedFunction f;
        f.vehicle_type = r.get("vehicle_type");
        f.size = r.get("size");
        f.fuel = r.get("fuel");
        const std::string& road = r.get("road");
        if (road == "urban")
            f.road = RoadForm::Urban;
        else if (road == "highway")
            f.road = RoadForm::Highway;
        else
            r.fail("road", "expected 'urban' or 'highway', got '" + road + "'");
        f.co2 = parse_formula_cell(r, "co2_g_per_km_formula");
        if (f.co2.empty()) r.fail("co2_g_per_km_formula", "empty CO2 formula");
        f.ch4 = parse_formula_cell(r, "ch4_g_per_km_formula");
        f.n2o = parse_formula_cell(r, "n2o_g_per_km_formula");
        f.min_speed_kmh = r.get_double("min_speed_kmh");
        f.max_speed_kmh = r.get_double("max_speed_kmh");
        if (!(f.min_speed_kmh > 0 && f.max_speed_kmh > f.min_speed_kmh))
            r.fail("max_speed_kmh", "need 0 < min_speed_kmh < max_speed_kmh");
        check_tabulated(r, f.co2, "co2_at_20kmh", 20.0);
        check_tabulated(r, f.co2, "co2_at_40kmh", 40.0);
        f.source = r.get_nonempty("source", "every factor needs a source");
        f.note = r.get_opt("note").value_or("");
        for (const auto& g : out)
            if (g.vehicle_type == f.vehicle_type && g.size == f.size && g.fuel == f.fuel &&
                g.road == f.road)
                r.fail("road",
                       "duplicate function for " + f.vehicle_type + "/" + f.size + "/" + f.fuel);
        out.push_back(std::move(f));
    }
    return out;
}

struct EnergyRow {
    std::string key;
    double value = 0;
    std::string unit, source;
};

std::vector<EnergyRow> load_energy(const std::filesystem::path& path) {
    CsvReader r(path);
    std::vector<EnergyRow> out;
    // Braced initialisation evaluates left to right: the columns are checked in the order written.
    while (r.next())
        out.push_back({r.get("key"), r.get_double("value"), r.get("unit"),
                       r.get_nonempty("source_url_or_repo", "every factor needs a source")});
    return out;
}

const EnergyRow& energy_row(const std::vector<EnergyRow>& rows, const std::string& key,
                            const std::filesystem::path& path) {
    for (const auto& e : rows)
        if (e.key == key) return e;
    throw InputError(path.string(), 0, "key", "no row with key '" + key + "'");
}

double optional_positive(const CsvReader& r, std::string_view column, bool required) {
    auto v = r.get_double_opt(column);
    if (!v) {
        if (required) r.fail(column, "required for this method");
        return 0.0;
    }
    if (*v < 0 || (required && *v == 0)) r.fail(column, "must be positive");
    return *v;
}

}  // namespace

EmissionFactorTable EmissionFactorTable::load(const std::filesystem::path& data_dir,
                                              const EmissionOptions& options) {
    return load_files(data_dir / kSpeedFile, data_dir / kEnergyFile, data_dir / kClassFile,
                      options);
}

EmissionFactorTable EmissionFactorTable::load_files(const std::filesystem::path& speed_csv,
                                                    const std::filesystem::path& energy_csv,
                                                    const std::filesystem::path& class_csv,
                                                    const EmissionOptions& options) {
    EmissionFactorTable t;
    t.functions_ = load_speed_functions(speed_csv);

    auto energy = load_energy(energy_csv);
    const auto& grid = energy_row(energy, options.grid_key, energy_csv);
    if (grid.unit != "tCO2eq/MWh")
        throw InputError(energy_csv.string(), 0, "unit",
                         "grid factor '" + grid.key + "' must be in tCO2eq/MWh");
    t.grid_kg_per_kwh_ = options.grid_t_per_mwh.value_or(grid.value);  // t/MWh == kg/kWh
    t.grid_source_ = !options.grid_t_per_mwh       ? grid.source
                     : options.grid_source.empty() ? "configured value"
                                                   : options.grid_source;
    const auto& h2 = energy_row(energy, options.hydrogen_key, energy_csv);
    t.h2_kg_co2_per_kg_ = options.hydrogen_kg_co2_per_kg.value_or(h2.value);
    t.h2_source_ = !options.hydrogen_kg_co2_per_kg   ? h2.source
                   : options.hydrogen_source.empty() ? "configured value"
                                                     : options.hydrogen_source;
    t.gwp_ch4_ = energy_row(energy, "gwp_ch4", energy_csv).value;
    t.gwp_n2o_ = energy_row(energy, "gwp_n2o", energy_csv).value;
    if (!(t.grid_kg_per_kwh_ >= 0 && t.h2_kg_co2_per_kg_ >= 0))
        throw InputError(energy_csv.string(), 0, "value", "grid and hydrogen factors must be >= 0");

    CsvReader r(class_csv);
    while (r.next()) {
        EmissionClass c;
        c.name = r.get_nonempty("emission_class", "empty class name");
        if (t.find(c.name)) r.fail("emission_class", "duplicate class '" + c.name + "'");
        auto mode = parse_mode(r.get("mode"));
        if (!mode) r.fail("mode", "unknown mode '" + r.get("mode") + "'");
        c.mode = *mode;
        auto method = parse_method(r.get("method"));
        if (!method) r.fail("method", "expected korea_speed, copert, grid, hydrogen or none");
        c.method = *method;
        c.source = r.get_nonempty("source", "every factor needs a source");
        c.note = r.get_opt("note").value_or("");
        c.nox_g_per_km = r.get_double_opt("nox_g_per_km");
        c.pm_g_per_km = r.get_double_opt("pm_g_per_km");
        switch (c.method) {
            case EmissionMethod::KoreaSpeed: {
                auto find_index = [&](RoadForm road) {
                    const SpeedFunction* f =
                        t.find_function(r.get("vehicle_type"), r.get("size"), r.get("fuel"), road);
                    return f ? static_cast<int>(f - t.functions_.data()) : -1;
                };
                c.urban_function = find_index(RoadForm::Urban);
                c.highway_function = find_index(RoadForm::Highway);
                if (c.urban_function < 0)
                    r.fail("vehicle_type", "no urban speed function for " + r.get("vehicle_type") +
                                               "/" + r.get("size") + "/" + r.get("fuel") + " in " +
                                               speed_csv.string());
                break;
            }
            case EmissionMethod::Copert: {
                auto& k = c.copert;
                k.alpha = r.get_double("copert_alpha");
                k.beta = r.get_double("copert_beta");
                k.gamma = r.get_double("copert_gamma");
                k.delta = r.get_double("copert_delta");
                k.epsilon = r.get_double("copert_epsilon");
                k.zeta = r.get_double("copert_zeta");
                k.eta = r.get_double("copert_eta");
                k.reduction = r.get_double_opt("copert_rf").value_or(0.0);
                k.vmin_kmh = r.get_double("copert_vmin_kmh");
                k.vmax_kmh = r.get_double("copert_vmax_kmh");
                k.co2_g_per_g_fc = r.get_double("copert_co2_g_per_g_fc");
                if (!(k.vmin_kmh > 0 && k.vmax_kmh > k.vmin_kmh))
                    r.fail("copert_vmax_kmh", "need 0 < vmin < vmax");
                break;
            }
            case EmissionMethod::Grid:
                c.kwh_per_km = optional_positive(r, "kwh_per_km", true);
                break;
            case EmissionMethod::Hydrogen:
                c.h2_kg_per_km = optional_positive(r, "h2_kg_per_km", true);
                break;
            case EmissionMethod::None:
                break;
        }
        t.classes_.push_back(std::move(c));
    }

    Hasher h;
    for (const auto& p : {speed_csv, energy_csv, class_csv})
        h.add_string(read_input_file(p, kTextInput));
    h.add(t.grid_kg_per_kwh_);
    h.add(t.h2_kg_co2_per_kg_);
    t.hash_ = hex64(h.value());
    return t;
}

const EmissionClass* EmissionFactorTable::find(std::string_view emission_class) const {
    for (const auto& c : classes_)
        if (c.name == emission_class) return &c;
    return nullptr;
}

const SpeedFunction* EmissionFactorTable::find_function(std::string_view vehicle_type,
                                                        std::string_view size,
                                                        std::string_view fuel,
                                                        RoadForm road) const {
    for (const auto& f : functions_)
        if (f.vehicle_type == vehicle_type && f.size == size && f.fuel == fuel && f.road == road)
            return &f;
    return nullptr;
}

EmissionRate EmissionFactorTable::rate(const EmissionClass& c, double speed_kmh,
                                       RoadForm road) const {
    EmissionRate e;
    switch (c.method) {
        case EmissionMethod::KoreaSpeed: {
            int idx = (road == RoadForm::Highway && c.highway_function >= 0) ? c.highway_function
                                                                             : c.urban_function;
            const SpeedFunction& f = functions_[static_cast<std::size_t>(idx)];
            double v = std::clamp(speed_kmh, f.min_speed_kmh, f.max_speed_kmh);
            // CH4/N2O fits have negative constants; a negative emission is not physical.
            e.co2_tailpipe = std::max(0.0, f.co2.eval(v));
            double ch4 = std::max(0.0, f.ch4.eval(v));
            double n2o = std::max(0.0, f.n2o.eval(v));
            e.co2e = e.co2_tailpipe + ch4 * gwp_ch4_ + n2o * gwp_n2o_;
            break;
        }
        case EmissionMethod::Copert:
            e.co2_tailpipe = c.copert.fuel_g_per_km(speed_kmh) * c.copert.co2_g_per_g_fc;
            e.co2e = e.co2_tailpipe;
            break;
        case EmissionMethod::Grid:
            e.co2_grid = c.kwh_per_km * grid_kg_per_kwh_ * 1000.0;
            e.co2e = e.co2_grid;
            break;
        case EmissionMethod::Hydrogen:
            e.co2_hydrogen = c.h2_kg_per_km * h2_kg_co2_per_kg_ * 1000.0;
            e.co2e = e.co2_hydrogen;
            break;
        case EmissionMethod::None:
            break;
    }
    e.nox = c.nox_g_per_km.value_or(0.0);
    e.pm = c.pm_g_per_km.value_or(0.0);
    return e;
}

std::vector<std::string> EmissionFactorTable::provenance() const {
    std::vector<std::string> out;
    out.push_back(fmt::format("grid: {} kgCO2/kWh ({})", grid_kg_per_kwh_, grid_source_));
    out.push_back(fmt::format("hydrogen: {} kgCO2e/kgH2 ({})", h2_kg_co2_per_kg_, h2_source_));
    for (const auto& c : classes_) {
        std::string factor;
        switch (c.method) {
            case EmissionMethod::KoreaSpeed: {
                const auto& f = functions_[static_cast<std::size_t>(c.urban_function)];
                factor = fmt::format("CO2 = {} (urban)", f.co2.text());
                if (c.highway_function >= 0)
                    factor += fmt::format(
                        ", {} (highway)",
                        functions_[static_cast<std::size_t>(c.highway_function)].co2.text());
                break;
            }
            case EmissionMethod::Copert:
                factor = "COPERT fuel-consumption form";
                break;
            case EmissionMethod::Grid:
                factor = fmt::format("{} kWh/km", c.kwh_per_km);
                break;
            case EmissionMethod::Hydrogen:
                factor = fmt::format("{} kg H2/km", c.h2_kg_per_km);
                break;
            case EmissionMethod::None:
                factor = "zero";
                break;
        }
        out.push_back(fmt::format("{}: {} {}; source: {}", c.name, emission_method_name(c.method),
                                  factor, c.source));
    }
    return out;
}

}  // namespace modeshift
