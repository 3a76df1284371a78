#include "servers.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace vigil::test {

ScratchDir::ScratchDir() {
  char tmpl[] = "/tmp/vigil-out-XXXXXX";
  if (mkdtemp(tmpl) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Server::Server(std::vector<std::string> argv) {
  std::vector<char *> args;
  for (std::string &a : argv)
    args.push_back(a.data());
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    execvp(args[0], args.data());
    _exit(127);
  }
}

Server::~Server() { stop(); }

void Server::stop() {
  if (pid_ <= 0)
    return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int free_port() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    close(fd);
    int port = ntohs(addr.sin_port);
    // The same port must be free for UDP too, for syslog.
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    bool ok = bind(udp, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0;
    close(udp);
    if (ok)
      return port;
  }
  throw std::runtime_error("no free port");
}

bool wait_until(const std::function<bool()> &cond, milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond())
      return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return cond();
}

std::string read_file(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

HttpReceiver::HttpReceiver(const ScratchDir &dir, int port, int fail,
                           int fail_status, int bulk_refuse_every)
    : out_(dir.file("requests-" + std::to_string(port) + ".json")),
      server_(
          {"python3", HTTP_RECEIVER, "--port", std::to_string(port), "--out",
           out_, "--ready", dir.file("ready-" + std::to_string(port)), "--fail",
           std::to_string(fail), "--fail-status", std::to_string(fail_status),
           "--bulk-refuse-every", std::to_string(bulk_refuse_every)}) {
  std::string ready = dir.file("ready-" + std::to_string(port));
  if (!wait_until([&] { return std::filesystem::exists(ready); },
                  milliseconds(10000)))
    throw std::runtime_error("the HTTP receiver did not start");
}

std::vector<std::string> HttpReceiver::requests() const {
  return split_lines(read_file(out_));
}

} // namespace vigil::test
