// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * workload - the syscall loops the benchmark traces. Each mode prints one
 * line on stdout, "CALLS ELAPSED_NS", timed with CLOCK_MONOTONIC around
 * the loop only: process start-up and exit, and whatever a tracer does
 * then, stay out of the number. clock_gettime is served by the vDSO, so
 * timing adds no syscall of its own.
 *
 *   workload getppid N          N raw getppid syscalls
 *   workload openclose N FILE   N open + close pairs (2N syscalls)
 *   workload paced RATE SECS    getppid at RATE per second for SECS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Pacing granularity: every tick issues what the schedule says is due. A
 * shorter tick smooths the rate but adds one clock_nanosleep per tick to
 * the traced syscalls. */
#define TICK_NS 100000ULL

static unsigned long long now_ns(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int loop_getppid(unsigned long long n) {
  /* syscall() rather than getppid(): libc must not cache the answer. */
  for (unsigned long long i = 0; i < n; i++)
    syscall(SYS_getppid);
  return 0;
}

static int loop_openclose(unsigned long long n, const char *path) {
  for (unsigned long long i = 0; i < n; i++) {
    int fd = open(path, O_RDONLY);

    if (fd < 0) {
      perror(path);
      return 1;
    }
    close(fd);
  }
  return 0;
}

/* paced - getppid on a schedule against CLOCK_MONOTONIC. Falling behind
 * is caught up in the next tick, so the achieved rate only drops below
 * RATE when a traced getppid costs more than 1/RATE seconds. */
static unsigned long long paced(unsigned long long rate,
                                unsigned long long secs) {
  unsigned long long start = now_ns();
  unsigned long long end = start + secs * 1000000000ULL;
  unsigned long long issued = 0, next = start;
  struct timespec wake;

  for (;;) {
    unsigned long long t = now_ns();
    unsigned long long due;

    if (t >= end)
      t = end;
    due = (unsigned long long)((unsigned __int128)rate * (t - start) /
                               1000000000ULL);
    while (issued < due) {
      syscall(SYS_getppid);
      issued++;
    }
    if (t >= end)
      break;
    next += TICK_NS;
    if (next > now_ns()) {
      wake.tv_sec = next / 1000000000ULL;
      wake.tv_nsec = next % 1000000000ULL;
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
    } else {
      next = now_ns();
    }
  }
  return issued;
}

int main(int argc, char **argv) {
  unsigned long long start, calls, elapsed;
  int err = 0;

  if (argc >= 3 && !strcmp(argv[1], "getppid")) {
    calls = strtoull(argv[2], NULL, 10);
    start = now_ns();
    err = loop_getppid(calls);
  } else if (argc >= 4 && !strcmp(argv[1], "openclose")) {
    calls = strtoull(argv[2], NULL, 10);
    start = now_ns();
    err = loop_openclose(calls, argv[3]);
    calls *= 2;
  } else if (argc >= 4 && !strcmp(argv[1], "paced")) {
    start = now_ns();
    calls = paced(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10));
  } else {
    fprintf(stderr,
            "usage: %s getppid N | openclose N FILE | paced RATE SECS\n",
            argv[0]);
    return 2;
  }
  elapsed = now_ns() - start;
  if (err)
    return err;
  printf("%llu %llu\n", calls, elapsed);
  return 0;
}
