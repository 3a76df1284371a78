/*
 * vt_noise - the unrelated process that runs alongside a traced one: it
 * makes the same syscalls (an openat that succeeds, one that fails with
 * ENOENT, close) in a loop until it is killed, so a filter that lets it
 * through shows up in the runtime tests.
 *
 * Usage: vt-noise PATH MISSING_PATH
 * Exit status: only ends by a signal, or 2 on bad usage.
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const struct timespec pause = {0, 2 * 1000 * 1000};

  if (argc != 3)
    return 2;
  for (;;) {
    int fd = openat(AT_FDCWD, argv[1], O_RDONLY | O_CREAT, 0640);

    if (fd >= 0)
      close(fd);
    fd = openat(AT_FDCWD, argv[2], O_RDONLY);
    if (fd >= 0)
      close(fd);
    nanosleep(&pause, NULL);
  }
}
