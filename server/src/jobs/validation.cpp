#include "jobs/validation.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace herald::jobs {

bool is_valid_job_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  if (name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void validate(const JobSpec& spec) {
  ValidationError error;
  if (!is_valid_job_name(spec.name)) {
    error.with_field(
        "name",
        fmt::format("must be 1 to {} characters of a-z, 0-9, '.', '_' or '-', starting with a letter", kMaxNameLength));
  }
  if (!is_known_queue(spec.queue)) error.with_field("queue", "must be one of emails, campaigns, analytics");
  if (!spec.payload.is_object()) {
    error.with_field("payload", "must be a JSON object");
  } else if (spec.payload.dump().size() > kMaxPayloadBytes) {
    error.with_field("payload", fmt::format("must be at most {} bytes as JSON", kMaxPayloadBytes));
  }
  if (spec.priority < kMinPriority || spec.priority > kMaxPriority) {
    error.with_field("priority", fmt::format("must be between {} and {}", kMinPriority, kMaxPriority));
  }
  if (spec.max_attempts < 1 || spec.max_attempts > kMaxAttempts) {
    error.with_field("max_attempts", fmt::format("must be between 1 and {}", kMaxAttempts));
  }
  if (spec.unique_key && (spec.unique_key->empty() || spec.unique_key->size() > kMaxUniqueKeyLength)) {
    error.with_field("unique_key", fmt::format("must be 1 to {} characters", kMaxUniqueKeyLength));
  }
  if (!error.empty()) throw error;
}

}  // namespace herald::jobs
