#include "leads/imports.hpp"

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "leads/csv.hpp"

namespace herald::leads {

ImportUpload::ImportUpload(storage::Database& db, const ImportStore& store, const Clock& clock,
                           const ImportOptions& options, const std::string& filename,
                           std::optional<std::int64_t> created_by, std::size_t chunk_size)
    : db_(db), store_(store), clock_(clock), chunk_size_(chunk_size) {
  auto conn = db_.acquire();
  id_ = store_.create(*conn, to_json(options).dump(), filename, created_by, static_cast<std::int64_t>(chunk_size_),
                      rfc3339(clock_.wall()));
  buffer_.reserve(chunk_size_);
}

ImportUpload::~ImportUpload() {
  if (finished_) return;
  try {
    auto conn = db_.acquire();
    store_.remove(*conn, id_);  // its chunks go with it
  } catch (const std::exception& e) {
    log::warn("could not remove an abandoned lead import upload", {{"import_id", id_}, {"error", e.what()}});
  }
}

void ImportUpload::store_chunk(std::string_view bytes) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  store_.add_chunk(*conn, id_, seq_++, bytes);
  store_.touch(*conn, id_, rfc3339(clock_.wall()));
  tx.commit();
}

void ImportUpload::write(std::string_view bytes) {
  total_ += bytes.size();
  while (!bytes.empty()) {
    std::size_t take = std::min(bytes.size(), chunk_size_ - buffer_.size());
    buffer_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (buffer_.size() == chunk_size_) {
      store_chunk(buffer_);
      buffer_.clear();
    }
  }
}

void ImportUpload::set_options(const ImportOptions& options, const std::string& filename) {
  auto conn = db_.acquire();
  store_.set_options(*conn, id_, to_json(options).dump(), filename);
}

std::int64_t ImportUpload::finish() {
  if (total_ == 0) throw ValidationError("file", "the upload is empty: send the CSV as the body or as the file field");
  if (!buffer_.empty()) {
    store_chunk(buffer_);
    buffer_.clear();
  }
  auto conn = db_.acquire();
  store_.upload_done(*conn, id_, seq_, static_cast<std::int64_t>(total_), rfc3339(clock_.wall()));
  finished_ = true;
  return id_;
}

void append_error_report_header(std::string& out) { out += "line,kind,reason\r\n"; }

void append_error_report_row(std::string& out, const ImportErrorRow& e) {
  out += std::to_string(e.line);
  out += ',';
  append_csv_cell(out, e.kind);
  out += ',';
  append_csv_cell(out, e.reason);
  out += "\r\n";
}

nlohmann::json to_json(const ImportRecord& rec, const std::vector<ImportErrorRow>& first_errors,
                       const std::optional<jobs::Job>& job) {
  const auto& cp = rec.checkpoint;
  std::string status = rec.status == "uploading" ? "queued" : rec.status;
  std::optional<std::string> error = rec.error;
  nlohmann::json next_attempt_at = nullptr;
  const bool unfinished = status == "queued" || status == "running";
  if (unfinished && job) {
    if (job->error) error = job->error;  // the last attempt's
    if (job->status == jobs::JobStatus::Retrying) {
      status = "retrying";
      next_attempt_at = jobs::to_rfc3339(job->run_at);
    } else if (job->status == jobs::JobStatus::Dead || job->status == jobs::JobStatus::Failed) {
      status = "failed";
      if (!error) error = "the import job gave up";
    }
  }
  int percent = 0;
  if (rec.status == "completed") {
    percent = 100;
  } else if (rec.total_bytes > 0) {
    percent = static_cast<int>(cp.next_offset * 100 / rec.total_bytes);
    if (percent >= 100 && rec.status != "completed") percent = 99;
  }
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : first_errors) errors.push_back({{"line", e.line}, {"reason", e.reason}, {"kind", e.kind}});
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  std::string id = std::to_string(rec.id);
  return {{"job_id", id},
          {"status", status},
          {"rows", cp.rows},
          {"created", cp.created},
          {"updated", cp.updated},
          {"skipped", cp.skipped},
          {"failed", cp.failed},
          {"percent", percent},
          {"errors", errors},
          {"errors_total", cp.skipped + cp.failed},
          {"errors_stored", cp.errors_stored},
          {"errors_url", "/api/leads/import/" + id + "/errors"},
          {"error", opt(error)},
          {"attempts", unfinished && job ? nlohmann::json(job->attempts) : nlohmann::json(nullptr)},
          {"max_attempts", unfinished && job ? nlohmann::json(job->max_attempts) : nlohmann::json(nullptr)},
          {"next_attempt_at", next_attempt_at},
          {"queue_job_id", unfinished && job ? nlohmann::json(job->id) : nlohmann::json(nullptr)},
          {"filename", rec.filename},
          {"bytes", rec.total_bytes},
          {"mode", rec.options.value("mode", "create_only")},
          {"created_at", rec.created_at},
          {"started_at", opt(rec.started_at)},
          {"finished_at", opt(rec.finished_at)}};
}

ImportService::ImportService(storage::Database& db, ImportRunner& runner, const Clock& clock, std::size_t chunk_size)
    : db_(db), runner_(runner), clock_(clock), chunk_size_(chunk_size), store_(db.backend()) {}

std::unique_ptr<ImportUpload> ImportService::begin(const ImportOptions& options, const std::string& filename,
                                                   std::optional<std::int64_t> created_by) {
  return std::make_unique<ImportUpload>(db_, store_, clock_, options, filename, created_by, chunk_size_);
}

nlohmann::json ImportService::status(std::int64_t id) {
  auto conn = db_.acquire();
  auto rec = store_.get(*conn, id);
  if (!rec || rec->status == "uploading") throw NotFound("no import with job id " + std::to_string(id));
  auto errors = store_.errors_after(*conn, id, 0, kErrorsInStatus);
  std::optional<jobs::Job> job;
  if (rec->status == "queued" || rec->status == "running") job = runner_.job(id);
  return to_json(*rec, errors, job);
}

std::vector<ImportErrorRow> ImportService::errors(std::int64_t id, std::int64_t limit) {
  auto conn = db_.acquire();
  return store_.errors_after(*conn, id, 0, limit);
}

http::BodyProducer ImportService::error_report(std::int64_t id) {
  {
    auto conn = db_.acquire();
    auto rec = store_.get(*conn, id);
    if (!rec || rec->status == "uploading") throw NotFound("no import with job id " + std::to_string(id));
  }
  auto after = std::make_shared<std::int64_t>(-1);
  return [this, id, after](std::string& chunk) {
    constexpr std::int64_t kSlice = 5000;
    if (*after < 0) {
      append_error_report_header(chunk);
      *after = 0;
    }
    auto conn = db_.acquire();
    auto rows = store_.errors_after(*conn, id, *after, kSlice);
    for (const auto& e : rows) {
      append_error_report_row(chunk, e);
      *after = e.line;
    }
    return static_cast<std::int64_t>(rows.size()) == kSlice;
  };
}

}  // namespace herald::leads
