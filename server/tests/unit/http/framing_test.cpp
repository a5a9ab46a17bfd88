// Which request heads the framing rules refuse (RFC 9112 §6), without a server.
#include "http/framing.hpp"

#include <gtest/gtest.h>

namespace herald::http {
namespace {

Request head(std::vector<std::pair<std::string, std::string>> headers, int version = 11) {
  Request r;
  r.method_text = "POST";
  r.target = "/api/leads";
  r.version = version;
  for (auto& [k, v] : headers) r.headers.add(k, v);
  return r;
}

int status_of(const Request& r) {
  auto p = framing_problem(r);
  return p ? p->status() : 0;
}

TEST(Framing, ContentLengthOrPlainChunkedIsFine) {
  EXPECT_EQ(status_of(head({})), 0);
  EXPECT_EQ(status_of(head({{"Content-Length", "12"}})), 0);
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "chunked"}})), 0);
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "Chunked"}})), 0);
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", " , chunked ,"}})), 0);  // empty list elements
}

TEST(Framing, AFinalCodingOtherThanChunkedIs400) {
  for (const char* te : {"chunked, identity", "gzip", "identity", "compress", "deflate", "chunked, gzip", "x-custom",
                         "chunked;q=1", "", " , "}) {
    auto p = framing_problem(head({{"Transfer-Encoding", te}}));
    ASSERT_TRUE(p) << te;
    EXPECT_EQ(p->status(), 400) << te;
    EXPECT_EQ(p->type_slug(), "bad-framing") << te;
  }
}

TEST(Framing, OtherCodingsBeforeChunkedAre501) {
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "gzip, chunked"}})), 501);
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "identity, chunked"}})), 501);
  // Several fields make one list.
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "gzip"}, {"transfer-encoding", "chunked"}})), 501);
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}})), 400);
}

TEST(Framing, AmbiguousLengthsAre400) {
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "chunked, chunked"}})), 400);
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}})), 400);
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}})), 400);
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "chunked"}}, 10)), 400);  // HTTP/1.0 has no transfer codings
}

TEST(Framing, LongRequestLinesAre414AndTooManyFieldsAre431) {
  auto r = head({});
  r.target = "/api/health?q=" + std::string(kMaxRequestLine, 'a');
  EXPECT_EQ(status_of(r), 414);
  r.target = "/api/health?q=" + std::string(kMaxRequestLine - 100, 'a');
  EXPECT_EQ(status_of(r), 0);

  std::vector<std::pair<std::string, std::string>> fields;
  for (std::size_t i = 0; i < kMaxHeaderFields; ++i) fields.emplace_back("X-F" + std::to_string(i), "v");
  EXPECT_EQ(status_of(head(fields)), 0);
  fields.emplace_back("X-One-Too-Many", "v");
  EXPECT_EQ(status_of(head(fields)), 431);
}

TEST(Framing, AnOversizedHeadIs414WhenTheRequestLineIsTooLong) {
  EXPECT_EQ(oversized_head(std::nullopt).status(), 414);  // the parser never got past the request line
  EXPECT_EQ(oversized_head(kMaxRequestLine + 1).status(), 414);
  EXPECT_EQ(oversized_head(kMaxRequestLine).status(), 431);
  EXPECT_EQ(oversized_head(30).status(), 431);
  EXPECT_EQ(request_line_length("GET", "/"), std::string_view("GET / HTTP/1.1").size());
}

}  // namespace
}  // namespace herald::http
