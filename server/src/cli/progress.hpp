// A one-line progress display for long shell commands: a bar with rows/s
// and ETA redrawn in place on a terminal, plain periodic lines otherwise
// (logs, pipes, CI).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace herald::cli {

struct ProgressSample {
  double fraction = 0;     // 0..1 of the work
  std::int64_t items = 0;  // rows so far
  std::string phase;       // "upload", "import"
};

class ProgressDisplay {
 public:
  ProgressDisplay(std::FILE* out, bool terminal);
  // Draws at most ten times a second on a terminal, every two seconds otherwise.
  void update(const ProgressSample& s, bool force = false);
  // Ends the line on a terminal.
  void done();

  // The text of one update (pure, for any elapsed time).
  static std::string line(const ProgressSample& s, std::chrono::duration<double> elapsed, bool bar);

 private:
  std::FILE* out_;
  bool terminal_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_{};
  std::string phase_;
  bool drawn_ = false;
};

}  // namespace herald::cli
