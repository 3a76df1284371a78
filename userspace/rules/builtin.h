// builtin.h - the default rules: the files of rules/ in the source tree,
// compiled into the binary (see cmake/embed_rules.cmake), so that vigil
// has them wherever it runs from.
#pragma once

#include <vector>

#include "rules/loader.h"

namespace vigil::rules {

// builtin_rule_files - named builtin:rules/FILE.yaml, sorted by name.
std::vector<RuleFile> builtin_rule_files();

} // namespace vigil::rules
