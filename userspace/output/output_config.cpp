#include "output/output_config.h"

#include <map>

#include "config/config_reader.h"

namespace vigil {

namespace {

constexpr unsigned kStdoutBit = 1u << static_cast<int>(OutputKind::kStdout);
constexpr unsigned kFileBit = 1u << static_cast<int>(OutputKind::kFile);
constexpr unsigned kHttpBit = 1u << static_cast<int>(OutputKind::kHttp);
constexpr unsigned kSyslogBit = 1u << static_cast<int>(OutputKind::kSyslog);
constexpr unsigned kAllKinds = kStdoutBit | kFileBit | kHttpBit | kSyslogBit;

using Values = std::vector<std::string>;

int facility_number(const std::string &name) {
  static const std::map<std::string, int> kFacilities = {
      {"kern", 0},    {"user", 1},    {"mail", 2},      {"daemon", 3},
      {"auth", 4},    {"syslog", 5},  {"lpr", 6},       {"news", 7},
      {"uucp", 8},    {"cron", 9},    {"authpriv", 10}, {"ftp", 11},
      {"local0", 16}, {"local1", 17}, {"local2", 18},   {"local3", 19},
      {"local4", 20}, {"local5", 21}, {"local6", 22},   {"local7", 23}};
  auto it = kFacilities.find(name);
  if (it == kFacilities.end())
    throw ValueError("'" + name +
                     "' is not a facility: use user, daemon, "
                     "auth, authpriv, local0 ... local7, ...");
  return it->second;
}

int severity_number(const std::string &name) {
  static const char *kSeverities[] = {"emerg",   "alert",  "crit", "err",
                                      "warning", "notice", "info", "debug"};
  for (int i = 0; i < 8; ++i) {
    if (name == kSeverities[i])
      return i;
  }
  throw ValueError("'" + name +
                   "' is not a severity: use emerg, alert, "
                   "crit, err, warning, notice, info or debug");
}

struct OutputField {
  unsigned kinds;
  Field<OutputConfig> field;
};

// The keys of one entry under outputs:, and which kinds take them.
const std::vector<OutputField> &output_fields() {
  static const std::vector<OutputField> kFields = {
      {kAllKinds,
       {"name", "", "NAME", "label in logs and metrics", ValueType::kString,
        [](OutputConfig &o, const Values &v) { o.name = v[0]; }}},
      {kAllKinds,
       {"queue_size", "", "SIZE", "lines waiting for this output, bytes",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.queue_bytes = parse_size(v[0], 1ull << 34);
          if (o.queue_bytes < 64 * 1024)
            throw ValueError("must be at least 64K");
        }}},
      {kAllKinds,
       {"drain_timeout", "", "DURATION", "at exit, time left to deliver",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.drain_ms = parse_duration_ms(v[0]);
        }}},
      {kFileBit,
       {"path", "", "FILE", "file to write", ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          if (v[0].empty())
            throw ValueError("must not be empty");
          o.file.path = v[0];
        }}},
      {kFileBit,
       {"rotate_size", "", "SIZE", "rotate when the file reaches this size",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.file.rotate_bytes = v[0] == "0" ? 0 : parse_size(v[0]);
          if (o.file.rotate_bytes != 0 && o.file.rotate_bytes < 4096)
            throw ValueError("must be 0 (never) or at least 4K");
        }}},
      {kFileBit,
       {"keep", "", "N", "rotated files kept", ValueType::kInt,
        [](OutputConfig &o, const Values &v) {
          o.file.keep = static_cast<int>(parse_int(v[0], 0, 1000));
        }}},
      {kFileBit,
       {"append", "", "BOOL", "append instead of truncating at start",
        ValueType::kBool,
        [](OutputConfig &o, const Values &v) {
          o.file.append = v[0] == "true";
        }}},
      {kFileBit,
       {"mode", "", "OCTAL", "permissions of a created file, e.g. 0640",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          std::size_t used = 0;
          unsigned long mode = 0;
          try {
            mode = std::stoul(v[0], &used, 8);
          } catch (const std::exception &) {
            used = 0;
          }
          if (used == 0 || used != v[0].size() || mode > 0777)
            throw ValueError("'" + v[0] + "' is not a mode such as 0640");
          o.file.mode = static_cast<unsigned>(mode);
        }}},
      {kHttpBit,
       {"url", "", "URL", "http:// or https:// address to POST to",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.http.url = http_output(v[0]).http.url;
        }}},
      {kHttpBit,
       {"format", "", "FORMAT", "ndjson, splunk or elasticsearch",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          const std::string &f =
              one_of(v[0], {"ndjson", "splunk", "elasticsearch"});
          o.http.format = f == "splunk"          ? HttpFormat::kSplunkHec
                          : f == "elasticsearch" ? HttpFormat::kElasticBulk
                                                 : HttpFormat::kNdjson;
        }}},
      {kHttpBit,
       {"token", "", "TOKEN", "Splunk HEC token", ValueType::kString,
        [](OutputConfig &o, const Values &v) { o.http.splunk_token = v[0]; }}},
      {kHttpBit,
       {"index", "", "NAME", "Elasticsearch index", ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          if (v[0].empty() || v[0].find('"') != std::string::npos)
            throw ValueError("not a usable index name");
          o.http.index = v[0];
        }}},
      {kHttpBit,
       {"sourcetype", "", "NAME", "Splunk sourcetype", ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          if (v[0].find('"') != std::string::npos)
            throw ValueError("not a usable sourcetype");
          o.http.sourcetype = v[0];
        }}},
      {kHttpBit,
       {"headers", "", "LIST", "extra headers, \"Name: value\"",
        ValueType::kList,
        [](OutputConfig &o, const Values &v) {
          for (const std::string &h : v) {
            std::size_t colon = h.find(':');
            if (colon == 0 || colon == std::string::npos ||
                h.find_first_of("\r\n") != std::string::npos)
              throw ValueError("'" + h + "' is not a header \"Name: value\"");
          }
          o.http.headers = v;
        }}},
      {kHttpBit,
       {"ca_file", "", "FILE", "PEM certificates to verify the server",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) { o.http.ca_file = v[0]; }}},
      {kHttpBit,
       {"insecure_skip_verify", "", "BOOL", "do not verify the server",
        ValueType::kBool,
        [](OutputConfig &o, const Values &v) {
          o.http.insecure = v[0] == "true";
        }}},
      {kHttpBit,
       {"client_cert", "", "FILE", "client certificate, PEM",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) { o.http.client_cert = v[0]; }}},
      {kHttpBit,
       {"client_key", "", "FILE", "client key, PEM", ValueType::kString,
        [](OutputConfig &o, const Values &v) { o.http.client_key = v[0]; }}},
      {kHttpBit,
       {"batch_size", "", "SIZE", "most bytes of lines per POST",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.http.batch_bytes = parse_size(v[0], 1ull << 30);
          if (o.http.batch_bytes < 4096)
            throw ValueError("must be at least 4K");
        }}},
      {kHttpBit,
       {"timeout", "", "DURATION", "per request", ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.http.timeout_ms = parse_duration_ms(v[0]);
          if (o.http.timeout_ms == 0)
            throw ValueError("must be more than 0");
        }}},
      {kHttpBit | kSyslogBit,
       {"retry_initial", "", "DURATION", "first wait before a retry",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.http.retry_initial_ms = o.syslog.retry_initial_ms =
              std::max(1ull, parse_duration_ms(v[0]));
        }}},
      {kHttpBit | kSyslogBit,
       {"retry_max", "", "DURATION", "longest wait between retries",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.http.retry_max_ms = o.syslog.retry_max_ms =
              std::max(1ull, parse_duration_ms(v[0]));
        }}},
      {kSyslogBit,
       {"address", "", "ADDRESS",
        "udp://HOST:PORT, tcp://HOST:PORT or unix:///dev/log",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          OutputConfig parsed = syslog_output(v[0]);
          o.syslog.transport = parsed.syslog.transport;
          o.syslog.host = parsed.syslog.host;
          o.syslog.port = parsed.syslog.port;
          o.syslog.socket = parsed.syslog.socket;
        }}},
      {kSyslogBit,
       {"facility", "", "NAME", "user, daemon, local0 ...", ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.syslog.facility = facility_number(v[0]);
        }}},
      {kSyslogBit,
       {"severity", "", "NAME", "info, notice, warning ...", ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          o.syslog.severity = severity_number(v[0]);
        }}},
      {kSyslogBit,
       {"hostname", "", "NAME", "HOSTNAME field; default this host's name",
        ValueType::kString,
        [](OutputConfig &o, const Values &v) {
          if (v[0].size() > 255 ||
              v[0].find_first_of(" \t\r\n") != std::string::npos)
            throw ValueError("not a usable host name");
          o.syslog.hostname = v[0];
        }}},
  };
  return kFields;
}

std::pair<std::string, std::uint16_t> host_port(const std::string &text,
                                                const std::string &what) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw ValueError("'" + what + "' needs HOST:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::uint16_t port =
      static_cast<std::uint16_t>(parse_int(text.substr(colon + 1), 1, 65535));
  return {host, port};
}

OutputKind parse_kind(const YAML::Node &entry, ConfigReader &reader, bool &ok) {
  ok = false;
  YAML::Node type = entry["type"];
  if (!type) {
    reader.problem(entry.Mark(), "type",
                   "missing: stdout, file, http or syslog");
    return OutputKind::kStdout;
  }
  static const std::pair<const char *, OutputKind> kKinds[] = {
      {"stdout", OutputKind::kStdout},
      {"file", OutputKind::kFile},
      {"http", OutputKind::kHttp},
      {"syslog", OutputKind::kSyslog}};
  for (const auto &[name, kind] : kKinds) {
    if (type.IsScalar() && type.Scalar() == name) {
      ok = true;
      return kind;
    }
  }
  reader.problem(type.Mark(), "type",
                 "'" + (type.IsScalar() ? type.Scalar() : std::string("?")) +
                     "' is not one of stdout, file, http, syslog");
  return OutputKind::kStdout;
}

void check_required(const OutputConfig &o, const YAML::Node &entry,
                    ConfigReader &reader) {
  if (o.kind == OutputKind::kFile && o.file.path.empty())
    reader.problem(entry.Mark(), "path", "a file output needs path");
  if (o.kind == OutputKind::kHttp && o.http.url.empty())
    reader.problem(entry.Mark(), "url", "an http output needs url");
  if (o.kind == OutputKind::kHttp &&
      o.http.client_cert.empty() != o.http.client_key.empty())
    reader.problem(entry.Mark(), "client_cert",
                   "client_cert and client_key go together");
  if (o.kind == OutputKind::kSyslog && !entry["address"])
    reader.problem(entry.Mark(), "address", "a syslog output needs address");
}

} // namespace

const char *kind_name(OutputKind kind) {
  switch (kind) {
  case OutputKind::kStdout:
    return "stdout";
  case OutputKind::kFile:
    return "file";
  case OutputKind::kHttp:
    return "http";
  case OutputKind::kSyslog:
    return "syslog";
  }
  return "?";
}

OutputConfig stdout_output() { return OutputConfig{}; }

OutputConfig file_output(const std::string &path) {
  OutputConfig o;
  o.kind = OutputKind::kFile;
  o.file.path = path;
  return o;
}

OutputConfig http_output(const std::string &url) {
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    throw ValueError("'" + url + "' is not an http:// or https:// URL");
  OutputConfig o;
  o.kind = OutputKind::kHttp;
  o.http.url = url;
  return o;
}

OutputConfig syslog_output(const std::string &address) {
  OutputConfig o;
  o.kind = OutputKind::kSyslog;
  if (address.starts_with("unix://")) {
    o.syslog.transport = SyslogTransport::kUnix;
    o.syslog.socket = address.substr(7);
    if (o.syslog.socket.empty() || o.syslog.socket[0] != '/')
      throw ValueError("'" + address +
                       "' needs an absolute socket path, "
                       "e.g. unix:///dev/log");
    return o;
  }
  bool udp = address.starts_with("udp://");
  if (!udp && !address.starts_with("tcp://"))
    throw ValueError("'" + address +
                     "' is not udp://HOST:PORT, "
                     "tcp://HOST:PORT or unix:///PATH");
  o.syslog.transport = udp ? SyslogTransport::kUdp : SyslogTransport::kTcp;
  std::tie(o.syslog.host, o.syslog.port) =
      host_port(address.substr(6), address);
  return o;
}

void parse_outputs_node(std::vector<OutputConfig> &outputs,
                        const YAML::Node &node, ConfigReader &reader) {
  if (!node.IsSequence() || node.size() == 0) {
    reader.problem(node.Mark(), "outputs",
                   "expected a list of one or more outputs");
    return;
  }
  std::vector<OutputConfig> parsed;
  int index = 0;
  for (const YAML::Node &entry : node) {
    reader.set_key_prefix("outputs[" + std::to_string(++index) + "].");
    if (!entry.IsMap()) {
      reader.problem(entry.Mark(), "", "each output is a map with a type");
      continue;
    }
    bool ok = false;
    OutputConfig o;
    o.kind = parse_kind(entry, reader, ok);
    if (!ok)
      continue;
    std::vector<Field<OutputConfig>> fields;
    fields.push_back({"type", "", "", "", ValueType::kString,
                      [](OutputConfig &, const Values &) {}});
    unsigned bit = 1u << static_cast<int>(o.kind);
    for (const OutputField &f : output_fields()) {
      if (f.kinds & bit)
        fields.push_back(f.field);
    }
    reader.apply_map<OutputConfig>(entry, fields, o);
    check_required(o, entry, reader);
    parsed.push_back(std::move(o));
  }
  reader.set_key_prefix("");
  outputs = std::move(parsed);
}

void name_outputs(std::vector<OutputConfig> &outputs) {
  std::map<std::string, int> seen;
  for (OutputConfig &o : outputs) {
    if (!o.name.empty())
      continue;
    std::string base = kind_name(o.kind);
    int n = ++seen[base];
    o.name = n == 1 ? base : base + "-" + std::to_string(n);
  }
}

} // namespace vigil
