// Serves the built web UI (web/dist): files with long cache headers for
// hashed assets, index.html for client-side routes, and a placeholder page
// when the UI has not been built.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/types.hpp"

namespace herald::http {

class StaticFiles {
 public:
  // `root` is the dist directory; nullopt or missing → the placeholder page.
  explicit StaticFiles(std::optional<std::filesystem::path> root);

  // Answers GET/HEAD for paths outside /api.
  Response serve(const Request& req);
  bool has_ui() const noexcept { return root_.has_value(); }

  // Finds web/dist next to the binary or in the working directory.
  static std::optional<std::filesystem::path> locate(const std::optional<std::filesystem::path>& configured);

 private:
  std::optional<std::string> read_cached(const std::filesystem::path& file);

  std::optional<std::filesystem::path> root_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> cache_;
};

std::string_view mime_type(std::string_view extension) noexcept;

}  // namespace herald::http
