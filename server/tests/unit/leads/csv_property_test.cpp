// Properties of the CSV parser over random input: it never throws, how the
// bytes are split into pieces changes nothing, and a parser resumed at any
// record's checkpoint reads exactly what the first one read after it.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "leads/csv.hpp"

namespace herald::leads {
namespace {

struct Seen {
  std::vector<std::string> fields;
  std::uint64_t line = 0, end_offset = 0, next_line = 0;
  std::string error;
  bool operator==(const Seen&) const = default;
};

std::string random_csv(std::mt19937& rng) {
  static const std::string alphabet = "ab,,;;\"\"\"\r\n\n\t| \xef\xbb\xbf\xc3\xa9\xff";
  std::uniform_int_distribution<std::size_t> length(0, 300);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size());
  std::string out;
  const std::size_t n = length(rng);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t k = pick(rng);
    out.push_back(k == alphabet.size() ? '\0' : alphabet[k]);
  }
  return out;
}

std::vector<Seen> parse(std::string_view data, const std::vector<std::size_t>& cuts, CsvParser::Options options) {
  std::vector<Seen> seen;
  auto cb = [&](const CsvRecord& r) {
    Seen s;
    for (auto f : r.fields) s.fields.emplace_back(f);
    s.line = r.line;
    s.end_offset = r.end_offset;
    s.next_line = r.next_line;
    s.error = std::string(r.error);
    seen.push_back(std::move(s));
  };
  CsvParser parser(options);
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    if (cut <= at || cut > data.size()) continue;
    parser.feed(data.substr(at, cut - at), cb);
    at = cut;
  }
  parser.feed(data.substr(at), cb);
  parser.finish(cb);
  return seen;
}

TEST(CsvProperties, PiecesDoNotMatterAndEveryCheckpointResumesExactly) {
  std::mt19937 rng(20261125);
  for (int round = 0; round < 2000; ++round) {
    const std::string data = random_csv(rng);
    CsvParser::Options options;
    options.delimiter = round % 3 == 0 ? ';' : ',';
    options.max_record_bytes = round % 5 == 0 ? 16 : 1 << 20;
    const auto whole = parse(data, {}, options);

    std::vector<std::size_t> cuts;
    std::uniform_int_distribution<std::size_t> at(0, data.size());
    for (int i = 0; i < 6; ++i) cuts.push_back(at(rng));
    std::sort(cuts.begin(), cuts.end());
    EXPECT_EQ(parse(data, cuts, options), whole) << "round " << round;

    std::uint64_t last_offset = 0, last_line = 1;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      const auto& r = whole[i];
      ASSERT_GE(r.end_offset, last_offset) << "round " << round;
      ASSERT_LE(r.end_offset, data.size()) << "round " << round;
      ASSERT_GE(r.line, last_line) << "round " << round;
      last_offset = r.end_offset;
      last_line = r.next_line;
      // Resume after record i, as an import does after a crash. A BOM is
      // only looked for at the very start of a file, so offset 0 is no resume point.
      if (r.end_offset == 0) continue;
      CsvParser::Options resume = options;
      resume.start_offset = r.end_offset;
      resume.start_line = r.next_line;
      auto rest = parse(std::string_view(data).substr(r.end_offset), {}, resume);
      std::vector<Seen> expected(whole.begin() + static_cast<std::ptrdiff_t>(i) + 1, whole.end());
      EXPECT_EQ(rest, expected) << "round " << round << ", resumed after record " << i;
    }
  }
}

TEST(CsvProperties, DetectDelimiterAcceptsAnything) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    char d = detect_delimiter(random_csv(rng));
    EXPECT_TRUE(d == ',' || d == ';' || d == '\t' || d == '|') << int(d);
  }
}

}  // namespace
}  // namespace herald::leads
