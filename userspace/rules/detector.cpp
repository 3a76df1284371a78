#include "rules/detector.h"

#include <unistd.h>

#include <charconv>

#include "format/json_writer.h"

namespace vigil::rules {

std::optional<RateLimit> parse_rate_limit(std::string_view text) {
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0)
    return std::nullopt;
  RateLimit r;
  auto [p, ec] = std::from_chars(text.data(), text.data() + slash, r.count);
  if (ec != std::errc() || p != text.data() + slash || r.count == 0)
    return std::nullopt;
  std::string_view per = text.substr(slash + 1);
  if (per.empty())
    return std::nullopt;
  std::uint64_t unit_ns = 0;
  if (per.back() == 's')
    unit_ns = 1'000'000'000ull;
  else if (per.back() == 'm')
    unit_ns = 60'000'000'000ull;
  else
    return std::nullopt;
  per.remove_suffix(1);
  std::uint64_t n = 1;
  if (!per.empty()) {
    auto [q, ec2] = std::from_chars(per.data(), per.data() + per.size(), n);
    if (ec2 != std::errc() || q != per.data() + per.size() || n == 0)
      return std::nullopt;
  }
  r.window_ns = n * unit_ns;
  return r;
}

std::optional<std::uint64_t> DetectionLimiter::admit(std::string_view rule,
                                                     std::uint32_t pid,
                                                     std::string_view output,
                                                     std::uint64_t now_ns) {
  if (limit_.count == 0)
    return 0;
  std::lock_guard lock(mu_);
  if ((++admits_ & 1023) == 0)
    prune(now_ns);
  key_.assign(rule);
  key_.push_back('\0');
  key_.append(std::to_string(pid));
  key_.push_back('\0');
  key_.append(output);
  Entry &e = entries_[key_];
  if (e.count == 0 || now_ns >= e.window_start + limit_.window_ns) {
    e.window_start = now_ns;
    e.count = 0;
  }
  if (e.count >= limit_.count) {
    ++e.pending;
    suppressed_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  ++e.count;
  std::uint64_t pending = e.pending;
  e.pending = 0;
  return pending;
}

void DetectionLimiter::prune(std::uint64_t now_ns) {
  // Entries whose window ended and that hold nothing to report are
  // forgotten; the suppressed total stays counted.
  for (auto it = entries_.begin(); it != entries_.end();) {
    bool ended = now_ns >= it->second.window_start + limit_.window_ns;
    if (ended && it->second.pending == 0)
      it = entries_.erase(it);
    else
      ++it;
  }
}

namespace {

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0)
    return "unknown";
  return buf;
}

void append_tags(std::string &out, const std::vector<std::string> &tags) {
  out.push_back('[');
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i)
      out.push_back(',');
    json::append_string(out, tags[i]);
  }
  out.push_back(']');
}

} // namespace

void append_json_value(std::string &out, const Value &v) {
  switch (v.kind) {
  case ValueKind::kInt:
    json::append_int(out, v.i);
    break;
  case ValueKind::kBool:
    out.append(v.i ? "true" : "false");
    break;
  case ValueKind::kString:
    json::append_string(out, v.s);
    break;
  case ValueKind::kList:
    out.push_back('[');
    for (std::size_t i = 0; i < v.list.size(); ++i) {
      if (i)
        out.push_back(',');
      append_json_value(out, v.list[i]);
    }
    out.push_back(']');
    break;
  default:
    out.append("null");
    break;
  }
}

Detector::Detector(const EventSchema &schema, const WallClock &clock,
                   std::shared_ptr<RuleHolder> holder,
                   std::shared_ptr<DetectionLimiter> limiter,
                   DetectionFormat format)
    : schema_(schema), clock_(clock), holder_(std::move(holder)),
      limiter_(std::move(limiter)), format_(format),
      event_json_(make_formatter(OutputFormat::kJson, schema, clock)),
      hostname_(host_name()) {}

void Detector::refresh() {
  std::uint64_t g = holder_->generation();
  if (g != generation_) {
    rules_ = holder_->get();
    generation_ = g;
  }
}

std::size_t Detector::detect(const RawEvent &ev, const EventContext &ctx,
                             std::string &out) {
  refresh();
  if (!rules_)
    return 0;
  EventId id = event_id(ev, schema_);
  if (id == kUnnamedEvent)
    return 0;
  std::span<const CompiledRule *const> candidates = rules_->rules_for(id);
  if (candidates.empty())
    return 0;
  eval_.bind(ev, schema_, ctx);
  std::size_t lines = 0;
  bool formatted = false;
  for (const CompiledRule *rule : candidates) {
    if (!rule->condition->eval(eval_))
      continue;
    message_.clear();
    rule->output.render(eval_, message_);
    std::optional<std::uint64_t> suppressed = 0;
    if (limiter_) {
      suppressed =
          limiter_->admit(rule->id, ev.header->pid, message_, ev.header->ts_ns);
    }
    if (!suppressed)
      continue;
    if (!formatted) {
      time_text_.clear();
      time_.append(time_text_, clock_.to_wall_ns(ev.header->ts_ns));
      if (format_ == DetectionFormat::kVigil) {
        event_text_.clear();
        event_json_->format(ev, ctx, event_text_);
        if (!event_text_.empty() && event_text_.back() == '\n')
          event_text_.pop_back();
      }
      formatted = true;
    }
    if (format_ == DetectionFormat::kFalco)
      append_falco(*rule, *suppressed, out);
    else
      append_detection(*rule, *suppressed, out);
    ++lines;
  }
  return lines;
}

void Detector::append_detection(const CompiledRule &rule,
                                std::uint64_t suppressed, std::string &out) {
  out.append("{\"time\":\"");
  out.append(time_text_);
  out.append("\",\"rule\":{\"id\":");
  json::append_string(out, rule.id);
  out.append(",\"name\":");
  json::append_string(out, rule.name);
  out.append("},\"severity\":\"");
  out.append(severity_name(rule.severity));
  out.append("\",\"tags\":");
  append_tags(out, rule.tags);
  out.append(",\"output\":");
  json::append_string(out, message_);
  out.append(",\"hostname\":");
  json::append_string(out, hostname_);
  if (suppressed) {
    out.append(",\"suppressed\":");
    json::append_int(out, suppressed);
  }
  out.append(",\"event\":");
  out.append(event_text_);
  out.append("}\n");
}

void Detector::append_falco(const CompiledRule &rule, std::uint64_t suppressed,
                            std::string &out) {
  std::string_view priority = falco_priority(rule.severity);
  out.append("{\"time\":\"");
  out.append(time_text_);
  out.append("\",\"rule\":");
  json::append_string(out, rule.name);
  out.append(",\"priority\":\"");
  out.append(priority);
  out.append("\",\"output\":");
  // Falco starts its message with the time of day and the priority.
  std::string text = time_text_.size() >= 29 ? time_text_.substr(11, 18) : "";
  text += ": ";
  text += priority;
  text += ' ';
  text += message_;
  json::append_string(out, text);
  out.append(",\"output_fields\":{");
  bool first = true;
  for (const OutputTemplate::Part &p : rule.output.parts()) {
    if (!p.field)
      continue;
    if (!first)
      out.push_back(',');
    first = false;
    json::append_string(out, p.field->path());
    out.push_back(':');
    append_json_value(out, p.field->get(eval_));
  }
  out.append("},\"tags\":");
  append_tags(out, rule.tags);
  out.append(",\"hostname\":");
  json::append_string(out, hostname_);
  out.append(",\"source\":\"syscall\"");
  if (suppressed) {
    out.append(",\"suppressed\":");
    json::append_int(out, suppressed);
  }
  out.append("}\n");
}

} // namespace vigil::rules
