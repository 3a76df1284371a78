#include "context/container_metadata.h"

#include <curl/curl.h>

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/log.h"

namespace vigil {

namespace {

using nlohmann::json;

std::string string_at(const json &j, const char *key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>()
                                          : std::string();
}

std::optional<std::string> read_whole(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t append_body(char *data, std::size_t size, std::size_t n,
                        void *out) {
  auto *body = static_cast<std::string *>(out);
  // A container's description is a few KiB; a runaway reply is cut.
  if (body->size() > (4u << 20))
    return 0;
  body->append(data, size * n);
  return size * n;
}

void curl_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_safe_id(std::string_view id) {
  return !id.empty() &&
         id.find_first_not_of("0123456789abcdefABCDEF") == id.npos;
}

} // namespace

std::optional<ContainerMeta> parse_docker_container(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return std::nullopt;
  ContainerMeta meta;
  meta.name = string_at(j, "Name");
  if (meta.name.starts_with('/'))
    meta.name.erase(0, 1);
  meta.image_id = string_at(j, "Image");
  auto config = j.find("Config");
  if (config != j.end() && config->is_object()) {
    meta.image = string_at(*config, "Image");
    auto labels = config->find("Labels");
    if (labels != config->end() && labels->is_object()) {
      for (auto &[k, v] : labels->items()) {
        if (v.is_string())
          meta.labels.emplace(k, v.get<std::string>());
      }
    }
  }
  return meta;
}

std::optional<ContainerMeta> parse_podman_containers(std::string_view text,
                                                     std::string_view id) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array())
    return std::nullopt;
  for (const json &c : j) {
    if (!c.is_object() || string_at(c, "id") != id)
      continue;
    ContainerMeta meta;
    meta.image_id = string_at(c, "image");
    auto names = c.find("names");
    if (names != c.end() && names->is_array() && !names->empty() &&
        names->front().is_string())
      meta.name = names->front().get<std::string>();
    // podman keeps its own metadata as a JSON document inside a string.
    json inner = json::parse(string_at(c, "metadata"), nullptr, false);
    if (inner.is_object()) {
      meta.image = string_at(inner, "image-name");
      if (meta.name.empty())
        meta.name = string_at(inner, "name");
    }
    return meta;
  }
  return std::nullopt;
}

void apply_meta(const ContainerMeta &meta, ContainerInfo &info) {
  info.name = meta.name;
  info.image = meta.image;
  info.image_id = meta.image_id;
  info.labels = meta.labels;
  auto label = [&](const char *key) {
    auto it = meta.labels.find(key);
    return it == meta.labels.end() ? std::string() : it->second;
  };
  if (auto name = label("io.kubernetes.pod.name"); !name.empty())
    info.pod.name = name;
  if (auto ns = label("io.kubernetes.pod.namespace"); !ns.empty())
    info.pod.ns = ns;
  if (auto uid = label("io.kubernetes.pod.uid"); !uid.empty())
    info.pod.uid = uid;
}

std::optional<std::string> docker_api_get(const RuntimeSettings &s,
                                          const std::string &path) {
  curl_init_once();
  CURL *curl = curl_easy_init();
  if (curl == nullptr)
    return std::nullopt;
  std::string body;
  std::string url = "http://localhost" + path;
  curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, s.docker_socket.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, s.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    spdlog::debug("docker API {} on {}: {}", path, s.docker_socket,
                  curl_easy_strerror(rc));
    return std::nullopt;
  }
  if (status != 200) {
    spdlog::debug("docker API {}: HTTP status {}", path, status);
    return std::nullopt;
  }
  return body;
}

std::optional<ContainerMeta> resolve_container(const RuntimeSettings &s,
                                               std::string_view runtime,
                                               std::string_view id) {
  // The id comes from a cgroup path: it goes into a URL and a file path
  // only when it cannot climb out of either.
  if (!is_safe_id(id))
    return std::nullopt;
  std::string cid(id);
  if (runtime == "docker") {
    if (auto body = docker_api_get(s, "/containers/" + cid + "/json")) {
      if (auto meta = parse_docker_container(*body))
        return meta;
    }
    std::string file = s.docker_root + "/containers/" + cid + "/config.v2.json";
    if (auto text = read_whole(file))
      return parse_docker_container(*text);
    return std::nullopt;
  }
  if (runtime == "podman") {
    std::string file = s.podman_root + "/overlay-containers/containers.json";
    if (auto text = read_whole(file))
      return parse_podman_containers(*text, id);
    return std::nullopt;
  }
  // Not yet handled: containerd and cri-o are asked nothing (their CRI
  // socket speaks gRPC); their containers carry the id, runtime and the
  // pod UID and QoS class that the cgroup path gives.
  return std::nullopt;
}

} // namespace vigil
