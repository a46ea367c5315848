#pragma once
// An allocator for the engine's large per-link, per-vehicle and per-trip arrays. They are read
// at random, one element per event, so on a virtual machine every access risks a TLB miss with
// a two-level page walk; asking the kernel for transparent huge pages (2 MiB) removes most of
// them. Small arrays use the ordinary heap.
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace modeshift::engine_detail {

template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t kHugePage = std::size_t{2} << 20;

    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: allocators convert implicitly

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kHugePage)
            return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
        const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
        void* p = std::aligned_alloc(kHugePage, rounded);
        if (p == nullptr) throw std::bad_alloc();
        (void)madvise(p, rounded, MADV_HUGEPAGE);  // a hint: without THP it is ordinary memory
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) {
        if (n * sizeof(T) < kHugePage)
            ::operator delete (p, std::align_val_t{alignof(T)});
        else
            std::free(p);
    }
    template <class U>
    bool operator==(const HugePageAllocator<U>&) const {
        return true;
    }
};

}  // namespace modeshift::engine_detail
