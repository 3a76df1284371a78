#include "output/http_sink.h"

#include <curl/curl.h>
#include <unistd.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "capture/bpf_capture.h"
#include "output/line_fields.h"
#include "util/log.h"

namespace vigil {

namespace {

std::string this_host() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0)
    return "localhost";
  return name;
}

// curl_global_init is not thread-safe: run it once, before any handle.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// keep_answer - the start of the answer's body, enough for _bulk's
// "errors" flag and item statuses.
std::size_t keep_answer(char *data, std::size_t size, std::size_t n,
                        void *user) {
  auto *answer = static_cast<std::string *>(user);
  if (answer->size() < (64u << 20))
    answer->append(data, size * n);
  return size * n;
}

std::string json_quoted(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    if (static_cast<unsigned char>(c) >= 0x20)
      out.push_back(c);
  }
  return out + "\"";
}

template <class Fn> void for_each_line(std::string_view lines, Fn fn) {
  while (!lines.empty()) {
    std::size_t nl = lines.find('\n');
    std::string_view line = lines.substr(0, nl);
    if (!line.empty())
      fn(line);
    if (nl == std::string_view::npos)
      break;
    lines.remove_prefix(nl + 1);
  }
}

} // namespace

std::uint64_t bulk_item_failures(const std::string &answer) {
  if (answer.find("\"errors\":true") == std::string::npos &&
      answer.find("\"errors\": true") == std::string::npos)
    return 0;
  nlohmann::json j = nlohmann::json::parse(answer, nullptr, false);
  if (j.is_discarded() || !j.contains("items") || !j["items"].is_array())
    return 0;
  std::uint64_t refused = 0;
  for (const nlohmann::json &item : j["items"]) {
    for (const auto &[action, result] : item.items()) {
      if (result.is_object() && result.value("status", 200) >= 300)
        ++refused;
    }
  }
  return refused;
}

std::string encode_http_body(std::string_view lines,
                             const HttpOutputConfig &config,
                             const std::string &host) {
  if (config.format == HttpFormat::kNdjson)
    return std::string(lines);
  std::string body;
  body.reserve(lines.size() * 5 / 4 + 64);
  if (config.format == HttpFormat::kSplunkHec) {
    std::string tail = ",\"host\":" + json_quoted(host) +
                       ",\"sourcetype\":" + json_quoted(config.sourcetype) +
                       "}\n";
    for_each_line(lines, [&](std::string_view line) {
      body += "{\"event\":";
      body += line;
      body += ",\"time\":";
      body += epoch_seconds(line);
      body += tail;
    });
    return body;
  }
  std::string action =
      "{\"index\":{\"_index\":" + json_quoted(config.index) + "}}\n";
  for_each_line(lines, [&](std::string_view line) {
    body += action;
    body += line;
    body += '\n';
  });
  return body;
}

HttpSink::HttpSink(std::string name, const HttpOutputConfig &config)
    : name_(std::move(name)), config_(config), host_(this_host()) {
  init_curl_once();
  curl_ = curl_easy_init();
  if (curl_ == nullptr)
    throw StartupError("http output " + name_ + ": cannot set up libcurl");

  headers_ = curl_slist_append(headers_, "Content-Type: application/x-ndjson");
  if (!config_.splunk_token.empty()) {
    std::string auth = "Authorization: Splunk " + config_.splunk_token;
    headers_ = curl_slist_append(headers_, auth.c_str());
  }
  for (const std::string &h : config_.headers)
    headers_ = curl_slist_append(headers_, h.c_str());
  // No "Expect: 100-continue" round trip before each large batch.
  headers_ = curl_slist_append(headers_, "Expect:");

  curl_easy_setopt(curl_, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(config_.timeout_ms));
  curl_easy_setopt(
      curl_, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(std::min<std::uint64_t>(config_.timeout_ms, 5000)));
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer_);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, "vigil/0.1.0");
  if (!config_.ca_file.empty())
    curl_easy_setopt(curl_, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (config_.insecure) {
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!config_.client_cert.empty()) {
    curl_easy_setopt(curl_, CURLOPT_SSLCERT, config_.client_cert.c_str());
    curl_easy_setopt(curl_, CURLOPT_SSLKEY, config_.client_key.c_str());
  }
}

HttpSink::~HttpSink() {
  curl_slist_free_all(headers_);
  if (curl_ != nullptr)
    curl_easy_cleanup(curl_);
}

long HttpSink::post(const std::string &body, std::string &error) {
  answer_.clear();
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(body.size()));
  CURLcode rc = curl_easy_perform(curl_);
  if (rc != CURLE_OK) {
    error = curl_easy_strerror(rc);
    return 0;
  }
  long status = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

Delivery HttpSink::accepted(std::uint64_t lines) {
  if (config_.format != HttpFormat::kElasticBulk)
    return {lines, 0};
  // Elasticsearch answers 200 to a _bulk request whose documents it
  // partly refused; sending the batch again would duplicate the others,
  // so the refused ones are counted as failed.
  std::uint64_t refused = std::min(lines, bulk_item_failures(answer_));
  if (refused > 0 && !items_refused_)
    spdlog::error("http output {}: {} refused {} of {} documents; counting "
                  "refused documents as failed",
                  name_, config_.url, refused, lines);
  items_refused_ = refused > 0;
  return {lines - refused, refused};
}

Delivery HttpSink::deliver(std::string_view lines, RetryControl &retry) {
  std::uint64_t n = count_lines(lines);
  std::string body = encode_http_body(lines, config_, host_);
  ExponentialBackoff backoff(config_.retry_initial_ms, config_.retry_max_ms);
  for (std::uint64_t attempt = 1;; ++attempt) {
    std::string error;
    long status = post(body, error);
    if (status >= 200 && status < 300) {
      if (down_)
        spdlog::info("http output {}: {} accepts events again", name_,
                     config_.url);
      down_ = refusing_ = false;
      return accepted(n);
    }
    retry.attempt_failed();
    bool retryable = status == 0 || status == 429 || status >= 500;
    std::string why = status == 0 ? error : "HTTP " + std::to_string(status);
    if (!retryable) {
      // The receiver read the batch and refused it: sending it again
      // would be refused again.
      if (!refusing_)
        spdlog::error("http output {}: {} refuses events ({}); counting "
                      "them as failed until it accepts again",
                      name_, config_.url, why);
      refusing_ = true;
      return {0, n};
    }
    if (!down_)
      spdlog::warn("http output {}: {} unavailable ({}); keeping events "
                   "and retrying",
                   name_, config_.url, why);
    down_ = true;
    if (!retry.wait(backoff.next())) {
      spdlog::warn("http output {}: gave up {} events at exit after {} "
                   "attempts ({})",
                   name_, n, attempt, why);
      return {0, n};
    }
  }
}

} // namespace vigil
