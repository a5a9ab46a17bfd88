// How the campaigns pipeline paces itself; the defaults suit production,
// tests shorten the waits.
#pragma once

#include <chrono>
#include <cstdint>

namespace herald::campaigns {

struct PipelineOptions {
  // Recipients claimed by a worker stay its own this long (renewed while it
  // works); a worker that died hands them on once it runs out. 0: twice
  // HERALD_JOB_VISIBILITY_TIMEOUT.
  std::chrono::milliseconds lease{0};
  // Back-off after a temporary failure (4xx, dropped connection): base ·
  // 2^(attempt-1), capped at `backoff_max`, ±20 % jitter
  // (HERALD_SEND_RETRY_BASE).
  std::chrono::milliseconds backoff_base{std::chrono::seconds(60)};
  std::chrono::milliseconds backoff_max{std::chrono::hours(4)};
  // Attempts per recipient before a temporary failure becomes final (HERALD_SEND_ATTEMPTS).
  int max_attempts = 6;
  // Recipients per `campaigns.emails` job, and claimed at a time within it:
  // a job's whole range in one claim, one read of its leads and one
  // suppression check (20 at a time cost PostgreSQL three round trips per
  // 20 messages). The lease, renewed while the chunk is sent, covers it
  // (about a second for 100 at the bench's pace).
  std::int64_t emails_batch = 100;
  std::int64_t claim_chunk = 100;
  // Leads read per expansion step (one transaction each).
  std::size_t expand_batch = 1000;
  // A throttle wait up to this long is slept through; a longer one puts the
  // recipient back in the queue until its token is due.
  std::chrono::milliseconds max_throttle_sleep{1000};
  // How often a sending worker looks at the campaign's status (pause, cancel).
  std::chrono::milliseconds status_check{250};
};

}  // namespace herald::campaigns
