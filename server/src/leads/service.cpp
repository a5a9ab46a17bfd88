#include "leads/service.hpp"

#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/time.hpp"

namespace herald::leads {
namespace {

constexpr std::size_t kMaxBulkIds = 10000;

ValidationError owner_problem(std::int64_t owner) {
  return ValidationError("owner_id", "no user with id " + std::to_string(owner));
}

std::string conflict_detail(std::int64_t existing) {
  // The address itself stays out: problem details reach the audit log.
  return "a lead with this email already exists (lead " + std::to_string(existing) + ")";
}

}  // namespace

std::string_view to_string(BulkAction a) noexcept {
  switch (a) {
    case BulkAction::Tag:
      return "tag";
    case BulkAction::Untag:
      return "untag";
    case BulkAction::SetStatus:
      return "set_status";
    case BulkAction::SetOwner:
      return "set_owner";
    case BulkAction::Delete:
      return "delete";
  }
  return "tag";
}

BulkRequest parse_bulk_request(const nlohmann::json& body) {
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  ValidationError errors;
  BulkRequest r;
  const std::string action =
      body.contains("action") && body["action"].is_string() ? body["action"].get<std::string>() : "";
  // Each action takes its own field; any other one (a typo, or a status sent
  // with a tag action) is named rather than ignored.
  std::vector<std::string_view> allowed = {"action", "ids", "filter"};
  std::string unknown = "does not apply to the " + action + " action";
  if (action == "tag" || action == "untag") {
    allowed.emplace_back("tag");
  } else if (action == "set_status") {
    allowed.emplace_back("status");
  } else if (action == "set_owner") {
    allowed.emplace_back("owner_id");
  } else if (action != "delete") {
    // No usable action to judge by: any action's field may be meant, and one
    // of the wrong type is still named.
    allowed.insert(allowed.end(), {"tag", "status", "owner_id"});
    unknown = kUnknownField;
    if (body.contains("tag") && !body["tag"].is_string()) errors.with_field("tag", "must be a string");
    if (body.contains("status") && !body["status"].is_string()) errors.with_field("status", "must be a string");
    if (body.contains("owner_id") && !body["owner_id"].is_null() && !body["owner_id"].is_number_integer())
      errors.with_field("owner_id", "must be a user id or null");
  }
  check_fields(body, allowed, errors, unknown);
  if (action == "tag" || action == "untag") {
    r.action = action == "tag" ? BulkAction::Tag : BulkAction::Untag;
    if (!body.contains("tag") || !body["tag"].is_string()) {
      errors.with_field("tag", "is required: the tag to add or remove");
    } else if (auto p = tag_problem(body["tag"].get<std::string>())) {
      errors.with_field("tag", *p);
    } else {
      r.tag = body["tag"].get<std::string>();
    }
  } else if (action == "set_status") {
    r.action = BulkAction::SetStatus;
    if (!body.contains("status") || !body["status"].is_string() || !is_status(body["status"].get<std::string>())) {
      errors.with_field("status",
                        "must be one of new, contacted, replied, interested, not_interested, converted, "
                        "unsubscribed, bounced");
    } else {
      r.status = body["status"].get<std::string>();
    }
  } else if (action == "set_owner") {
    r.action = BulkAction::SetOwner;
    if (!body.contains("owner_id")) {
      errors.with_field("owner_id", "is required: a user id, or null to unassign");
    } else if (!body["owner_id"].is_null()) {
      if (!body["owner_id"].is_number_integer() || body["owner_id"].get<std::int64_t>() <= 0) {
        errors.with_field("owner_id", "must be a user id or null");
      } else {
        r.owner_id = body["owner_id"].get<std::int64_t>();
      }
    }
  } else if (action == "delete") {
    r.action = BulkAction::Delete;
  } else {
    errors.with_field("action", "must be one of tag, untag, set_status, set_owner, delete");
  }

  bool has_ids = body.contains("ids"), has_filter = body.contains("filter");
  if (has_ids == has_filter) {
    errors.with_field("ids", "send either ids (a list of lead ids) or filter (an object; {} selects every lead)");
  } else if (has_ids) {
    const auto& ids = body["ids"];
    if (!ids.is_array() || ids.empty() || ids.size() > kMaxBulkIds) {
      errors.with_field("ids", "must be a list of 1 to 10000 lead ids");
    } else {
      for (const auto& id : ids) {
        if (!id.is_number_integer() || id.get<std::int64_t>() <= 0) {
          errors.with_field("ids", "must contain lead ids only");
          break;
        }
        r.filter.ids.push_back(id.get<std::int64_t>());
      }
    }
  } else {
    try {
      r.filter = parse_filter_json(body["filter"], true);
    } catch (const ValidationError& e) {
      for (const auto& f : e.errors()) errors.with_field(f.field, f.message);
    }
  }
  if (!errors.empty()) throw errors;
  return r;
}

LeadService::LeadService(storage::Database& db, const Clock& clock, auth::Users& users, std::size_t page_cache_bytes)
    : db_(db), clock_(clock), users_(users), store_(db.backend()), pages_(page_cache_bytes) {}

std::string LeadService::now() const { return rfc3339(clock_.wall()); }

Filter LeadService::resolve(storage::Connection& c, Filter f) const {
  if (!f.segment_id) return f;
  auto segment = segments_.get(c, *f.segment_id);
  if (!segment) throw ValidationError("segment_id", "no segment with id " + std::to_string(*f.segment_id));
  f.merge(parse_filter_json(segment->filter));
  f.segment_id.reset();
  return f;
}

Filter LeadService::resolve(Filter f) {
  if (!f.segment_id) return f;
  auto conn = db_.acquire();
  return resolve(*conn, std::move(f));
}

std::int64_t LeadService::count(storage::Connection& c, const Filter& f) {
  return total(c, f, CountMode::Exact, store_.versions(c)).count;
}

namespace {

std::string count_key(const Filter& f, CountMode mode, bool kept) {
  std::string key = f.canonical();
  key += kept                       ? "\x1d"
                                      "kept"
         : mode == CountMode::Exact ? "\x1d"
                                      "exact"
                                    : "\x1d"
                                      "capped";
  return key;
}

}  // namespace

Total LeadService::total(storage::Connection& c, const Filter& f, CountMode mode, const Versions& versions) {
  const Depends depends = depends_on(f);
  const Versions at = relevant(versions, depends);
  const auto keys = exact_keys(f);
  const std::string key = count_key(f, mode, keys.has_value());
  if (keys) {
    if (auto cached = counts_.get(key, at)) return *cached;
    // Read after the versions: at least as new as they are.
    const std::int64_t n = store_.counted(c, *keys);
    counts_.put(key, at, n, Total{n, false});
    return Total{n, false};
  }
  // An exact count of a filter without q follows writes block by block; a
  // search's is cached like a capped count (a status change leaves it valid).
  if (mode == CountMode::Exact && f.queries.empty()) return Total{exact_by_blocks(c, f, key, versions.all), false};
  // Counted: one count of a filter at a time; a count that is still valid
  // but spending its surplus is counted again by one request while the
  // others go on answering from it.
  for (;;) {
    auto found = counts_.lookup(key, at);
    if (found.total && !found.refresh) return *found.total;
    if (counts_.begin(key)) break;
    if (found.total) return *found.total;
    counts_.wait(key, std::chrono::seconds(30));
  }
  KeyFlights::Landing landing{counts_, key};
  // A capped count of a filter on fields that change often counts on past
  // the cap, so that its "at least the cap" outlives that many changes.
  const bool capped = mode == CountMode::Capped;
  const std::int64_t spare = depends.status || depends.owner || depends.tags ? count_spare(f) : 0;
  const std::int64_t cap = count_cap(f);
  auto [counted_at, n] = store_.count(c, f, capped ? std::optional<std::int64_t>(cap + spare + 1) : std::nullopt);
  Total t = capped && n > cap ? Total{cap, true} : Total{n, false};
  counts_.put(key, relevant(counted_at, depends), n, t);
  return t;
}

bool LeadService::exact_count_kept(const Filter& f) {
  const auto kept = blocks_.find(count_key(f, CountMode::Exact, false));
  if (!kept) return false;
  std::lock_guard lock(kept->mutex);
  return kept->filled();
}

void LeadService::catch_up(storage::Connection& c, std::int64_t version) {
  feed_.catch_up(version, [&](std::int64_t after, std::size_t limit) {
    return store_.changes_since(c, after, static_cast<std::int64_t>(limit));
  });
}

std::int64_t LeadService::exact_by_blocks(storage::Connection& c, const Filter& f, const std::string& key,
                                          std::int64_t version) {
  const auto counted = blocks_.of(key);
  std::lock_guard lock(counted->mutex);
  const unsigned aspects = membership_aspects(depends_on(f));
  // Before any count: the feed then knows every change after the count's version.
  catch_up(c, version);
  // A few rounds: the blocks counted again are exact at their statement's
  // version, the others up to `version`; writes in between are checked in
  // the next round. A writer that keeps ahead is outrun by a whole count.
  for (int round = 0; round < 4 && counted->filled(); ++round) {
    catch_up(c, version);
    const auto changes = feed_.changed(counted->verified_at(), version, aspects);
    if (!changes) break;
    const Stale stale = counted->stale(*changes);
    if (stale.runs.empty()) {
      counted->verified(version, stale.top);
      return counted->total();
    }
    std::int64_t newest = version;
    try {
      for (const auto& run : stale.runs) {
        const BlockCounting again = store_.count_blocks(c, f, run);
        counted->replace(run, again.blocks, again.at.all);
        newest = std::max(newest, again.at.all);
      }
    } catch (...) {
      counted->forget();  // half counted: count everything next time
      throw;
    }
    counted->verified(version, stale.top);
    version = newest;
  }
  const BlockCounting all = store_.count_blocks(c, f, std::nullopt);
  counted->reset(all.blocks, all.at.all, all.top);
  return counted->total();
}

bool LeadService::may_wait(const Filter& f, CountMode mode) const {
  if (waits(f, mode)) return true;
  if (exact_keys(f) || f.segment_id) return false;
  Versions last;
  {
    std::lock_guard lock(last_mutex_);
    last = last_versions_;
  }
  // Its total is to be counted, unless a count valid at the last versions
  // seen is cached (a guess: the handler reads the versions again).
  const std::string key = count_key(f, mode, false);
  auto found = counts_.lookup(key, relevant(last, depends_on(f)));
  return !found.total || (found.refresh && !counts_.running(key));
}

namespace {

std::string page_key(const Filter& f, const ListQuery& q) {
  std::string key = f.canonical();
  key += '\x1d' + q.sort.order_by + '\x1d' + std::to_string(q.page) + '\x1d' + std::to_string(q.page_size) + '\x1d' +
         (q.cursor ? std::to_string(*q.cursor) : "-");
  return key;
}

std::string document(const RenderedPage& page, const Total& t) {
  std::string out;
  out.reserve(page.head.size() + page.tail.size() + 64);
  out += page.head;
  out += std::to_string(t.count);
  out += t.lower_bound ? ",\"total_is_lower_bound\":true" : ",\"total_is_lower_bound\":false";
  out += page.tail;
  return out;
}

}  // namespace

std::string LeadService::list_json(ListQuery q) {
  auto offset = (q.page - 1) * q.page_size;
  if (q.cursor && !q.sort.by_id) throw ValidationError("cursor", "works with sort=id or sort=-id only");
  if (!q.cursor && offset > kMaxOffset)
    throw ValidationError("page", "reaches past the first 100000 leads; continue with cursor=next_cursor instead");
  auto conn = db_.acquire();
  Filter f = resolve(*conn, std::move(q.filter));
  // The versions first: whatever is read after them is at least that new.
  const Versions versions = store_.versions(*conn);
  {
    std::lock_guard lock(last_mutex_);
    if (versions.all > last_versions_.all) last_versions_ = versions;
  }
  catch_up(*conn, versions.all);
  const std::string key = page_key(f, q);
  auto page = pages_.get(key, versions.all, feed_);
  if (!page) {
    auto fresh = std::make_shared<RenderedPage>();
    std::string& out = fresh->head;
    out.reserve(static_cast<std::size_t>(q.page_size) * 640 + 32);
    out += "{\"items\":[";
    std::int64_t rows = 0, last_id = 0;
    store_.page(*conn, f, q.sort, q.page_size, q.cursor ? 0 : offset, q.cursor, [&](const storage::Row& r) {
      if (rows++) out.push_back(',');
      append_json(out, view_of(r));
      last_id = r.integer(0);
      fresh->scope.ids.push_back(last_id);
    });
    out += "],\"total\":";
    fresh->tail = ",\"page\":" + std::to_string(q.page) + ",\"page_size\":" + std::to_string(q.page_size) +
                  ",\"next_cursor\":" + (q.sort.by_id && rows == q.page_size ? std::to_string(last_id) : "null") + "}";
    PageScope& scope = fresh->scope;
    std::sort(scope.ids.begin(), scope.ids.end());
    scope.newest_first = q.sort.by_id && q.sort.descending;
    scope.lowest = rows == q.page_size ? last_id : 0;
    if (q.cursor) scope.below = *q.cursor;
    scope.membership = membership_aspects(depends_on(f));
    pages_.put(key, versions.all, fresh);
    page = std::move(fresh);
  }
  return document(*page, total(*conn, f, q.count, versions));
}

std::int64_t LeadService::slice(const Filter& f, std::int64_t after_id, std::int64_t limit,
                                const std::function<void(const storage::Row&)>& on_row) {
  Sort by_id;
  by_id.descending = false;
  by_id.order_by = by_id.order("leads.id");
  std::int64_t rows = 0;
  auto conn = db_.acquire();
  store_.page(*conn, f, by_id, limit, 0, after_id, [&](const storage::Row& r) {
    ++rows;
    on_row(r);
  });
  return rows;
}

Lead LeadService::get(std::int64_t id) {
  auto conn = db_.acquire();
  auto lead = store_.by_id(*conn, id);
  if (!lead) throw NotFound("no lead with id " + std::to_string(id));
  return *lead;
}

// Checked before the write; a user deleted in between makes the write fail
// its foreign key, which owner_problem() reports the same way.
void LeadService::check_owner(const std::optional<std::int64_t>& owner) const {
  if (owner && !users_.exists(*owner)) throw owner_problem(*owner);
}

Lead LeadService::create(const LeadInput& in) {
  check_owner(in.owner_id);
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  if (auto existing = store_.id_by_email(*conn, in.email)) throw Conflict(conflict_detail(*existing));
  std::int64_t id = 0;
  try {
    id = store_.insert(*conn, in, now());
  } catch (const storage::UniqueViolation&) {
    throw Conflict("a lead with this email already exists");
  } catch (const storage::ConstraintViolation&) {
    if (!in.owner_id) throw;
    throw owner_problem(*in.owner_id);
  }
  store_.link_tags(*conn, id, in.tags);
  store_.added(*conn);
  auto lead = store_.by_id(*conn, id);
  tx.commit();
  return *lead;
}

Lead LeadService::update(std::int64_t id, const LeadPatch& patch) {
  if (patch.owner_id) check_owner(*patch.owner_id);
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto lead = store_.by_id(*conn, id);
  if (!lead) throw NotFound("no lead with id " + std::to_string(id));
  if (patch.email && *patch.email != lead->email) {
    if (auto existing = store_.id_by_email(*conn, *patch.email)) throw Conflict(conflict_detail(*existing));
  }
  apply_patch(*lead, patch);
  try {
    store_.update(*conn, *lead, now());
  } catch (const storage::UniqueViolation&) {
    throw Conflict("a lead with this email already exists");
  } catch (const storage::ConstraintViolation&) {
    if (!patch.owner_id || !*patch.owner_id) throw;
    throw owner_problem(**patch.owner_id);
  }
  if (patch.tags) store_.link_tags(*conn, id, *patch.tags);
  auto updated = store_.by_id(*conn, id);
  tx.commit();
  return *updated;
}

void LeadService::remove(std::int64_t id) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  if (!store_.remove(*conn, id)) throw NotFound("no lead with id " + std::to_string(id));
  tx.commit();
}

std::int64_t LeadService::bulk(const BulkRequest& r) {
  if (r.action == BulkAction::SetOwner) check_owner(r.owner_id);
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  Filter f = resolve(*conn, r.filter);
  auto t = now();
  std::int64_t n = 0;
  switch (r.action) {
    case BulkAction::Tag:
      n = store_.bulk_tag(*conn, f, r.tag, t);
      break;
    case BulkAction::Untag:
      n = store_.bulk_untag(*conn, f, r.tag, t);
      break;
    case BulkAction::SetStatus:
      n = store_.bulk_set_status(*conn, f, r.status, t);
      break;
    case BulkAction::SetOwner:
      try {
        n = store_.bulk_set_owner(*conn, f, r.owner_id, t);
      } catch (const storage::ConstraintViolation&) {
        if (!r.owner_id) throw;
        throw owner_problem(*r.owner_id);
      }
      break;
    case BulkAction::Delete:
      n = store_.bulk_delete(*conn, f);
      break;
  }
  tx.commit();
  return n;
}

}  // namespace herald::leads
