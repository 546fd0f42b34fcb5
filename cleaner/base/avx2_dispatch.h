// Whether the byte loops of the JSONL path (json_scan.cc, json_writer.cc,
// span_report.cc) take their AVX2 variants: compiled on x86-64 with SSE2
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

// PDEP and PEXT (BMI2) are one quick instruction on Intel CPUs and on AMD
// from Zen 3 (family 19h), but microcode taking tens to hundreds of cycles
// on the earlier AMD CPUs that have them (families 15h and 17h: Excavator,
// Zen 1 and 2). The AVX2 variants use them only where this is true, and
// take a plain path elsewhere.
inline bool& FastBitScatterFlag() {
  static bool fast = [] {
#ifdef CLEAN_AVX2_VARIANTS
    __builtin_cpu_init();
    return !(__builtin_cpu_is("amdfam15h") || __builtin_cpu_is("amdfam17h"));
#else
    return false;
#endif
  }();
  return fast;
}
inline bool FastBitScatter() { return FastBitScatterFlag(); }

// For tests: PDEP and PEXT taken as slow while it lives.
class ScopedSlowBitScatterForTesting {
 public:
  ScopedSlowBitScatterForTesting() : was_(FastBitScatterFlag()) { FastBitScatterFlag() = false; }
  ~ScopedSlowBitScatterForTesting() { FastBitScatterFlag() = was_; }
  ScopedSlowBitScatterForTesting(const ScopedSlowBitScatterForTesting&) = delete;
  ScopedSlowBitScatterForTesting& operator=(const ScopedSlowBitScatterForTesting&) = delete;

 private:
  bool was_;
};

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
