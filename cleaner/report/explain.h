// --explain: every input line with its class and what decided it, aligned
// for rule authors:
//      12  navigation     upi.share              rules/upi.rules:14   Share with X
#pragma once
#include <string>

#include "cleaner/cleaner.h"

namespace clean {

void WriteExplain(const CleanResult& r, const KeepSet& keep, std::string* out);

}  // namespace clean
