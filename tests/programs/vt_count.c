// vt-count - makes an exact number of getppid calls, one failing openat,
// and exits with a given status: known counts for vigil trace's tests.
// Usage: vt-count CALLS STATUS [SLEEP_MS]
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  long calls = atol(argv[1]);
  int status = atoi(argv[2]);
  if (argc > 3) {
    long ms = atol(argv[3]);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  for (long i = 0; i < calls; i++)
    syscall(SYS_getppid);
  syscall(SYS_openat, AT_FDCWD, "/nonexistent/vt-count", O_RDONLY);
  return status;
}
