// One address, one form: internationalised domains are stored as IDNA 2008
// ASCII everywhere (leads, suppressions, imports, users), invisible
// characters are refused with a field error, and import headers that cannot
// name their column fail the file before any row is applied.
#include "integration/leads/leads_fixture.hpp"

namespace herald::test {
namespace {

using CanonicalInput = LeadsTest;

const std::string kZwsp = "\u200B";

TEST_P(CanonicalInput, BothSpellingsOfAnInternationalDomainAreOneLead) {
  auto& admin = server().admin();
  auto lead = create_lead({{"email", "User@Bücher.de"}});
  EXPECT_EQ(lead["email"], "user@xn--bcher-kva.de");
  expect_problem(admin.post("/api/leads", {{"email", "user@xn--bcher-kva.de"}}), 409);
  expect_problem(admin.post("/api/leads", {{"email", "user@BÜCHER.de"}}), 409);
  auto other = create_lead({{"email", "other@example.com"}});
  expect_problem(admin.patch("/api/leads/" + id_of(other), {{"email", "user@bücher.de"}}), 409);

  // An import holding both spellings creates one lead and reports the other as its duplicate.
  auto job = import_and_wait("email,first_name\nann@café.example,Ann\nann@xn--caf-dma.example,Ann again\n");
  EXPECT_EQ(job["status"], "completed") << job.dump();
  EXPECT_EQ(job["created"], 1);
  EXPECT_EQ(job["skipped"], 1);
  EXPECT_EQ(admin.get("/api/leads?q=ann@xn--caf-dma.example").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 3);
}

TEST_P(CanonicalInput, SuppressionsMatchEitherSpelling) {
  auto& admin = server().admin();
  auto address = admin.post("/api/leads/suppressions", {{"email", "user@bücher.de"}});
  ASSERT_EQ(address.status, 201) << address.body;
  EXPECT_EQ(address.json()["value"], "user@xn--bcher-kva.de");
  expect_problem(admin.post("/api/leads/suppressions", {{"email", "user@xn--bcher-kva.de"}}), 409);
  auto domain = admin.post("/api/leads/suppressions", {{"domain", "@Straße.de"}});
  ASSERT_EQ(domain.status, 201) << domain.body;
  EXPECT_EQ(domain.json()["value"], "xn--strae-oqa.de");
  expect_problem(admin.post("/api/leads/suppressions", {{"domain", "xn--strae-oqa.de"}}), 409);

  // A lead under either spelling is the suppressed one.
  auto lead = create_lead({{"email", "user@xn--bcher-kva.de"}});
  EXPECT_EQ(admin.get("/api/leads/" + id_of(lead) + "/gdpr-export").json()["suppressed"], true);
  auto in_domain = create_lead({{"email", "sales@straße.de"}});
  EXPECT_EQ(admin.get("/api/leads/" + id_of(in_domain) + "/gdpr-export").json()["suppressed"], true);
  auto free = create_lead({{"email", "user@example.de"}});
  EXPECT_EQ(admin.get("/api/leads/" + id_of(free) + "/gdpr-export").json()["suppressed"], false);
}

TEST_P(CanonicalInput, InvisibleCharactersAreRefusedWithAFieldError) {
  auto& admin = server().admin();
  const std::vector<std::string> look_alikes = {"us" + kZwsp + "er@example.com", "user@bü" + kZwsp + "cher.de",
                                                "\u202Eresu@example.com", "user@exam\u00ADple.com"};
  for (const auto& bad : look_alikes) {
    auto r = admin.post("/api/leads", {{"email", bad}});
    expect_problem(r, 422);
    EXPECT_EQ(error_fields(r), std::set<std::string>{"email"}) << r.body;
    EXPECT_NE(r.body.find("invisible or formatting"), std::string::npos) << r.body;
    auto s = admin.post("/api/leads/suppressions", {{"email", bad}});
    expect_problem(s, 422);
    EXPECT_EQ(error_fields(s), std::set<std::string>{"email"}) << s.body;
    auto u = admin.post("/api/admin/users", {{"email", bad}, {"password", "long-enough-1"}});
    expect_problem(u, 422);
    EXPECT_EQ(error_fields(u), std::set<std::string>{"email"}) << u.body;
  }
  expect_problem(admin.post("/api/leads/suppressions", {{"domain", "bü" + kZwsp + "cher.de"}}), 422);
  // The look-alike is not quietly turned into the real address.
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 0);

  auto job = import_and_wait("email\nok@example.com\nhid" + kZwsp + "den@example.com\n");
  EXPECT_EQ(job["created"], 1);
  ASSERT_EQ(job["errors"].size(), 1u) << job.dump();
  EXPECT_NE(job["errors"][0]["reason"].get<std::string>().find("email: must not contain invisible"), std::string::npos)
      << job.dump();
}

TEST_P(CanonicalInput, ImportHeadersThatCannotNameAColumnFailBeforeAnyRow) {
  struct Case {
    std::string csv, reason;
  };
  const std::vector<Case> cases = {
      {"email,Stra\337e\na@example.com,x\n", "header of column 2 is not valid UTF-8"},  // Latin-1 "Straße"
      {"email,first_name,Email\na@example.com,A,b@example.com\n", "names 'email' twice"},
      {"email,Plan,plan\na@example.com,gold,silver\n", "names 'Plan' twice"},
      {"email," + std::string(65, 'n') + "\na@example.com,x\n", "longer than 64 characters"},
      {"email,\xd0\x98\xd0\xbc\xd1\x8f\na@example.com,x\n", "gives no custom field name"},
  };
  for (const auto& c : cases) {
    auto job = import_and_wait(c.csv);
    EXPECT_EQ(job["status"], "failed") << job.dump();
    EXPECT_NE(job["error"].get<std::string>().find(c.reason), std::string::npos) << job.dump();
    EXPECT_EQ(job["created"], 0);
  }
  EXPECT_EQ(server().admin().get("/api/leads").json()["total"], 0);
  // A header of exactly the limit is kept whole.
  std::string at_limit(64, 'k');
  auto ok = import_and_wait("email," + at_limit + "\na@example.com,x\n");
  EXPECT_EQ(ok["status"], "completed") << ok.dump();
  auto lead = server().admin().get("/api/leads?q=a@example.com").json()["items"][0];
  EXPECT_EQ(lead["custom_fields"][at_limit], "x");
}

INSTANTIATE_TEST_SUITE_P(Backends, CanonicalInput, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
