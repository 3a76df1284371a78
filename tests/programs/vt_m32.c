/*
 * vt_m32 - a 32-bit static program for the fidelity test: it copies the
 * file named on its command line to stdout through the i386 syscalls
 * (open, read, write, close), asks for its pid and leaves with a plain
 * exit, so that vigil's decoding of the int 0x80 ABI can be compared with
 * strace's.
 *
 * open and exit are made through syscall() because glibc's wrappers use
 * openat and exit_group, and the i386 numbers of the old calls are what
 * this program is for.
 *
 * Usage: vt-m32 FILE
 * Exit status: 0 when FILE was copied, 1 otherwise, 2 on bad usage.
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char buf[64];
  ssize_t got;
  long fd;
  int status = 0;

  if (argc != 2)
    return 2;
  fd = syscall(SYS_open, argv[1], O_RDONLY);
  if (fd < 0)
    return 1;
  while ((got = read(fd, buf, sizeof(buf))) > 0)
    if (write(STDOUT_FILENO, buf, got) != got)
      status = 1;
  close(fd);
  if (getpid() <= 0)
    status = 1;
  syscall(SYS_exit, status);
  return status;
}
