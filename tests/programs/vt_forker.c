/*
 * vt_forker - forks one child that runs another program and waits for it,
 * so the runtime tests can check that --follow traces a child whose comm
 * differs from its parent's.
 *
 * Usage: vt-forker PROGRAM [ARG...]
 * Exit status: the child's exit status, 125 when fork or wait failed, 126
 * when the child could not run PROGRAM, 2 on bad usage.
 */
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int status;
  pid_t child;

  if (argc < 2)
    return 2;
  child = fork();
  if (child < 0)
    return 125;
  if (child == 0) {
    execv(argv[1], &argv[1]);
    _exit(126);
  }
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
    return 125;
  return WEXITSTATUS(status);
}
