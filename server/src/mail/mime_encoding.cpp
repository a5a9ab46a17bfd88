#include "mail/mime_encoding.hpp"

#include <sodium.h>

#include <array>
#include <ctime>

#include <fmt/format.h>

#include "core/strings.hpp"

namespace herald::mail {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::size_t kQpLine = 76;
constexpr std::size_t kMaxLine = 998;

bool is_atext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
  for (char c : s)
    if (c != '.' && !is_atext(c)) return false;
  return true;
}

bool is_ascii_printable(std::string_view s) {
  for (char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

std::string base64(std::string_view data) {
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

// Length of the UTF-8 sequence starting with byte b (1 for stray bytes).
std::size_t utf8_length(unsigned char b) {
  if (b >= 0xF0 && b <= 0xF4) return 4;
  if (b >= 0xE0) return b <= 0xEF ? 3 : 1;
  if (b >= 0xC2) return 2;
  return 1;
}

// Encoded words of at most 64 characters ("=?UTF-8?B?" + ≤ 52 base64 +
// "?="; RFC 2047 allows 75), i.e. ≤ 39 bytes of text each, never splitting a
// character, so that "Subject: " and a word fit RFC 2047's 76-column lines.
std::vector<std::string> encoded_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size()) {
      std::size_t n = utf8_length(static_cast<unsigned char>(text[end]));
      if (end + n > text.size()) n = text.size() - end;
      if (end + n - i > 39) break;
      end += n;
    }
    if (end == i) end = i + 1;
    words.push_back("=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=");
    i = end;
  }
  return words;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Header text with control characters (line breaks included) as spaces.
std::string without_controls(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

}  // namespace

std::string normalize_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string encode_quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8 + 16);
  std::size_t column = 0;
  const std::size_t n = text.size();
  // Written as it is: printable ASCII but '=', and a space or tab that does
  // not end a line.
  const auto literal_at = [&](std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    return (c >= 33 && c <= 126 && c != '=') ||
           ((c == ' ' || c == '\t') && i + 1 < n && text[i + 1] != '\r' && text[i + 1] != '\n');
  };
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      out += "\r\n";
      column = 0;
      continue;
    }
    bool literal = literal_at(i);
    std::size_t width = literal ? 1 : 3;
    if (column + width > kQpLine - 1) {  // keep room for the soft break's '='
      out += "=\r\n";
      column = 0;
    }
    if (literal) {
      // The run of literal characters that fits on this line, in one append.
      const std::size_t limit = std::min(n, i + (kQpLine - 1 - column));
      std::size_t j = i + 1;
      while (j < limit && literal_at(j)) ++j;
      out.append(text.data() + i, j - i);
      column += j - i;
      i = j - 1;
      continue;
    }
    const char enc[3] = {'=', kHex[c >> 4], kHex[c & 0xF]};
    out.append(enc, 3);
    column += width;
  }
  return out;
}

std::string encode_base64_lines(std::string_view data) {
  std::string b = base64(data);
  std::string out;
  out.reserve(b.size() + b.size() / 38 + 2);
  for (std::size_t i = 0; i < b.size(); i += 76) {
    if (i > 0) out += "\r\n";
    out.append(b, i, 76);
  }
  return out;
}

std::string_view to_string(TransferEncoding e) {
  switch (e) {
    case TransferEncoding::SevenBit:
      return "7bit";
    case TransferEncoding::QuotedPrintable:
      return "quoted-printable";
    case TransferEncoding::Base64:
      return "base64";
  }
  return "7bit";
}

TransferEncoding choose_transfer_encoding(std::string_view text) {
  std::size_t high = 0, line = 0, longest = 0;
  bool controls = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) ++high;
    if (c == '\r' || c == '\n') {
      longest = std::max(longest, line);
      line = 0;
      continue;
    }
    ++line;
    if ((c < 0x20 && c != '\t') || c == 0x7F) controls = true;
  }
  longest = std::max(longest, line);
  if (high == 0 && !controls && longest <= kQpLine && text.find("=_") == std::string_view::npos)
    return TransferEncoding::SevenBit;
  // Base64 costs 4/3 of every byte; quoted-printable 3 bytes for each non-ASCII one.
  return high * 6 > text.size() ? TransferEncoding::Base64 : TransferEncoding::QuotedPrintable;
}

std::string encode_body(std::string_view text, TransferEncoding encoding) {
  switch (encoding) {
    case TransferEncoding::SevenBit:
      return normalize_crlf(text);
    case TransferEncoding::QuotedPrintable:
      return encode_quoted_printable(text);
    case TransferEncoding::Base64:
      return encode_base64_lines(normalize_crlf(text));
  }
  return {};
}

std::string encode_header_text(std::string_view text) {
  std::string clean = without_controls(text);
  // Printable ASCII stays readable, unless it could be taken for an encoded
  // word or holds a word too long to fold.
  bool plain = is_ascii_printable(clean) && clean.find("=?") == std::string::npos;
  if (plain) {
    for (auto word : split(clean, ' '))
      if (word.size() > 900) plain = false;
  }
  if (plain) return clean;
  return join(encoded_words(clean));
}

std::string format_addr_spec(std::string_view email) {
  auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size())
    throw MimeError(fmt::format("\"{}\" is not an email address", without_controls(email)));
  std::string_view local = email.substr(0, at);
  std::string_view domain = email.substr(at + 1);
  for (char c : email) {
    if (static_cast<unsigned char>(c) >= 0x80)
      throw MimeError("the address is not ASCII (internationalised addresses need SMTPUTF8, not supported)");
    if (c < 0x20 || c == 0x7F) throw MimeError("the address holds control characters");
  }
  if (email.size() > 254) throw MimeError("the address is longer than 254 characters");
  bool domain_ok = !domain.empty();
  if (domain.front() == '[') {  // an address literal
    std::string_view inner = domain.substr(1, domain.size() - 1);
    domain_ok = domain.size() > 2 && domain.back() == ']' && inner.find_first_of(" \\[") == std::string_view::npos &&
                inner.find(']') == inner.size() - 1;
  } else {
    domain_ok = is_dot_atom(domain);
  }
  if (!domain_ok) throw MimeError(fmt::format("\"{}\" has no valid domain", email));
  if (is_dot_atom(local)) return std::string(email);
  std::string quoted = "\"";
  for (char c : local) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted + "@" + std::string(domain);
}

std::string format_address(std::string_view name, std::string_view email) {
  std::string addr = "<" + format_addr_spec(email) + ">";
  std::string display(trim(without_controls(name)));
  if (display.empty()) return addr;
  bool atoms = true;
  for (char c : display)
    if (c != ' ' && !is_atext(c)) atoms = false;
  if (atoms && display.find("=?") == std::string::npos) return display + " " + addr;
  if (is_ascii_printable(display)) {
    std::string q = "\"";
    for (char c : display) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\" " + addr;
  }
  return join(encoded_words(display)) + " " + addr;
}

std::string fold_header(std::string_view name, std::string_view value) {
  std::string out;
  out.reserve(name.size() + value.size() + 8);
  out.append(name);
  out += ':';
  std::size_t line = out.size();
  // Break points: before a space, and after ", " in lists.
  std::size_t i = 0;
  bool first = true;
  while (i < value.size()) {
    std::size_t next = value.find(' ', i + 1);
    if (next == std::string_view::npos) next = value.size();
    std::string_view word = value.substr(i, next - i);  // starts with its space (except the first)
    if (first) {
      out += ' ';
      ++line;
      if (!word.empty() && word.front() == ' ') word.remove_prefix(1);
      first = false;
    } else if (line + word.size() > 78 && line > 1) {
      out += "\r\n";
      line = 0;
    }
    out.append(word);
    line += word.size();
    if (line > kMaxLine) throw MimeError(fmt::format("the {} header holds a word too long for one line", name));
    i = next;
  }
  if (first) out += ' ';
  out += "\r\n";
  return out;
}

std::string format_date(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  static constexpr std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02d} {} {} {:02d}:{:02d}:{:02d} +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace herald::mail
