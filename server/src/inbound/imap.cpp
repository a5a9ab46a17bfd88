#include "inbound/imap.hpp"

#include <curl/curl.h>

#include <cstdlib>

#include <fmt/format.h>

#include "core/strings.hpp"

namespace herald::inbound {
namespace {

constexpr std::size_t kMaxResponse = 64u << 20;

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  auto& s = *static_cast<std::string*>(out);
  if (s.size() + size * n > kMaxResponse) return 0;  // libcurl then fails the transfer
  s.append(data, size * n);
  return size * n;
}

// libcurl's code (and, for a failed SELECT, which it reports as a refused
// login, its message) → the step that failed.
ImapStage stage_of(CURLcode rc, std::string_view message) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_URL_MALFORMAT:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return ImapStage::Connect;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return ImapStage::Tls;
    case CURLE_LOGIN_DENIED:
      return message.starts_with("Select") ? ImapStage::Folder : ImapStage::Login;
    case CURLE_REMOTE_ACCESS_DENIED:
    case CURLE_REMOTE_FILE_NOT_FOUND:
      return ImapStage::Folder;
    default:
      return ImapStage::Other;
  }
}

}  // namespace

ImapUrl parse_imap_url(const std::string& url) {
  ImapUrl out;
  const auto lower = to_lower_ascii(url);
  if (lower.starts_with("imaps://")) {
    out.implicit_tls = true;
  } else if (!lower.starts_with("imap://")) {
    throw ImapError("the inbound URL must start with imaps:// or imap://", ImapStage::Url);
  }
  const auto q = url.find('?');
  out.base = url.substr(0, q);
  if (q != std::string::npos) {
    for (const auto& part : split(std::string_view(url).substr(q + 1), '&')) {
      const auto eq = part.find('=');
      const auto key = part.substr(0, eq);
      const auto value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
      if (key == "ca_file" && !value.empty()) {
        out.ca_file = std::string(value);
      } else {
        throw ImapError(fmt::format("the inbound URL has an unknown parameter '{}' (known: ca_file)", key),
                        ImapStage::Url);
      }
    }
  }
  const auto scheme_end = out.base.find("://") + 3;
  const auto slash = out.base.find('/', scheme_end);
  if (slash == scheme_end) throw ImapError("the inbound URL names no host", ImapStage::Url);
  if (slash == std::string::npos || slash + 1 == out.base.size()) out.base = out.base.substr(0, slash) + "/INBOX";
  return out;
}

std::vector<std::uint32_t> parse_search(const std::string& response) {
  std::vector<std::uint32_t> out;
  std::string_view rest(response);
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    auto line = trim(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.starts_with("* SEARCH")) continue;
    for (const auto& word : split(line.substr(8), ' ')) {
      std::uint64_t v = 0;
      bool ok = !word.empty();
      for (char c : word) {
        if (c < '0' || c > '9' || v > 0xffffffffu) ok = false;
        v = v * 10 + static_cast<unsigned>(c - '0');
      }
      if (ok && v > 0 && v <= 0xffffffffu) out.push_back(static_cast<std::uint32_t>(v));
    }
  }
  return out;
}

ImapSession::ImapSession(const ImapTarget& target, long timeout_s)
    : url_(parse_imap_url(target.url)), target_(target), timeout_s_(timeout_s) {
  curl_ = curl_easy_init();
  if (!curl_) throw ImapError("the IMAP client could not start (curl_easy_init)");
}

ImapSession::~ImapSession() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

std::string ImapSession::perform(const std::string& url, const std::string& custom) {
  auto* c = static_cast<CURL*>(curl_);
  std::string body;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_USERNAME, target_.user.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, target_.password.c_str());
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));  // imap://: STARTTLS or nothing
  if (!url_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, url_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, custom.empty() ? nullptr : custom.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s_);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const auto rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  if (rc != CURLE_OK) {
    const std::string message = *error ? error : curl_easy_strerror(rc);
    throw ImapError(
        fmt::format("IMAP {}: {}", custom.empty() ? "FETCH" : custom.substr(0, custom.find(' ', 4)), message),
        stage_of(rc, message));
  }
  return body;
}

std::string ImapSession::command(const std::string& cmd) { return perform(url_.base, cmd); }

std::vector<std::uint32_t> ImapSession::search(const std::string& criteria) {
  return parse_search(command("UID SEARCH " + criteria));
}

std::vector<std::uint32_t> ImapSession::waiting() {
  return search("OR KEYWORD $HeraldPending (UNSEEN UNKEYWORD $HeraldSkipped)");
}

std::int64_t ImapSession::count() { return status().messages; }

MailboxStatus ImapSession::status() {
  const auto r = command("STATUS \"" + url_.base.substr(url_.base.rfind('/') + 1) + "\" (MESSAGES UNSEEN)");
  const auto messages = r.find("MESSAGES ");
  const auto unseen = r.find("UNSEEN ");
  if (messages == std::string::npos || unseen == std::string::npos)
    throw ImapError("IMAP STATUS: no message counts in the answer");
  return {std::strtoll(r.c_str() + messages + 9, nullptr, 10), std::strtoll(r.c_str() + unseen + 7, nullptr, 10)};
}

std::string ImapSession::fetch(std::uint32_t uid) {
  command(fmt::format("UID STORE {} +FLAGS.SILENT ($HeraldPending)", uid));
  return perform(fmt::format("{}/;UID={}", url_.base, uid), "");
}

void ImapSession::mark_handled(std::uint32_t uid) {
  command(fmt::format("UID STORE {} +FLAGS.SILENT (\\Seen)", uid));
  command(fmt::format("UID STORE {} -FLAGS.SILENT ($HeraldPending)", uid));
}

void ImapSession::mark_skipped(std::uint32_t uid) {
  command(fmt::format("UID STORE {} +FLAGS.SILENT ($HeraldSkipped)", uid));
  command(fmt::format("UID STORE {} -FLAGS.SILENT (\\Seen $HeraldPending)", uid));
}

void ImapSession::mark_failed(std::uint32_t uid) {
  command(fmt::format("UID STORE {} -FLAGS.SILENT (\\Seen $HeraldPending)", uid));
}

}  // namespace herald::inbound
