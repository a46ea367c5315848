#pragma once
// Process-level set-up shared by the command-line programs (modeshift, modeshift-viewer).

namespace modeshift {

/// Re-executes the program once with glibc's transparent-huge-page tunable switched on
/// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), so large allocations — run files, plans, replay
/// indexes — are backed by 2 MiB pages. On a virtual machine this cuts page-fault and TLB-miss
/// time when a large run opens by about a third. Does nothing (and returns) when the tunable is
/// already set, when the kernel has transparent huge pages disabled, when
/// MODESHIFT_NO_HUGE_PAGES is set (e.g. under a debugger or valgrind), or if exec fails.
void reexec_with_huge_pages(char** argv);

}  // namespace modeshift
