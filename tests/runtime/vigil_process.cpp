#include "vigil_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace vigil::test {

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail_errno(const std::string &what) {
  throw std::system_error(errno, std::generic_category(), what);
}

std::vector<char *> c_argv(std::vector<std::string> &args) {
  std::vector<char *> out;
  for (std::string &a : args)
    out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

// spawn - fork and exec args[0] with the given stdout and stderr. Only
// async-signal-safe calls run between fork and exec.
pid_t spawn(std::vector<std::string> args, int out_fd, int err_fd) {
  std::vector<char *> argv = c_argv(args);
  pid_t pid = fork();
  if (pid < 0)
    fail_errno("fork");
  if (pid == 0) {
    if (dup2(out_fd, STDOUT_FILENO) < 0)
      _exit(127);
    if (dup2(err_fd, STDERR_FILENO) < 0)
      _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int open_dev_null() {
  int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    fail_errno("open /dev/null");
  return fd;
}

std::string read_all(int fd) {
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

} // namespace

TempDir::TempDir() {
  char tmpl[] = "/tmp/vigil-rt-XXXXXX";
  if (mkdtemp(tmpl) == nullptr)
    fail_errno("mkdtemp");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::file(const std::string &name) const {
  return path_ + "/" + name;
}

std::optional<int> wait_for_status(pid_t pid, milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid)
      return status;
    if (r < 0 && errno != EINTR)
      return std::nullopt;
    if (Clock::now() >= deadline)
      break;
    std::this_thread::sleep_for(milliseconds(5));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return std::nullopt;
}

VigilProcess::VigilProcess(std::vector<std::string> flags, VigilStdout out,
                           int stdout_fd) {
  std::vector<std::string> args{VIGIL_BINARY};
  args.insert(args.end(), flags.begin(), flags.end());
  int null_fd = open_dev_null();
  if (out == VigilStdout::kOutputFile) {
    dir_.emplace();
    output_path_ = dir_->file("events.json");
    args.push_back("-o");
    args.push_back(output_path_);
    stdout_fd = null_fd;
  }

  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) < 0)
    fail_errno("pipe2");
  pid_ = spawn(std::move(args), stdout_fd, err_pipe[1]);
  close(err_pipe[1]);
  close(null_fd);
  stderr_fd_ = err_pipe[0];
  fcntl(stderr_fd_, F_SETFL, fcntl(stderr_fd_, F_GETFL) | O_NONBLOCK);
}

VigilProcess::~VigilProcess() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (stderr_fd_ >= 0)
    close(stderr_fd_);
}

void VigilProcess::read_stderr(int poll_ms) {
  if (stderr_fd_ < 0)
    return;
  pollfd p{stderr_fd_, POLLIN, 0};
  if (poll(&p, 1, poll_ms) <= 0)
    return;
  char buf[4096];
  for (;;) {
    ssize_t n = read(stderr_fd_, buf, sizeof(buf));
    if (n > 0) {
      stderr_.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n == 0) {
      close(stderr_fd_);
      stderr_fd_ = -1;
    }
    return;
  }
}

bool VigilProcess::wait_ready(milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (stderr_.find("info: tracing ") != std::string::npos)
      return true;
    if (stderr_fd_ < 0)
      return false;
    read_stderr(20);
  }
  return stderr_.find("info: tracing ") != std::string::npos;
}

std::optional<int> VigilProcess::wait_exit(milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::optional<int> status;
  for (;;) {
    read_stderr(5);
    int raw = 0;
    pid_t r = waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) {
      status = raw;
      break;
    }
    if (Clock::now() >= deadline)
      break;
  }
  if (!status) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  reaped_ = true;
  while (stderr_fd_ >= 0)
    read_stderr(100);
  if (!status || !WIFEXITED(*status))
    return std::nullopt;
  return WEXITSTATUS(*status);
}

std::optional<int> VigilProcess::stop(milliseconds timeout) {
  kill(pid_, SIGINT);
  return wait_exit(timeout);
}

const std::string &VigilProcess::stderr_text() {
  read_stderr(0);
  return stderr_;
}

OutputLines VigilProcess::output() const {
  std::ifstream in(output_path_);
  std::stringstream text;
  text << in.rdbuf();
  return parse_lines(text.str());
}

OutputLines parse_lines(const std::string &text) {
  OutputLines out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      out.malformed.push_back(line);
    } else {
      out.events.push_back(std::move(j));
    }
  }
  return out;
}

FinishedRun run_vigil_to_exit(const std::vector<std::string> &flags,
                              milliseconds timeout) {
  std::vector<std::string> args{VIGIL_BINARY};
  args.insert(args.end(), flags.begin(), flags.end());
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) < 0)
    fail_errno("pipe2");
  if (pipe2(err_pipe, O_CLOEXEC) < 0)
    fail_errno("pipe2");
  pid_t pid = spawn(std::move(args), out_pipe[1], err_pipe[1]);
  close(out_pipe[1]);
  close(err_pipe[1]);

  FinishedRun run;
  std::optional<int> raw = wait_for_status(pid, timeout);
  // The pipes only hold a few lines, so vigil cannot block on them before
  // it exits; after a kill, the reads end at EOF too.
  run.stdout_text = read_all(out_pipe[0]);
  run.stderr_text = read_all(err_pipe[0]);
  close(out_pipe[0]);
  close(err_pipe[0]);
  if (raw && WIFEXITED(*raw))
    run.status = WEXITSTATUS(*raw);
  if (raw && WIFSIGNALED(*raw))
    run.signal = WTERMSIG(*raw);
  return run;
}

} // namespace vigil::test
