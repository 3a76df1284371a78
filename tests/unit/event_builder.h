// event_builder.h - synthetic ring-buffer records for unit tests, laid out
// exactly as the BPF programs write them.
#pragma once

#include <cstring>
#include <string_view>
#include <vector>

#include "decode/raw_event.h"

namespace vigil::test {

class EventBuilder {
public:
  explicit EventBuilder(std::uint32_t nr,
                        std::uint16_t kind = VIGIL_EV_SYSCALL) {
    header_.kind = kind;
    header_.nr = nr;
    header_.pid = 100;
    header_.tid = 101;
    header_.ppid = 1;
    header_.uid = 1000;
    header_.gid = 1000;
    header_.pidns = 4026531836u;
    header_.mntns = 4026531832u;
    header_.cgroup_id = 1;
    header_.cpu = 1;
    header_.enter_ns = 1'000'000'000;
    header_.ts_ns = 1'000'002'500;
    std::memcpy(header_.comm, "ls", 3);
  }

  EventBuilder &arg(int i, std::uint64_t value) {
    header_.args[i] = value;
    return *this;
  }
  EventBuilder &ret(std::int64_t value) {
    header_.ret = value;
    return *this;
  }
  EventBuilder &flags(std::uint16_t value) {
    header_.flags = value;
    return *this;
  }
  EventBuilder &pid(std::uint32_t pid, std::uint32_t tid) {
    header_.pid = pid;
    header_.tid = tid;
    return *this;
  }
  EventBuilder &ppid(std::uint32_t value) {
    header_.ppid = value;
    return *this;
  }
  EventBuilder &ids(std::uint32_t uid, std::uint32_t gid) {
    header_.uid = uid;
    header_.gid = gid;
    return *this;
  }
  EventBuilder &ts(std::uint64_t value) {
    header_.ts_ns = value;
    return *this;
  }
  EventBuilder &cgroup(std::uint64_t value) {
    header_.cgroup_id = value;
    return *this;
  }
  EventBuilder &comm(std::string_view value) {
    std::memset(header_.comm, 0, sizeof(header_.comm));
    std::memcpy(header_.comm, value.data(),
                std::min(value.size(), sizeof(header_.comm)));
    return *this;
  }
  EventBuilder &item(int arg, std::string_view bytes, std::uint8_t flags) {
    vigil_item it{static_cast<std::uint16_t>(bytes.size()),
                  static_cast<std::uint8_t>(arg), flags};
    const auto *p = reinterpret_cast<const std::byte *>(&it);
    data_.insert(data_.end(), p, p + sizeof(it));
    const auto *b = reinterpret_cast<const std::byte *>(bytes.data());
    data_.insert(data_.end(), b, b + bytes.size());
    header_.nitems++;
    return *this;
  }

  // record - the bytes as the ring buffer hands them over.
  std::vector<std::byte> record() const {
    vigil_event h = header_;
    h.data_len = static_cast<std::uint16_t>(data_.size());
    std::vector<std::byte> out(sizeof(h));
    std::memcpy(out.data(), &h, sizeof(h));
    out.insert(out.end(), data_.begin(), data_.end());
    return out;
  }

private:
  vigil_event header_{};
  std::vector<std::byte> data_;
};

} // namespace vigil::test
