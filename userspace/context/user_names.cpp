#include "context/user_names.h"

#include <grp.h>
#include <pwd.h>

#include <mutex>
#include <vector>

namespace vigil {

namespace {

std::string lookup_name(std::uint32_t id, bool is_user) {
  std::vector<char> buf(16384);
  if (is_user) {
    passwd pw{};
    passwd *found = nullptr;
    if (getpwuid_r(id, &pw, buf.data(), buf.size(), &found) == 0 && found)
      return found->pw_name;
  } else {
    group gr{};
    group *found = nullptr;
    if (getgrgid_r(id, &gr, buf.data(), buf.size(), &found) == 0 && found)
      return found->gr_name;
  }
  return {};
}

} // namespace

std::string_view UserNames::user(std::uint32_t uid) {
  return find(users_, uid, true);
}

std::string_view UserNames::group(std::uint32_t gid) {
  return find(groups_, gid, false);
}

std::string_view UserNames::find(Names &names, std::uint32_t id, bool is_user) {
  {
    std::shared_lock lock(mutex_);
    auto it = names.find(id);
    if (it != names.end())
      return it->second;
    if (names.size() >= kMaxEntries)
      return {};
  }
  // Looked up outside the lock: NSS may be slow. Two threads may both
  // look the same id up; the first insert wins. An id without a name is
  // remembered as empty, so it is asked once.
  std::string name = lookup_name(id, is_user);
  std::unique_lock lock(mutex_);
  // The map's nodes do not move on rehash, so views into them stay valid.
  auto [it, inserted] = names.emplace(id, std::move(name));
  return it->second;
}

} // namespace vigil
