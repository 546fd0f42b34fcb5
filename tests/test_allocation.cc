// "No allocation per line in the hot loop", measured: global operator new
// is counted while a warmed-up Cleaner cleans pages of 1x and 20x the lines.
// The count must not grow with the number of lines.
#include <catch2/catch.hpp>
#include <atomic>
#include <cstdlib>
#include <new>

#include "cleaner/cleaner.h"
#include "tests/test_support.h"

// Sanitizer builds keep their own operator new (replacing it there makes
// AddressSanitizer report every delete as a mismatch): the test is skipped.
#if defined(__SANITIZE_ADDRESS__)
#define CLEAN_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLEAN_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef CLEAN_COUNT_ALLOCATIONS
#define CLEAN_COUNT_ALLOCATIONS 1
#endif

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

#if CLEAN_COUNT_ALLOCATIONS
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif

using namespace clean;

TEST_CASE("allocation: cleaning allocates nothing per line once warmed up", "[allocation]") {
  if (!CLEAN_COUNT_ALLOCATIONS) {
    WARN("sanitizer build: allocations are not counted");
    return;
  }
  using clean::testing::kP1;
  using clean::testing::kP2;
  using clean::testing::kP3;
  // A page with every kind of line: prose, menus, dates, share buttons,
  // captions, a headline list, repeats, non-ASCII words.
  std::string block = "Home\nWorld News\n" + kP1 + "\nAdvertisement\n" + kP2 +
                      "\nPhoto: Jane Doe/AP\nShare with X\n12:30\nRecommended Stories\n"
                      "Minister resigns over budget row\nFloods hit the north again\n" +
                      kP3 + "\nМинистр заявил, что переговоры продолжатся на следующей неделе.\n";
  std::string small, big;
  for (int i = 0; i < 5; ++i) small += block;
  for (int i = 0; i < 100; ++i) big += block;
  const RuleSet& rules = clean::testing::ProjectRules();
  Cleaner c(rules, Options(), nullptr);
  CleanResult r;
  std::string err, text;
  text.reserve(big.size());
  // Warm up: buffers reach their size for the big page, the prefilter is built.
  for (int i = 0; i < 2; ++i) {
    REQUIRE(c.Clean("big", big, &r, &err));
    REQUIRE(c.Clean("small", small, &r, &err));
  }
  auto count = [&](const std::string& page) {
    long before = g_allocations.load();
    REQUIRE(c.Clean("page", page, &r, &err));
    text.clear();
    WriteCleanText(r, KeepSet(), &text);
    return g_allocations.load() - before;
  };
  long for_small = count(small), for_big = count(big);
  size_t small_lines = clean::testing::SplitLines(small).size();
  size_t big_lines = clean::testing::SplitLines(big).size();
  INFO("allocations: " << for_small << " for " << small_lines << " lines, " << for_big << " for "
                       << big_lines << " lines");
  CHECK(big_lines >= 20 * small_lines);
  CHECK(for_big <= for_small + 8);  // nothing that grows with the lines
  CHECK(for_big < static_cast<long>(big_lines) / 20);
  CHECK_FALSE(text.empty());
}
