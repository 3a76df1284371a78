// user_names.h - names of uids and gids, looked up once each through the
// host's NSS (getpwuid_r, getgrgid_r). A container's own /etc/passwd may
// name the same uid differently: these are the host's names.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil {

class UserNames {
public:
  // kMaxEntries - ids remembered per kind; past it new ids go unnamed.
  static constexpr std::size_t kMaxEntries = 4096;

  // user, group - the name, or empty when the id has none. The view
  // stays valid for the object's lifetime: entries are never removed.
  std::string_view user(std::uint32_t uid);
  std::string_view group(std::uint32_t gid);

private:
  using Names = std::unordered_map<std::uint32_t, std::string>;
  std::string_view find(Names &names, std::uint32_t id, bool is_user);

  std::shared_mutex mutex_;
  Names users_;
  Names groups_;
};

} // namespace vigil
