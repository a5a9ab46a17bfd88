#include "leads/importer.hpp"

#include <unistd.h>

#include <algorithm>
#include <unordered_set>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "leads/csv.hpp"

namespace herald::leads {
namespace {

constexpr std::size_t kHeaderProbe = 64 * 1024;
constexpr std::int64_t kSettleAfter = 10000;  // rows written before the import settles the database

std::uint64_t hash_of(std::string_view email) { return std::hash<std::string_view>{}(email); }

struct LostClaim : std::runtime_error {
  LostClaim() : std::runtime_error("the import was taken over by another worker; this one stops") {}
};

std::string duplicate_reason(std::optional<std::int64_t> first_line) {
  if (first_line) return "email: duplicate of line " + std::to_string(*first_line);
  return "email: duplicate of an earlier line of this file";
}

// The rows of the open batch, by address: a flat table of positions keyed
// by the address's hash and checked against the row itself, cleared per batch.
class BatchIndex {
 public:
  void reset(std::size_t capacity) {
    std::size_t want = 1;
    while (want < capacity * 2) want <<= 1;
    if (slots_.size() != want)
      slots_.assign(want, kEmpty);
    else
      std::fill(slots_.begin(), slots_.end(), kEmpty);
  }
  // The position of an earlier row with `email`, or inserts `pos` and returns nothing.
  template <typename EmailAt>
  std::optional<std::uint32_t> find_or_add(std::uint64_t hash, std::string_view email, std::uint32_t pos,
                                           const EmailAt& email_at) {
    for (std::size_t i = hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == kEmpty) {
        slots_[i] = pos;
        return std::nullopt;
      }
      if (email_at(slots_[i]) == email) return slots_[i];
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  std::vector<std::uint32_t> slots_;
};

// One run of one import on one connection.
class Run {
  struct Pending {
    std::int64_t line = 0;
    std::uint64_t hash = 0;
    ImportRow row;
    std::optional<std::int64_t> owner;
  };

 public:
  Run(storage::Connection& conn, const ImportStore& store, const LeadStore& leads, SegmentService& segments,
      auth::Users& users, const Clock& clock, const ImporterSettings& settings, ImportRecord rec, std::string worker,
      const ImporterHooks& hooks)
      : conn_(conn),
        store_(store),
        leads_(leads),
        segments_(segments),
        users_directory_(users),
        clock_(clock),
        settings_(settings),
        rec_(std::move(rec)),
        worker_(std::move(worker)),
        hooks_(hooks),
        options_(import_options_from_json(rec_.options)),
        cp_(rec_.checkpoint),
        next_(cp_) {
    // Reserved once: rows never move while the batch is open, so views of them stay valid.
    pending_.reserve(settings_.batch_rows);
    index_.reset(settings_.batch_rows);
    merge_tags(extra_tags_, options_.tags);
    if (!options_.list.empty()) merge_tags(extra_tags_, {options_.list});
  }

  Importer::Outcome execute() {
    if (!rec_.header) {
      if (!read_header()) return Importer::Outcome::Failed;
    } else {
      header_ = nlohmann::json::parse(*rec_.header).get<std::vector<std::string>>();
      delimiter_ = rec_.delimiter.value_or(",").front();
      if (!build_mapping()) return Importer::Outcome::Failed;
    }
    if (mapping_.maps(Column::Owner)) users_ = users_directory_.ids_by_email_and_id();

    CsvParser::Options po;
    po.delimiter = delimiter_;
    po.start_offset = static_cast<std::uint64_t>(cp_.next_offset);
    po.start_line = static_cast<std::uint64_t>(cp_.next_line);
    CsvParser parser(po);
    auto on_record = [this](const CsvRecord& r) { record(r); };
    const std::int64_t chunk_size = std::max<std::int64_t>(rec_.chunk_size, 1);
    const std::int64_t first = cp_.next_offset / chunk_size;
    for (std::int64_t seq = first; seq < rec_.chunks; ++seq) {
      std::string data = store_.chunk(conn_, rec_.id, seq);
      std::size_t skip = seq == first ? static_cast<std::size_t>(cp_.next_offset % chunk_size) : 0;
      if (skip < data.size()) parser.feed(std::string_view(data).substr(skip), on_record);
    }
    parser.finish(on_record);
    flush(true);
    if (cp_.created + cp_.updated >= kSettleAfter) store_.settle(conn_);
    return Importer::Outcome::Completed;
  }

 private:
  std::string now() const { return rfc3339(clock_.wall()); }

  bool read_header() {
    if (rec_.total_bytes == 0 || rec_.chunks == 0) return fail("the file is empty");
    std::string first = store_.chunk(conn_, rec_.id, 0);
    delimiter_ = detect_delimiter(std::string_view(first).substr(0, kHeaderProbe));
    CsvParser::Options po;
    po.delimiter = delimiter_;
    CsvParser parser(po);
    bool found = false;
    std::string error;
    std::int64_t end = 0, next_line = 1;
    auto take = [&](const CsvRecord& r) {
      if (found) return;
      found = true;
      error = std::string(r.error);
      for (auto f : r.fields) header_.emplace_back(trim_header(f));
      end = static_cast<std::int64_t>(r.end_offset);
      next_line = static_cast<std::int64_t>(r.next_line);
    };
    for (std::int64_t seq = 0; seq < rec_.chunks && !found; ++seq) {
      // Only the first pass moves `first`.
      std::string data =
          seq == 0 ? std::move(first) : store_.chunk(conn_, rec_.id, seq);  // NOLINT(bugprone-use-after-move)
      for (std::size_t i = 0; i < data.size() && !found; i += kHeaderProbe)
        parser.feed(std::string_view(data).substr(i, kHeaderProbe), take);
    }
    if (!found) parser.finish(take);
    if (!found) return fail("the file has no header row");
    if (!error.empty()) return fail("the header row cannot be read: " + error);
    if (!build_mapping()) return false;
    storage::Transaction tx(conn_, storage::TxMode::Write);
    nlohmann::json header = header_;
    if (!store_.set_header(conn_, rec_.id, worker_, std::string_view(&delimiter_, 1), header.dump(), end, next_line,
                           now()))
      throw LostClaim();
    tx.commit();
    cp_.next_offset = next_.next_offset = end;
    cp_.next_line = next_.next_line = next_line;
    return true;
  }

  // Kept as sent: map_header refuses a header that is not UTF-8 text.
  static std::string trim_header(std::string_view f) { return std::string(trim(f)); }

  bool build_mapping() {
    try {
      std::vector<std::string_view> views(header_.begin(), header_.end());
      mapping_ = map_header(views, options_.mapping);
      return true;
    } catch (const ImportFileError& e) {
      return fail(e.what());
    }
  }

  bool fail(const std::string& reason) {
    storage::Transaction tx(conn_, storage::TxMode::Write);
    if (!store_.finish(conn_, rec_.id, worker_, "failed", reason, now())) throw LostClaim();
    store_.drop_chunks(conn_, rec_.id);
    tx.commit();
    log::warn("lead import failed", {{"import_id", rec_.id}, {"reason", reason}});
    return false;
  }

  void report(std::int64_t line, const char* kind, std::string reason) {
    errors_.push_back({line, kind, std::move(reason)});
  }

  void record(const CsvRecord& r) {
    ++next_.rows;
    auto line = static_cast<std::int64_t>(r.line);
    if (!r.error.empty()) {
      ++next_.failed;
      report(line, "failed", std::string(r.error));
    } else {
      pending_.emplace_back();
      auto& p = pending_.back();
      if (auto problem = convert_row(mapping_, r.fields, p.row)) {
        pending_.pop_back();
        ++next_.failed;
        report(line, "failed", std::move(*problem));
      } else {
        p.line = line;
        accept(p);
      }
    }
    batch_end_ = static_cast<std::int64_t>(r.end_offset);
    batch_next_line_ = static_cast<std::int64_t>(r.next_line);
    if (pending_.size() + errors_.size() >= settings_.batch_rows) flush(false);
  }

  // Keeps the newest pending row, or drops it with the reason.
  void accept(Pending& p) {
    auto drop = [&](const char* kind, std::string reason) {
      if (kind[0] == 'f')
        ++next_.failed;
      else
        ++next_.skipped;
      report(p.line, kind, std::move(reason));
      pending_.pop_back();
    };
    if (p.row.owner) {
      auto it = users_.find(to_lower_ascii(*p.row.owner));
      if (it == users_.end()) return drop("failed", "owner: no user with this email or id");
      p.owner = it->second;
    }
    merge_tags(p.row.tags, extra_tags_);
    if (p.row.tags.size() > kMaxTags) return drop("failed", "tags: at most 50 tags");
    p.hash = hash_of(p.row.email);
    auto pos = static_cast<std::uint32_t>(pending_.size() - 1);
    auto earlier = index_.find_or_add(p.hash, p.row.email, pos,
                                      [this](std::uint32_t i) -> std::string_view { return pending_[i].row.email; });
    if (earlier) drop("skipped", duplicate_reason(pending_[*earlier].line));
  }

  NewLead new_lead(const Pending& p) const {
    const auto& in = p.row;
    NewLead n;
    n.email = in.email;
    n.first_name = in.first_name;
    n.last_name = in.last_name;
    n.company = in.company;
    n.title = in.title;
    n.phone = in.phone;
    n.website = in.website;
    n.country = in.country;
    n.timezone = in.timezone;
    n.status = in.status;
    n.score = in.score;
    n.owner_id = p.owner;
    n.line = p.line;
    n.tags_json = tags_to_json(in.tags);
    n.custom_json = in.custom_json();
    n.source = in.has_source ? std::string_view(in.source) : std::string_view(options_.source);
    return n;
  }

  // Field by field onto a stored lead: a cell the file left empty keeps what is there.
  std::optional<std::string> merge_into(Lead& l, const Pending& p) const {
    const auto& r = p.row;
    if (r.has_first_name) l.first_name = r.first_name;
    if (r.has_last_name) l.last_name = r.last_name;
    if (r.has_company) l.company = r.company;
    if (r.has_title) l.title = r.title;
    if (r.has_phone) l.phone = r.phone;
    if (r.has_website) l.website = r.website;
    if (r.has_country) l.country = r.country;
    if (r.has_timezone) l.timezone = r.timezone;
    if (r.has_status) l.status = r.status;
    if (r.has_score) l.score = r.score;
    if (r.has_source) l.source = r.source;
    if (p.owner) l.owner_id = p.owner;
    auto tags = tags_from_json(l.tags_json);
    merge_tags(tags, r.tags);
    if (tags.size() > kMaxTags) return std::string("tags: the lead would have more than 50 tags");
    l.tags_json = tags_to_json(tags);
    if (!r.custom.empty() || !r.custom_object.is_null()) {
      auto custom = nlohmann::json::parse(l.custom_fields_json, nullptr, false);
      if (auto problem = r.merge_custom(custom)) return problem;
      l.custom_fields_json = custom.dump();
    }
    l.import_id = rec_.id;
    l.import_line = p.line;
    return std::nullopt;
  }

  void flush(bool final) {
    Checkpoint next = next_;
    auto skip = [&](const Pending& p, std::string reason) {
      ++next.skipped;
      errors_.push_back({p.line, "skipped", std::move(reason)});
    };
    auto t = now();
    std::vector<std::pair<std::int64_t, std::string>> links;
    std::size_t errors_before = errors_.size();

    storage::Transaction tx(conn_, storage::TxMode::Write);
    std::vector<const Pending*> to_insert;
    to_insert.reserve(pending_.size());
    if (options_.mode == ImportMode::CreateOnly) {
      for (const auto& p : pending_) to_insert.push_back(&p);
    } else if (!pending_.empty()) {
      std::vector<std::string_view> emails;
      for (const auto& p : pending_) emails.push_back(p.row.email);
      auto stored = store_.existing(conn_, emails);
      for (const auto& p : pending_) {
        auto it = stored.find(p.row.email);
        if (it == stored.end()) {
          if (options_.mode == ImportMode::UpdateOnly) {
            skip(p, "email: no lead with this address (mode update_only)");
          } else {
            to_insert.push_back(&p);
          }
          continue;
        }
        Lead& lead = it->second;
        if (lead.import_id == rec_.id) {
          skip(p, duplicate_reason(lead.import_line));
          continue;
        }
        auto before = tags_from_json(lead.tags_json);
        if (auto problem = merge_into(lead, p)) {
          ++next.failed;
          errors_.push_back({p.line, "failed", *problem});
          continue;
        }
        leads_.update(conn_, lead, t);
        for (const auto& tag : tags_from_json(lead.tags_json)) {
          if (std::find(before.begin(), before.end(), tag) == before.end()) links.emplace_back(lead.id, tag);
        }
        ++next.updated;
      }
    }
    insert(to_insert, next, links, t, skip);
    if (!links.empty()) store_.insert_tags(conn_, links);

    std::sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    for (const auto& e : errors_) {
      if (next.errors_stored >= settings_.max_errors_stored) break;
      store_.add_error(conn_, rec_.id, e);
      ++next.errors_stored;
    }
    if (batch_end_ > next.next_offset) {
      next.next_offset = batch_end_;
      next.next_line = batch_next_line_;
    }
    if (!store_.checkpoint(conn_, rec_.id, worker_, cp_.next_offset, next, t)) throw LostClaim();
    if (next.created + next.updated > cp_.created + cp_.updated) leads_.bump_version(conn_);
    if (final) {
      if (!options_.list.empty()) segments_.ensure_tag_segment(conn_, options_.list, options_.list, rec_.created_by);
      if (!store_.finish(conn_, rec_.id, worker_, "completed", std::nullopt, t)) throw LostClaim();
      store_.drop_chunks(conn_, rec_.id);
    }
    try {
      tx.commit();
    } catch (...) {
      errors_.resize(errors_before);
      throw;
    }

    cp_ = next_ = next;
    pending_.clear();
    errors_.clear();
    index_.reset(settings_.batch_rows);
    ++batches_;
    if (hooks_.progress) hooks_.progress({rec_.id, cp_, rec_.total_bytes});
    if (hooks_.after_batch && !final) hooks_.after_batch(batches_);
  }

  template <typename Skip>
  void insert(const std::vector<const Pending*>& rows, Checkpoint& next,
              std::vector<std::pair<std::int64_t, std::string>>& links, const std::string& t, Skip& skip) {
    if (rows.empty()) return;
    std::vector<NewLead> leads;
    leads.reserve(rows.size());
    for (const auto* p : rows) leads.push_back(new_lead(*p));
    auto ids = store_.insert_leads(conn_, leads, rec_.id, t);
    std::vector<const Pending*> conflicts;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (ids[i] == 0) {
        conflicts.push_back(rows[i]);
        continue;
      }
      ++next.created;
      for (const auto& tag : rows[i]->row.tags) links.emplace_back(ids[i], tag);
    }
    if (conflicts.empty()) return;
    std::vector<std::string_view> emails;
    emails.reserve(conflicts.size());
    for (const auto* p : conflicts) emails.push_back(p->row.email);
    auto stored = store_.existing(conn_, emails);
    for (const auto* p : conflicts) {
      auto it = stored.find(p->row.email);
      if (it != stored.end() && it->second.import_id == rec_.id) {
        skip(*p, duplicate_reason(it->second.import_line));
      } else {
        skip(*p, "email: a lead with this address already exists (mode create_only)");
      }
    }
  }

  storage::Connection& conn_;
  const ImportStore& store_;
  const LeadStore& leads_;
  SegmentService& segments_;
  auth::Users& users_directory_;
  const Clock& clock_;
  const ImporterSettings& settings_;
  ImportRecord rec_;
  std::string worker_;
  const ImporterHooks& hooks_;
  ImportOptions options_;
  Checkpoint cp_;    // committed
  Checkpoint next_;  // including the open batch
  std::vector<std::string> header_;
  char delimiter_ = ',';
  Mapping mapping_;
  std::vector<std::string> extra_tags_;
  std::unordered_map<std::string, std::int64_t> users_;
  std::vector<Pending> pending_;
  std::vector<ImportErrorRow> errors_;
  BatchIndex index_;
  std::int64_t batch_end_ = 0;
  std::int64_t batch_next_line_ = 1;
  std::int64_t batches_ = 0;
};

}  // namespace

Importer::Importer(storage::Database& db, SegmentService& segments, auth::Users& users, const Clock& clock,
                   ImporterSettings settings)
    : db_(db),
      leads_(db.backend()),
      segments_(segments),
      users_(users),
      clock_(clock),
      settings_(settings),
      store_(db.backend()) {
  if (settings_.stale_after <= std::chrono::milliseconds::zero()) settings_.stale_after = std::chrono::seconds(60);
}

Importer::Outcome Importer::run(std::int64_t import_id, const std::string& worker, const ImporterHooks& hooks) {
  auto conn = db_.acquire();
  {
    auto now = clock_.wall();
    storage::Transaction tx(*conn, storage::TxMode::Write);
    if (!store_.claim(*conn, import_id, worker, rfc3339(now), rfc3339(now - settings_.stale_after)))
      return Outcome::NotClaimed;
    tx.commit();
  }
  auto rec = store_.get(*conn, import_id);
  if (!rec) return Outcome::NotClaimed;
  store_.tune(*conn, true);
  struct Untune {
    const ImportStore& s;
    storage::Connection& c;
    ~Untune() {
      try {
        s.tune(c, false);
      } catch (...) {
      }
    }
  } untune{store_, *conn};
  Run run(*conn, store_, leads_, segments_, users_, clock_, settings_, std::move(*rec), worker, hooks);
  return run.execute();
}

bool Importer::unfinished(std::int64_t import_id) {
  auto conn = db_.acquire();
  auto rec = store_.get(*conn, import_id);
  return rec && (rec->status == "queued" || rec->status == "running");
}

void Importer::delete_stale_uploads(const std::string& before) {
  auto conn = db_.acquire();
  store_.delete_stale_uploads(*conn, before);
}

std::vector<std::int64_t> Importer::stranded() {
  auto conn = db_.acquire();
  return store_.stranded(*conn, rfc3339(clock_.wall() - settings_.stale_after));
}

bool Importer::give_up(std::int64_t import_id, const std::string& reason) {
  const auto now = clock_.wall();
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  const bool failed = store_.give_up(*conn, import_id, reason, rfc3339(now), rfc3339(now - settings_.stale_after));
  if (failed) store_.drop_chunks(*conn, import_id);
  tx.commit();
  if (failed) log::warn("lead import failed: its job gave up", {{"import_id", import_id}, {"reason", reason}});
  return failed;
}

void Importer::release(std::int64_t import_id, const std::string& worker) {
  auto conn = db_.acquire();
  store_.release(*conn, import_id, worker);
}

void Importer::abandon(std::int64_t import_id, const std::string& worker, const std::string& reason) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  if (store_.finish(*conn, import_id, worker, "failed", reason, rfc3339(clock_.wall())))
    store_.drop_chunks(*conn, import_id);
  tx.commit();
}

std::string worker_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + crypto::random_token(6);
}

}  // namespace herald::leads
