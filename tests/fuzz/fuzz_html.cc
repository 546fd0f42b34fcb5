// libFuzzer target: the HTML path (charset decoding, the pre-scan and depth
// guard, gumbo, the DOM copy, the linearizer, the DOM pass, the writers) on
// arbitrary bytes, with the project's rules. Aborts when a produced line is
// lost, duplicated or altered between the page and the clean text + report
// (conservation), or when the same bytes cleaned again, after another page,
// give other bytes. Input the reader refuses (binary, over a budget) is a
// defined outcome.
#include <cstdint>
#include <string>

#include "cleaner/cleaner.h"
#include "cleaner/report/report.h"
#include "tests/conservation.h"
#include "tests/fuzz/fuzz_support.h"

using namespace clean;

namespace {

const char kOtherPage[] =
    "<html><body><nav><a href='/'>Home</a></nav><article><p>The minister said on Thursday "
    "that the talks had been useful, but that no agreement was reached.</p></article>"
    "<footer>Share with X</footer></body></html>";

bool Run(Cleaner& c, std::string_view bytes, std::string* text, std::string* report,
         CleanResult* r) {
  std::string error;
  if (!c.Clean("fuzz.html", bytes, r, &error)) return false;
  WriteCleanText(*r, KeepSet(), text);
  WriteReport(*r, KeepSet(), report);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto rules = clean::fuzz::LoadProjectRules(Options());
  static Cleaner& cleaner = *[] {
    auto* c = new Cleaner(*rules, Options(), nullptr);  // lives for the whole run
    c->set_input_format(InputFormat::kHtml);
    return c;
  }();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string text, report;
  CleanResult r;
  if (!Run(cleaner, bytes, &text, &report, &r)) return 0;
  std::string problem = clean::testing::ConservationProblem(*r.page, text, report);
  if (!problem.empty()) clean::fuzz::Fail("conservation", problem);
  std::string other_text, other_report, text2, report2;
  Run(cleaner, kOtherPage, &other_text, &other_report, &r);
  Run(cleaner, bytes, &text2, &report2, &r);
  if (text2 != text || report2 != report)
    clean::fuzz::Fail("determinism", "the same bytes cleaned twice differ");
  return 0;
}
