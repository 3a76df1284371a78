#include "app/rules_commands.h"

#include <cstdio>

#include "rules/builtin.h"

namespace vigil {

rules::CompileResult load_rules(const std::vector<std::string> &paths,
                                const EventSchema &schema) {
  rules::Diagnostics read_problems;
  std::vector<rules::RuleFile> files =
      paths.empty() ? rules::builtin_rule_files()
                    : rules::read_rule_paths(paths, read_problems);
  rules::CompileResult result = rules::compile_rules(files, schema);
  if (!read_problems.items().empty()) {
    rules::Diagnostics all = read_problems;
    for (const rules::Diagnostic &d : result.diags.items()) {
      d.level == rules::DiagLevel::kError ? all.error(d.pos, d.message)
                                          : all.warn(d.pos, d.message);
    }
    result.diags = std::move(all);
    if (result.diags.has_errors())
      result.rules.reset();
  }
  return result;
}

int run_rules_check(const RulesCheckOptions &opts) {
  EventSchema schema;
  rules::CompileResult result = load_rules(opts.paths, schema);
  std::fputs(result.diags.text().c_str(), stdout);
  if (result.diags.has_errors())
    return 1;
  std::printf("OK: %zu rules (%zu enabled)\n", result.rules->rules().size(),
              result.rules->enabled_count());
  return 0;
}

int run_list_fields(const ListFieldsOptions &opts) {
  EventSchema schema;
  std::vector<rules::FieldDoc> docs =
      opts.event.empty() ? rules::field_catalog()
                         : rules::event_arg_docs(opts.event, schema);
  if (docs.empty()) {
    std::printf("%s has no arguments\n", opts.event.c_str());
    return 0;
  }
  std::size_t name_w = 0, type_w = 0;
  for (const rules::FieldDoc &d : docs) {
    name_w = std::max(name_w, d.name.size());
    type_w = std::max(type_w, d.type.size());
  }
  for (const rules::FieldDoc &d : docs) {
    std::printf("%-*s  %-*s  %s\n", static_cast<int>(name_w), d.name.c_str(),
                static_cast<int>(type_w), d.type.c_str(),
                d.description.c_str());
  }
  return 0;
}

} // namespace vigil
