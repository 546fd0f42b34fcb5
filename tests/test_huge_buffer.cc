// huge_buffer: zeroed memory of the size asked for, small or large, that
// moves without copying and frees itself.
#include <catch2/catch.hpp>

#include <cstdint>
#include <utility>

#include "cleaner/match/prefilter/huge_buffer.h"

using clean::HugeBuffer;

namespace {
bool AllZero(const HugeBuffer& b) {
  for (size_t i = 0; i < b.size(); ++i)
    if (b.data()[i] != 0) return false;
  return true;
}
}  // namespace

TEST_CASE("huge_buffer: zeroed, writable, of the size asked for", "[huge_buffer]") {
  // Small (new[]), just under and over the mapped size, and several huge pages.
  for (size_t n : {size_t{2}, size_t{4096}, (size_t{1} << 20) - 1, size_t{1} << 20,
                   (size_t{2} << 20) + 3, size_t{5} << 20}) {
    INFO(n);
    HugeBuffer b(n);
    REQUIRE(b.data() != nullptr);
    CHECK(b.size() == n);
    CHECK(AllZero(b));
    b.data()[0] = 'a';
    b.data()[n - 1] = 'z';
    CHECK(b.data()[0] == 'a');
    CHECK(b.data()[n - 1] == 'z');
    // Tables of u64 are read in place: the start is 8-byte aligned.
    CHECK(reinterpret_cast<uintptr_t>(b.data()) % 8 == 0);
  }
  HugeBuffer none(0);
  CHECK(none.data() == nullptr);
  CHECK(none.size() == 0);
}

TEST_CASE("huge_buffer: moves hand the memory over", "[huge_buffer]") {
  HugeBuffer a(size_t{3} << 20);
  a.data()[17] = 'x';
  const char* at = a.data();
  HugeBuffer b(std::move(a));
  CHECK(b.data() == at);
  CHECK(b.data()[17] == 'x');
  CHECK(a.data() == nullptr);
  CHECK(a.size() == 0);
  HugeBuffer c(10);
  c = std::move(b);
  CHECK(c.data() == at);
  CHECK(c.size() == (size_t{3} << 20));
  c = HugeBuffer();
  CHECK(c.data() == nullptr);
}
