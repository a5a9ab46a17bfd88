#include "jobs/queue.hpp"

namespace herald::jobs {

Enqueued JobQueue::enqueue(const JobSpec& spec) {
  auto result = enqueue_batch(std::span<const JobSpec>(&spec, 1));
  return result.front();
}

}  // namespace herald::jobs
