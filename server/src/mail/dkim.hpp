// DKIM signing (RFC 6376): RSA-SHA256, relaxed/relaxed, no l=, h= covering
// From, To, Subject, Date, Message-ID, MIME-Version, Content-Type,
// List-Unsubscribe, List-Unsubscribe-Post, Reply-To and Feedback-ID (those
// present), with From, Subject and the List-Unsubscribe pair oversigned so
// none can be added after signing. The key is parsed once; signing is pure
// and safe from any number of threads. Key generation and the DNS record.
//
// Why our own signer rather than libopendkim's: libopendkim parses the PEM
// key again for every message, which costs OpenSSL 3 several times the RSA
// signature itself (numbers in docs/architecture.md, Mail, and
// bench/RESULTS.md). The tests check this signer against libopendkim
// (mail/reference/opendkim.hpp) and python3-dkim.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace herald::mail {

class DkimError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DkimKey {
  std::string domain;           // d=
  std::string selector;         // s=
  std::string private_key_pem;  // RSA, ≥ 1024 bits (2048 recommended)
};

class DkimSigner {
 public:
  // Throws DkimError naming what is wrong (domain, selector or key).
  explicit DkimSigner(const DkimKey& key);
  ~DkimSigner();
  DkimSigner(const DkimSigner&) = delete;
  DkimSigner& operator=(const DkimSigner&) = delete;

  // "DKIM-Signature: …\r\n", to put in front of `message` (CRLF line ends,
  // headers, an empty line, the body). `now` becomes t=.
  std::string sign(std::string_view message, std::chrono::system_clock::time_point now) const;

  const std::string& domain() const noexcept { return domain_; }
  const std::string& selector() const noexcept { return selector_; }
  int key_bits() const noexcept;

  static std::span<const std::string_view> signed_headers();
  static std::span<const std::string_view> oversigned_headers();

 private:
  std::string domain_, selector_;
  struct Key;
  std::unique_ptr<Key> key_;
};

// Relaxed canonicalisation, exposed for tests: one header field (with its
// folding, without the final CRLF) → "name:value\r\n"; a body → its canonical form.
std::string relaxed_header(std::string_view field);
std::string relaxed_body(std::string_view body);

struct GeneratedDkimKey {
  std::string private_key_pem;  // PKCS#8 PEM
  std::string dns_txt;          // "v=DKIM1; k=rsa; p=…"
};
// A new RSA key (OpenSSL); 2048 bits unless told otherwise.
GeneratedDkimKey generate_dkim_key(int bits = 2048);
// The TXT record value for an existing private key; throws DkimError.
std::string dkim_dns_txt(std::string_view private_key_pem);
// Where the record goes: "<selector>._domainkey.<domain>".
std::string dkim_dns_name(std::string_view selector, std::string_view domain);

}  // namespace herald::mail
