#include "http/static_files.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/strings.hpp"
#include "http/problem.hpp"

namespace herald::http {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kPlaceholder = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Herald</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.2rem}</style></head>
<body><h1>Herald is running</h1>
<p>The API is served under <code>/api</code>; its description is at <a href="/api/openapi.json">/api/openapi.json</a>
and liveness at <a href="/api/health">/api/health</a>.</p>
<p>The web interface has not been built into this installation (<code>make build</code> builds it into <code>web/dist</code>).</p>
</body></html>
)";

bool safe_relative(std::string_view path) {
  for (auto seg : split(path, '/')) {
    if (seg == ".." || seg == "." || seg.find('\\') != std::string_view::npos ||
        seg.find('\0') != std::string_view::npos)
      return false;
  }
  return true;
}

Response file_response(std::string body, std::string_view ext, bool immutable) {
  Response r = Response::text(200, std::move(body), std::string(mime_type(ext)));
  r.headers.add("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace

std::string_view mime_type(std::string_view ext) noexcept {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
  };
  for (auto [e, t] : kTypes) {
    if (iequals_ascii(e, ext)) return t;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::optional<fs::path> root) {
  if (root && fs::exists(*root / "index.html")) root_ = fs::canonical(*root);
}

std::optional<fs::path> StaticFiles::locate(const std::optional<fs::path>& configured) {
  if (configured) return configured;
  std::vector<fs::path> candidates{fs::current_path() / "web" / "dist"};
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "web" / "dist");
    candidates.push_back(exe.parent_path() / ".." / "share" / "herald" / "web");
  }
  for (const auto& c : candidates) {
    if (fs::exists(c / "index.html", ec)) return c;
  }
  return std::nullopt;
}

std::optional<std::string> StaticFiles::read_cached(const fs::path& file) {
  std::string key = file.string();
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  std::lock_guard lock(mutex_);
  return cache_.emplace(key, ss.str()).first->second;
}

Response StaticFiles::serve(const Request& req) {
  if (!root_) {
    if (req.path == "/" || req.path == "/index.html") return file_response(std::string(kPlaceholder), ".html", false);
    return problem(404, "Not Found", "no such page: " + req.path, "not-found");
  }
  std::string_view rel = std::string_view(req.path).substr(1);
  if (!safe_relative(rel)) return problem(404, "Not Found", "no such file", "not-found");
  if (!rel.empty()) {
    fs::path file = *root_ / fs::path(rel);
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) {
      if (auto body = read_cached(file)) {
        bool hashed = rel.starts_with("assets/");
        return file_response(std::move(*body), file.extension().string(), hashed);
      }
    }
    // A missing asset is a real 404; anything else is a client-side route.
    if (rel.starts_with("assets/") || fs::path(rel).has_extension())
      return problem(404, "Not Found", "no such file: " + req.path, "not-found");
  }
  auto index = read_cached(*root_ / "index.html");
  if (!index) return problem(404, "Not Found", "the UI has no index.html", "not-found");
  return file_response(std::move(*index), ".html", false);
}

}  // namespace herald::http
