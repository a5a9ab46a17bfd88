// Reading a Prometheus text exposition in tests: promtool's verdict on it,
// and one series' value.
#pragma once

#include <filesystem>
#include <string>

namespace herald::test {

struct PromtoolResult {
  int exit_code = -1;  // 0: accepted; lint problems exit 3, parse errors 1
  std::string output;
};

// Runs `promtool check metrics` (Debian package prometheus) on `text`.
PromtoolResult promtool_check(const std::string& text, const std::filesystem::path& scratch_dir);

// The value of `series` exactly as written (name{labels in order}), or -1 when absent.
double sample_value(const std::string& text, const std::string& series);

}  // namespace herald::test
