#include "metrics/metrics_server.h"

#include <httplib.h>

#include "capture/bpf_capture.h"
#include "util/log.h"

namespace vigil {

MetricsServer::MetricsServer(const MetricsRegistry &registry,
                             std::function<bool()> healthy)
    : registry_(registry), healthy_(std::move(healthy)),
      server_(std::make_unique<httplib::Server>()) {
  server_->Get("/healthz",
               [this](const httplib::Request &, httplib::Response &res) {
                 bool ok = healthy_();
                 res.status = ok ? 200 : 503;
                 res.set_content(ok ? "ok\n" : "not capturing\n", "text/plain");
               });
  server_->Get(
      "/metrics", [this](const httplib::Request &, httplib::Response &res) {
        res.set_content(registry_.render(), "text/plain; version=0.0.4");
      });
}

MetricsServer::~MetricsServer() { stop(); }

void MetricsServer::start(const std::string &host, int port) {
  if (!server_->bind_to_port(host, port)) {
    throw StartupError("cannot serve metrics on " + host + ":" +
                       std::to_string(port) +
                       ": the address is in use or not local");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  spdlog::info("serving /metrics and /healthz on {}:{}", host, port);
}

void MetricsServer::stop() {
  if (!thread_.joinable())
    return;
  server_->stop();
  thread_.join();
}

} // namespace vigil
