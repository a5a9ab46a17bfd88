// Saved segments: a name and a filter in the lead filter language, with a
// live member count. Campaigns use them as audiences.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leads/segment_list_cache.hpp"
#include "leads/segment_store.hpp"
#include "leads/service.hpp"

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
  SegmentView get(std::int64_t id);
  SegmentView create(const SegmentInput& in, std::optional<std::int64_t> created_by);
  SegmentView update(std::int64_t id, const SegmentInput& in);
  void remove(std::int64_t id);
  // Creates a segment selecting `tag` unless one with this name exists (an import's list).
  void ensure_tag_segment(storage::Connection& c, const std::string& name, const std::string& tag,
                          std::optional<std::int64_t> created_by);

 private:
  std::int64_t members(storage::Connection& c, const Segment& s);
  std::pair<std::vector<SegmentView>, std::int64_t> list(storage::Connection& c, std::int64_t page,
                                                         std::int64_t page_size);
  std::string now() const;

  storage::Database& db_;
  const Clock& clock_;
  LeadService& leads_;
  SegmentStore store_;
  SegmentListCache pages_;
};

}  // namespace herald::leads
