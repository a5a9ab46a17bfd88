#include "leads/store.hpp"

#include "leads/json_writer.hpp"
#include "storage/query.hpp"

namespace herald::leads {

using storage::Param;
using storage::Row;
using sv = std::string_view;

namespace {

const storage::Query kVersion{"leads.version"};
const storage::Query kBumpVersion{"leads.bump_version"};
const storage::Query kPagePrefix{"leads.page_prefix"};
const storage::Query kPageClose{"leads.page_close"};
const storage::Query kCountPrefix{"leads.count_prefix"};
const storage::Query kById{"leads.by_id"};
const storage::Query kIdByEmail{"leads.id_by_email"};
const storage::Query kInsert{"leads.insert"};
const storage::Query kUpdate{"leads.update"};
const storage::Query kRemove{"leads.delete"};
const storage::Query kTagsClear{"leads.tags_clear"};
const storage::Query kTagLink{"leads.tag_link"};
const storage::Query kTagLinksForIds{"leads.tag_links_for_ids"};
const storage::Query kTagUnlinksForIds{"leads.tag_unlinks_for_ids"};
const storage::Query kUserExists{"leads.user_exists"};
const storage::Query kUsers{"leads.users"};
const storage::Query kBulkStatus{"leads.bulk_status_prefix"};
const storage::Query kBulkOwner{"leads.bulk_owner_prefix"};
const storage::Query kBulkDelete{"leads.bulk_delete_prefix"};
const storage::Query kBulkTag{"leads.bulk_tag_prefix"};
const storage::Query kBulkUntag{"leads.bulk_untag_prefix"};
const storage::Query kSegmentsList{"segments.list"};
const storage::Query kSegmentsCount{"segments.count"};
const storage::Query kSegmentById{"segments.by_id"};
const storage::Query kSegmentByName{"segments.by_name"};
const storage::Query kSegmentInsert{"segments.insert"};
const storage::Query kSegmentUpdate{"segments.update"};
const storage::Query kSegmentDelete{"segments.delete"};
const storage::Query kSuppressionsList{"suppressions.list"};
const storage::Query kSuppressionsCount{"suppressions.count"};
const storage::Query kSuppressionById{"suppressions.by_id"};
const storage::Query kSuppressionInsert{"suppressions.insert"};
const storage::Query kSuppressionUpdate{"suppressions.update"};
const storage::Query kSuppressionForgetValue{"suppressions.forget_value"};
const storage::Query kSuppressionIdByHash{"suppressions.id_by_hash"};
const storage::Query kSuppressionDelete{"suppressions.delete"};
const storage::Query kSuppressionMatches{"suppressions.matches"};

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

std::int64_t scalar(Connection& c, const storage::Query& query, std::initializer_list<Param> params) {
  std::int64_t v = 0;
  c.execute(query, params, [&](const Row& r) { v = r.integer(0); });
  return v;
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

Store::Store(storage::Backend backend) : backend_(backend) {}

// ---- leads ---------------------------------------------------------------

std::int64_t Store::version(Connection& c) const { return scalar(c, kVersion, {}); }
void Store::bump_version(Connection& c) const { c.execute(kBumpVersion); }

std::pair<std::int64_t, std::int64_t> Store::count(Connection& c, const Filter& f) const {
  BoundSql sql(backend_);
  sql.sql = kCountPrefix.sql(backend_);
  append_conditions(f, sql);
  std::pair<std::int64_t, std::int64_t> out{0, 0};
  c.execute(sql.sql, sql.params, [&](const Row& r) { out = {r.integer(0), r.integer(1)}; });
  return out;
}

void Store::page(Connection& c, const Filter& f, const Sort& sort, std::int64_t limit, std::int64_t offset,
                 std::optional<std::int64_t> after_id, const std::function<void(const Row&)>& on_row) const {
  BoundSql sql(backend_);
  const std::string& prefix = kPagePrefix.sql(backend_);
  sql.sql.reserve(prefix.size() + 256);
  sql.sql = prefix;
  append_conditions(f, sql);
  if (after_id) sql.sql += (sort.descending ? " AND leads.id < " : " AND leads.id > ") + sql.integer(*after_id);
  auto lim = sql.integer(limit);
  auto off = sql.integer(offset);
  sql.sql += " ORDER BY " + sort.order_by + " LIMIT " + lim + " OFFSET " + off + kPageClose.sql(backend_) +
             " ORDER BY " + sort.order_by;
  c.execute(sql.sql, sql.params, on_row);
}

std::optional<Lead> Store::by_id(Connection& c, std::int64_t id) const {
  std::optional<Lead> out;
  c.execute(kById, {id}, [&](const Row& r) { out = lead_from_row(r); });
  return out;
}

std::optional<std::int64_t> Store::id_by_email(Connection& c, sv email) const {
  std::optional<std::int64_t> out;
  c.execute(kIdByEmail, {email}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t Store::insert(Connection& c, const LeadInput& in, const std::string& now) const {
  auto tags = tags_to_json(in.tags);
  auto custom = in.custom_fields.dump();
  return scalar(c, kInsert,
                {sv(in.email), sv(in.first_name), sv(in.last_name), sv(in.company), sv(in.title), sv(in.phone),
                 sv(in.website), sv(in.country), sv(in.timezone), sv(in.status), in.score, opt_int(in.owner_id),
                 sv(tags), sv(custom), sv(in.source), nullptr, sv(now)});
}

void Store::update(Connection& c, const Lead& l, const std::string& now) const {
  c.execute(kUpdate,
            {l.id, sv(l.email), sv(l.first_name), sv(l.last_name), sv(l.company), sv(l.title), sv(l.phone),
             sv(l.website), sv(l.country), sv(l.timezone), sv(l.status), l.score, opt_int(l.owner_id), sv(l.tags_json),
             sv(l.custom_fields_json), sv(l.source), opt_int(l.import_id), sv(now), opt_int(l.import_line)});
}

bool Store::remove(Connection& c, std::int64_t id) const { return c.execute(kRemove, {id}) > 0; }

void Store::link_tags(Connection& c, std::int64_t id, const std::vector<std::string>& tags) const {
  c.execute(kTagsClear, {id});
  for (const auto& t : tags) c.execute(kTagLink, {id, sv(t)});
}

bool Store::user_exists(Connection& c, std::int64_t id) const { return scalar(c, kUserExists, {id}) > 0; }

std::unordered_map<std::string, std::int64_t> Store::users(Connection& c) const {
  std::unordered_map<std::string, std::int64_t> out;
  c.execute(kUsers, {}, [&](const Row& r) {
    out.emplace(r.str(1), r.integer(0));
    out.emplace(std::to_string(r.integer(0)), r.integer(0));
  });
  return out;
}

// ---- bulk ------------------------------------------------------------------

std::int64_t Store::run_bulk(Connection& c, const storage::Query& prefix, std::initializer_list<Param> own,
                             const Filter& f, bool returning_ids, std::vector<std::int64_t>* ids) const {
  BoundSql sql(backend_, static_cast<int>(own.size()) + 1);
  sql.sql = prefix.sql(backend_);
  append_conditions(f, sql);
  std::vector<Param> params(own);
  params.insert(params.end(), sql.params.begin(), sql.params.end());
  if (!returning_ids) return c.execute(sql.sql, params);
  sql.sql += " RETURNING leads.id";
  return c.execute(sql.sql, params, [&](const Row& r) { ids->push_back(r.integer(0)); });
}

std::int64_t Store::bulk_set_status(Connection& c, const Filter& f, sv status, const std::string& now) const {
  return run_bulk(c, kBulkStatus, {status, sv(now)}, f, false, nullptr);
}

std::int64_t Store::bulk_set_owner(Connection& c, const Filter& f, std::optional<std::int64_t> owner,
                                   const std::string& now) const {
  return run_bulk(c, kBulkOwner, {opt_int(owner), sv(now)}, f, false, nullptr);
}

std::int64_t Store::bulk_delete(Connection& c, const Filter& f) const {
  return run_bulk(c, kBulkDelete, {}, f, false, nullptr);
}

// The JSON column changes first (its WHERE reads the links as they were),
// then the links follow for exactly the leads that changed.
std::int64_t Store::bulk_tag(Connection& c, const Filter& f, sv tag, const std::string& now) const {
  std::vector<std::int64_t> ids;
  run_bulk(c, kBulkTag, {tag, sv(now)}, f, true, &ids);
  constexpr std::size_t kSlice = 10000;
  for (std::size_t i = 0; i < ids.size(); i += kSlice) {
    std::vector<std::int64_t> slice(ids.begin() + static_cast<long>(i),
                                    ids.begin() + static_cast<long>(std::min(ids.size(), i + kSlice)));
    auto list = id_array(slice);
    c.execute(kTagLinksForIds, {tag, sv(list)});
  }
  return static_cast<std::int64_t>(ids.size());
}

std::int64_t Store::bulk_untag(Connection& c, const Filter& f, sv tag, const std::string& now) const {
  std::vector<std::int64_t> ids;
  run_bulk(c, kBulkUntag, {tag, sv(now)}, f, true, &ids);
  constexpr std::size_t kSlice = 10000;
  for (std::size_t i = 0; i < ids.size(); i += kSlice) {
    std::vector<std::int64_t> slice(ids.begin() + static_cast<long>(i),
                                    ids.begin() + static_cast<long>(std::min(ids.size(), i + kSlice)));
    auto list = id_array(slice);
    c.execute(kTagUnlinksForIds, {tag, sv(list)});
  }
  return static_cast<std::int64_t>(ids.size());
}

// ---- segments --------------------------------------------------------------

std::vector<Segment> Store::list_segments(Connection& c, std::int64_t limit, std::int64_t offset) const {
  std::vector<Segment> out;
  c.execute(kSegmentsList, {limit, offset}, [&](const Row& r) { out.push_back(segment_from(r)); });
  return out;
}

std::int64_t Store::count_segments(Connection& c) const { return scalar(c, kSegmentsCount, {}); }

std::optional<Segment> Store::segment(Connection& c, std::int64_t id) const {
  std::optional<Segment> out;
  c.execute(kSegmentById, {id}, [&](const Row& r) { out = segment_from(r); });
  return out;
}

std::optional<std::int64_t> Store::segment_by_name(Connection& c, sv name) const {
  std::optional<std::int64_t> out;
  c.execute(kSegmentByName, {name}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t Store::insert_segment(Connection& c, const Segment& s, const std::string& now) const {
  auto filter = s.filter.dump();
  return scalar(c, kSegmentInsert, {sv(s.name), sv(s.description), sv(filter), opt_int(s.created_by), sv(now)});
}

void Store::update_segment(Connection& c, const Segment& s, const std::string& now) const {
  auto filter = s.filter.dump();
  c.execute(kSegmentUpdate, {s.id, sv(s.name), sv(s.description), sv(filter), sv(now)});
}

bool Store::delete_segment(Connection& c, std::int64_t id) const { return c.execute(kSegmentDelete, {id}) > 0; }

// ---- suppressions ----------------------------------------------------------

std::vector<Suppression> Store::list_suppressions(Connection& c, const SuppressionQuery& q) const {
  std::vector<Suppression> out;
  c.execute(kSuppressionsList, {opt_text(q.kind), opt_text(q.reason), opt_text(q.like), q.limit, q.offset},
            [&](const Row& r) { out.push_back(suppression_from(r)); });
  return out;
}

std::int64_t Store::count_suppressions(Connection& c, const SuppressionQuery& q) const {
  return scalar(c, kSuppressionsCount, {opt_text(q.kind), opt_text(q.reason), opt_text(q.like)});
}

std::optional<Suppression> Store::suppression(Connection& c, std::int64_t id) const {
  std::optional<Suppression> out;
  c.execute(kSuppressionById, {id}, [&](const Row& r) { out = suppression_from(r); });
  return out;
}

std::optional<std::int64_t> Store::suppression_by_hash(Connection& c, sv hash) const {
  std::optional<std::int64_t> out;
  c.execute(kSuppressionIdByHash, {hash}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t Store::insert_suppression(Connection& c, const Suppression& s) const {
  return scalar(c, kSuppressionInsert,
                {sv(s.kind), opt_text(s.value), sv(s.value_hash), sv(s.reason), sv(s.note), opt_int(s.created_by),
                 sv(s.created_at)});
}

void Store::update_suppression(Connection& c, const Suppression& s) const {
  c.execute(kSuppressionUpdate, {s.id, sv(s.reason), sv(s.note)});
}

void Store::forget_suppression_value(Connection& c, sv hash) const { c.execute(kSuppressionForgetValue, {hash}); }

bool Store::delete_suppression(Connection& c, std::int64_t id) const { return c.execute(kSuppressionDelete, {id}) > 0; }

bool Store::suppressed(Connection& c, sv email_hash, sv domain_hash) const {
  return scalar(c, kSuppressionMatches, {email_hash, domain_hash}) > 0;
}

}  // namespace herald::leads
