// The classes a line can get. Every non-blank input line gets exactly one.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace clean {

enum class LineClass : uint8_t {
  kBody = 0,
  kTitle,
  kMeta,          // byline, dateline, timestamps, the scraper's date header
  kHeadlineList,  // teasers and headlines of other stories
  kNavigation,    // menus, section labels, share/follow buttons, tags
  kCaption,       // photo captions and credits
  kAd,            // advertisement markers, sponsored and donation promos
};
inline constexpr int kNumClasses = 7;

// The lower-case name used in rule files, reports and --keep ("headline_list").
std::string_view ClassName(LineClass c);
// Parses a class name; nullopt when unknown.
std::optional<LineClass> ParseClass(std::string_view name);

}  // namespace clean
