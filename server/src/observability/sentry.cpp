#include "observability/sentry.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <array>
#include <memory>
#include <random>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "observability/sentry_envelope.hpp"

namespace herald::observability {
namespace {

constexpr std::chrono::seconds kWarnEvery{60};

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string host_name() {
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0') return "herald";
  return buf.data();
}

void init_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlHandle {
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  ~CurlHandle() {
    curl_slist_free_all(headers);
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

struct Received {
  std::optional<std::string> rate_limits;
  std::optional<std::string> retry_after;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    const auto name = trim(line.substr(0, colon));
    const auto value = std::string(trim(line.substr(colon + 1)));
    auto* r = static_cast<Received*>(user);
    if (iequals_ascii(name, "X-Sentry-Rate-Limits")) r->rate_limits = value;
    if (iequals_ascii(name, "Retry-After")) r->retry_after = value;
  }
  return n;
}

std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) { return size * count; }

int check_abort(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

}  // namespace

SentrySettings SentrySettings::from(const Config& config) {
  SentrySettings s;
  s.dsn = config.sentry_dsn;
  s.source.environment = config.sentry_environment;
  s.source.release = config.sentry_release;
  s.source.server_name = config.sentry_server_name.empty() ? host_name() : config.sentry_server_name;
  s.sample_rate = config.sentry_sample_rate;
  return s;
}

// What one POST came to.
struct Reporter::Answer {
  long status = 0;  // 0: no HTTP answer
  std::string error;
  Received headers;
};

Reporter::Reporter(SentrySettings settings, ReporterOptions options)
    : settings_(std::move(settings)), options_(std::move(options)) {
  if (!enabled()) return;
  envelope_url_ = settings_.dsn->envelope_url();
  auth_ = auth_header(*settings_.dsn);
  public_dsn_ = settings_.dsn->public_dsn();
  init_curl();
  sender_ = std::thread([this] { run(); });
}

Reporter::~Reporter() {
  if (!sender_.joinable()) return;
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    drained_.wait_for(lock, options_.shutdown_grace, [this] { return queue_.empty() && !in_flight_; });
  }
  abort_ = true;
  wake_.notify_all();
  sender_.join();
}

std::optional<std::string> Reporter::capture_exception(const std::exception& e, const EventContext& context) noexcept {
  try {
    Event event;
    event.level = EventLevel::Error;
    event.exception = describe_exception(e);
    return capture(std::move(event), context);
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<std::string> Reporter::capture_message(std::string_view message, EventLevel level,
                                                     const EventContext& context) noexcept {
  try {
    Event event;
    event.level = level;
    event.message = std::string(message);
    return capture(std::move(event), context);
  } catch (...) {
    return std::nullopt;
  }
}

bool Reporter::holding_back() const noexcept { return steady_ns() < hold_until_ns_.load(std::memory_order_relaxed); }

std::optional<std::string> Reporter::capture(Event event, const EventContext& context) noexcept {
  if (!enabled()) return std::nullopt;
  try {
    if (settings_.sample_rate < 1.0) {
      thread_local std::mt19937_64 rng{std::random_device{}()};
      const double draw = options_.draw ? options_.draw() : std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      if (!sampled(settings_.sample_rate, draw)) {
        ++sampled_out_;
        return std::nullopt;
      }
    }
    if (holding_back()) {
      ++dropped_limited_;
      return std::nullopt;
    }
    {
      // Building the event is wasted when it cannot be queued anyway.
      std::lock_guard lock(mutex_);
      if (queue_.size() >= options_.queue_capacity || stopping_) {
        ++dropped_full_;
        return std::nullopt;
      }
    }
    event.event_id = new_event_id();
    event.timestamp = std::chrono::system_clock::now();
    Item item{
        event.event_id,
        build_event(event, context, settings_.source).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= options_.queue_capacity || stopping_) {
        ++dropped_full_;
        return std::nullopt;
      }
      queue_.push_back(std::move(item));
    }
    wake_.notify_one();
    return event.event_id;
  } catch (...) {
    return std::nullopt;
  }
}

ReporterStats Reporter::stats() const {
  ReporterStats s;
  s.enabled = enabled();
  {
    std::lock_guard lock(mutex_);
    s.queued = queue_.size() + (in_flight_ ? 1 : 0);
  }
  s.sent = sent_.load();
  s.dropped_queue_full = dropped_full_.load();
  s.dropped_rate_limited = dropped_limited_.load();
  s.failed = failed_.load();
  s.sampled_out = sampled_out_.load();
  return s;
}

bool Reporter::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return drained_.wait_for(lock, timeout, [this] { return queue_.empty() && !in_flight_; });
}

void Reporter::run() {
  for (;;) {
    Item item;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() || abort_) {
        failed_ += queue_.size();  // what is left after the shutdown grace is lost
        queue_.clear();
        drained_.notify_all();
        return;
      }
      item = std::move(queue_.front());
      queue_.pop_front();
      in_flight_ = true;
    }
    if (holding_back()) {
      ++dropped_limited_;
    } else {
      send(item);
    }
    {
      std::lock_guard lock(mutex_);
      in_flight_ = false;
      if (queue_.empty()) drained_.notify_all();
    }
  }
}

void Reporter::send(const Item& item) {
  thread_local std::unique_ptr<CurlHandle> handle;  // the sender thread's; keeps the connection open
  if (!handle) handle = std::make_unique<CurlHandle>();
  CURL* curl = handle->curl;
  Answer answer;
  const std::string body =
      event_envelope(item.event_id, public_dsn_, rfc3339(std::chrono::system_clock::now()), item.payload);
  if (curl == nullptr) {
    answer.error = "curl_easy_init failed";
  } else {
    if (handle->headers == nullptr) {
      const std::string content_type = "Content-Type: " + std::string(kEnvelopeContentType);
      const std::string auth = "X-Sentry-Auth: " + auth_;
      handle->headers = curl_slist_append(handle->headers, content_type.c_str());
      handle->headers = curl_slist_append(handle->headers, auth.c_str());
      handle->headers = curl_slist_append(handle->headers, "Expect:");  // no 100-continue round trip
    }
    curl_easy_setopt(curl, CURLOPT_URL, envelope_url_.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "herald/" HERALD_VERSION);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, handle->headers);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.send_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_abort);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &abort_);
    const CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    } else {
      answer.error = curl_easy_strerror(rc);
    }
  }

  if (const auto hold =
          rate_limit_backoff(static_cast<int>(answer.status), answer.headers.rate_limits, answer.headers.retry_after)) {
    const auto until = steady_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(*hold).count();
    if (until > hold_until_ns_.load()) hold_until_ns_.store(until);
  }
  if (answer.status >= 200 && answer.status < 300) {
    ++sent_;
    return;
  }
  if (answer.status == 429) {
    ++dropped_limited_;
  } else {
    ++failed_;
  }
  // One warning a minute at most: a dead Sentry must not flood the log.
  thread_local std::chrono::steady_clock::time_point last_warning{};
  const auto now = std::chrono::steady_clock::now();
  if (last_warning == std::chrono::steady_clock::time_point{} || now - last_warning >= kWarnEvery) {
    last_warning = now;
    log::warn("sentry: an event was not delivered",
              {{"status", static_cast<std::int64_t>(answer.status)}, {"error", answer.error}, {"url", envelope_url_}});
  }
}

}  // namespace herald::observability
