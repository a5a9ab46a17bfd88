#include "jobs/job_id.hpp"

#include <chrono>
#include <random>

namespace herald::jobs {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int digit_value(char c) noexcept {
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::string make_job_id(std::int64_t unix_ms, const std::array<std::uint8_t, 10>& random) {
  std::string id(kJobIdLength, '0');
  // 10 characters of time (50 bits, the top 2 always zero for 48-bit times).
  auto t = static_cast<std::uint64_t>(unix_ms) & ((1ull << 48) - 1);
  for (int i = 9; i >= 0; --i) {
    id[static_cast<std::size_t>(i)] = kAlphabet[t & 31];
    t >>= 5;
  }
  // 16 characters of randomness: 80 bits, 5 at a time.
  int bit = 0;
  for (std::size_t i = 10; i < kJobIdLength; ++i, bit += 5) {
    unsigned v = 0;
    for (int b = 0; b < 5; ++b) {
      const int pos = bit + b;
      v = (v << 1) | ((random[static_cast<std::size_t>(pos / 8)] >> (7 - pos % 8)) & 1u);
    }
    id[i] = kAlphabet[v];
  }
  return id;
}

std::string new_job_id() {
  thread_local std::mt19937_64 rng{
      std::random_device{}() ^ static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
  std::array<std::uint8_t, 10> random{};
  const std::uint64_t a = rng(), b = rng();
  for (std::size_t i = 0; i < 8; ++i) random[i] = static_cast<std::uint8_t>(a >> (8 * i));
  random[8] = static_cast<std::uint8_t>(b);
  random[9] = static_cast<std::uint8_t>(b >> 8);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return make_job_id(ms, random);
}

bool is_valid_job_id(std::string_view id) noexcept {
  if (id.size() != kJobIdLength) return false;
  if (digit_value(id[0]) > 7) return false;  // the top time digit carries 3 bits
  for (char c : id)
    if (digit_value(c) < 0) return false;
  return true;
}

std::int64_t job_id_millis(std::string_view id) noexcept {
  if (!is_valid_job_id(id)) return 0;
  std::int64_t t = 0;
  for (std::size_t i = 0; i < 10; ++i) t = (t << 5) | digit_value(id[i]);
  return t;
}

}  // namespace herald::jobs
