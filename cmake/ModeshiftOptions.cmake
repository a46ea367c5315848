# Project-wide compile options as INTERFACE targets, so every target opts in explicitly.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_library(modeshift_options INTERFACE)
target_compile_features(modeshift_options INTERFACE cxx_std_20)

add_library(modeshift_warnings INTERFACE)
target_compile_options(modeshift_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wimplicit-fallthrough -Wformat=2)
# -Wnull-dereference is left out: GCC 12 reports false positives inside libstdc++ at -O3.
if(MODESHIFT_WERROR)
  target_compile_options(modeshift_warnings INTERFACE -Werror)
endif()

set(MODESHIFT_SANITIZE "" CACHE STRING "Sanitizers: '', 'address,undefined' or 'thread'")
if(MODESHIFT_SANITIZE)
  add_compile_options(-fsanitize=${MODESHIFT_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${MODESHIFT_SANITIZE})
endif()

# libFuzzer targets (tests/fuzz): every object gets libFuzzer's coverage instrumentation; only the
# fuzz targets link the fuzzer runtime (-fsanitize=fuzzer, in tests/fuzz/CMakeLists.txt).
if(MODESHIFT_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MODESHIFT_BUILD_FUZZ needs clang (libFuzzer): use the 'asan-ubsan' preset")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# A module library: modeshift_add_module(NAME SOURCES ... DEPS ...)
# Each module is its own static library so a wrong-way include fails to link.
function(modeshift_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(modeshift_${name} STATIC ${M_SOURCES})
  add_library(modeshift::${name} ALIAS modeshift_${name})
  target_include_directories(modeshift_${name} PUBLIC ${PROJECT_SOURCE_DIR}/sim/include)
  target_link_libraries(modeshift_${name} PUBLIC modeshift_options ${M_DEPS}
                        PRIVATE modeshift_warnings)
endfunction()

# A gtest binary per module: modeshift_add_test(NAME SOURCES ... DEPS ... [LABELS extra...])
# Every test gets the module's name as its label, or the one given (`slow` for release-only
# cases, `parallel` for the ThreadSanitizer run).
function(modeshift_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if("slow" IN_LIST T_LABELS AND NOT MODESHIFT_BUILD_SLOW_TESTS)
    return()
  endif()
  add_executable(test_${name} ${T_SOURCES})
  target_link_libraries(test_${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main
                        modeshift_options modeshift_warnings)
  target_compile_definitions(test_${name} PRIVATE
    MODESHIFT_SHARED_DATA="${MODESHIFT_SHARED_DATA}"
    MODESHIFT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # gtest_discover_tests (CMake 3.25) passes a single label through: an explicit LABELS
  # replaces the module name.
  if(T_LABELS)
    list(GET T_LABELS 0 label)
  else()
    set(label ${name})
  endif()
  gtest_discover_tests(test_${name} DISCOVERY_TIMEOUT 120 PROPERTIES LABELS ${label} TIMEOUT 1200)
endfunction()
