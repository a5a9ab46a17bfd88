// The provider client against a local server speaking the chat-completions
// protocol: JSON and streamed answers, streamed tool calls, retries on 429
// (honouring Retry-After) and 5xx, a malformed chunk, a stall past the
// timeout — each mapped to the error the API answers with.
#include <gtest/gtest.h>

#include <chrono>

#include "ai/provider.hpp"
#include "support/fake_provider.hpp"

namespace herald::test {
namespace {

using namespace std::chrono;
using ai::ProviderClient;
using ai::ProviderError;
using nlohmann::json;

ai::ProviderSettings settings_for(const FakeProvider& fake) { return {fake.base_url(), "sk-test-key", "test-model"}; }

ai::ChatRequest hello() {
  ai::ChatRequest r;
  r.messages.push_back({"system", "be brief", {}, {}});
  r.messages.push_back({"user", "hello", {}, {}});
  return r;
}

ai::ClientOptions fast_options() {
  ai::ClientOptions o;
  o.first_backoff = milliseconds(50);
  o.idle_timeout = milliseconds(1500);
  return o;
}

TEST(ProviderClient, SendsTheModelAndKeyAndParsesAJsonCompletion) {
  FakeProvider fake;
  fake.on_request([](const SinkRequest&, int) { return json_completion("Hi there", 12, 3); });
  const auto c = ProviderClient(fast_options()).complete(settings_for(fake), hello());
  EXPECT_EQ(c.content, "Hi there");
  ASSERT_TRUE(c.usage);
  EXPECT_EQ(c.usage->prompt_tokens, 12);
  EXPECT_EQ(c.usage->completion_tokens, 3);
  const auto got = fake.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/v1/chat/completions");
  EXPECT_EQ(got[0].header("Authorization"), "Bearer sk-test-key");
  const auto body = json::parse(got[0].body);
  EXPECT_EQ(body["model"], "test-model");
  EXPECT_EQ(body["stream"], false);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][1]["content"], "hello");
}

TEST(ProviderClient, StreamsDeltasAsTheyArriveAndAssemblesTheCompletion) {
  FakeProvider fake;
  fake.on_request([](const SinkRequest&, int) {
    return sse_completion({"Hel", "lo, ", "world"}, milliseconds(30), 7, 4);
  });
  std::vector<std::string> deltas;
  const auto c = ProviderClient(fast_options()).complete(settings_for(fake), hello(), [&](std::string_view d) {
    deltas.emplace_back(d);
  });
  EXPECT_EQ(deltas, (std::vector<std::string>{"Hel", "lo, ", "world"}));
  EXPECT_EQ(c.content, "Hello, world");
  EXPECT_EQ(c.finish_reason, "stop");
  ASSERT_TRUE(c.usage);
  EXPECT_EQ(c.usage->total(), 11);
  const auto body = json::parse(fake.received().at(0).body);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(fake.received()[0].header("Accept"), "text/event-stream");
}

TEST(ProviderClient, AssemblesAToolCallStreamedInPieces) {
  FakeProvider fake;
  fake.on_request([](const SinkRequest&, int) {
    return sse_tool_call("call_7", "count_leads", {"{\"sta", "tus\": \"n", "ew\"}"});
  });
  auto request = hello();
  request.tools = json::array({{{"type", "function"}, {"function", {{"name", "count_leads"}}}}});
  const auto c = ProviderClient(fast_options()).complete(settings_for(fake), request, [](std::string_view) {});
  ASSERT_EQ(c.tool_calls.size(), 1u);
  EXPECT_EQ(c.tool_calls[0].id, "call_7");
  EXPECT_EQ(c.tool_calls[0].name, "count_leads");
  EXPECT_EQ(json::parse(c.tool_calls[0].arguments), json({{"status", "new"}}));
  EXPECT_EQ(c.finish_reason, "tool_calls");
  EXPECT_EQ(json::parse(fake.received().at(0).body)["tools"][0]["function"]["name"], "count_leads");
}

TEST(ProviderClient, RetriesA429AfterWhatRetryAfterAsks) {
  FakeProvider fake;
  fake.on_request([](const SinkRequest&, int i) {
    return i == 0 ? error_reply(429, "slow down", {{"Retry-After", "1"}}) : json_completion("after the wait");
  });
  const auto start = steady_clock::now();
  const auto c = ProviderClient(fast_options()).complete(settings_for(fake), hello());
  EXPECT_EQ(c.content, "after the wait");
  EXPECT_EQ(fake.received().size(), 2u);
  EXPECT_GE(steady_clock::now() - start, milliseconds(950)) << "the Retry-After of 1 s was not honoured";
}

TEST(ProviderClient, RetriesA500ThenSucceeds) {
  FakeProvider fake;
  fake.on_request(
      [](const SinkRequest&, int i) { return i == 0 ? error_reply(500, "boom") : sse_completion({"fine"}); });
  const auto c = ProviderClient(fast_options()).complete(settings_for(fake), hello(), [](std::string_view) {});
  EXPECT_EQ(c.content, "fine");
  EXPECT_EQ(fake.received().size(), 2u);
}

TEST(ProviderClient, GivesUpAfterItsAttemptsWithA502NamingTheProvidersAnswer) {
  FakeProvider fake;
  fake.on_request([](const SinkRequest&, int) { return error_reply(503, "overloaded"); });
  try {
    ProviderClient(fast_options()).complete(settings_for(fake), hello());
    FAIL() << "no error";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_NE(std::string(e.what()).find("overloaded"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fake.received().size(), 3u);
}

TEST(ProviderClient, ARetryAfterBeyondTheBoundIsA503PassingItOn) {
  FakeProvider fake;
  fake.on_request([](const SinkRequest&, int) { return error_reply(429, "quota", {{"Retry-After", "3600"}}); });
  try {
    ProviderClient(fast_options()).complete(settings_for(fake), hello());
    FAIL() << "no error";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 503);
    ASSERT_EQ(e.headers().size(), 1u);
    EXPECT_EQ(e.headers()[0], (std::pair<std::string, std::string>{"Retry-After", "3600"}));
  }
  EXPECT_EQ(fake.received().size(), 1u) << "waiting an hour is not a retry";
}

TEST(ProviderClient, AMalformedChunkIsA502SayingSo) {
  FakeProvider fake;
  fake.on_request([](const SinkRequest&, int) {
    auto r = sse_completion({"ok so far"});
    r.body.insert(r.body.begin() + 2,
                  ProviderStep{{}, "data: {\"choices\": [{\"delta\": {\"content\": \"unterminated\n\n"});
    return r;
  });
  std::string seen;
  try {
    ProviderClient(fast_options()).complete(settings_for(fake), hello(), [&](std::string_view d) { seen += d; });
    FAIL() << "no error";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_EQ(e.type_slug(), "provider-malformed");
    EXPECT_NE(std::string(e.what()).find("malformed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(seen, "ok so far");
  EXPECT_EQ(fake.received().size(), 1u) << "a stream already under way is not retried";
}

TEST(ProviderClient, AStallPastTheIdleTimeoutIsA504) {
  FakeProvider fake;
  fake.on_request([](const SinkRequest&, int) {
    auto r = sse_completion({"thinking"});
    r.body.resize(2);  // a delta, then nothing: no [DONE], no end
    r.stall_after = seconds(20);
    return r;
  });
  const auto start = steady_clock::now();
  try {
    ProviderClient(fast_options()).complete(settings_for(fake), hello(), [](std::string_view) {});
    FAIL() << "no error";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 504);
    EXPECT_EQ(e.type_slug(), "provider-timeout");
  }
  const auto took = steady_clock::now() - start;
  EXPECT_GE(took, milliseconds(1400));
  EXPECT_LT(took, seconds(10)) << "the stall was not cut off";
}

TEST(ProviderClient, AnUnreachableProviderIsA502NamingIt) {
  std::string url;
  {
    FakeProvider gone;
    url = gone.base_url();
  }
  auto o = fast_options();
  o.max_attempts = 2;
  try {
    ProviderClient(o).complete({url, "", "m"}, hello());
    FAIL() << "no error";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_NE(std::string(e.what()).find(url), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace herald::test
