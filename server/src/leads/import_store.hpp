// SQL access for CSV imports: the upload's chunks, the import row with its
// checkpoint, the per-row report, and the batch reads and writes of the
// importer. Statements from server/sql/<backend>/lead_imports.sql.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "leads/import_rows.hpp"
#include "leads/types.hpp"
#include "storage/database.hpp"

namespace herald::leads {

using storage::Connection;

// Where an import stands: the first byte and line not yet applied, and the
// counts of everything before them. Written in the same transaction as the
// rows it covers.
struct Checkpoint {
  std::int64_t next_offset = 0;
  std::int64_t next_line = 1;
  std::int64_t rows = 0;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
  std::int64_t errors_stored = 0;
};

struct ImportRecord {
  std::int64_t id = 0;
  std::string status;  // uploading, queued, running, completed, failed
  nlohmann::json options;
  std::string filename;
  std::optional<std::int64_t> created_by;
  std::int64_t chunk_size = 0;
  std::int64_t chunks = 0;
  std::int64_t total_bytes = 0;
  std::optional<std::string> delimiter;
  std::optional<std::string> header;  // JSON array
  Checkpoint checkpoint;
  std::optional<std::string> error;
  std::optional<std::string> worker;
  std::optional<std::string> heartbeat_at;
  std::string created_at, updated_at;
  std::optional<std::string> started_at, finished_at;
};

struct ImportErrorRow {
  std::int64_t line = 0;
  std::string kind;  // failed or skipped
  std::string reason;
};

// A lead ready for the batch insert. The views point into the importer's
// batch, which outlives the insert.
struct NewLead {
  std::string_view email, first_name, last_name, company, title, phone, website, country, timezone, status, source;
  std::int64_t score = 0;
  std::optional<std::int64_t> owner_id;
  std::int64_t line = 0;
  std::string tags_json, custom_json;
};

class ImportStore {
 public:
  explicit ImportStore(storage::Backend backend);
  storage::Backend backend() const noexcept { return backend_; }

  // ---- upload
  std::int64_t create(Connection& c, const std::string& options_json, const std::string& filename,
                      std::optional<std::int64_t> created_by, std::int64_t chunk_size, const std::string& now) const;
  void add_chunk(Connection& c, std::int64_t id, std::int64_t seq, std::string_view bytes) const;
  void touch(Connection& c, std::int64_t id, const std::string& now) const;
  void set_options(Connection& c, std::int64_t id, const std::string& options_json, const std::string& filename) const;
  bool upload_done(Connection& c, std::int64_t id, std::int64_t chunks, std::int64_t total,
                   const std::string& now) const;
  void remove(Connection& c, std::int64_t id) const;
  std::int64_t delete_stale_uploads(Connection& c, const std::string& before) const;

  // ---- processing
  std::optional<ImportRecord> get(Connection& c, std::int64_t id) const;
  std::vector<std::int64_t> unfinished(Connection& c) const;
  // Queued, or running without a heartbeat since `stale_before`.
  std::vector<std::int64_t> stranded(Connection& c, const std::string& stale_before) const;
  bool give_up(Connection& c, std::int64_t id, const std::string& reason, const std::string& now,
               const std::string& stale_before) const;
  bool claim(Connection& c, std::int64_t id, const std::string& worker, const std::string& now,
             const std::string& stale_before) const;
  std::string chunk(Connection& c, std::int64_t id, std::int64_t seq) const;
  bool set_header(Connection& c, std::int64_t id, const std::string& worker, std::string_view delimiter,
                  const std::string& header_json, std::int64_t next_offset, std::int64_t next_line,
                  const std::string& now) const;
  bool checkpoint(Connection& c, std::int64_t id, const std::string& worker, std::int64_t from_offset,
                  const Checkpoint& cp, const std::string& now) const;
  bool finish(Connection& c, std::int64_t id, const std::string& worker, std::string_view status,
              const std::optional<std::string>& error, const std::string& now) const;
  bool release(Connection& c, std::int64_t id, const std::string& worker) const;
  void drop_chunks(Connection& c, std::int64_t id) const;
  void add_error(Connection& c, std::int64_t id, const ImportErrorRow& e) const;
  std::vector<ImportErrorRow> errors_after(Connection& c, std::int64_t id, std::int64_t after_line,
                                           std::int64_t limit) const;
  // Session settings for a long import on this connection, and back.
  void tune(Connection& c, bool on) const;
  // Housekeeping after an import (checkpoint / statistics); best effort.
  void settle(Connection& c) const;

  // ---- batch reads and writes
  // The stored leads among `emails`, by email.
  std::unordered_map<std::string, Lead> existing(Connection& c, const std::vector<std::string_view>& emails) const;
  // Multi-row INSERT … ON CONFLICT (email) DO NOTHING. Returns the new id of
  // each lead by position, 0 where the address existed already.
  std::vector<std::int64_t> insert_leads(Connection& c, std::span<const NewLead> leads, std::int64_t import_id,
                                         const std::string& now) const;
  void insert_tags(Connection& c, std::span<const std::pair<std::int64_t, std::string>> links) const;

 private:
  const std::string& insert_sql(std::size_t rows) const;
  const std::string& tags_sql(std::size_t rows) const;

  storage::Backend backend_;
  std::size_t rows_per_insert_;
  std::string insert_many_, insert_one_, tags_many_, tags_one_;
};

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace herald::leads
