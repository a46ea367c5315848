# All dependencies come from Debian 12 packages (see tools/setup.sh for the package names).
find_package(Boost 1.74 REQUIRED)           # header-only Boost.Graph (libboost-graph-dev)
find_package(TBB REQUIRED)                  # oneTBB (libtbb-dev)
find_package(cereal REQUIRED)               # libcereal-dev
find_package(nlohmann_json 3.10 REQUIRED)   # nlohmann-json3-dev
find_package(CLI11 REQUIRED)                # libcli11-dev
find_package(fmt REQUIRED)                  # libfmt-dev
find_package(ZLIB REQUIRED)                 # zlib1g-dev
find_package(pugixml REQUIRED)              # libpugixml-dev (SUMO XML)
find_package(Threads REQUIRED)
enable_language(C)                          # FindMPI probes the C API with the C compiler
find_package(MPI COMPONENTS C)              # Open MPI (libopenmpi-dev): distributed sweeps
if(NOT MPI_C_FOUND)
  message(STATUS "MPI not found: `modeshift sweep` runs locally only (install libopenmpi-dev openmpi-bin)")
endif()
if(MODESHIFT_BUILD_TESTS)
  find_package(GTest REQUIRED)              # libgtest-dev
  include(GoogleTest)
endif()
if(MODESHIFT_BUILD_BENCH)
  find_package(benchmark REQUIRED)          # libbenchmark-dev
endif()
if(MODESHIFT_BUILD_VIEWER)
  find_package(SFML 2.5 REQUIRED COMPONENTS graphics window system)  # libsfml-dev
endif()

# Real data shared by the project (read-only); tests that need it skip with a message when absent.
set(MODESHIFT_SHARED_DATA "${PROJECT_SOURCE_DIR}/../shared/data" CACHE PATH "Path to shared/data")
