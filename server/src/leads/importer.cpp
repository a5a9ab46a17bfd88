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

// First line of each email seen in this run, by 64-bit hash: 16 bytes a
// slot, so a million addresses cost 32 MB. It only supplies the line number
// of a duplicate's first occurrence; whether a row is a duplicate is decided
// exactly (by the batch's own set and the lead's import id).
class LineMap {
 public:
  void insert(std::uint64_t hash, std::int64_t line) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(hash | 1, line);  // 0 marks an empty slot
  }
  std::optional<std::int64_t> find(std::uint64_t hash) const {
    if (slots_.empty()) return std::nullopt;
    hash |= 1;
    for (std::size_t i = hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].first == 0) return std::nullopt;
      if (slots_[i].first == hash) return slots_[i].second;
    }
  }

 private:
  void place(std::uint64_t key, std::int64_t line) {
    for (std::size_t i = key & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].first == key) return;
      if (slots_[i].first == 0) {
        slots_[i] = {key, line};
        ++size_;
        return;
      }
    }
  }
  void grow() {
    std::vector<std::pair<std::uint64_t, std::int64_t>> old(std::max<std::size_t>(slots_.size() * 2, 1024));
    old.swap(slots_);
    size_ = 0;
    for (const auto& [k, v] : old) {
      if (k != 0) place(k, v);
    }
  }
  std::vector<std::pair<std::uint64_t, std::int64_t>> slots_;
  std::size_t size_ = 0;
};

std::uint64_t hash_of(std::string_view email) { return std::hash<std::string_view>{}(email); }

struct LostClaim : std::runtime_error {
  LostClaim() : std::runtime_error("the import was taken over by another worker; this one stops") {}
};

std::string duplicate_reason(std::optional<std::int64_t> first_line) {
  if (first_line) return "email: duplicate of line " + std::to_string(*first_line);
  return "email: duplicate of an earlier line of this file";
}

// One run of one import on one connection.
class Run {
  struct Pending {
    std::int64_t line = 0;
    ImportRow row;
    std::optional<std::int64_t> owner;
  };

 public:
  Run(storage::Connection& conn, const ImportStore& store, LeadService& leads, SegmentService& segments,
      const Clock& clock, const ImporterSettings& settings, ImportRecord rec, std::string worker,
      const ImporterHooks& hooks)
      : conn_(conn), store_(store), leads_(leads), segments_(segments), clock_(clock), settings_(settings),
        rec_(std::move(rec)), worker_(std::move(worker)), hooks_(hooks),
        options_(import_options_from_json(rec_.options)), cp_(rec_.checkpoint), next_(cp_) {
    pending_.reserve(settings_.batch_rows);
  }

  Importer::Outcome execute() {
    if (!rec_.header) {
      if (!read_header()) return Importer::Outcome::Failed;
    } else {
      auto fields = nlohmann::json::parse(*rec_.header).get<std::vector<std::string>>();
      header_ = fields;
      delimiter_ = rec_.delimiter.value_or(",").front();
      if (!build_mapping()) return Importer::Outcome::Failed;
    }
    if (mapping_.maps(Column::Owner)) users_ = leads_.store().users(conn_);

    CsvParser::Options po;
    po.delimiter = delimiter_;
    po.start_offset = static_cast<std::uint64_t>(cp_.next_offset);
    po.start_line = static_cast<std::uint64_t>(cp_.next_line);
    CsvParser parser(po);
    auto on_record = [this](const CsvRecord& r) { record(r); };
    const std::int64_t chunk_size = std::max<std::int64_t>(rec_.chunk_size, 1);
    for (std::int64_t seq = cp_.next_offset / chunk_size; seq < rec_.chunks; ++seq) {
      std::string data = store_.chunk(conn_, rec_.id, seq);
      std::size_t skip = seq == cp_.next_offset / chunk_size ? static_cast<std::size_t>(cp_.next_offset % chunk_size) : 0;
      if (skip < data.size()) parser.feed(std::string_view(data).substr(skip), on_record);
    }
    parser.finish(on_record);
    flush(true);
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
      std::string data = seq == 0 ? std::move(first) : store_.chunk(conn_, rec_.id, seq);
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

  static std::string trim_header(std::string_view f) {
    std::string s(trim(f));
    return valid_utf8(s) ? s : std::string();
  }

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
    } else if (auto problem = convert_row(mapping_, r.fields, row_)) {
      ++next_.failed;
      report(line, "failed", std::move(*problem));
    } else {
      accept(line);
    }
    batch_end_ = static_cast<std::int64_t>(r.end_offset);
    batch_next_line_ = static_cast<std::int64_t>(r.next_line);
    if (pending_.size() + errors_.size() >= settings_.batch_rows) flush(false);
  }

  void accept(std::int64_t line) {
    auto& in = row_.lead;
    std::optional<std::int64_t> owner;
    if (row_.owner) {
      auto it = users_.find(to_lower_ascii(*row_.owner));
      if (it == users_.end()) {
        ++next_.failed;
        return report(line, "failed", "owner: no user with this email or id");
      }
      owner = it->second;
    }
    if (auto it = batch_emails_.find(in.email); it != batch_emails_.end()) {
      ++next_.skipped;
      return report(line, "skipped", duplicate_reason(it->second));
    }
    merge_tags(in.tags, options_.tags);
    if (!options_.list.empty()) merge_tags(in.tags, {options_.list});
    if (in.tags.size() > kMaxTags) {
      ++next_.failed;
      return report(line, "failed", "tags: at most 50 tags");
    }
    Pending p;
    p.line = line;
    p.row = std::move(row_);
    p.owner = owner;
    batch_emails_.emplace(p.row.lead.email, line);
    pending_.push_back(std::move(p));
  }

  NewLead new_lead(const Pending& p) const {
    const auto& in = p.row.lead;
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
    n.tags_json = tags_to_json(in.tags);
    n.custom_json = in.custom_fields.empty() ? "{}" : in.custom_fields.dump();
    n.source = p.row.has_source ? in.source : options_.source;
    return n;
  }

  // Field by field onto a stored lead: a cell the file left empty keeps what is there.
  std::optional<std::string> merge_into(Lead& l, const Pending& p) const {
    const auto& r = p.row;
    const auto& in = r.lead;
    if (r.has_first_name) l.first_name = in.first_name;
    if (r.has_last_name) l.last_name = in.last_name;
    if (r.has_company) l.company = in.company;
    if (r.has_title) l.title = in.title;
    if (r.has_phone) l.phone = in.phone;
    if (r.has_website) l.website = in.website;
    if (r.has_country) l.country = in.country;
    if (r.has_timezone) l.timezone = in.timezone;
    if (r.has_status) l.status = in.status;
    if (r.has_score) l.score = in.score;
    if (r.has_source) l.source = in.source;
    if (p.owner) l.owner_id = p.owner;
    auto tags = tags_from_json(l.tags_json);
    merge_tags(tags, in.tags);
    if (tags.size() > kMaxTags) return std::string("tags: the lead would have more than 50 tags");
    l.tags_json = tags_to_json(tags);
    if (!in.custom_fields.empty()) {
      auto custom = nlohmann::json::parse(l.custom_fields_json, nullptr, false);
      if (!custom.is_object()) custom = nlohmann::json::object();
      for (auto& [k, v] : in.custom_fields.items()) custom[k] = v;
      if (auto problem = custom_fields_problem(custom)) return "custom_fields: " + *problem;
      l.custom_fields_json = custom.dump();
    }
    l.import_id = rec_.id;
    return std::nullopt;
  }

  void flush(bool final) {
    Checkpoint next = next_;
    std::vector<ImportErrorRow> errors = errors_;
    auto skip = [&](const Pending& p, std::string reason) {
      ++next.skipped;
      errors.push_back({p.line, "skipped", std::move(reason)});
    };
    auto t = now();
    std::vector<std::pair<std::int64_t, std::string>> links;

    storage::Transaction tx(conn_, storage::TxMode::Write);
    std::vector<const Pending*> to_insert;
    if (options_.mode == ImportMode::CreateOnly) {
      for (const auto& p : pending_) to_insert.push_back(&p);
    } else if (!pending_.empty()) {
      std::vector<std::string_view> emails;
      for (const auto& p : pending_) emails.push_back(p.row.lead.email);
      auto stored = store_.existing(conn_, emails);
      for (const auto& p : pending_) {
        auto it = stored.find(p.row.lead.email);
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
          skip(p, duplicate_reason(seen_.find(hash_of(p.row.lead.email))));
          continue;
        }
        auto before = tags_from_json(lead.tags_json);
        if (auto problem = merge_into(lead, p)) {
          ++next.failed;
          errors.push_back({p.line, "failed", *problem});
          continue;
        }
        leads_.store().update(conn_, lead, t);
        for (const auto& tag : tags_from_json(lead.tags_json)) {
          if (std::find(before.begin(), before.end(), tag) == before.end()) links.emplace_back(lead.id, tag);
        }
        ++next.updated;
      }
    }
    insert(to_insert, next, links, t, skip);
    if (!links.empty()) store_.insert_tags(conn_, links);

    std::sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    for (const auto& e : errors) {
      if (next.errors_stored >= settings_.max_errors_stored) break;
      store_.add_error(conn_, rec_.id, e);
      ++next.errors_stored;
    }
    if (batch_end_ > next.next_offset) {
      next.next_offset = batch_end_;
      next.next_line = batch_next_line_;
    }
    if (!store_.checkpoint(conn_, rec_.id, worker_, cp_.next_offset, next, t)) throw LostClaim();
    if (next.created + next.updated > cp_.created + cp_.updated) leads_.store().bump_version(conn_);
    if (final) {
      if (!options_.list.empty()) segments_.ensure_tag_segment(conn_, options_.list, options_.list, rec_.created_by);
      if (!store_.finish(conn_, rec_.id, worker_, "completed", std::nullopt, t)) throw LostClaim();
      store_.drop_chunks(conn_, rec_.id);
    }
    tx.commit();

    for (const auto& p : pending_) seen_.insert(hash_of(p.row.lead.email), p.line);
    cp_ = next_ = next;
    pending_.clear();
    errors_.clear();
    batch_emails_.clear();
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
    // Keyed by views of the batch's own strings, which outlive this call.
    std::unordered_map<std::string_view, std::int64_t> created;
    created.reserve(rows.size());
    for (const auto* p : rows) {
      leads.push_back(new_lead(*p));
      created.emplace(p->row.lead.email, 0);
    }
    store_.insert_leads(conn_, leads, rec_.id, t, [&](std::string_view email, std::int64_t id) {
      if (auto it = created.find(email); it != created.end()) it->second = id;
    });
    std::vector<const Pending*> conflicts;
    for (const auto* p : rows) {
      auto id = created.at(p->row.lead.email);
      if (id == 0) {
        conflicts.push_back(p);
        continue;
      }
      ++next.created;
      for (const auto& tag : p->row.lead.tags) links.emplace_back(id, tag);
    }
    if (conflicts.empty()) return;
    std::vector<std::string_view> emails;
    for (const auto* p : conflicts) emails.push_back(p->row.lead.email);
    auto stored = store_.existing(conn_, emails);
    for (const auto* p : conflicts) {
      auto it = stored.find(p->row.lead.email);
      if (it != stored.end() && it->second.import_id == rec_.id) {
        skip(*p, duplicate_reason(seen_.find(hash_of(p->row.lead.email))));
      } else {
        skip(*p, "email: a lead with this address already exists (mode create_only)");
      }
    }
  }

  storage::Connection& conn_;
  const ImportStore& store_;
  LeadService& leads_;
  SegmentService& segments_;
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
  std::unordered_map<std::string, std::int64_t> users_;
  ImportRow row_;
  std::vector<Pending> pending_;
  std::vector<ImportErrorRow> errors_;
  std::unordered_map<std::string, std::int64_t> batch_emails_;
  LineMap seen_;
  std::int64_t batch_end_ = 0;
  std::int64_t batch_next_line_ = 1;
  std::int64_t batches_ = 0;
};

}  // namespace

Importer::Importer(storage::Database& db, LeadService& leads, SegmentService& segments, const Clock& clock,
                   ImporterSettings settings)
    : db_(db), leads_(leads), segments_(segments), clock_(clock), settings_(settings), store_(db.backend()) {}

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
  Run run(*conn, store_, leads_, segments_, clock_, settings_, std::move(*rec), worker, hooks);
  return run.execute();
}

bool Importer::unfinished(std::int64_t import_id) {
  auto conn = db_.acquire();
  auto rec = store_.get(*conn, import_id);
  return rec && (rec->status == "queued" || rec->status == "running");
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
