#include "leads/suppressions.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "leads/types.hpp"

namespace herald::leads {
namespace {

// A domain as people write it ("Bücher.de", "@example.com"), in the form
// addresses are stored with: lower case, IDNA 2008 ASCII.
EmailCheck check_domain(std::string_view d) {
  auto domain = trim(d);
  if (domain.starts_with("@")) domain.remove_prefix(1);
  auto as_address = check_email("x@" + std::string(domain));
  if (as_address.ok()) {
    as_address.address.erase(0, 2);
  } else if (as_address.problem == kNotAnAddress) {
    as_address.problem = "is not a valid domain name";
  }
  return as_address;
}

std::optional<std::string> reason_field(const nlohmann::json& body, ValidationError& errors) {
  if (!body.contains("reason")) return std::nullopt;
  const auto& r = body["reason"];
  if (!r.is_string() || r == "gdpr" ||
      std::find(kSuppressionReasons.begin(), kSuppressionReasons.end(), r.get<std::string>()) ==
          kSuppressionReasons.end()) {
    errors.with_field("reason", "must be one of manual, unsubscribe, bounce, complaint");
    return std::nullopt;
  }
  return r.get<std::string>();
}

std::optional<std::string> note_field(const nlohmann::json& body, ValidationError& errors) {
  if (!body.contains("note")) return std::nullopt;
  if (!body["note"].is_string()) {
    errors.with_field("note", "must be a string");
    return std::nullopt;
  }
  if (auto p = text_problem(body["note"].get<std::string>(), 500)) {
    errors.with_field("note", *p);
    return std::nullopt;
  }
  return body["note"].get<std::string>();
}
}  // namespace

std::string suppression_hash(std::string_view value) { return crypto::sha256_hex(value); }

SuppressionInput parse_suppression_input(const nlohmann::json& body) {
  ValidationError errors;
  SuppressionInput in;
  check_fields(body, {"email", "domain", "reason", "note"}, errors, "is not a suppression field");
  bool email = body.contains("email"), domain = body.contains("domain");
  if (email == domain) {
    errors.with_field("email", "send either email or domain");
  } else if (email) {
    in.kind = "email";
    auto e = body["email"].is_string() ? check_email(body["email"].get<std::string>())
                                       : EmailCheck{{}, std::string(kNotAnAddress)};
    if (!e.ok())
      errors.with_field("email", e.problem);
    else
      in.value = std::move(e.address);
  } else {
    in.kind = "domain";
    auto d = body["domain"].is_string() ? check_domain(body["domain"].get<std::string>())
                                        : EmailCheck{{}, "is not a valid domain name"};
    if (!d.ok())
      errors.with_field("domain", d.problem);
    else
      in.value = std::move(d.address);
  }
  if (auto r = reason_field(body, errors)) in.reason = *r;
  if (auto n = note_field(body, errors)) in.note = *n;
  if (!errors.empty()) throw errors;
  return in;
}

SuppressionPatch parse_suppression_patch(const nlohmann::json& body) {
  ValidationError errors;
  check_fields(body, {"reason", "note"}, errors, "cannot be changed; delete and add the entry instead");
  SuppressionPatch p{reason_field(body, errors), note_field(body, errors)};
  if (!errors.empty()) throw errors;
  return p;
}

nlohmann::json to_json(const Suppression& s) {
  return {{"id", s.id},
          {"kind", s.kind},
          {"value", s.value ? nlohmann::json(*s.value) : nlohmann::json(nullptr)},
          {"value_hash", s.value_hash},
          {"reason", s.reason},
          {"note", s.note},
          {"created_by", s.created_by ? nlohmann::json(*s.created_by) : nlohmann::json(nullptr)},
          {"created_at", s.created_at}};
}

std::string SuppressionService::now() const { return rfc3339(clock_.wall()); }

std::pair<std::vector<Suppression>, std::int64_t> SuppressionService::list(const SuppressionQuery& q) {
  auto conn = db_.acquire();
  return {store_.list(*conn, q), store_.count(*conn, q)};
}

Suppression SuppressionService::get(std::int64_t id) {
  auto conn = db_.acquire();
  auto s = store_.get(*conn, id);
  if (!s) throw NotFound("no suppression with id " + std::to_string(id));
  return *s;
}

Suppression SuppressionService::create(const SuppressionInput& in, std::optional<std::int64_t> created_by) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  Suppression s;
  s.kind = in.kind;
  s.value = in.value;
  s.value_hash = suppression_hash(in.value);
  s.reason = in.reason;
  s.note = in.note;
  s.created_by = created_by;
  s.created_at = now();
  if (auto existing = store_.id_by_hash(*conn, s.value_hash))
    throw Conflict("this " + in.kind + " is already suppressed (suppression " + std::to_string(*existing) + ")");
  s.id = store_.insert(*conn, s);
  tx.commit();
  return s;
}

Suppression SuppressionService::update(std::int64_t id, const SuppressionPatch& patch) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto s = store_.get(*conn, id);
  if (!s) throw NotFound("no suppression with id " + std::to_string(id));
  if (patch.reason) s->reason = *patch.reason;
  if (patch.note) s->note = *patch.note;
  store_.update(*conn, *s);
  tx.commit();
  return *s;
}

void SuppressionService::remove(std::int64_t id) {
  auto conn = db_.acquire();
  if (!store_.remove(*conn, id)) throw NotFound("no suppression with id " + std::to_string(id));
}

bool SuppressionService::suppressed(std::string_view email) {
  auto e = normalise_email(email);
  if (!e) return false;
  auto conn = db_.acquire();
  return store_.matches(*conn, suppression_hash(*e), suppression_hash(email_domain(*e)));
}

std::vector<bool> SuppressionService::suppressed(storage::Connection& c, std::span<const std::string_view> emails) {
  std::vector<std::string> hashes;
  hashes.reserve(emails.size() * 2);
  for (auto email : emails) {
    hashes.push_back(suppression_hash(email));
    hashes.push_back(suppression_hash(email_domain(email)));
  }
  auto listed = store_.matching(c, hashes);
  std::vector<bool> out(emails.size(), false);
  for (std::size_t i = 0; i < emails.size() && !listed.empty(); ++i)
    out[i] = listed.contains(hashes[2 * i]) || listed.contains(hashes[2 * i + 1]);
  return out;
}

bool SuppressionService::add_address(storage::Connection& c, std::string_view email, std::string_view reason,
                                     std::string_view note) {
  Suppression s;
  s.kind = "email";
  s.value = std::string(email);
  s.value_hash = suppression_hash(email);
  if (store_.id_by_hash(c, s.value_hash)) return false;
  s.reason = std::string(reason);
  s.note = std::string(note);
  s.created_at = now();
  store_.insert(c, s);
  return true;
}

void SuppressionService::add_hash_only(storage::Connection& c, std::string_view email, std::optional<std::int64_t> by) {
  auto hash = suppression_hash(email);
  if (store_.id_by_hash(c, hash)) {
    store_.forget_value(c, hash);
    return;
  }
  Suppression s;
  s.kind = "email";
  s.value_hash = hash;
  s.reason = "gdpr";
  s.note = "erased on request";
  s.created_by = by;
  s.created_at = now();
  store_.insert(c, s);
}

}  // namespace herald::leads
