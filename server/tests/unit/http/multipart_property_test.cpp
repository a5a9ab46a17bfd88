// Properties of the multipart parser over random bodies: it either accepts or
// refuses with BadRequest (never anything else), and the parts it reports do
// not depend on how the body was split into pieces.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "http/multipart.hpp"

namespace herald::http {
namespace {

// "part <name> <filename?>", "data <bytes>", "end", or "error".
std::vector<std::string> run(const std::string& body, const std::vector<std::size_t>& cuts) {
  std::vector<std::string> events;
  MultipartCallbacks cb;
  cb.on_part = [&](const MultipartPart& p) { events.push_back("part " + p.name + " " + p.filename.value_or("-")); };
  cb.on_data = [&](std::string_view d) {
    if (!events.empty() && events.back().starts_with("data ")) {
      events.back().append(d);
    } else {
      events.push_back("data " + std::string(d));
    }
  };
  cb.on_part_end = [&] { events.push_back("end"); };
  MultipartParser parser("XyZ", cb);
  try {
    std::size_t at = 0;
    for (std::size_t cut : cuts) {
      if (cut <= at || cut > body.size()) continue;
      parser.feed(std::string_view(body).substr(at, cut - at));
      at = cut;
    }
    parser.feed(std::string_view(body).substr(at));
    parser.finish();
  } catch (const BadRequest&) {
    events.push_back("error");
  }
  return events;
}

std::string random_body(std::mt19937& rng) {
  static const std::vector<std::string> tokens = {
      "--XyZ",
      "--XyZ--",
      "\r\n",
      "\r",
      "\n",
      "Content-Disposition: form-data; name=\"file\"",
      "; filename=\"a.csv\"",
      "Content-Type: text/csv",
      "email\r\n",
      "a@b.c",
      "-",
      "X",
      "\xff",
      std::string(1, '\0'),
      "--Xy",
      "name=\"\"",
  };
  std::uniform_int_distribution<std::size_t> count(0, 40), pick(0, tokens.size() - 1);
  std::string out;
  const std::size_t n = count(rng);
  for (std::size_t i = 0; i < n; ++i) out += tokens[pick(rng)];
  return out;
}

TEST(MultipartProperties, SplittingNeverChangesTheOutcome) {
  std::mt19937 rng(42);
  for (int round = 0; round < 3000; ++round) {
    std::string body = random_body(rng);
    if (round % 4 == 0) {
      body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\n" + body +
             "\r\n--XyZ--\r\n";
    }
    const auto whole = run(body, {});
    std::vector<std::size_t> cuts;
    std::uniform_int_distribution<std::size_t> at(0, body.size());
    for (int i = 0; i < 5; ++i) cuts.push_back(at(rng));
    std::sort(cuts.begin(), cuts.end());
    EXPECT_EQ(run(body, cuts), whole) << "round " << round;
    std::vector<std::size_t> bytes;
    for (std::size_t i = 1; i < body.size(); ++i) bytes.push_back(i);
    EXPECT_EQ(run(body, bytes), whole) << "round " << round << " fed byte by byte";
  }
}

}  // namespace
}  // namespace herald::http
