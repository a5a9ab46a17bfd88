#include "templates/store.hpp"

#include "core/strings.hpp"
#include "storage/query.hpp"

namespace herald::templates {
namespace {

using storage::Param;
using storage::Row;
using sv = std::string_view;

const storage::Query kList{"templates.list"};
const storage::Query kCount{"templates.count"};
const storage::Query kSearch{"templates.search"};
const storage::Query kSearchCount{"templates.search_count"};
const storage::Query kById{"templates.by_id"};
const storage::Query kInsert{"templates.insert"};
const storage::Query kSetVersion{"templates.set_version"};
const storage::Query kDelete{"templates.delete"};
const storage::Query kVersionInsert{"templates.version_insert"};
const storage::Query kVersionGet{"templates.version_get"};
const storage::Query kVersionPin{"templates.version_pin"};
const storage::Query kDropUnpinned{"templates.versions_drop_unpinned"};

// id, name, subject, html, text, text_generated, version, created_at, updated_at
Template template_from(const Row& r) {
  Template t;
  t.id = r.integer(0);
  t.name = r.str(1);
  t.subject = r.str(2);
  t.html = r.str(3);
  t.text = r.str(4);
  t.text_generated = r.boolean(5);
  t.version = r.integer(6);
  t.created_at = r.str(7);
  t.updated_at = r.str(8);
  return t;
}

std::int64_t count_of(storage::Connection& c, const storage::Query& q, std::initializer_list<Param> params) {
  std::int64_t n = 0;
  c.execute(q, params, [&](const Row& r) { n = r.integer(0); });
  return n;
}

void insert_version(storage::Connection& c, const Template& t, const std::string& now) {
  c.execute(kVersionInsert,
            {t.id, t.version, sv(t.name), sv(t.subject), sv(t.html), sv(t.text), t.text_generated, sv(now)});
}

}  // namespace

std::string like_pattern(std::string_view q) {
  std::string out = "%";
  for (char ch : to_lower_ascii(q)) {
    if (ch == '\\' || ch == '%' || ch == '_') out += '\\';
    out += ch;
  }
  out += '%';
  return out;
}

std::vector<Template> Store::list(Connection& c, std::int64_t limit, std::int64_t offset) const {
  std::vector<Template> out;
  c.execute(kList, {limit, offset}, [&](const Row& r) { out.push_back(template_from(r)); });
  return out;
}

std::int64_t Store::count(Connection& c) const { return count_of(c, kCount, {}); }

std::vector<Template> Store::search(Connection& c, sv like, std::int64_t limit, std::int64_t offset) const {
  std::vector<Template> out;
  c.execute(kSearch, {like, limit, offset}, [&](const Row& r) { out.push_back(template_from(r)); });
  return out;
}

std::int64_t Store::search_count(Connection& c, sv like) const { return count_of(c, kSearchCount, {like}); }

std::optional<Template> Store::get(Connection& c, std::int64_t id) const {
  std::optional<Template> out;
  c.execute(kById, {id}, [&](const Row& r) { out = template_from(r); });
  return out;
}

std::int64_t Store::insert(Connection& c, const Template& t, std::optional<std::int64_t> created_by,
                           const std::string& now) const {
  std::int64_t id = 0;
  c.execute(kInsert, {sv(t.name), created_by ? Param(*created_by) : Param(nullptr), sv(now)},
            [&](const Row& r) { id = r.integer(0); });
  Template first = t;
  first.id = id;
  first.version = 1;
  insert_version(c, first, now);
  return id;
}

bool Store::add_version(Connection& c, const Template& t, std::int64_t from_version, const std::string& now) const {
  if (c.execute(kSetVersion, {t.id, sv(t.name), from_version, t.version, sv(now)}) == 0) return false;
  insert_version(c, t, now);
  return true;
}

bool Store::remove(Connection& c, std::int64_t id) const {
  if (c.execute(kDelete, {id}) == 0) return false;
  c.execute(kDropUnpinned, {id});
  return true;
}

std::optional<TemplateVersion> Store::version(Connection& c, std::int64_t id, std::int64_t version) const {
  std::optional<TemplateVersion> out;
  c.execute(kVersionGet, {id, version}, [&](const Row& r) {
    out = TemplateVersion{r.integer(0), r.integer(1), r.str(2), r.str(3), r.str(4), r.str(5)};
  });
  return out;
}

bool Store::pin(Connection& c, std::int64_t id, std::int64_t version) const {
  return c.execute(kVersionPin, {id, version}) > 0;
}

}  // namespace herald::templates
