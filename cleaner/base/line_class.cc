#include "cleaner/base/line_class.h"

namespace clean {

namespace {
constexpr std::string_view kNames[kNumClasses] = {"body",       "title",   "meta", "headline_list",
                                                  "navigation", "caption", "ad"};
}

std::string_view ClassName(LineClass c) { return kNames[static_cast<int>(c)]; }

std::optional<LineClass> ParseClass(std::string_view name) {
  for (int i = 0; i < kNumClasses; ++i)
    if (kNames[i] == name) return static_cast<LineClass>(i);
  return std::nullopt;
}

}  // namespace clean
