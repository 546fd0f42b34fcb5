// Memory for large tables that are filled once and then only read (the
// line-head automaton: megabytes). It is an anonymous mapping aligned to
// 2 MiB and advised for transparent huge pages, so filling it takes one
// page fault per 2 MiB instead of one per 4 KiB: on the development VMs a
// fault costs about 10 us, and 2 MiB of small pages 7 ms against 0.3 ms.
// Where the kernel gives no huge pages it is ordinary zeroed memory.
#pragma once
#include <cstddef>

namespace clean {

class HugeBuffer {
 public:
  HugeBuffer() = default;
  // `bytes` zeroed bytes (none: data() is null). Throws std::bad_alloc.
  explicit HugeBuffer(size_t bytes);
  ~HugeBuffer();
  HugeBuffer(HugeBuffer&& o) noexcept;
  HugeBuffer& operator=(HugeBuffer&& o) noexcept;
  HugeBuffer(const HugeBuffer&) = delete;
  HugeBuffer& operator=(const HugeBuffer&) = delete;

  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void Release();
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;  // bytes mapped at data_ (0: allocated with new[])
};

}  // namespace clean
