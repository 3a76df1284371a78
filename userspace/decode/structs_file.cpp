// structs_file.cpp - file and file system structs: stat, statfs, statx,
// utsname and the getdents64 buffer.
#include <array>
#include <charconv>

#include "decode/structs_internal.h"

namespace vigil::structs {

namespace {

constexpr std::uint32_t kIfmt = 0170000;

// strace's modetypes table; S_IF* values are the same on every arch.
constexpr std::array<FlagName, 7> kModeTypes{{
    {0100000, "S_IFREG"},
    {0140000, "S_IFSOCK"},
    {0010000, "S_IFIFO"},
    {0120000, "S_IFLNK"},
    {0040000, "S_IFDIR"},
    {0060000, "S_IFBLK"},
    {0020000, "S_IFCHR"},
}};

// strace prints st_mode's permission bits with %#03o: 0644, 000, 007.
std::string octal_03(std::uint32_t v) {
  char buf[16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, 8);
  std::string s = v == 0 ? std::string() : "0";
  s.append(buf, end);
  if (s.size() < 3)
    s.insert(0, 3 - s.size(), '0');
  return s;
}

// strace's makedev(0x88, 0): glibc's major/minor split of the kernel's
// new_encode_dev layout, each printed with %#x.
std::string makedev_text(std::uint64_t dev) {
  std::uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull);
  std::uint64_t minor = (dev & 0xff) | ((dev >> 12) & ~0xffull);
  return "makedev(" + hex_text(static_cast<std::uint32_t>(major)) + ", " +
         hex_text(static_cast<std::uint32_t>(minor)) + ")";
}

bool is_device(std::uint32_t mode) {
  std::uint32_t type = mode & kIfmt;
  return type == 0020000 || type == 0060000;
}

// strace's fsmagic table (sorted by value in strace; order does not
// matter for a lookup).
constexpr FlagName kFsMagic[] = {
    {0x0000002f, "QNX4_SUPER_MAGIC"},
    {0x00000033, "Z3FOLD_MAGIC"},
    {0x00000187, "AUTOFS_SUPER_MAGIC"},
    {0x00001373, "DEVFS_SUPER_MAGIC"},
    {0x0000137d, "EXT_SUPER_MAGIC"},
    {0x0000137f, "MINIX_SUPER_MAGIC"},
    {0x0000138f, "MINIX_SUPER_MAGIC2"},
    {0x00001cd1, "DEVPTS_SUPER_MAGIC"},
    {0x00002468, "MINIX2_SUPER_MAGIC"},
    {0x00002478, "MINIX2_SUPER_MAGIC2"},
    {0x00003434, "NILFS_SUPER_MAGIC"},
    {0x00004244, "HFS_SUPER_MAGIC"},
    {0x0000482b, "HFSPLUS_SUPER_MAGIC"},
    {0x00004d44, "MSDOS_SUPER_MAGIC"},
    {0x00004d5a, "MINIX3_SUPER_MAGIC"},
    {0x0000517b, "SMB_SUPER_MAGIC"},
    {0x0000564c, "NCP_SUPER_MAGIC"},
    {0x00005df5, "EXOFS_SUPER_MAGIC"},
    {0x00006969, "NFS_SUPER_MAGIC"},
    {0x00007275, "ROMFS_MAGIC"},
    {0x000072b6, "JFFS2_SUPER_MAGIC"},
    {0x00009660, "ISOFS_SUPER_MAGIC"},
    {0x00009fa0, "PROC_SUPER_MAGIC"},
    {0x00009fa1, "OPENPROM_SUPER_MAGIC"},
    {0x00009fa2, "USBDEVICE_SUPER_MAGIC"},
    {0x0000adf5, "ADFS_SUPER_MAGIC"},
    {0x0000adff, "AFFS_SUPER_MAGIC"},
    {0x0000ef51, "EXT2_OLD_SUPER_MAGIC"},
    {0x0000ef53, "EXT2_SUPER_MAGIC"},
    {0x0000f15f, "ECRYPTFS_SUPER_MAGIC"},
    {0x00011954, "UFS_MAGIC"},
    {0x0027e0eb, "CGROUP_SUPER_MAGIC"},
    {0x00414a53, "EFS_SUPER_MAGIC"},
    {0x00c0ffee, "HOSTFS_SUPER_MAGIC"},
    {0x00c36400, "CEPH_SUPER_MAGIC"},
    {0x01021994, "TMPFS_MAGIC"},
    {0x01021997, "V9FS_MAGIC"},
    {0x01161970, "GFS2_MAGIC"},
    {0x012fd16d, "XIAFS_SUPER_MAGIC"},
    {0x012ff7b4, "XENIX_SUPER_MAGIC"},
    {0x012ff7b5, "SYSV4_SUPER_MAGIC"},
    {0x012ff7b6, "SYSV2_SUPER_MAGIC"},
    {0x012ff7b7, "COH_SUPER_MAGIC"},
    {0x02011994, "SHMFS_SUPER_MAGIC"},
    {0x09041934, "ANON_INODE_FS_MAGIC"},
    {0x0bad1dea, "FUTEXFS_SUPER_MAGIC"},
    {0x0bd00bd0, "LL_SUPER_MAGIC"},
    {0x0bd00bd1, "LUSTRE_SUPER_MAGIC"},
    {0x11307854, "MTD_INODE_FS_MAGIC"},
    {0x13661366, "BALLOON_KVM_MAGIC"},
    {0x15013346, "UDF_SUPER_MAGIC"},
    {0x1badface, "BFS_MAGIC"},
    {0x2011bab0, "EXFAT_SUPER_MAGIC"},
    {0x24051905, "UBIFS_SUPER_MAGIC"},
    {0x28cd3d45, "CRAMFS_MAGIC"},
    {0x2fc12fc1, "ZFS_SUPER_MAGIC"},
    {0x3153464a, "JFS_SUPER_MAGIC"},
    {0x42465331, "BEFS_SUPER_MAGIC"},
    {0x42494e4d, "BINFMTFS_MAGIC"},
    {0x43415d53, "SMACK_MAGIC"},
    {0x444d4142, "DMA_BUF_MAGIC"},
    {0x453dcd28, "CRAMFS_MAGIC_WEND"},
    {0x454d444d, "DEVMEM_MAGIC"},
    {0x47504653, "GPFS_SUPER_MAGIC"},
    {0x50494446, "PID_FS_MAGIC"},
    {0x50495045, "PIPEFS_MAGIC"},
    {0x52654973, "REISERFS_SUPER_MAGIC"},
    {0x5345434d, "SECRETMEM_MAGIC"},
    {0x5346414f, "AFS_SUPER_MAGIC"},
    {0x5346544e, "NTFS_SB_MAGIC"},
    {0x534f434b, "SOCKFS_MAGIC"},
    {0x54190100, "UFS_CIGAM"},
    {0x565a4653, "VZFS_SUPER_MAGIC"},
    {0x57ac6e9d, "STACK_END_MAGIC"},
    {0x58295829, "ZSMALLOC_MAGIC"},
    {0x58465342, "XFS_SUPER_MAGIC"},
    {0x5a3c69f0, "AAFS_MAGIC"},
    {0x5a4f4653, "ZONEFS_MAGIC"},
    {0x6165676c, "PSTOREFS_MAGIC"},
    {0x61756673, "AUFS_SUPER_MAGIC"},
    {0x62646576, "BDEVFS_MAGIC"},
    {0x62656570, "CONFIGFS_MAGIC"},
    {0x62656572, "SYSFS_MAGIC"},
    {0x63677270, "CGROUP2_SUPER_MAGIC"},
    {0x64626720, "DEBUGFS_MAGIC"},
    {0x64646178, "DAXFS_MAGIC"},
    {0x65735543, "FUSE_CTL_SUPER_MAGIC"},
    {0x65735546, "FUSE_SUPER_MAGIC"},
    {0x68191122, "QNX6_SUPER_MAGIC"},
    {0x6b414653, "AFS_FS_MAGIC"},
    {0x6c6f6f70, "BINDERFS_SUPER_MAGIC"},
    {0x6e736673, "NSFS_MAGIC"},
    {0x73636673, "SECURITYFS_MAGIC"},
    {0x73717368, "SQUASHFS_MAGIC"},
    {0x73727279, "BTRFS_TEST_MAGIC"},
    {0x73757245, "CODA_SUPER_MAGIC"},
    {0x7461636f, "OCFS2_SUPER_MAGIC"},
    {0x74726163, "TRACEFS_MAGIC"},
    {0x794c7630, "OVERLAYFS_SUPER_MAGIC"},
    {0x858458f6, "RAMFS_MAGIC"},
    {0x9123683e, "BTRFS_SUPER_MAGIC"},
    {0x958458f6, "HUGETLBFS_MAGIC"},
    {0xa501fcf5, "VXFS_SUPER_MAGIC"},
    {0xabba1974, "XENFS_SUPER_MAGIC"},
    {0xc7571590, "PPC_CMM_MAGIC"},
    {0xc97e8168, "LOGFS_MAGIC"},
    {0xca451a4e, "BCACHEFS_SUPER_MAGIC"},
    {0xcafe4a11, "BPF_FS_MAGIC"},
    {0xde5e81e4, "EFIVARFS_MAGIC"},
    {0xe0f5e1e2, "EROFS_SUPER_MAGIC_V1"},
    {0xf2f52010, "F2FS_SUPER_MAGIC"},
    {0xf97cff8c, "SELINUX_MAGIC"},
    {0xf995e849, "HPFS_SUPER_MAGIC"},
    {0xfe534d42, "SMB2_SUPER_MAGIC"},
    {0xff534d42, "CIFS_SUPER_MAGIC"},
};

constexpr std::uint64_t kStValid = 0x0020;

// ST_VALID comes first in strace's table, so it leads the flags.
constexpr FlagName kStatfsFlags[] = {
    {0x0020, "ST_VALID"},       {0x0001, "ST_RDONLY"},
    {0x0002, "ST_NOSUID"},      {0x0004, "ST_NODEV"},
    {0x0008, "ST_NOEXEC"},      {0x0010, "ST_SYNCHRONOUS"},
    {0x0040, "ST_MANDLOCK"},    {0x0400, "ST_NOATIME"},
    {0x0800, "ST_NODIRATIME"},  {0x1000, "ST_RELATIME"},
    {0x2000, "ST_NOSYMFOLLOW"},
};

// The composites come first so that a full mask reads STATX_ALL rather
// than a dozen names. Bits newer than strace 6.1 stay hex, as it prints
// them.
constexpr FlagName kStatxMask[] = {
    {0x00000fff, "STATX_ALL"},    {0x000007ff, "STATX_BASIC_STATS"},
    {0x00000001, "STATX_TYPE"},   {0x00000002, "STATX_MODE"},
    {0x00000004, "STATX_NLINK"},  {0x00000008, "STATX_UID"},
    {0x00000010, "STATX_GID"},    {0x00000020, "STATX_ATIME"},
    {0x00000040, "STATX_MTIME"},  {0x00000080, "STATX_CTIME"},
    {0x00000100, "STATX_INO"},    {0x00000200, "STATX_SIZE"},
    {0x00000400, "STATX_BLOCKS"}, {0x00000800, "STATX_BTIME"},
    {0x00001000, "STATX_MNT_ID"}, {0x00002000, "STATX_DIOALIGN"},
};

constexpr FlagName kStatxAttrs[] = {
    {0x00000004, "STATX_ATTR_COMPRESSED"}, {0x00000010, "STATX_ATTR_IMMUTABLE"},
    {0x00000020, "STATX_ATTR_APPEND"},     {0x00000040, "STATX_ATTR_NODUMP"},
    {0x00000800, "STATX_ATTR_ENCRYPTED"},  {0x00001000, "STATX_ATTR_AUTOMOUNT"},
    {0x00002000, "STATX_ATTR_MOUNT_ROOT"}, {0x00100000, "STATX_ATTR_VERITY"},
    {0x00200000, "STATX_ATTR_DAX"},
};

// getdents64 returns at most what fits the buffer; strace refuses to
// fetch more than 1 MiB of it.
constexpr std::size_t kDirentsMax = 1024 * 1024;
// offsetof(struct linux_dirent64, d_name): the smallest sane d_reclen.
constexpr std::size_t kDirentNameOffset = 19;

} // namespace

std::string mode_text(std::uint32_t mode) {
  std::string_view type;
  if (mode & kIfmt) {
    type = find_name(kModeTypes, mode & kIfmt);
    if (type.empty())
      return octal_03(mode);
  }

  std::string text(type);
  if (!text.empty())
    text.push_back('|');
  if (mode & 04000)
    text.append("S_ISUID|");
  if (mode & 02000)
    text.append("S_ISGID|");
  if (mode & 01000)
    text.append("S_ISVTX|");
  text.append(octal_03(mode & ~(kIfmt | 07000)));
  return text;
}

// struct stat on x86_64: st_mode at 24, st_rdev at 40, st_size at 48.
// Abbreviated output shows the mode and then rdev for devices, size for
// everything else.
void write_stat(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();

  std::uint32_t mode = c.get<std::uint32_t>(24);
  if (c.field("st_mode", 24, 4))
    w.symbol(mode_text(mode));

  if (is_device(mode)) {
    if (c.field("st_rdev", 40, 8))
      w.symbol(makedev_text(c.get<std::uint64_t>(40)));
  } else {
    c.unsigned_field("st_size", 48, 8);
  }

  c.more();
  w.end_struct();
}

// struct statfs on x86_64 is longs and u64s throughout; strace prints all
// of it even in abbreviated mode, and f_flags only when the kernel set
// ST_VALID (older kernels left the field as garbage).
void write_statfs(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();

  if (c.field("f_type", 0, 8))
    write_xval(w, kFsMagic, c.get<std::uint64_t>(0), {});
  c.unsigned_field("f_bsize", 8, 8);
  c.unsigned_field("f_blocks", 16, 8);
  c.unsigned_field("f_bfree", 24, 8);
  c.unsigned_field("f_bavail", 32, 8);
  c.unsigned_field("f_files", 40, 8);
  c.unsigned_field("f_ffree", 48, 8);
  if (c.field("f_fsid", 56, 8)) {
    w.begin_struct();
    w.field("val");
    w.begin_array();
    w.element();
    write_hex(w, c.get<std::uint32_t>(56));
    w.element();
    write_hex(w, c.get<std::uint32_t>(60));
    w.end_array();
    w.end_struct();
  }
  c.unsigned_field("f_namelen", 64, 8);
  c.unsigned_field("f_frsize", 72, 8);

  // A capture that ends before f_flags still shows where it was cut.
  std::uint64_t flags = c.get<std::uint64_t>(80);
  bool shown = (flags & kStValid) != 0 || !covers(bytes, 80, 8);
  if (shown && c.field("f_flags", 80, 8))
    write_flags(w, kStatfsFlags, flags, "ST_???");

  w.end_struct();
}

// struct statx: stx_mask at 0, stx_attributes at 8, stx_mode (u16) at 28,
// stx_size at 40.
void write_statx(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();

  if (c.field("stx_mask", 0, 4))
    write_flags(w, kStatxMask, c.get<std::uint32_t>(0), "STATX_???");
  if (c.field("stx_attributes", 8, 8))
    write_flags(w, kStatxAttrs, c.get<std::uint64_t>(8), "STATX_ATTR_???");
  if (c.field("stx_mode", 28, 2))
    w.symbol(mode_text(c.get<std::uint16_t>(28)));
  c.unsigned_field("stx_size", 40, 8);

  c.more();
  w.end_struct();
}

// struct new_utsname: six NUL-terminated char[65]; abbreviated output
// shows the first two.
void write_utsname(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  constexpr std::size_t kLen = 65;
  FieldCursor c(w, bytes);
  w.begin_struct();

  auto text_field = [&](std::string_view name, std::size_t offset) {
    if (!c.field(name, offset, kLen))
      return;
    const char *p = reinterpret_cast<const char *>(bytes.data() + offset);
    w.string(std::string_view(p, strnlen(p, kLen)), false);
  };
  text_field("sysname", 0);
  text_field("nodename", kLen);

  c.more();
  w.end_struct();
}

// getdents64: abbreviated strace prints the buffer's address and how many
// records the kernel returned, walking d_reclen (at offset 16) the way
// it does and stopping at a record too short to be one.
void write_dirents64(ValueWriter &w, Bytes bytes, std::uint64_t address,
                     std::uint64_t len_hint) {
  std::size_t len = len_hint > kDirentsMax ? kDirentsMax : len_hint;
  if (len < kDirentNameOffset)
    len = 0;

  // Not yet handled: a capture shorter than the returned length, because
  // counting only the captured records would print a wrong count; the
  // address alone is what strace prints when it cannot read the buffer.
  if (bytes.size() < len) {
    w.unreadable(address);
    return;
  }

  unsigned count = 0;
  for (std::size_t i = 0; len != 0 && i <= len - kDirentNameOffset;) {
    std::uint16_t reclen = read<std::uint16_t>(bytes, i + 16);
    if (reclen < kDirentNameOffset)
      break;
    i += reclen;
    ++count;
  }

  w.pointer(address);
  w.comment(std::to_string(count) + " entries");
}

} // namespace vigil::structs
