// POST /api/leads/import (streamed into the database), its status and report.
#include "core/errors.hpp"
#include "core/strings.hpp"
#include "http/multipart.hpp"
#include "http/params.hpp"
#include "leads/routes.hpp"

namespace herald::leads {
namespace {

using http::Request;
using http::Response;

constexpr std::size_t kMaxFormField = 64 * 1024;

bool is_option(std::string_view name) {
  return name == "mode" || name == "tag" || name == "list" || name == "mapping" || name == "source";
}

// Options from query parameters (or form fields): mode, tag (repeatable,
// comma-separated), list, mapping (a JSON object), source.
ImportOptions parse_options(const Params& params) {
  ImportOptions o;
  for (const auto& [key, value] : params) {
    if (key == "mode") {
      auto m = parse_import_mode(trim(value));
      if (!m) throw ValidationError("mode", "must be create_only, upsert or update_only");
      o.mode = *m;
    } else if (key == "tag") {
      for (auto t : split(value, ',')) {
        auto tag = trim(t);
        if (!tag.empty()) merge_tags(o.tags, {std::string(tag)});
      }
    } else if (key == "list") {
      o.list = std::string(trim(value));
    } else if (key == "mapping") {
      o.mapping = parse_mapping_option(value);
    } else if (key == "source") {
      o.source = std::string(trim(value));
    } else if (key != "filename") {
      throw ValidationError(key, "is not an import option (mode, tag, list, mapping, source, filename)");
    }
  }
  validate_import_options(o);
  return o;
}

bool raw_csv_type(std::string_view type) {
  return type.empty() || type == "text/csv" || type == "text/plain" || type == "application/csv" ||
         type == "application/vnd.ms-excel" || type == "application/octet-stream" ||
         type == "text/comma-separated-values";
}

// The upload: a raw CSV body, or the `file` field of multipart/form-data
// (other fields may carry the options), written to the database as it comes.
class CsvUploadSink final : public http::BodySink {
 public:
  CsvUploadSink(ImportService& imports, Request& req, Params query, std::optional<std::string> boundary)
      : imports_(imports), req_(req), query_(std::move(query)) {
    auto options = parse_options(query_);
    filename_ = req.query_param("filename").value_or("");
    upload_ = imports_.begin(options, filename_, req.principal ? std::optional(req.principal->user_id) : std::nullopt);
    if (boundary) {
      multipart_.emplace(*boundary,
                         http::MultipartCallbacks{[this](const http::MultipartPart& p) { part(p); },
                                                  [this](std::string_view d) { data(d); }, [this] { part_end(); }});
    }
  }

  void write(std::string_view chunk) override {
    if (multipart_) {
      multipart_->feed(chunk);
    } else {
      upload_->write(chunk);
    }
  }

  Response finish() override {
    if (multipart_) {
      multipart_->finish();
      if (!file_seen_) throw ValidationError("file", "the form has no file field");
      if (!fields_.empty()) {
        Params all = query_;
        all.insert(all.end(), fields_.begin(), fields_.end());
        upload_->set_options(parse_options(all), filename_);
      }
    }
    auto bytes = upload_->bytes();
    auto id = upload_->finish();
    imports_.submit(id);
    req_.audit.resource = "lead_import/" + std::to_string(id);
    req_.audit.details = nlohmann::json({{"bytes", bytes}}).dump();
    auto r = Response::json(202, imports_.status(id));
    r.headers.add("Location", "/api/leads/import/" + std::to_string(id));
    return r;
  }

 private:
  enum class Target { None, File, Field };

  void part(const http::MultipartPart& p) {
    if (!file_seen_ && (p.name == "file" || (p.filename && p.name.empty()))) {
      target_ = Target::File;
      file_seen_ = true;
      if (p.filename) filename_ = *p.filename;
    } else if (is_option(p.name)) {
      target_ = Target::Field;
      field_name_ = p.name;
      field_.clear();
    } else if (p.name == "file") {
      target_ = Target::None;  // a second file is not read
    } else {
      throw ValidationError(p.name, "is not an import option (mode, tag, list, mapping, source)");
    }
  }
  void data(std::string_view d) {
    if (target_ == Target::File) {
      upload_->write(d);
    } else if (target_ == Target::Field) {
      if (field_.size() + d.size() > kMaxFormField) throw ValidationError(field_name_, "is too long");
      field_.append(d);
    }
  }
  void part_end() {
    if (target_ == Target::Field) fields_.emplace_back(field_name_, field_);
    target_ = Target::None;
  }

  ImportService& imports_;
  Request& req_;
  Params query_;
  std::string filename_;
  std::unique_ptr<ImportUpload> upload_;
  std::optional<http::MultipartParser> multipart_;
  Target target_ = Target::None;
  bool file_seen_ = false;
  std::string field_name_, field_;
  Params fields_;
};

}  // namespace

std::unique_ptr<http::BodySink> Routes::open_import(Request& req) {
  std::optional<std::string> boundary;
  auto content_type = req.header("Content-Type").value_or("");
  auto type = to_lower_ascii(trim(content_type.substr(0, content_type.find(';'))));
  if (type == "multipart/form-data") {
    boundary = http::multipart_boundary(content_type);
    if (!boundary) throw BadRequest("a multipart/form-data body needs a boundary parameter");
  } else if (!raw_csv_type(type)) {
    throw UnsupportedMediaType("send the CSV as text/csv, or as the file field of multipart/form-data; got '" +
                               std::string(content_type) + "'");
  }
  req.audit.resource = "lead_import";
  return std::make_unique<CsvUploadSink>(imports_, req, query_pairs(req.query), boundary);
}

Response Routes::import_status(Request& req) {
  return Response::json(200, imports_.status(http::id_param(req, "job_id")));
}

Response Routes::import_errors(Request& req) {
  auto id = http::id_param(req, "job_id");
  auto r = Response::streamed(200, "text/csv; charset=utf-8", imports_.error_report(id));
  r.headers.add("Content-Disposition", "attachment; filename=\"import-" + std::to_string(id) + "-errors.csv\"");
  return r;
}

}  // namespace herald::leads
