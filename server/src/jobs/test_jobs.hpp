// Jobs that exist only for black-box tests of the job system, registered when
// HERALD_ENABLE_TEST_JOBS=1:
//
//   test.effect  sleeps HERALD_TEST_JOB_SLEEP_MS (default 20) in two halves
//                around its effect, an INSERT … ON CONFLICT DO NOTHING of the
//                job id into job_test_effects. Killing a worker mid-job and
//                counting rows shows each job's effect happened exactly once.
//                A payload {"fail_attempts": n} fails the first n attempts.
#pragma once

#include "core/config.hpp"
#include "jobs/worker.hpp"
#include "storage/database.hpp"

namespace herald::jobs {

void register_test_jobs(HandlerRegistry& registry, storage::Database& db, const EnvLookup& env);

}  // namespace herald::jobs
