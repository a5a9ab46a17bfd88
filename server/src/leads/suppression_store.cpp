#include "leads/suppression_store.hpp"

#include "leads/json_writer.hpp"
#include "storage/query.hpp"

namespace herald::leads {
namespace {

using storage::Param;
using storage::Row;
using sv = std::string_view;

const storage::Query kList{"suppressions.list"};
const storage::Query kCount{"suppressions.count"};
const storage::Query kById{"suppressions.by_id"};
const storage::Query kInsert{"suppressions.insert"};
const storage::Query kUpdate{"suppressions.update"};
const storage::Query kForgetValue{"suppressions.forget_value"};
const storage::Query kIdByHash{"suppressions.id_by_hash"};
const storage::Query kDelete{"suppressions.delete"};
const storage::Query kMatches{"suppressions.matches"};
const storage::Query kMatching{"suppressions.matching"};

Param opt_int(const std::optional<std::int64_t>& v) { return v ? Param(*v) : Param(nullptr); }
Param opt_text(const std::optional<std::string>& v) { return v ? Param(sv(*v)) : Param(nullptr); }

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

std::int64_t scalar(storage::Connection& c, const storage::Query& q, std::initializer_list<Param> params) {
  std::int64_t v = 0;
  c.execute(q, params, [&](const Row& r) { v = r.integer(0); });
  return v;
}

}  // namespace

std::vector<Suppression> SuppressionStore::list(Connection& c, const SuppressionQuery& q) const {
  std::vector<Suppression> out;
  c.execute(kList, {opt_text(q.kind), opt_text(q.reason), opt_text(q.like), q.limit, q.offset},
            [&](const Row& r) { out.push_back(suppression_from(r)); });
  return out;
}

std::int64_t SuppressionStore::count(Connection& c, const SuppressionQuery& q) const {
  return scalar(c, kCount, {opt_text(q.kind), opt_text(q.reason), opt_text(q.like)});
}

std::optional<Suppression> SuppressionStore::get(Connection& c, std::int64_t id) const {
  std::optional<Suppression> out;
  c.execute(kById, {id}, [&](const Row& r) { out = suppression_from(r); });
  return out;
}

std::optional<std::int64_t> SuppressionStore::id_by_hash(Connection& c, sv hash) const {
  std::optional<std::int64_t> out;
  c.execute(kIdByHash, {hash}, [&](const Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t SuppressionStore::insert(Connection& c, const Suppression& s) const {
  return scalar(c, kInsert,
                {sv(s.kind), opt_text(s.value), sv(s.value_hash), sv(s.reason), sv(s.note), opt_int(s.created_by),
                 sv(s.created_at)});
}

void SuppressionStore::update(Connection& c, const Suppression& s) const {
  c.execute(kUpdate, {s.id, sv(s.reason), sv(s.note)});
}

void SuppressionStore::forget_value(Connection& c, sv hash) const { c.execute(kForgetValue, {hash}); }

bool SuppressionStore::remove(Connection& c, std::int64_t id) const { return c.execute(kDelete, {id}) > 0; }

bool SuppressionStore::matches(Connection& c, sv email_hash, sv domain_hash) const {
  return scalar(c, kMatches, {email_hash, domain_hash}) > 0;
}

std::unordered_set<std::string> SuppressionStore::matching(Connection& c, std::span<const std::string> hashes) const {
  std::unordered_set<std::string> out;
  if (hashes.empty()) return out;
  std::string list;
  JsonWriter w(list);
  w.begin_array();
  for (const auto& h : hashes) w.string(h);
  w.end_array();
  c.execute(kMatching, {sv(list)}, [&](const Row& r) { out.insert(r.str(0)); });
  return out;
}

}  // namespace herald::leads
