// Structured logging: one line per event, text on a terminal and JSON
// otherwise. Lines written while a request is handled carry its request id.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace herald::log {

enum class Level { Debug, Info, Warn, Error };
enum class Format { Text, Json };

using FieldValue = std::variant<std::string_view, std::int64_t, double, bool>;
struct Field {
  std::string_view key;
  FieldValue value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, std::int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, std::uint64_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};
using Fields = std::initializer_list<Field>;

// Sets the output format and minimum level; safe to call again (tests).
void init(Format format, Level min_level = Level::Info);
// Format::Text when stdout is a terminal, else Format::Json.
Format detect_format();
void flush();

void write(Level level, std::string_view message, Fields fields = {});
inline void debug(std::string_view m, Fields f = {}) { write(Level::Debug, m, f); }
inline void info(std::string_view m, Fields f = {}) { write(Level::Info, m, f); }
inline void warn(std::string_view m, Fields f = {}) { write(Level::Warn, m, f); }
inline void error(std::string_view m, Fields f = {}) { write(Level::Error, m, f); }

// Formats one line without writing it (exposed for tests).
std::string format_line(Format format, Level level, std::string_view message, Fields fields,
                        std::string_view request_id, std::string_view timestamp);

// One line logged in a scope, kept for an error report's trail.
struct Breadcrumb {
  std::chrono::system_clock::time_point time;
  Level level = Level::Info;
  std::string message;  // the message and its fields as in a text line: "msg key=value …"
};

// The last lines logged under one request or job (a ring: the newest
// `capacity` are kept, each cut to kMaxBreadcrumbBytes). A scope is used by one
// thread at a time; the mutex only guards against a handler that hands its
// logging to another thread.
class Breadcrumbs {
 public:
  static constexpr std::size_t kDefaultCapacity = 50;
  static constexpr std::size_t kMaxBreadcrumbBytes = 1024;

  explicit Breadcrumbs(std::size_t capacity = kDefaultCapacity);
  void add(std::chrono::system_clock::time_point time, Level level, std::string_view message, Fields fields);
  // Oldest first.
  std::vector<Breadcrumb> entries() const;
  // Lines that fell out of the ring.
  std::size_t dropped() const;

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::vector<Breadcrumb> ring_;
  std::size_t next_ = 0;  // where the next line goes once the ring is full
  std::size_t total_ = 0;
};

// While alive, every line logged on this thread carries `request_id`, and is
// also added to `breadcrumbs` when given. A nested scope for the same request
// id without breadcrumbs keeps collecting into the enclosing scope's. With no
// breadcrumbs anywhere (error reporting off), logging costs one extra branch.
class RequestScope {
 public:
  explicit RequestScope(std::string_view request_id, Breadcrumbs* breadcrumbs = nullptr) noexcept;
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string_view previous_;
  Breadcrumbs* previous_breadcrumbs_;
};

std::string_view current_request_id() noexcept;
// The breadcrumbs lines on this thread go to, or null.
Breadcrumbs* current_breadcrumbs() noexcept;

}  // namespace herald::log
