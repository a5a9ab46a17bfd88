// SQL access for saved segments (server/sql/common/segments.sql). Each call
// takes the connection, so the service decides the transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/database.hpp"

namespace herald::leads {

struct Segment {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  nlohmann::json filter = nlohmann::json::object();
  std::optional<std::int64_t> created_by;
  std::string created_at, updated_at;
};

// The versions a rendered segment list was current at (segments.stamp).
struct SegmentStamp {
  std::int64_t leads = 0;     // lead_counters.version
  std::int64_t segments = 0;  // segment_counters.version
  bool operator==(const SegmentStamp&) const = default;
  // Both versions only grow: at least as new as `o` in both.
  bool covers(const SegmentStamp& o) const noexcept { return leads >= o.leads && segments >= o.segments; }
};

class SegmentStore {
 public:
  using Connection = storage::Connection;

  std::vector<Segment> list(Connection& c, std::int64_t limit, std::int64_t offset) const;
  std::int64_t count(Connection& c) const;
  SegmentStamp stamp(Connection& c) const;
  std::optional<Segment> get(Connection& c, std::int64_t id) const;
  std::optional<std::int64_t> id_by_name(Connection& c, std::string_view name) const;
  std::int64_t insert(Connection& c, const Segment& s, const std::string& now) const;
  void update(Connection& c, const Segment& s, const std::string& now) const;
  bool remove(Connection& c, std::int64_t id) const;
};

}  // namespace herald::leads
