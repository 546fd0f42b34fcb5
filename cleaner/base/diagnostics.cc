#include "cleaner/base/diagnostics.h"

namespace clean {

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string s = d.file;
  if (d.line > 0) s.append(":").append(std::to_string(d.line));
  if (d.column > 0) s.append(":").append(std::to_string(d.column));
  s += d.warning ? ": warning: " : ": error: ";
  s += d.message;
  s += '\n';
  if (!d.source_line.empty()) {
    s.append("    ").append(d.source_line).append("\n");
    if (d.column > 0) s.append("    ").append(std::string(d.column - 1, ' ')).append("^\n");
  }
  return s;
}

bool Diagnostics::HasErrors() const {
  for (const auto& d : items)
    if (!d.warning) return true;
  return false;
}

std::string Diagnostics::Format() const {
  std::string s;
  for (const auto& d : items) s += FormatDiagnostic(d);
  return s;
}

}  // namespace clean
