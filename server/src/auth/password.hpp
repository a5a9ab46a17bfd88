// Password hashing: argon2id (libsodium) with OWASP's minimum parameters
// (19 MiB memory, 2 iterations), encoded as a PHC string.
#pragma once

#include <string>
#include <string_view>

namespace herald::auth {

std::string hash_password(std::string_view password);
bool verify_password(std::string_view encoded_hash, std::string_view password);
// Verifies against a fixed hash so an unknown account costs the same time as a wrong password.
void burn_verification_time(std::string_view password);
// Minimum policy: 8..1024 bytes. Returns an error message, or empty when acceptable.
std::string password_problem(std::string_view password);

}  // namespace herald::auth
