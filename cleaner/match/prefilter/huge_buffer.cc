#include "cleaner/match/prefilter/huge_buffer.h"

#include <cstdint>
#include <new>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace clean {

namespace {
constexpr size_t kHuge = size_t{2} << 20;
// Below this a huge page would mostly hold nothing.
constexpr size_t kMinMapped = size_t{1} << 20;
}  // namespace

HugeBuffer::HugeBuffer(size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
#if defined(__linux__)
  if (bytes >= kMinMapped) {
    size_t want = (bytes + kHuge - 1) / kHuge * kHuge;
    // Map one huge page more, then unmap the unaligned head and the tail.
    void* p =
        mmap(nullptr, want + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
      auto base = reinterpret_cast<uintptr_t>(p);
      uintptr_t aligned = (base + kHuge - 1) & ~(uintptr_t{kHuge} - 1);
      if (aligned > base) munmap(p, aligned - base);
      size_t tail = base + want + kHuge - (aligned + want);
      if (tail) munmap(reinterpret_cast<void*>(aligned + want), tail);
      data_ = reinterpret_cast<char*>(aligned);
      mapped_ = want;
      madvise(data_, mapped_, MADV_HUGEPAGE);  // advice: failure changes only the speed
      return;
    }
  }
#endif
  data_ = new char[bytes]();
}

HugeBuffer::~HugeBuffer() { Release(); }

HugeBuffer::HugeBuffer(HugeBuffer&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)),
      size_(std::exchange(o.size_, 0)),
      mapped_(std::exchange(o.mapped_, 0)) {}

HugeBuffer& HugeBuffer::operator=(HugeBuffer&& o) noexcept {
  if (this != &o) {
    Release();
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
    mapped_ = std::exchange(o.mapped_, 0);
  }
  return *this;
}

void HugeBuffer::Release() {
#if defined(__linux__)
  if (mapped_) {
    munmap(data_, mapped_);
    data_ = nullptr;
    mapped_ = 0;
    return;
  }
#endif
  delete[] data_;
  data_ = nullptr;
}

}  // namespace clean
