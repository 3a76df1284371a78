/*
 * vt_attack - harmless versions of what the default detection rules look
 * for, one action per run, so that a runtime test can check the rule's
 * detection for this pid. Every action fails safely or undoes itself:
 * a module load on a file that is no module, a BPF load with an empty
 * program, a ptrace of its own child.
 *
 * Usage: vt-attack [--comm NAME] ACTION [ARG...]
 *   open-write PATH       create PATH, write a byte, close, unlink it
 *   open-wronly PATH      open PATH O_WRONLY (no create), close; no write
 *   open-trunc PATH       open an existing PATH with O_WRONLY|O_TRUNC
 *   read PATH             open PATH read-only, close
 *   unlink PATH | truncate PATH
 *   chmod PATH MODE       chmod with an octal MODE
 *   finit-module PATH     finit_module on PATH opened read-only
 *   bpf-prog-load | bpf-map-lookup
 *   ptrace-attach | ptrace-traceme
 *   proc-mem-write        open /proc/self/mem O_RDWR, write nothing
 *   memfd-exec            copy /bin/true into a memfd and run it
 *   connect PORT          TCP connect to 127.0.0.1:PORT
 * --comm NAME renames the process first (prctl), for rules on comm.
 * Exit status: 0 when the action ran (a refused syscall is expected),
 * 1 when it could not be set up, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int open_write(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    return 1;
  if (write(fd, "x", 1) != 1) {
    close(fd);
    unlink(path);
    return 1;
  }
  close(fd);
  return unlink(path) == 0 ? 0 : 1;
}

static int open_flags(const char *path, int flags) {
  int fd = open(path, flags);
  if (fd >= 0)
    close(fd);
  return 0;
}

static int finit(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 1;
  /* Refused: the file is no module. The attempt is what the rule sees. */
  syscall(SYS_finit_module, fd, "", 0);
  close(fd);
  return 0;
}

static int bpf_call(int cmd) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  /* An empty program: the kernel refuses it with EINVAL. */
  syscall(SYS_bpf, cmd, &attr, sizeof(attr));
  return 0;
}

static int ptrace_attach(void) {
  pid_t child = fork();
  if (child < 0)
    return 1;
  if (child == 0) {
    pause();
    _exit(0);
  }
  int ok = ptrace(PTRACE_ATTACH, child, NULL, NULL) == 0;
  if (ok) {
    waitpid(child, NULL, 0);
    ptrace(PTRACE_DETACH, child, NULL, NULL);
  }
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  return ok ? 0 : 1;
}

static int ptrace_traceme(void) {
  pid_t child = fork();
  if (child < 0)
    return 1;
  if (child == 0) {
    ptrace(PTRACE_TRACEME, 0, NULL, NULL);
    _exit(0);
  }
  waitpid(child, NULL, 0);
  return 0;
}

static int memfd_exec(void) {
  int in = open("/bin/true", O_RDONLY | O_CLOEXEC);
  int fd = memfd_create("vt-payload", 0);
  char buf[65536];
  ssize_t n;
  if (in < 0 || fd < 0)
    return 1;
  while ((n = read(in, buf, sizeof(buf))) > 0) {
    if (write(fd, buf, (size_t)n) != n)
      return 1;
  }
  close(in);
  char *argv[] = {"vt-payload", NULL};
  char *envp[] = {NULL};
  fexecve(fd, argv, envp);
  return 1;
}

static int connect_local(const char *port) {
  struct sockaddr_in addr;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return 1;
  memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connect(fd, (struct sockaddr *)&addr, sizeof(addr));
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  int i = 1;
  if (argc > 3 && strcmp(argv[1], "--comm") == 0) {
    prctl(PR_SET_NAME, argv[2], 0, 0, 0);
    i = 3;
  }
  if (i >= argc)
    return 2;
  const char *action = argv[i];
  const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
  const char *arg2 = i + 2 < argc ? argv[i + 2] : NULL;

  if (strcmp(action, "open-write") == 0 && arg)
    return open_write(arg);
  if (strcmp(action, "open-wronly") == 0 && arg)
    return open_flags(arg, O_WRONLY);
  if (strcmp(action, "open-trunc") == 0 && arg)
    return open_flags(arg, O_WRONLY | O_TRUNC);
  if (strcmp(action, "read") == 0 && arg)
    return open_flags(arg, O_RDONLY);
  if (strcmp(action, "unlink") == 0 && arg)
    return unlink(arg) == 0 ? 0 : 1;
  if (strcmp(action, "truncate") == 0 && arg)
    return truncate(arg, 0) == 0 ? 0 : 1;
  if (strcmp(action, "chmod") == 0 && arg && arg2)
    return chmod(arg, (mode_t)strtol(arg2, NULL, 8)) == 0 ? 0 : 1;
  if (strcmp(action, "finit-module") == 0 && arg)
    return finit(arg);
  if (strcmp(action, "bpf-prog-load") == 0)
    return bpf_call(BPF_PROG_LOAD);
  if (strcmp(action, "bpf-map-lookup") == 0)
    return bpf_call(BPF_MAP_LOOKUP_ELEM);
  if (strcmp(action, "ptrace-attach") == 0)
    return ptrace_attach();
  if (strcmp(action, "ptrace-traceme") == 0)
    return ptrace_traceme();
  if (strcmp(action, "proc-mem-write") == 0)
    return open_flags("/proc/self/mem", O_RDWR);
  if (strcmp(action, "proc-maps-read") == 0)
    return open_flags("/proc/self/maps", O_RDONLY);
  if (strcmp(action, "memfd-exec") == 0)
    return memfd_exec();
  if (strcmp(action, "connect") == 0 && arg)
    return connect_local(arg);
  return 2;
}
