#include "rules/diagnostic.h"

#include <algorithm>

namespace vigil::rules {

std::string Diagnostic::text() const {
  std::string out = pos.file.empty() ? "<rules>" : pos.file;
  if (pos.line > 0) {
    out += ":" + std::to_string(pos.line);
    if (pos.column > 0)
      out += ":" + std::to_string(pos.column);
  }
  out += level == DiagLevel::kError ? ": error: " : ": warning: ";
  out += message;
  return out;
}

namespace {

// add - a macro used by several rules would report the same problem
// once per rule: it is kept once.
void add(std::vector<Diagnostic> &items, Diagnostic d) {
  for (const Diagnostic &old : items) {
    if (old.level == d.level && old.pos.file == d.pos.file &&
        old.pos.line == d.pos.line && old.pos.column == d.pos.column &&
        old.message == d.message) {
      return;
    }
  }
  items.push_back(std::move(d));
}

} // namespace

void Diagnostics::error(SourcePos pos, std::string message) {
  add(items_, {DiagLevel::kError, std::move(pos), std::move(message)});
}

void Diagnostics::warn(SourcePos pos, std::string message) {
  add(items_, {DiagLevel::kWarning, std::move(pos), std::move(message)});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return std::count_if(items_.begin(), items_.end(), [](const Diagnostic &d) {
    return d.level == DiagLevel::kError;
  });
}

std::string Diagnostics::text() const {
  std::string out;
  for (const Diagnostic &d : items_) {
    out += d.text();
    out += '\n';
  }
  return out;
}

} // namespace vigil::rules
