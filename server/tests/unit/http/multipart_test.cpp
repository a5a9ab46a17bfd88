#include "http/multipart.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/errors.hpp"

namespace herald::http {
namespace {

struct Collected {
  std::vector<MultipartPart> parts;
  std::vector<std::string> data;
  int ended = 0;
};

MultipartCallbacks collect(Collected& c) {
  return {[&c](const MultipartPart& p) {
            c.parts.push_back(p);
            c.data.emplace_back();
          },
          [&c](std::string_view d) { c.data.back().append(d); }, [&c] { ++c.ended; }};
}

const std::string kBody =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"mode\"\r\n"
    "\r\n"
    "upsert\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"leads; \\\"2024\\\".csv\"\r\n"
    "Content-Type: text/csv\r\n"
    "\r\n"
    "email,name\r\na@example.com,\"A, with --XyZ inside\"\r\n\r\n"
    "--XyZ--\r\n"
    "epilogue";

void expect_parsed(const Collected& c) {
  ASSERT_EQ(c.parts.size(), 2u);
  EXPECT_EQ(c.parts[0].name, "mode");
  EXPECT_FALSE(c.parts[0].filename.has_value());
  EXPECT_EQ(c.parts[0].content_type, "text/plain");
  EXPECT_EQ(c.data[0], "upsert");
  EXPECT_EQ(c.parts[1].name, "file");
  EXPECT_EQ(c.parts[1].filename, "leads; \"2024\".csv");
  EXPECT_EQ(c.parts[1].content_type, "text/csv");
  EXPECT_EQ(c.data[1], "email,name\r\na@example.com,\"A, with --XyZ inside\"\r\n");
  EXPECT_EQ(c.ended, 2);
}

TEST(Multipart, ParsesPartsInOneGo) {
  Collected c;
  MultipartParser p("XyZ", collect(c));
  p.feed(kBody);
  p.finish();
  EXPECT_TRUE(p.complete());
  expect_parsed(c);
}

TEST(Multipart, AnySplitOfTheInputGivesTheSameParts) {
  for (std::size_t cut = 0; cut <= kBody.size(); ++cut) {
    Collected c;
    MultipartParser p("XyZ", collect(c));
    p.feed(std::string_view(kBody).substr(0, cut));
    p.feed(std::string_view(kBody).substr(cut));
    p.finish();
    expect_parsed(c);
    if (HasFailure()) {
      ADD_FAILURE() << "split at " << cut;
      return;
    }
  }
}

TEST(Multipart, ByteByByte) {
  Collected c;
  MultipartParser p("XyZ", collect(c));
  for (char ch : kBody) p.feed(std::string_view(&ch, 1));
  p.finish();
  expect_parsed(c);
}

TEST(Multipart, ABodyWithoutItsClosingBoundaryIsRefused) {
  Collected c;
  MultipartParser p("XyZ", collect(c));
  p.feed("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhalf a file");
  EXPECT_FALSE(p.complete());
  EXPECT_THROW(p.finish(), BadRequest);
}

TEST(Multipart, MalformedInputIsABadRequest) {
  {
    Collected c;
    MultipartParser p("XyZ", collect(c));
    EXPECT_THROW(p.feed("--XyZ\r\nno colon here\r\n\r\n"), BadRequest);
  }
  {
    Collected c;
    MultipartParser p("XyZ", collect(c));
    EXPECT_THROW(p.feed("--XyZgarbage"), BadRequest);
  }
  {
    Collected c;
    MultipartParser p("XyZ", collect(c));
    EXPECT_THROW(p.feed("--XyZ\r\nX-Long: " + std::string(20000, 'a')), BadRequest);
  }
}

TEST(Multipart, LargeContentStreamsThroughInPieces) {
  std::string content(1 << 20, 'q');
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\n" + content + "\r\n--b--\r\n";
  std::size_t total = 0, calls = 0;
  MultipartParser p("b", {nullptr,
                          [&](std::string_view d) {
                            total += d.size();
                            ++calls;
                          },
                          nullptr});
  for (std::size_t i = 0; i < body.size(); i += 65536) p.feed(std::string_view(body).substr(i, 65536));
  p.finish();
  EXPECT_EQ(total, content.size());
  EXPECT_GE(calls, 16u);
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk"),
            "----WebKitFormBoundary7MA4YWxk");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("text/csv"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')), std::nullopt);
}

}  // namespace
}  // namespace herald::http
