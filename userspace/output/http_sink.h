// http_sink.h - batched POSTs of event lines with libcurl: plain JSON
// lines, Splunk HEC events or Elasticsearch _bulk. A batch is retried
// whole, with exponential backoff, while the receiver is unreachable or
// answers 5xx or 429, and never sent again after a 2xx.
#pragma once

#include <string>

#include "output/output_config.h"
#include "output/output_sink.h"

typedef void CURL;
struct curl_slist;

namespace vigil {

// bulk_item_failures - how many items of an Elasticsearch _bulk answer
// were refused; 0 for an answer without "errors": true.
std::uint64_t bulk_item_failures(const std::string &answer);

// encode_http_body - the request body for lines in format.
std::string encode_http_body(std::string_view lines,
                             const HttpOutputConfig &config,
                             const std::string &host);

class HttpSink : public OutputSink {
public:
  HttpSink(std::string name, const HttpOutputConfig &config);
  ~HttpSink() override;

  Delivery deliver(std::string_view lines, RetryControl &retry) override;
  std::size_t batch_bytes() const override { return config_.batch_bytes; }

private:
  // post - the HTTP status, or 0 with error set when no answer came;
  // the answer's body goes to answer_.
  long post(const std::string &body, std::string &error);
  Delivery accepted(std::uint64_t lines);

  std::string name_;
  HttpOutputConfig config_;
  std::string host_;
  CURL *curl_ = nullptr;
  curl_slist *headers_ = nullptr;
  // In an outage, or while refused: said once, and the end said once.
  bool down_ = false;
  bool refusing_ = false;
  bool items_refused_ = false;
  std::string answer_;
};

} // namespace vigil
