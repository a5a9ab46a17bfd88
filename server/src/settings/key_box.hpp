// Seals secrets stored in the database (DKIM private keys) so that a copy of
// the database alone does not reveal them: libsodium's secretbox
// (XSalsa20-Poly1305) under a key derived (BLAKE2b, context "herald.dkim-keys.v1")
// from HERALD_JWT_SECRET when it is set, otherwise from a 32-byte secret
// generated once into the data dir (`secret.key`, mode 0600). Rotating
// HERALD_JWT_SECRET, or losing secret.key, makes sealed keys unreadable:
// they must then be generated again (docs/architecture.md, "Settings").
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace herald::settings {

class KeyBox {
 public:
  // `secret`: any length ≥ 16 bytes; the box key is derived from it.
  explicit KeyBox(std::string_view secret);

  // "v1:" + base64url(nonce || ciphertext); a fresh random nonce each time.
  std::string seal(std::string_view plaintext) const;
  // nullopt when `sealed` is malformed or was sealed under another key.
  std::optional<std::string> open(std::string_view sealed) const;

 private:
  std::string key_;  // crypto_secretbox_KEYBYTES
};

// The secret of `data_dir`/secret.key, created (32 random bytes, 0600) when
// missing; processes starting together all read the one that was written first.
std::string data_dir_secret(const std::filesystem::path& data_dir);

}  // namespace herald::settings
