// vigil_process.h - runs the real vigil binary for a runtime test: starts
// it with the given flags, waits until its probes are attached, stops it
// with SIGINT and reads the JSON lines it wrote.
#ifndef VIGIL_TESTS_RUNTIME_VIGIL_PROCESS_H
#define VIGIL_TESTS_RUNTIME_VIGIL_PROCESS_H

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::test {

using std::chrono::milliseconds;

// TempDir - a fresh directory under /tmp, removed with its files at the end.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const;

private:
  std::string path_;
};

// OutputLines - what vigil wrote, parsed line by line.
struct OutputLines {
  std::vector<nlohmann::json> events;
  std::vector<std::string> malformed;
};

// VigilStdout - where vigil's standard output goes.
enum class VigilStdout {
  kOutputFile, // -o FILE in a temporary directory; stdout is /dev/null
  kGivenFd,    // stdout is the descriptor passed to the constructor
};

// VigilProcess - one running vigil. The destructor kills a vigil that was
// not stopped, so a failed test never leaves probes attached.
class VigilProcess {
public:
  explicit VigilProcess(std::vector<std::string> flags,
                        VigilStdout out = VigilStdout::kOutputFile,
                        int stdout_fd = -1);
  ~VigilProcess();
  VigilProcess(const VigilProcess &) = delete;
  VigilProcess &operator=(const VigilProcess &) = delete;

  pid_t pid() const { return pid_; }

  // wait_ready - true once vigil logged "tracing ..." (probes attached),
  // false when it exited or the timeout passed first.
  bool wait_ready(milliseconds timeout = milliseconds(15000));

  // stop - SIGINT, then waits; the exit status, or nothing when vigil
  // hung (it is then killed) or died from a signal.
  std::optional<int> stop(milliseconds timeout = milliseconds(5000));

  // wait_exit - waits without sending anything; as stop().
  std::optional<int> wait_exit(milliseconds timeout);

  const std::string &stderr_text();
  OutputLines output() const;
  const std::string &output_path() const { return output_path_; }

private:
  void read_stderr(int poll_ms);

  std::optional<TempDir> dir_;
  std::string output_path_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int stderr_fd_ = -1;
  std::string stderr_;
};

// run_vigil_to_exit - runs vigil with flags and no workload, for flags it
// must refuse; stderr and the exit status (nothing on a hang or signal).
struct FinishedRun {
  std::optional<int> status; // the exit status, when vigil exited
  int signal = 0;            // the signal that ended vigil, if one did
  std::string stderr_text;
  std::string stdout_text;
};
FinishedRun run_vigil_to_exit(const std::vector<std::string> &flags,
                              milliseconds timeout);

// parse_lines - one JSON object per non-empty line.
OutputLines parse_lines(const std::string &text);

// wait_for_status - reaps pid within timeout; the raw wait status, or
// nothing after killing it with SIGKILL when the timeout passed.
std::optional<int> wait_for_status(pid_t pid, milliseconds timeout);

} // namespace vigil::test

#endif
