#include "mail/smtp_protocol.hpp"

#include <sodium.h>

#include <fmt/format.h>

#include "core/strings.hpp"
#include "mail/delivery.hpp"

namespace herald::mail {

namespace {

constexpr std::size_t kMaxReplyLines = 200;
constexpr std::size_t kMaxReplyText = 1000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace

// ---- delivery.hpp -----------------------------------------------------------

std::string_view to_string(DeliveryStatus s) {
  switch (s) {
    case DeliveryStatus::Accepted:
      return "accepted";
    case DeliveryStatus::Deferred:
      return "deferred";
    case DeliveryStatus::Rejected:
      return "rejected";
    case DeliveryStatus::Dropped:
      return "dropped";
  }
  return "deferred";
}

std::string DeliveryResult::to_string() const {
  return fmt::format("{} at {}: {}{}", mail::to_string(status), stage, reply,
                     ambiguous ? " (after the whole message)" : "");
}

DeliveryStatus status_for_code(int code) noexcept {
  if (code >= 200 && code < 300) return DeliveryStatus::Accepted;
  if (code >= 400 && code < 500) return DeliveryStatus::Deferred;
  return DeliveryStatus::Rejected;
}

// ---- replies ----------------------------------------------------------------

std::string SmtpReply::enhanced_code() const {
  if (lines.empty()) return {};
  std::string_view first = lines.front();
  auto space = first.find(' ');
  std::string_view word = first.substr(0, space);
  auto parts = split(word, '.');
  if (parts.size() != 3 || word.size() > 11) return {};
  if (parts[0].size() != 1 || (parts[0][0] != '2' && parts[0][0] != '4' && parts[0][0] != '5')) return {};
  for (auto p : parts) {
    if (p.empty() || p.size() > 3) return {};
    for (char c : p)
      if (!is_digit(c)) return {};
  }
  return std::string(word);
}

std::string SmtpReply::to_string() const {
  std::string out = std::to_string(code);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += i == 0 ? " " : " / ";
    out += lines[i];
    if (out.size() > kMaxReplyText) break;
  }
  if (out.size() > kMaxReplyText) out.resize(kMaxReplyText);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return storable_text(out);
}

std::optional<SmtpReply> ReplyParser::feed(std::string_view line) {
  if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2]) ||
      (line.size() > 3 && line[3] != ' ' && line[3] != '-'))
    throw SmtpProtocolError(fmt::format("not an SMTP reply line: \"{}\"", storable_text(line.substr(0, 80))));
  int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (code < 200 || code > 599) throw SmtpProtocolError(fmt::format("reply code {} is outside 200-599", code));
  if (!current_.lines.empty() && code != current_.code)
    throw SmtpProtocolError("the reply code changed within one reply");
  if (current_.lines.size() >= kMaxReplyLines) throw SmtpProtocolError("a reply of more than 200 lines");
  current_.code = code;
  current_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view());
  if (line.size() > 3 && line[3] == '-') return std::nullopt;
  SmtpReply done = std::move(current_);
  current_ = SmtpReply();
  return done;
}

Capabilities parse_ehlo(const SmtpReply& reply) {
  Capabilities caps;
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    auto words = split(trim(reply.lines[i]), ' ');
    if (words.empty()) continue;
    std::string keyword = to_lower_ascii(words[0]);
    if (keyword == "pipelining")
      caps.pipelining = true;
    else if (keyword == "starttls")
      caps.starttls = true;
    else if (keyword == "8bitmime")
      caps.eightbitmime = true;
    else if (keyword == "smtputf8")
      caps.smtputf8 = true;
    else if (keyword == "enhancedstatuscodes")
      caps.enhanced_status_codes = true;
    else if (keyword == "size" && words.size() > 1) {
      std::uint64_t v = 0;
      bool ok = !words[1].empty() && words[1].size() < 19;
      for (char c : words[1]) {
        if (!is_digit(c))
          ok = false;
        else
          v = v * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (ok) caps.size = v;
    } else if (keyword == "auth" || keyword == "auth=login") {
      for (std::size_t w = 1; w < words.size(); ++w)
        if (!words[w].empty()) caps.auth.insert(upper(words[w]));
      if (keyword == "auth=login") caps.auth.insert("LOGIN");
    }
  }
  return caps;
}

std::string envelope_address_problem(std::string_view address, bool allow_empty) {
  if (address.empty()) return allow_empty ? "" : "the recipient address is empty";
  if (address.size() > 254) return "the address is longer than 254 characters";
  for (char c : address) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return "the address is not ASCII (internationalised addresses need SMTPUTF8, not supported)";
    if (u <= 0x20 || u == 0x7F || c == '<' || c == '>') return "the address holds spaces, controls or angle brackets";
  }
  auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size())
    return "the address has no local@domain form";
  return "";
}

std::string dot_stuff(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 512 + 8);
  bool line_start = true;
  std::size_t i = 0;
  while (i < message.size()) {
    if (line_start && message[i] == '.') out += '.';
    auto lf = message.find('\n', i);
    std::size_t end = lf == std::string_view::npos ? message.size() : lf + 1;
    out.append(message.substr(i, end - i));
    line_start = lf != std::string_view::npos;
    i = end;
  }
  if (!out.ends_with("\r\n")) {
    if (out.ends_with('\n'))
      out.insert(out.size() - 1, "\r");
    else
      out += "\r\n";
  }
  out += ".\r\n";
  return out;
}

std::string base64_text(std::string_view s) {
  std::string out(sodium_base64_ENCODED_LEN(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

std::string auth_plain(std::string_view user, std::string_view password) {
  std::string raw;
  raw += '\0';
  raw.append(user);
  raw += '\0';
  raw.append(password);
  return base64_text(raw);
}

}  // namespace herald::mail
