// diagnostic.h - the errors and warnings of loading rules, each with the
// file, line and column it is about.
#pragma once

#include <string>
#include <vector>

namespace vigil::rules {

// SourcePos - 1-based line and column; 0 when the place is unknown.
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class DiagLevel { kError, kWarning };

struct Diagnostic {
  DiagLevel level = DiagLevel::kError;
  SourcePos pos;
  std::string message;

  // text - "rules.yaml:12:25: error: ..."
  std::string text() const;
};

class Diagnostics {
public:
  void error(SourcePos pos, std::string message);
  void warn(SourcePos pos, std::string message);

  bool has_errors() const;
  std::size_t error_count() const;
  const std::vector<Diagnostic> &items() const { return items_; }
  // text - one line per diagnostic, in the order they were found.
  std::string text() const;

private:
  std::vector<Diagnostic> items_;
};

} // namespace vigil::rules
