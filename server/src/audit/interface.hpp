// What the audit log offers the other domains: record an entry, read the
// history of one resource. They hold a reference to this interface (handed
// over by the composition root), never the log's store or database handle.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/types.hpp"

namespace herald::audit {

class Trail {
 public:
  virtual ~Trail() = default;
  // Queues an entry (created_at is stamped now); never waits on the database.
  virtual void record(Entry entry) = 0;
  // Entries naming `resource` (e.g. "lead/42"), newest first, including
  // those queued a moment ago (waits up to 5 s for them to be written).
  virtual std::vector<Entry> history(const std::string& resource, std::int64_t limit) = 0;
};

}  // namespace herald::audit
