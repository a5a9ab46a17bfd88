// Request smuggling and oversized heads, over raw sockets. Each smuggling
// attempt sends one request whose framing is in doubt with a second request
// hidden where its body would be; the server must answer once, close the
// connection, and never run the hidden request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "http/framing.hpp"
#include "integration/auth/auth_fixture.hpp"

namespace herald::test {
namespace {

// Sends `bytes` on a fresh connection and returns everything the server sends
// until it closes (or stays silent for `quiet`).
std::string exchange(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds quiet = std::chrono::milliseconds(5000)) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    ADD_FAILURE() << "connect failed";
    return {};
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may stop reading once it has answered
    sent += static_cast<std::size_t>(n);
  }
  std::string got;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(quiet.count())) <= 0) break;
    char buf[65536];
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return got;
}

std::size_t count_responses(const std::string& wire) {
  std::size_t n = 0;
  for (auto pos = wire.find("HTTP/1.1 "); pos != std::string::npos; pos = wire.find("HTTP/1.1 ", pos + 1)) ++n;
  return n;
}

int first_status(const std::string& wire) {
  return wire.starts_with("HTTP/1.1 ") && wire.size() >= 12 ? std::stoi(wire.substr(9, 3)) : 0;
}

class Smuggling : public AuthTest {
 protected:
  // A complete request that, were it ever run, would create a role named `name`.
  std::string hidden_request(const std::string& name) {
    std::string body = R"({"name":")" + name + R"(","permissions":["lead:read"]})";
    return "POST /api/admin/roles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server().admin().token() +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  bool role_exists(const std::string& name) {
    auto roles = server().admin().get("/api/admin/roles").json();
    EXPECT_GE(roles["items"].size(), 4u);  // the built-in roles: the listing itself worked
    for (auto& r : roles["items"]) {
      if (r["name"] == name) return true;
    }
    return false;
  }
  // Sends `head` + `body_prefix` + the hidden request and checks the answer.
  void expect_refused_and_hidden_never_run(const std::string& head, const std::string& body_prefix, int status,
                                           const std::string& label) {
    std::string name = "smuggled-" + std::to_string(++attempts_);
    std::string wire = exchange(server().port(), head + "\r\n" + body_prefix + hidden_request(name));
    EXPECT_EQ(first_status(wire), status) << label << ":\n" << wire;
    EXPECT_EQ(count_responses(wire), 1u) << label << ": the hidden request was answered:\n" << wire;
    EXPECT_NE(wire.find("Connection: close"), std::string::npos) << label << ":\n" << wire;
    EXPECT_NE(wire.find("application/problem+json"), std::string::npos) << label;
    EXPECT_FALSE(role_exists(name)) << label << ": the hidden request ran";
  }

 private:
  int attempts_ = 0;
};

// A public route that reads its body, so a bad chunk is met while reading it.
constexpr const char* kOuter = "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";

TEST_P(Smuggling, AFinalCodingOtherThanChunkedIs400AndCloses) {
  // The server reads no body for these, so the hidden request follows the head at once.
  for (const char* te : {"chunked, identity", "gzip", "identity", "compress", "deflate", "chunked, gzip",
                         "chunked;ext=1", "x-unknown"}) {
    std::string head = std::string(kOuter) + "Transfer-Encoding: " + te + "\r\n";
    expect_refused_and_hidden_never_run(head, "", 400, te);
  }
}

TEST_P(Smuggling, CodingsBeforeChunkedAre501AndClose) {
  // Here the parser would read a chunked body: an empty one, then the hidden request.
  for (const char* te : {"gzip, chunked", "identity, chunked", "compress, chunked"}) {
    std::string head = std::string(kOuter) + "Transfer-Encoding: " + te + "\r\n";
    expect_refused_and_hidden_never_run(head, "0\r\n\r\n", 501, te);
  }
  std::string two_fields = std::string(kOuter) + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n";
  expect_refused_and_hidden_never_run(two_fields, "0\r\n\r\n", 501, "two Transfer-Encoding fields");
}

TEST_P(Smuggling, AmbiguousLengthsAre400AndClose) {
  expect_refused_and_hidden_never_run(std::string(kOuter) + "Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n", 400,
                                      "chunked twice");
  expect_refused_and_hidden_never_run(std::string(kOuter) + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                                      "0\r\n\r\n", 400, "Content-Length and chunked");
  expect_refused_and_hidden_never_run(
      "POST /api/auth/login HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n",
      "0\r\n\r\n", 400, "HTTP/1.0 with chunked");
}

TEST_P(Smuggling, BadChunkSizesAre400AndClose) {
  // Used to drop the connection without an answer.
  std::string head = std::string(kOuter) + "Transfer-Encoding: chunked\r\n";
  expect_refused_and_hidden_never_run(head, "ffffffffffffffffffff\r\nx\r\n0\r\n\r\n", 400, "chunk size past 64 bits");
  expect_refused_and_hidden_never_run(head, "-1\r\nx\r\n0\r\n\r\n", 400, "negative chunk size");
  expect_refused_and_hidden_never_run(head, "zz\r\nx\r\n0\r\n\r\n", 400, "chunk size not hex");
  // The same on a route that streams its body (the CSV import).
  std::string import_head = "POST /api/leads/import HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                            server().admin().token() + "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n";
  expect_refused_and_hidden_never_run(import_head, "6\r\nemail\n\r\n-5\r\n", 400, "negative chunk size, import");
}

TEST_P(Smuggling, PlainChunkedStillWorksAndKeepsTheConnection) {
  std::string hidden_free = std::string(kOuter) + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" +
                            "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  std::string wire = exchange(server().port(), hidden_free);
  EXPECT_EQ(count_responses(wire), 2u) << wire;  // a pipelined request after a well-framed body is served
}

INSTANTIATE_TEST_SUITE_P(Backends, Smuggling, ::testing::Values(storage::Backend::Sqlite), backend_test_name);

TEST(OversizedHeads, ALongRequestLineIs414) {
  TestServer server;
  for (std::size_t n : {http::kMaxRequestLine, 3 * http::kMaxHeaderBytes}) {
    std::string wire =
        exchange(server.port(), "GET /api/health?q=" + std::string(n, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_EQ(first_status(wire), 414) << n << ": " << wire.substr(0, 300);
    EXPECT_NE(wire.find("Connection: close"), std::string::npos) << n;
  }
  // Just under the limit is served.
  auto c = server.client();
  EXPECT_EQ(c->get("/api/health?q=" + std::string(http::kMaxRequestLine - 100, 'a')).status, 200);
}

TEST(OversizedHeads, TooLargeOrTooManyHeaderFieldsAre431) {
  TestServer server;
  std::string big =
      "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(2 * http::kMaxHeaderBytes, 'b') +
      "\r\n\r\n";
  std::string wire = exchange(server.port(), big);
  EXPECT_EQ(first_status(wire), 431) << wire.substr(0, 300);
  EXPECT_NE(wire.find("Connection: close"), std::string::npos);

  std::string many = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (std::size_t i = 0; i < http::kMaxHeaderFields + 1; ++i) many += "X-F" + std::to_string(i) + ": v\r\n";
  wire = exchange(server.port(), many + "\r\n");
  EXPECT_EQ(first_status(wire), 431) << wire.substr(0, 300);

  // Many small fields within the limits are fine.
  std::string fine = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (std::size_t i = 0; i < http::kMaxHeaderFields - 10; ++i) fine += "X-F" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(first_status(exchange(server.port(), fine + "\r\n")), 200);
}

}  // namespace
}  // namespace herald::test
