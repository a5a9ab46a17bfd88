// One writer per format: a lead's JSON and its export row come from the same
// LeadView whether it was read into a Lead or straight from a row, and the
// import report escapes its cells like every other CSV Herald writes.
#include <gtest/gtest.h>

#include "leads/export.hpp"
#include "leads/imports.hpp"
#include "leads/types.hpp"

namespace herald::leads {
namespace {

Lead sample() {
  Lead l;
  l.id = 42;
  l.email = "ann@example.com";
  l.first_name = "Ann \"The\" Tester";
  l.company = "=Acme";
  l.status = "contacted";
  l.score = 7;
  l.tags_json = R"(["a","b, c"])";
  l.custom_fields_json = R"({"plan":"pro"})";
  l.source = "import";
  l.created_at = "2026-01-02T03:04:05Z";
  l.updated_at = "2026-01-03T03:04:05Z";
  l.last_activity_at = "2026-01-04T00:00:00Z";
  return l;
}

TEST(LeadJson, HoldsExactlyThePublicFields) {
  std::string out;
  append_json(out, sample());
  auto j = nlohmann::json::parse(out);
  std::vector<std::string> keys;
  for (auto& [k, _] : j.items()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"company",
                                            "country",
                                            "created_at",
                                            "custom_fields",
                                            "email",
                                            "first_name",
                                            "id",
                                            "last_activity_at",
                                            "last_contacted_at",
                                            "last_name",
                                            "owner_id",
                                            "phone",
                                            "score",
                                            "score_reasons",
                                            "source",
                                            "status",
                                            "tags",
                                            "timezone",
                                            "title",
                                            "updated_at",
                                            "website"}));
  EXPECT_EQ(j["first_name"], "Ann \"The\" Tester");
  EXPECT_EQ(j["owner_id"], nullptr);
  EXPECT_EQ(j["last_contacted_at"], nullptr);
  EXPECT_EQ(j["last_activity_at"], "2026-01-04T00:00:00Z");
  EXPECT_EQ(j["tags"], nlohmann::json({"a", "b, c"}));
  EXPECT_EQ(j["custom_fields"]["plan"], "pro");
  EXPECT_EQ(to_json(sample()), j);
}

TEST(LeadExport, OneRowPerLeadWithEveryCellEscaped) {
  std::string header, row;
  append_export_header(header);
  append_export_row(row, view_of(sample()));
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), 19);
  EXPECT_EQ(row,
            "42,ann@example.com,\"Ann \"\"The\"\" Tester\",,'=Acme,,,,,,contacted,7,,\"a, b, c\","
            "\"{\"\"plan\"\":\"\"pro\"\"}\",import,2026-01-02T03:04:05Z,2026-01-03T03:04:05Z,,"
            "2026-01-04T00:00:00Z\r\n");
}

TEST(ImportReport, CellsThatLookLikeFormulasAreWrittenAsText) {
  std::string out;
  append_error_report_header(out);
  append_error_report_row(out, {7, "failed", "email: is not a valid email address"});
  append_error_report_row(out, {8, "failed", "=HYPERLINK(\"http://x\",\"y\")"});
  append_error_report_row(out, {9, "skipped", "@SUM(A1)"});
  append_error_report_row(out, {10, "failed", "-2+3"});
  EXPECT_EQ(out,
            "line,kind,reason\r\n"
            "7,failed,email: is not a valid email address\r\n"
            "8,failed,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n"
            "9,skipped,'@SUM(A1)\r\n"
            "10,failed,'-2+3\r\n");
}

}  // namespace
}  // namespace herald::leads
