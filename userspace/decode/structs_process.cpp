// structs_process.cpp - process and descriptor structs: pipe fd pairs,
// pollfd arrays, epoll_event, clone_args, the robust list head and the
// capability header.
#include <algorithm>

#include "decode/structs_internal.h"

namespace vigil::structs {

namespace {

// strace's default -s 32 also caps how many array elements it prints.
constexpr std::uint64_t kMaxElements = 32;
constexpr std::size_t kPollfdSize = 8;

// strace's pollflags order.
constexpr FlagName kPollFlags[] = {
    {0x0001, "POLLIN"},     {0x0002, "POLLPRI"},        {0x0004, "POLLOUT"},
    {0x0008, "POLLERR"},    {0x0010, "POLLHUP"},        {0x0020, "POLLNVAL"},
    {0x0040, "POLLRDNORM"}, {0x0080, "POLLRDBAND"},     {0x0100, "POLLWRNORM"},
    {0x0200, "POLLWRBAND"}, {0x0400, "POLLMSG"},        {0x1000, "POLLREMOVE"},
    {0x2000, "POLLRDHUP"},  {0x8000, "POLL_BUSY_LOOP"},
};

// strace's epollevents order.
constexpr FlagName kEpollFlags[] = {
    {0x00000001, "EPOLLIN"},        {0x00000002, "EPOLLPRI"},
    {0x00000004, "EPOLLOUT"},       {0x00000008, "EPOLLERR"},
    {0x00000010, "EPOLLHUP"},       {0x00000020, "EPOLLNVAL"},
    {0x00000040, "EPOLLRDNORM"},    {0x00000080, "EPOLLRDBAND"},
    {0x00000100, "EPOLLWRNORM"},    {0x00000200, "EPOLLWRBAND"},
    {0x00000400, "EPOLLMSG"},       {0x00002000, "EPOLLRDHUP"},
    {0x10000000, "EPOLLEXCLUSIVE"}, {0x20000000, "EPOLLWAKEUP"},
    {0x40000000, "EPOLLONESHOT"},   {0x80000000, "EPOLLET"},
};

constexpr std::uint64_t kClonePidfd = 0x00001000;
constexpr std::uint64_t kCloneSettls = 0x00080000;
constexpr std::uint64_t kCloneParentSettid = 0x00100000;
constexpr std::uint64_t kCloneChildCleartid = 0x00200000;
constexpr std::uint64_t kCloneChildSettid = 0x01000000;
constexpr std::uint64_t kCloneIntoCgroup = 0x200000000;

// strace's clone_flags order: by value, except that CLONE_NEWTIME (which
// reuses the old CSIGNAL space) comes after CLONE_IO, and the obsolete
// CLONE_DETACHED is not named at all.
constexpr FlagName kCloneFlags[] = {
    {0x00000100, "CLONE_VM"},
    {0x00000200, "CLONE_FS"},
    {0x00000400, "CLONE_FILES"},
    {0x00000800, "CLONE_SIGHAND"},
    {0x00001000, "CLONE_PIDFD"},
    {0x00002000, "CLONE_PTRACE"},
    {0x00004000, "CLONE_VFORK"},
    {0x00008000, "CLONE_PARENT"},
    {0x00010000, "CLONE_THREAD"},
    {0x00020000, "CLONE_NEWNS"},
    {0x00040000, "CLONE_SYSVSEM"},
    {0x00080000, "CLONE_SETTLS"},
    {0x00100000, "CLONE_PARENT_SETTID"},
    {0x00200000, "CLONE_CHILD_CLEARTID"},
    {0x00800000, "CLONE_UNTRACED"},
    {0x01000000, "CLONE_CHILD_SETTID"},
    {0x02000000, "CLONE_NEWCGROUP"},
    {0x04000000, "CLONE_NEWUTS"},
    {0x08000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},
    {0x40000000, "CLONE_NEWNET"},
    {0x80000000, "CLONE_IO"},
    {0x00000080, "CLONE_NEWTIME"},
    {0x100000000, "CLONE_CLEAR_SIGHAND"},
    {0x200000000, "CLONE_INTO_CGROUP"},
};

// struct clone_args grew: 64 bytes in Linux 5.3 (up to tls), 80 with
// set_tid in 5.5, 88 with cgroup in 5.7.
constexpr std::size_t kCloneArgsMin = 64;
constexpr std::size_t kCloneArgsSize = 88;

constexpr FlagName kCapVersions[] = {
    {0x19980330, "_LINUX_CAPABILITY_VERSION_1"},
    {0x20071026, "_LINUX_CAPABILITY_VERSION_2"},
    {0x20080522, "_LINUX_CAPABILITY_VERSION_3"},
};

void write_pollfd(ValueWriter &w, Bytes entry) {
  std::int32_t fd = read<std::int32_t>(entry, 0);
  w.begin_struct();
  w.field("fd");
  w.signed_int(fd);
  // A negative fd is ignored by the kernel, and strace shows no events.
  if (fd >= 0) {
    w.field("events");
    write_flags(w, kPollFlags, read<std::uint16_t>(entry, 4), "POLL???");
  }
  w.end_struct();
}

void write_addr_field(ValueWriter &w, std::string_view name, Bytes b,
                      std::size_t offset) {
  w.field(name);
  w.pointer(read<std::uint64_t>(b, offset));
}

} // namespace

void write_int_pair(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  w.begin_array();
  for (std::size_t offset = 0; offset < 8; offset += 4) {
    if (!covers(bytes, offset, 4)) {
      w.ellipsis();
      break;
    }
    w.element();
    w.signed_int(read<std::int32_t>(bytes, offset));
  }
  w.end_array();
}

// poll and ppoll on entry: len_hint is nfds. Entries past strace's
// element limit, or past the capture, become "...".
void write_pollfds(ValueWriter &w, Bytes bytes, std::uint64_t address,
                   std::uint64_t len_hint) {
  if (len_hint != 0 && bytes.size() < kPollfdSize) {
    w.unreadable(address);
    return;
  }

  w.begin_array();
  for (std::uint64_t i = 0; i < len_hint; ++i) {
    std::size_t offset = i * kPollfdSize;
    if (i >= kMaxElements || !covers(bytes, offset, kPollfdSize)) {
      w.ellipsis();
      break;
    }
    w.element();
    write_pollfd(w, bytes.subspan(offset, kPollfdSize));
  }
  w.end_array();
}

// struct epoll_event is packed on x86_64: events at 0, data at 4. strace
// shows data both as its low 32 bits and as the whole u64.
void write_epoll_event(ValueWriter &w, Bytes bytes, std::uint64_t,
                       std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();
  if (c.field("events", 0, 4))
    write_flags(w, kEpollFlags, c.get<std::uint32_t>(0), "EPOLL???");
  if (c.field("data", 4, 8)) {
    std::uint64_t data = c.get<std::uint64_t>(4);
    w.begin_struct();
    w.field("u32");
    w.unsigned_int(static_cast<std::uint32_t>(data));
    w.field("u64");
    w.unsigned_int(data);
    w.end_struct();
  }
  w.end_struct();
}

// clone3's struct clone_args: len_hint is the size argument. strace
// shows the pointer fields only when a flag gives them meaning.
// Not yet handled: a readable set_tid array, which strace prints as
// [pid, ...] and vigil as its address because the array is not captured;
// and the non-zero tail strace prints when size exceeds 88.
void write_clone_args(ValueWriter &w, Bytes bytes, std::uint64_t address,
                      std::uint64_t len_hint) {
  std::size_t size = len_hint == 0 ? kCloneArgsSize : len_hint;
  size = std::min(size, kCloneArgsSize);
  if (size < kCloneArgsMin || bytes.size() < size) {
    w.unreadable(address);
    return;
  }
  Bytes b = bytes.subspan(0, size);

  std::uint64_t flags = read<std::uint64_t>(b, 0);
  w.begin_struct();
  w.field("flags");
  write_flags(w, kCloneFlags, flags, "CLONE_???");
  if (flags & kClonePidfd)
    write_addr_field(w, "pidfd", b, 8);
  if (flags & (kCloneChildSettid | kCloneChildCleartid))
    write_addr_field(w, "child_tid", b, 16);
  if (flags & kCloneParentSettid)
    write_addr_field(w, "parent_tid", b, 24);

  std::uint64_t exit_signal = read<std::uint64_t>(b, 32);
  w.field("exit_signal");
  if (exit_signal < 0x7fffffff) {
    w.symbol(signal_text(static_cast<std::int64_t>(exit_signal)));
  } else {
    w.unsigned_int(exit_signal);
  }

  write_addr_field(w, "stack", b, 40);
  w.field("stack_size");
  write_hex(w, read<std::uint64_t>(b, 48));
  if (flags & kCloneSettls)
    write_addr_field(w, "tls", b, 56);

  std::uint64_t set_tid_size = read<std::uint64_t>(b, 72);
  if (read<std::uint64_t>(b, 64) != 0 || set_tid_size != 0) {
    write_addr_field(w, "set_tid", b, 64);
    w.field("set_tid_size");
    w.unsigned_int(set_tid_size);
  }

  std::uint64_t cgroup = read<std::uint64_t>(b, 80);
  if (size > 80 && (cgroup != 0 || (flags & kCloneIntoCgroup))) {
    w.field("cgroup");
    w.unsigned_int(cgroup);
  }
  w.end_struct();
}

// set_robust_list: strace prints the head pointer, never the list.
void write_robust_list_head(ValueWriter &w, Bytes, std::uint64_t address,
                            std::uint64_t) {
  w.pointer(address);
}

void write_cap_header(ValueWriter &w, Bytes bytes, std::uint64_t,
                      std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();
  if (c.field("version", 0, 4))
    write_xval(w, kCapVersions, c.get<std::uint32_t>(0),
               "_LINUX_CAPABILITY_VERSION_???");
  c.signed_field("pid", 4, 4);
  w.end_struct();
}

} // namespace vigil::structs
