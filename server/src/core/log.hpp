// Structured logging: one line per event, text on a terminal and JSON
// otherwise. Lines written while a request is handled carry its request id.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

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

// While alive, every line logged on this thread carries `request_id`.
class RequestScope {
 public:
  explicit RequestScope(std::string_view request_id) noexcept;
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string_view previous_;
};

std::string_view current_request_id() noexcept;

}  // namespace herald::log
