// Streamed request bodies (uploads into a BodySink) and streamed responses
// (chunked), black-box over real sockets.
#include <gtest/gtest.h>

#include <atomic>

#include "core/errors.hpp"
#include "http/router.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

struct SinkStats {
  std::atomic<int> opened{0};
  std::atomic<int> finished{0};
  std::atomic<int> abandoned{0};
};
SinkStats stats;

// Counts bytes and pieces; an 'F' anywhere makes write() throw.
class CountingSink final : public http::BodySink {
 public:
  CountingSink() { ++stats.opened; }
  ~CountingSink() override {
    if (!finished_) ++stats.abandoned;
  }
  void write(std::string_view chunk) override {
    if (chunk.find('F') != std::string_view::npos) throw ValidationError("file", "the upload contains an F");
    bytes_ += chunk.size();
    ++pieces_;
    for (unsigned char c : chunk) sum_ = sum_ * 31 + c;
  }
  http::Response finish() override {
    finished_ = true;
    ++stats.finished;
    return http::Response::json(202, {{"bytes", bytes_}, {"pieces", pieces_}, {"sum", sum_}});
  }

 private:
  std::size_t bytes_ = 0;
  std::size_t pieces_ = 0;
  std::uint64_t sum_ = 0;
  bool finished_ = false;
};

std::uint64_t checksum(std::string_view s) {
  std::uint64_t sum = 0;
  for (unsigned char c : s) sum = sum * 31 + c;
  return sum;
}

void streaming_routes(http::Router& r) {
  auto& open = r.add(http::Method::Post, "/api/test/upload", nullptr, http::Access::public_route());
  open.body_limit = http::BodyLimit::Import;
  open.body_sink = [](http::Request&) { return std::make_unique<CountingSink>(); };
  auto& guarded = r.add(http::Method::Post, "/api/test/private-upload", nullptr, http::Access::authenticated());
  guarded.body_limit = http::BodyLimit::Import;
  guarded.body_sink = [](http::Request&) { return std::make_unique<CountingSink>(); };
  auto& refusing = r.add(http::Method::Post, "/api/test/refusing-upload", nullptr, http::Access::public_route());
  refusing.body_sink = [](http::Request& req) -> std::unique_ptr<http::BodySink> {
    throw ValidationError("mode", "'" + req.query_param("mode").value_or("") + "' is not a mode");
  };
  r.add(
      http::Method::Get, "/api/test/stream",
      [](http::Request& req) {
        int n = std::stoi(req.query_param("n").value_or("3"));
        auto i = std::make_shared<int>(0);
        return http::Response::streamed(200, "text/plain", [n, i](std::string& chunk) {
          if (*i == n) return false;
          chunk = "line " + std::to_string((*i)++) + "\n";
          return true;
        });
      },
      http::Access::public_route());
  r.add(
      http::Method::Get, "/api/test/broken-stream",
      [](http::Request&) {
        auto i = std::make_shared<int>(0);
        return http::Response::streamed(200, "text/plain", [i](std::string& chunk) -> bool {
          if ((*i)++ == 2) throw std::runtime_error("the cursor went away");
          chunk = "piece\n";
          return true;
        });
      },
      http::Access::public_route());
}

class StreamingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer(
        [](Config& c) {
          c.max_body = 1 << 16;
          c.max_import = 4 << 20;
        },
        {}, streaming_routes);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    stats.opened = 0;
    stats.finished = 0;
    stats.abandoned = 0;
  }
  static TestServer* server_;
};
TestServer* StreamingTest::server_ = nullptr;

std::string payload(std::size_t n) {
  std::string s(n, 'x');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

TEST_F(StreamingTest, AnUploadBeyondTheBodyLimitArrivesInPiecesUpToTheImportLimit) {
  auto c = server_->client();
  auto body = payload(3 << 20);
  auto r = c->request("POST", "/api/test/upload", body, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(r.status, 202) << r.body;
  auto doc = r.json();
  EXPECT_EQ(doc["bytes"], body.size());
  EXPECT_EQ(doc["sum"], checksum(body));
  EXPECT_GT(doc["pieces"].get<int>(), 10);  // never held whole
  EXPECT_EQ(stats.finished, 1);
  // The connection stays usable.
  EXPECT_EQ(c->get("/api/health").status, 200);
}

TEST_F(StreamingTest, ChunkedUploadsAreReassembled) {
  auto c = server_->client();
  std::string head = "POST /api/test/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string body;
  std::string wire = head;
  for (int i = 0; i < 50; ++i) {
    auto piece = payload(1000 + static_cast<std::size_t>(i));
    body += piece;
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    wire += size + piece + "\r\n";
  }
  wire += "0\r\n\r\n";
  auto r = c->raw(wire);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json()["bytes"], body.size());
  EXPECT_EQ(r.json()["sum"], checksum(body));
}

TEST_F(StreamingTest, AnEmptyUploadStillReachesTheSink) {
  auto c = server_->client();
  auto r = c->request("POST", "/api/test/upload", "");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json()["bytes"], 0);
}

TEST_F(StreamingTest, TooLargeUploadsAreRefused) {
  // Declared: refused before a byte of the body is read.
  auto c = server_->client();
  c->send_raw("POST /api/test/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000\r\n\r\n");
  auto early = c->read_response();
  EXPECT_EQ(early.status, 413);
  EXPECT_TRUE(early.closed);
  EXPECT_EQ(stats.opened, 0);

  // Chunked: refused once it grows past the limit; the sink is dropped unfinished.
  auto d = server_->client();
  std::string wire = "POST /api/test/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string piece = payload(1 << 20);
  for (int i = 0; i < 4; ++i) wire += "100000\r\n" + piece + "\r\n";
  wire += "a\r\n0123456789\r\n0\r\n\r\n";  // ten bytes over
  try {
    d->send_raw(wire);
  } catch (const std::exception&) {
    // The server may close while we are still sending.
  }
  auto late = d->read_response();
  EXPECT_EQ(late.status, 413);
  EXPECT_EQ(stats.finished, 0);
  EXPECT_EQ(stats.abandoned, 1);
}

TEST_F(StreamingTest, AuthorisationRunsBeforeTheBodyIsRead) {
  auto c = server_->client();
  // Only the head is sent: the answer must come without the body.
  c->send_raw("POST /api/test/private-upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n");
  auto r = c->read_response();
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(stats.opened, 0);
}

TEST_F(StreamingTest, ASinkThatRefusesToOpenAnswersWithItsProblem) {
  auto c = server_->client();
  c->send_raw(
      "POST /api/test/refusing-upload?mode=sideways HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Length: 100\r\nExpect: 100-continue\r\n\r\n");
  auto r = c->read_response();
  EXPECT_EQ(r.status, 422);  // no 100 Continue first: the body is not wanted
  EXPECT_EQ(r.json()["errors"][0]["field"], "mode");
  EXPECT_TRUE(r.closed);
}

TEST_F(StreamingTest, ExpectContinueIsAnsweredOnceTheUploadIsAccepted) {
  auto c = server_->client();
  c->send_raw("POST /api/test/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  auto interim = c->read_response(true);
  EXPECT_EQ(interim.status, 100);
  c->send_raw("hello");
  auto r = c->read_response();
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.json()["bytes"], 5);
}

TEST_F(StreamingTest, AFailingWriteStopsTheUpload) {
  auto c = server_->client();
  // At the very end, so the server has read everything when it refuses.
  std::string body = payload(300000) + "F";
  auto r = c->request("POST", "/api/test/upload", body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["errors"][0]["field"], "file");
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(stats.abandoned, 1);
}

TEST_F(StreamingTest, AnAbandonedUploadDropsTheSink) {
  {
    auto c = server_->client();
    c->send_raw("POST /api/test/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n" +
                payload(300000));
  }  // the client goes away mid-body
  for (int i = 0; i < 500 && stats.abandoned == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(stats.opened, 1);
  EXPECT_EQ(stats.abandoned, 1);
  EXPECT_EQ(stats.finished, 0);
}

TEST_F(StreamingTest, StreamedResponsesAreChunkedAndKeepTheConnection) {
  auto c = server_->client();
  auto r = c->get("/api/test/stream?n=1000");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(r.header("Content-Length").has_value());
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  std::string expected;
  for (int i = 0; i < 1000; ++i) expected += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(r.body, expected);
  EXPECT_EQ(c->chunks_received(), 1000u);
  EXPECT_FALSE(r.closed);
  EXPECT_EQ(c->get("/api/test/stream?n=0").body, "");
  auto head = c->request("HEAD", "/api/test/stream?n=5");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(c->get("/api/health").status, 200);
}

TEST_F(StreamingTest, HttpTenGetsTheStreamDelimitedByClose) {
  auto c = server_->client();
  auto r = c->raw("GET /api/test/stream?n=3 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "line 0\nline 1\nline 2\n");
  EXPECT_TRUE(r.closed);
}

TEST_F(StreamingTest, AProducerFailureCutsTheResponseShort) {
  auto c = server_->client();
  EXPECT_THROW(c->get("/api/test/broken-stream"), std::runtime_error);
  auto d = server_->client();
  EXPECT_EQ(d->get("/api/health").status, 200);
}

}  // namespace
}  // namespace herald::test
