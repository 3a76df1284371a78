/*
 * vt_badptr - passes the address 1 as openat's filename. The kernel
 * answers -EFAULT, and vigil cannot read the string either, so the runtime
 * tests expect the filename marked unreadable.
 *
 * Usage: vt-badptr
 * Exit status: 0 when the open failed with EFAULT, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  /* The raw syscall, because glibc's openat may check its argument. */
  long fd = syscall(SYS_openat, AT_FDCWD, (const char *)1, O_RDONLY, 0);

  if (fd >= 0) {
    close((int)fd);
    return 1;
  }
  return errno == EFAULT ? 0 : 1;
}
