// A minimal streaming JSON writer for the hot paths (lead pages, exports):
// appends to a string, places commas itself, escapes strings per RFC 8259.
// Input text is valid UTF-8 (every write path validates it), so bytes from
// 0x80 up are copied as they are.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace herald::leads {

namespace detail {
// Bytes a JSON string cannot hold as they are.
constexpr std::array<bool, 256> json_escapes() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}
inline constexpr std::array<bool, 256> kJsonEscape = json_escapes();
}  // namespace detail

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view k) {
    separate();
    quoted(k);
    out_.push_back(':');
    after_key_ = true;
    return *this;
  }
  JsonWriter& string(std::string_view s) {
    separate();
    quoted(s);
    return *this;
  }
  JsonWriter& number(std::int64_t v) {
    separate();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  JsonWriter& boolean(bool v) {
    separate();
    out_.append(v ? "true" : "false");
    return *this;
  }
  JsonWriter& null() {
    separate();
    out_.append("null");
    return *this;
  }
  // `"key":` written as given: for constant keys that need no escaping.
  JsonWriter& literal_key(std::string_view quoted_key_colon) {
    separate();
    out_.append(quoted_key_colon);
    after_key_ = true;
    return *this;
  }
  // Pre-serialised JSON (a stored tags array, a custom_fields object).
  JsonWriter& raw(std::string_view json) {
    separate();
    out_.append(json.empty() ? std::string_view("null") : json);
    return *this;
  }

  static void escape_into(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::size_t run = 0;
    std::size_t i = 0;
    while (i < s.size()) {
      // Eight bytes at a time while none needs escaping (the common case).
      if (i + 8 <= s.size() && clean8(s.data() + i)) {
        i += 8;
        continue;
      }
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (!detail::kJsonEscape[c]) {
        ++i;
        continue;
      }
      out.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default: {
          char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          out.append(esc, 6);
        }
      }
      ++i;
    }
    out.append(s.data() + run, s.size() - run);
  }

 private:
  // True when none of the 8 bytes at p is a control character, '"' or '\\'.
  static bool clean8(const char* p) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    auto has_zero = [&](std::uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
    bool control = ((x - kOnes * 0x20) & ~x & kHigh) != 0;  // some byte < 0x20
    return !control && !has_zero(x ^ (kOnes * '"')) && !has_zero(x ^ (kOnes * '\\'));
  }

  JsonWriter& open(char c) {
    separate();
    out_.push_back(c);
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    out_.push_back(c);
    first_ = false;
    return *this;
  }
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  void quoted(std::string_view s) {
    out_.push_back('"');
    escape_into(out_, s);
    out_.push_back('"');
  }

  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace herald::leads
