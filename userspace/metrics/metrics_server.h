// metrics_server.h - the HTTP endpoint for health and metrics, with
// cpp-httplib: /healthz answers 200 "ok" while capture runs and 503
// otherwise; /metrics is the registry in Prometheus text format.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "metrics/metrics_registry.h"

namespace httplib {
class Server;
}

namespace vigil {

class MetricsServer {
public:
  MetricsServer(const MetricsRegistry &registry, std::function<bool()> healthy);
  ~MetricsServer();

  // start - listens on host:port; throws StartupError when it cannot.
  void start(const std::string &host, int port);
  void stop();

private:
  const MetricsRegistry &registry_;
  std::function<bool()> healthy_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

} // namespace vigil
