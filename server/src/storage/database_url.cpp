#include "storage/database_url.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace herald::storage {
namespace {

constexpr std::string_view kSchemeSeparator = "://";
constexpr std::string_view kMask = "***";

struct Span {
  std::size_t pos;
  std::size_t len;
};

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

DatabaseUrl parse_sqlite(std::string_view path) {
  if (path.empty()) {
    throw DbError("sqlite URL has no file path: use sqlite:///abs/path.db or sqlite://relative/path.db");
  }
  if (path.find_first_of("?#") != std::string_view::npos) {
    throw DbError(fmt::format("sqlite URL 'sqlite://{}' has a query or fragment; only a file path is supported", path));
  }
  // Every pooled connection would get its own private in-memory database.
  if (path == ":memory:") {
    throw DbError("sqlite in-memory databases are not supported: give a file path");
  }
  return {Backend::Sqlite, std::string(path)};
}

// The password in "scheme://user:password@host". The last '@' before the
// query ends the user info, even when an unencoded password holds '/' or '@':
// masking too much beats leaking.
void find_userinfo_password(std::string_view url, std::vector<Span>& out) {
  const auto sep = url.find(kSchemeSeparator);
  if (sep == std::string_view::npos) return;
  const auto start = sep + kSchemeSeparator.size();
  const auto query = std::min(url.find('?', start), url.size());
  const auto at = url.substr(0, query).rfind('@');
  if (at == std::string_view::npos || at < start) return;
  const auto colon = url.find(':', start);
  if (colon != std::string_view::npos && colon < at) out.push_back({colon + 1, at - colon - 1});
}

// The values of password=... query parameters.
void find_password_parameters(std::string_view url, std::vector<Span>& out) {
  const auto query = url.find('?');
  if (query == std::string_view::npos) return;
  constexpr std::string_view key = "password=";
  for (auto pos = url.find(key, query); pos != std::string_view::npos; pos = url.find(key, pos + 1)) {
    const char before = url[pos - 1];
    if (before != '?' && before != '&') continue;
    const auto value = pos + key.size();
    const auto end = std::min(url.find_first_of("&#", value), url.size());
    out.push_back({value, end - value});
  }
}

std::vector<Span> secret_spans(std::string_view url) {
  std::vector<Span> spans;
  find_userinfo_password(url, spans);
  find_password_parameters(url, spans);
  std::ranges::sort(spans, {}, &Span::pos);
  return spans;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void replace_all(std::string& text, std::string_view needle) {
  if (needle.empty()) return;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + kMask.size())) {
    text.replace(pos, needle.size(), kMask);
  }
}

}  // namespace

DatabaseUrl parse_database_url(std::string_view url) {
  const auto sep = url.find(kSchemeSeparator);
  if (sep == std::string_view::npos || sep == 0) {
    // Not echoed: without "://" the password cannot be located to mask it.
    throw DbError("malformed database URL: expected sqlite://PATH or postgresql://USER:PASSWORD@HOST:PORT/DB");
  }
  const std::string scheme = lowercase(url.substr(0, sep));
  const std::string_view rest = url.substr(sep + kSchemeSeparator.size());
  if (scheme == "sqlite") return parse_sqlite(rest);
  if (scheme == "postgresql" || scheme == "postgres") return {Backend::Postgres, std::string(url)};
  throw DbError(fmt::format("unsupported database URL scheme '{}': expected sqlite:// or postgresql://", scheme));
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  const auto spans = secret_spans(url);
  // Back to front, so earlier positions stay valid.
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) out.replace(it->pos, it->len, kMask);
  return out;
}

std::string scrub_secrets(std::string message, std::string_view url) {
  for (const Span& span : secret_spans(url)) {
    const std::string_view secret = url.substr(span.pos, span.len);
    replace_all(message, secret);
    replace_all(message, percent_decode(secret));
  }
  return message;
}

}  // namespace herald::storage
