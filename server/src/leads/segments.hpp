// Saved segments: a name and a filter in the lead filter language, with a
// live member count. Campaigns use them as audiences.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "leads/segment_list_cache.hpp"
#include "leads/segment_store.hpp"
#include "leads/service.hpp"
#include "module/module.hpp"

namespace herald::leads {

struct SegmentInput {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<nlohmann::json> filter;  // normalised (parsed and written back)
};
// Throws ValidationError naming each bad field ("filter.status", …).
SegmentInput parse_segment_input(const nlohmann::json& body, bool creating);

struct SegmentView {
  Segment segment;
  std::int64_t member_count = 0;
};
nlohmann::json to_json(const SegmentView& s);

class SegmentService {
 public:
  SegmentService(storage::Database& db, const Clock& clock, LeadService& leads)
      : db_(db), clock_(clock), leads_(leads) {}

  std::pair<std::vector<SegmentView>, std::int64_t> list(std::int64_t page, std::int64_t page_size);
  // The page as the API answers it ({items, total, page, page_size}), from
  // the rendered pages while no lead or segment has changed
  // (leads/segment_list_cache.hpp): one statement per request.
  std::string list_json(std::int64_t page, std::int64_t page_size);
  // One segment as GET /api/segments/{id} answers, kept the same way.
  std::string get_json(std::int64_t id);

  // Counts every segment's members, so that this process keeps their block
  // counts (leads/block_counts.hpp) and its first requests count only the
  // blocks changed since, and renders the list's first page at the default
  // size. Run once at start by API processes (SegmentWarmer); stops between
  // segments once `stop` is set. Returns how many segments it counted.
  std::int64_t warm(const std::atomic<bool>& stop);
  // True once a warm() has finished.
  bool warmed() const noexcept { return warmed_.load(); }
  SegmentView get(std::int64_t id);
  SegmentView create(const SegmentInput& in, std::optional<std::int64_t> created_by);
  SegmentView update(std::int64_t id, const SegmentInput& in);
  void remove(std::int64_t id);
  // Creates a segment selecting `tag` unless one with this name exists (an import's list).
  void ensure_tag_segment(storage::Connection& c, const std::string& name, const std::string& tag,
                          std::optional<std::int64_t> created_by);

 private:
  std::int64_t members(storage::Connection& c, const Segment& s);
  // An answer kept in pages_ under `key`, or rendered by `render` (one at a time).
  std::string rendered(const std::string& key, const std::function<std::string(storage::Connection&)>& render);
  std::pair<std::vector<SegmentView>, std::int64_t> list(storage::Connection& c, std::int64_t page,
                                                         std::int64_t page_size);
  std::string now() const;

  storage::Database& db_;
  const Clock& clock_;
  LeadService& leads_;
  SegmentStore store_;
  SegmentListCache pages_{1024};
  std::atomic<bool> warmed_{false};
};

// Runs SegmentService::warm() on a thread of its own at start; stop() waits
// for the segment being counted (a whole count: seconds at ten million leads).
class SegmentWarmer final : public BackgroundTask {
 public:
  explicit SegmentWarmer(SegmentService& segments) : segments_(segments) {}
  ~SegmentWarmer() override { stop(); }
  std::string_view name() const override { return "segment counts warm-up"; }
  void start() override;
  void stop() override;

 private:
  SegmentService& segments_;
  std::mutex mutex_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace herald::leads
