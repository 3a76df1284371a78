#include "context/cgroup_map.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <vector>

namespace vigil {

namespace {

// Mount points in mountinfo escape space, tab, newline and backslash as
// three octal digits.
std::string unescape_octal(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      std::string_view digits = s.substr(i + 1, 3);
      if (digits.size() == 3 &&
          std::all_of(digits.begin(), digits.end(),
                      [](char c) { return c >= '0' && c <= '7'; })) {
        out.push_back(static_cast<char>((digits[0] - '0') * 64 +
                                        (digits[1] - '0') * 8 +
                                        (digits[2] - '0')));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> fields;
  while (!line.empty()) {
    std::size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos)
      break;
    line.remove_prefix(start);
    std::size_t end = line.find(' ');
    fields.push_back(line.substr(0, end));
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  }
  return fields;
}

} // namespace

std::string find_cgroup2_mount(std::string_view mountinfo) {
  while (!mountinfo.empty()) {
    std::size_t nl = mountinfo.find('\n');
    std::string_view line = mountinfo.substr(0, nl);
    mountinfo.remove_prefix(nl == std::string_view::npos ? mountinfo.size()
                                                         : nl + 1);
    // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE ...
    std::vector<std::string_view> f = split_spaces(line);
    std::size_t dash = 6;
    while (dash < f.size() && f[dash] != "-")
      ++dash;
    if (f.size() < 5 || dash + 1 >= f.size())
      continue;
    // A mount of a sub-tree (ROOT not "/") would give paths relative to
    // it, not to the hierarchy's root as the kernel's records do.
    if (f[dash + 1] == "cgroup2" && f[3] == "/")
      return unescape_octal(f[4]);
  }
  return {};
}

std::size_t CgroupMap::walk(const std::string &root) {
  namespace fs = std::filesystem;
  std::unordered_map<std::uint64_t, std::string> found;
  struct stat st {};
  if (::stat(root.c_str(), &st) == 0)
    found.emplace(st.st_ino, "/");

  std::error_code ec;
  fs::recursive_directory_iterator it(
      root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (found.size() >= kMaxEntries)
      break;
    std::error_code type_ec;
    if (!it->is_directory(type_ec) || it->is_symlink(type_ec))
      continue;
    if (::stat(it->path().c_str(), &st) != 0)
      continue;
    std::string rel = it->path().string().substr(root.size());
    found.emplace(st.st_ino, rel.empty() ? "/" : rel);
  }

  std::unique_lock lock(mutex_);
  for (auto &[id, path] : found)
    paths_.try_emplace(id, std::move(path));
  return found.size();
}

void CgroupMap::add(std::uint64_t id, std::string path) {
  std::unique_lock lock(mutex_);
  if (paths_.size() >= kMaxEntries && !paths_.contains(id))
    return;
  paths_[id] = std::move(path);
}

void CgroupMap::remove(std::uint64_t id) {
  std::unique_lock lock(mutex_);
  paths_.erase(id);
}

bool CgroupMap::knows(std::uint64_t id) const {
  std::shared_lock lock(mutex_);
  return paths_.contains(id);
}

std::optional<std::string> CgroupMap::path(std::uint64_t id) const {
  std::shared_lock lock(mutex_);
  auto it = paths_.find(id);
  if (it == paths_.end())
    return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::uint64_t, std::string>> CgroupMap::entries() const {
  std::shared_lock lock(mutex_);
  return {paths_.begin(), paths_.end()};
}

std::size_t CgroupMap::size() const {
  std::shared_lock lock(mutex_);
  return paths_.size();
}

} // namespace vigil
