#include "settings/key_box.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/crypto.hpp"

namespace herald::settings {
namespace {

constexpr std::string_view kContext = "herald.dkim-keys.v1";
constexpr std::string_view kPrefix = "v1:";
constexpr std::size_t kSecretBytes = 32;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

KeyBox::KeyBox(std::string_view secret) : key_(crypto_secretbox_KEYBYTES, '\0') {
  if (secret.size() < 16) throw std::invalid_argument("the sealing secret must be at least 16 bytes");
  crypto::init();
  // BLAKE2b keyed with a hash of the secret (any length fits), over the context.
  const auto secret_key = crypto::sha256(secret);
  crypto_generichash(bytes(key_), key_.size(), bytes(kContext), kContext.size(), bytes(secret_key), secret_key.size());
}

std::string KeyBox::seal(std::string_view plaintext) const {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(bytes(box) + crypto_secretbox_NONCEBYTES, bytes(plaintext), plaintext.size(), bytes(box),
                        bytes(key_));
  return std::string(kPrefix) + crypto::base64url_encode(box);
}

std::optional<std::string> KeyBox::open(std::string_view sealed) const {
  if (!sealed.starts_with(kPrefix)) return std::nullopt;
  auto box = crypto::base64url_decode(sealed.substr(kPrefix.size()));
  if (!box || box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  std::string plain(box->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(bytes(plain), bytes(*box) + crypto_secretbox_NONCEBYTES,
                                 box->size() - crypto_secretbox_NONCEBYTES, bytes(*box), bytes(key_)) != 0) {
    return std::nullopt;
  }
  return plain;
}

std::string data_dir_secret(const std::filesystem::path& data_dir) {
  std::filesystem::create_directories(data_dir);
  const auto path = data_dir / "secret.key";
  // Written to a temporary file, then linked into place: link() fails when
  // another process was first, and then its complete file is the one read.
  if (!std::filesystem::exists(path)) {
    const auto tmp = data_dir / ("secret.key." + std::to_string(::getpid()) + ".tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
    const auto secret = crypto::random_bytes(kSecretBytes);
    const bool written =
        ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      std::filesystem::remove(tmp);
      throw std::runtime_error("cannot write " + tmp.string());
    }
    ::link(tmp.c_str(), path.c_str());  // EEXIST: another process won
    std::filesystem::remove(tmp);
  }
  auto secret = read_file(path);
  if (secret.size() < kSecretBytes) throw std::runtime_error(path.string() + " is damaged: expected 32 bytes");
  return secret;
}

}  // namespace herald::settings
