// syscall_classes.h - strace's syscall classes (%file, %process, ...) for
// vigil trace -e trace=%class.
#pragma once

#include <optional>
#include <string_view>

#include "decode/event_schema.h"

namespace vigil {

// in_class - whether the syscall belongs to the class named without its
// %; nullopt when there is no such class.
std::optional<bool> in_class(std::string_view cls, const SyscallSchema &sc);

} // namespace vigil
