// Errors and warnings that point at a spot in a file:
//   rules/upi.rules:14:23: error: regex: missing closing parenthesis
//       line upi.x caption /Photo (by/
//                                ^
#pragma once
#include <string>
#include <vector>

namespace clean {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem is with the whole file
  int column = 0;  // 1-based byte column; 0 when unknown
  bool warning = false;
  std::string message;
  std::string source_line;  // the offending line, for the caret display
};

// "file:line:col: error: message" plus the source line and a caret.
std::string FormatDiagnostic(const Diagnostic& d);

struct Diagnostics {
  std::vector<Diagnostic> items;
  bool HasErrors() const;
  std::string Format() const;
};

}  // namespace clean
