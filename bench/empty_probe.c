// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * empty_probe - loads empty_probe.bpf.o, attaches every program in it and
 * holds them attached until SIGINT or SIGTERM. Prints "attached" on stderr
 * once the programs are live, so a caller knows when to start measuring.
 *
 * Usage: empty_probe FILE.bpf.o
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define MAX_LINKS 8

int main(int argc, char **argv) {
  struct bpf_link *links[MAX_LINKS] = {0};
  struct bpf_object *obj = NULL;
  struct bpf_program *prog;
  int nlinks = 0, err = 1, sig;
  sigset_t stop;

  if (argc != 2) {
    fprintf(stderr, "usage: %s FILE.bpf.o\n", argv[0]);
    return 2;
  }

  /* Block the stop signals before attaching: one that arrives early
   * must still be waited for, not kill the loader with links held. */
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigprocmask(SIG_BLOCK, &stop, NULL);

  obj = bpf_object__open_file(argv[1], NULL);
  if (!obj) {
    fprintf(stderr, "empty_probe: cannot open %s: %s\n", argv[1],
            strerror(errno));
    return 1;
  }
  if (bpf_object__load(obj)) {
    fprintf(stderr, "empty_probe: cannot load %s: %s\n", argv[1],
            strerror(errno));
    goto cleanup;
  }
  bpf_object__for_each_program(prog, obj) {
    if (nlinks == MAX_LINKS)
      break;
    links[nlinks] = bpf_program__attach(prog);
    if (!links[nlinks]) {
      fprintf(stderr, "empty_probe: cannot attach %s: %s\n",
              bpf_program__name(prog), strerror(errno));
      goto cleanup;
    }
    nlinks++;
  }

  fprintf(stderr, "empty_probe: attached %d programs\n", nlinks);
  sigwait(&stop, &sig);
  err = 0;

cleanup:
  for (int i = 0; i < nlinks; i++)
    bpf_link__destroy(links[i]);
  bpf_object__close(obj);
  return err;
}
