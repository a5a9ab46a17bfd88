#include "ai/provider.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ai/sse.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"

namespace herald::ai {
namespace {

using Steady = std::chrono::steady_clock;

void init_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlHandle {
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  CurlHandle() = default;
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;
  ~CurlHandle() {
    curl_slist_free_all(headers);
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

// One attempt's state, shared with libcurl's callbacks.
struct Exchange {
  CURL* curl = nullptr;
  const DeltaSink* on_delta = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  std::chrono::milliseconds idle_timeout{};
  bool streaming = false;

  long status = 0;
  std::optional<std::string> retry_after;
  std::string body;  // the whole body (not streamed, or an error status)
  SseReader reader;
  ChunkAssembler assembler;
  bool got_data = false;  // a byte of a 2xx body arrived
  Steady::time_point last_byte = Steady::now();
  bool stalled = false;
  bool cancelled = false;
  std::optional<std::string> malformed;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  auto* ex = static_cast<Exchange*>(user);
  if (line.starts_with("HTTP/")) ex->retry_after.reset();  // a new response head (after a 100, a redirect)
  const auto colon = line.find(':');
  if (colon != std::string_view::npos && iequals_ascii(trim(line.substr(0, colon)), "Retry-After")) {
    ex->retry_after = std::string(trim(line.substr(colon + 1)));
  }
  return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  const std::size_t n = size * count;
  auto* ex = static_cast<Exchange*>(user);
  ex->last_byte = Steady::now();
  if (ex->status == 0) curl_easy_getinfo(ex->curl, CURLINFO_RESPONSE_CODE, &ex->status);
  const bool ok = ex->status >= 200 && ex->status < 300;
  if (!ok || !ex->streaming) {
    if (ex->body.size() < (4U << 20)) ex->body.append(data, n);
    return n;
  }
  ex->got_data = true;
  try {
    std::vector<std::string> events;
    ex->reader.feed(std::string_view(data, n), events);
    for (const auto& e : events) {
      auto delta = ex->assembler.add(e);
      if (!delta.empty() && ex->on_delta != nullptr && *ex->on_delta) (*ex->on_delta)(delta);
    }
  } catch (const MalformedResponse& e) {
    ex->malformed = e.what();
    return 0;  // aborts the transfer
  }
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* ex = static_cast<Exchange*>(user);
  if (ex->cancel != nullptr && ex->cancel->load()) {
    ex->cancelled = true;
    return 1;
  }
  if (Steady::now() - ex->last_byte > ex->idle_timeout) {
    ex->stalled = true;
    return 1;
  }
  return 0;
}

std::string endpoint(const std::string& base) {
  std::string url = base;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/chat/completions";
}

bool retryable(long status) { return status == 429 || status >= 500; }

// Waits `d`, or less when cancelled; false when cancelled.
bool wait_for(std::chrono::milliseconds d, const std::atomic<bool>* cancel) {
  const auto until = Steady::now() + d;
  while (Steady::now() < until) {
    if (cancel != nullptr && cancel->load()) return false;
    std::this_thread::sleep_for(std::min<Steady::duration>(std::chrono::milliseconds(50), until - Steady::now()));
  }
  return true;
}

}  // namespace

std::string ProviderError::title_for(int status) {
  switch (status) {
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Provider Error";
  }
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  value = trim(value);
  if (value.empty() || value.size() > 9) return std::nullopt;
  std::int64_t s = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    s = s * 10 + (c - '0');
  }
  return std::chrono::seconds(s);
}

std::string provider_message(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_discarded() && doc.is_object()) {
    if (auto e = doc.find("error"); e != doc.end()) {
      if (e->is_object() && e->contains("message") && (*e)["message"].is_string()) return (*e)["message"];
      if (e->is_string()) return *e;
    }
  }
  return storable_text(body.substr(0, std::min<std::size_t>(body.size(), 200)));
}

ProviderClient::ProviderClient(ClientOptions options) : options_(options) { init_curl(); }

ChatCompletion ProviderClient::complete(const ProviderSettings& provider, const ChatRequest& request,
                                        const DeltaSink& on_delta, const std::atomic<bool>* cancel) const {
  const bool streaming = static_cast<bool>(on_delta);
  const std::string url = endpoint(provider.base_url);
  const std::string payload =
      request_body(request, provider.model, streaming).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    CurlHandle h;
    if (h.curl == nullptr)
      throw ProviderError(502, "the AI provider client could not start (curl_easy_init)", "provider-error");
    h.headers = curl_slist_append(h.headers, "Content-Type: application/json");
    h.headers = curl_slist_append(h.headers, streaming ? "Accept: text/event-stream" : "Accept: application/json");
    h.headers = curl_slist_append(h.headers, "Expect:");
    if (!provider.api_key.empty()) {
      const auto auth = "Authorization: Bearer " + provider.api_key;
      h.headers = curl_slist_append(h.headers, auth.c_str());
    }
    Exchange ex;
    ex.curl = h.curl;
    ex.on_delta = &on_delta;
    ex.cancel = cancel;
    ex.idle_timeout = options_.idle_timeout;
    ex.streaming = streaming;
    curl_easy_setopt(h.curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h.curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h.curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.curl, CURLOPT_USERAGENT, "herald/" HERALD_VERSION);
    curl_easy_setopt(h.curl, CURLOPT_HTTPHEADER, h.headers);
    curl_easy_setopt(h.curl, CURLOPT_POST, 1L);
    curl_easy_setopt(h.curl, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(h.curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(h.curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(h.curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.overall_timeout.count()));
    curl_easy_setopt(h.curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h.curl, CURLOPT_HEADERDATA, &ex);
    curl_easy_setopt(h.curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h.curl, CURLOPT_WRITEDATA, &ex);
    curl_easy_setopt(h.curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h.curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h.curl, CURLOPT_XFERINFODATA, &ex);
    const CURLcode rc = curl_easy_perform(h.curl);
    if (ex.status == 0) curl_easy_getinfo(h.curl, CURLINFO_RESPONSE_CODE, &ex.status);

    if (ex.malformed)
      throw ProviderError(502, "The AI provider sent a malformed stream: " + *ex.malformed, "provider-malformed");
    if (ex.cancelled) throw ProviderError(502, "the request to the AI provider was cancelled", "provider-cancelled");
    if (ex.stalled) {
      throw ProviderError(504, fmt::format("The AI provider sent nothing for {} ms", options_.idle_timeout.count()),
                          "provider-timeout");
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      throw ProviderError(504, fmt::format("The AI provider did not answer in time ({})", curl_easy_strerror(rc)),
                          "provider-timeout");
    }
    const bool may_retry = attempt < options_.max_attempts && !ex.got_data;
    if (rc != CURLE_OK) {
      if (may_retry && (rc == CURLE_COULDNT_CONNECT || rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR)) {
        if (!wait_for(backoff, cancel))
          throw ProviderError(502, "the request to the AI provider was cancelled", "provider-cancelled");
        backoff *= 2;
        continue;
      }
      throw ProviderError(
          502, fmt::format("The AI provider at {} could not be reached: {}", provider.base_url, curl_easy_strerror(rc)),
          "provider-unreachable");
    }
    if (ex.status >= 200 && ex.status < 300) {
      if (!streaming) {
        try {
          return parse_completion(ex.body);
        } catch (const MalformedResponse& e) {
          throw ProviderError(502, std::string("The AI provider sent a malformed response: ") + e.what(),
                              "provider-malformed");
        }
      }
      if (!ex.assembler.done() && ex.reader.pending()) {
        throw ProviderError(502, "The AI provider's stream ended in the middle of an event", "provider-malformed");
      }
      try {
        return ex.assembler.result();
      } catch (const MalformedResponse& e) {
        throw ProviderError(502, std::string("The AI provider sent a malformed stream: ") + e.what(),
                            "provider-malformed");
      }
    }
    if (retryable(ex.status)) {
      const auto asked = ex.retry_after ? parse_retry_after(*ex.retry_after) : std::nullopt;
      if (asked && *asked > options_.max_retry_wait) {
        ProviderError e(503, fmt::format("The AI provider is rate-limiting; it asks to retry in {} s", asked->count()),
                        "provider-busy");
        e.with_header("Retry-After", std::to_string(asked->count()));
        throw e;
      }
      if (may_retry) {
        const auto wait = asked ? std::chrono::duration_cast<std::chrono::milliseconds>(*asked) : backoff;
        log::info("ai: the provider asked to retry", {{"status", static_cast<std::int64_t>(ex.status)},
                                                      {"attempt", static_cast<std::int64_t>(attempt)},
                                                      {"wait_ms", static_cast<std::int64_t>(wait.count())}});
        if (!wait_for(wait, cancel))
          throw ProviderError(502, "the request to the AI provider was cancelled", "provider-cancelled");
        backoff *= 2;
        continue;
      }
      if (ex.status == 429) {
        ProviderError e(503,
                        "The AI provider is still rate-limiting after " + std::to_string(attempt) +
                            " attempts: " + provider_message(ex.body),
                        "provider-busy");
        e.with_header("Retry-After", ex.retry_after && parse_retry_after(*ex.retry_after) ? *ex.retry_after : "30");
        throw e;
      }
    }
    throw ProviderError(502,
                        fmt::format("The AI provider answered {} after {} attempt(s): {}", ex.status, attempt,
                                    provider_message(ex.body)),
                        "provider-error");
  }
}

}  // namespace herald::ai
