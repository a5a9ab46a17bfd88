// CSV imports as the API and the CLI see them: storing an upload in the
// database chunk by chunk, submitting it, and reporting progress and the
// per-row report.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "http/types.hpp"
#include "leads/import_store.hpp"
#include "leads/runner.hpp"

namespace herald::leads {

inline constexpr std::size_t kChunkSize = 1 << 20;
inline constexpr std::int64_t kErrorsInStatus = 100;

// One upload in progress: bytes in, fixed-size chunks out to the database.
// Destroyed before finish(), it removes what it stored.
class ImportUpload {
 public:
  ImportUpload(storage::Database& db, const ImportStore& store, const Clock& clock, const ImportOptions& options,
               const std::string& filename, std::optional<std::int64_t> created_by, std::size_t chunk_size);
  ~ImportUpload();
  ImportUpload(const ImportUpload&) = delete;
  ImportUpload& operator=(const ImportUpload&) = delete;

  void write(std::string_view bytes);
  // Options sent with the file (multipart form fields) replace the initial ones.
  void set_options(const ImportOptions& options, const std::string& filename);
  // Stores the tail and queues the import; ValidationError("file") when nothing was sent.
  std::int64_t finish();

  std::int64_t id() const noexcept { return id_; }
  std::uint64_t bytes() const noexcept { return total_; }

 private:
  void store_chunk(std::string_view bytes);

  storage::Database& db_;
  const ImportStore& store_;
  const Clock& clock_;
  std::size_t chunk_size_;
  std::int64_t id_ = 0;
  std::int64_t seq_ = 0;
  std::uint64_t total_ = 0;
  std::string buffer_;
  bool finished_ = false;
};

// The per-row report as CSV, "line,kind,reason", every cell escaped against
// spreadsheet formulas: what GET /api/leads/import/{id}/errors and
// `herald import-leads --errors` both write.
void append_error_report_header(std::string& out);
void append_error_report_row(std::string& out, const ImportErrorRow& e);

// The import job's public JSON: {job_id, status, rows, created, updated,
// skipped, failed, percent, errors[{line, reason, kind}], error, …}.
// While the import is unfinished its queue job (if given) completes the
// picture, so the report and the queue admin API agree: a failed attempt
// waiting for the next makes it `retrying` with the last error and
// `next_attempt_at`; a job that gave up makes it `failed` with the reason.
nlohmann::json to_json(const ImportRecord& rec, const std::vector<ImportErrorRow>& first_errors,
                       const std::optional<jobs::Job>& job = std::nullopt);

class ImportService {
 public:
  ImportService(storage::Database& db, ImportRunner& runner, const Clock& clock, std::size_t chunk_size = kChunkSize);

  std::unique_ptr<ImportUpload> begin(const ImportOptions& options, const std::string& filename,
                                      std::optional<std::int64_t> created_by);
  void submit(std::int64_t id) { runner_.submit(id); }
  nlohmann::json status(std::int64_t id);
  // The first `limit` rows of the report.
  std::vector<ImportErrorRow> errors(std::int64_t id, std::int64_t limit);
  // The whole report as CSV (line,kind,reason), streamed.
  http::BodyProducer error_report(std::int64_t id);

 private:
  storage::Database& db_;
  ImportRunner& runner_;
  const Clock& clock_;
  std::size_t chunk_size_;
  ImportStore store_;
};

}  // namespace herald::leads
