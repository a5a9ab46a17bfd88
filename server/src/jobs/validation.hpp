// Checks a JobSpec before either backend stores it. Pure.
#pragma once

#include "jobs/types.hpp"

namespace herald::jobs {

// Throws ValidationError naming every offending field (name, queue, payload,
// priority, max_attempts, unique_key).
void validate(const JobSpec& spec);

// True for names like "email.send" or "campaign.fan-out": 1..100 of [a-z0-9._-],
// starting with a letter.
bool is_valid_job_name(std::string_view name) noexcept;

}  // namespace herald::jobs
