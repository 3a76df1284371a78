/*
 * vt_signal - takes two signals from itself: SIGUSR1 with a plain handler,
 * then SIGUSR2 with a handler that asked for siginfo. vigil trace's
 * signal lines and the calls that end the two handlers are checked with
 * it, as a 64-bit and as a 32-bit program (vt-signal32), where a plain
 * handler ends in sigreturn and a siginfo one in rt_sigreturn.
 *
 * Exit status: 0 when both handlers ran, 1 otherwise.
 */
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t ran;

static void plain(int sig) {
  (void)sig;
  ran |= 1;
}

static void with_info(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)info;
  (void)context;
  ran |= 2;
}

int main(void) {
  struct sigaction sa;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = plain;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_sigaction = with_info;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR1);
  raise(SIGUSR2);
  return ran == 3 ? 0 : 1;
}
