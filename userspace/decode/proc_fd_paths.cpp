#include "decode/proc_fd_paths.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace vigil {

namespace {

constexpr int kAtFdcwd = -100;

// read_proc_link - what fd of pid names, or its working directory for
// AT_FDCWD.
bool read_proc_link(std::uint32_t pid, int fd, std::string &out) {
  char link[64];
  if (fd == kAtFdcwd)
    std::snprintf(link, sizeof(link), "/proc/%u/cwd", pid);
  else
    std::snprintf(link, sizeof(link), "/proc/%u/fd/%d", pid, fd);
  char target[4096];
  ssize_t n = readlink(link, target, sizeof(target));
  if (n <= 0)
    return false;
  out.assign(target, static_cast<std::size_t>(n));
  return true;
}

// The path argument of an open-family call, if it names the file alone.
const CapturedArg *absolute_path_arg(const RawEvent &ev,
                                     const SyscallSchema &sc) {
  for (int i = 0; i < sc.nargs; ++i) {
    const auto &cap = ev.captured[i];
    if (sc.args[i].spec.sem == Sem::kPath && cap && !cap->fault() &&
        cap->bytes.starts_with('/')) {
      return &*cap;
    }
  }
  return nullptr;
}

// joined - path taken from dir, with its "." and ".." parts folded, as
// a chdir moves (links aside).
std::string joined(std::string_view dir, std::string_view path) {
  std::vector<std::string_view> parts;
  auto add = [&](std::string_view text) {
    while (!text.empty()) {
      std::size_t slash = text.find('/');
      std::string_view part = text.substr(0, slash);
      text = slash == std::string_view::npos ? "" : text.substr(slash + 1);
      if (part == "..") {
        if (!parts.empty())
          parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
    }
  };
  if (!path.starts_with('/'))
    add(dir);
  add(path);
  std::string out;
  for (std::string_view part : parts) {
    out.push_back('/');
    out.append(part);
  }
  return out.empty() ? "/" : out;
}

} // namespace

std::string_view ProcFdPaths::path(std::uint32_t pid, int fd) {
  auto it = known_.find({pid, fd});
  if (it != known_.end())
    return it->second;
  std::string target;
  if (!read_proc_link(pid, fd, target))
    return {};
  return known_.emplace(Key{pid, fd}, std::move(target)).first->second;
}

void ProcFdPaths::observe(const RawEvent &ev, const SyscallSchema &sc) {
  std::int64_t ret = return_value(ev);
  std::uint32_t pid = ev.header->pid;
  const auto &args = ev.header->args;
  if (sc.name == "close" && ret == 0) {
    known_.erase({pid, static_cast<int>(args[0])});
    return;
  }
  // The working directory a chdir leaves, from the one before it.
  if ((sc.name == "chdir" || sc.name == "fchdir") && ret == 0) {
    std::string dir;
    if (sc.name == "fchdir")
      dir = path(pid, static_cast<int>(args[0]));
    else if (ev.captured[0] && !ev.captured[0]->fault())
      dir = joined(path(pid, kAtFdcwd), ev.captured[0]->bytes);
    if (dir.empty())
      known_.erase({pid, kAtFdcwd});
    else
      known_[{pid, kAtFdcwd}] = std::move(dir);
    return;
  }
  if (sc.ret != RetKind::kFd || ret < 0)
    return;

  // /proc names the file as strace does, with links resolved, while the
  // descriptor is still open; after that, what the syscall said.
  int fd = static_cast<int>(ret);
  std::string target;
  if (read_proc_link(pid, fd, target)) {
    known_[{pid, fd}] = std::move(target);
    return;
  }
  if (sc.name.starts_with("dup")) {
    target.assign(path(pid, static_cast<int>(args[0])));
  } else if (const CapturedArg *p = absolute_path_arg(ev, sc)) {
    target.assign(p->bytes);
  }
  if (target.empty()) {
    known_.erase({pid, fd});
    return;
  }
  known_[{pid, fd}] = std::move(target);
}

void ProcFdPaths::forked(std::uint32_t parent, std::uint32_t child) {
  auto first = known_.lower_bound({parent, kAtFdcwd});
  std::map<Key, std::string> copied;
  for (auto it = first; it != known_.end() && it->first.first == parent; ++it) {
    copied[{child, it->first.second}] = it->second;
  }
  known_.merge(copied);
}

namespace {

// closes_on_exec - whether /proc says the descriptor has O_CLOEXEC.
bool closes_on_exec(std::uint32_t pid, const char *fd) {
  std::string info = "/proc/" + std::to_string(pid) + "/fdinfo/" + fd;
  FILE *f = std::fopen(info.c_str(), "re");
  if (f == nullptr)
    return false;
  unsigned long flags = 0;
  char key[32];
  while (std::fscanf(f, "%31s", key) == 1) {
    if (std::strcmp(key, "flags:") == 0) {
      if (std::fscanf(f, "%lo", &flags) != 1)
        flags = 0;
      break;
    }
  }
  std::fclose(f);
  return flags & O_CLOEXEC;
}

} // namespace

void ProcFdPaths::seed(std::uint32_t pid, bool before_exec) {
  path(pid, kAtFdcwd);
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR *d = opendir(dir.c_str());
  if (d == nullptr)
    return;
  while (dirent *e = readdir(d)) {
    if (e->d_name[0] == '.')
      continue;
    if (before_exec && closes_on_exec(pid, e->d_name))
      continue;
    path(pid, std::atoi(e->d_name));
  }
  closedir(d);
}

} // namespace vigil
