#pragma once
// A hand-made ETRI plan set: one four-arm junction "J" at 36.35 N 127.38 E with arms to the
// north, east, south and west (about 330 m / 270 m long). Lights (linkIndex): 0 N->S through,
// 1 N->E left, 2 E->W through, 3 E->S left, 4 S->N through, 5 S->W left, 6 W->E through,
// 7 W->N left. Schedule 1 (100 s, offset 10): N-S through 30 s, yellow 3, N-S left 14, yellow 3,
// E-W through 40, yellow 3, E-W left 4, yellow 3. Schedule 2 (60 s, offset 5): 20/3/4/3/20/3/4/3.
// Time of day: schedule 1 from midnight, schedule 2 from 07:00, schedule 1 again from 09:30.
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace modeshift::test {

inline const char* const kEtriTss = R"(<?xml version="1.0" encoding="UTF-8"?>
<trafficSignalSystem>
    <trafficSignal nodeID="J" version="2" crossNo="7" crossName="시험네거리" date="2020-01-01" signalGroup="1">
        <schedule offset="10" id="1">
            <phase state="GrrrGrrr" duration="30" minDur="30" maxDur="30"/>
            <phase state="yrrryrrr" duration="3"/>
            <phase state="rGrrrGrr" duration="14"/>
            <phase state="ryrrryrr" duration="3"/>
            <phase state="rrGrrrGr" duration="40"/>
            <phase state="rryrrryr" duration="3"/>
            <phase state="rrrGrrrG" duration="4"/>
            <phase state="rrryrrry" duration="3"/>
        </schedule>
        <schedule offset="5" id="2">
            <phase state="GrrrGrrr" duration="20"/>
            <phase state="yrrryrrr" duration="3"/>
            <phase state="rGrrrGrr" duration="4"/>
            <phase state="ryrrryrr" duration="3"/>
            <phase state="rrGrrrGr" duration="20"/>
            <phase state="rryrrryr" duration="3"/>
            <phase state="rrrGrrrG" duration="4"/>
            <phase state="rrryrrry" duration="3"/>
        </schedule>
        <TODPlan offset="10" defaultPlan="1">
            <plan offset="5" schedule="2" startTime="25200"/>
            <plan offset="10" schedule="1" startTime="34200"/>
        </TODPlan>
    </trafficSignal>
</trafficSignalSystem>
)";

inline const char* const kEtriNodes = R"(<?xml version="1.0" encoding="UTF-8"?>
<nodes>
    <node id="J" x="127.38" y="36.35" type="traffic_light" tl="J"/>
    <node id="N" x="127.38" y="36.353"/>
    <node id="E" x="127.383" y="36.35"/>
    <node id="S" x="127.38" y="36.347"/>
    <node id="W" x="127.377" y="36.35"/>
</nodes>
)";

inline const char* const kEtriEdges = R"(<?xml version="1.0" encoding="UTF-8"?>
<edges>
    <edge id="nin" from="N" to="J" numLanes="2" shape="127.38,36.353 127.38,36.35"/>
    <edge id="nout" from="J" to="N" numLanes="2" shape="127.38,36.35 127.38,36.353"/>
    <edge id="ein" from="E" to="J" numLanes="2" shape="127.383,36.35 127.38,36.35"/>
    <edge id="eout" from="J" to="E" numLanes="2" shape="127.38,36.35 127.383,36.35"/>
    <edge id="sin" from="S" to="J" numLanes="2" shape="127.38,36.347 127.38,36.35"/>
    <edge id="sout" from="J" to="S" numLanes="2" shape="127.38,36.35 127.38,36.347"/>
    <edge id="win" from="W" to="J" numLanes="2" shape="127.377,36.35 127.38,36.35"/>
    <edge id="wout" from="J" to="W" numLanes="2" shape="127.38,36.35 127.377,36.35"/>
</edges>
)";

inline const char* const kEtriConnections = R"(<?xml version="1.0" encoding="UTF-8"?>
<connections>
    <connection from="nin" to="sout" fromLane="0" toLane="0" tl="J" linkIndex="0"/>
    <connection from="nin" to="eout" fromLane="1" toLane="1" tl="J" linkIndex="1"/>
    <connection from="ein" to="wout" fromLane="0" toLane="0" tl="J" linkIndex="2"/>
    <connection from="ein" to="sout" fromLane="1" toLane="1" tl="J" linkIndex="3"/>
    <connection from="sin" to="nout" fromLane="0" toLane="0" tl="J" linkIndex="4"/>
    <connection from="sin" to="wout" fromLane="1" toLane="1" tl="J" linkIndex="5"/>
    <connection from="win" to="eout" fromLane="0" toLane="0" tl="J" linkIndex="6"/>
    <connection from="win" to="nout" fromLane="1" toLane="1" tl="J" linkIndex="7"/>
    <connection from="nout" to="nin" fromLane="0" toLane="0"/>
</connections>
)";

/// Writes the four files into `dir` (created); returns dir.
/// A folder under the temporary directory for this process: ctest runs each test in its own
/// process, two at a time, and two tests writing the fixture into one folder read each other's
/// half-written files.
inline std::filesystem::path fixture_dir(const std::string& name) {
    return std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
}

/// Writes the fixture into `dir` and returns it.
inline std::filesystem::path write_etri_fixture(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    for (const auto& [name, text] : {std::pair{"tss.xml", kEtriTss},
                                     {"node.xml", kEtriNodes},
                                     {"edge.xml", kEtriEdges},
                                     {"connection.xml", kEtriConnections}})
        std::ofstream(dir / name) << text;
    return dir;
}

}  // namespace modeshift::test
