// Sentry events as data: filtering of URLs, the event JSON.
#include "observability/sentry_event.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <stdexcept>

#include "core/errors.hpp"
#include "core/time.hpp"

namespace herald::observability {
namespace {

using nlohmann::json;

TEST(SentryScrub, SecretQueryParametersAreFiltered) {
  const auto t = scrub_target(
      "/api/auth/callback?token=abc&page=2&access_token=x&refresh_token=y&password=p&key=k&api_key=a&secret=s"
      "&signature=sig&code=c&sort=-email",
      "/api/auth/callback");
  EXPECT_EQ(t.path, "/api/auth/callback");
  EXPECT_EQ(t.query,
            "token=[Filtered]&page=2&access_token=[Filtered]&refresh_token=[Filtered]&password=[Filtered]"
            "&key=[Filtered]&api_key=[Filtered]&secret=[Filtered]&signature=[Filtered]&code=[Filtered]&sort=-email");
}

TEST(SentryScrub, NamesMatchWhateverTheirCaseOrEncoding) {
  // Upper case, a dash, a percent-encoded name, a name that only contains "token".
  const auto t = scrub_target("/x?Token=1&API-KEY=2&pass%77ord=3&reset_token=4&X-Amz-Signature=5&q=token", "");
  EXPECT_EQ(t.query,
            "Token=[Filtered]&API-KEY=[Filtered]&pass%77ord=[Filtered]&reset_token=[Filtered]"
            "&X-Amz-Signature=[Filtered]&q=token");
  // A value is never taken for a name; odd pairs survive as they were.
  EXPECT_EQ(scrub_target("/x?a&=b&&c=d=e", "").query, "a&=b&&c=d=e");
}

TEST(SentryScrub, OrdinaryNamesAreKept) {
  for (const char* name : {"page", "page_size", "sort", "q", "status", "tag", "monkey", "keyword", "encoding", "cursor",
                           "owner_id", "zipcode_area"}) {
    EXPECT_FALSE(is_secret_name(name)) << name;
  }
  for (const char* name :
       {"token", "id_token", "password", "passwd", "secret", "client_secret", "signature", "sig", "code", "auth_code",
        "key", "api_key", "apikey", "access_key", "session", "jwt", "Authorization", "csrf_token"}) {
    EXPECT_TRUE(is_secret_name(name)) << name;
  }
}

TEST(SentryScrub, PathParametersWithSecretNamesAreFiltered) {
  EXPECT_EQ(scrub_target("/t/o/eyJhbGciOi.sig", "/t/o/{token}").path, "/t/o/[Filtered]");
  EXPECT_EQ(scrub_target("/u/abc?one_click=1", "/u/{token}").path, "/u/[Filtered]");
  EXPECT_EQ(scrub_target("/api/leads/42", "/api/leads/{id}").path, "/api/leads/42");
  // A path that does not have the template's shape is kept as it is.
  EXPECT_EQ(scrub_target("/t/o/a/b", "/t/o/{token}").path, "/t/o/a/b");
}

TEST(SentryScrub, AbsoluteTargetsLoseTheirCredentials) {
  const auto t = scrub_target("http://user:pass@example.com/api/x?token=1", "");
  EXPECT_EQ(t.path, "/api/x");
  EXPECT_EQ(t.query, "token=[Filtered]");
  EXPECT_EQ(scrub_target("*", "").path, "/");
}

TEST(SentryEvent, EventIdIsAVersion4UuidInHex) {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_event_id();
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}"))) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

TEST(SentryEvent, ExceptionTypeIsTheDemangledDynamicType) {
  const std::runtime_error plain("boom");
  const std::exception& as_base = plain;
  EXPECT_EQ(describe_exception(as_base).type, "std::runtime_error");
  EXPECT_EQ(describe_exception(as_base).value, "boom");
  const NotFound not_found("lead 7 not found");
  EXPECT_EQ(describe_exception(not_found).type, "herald::NotFound");
}

EventContext request_context() {
  EventContext c;
  c.logger = "herald.http";
  c.method = "POST";
  c.route = "/api/leads/{id}";
  c.target = "/api/leads/42?token=secret-value&page=1";
  c.base_url = "https://herald.example.com";
  c.request_id = "req-123";
  c.status = 500;
  c.user_id = 7;
  c.user_role = "manager";
  const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'780'000'000'000));
  c.breadcrumbs = {{t, log::Level::Info, "lead loaded id=42"}, {t, log::Level::Warn, "slow query ms=900.000"}};
  return c;
}

TEST(SentryEvent, RequestEventCarriesEveryField) {
  Event ev;
  ev.event_id = "0123456789abcdef0123456789abcdef";
  ev.timestamp = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'780'000'000'123));
  ev.exception = ExceptionInfo{"std::runtime_error", "database exploded"};
  const json e = build_event(ev, request_context(), {"herald@1.0.0", "staging", "api-1"});

  EXPECT_EQ(e["event_id"], ev.event_id);
  EXPECT_EQ(e["timestamp"], rfc3339(ev.timestamp));
  EXPECT_EQ(e["platform"], "native");
  EXPECT_EQ(e["level"], "error");
  EXPECT_EQ(e["logger"], "herald.http");
  EXPECT_EQ(e["release"], "herald@1.0.0");
  EXPECT_EQ(e["environment"], "staging");
  EXPECT_EQ(e["server_name"], "api-1");
  EXPECT_EQ(e["transaction"], "/api/leads/{id}");
  EXPECT_EQ(e["request"]["method"], "POST");
  EXPECT_EQ(e["request"]["url"], "https://herald.example.com/api/leads/42");
  EXPECT_EQ(e["request"]["query_string"], "token=[Filtered]&page=1");
  EXPECT_EQ(e["request"]["headers"]["X-Request-ID"], "req-123");
  EXPECT_EQ(e["user"], (json{{"id", "7"}, {"role", "manager"}}));
  EXPECT_EQ(e["tags"]["route"], "/api/leads/{id}");
  EXPECT_EQ(e["tags"]["method"], "POST");
  EXPECT_EQ(e["tags"]["status"], "500");
  EXPECT_EQ(e["tags"]["request_id"], "req-123");
  EXPECT_FALSE(e["tags"].contains("queue"));
  ASSERT_EQ(e["exception"]["values"].size(), 1u);
  EXPECT_EQ(e["exception"]["values"][0]["type"], "std::runtime_error");
  EXPECT_EQ(e["exception"]["values"][0]["value"], "database exploded");
  ASSERT_EQ(e["breadcrumbs"]["values"].size(), 2u);
  const json& crumb = e["breadcrumbs"]["values"][1];
  EXPECT_EQ(crumb["message"], "slow query ms=900.000");
  EXPECT_EQ(crumb["level"], "warning");
  EXPECT_EQ(crumb["category"], "log");
  EXPECT_EQ(crumb["timestamp"], "2026-05-28T20:26:40.000Z");
  // No secret survives anywhere in the payload.
  EXPECT_EQ(e.dump().find("secret-value"), std::string::npos);
}

TEST(SentryEvent, JobEventCarriesQueueJobAndNoRequest) {
  EventContext c;
  c.logger = "herald.jobs";
  c.queue = "emails";
  c.job_name = "campaign.send";
  c.job_id = "01HZY";
  c.attempt = 3;
  Event ev;
  ev.event_id = new_event_id();
  ev.level = EventLevel::Warning;
  ev.message = "SMTP refused the batch";
  const json e = build_event(ev, c, {"r", "e", "s"});
  EXPECT_FALSE(e.contains("request"));
  EXPECT_FALSE(e.contains("user"));
  EXPECT_FALSE(e.contains("exception"));
  EXPECT_EQ(e["level"], "warning");
  EXPECT_EQ(e["message"]["formatted"], "SMTP refused the batch");
  EXPECT_EQ(e["tags"]["queue"], "emails");
  EXPECT_EQ(e["tags"]["job"], "campaign.send");
  EXPECT_EQ(e["tags"]["job_id"], "01HZY");
  EXPECT_EQ(e["transaction"], "campaign.send");
  EXPECT_EQ(e["contexts"]["job"]["attempt"], 3);
}

TEST(SentryEvent, LongAndMalformedTextStaysValid) {
  EventContext c = request_context();
  c.tags = {{"a_very_long_tag_name_that_goes_past_thirty_two", std::string(500, 'v') + "\nx"}};
  Event ev;
  ev.event_id = new_event_id();
  ev.exception = ExceptionInfo{"T", "\xff\xfe" + std::string(20000, 'm')};
  const json e = build_event(ev, c, {"r", "e", "s"});
  const std::string dumped = e.dump(-1, ' ', false, json::error_handler_t::replace);
  const json back = json::parse(dumped);
  EXPECT_LE(back["exception"]["values"][0]["value"].get<std::string>().size(), 8192u);
  ASSERT_EQ(back["tags"].contains("a_very_long_tag_name_that_goes_p"), true);
  const std::string tag = back["tags"]["a_very_long_tag_name_that_goes_p"];
  EXPECT_LE(tag.size(), 200u);
  EXPECT_EQ(tag.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace herald::observability
