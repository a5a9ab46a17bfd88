// SSE framing and chunk assembly of streamed chat completions.
#include <gtest/gtest.h>

#include "ai/sse.hpp"

namespace herald::ai {
namespace {

TEST(SseReader, SplitsEventsAcrossArbitraryPiecesAndCrlf) {
  SseReader r;
  std::vector<std::string> out;
  const std::string stream =
      ": keep-alive\r\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n";
  for (char c : stream) r.feed(std::string_view(&c, 1), out);
  EXPECT_EQ(out, (std::vector<std::string>{"{\"a\":1}", "line1\nline2", "[DONE]"}));
  EXPECT_FALSE(r.pending());
}

TEST(SseReader, AnEventWithoutItsBlankLineIsPending) {
  SseReader r;
  std::vector<std::string> out;
  r.feed("data: {\"half\"", out);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(r.pending());
}

TEST(ChunkAssembler, JoinsContentAndToolCallsByIndex) {
  ChunkAssembler a;
  EXPECT_EQ(a.add(R"({"choices":[{"index":0,"delta":{"content":"Hi"}}]})"), "Hi");
  a.add(
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"b","function":{"name":"list_campaigns","arguments":""}}]}}]})");
  a.add(
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"count_","arguments":"{\"tag\""}}]}}]})");
  a.add(
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"leads","arguments":":\"vip\"}"}}]}}]})");
  a.add(R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})");
  a.add(R"({"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":6}})");
  a.add("[DONE]");
  EXPECT_TRUE(a.done());
  const auto c = a.result();
  EXPECT_EQ(c.content, "Hi");
  ASSERT_EQ(c.tool_calls.size(), 2u);
  EXPECT_EQ(c.tool_calls[0].name, "count_leads");
  EXPECT_EQ(c.tool_calls[0].arguments, R"({"tag":"vip"})");
  EXPECT_EQ(c.tool_calls[1].id, "b");
  EXPECT_EQ(c.finish_reason, "tool_calls");
  ASSERT_TRUE(c.usage);
  EXPECT_EQ(c.usage->total(), 11);
}

TEST(ChunkAssembler, RefusesWhatIsNotAChunk) {
  EXPECT_THROW(ChunkAssembler().add("{not json"), MalformedResponse);
  EXPECT_THROW(ChunkAssembler().add(R"({"no":"choices"})"), MalformedResponse);
  EXPECT_THROW(ChunkAssembler().add(R"({"choices":[{"delta":{"content":5}}]})"), MalformedResponse);
  EXPECT_THROW(ChunkAssembler().add(R"({"choices":[{"delta":{"tool_calls":[{"function":{}}]}}]})"), MalformedResponse);
  EXPECT_THROW(ChunkAssembler().add(R"({"error":{"message":"quota"}})"), MalformedResponse);
  ChunkAssembler done;
  done.add("[DONE]");
  EXPECT_THROW(done.add(R"({"choices":[]})"), MalformedResponse);
}

TEST(ParseCompletion, ReadsMessageToolCallsAndUsage) {
  const auto c = parse_completion(
      R"({"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"x","type":"function","function":{"name":"search_leads","arguments":"{\"q\":\"acme\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1,"completion_tokens":2}})");
  ASSERT_EQ(c.tool_calls.size(), 1u);
  EXPECT_EQ(c.tool_calls[0].name, "search_leads");
  EXPECT_EQ(c.usage->completion_tokens, 2);
  EXPECT_THROW(parse_completion(R"({"choices":[]})"), MalformedResponse);
  EXPECT_THROW(parse_completion("<html>502</html>"), MalformedResponse);
}

}  // namespace
}  // namespace herald::ai
