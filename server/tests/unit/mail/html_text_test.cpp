#include "mail/html_text.hpp"

#include <gtest/gtest.h>

namespace herald::mail {
namespace {

TEST(HtmlToText, ParagraphsAndLineBreaks) {
  EXPECT_EQ(html_to_text("<p>One\n   two</p><p>Three<br>four<br/><br>five</p>"), "One two\n\nThree\nfour\n\nfive\n");
}

TEST(HtmlToText, LinksShowTheirTarget) {
  EXPECT_EQ(html_to_text("<p>See <a href=\"https://example.com/x?a=1&amp;b=2\">our  <b>post</b></a>.</p>"),
            "See our post (https://example.com/x?a=1&b=2).\n");
  EXPECT_EQ(html_to_text("<a href=\"https://example.com\">https://example.com</a>"), "https://example.com\n");
  EXPECT_EQ(html_to_text("<a href='https://example.com'>example.com</a>"), "example.com\n");
  EXPECT_EQ(html_to_text("Mail <a href=\"mailto:hi@example.com\">us</a>"), "Mail us (hi@example.com)\n");
  EXPECT_EQ(html_to_text("<a href=\"#top\">Top</a> <a href=\"javascript:x()\">J</a>"), "Top J\n");
  EXPECT_EQ(html_to_text("<a href=\"https://example.com/l\"><img src=\"logo.png\" alt=\"\"></a>"),
            "https://example.com/l\n");
}

TEST(HtmlToText, Lists) {
  EXPECT_EQ(html_to_text("<p>Steps:</p><ol><li>Sign up</li><li>Import<ul><li>CSV</li><li>API</li></ul></li>"
                         "<li>Send</li></ol><p>Done</p>"),
            "Steps:\n\n1. Sign up\n2. Import\n  - CSV\n  - API\n3. Send\n\nDone\n");
  EXPECT_EQ(html_to_text("<ul><li>a</li><li>b</li></ul>"), "- a\n- b\n");
}

TEST(HtmlToText, EntitiesAreDecoded) {
  EXPECT_EQ(html_to_text("<p>caf&eacute; &amp; cr&egrave;me &lt;3 &#8217;n&#x2019; &#x1F600; a&nbsp;b "
                         "&copy; &hellip; &bogus; &#150;</p>"),
            "café & crème <3 ’n’ 😀 a b © … &bogus; –\n");
}

TEST(HtmlToText, HiddenPartsAreDropped) {
  EXPECT_EQ(html_to_text("<!DOCTYPE html><html><head><title>T</title><style>p { color: red }</style></head>"
                         "<body><!-- a comment <p>no</p> --><script>var x = '<p>';</script><p>Body</p></body></html>"),
            "Body\n");
}

TEST(HtmlToText, HeadingsRulesImagesAndTables) {
  EXPECT_EQ(html_to_text("<h1>Title</h1><p>Text</p><hr><img alt=\"Logo\" src=\"x\">"
                         "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"),
            "Title\n\nText\n\n----------\n\nLogo\n\na b\nc\n");
}

TEST(HtmlToText, PreformattedTextKeepsItsSpacing) {
  EXPECT_EQ(html_to_text("<p>Code:</p><pre>  a  b\n    c</pre><p>end</p>"), "Code:\n\n  a  b\n    c\n\nend\n");
}

TEST(HtmlToText, PlainTextAndBrokenMarkupSurvive) {
  EXPECT_EQ(html_to_text("a < b and c > d"), "a < b and c > d\n");
  EXPECT_EQ(html_to_text("<p>unclosed <b>bold"), "unclosed bold\n");
  EXPECT_EQ(html_to_text(""), "");
  EXPECT_EQ(html_to_text("<a href=\"https://x.example\">never closed"), "never closed (https://x.example)\n");
}

TEST(HtmlToText, MustacheTagsPassThrough) {
  EXPECT_EQ(html_to_text("<p>Hi {{first_name|there}}</p><ul>{{#tags}}<li>{{.}}</li>{{/tags}}</ul>"),
            "Hi {{first_name|there}}\n\n{{#tags}}\n- {{.}}\n{{/tags}}\n");
}

TEST(DecodeEntities, NumericEdgeCases) {
  EXPECT_EQ(decode_entities("&#0; &#xD800; &#x110000; &#65"), "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD A");
  EXPECT_EQ(decode_entities("AT&T &amp &ampx &#; &#x;"), "AT&T & &ampx &#; &#x;");
}

}  // namespace
}  // namespace herald::mail
