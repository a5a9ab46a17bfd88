#include "core/timezone.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace herald {
namespace {

std::int64_t be(std::string_view data, std::size_t at, std::size_t bytes) {
  if (at + bytes > data.size()) throw std::invalid_argument("truncated TZif data");
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(data[at + i]);
  if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

struct Header {
  std::int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

Header header_at(std::string_view data, std::size_t at) {
  if (data.size() < at + 44 || data.substr(at, 4) != "TZif") throw std::invalid_argument("not TZif data");
  Header h{};
  h.isutcnt = be(data, at + 20, 4);
  h.isstdcnt = be(data, at + 24, 4);
  h.leapcnt = be(data, at + 28, 4);
  h.timecnt = be(data, at + 32, 4);
  h.typecnt = be(data, at + 36, 4);
  h.charcnt = be(data, at + 40, 4);
  if (h.typecnt <= 0 || h.timecnt < 0 || h.charcnt < 0 || h.leapcnt < 0 || h.isutcnt < 0 || h.isstdcnt < 0)
    throw std::invalid_argument("bad TZif header");
  return h;
}

std::size_t block_size(const Header& h, std::size_t time_bytes) {
  return static_cast<std::size_t>(h.timecnt) * time_bytes + static_cast<std::size_t>(h.timecnt) +
         static_cast<std::size_t>(h.typecnt) * 6 + static_cast<std::size_t>(h.charcnt) +
         static_cast<std::size_t>(h.leapcnt) * (time_bytes + 4) + static_cast<std::size_t>(h.isstdcnt) +
         static_cast<std::size_t>(h.isutcnt);
}

}  // namespace

Zone Zone::utc() { return Zone{}; }

Zone Zone::parse(std::string_view data) {
  Header h = header_at(data, 0);
  std::size_t at = 44;
  std::size_t time_bytes = 4;
  if (data.size() > 4 && data[4] >= '2') {  // version 2+: skip the 32-bit block, read the 64-bit one
    at += block_size(h, 4);
    h = header_at(data, at);
    at += 44;
    time_bytes = 8;
  }
  Zone z;
  std::vector<std::int64_t> times(static_cast<std::size_t>(h.timecnt));
  for (auto& t : times) {
    t = be(data, at, time_bytes);
    at += time_bytes;
  }
  std::vector<std::size_t> idx(static_cast<std::size_t>(h.timecnt));
  for (auto& i : idx) {
    i = static_cast<std::size_t>(be(data, at, 1) & 0xff);
    at += 1;
  }
  std::vector<std::int64_t> type_offsets(static_cast<std::size_t>(h.typecnt));
  std::vector<bool> type_dst(type_offsets.size());
  for (std::size_t i = 0; i < type_offsets.size(); ++i) {
    type_offsets[i] = be(data, at, 4);
    type_dst[i] = (be(data, at + 4, 1) & 0xff) != 0;
    at += 6;
  }
  for (auto i : idx)
    if (i >= type_offsets.size()) throw std::invalid_argument("bad TZif transition type");
  // Before the first transition: the first standard-time type (RFC 8536 3.2), else type 0.
  z.initial_ = type_offsets[0];
  for (std::size_t i = 0; i < type_offsets.size(); ++i) {
    if (!type_dst[i]) {
      z.initial_ = type_offsets[i];
      break;
    }
  }
  z.transitions_ = std::move(times);
  z.offsets_.reserve(idx.size());
  for (auto i : idx) z.offsets_.push_back(type_offsets[i]);
  if (!std::is_sorted(z.transitions_.begin(), z.transitions_.end()))
    throw std::invalid_argument("TZif transitions out of order");
  return z;
}

std::int64_t Zone::offset_at(std::chrono::sys_seconds t) const {
  const auto s = t.time_since_epoch().count();
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  if (it == transitions_.begin()) return initial_;
  return offsets_[static_cast<std::size_t>(std::distance(transitions_.begin(), it) - 1)];
}

ZoneDirectory::ZoneDirectory(std::string root) : root_(std::move(root)) {}

std::shared_ptr<const Zone> ZoneDirectory::find(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC") {
    static const auto utc = std::make_shared<const Zone>(Zone::utc());
    return utc;
  }
  if (name.empty() || name.size() > 64 || name.find("..") != std::string_view::npos || name.front() == '/')
    return nullptr;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return nullptr;
  }
  std::lock_guard lock(mutex_);
  if (auto it = zones_.find(name); it != zones_.end()) return it->second;
  std::shared_ptr<const Zone> zone;
  std::ifstream in(root_ + "/" + std::string(name), std::ios::binary);
  if (in) {
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      zone = std::make_shared<const Zone>(Zone::parse(data));
    } catch (const std::invalid_argument&) {
      zone = nullptr;
    }
  }
  if (zones_.size() < 1024) zones_.emplace(std::string(name), zone);
  return zone;
}

}  // namespace herald
