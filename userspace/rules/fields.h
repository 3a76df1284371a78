// fields.h - the fields rules can name, and the accessors that read
// them straight from a RawEvent, its syscall's schema and its
// EventContext: no JSON object is built to evaluate a rule.
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/context.h"
#include "decode/event_schema.h"
#include "decode/raw_event.h"
#include "rules/value.h"

namespace vigil::rules {

// EvalContext - one event being evaluated, with the decoded arguments
// cached so that rules testing the same argument decode it once. One
// per worker thread, bound to each event in turn.
class EvalContext {
public:
  void bind(const RawEvent &ev, const EventSchema &schema,
            const EventContext &ctx);

  const RawEvent &event() const { return *ev_; }
  const vigil_event &header() const { return *ev_->header; }
  const SyscallSchema *syscall() const { return sc_; } // null: process event
  EventId id() const { return id_; }
  std::string_view name() const { return name_; }
  const ProcessInfo *process() const { return ctx_->process.get(); }
  const ContainerInfo *container() const { return ctx_->container.get(); }
  const EventSchema &schema() const { return *schema_; }

  // arg - syscall argument i, decoded once per event.
  Value arg(int i);
  // arg_field - a field of struct argument i, decoded on each call.
  Value arg_field(int i, std::string_view field);

  // Scratch space for one field value at a time (a joined command line,
  // the elements of a list field); valid until the next such field.
  std::string text;
  std::vector<Value> list;

private:
  struct ArgCache {
    std::uint64_t generation = 0;
    Value value;
    std::string text;
    std::deque<std::string> texts;
    std::vector<Value> items;
  };

  const RawEvent *ev_ = nullptr;
  const SyscallSchema *sc_ = nullptr;
  const EventSchema *schema_ = nullptr;
  const EventContext *ctx_ = nullptr;
  EventId id_ = 0;
  std::string_view name_;
  std::uint64_t generation_ = 0;
  std::array<ArgCache, 6> args_;
  ArgCache field_cache_;
};

// event_id - the id of an event: its syscall slot, a process event, or
// kUnnamedEvent.
EventId event_id(const RawEvent &ev, const EventSchema &schema);

// EventNames - event names to ids and back.
class EventNames {
public:
  explicit EventNames(const EventSchema &schema);
  // ids - every id with that name (a syscall has one per ABI); empty
  // when no event has that name.
  const std::vector<EventId> &ids(std::string_view name) const;
  std::string_view name(EventId id) const;

private:
  const EventSchema &schema_;
  std::vector<std::pair<std::string_view, std::vector<EventId>>> by_name_;
};

class FieldRef;
using FieldGetter = Value (*)(const FieldRef &, EvalContext &);

// FieldRef - one field as a rule names it, compiled to an accessor.
class FieldRef {
public:
  Value get(EvalContext &c) const { return getter_(*this, c); }
  // type_on - the field's type on an event; nullopt where it is absent.
  std::optional<FieldType> type_on(EventId id) const;
  const std::string &path() const { return path_; }

  // The accessor's parameters.
  int index = -1;         // ancestors[N]
  std::string key;        // a container label, a struct field
  std::string_view which; // the sub-field of an ancestor
  // Per event id: which argument, and its type; -1 where absent.
  std::shared_ptr<const std::vector<std::int8_t>> arg_index;
  std::shared_ptr<const std::vector<std::int8_t>> arg_type;

private:
  friend std::optional<FieldRef> resolve_field(std::string_view path,
                                               const EventSchema &schema,
                                               std::string &error);
  std::string path_;
  FieldGetter getter_ = nullptr;
  FieldType type_ = FieldType::kInt;
  bool syscall_only_ = false;
};

// resolve_field - compiles a field path; nullopt with a one-line reason
// when no field has that path.
std::optional<FieldRef> resolve_field(std::string_view path,
                                      const EventSchema &schema,
                                      std::string &error);

// FieldDoc - one line of `vigil list fields`.
struct FieldDoc {
  std::string name;
  std::string type;
  std::string description;
};
std::vector<FieldDoc> field_catalog();
// event_arg_docs - the args.* fields of one event; empty when unknown.
std::vector<FieldDoc> event_arg_docs(std::string_view event,
                                     const EventSchema &schema);

// append_value - a value as an output placeholder shows it.
void append_value(std::string &out, const Value &v);

} // namespace vigil::rules
