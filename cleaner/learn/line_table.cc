#include "cleaner/learn/line_table.h"

namespace clean {

size_t LineTable::Prune(size_t keep) {
  size_t dropped = 0;
  for (uint32_t floor = 1; lines_.size() > keep; ++floor) {
    for (auto it = lines_.begin(); it != lines_.end();) {
      if (it->second.pages <= floor) {
        it = lines_.erase(it);
        ++dropped;
      } else {
        ++it;
      }
    }
  }
  return dropped;
}

size_t LineTable::DropSingles() {
  size_t dropped = 0;
  for (auto it = lines_.begin(); it != lines_.end();) {
    if (it->second.pages <= 1) {
      it = lines_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
  return dropped;
}

}  // namespace clean
