/*
 * vt_churn - the process churn that the process table must follow, one
 * case per mode:
 *
 *   vt-churn thread-exec PROGRAM [ARG...]
 *       a second thread, not the group leader, execs PROGRAM
 *   vt-churn orphan FILE
 *       becomes a child subreaper, forks a child that forks a grandchild
 *       and exits at once; the grandchild, reparented to vt-churn, opens
 *       FILE
 *   vt-churn reuse FIRST SECOND FILE
 *       runs FIRST in a child, then forks until a child gets the same pid
 *       again (through /proc/sys/kernel/ns_last_pid) and runs SECOND FILE
 *       in it; prints that pid
 *
 * Exit status: 0, or 1 when a step failed, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static char **exec_argv;

static void *exec_from_thread(void *arg) {
  (void)arg;
  execv(exec_argv[0], exec_argv);
  _exit(126);
}

static int thread_exec(char **argv) {
  pthread_t t;

  exec_argv = argv;
  if (pthread_create(&t, NULL, exec_from_thread, NULL) != 0)
    return 1;
  pause(); /* the exec ends this thread too */
  return 1;
}

static int orphan(const char *file) {
  pid_t child;
  int status;

  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
    return 1;
  child = fork();
  if (child < 0)
    return 1;
  if (child == 0) {
    pid_t parent = getpid();
    pid_t grandchild = fork();

    if (grandchild < 0)
      _exit(1);
    if (grandchild == 0) {
      /* Wait until the parent is gone and the subreaper adopted us. */
      for (int i = 0; i < 5000 && getppid() == parent; i++)
        usleep(1000);
      int fd = open(file, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
      _exit(fd < 0);
    }
    _exit(0);
  }
  /* Reap the child and then the adopted grandchild. */
  for (int reaped = 0; reaped < 2; reaped++) {
    if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
      return 1;
  }
  return 0;
}

static pid_t run(char *const argv[]) {
  pid_t pid = fork();

  if (pid == 0) {
    execv(argv[0], argv);
    _exit(126);
  }
  return pid;
}

static int reuse(char *first, char *second, char *file) {
  char *first_argv[] = {first, NULL};
  char *second_argv[] = {second, file, NULL};
  int status;
  pid_t pid = run(first_argv);

  if (pid < 0 || waitpid(pid, &status, 0) != pid)
    return 1;
  for (int attempt = 0; attempt < 200; attempt++) {
    FILE *last = fopen("/proc/sys/kernel/ns_last_pid", "w");
    pid_t again;

    if (!last)
      return 1;
    fprintf(last, "%d", pid - 1);
    fclose(last);
    again = fork();
    if (again < 0)
      return 1;
    if (again == 0) {
      if (getpid() != pid)
        _exit(3); /* another process took the pid first: try again */
      execv(second_argv[0], second_argv);
      _exit(126);
    }
    if (waitpid(again, &status, 0) != again || !WIFEXITED(status))
      return 1;
    if (again == pid) {
      printf("%d\n", pid);
      return WEXITSTATUS(status);
    }
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "thread-exec") == 0)
    return thread_exec(&argv[2]);
  if (argc == 3 && strcmp(argv[1], "orphan") == 0)
    return orphan(argv[2]);
  if (argc == 5 && strcmp(argv[1], "reuse") == 0)
    return reuse(argv[2], argv[3], argv[4]);
  return 2;
}
