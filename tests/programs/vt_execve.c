/*
 * vt_execve - runs execve with exactly the arguments it was given, or
 * exits with a chosen status. Calling it as
 *   vt-execve SELF SELF --exit 42 "two words" ""
 * makes it execve itself with argv {SELF, "--exit", "42", "two words", ""},
 * and the new image exits with status 42, so the comm never changes while
 * the runtime tests watch the execve, exec and exit events.
 *
 * Usage: vt-execve PROGRAM ARGV0 [ARG...]   execve(PROGRAM, {ARGV0, ARG...})
 *        vt-execve --exit STATUS [ARG...]   exit(STATUS)
 * Exit status: STATUS, 126 when execve failed, 2 on bad usage.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--exit") == 0)
    return atoi(argv[2]);
  if (argc < 3)
    return 2;
  execve(argv[1], &argv[2], environ);
  return 126;
}
