// The run folder's tables: links.geojson and the CSV tables of outputs.hpp, written from the
// emission counters, and the readers compare uses. Columns come from tables.hpp.
#include <fmt/format.h>

#include <cmath>
#include <span>

#include "modeshift/core/error.hpp"
#include "modeshift/io/atomic_file.hpp"
#include "modeshift/io/csv.hpp"
#include "modeshift/io/json_util.hpp"
#include "modeshift/network/network.hpp"
#include "modeshift/report/outputs.hpp"
#include "modeshift/report/tables.hpp"

namespace modeshift {

std::string HourlyByModeTable::co2_kg(Mode m) const {
    return "co2_kg_" + std::string(mode_name(m));
}
std::string HourlyByModeTable::vkt_km(Mode m) const {
    return "vkt_km_" + std::string(mode_name(m));
}

std::vector<std::string> HourlyByModeTable::columns() const {
    std::vector<std::string> c = {std::string(hour)};
    for (Mode m : kAllModes) c.push_back(co2_kg(m));
    c.emplace_back(co2_kg_total);
    for (Mode m : kAllModes) c.push_back(vkt_km(m));
    return c;
}

std::string Co2ByMinuteTable::cumulative(std::string_view series) const {
    return std::string(series) + "_cumulative";
}

namespace {

/// Round for output: the tables are for people; summary.json keeps full precision.
std::string num(double v, int decimals = 3) {
    if (v == 0) return "0";
    return fmt::format("{:.{}f}", v, decimals);
}

double link_speed(const EmissionResults& r, std::size_t l) {
    return r.link_time_h[l] > 0 ? r.link_vkt_km[l] / r.link_time_h[l] : 0.0;
}

std::string zone_code(const EmissionResults& r, const Network& net, std::size_t l) {
    if (l >= r.link_zone.size() || !r.link_zone[l].valid()) return "";
    return net.zone(r.link_zone[l]).code;
}

std::string json_escape(std::string_view s) {
    return Json(std::string(s)).dump();
}

}  // namespace

void write_links_geojson(const std::filesystem::path& path, const EmissionResults& r,
                         const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << "{\"type\":\"FeatureCollection\",\"name\":" << json_escape(net.name() + " links")
          << ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC:1.3:"
             "CRS84\"}},\"features\":[\n";
        const auto& L = net.data().links;
        for (std::size_t l = 0; l < net.link_count(); ++l) {
            LinkId id = LinkId::from_index(l);
            double co2_kg = l < r.link_co2_g.size() ? r.link_co2_g[l] / 1000.0 : 0.0;
            double veh = l < r.link_vehicles.size() ? r.link_vehicles[l] : 0.0;
            o << (l ? ",\n" : "") << "{\"type\":\"Feature\",\"properties\":{\"link_id\":" << l
              << ",\"external_id\":" << json_escape(L.external_id[l])
              << ",\"road_name\":" << json_escape(net.link_name(id))
              << ",\"road_class\":" << json_escape(road_class_name(L.road_class[l]))
              << ",\"zone\":" << json_escape(zone_code(r, net, l))
              << ",\"length_m\":" << num(L.length_m[l], 1) << ",\"vehicles\":" << num(veh, 2)
              << ",\"vkt_km\":" << num(l < r.link_vkt_km.size() ? r.link_vkt_km[l] : 0.0)
              << ",\"mean_speed_kmh\":" << num(l < r.link_time_h.size() ? link_speed(r, l) : 0.0, 2)
              << ",\"co2_kg\":" << num(co2_kg, 4) << ",\"co2_kg_per_km\":"
              << num(L.length_m[l] > 0 ? co2_kg / (L.length_m[l] / 1000.0) : 0.0, 4)
              << ",\"lanes\":" << num(L.lanes[l], 1) << ",\"lanes_source\":\""
              << lanes_source_name(L.lanes_source[l])
              << "\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[";
            auto g = net.link_geometry(id);
            for (std::size_t i = 0; i < g.size(); ++i)
                o << (i ? "," : "") << fmt::format("[{:.6f},{:.6f}]", g[i].lon, g[i].lat);
            o << "]}}";
        }
        o << "\n]}\n";
    });
}

std::uint64_t write_links_csv(const std::filesystem::path& path, const EmissionResults& r,
                              const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << csv_header(kLinksTable.columns());
        const auto& L = net.data().links;
        for (std::size_t l = 0; l < net.link_count(); ++l) {
            bool has = l < r.link_co2_g.size();
            o << l << ',' << csv_field(L.external_id[l]) << ','
              << csv_field(net.link_name(LinkId::from_index(l))) << ','
              << road_class_name(L.road_class[l]) << ',' << csv_field(zone_code(r, net, l)) << ','
              << num(L.length_m[l], 1) << ',' << num(has ? r.link_vehicles[l] : 0, 2) << ','
              << num(has ? r.link_vkt_km[l] : 0) << ',' << num(has ? link_speed(r, l) : 0, 2) << ','
              << num(has ? r.link_co2_g[l] / 1000.0 : 0, 4) << ',' << num(L.lanes[l], 1) << ','
              << lanes_source_name(L.lanes_source[l]) << '\n';
        }
    });
    return net.link_count();
}

std::uint64_t write_link_hourly_csv(const std::filesystem::path& path, const EmissionResults& r,
                                    const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << csv_header(kLinkHourlyTable.columns());
        for (const auto& c : r.link_hours)
            o << c.link.value() << ',' << csv_field(net.data().links.external_id[c.link.index()])
              << ',' << csv_field(net.link_name(c.link)) << ',' << c.hour << ','
              << num(c.vehicles, 2) << ',' << num(c.mean_speed_kmh(), 2) << ','
              << num(c.co2_g / 1000.0, 4) << ',' << num(c.vkt_km) << '\n';
    });
    return r.link_hours.size();
}

std::uint64_t write_hourly_by_mode_csv(const std::filesystem::path& path,
                                       const EmissionResults& r) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << csv_header(kHourlyByModeTable.columns());
        for (std::size_t h = 0; h < r.hour_co2_g.size(); ++h) {
            o << h;
            double total = 0;
            for (Mode m : kAllModes) {
                double g = r.hour_co2_g[h][mode_index(m)];
                total += g;
                o << ',' << num(g / 1000.0, 4);
            }
            o << ',' << num(total / 1000.0, 4);
            for (Mode m : kAllModes) o << ',' << num(r.hour_vkt_km[h][mode_index(m)]);
            o << '\n';
        }
    });
    return r.hour_co2_g.size();
}

std::uint64_t write_by_dong_csv(const std::filesystem::path& path, const EmissionResults& r,
                                const Network& net) {
    write_file_atomic(path, [&](std::ostream& o) {
        o << csv_header(kByDongTable.columns());
        for (std::size_t z = 0; z < net.zone_count(); ++z) {
            const Zone& zn = net.zone(ZoneId::from_index(z));
            double co2 = z < r.zone_co2_g.size() ? r.zone_co2_g[z] / 1000.0 : 0.0;
            o << csv_field(zn.code) << ',' << csv_field(zn.name) << ',' << csv_field(zn.name_en)
              << ',' << csv_field(zn.district) << ',' << (zn.study_area ? 1 : 0) << ','
              << num(zn.population, 0) << ',' << num(co2, 3) << ','
              << num(z < r.zone_vkt_km.size() ? r.zone_vkt_km[z] : 0) << ','
              << num(z < r.zone_trips_from.size() ? r.zone_trips_from[z] : 0, 1) << ','
              << num(z < r.zone_trips_to.size() ? r.zone_trips_to[z] : 0, 1) << ','
              << num(zn.population > 0 ? co2 / zn.population : 0, 5) << ',' << num(zn.area_km2, 3)
              << ',' << num(zn.area_km2 > 0 ? co2 / 1000.0 / zn.area_km2 : 0, 4) << '\n';
        }
    });
    return net.zone_count();
}

std::uint64_t write_co2_by_minute_csv(const std::filesystem::path& path, const EmissionResults& r) {
    write_file_atomic(path, [&](std::ostream& o) {
        const auto& t = kCo2ByMinuteTable;
        std::vector<std::string> columns = {std::string(t.minute), std::string(t.clock)};
        for (const auto& n : r.minute_series_names()) columns.push_back(t.cumulative(n));
        o << csv_header(columns);
        for (std::size_t i = 0; i < r.minute_cum_co2_g.size(); ++i) {
            o << i << ',' << fmt::format("{:02}:{:02}", i / 60, i % 60);
            double total = 0;
            for (double g : r.minute_cum_co2_g[i]) {
                total += g;
                o << ',' << num(g / 1000.0, 3);
            }
            o << ',' << num(total / 1000.0, 3) << '\n';
        }
    });
    return r.minute_cum_co2_g.size();
}

void write_run_outputs(const std::filesystem::path& dir, const RunSummary& summary,
                       const EmissionResults& r, const Network& net) {
    std::filesystem::create_directories(dir);
    // Tables first, summary.json last: a run directory with a valid summary is complete (sweep
    // resume). The summary records each table's rows: a table cut at a line end parses, and only
    // its count tells (compare refuses it).
    RunSummary s = summary;
    write_links_geojson(dir / "links.geojson", r, net);
    auto& rows = s.table_rows;
    rows[std::string(kLinksTable.file)] = write_links_csv(dir / kLinksTable.file, r, net);
    rows[std::string(kLinkHourlyTable.file)] =
        write_link_hourly_csv(dir / kLinkHourlyTable.file, r, net);
    rows[std::string(kHourlyByModeTable.file)] =
        write_hourly_by_mode_csv(dir / kHourlyByModeTable.file, r);
    rows[std::string(kByDongTable.file)] = write_by_dong_csv(dir / kByDongTable.file, r, net);
    rows[std::string(kCo2ByMinuteTable.file)] =
        write_co2_by_minute_csv(dir / kCo2ByMinuteTable.file, r);
    write_summary_json(dir / kSummaryFile, s);
}

// ---------------------------------------------------------------- readers

namespace {

/// A column read into a row member.
template <class Row, class T>
struct Into {
    std::string_view column;
    T Row::*member;
};

/// A run table, refused when it was cut inside a row: the writers end every line. (A table cut at
/// a line end parses; the row counts in summary.json tell that: report/compare.hpp.)
CsvReader open_table(const std::filesystem::path& path) {
    std::string bytes = read_file_bytes(path);
    if (!bytes.empty() && bytes.back() != '\n')
        throw InputError(path.string(), 0, "rows",
                         "cut short: its last line has no line end (an interrupted copy or a "
                         "damaged file)");
    return CsvReader(path.string(), std::move(bytes));
}

/// The text columns, then the number columns, of the current record into `row`.
template <class Row>
void read_into(const CsvReader& c, Row& row, std::span<const Into<Row, std::string>> texts,
               std::span<const Into<Row, double>> numbers) {
    for (const auto& f : texts) row.*f.member = c.get(f.column);
    for (const auto& f : numbers) row.*f.member = c.get_double(f.column);
}

/// Every record of a run table, each read by `read_row(reader, row)` into a new row.
template <class Row, class ReadRow>
std::vector<Row> read_rows(const std::filesystem::path& path, ReadRow read_row) {
    CsvReader c = open_table(path);
    std::vector<Row> out;
    while (c.next()) {
        Row r;
        read_row(c, r);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

std::vector<LinkRow> read_links_csv(const std::filesystem::path& path) {
    const auto& t = kLinksTable;
    static constexpr Into<LinkRow, std::string> kTexts[] = {{t.external_id, &LinkRow::external_id},
                                                            {t.road_name, &LinkRow::road_name}};
    static constexpr Into<LinkRow, double> kNumbers[] = {
        {t.vehicles, &LinkRow::vehicles},
        {t.vkt_km, &LinkRow::vkt_km},
        {t.mean_speed_kmh, &LinkRow::mean_speed_kmh},
        {t.co2_kg, &LinkRow::co2_kg}};
    return read_rows<LinkRow>(path, [](const CsvReader& c, LinkRow& r) {
        const std::string_view id_column = kLinksTable.link_id;
        long long id = c.get_int(id_column);
        if (id < 0) c.fail(id_column, "negative link id");
        r.link = static_cast<std::uint32_t>(id);
        read_into<LinkRow>(c, r, kTexts, kNumbers);
    });
}

std::vector<DongRow> read_by_dong_csv(const std::filesystem::path& path) {
    const auto& t = kByDongTable;
    static constexpr Into<DongRow, std::string> kTexts[] = {
        {t.dong_code, &DongRow::code}, {t.name_ko, &DongRow::name}, {t.name_en, &DongRow::name_en}};
    static constexpr Into<DongRow, double> kNumbers[] = {{t.population, &DongRow::population},
                                                         {t.co2_kg, &DongRow::co2_kg},
                                                         {t.vkt_km, &DongRow::vkt_km},
                                                         {t.trips_from, &DongRow::trips_from},
                                                         {t.trips_to, &DongRow::trips_to}};
    return read_rows<DongRow>(
        path, [](const CsvReader& c, DongRow& r) { read_into<DongRow>(c, r, kTexts, kNumbers); });
}

std::vector<HourRow> read_hourly_by_mode_csv(const std::filesystem::path& path) {
    const auto& t = kHourlyByModeTable;
    CsvReader c = open_table(path);
    std::vector<HourRow> out;
    while (c.next()) {
        long long h = c.get_int(t.hour);
        if (h != static_cast<long long>(out.size()))
            c.fail(t.hour, "hours must be 0, 1, 2, ... in order");
        HourRow row{};
        for (Mode m : kAllModes) {
            std::string col = t.co2_kg(m);
            row[mode_index(m)] = c.has_column(col) ? c.get_double(col) : 0.0;
        }
        row[kModeCount] = c.get_double(t.co2_kg_total);
        out.push_back(row);
    }
    return out;
}

}  // namespace modeshift
