#include "core/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "core/utc_stamp.hpp"

namespace herald::log {
namespace {

thread_local std::string_view t_request_id;
thread_local Breadcrumbs* t_breadcrumbs = nullptr;

struct State {
  std::atomic<Format> format{Format::Json};
  std::atomic<Level> min_level{Level::Info};
  std::shared_ptr<spdlog::logger> logger;
  std::mutex init_mutex;
};

State& state() {
  static State s;
  return s;
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::Debug:
      return "debug";
    case Level::Info:
      return "info";
    case Level::Warn:
      return "warn";
    case Level::Error:
      return "error";
  }
  return "info";
}

void append_json_string(fmt::memory_buffer& out, std::string_view s) {
  // Most values (paths, methods, ids, addresses) are printable ASCII with
  // nothing to escape: quoted as they are, without building a JSON value
  // (the access log writes several per request).
  if (std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; })) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  // nlohmann's escaper handles control characters and invalid UTF-8.
  std::string escaped = nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.append(escaped);
}

void append_value(fmt::memory_buffer& out, const FieldValue& v, Format f) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          bool plain = f == Format::Text && !x.empty() && x.find_first_of(" \"=\n\t") == std::string_view::npos;
          if (plain)
            out.append(x);
          else
            append_json_string(out, x);
        } else if constexpr (std::is_same_v<T, bool>) {
          out.append(std::string_view(x ? "true" : "false"));
        } else if constexpr (std::is_same_v<T, double>) {
          fmt::format_to(std::back_inserter(out), "{:.3f}", x);
        } else {
          fmt::format_to(std::back_inserter(out), "{}", x);
        }
      },
      v);
}

// Lines are formatted by format_line; the sink only appends them to a
// block-buffered stdout. A flush per line (spdlog's stdout sink) or a queue
// hand-off per line (its async logger) costs a syscall or a thread wake-up
// per request; here a background flush every second and on errors suffices.
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::fwrite(msg.payload.data(), 1, msg.payload.size(), stdout);
    std::fputc('\n', stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

std::shared_ptr<spdlog::logger> make_logger(bool terminal) {
  if (!terminal) std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
  auto logger = std::make_shared<spdlog::logger>("herald", std::make_shared<BufferedStdoutSink>());
  logger->set_level(spdlog::level::trace);
  logger->flush_on(terminal ? spdlog::level::trace : spdlog::level::err);
  if (!terminal) {
    spdlog::register_logger(logger);  // flush_every flushes registered loggers
    spdlog::flush_every(std::chrono::seconds(1));
  }
  return logger;
}

}  // namespace

Format detect_format() { return isatty(STDOUT_FILENO) ? Format::Text : Format::Json; }

void init(Format format, Level min_level) {
  auto& s = state();
  std::lock_guard lock(s.init_mutex);
  s.format = format;
  s.min_level = min_level;
  if (!s.logger) s.logger = make_logger(isatty(STDOUT_FILENO) != 0);
}

void flush() {
  auto& s = state();
  if (s.logger) s.logger->flush();
}

std::string format_line(Format format, Level level, std::string_view message, Fields fields,
                        std::string_view request_id, std::string_view timestamp) {
  fmt::memory_buffer out;
  if (format == Format::Json) {
    out.append(std::string_view("{\"ts\":\""));
    out.append(timestamp);
    out.append(std::string_view("\",\"level\":\""));
    out.append(level_name(level));
    out.append(std::string_view("\",\"msg\":"));
    append_json_string(out, message);
    if (!request_id.empty()) {
      out.append(std::string_view(",\"request_id\":"));
      append_json_string(out, request_id);
    }
    for (const auto& f : fields) {
      out.push_back(',');
      append_json_string(out, f.key);
      out.push_back(':');
      append_value(out, f.value, format);
    }
    out.push_back('}');
  } else {
    fmt::format_to(std::back_inserter(out), "{} {:<5} {}", timestamp, level_name(level), message);
    for (const auto& f : fields) {
      out.push_back(' ');
      out.append(f.key);
      out.push_back('=');
      append_value(out, f.value, format);
    }
    if (!request_id.empty()) {
      out.append(std::string_view(" request_id="));
      out.append(request_id);
    }
  }
  return fmt::to_string(out);
}

void write(Level level, std::string_view message, Fields fields) {
  auto& s = state();
  if (level < s.min_level.load(std::memory_order_relaxed)) return;
  if (!s.logger) init(detect_format());
  const auto now = std::chrono::system_clock::now();
  if (t_breadcrumbs != nullptr) t_breadcrumbs->add(now, level, message, fields);
  const auto stamp = utc_stamp_ms(now);  // calendar arithmetic: no gmtime lock, no format string
  std::string line =
      format_line(s.format.load(std::memory_order_relaxed), level, message, fields, t_request_id, view(stamp));
  s.logger->log(level == Level::Error ? spdlog::level::err : spdlog::level::info, spdlog::string_view_t(line));
}

Breadcrumbs::Breadcrumbs(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void Breadcrumbs::add(std::chrono::system_clock::time_point time, Level level, std::string_view message,
                      Fields fields) {
  fmt::memory_buffer text;
  text.append(message);
  for (const auto& f : fields) {
    if (text.size() >= kMaxBreadcrumbBytes) break;
    text.push_back(' ');
    text.append(f.key);
    text.push_back('=');
    append_value(text, f.value, Format::Text);
  }
  std::size_t size = std::min(text.size(), kMaxBreadcrumbBytes);
  // Never cut a UTF-8 sequence in two.
  while (size < text.size() && size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) --size;
  Breadcrumb crumb{time, level, std::string(text.data(), size)};
  std::lock_guard lock(mutex_);
  ++total_;
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(crumb));
  } else {
    ring_[next_] = std::move(crumb);
    next_ = (next_ + 1) % capacity_;
  }
}

std::vector<Breadcrumb> Breadcrumbs::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<Breadcrumb> out;
  out.reserve(ring_.size());
  for (std::size_t i = 0; i < ring_.size(); ++i) out.push_back(ring_[(next_ + i) % ring_.size()]);
  return out;
}

std::size_t Breadcrumbs::dropped() const {
  std::lock_guard lock(mutex_);
  return total_ - ring_.size();
}

RequestScope::RequestScope(std::string_view request_id, Breadcrumbs* breadcrumbs) noexcept
    : previous_(t_request_id), previous_breadcrumbs_(t_breadcrumbs) {
  if (breadcrumbs == nullptr && request_id != t_request_id) t_breadcrumbs = nullptr;
  if (breadcrumbs != nullptr) t_breadcrumbs = breadcrumbs;
  t_request_id = request_id;
}
RequestScope::~RequestScope() {
  t_request_id = previous_;
  t_breadcrumbs = previous_breadcrumbs_;
}

std::string_view current_request_id() noexcept { return t_request_id; }
Breadcrumbs* current_breadcrumbs() noexcept { return t_breadcrumbs; }

}  // namespace herald::log
