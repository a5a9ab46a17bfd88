#include "core/strings.hpp"

#include <gtest/gtest.h>

namespace herald {
namespace {

TEST(StorableText, WellFormedTextIsKeptAsIs) {
  EXPECT_EQ(storable_text(""), "");
  EXPECT_EQ(storable_text("plain"), "plain");
  EXPECT_EQ(storable_text("Zoë, 東京, 🚀"), "Zoë, 東京, 🚀");
}

TEST(StorableText, NulAndMalformedBytesBecomeReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(storable_text(std::string("a\0b", 3)), "a" + fffd + "b");
  EXPECT_EQ(storable_text("\xff"), fffd);
  EXPECT_EQ(storable_text("x\xc3"), "x" + fffd);                        // truncated
  EXPECT_EQ(storable_text("\xc0\xaf"), fffd + fffd);                    // overlong: each byte replaced
  EXPECT_EQ(storable_text("\xed\xa0\x80!"), fffd + fffd + fffd + "!");  // surrogate
  EXPECT_TRUE(valid_utf8(storable_text("\xf4\x90\x80\x80 and \xe2\x82")));
}

}  // namespace
}  // namespace herald
