// herald import-leads FILE.csv: the API's import pipeline run from the
// shell, straight against the configured database.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "app/composition.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/config.hpp"
#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "leads/module.hpp"

namespace herald::cli {
namespace {

constexpr std::size_t kReadPiece = 1 << 20;

void print_report(leads::ImportService& imports, std::int64_t id, std::FILE* to, std::int64_t limit) {
  for (const auto& e : imports.errors(id, limit))
    std::fprintf(to, "  line %lld: %s (%s)\n", static_cast<long long>(e.line), e.reason.c_str(), e.kind.c_str());
}

// The same report GET /api/leads/import/{id}/errors streams, byte for byte.
bool write_report(leads::ImportService& imports, std::int64_t id, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return false;
  auto produce = imports.error_report(id);
  std::string piece;
  for (bool more = true; more && out;) {
    piece.clear();
    more = produce(piece);
    out << piece;
  }
  return static_cast<bool>(out);
}

}  // namespace

int import_leads(const GlobalOptions& global, const ImportLeadsOptions& options) {
  Config config = load_config(global.config_file, process_env());
  log::init(log::Format::Text, log::Level::Warn);
  crypto::init();

  leads::ImportOptions import;
  if (auto mode = leads::parse_import_mode(options.mode)) {
    import.mode = *mode;
  } else {
    std::fprintf(stderr, "herald import-leads: --mode must be create_only, upsert or update_only\n");
    return 2;
  }
  import.tags = options.tags;
  import.list = options.list;
  import.source = options.source;
  try {
    import.mapping = leads::parse_mapping_option(options.mapping);
    leads::validate_import_options(import);
  } catch (const ValidationError& e) {
    for (const auto& f : e.errors())
      std::fprintf(stderr, "herald import-leads: --%s %s\n", f.field.c_str(), f.message.c_str());
    return 2;
  }
  std::ifstream file(options.file, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "herald import-leads: cannot read %s\n", options.file.c_str());
    return 2;
  }
  file.seekg(0, std::ios::end);
  auto size = static_cast<double>(std::max<std::streamoff>(file.tellg(), 1));
  file.seekg(0);

  app::Composition composition(config, {});
  auto& imports = composition.module<leads::Module>().imports();
  auto& importer = composition.module<leads::Module>().importer();

  ProgressDisplay progress(stderr, ::isatty(fileno(stderr)) != 0);
  auto started = std::chrono::steady_clock::now();
  std::int64_t id = 0;
  {
    auto upload = imports.begin(import, std::filesystem::path(options.file).filename().string(), std::nullopt);
    std::vector<char> piece(kReadPiece);
    while (file) {
      file.read(piece.data(), static_cast<std::streamsize>(piece.size()));
      auto n = static_cast<std::size_t>(file.gcount());
      if (n == 0) break;
      upload->write(std::string_view(piece.data(), n));
      progress.update({static_cast<double>(upload->bytes()) / size, 0, "upload"});
    }
    try {
      id = upload->finish();
    } catch (const ValidationError&) {
      progress.done();
      std::fprintf(stderr, "herald import-leads: %s is empty\n", options.file.c_str());
      return 1;
    }
  }
  auto uploaded = std::chrono::steady_clock::now();

  leads::ImporterHooks hooks;
  hooks.progress = [&](const leads::ImportProgress& p) {
    double f =
        p.total_bytes > 0 ? static_cast<double>(p.checkpoint.next_offset) / static_cast<double>(p.total_bytes) : 1;
    progress.update({f, p.checkpoint.rows, "import"});
  };
  auto outcome = importer.run(id, leads::worker_name(), hooks);
  progress.done();
  auto finished = std::chrono::steady_clock::now();

  auto status = imports.status(id);
  if (outcome != leads::Importer::Outcome::Completed) {
    std::fprintf(stderr, "herald import-leads: the import failed: %s\n",
                 status["error"].is_string() ? status["error"].get<std::string>().c_str() : "unknown reason");
    return 1;
  }
  auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  double apply_s = secs(finished - uploaded);
  auto rows = status["rows"].get<std::int64_t>();
  std::printf("imported %s (job %lld): %lld rows — %lld created, %lld updated, %lld skipped, %lld failed\n",
              options.file.c_str(), static_cast<long long>(id), static_cast<long long>(rows),
              static_cast<long long>(status["created"].get<std::int64_t>()),
              static_cast<long long>(status["updated"].get<std::int64_t>()),
              static_cast<long long>(status["skipped"].get<std::int64_t>()),
              static_cast<long long>(status["failed"].get<std::int64_t>()));
  std::printf("time: %.2f s upload + %.2f s import = %.2f s (%.0f rows/s)\n", secs(uploaded - started), apply_s,
              secs(finished - started), apply_s > 0 ? static_cast<double>(rows) / apply_s : 0.0);
  auto problems = status["skipped"].get<std::int64_t>() + status["failed"].get<std::int64_t>();
  if (problems > 0) {
    std::printf("rows not applied (first %lld of %lld):\n",
                static_cast<long long>(std::min<std::int64_t>(problems, 10)), static_cast<long long>(problems));
    print_report(imports, id, stdout, 10);
    if (!options.errors_file.empty()) {
      if (!write_report(imports, id, options.errors_file)) {
        std::fprintf(stderr, "herald import-leads: cannot write %s\n", options.errors_file.c_str());
        return 1;
      }
      std::printf("the whole report is in %s\n", options.errors_file.c_str());
    } else {
      std::printf("the whole report: --errors FILE, or GET /api/leads/import/%lld/errors\n",
                  static_cast<long long>(id));
    }
  }
  return 0;
}

}  // namespace herald::cli
