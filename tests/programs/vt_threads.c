/*
 * vt_threads - three threads that each open, read and close the file named
 * on the command line three times, for the fidelity test's comparison of
 * multi-threaded traces.
 *
 * The threads exist at the same time but work one after another, passing a
 * token through pipes: when they ran freely, the descriptor numbers openat
 * returns would depend on the schedule and differ between two runs. main
 * joins them with pthread_tryjoin_np in a loop, which makes no syscall,
 * because whether pthread_join waits in futex depends on the schedule too.
 *
 * Usage: vt-threads FILE
 * Exit status: 0 (a failure to read FILE is not reported), 1 when a thread
 * or pipe could not be made, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#define THREADS 3
#define ROUNDS 3

struct Turn {
  const char *path;
  int wait_fd;
  int pass_fd;
};

static void *work(void *arg) {
  const struct Turn *turn = arg;
  char buf[64];
  char token;
  int round;
  int fd;

  if (turn->wait_fd >= 0 && read(turn->wait_fd, &token, 1) != 1)
    return NULL;
  for (round = 0; round < ROUNDS; round++) {
    fd = open(turn->path, O_RDONLY);
    if (fd < 0)
      continue;
    while (read(fd, buf, sizeof(buf)) > 0)
      ;
    close(fd);
  }
  if (turn->pass_fd >= 0 && write(turn->pass_fd, "t", 1) != 1)
    return NULL;
  return NULL;
}

int main(int argc, char **argv) {
  static struct Turn turns[THREADS];
  pthread_t threads[THREADS];
  int pipes[THREADS - 1][2];
  int i;

  if (argc != 2)
    return 2;
  for (i = 0; i < THREADS - 1; i++)
    if (pipe(pipes[i]) != 0)
      return 1;
  for (i = 0; i < THREADS; i++) {
    turns[i].path = argv[1];
    turns[i].wait_fd = i > 0 ? pipes[i - 1][0] : -1;
    turns[i].pass_fd = i < THREADS - 1 ? pipes[i][1] : -1;
  }
  for (i = 0; i < THREADS; i++)
    if (pthread_create(&threads[i], NULL, work, &turns[i]) != 0)
      return 1;
  for (i = 0; i < THREADS; i++)
    while (pthread_tryjoin_np(threads[i], NULL) == EBUSY)
      ;
  return 0;
}
