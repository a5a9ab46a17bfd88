#include "auth/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace herald::auth {
namespace {
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19u * 1024 * 1024;
}  // namespace

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id hashing failed (out of memory)");
  return out;
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  std::string h(encoded_hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void burn_verification_time(std::string_view password) {
  static const std::string dummy = hash_password("herald-timing-equaliser");
  (void)verify_password(dummy, password);
}

std::string password_problem(std::string_view password) {
  if (password.size() < 8) return "must be at least 8 characters";
  if (password.size() > 1024) return "must be at most 1024 characters";
  return {};
}

}  // namespace herald::auth
