/*
 * vt_enoent - opens a path that must not exist, so that the kernel answers
 * -ENOENT. The runtime tests check the event's ret and errno.
 *
 * Usage: vt-enoent PATH
 * Exit status: 0 when the open failed with ENOENT, 1 otherwise, 2 on bad
 * usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int fd;

  if (argc != 2)
    return 2;
  fd = openat(AT_FDCWD, argv[1], O_RDONLY);
  if (fd >= 0) {
    close(fd);
    return 1;
  }
  return errno == ENOENT ? 0 : 1;
}
