// The allow-list sanitiser model HTML passes through before a template sees it.
#include <gtest/gtest.h>

#include "ai/sanitize.hpp"

namespace herald::ai {
namespace {

TEST(SanitizeHtml, KeepsAnEmailBodysTagsAndMergeTags) {
  const std::string html =
      R"(<p style="color: #333">Hi {{first_name|there}},</p><ul><li><strong>one</strong></li></ul>)"
      R"(<a href="https://example.com/x?a=1&amp;b=2">link</a> <a href="{{unsubscribe_url}}">unsubscribe</a><br/>)";
  EXPECT_EQ(
      sanitize_html(html),
      R"(<p style="color: #333">Hi {{first_name|there}},</p><ul><li><strong>one</strong></li></ul>)"
      R"(<a href="https://example.com/x?a=1&amp;b=2">link</a> <a href="{{unsubscribe_url}}">unsubscribe</a><br />)");
}

TEST(SanitizeHtml, DropsScriptsStylesFramesAndTheirContent) {
  const auto out = sanitize_html(
      "<p>a</p><script>alert(1)</script><STYLE>p{}</STYLE><iframe src=x>inside</iframe><svg><g/></svg><p>b</p>");
  EXPECT_EQ(out, "<p>a</p><p>b</p>");
}

TEST(SanitizeHtml, DropsEventHandlersAndScriptUrls) {
  const auto out = sanitize_html(
      R"h(<a href="javascript:alert(1)" onclick="x()">a</a><img src="data:text/html;base64,xx" onerror=alert(1) alt="i">)h"
      R"h(<a href=" JaVa	Script:alert(1)">b</a><a href="&#106;avascript:x">c</a><p style="background:url(javascript:x)">d</p>)h");
  EXPECT_EQ(out.find("javascript"), std::string::npos) << out;
  EXPECT_EQ(out.find("onclick"), std::string::npos) << out;
  EXPECT_EQ(out.find("onerror"), std::string::npos) << out;
  EXPECT_EQ(out.find("data:"), std::string::npos) << out;
  EXPECT_EQ(out.find("&#106;"), std::string::npos) << out;
  EXPECT_EQ(out.find("url("), std::string::npos) << out;
  EXPECT_NE(out.find(R"(<img alt="i">)"), std::string::npos) << out;
}

TEST(SanitizeHtml, UnknownTagsLoseTheTagButKeepTheText) {
  EXPECT_EQ(sanitize_html("<html><body><custom-el x=1>text</custom-el></body></html>"), "text");
  EXPECT_EQ(sanitize_html("<!-- a comment --><p>x</p><!DOCTYPE html>"), "<p>x</p>");
  EXPECT_EQ(sanitize_html("1 < 2 and 3 > 2"), "1 &lt; 2 and 3 &gt; 2");
  EXPECT_EQ(sanitize_html("<p title=\"a\"b\">x</p>"), "<p title=\"a\">x</p>");
}

TEST(SafeUrl, AllowsWebMailAndRelativeOnly) {
  EXPECT_TRUE(safe_url("https://x.org"));
  EXPECT_TRUE(safe_url("mailto:a@b.c"));
  EXPECT_TRUE(safe_url("/path:with-colon"));
  EXPECT_TRUE(safe_url("{{unsubscribe_url}}"));
  EXPECT_FALSE(safe_url("javascript:alert(1)"));
  EXPECT_FALSE(safe_url("vbscript:x"));
  EXPECT_FALSE(safe_url("data:text/html,x"));
}

}  // namespace
}  // namespace herald::ai
