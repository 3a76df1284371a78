#include "decode/structs.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using vigil::JsonValueWriter;
using vigil::StraceWriter;
using vigil::StructKind;
using vigil::write_struct;

namespace {

// A user pointer value for fallbacks; any non-null address will do.
constexpr std::uint64_t kAddress = 0x7ffd1000;

template <typename T> std::span<const std::byte> bytes_of(const T &value) {
  return std::as_bytes(std::span(&value, 1));
}

std::string strace_text(StructKind kind, std::span<const std::byte> bytes,
                        std::uint64_t len_hint = 0,
                        std::uint64_t address = kAddress) {
  std::string out;
  StraceWriter w(out);
  write_struct(w, kind, bytes, address, len_hint);
  return out;
}

nlohmann::json json_of(StructKind kind, std::span<const std::byte> bytes,
                       std::uint64_t len_hint = 0) {
  std::string out;
  JsonValueWriter w(out);
  write_struct(w, kind, bytes, kAddress, len_hint);
  return nlohmann::json::parse(out);
}

// The kernel's struct sigaction as rt_sigaction copies it on x86_64.
struct KernelSigaction {
  std::uint64_t handler;
  std::uint64_t flags;
  std::uint64_t restorer;
  std::uint64_t mask;
};

// A file of known size and mode, removed when the test ends.
class TempFile {
public:
  TempFile(std::size_t size, mode_t mode) {
    char name[] = "/tmp/vigil_structs_XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    path_ = name;
    std::string data(size, 'x');
    REQUIRE(write(fd, data.data(), data.size()) == static_cast<ssize_t>(size));
    REQUIRE(fchmod(fd, mode) == 0);
    close(fd);
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

} // namespace

TEST_CASE("stat of a regular file shows mode and size then ellipsis",
          "[structs]") {
  TempFile file(46596, 0644);
  struct stat st {};
  REQUIRE(stat(file.path().c_str(), &st) == 0);
  static_assert(sizeof(st) == 144);
  REQUIRE(vigil::struct_capture_size(StructKind::kStat) == sizeof(st));

  CHECK(strace_text(StructKind::kStat, bytes_of(st)) ==
        "{st_mode=S_IFREG|0644, st_size=46596, ...}");

  nlohmann::json j = json_of(StructKind::kStat, bytes_of(st));
  CHECK(j["st_mode"] == "S_IFREG|0644");
  CHECK(j["st_size"] == 46596);
}

TEST_CASE("stat of a setuid file names the extra mode bits", "[structs]") {
  TempFile file(1, 04755);
  struct stat st {};
  REQUIRE(stat(file.path().c_str(), &st) == 0);
  CHECK(strace_text(StructKind::kStat, bytes_of(st)) ==
        "{st_mode=S_IFREG|S_ISUID|0755, st_size=1, ...}");
}

TEST_CASE("stat of a character device shows st_rdev as makedev", "[structs]") {
  struct stat st {};
  REQUIRE(stat("/dev/null", &st) == 0);
  CHECK(strace_text(StructKind::kStat, bytes_of(st)) ==
        "{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}");

  st.st_rdev = makedev(0x88, 0);
  st.st_mode = S_IFCHR | 0620;
  CHECK(strace_text(StructKind::kStat, bytes_of(st)) ==
        "{st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0), ...}");
}

TEST_CASE("a stat capture cut after st_mode ends in an ellipsis", "[structs]") {
  struct stat st {};
  st.st_mode = S_IFDIR | 0755;
  st.st_size = 4096;
  auto all = bytes_of(st);

  CHECK(strace_text(StructKind::kStat, all.first(40)) ==
        "{st_mode=S_IFDIR|0755, ...}");
  CHECK(json_of(StructKind::kStat, all.first(40)) ==
        nlohmann::json{{"st_mode", "S_IFDIR|0755"}});
  // Too little for st_mode: strace's form for unreadable memory.
  CHECK(strace_text(StructKind::kStat, all.first(10)) == "0x7ffd1000");
  CHECK(strace_text(StructKind::kStat, {}) == "0x7ffd1000");
  CHECK(strace_text(StructKind::kStat, all, 0, 0) == "NULL");
  CHECK(json_of(StructKind::kStat, {}).is_null());
}

TEST_CASE("statfs prints every field and names the magic", "[structs]") {
  std::vector<std::uint64_t> f(15, 0);
  f[0] = 0xef53;  // f_type
  f[1] = 4096;    // f_bsize
  f[2] = 100;     // f_blocks
  f[7] = 0x15;    // f_fsid: val[0] = 0x15, val[1] = 0
  f[8] = 255;     // f_namelen
  f[9] = 4096;    // f_frsize
  f[10] = 0x1020; // ST_VALID|ST_RELATIME
  auto bytes = std::as_bytes(std::span(f));

  CHECK(strace_text(StructKind::kStatfs, bytes) ==
        "{f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=100, f_bfree=0, "
        "f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, "
        "f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}");

  // Without ST_VALID the kernel did not fill f_flags.
  f[10] = 0x1000;
  f[0] = 0x12345;
  CHECK(strace_text(StructKind::kStatfs, bytes) ==
        "{f_type=0x12345, f_bsize=4096, f_blocks=100, f_bfree=0, "
        "f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, "
        "f_namelen=255, f_frsize=4096}");
  nlohmann::json j = json_of(StructKind::kStatfs, bytes);
  CHECK(j["f_fsid"]["val"] == nlohmann::json::array({0x15, 0}));
}

TEST_CASE("statx shows mask, attributes, mode and size", "[structs]") {
  TempFile file(12, 0644);
  struct statx sx {};
  REQUIRE(statx(AT_FDCWD, file.path().c_str(), 0, STATX_BASIC_STATS, &sx) == 0);
  sx.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
  CHECK(strace_text(StructKind::kStatx, bytes_of(sx)) ==
        "{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, "
        "stx_mode=S_IFREG|0644, stx_size=12, ...}");

  sx.stx_mask = 0x8000000;
  sx.stx_attributes = STATX_ATTR_MOUNT_ROOT | 0x1;
  CHECK(strace_text(StructKind::kStatx, bytes_of(sx)) ==
        "{stx_mask=0x8000000 /* STATX_??? */, "
        "stx_attributes=STATX_ATTR_MOUNT_ROOT|0x1, "
        "stx_mode=S_IFREG|0644, stx_size=12, ...}");
}

TEST_CASE("timespec, timeval and itimerspec print seconds and fraction",
          "[structs]") {
  struct timespec ts = {0, 100000000};
  CHECK(strace_text(StructKind::kTimespec, bytes_of(ts)) ==
        "{tv_sec=0, tv_nsec=100000000}");
  // strace prints the fraction unsigned.
  ts = {-1, -5};
  CHECK(strace_text(StructKind::kTimespec, bytes_of(ts)) ==
        "{tv_sec=-1, tv_nsec=18446744073709551611}");

  struct timeval tv = {12, 34};
  CHECK(strace_text(StructKind::kTimeval, bytes_of(tv)) ==
        "{tv_sec=12, tv_usec=34}");
  CHECK(strace_text(StructKind::kTimeval, bytes_of(tv).first(12)) ==
        "0x7ffd1000");

  struct itimerspec its = {{0, 0}, {1, 500}};
  CHECK(strace_text(StructKind::kItimerspec, bytes_of(its)) ==
        "{it_interval={tv_sec=0, tv_nsec=0}, "
        "it_value={tv_sec=1, tv_nsec=500}}");
  nlohmann::json j = json_of(StructKind::kItimerspec, bytes_of(its));
  CHECK(j["it_value"]["tv_nsec"] == 500);
}

TEST_CASE("rt_sigaction's struct shows handler, mask, flags, restorer",
          "[structs]") {
  KernelSigaction sa{0x55d1c0a0, 0x04000000, 0x7f0012345678, 0};
  CHECK(strace_text(StructKind::kSigaction, bytes_of(sa)) ==
        "{sa_handler=0x55d1c0a0, sa_mask=[], sa_flags=SA_RESTORER, "
        "sa_restorer=0x7f0012345678}");

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGQUIT);
  std::memcpy(&sa.mask, &set, sizeof(sa.mask));
  sa.handler = 0; // SIG_DFL
  sa.flags = 0x04000000 | SA_RESTART | SA_SIGINFO;
  CHECK(strace_text(StructKind::kSigaction, bytes_of(sa)) ==
        "{sa_handler=SIG_DFL, sa_mask=[INT QUIT], "
        "sa_flags=SA_RESTORER|SA_RESTART|SA_SIGINFO, "
        "sa_restorer=0x7f0012345678}");

  // Without SA_RESTORER strace leaves sa_restorer out.
  sa = {1, 0x400, 0, 0};
  CHECK(strace_text(StructKind::kSigaction, bytes_of(sa)) ==
        "{sa_handler=SIG_IGN, sa_mask=[], sa_flags=0x400 /* SA_??? */}");

  nlohmann::json j = json_of(StructKind::kSigaction, bytes_of(sa));
  CHECK(j["sa_handler"] == "SIG_IGN");
  CHECK(j["sa_flags"] == 0x400);
}

TEST_CASE("sigsets list members and switch to ~[] when mostly full",
          "[structs]") {
  sigset_t set;
  auto text = [&]() {
    return strace_text(StructKind::kSigset,
                       std::as_bytes(std::span(&set, 1)).first(8), 8);
  };

  sigemptyset(&set);
  CHECK(text() == "[]");
  sigaddset(&set, SIGCHLD);
  CHECK(text() == "[CHLD]");
  sigaddset(&set, 35);
  CHECK(text() == "[CHLD RT_3]");

  // glibc's sigfillset leaves out its two private real-time signals.
  sigfillset(&set);
  CHECK(text() == "~[RTMIN RT_1]");
  sigdelset(&set, SIGKILL);
  CHECK(text() == "~[KILL RTMIN RT_1]");

  // Only the kernel's 8-byte size is decoded, as strace does.
  CHECK(strace_text(StructKind::kSigset,
                    std::as_bytes(std::span(&set, 1)).first(8),
                    4) == "0x7ffd1000");
  CHECK(json_of(StructKind::kSigset, std::as_bytes(std::span(&set, 1)).first(8),
                8) == "~[KILL RTMIN RT_1]");
}

TEST_CASE("rlimit shows KiB multiples and infinity as strace does",
          "[structs]") {
  struct rlimit rl = {8192 * 1024, RLIM_INFINITY};
  CHECK(strace_text(StructKind::kRlimit, bytes_of(rl)) ==
        "{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}");
  rl = {1024, 20000};
  CHECK(strace_text(StructKind::kRlimit, bytes_of(rl)) ==
        "{rlim_cur=1024, rlim_max=20000}");
  nlohmann::json j = json_of(StructKind::kRlimit, bytes_of(rl));
  CHECK(j["rlim_max"] == 20000);
}

TEST_CASE("uname shows sysname and nodename only", "[structs]") {
  struct utsname u {};
  REQUIRE(uname(&u) == 0);
  std::string expected = std::string("{sysname=\"") + u.sysname +
                         "\", nodename=\"" + u.nodename + "\", ...}";
  CHECK(strace_text(StructKind::kUtsname, bytes_of(u)) == expected);
  CHECK(json_of(StructKind::kUtsname, bytes_of(u))["sysname"] == u.sysname);
}

TEST_CASE("AF_INET and AF_INET6 addresses use strace's expressions",
          "[structs]") {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(80);
  in.sin_addr.s_addr = inet_addr("127.0.0.1");
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(in), sizeof(in)) ==
        "{sa_family=AF_INET, sin_port=htons(80), "
        "sin_addr=inet_addr(\"127.0.0.1\")}");
  nlohmann::json j = json_of(StructKind::kSockaddr, bytes_of(in), sizeof(in));
  CHECK(j["sa_family"] == "AF_INET");
  CHECK(j["sin_port"] == "htons(80)");

  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(443);
  REQUIRE(inet_pton(AF_INET6, "::1", &in6.sin6_addr) == 1);
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(in6), sizeof(in6)) ==
        "{sa_family=AF_INET6, sin6_port=htons(443), "
        "sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), "
        "sin6_scope_id=0}");
  // JSON has no nameless members, so the address gets its field name.
  j = json_of(StructKind::kSockaddr, bytes_of(in6), sizeof(in6));
  CHECK(j["sin6_addr"] == "inet_pton(AF_INET6, \"::1\", &sin6_addr)");
  CHECK(j["sin6_scope_id"] == 0);
}

TEST_CASE("AF_UNIX paths, abstract names and a bare family", "[structs]") {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strcpy(un.sun_path, "/run/x.sock");
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(un), sizeof(un)) ==
        "{sa_family=AF_UNIX, sun_path=\"/run/x.sock\"}");

  std::memset(un.sun_path, 0, sizeof(un.sun_path));
  std::strcpy(un.sun_path + 1, "abstract");
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(un), 2 + 9) ==
        "{sa_family=AF_UNIX, sun_path=@\"abstract\"}");
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(un), 2) ==
        "{sa_family=AF_UNIX}");
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(un), 1) == "0x7ffd1000");
}

TEST_CASE("AF_NETLINK and unknown families", "[structs]") {
  sockaddr_nl nl{};
  nl.nl_family = AF_NETLINK;
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(nl), sizeof(nl)) ==
        "{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}");
  nl.nl_pid = 77;
  nl.nl_groups = 5;
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(nl), sizeof(nl)) ==
        "{sa_family=AF_NETLINK, nl_pid=77, nl_groups=0x000005}");

  sockaddr_in in{};
  in.sin_family = 99;
  CHECK(strace_text(StructKind::kSockaddr, bytes_of(in), 4) ==
        "{sa_family=0x63 /* AF_??? */, sa_data=\"\\0\\0\"}");
}

TEST_CASE("pipe fds print as a two-element array", "[structs]") {
  int fds[2] = {3, 4};
  CHECK(strace_text(StructKind::kIntPair, bytes_of(fds)) == "[3, 4]");
  CHECK(json_of(StructKind::kIntPair, bytes_of(fds)) ==
        nlohmann::json::array({3, 4}));
}

TEST_CASE("wait statuses name the W* macro that matches", "[structs]") {
  auto text = [](int status) {
    return strace_text(StructKind::kWaitStatus, bytes_of(status));
  };

  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0)
    _exit(0);
  int status = -1;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(text(status) == "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]");

  child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  kill(child, SIGKILL);
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(text(status) == "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]");

  CHECK(text(0x137f) == "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]");
  CHECK(text(0xffff) == "[{WIFCONTINUED(s)}]");
  CHECK(text(0x8b) == "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && "
                      "WCOREDUMP(s)}]");
  CHECK(text((PTRACE_EVENT_EXEC << 16) | 0x57f) ==
        "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP} | PTRACE_EVENT_EXEC << "
        "16]");
  CHECK(json_of(StructKind::kWaitStatus, bytes_of(0x300)) ==
        nlohmann::json::array({"{WIFEXITED(s) && WEXITSTATUS(s) == 3}"}));
}

TEST_CASE("rusage and sysinfo in abbreviated form", "[structs]") {
  struct rusage ru {};
  ru.ru_utime = {0, 1234};
  ru.ru_maxrss = 99;
  CHECK(strace_text(StructKind::kRusage, bytes_of(ru)) ==
        "{ru_utime={tv_sec=0, tv_usec=1234}, "
        "ru_stime={tv_sec=0, tv_usec=0}, ...}");

  struct sysinfo_like {
    long uptime;
    unsigned long loads[3];
    unsigned long ram[6];
    unsigned short procs;
    unsigned long high[2];
    unsigned int mem_unit;
    char pad[4];
  } si{};
  static_assert(sizeof(si) == 112);
  si.uptime = 2275;
  si.loads[0] = 94304;
  si.ram[0] = 25275973632;
  si.procs = 104;
  si.mem_unit = 1;
  CHECK(strace_text(StructKind::kSysinfo, bytes_of(si)) ==
        "{uptime=2275, loads=[94304, 0, 0], totalram=25275973632, "
        "freeram=0, sharedram=0, bufferram=0, totalswap=0, freeswap=0, "
        "procs=104, totalhigh=0, freehigh=0, mem_unit=1}");
  CHECK(json_of(StructKind::kSysinfo, bytes_of(si))["procs"] == 104);
}

TEST_CASE("pollfd arrays skip events for negative fds", "[structs]") {
  struct pollfd fds[2] = {{3, POLLIN, 0}, {-1, POLLIN, 0}};
  CHECK(strace_text(StructKind::kPollfds, bytes_of(fds), 2) ==
        "[{fd=3, events=POLLIN}, {fd=-1}]");
  CHECK(strace_text(StructKind::kPollfds, {}, 0) == "[]");
  // A capture holding one of two entries shows where it was cut.
  CHECK(strace_text(StructKind::kPollfds, bytes_of(fds).first(8), 2) ==
        "[{fd=3, events=POLLIN}, ...]");
}

TEST_CASE("epoll_event shows data as u32 and u64", "[structs]") {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.u64 = 0x100000003ull;
  static_assert(sizeof(ev) == 12);
  CHECK(strace_text(StructKind::kEpollEvent, bytes_of(ev)) ==
        "{events=EPOLLIN|EPOLLET, data={u32=3, u64=4294967299}}");
}

TEST_CASE("clone3 args show the fields their flags make meaningful",
          "[structs]") {
  clone_args ca{};
  ca.flags = CLONE_VM | CLONE_VFORK;
  ca.exit_signal = SIGCHLD;
  ca.stack = 0x55d1c0a000;
  ca.stack_size = 0x10000;
  CHECK(strace_text(StructKind::kCloneArgs, bytes_of(ca), sizeof(ca)) ==
        "{flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, "
        "stack=0x55d1c0a000, stack_size=0x10000}");

  ca = {};
  ca.flags = CLONE_PIDFD | CLONE_SETTLS;
  ca.pidfd = 0x7ffd0010;
  ca.tls = 0x7f001000;
  CHECK(strace_text(StructKind::kCloneArgs, bytes_of(ca), sizeof(ca)) ==
        "{flags=CLONE_PIDFD|CLONE_SETTLS, pidfd=0x7ffd0010, exit_signal=0, "
        "stack=NULL, stack_size=0, tls=0x7f001000}");

  // Sizes below the first clone_args version are not decoded.
  CHECK(strace_text(StructKind::kCloneArgs, bytes_of(ca), 32) == "0x7ffd1000");
  nlohmann::json j = json_of(StructKind::kCloneArgs, bytes_of(ca), 88);
  CHECK(j["flags"] == "CLONE_PIDFD|CLONE_SETTLS");
  CHECK(j["stack"].is_null());
}

TEST_CASE("small structs: timezone, tms, cap header, robust list",
          "[structs]") {
  int tz[2] = {-60, 0};
  CHECK(strace_text(StructKind::kTimezone, bytes_of(tz)) ==
        "{tz_minuteswest=-60, tz_dsttime=0}");

  long tms[4] = {1, 2, 3, 4};
  CHECK(strace_text(StructKind::kTms, bytes_of(tms)) ==
        "{tms_utime=1, tms_stime=2, tms_cutime=3, tms_cstime=4}");

  __user_cap_header_struct ch{_LINUX_CAPABILITY_VERSION_3, 0};
  CHECK(strace_text(StructKind::kCapHeader, bytes_of(ch)) ==
        "{version=_LINUX_CAPABILITY_VERSION_3, pid=0}");
  ch = {0x1234, 5};
  CHECK(strace_text(StructKind::kCapHeader, bytes_of(ch)) ==
        "{version=0x1234 /* _LINUX_CAPABILITY_VERSION_??? */, pid=5}");

  CHECK(strace_text(StructKind::kRobustListHead, {}) == "0x7ffd1000");
}

TEST_CASE("getdents64 counts the records in the returned bytes", "[structs]") {
  // Three records of 24 bytes: d_reclen sits at offset 16.
  std::vector<std::byte> buf(72);
  for (std::size_t off = 0; off < buf.size(); off += 24)
    buf[off + 16] = std::byte{24};
  CHECK(strace_text(StructKind::kLinuxDirent64, buf, buf.size()) ==
        "0x7ffd1000 /* 3 entries */");
  CHECK(strace_text(StructKind::kLinuxDirent64, {}, 0) ==
        "0x7ffd1000 /* 0 entries */");
  // A capture shorter than the return value gives no count at all.
  CHECK(strace_text(StructKind::kLinuxDirent64, std::span(buf).first(48),
                    buf.size()) == "0x7ffd1000");
  CHECK(json_of(StructKind::kLinuxDirent64, buf, buf.size()) == kAddress);
}

TEST_CASE("siginfo shows the sender, a child's status or a fault address",
          "[structs]") {
  siginfo_t si{};
  si.si_signo = SIGUSR1;
  si.si_code = SI_TKILL;
  si.si_pid = 4242;
  si.si_uid = 1000;
  CHECK(strace_text(StructKind::kSiginfo, bytes_of(si)) ==
        "{si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=4242, si_uid=1000}");

  siginfo_t chld{};
  chld.si_signo = SIGCHLD;
  chld.si_code = CLD_EXITED;
  chld.si_pid = 77;
  chld.si_status = 3;
  chld.si_utime = 2;
  CHECK(strace_text(StructKind::kSiginfo, bytes_of(chld)) ==
        "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=77, si_uid=0, "
        "si_status=3, si_utime=2, si_stime=0}");
  chld.si_code = CLD_KILLED;
  chld.si_status = SIGTERM;
  CHECK(strace_text(StructKind::kSiginfo, bytes_of(chld)) ==
        "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=77, si_uid=0, "
        "si_status=SIGTERM, si_utime=2, si_stime=0}");

  siginfo_t segv{};
  segv.si_signo = SIGSEGV;
  segv.si_code = SEGV_MAPERR;
  CHECK(strace_text(StructKind::kSiginfo, bytes_of(segv)) ==
        "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}");
  segv.si_addr = reinterpret_cast<void *>(0x1000);
  nlohmann::json j = json_of(StructKind::kSiginfo, bytes_of(segv));
  CHECK(j["si_signo"] == "SIGSEGV");
  CHECK(j["si_code"] == "SEGV_MAPERR");
  CHECK(j["si_addr"] == 0x1000);

  // A queued signal carries its value; the kernel's own code names no
  // sender unless one is set.
  siginfo_t q{};
  q.si_signo = SIGRTMIN;
  q.si_code = SI_QUEUE;
  q.si_pid = 5;
  q.si_value.sival_int = 42;
  CHECK(strace_text(StructKind::kSiginfo, bytes_of(q)) ==
        "{si_signo=SIGRT_2, si_code=SI_QUEUE, si_pid=5, si_uid=0, si_int=42, "
        "si_ptr=0x2a}");
  siginfo_t k{};
  k.si_signo = SIGALRM;
  k.si_code = SI_KERNEL;
  CHECK(strace_text(StructKind::kSiginfo, bytes_of(k)) ==
        "{si_signo=SIGALRM, si_code=SI_KERNEL}");
  // A capture cut inside the sender ends in an ellipsis; an unknown code
  // is a number.
  CHECK(strace_text(StructKind::kSiginfo, bytes_of(si).first(18)) ==
        "{si_signo=SIGUSR1, si_code=SI_TKILL, ...}");
  si.si_code = 77;
  CHECK(strace_text(StructKind::kSiginfo, bytes_of(si)) ==
        "{si_signo=SIGUSR1, si_code=0x4d, si_pid=4242, si_uid=1000}");
}
