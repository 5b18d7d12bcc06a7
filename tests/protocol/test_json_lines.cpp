// The line of each value in a JSON text, which course messages point at.

#include <gtest/gtest.h>

#include "json_lines.h"

namespace kite::course::detail {
namespace {

TEST(JsonLines, EachValueHasTheLineItStartsOn) {
    const JsonLines lines = JsonLines::scan(R"([
  {"id": "a",
   "choices": [
     "x",
     "y"],
   "answer":
     1},
  {"id": "b"}
])");
    EXPECT_EQ(lines.line(""), 1);
    EXPECT_EQ(lines.line("/0"), 2);
    EXPECT_EQ(lines.line("/0/id"), 2);
    EXPECT_EQ(lines.line("/0/choices"), 3);
    EXPECT_EQ(lines.line("/0/choices/1"), 5);
    EXPECT_EQ(lines.line("/0/answer"), 7);
    EXPECT_EQ(lines.line("/1/id"), 8);
}

TEST(JsonLines, UnknownPointerFallsBackToItsNearestAncestor) {
    const JsonLines lines = JsonLines::scan("{\n\"a\":\n{\n\"b\": 1}}");
    EXPECT_EQ(lines.line("/a/missing"), 3);
    EXPECT_EQ(lines.line("/nothing/at/all"), 1);
}

TEST(JsonLines, KeysAreDecodedAndEscapedAsPointers) {
    const JsonLines lines = JsonLines::scan("{\"a/b\": 1,\n\"t~\": 2,\n\"\\u00e9\\\"\": 3,\n\"\\ud83d\\ude00\": 4}");
    EXPECT_EQ(lines.line("/a~1b"), 1);
    EXPECT_EQ(lines.line("/t~0"), 2);
    EXPECT_EQ(lines.line(QString::fromUtf8("/\u00e9\"")), 3);
    EXPECT_EQ(lines.line(QString::fromUtf8("/\U0001F600")), 4);
}

TEST(JsonLines, StringsWithBracketsDoNotConfuseTheScan) {
    const JsonLines lines = JsonLines::scan("{\"a\": \"}]{[,\\\"\",\n\"b\": [\"]\",\n 2]}");
    EXPECT_EQ(lines.line("/b"), 2);
    EXPECT_EQ(lines.line("/b/1"), 3);
}

TEST(JsonLines, RepeatedKeysAreListed) {
    const JsonLines lines = JsonLines::scan("{\"a\": 1,\n\"b\": {\"c\": 1, \"c\": 2},\n\"a\": 3}");
    ASSERT_EQ(lines.duplicateKeys().size(), 2);
    EXPECT_EQ(lines.duplicateKeys()[0].pointer, "/b/c");
    EXPECT_EQ(lines.duplicateKeys()[0].line, 2);
    EXPECT_EQ(lines.duplicateKeys()[1].pointer, "/a");
    EXPECT_EQ(lines.duplicateKeys()[1].line, 3);
}

TEST(JsonLines, BrokenTextIsScannedWithoutReadingPastTheEnd) {
    for (const char* text : {"{", "[1,", "{\"a", "{\"a\": \"\\u12", "\"\\", "{\"a\" 1}", "[}", ""})
        EXPECT_GE(JsonLines::scan(text).line("/a"), 1) << text;
}

TEST(JsonLines, LineOfAnOffsetCountsNewlines) {
    EXPECT_EQ(lineAtOffset("a\nb\nc", 0), 1);
    EXPECT_EQ(lineAtOffset("a\nb\nc", 2), 2);
    EXPECT_EQ(lineAtOffset("a\nb\nc", 99), 3);
}

}  // namespace
}  // namespace kite::course::detail
