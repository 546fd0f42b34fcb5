#include "cleaner/match/regex.h"

#include <pcre2.h>

namespace clean {

struct MatchScratch::Impl {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // The clock is read on every kCallsPerClock-th match call only (reading
  // it cost as much as a short match); once past the deadline, every call
  // returns kBudget.
  static constexpr uint32_t kCallsPerClock = 8;
  uint32_t until_clock = 0;
  bool expired = false;
};

MatchScratch::MatchScratch(int match_limit, int heap_limit_kib) : impl_(new Impl) {
  impl_->data = pcre2_match_data_create(16, nullptr);
  impl_->context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(impl_->context, static_cast<uint32_t>(match_limit));
  pcre2_set_heap_limit(impl_->context, static_cast<uint32_t>(heap_limit_kib));
  // The default JIT stack (32 KiB, on the machine stack) is too small for
  // some legitimate patterns on long lines; 1 MiB bounds it instead.
  impl_->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
  pcre2_jit_stack_assign(impl_->context, nullptr, impl_->jit_stack);
}

void MatchScratch::SetLimits(int match_limit, int heap_limit_kib) {
  pcre2_set_match_limit(impl_->context, static_cast<uint32_t>(match_limit));
  pcre2_set_heap_limit(impl_->context, static_cast<uint32_t>(heap_limit_kib));
}

void MatchScratch::SetDepthLimit(int depth_limit) {
  pcre2_set_depth_limit(impl_->context, static_cast<uint32_t>(depth_limit));
}

void MatchScratch::SetDeadline(std::chrono::steady_clock::time_point deadline) {
  impl_->deadline = deadline;
  impl_->until_clock = 0;
  impl_->expired = false;
}

MatchScratch::~MatchScratch() {
  pcre2_jit_stack_free(impl_->jit_stack);
  pcre2_match_context_free(impl_->context);
  pcre2_match_data_free(impl_->data);
}

std::unique_ptr<Regex> Regex::Compile(std::string_view pattern, bool caseless, std::string* error,
                                      size_t* error_offset) {
  pcre2_compile_context* cc = pcre2_compile_context_create(nullptr);
  pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
  // The pattern's UTF-8 is checked here (rule files are not validated
  // before): with PCRE2_NO_UTF_CHECK an invalid sequence made pcre2_compile
  // read out of bounds (found by fuzz_rule_set). Subjects skip the check.
  uint32_t flags = PCRE2_UTF | PCRE2_MULTILINE;
  if (caseless) flags |= PCRE2_CASELESS;
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 flags, &code, &offset, cc);
  pcre2_compile_context_free(cc);
  if (re == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    *error = reinterpret_cast<char*>(buf);
    *error_offset = offset;
    return nullptr;
  }
  // Without JIT code (unsupported CPU, out of memory) the interpreter runs.
  bool jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
  std::unique_ptr<Regex> r(new Regex);
  r->code_ = re;
  r->jit_ = jit;
  r->pattern_ = std::string(pattern);
  return r;
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

bool Regex::CanMatchEmpty() const {
  uint32_t min_length = 0;
  pcre2_pattern_info(static_cast<pcre2_code*>(code_), PCRE2_INFO_MINLENGTH, &min_length);
  return min_length == 0;
}

Regex::Result Regex::Find(MatchScratch& scratch, std::string_view subject, size_t start,
                          size_t* begin, size_t* end) const {
  auto* s = scratch.impl();
  if (s->deadline != std::chrono::steady_clock::time_point::max()) {
    if (s->until_clock == 0) {
      s->expired = s->expired || std::chrono::steady_clock::now() > s->deadline;
      s->until_clock = MatchScratch::Impl::kCallsPerClock;
    }
    --s->until_clock;
    if (s->expired) return Result::kBudget;
  }
  // pcre2_jit_match is pcre2_match's JIT path without its checks of the
  // arguments (valid here: start <= subject.size(), UTF-8 not re-checked).
  auto* code = static_cast<pcre2_code*>(code_);
  auto* text = reinterpret_cast<PCRE2_SPTR>(subject.data());
  int rc = jit_ ? pcre2_jit_match(code, text, subject.size(), start, 0, s->data, s->context)
                : pcre2_match(code, text, subject.size(), start, PCRE2_NO_UTF_CHECK, s->data,
                              s->context);
  if (rc >= 0) {
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(s->data);
    *begin = ov[0];
    *end = ov[1];
    return Result::kMatch;
  }
  if (rc == PCRE2_ERROR_NOMATCH) return Result::kNoMatch;
  // Match, depth, heap and JIT stack limits, and any other failure: the
  // pattern gave up on this subject.
  return Result::kLimit;
}

}  // namespace clean
