// flags.cpp - strace 6.1's printing of flag sets and enumerations: the
// name tables (from strace's xlat files, in their order, x86_64 values)
// and the few families whose layout is more than one table.
//
// Names strace 6.1 does not know (added to the kernel or to strace later)
// are left out on purpose: strace 6.1 prints those bits as hex, and so
// must vigil.
#include "decode/flags.h"

#include "format/json_writer.h"

#include <array>
#include <charconv>
#include <string>

namespace vigil {

namespace {

// O_ACCMODE is listed because strace names an access mode of 3 with it.
constexpr FlagName kOpenAccess[] = {
    {0, "O_RDONLY"}, {1, "O_WRONLY"}, {2, "O_RDWR"}, {3, "O_ACCMODE"}};

// O_SYNC and O_TMPFILE are multi-bit and come before their parts.
// O_LARGEFILE is 0100000 even for 64-bit processes: strace defines it so
// when glibc's is 0, and i386 glibc passes it on every open.
constexpr FlagName kOpenFlags[] = {
    {0100, "O_CREAT"},          {0200, "O_EXCL"},
    {0400, "O_NOCTTY"},         {01000, "O_TRUNC"},
    {02000, "O_APPEND"},        {04000, "O_NONBLOCK"},
    {04010000, "O_SYNC"},       {04000000, "__O_SYNC"},
    {010000, "O_DSYNC"},        {040000, "O_DIRECT"},
    {0100000, "O_LARGEFILE"},   {0400000, "O_NOFOLLOW"},
    {01000000, "O_NOATIME"},    {02000000, "O_CLOEXEC"},
    {010000000, "O_PATH"},      {020200000, "O_TMPFILE"},
    {020000000, "__O_TMPFILE"}, {0200000, "O_DIRECTORY"},
    {020000, "FASYNC"}};

constexpr FlagName kAt[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"},
    {0x400, "AT_SYMLINK_FOLLOW"},   {0x800, "AT_NO_AUTOMOUNT"},
    {0x1000, "AT_EMPTY_PATH"},      {0x8000, "AT_RECURSIVE"}};

constexpr FlagName kAtStatxSync[] = {{0x0000, "AT_STATX_SYNC_AS_STAT"},
                                     {0x2000, "AT_STATX_FORCE_SYNC"},
                                     {0x4000, "AT_STATX_DONT_SYNC"}};

constexpr FlagName kProt[] = {{0, "PROT_NONE"},
                              {0x1, "PROT_READ"},
                              {0x2, "PROT_WRITE"},
                              {0x4, "PROT_EXEC"},
                              {0x8, "PROT_SEM"},
                              {0x01000000, "PROT_GROWSDOWN"},
                              {0x02000000, "PROT_GROWSUP"}};

// MAP_FILE (0) is what strace names a mapping type of 0.
constexpr FlagName kMap[] = {{0x1, "MAP_SHARED"},
                             {0x2, "MAP_PRIVATE"},
                             {0x3, "MAP_SHARED_VALIDATE"},
                             {0x10, "MAP_FIXED"},
                             {0x20, "MAP_ANONYMOUS"},
                             {0x40, "MAP_32BIT"},
                             {0x4000, "MAP_NORESERVE"},
                             {0x8000, "MAP_POPULATE"},
                             {0x10000, "MAP_NONBLOCK"},
                             {0x100, "MAP_GROWSDOWN"},
                             {0x800, "MAP_DENYWRITE"},
                             {0x1000, "MAP_EXECUTABLE"},
                             {0, "MAP_FILE"},
                             {0x2000, "MAP_LOCKED"},
                             {0x20000, "MAP_STACK"},
                             {0x40000, "MAP_HUGETLB"},
                             {0x80000, "MAP_SYNC"},
                             {0x4000000, "MAP_UNINITIALIZED"},
                             {0x100000, "MAP_FIXED_NOREPLACE"}};

constexpr FlagName kClone[] = {{0x100, "CLONE_VM"},
                               {0x200, "CLONE_FS"},
                               {0x400, "CLONE_FILES"},
                               {0x800, "CLONE_SIGHAND"},
                               {0x1000, "CLONE_PIDFD"},
                               {0x2000, "CLONE_PTRACE"},
                               {0x4000, "CLONE_VFORK"},
                               {0x8000, "CLONE_PARENT"},
                               {0x10000, "CLONE_THREAD"},
                               {0x20000, "CLONE_NEWNS"},
                               {0x40000, "CLONE_SYSVSEM"},
                               {0x80000, "CLONE_SETTLS"},
                               {0x100000, "CLONE_PARENT_SETTID"},
                               {0x200000, "CLONE_CHILD_CLEARTID"},
                               {0x800000, "CLONE_UNTRACED"},
                               {0x1000000, "CLONE_CHILD_SETTID"},
                               {0x2000000, "CLONE_NEWCGROUP"},
                               {0x4000000, "CLONE_NEWUTS"},
                               {0x8000000, "CLONE_NEWIPC"},
                               {0x10000000, "CLONE_NEWUSER"},
                               {0x20000000, "CLONE_NEWPID"},
                               {0x40000000, "CLONE_NEWNET"},
                               {0x80000000, "CLONE_IO"}};

constexpr FlagName kMount[] = {
    {1u << 0, "MS_RDONLY"},        {1u << 1, "MS_NOSUID"},
    {1u << 2, "MS_NODEV"},         {1u << 3, "MS_NOEXEC"},
    {1u << 4, "MS_SYNCHRONOUS"},   {1u << 5, "MS_REMOUNT"},
    {1u << 6, "MS_MANDLOCK"},      {1u << 7, "MS_DIRSYNC"},
    {1u << 8, "MS_NOSYMFOLLOW"},   {1u << 10, "MS_NOATIME"},
    {1u << 11, "MS_NODIRATIME"},   {1u << 12, "MS_BIND"},
    {1u << 13, "MS_MOVE"},         {1u << 14, "MS_REC"},
    {1u << 15, "MS_SILENT"},       {1u << 16, "MS_POSIXACL"},
    {1u << 17, "MS_UNBINDABLE"},   {1u << 18, "MS_PRIVATE"},
    {1u << 19, "MS_SLAVE"},        {1u << 20, "MS_SHARED"},
    {1u << 21, "MS_RELATIME"},     {1u << 22, "MS_KERNMOUNT"},
    {1u << 23, "MS_I_VERSION"},    {1u << 24, "MS_STRICTATIME"},
    {1u << 25, "MS_LAZYTIME"},     {1u << 26, "MS_SUBMOUNT"},
    {1u << 27, "MS_NOREMOTELOCK"}, {1u << 28, "MS_NOSEC"},
    {1u << 29, "MS_BORN"},         {1u << 30, "MS_ACTIVE"},
    {1u << 31, "MS_NOUSER"}};

constexpr FlagName kUmount[] = {{1, "MNT_FORCE"},
                                {2, "MNT_DETACH"},
                                {4, "MNT_EXPIRE"},
                                {8, "UMOUNT_NOFOLLOW"}};

constexpr FlagName kSockTypes[] = {{1, "SOCK_STREAM"},    {2, "SOCK_DGRAM"},
                                   {3, "SOCK_RAW"},       {4, "SOCK_RDM"},
                                   {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"},
                                   {10, "SOCK_PACKET"}};

constexpr FlagName kSockTypeFlags[] = {{02000000, "SOCK_CLOEXEC"},
                                       {04000, "SOCK_NONBLOCK"}};

constexpr FlagName kMsg[] = {{0x1, "MSG_OOB"},
                             {0x2, "MSG_PEEK"},
                             {0x4, "MSG_DONTROUTE"},
                             {0x8, "MSG_CTRUNC"},
                             {0x10, "MSG_PROBE"},
                             {0x20, "MSG_TRUNC"},
                             {0x40, "MSG_DONTWAIT"},
                             {0x80, "MSG_EOR"},
                             {0x100, "MSG_WAITALL"},
                             {0x200, "MSG_FIN"},
                             {0x400, "MSG_SYN"},
                             {0x800, "MSG_CONFIRM"},
                             {0x1000, "MSG_RST"},
                             {0x2000, "MSG_ERRQUEUE"},
                             {0x4000, "MSG_NOSIGNAL"},
                             {0x8000, "MSG_MORE"},
                             {0x10000, "MSG_WAITFORONE"},
                             {0x20000, "MSG_SENDPAGE_NOTLAST"},
                             {0x40000, "MSG_BATCH"},
                             {0x80000, "MSG_NO_SHARED_FRAGS"},
                             {0x4000000, "MSG_ZEROCOPY"},
                             {0x20000000, "MSG_FASTOPEN"},
                             {0x40000000, "MSG_CMSG_CLOEXEC"},
                             {0x80000000, "MSG_CMSG_COMPAT"}};

constexpr FlagName kAccessMode[] = {
    {0, "F_OK"}, {4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};

constexpr FlagName kSigaction[] = {
    {0x04000000, "SA_RESTORER"}, {0x08000000, "SA_ONSTACK"},
    {0x10000000, "SA_RESTART"},  {0x20000000, "SA_INTERRUPT"},
    {0x40000000, "SA_NODEFER"},  {0x80000000, "SA_RESETHAND"},
    {0x00000004, "SA_SIGINFO"},  {0x00000001, "SA_NOCLDSTOP"},
    {0x00000002, "SA_NOCLDWAIT"}};

constexpr FlagName kPoll[] = {
    {0x0001, "POLLIN"},     {0x0002, "POLLPRI"},       {0x0004, "POLLOUT"},
    {0x0008, "POLLERR"},    {0x0010, "POLLHUP"},       {0x0020, "POLLNVAL"},
    {0x0040, "POLLRDNORM"}, {0x0080, "POLLRDBAND"},    {0x0100, "POLLWRNORM"},
    {0x0200, "POLLWRBAND"}, {0x0400, "POLLMSG"},       {0x1000, "POLLREMOVE"},
    {0x2000, "POLLRDHUP"},  {0x8000, "POLL_BUSY_LOOP"}};

constexpr FlagName kEpollCreate[] = {{02000000, "EPOLL_CLOEXEC"}};

constexpr FlagName kEventfd[] = {
    {1, "EFD_SEMAPHORE"}, {02000000, "EFD_CLOEXEC"}, {04000, "EFD_NONBLOCK"}};

constexpr FlagName kTimerfdCreate[] = {{02000000, "TFD_CLOEXEC"},
                                       {04000, "TFD_NONBLOCK"}};

constexpr FlagName kTimerfdSettime[] = {{1, "TFD_TIMER_ABSTIME"},
                                        {2, "TFD_TIMER_CANCEL_ON_SET"}};

constexpr FlagName kTimer[] = {{1, "TIMER_ABSTIME"}};

constexpr FlagName kInotifyInit[] = {{04000, "IN_NONBLOCK"},
                                     {02000000, "IN_CLOEXEC"}};

constexpr FlagName kGetrandom[] = {
    {1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}};

constexpr FlagName kMremap[] = {
    {1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"}};

constexpr FlagName kMsync[] = {
    {1, "MS_ASYNC"}, {4, "MS_SYNC"}, {2, "MS_INVALIDATE"}};

constexpr FlagName kMlock[] = {{1, "MLOCK_ONFAULT"}};

constexpr FlagName kMlockall[] = {
    {1, "MCL_CURRENT"}, {2, "MCL_FUTURE"}, {4, "MCL_ONFAULT"}};

constexpr FlagName kFlock[] = {{1, "LOCK_SH"},    {2, "LOCK_EX"},
                               {4, "LOCK_NB"},    {8, "LOCK_UN"},
                               {32, "LOCK_MAND"}, {192, "LOCK_RW"},
                               {64, "LOCK_READ"}, {128, "LOCK_WRITE"}};

constexpr FlagName kRenameat2[] = {
    {1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"}};

constexpr FlagName kMemfd[] = {
    {1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"}};

constexpr FlagName kSplice[] = {{1, "SPLICE_F_MOVE"},
                                {2, "SPLICE_F_NONBLOCK"},
                                {4, "SPLICE_F_MORE"},
                                {8, "SPLICE_F_GIFT"}};

// WUNTRACED is the same bit as WSTOPPED; strace names it WSTOPPED.
constexpr FlagName kWait[] = {
    {1, "WNOHANG"},         {4, "WEXITED"},
    {2, "WSTOPPED"},        {8, "WCONTINUED"},
    {0x1000000, "WNOWAIT"}, {0x80000000, "__WCLONE"},
    {0x40000000, "__WALL"}, {0x20000000, "__WNOTHREAD"}};

// The two aggregate masks come first so that a full set prints short.
constexpr FlagName kStatxMask[] = {
    {0x0fff, "STATX_ALL"},    {0x07ff, "STATX_BASIC_STATS"},
    {0x0001, "STATX_TYPE"},   {0x0002, "STATX_MODE"},
    {0x0004, "STATX_NLINK"},  {0x0008, "STATX_UID"},
    {0x0010, "STATX_GID"},    {0x0020, "STATX_ATIME"},
    {0x0040, "STATX_MTIME"},  {0x0080, "STATX_CTIME"},
    {0x0100, "STATX_INO"},    {0x0200, "STATX_SIZE"},
    {0x0400, "STATX_BLOCKS"}, {0x0800, "STATX_BTIME"},
    {0x1000, "STATX_MNT_ID"}, {0x2000, "STATX_DIOALIGN"}};

constexpr FlagName kFallocate[] = {
    {0x01, "FALLOC_FL_KEEP_SIZE"},     {0x02, "FALLOC_FL_PUNCH_HOLE"},
    {0x04, "FALLOC_FL_NO_HIDE_STALE"}, {0x08, "FALLOC_FL_COLLAPSE_RANGE"},
    {0x10, "FALLOC_FL_ZERO_RANGE"},    {0x20, "FALLOC_FL_INSERT_RANGE"},
    {0x40, "FALLOC_FL_UNSHARE_RANGE"}};

constexpr FlagName kXattr[] = {{1, "XATTR_CREATE"}, {2, "XATTR_REPLACE"}};

constexpr FlagName kFanClasses[] = {{0x0, "FAN_CLASS_NOTIF"},
                                    {0x4, "FAN_CLASS_CONTENT"},
                                    {0x8, "FAN_CLASS_PRE_CONTENT"}};

constexpr FlagName kFanInit[] = {
    {0x001, "FAN_CLOEXEC"},           {0x002, "FAN_NONBLOCK"},
    {0x010, "FAN_UNLIMITED_QUEUE"},   {0x020, "FAN_UNLIMITED_MARKS"},
    {0x040, "FAN_ENABLE_AUDIT"},      {0x080, "FAN_REPORT_PIDFD"},
    {0x100, "FAN_REPORT_TID"},        {0x200, "FAN_REPORT_FID"},
    {0x400, "FAN_REPORT_DIR_FID"},    {0x800, "FAN_REPORT_NAME"},
    {0x1000, "FAN_REPORT_TARGET_FID"}};

constexpr FlagName kFanMark[] = {{0x001, "FAN_MARK_ADD"},
                                 {0x002, "FAN_MARK_REMOVE"},
                                 {0x080, "FAN_MARK_FLUSH"},
                                 {0x004, "FAN_MARK_DONT_FOLLOW"},
                                 {0x008, "FAN_MARK_ONLYDIR"},
                                 {0x010, "FAN_MARK_MOUNT"},
                                 {0x100, "FAN_MARK_FILESYSTEM"},
                                 {0x020, "FAN_MARK_IGNORED_MASK"},
                                 {0x040, "FAN_MARK_IGNORED_SURV_MODIFY"},
                                 {0x400, "FAN_MARK_IGNORE"},
                                 {0x200, "FAN_MARK_EVICTABLE"}};

constexpr FlagName kCloseRange[] = {{2, "CLOSE_RANGE_UNSHARE"},
                                    {4, "CLOSE_RANGE_CLOEXEC"}};

constexpr FlagName kFileTypes[] = {{0100000, "S_IFREG"}, {0140000, "S_IFSOCK"},
                                   {0010000, "S_IFIFO"}, {0120000, "S_IFLNK"},
                                   {0040000, "S_IFDIR"}, {0060000, "S_IFBLK"},
                                   {0020000, "S_IFCHR"}};

// Enumerations.

constexpr FlagName kAddressFamilies[] = {
    {0, "AF_UNSPEC"},      {1, "AF_UNIX"},       {2, "AF_INET"},
    {3, "AF_AX25"},        {4, "AF_IPX"},        {5, "AF_APPLETALK"},
    {6, "AF_NETROM"},      {7, "AF_BRIDGE"},     {8, "AF_ATMPVC"},
    {9, "AF_X25"},         {10, "AF_INET6"},     {11, "AF_ROSE"},
    {12, "AF_DECnet"},     {13, "AF_NETBEUI"},   {14, "AF_SECURITY"},
    {15, "AF_KEY"},        {16, "AF_NETLINK"},   {17, "AF_PACKET"},
    {18, "AF_ASH"},        {19, "AF_ECONET"},    {20, "AF_ATMSVC"},
    {21, "AF_RDS"},        {22, "AF_SNA"},       {23, "AF_IRDA"},
    {24, "AF_PPPOX"},      {25, "AF_WANPIPE"},   {26, "AF_LLC"},
    {27, "AF_IB"},         {28, "AF_MPLS"},      {29, "AF_CAN"},
    {30, "AF_TIPC"},       {31, "AF_BLUETOOTH"}, {32, "AF_IUCV"},
    {33, "AF_RXRPC"},      {34, "AF_ISDN"},      {35, "AF_PHONET"},
    {36, "AF_IEEE802154"}, {37, "AF_CAIF"},      {38, "AF_ALG"},
    {39, "AF_NFC"},        {40, "AF_VSOCK"},     {41, "AF_KCM"},
    {42, "AF_QIPCRTR"},    {43, "AF_SMC"},       {44, "AF_XDP"},
    {45, "AF_MCTP"}};

constexpr FlagName kInetProtocols[] = {
    {0, "IPPROTO_IP"},       {1, "IPPROTO_ICMP"},
    {2, "IPPROTO_IGMP"},     {4, "IPPROTO_IPIP"},
    {6, "IPPROTO_TCP"},      {8, "IPPROTO_EGP"},
    {12, "IPPROTO_PUP"},     {17, "IPPROTO_UDP"},
    {22, "IPPROTO_IDP"},     {29, "IPPROTO_TP"},
    {33, "IPPROTO_DCCP"},    {41, "IPPROTO_IPV6"},
    {43, "IPPROTO_ROUTING"}, {44, "IPPROTO_FRAGMENT"},
    {46, "IPPROTO_RSVP"},    {47, "IPPROTO_GRE"},
    {50, "IPPROTO_ESP"},     {51, "IPPROTO_AH"},
    {58, "IPPROTO_ICMPV6"},  {59, "IPPROTO_NONE"},
    {60, "IPPROTO_DSTOPTS"}, {92, "IPPROTO_MTP"},
    {94, "IPPROTO_BEETPH"},  {98, "IPPROTO_ENCAP"},
    {103, "IPPROTO_PIM"},    {108, "IPPROTO_COMP"},
    {115, "IPPROTO_L2TP"},   {132, "IPPROTO_SCTP"},
    {135, "IPPROTO_MH"},     {136, "IPPROTO_UDPLITE"},
    {137, "IPPROTO_MPLS"},   {143, "IPPROTO_ETHERNET"},
    {255, "IPPROTO_RAW"},    {262, "IPPROTO_MPTCP"}};

constexpr FlagName kFcntlCmds[] = {
    {0, "F_DUPFD"},         {1, "F_GETFD"},
    {2, "F_SETFD"},         {3, "F_GETFL"},
    {4, "F_SETFL"},         {5, "F_GETLK"},
    {6, "F_SETLK"},         {7, "F_SETLKW"},
    {8, "F_SETOWN"},        {9, "F_GETOWN"},
    {10, "F_SETSIG"},       {11, "F_GETSIG"},
    {12, "F_GETLK64"},      {13, "F_SETLK64"},
    {14, "F_SETLKW64"},     {15, "F_SETOWN_EX"},
    {16, "F_GETOWN_EX"},    {17, "F_GETOWNER_UIDS"},
    {36, "F_OFD_GETLK"},    {37, "F_OFD_SETLK"},
    {38, "F_OFD_SETLKW"},   {1024, "F_SETLEASE"},
    {1025, "F_GETLEASE"},   {1026, "F_NOTIFY"},
    {1029, "F_CANCELLK"},   {1030, "F_DUPFD_CLOEXEC"},
    {1031, "F_SETPIPE_SZ"}, {1032, "F_GETPIPE_SZ"},
    {1033, "F_ADD_SEALS"},  {1034, "F_GET_SEALS"}};

constexpr FlagName kPrctlOptions[] = {{1, "PR_SET_PDEATHSIG"},
                                      {2, "PR_GET_PDEATHSIG"},
                                      {3, "PR_GET_DUMPABLE"},
                                      {4, "PR_SET_DUMPABLE"},
                                      {5, "PR_GET_UNALIGN"},
                                      {6, "PR_SET_UNALIGN"},
                                      {7, "PR_GET_KEEPCAPS"},
                                      {8, "PR_SET_KEEPCAPS"},
                                      {9, "PR_GET_FPEMU"},
                                      {10, "PR_SET_FPEMU"},
                                      {11, "PR_GET_FPEXC"},
                                      {12, "PR_SET_FPEXC"},
                                      {13, "PR_GET_TIMING"},
                                      {14, "PR_SET_TIMING"},
                                      {15, "PR_SET_NAME"},
                                      {16, "PR_GET_NAME"},
                                      {19, "PR_GET_ENDIAN"},
                                      {20, "PR_SET_ENDIAN"},
                                      {21, "PR_GET_SECCOMP"},
                                      {22, "PR_SET_SECCOMP"},
                                      {23, "PR_CAPBSET_READ"},
                                      {24, "PR_CAPBSET_DROP"},
                                      {25, "PR_GET_TSC"},
                                      {26, "PR_SET_TSC"},
                                      {27, "PR_GET_SECUREBITS"},
                                      {28, "PR_SET_SECUREBITS"},
                                      {29, "PR_SET_TIMERSLACK"},
                                      {30, "PR_GET_TIMERSLACK"},
                                      {31, "PR_TASK_PERF_EVENTS_DISABLE"},
                                      {32, "PR_TASK_PERF_EVENTS_ENABLE"},
                                      {33, "PR_MCE_KILL"},
                                      {34, "PR_MCE_KILL_GET"},
                                      {35, "PR_SET_MM"},
                                      {36, "PR_SET_CHILD_SUBREAPER"},
                                      {37, "PR_GET_CHILD_SUBREAPER"},
                                      {38, "PR_SET_NO_NEW_PRIVS"},
                                      {39, "PR_GET_NO_NEW_PRIVS"},
                                      {40, "PR_GET_TID_ADDRESS"},
                                      {41, "PR_SET_THP_DISABLE"},
                                      {42, "PR_GET_THP_DISABLE"},
                                      {43, "PR_MPX_ENABLE_MANAGEMENT"},
                                      {44, "PR_MPX_DISABLE_MANAGEMENT"},
                                      {45, "PR_SET_FP_MODE"},
                                      {46, "PR_GET_FP_MODE"},
                                      {47, "PR_CAP_AMBIENT"},
                                      {50, "PR_SVE_SET_VL"},
                                      {51, "PR_SVE_GET_VL"},
                                      {52, "PR_GET_SPECULATION_CTRL"},
                                      {53, "PR_SET_SPECULATION_CTRL"},
                                      {54, "PR_PAC_RESET_KEYS"},
                                      {55, "PR_SET_TAGGED_ADDR_CTRL"},
                                      {56, "PR_GET_TAGGED_ADDR_CTRL"},
                                      {57, "PR_SET_IO_FLUSHER"},
                                      {58, "PR_GET_IO_FLUSHER"},
                                      {59, "PR_SET_SYSCALL_USER_DISPATCH"},
                                      {60, "PR_PAC_SET_ENABLED_KEYS"},
                                      {61, "PR_PAC_GET_ENABLED_KEYS"},
                                      {62, "PR_SCHED_CORE"},
                                      {63, "PR_SME_SET_VL"},
                                      {64, "PR_SME_GET_VL"},
                                      {0x53564d41, "PR_SET_VMA"},
                                      {0x59616d61, "PR_SET_PTRACER"}};

constexpr FlagName kPtraceRequests[] = {
    {0x0, "PTRACE_TRACEME"},
    {0x1, "PTRACE_PEEKTEXT"},
    {0x2, "PTRACE_PEEKDATA"},
    {0x3, "PTRACE_PEEKUSER"},
    {0x4, "PTRACE_POKETEXT"},
    {0x5, "PTRACE_POKEDATA"},
    {0x6, "PTRACE_POKEUSER"},
    {0x7, "PTRACE_CONT"},
    {0x8, "PTRACE_KILL"},
    {0x9, "PTRACE_SINGLESTEP"},
    {0xc, "PTRACE_GETREGS"},
    {0xd, "PTRACE_SETREGS"},
    {0xe, "PTRACE_GETFPREGS"},
    {0xf, "PTRACE_SETFPREGS"},
    {0x10, "PTRACE_ATTACH"},
    {0x11, "PTRACE_DETACH"},
    {0x12, "PTRACE_GETFPXREGS"},
    {0x13, "PTRACE_SETFPXREGS"},
    {0x15, "PTRACE_OLDSETOPTIONS"},
    {0x18, "PTRACE_SYSCALL"},
    {0x19, "PTRACE_GET_THREAD_AREA"},
    {0x1a, "PTRACE_SET_THREAD_AREA"},
    {0x1e, "PTRACE_ARCH_PRCTL"},
    {0x1f, "PTRACE_SYSEMU"},
    {0x20, "PTRACE_SYSEMU_SINGLESTEP"},
    {0x21, "PTRACE_SINGLEBLOCK"},
    {0x4200, "PTRACE_SETOPTIONS"},
    {0x4201, "PTRACE_GETEVENTMSG"},
    {0x4202, "PTRACE_GETSIGINFO"},
    {0x4203, "PTRACE_SETSIGINFO"},
    {0x4204, "PTRACE_GETREGSET"},
    {0x4205, "PTRACE_SETREGSET"},
    {0x4206, "PTRACE_SEIZE"},
    {0x4207, "PTRACE_INTERRUPT"},
    {0x4208, "PTRACE_LISTEN"},
    {0x4209, "PTRACE_PEEKSIGINFO"},
    {0x420a, "PTRACE_GETSIGMASK"},
    {0x420b, "PTRACE_SETSIGMASK"},
    {0x420c, "PTRACE_SECCOMP_GET_FILTER"},
    {0x420d, "PTRACE_SECCOMP_GET_METADATA"},
    {0x420e, "PTRACE_GET_SYSCALL_INFO"},
    {0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"}};

constexpr FlagName kWhence[] = {{0, "SEEK_SET"},
                                {1, "SEEK_CUR"},
                                {2, "SEEK_END"},
                                {3, "SEEK_DATA"},
                                {4, "SEEK_HOLE"}};

constexpr FlagName kSigprocmaskHow[] = {
    {0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}};

// strace's table spells out every private/realtime combination, so a
// futex op is one lookup, not a flag set.
constexpr FlagName kFutexOps[] = {
    {0, "FUTEX_WAIT"},
    {1, "FUTEX_WAKE"},
    {2, "FUTEX_FD"},
    {3, "FUTEX_REQUEUE"},
    {4, "FUTEX_CMP_REQUEUE"},
    {5, "FUTEX_WAKE_OP"},
    {6, "FUTEX_LOCK_PI"},
    {7, "FUTEX_UNLOCK_PI"},
    {8, "FUTEX_TRYLOCK_PI"},
    {9, "FUTEX_WAIT_BITSET"},
    {10, "FUTEX_WAKE_BITSET"},
    {11, "FUTEX_WAIT_REQUEUE_PI"},
    {12, "FUTEX_CMP_REQUEUE_PI"},
    {13, "FUTEX_LOCK_PI2"},
    {128 | 0, "FUTEX_WAIT_PRIVATE"},
    {128 | 1, "FUTEX_WAKE_PRIVATE"},
    {128 | 2, "FUTEX_FD|FUTEX_PRIVATE_FLAG"},
    {128 | 3, "FUTEX_REQUEUE_PRIVATE"},
    {128 | 4, "FUTEX_CMP_REQUEUE_PRIVATE"},
    {128 | 5, "FUTEX_WAKE_OP_PRIVATE"},
    {128 | 6, "FUTEX_LOCK_PI_PRIVATE"},
    {128 | 7, "FUTEX_UNLOCK_PI_PRIVATE"},
    {128 | 8, "FUTEX_TRYLOCK_PI_PRIVATE"},
    {128 | 9, "FUTEX_WAIT_BITSET_PRIVATE"},
    {128 | 10, "FUTEX_WAKE_BITSET_PRIVATE"},
    {128 | 11, "FUTEX_WAIT_REQUEUE_PI_PRIVATE"},
    {128 | 12, "FUTEX_CMP_REQUEUE_PI_PRIVATE"},
    {128 | 13, "FUTEX_LOCK_PI2_PRIVATE"},
    {256 | 0, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME"},
    {256 | 128 | 0, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME"},
    {256 | 9, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME"},
    {256 | 128 | 9, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"},
    {256 | 11, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME"},
    {256 | 128 | 11, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME"}};

constexpr FlagName kEpollCtlOps[] = {
    {1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}};

constexpr FlagName kSockoptLevels[] = {
    {0, "SOL_IP"},          {1, "SOL_SOCKET"},     {6, "SOL_TCP"},
    {17, "SOL_UDP"},        {40, "AF_VSOCK"},      {41, "SOL_IPV6"},
    {58, "SOL_ICMPV6"},     {100, "SOL_CAN_BASE"}, {101, "SOL_CAN_RAW"},
    {132, "SOL_SCTP"},      {136, "SOL_UDPLITE"},  {255, "SOL_RAW"},
    {256, "SOL_IPX"},       {257, "SOL_AX25"},     {258, "SOL_ATALK"},
    {259, "SOL_NETROM"},    {260, "SOL_ROSE"},     {261, "SOL_DECNET"},
    {262, "SOL_X25"},       {263, "SOL_PACKET"},   {264, "SOL_ATM"},
    {265, "SOL_AAL"},       {266, "SOL_IRDA"},     {267, "SOL_NETBEUI"},
    {268, "SOL_LLC"},       {269, "SOL_DCCP"},     {270, "SOL_NETLINK"},
    {271, "SOL_TIPC"},      {272, "SOL_RXRPC"},    {273, "SOL_PPPOL2TP"},
    {274, "SOL_BLUETOOTH"}, {275, "SOL_PNPIPE"},   {276, "SOL_RDS"},
    {277, "SOL_IUCV"},      {278, "SOL_CAIF"},     {279, "SOL_ALG"},
    {280, "SOL_NFC"},       {281, "SOL_KCM"},      {282, "SOL_TLS"},
    {283, "SOL_XDP"}};

constexpr FlagName kClockIds[] = {
    {0, "CLOCK_REALTIME"},           {1, "CLOCK_MONOTONIC"},
    {2, "CLOCK_PROCESS_CPUTIME_ID"}, {3, "CLOCK_THREAD_CPUTIME_ID"},
    {4, "CLOCK_MONOTONIC_RAW"},      {5, "CLOCK_REALTIME_COARSE"},
    {6, "CLOCK_MONOTONIC_COARSE"},   {7, "CLOCK_BOOTTIME"},
    {8, "CLOCK_REALTIME_ALARM"},     {9, "CLOCK_BOOTTIME_ALARM"},
    {10, "CLOCK_SGI_CYCLE"},         {11, "CLOCK_TAI"}};

constexpr FlagName kRlimits[] = {
    {0, "RLIMIT_CPU"},       {1, "RLIMIT_FSIZE"},  {2, "RLIMIT_DATA"},
    {3, "RLIMIT_STACK"},     {4, "RLIMIT_CORE"},   {5, "RLIMIT_RSS"},
    {6, "RLIMIT_NPROC"},     {7, "RLIMIT_NOFILE"}, {8, "RLIMIT_MEMLOCK"},
    {9, "RLIMIT_AS"},        {10, "RLIMIT_LOCKS"}, {11, "RLIMIT_SIGPENDING"},
    {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"},  {14, "RLIMIT_RTPRIO"},
    {15, "RLIMIT_RTTIME"}};

// strace 6.1 knows no shadow-stack or LAM codes (0x3001, 0x4001, 0x5001).
constexpr FlagName kArchPrctlCodes[] = {{0x1001, "ARCH_SET_GS"},
                                        {0x1002, "ARCH_SET_FS"},
                                        {0x1003, "ARCH_GET_FS"},
                                        {0x1004, "ARCH_GET_GS"},
                                        {0x1011, "ARCH_GET_CPUID"},
                                        {0x1012, "ARCH_SET_CPUID"},
                                        {0x1021, "ARCH_GET_XCOMP_SUPP"},
                                        {0x1022, "ARCH_GET_XCOMP_PERM"},
                                        {0x1023, "ARCH_REQ_XCOMP_PERM"},
                                        {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"},
                                        {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"},
                                        {0x2001, "ARCH_MAP_VDSO_X32"},
                                        {0x2002, "ARCH_MAP_VDSO_32"},
                                        {0x2003, "ARCH_MAP_VDSO_64"}};

constexpr FlagName kMadviseAdvice[] = {
    {0, "MADV_NORMAL"},          {1, "MADV_RANDOM"},
    {2, "MADV_SEQUENTIAL"},      {3, "MADV_WILLNEED"},
    {4, "MADV_DONTNEED"},        {8, "MADV_FREE"},
    {9, "MADV_REMOVE"},          {10, "MADV_DONTFORK"},
    {11, "MADV_DOFORK"},         {12, "MADV_MERGEABLE"},
    {13, "MADV_UNMERGEABLE"},    {14, "MADV_HUGEPAGE"},
    {15, "MADV_NOHUGEPAGE"},     {16, "MADV_DONTDUMP"},
    {17, "MADV_DODUMP"},         {18, "MADV_WIPEONFORK"},
    {19, "MADV_KEEPONFORK"},     {20, "MADV_COLD"},
    {21, "MADV_PAGEOUT"},        {22, "MADV_POPULATE_READ"},
    {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"},
    {25, "MADV_COLLAPSE"},       {100, "MADV_HWPOISON"},
    {101, "MADV_SOFT_OFFLINE"}};

constexpr FlagName kItimerWhich[] = {
    {0, "ITIMER_REAL"}, {1, "ITIMER_VIRTUAL"}, {2, "ITIMER_PROF"}};

constexpr FlagName kFadviseAdvice[] = {
    {0, "POSIX_FADV_NORMAL"},     {1, "POSIX_FADV_RANDOM"},
    {2, "POSIX_FADV_SEQUENTIAL"}, {3, "POSIX_FADV_WILLNEED"},
    {4, "POSIX_FADV_DONTNEED"},   {5, "POSIX_FADV_NOREUSE"}};

constexpr FlagName kSchedPolicies[] = {{0, "SCHED_OTHER"},   {1, "SCHED_FIFO"},
                                       {2, "SCHED_RR"},      {3, "SCHED_BATCH"},
                                       {4, "SCHED_ISO"},     {5, "SCHED_IDLE"},
                                       {6, "SCHED_DEADLINE"}};

constexpr FlagName kShutdownHow[] = {
    {0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}};

constexpr FlagName kPriorityWhich[] = {
    {0, "PRIO_PROCESS"}, {1, "PRIO_PGRP"}, {2, "PRIO_USER"}};

constexpr FlagName kIdtypes[] = {
    {0, "P_ALL"}, {1, "P_PID"}, {2, "P_PGID"}, {3, "P_PIDFD"}};

constexpr FlagName kSyslogTypes[] = {
    {0, "SYSLOG_ACTION_CLOSE"},         {1, "SYSLOG_ACTION_OPEN"},
    {2, "SYSLOG_ACTION_READ"},          {3, "SYSLOG_ACTION_READ_ALL"},
    {4, "SYSLOG_ACTION_READ_CLEAR"},    {5, "SYSLOG_ACTION_CLEAR"},
    {6, "SYSLOG_ACTION_CONSOLE_OFF"},   {7, "SYSLOG_ACTION_CONSOLE_ON"},
    {8, "SYSLOG_ACTION_CONSOLE_LEVEL"}, {9, "SYSLOG_ACTION_SIZE_UNREAD"},
    {10, "SYSLOG_ACTION_SIZE_BUFFER"}};

constexpr FlagName kKeyctlCmds[] = {{0, "KEYCTL_GET_KEYRING_ID"},
                                    {1, "KEYCTL_JOIN_SESSION_KEYRING"},
                                    {2, "KEYCTL_UPDATE"},
                                    {3, "KEYCTL_REVOKE"},
                                    {4, "KEYCTL_CHOWN"},
                                    {5, "KEYCTL_SETPERM"},
                                    {6, "KEYCTL_DESCRIBE"},
                                    {7, "KEYCTL_CLEAR"},
                                    {8, "KEYCTL_LINK"},
                                    {9, "KEYCTL_UNLINK"},
                                    {10, "KEYCTL_SEARCH"},
                                    {11, "KEYCTL_READ"},
                                    {12, "KEYCTL_INSTANTIATE"},
                                    {13, "KEYCTL_NEGATE"},
                                    {14, "KEYCTL_SET_REQKEY_KEYRING"},
                                    {15, "KEYCTL_SET_TIMEOUT"},
                                    {16, "KEYCTL_ASSUME_AUTHORITY"},
                                    {17, "KEYCTL_GET_SECURITY"},
                                    {18, "KEYCTL_SESSION_TO_PARENT"},
                                    {19, "KEYCTL_REJECT"},
                                    {20, "KEYCTL_INSTANTIATE_IOV"},
                                    {21, "KEYCTL_INVALIDATE"},
                                    {22, "KEYCTL_GET_PERSISTENT"},
                                    {23, "KEYCTL_DH_COMPUTE"},
                                    {24, "KEYCTL_PKEY_QUERY"},
                                    {25, "KEYCTL_PKEY_ENCRYPT"},
                                    {26, "KEYCTL_PKEY_DECRYPT"},
                                    {27, "KEYCTL_PKEY_SIGN"},
                                    {28, "KEYCTL_PKEY_VERIFY"},
                                    {29, "KEYCTL_RESTRICT_KEYRING"},
                                    {30, "KEYCTL_MOVE"},
                                    {31, "KEYCTL_CAPABILITIES"},
                                    {32, "KEYCTL_WATCH_KEY"}};

constexpr FlagName kBpfCmds[] = {{0, "BPF_MAP_CREATE"},
                                 {1, "BPF_MAP_LOOKUP_ELEM"},
                                 {2, "BPF_MAP_UPDATE_ELEM"},
                                 {3, "BPF_MAP_DELETE_ELEM"},
                                 {4, "BPF_MAP_GET_NEXT_KEY"},
                                 {5, "BPF_PROG_LOAD"},
                                 {6, "BPF_OBJ_PIN"},
                                 {7, "BPF_OBJ_GET"},
                                 {8, "BPF_PROG_ATTACH"},
                                 {9, "BPF_PROG_DETACH"},
                                 {10, "BPF_PROG_TEST_RUN"},
                                 {11, "BPF_PROG_GET_NEXT_ID"},
                                 {12, "BPF_MAP_GET_NEXT_ID"},
                                 {13, "BPF_PROG_GET_FD_BY_ID"},
                                 {14, "BPF_MAP_GET_FD_BY_ID"},
                                 {15, "BPF_OBJ_GET_INFO_BY_FD"},
                                 {16, "BPF_PROG_QUERY"},
                                 {17, "BPF_RAW_TRACEPOINT_OPEN"},
                                 {18, "BPF_BTF_LOAD"},
                                 {19, "BPF_BTF_GET_FD_BY_ID"},
                                 {20, "BPF_TASK_FD_QUERY"},
                                 {21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"},
                                 {22, "BPF_MAP_FREEZE"},
                                 {23, "BPF_BTF_GET_NEXT_ID"},
                                 {24, "BPF_MAP_LOOKUP_BATCH"},
                                 {25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"},
                                 {26, "BPF_MAP_UPDATE_BATCH"},
                                 {27, "BPF_MAP_DELETE_BATCH"},
                                 {28, "BPF_LINK_CREATE"},
                                 {29, "BPF_LINK_UPDATE"},
                                 {30, "BPF_LINK_GET_FD_BY_ID"},
                                 {31, "BPF_LINK_GET_NEXT_ID"},
                                 {32, "BPF_ENABLE_STATS"},
                                 {33, "BPF_ITER_CREATE"},
                                 {34, "BPF_LINK_DETACH"},
                                 {35, "BPF_PROG_BIND_MAP"}};

constexpr FlagName kMembarrierCmds[] = {
    {0, "MEMBARRIER_CMD_QUERY"},
    {1 << 0, "MEMBARRIER_CMD_GLOBAL"},
    {1 << 1, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"},
    {1 << 2, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"},
    {1 << 3, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"},
    {1 << 4, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"},
    {1 << 5, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"},
    {1 << 6, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"},
    {1 << 7, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"},
    {1 << 8, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"}};

constexpr FlagName kIoprioWhich[] = {
    {1, "IOPRIO_WHO_PROCESS"}, {2, "IOPRIO_WHO_PGRP"}, {3, "IOPRIO_WHO_USER"}};

// RUSAGE_CHILDREN and RUSAGE_BOTH are negative ints; stored as the 32-bit
// pattern because enum values are compared as unsigned int, as strace does.
constexpr FlagName kRusageWho[] = {{0, "RUSAGE_SELF"},
                                   {0xffffffff, "RUSAGE_CHILDREN"},
                                   {0xfffffffe, "RUSAGE_BOTH"},
                                   {1, "RUSAGE_THREAD"}};

constexpr FlagName kSeccompOps[] = {{0, "SECCOMP_SET_MODE_STRICT"},
                                    {1, "SECCOMP_SET_MODE_FILTER"},
                                    {2, "SECCOMP_GET_ACTION_AVAIL"},
                                    {3, "SECCOMP_GET_NOTIF_SIZES"}};

constexpr FlagName kIoctlDirs[] = {
    {0, "_IOC_NONE"}, {2, "_IOC_READ"}, {1, "_IOC_WRITE"}};

// A common subset of strace's ioctl table: terminals, generic file and
// socket requests. Others print as _IOC(...), which loses the name but
// not the number.
// A code with several names carries all of them as strace prints them,
// joined by " or ".
constexpr FlagName kIoctlCmds[] = {{0x5401, "TCGETS"},
                                   {0x5402, "SNDCTL_TMR_START or TCSETS"},
                                   {0x5403, "SNDCTL_TMR_STOP or TCSETSW"},
                                   {0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF"},
                                   {0x5405, "TCGETA"},
                                   {0x5406, "TCSETA"},
                                   {0x5407, "TCSETAW"},
                                   {0x5408, "TCSETAF"},
                                   {0x5409, "TCSBRK"},
                                   {0x540a, "TCXONC"},
                                   {0x540b, "TCFLSH"},
                                   {0x540c, "TIOCEXCL"},
                                   {0x540d, "TIOCNXCL"},
                                   {0x540e, "TIOCSCTTY"},
                                   {0x540f, "TIOCGPGRP"},
                                   {0x5410, "TIOCSPGRP"},
                                   {0x5411, "TIOCOUTQ"},
                                   {0x5412, "TIOCSTI"},
                                   {0x5413, "TIOCGWINSZ"},
                                   {0x5414, "TIOCSWINSZ"},
                                   {0x5415, "TIOCMGET"},
                                   {0x5416, "TIOCMBIS"},
                                   {0x5417, "TIOCMBIC"},
                                   {0x5418, "TIOCMSET"},
                                   {0x5419, "TIOCGSOFTCAR"},
                                   {0x541a, "TIOCSSOFTCAR"},
                                   {0x541b, "FIONREAD"},
                                   {0x541c, "TIOCLINUX"},
                                   {0x541d, "TIOCCONS"},
                                   {0x541e, "TIOCGSERIAL"},
                                   {0x541f, "TIOCSSERIAL"},
                                   {0x5420, "TIOCPKT"},
                                   {0x5421, "FIONBIO"},
                                   {0x5422, "TIOCNOTTY"},
                                   {0x5423, "TIOCSETD"},
                                   {0x5424, "TIOCGETD"},
                                   {0x5425, "TCSBRKP"},
                                   {0x5427, "TIOCSBRK"},
                                   {0x5428, "TIOCCBRK"},
                                   {0x5429, "TIOCGSID"},
                                   {0x802c542a, "TCGETS2"},
                                   {0x402c542b, "TCSETS2"},
                                   {0x402c542c, "TCSETSW2"},
                                   {0x402c542d, "TCSETSF2"},
                                   {0x80045430, "TIOCGPTN"},
                                   {0x40045431, "TIOCSPTLCK"},
                                   {0x80045432, "TIOCGDEV"},
                                   {0x40045436, "TIOCSIG"},
                                   {0x5437, "TIOCVHANGUP"},
                                   {0x80045438, "TIOCGPKT"},
                                   {0x80045439, "TIOCGPTLCK"},
                                   {0x80045440, "TIOCGEXCL"},
                                   {0x5441, "TIOCGPTPEER"},
                                   {0x5450, "FIONCLEX"},
                                   {0x5451, "FIOCLEX"},
                                   {0x5452, "FIOASYNC"},
                                   {0x5453, "TIOCSERCONFIG"},
                                   {0x5454, "TIOCSERGWILD"},
                                   {0x5455, "TIOCSERSWILD"},
                                   {0x5456, "TIOCGLCKTRMIOS"},
                                   {0x5457, "TIOCSLCKTRMIOS"},
                                   {0x5458, "TIOCSERGSTRUCT"},
                                   {0x5459, "TIOCSERGETLSR"},
                                   {0x545a, "TIOCSERGETMULTI"},
                                   {0x545b, "TIOCSERSETMULTI"},
                                   {0x545c, "TIOCMIWAIT"},
                                   {0x545d, "TIOCGICOUNT"},
                                   {0x5460, "FIOQSIZE"},
                                   {0x1, "FIBMAP"},
                                   {0x2, "FIGETBSZ"},
                                   {0x1268, "BLKSSZGET"},
                                   {0x80081272, "BLKGETSIZE64"},
                                   {0x80086601, "FS_IOC_GETFLAGS"},
                                   {0x40086602, "FS_IOC_SETFLAGS"},
                                   {0x40049409, "BTRFS_IOC_CLONE or FICLONE"},
                                   {0x8912, "SIOCGIFCONF"},
                                   {0x8913, "SIOCGIFFLAGS"},
                                   {0x8915, "SIOCGIFADDR"},
                                   {0x8927, "SIOCGIFHWADDR"},
                                   {0x8933, "SIOCGIFINDEX"},
                                   {0x400454ca, "TUNSETIFF"},
                                   {0x2400, "PERF_EVENT_IOC_ENABLE"},
                                   {0x2401, "PERF_EVENT_IOC_DISABLE"}};

const FlagName *find_exact(std::span<const FlagName> table,
                           std::uint64_t value) {
  for (const FlagName &f : table) {
    if (f.value == value)
      return &f;
  }
  return nullptr;
}

// FlagText - one printed argument being assembled from parts. strace may
// put a /* X_??? */ comment after an unknown number inside a longer
// expression; when the whole argument is that one number, it is written
// as a number so JSON gets a number, not a string.
class FlagText {
public:
  void name(std::string_view s) {
    separate();
    text_.append(s);
    lone_number_ = false;
  }

  void number(std::uint64_t v, std::string_view unknown) {
    bool first = parts_ == 0;
    separate();
    append_strace_hex(text_, v);
    if (!unknown.empty()) {
      text_.append(" /* ");
      text_.append(unknown);
      text_.append(" */");
    }
    lone_number_ = first;
    number_ = v;
    unknown_ = unknown;
  }

  // Appends the text as is, joined by '|' like a name.
  void raw(std::string_view s) { name(s); }

  bool empty() const { return parts_ == 0; }

  void write(ValueWriter &w) const {
    if (parts_ == 1 && lone_number_) {
      if (number_ == 0) {
        w.unsigned_int(0);
      } else {
        w.hex(number_);
      }
      if (!unknown_.empty())
        w.comment(unknown_);
      return;
    }
    w.symbol(text_);
  }

private:
  void separate() {
    if (parts_++ > 0)
      text_.push_back('|');
  }

  std::string text_;
  int parts_ = 0;
  bool lone_number_ = false;
  std::uint64_t number_ = 0;
  std::string_view unknown_;
};

// add_flags - strace's printflags into t: an entry matches when all its
// bits are set and takes them out; an entry of value 0 names a value of 0.
// Leftover bits follow as one hex number; if nothing was named, that
// number carries the unknown comment.
void add_flags(FlagText &t, std::span<const FlagName> table,
               std::uint64_t value, std::string_view unknown) {
  int named = 0;
  for (const FlagName &f : table) {
    if (value == 0 && named > 0)
      break;
    bool match = f.value == 0 ? value == 0 : (value & f.value) == f.value;
    if (!match)
      continue;
    t.name(f.name);
    ++named;
    value &= ~f.value;
    if (value == 0)
      break;
  }
  if (named == 0) {
    // strace prints a bare 0, without the comment, for an empty set.
    t.number(value, value == 0 ? std::string_view() : unknown);
  } else if (value != 0) {
    t.number(value, {});
  }
}

void add_enum(FlagText &t, std::span<const FlagName> table, std::uint64_t value,
              std::string_view unknown) {
  if (const FlagName *f = find_exact(table, value)) {
    t.name(f->name);
  } else {
    t.number(value, unknown);
  }
}

// Families that are one table printed by printflags.
struct FlagSpec {
  FlagFamily family;
  std::span<const FlagName> table;
  std::string_view unknown;
};

constinit const FlagSpec kFlagSpecs[] = {
    {FlagFamily::kOpenFlags, kOpenFlags, "O_???"},
    {FlagFamily::kAt, kAt, "AT_???"},
    {FlagFamily::kProt, kProt, "PROT_???"},
    {FlagFamily::kUmount, kUmount, "MNT_???"},
    {FlagFamily::kMsg, kMsg, "MSG_???"},
    {FlagFamily::kAccessMode, kAccessMode, "?_OK"},
    {FlagFamily::kSigaction, kSigaction, "SA_???"},
    {FlagFamily::kPoll, kPoll, "POLL???"},
    {FlagFamily::kEpollCreate, kEpollCreate, "EPOLL_???"},
    {FlagFamily::kEventfd, kEventfd, "EFD_???"},
    {FlagFamily::kTimerfdCreate, kTimerfdCreate, "TFD_???"},
    {FlagFamily::kTimerfdSettime, kTimerfdSettime, "TFD_???"},
    {FlagFamily::kTimer, kTimer, "TIMER_???"},
    {FlagFamily::kInotifyInit, kInotifyInit, "IN_???"},
    {FlagFamily::kGetrandom, kGetrandom, "GRND_???"},
    {FlagFamily::kMremap, kMremap, "MREMAP_???"},
    {FlagFamily::kMsync, kMsync, "MS_???"},
    {FlagFamily::kMlock, kMlock, "MLOCK_???"},
    {FlagFamily::kMlockall, kMlockall, "MCL_???"},
    {FlagFamily::kFlock, kFlock, "LOCK_???"},
    {FlagFamily::kRenameat2, kRenameat2, "RENAME_??"},
    {FlagFamily::kMemfd, kMemfd, "MFD_???"},
    {FlagFamily::kSpliceFlags, kSplice, "SPLICE_F_???"},
    {FlagFamily::kWait, kWait, "W???"},
    {FlagFamily::kStatxMask, kStatxMask, "STATX_???"},
    {FlagFamily::kFallocate, kFallocate, "FALLOC_FL_???"},
    {FlagFamily::kXattr, kXattr, "XATTR_???"},
    {FlagFamily::kFanotifyMark, kFanMark, "FAN_MARK_???"},
    {FlagFamily::kDup3, kOpenFlags, "O_???"},
    {FlagFamily::kCloseRange, kCloseRange, "CLOSE_RANGE_???"},
};

// The access mode is not a bit set: O_RDONLY is 0, so it is looked up
// and always printed first.
void add_open(FlagText &t, std::uint64_t value) {
  t.name(find_exact(kOpenAccess, value & 3)->name);
  value &= ~std::uint64_t{3};
  if (value != 0)
    add_flags(t, kOpenFlags, value, {});
}

// statx always shows the sync type, AT_STATX_SYNC_AS_STAT when 0.
void add_at_statx(FlagText &t, std::uint64_t value) {
  constexpr std::uint64_t kSyncType = 0x6000;
  add_flags(t, kAtStatxSync, value & kSyncType, {});
  value &= ~kSyncType;
  if (value != 0)
    add_flags(t, kAt, value, {});
}

// The mapping type is an enumeration in the low four bits; the hugetlb
// page size is a number in bits 26..31, printed last as N<<MAP_HUGE_SHIFT.
void add_map(FlagText &t, std::uint64_t value) {
  constexpr std::uint64_t kType = 0xf;
  constexpr int kHugeShift = 26;
  constexpr std::uint64_t kHuge = std::uint64_t{0x3f} << kHugeShift;
  std::uint64_t huge = value & kHuge;
  value &= ~kHuge;

  add_enum(t, kMap, value & kType, "MAP_???");
  value &= ~kType;
  if (value != 0)
    add_flags(t, kMap, value, {});

  if (huge != 0) {
    std::string s;
    json::append_int(s, static_cast<std::int64_t>(huge >> kHugeShift));
    s.append("<<MAP_HUGE_SHIFT");
    t.raw(s);
  }
}

// The low byte of clone flags is the signal sent to the parent on exit.
void add_clone(FlagText &t, std::uint64_t value) {
  constexpr std::uint64_t kSignalMask = 0xff;
  std::uint64_t flags = value & ~kSignalMask;
  int sig = static_cast<int>(value & kSignalMask);
  if (flags != 0)
    add_flags(t, kClone, flags, {});
  if (sig != 0) {
    std::string_view name = signal_name(sig);
    std::string s;
    if (name.empty())
      json::append_int(s, sig);
    t.raw(name.empty() ? std::string_view(s) : name);
  }
  if (value == 0)
    t.number(0, {});
}

// mount(2) still accepts the pre-2.4 magic number in the high 16 bits.
void add_mount(FlagText &t, std::uint64_t value) {
  constexpr std::uint64_t kMagicMask = 0xffff0000;
  constexpr std::uint64_t kMagic = 0xc0ed0000;
  if ((value & kMagicMask) == kMagic) {
    t.name("MS_MGC_VAL");
    value &= ~kMagicMask;
    if (value == 0)
      return;
  }
  add_flags(t, kMount, value, "MS_???");
}

void add_sock_type(FlagText &t, std::uint64_t value) {
  constexpr std::uint64_t kTypeMask = 0xf;
  if (const FlagName *f = find_exact(kSockTypes, value & kTypeMask)) {
    t.name(f->name);
    value &= ~kTypeMask;
    if (value == 0)
      return;
  }
  add_flags(t, kSockTypeFlags, value, "SOCK_???");
}

void add_fanotify_init(FlagText &t, std::uint64_t value) {
  constexpr std::uint64_t kClassMask = 0xc;
  add_enum(t, kFanClasses, value & kClassMask, "FAN_CLASS_???");
  value &= ~kClassMask;
  if (value != 0)
    add_flags(t, kFanInit, value, "FAN_???");
}

// strace's %#03o: a leading 0 and at least three digits (0644, 000, 007).
void append_mode_octal(std::string &out, std::uint64_t v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, 8);
  std::size_t digits = static_cast<std::size_t>(end - buf);
  out.append(digits < 2 ? 3 - digits : 1, '0');
  out.append(buf, end);
}

// The file type, then the set-id and sticky bits, then the permissions;
// a type strace does not know makes it print the whole mode in octal.
void write_file_mode(ValueWriter &w, std::uint64_t mode) {
  constexpr std::uint64_t kIfmt = 0170000;
  std::string s;
  std::uint64_t type = mode & kIfmt;
  const FlagName *f = type != 0 ? find_exact(kFileTypes, type) : nullptr;
  if (type != 0 && f == nullptr) {
    append_mode_octal(s, mode);
    w.symbol(s);
    return;
  }
  if (f != nullptr) {
    s.append(f->name);
    s.push_back('|');
  }
  if (mode & 04000)
    s.append("S_ISUID|");
  if (mode & 02000)
    s.append("S_ISGID|");
  if (mode & 01000)
    s.append("S_ISVTX|");
  append_mode_octal(s, mode & ~(kIfmt | 07000));
  w.symbol(s);
}

// Families whose layout needs more than one table.
using CustomFlags = void (*)(FlagText &, std::uint64_t);

struct CustomFlagSpec {
  FlagFamily family;
  CustomFlags add;
};

constinit const CustomFlagSpec kCustomFlagSpecs[] = {
    {FlagFamily::kOpen, add_open},
    {FlagFamily::kAtStatx, add_at_statx},
    {FlagFamily::kMap, add_map},
    {FlagFamily::kClone, add_clone},
    {FlagFamily::kMount, add_mount},
    {FlagFamily::kSockType, add_sock_type},
    {FlagFamily::kFanotifyInit, add_fanotify_init},
};

struct EnumSpec {
  EnumFamily family;
  std::span<const FlagName> table;
  std::string_view unknown;
  EnumStyle style;
  // Most of these arguments are C ints: strace compares and prints them
  // as unsigned int, so -6 prints as 0xfffffffa.
  bool wide = false;
};

constinit const EnumSpec kEnumSpecs[] = {
    {EnumFamily::kAddressFamily, kAddressFamilies, "AF_???", EnumStyle::kHex},
    {EnumFamily::kInetProtocol, kInetProtocols, "IPPROTO_???", EnumStyle::kHex},
    {EnumFamily::kFcntlCmd, kFcntlCmds, "F_???", EnumStyle::kHex},
    {EnumFamily::kPrctlOption, kPrctlOptions, "PR_???", EnumStyle::kHex},
    {EnumFamily::kPtraceRequest, kPtraceRequests, "PTRACE_???", EnumStyle::kHex,
     true},
    {EnumFamily::kWhence, kWhence, "SEEK_???", EnumStyle::kHex},
    {EnumFamily::kSigprocmaskHow, kSigprocmaskHow, "SIG_???", EnumStyle::kHex},
    {EnumFamily::kFutexOp, kFutexOps, "FUTEX_???", EnumStyle::kHex},
    {EnumFamily::kEpollCtlOp, kEpollCtlOps, "EPOLL_CTL_???", EnumStyle::kHex},
    {EnumFamily::kSockoptLevel, kSockoptLevels, "SOL_??", EnumStyle::kHex},
    {EnumFamily::kClockId, kClockIds, "CLOCK_???", EnumStyle::kHex},
    {EnumFamily::kRlimitResource, kRlimits, "RLIMIT_???", EnumStyle::kHex},
    {EnumFamily::kArchPrctlCode, kArchPrctlCodes, "ARCH_???", EnumStyle::kHex},
    {EnumFamily::kMadviseAdvice, kMadviseAdvice, "MADV_???", EnumStyle::kHex},
    {EnumFamily::kItimerWhich, kItimerWhich, "ITIMER_???", EnumStyle::kHex},
    {EnumFamily::kFadviseAdvice, kFadviseAdvice, "POSIX_FADV_???",
     EnumStyle::kHex},
    {EnumFamily::kSchedPolicy, kSchedPolicies, "SCHED_???", EnumStyle::kHex},
    {EnumFamily::kShutdownHow, kShutdownHow, "SHUT_???", EnumStyle::kHex},
    {EnumFamily::kPriorityWhich, kPriorityWhich, "PRIO_???", EnumStyle::kHex},
    {EnumFamily::kIdtype, kIdtypes, "P_???", EnumStyle::kHex},
    {EnumFamily::kSyslogType, kSyslogTypes, "SYSLOG_ACTION_???",
     EnumStyle::kDecimalNamed},
    {EnumFamily::kKeyctlCmd, kKeyctlCmds, "KEYCTL_???", EnumStyle::kHex},
    {EnumFamily::kBpfCmd, kBpfCmds, "BPF_???", EnumStyle::kHex},
    {EnumFamily::kMembarrierCmd, kMembarrierCmds, "MEMBARRIER_CMD_???",
     EnumStyle::kHex},
    {EnumFamily::kIoprioWhich, kIoprioWhich, "IOPRIO_WHO_???", EnumStyle::kHex},
    {EnumFamily::kRusageWho, kRusageWho, "RUSAGE_???", EnumStyle::kHex},
    {EnumFamily::kSeccompOp, kSeccompOps, "SECCOMP_SET_MODE_???",
     EnumStyle::kHex},
};

// strace's signalent for x86: 32 is SIGRTMIN, 33..64 are SIGRT_1..32.
constexpr int kMaxSignal = 64;

constinit const std::string_view kSignalNames[] = {
    "",        "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP",
    "SIGABRT", "SIGBUS",  "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV",
    "SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
    "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
    "SIGPWR",  "SIGSYS",  "SIGRTMIN"};

const std::array<std::string, kMaxSignal + 1> &signal_names() {
  static const auto names = [] {
    std::array<std::string, kMaxSignal + 1> n;
    for (std::size_t i = 0; i < std::size(kSignalNames); ++i) {
      n[i] = kSignalNames[i];
    }
    for (int i = std::size(kSignalNames); i <= kMaxSignal; ++i) {
      n[i] = "SIGRT_" + std::to_string(i - 32);
    }
    return n;
  }();
  return names;
}

void write_signal(ValueWriter &w, std::uint64_t value) {
  int sig = static_cast<std::int32_t>(value);
  std::string_view name = signal_name(sig);
  if (name.empty()) {
    w.signed_int(sig);
  } else {
    w.symbol(name);
  }
}

// Unnamed ioctls print as strace's _IOC(dir, type, nr, size) from the
// standard encoding: nr in bits 0..7, type 8..15, size 16..29, dir 30..31.
void write_ioctl(ValueWriter &w, std::uint64_t value) {
  auto code = static_cast<std::uint32_t>(value);
  if (const FlagName *f = find_exact(kIoctlCmds, code)) {
    w.symbol(f->name);
    return;
  }
  FlagText dir;
  add_flags(dir, kIoctlDirs, code >> 30, "_IOC_???");
  std::string s = "_IOC(";
  std::string d;
  StraceWriter dw(d);
  dir.write(dw);
  s.append(d);
  s.append(", ");
  append_strace_hex(s, (code >> 8) & 0xff);
  s.append(", ");
  append_strace_hex(s, code & 0xff);
  s.append(", ");
  append_strace_hex(s, (code >> 16) & 0x3fff);
  s.push_back(')');
  w.symbol(s);
}

} // namespace

std::string_view signal_name(int sig) {
  if (sig <= 0 || sig > kMaxSignal)
    return {};
  return signal_names()[static_cast<std::size_t>(sig)];
}

void write_flags(ValueWriter &w, std::span<const FlagName> table,
                 std::uint64_t value, std::string_view zero,
                 std::string_view unknown) {
  if (value == 0 && find_exact(table, 0) == nullptr) {
    if (zero == "0") {
      w.unsigned_int(0);
    } else {
      w.symbol(zero);
    }
    return;
  }
  FlagText t;
  add_flags(t, table, value, unknown);
  t.write(w);
}

void write_enum(ValueWriter &w, std::span<const FlagName> table,
                std::uint64_t value, std::string_view unknown,
                EnumStyle style) {
  const FlagName *f = find_exact(table, value);
  // A value that fits in 32 bits is a C int to strace's %d.
  auto as_int = [](std::uint64_t v) -> std::int64_t {
    if (v <= 0xffffffff)
      return static_cast<std::int32_t>(v);
    return static_cast<std::int64_t>(v);
  };

  if (style == EnumStyle::kDecimalNamed) {
    w.signed_int(as_int(value));
    w.comment(f != nullptr ? f->name : unknown);
    return;
  }
  if (f != nullptr) {
    w.symbol(f->name);
    return;
  }
  if (style == EnumStyle::kDecimal) {
    w.signed_int(as_int(value));
  } else if (value == 0) {
    w.unsigned_int(0);
  } else {
    w.hex(value);
  }
  if (!unknown.empty())
    w.comment(unknown);
}

void write_flag_family(ValueWriter &w, FlagFamily f, std::uint64_t value) {
  if (f == FlagFamily::kFileMode) {
    write_file_mode(w, value);
    return;
  }
  if (f == FlagFamily::kCreateMode) {
    std::string s;
    append_mode_octal(s, value);
    w.symbol(s);
    return;
  }
  for (const CustomFlagSpec &spec : kCustomFlagSpecs) {
    if (spec.family != f)
      continue;
    FlagText t;
    spec.add(t, value);
    t.write(w);
    return;
  }
  for (const FlagSpec &spec : kFlagSpecs) {
    if (spec.family == f) {
      write_flags(w, spec.table, value, "0", spec.unknown);
      return;
    }
  }
  w.hex(value);
}

void write_enum_family(ValueWriter &w, EnumFamily f, std::uint64_t value) {
  if (f == EnumFamily::kSignal) {
    write_signal(w, value);
    return;
  }
  if (f == EnumFamily::kIoctlCmd) {
    write_ioctl(w, value);
    return;
  }
  for (const EnumSpec &spec : kEnumSpecs) {
    if (spec.family != f)
      continue;
    if (!spec.wide)
      value &= 0xffffffff;
    write_enum(w, spec.table, value, spec.unknown, spec.style);
    return;
  }
  w.hex(value);
}

} // namespace vigil
