// rules_commands.h - loading the rules the monitor runs, and the
// commands about rules: vigil rules check and vigil list fields.
#pragma once

#include <string>
#include <vector>

#include "cli/options.h"
#include "rules/rule_set.h"

namespace vigil {

// load_rules - the files and directories named, or the built-in rules
// when paths is empty, compiled.
rules::CompileResult load_rules(const std::vector<std::string> &paths,
                                const EventSchema &schema);

// run_rules_check - prints OK, or each problem on its own line on
// stdout; 1 when any is an error, else 0.
int run_rules_check(const RulesCheckOptions &opts);

// run_list_fields - the field catalog, or one event's arguments.
int run_list_fields(const ListFieldsOptions &opts);

} // namespace vigil
