// Cryptographic primitives (libsodium): random bytes, SHA-256, HMAC-SHA256,
// base64url and constant-time comparison.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace herald::crypto {

// Call once before threads start; safe to call again.
void init();

std::string random_bytes(std::size_t n);
// n random bytes as base64url (no padding).
std::string random_token(std::size_t n);
std::string sha256(std::string_view data);                             // 32 raw bytes
std::string sha256_hex(std::string_view data);                         // 64 hex characters
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

std::string base64url_encode(std::string_view data);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace herald::crypto
