#include "jobs/queue.hpp"

namespace herald::jobs {

Enqueued JobQueue::enqueue(const JobSpec& spec) {
  auto result = enqueue_batch(std::span<const JobSpec>(&spec, 1));
  return result.front();
}

void JobQueue::complete(const Job& job, const nlohmann::json& result) {
  complete_many(std::span<const Job>(&job, 1), std::span<const nlohmann::json>(&result, 1));
}

}  // namespace herald::jobs
