#include "core/email.hpp"

#include <idn2.h>
#include <array>
#include <cstdio>
#include <memory>

#include "core/strings.hpp"

namespace herald {
namespace {

struct Range {
  char32_t first, last;
};

// Controls, spaces other than U+0020, format characters (Cf) and
// default-ignorable code points (Unicode 15: DerivedCoreProperties.txt and
// the Cf, Zs, Zl, Zp categories of UnicodeData.txt), sorted.
constexpr std::array<Range, 29> kInvisible = {
    {{0x0000, 0x001F},   {0x007F, 0x00A0},   {0x00AD, 0x00AD},   {0x034F, 0x034F},   {0x0600, 0x0605},
     {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},
     {0x115F, 0x1160},   {0x1680, 0x1680},   {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x2000, 0x200F},
     {0x2028, 0x202F},   {0x205F, 0x206F},   {0x3000, 0x3000},   {0x3164, 0x3164},   {0xFE00, 0xFE0F},
     {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},   {0xFFF0, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
     {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF}}};

bool invisible(char32_t c) noexcept {
  for (const auto& r : kInvisible) {
    if (c >= r.first && c <= r.last) return true;
  }
  return false;
}

// Decodes the well-formed UTF-8 sequence at s[i], advancing i.
char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
  char32_t c = b & (0x3F >> extra);
  for (int k = 0; k < extra && i < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  return c;
}

std::string code_point_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

bool is_ascii(std::string_view s) noexcept {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

bool local_part_ok(std::string_view local) {
  if (local.empty() || local.size() > kMaxEmailLocalPart) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  for (unsigned char c : local) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 ||
              std::string_view("!#$%&'*+-/=?^_`{|}~.").find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// An ASCII domain: dot-separated labels of letters, digits and hyphens.
bool ascii_domain_ok(std::string_view domain) {
  if (domain.find('.') == std::string_view::npos || domain.size() > 253) return false;
  for (auto label : split(domain, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
  }
  return true;
}

bool has_a_label(std::string_view domain) {
  for (auto label : split(domain, '.')) {
    if (label.starts_with("xn--")) return true;
  }
  return false;
}

EmailCheck refuse(std::string problem) { return EmailCheck{{}, std::move(problem)}; }

}  // namespace

std::optional<char32_t> first_invisible(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = next_code_point(s, i);
    if (invisible(c)) return c;
  }
  return std::nullopt;
}

EmailCheck check_email(std::string_view input) {
  const std::string kInvalid(kNotAnAddress);
  auto trimmed = trim(input);
  if (trimmed.size() > 4 * kMaxEmailLength) return refuse(kInvalid);
  if (!valid_utf8(trimmed)) return refuse("is not valid UTF-8");
  if (auto c = first_invisible(trimmed))
    return refuse("must not contain invisible or formatting characters (found " + code_point_name(*c) + ")");
  std::string e = to_lower_ascii(trimmed);
  auto at = e.find('@');
  if (at == std::string::npos || at != e.rfind('@')) return refuse(kInvalid);
  std::string local = e.substr(0, at);
  std::string domain = e.substr(at + 1);
  if (!local_part_ok(local)) return refuse(kInvalid);

  if (!is_ascii(domain) || has_a_label(domain)) {
    char* ascii = nullptr;
    int rc = idn2_to_ascii_8z(domain.c_str(), &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    std::unique_ptr<char, decltype(&idn2_free)> owned(ascii, &idn2_free);
    if (rc != IDN2_OK || !ascii)
      return refuse("has a domain that is not a valid internationalised domain name (" +
                    std::string(idn2_strerror(rc)) + ")");
    domain = ascii;
  }
  if (!ascii_domain_ok(domain)) return refuse(kInvalid);
  std::string address = local + "@" + domain;
  if (address.size() > kMaxEmailLength) return refuse(kInvalid);
  return EmailCheck{std::move(address), {}};
}

std::optional<std::string> canonical_email(std::string_view input) {
  auto c = check_email(input);
  if (!c.ok()) return std::nullopt;
  return std::move(c.address);
}

}  // namespace herald
