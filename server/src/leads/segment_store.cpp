#include "leads/segment_store.hpp"

#include "storage/query.hpp"

namespace herald::leads {
namespace {

using storage::Param;
using storage::Row;
using sv = std::string_view;

const storage::Query kList{"segments.list"};
const storage::Query kCount{"segments.count"};
const storage::Query kStamp{"segments.stamp"};
const storage::Query kById{"segments.by_id"};
const storage::Query kByName{"segments.by_name"};
const storage::Query kInsert{"segments.insert"};
const storage::Query kUpdate{"segments.update"};
const storage::Query kDelete{"segments.delete"};

Param opt_int(const std::optional<std::int64_t>& v) { return v ? Param(*v) : Param(nullptr); }

Segment segment_from(const Row& r) {
  Segment s;
  s.id = r.integer(0);
  s.name = r.str(1);
  s.description = r.str(2);
  s.filter = nlohmann::json::parse(r.text(3), nullptr, false);
  if (!s.filter.is_object()) s.filter = nlohmann::json::object();
  s.created_by = r.opt_integer(4);
  s.created_at = r.str(5);
  s.updated_at = r.str(6);
  return s;
}

}  // namespace

std::vector<Segment> SegmentStore::list(Connection& c, std::int64_t limit, std::int64_t offset) const {
  std::vector<Segment> out;
  c.execute(kList, {limit, offset}, [&](const Row& r) { out.push_back(segment_from(r)); });
  return out;
}

std::int64_t SegmentStore::count(Connection& c) const {
  std::int64_t n = 0;
  c.execute(kCount, {}, [&](const Row& r) { n = r.integer(0); });
  return n;
}

SegmentStamp SegmentStore::stamp(Connection& c) const {
  SegmentStamp s;
  c.execute(kStamp, {}, [&](const Row& r) { s = SegmentStamp{r.integer(0), r.integer(1)}; });
  return s;
}

std::optional<Segment> SegmentStore::get(Connection& c, std::int64_t id) const {
  std::optional<Segment> out;
  c.execute(kById, {id}, [&](const Row& r) { out = segment_from(r); });
  return out;
}

std::optional<std::int64_t> SegmentStore::id_by_name(Connection& c, sv name) const {
  std::optional<std::int64_t> out;
  c.execute(kByName, {name}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t SegmentStore::insert(Connection& c, const Segment& s, const std::string& now) const {
  auto filter = s.filter.dump();
  std::int64_t id = 0;
  c.execute(kInsert, {sv(s.name), sv(s.description), sv(filter), opt_int(s.created_by), sv(now)},
            [&](const Row& r) { id = r.integer(0); });
  return id;
}

void SegmentStore::update(Connection& c, const Segment& s, const std::string& now) const {
  auto filter = s.filter.dump();
  c.execute(kUpdate, {s.id, sv(s.name), sv(s.description), sv(filter), sv(now)});
}

bool SegmentStore::remove(Connection& c, std::int64_t id) const { return c.execute(kDelete, {id}) > 0; }

}  // namespace herald::leads
