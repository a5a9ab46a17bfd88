// Sentry's wire protocol, as pure functions: the envelope that carries an
// event (develop.sentry.dev/sdk/data-model/envelopes/), the X-Sentry-Auth
// header, and how long to hold back after a rate-limited answer
// (develop.sentry.dev/sdk/expected-features/rate-limiting/).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"

namespace herald::observability {

// Three lines: {"event_id","dsn","sent_at"}, {"type":"event","length":N,…},
// then the N bytes of the event payload.
std::string event_envelope(std::string_view event_id, std::string_view dsn, std::string_view sent_at,
                           std::string_view payload);

inline constexpr std::string_view kEnvelopeContentType = "application/x-sentry-envelope";

// "Sentry sentry_version=7, sentry_client=herald/<version>, sentry_key=<key>"
std::string auth_header(const SentryDsn& dsn);

// How long to send no more error events after an answer: X-Sentry-Rate-Limits
// when present (the longest limit that covers the "error" category, or all
// categories), else for a 429 its Retry-After (seconds or an HTTP date is
// not expected from Sentry; a number is read, anything else means 60 s).
// Nullopt: no limit.
std::optional<std::chrono::seconds> rate_limit_backoff(int status, std::optional<std::string_view> rate_limits,
                                                       std::optional<std::string_view> retry_after);

// Whether an event is sent under `sample_rate`, given a uniform draw in [0, 1).
constexpr bool sampled(double sample_rate, double draw) noexcept { return draw < sample_rate; }

}  // namespace herald::observability
