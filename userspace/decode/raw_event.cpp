#include "decode/raw_event.h"

#include <cstring>

namespace vigil {

std::optional<RawEvent> RawEvent::parse(std::span<const std::byte> record) {
  if (record.size() < sizeof(vigil_event))
    return std::nullopt;

  RawEvent ev;
  ev.header = reinterpret_cast<const vigil_event *>(record.data());
  std::size_t end = sizeof(vigil_event) + ev.header->data_len;
  if (end > record.size())
    return std::nullopt;

  std::size_t pos = sizeof(vigil_event);
  for (unsigned i = 0; i < ev.header->nitems; ++i) {
    if (pos + sizeof(vigil_item) > end)
      return std::nullopt;
    vigil_item item;
    std::memcpy(&item, record.data() + pos, sizeof(item));
    pos += sizeof(item);
    if (pos + item.len > end || item.arg >= 6)
      return std::nullopt;
    ev.captured[item.arg] = CapturedArg{
        std::string_view(reinterpret_cast<const char *>(record.data() + pos),
                         item.len),
        item.flags};
    pos += item.len;
  }
  return ev;
}

std::string_view RawEvent::comm() const {
  return std::string_view(header->comm,
                          strnlen(header->comm, sizeof(header->comm)));
}

} // namespace vigil
