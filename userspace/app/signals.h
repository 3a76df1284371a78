// signals.h - the signals that stop vigil are taken synchronously by the
// main thread; every other thread inherits them blocked.
#pragma once

#include <signal.h>

namespace vigil {

// block_stop_signals - blocks SIGINT and SIGTERM (and SIGCHLD, to be
// waited for) in the calling thread, ignores SIGPIPE so that a closed
// output shows up as EPIPE, and returns the set for sigtimedwait.
inline sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

} // namespace vigil
