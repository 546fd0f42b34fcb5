// Whether the byte loops with an AVX2 variant (the line pass of
// features.cc, the literal scan of short_literals.cc, the line splitting
// of vouched text in page.cc) take it: compiled on x86-64 with SSE2
// (not in the portable test build, which undefines __SSE2__), each a
// function with [[gnu::target(CLEAN_AVX2_TARGET)]], and taken when the CPU
// has AVX2, BMI1/2 and POPCNT (checked once). Tests may turn them off to
// check the baseline paths against the same references.
#pragma once

#if defined(__x86_64__) && defined(__SSE2__) && defined(__GNUC__)
#define CLEAN_AVX2_VARIANTS 1
#define CLEAN_AVX2_TARGET "avx2,bmi,bmi2,popcnt"
#include <immintrin.h>
#endif

namespace clean::avx2 {

// The CPU runs the AVX2 variants (and they are compiled).
inline bool Supported() {
#ifdef CLEAN_AVX2_VARIANTS
  static const bool supported = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
  }();
  return supported;
#else
  return false;
#endif
}

// The switch the byte loops read: Supported() unless a test turned it off.
inline bool& EnabledFlag() {
  static bool enabled = Supported();
  return enabled;
}
inline bool Enabled() { return EnabledFlag(); }

// For tests: the AVX2 variants on (where supported) or off while it lives.
class ScopedForTesting {
 public:
  explicit ScopedForTesting(bool on) : was_(EnabledFlag()) { EnabledFlag() = on && Supported(); }
  ~ScopedForTesting() { EnabledFlag() = was_; }
  ScopedForTesting(const ScopedForTesting&) = delete;
  ScopedForTesting& operator=(const ScopedForTesting&) = delete;

 private:
  bool was_;
};

}  // namespace clean::avx2
