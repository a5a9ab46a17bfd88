#include "mail/smtp_settings.hpp"

#include <fmt/format.h>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/strings.hpp"

namespace herald::mail {

namespace {

constexpr std::string_view kVariable = "HERALD_SMTP_URL";

[[noreturn]] void fail(const std::string& reason) { throw ConfigError(std::string(kVariable), reason); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) fail("a bad %-escape in the URL");
    out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
    i += 2;
  }
  return out;
}

bool parse_bool(std::string_view key, std::string_view v) {
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  fail(fmt::format("{} must be true or false", key));
}

std::chrono::milliseconds parse_timeout(std::string_view v) {
  return parse_duration(kVariable, v, std::chrono::milliseconds(100), std::chrono::hours(1));
}

void apply_option(SmtpSettings& s, bool smtps, std::string_view key, const std::string& value) {
  if (key == "starttls") {
    if (smtps) fail("starttls does not apply to smtps:// (TLS from the start)");
    if (value == "opportunistic")
      s.tls = TlsMode::Opportunistic;
    else if (value == "required")
      s.tls = TlsMode::Required;
    else if (value == "never" || value == "off")
      s.tls = TlsMode::Never;
    else
      fail("starttls must be opportunistic, required or never");
  } else if (key == "tls_verify") {
    s.verify_certificate = parse_bool(key, value);
  } else if (key == "ca_file") {
    s.ca_file = value;
  } else if (key == "helo") {
    if (value.empty() || value.find_first_of(" \t\r\n") != std::string::npos) fail("helo must be a host name");
    s.helo_name = value;
  } else if (key == "timeout") {
    s.command_timeout = parse_timeout(value);
  } else if (key == "connect_timeout") {
    s.connect_timeout = parse_timeout(value);
  } else if (key == "data_timeout") {
    s.data_timeout = parse_timeout(value);
  } else if (key == "max_messages") {
    std::size_t n = 0;
    if (value.empty() || value.size() > 9) fail("max_messages must be a number");
    for (char c : value) {
      if (c < '0' || c > '9') fail("max_messages must be a number");
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    s.max_messages_per_connection = n;
  } else {
    fail(
        fmt::format("unknown option \"{}\" (starttls, tls_verify, ca_file, helo, timeout, connect_timeout, "
                    "data_timeout, max_messages)",
                    storable_text(key)));
  }
}

}  // namespace

std::string SmtpSettings::describe() const {
  std::string scheme = tls == TlsMode::Implicit ? "smtps" : "smtp";
  std::string user = username.empty() ? "" : username + "@";
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::string mode;
  if (tls == TlsMode::Required) mode = "?starttls=required";
  if (tls == TlsMode::Never) mode = "?starttls=never";
  return fmt::format("{}://{}{}:{}{}", scheme, user, h, port, mode);
}

SmtpSettings parse_smtp_url(std::string_view url) {
  SmtpSettings s;
  bool smtps = false;
  if (url.starts_with("smtps://")) {
    smtps = true;
    s.tls = TlsMode::Implicit;
    s.port = 465;
    url.remove_prefix(8);
  } else if (url.starts_with("smtp://")) {
    url.remove_prefix(7);
  } else {
    fail("must start with smtp:// or smtps://");
  }
  std::string_view query;
  if (auto q = url.find('?'); q != std::string_view::npos) {
    query = url.substr(q + 1);
    url = url.substr(0, q);
  }
  if (url.ends_with('/')) url.remove_suffix(1);
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = url.substr(0, at);
    url = url.substr(at + 1);
    auto colon = userinfo.find(':');
    s.username = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) s.password = percent_decode(userinfo.substr(colon + 1));
    if (s.username.find('\0') != std::string::npos || s.password.find('\0') != std::string::npos)
      fail("user and password cannot hold NUL");
  }
  std::string_view port;
  if (url.starts_with('[')) {  // [IPv6]:port
    auto close = url.find(']');
    if (close == std::string_view::npos) fail("an unclosed [ in the host");
    s.host = std::string(url.substr(1, close - 1));
    std::string_view rest = url.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') fail("text after the ] of the host");
      port = rest.substr(1);
    }
  } else {
    auto colon = url.rfind(':');
    s.host = std::string(url.substr(0, colon));
    if (colon != std::string_view::npos) port = url.substr(colon + 1);
  }
  if (s.host.empty()) fail("the URL has no host");
  if (s.host.find_first_of(" /\\\t") != std::string::npos) fail("the host is not a host name");
  if (!port.empty() || url.ends_with(':')) {
    unsigned long p = 0;
    bool ok = !port.empty() && port.size() <= 5;
    for (char c : port) {
      if (c < '0' || c > '9')
        ok = false;
      else
        p = p * 10 + static_cast<unsigned long>(c - '0');
    }
    if (!ok || p == 0 || p > 65535) fail("the port must be a number from 1 to 65535");
    s.port = static_cast<std::uint16_t>(p);
  }
  for (auto pair : split(query, '&')) {
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    apply_option(s, smtps, key, value);
  }
  return s;
}

}  // namespace herald::mail
