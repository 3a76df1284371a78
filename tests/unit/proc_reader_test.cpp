#include "context/proc_reader.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using vigil::ProcessInfo;

namespace {

std::uint64_t monotonic_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

// A /proc/PID directory made of files and symlinks, as the kernel shows
// one.
class FakeProc {
public:
  FakeProc() {
    char tmpl[] = "/tmp/vigil-proc-XXXXXX";
    root_ = mkdtemp(tmpl);
  }
  ~FakeProc() { std::filesystem::remove_all(root_); }

  void file(std::uint32_t pid, const std::string &name,
            const std::string &text) {
    auto dir = std::filesystem::path(root_) / std::to_string(pid);
    std::filesystem::create_directories((dir / name).parent_path());
    std::ofstream(dir / name, std::ios::binary) << text;
  }
  void link(std::uint32_t pid, const std::string &name,
            const std::string &target) {
    auto dir = std::filesystem::path(root_) / std::to_string(pid);
    std::filesystem::create_directories((dir / name).parent_path());
    REQUIRE(symlink(target.c_str(), (dir / name).c_str()) == 0);
  }
  const std::string &root() const { return root_; }

private:
  std::string root_;
};

} // namespace

TEST_CASE("a stat line with spaces and parentheses in comm parses", "[proc]") {
  auto st = vigil::parse_proc_stat(
      "4242 (my (odd) prog) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 "
      "20 0 1 0 123456 1000000 100 18446744073709551615\n");
  REQUIRE(st);
  CHECK(st->comm == "my (odd) prog");
  CHECK(st->ppid == 17);
  CHECK(st->start_ticks == 123456);
  CHECK_FALSE(vigil::parse_proc_stat("4242 no comm here"));
  CHECK_FALSE(vigil::parse_proc_stat("4242 (short) S 1 2"));
}

TEST_CASE("status gives real ids, ppid and the innermost NSpid", "[proc]") {
  ProcessInfo info;
  vigil::parse_proc_status("Name:\tsh\nTgid:\t900\nPPid:\t12\n"
                           "Uid:\t1000\t0\t0\t0\nGid:\t100\t0\t0\t0\n"
                           "NSpid:\t900\t7\t1\n",
                           info);
  CHECK(info.uid == 1000);
  CHECK(info.gid == 100);
  CHECK(info.ppid == 12);
  CHECK(info.ns_pid == 1);
}

TEST_CASE("exe links of deleted and memfd binaries are told apart", "[proc]") {
  ProcessInfo plain;
  vigil::parse_exe_link("/usr/bin/ls", plain);
  CHECK(plain.exe == "/usr/bin/ls");
  CHECK_FALSE(plain.exe_deleted);
  CHECK_FALSE(plain.exe_memfd);

  ProcessInfo deleted;
  vigil::parse_exe_link("/tmp/x (deleted)", deleted);
  CHECK(deleted.exe == "/tmp/x");
  CHECK(deleted.exe_deleted);
  CHECK_FALSE(deleted.exe_memfd);

  ProcessInfo memfd;
  vigil::parse_exe_link("/memfd:payload (deleted)", memfd);
  CHECK(memfd.exe == "memfd:payload");
  CHECK(memfd.exe_memfd);
  CHECK_FALSE(memfd.exe_deleted);
}

TEST_CASE("namespace links give their inode", "[proc]") {
  CHECK(vigil::parse_ns_link("pid:[4026531836]") == 4026531836u);
  CHECK(vigil::parse_ns_link("cgroup:[4026531835]") == 4026531835u);
  CHECK(vigil::parse_ns_link("pid:[x]") == 0);
  CHECK(vigil::parse_ns_link("nonsense") == 0);
}

TEST_CASE("a command line splits at NULs and is bounded", "[proc]") {
  using namespace std::string_literals;
  bool cut = true;
  auto args = vigil::split_cmdline("sh\0-c\0echo hi\0"s, &cut);
  CHECK(args == std::vector<std::string>{"sh", "-c", "echo hi"});
  CHECK_FALSE(cut);
  CHECK(vigil::split_cmdline("").empty());
  std::string big(vigil::kCmdlineMax + 10, 'a');
  args = vigil::split_cmdline(big, &cut);
  CHECK(cut);
  REQUIRE(args.size() == 1);
  CHECK(args[0].size() == vigil::kCmdlineMax);
}

TEST_CASE("a fake /proc entry is read field by field", "[proc]") {
  using namespace std::string_literals;
  FakeProc proc;
  proc.file(900, "stat",
            "900 (worker) S 12 900 900 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 "
            "50 0 0\n");
  proc.file(900, "status",
            "Name:\tworker\nTgid:\t900\nPPid:\t12\nUid:\t33\t33\t33\t33\n"
            "Gid:\t44\t44\t44\t44\nNSpid:\t900\t3\n");
  proc.file(900, "cmdline", "worker\0--fast\0"s);
  proc.file(900, "loginuid", "1000");
  proc.link(900, "exe", "/opt/w (deleted)");
  proc.link(900, "ns/pid", "pid:[4026532001]");
  proc.link(900, "ns/mnt", "mnt:[4026532002]");
  proc.link(900, "ns/net", "net:[4026532003]");
  proc.link(900, "ns/uts", "uts:[4026532004]");
  proc.link(900, "ns/user", "user:[4026531837]");
  proc.link(900, "ns/cgroup", "cgroup:[4026531835]");

  auto info = vigil::read_process(proc.root(), 900);
  REQUIRE(info);
  CHECK(info->pid == 900);
  CHECK(info->ns_pid == 3);
  CHECK(info->ppid == 12);
  CHECK(info->comm == "worker");
  CHECK(info->exe == "/opt/w");
  CHECK(info->exe_deleted);
  CHECK(info->cmdline == std::vector<std::string>{"worker", "--fast"});
  CHECK(info->uid == 33);
  CHECK(info->gid == 44);
  CHECK(info->loginuid == 1000);
  CHECK(info->ns.pid == 4026532001u);
  CHECK(info->ns.mnt == 4026532002u);
  CHECK(info->ns.net == 4026532003u);
  CHECK(info->ns.uts == 4026532004u);
  CHECK(info->ns.user == 4026531837u);
  CHECK(info->ns.cgroup == 4026531835u);
  CHECK(vigil::list_pids(proc.root()) == std::vector<std::uint32_t>{900});
}

TEST_CASE("a thread id or a missing pid is not a process", "[proc]") {
  FakeProc proc;
  proc.file(901, "stat",
            "901 (t) S 12 900 900 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 50 0 0\n");
  proc.file(901, "status", "Name:\tt\nTgid:\t900\nPid:\t901\n");
  CHECK_FALSE(vigil::read_process(proc.root(), 901));
  CHECK_FALSE(vigil::read_process(proc.root(), 902));
}

TEST_CASE("this test's own process reads as the kernel shows it", "[proc]") {
  auto info =
      vigil::read_process("/proc", static_cast<std::uint32_t>(getpid()));
  REQUIRE(info);
  CHECK(info->ppid == static_cast<std::uint32_t>(getppid()));
  CHECK(info->uid == getuid());
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe));
  REQUIRE(n > 0);
  CHECK(info->exe == std::string(exe, static_cast<std::size_t>(n)));
  struct stat st {};
  REQUIRE(stat("/proc/self/ns/pid", &st) == 0);
  CHECK(info->ns.pid == st.st_ino);
  // Started before now, and not before boot.
  CHECK(info->start_ns > 0);
  CHECK(info->start_ns <= monotonic_now());
  CHECK_FALSE(info->cmdline.empty());
}
