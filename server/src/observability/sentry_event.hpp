// Sentry events as data: what an error report says, built without I/O.
//
// An event carries the request (method, URL with secrets filtered out, route
// template, request id) or the job (queue, name, id), the user (id and role,
// never an email or address), release, environment, server name, the
// exception's type and message, and the log lines of that request or job as
// breadcrumbs. The JSON follows Sentry's event payload
// (develop.sentry.dev/sdk/data-model/event-payloads/), which GlitchTip reads too.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/log.hpp"

namespace herald::observability {

enum class EventLevel { Debug, Info, Warning, Error, Fatal };
std::string_view level_name(EventLevel level) noexcept;

// Where an error happened. Fill what applies: the request fields in the
// HTTP pipeline, the job fields in a worker.
struct EventContext {
  std::string logger;  // "herald.http", "herald.jobs"

  // Request.
  std::string method;      // "GET"
  std::string route;       // the route template, "/api/leads/{id}"; the grouping key
  std::string target;      // the request target as received (path and query); filtered when built
  std::string base_url;    // "https://herald.example.com": scheme and host, when known
  std::string request_id;  // X-Request-ID
  std::optional<int> status;

  // User: id and role only.
  std::optional<std::int64_t> user_id;
  std::string user_role;

  // Job.
  std::string queue;
  std::string job_name;
  std::string job_id;
  std::optional<int> attempt;

  std::vector<log::Breadcrumb> breadcrumbs;
  std::vector<std::pair<std::string, std::string>> tags;  // further tags
};

// The same for every event of a process.
struct EventSource {
  std::string release;
  std::string environment;
  std::string server_name;
};

struct ExceptionInfo {
  std::string type;   // "std::runtime_error", "herald::storage::Unavailable"
  std::string value;  // what()
};

struct Event {
  std::string event_id;  // 32 lower-case hex digits
  std::chrono::system_clock::time_point timestamp;
  EventLevel level = EventLevel::Error;
  std::optional<ExceptionInfo> exception;
  std::string message;  // for an event without an exception
};

// The event payload.
nlohmann::json build_event(const Event& event, const EventContext& context, const EventSource& source);

// The type and message of an exception (the dynamic type, demangled).
ExceptionInfo describe_exception(const std::exception& e);

// A random version-4 UUID as 32 lower-case hex digits (Sentry's event id form).
std::string new_event_id();

// True for a query or path parameter name that may carry a credential:
// token, access_token, refresh_token, password, key, api_key, secret,
// signature, code, … (case-insensitive; '-' counts as '_').
bool is_secret_name(std::string_view name);

struct ScrubbedTarget {
  std::string path;   // with every {param} of a secret name replaced by [Filtered]
  std::string query;  // without '?', each secret parameter's value replaced by [Filtered]
};
// Filters a request target (path and query) for a report. `route` is the
// route template the path matched ("/t/o/{token}"), or empty.
ScrubbedTarget scrub_target(std::string_view target, std::string_view route);

}  // namespace herald::observability
