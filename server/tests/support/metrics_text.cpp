#include "support/metrics_text.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace herald::test {

PromtoolResult promtool_check(const std::string& text, const std::filesystem::path& scratch_dir) {
  const auto input = scratch_dir / "metrics.txt";
  const auto output = scratch_dir / "promtool.out";
  std::ofstream(input) << text;
  const std::string cmd = "promtool check metrics < '" + input.string() + "' > '" + output.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(output);
  std::stringstream ss;
  ss << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ss.str()};
}

double sample_value(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

}  // namespace herald::test
