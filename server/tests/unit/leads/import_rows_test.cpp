#include "leads/import_rows.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

namespace herald::leads {
namespace {

Mapping map(std::vector<std::string_view> header, const MappingOption& option = {}) {
  return map_header(header, option);
}

TEST(ImportMapping, CommonHeaderNamesAreRecognised) {
  auto m =
      map({"E-mail", "First Name", "Last Name", "Company Name", "Job Title", "Phone Number", "Website", "Country",
           "Time Zone", "Lead Status", "Lead Score", "Tags", "Lead Source", "Favourite Colour", "id", "created_at"});
  std::vector<Column> expected = {Column::Email,    Column::FirstName, Column::LastName, Column::Company,
                                  Column::Title,    Column::Phone,     Column::Website,  Column::Country,
                                  Column::Timezone, Column::Status,    Column::Score,    Column::Tags,
                                  Column::Source,   Column::Custom,    Column::Ignore,   Column::Ignore};
  ASSERT_EQ(m.columns.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(m.columns[i].column, expected[i]) << i;
  EXPECT_EQ(m.columns[13].custom_key, "favourite_colour");
}

TEST(ImportMapping, ExplicitMappingWins) {
  auto option = parse_mapping_option(R"({"Contact": "email", "email": "cf.old_email", "Notes": "ignore"})");
  auto m = map({"email", "contact", "Notes"}, option);
  EXPECT_EQ(m.columns[0].column, Column::Custom);
  EXPECT_EQ(m.columns[0].custom_key, "old_email");
  EXPECT_EQ(m.columns[1].column, Column::Email);
  EXPECT_EQ(m.columns[2].column, Column::Ignore);
}

TEST(ImportMapping, FileProblemsAreClear) {
  EXPECT_THROW(map({"name", "company"}), ImportFileError);
  EXPECT_THROW(map({"a", "b"}, {{"a", "email"}, {"b", "email"}}), ImportFileError);
  // Recognised twice by name: the first column wins, the other is kept as a custom field.
  auto twice = map({"email", "E-mail"});
  EXPECT_EQ(twice.columns[1].column, Column::Custom);
  EXPECT_EQ(twice.columns[1].custom_key, "e_mail");
  EXPECT_THROW(map({"email"}, {{"Missing", "company"}}), ImportFileError);
  try {
    map({"name", "company"});
  } catch (const ImportFileError& e) {
    EXPECT_NE(std::string(e.what()).find("no column holds the email"), std::string::npos);
  }
}

TEST(ImportMapping, MappingOptionIsValidated) {
  EXPECT_THROW(parse_mapping_option("[1]"), ValidationError);
  EXPECT_THROW(parse_mapping_option(R"({"a": "password_hash"})"), ValidationError);
  EXPECT_THROW(parse_mapping_option(R"({"a": "cf.bad key"})"), ValidationError);
  EXPECT_TRUE(parse_mapping_option("").empty());
}

TEST(ImportRows, ConvertsAndValidatesARecord) {
  auto m = map({"Email", "Name", "Tags", "Status", "Score", "Plan", "Owner"});
  ImportRow row;
  std::vector<std::string_view> fields = {
      " Ann@Example.com ", "Ann van Dijk", "vip; beta,vip", "Not Interested", "55", "pro", "sales@example.com"};
  ASSERT_EQ(convert_row(m, fields, row), std::nullopt);
  EXPECT_EQ(row.email, "ann@example.com");
  EXPECT_EQ(row.first_name, "Ann van");
  EXPECT_EQ(row.last_name, "Dijk");
  EXPECT_EQ(row.tags, (std::vector<std::string>{"vip", "beta"}));
  EXPECT_EQ(row.status, "not_interested");
  EXPECT_EQ(row.score, 55);
  EXPECT_EQ(row.custom_json(), R"({"plan":"pro"})");
  EXPECT_EQ(row.owner, "sales@example.com");
  EXPECT_TRUE(row.has_status && row.has_score && row.has_first_name);
  EXPECT_FALSE(row.has_company);
}

TEST(ImportRows, RowProblemsNameTheField) {
  auto m = map({"email", "score", "status", "phone"});
  ImportRow row;
  auto reason = [&](std::vector<std::string_view> f) { return convert_row(m, f, row).value_or(""); };
  EXPECT_EQ(reason({"bad", "1", "new", ""}), "email: is not a valid email address");
  EXPECT_EQ(reason({"", "1", "new", ""}), "email: is empty");
  EXPECT_EQ(reason({"a@b.io", "x", "new", ""}), "score: must be a whole number from 0 to 100");
  EXPECT_TRUE(reason({"a@b.io", "", "hot", ""}).starts_with("status: "));
  EXPECT_TRUE(reason({"a@b.io", "", "", "call me"}).starts_with("phone: "));
  EXPECT_EQ(reason({"a@b.io", "1"}), "has 2 fields where the header has 4");
  EXPECT_EQ(reason({"a@b.io", "", "", "\xff"}), "phone: may contain only digits, spaces and + - ( ) . / x # *");
  EXPECT_EQ(reason({"a@b.io", "", "", ""}), "");
}

// The reason map_header gives for a header row ("" when it maps).
std::string header_refusal(std::vector<std::string_view> header, const MappingOption& option = {}) {
  try {
    map_header(header, option);
  } catch (const ImportFileError& e) {
    return e.what();
  }
  return "";
}

TEST(ImportMapping, AHeaderThatCannotNameItsColumnFailsTheFile) {
  // Not UTF-8: the column used to be dropped.
  auto not_utf8 = header_refusal({"email", "Stra\337e"});  // "Straße" in Latin-1
  EXPECT_NE(not_utf8.find("header of column 2 is not valid UTF-8"), std::string::npos) << not_utf8;
  EXPECT_NE(header_refusal({"email", std::string_view("a\0b", 3)}), "");
  // The same name twice (ignoring case): the second used to become a custom field "email".
  auto twice = header_refusal({"email", "name", "Email"});
  EXPECT_NE(twice.find("names 'email' twice (column 1 and column 3)"), std::string::npos) << twice;
  EXPECT_NE(header_refusal({"email", "Plan", "plan"}), "");
  EXPECT_NE(header_refusal({"email", "Plan", " Plan "}), "");
  // Longer than a custom field name may be: it used to be cut to 64 characters.
  std::string long_header(kMaxCustomKey + 1, 'a');
  auto too_long = header_refusal({"email", long_header});
  EXPECT_NE(too_long.find("longer than 64 characters"), std::string::npos) << too_long;
  std::string at_limit(kMaxCustomKey, 'a');
  auto m = map({"email", at_limit});
  EXPECT_EQ(m.columns[1].custom_key, at_limit);
  // A long header the mapping names is fine: it does not become a key.
  EXPECT_EQ(header_refusal({"email", long_header}, {{long_header, "ignore"}}), "");
  // Nothing usable for a key: the column used to be dropped.
  auto symbols = header_refusal({"email", "Имя"});
  EXPECT_NE(symbols.find("gives no custom field name"), std::string::npos) << symbols;
  EXPECT_EQ(header_refusal({"email", "Имя"}, {{"Имя", "first_name"}}), "");
  // Unnamed columns hold nothing to keep and are ignored, however many there are.
  auto unnamed = map({"email", "", " "});
  EXPECT_EQ(unnamed.columns[1].column, Column::Ignore);
  EXPECT_EQ(unnamed.columns[2].column, Column::Ignore);
}

TEST(ImportRows, KeysForCustomColumns) {
  EXPECT_EQ(custom_key_for("Lead Source (2024)"), "lead_source_2024");
  EXPECT_EQ(custom_key_for("  --  "), "");
  EXPECT_EQ(header_key("E-mail Address"), "emailaddress");
}

TEST(ImportOptions, ValidatedAndRoundTripped) {
  ImportOptions o;
  o.mode = ImportMode::Upsert;
  o.tags = {"q3"};
  o.list = "Webinar";
  o.mapping = {{"Mail", "email"}};
  auto back = import_options_from_json(to_json(o));
  EXPECT_EQ(back.mode, ImportMode::Upsert);
  EXPECT_EQ(back.tags, o.tags);
  EXPECT_EQ(back.mapping, o.mapping);
  o.list = "a,b";
  EXPECT_THROW(validate_import_options(o), ValidationError);
  EXPECT_EQ(parse_import_mode("upsert"), ImportMode::Upsert);
  EXPECT_EQ(parse_import_mode("merge"), std::nullopt);
}

}  // namespace
}  // namespace herald::leads
