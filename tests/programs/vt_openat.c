/*
 * vt_openat - opens the path given on its command line with
 * O_RDONLY|O_CREAT and mode 0640, then closes it. The runtime tests check
 * the openat and close events it causes, field by field.
 *
 * Usage: vt-openat PATH
 * Exit status: 0 when the open succeeded, 1 otherwise, 2 on bad usage.
 */
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int fd;

  if (argc != 2)
    return 2;
  fd = openat(AT_FDCWD, argv[1], O_RDONLY | O_CREAT, 0640);
  if (fd < 0)
    return 1;
  close(fd);
  return 0;
}
