// servers.h - real servers for the output tests, started and stopped by
// the tests: a python3 HTTP receiver and rsyslogd on loopback.
#ifndef VIGIL_TESTS_OUTPUT_SERVERS_H
#define VIGIL_TESTS_OUTPUT_SERVERS_H

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace vigil::test {

using std::chrono::milliseconds;

// ScratchDir - a fresh directory under /tmp, removed at the end.
class ScratchDir {
public:
  ScratchDir();
  ~ScratchDir();
  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

// Server - a child process, stopped with SIGTERM (then SIGKILL) at the
// end.
class Server {
public:
  explicit Server(std::vector<std::string> argv);
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;
  void stop();
  pid_t pid() const { return pid_; }

private:
  pid_t pid_ = -1;
};

// free_port - a loopback port nothing listens on now (TCP and UDP).
int free_port();

// wait_until - polls cond every 20 ms; whether it held before timeout.
bool wait_until(const std::function<bool()> &cond, milliseconds timeout);

std::string read_file(const std::string &path);
std::vector<std::string> split_lines(const std::string &text);

// HttpReceiver - tests/output/http_receiver.py on 127.0.0.1:port.
class HttpReceiver {
public:
  HttpReceiver(const ScratchDir &dir, int port, int fail = 0,
               int fail_status = 503, int bulk_refuse_every = 0);
  // requests - every accepted request, as JSON lines.
  std::vector<std::string> requests() const;
  void stop() { server_.stop(); }

private:
  std::string out_;
  Server server_;
};

} // namespace vigil::test

#endif
