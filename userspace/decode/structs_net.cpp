// structs_net.cpp - socket addresses as strace's print_sockaddr shows
// them: one small printer per address family, raw sa_data for the rest.
#include <arpa/inet.h>
#include <net/if.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "decode/structs_internal.h"

namespace vigil::structs {

namespace {

// sizeof(struct sockaddr_storage): strace never reads more than this.
constexpr std::size_t kStorageSize = 128;
constexpr std::size_t kFamilySize = 2;
constexpr std::size_t kSunPathOffset = 2;
constexpr std::size_t kSockaddrUnSize = 110;
// offsetof(struct sockaddr_in6, sin6_scope_id): the shortest address
// strace decodes as AF_INET6.
constexpr std::size_t kSin6MinLen = 24;

// Linux's AF_* numbers, in the spelling strace's addrfams table uses.
constexpr std::array<std::string_view, 46> kFamilies{
    "AF_UNSPEC",    "AF_UNIX",       "AF_INET",    "AF_AX25",    "AF_IPX",
    "AF_APPLETALK", "AF_NETROM",     "AF_BRIDGE",  "AF_ATMPVC",  "AF_X25",
    "AF_INET6",     "AF_ROSE",       "AF_DECnet",  "AF_NETBEUI", "AF_SECURITY",
    "AF_KEY",       "AF_NETLINK",    "AF_PACKET",  "AF_ASH",     "AF_ECONET",
    "AF_ATMSVC",    "AF_RDS",        "AF_SNA",     "AF_IRDA",    "AF_PPPOX",
    "AF_WANPIPE",   "AF_LLC",        "AF_IB",      "AF_MPLS",    "AF_CAN",
    "AF_TIPC",      "AF_BLUETOOTH",  "AF_IUCV",    "AF_RXRPC",   "AF_ISDN",
    "AF_PHONET",    "AF_IEEE802154", "AF_CAIF",    "AF_ALG",     "AF_NFC",
    "AF_VSOCK",     "AF_KCM",        "AF_QIPCRTR", "AF_SMC",     "AF_XDP",
    "AF_MCTP",
};

enum Family : std::uint16_t {
  kAfUnix = 1,
  kAfInet = 2,
  kAfInet6 = 10,
  kAfNetlink = 16,
};

std::uint16_t net16(Bytes b, std::size_t offset) {
  return ntohs(read<std::uint16_t>(b, offset));
}

std::string quoted(std::string_view bytes) {
  std::string out = "\"";
  strace_escape(out, bytes);
  out.push_back('"');
  return out;
}

std::string_view chars(Bytes b, std::size_t offset, std::size_t size) {
  if (offset >= b.size())
    return {};
  size = std::min(size, b.size() - offset);
  return {reinterpret_cast<const char *>(b.data() + offset), size};
}

void write_port(ValueWriter &w, std::string_view name, Bytes b) {
  w.field(name);
  w.symbol("htons(" + std::to_string(net16(b, 2)) + ")");
}

// strace's PRINT_FIELD_IFINDEX: the interface by name when this host
// has it, as strace itself would look it up, else the number.
void write_ifindex(ValueWriter &w, std::uint32_t index) {
  char name[IF_NAMESIZE] = {};
  if (index != 0 && if_indextoname(index, name) != nullptr) {
    w.symbol("if_nametoindex(" + quoted(name) + ")");
  } else {
    w.unsigned_int(index);
  }
}

// The sockaddr's first two bytes are read as sa_family; the printers see
// the whole zero-padded buffer and the caller's addrlen.
using FamilyPrinter = void (*)(ValueWriter &w, Bytes b, std::size_t len);

void write_unix(ValueWriter &w, Bytes b, std::size_t len) {
  std::size_t path_len = std::min(len, kSockaddrUnSize) - kFamilySize;
  std::string_view path = chars(b, kSunPathOffset, path_len);
  w.field("sun_path");

  // An abstract name starts with NUL; strace marks it with @ and prints
  // every byte of it, NULs included.
  if (!path.empty() && path[0] == '\0') {
    w.symbol("@" + quoted(path.substr(1)));
    return;
  }
  w.string(path.substr(0, path.find('\0')), false);
}

void write_inet(ValueWriter &w, Bytes b, std::size_t) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, b.data() + 4, text, sizeof(text));
  write_port(w, "sin_port", b);
  w.field("sin_addr");
  w.symbol(std::string("inet_addr(") + quoted(text) + ")");
}

// strace prints the IPv6 address as a bare inet_pton(...) expression with
// no field name. ValueWriter has no nameless struct member, and JSON
// cannot have one, so only the strace writer gets the bare form.
void write_sin6_addr(ValueWriter &w, std::string_view text) {
  std::string expr = "inet_pton(AF_INET6, " + quoted(text) + ", &sin6_addr)";
  if (dynamic_cast<StraceWriter *>(&w) != nullptr) {
    w.element();
  } else {
    w.field("sin6_addr");
  }
  w.symbol(expr);
}

void write_inet6(ValueWriter &w, Bytes b, std::size_t len) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, b.data() + 8, text, sizeof(text));

  write_port(w, "sin6_port", b);
  w.field("sin6_flowinfo");
  w.symbol("htonl(" + std::to_string(ntohl(read<std::uint32_t>(b, 4))) + ")");
  write_sin6_addr(w, text);
  if (len <= kSin6MinLen)
    return;

  // Scope ids name an interface only for link-local addresses.
  auto a0 = std::to_integer<unsigned>(b[8]);
  auto a1 = std::to_integer<unsigned>(b[9]);
  bool link_local = (a0 == 0xfe && (a1 & 0xc0) == 0x80) ||
                    (a0 == 0xff && (a1 & 0x0f) == 0x02);
  std::uint32_t scope = read<std::uint32_t>(b, 24);
  w.field("sin6_scope_id");
  if (link_local) {
    write_ifindex(w, scope);
  } else {
    w.unsigned_int(scope);
  }
}

void write_netlink(ValueWriter &w, Bytes b, std::size_t) {
  if (std::uint16_t pad = read<std::uint16_t>(b, 2); pad != 0) {
    w.field("nl_pad");
    write_hex(w, pad);
  }
  w.field("nl_pid");
  w.signed_int(read<std::int32_t>(b, 4));

  // strace's %#08x: 0x000005, but 00000000 for zero since # adds no 0x.
  char text[16];
  std::uint32_t groups = read<std::uint32_t>(b, 8);
  std::snprintf(text, sizeof(text), "%#08x", groups);
  w.field("nl_groups");
  w.symbol(text);
}

struct FamilyInfo {
  std::uint16_t family;
  std::size_t min_len;
  FamilyPrinter print;
};

// Families that strace decodes but vigil does not yet (AF_PACKET,
// AF_BLUETOOTH, AF_VSOCK, ...) fall back to raw sa_data.
// Not yet handled: those families, because each needs its own tables
// (ethernet protocols, ARP hardware types) to match strace.
constexpr FamilyInfo kFamilyPrinters[] = {
    {kAfUnix, kFamilySize + 1, write_unix},
    {kAfInet, 16, write_inet},
    {kAfInet6, kSin6MinLen, write_inet6},
    {kAfNetlink, 12, write_netlink},
};

void write_raw(ValueWriter &w, Bytes b, std::size_t len) {
  w.field("sa_data");
  w.string(chars(b, kFamilySize, len - kFamilySize), false);
}

} // namespace

// len_hint is addrlen. strace reads min(addrlen, 128) bytes and pads the
// rest with zeros; vigil does the same with what it captured.
void write_sockaddr(ValueWriter &w, Bytes bytes, std::uint64_t address,
                    std::uint64_t len_hint) {
  std::size_t len = std::min<std::uint64_t>(len_hint, kStorageSize);
  len = std::min(len, bytes.size());
  if (len < kFamilySize) {
    w.unreadable(address);
    return;
  }

  std::array<std::byte, kStorageSize + 1> buf{};
  std::copy_n(bytes.begin(), len, buf.begin());
  Bytes b(buf);

  std::uint16_t family = read<std::uint16_t>(b, 0);
  w.begin_struct();
  w.field("sa_family");
  if (family < kFamilies.size()) {
    w.symbol(kFamilies[family]);
  } else {
    w.hex(family);
    w.comment("AF_???");
  }

  if (len > kFamilySize) {
    auto it =
        std::find_if(std::begin(kFamilyPrinters), std::end(kFamilyPrinters),
                     [&](const FamilyInfo &f) { return f.family == family; });
    if (it != std::end(kFamilyPrinters) && len >= it->min_len) {
      it->print(w, b, len);
    } else {
      write_raw(w, b, len);
    }
  }
  w.end_struct();
}

} // namespace vigil::structs
