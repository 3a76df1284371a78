// enricher.h - the process table, the container cache and the user names
// behind one call per record: the workers hand it each record and get the
// record's EventContext. A background thread asks container runtimes for
// metadata and drops what has exited.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "context/container_cache.h"
#include "context/context.h"
#include "context/process_table.h"
#include "context/user_names.h"
#include "decode/raw_event.h"

namespace vigil {

struct EnricherSettings {
  ProcessTableSettings process;
  ContainerSettings container;
};

struct EnricherStats {
  ProcessTableStats process;
  ContainerStats container;
};

class Enricher {
public:
  explicit Enricher(EnricherSettings settings = {});
  ~Enricher();

  // start - seeds the process table from /proc, maps the cgroups and
  // starts the background thread.
  void start();
  void stop();

  // context_for - applies a process or cgroup record to the tables, then
  // returns what is known of the record's process and container. For a
  // cgroup record the container is the one whose own cgroup the record
  // creates or removes (null for any other cgroup).
  EventContext context_for(const RawEvent &ev);
  // observe - applies a process or cgroup record that is not shown.
  void observe(const RawEvent &ev);

  EnricherStats stats() const;
  ProcessTable &processes() { return processes_; }
  ContainerCache &containers() { return containers_; }

private:
  void run_maintenance();

  UserNames names_;
  ProcessTable processes_;
  ContainerCache containers_;
  std::thread thread_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

} // namespace vigil
