// Jobs that exist only for black-box tests of the job system, registered when
// HERALD_ENABLE_TEST_JOBS=1:
//
//   test.effect  sleeps HERALD_TEST_JOB_SLEEP_MS (default 20) in two halves
//                around its effect: in one transaction, an INSERT … ON CONFLICT
//                DO NOTHING of the job id into job_test_effects (the effect,
//                idempotent by key) and a row in job_test_runs for this
//                execution (whether it applied the effect or found it there).
//                Counting runs shows how often a job really ran; counting
//                applied runs shows each effect happened exactly once.
//                A payload {"fail_attempts": n} fails the first n attempts;
//                {"hold_first_attempt_ms": n} keeps the first attempt running
//                that long after its effect (until the worker stops).
#pragma once

#include "core/config.hpp"
#include "jobs/worker.hpp"
#include "storage/database.hpp"

namespace herald::jobs {

void register_test_jobs(HandlerRegistry& registry, storage::Database& db, const EnvLookup& env);

}  // namespace herald::jobs
