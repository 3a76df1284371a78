#include "metrics/metrics_registry.h"

#include <cmath>
#include <cstdio>

namespace vigil {

namespace {

std::string escape_label(const std::string &value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"')
      out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.0f", v);
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

} // namespace

void MetricsWriter::add(const std::string &name, const std::string &help,
                        const char *type, const Labels &labels, double value) {
  auto [it, fresh] = families_.try_emplace(name);
  if (fresh) {
    order_.push_back(name);
    it->second.help = help;
    it->second.type = type;
  }
  it->second.samples.emplace_back(labels, value);
}

void MetricsWriter::counter(const std::string &name, const std::string &help,
                            const Labels &labels, double value) {
  add(name, help, "counter", labels, value);
}

void MetricsWriter::gauge(const std::string &name, const std::string &help,
                          const Labels &labels, double value) {
  add(name, help, "gauge", labels, value);
}

std::string MetricsWriter::text() const {
  std::string out;
  for (const std::string &name : order_) {
    const Family &f = families_.at(name);
    out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + f.type + "\n";
    for (const auto &[labels, value] : f.samples) {
      out += name;
      if (!labels.empty()) {
        out += "{";
        for (std::size_t i = 0; i < labels.size(); ++i) {
          out += i ? "," : "";
          out +=
              labels[i].first + "=\"" + escape_label(labels[i].second) + "\"";
        }
        out += "}";
      }
      out += " " + number(value) + "\n";
    }
  }
  return out;
}

Counter &MetricsRegistry::counter(const std::string &name,
                                  const std::string &help,
                                  const Labels &labels) {
  std::lock_guard lock(mutex_);
  for (auto &e : counters_) {
    if (e.name == name && e.labels == labels)
      return e.metric;
  }
  counters_.emplace_back();
  counters_.back().name = name;
  counters_.back().help = help;
  counters_.back().labels = labels;
  return counters_.back().metric;
}

Gauge &MetricsRegistry::gauge(const std::string &name, const std::string &help,
                              const Labels &labels) {
  std::lock_guard lock(mutex_);
  for (auto &e : gauges_) {
    if (e.name == name && e.labels == labels)
      return e.metric;
  }
  gauges_.emplace_back();
  gauges_.back().name = name;
  gauges_.back().help = help;
  gauges_.back().labels = labels;
  return gauges_.back().metric;
}

void MetricsRegistry::add_collector(std::function<void(MetricsWriter &)> fn) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(fn));
}

std::string MetricsRegistry::render() const {
  MetricsWriter w;
  std::vector<std::function<void(MetricsWriter &)>> collectors;
  {
    std::lock_guard lock(mutex_);
    for (const auto &e : counters_)
      w.counter(e.name, e.help, e.labels,
                static_cast<double>(e.metric.value()));
    for (const auto &e : gauges_)
      w.gauge(e.name, e.help, e.labels, e.metric.value());
    collectors = collectors_;
  }
  for (const auto &fn : collectors)
    fn(w);
  return w.text();
}

} // namespace vigil
