// Runs a helper program (the python mail tools, openssl) to completion,
// feeding it input and collecting what it prints.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace herald::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when it was killed (signal or timeout)
  std::string out;
  std::string err;
};

// argv[0] is the program's path. Kills it after `timeout` (generous: the
// machine may be busy).
ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input = {},
                          std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace herald::test
