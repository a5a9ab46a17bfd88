#include "cli/progress.hpp"

#include <algorithm>
#include <cmath>

namespace herald::cli {
namespace {

std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string duration(double seconds) {
  auto s = static_cast<std::int64_t>(std::llround(std::max(0.0, seconds)));
  if (s < 60) return std::to_string(s) + "s";
  return std::to_string(s / 60) + "m" + (s % 60 < 10 ? "0" : "") + std::to_string(s % 60) + "s";
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::FILE* out, bool terminal)
    : out_(out), terminal_(terminal), started_(std::chrono::steady_clock::now()) {}

std::string ProgressDisplay::line(const ProgressSample& s, std::chrono::duration<double> elapsed, bool bar) {
  double f = std::clamp(s.fraction, 0.0, 1.0);
  std::string out = s.phase + " ";
  if (bar) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(f * kWidth);
    out += "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(kWidth - filled), '.') + "] ";
  }
  char pct[16];
  std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(f * 100));
  out += pct;
  double secs = elapsed.count();
  if (s.items > 0) {
    out += "  " + grouped(s.items) + " rows";
    if (secs > 0.05) out += "  " + grouped(static_cast<std::int64_t>(static_cast<double>(s.items) / secs)) + " rows/s";
  }
  if (f > 0.01 && f < 1) out += "  ETA " + duration(secs * (1 - f) / f);
  return out;
}

void ProgressDisplay::update(const ProgressSample& s, bool force) {
  auto now = std::chrono::steady_clock::now();
  if (s.phase != phase_) {
    if (drawn_ && terminal_) std::fputc('\n', out_);
    phase_ = s.phase;
    started_ = now;
    force = true;
  }
  auto every = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(2000);
  if (!force && now - last_ < every) return;
  last_ = now;
  auto text = line(s, now - started_, terminal_);
  if (terminal_) {
    std::fprintf(out_, "\r%-100s", text.c_str());
  } else {
    std::fprintf(out_, "%s\n", text.c_str());
  }
  std::fflush(out_);
  drawn_ = true;
}

void ProgressDisplay::done() {
  if (drawn_ && terminal_) std::fputc('\n', out_);
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace herald::cli
