#include "mail/reference/opendkim.hpp"

#include <cstring>
#include <span>
#include <stdexcept>
#include <vector>

// dkim.h is C99: it spells bool _Bool.
#define _Bool bool  // NOLINT(bugprone-reserved-identifier)
extern "C" {
#include <opendkim/dkim.h>
}
#undef _Bool

#include "mail/dkim.hpp"

namespace herald::mail::reference {

namespace {

// The header fields of a message, each without its final CRLF, and the body.
struct Split {
  std::vector<std::string> headers;
  std::string_view body;
};

Split split_message(std::string_view message) {
  Split s;
  std::size_t pos = 0;
  while (pos < message.size()) {
    if (message.substr(pos).starts_with("\r\n")) {
      s.body = message.substr(pos + 2);
      return s;
    }
    std::size_t end = pos;
    while (true) {
      auto crlf = message.find("\r\n", end);
      if (crlf == std::string_view::npos) throw std::runtime_error("header without CRLF");
      end = crlf + 2;
      if (end >= message.size() || (message[end] != ' ' && message[end] != '\t')) break;
    }
    s.headers.emplace_back(message.substr(pos, end - 2 - pos));
    pos = end;
  }
  return s;
}

// A NULL-terminated list of C strings (what the option functions take).
class NameList {
 public:
  explicit NameList(std::span<const std::string_view> names) {
    names_.reserve(names.size());
    for (auto n : names) names_.emplace_back(n);
    pointers_.reserve(names_.size() + 1);
    for (const auto& n : names_) pointers_.push_back(n.c_str());
    pointers_.push_back(nullptr);
  }
  const char** get() { return pointers_.data(); }

 private:
  std::vector<std::string> names_;
  std::vector<const char*> pointers_;
};

void check(DKIM_STAT status, const char* what, DKIM* dkim = nullptr) {
  if (status == DKIM_STAT_OK) return;
  std::string detail = dkim ? dkim_geterror(dkim) : "";
  throw std::runtime_error(std::string("libopendkim ") + what + ": " + dkim_getresultstr(status) +
                           (detail.empty() ? "" : " (" + detail + ")"));
}

void feed(DKIM* dkim, std::string_view message) {
  auto parts = split_message(message);
  for (auto& h : parts.headers)
    check(dkim_header(dkim, reinterpret_cast<u_char*>(h.data()), h.size()), "dkim_header", dkim);
  check(dkim_eoh(dkim), "dkim_eoh", dkim);
  std::string body(parts.body);
  if (!body.empty()) check(dkim_body(dkim, reinterpret_cast<u_char*>(body.data()), body.size()), "dkim_body", dkim);
}

struct Handle {
  DKIM* dkim = nullptr;
  ~Handle() {
    if (dkim) dkim_free(dkim);
  }
};

DKIM_CBSTAT key_lookup(DKIM* dkim, DKIM_SIGINFO* /*sig*/, u_char* buf, size_t buflen) {
  const auto* txt = static_cast<const std::string*>(dkim_get_user_context(dkim));
  if (!txt || txt->size() + 1 > buflen) return DKIM_CBSTAT_ERROR;
  std::memcpy(buf, txt->c_str(), txt->size() + 1);
  return DKIM_CBSTAT_CONTINUE;
}

}  // namespace

OpendkimSigner::OpendkimSigner(std::string domain, std::string selector, std::string private_key_pem,
                               std::optional<std::uint64_t> fixed_time)
    : domain_(std::move(domain)), selector_(std::move(selector)), key_(std::move(private_key_pem)) {
  lib_ = dkim_init(nullptr, nullptr);
  if (!lib_) throw std::runtime_error("dkim_init failed");
  // The option functions take the list itself and sizeof a pointer; the
  // lists live as long as the program, whether or not the library copies them.
  static NameList signed_headers(DkimSigner::signed_headers());
  static NameList oversigned(DkimSigner::oversigned_headers());
  check(dkim_options(lib_, DKIM_OP_SETOPT, DKIM_OPTS_SIGNHDRS, signed_headers.get(), sizeof(char**)),
        "DKIM_OPTS_SIGNHDRS");
  check(dkim_options(lib_, DKIM_OP_SETOPT, DKIM_OPTS_OVERSIGNHDRS, oversigned.get(), sizeof(char**)),
        "DKIM_OPTS_OVERSIGNHDRS");
  if (fixed_time) {
    std::uint64_t t = *fixed_time;
    check(dkim_options(lib_, DKIM_OP_SETOPT, DKIM_OPTS_FIXEDTIME, &t, sizeof t), "DKIM_OPTS_FIXEDTIME");
  }
}

OpendkimSigner::~OpendkimSigner() {
  if (lib_) dkim_close(lib_);
}

std::string OpendkimSigner::sign(std::string_view message) const {
  DKIM_STAT status = DKIM_STAT_OK;
  Handle h;
  h.dkim = dkim_sign(lib_, reinterpret_cast<const unsigned char*>("herald"), nullptr,
                     reinterpret_cast<dkim_sigkey_t>(const_cast<char*>(key_.c_str())),
                     reinterpret_cast<const unsigned char*>(selector_.c_str()),
                     reinterpret_cast<const unsigned char*>(domain_.c_str()), DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
                     DKIM_SIGN_RSASHA256, -1, &status);
  if (!h.dkim) check(status == DKIM_STAT_OK ? DKIM_STAT_INTERNAL : status, "dkim_sign");
  feed(h.dkim, message);
  check(dkim_eom(h.dkim, nullptr), "dkim_eom", h.dkim);
  u_char* buf = nullptr;
  size_t len = 0;
  constexpr std::string_view name = "DKIM-Signature: ";
  check(dkim_getsighdr_d(h.dkim, name.size(), &buf, &len), "dkim_getsighdr_d", h.dkim);
  return std::string(name) + std::string(reinterpret_cast<const char*>(buf), len) + "\r\n";
}

bool opendkim_verify(std::string_view message, const std::string& dns_txt, std::string* error) {
  DKIM_LIB* lib = dkim_init(nullptr, nullptr);
  if (!lib) throw std::runtime_error("dkim_init failed");
  struct LibGuard {
    DKIM_LIB* lib;
    ~LibGuard() { dkim_close(lib); }
  } guard{lib};
  dkim_set_key_lookup(lib, key_lookup);
  DKIM_STAT status = DKIM_STAT_OK;
  Handle h;
  h.dkim = dkim_verify(lib, reinterpret_cast<const unsigned char*>("herald"), nullptr, &status);
  if (!h.dkim) check(status == DKIM_STAT_OK ? DKIM_STAT_INTERNAL : status, "dkim_verify");
  dkim_set_user_context(h.dkim, const_cast<std::string*>(&dns_txt));
  try {
    feed(h.dkim, message);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
  status = dkim_eom(h.dkim, nullptr);
  if (status == DKIM_STAT_OK) return true;
  if (error) {
    *error = dkim_getresultstr(status);
    if (const char* detail = dkim_geterror(h.dkim); detail && *detail) *error += std::string(" (") + detail + ")";
  }
  return false;
}

}  // namespace herald::mail::reference
