// ETRI signal plan files (tss.xml, node.xml, edge.xml, connection.xml): the input is the four
// texts separated by form feeds (\f), parsed, cross-checked, then every signal's approaches and
// their timings in every period are derived.
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "modeshift/import_etri/etri.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string in = modeshift::fuzz::as_string(data, size);
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (int i = 0; i < 3; ++i) {
        const std::size_t at = in.find('\f', from);
        if (at == std::string::npos) break;
        parts.push_back(in.substr(from, at - from));
        from = at + 1;
    }
    parts.push_back(in.substr(from));
    parts.resize(4);
    modeshift::fuzz::refuse_cleanly([&] {
        namespace etri = modeshift::etri;
        etri::EtriData d;
        d.signals = etri::parse_tss(parts[0], "tss.xml");
        d.nodes = etri::parse_nodes(parts[1], "node.xml");
        d.edges = etri::parse_edges(parts[2], "edge.xml");
        d.connections = etri::parse_connections(parts[3], "connection.xml");
        etri::check_references(d, "tss.xml", "connection.xml");
        for (const etri::Signal& s : d.signals)
            for (const etri::Approach& a : etri::approaches(d, s)) (void)etri::timings(s, a);
    });
    return 0;
}
