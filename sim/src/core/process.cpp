#include "modeshift/core/process.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace modeshift {

namespace {

bool kernel_offers_huge_pages() {
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string line;
    if (!std::getline(f, line)) return false;
    return line.find("[never]") == std::string::npos;
}

}  // namespace

void reexec_with_huge_pages(char** argv) {
#if defined(__linux__) && defined(__GLIBC__)
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (std::getenv("MODESHIFT_NO_HUGE_PAGES") != nullptr) return;
    if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.hugetlb") != nullptr)
        return;  // done
    if (!kernel_offers_huge_pages()) return;
    const std::string value = (tunables != nullptr && *tunables != '\0')
                                  ? std::string(tunables) + ":glibc.malloc.hugetlb=1"
                                  : std::string("glibc.malloc.hugetlb=1");
    if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
    // Through the binary's real path, not /proc/self/exe: the process keeps its name ("modeshift"
    // in ps and /proc/PID/comm, not "exe"), which tools and the viewer's tests look for.
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return;
    self[n] = '\0';
    execv(self, argv);
    // exec failed: carry on in this process with ordinary pages (the variable is harmless).
#else
    (void)argv;
#endif
}

}  // namespace modeshift
