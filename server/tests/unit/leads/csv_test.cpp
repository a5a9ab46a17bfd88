#include "leads/csv.hpp"

#include <gtest/gtest.h>

namespace herald::leads {
namespace {

struct Row {
  std::vector<std::string> fields;
  std::uint64_t line;
  std::uint64_t end;
  std::uint64_t next_line;
  std::string error;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  os << "{line " << r.line << " end " << r.end << " next " << r.next_line << " [";
  for (const auto& f : r.fields) os << '"' << f << "\" ";
  return os << "] " << r.error << "}";
}

std::vector<Row> parse_in_pieces(std::string_view text, std::size_t piece, CsvParser::Options o = {}) {
  std::vector<Row> rows;
  CsvParser p(o);
  auto cb = [&](const CsvRecord& r) {
    Row row{{}, r.line, r.end_offset, r.next_line, std::string(r.error)};
    for (auto f : r.fields) row.fields.emplace_back(f);
    rows.push_back(std::move(row));
  };
  for (std::size_t i = 0; i < text.size(); i += piece) p.feed(text.substr(i, piece), cb);
  p.finish(cb);
  return rows;
}

std::vector<Row> parse(std::string_view text, CsvParser::Options o = {}) {
  auto whole = parse_in_pieces(text, std::max<std::size_t>(text.size(), 1), o);
  // Every way of cutting the input gives the same records.
  for (std::size_t piece : {1, 2, 3, 7}) {
    EXPECT_EQ(parse_in_pieces(text, piece, o), whole) << "in pieces of " << piece;
  }
  return whole;
}

TEST(Csv, SimpleRecordsWithOffsetsAndLines) {
  auto rows = parse("a,b\n1,2\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{{"a", "b"}, 1, 4, 2, ""}));
  EXPECT_EQ(rows[1], (Row{{"1", "2"}, 2, 8, 3, ""}));
}

TEST(Csv, QuotedFieldsWithDelimitersQuotesAndLineBreaks) {
  auto rows = parse("name,notes\r\n\"Doe, Jane\",\"said \"\"hi\"\"\r\nthen left\"\r\nx,\"\"\r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"Doe, Jane", "said \"hi\"\r\nthen left"}));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].line, 4u);  // the quoted line break counts
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"x", ""}));
}

TEST(Csv, BomIsSkippedAndCountedInOffsets) {
  auto rows = parse(
      "\xEF\xBB\xBF"
      "email\nA@x.io\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], "email");
  EXPECT_EQ(rows[0].end, 9u);
  auto tiny = parse("\xEF\xBB");
  ASSERT_EQ(tiny.size(), 1u);
  EXPECT_EQ(tiny[0].fields[0], "\xEF\xBB");
}

TEST(Csv, LineEndsOfEveryKindAndNoneAtTheEnd) {
  auto rows = parse("a\r\nb\rc\nd");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (Row{{"a"}, 1, 3, 2, ""}));
  EXPECT_EQ(rows[1], (Row{{"b"}, 2, 5, 3, ""}));
  EXPECT_EQ(rows[2], (Row{{"c"}, 3, 7, 4, ""}));
  EXPECT_EQ(rows[3], (Row{{"d"}, 4, 8, 5, ""}));
}

TEST(Csv, BlankLinesAreSkippedButEmptyFieldsKept) {
  auto rows = parse("a,b\n\n\r\n,\n\"\"\nlast,\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(rows[1].line, 4u);
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{""}));  // "" is a field, not a blank line
  EXPECT_EQ(rows[3].fields, (std::vector<std::string>{"last", ""}));
  EXPECT_EQ(rows[3].line, 6u);
}

TEST(Csv, SemicolonDelimiter) {
  CsvParser::Options o;
  o.delimiter = ';';
  auto rows = parse("email;company\nx@y.io;\"A; B, C\"\n", o);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"x@y.io", "A; B, C"}));
}

TEST(Csv, LenientAboutStrayQuotes) {
  auto rows = parse("ab\"c,\"d\"e\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"ab\"c", "de"}));
}

TEST(Csv, AnUnterminatedQuoteIsAnErrorRecord) {
  auto rows = parse("a,b\n1,\"open\n2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_NE(rows[1].error.find("line 2 is never closed"), std::string::npos) << rows[1].error;
}

TEST(Csv, AnOverlongRecordIsSkippedToTheNextLine) {
  CsvParser::Options o;
  o.max_record_bytes = 1024;
  std::string text = "a,b\n\"" + std::string(3000, 'x') + "\nnext,1\n";
  auto rows = parse_in_pieces(text, 100, o);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_FALSE(rows[1].error.empty());
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"next", "1"}));
  EXPECT_EQ(rows[2].line, 3u);
}

TEST(Csv, ResumingAtARecordEndGivesTheSameRest) {
  std::string text = "h1,h2\r\n\"a\r\nb\",1\r\n\r\nc,2\r\nd,3";
  auto all = parse(text);
  ASSERT_EQ(all.size(), 4u);
  for (std::size_t k = 0; k + 1 < all.size(); ++k) {
    CsvParser::Options o;
    o.start_offset = all[k].end;
    o.start_line = all[k].next_line;
    auto rest = parse_in_pieces(std::string_view(text).substr(all[k].end), 3, o);
    std::vector<Row> expected(all.begin() + static_cast<long>(k) + 1, all.end());
    EXPECT_EQ(rest, expected) << "resumed after record " << k;
  }
}

TEST(Csv, DelimiterDetection) {
  EXPECT_EQ(detect_delimiter("email,first name,company\n"), ',');
  EXPECT_EQ(detect_delimiter("email;first name;company\r\nx,y;z"), ';');
  EXPECT_EQ(detect_delimiter("\"a,b,c\";\"d\";e\n"), ';');
  EXPECT_EQ(detect_delimiter("email\tname\n"), '\t');
  EXPECT_EQ(detect_delimiter("email\n"), ',');
  EXPECT_EQ(detect_delimiter("\xEF\xBB\xBF"
                             "a|b|c"),
            '|');
}

TEST(Csv, ExportCellsEscapeQuotesAndFormulas) {
  auto cell = [](std::string_view v) {
    std::string out;
    append_csv_cell(out, v);
    return out;
  };
  EXPECT_EQ(cell("plain"), "plain");
  EXPECT_EQ(cell("a,b"), "\"a,b\"");
  EXPECT_EQ(cell("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(cell("=1+2"), "'=1+2");
  EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(cell("+33 1 23"), "'+33 1 23");
  EXPECT_EQ(cell("-2"), "'-2");
  EXPECT_EQ(cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(cell("line\nbreak"), "\"line\nbreak\"");
}

}  // namespace
}  // namespace herald::leads
