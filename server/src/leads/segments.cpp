#include "leads/segments.hpp"

#include <chrono>

#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"

namespace herald::leads {

SegmentInput parse_segment_input(const nlohmann::json& body, bool creating) {
  ValidationError errors;
  SegmentInput in;
  check_fields(body, {"name", "description", "filter"}, errors, "is not a segment field");
  if (body.contains("name")) {
    if (!body["name"].is_string()) {
      errors.with_field("name", "must be a string");
    } else {
      std::string name(trim(body["name"].get<std::string>()));
      if (name.empty()) {
        errors.with_field("name", "must not be empty");
      } else if (auto p = text_problem(name, 100)) {
        errors.with_field("name", *p);
      } else {
        in.name = name;
      }
    }
  } else if (creating) {
    errors.with_field("name", "is required");
  }
  if (body.contains("description")) {
    if (!body["description"].is_string()) {
      errors.with_field("description", "must be a string");
    } else if (auto p = text_problem(body["description"].get<std::string>(), 1000)) {
      errors.with_field("description", *p);
    } else {
      in.description = body["description"].get<std::string>();
    }
  }
  if (body.contains("filter")) {
    try {
      in.filter = parse_filter_json(body["filter"]).to_json();
    } catch (const ValidationError& e) {
      for (const auto& f : e.errors()) errors.with_field(f.field, f.message);
    }
  } else if (creating) {
    errors.with_field("filter", "is required: an object of filter keys ({} for every lead)");
  }
  if (!errors.empty()) throw errors;
  return in;
}

nlohmann::json to_json(const SegmentView& v) {
  const auto& s = v.segment;
  return {{"id", s.id},
          {"name", s.name},
          {"description", s.description},
          {"filter", s.filter},
          {"member_count", v.member_count},
          {"created_by", s.created_by ? nlohmann::json(*s.created_by) : nlohmann::json(nullptr)},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

std::string SegmentService::now() const { return rfc3339(clock_.wall()); }

std::int64_t SegmentService::members(storage::Connection& c, const Segment& s) {
  return leads_.count(c, parse_filter_json(s.filter));
}

std::pair<std::vector<SegmentView>, std::int64_t> SegmentService::list(std::int64_t page, std::int64_t page_size) {
  auto conn = db_.acquire();
  return list(*conn, page, page_size);
}

std::pair<std::vector<SegmentView>, std::int64_t> SegmentService::list(storage::Connection& c, std::int64_t page,
                                                                       std::int64_t page_size) {
  std::vector<SegmentView> out;
  for (auto& s : store_.list(c, page_size, (page - 1) * page_size)) {
    auto n = members(c, s);
    out.push_back({std::move(s), n});
  }
  return {std::move(out), store_.count(c)};
}

std::string SegmentService::rendered(const std::string& key,
                                     const std::function<std::string(storage::Connection&)>& render) {
  auto conn = db_.acquire();
  SegmentStamp stamp = store_.stamp(*conn);
  for (;;) {
    if (auto body = pages_.get(key, stamp)) return std::move(*body);
    if (pages_.begin(key)) break;
    // Another request is rendering it: its answer is at least as new as this
    // stamp unless a write came between the two readings (then look again).
    pages_.wait(key, std::chrono::seconds(30));
  }
  KeyFlights::Landing landing{pages_, key};
  // Rendered after this stamp is read: current at it or newer. Read again, so
  // that a request that waited for an older rendering renders what is new now.
  stamp = store_.stamp(*conn);
  std::string body = render(*conn);
  pages_.put(key, stamp, body);
  return body;
}

std::string SegmentService::list_json(std::int64_t page, std::int64_t page_size) {
  return rendered("list:" + std::to_string(page) + ":" + std::to_string(page_size), [&](storage::Connection& c) {
    auto [items, total] = list(c, page, page_size);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : items) list.push_back(to_json(s));
    return nlohmann::json{{"items", std::move(list)}, {"total", total}, {"page", page}, {"page_size", page_size}}
        .dump();
  });
}

std::string SegmentService::get_json(std::int64_t id) {
  return rendered("segment:" + std::to_string(id), [&](storage::Connection& c) {
    auto s = store_.get(c, id);
    if (!s) throw NotFound("no segment with id " + std::to_string(id));
    auto n = members(c, *s);
    return to_json(SegmentView{std::move(*s), n}).dump();
  });
}

std::int64_t SegmentService::warm(const std::atomic<bool>& stop) {
  constexpr std::int64_t kDefaultPageSize = 50;  // http::page_params' default
  constexpr std::int64_t kChunk = 200;
  std::int64_t counted = 0;
  // The first page as GET /api/segments asks for it, then the others' counts.
  list_json(1, kDefaultPageSize);
  auto conn = db_.acquire();
  counted = std::min(store_.count(*conn), kDefaultPageSize);
  for (std::int64_t offset = kDefaultPageSize; !stop; offset += kChunk) {
    auto chunk = store_.list(*conn, kChunk, offset);
    for (const auto& s : chunk) {
      if (stop) break;
      members(*conn, s);
      ++counted;
    }
    if (static_cast<std::int64_t>(chunk.size()) < kChunk) break;
  }
  if (!stop) warmed_ = true;
  return counted;
}

void SegmentWarmer::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    const auto t0 = std::chrono::steady_clock::now();
    try {
      const auto n = segments_.warm(stop_);
      const auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
      log::info("segment counts warmed", {{"segments", n}, {"ms", ms}, {"stopped", stop_.load()}});
    } catch (const std::exception& e) {
      // The first request of each segment counts it instead.
      log::warn("segment counts not warmed", {{"error", e.what()}});
    }
  });
}

void SegmentWarmer::stop() {
  std::lock_guard lock(mutex_);
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

SegmentView SegmentService::get(std::int64_t id) {
  auto conn = db_.acquire();
  auto s = store_.get(*conn, id);
  if (!s) throw NotFound("no segment with id " + std::to_string(id));
  auto n = members(*conn, *s);
  return {std::move(*s), n};
}

SegmentView SegmentService::create(const SegmentInput& in, std::optional<std::int64_t> created_by) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  if (store_.id_by_name(*conn, *in.name)) throw Conflict("a segment with this name already exists");
  Segment s;
  s.name = *in.name;
  s.description = in.description.value_or("");
  s.filter = *in.filter;
  s.created_by = created_by;
  auto id = store_.insert(*conn, s, now());
  tx.commit();
  return get(id);
}

SegmentView SegmentService::update(std::int64_t id, const SegmentInput& in) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto s = store_.get(*conn, id);
  if (!s) throw NotFound("no segment with id " + std::to_string(id));
  if (in.name && *in.name != s->name) {
    if (store_.id_by_name(*conn, *in.name)) throw Conflict("a segment with this name already exists");
    s->name = *in.name;
  }
  if (in.description) s->description = *in.description;
  if (in.filter) s->filter = *in.filter;
  store_.update(*conn, *s, now());
  tx.commit();
  return get(id);
}

void SegmentService::remove(std::int64_t id) {
  auto conn = db_.acquire();
  if (!store_.remove(*conn, id)) throw NotFound("no segment with id " + std::to_string(id));
}

void SegmentService::ensure_tag_segment(storage::Connection& c, const std::string& name, const std::string& tag,
                                        std::optional<std::int64_t> created_by) {
  if (store_.id_by_name(c, name)) return;
  Segment s;
  s.name = name;
  s.description = "Leads imported into the list '" + name + "'";
  s.filter = {{"tag", tag}};
  s.created_by = created_by;
  store_.insert(c, s, now());
}

}  // namespace herald::leads
