#include "settings/outbox.hpp"

#include <charconv>

#include "core/crypto.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"

namespace herald::settings {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode_q(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out += ' ';
    } else if (text[i] == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<std::string> decode_b(std::string_view text) {
  std::string s(text);
  for (auto& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return crypto::base64url_decode(s);
}

// One "=?charset?X?text?=" at the start of `in`: its decoded text and length.
std::optional<std::pair<std::string, std::size_t>> encoded_word(std::string_view in) {
  if (!in.starts_with("=?")) return std::nullopt;
  const auto q1 = in.find('?', 2);
  if (q1 == std::string_view::npos || q1 + 2 >= in.size() || in[q1 + 2] != '?') return std::nullopt;
  const auto end = in.find("?=", q1 + 3);
  if (end == std::string_view::npos) return std::nullopt;
  auto charset = to_lower_ascii(in.substr(2, q1 - 2));
  if (auto star = charset.find('*'); star != std::string::npos) charset.resize(star);  // RFC 2231 language
  if (charset != "utf-8" && charset != "us-ascii") return std::nullopt;
  const char kind = in[q1 + 1];
  const auto text = in.substr(q1 + 3, end - q1 - 3);
  std::optional<std::string> decoded;
  if (kind == 'B' || kind == 'b') decoded = decode_b(text);
  if (kind == 'Q' || kind == 'q') decoded = decode_q(text);
  if (!decoded) return std::nullopt;
  return std::pair{*decoded, end + 2};
}

}  // namespace

std::string decode_header_text(std::string_view value) {
  std::string out;
  bool last_was_word = false;
  std::size_t i = 0;
  while (i < value.size()) {
    if (auto word = encoded_word(value.substr(i))) {
      out += word->first;
      i += word->second;
      last_was_word = true;
      continue;
    }
    // Whitespace between two encoded words is dropped (RFC 2047 §6.2).
    if (last_was_word && (value[i] == ' ' || value[i] == '\t')) {
      auto next = value.find_first_not_of(" \t", i);
      if (next != std::string_view::npos && encoded_word(value.substr(next))) {
        i = next;
        continue;
      }
    }
    out += value[i++];
    last_was_word = false;
  }
  return valid_utf8(out) ? out : storable_text(out);
}

MessageSummary summarise_message(std::string_view message) {
  MessageSummary out;
  auto header_end = message.find("\r\n\r\n");
  const auto headers = message.substr(0, header_end == std::string_view::npos ? message.size() : header_end + 2);
  std::string name, value;
  auto finish = [&] {
    if (iequals_ascii(name, "Subject")) out.subject = decode_header_text(trim(value));
    if (iequals_ascii(name, "Feedback-ID")) {
      auto v = trim(value);
      if (v.starts_with("c")) {
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(v.data() + 1, v.data() + v.size(), id);
        if (ec == std::errc() && p < v.data() + v.size() && *p == ':') out.campaign_id = id;
      }
    }
    name.clear();
    value.clear();
  };
  std::size_t pos = 0;
  while (pos < headers.size()) {
    auto eol = headers.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = headers.size();
    auto line = headers.substr(pos, eol - pos);
    pos = eol + 2;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      value += line;  // folded continuation (unfolded: the CRLF removed)
      continue;
    }
    finish();
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    name = std::string(line.substr(0, colon));
    value = std::string(line.substr(colon + 1));
  }
  finish();
  return out;
}

void DbOutboxSink::store(const mail::OutgoingMessage& message) {
  const auto summary = summarise_message(message.data);
  OutboxEntry e;
  e.mail_from = message.mail_from;
  e.rcpt_to = message.rcpt_to;
  e.subject = summary.subject;
  e.campaign_id = summary.campaign_id;
  e.message_id = message.message_id;
  e.size = static_cast<std::int64_t>(message.data.size());
  e.raw = storable_text(message.data);
  e.created_at = rfc3339(clock_.wall());
  auto conn = db_.acquire();
  store_.add_outbox(*conn, e);
}

}  // namespace herald::settings
