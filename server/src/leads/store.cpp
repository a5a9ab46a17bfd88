#include "leads/store.hpp"

#include "leads/json_writer.hpp"
#include "storage/queries.hpp"

namespace herald::leads {

using storage::Param;
using storage::Row;
using sv = std::string_view;

struct Store::Queries {
  explicit Queries(const storage::QueryCatalog& c)
      : version(c.get("leads.version")),
        bump_version(c.get("leads.bump_version")),
        page_prefix(c.get("leads.page_prefix")),
        page_close(c.get("leads.page_close")),
        count_prefix(c.get("leads.count_prefix")),
        by_id(c.get("leads.by_id")),
        id_by_email(c.get("leads.id_by_email")),
        insert(c.get("leads.insert")),
        update(c.get("leads.update")),
        remove(c.get("leads.delete")),
        tags_clear(c.get("leads.tags_clear")),
        tag_link(c.get("leads.tag_link")),
        tag_links_for_ids(c.get("leads.tag_links_for_ids")),
        tag_unlinks_for_ids(c.get("leads.tag_unlinks_for_ids")),
        user_exists(c.get("leads.user_exists")),
        users(c.get("leads.users")),
        bulk_status(c.get("leads.bulk_status_prefix")),
        bulk_owner(c.get("leads.bulk_owner_prefix")),
        bulk_delete(c.get("leads.bulk_delete_prefix")),
        bulk_tag(c.get("leads.bulk_tag_prefix")),
        bulk_untag(c.get("leads.bulk_untag_prefix")),
        segments_list(c.get("segments.list")),
        segments_count(c.get("segments.count")),
        segment_by_id(c.get("segments.by_id")),
        segment_by_name(c.get("segments.by_name")),
        segment_insert(c.get("segments.insert")),
        segment_update(c.get("segments.update")),
        segment_delete(c.get("segments.delete")),
        suppressions_list(c.get("suppressions.list")),
        suppressions_count(c.get("suppressions.count")),
        suppression_by_id(c.get("suppressions.by_id")),
        suppression_insert(c.get("suppressions.insert")),
        suppression_update(c.get("suppressions.update")),
        suppression_forget_value(c.get("suppressions.forget_value")),
        suppression_id_by_hash(c.get("suppressions.id_by_hash")),
        suppression_delete(c.get("suppressions.delete")),
        suppression_matches(c.get("suppressions.matches")) {}
  std::string version, bump_version, page_prefix, page_close, count_prefix, by_id, id_by_email, insert, update, remove,
      tags_clear, tag_link, tag_links_for_ids, tag_unlinks_for_ids, user_exists, users, bulk_status, bulk_owner,
      bulk_delete, bulk_tag, bulk_untag, segments_list, segments_count, segment_by_id, segment_by_name, segment_insert,
      segment_update, segment_delete, suppressions_list, suppressions_count, suppression_by_id, suppression_insert,
      suppression_update, suppression_forget_value, suppression_id_by_hash, suppression_delete, suppression_matches;
};

namespace {

// Column positions of leads.by_id and imports.existing; leads.page_prefix has
// the same up to last_activity_at.
enum Col {
  kId,
  kEmail,
  kFirstName,
  kLastName,
  kCompany,
  kTitle,
  kPhone,
  kWebsite,
  kCountry,
  kTimezone,
  kStatus,
  kScore,
  kOwner,
  kTags,
  kCustom,
  kSource,
  kCreated,
  kUpdated,
  kLastContacted,
  kLastActivity,
  kImportId,
  kImportLine
};

std::int64_t scalar(Connection& c, const std::string& sql, std::span<const Param> params) {
  std::int64_t v = 0;
  c.execute(sql, params, [&](const Row& r) { v = r.integer(0); });
  return v;
}
std::int64_t scalar(Connection& c, const std::string& sql, std::initializer_list<Param> params) {
  return scalar(c, sql, std::span<const Param>(params.begin(), params.size()));
}

Param opt_int(const std::optional<std::int64_t>& v) { return v ? Param(*v) : Param(nullptr); }
Param opt_text(const std::optional<std::string>& v) { return v ? Param(sv(*v)) : Param(nullptr); }

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

Suppression suppression_from(const Row& r) {
  Suppression s;
  s.id = r.integer(0);
  s.kind = r.str(1);
  s.value = r.opt_str(2);
  s.value_hash = r.str(3);
  s.reason = r.str(4);
  s.note = r.str(5);
  s.created_by = r.opt_integer(6);
  s.created_at = r.str(7);
  return s;
}

}  // namespace

Lead lead_from_row(const Row& r) {
  Lead l;
  l.id = r.integer(kId);
  l.email = r.str(kEmail);
  l.first_name = r.str(kFirstName);
  l.last_name = r.str(kLastName);
  l.company = r.str(kCompany);
  l.title = r.str(kTitle);
  l.phone = r.str(kPhone);
  l.website = r.str(kWebsite);
  l.country = r.str(kCountry);
  l.timezone = r.str(kTimezone);
  l.status = r.str(kStatus);
  l.score = r.integer(kScore);
  l.owner_id = r.opt_integer(kOwner);
  l.tags_json = r.str(kTags);
  l.custom_fields_json = r.str(kCustom);
  l.source = r.str(kSource);
  l.created_at = r.str(kCreated);
  l.updated_at = r.str(kUpdated);
  l.last_contacted_at = r.opt_str(kLastContacted);
  l.last_activity_at = r.opt_str(kLastActivity);
  l.import_id = r.opt_integer(kImportId);
  l.import_line = r.opt_integer(kImportLine);
  return l;
}

void append_row_json(std::string& out, const Row& r) {
  JsonWriter w(out);
  w.begin_object();
  w.literal_key("\"id\":").number(r.integer(kId));
  w.literal_key("\"email\":").string(r.text(kEmail));
  w.literal_key("\"first_name\":").string(r.text(kFirstName));
  w.literal_key("\"last_name\":").string(r.text(kLastName));
  w.literal_key("\"company\":").string(r.text(kCompany));
  w.literal_key("\"title\":").string(r.text(kTitle));
  w.literal_key("\"phone\":").string(r.text(kPhone));
  w.literal_key("\"website\":").string(r.text(kWebsite));
  w.literal_key("\"country\":").string(r.text(kCountry));
  w.literal_key("\"timezone\":").string(r.text(kTimezone));
  w.literal_key("\"status\":").string(r.text(kStatus));
  w.literal_key("\"score\":").number(r.integer(kScore));
  w.literal_key("\"owner_id\":");
  if (r.is_null(kOwner))
    w.null();
  else
    w.number(r.integer(kOwner));
  w.literal_key("\"tags\":").raw(r.text(kTags));
  w.literal_key("\"custom_fields\":").raw(r.text(kCustom));
  w.literal_key("\"source\":").string(r.text(kSource));
  w.literal_key("\"created_at\":").string(r.text(kCreated));
  w.literal_key("\"updated_at\":").string(r.text(kUpdated));
  w.literal_key("\"last_contacted_at\":");
  if (r.is_null(kLastContacted))
    w.null();
  else
    w.string(r.text(kLastContacted));
  w.literal_key("\"last_activity_at\":");
  if (r.is_null(kLastActivity))
    w.null();
  else
    w.string(r.text(kLastActivity));
  w.end_object();
}

std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "]";
}

Store::Store(storage::Backend backend)
    : backend_(backend), q_(std::make_shared<Queries>(storage::QueryCatalog::for_backend(backend))) {}

// ---- leads ---------------------------------------------------------------

std::int64_t Store::version(Connection& c) const { return scalar(c, q_->version, {}); }
void Store::bump_version(Connection& c) const { c.execute(q_->bump_version); }

std::pair<std::int64_t, std::int64_t> Store::count(Connection& c, const Filter& f) const {
  BoundSql sql(backend_);
  sql.sql = q_->count_prefix;
  append_conditions(f, sql);
  std::pair<std::int64_t, std::int64_t> out{0, 0};
  c.execute(sql.sql, sql.params, [&](const Row& r) { out = {r.integer(0), r.integer(1)}; });
  return out;
}

void Store::page(Connection& c, const Filter& f, const Sort& sort, std::int64_t limit, std::int64_t offset,
                 std::optional<std::int64_t> after_id, const std::function<void(const Row&)>& on_row) const {
  BoundSql sql(backend_);
  sql.sql.reserve(q_->page_prefix.size() + 256);
  sql.sql = q_->page_prefix;
  append_conditions(f, sql);
  if (after_id) sql.sql += (sort.descending ? " AND leads.id < " : " AND leads.id > ") + sql.integer(*after_id);
  auto lim = sql.integer(limit);
  auto off = sql.integer(offset);
  sql.sql +=
      " ORDER BY " + sort.order_by + " LIMIT " + lim + " OFFSET " + off + q_->page_close + " ORDER BY " + sort.order_by;
  c.execute(sql.sql, sql.params, on_row);
}

std::optional<Lead> Store::by_id(Connection& c, std::int64_t id) const {
  std::optional<Lead> out;
  c.execute(q_->by_id, {id}, [&](const Row& r) { out = lead_from_row(r); });
  return out;
}

std::optional<std::int64_t> Store::id_by_email(Connection& c, sv email) const {
  std::optional<std::int64_t> out;
  c.execute(q_->id_by_email, {email}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t Store::insert(Connection& c, const LeadInput& in, const std::string& now) const {
  auto tags = tags_to_json(in.tags);
  auto custom = in.custom_fields.dump();
  return scalar(c, q_->insert,
                {sv(in.email), sv(in.first_name), sv(in.last_name), sv(in.company), sv(in.title), sv(in.phone),
                 sv(in.website), sv(in.country), sv(in.timezone), sv(in.status), in.score, opt_int(in.owner_id),
                 sv(tags), sv(custom), sv(in.source), nullptr, sv(now)});
}

void Store::update(Connection& c, const Lead& l, const std::string& now) const {
  c.execute(q_->update,
            {l.id, sv(l.email), sv(l.first_name), sv(l.last_name), sv(l.company), sv(l.title), sv(l.phone),
             sv(l.website), sv(l.country), sv(l.timezone), sv(l.status), l.score, opt_int(l.owner_id), sv(l.tags_json),
             sv(l.custom_fields_json), sv(l.source), opt_int(l.import_id), sv(now), opt_int(l.import_line)});
}

bool Store::remove(Connection& c, std::int64_t id) const { return c.execute(q_->remove, {id}) > 0; }

void Store::link_tags(Connection& c, std::int64_t id, const std::vector<std::string>& tags) const {
  c.execute(q_->tags_clear, {id});
  for (const auto& t : tags) c.execute(q_->tag_link, {id, sv(t)});
}

bool Store::user_exists(Connection& c, std::int64_t id) const { return scalar(c, q_->user_exists, {id}) > 0; }

std::unordered_map<std::string, std::int64_t> Store::users(Connection& c) const {
  std::unordered_map<std::string, std::int64_t> out;
  c.execute(q_->users, {}, [&](const Row& r) {
    out.emplace(r.str(1), r.integer(0));
    out.emplace(std::to_string(r.integer(0)), r.integer(0));
  });
  return out;
}

// ---- bulk ------------------------------------------------------------------

std::int64_t Store::run_bulk(Connection& c, const std::string& prefix, std::initializer_list<Param> own,
                             const Filter& f, bool returning_ids, std::vector<std::int64_t>* ids) const {
  BoundSql sql(backend_, static_cast<int>(own.size()) + 1);
  sql.sql = prefix;
  append_conditions(f, sql);
  std::vector<Param> params(own);
  params.insert(params.end(), sql.params.begin(), sql.params.end());
  if (!returning_ids) return c.execute(sql.sql, params);
  sql.sql += " RETURNING leads.id";
  return c.execute(sql.sql, params, [&](const Row& r) { ids->push_back(r.integer(0)); });
}

std::int64_t Store::bulk_set_status(Connection& c, const Filter& f, sv status, const std::string& now) const {
  return run_bulk(c, q_->bulk_status, {status, sv(now)}, f, false, nullptr);
}

std::int64_t Store::bulk_set_owner(Connection& c, const Filter& f, std::optional<std::int64_t> owner,
                                   const std::string& now) const {
  return run_bulk(c, q_->bulk_owner, {opt_int(owner), sv(now)}, f, false, nullptr);
}

std::int64_t Store::bulk_delete(Connection& c, const Filter& f) const {
  return run_bulk(c, q_->bulk_delete, {}, f, false, nullptr);
}

// The JSON column changes first (its WHERE reads the links as they were),
// then the links follow for exactly the leads that changed.
std::int64_t Store::bulk_tag(Connection& c, const Filter& f, sv tag, const std::string& now) const {
  std::vector<std::int64_t> ids;
  run_bulk(c, q_->bulk_tag, {tag, sv(now)}, f, true, &ids);
  constexpr std::size_t kSlice = 10000;
  for (std::size_t i = 0; i < ids.size(); i += kSlice) {
    std::vector<std::int64_t> slice(ids.begin() + static_cast<long>(i),
                                    ids.begin() + static_cast<long>(std::min(ids.size(), i + kSlice)));
    auto list = id_array(slice);
    c.execute(q_->tag_links_for_ids, {tag, sv(list)});
  }
  return static_cast<std::int64_t>(ids.size());
}

std::int64_t Store::bulk_untag(Connection& c, const Filter& f, sv tag, const std::string& now) const {
  std::vector<std::int64_t> ids;
  run_bulk(c, q_->bulk_untag, {tag, sv(now)}, f, true, &ids);
  constexpr std::size_t kSlice = 10000;
  for (std::size_t i = 0; i < ids.size(); i += kSlice) {
    std::vector<std::int64_t> slice(ids.begin() + static_cast<long>(i),
                                    ids.begin() + static_cast<long>(std::min(ids.size(), i + kSlice)));
    auto list = id_array(slice);
    c.execute(q_->tag_unlinks_for_ids, {tag, sv(list)});
  }
  return static_cast<std::int64_t>(ids.size());
}

// ---- segments --------------------------------------------------------------

std::vector<Segment> Store::list_segments(Connection& c, std::int64_t limit, std::int64_t offset) const {
  std::vector<Segment> out;
  c.execute(q_->segments_list, {limit, offset}, [&](const Row& r) { out.push_back(segment_from(r)); });
  return out;
}

std::int64_t Store::count_segments(Connection& c) const { return scalar(c, q_->segments_count, {}); }

std::optional<Segment> Store::segment(Connection& c, std::int64_t id) const {
  std::optional<Segment> out;
  c.execute(q_->segment_by_id, {id}, [&](const Row& r) { out = segment_from(r); });
  return out;
}

std::optional<std::int64_t> Store::segment_by_name(Connection& c, sv name) const {
  std::optional<std::int64_t> out;
  c.execute(q_->segment_by_name, {name}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t Store::insert_segment(Connection& c, const Segment& s, const std::string& now) const {
  auto filter = s.filter.dump();
  return scalar(c, q_->segment_insert, {sv(s.name), sv(s.description), sv(filter), opt_int(s.created_by), sv(now)});
}

void Store::update_segment(Connection& c, const Segment& s, const std::string& now) const {
  auto filter = s.filter.dump();
  c.execute(q_->segment_update, {s.id, sv(s.name), sv(s.description), sv(filter), sv(now)});
}

bool Store::delete_segment(Connection& c, std::int64_t id) const { return c.execute(q_->segment_delete, {id}) > 0; }

// ---- suppressions ----------------------------------------------------------

std::vector<Suppression> Store::list_suppressions(Connection& c, const SuppressionQuery& q) const {
  std::vector<Suppression> out;
  c.execute(q_->suppressions_list, {opt_text(q.kind), opt_text(q.reason), opt_text(q.like), q.limit, q.offset},
            [&](const Row& r) { out.push_back(suppression_from(r)); });
  return out;
}

std::int64_t Store::count_suppressions(Connection& c, const SuppressionQuery& q) const {
  return scalar(c, q_->suppressions_count, {opt_text(q.kind), opt_text(q.reason), opt_text(q.like)});
}

std::optional<Suppression> Store::suppression(Connection& c, std::int64_t id) const {
  std::optional<Suppression> out;
  c.execute(q_->suppression_by_id, {id}, [&](const Row& r) { out = suppression_from(r); });
  return out;
}

std::optional<std::int64_t> Store::suppression_by_hash(Connection& c, sv hash) const {
  std::optional<std::int64_t> out;
  c.execute(q_->suppression_id_by_hash, {hash}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t Store::insert_suppression(Connection& c, const Suppression& s) const {
  return scalar(c, q_->suppression_insert,
                {sv(s.kind), opt_text(s.value), sv(s.value_hash), sv(s.reason), sv(s.note), opt_int(s.created_by),
                 sv(s.created_at)});
}

void Store::update_suppression(Connection& c, const Suppression& s) const {
  c.execute(q_->suppression_update, {s.id, sv(s.reason), sv(s.note)});
}

void Store::forget_suppression_value(Connection& c, sv hash) const { c.execute(q_->suppression_forget_value, {hash}); }

bool Store::delete_suppression(Connection& c, std::int64_t id) const {
  return c.execute(q_->suppression_delete, {id}) > 0;
}

bool Store::suppressed(Connection& c, sv email_hash, sv domain_hash) const {
  return scalar(c, q_->suppression_matches, {email_hash, domain_hash}) > 0;
}

}  // namespace herald::leads
