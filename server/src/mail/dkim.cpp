#include "mail/dkim.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/strings.hpp"

namespace herald::mail {

namespace {

constexpr std::array<std::string_view, 11> kSigned = {"From",
                                                      "To",
                                                      "Subject",
                                                      "Date",
                                                      "Message-ID",
                                                      "MIME-Version",
                                                      "Content-Type",
                                                      "List-Unsubscribe",
                                                      "List-Unsubscribe-Post",
                                                      "Reply-To",
                                                      "Feedback-ID"};
constexpr std::array<std::string_view, 4> kOversigned = {"From", "Subject", "List-Unsubscribe",
                                                         "List-Unsubscribe-Post"};

std::string openssl_error(std::string_view what) {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return std::string(what);
  std::array<char, 256> buf{};
  ERR_error_string_n(e, buf.data(), buf.size());
  return fmt::format("{}: {}", what, buf.data());
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

Pkey read_private_key(std::string_view pem) {
  ERR_clear_error();
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw DkimError("out of memory");
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw DkimError(openssl_error("the DKIM private key is not a PEM private key"));
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) throw DkimError("the DKIM private key is not an RSA key");
  if (EVP_PKEY_get_bits(key.get()) < 1024) throw DkimError("the DKIM private key is shorter than 1024 bits (RFC 8301)");
  return key;
}

std::string base64(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

std::string public_key_record(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  if (len <= 0) throw DkimError(openssl_error("cannot encode the DKIM public key"));
  std::string p = base64(der, static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return "v=DKIM1; k=rsa; p=" + p;
}

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// Appends `s` with every run of WSP and line breaks as one space.
void append_collapsed(std::string& out, std::string_view s) {
  bool space = false;
  for (char c : s) {
    if (is_wsp(c) || c == '\r' || c == '\n') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
}

bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.') return false;
  for (auto label : split(d, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

struct Field {
  std::string_view name;  // as written
  std::string_view text;  // the whole field, without its final CRLF
};

// The header fields of a message (up to the empty line).
std::vector<Field> header_fields(std::string_view message) {
  std::vector<Field> fields;
  std::size_t pos = 0;
  while (pos < message.size() && !message.substr(pos).starts_with("\r\n")) {
    std::size_t end = pos;
    while (true) {
      auto crlf = message.find("\r\n", end);
      if (crlf == std::string_view::npos) throw DkimError("the message has no end of header (CRLF CRLF)");
      end = crlf + 2;
      if (end >= message.size() || !is_wsp(message[end])) break;
    }
    std::string_view text = message.substr(pos, end - 2 - pos);
    auto colon = text.find(':');
    if (colon == std::string_view::npos) throw DkimError("a header line has no colon");
    std::string_view name = text.substr(0, colon);
    while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
    fields.push_back({name, text});
    pos = end;
  }
  return fields;
}

std::string_view body_of(std::string_view message) {
  auto sep = message.find("\r\n\r\n");
  if (message.starts_with("\r\n")) return message.substr(2);
  if (sep == std::string_view::npos) throw DkimError("the message has no end of header (CRLF CRLF)");
  return message.substr(sep + 4);
}

// h= entries in message order, then the oversigned names once more.
std::vector<std::string> header_list(const std::vector<Field>& fields) {
  std::vector<std::string> list;
  for (const auto& f : fields) {
    for (auto want : kSigned) {
      if (iequals_ascii(f.name, want)) {
        list.emplace_back(want);
        break;
      }
    }
  }
  for (auto name : kOversigned) list.emplace_back(name);
  return list;
}

// The signed headers' canonical forms in h= order, each instance chosen from
// the bottom up (RFC 6376 §5.4.2); a name with no instance left adds nothing.
std::string canonical_headers(const std::vector<Field>& fields, const std::vector<std::string>& list) {
  std::unordered_map<std::string, std::vector<const Field*>> by_name;
  for (const auto& f : fields) by_name[to_lower_ascii(f.name)].push_back(&f);
  std::string out;
  for (const auto& name : list) {
    auto it = by_name.find(to_lower_ascii(name));
    if (it == by_name.end() || it->second.empty()) continue;
    out += relaxed_header(it->second.back()->text);
    it->second.pop_back();
  }
  return out;
}

// Folds a ':'-separated list onto continuation lines of at most ~76 columns.
void append_folded_list(std::string& out, std::string_view prefix, const std::vector<std::string>& items,
                        std::size_t column) {
  out += prefix;
  column += prefix.size();
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string item = items[i] + (i + 1 < items.size() ? ":" : ";");
    if (column + item.size() > 76) {
      out += "\r\n\t ";
      column = 2;
    }
    out += item;
    column += item.size();
  }
}

// OpenSSL's SHA-256 (SHA-NI where the CPU has it: several times libsodium's
// portable one on a message body).
std::string sha256(std::string_view data) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::string out(32, '\0');
  unsigned int len = 0;
  if (!md || EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len, md, nullptr) != 1)
    throw DkimError(openssl_error("SHA-256 failed"));
  return out;
}

}  // namespace

struct DkimSigner::Key {
  Pkey pkey;
  std::size_t signature_size = 0;
  std::uint64_t id = 0;  // which key a thread's prepared context signs with
};

namespace {

std::atomic<std::uint64_t> next_key_id{1};

struct CtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

// Each signing thread keeps one signing context ready (RSA, PKCS#1 v1.5,
// SHA-256) for the key it last signed with: OpenSSL 3 fetches the provider's
// implementation and builds its state in EVP_PKEY_CTX_new + sign_init, work
// that is the same for every message. Per thread, so threads never share or
// lock one. The context holds a reference to its key, so a signer destroyed
// meanwhile leaves it valid; a new key gets a new id and a new context.
EVP_PKEY_CTX* signing_context(EVP_PKEY* pkey, std::uint64_t id) {
  struct Cached {
    std::uint64_t id = 0;
    std::unique_ptr<EVP_PKEY_CTX, CtxDeleter> ctx;
  };
  thread_local Cached cached;
  if (cached.id == id && cached.ctx) return cached.ctx.get();
  cached.ctx.reset();
  cached.id = 0;
  std::unique_ptr<EVP_PKEY_CTX, CtxDeleter> ctx(EVP_PKEY_CTX_new(pkey, nullptr));
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) <= 0)
    throw DkimError(openssl_error("cannot prepare RSA signing"));
  cached.ctx = std::move(ctx);
  cached.id = id;
  return cached.ctx.get();
}

}  // namespace

DkimSigner::DkimSigner(const DkimKey& key) : domain_(to_lower_ascii(key.domain)), selector_(key.selector) {
  if (!valid_domain(domain_)) throw DkimError(fmt::format("the DKIM domain \"{}\" is not a domain name", key.domain));
  if (!valid_domain(selector_))
    throw DkimError(fmt::format("the DKIM selector \"{}\" is not a valid selector", key.selector));
  key_ = std::make_unique<Key>();
  key_->pkey = read_private_key(key.private_key_pem);
  key_->signature_size = static_cast<std::size_t>(EVP_PKEY_get_size(key_->pkey.get()));
  key_->id = next_key_id.fetch_add(1);
}

DkimSigner::~DkimSigner() = default;

int DkimSigner::key_bits() const noexcept { return EVP_PKEY_get_bits(key_->pkey.get()); }

std::span<const std::string_view> DkimSigner::signed_headers() { return kSigned; }
std::span<const std::string_view> DkimSigner::oversigned_headers() { return kOversigned; }

std::string DkimSigner::sign(std::string_view message, std::chrono::system_clock::time_point now) const {
  auto fields = header_fields(message);
  bool has_from =
      std::any_of(fields.begin(), fields.end(), [](const Field& f) { return iequals_ascii(f.name, "From"); });
  if (!has_from) throw DkimError("a message to sign needs a From header");
  auto body_hash = sha256(relaxed_body(body_of(message)));
  auto list = header_list(fields);
  auto t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();

  std::string header =
      fmt::format("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={}; s={};\r\n\tt={}; bh={};\r\n\t", domain_,
                  selector_, t, base64(reinterpret_cast<const unsigned char*>(body_hash.data()), body_hash.size()));
  append_folded_list(header, "h=", list, 1);
  header += "\r\n\tb=";

  std::string signed_data = canonical_headers(fields, list);
  std::string own = relaxed_header(header);
  own.resize(own.size() - 2);  // the DKIM-Signature field itself goes in without its CRLF
  signed_data += own;
  auto digest = sha256(signed_data);

  EVP_PKEY_CTX* ctx = signing_context(key_->pkey.get(), key_->id);
  std::vector<unsigned char> signature(key_->signature_size);
  std::size_t signature_len = signature.size();
  if (EVP_PKEY_sign(ctx, signature.data(), &signature_len, reinterpret_cast<const unsigned char*>(digest.data()),
                    digest.size()) <= 0)
    throw DkimError(openssl_error("RSA signing failed"));

  std::string b = base64(signature.data(), signature_len);
  for (std::size_t i = 0; i < b.size(); i += 72) {
    if (i > 0) header += "\r\n\t ";
    header.append(b, i, 72);
  }
  header += "\r\n";
  return header;
}

std::string relaxed_header(std::string_view field) {
  auto colon = field.find(':');
  std::string_view name = field.substr(0, colon == std::string_view::npos ? field.size() : colon);
  while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
  std::string out = to_lower_ascii(name);
  out += ':';
  if (colon != std::string_view::npos) {
    std::string value;
    append_collapsed(value, field.substr(colon + 1));
    out += trim(value);
  }
  out += "\r\n";
  return out;
}

std::string relaxed_body(std::string_view body) {
  std::string out;
  out.reserve(body.size() + 2);
  std::size_t empty_lines = 0;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto crlf = body.find("\r\n", pos);
    std::string_view line = body.substr(pos, crlf == std::string_view::npos ? std::string_view::npos : crlf - pos);
    pos = crlf == std::string_view::npos ? body.size() : crlf + 2;
    // WSP at the end of the line goes; an empty line is kept only if a
    // non-empty one follows.
    while (!line.empty() && is_wsp(line.back())) line.remove_suffix(1);
    if (line.empty()) {
      ++empty_lines;
      continue;
    }
    for (; empty_lines > 0; --empty_lines) out += "\r\n";
    // Runs of WSP become one space (most lines have none: copied whole).
    if (line.find('\t') == std::string_view::npos && line.find("  ") == std::string_view::npos) {
      out.append(line);
    } else {
      bool space = false;
      for (char c : line) {
        if (is_wsp(c)) {
          space = true;
          continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
      }
    }
    out += "\r\n";
  }
  return out;
}

GeneratedDkimKey generate_dkim_key(int bits) {
  ERR_clear_error();
  Pkey key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
  if (!key) throw DkimError(openssl_error("RSA key generation failed"));
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw DkimError(openssl_error("cannot write the DKIM private key"));
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  GeneratedDkimKey out;
  out.private_key_pem.assign(data, static_cast<std::size_t>(len));
  out.dns_txt = public_key_record(key.get());
  return out;
}

std::string dkim_dns_txt(std::string_view private_key_pem) {
  auto key = read_private_key(private_key_pem);
  return public_key_record(key.get());
}

std::string dkim_dns_name(std::string_view selector, std::string_view domain) {
  return fmt::format("{}._domainkey.{}", selector, domain);
}

}  // namespace herald::mail
