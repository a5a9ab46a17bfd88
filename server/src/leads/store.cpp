#include "leads/store.hpp"

#include "leads/search.hpp"
#include "storage/query.hpp"

namespace herald::leads {

using storage::Param;
using storage::Row;
using sv = std::string_view;

namespace {

const storage::Query kVersions{"leads.versions"};
const storage::Query kCounted{"leads.counted"};
const storage::Query kCreatedBetween{"leads.created_between"};
const storage::Query kAdded{"leads.added"};
const storage::Query kChangesSince{"leads.changes_since"};
const storage::Query kPagePrefix{"leads.page_prefix"};
const storage::Query kSearchPagePrefix{"leads.search_page_prefix"};
const storage::Query kPageClose{"leads.page_close"};
const storage::Query kPageByIdPrefix{"leads.page_by_id_prefix"};
const storage::Query kCountPrefix{"leads.count_prefix"};
const storage::Query kSearchCountPrefix{"leads.search_count_prefix"};
const storage::Query kCountClose{"leads.count_close"};
const storage::Query kBlockCountPrefix{"leads.block_count_prefix"};
const storage::Query kBlockCountClose{"leads.block_count_close"};
const storage::Query kById{"leads.by_id"};
const storage::Query kIdByEmail{"leads.id_by_email"};
const storage::Query kInsert{"leads.insert"};
const storage::Query kUpdate{"leads.update"};
const storage::Query kRemove{"leads.delete"};
const storage::Query kTagsClear{"leads.tags_clear"};
const storage::Query kTagLink{"leads.tag_link"};
const storage::Query kTagLinksForIds{"leads.tag_links_for_ids"};
const storage::Query kTagUnlinksForIds{"leads.tag_unlinks_for_ids"};
const storage::Query kSetStatus{"leads.set_status"};
const storage::Query kSetScore{"leads.set_score"};
const storage::Query kBulkStatus{"leads.bulk_status_prefix"};
const storage::Query kBulkOwner{"leads.bulk_owner_prefix"};
const storage::Query kBulkDelete{"leads.bulk_delete_prefix"};
const storage::Query kBulkTag{"leads.bulk_tag_prefix"};
const storage::Query kBulkUntag{"leads.bulk_untag_prefix"};

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
  kScoreReasons,
  kImportId,
  kImportLine
};

std::int64_t scalar(Connection& c, const storage::Query& query, std::initializer_list<Param> params) {
  std::int64_t v = 0;
  c.execute(query, params, [&](const Row& r) { v = r.integer(0); });
  return v;
}

Param opt_int(const std::optional<std::int64_t>& v) { return v ? Param(*v) : Param(nullptr); }
}  // namespace

LeadView view_of(const Row& r) {
  LeadView v;
  v.id = r.integer(kId);
  v.email = r.text(kEmail);
  v.first_name = r.text(kFirstName);
  v.last_name = r.text(kLastName);
  v.company = r.text(kCompany);
  v.title = r.text(kTitle);
  v.phone = r.text(kPhone);
  v.website = r.text(kWebsite);
  v.country = r.text(kCountry);
  v.timezone = r.text(kTimezone);
  v.status = r.text(kStatus);
  v.score = r.integer(kScore);
  if (!r.is_null(kOwner)) v.owner_id = r.integer(kOwner);
  v.tags_json = r.text(kTags);
  v.custom_fields_json = r.text(kCustom);
  v.source = r.text(kSource);
  v.created_at = r.text(kCreated);
  v.updated_at = r.text(kUpdated);
  if (!r.is_null(kLastContacted)) v.last_contacted_at = r.text(kLastContacted);
  if (!r.is_null(kLastActivity)) v.last_activity_at = r.text(kLastActivity);
  v.score_reasons_json = r.text(kScoreReasons);
  return v;
}

Lead lead_from_row(const Row& r) {
  const LeadView v = view_of(r);
  Lead l;
  l.id = v.id;
  l.email = v.email;
  l.first_name = v.first_name;
  l.last_name = v.last_name;
  l.company = v.company;
  l.title = v.title;
  l.phone = v.phone;
  l.website = v.website;
  l.country = v.country;
  l.timezone = v.timezone;
  l.status = v.status;
  l.score = v.score;
  l.owner_id = v.owner_id;
  l.tags_json = v.tags_json;
  l.custom_fields_json = v.custom_fields_json;
  l.source = v.source;
  l.created_at = v.created_at;
  l.updated_at = v.updated_at;
  if (v.last_contacted_at) l.last_contacted_at = std::string(*v.last_contacted_at);
  if (v.last_activity_at) l.last_activity_at = std::string(*v.last_activity_at);
  l.score_reasons_json = v.score_reasons_json;
  if (r.size() > kImportLine) {  // leads.by_id and imports.existing; a page row stops before
    l.import_id = r.opt_integer(kImportId);
    l.import_line = r.opt_integer(kImportLine);
  }
  return l;
}

std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "]";
}

LeadStore::LeadStore(storage::Backend backend) : backend_(backend) {}

// ---- leads ---------------------------------------------------------------

namespace {

Versions versions_at(const Row& r, int first) {
  return Versions{r.integer(first),     r.integer(first + 1), r.integer(first + 2), r.integer(first + 3),
                  r.integer(first + 4), r.integer(first + 5), r.integer(first + 6)};
}

// The statement's start: the plain prefix, or the search one with q's
// narrowing parameter bound first (its $1) when the filter has an indexable
// q. Returns that q, or null.
const std::string* start(BoundSql& sql, const Filter& f, const storage::Query& plain, const storage::Query& search) {
  const std::string* driver = search_driver(f);
  if (!driver) {
    sql.sql = plain.sql(sql.backend());
    return nullptr;
  }
  sql.text(search_parameter(sql.backend(), *driver));
  sql.sql = search.sql(sql.backend());
  return driver;
}

// No condition at all: every lead.
bool unconditional(const Filter& f) {
  return !f.impossible && !f.segment_id && f.ids.empty() && depends_on(f) == Depends{};
}

}  // namespace

Versions LeadStore::versions(Connection& c) const {
  Versions v;
  c.execute(kVersions, {}, [&](const Row& r) { v = versions_at(r, 0); });
  return v;
}

std::vector<Change> LeadStore::changes_since(Connection& c, std::int64_t after, std::int64_t limit) const {
  std::vector<Change> out;
  c.execute(kChangesSince, {after, limit}, [&](const Row& r) {
    out.push_back(Change{r.integer(0), r.opt_integer(1), static_cast<unsigned>(r.integer(2))});
  });
  return out;
}

std::int64_t LeadStore::created_between(Connection& c, std::string_view from, std::string_view to) const {
  std::int64_t n = 0;
  c.execute(kCreatedBetween, {from, to}, [&](const storage::Row& r) { n = r.integer(0); });
  return n;
}

std::int64_t LeadStore::counted(Connection& c, const std::vector<std::string>& keys) const {
  std::int64_t n = 0;
  for (const auto& key : keys) c.execute(kCounted, {sv(key)}, [&](const Row& r) { n += r.integer(0); });
  return n;
}

std::pair<Versions, std::int64_t> LeadStore::count(Connection& c, const Filter& f,
                                                   std::optional<std::int64_t> limit) const {
  BoundSql sql(backend_);
  const std::string* narrowed = start(sql, f, kCountPrefix, kSearchCountPrefix);
  append_conditions(f, sql, narrowed);
  if (limit) sql.sql += " LIMIT " + sql.integer(*limit);
  sql.sql += kCountClose.sql(backend_);
  std::pair<Versions, std::int64_t> out{};
  c.execute(sql.sql, sql.params, [&](const Row& r) { out = {versions_at(r, 0), r.integer(7)}; });
  return out;
}

BlockCounting LeadStore::count_blocks(Connection& c, const Filter& f,
                                      std::optional<std::pair<std::int64_t, std::int64_t>> blocks) const {
  BoundSql sql(backend_);
  sql.sql = kBlockCountPrefix.sql(backend_);
  if (blocks) {
    sql.sql += " AND leads.id >= " + sql.integer(blocks->first * kCountBlock);
    sql.sql += " AND leads.id < " + sql.integer((blocks->second + 1) * kCountBlock);
  }
  append_conditions(f, sql);
  sql.sql += kBlockCountClose.sql(backend_);
  BlockCounting out;
  c.execute(sql.sql, sql.params, [&](const Row& r) {
    out.at = versions_at(r, 0);
    out.top = r.integer(7);
    if (!r.is_null(8)) out.blocks.push_back(BlockCount{r.integer(8), r.integer(9)});
  });
  return out;
}

void LeadStore::page(Connection& c, const Filter& f, const Sort& sort, std::int64_t limit, std::int64_t offset,
                     std::optional<std::int64_t> after_id, const std::function<void(const Row&)>& on_row) const {
  BoundSql sql(backend_);
  if (sort.by_id && offset == 0 && unconditional(f)) {
    // Every lead from the cursor (or the top) on: the rows along the primary key.
    sql.sql = kPageByIdPrefix.sql(backend_);
    if (after_id) sql.sql += std::string(" AND leads.id") + (sort.descending ? " < " : " > ") + sql.integer(*after_id);
    sql.sql += " ORDER BY " + sort.order_by + " LIMIT " + sql.integer(limit);
    c.execute(sql.sql, sql.params, on_row);
    return;
  }
  const std::string* narrowed = start(sql, f, kPagePrefix, kSearchPagePrefix);
  // Walking the search index in its own order needs its rowid in ORDER BY and the keyset.
  const std::string id = std::string(narrowed ? search_id_column(backend_) : "leads.id");
  append_conditions(f, sql, narrowed);
  if (after_id) sql.sql += " AND " + id + (sort.descending ? " < " : " > ") + sql.integer(*after_id);
  auto lim = sql.integer(limit);
  auto off = sql.integer(offset);
  sql.sql += " ORDER BY " + sort.order(id) + " LIMIT " + lim + " OFFSET " + off + kPageClose.sql(backend_) +
             " ORDER BY " + sort.order_by;
  c.execute(sql.sql, sql.params, on_row);
}

std::optional<Lead> LeadStore::by_id(Connection& c, std::int64_t id) const {
  std::optional<Lead> out;
  c.execute(kById, {id}, [&](const Row& r) { out = lead_from_row(r); });
  return out;
}

std::optional<std::int64_t> LeadStore::id_by_email(Connection& c, sv email) const {
  std::optional<std::int64_t> out;
  c.execute(kIdByEmail, {email}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t LeadStore::insert(Connection& c, const LeadInput& in, const std::string& now) const {
  auto tags = tags_to_json(in.tags);
  auto custom = in.custom_fields.dump();
  return scalar(c, kInsert,
                {sv(in.email), sv(in.first_name), sv(in.last_name), sv(in.company), sv(in.title), sv(in.phone),
                 sv(in.website), sv(in.country), sv(in.timezone), sv(in.status), in.score, opt_int(in.owner_id),
                 sv(tags), sv(custom), sv(in.source), nullptr, sv(now)});
}

void LeadStore::added(Connection& c) const { c.execute(kAdded); }

void LeadStore::update(Connection& c, const Lead& l, const std::string& now) const {
  c.execute(kUpdate,
            {l.id, sv(l.email), sv(l.first_name), sv(l.last_name), sv(l.company), sv(l.title), sv(l.phone),
             sv(l.website), sv(l.country), sv(l.timezone), sv(l.status), l.score, opt_int(l.owner_id), sv(l.tags_json),
             sv(l.custom_fields_json), sv(l.source), opt_int(l.import_id), sv(now), opt_int(l.import_line)});
}

bool LeadStore::remove(Connection& c, std::int64_t id) const { return c.execute(kRemove, {id}) > 0; }

void LeadStore::link_tags(Connection& c, std::int64_t id, const std::vector<std::string>& tags) const {
  c.execute(kTagsClear, {id});
  for (const auto& t : tags) c.execute(kTagLink, {id, sv(t)});
}

void LeadStore::set_status(Connection& c, std::int64_t id, sv status, const std::string& now) const {
  c.execute(kSetStatus, {id, status, sv(now)});
}

void LeadStore::set_score(Connection& c, std::int64_t id, std::int64_t score, sv reasons_json) const {
  c.execute(kSetScore, {id, score, reasons_json});
}

// ---- bulk ------------------------------------------------------------------

std::int64_t LeadStore::run_bulk(Connection& c, const storage::Query& prefix, std::initializer_list<Param> own,
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

std::int64_t LeadStore::bulk_set_status(Connection& c, const Filter& f, sv status, const std::string& now) const {
  return run_bulk(c, kBulkStatus, {status, sv(now)}, f, false, nullptr);
}

std::int64_t LeadStore::bulk_set_owner(Connection& c, const Filter& f, std::optional<std::int64_t> owner,
                                       const std::string& now) const {
  return run_bulk(c, kBulkOwner, {opt_int(owner), sv(now)}, f, false, nullptr);
}

std::int64_t LeadStore::bulk_delete(Connection& c, const Filter& f) const {
  return run_bulk(c, kBulkDelete, {}, f, false, nullptr);
}

// The JSON column changes first (its WHERE reads the links as they were),
// then the links follow for exactly the leads that changed.
std::int64_t LeadStore::bulk_tag(Connection& c, const Filter& f, sv tag, const std::string& now) const {
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

std::int64_t LeadStore::bulk_untag(Connection& c, const Filter& f, sv tag, const std::string& now) const {
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

}  // namespace herald::leads
