#include "app/trace.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "app/monitor.h"
#include "app/session.h"
#include "app/signals.h"
#include "decode/proc_fd_paths.h"
#include "format/summary_table.h"
#include "util/log.h"

extern char **environ;

namespace vigil {

namespace {

constexpr timespec kTick{0, 20'000'000};

// find_program - the path execve gets: the command as given if it has a
// slash, else the first executable match on PATH, as a shell finds it.
std::string find_program(const std::string &name) {
  if (name.find('/') != std::string::npos) {
    if (access(name.c_str(), X_OK) != 0) {
      throw StartupError("cannot run " + name + ": " + std::strerror(errno));
    }
    return name;
  }
  const char *env = std::getenv("PATH");
  std::string path = env ? env : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    struct stat st {};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string::npos)
      break;
    start = colon + 1;
  }
  throw StartupError("cannot run " + name + ": command not found");
}

// Child - the traced command, held before its execve until the programs
// are attached, so that tracing starts with the exec itself.
class Child {
public:
  Child(const std::vector<std::string> &command, unsigned closed_fds)
      : path_(find_program(command[0])), closed_fds_(closed_fds) {
    int gate[2];
    if (pipe2(gate, O_CLOEXEC) != 0) {
      throw StartupError(std::string("pipe: ") + std::strerror(errno));
    }
    pid_ = fork();
    if (pid_ < 0) {
      throw StartupError(std::string("fork: ") + std::strerror(errno));
    }
    if (pid_ == 0)
      run_child(gate, command);
    ::close(gate[0]);
    gate_ = gate[1];
  }

  pid_t pid() const { return pid_; }

  // release - lets the command exec; its gate closes with the exec.
  void release() {
    char go = 1;
    if (::write(gate_, &go, 1) != 1) {
      spdlog::error("cannot start the command: {}", std::strerror(errno));
    }
    ::close(gate_);
  }

  // exited - reaps the command if it has ended.
  bool exited(int &status) { return waitpid(pid_, &status, WNOHANG) == pid_; }

private:
  [[noreturn]] void run_child(int gate[2],
                              const std::vector<std::string> &command) {
    ::close(gate[1]);
    // The parent's blocked signals and ignored SIGPIPE are not the
    // command's.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);

    char go = 0;
    if (::read(gate[0], &go, 1) != 1)
      _exit(127);
    std::vector<char *> argv;
    for (const std::string &a : command) {
      argv.push_back(const_cast<char *>(a.c_str()));
    }
    argv.push_back(nullptr);
    // What vigil found closed and parked /dev/null on is closed again.
    for (int fd = 0; fd <= 2; ++fd) {
      if (closed_fds_ & (1u << fd))
        ::close(fd);
    }
    execve(path_.c_str(), argv.data(), environ);
    std::fprintf(stderr, "vigil: error: cannot run %s: %s\n", path_.c_str(),
                 std::strerror(errno));
    _exit(127);
  }

  std::string path_;
  unsigned closed_fds_ = 0; // standard descriptors to close before the exec
  pid_t pid_ = -1;
  int gate_ = -1;
};

bool process_gone(std::uint32_t pid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%u/stat", pid);
  FILE *f = std::fopen(path, "r");
  if (f == nullptr)
    return true;
  // A zombie has exited; only its parent's wait is missing.
  char state = 0;
  int scanned = std::fscanf(f, "%*d (%*[^)]) %c", &state);
  std::fclose(f);
  return scanned == 1 && (state == 'Z' || state == 'X');
}

CaptureSettings capture_settings(const TraceOptions &opts) {
  CaptureSettings s;
  s.scope.pids = opts.pids;
  s.scope.follow = opts.follow;
  bool strace_lines = opts.format == OutputFormat::kStrace;
  if (!opts.syscalls.empty() || strace_lines) {
    // strace's lines show the signals taken and a process's exit, and no
    // other process event; a fork tells when lines need their pid, and
    // -y which descriptors a child inherits.
    s.scope.events = opts.syscalls;
    s.scope.every_syscall = opts.syscalls.empty();
    s.scope.events.push_back("sched_process_exit");
    s.scope.events.push_back("signal_deliver");
    if (strace_lines)
      s.scope.events.push_back("sched_process_fork");
  }
  // Without -t, -T or a summary, strace's lines show no time at all.
  s.syscall_times =
      !strace_lines || opts.durations || opts.timestamps != Timestamps::kNone;
  // strace's lines show a task's pid and nothing else of who it is.
  s.identity = !strace_lines;
  s.bytes_max = opts.string_limit;
  s.keep_summary = opts.summary || opts.summary_and_lines;
  s.summary_only = opts.summary && !opts.summary_and_lines;
  // No event reaches the ring in a summary alone.
  if (s.summary_only)
    s.ring_bytes = 64u << 10;
  s.failed_only = opts.failed_only;
  return s;
}

int exit_status_of(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 1;
}

// end_like - vigil ends by the signal that killed its command, as strace
// does, so that whoever waits for it (a shell, a CI job) sees what the
// command did; without a core file of vigil's own. Returns when the
// signal does not kill.
void end_like(int sig) {
  rlimit none{0, 0};
  setrlimit(RLIMIT_CORE, &none);
  signal(sig, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  sigprocmask(SIG_UNBLOCK, &only, nullptr);
  raise(sig);
}

// wait_for_end - until the command (and with -f all it started) or the
// attached processes are gone, or a stop signal arrives. status is the
// command's wait status.
int wait_for_end(const TraceOptions &opts, Child *child, Session &session,
                 const sigset_t &signals, int &status) {
  bool child_done = child == nullptr;
  LossReporter losses;
  for (int ticks = 1;; ++ticks) {
    if (ticks % 50 == 0)
      losses.check(session.totals());
    int sig = sigtimedwait(&signals, nullptr, &kTick);
    if (sig == SIGINT || sig == SIGTERM) {
      if (child != nullptr && !child_done) {
        // The command gets the signal; one that ignores it is killed at
        // the next Ctrl-C.
        kill(child->pid(), sig);
        while (!child->exited(status)) {
          int again = sigtimedwait(&signals, nullptr, &kTick);
          if (again == SIGINT || again == SIGTERM)
            kill(child->pid(), SIGKILL);
        }
        return exit_status_of(status);
      }
      return 0;
    }
    if (child != nullptr && !child_done && child->exited(status)) {
      child_done = true;
    }
    if (child != nullptr && child_done) {
      if (!opts.follow || session.capture().followed_count() == 0) {
        return exit_status_of(status);
      }
      continue;
    }
    if (child == nullptr &&
        std::all_of(opts.pids.begin(), opts.pids.end(), process_gone)) {
      return 0;
    }
  }
}

} // namespace

int run_trace(const TraceOptions &opts) {
  sigset_t signals = block_stop_signals();
  CaptureProfile profile;
  profile.buffers = !(opts.summary && !opts.summary_and_lines);
  EventSchema schema(profile);

  std::unique_ptr<Child> child;
  CaptureSettings capture = capture_settings(opts);
  if (!opts.command.empty()) {
    child = std::make_unique<Child>(opts.command, opts.closed_std_fds);
    capture.scope.pids.push_back(static_cast<std::uint32_t>(child->pid()));
    capture.gate_tgid = static_cast<std::uint32_t>(child->pid());
  }

  ProcFdPaths fd_paths;
  PipelineSettings ps;
  ps.format = opts.format;
  ps.out_fd = open_output(opts.output, STDERR_FILENO);
  ps.workers = 1; // one thread keeps every process's lines in order
  ps.format_options.decode.string_limit = opts.string_limit;
  ps.format_options.decode.fd_paths = opts.fd_paths ? &fd_paths : nullptr;
  // As strace: -f -o FILE prefixes every line with its pid, in a column;
  // otherwise a line has "[pid N]" once a second task has shown up.
  ps.format_options.pid_prefix = opts.follow && !opts.output.empty();
  ps.format_options.pid_column = !opts.output.empty();
  ps.format_options.follow = opts.follow;
  ps.format_options.timestamps = opts.timestamps;
  ps.format_options.durations = opts.durations;

  if (opts.fd_paths) {
    for (std::uint32_t pid : capture.scope.pids)
      fd_paths.seed(pid, child && pid == capture.gate_tgid);
  }

  route_libbpf_logs();
  int status = 0;
  int command_status = 0;
  {
    Session session(capture, schema, ps);
    session.start();
    if (child)
      child->release();
    status = wait_for_end(opts, child.get(), session, signals, command_status);
    session.stop();

    // Unlike strace, vigil cannot hold a tracee back while its output is
    // slow: what did not fit is said, never dropped in silence.
    Totals t = session.totals();
    int err = session.pipeline().output_error();
    if (err != 0 && err != EPIPE) {
      spdlog::error("{} of {} events lost: writing the trace failed ({})",
                    t.lost(), t.seen, std::strerror(err));
      status = 1;
    } else if (t.lost() > 0) {
      spdlog::warn("{} of {} events lost: the output could not keep up "
                   "(write to a file with -o, or trace less with -e)",
                   t.lost(), t.seen);
      log_summary(t, spdlog::level::warn);
    }
    if (opts.summary || opts.summary_and_lines) {
      std::string table =
          format_summary(session.capture().summary(), schema, opts.sort);
      if (::write(ps.out_fd, table.data(), table.size()) < 0) {
        spdlog::error("writing the summary failed: {}", std::strerror(errno));
      }
    }
  }
  if (ps.out_fd != STDERR_FILENO)
    ::close(ps.out_fd);
  if (child && WIFSIGNALED(command_status) &&
      status == exit_status_of(command_status))
    end_like(WTERMSIG(command_status));
  return status;
}

} // namespace vigil
