// syslog_sink.h - one RFC 5424 message per event, over UDP, over TCP with
// octet-counting framing (RFC 6587), or to the local syslog socket (a
// unix datagram socket such as /dev/log).
#pragma once

#include <string>

#include "output/output_config.h"
#include "output/output_sink.h"

namespace vigil {

// rfc5424_message - "<PRI>1 TIME HOST vigil PID EVENT - LINE" for one
// line without its newline.
std::string rfc5424_message(std::string_view line,
                            const SyslogOutputConfig &config,
                            const std::string &host, int pid);

class SyslogSink : public OutputSink {
public:
  SyslogSink(std::string name, const SyslogOutputConfig &config);
  ~SyslogSink() override;

  Delivery deliver(std::string_view lines, RetryControl &retry) override;

private:
  // connect_socket - 0, or the errno of the failed step.
  int connect_socket();
  // send_message - 0, or the errno of the failed send.
  int send_message(const std::string &message);
  void disconnect();

  std::string name_;
  SyslogOutputConfig config_;
  std::string host_;
  int pid_;
  int fd_ = -1;
  bool down_ = false;
};

} // namespace vigil
