// output_config.h - where the event lines go: any number of outputs of
// these kinds at once, each described by one OutputConfig.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/field.h"

namespace vigil {

enum class OutputKind { kStdout, kFile, kHttp, kSyslog };

struct FileOutputConfig {
  std::string path;
  std::uint64_t rotate_bytes = 0; // 0: never rotate by size
  int keep = 5;                   // rotated files kept: path.1 ... path.N
  bool append = false;            // false: truncate at start, as -o does
  unsigned mode = 0640;
};

enum class HttpFormat { kNdjson, kSplunkHec, kElasticBulk };

struct HttpOutputConfig {
  std::string url;
  HttpFormat format = HttpFormat::kNdjson;
  std::string splunk_token;         // sent as "Authorization: Splunk T"
  std::string index = "vigil";      // Elasticsearch _bulk index
  std::string sourcetype = "vigil"; // Splunk HEC sourcetype
  std::vector<std::string> headers; // "Name: value"
  std::string ca_file;              // PEM bundle to verify the server
  bool insecure = false;            // skip certificate verification
  std::string client_cert, client_key;
  std::uint64_t batch_bytes = 1u << 20; // most lines per POST, in bytes
  std::uint64_t timeout_ms = 10000;     // per request
  std::uint64_t retry_initial_ms = 200;
  std::uint64_t retry_max_ms = 30000;
};

enum class SyslogTransport { kUdp, kTcp, kUnix };

struct SyslogOutputConfig {
  SyslogTransport transport = SyslogTransport::kUnix;
  std::string host;                // udp and tcp
  std::uint16_t port = 514;        // udp and tcp
  std::string socket = "/dev/log"; // unix
  int facility = 16;               // local0
  int severity = 6;                // info
  std::string hostname;            // empty: gethostname()
  std::uint64_t retry_initial_ms = 200;
  std::uint64_t retry_max_ms = 30000;
};

struct OutputConfig {
  OutputKind kind = OutputKind::kStdout;
  std::string name;                      // in logs and metrics labels
  std::uint64_t queue_bytes = 16u << 20; // lines waiting for this output
  std::uint64_t drain_ms = 5000;         // at exit, how long to keep delivering
  FileOutputConfig file;
  HttpOutputConfig http;
  SyslogOutputConfig syslog;
};

OutputConfig stdout_output();
OutputConfig file_output(const std::string &path);
// http_output - ndjson to url; ValueError unless http:// or https://.
OutputConfig http_output(const std::string &url);
// syslog_output - "udp://HOST:PORT", "tcp://HOST:PORT" or "unix:///dev/log".
OutputConfig syslog_output(const std::string &address);

// parse_outputs_node - the file's outputs: list, into outputs; problems
// go to the reader.
void parse_outputs_node(std::vector<OutputConfig> &outputs,
                        const YAML::Node &node, ConfigReader &reader);

// name_outputs - gives each unnamed output its kind's name, with -2, -3
// for a second and third of a kind.
void name_outputs(std::vector<OutputConfig> &outputs);

const char *kind_name(OutputKind kind);

} // namespace vigil
