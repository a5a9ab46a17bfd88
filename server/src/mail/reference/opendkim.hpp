// libopendkim, the DKIM reference implementation, behind the same header
// policy as mail::DkimSigner. Herald signs with its own signer (see
// docs/architecture.md, Mail: libopendkim parses the private key again for
// every message); this one is linked only by the tests, which check that both
// agree and that libopendkim verifies Herald's signatures, and by the mail
// benchmark, which measures the difference.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct dkim_lib;  // DKIM_LIB

namespace herald::mail::reference {

class OpendkimSigner {
 public:
  // `fixed_time` pins t= (seconds since the epoch), for comparisons.
  OpendkimSigner(std::string domain, std::string selector, std::string private_key_pem,
                 std::optional<std::uint64_t> fixed_time = std::nullopt);
  ~OpendkimSigner();
  OpendkimSigner(const OpendkimSigner&) = delete;
  OpendkimSigner& operator=(const OpendkimSigner&) = delete;

  // "DKIM-Signature: …\r\n" for a CRLF message; throws std::runtime_error.
  std::string sign(std::string_view message) const;

 private:
  std::string domain_, selector_, key_;
  dkim_lib* lib_ = nullptr;
};

// Verifies every DKIM signature of a CRLF message with libopendkim, answering
// key queries with `dns_txt` (the record value, "v=DKIM1; k=rsa; p=…").
// True when the first signature verifies; otherwise `error` says why.
bool opendkim_verify(std::string_view message, const std::string& dns_txt, std::string* error = nullptr);

}  // namespace herald::mail::reference
