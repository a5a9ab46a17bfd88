#include "leads/import_store.hpp"

#include <sodium.h>

#include <chrono>
#include <thread>

#include "core/log.hpp"
#include "leads/json_writer.hpp"
#include "leads/store.hpp"
#include "storage/query.hpp"

namespace herald::leads {

using storage::Param;
using storage::Row;
using sv = std::string_view;

namespace {

constexpr int kLeadColumns = 18;  // placeholders per row (created_at doubles as updated_at)
constexpr std::size_t kTagRowsPerInsert = 500;

Param opt_int(const std::optional<std::int64_t>& v) { return v ? Param(*v) : Param(nullptr); }

std::string placeholder(storage::Backend b, int n, const char* pg_cast = "") {
  return b == storage::Backend::Sqlite ? "?" + std::to_string(n) : "$" + std::to_string(n) + pg_cast;
}

// "(?1, …, ?18, ?18), (?19, …)" for `rows` rows of the lead insert.
std::string lead_values(storage::Backend b, std::size_t rows) {
  std::string out;
  int n = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (int col = 1; col <= kLeadColumns; ++col, ++n) {
      const char* cast = (col == 13 || col == 14) ? "::jsonb" : "";
      out += placeholder(b, n, cast) + ", ";
    }
    out += placeholder(b, n - 1) + ")";
  }
  return out;
}

std::string tag_values(storage::Backend b, std::size_t rows) {
  std::string out;
  int n = 1;
  for (std::size_t r = 0; r < rows; ++r, n += 2) {
    out += (r ? ", (" : "(") + placeholder(b, n) + ", " + placeholder(b, n + 1) + ")";
  }
  return out;
}

const storage::Query kInsert{"imports.insert"};
const storage::Query kChunkInsert{"imports.chunk_insert"};
const storage::Query kTouch{"imports.touch"};
const storage::Query kSetOptions{"imports.set_options"};
const storage::Query kUploadDone{"imports.upload_done"};
const storage::Query kRemove{"imports.delete"};
const storage::Query kDeleteStale{"imports.delete_stale_uploads"};
const storage::Query kGet{"imports.get"};
const storage::Query kUnfinished{"imports.unfinished"};
const storage::Query kStranded{"imports.stranded"};
const storage::Query kGiveUp{"imports.give_up"};
const storage::Query kClaim{"imports.claim"};
const storage::Query kChunk{"imports.chunk"};
const storage::Query kSetHeader{"imports.set_header"};
const storage::Query kCheckpoint{"imports.checkpoint"};
const storage::Query kFinish{"imports.finish"};
const storage::Query kDropChunks{"imports.drop_chunks"};
const storage::Query kRelease{"imports.release"};
const storage::Query kErrorInsert{"imports.error_insert"};
const storage::Query kErrorsAfter{"imports.errors_after"};
const storage::Query kExisting{"imports.existing"};
const storage::Query kLeadInsertHead{"imports.lead_insert_head"};
const storage::Query kLeadInsertTail{"imports.lead_insert_tail"};
const storage::Query kTagInsertHead{"imports.tag_insert_head"};
const storage::Query kTagInsertTail{"imports.tag_insert_tail"};
const storage::Query kTuneSession{"imports.tune_session"};
const storage::Query kTuneReads{"imports.tune_reads"};
const storage::Query kUntuneSession{"imports.untune_session"};
const storage::Query kUntuneReads{"imports.untune_reads"};
const storage::Query kSettle{"imports.settle"};
const storage::Query kSettled{"imports.settled"};

}  // namespace

ImportStore::ImportStore(storage::Backend backend) : backend_(backend) {
  // SQLite binds up to 32766 parameters, PostgreSQL 65535.
  rows_per_insert_ = backend == storage::Backend::Sqlite ? 200 : 1000;
  insert_many_ =
      kLeadInsertHead.sql(backend) + " " + lead_values(backend, rows_per_insert_) + " " + kLeadInsertTail.sql(backend);
  insert_one_ = kLeadInsertHead.sql(backend) + " " + lead_values(backend, 1) + " " + kLeadInsertTail.sql(backend);
  tags_many_ =
      kTagInsertHead.sql(backend) + " " + tag_values(backend, kTagRowsPerInsert) + " " + kTagInsertTail.sql(backend);
  tags_one_ = kTagInsertHead.sql(backend) + " " + tag_values(backend, 1) + " " + kTagInsertTail.sql(backend);
}

std::int64_t ImportStore::create(Connection& c, const std::string& options_json, const std::string& filename,
                                 std::optional<std::int64_t> created_by, std::int64_t chunk_size,
                                 const std::string& now) const {
  std::int64_t id = 0;
  c.execute(kInsert, {sv(options_json), sv(filename), opt_int(created_by), chunk_size, sv(now)},
            [&](const Row& r) { id = r.integer(0); });
  return id;
}

void ImportStore::add_chunk(Connection& c, std::int64_t id, std::int64_t seq, sv bytes) const {
  if (backend_ == storage::Backend::Postgres) {
    auto text = base64_encode(bytes);
    c.execute(kChunkInsert, {id, seq, sv(text)});
  } else {
    c.execute(kChunkInsert, {id, seq, bytes});
  }
}

void ImportStore::touch(Connection& c, std::int64_t id, const std::string& now) const {
  c.execute(kTouch, {id, sv(now)});
}

void ImportStore::set_options(Connection& c, std::int64_t id, const std::string& options_json,
                              const std::string& filename) const {
  c.execute(kSetOptions, {id, sv(options_json), sv(filename)});
}

bool ImportStore::upload_done(Connection& c, std::int64_t id, std::int64_t chunks, std::int64_t total,
                              const std::string& now) const {
  return c.execute(kUploadDone, {id, chunks, total, sv(now)}) > 0;
}

void ImportStore::remove(Connection& c, std::int64_t id) const { c.execute(kRemove, {id}); }

std::int64_t ImportStore::delete_stale_uploads(Connection& c, const std::string& before) const {
  return c.execute(kDeleteStale, {sv(before)});
}

std::optional<ImportRecord> ImportStore::get(Connection& c, std::int64_t id) const {
  std::optional<ImportRecord> out;
  c.execute(kGet, {id}, [&](const Row& r) {
    ImportRecord rec;
    rec.id = r.integer(0);
    rec.status = r.str(1);
    rec.options = nlohmann::json::parse(r.text(2), nullptr, false);
    if (!rec.options.is_object()) rec.options = nlohmann::json::object();
    rec.filename = r.str(3);
    rec.created_by = r.opt_integer(4);
    rec.chunk_size = r.integer(5);
    rec.chunks = r.integer(6);
    rec.total_bytes = r.integer(7);
    rec.delimiter = r.opt_str(8);
    rec.header = r.opt_str(9);
    rec.checkpoint = {r.integer(10), r.integer(11), r.integer(12), r.integer(13),
                      r.integer(14), r.integer(15), r.integer(16), r.integer(17)};
    rec.error = r.opt_str(18);
    rec.worker = r.opt_str(19);
    rec.heartbeat_at = r.opt_str(20);
    rec.created_at = r.str(21);
    rec.updated_at = r.str(22);
    rec.started_at = r.opt_str(23);
    rec.finished_at = r.opt_str(24);
    out = std::move(rec);
  });
  return out;
}

std::vector<std::int64_t> ImportStore::unfinished(Connection& c) const {
  std::vector<std::int64_t> out;
  c.execute(kUnfinished, {}, [&](const Row& r) { out.push_back(r.integer(0)); });
  return out;
}

std::vector<std::int64_t> ImportStore::stranded(Connection& c, const std::string& stale_before) const {
  std::vector<std::int64_t> out;
  c.execute(kStranded, {sv(stale_before)}, [&](const Row& r) { out.push_back(r.integer(0)); });
  return out;
}

bool ImportStore::give_up(Connection& c, std::int64_t id, const std::string& reason, const std::string& now,
                          const std::string& stale_before) const {
  return c.execute(kGiveUp, {id, sv(reason), sv(now), sv(stale_before)}) > 0;
}

bool ImportStore::claim(Connection& c, std::int64_t id, const std::string& worker, const std::string& now,
                        const std::string& stale_before) const {
  return c.execute(kClaim, {id, sv(worker), sv(now), sv(stale_before)}) > 0;
}

std::string ImportStore::chunk(Connection& c, std::int64_t id, std::int64_t seq) const {
  std::string out;
  bool found = false;
  c.execute(kChunk, {id, seq}, [&](const Row& r) {
    out = r.str(0);
    found = true;
  });
  if (!found) throw storage::DbError("import " + std::to_string(id) + " has no chunk " + std::to_string(seq));
  if (backend_ == storage::Backend::Postgres) {
    auto bytes = base64_decode(out);
    if (!bytes) throw storage::DbError("import chunk is not valid base64");
    return std::move(*bytes);
  }
  return out;
}

bool ImportStore::set_header(Connection& c, std::int64_t id, const std::string& worker, sv delimiter,
                             const std::string& header_json, std::int64_t next_offset, std::int64_t next_line,
                             const std::string& now) const {
  return c.execute(kSetHeader, {id, sv(worker), delimiter, sv(header_json), next_offset, next_line, sv(now)}) > 0;
}

bool ImportStore::checkpoint(Connection& c, std::int64_t id, const std::string& worker, std::int64_t from_offset,
                             const Checkpoint& cp, const std::string& now) const {
  return c.execute(kCheckpoint, {id, sv(worker), from_offset, cp.next_offset, cp.next_line, cp.rows, cp.created,
                                 cp.updated, cp.skipped, cp.failed, cp.errors_stored, sv(now)}) > 0;
}

bool ImportStore::finish(Connection& c, std::int64_t id, const std::string& worker, sv status,
                         const std::optional<std::string>& error, const std::string& now) const {
  Param e = error ? Param(sv(*error)) : Param(nullptr);
  return c.execute(kFinish, {id, sv(worker), status, e, sv(now)}) > 0;
}

bool ImportStore::release(Connection& c, std::int64_t id, const std::string& worker) const {
  return c.execute(kRelease, {id, sv(worker)}) > 0;
}

void ImportStore::drop_chunks(Connection& c, std::int64_t id) const { c.execute(kDropChunks, {id}); }

void ImportStore::add_error(Connection& c, std::int64_t id, const ImportErrorRow& e) const {
  c.execute(kErrorInsert, {id, e.line, sv(e.kind), sv(e.reason)});
}

std::vector<ImportErrorRow> ImportStore::errors_after(Connection& c, std::int64_t id, std::int64_t after_line,
                                                      std::int64_t limit) const {
  std::vector<ImportErrorRow> out;
  c.execute(kErrorsAfter, {id, after_line, limit}, [&](const Row& r) {
    out.push_back({r.integer(0), r.str(1), r.str(2)});
  });
  return out;
}

void ImportStore::tune(Connection& c, bool on) const {
  c.execute(on ? kTuneSession : kUntuneSession);
  c.execute(on ? kTuneReads : kUntuneReads);
}

void ImportStore::settle(Connection& c) const {
  constexpr int kAttempts = 5;
  try {
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      // As a plain script: VACUUM cannot be a prepared statement.
      c.execute_script(kSettle);
      bool done = false;
      c.execute(kSettled, {}, [&](const Row& r) { done = r.boolean(0); });
      if (done) return;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  } catch (const storage::DbError& e) {
    // A busy checkpoint or a concurrent VACUUM: autovacuum finishes the job later.
    log::warn("settling the database after an import failed", {{"error", e.what()}});
  }
}

std::unordered_map<std::string, Lead> ImportStore::existing(Connection& c,
                                                            const std::vector<std::string_view>& emails) const {
  std::unordered_map<std::string, Lead> out;
  constexpr std::size_t kSlice = 1000;
  for (std::size_t i = 0; i < emails.size(); i += kSlice) {
    std::string list;
    JsonWriter w(list);
    w.begin_array();
    for (std::size_t j = i; j < std::min(emails.size(), i + kSlice); ++j) w.string(emails[j]);
    w.end_array();
    c.execute(kExisting, {sv(list)}, [&](const Row& r) {
      auto lead = lead_from_row(r);
      auto email = lead.email;
      out.emplace(std::move(email), std::move(lead));
    });
  }
  return out;
}

std::vector<std::int64_t> ImportStore::insert_leads(Connection& c, std::span<const NewLead> leads,
                                                    std::int64_t import_id, const std::string& now) const {
  std::vector<std::int64_t> ids(leads.size(), 0);
  std::vector<Param> params;
  params.reserve(rows_per_insert_ * kLeadColumns);
  std::size_t i = 0;
  auto run = [&](std::size_t rows) {
    params.clear();
    for (std::size_t r = i; r < i + rows; ++r) {
      const auto& l = leads[r];
      params.insert(params.end(), {l.email, l.first_name, l.last_name, l.company, l.title, l.phone, l.website,
                                   l.country, l.timezone, l.status, l.score, opt_int(l.owner_id), sv(l.tags_json),
                                   sv(l.custom_json), l.source, import_id, l.line, sv(now)});
    }
    // RETURNING names the rows inserted, in no promised order: match each to
    // its position, expecting the order of VALUES (the cheap case).
    std::size_t expect = i;
    c.execute(rows == rows_per_insert_ ? insert_many_ : insert_one_, params, [&](const Row& r) {
      auto email = r.text(1);
      std::size_t at = expect < i + rows && leads[expect].email == email ? expect : i + rows;
      for (std::size_t k = i; at == i + rows && k < i + rows; ++k) {
        if (leads[k].email == email) at = k;
      }
      if (at < i + rows) {
        ids[at] = r.integer(0);
        expect = at + 1;
      }
    });
    i += rows;
  };
  while (leads.size() - i >= rows_per_insert_) run(rows_per_insert_);
  while (i < leads.size()) run(1);
  return ids;
}

void ImportStore::insert_tags(Connection& c, std::span<const std::pair<std::int64_t, std::string>> links) const {
  std::vector<Param> params;
  std::size_t i = 0;
  auto run = [&](std::size_t rows) {
    params.clear();
    for (std::size_t r = i; r < i + rows; ++r) {
      params.emplace_back(links[r].first);
      params.emplace_back(sv(links[r].second));
    }
    c.execute(rows == kTagRowsPerInsert ? tags_many_ : tags_one_, params);
    i += rows;
  };
  while (links.size() - i >= kTagRowsPerInsert) run(kTagRowsPerInsert);
  while (i < links.size()) run(1);
}

std::string base64_encode(sv bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> base64_decode(sv text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  // PostgreSQL's encode() breaks lines every 76 characters.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), "\r\n ",
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace herald::leads
