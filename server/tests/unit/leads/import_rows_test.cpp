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
