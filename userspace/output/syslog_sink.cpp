#include "output/syslog_sink.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "output/file_sink.h"
#include "output/line_fields.h"
#include "util/log.h"

namespace vigil {

namespace {

std::string this_host() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0')
    return "-";
  return name;
}

const char *transport_name(SyslogTransport t) {
  return t == SyslogTransport::kUdp   ? "udp"
         : t == SyslogTransport::kTcp ? "tcp"
                                      : "unix";
}

} // namespace

std::string rfc5424_message(std::string_view line,
                            const SyslogOutputConfig &config,
                            const std::string &host, int pid) {
  // MSGID is the event name, so a receiver can filter without parsing;
  // RFC 5424 allows 32 printable characters there.
  std::string msgid = "-";
  if (auto event = leading_string_field(line, "event");
      event && !event->empty() && event->size() <= 32)
    msgid = std::string(*event);
  std::string out = "<" +
                    std::to_string(config.facility * 8 + config.severity) +
                    ">1 " + rfc5424_time(line) + " " + host + " vigil " +
                    std::to_string(pid) + " " + msgid + " - ";
  out += line;
  return out;
}

SyslogSink::SyslogSink(std::string name, const SyslogOutputConfig &config)
    : name_(std::move(name)), config_(config),
      host_(config.hostname.empty() ? this_host() : config.hostname),
      pid_(static_cast<int>(getpid())) {}

SyslogSink::~SyslogSink() { disconnect(); }

void SyslogSink::disconnect() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

int SyslogSink::connect_socket() {
  if (config_.transport == SyslogTransport::kUnix) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
      return errno;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, config_.socket.c_str(),
                 sizeof(addr.sun_path) - 1);
    if (::connect(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof(addr))) {
      int err = errno;
      disconnect();
      return err;
    }
    return 0;
  }
  addrinfo hints{};
  hints.ai_socktype =
      config_.transport == SyslogTransport::kUdp ? SOCK_DGRAM : SOCK_STREAM;
  addrinfo *found = nullptr;
  std::string port = std::to_string(config_.port);
  if (getaddrinfo(config_.host.c_str(), port.c_str(), &hints, &found) != 0)
    return EHOSTUNREACH;
  int err = ECONNREFUSED;
  for (addrinfo *a = found; a != nullptr; a = a->ai_next) {
    fd_ = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
      err = errno;
      continue;
    }
    if (::connect(fd_, a->ai_addr, a->ai_addrlen) == 0) {
      err = 0;
      break;
    }
    err = errno;
    disconnect();
  }
  freeaddrinfo(found);
  return err;
}

int SyslogSink::send_message(const std::string &message) {
  if (config_.transport == SyslogTransport::kTcp) {
    // RFC 6587 octet counting: the length, a space, the message.
    std::string frame = std::to_string(message.size()) + " " + message;
    return write_all(fd_, frame);
  }
  for (;;) {
    ssize_t n = ::send(fd_, message.data(), message.size(), 0);
    if (n >= 0)
      return 0;
    if (errno != EINTR)
      return errno;
  }
}

Delivery SyslogSink::deliver(std::string_view lines, RetryControl &retry) {
  Delivery d;
  ExponentialBackoff backoff(config_.retry_initial_ms, config_.retry_max_ms);
  while (!lines.empty()) {
    std::size_t nl = lines.find('\n');
    std::string_view line = lines.substr(0, nl);
    std::string message = rfc5424_message(line, config_, host_, pid_);
    int err = fd_ >= 0 ? 0 : connect_socket();
    if (err == 0)
      err = send_message(message);
    if (err == 0) {
      if (down_)
        spdlog::info("syslog output {}: sending again", name_);
      down_ = false;
      backoff.reset();
      ++d.delivered;
      lines.remove_prefix(nl == std::string_view::npos ? lines.size() : nl + 1);
      continue;
    }
    retry.attempt_failed();
    if (!down_)
      spdlog::warn("syslog output {} ({}): {}; retrying", name_,
                   transport_name(config_.transport), std::strerror(err));
    down_ = true;
    disconnect();
    // UDP has no delivery to retry: a refused datagram is counted and
    // the next one goes out as usual.
    if (config_.transport == SyslogTransport::kUdp) {
      ++d.failed;
      lines.remove_prefix(nl == std::string_view::npos ? lines.size() : nl + 1);
      continue;
    }
    if (!retry.wait(backoff.next())) {
      d.failed += count_lines(lines);
      return d;
    }
  }
  return d;
}

} // namespace vigil
