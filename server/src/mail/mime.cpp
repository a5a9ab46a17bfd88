#include "mail/mime.hpp"

#include <sodium.h>

#include <array>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/strings.hpp"

namespace herald::mail {

namespace {

bool valid_header_name(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool reserved_header(std::string_view name) {
  static constexpr std::array<std::string_view, 16> reserved = {"from",
                                                                "to",
                                                                "cc",
                                                                "bcc",
                                                                "reply-to",
                                                                "subject",
                                                                "date",
                                                                "message-id",
                                                                "mime-version",
                                                                "content-type",
                                                                "content-transfer-encoding",
                                                                "list-unsubscribe",
                                                                "list-unsubscribe-post",
                                                                "feedback-id",
                                                                "dkim-signature",
                                                                "sender"};
  auto lower = to_lower_ascii(name);
  for (auto r : reserved)
    if (r == lower) return true;
  return false;
}

bool valid_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 32) return false;
  for (char c : tag)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

// A boundary no encoded part can contain: quoted-printable writes '=' only
// before hex digits or a line break, base64 has no '_', and 7bit is chosen
// only for text without "=_".
std::string boundary_for(std::string_view message_id) {
  std::array<unsigned char, crypto_generichash_BYTES_MIN> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(message_id.data()),
                     message_id.size(), nullptr, 0);
  return "=_herald_" + to_hex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

// A part's headers and body. Inside a multipart the CRLF before the next
// boundary belongs to the boundary, so a text's own last line break survives.
void append_part(std::string& out, std::string_view type, std::string_view text, bool in_multipart) {
  auto encoding = choose_transfer_encoding(text);
  out += "Content-Type: ";
  out += type;
  out += "; charset=utf-8\r\nContent-Transfer-Encoding: ";
  out += to_string(encoding);
  out += "\r\n\r\n";
  out += encode_body(text, encoding);
  if (in_multipart || !out.ends_with("\r\n")) out += "\r\n";
}

std::string list_unsubscribe(const Message& m) {
  std::string value;
  for (const auto* uri : {&m.list_unsubscribe_url, &m.list_unsubscribe_mailto}) {
    if (uri->empty()) continue;
    for (char c : *uri)
      if (c <= ' ' || c == '<' || c == '>' || c == 0x7F || static_cast<unsigned char>(c) >= 0x80)
        throw MimeError("a List-Unsubscribe URI holds a character URIs cannot (space, control, <, > or non-ASCII)");
    if (!value.empty()) value += ", ";
    value += "<" + *uri + ">";
  }
  return value;
}

}  // namespace

std::string build_message(const Message& m) {
  if (m.message_id.size() < 5 || m.message_id.front() != '<' || m.message_id.back() != '>' ||
      m.message_id.find('@') == std::string::npos || m.message_id.find_first_of(" \t\r\n") != std::string::npos)
    throw MimeError("the Message-ID must look like <id@domain>");
  std::string out;
  out.reserve(m.text.size() + m.html.size() * 11 / 10 + 1024);
  out += fold_header("Date", format_date(m.date));
  out += fold_header("From", format_address(m.from.name, m.from.email));
  out += fold_header("To", format_address(m.to.name, m.to.email));
  if (m.reply_to) out += fold_header("Reply-To", format_address(m.reply_to->name, m.reply_to->email));
  out += fold_header("Subject", encode_header_text(m.subject));
  out += fold_header("Message-ID", m.message_id);
  out += "MIME-Version: 1.0\r\n";
  if (auto lu = list_unsubscribe(m); !lu.empty()) {
    out += fold_header("List-Unsubscribe", lu);
    if (!m.list_unsubscribe_url.empty()) out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  if (!m.feedback_id.empty()) out += fold_header("Feedback-ID", encode_header_text(m.feedback_id));
  for (const auto& [name, value] : m.extra_headers) {
    if (!valid_header_name(name) || reserved_header(name))
      throw MimeError(fmt::format("\"{}\" cannot be added as a header", name));
    out += fold_header(name, encode_header_text(value));
  }
  if (!m.text.empty() && !m.html.empty()) {
    std::string boundary = boundary_for(m.message_id);
    out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n";
    append_part(out, "text/plain", m.text, true);
    out += "--" + boundary + "\r\n";
    append_part(out, "text/html", m.html, true);
    out += "--" + boundary + "--\r\n";
  } else {
    append_part(out, m.html.empty() ? "text/plain" : "text/html", m.html.empty() ? m.text : m.html, false);
  }
  return out;
}

std::string make_message_id(std::int64_t campaign_id, std::int64_t lead_id, std::string_view domain,
                            std::string_view tag) {
  if (!valid_tag(tag)) throw MimeError("a Message-ID tag is letters, digits and '-'");
  bool domain_ok = !domain.empty() && domain.size() <= 253;
  for (char c : domain)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      domain_ok = false;
  if (!domain_ok) throw MimeError("a Message-ID needs the sender's domain name");
  return fmt::format("<c{}.l{}.{}@{}>", campaign_id, lead_id, tag, to_lower_ascii(domain));
}

std::string normalize_message_id(std::string_view id) {
  while (!id.empty() && (id.front() == ' ' || id.front() == '\t' || id.front() == '<')) id.remove_prefix(1);
  while (!id.empty() &&
         (id.back() == ' ' || id.back() == '\t' || id.back() == '\r' || id.back() == '\n' || id.back() == '>'))
    id.remove_suffix(1);
  const auto at = id.rfind('@');
  if (at == std::string_view::npos) return "<" + std::string(id) + ">";
  return "<" + std::string(id.substr(0, at)) + "@" + to_lower_ascii(id.substr(at + 1)) + ">";
}

namespace {

std::optional<std::int64_t> read_id(std::string_view& s, char prefix) {
  if (s.empty() || s.front() != prefix) return std::nullopt;
  s.remove_prefix(1);
  std::int64_t v = 0;
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9' && n < 18) v = v * 10 + (s[n++] - '0');
  if (n == 0 || v <= 0 || n >= s.size() || s[n] != '.') return std::nullopt;
  s.remove_prefix(n + 1);
  return v;
}

}  // namespace

std::optional<MessageIdParts> parse_message_id(std::string_view id) {
  const auto norm = normalize_message_id(id);
  std::string_view s(norm);
  s.remove_prefix(1);
  s.remove_suffix(1);
  const auto at = s.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  MessageIdParts p;
  p.domain = std::string(s.substr(at + 1));
  s = s.substr(0, at);
  auto c = read_id(s, 'c');
  if (!c) return std::nullopt;
  auto l = read_id(s, 'l');
  if (!l || !valid_tag(s) || p.domain.empty()) return std::nullopt;
  p.campaign_id = *c;
  p.lead_id = *l;
  p.tag = std::string(s);
  return p;
}

std::string random_message_id(std::string_view domain) {
  return fmt::format("<{}@{}>", to_hex(crypto::random_bytes(16)), to_lower_ascii(domain));
}

std::string make_feedback_id(std::int64_t campaign_id, std::string_view sender) {
  return fmt::format("c{}:campaign:{}", campaign_id, sender);
}

std::string domain_of(std::string_view email) {
  auto at = email.rfind('@');
  return at == std::string_view::npos ? std::string() : to_lower_ascii(email.substr(at + 1));
}

}  // namespace herald::mail
