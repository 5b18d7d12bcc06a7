// gzip and gunzip (sync/protocol/kite/gzip.h), as the server inflates request bodies: what goes in comes out, a body
// that is not gzip says why, and inflating stops at the limit.

#include <gtest/gtest.h>

#include <QByteArray>

#include "kite/compression.h"

namespace {

using kite::gunzip;
using kite::Gunzipped;
using kite::gzip;
using Outcome = Gunzipped::Outcome;

QByteArray sampleText() {
    QByteArray text;
    for (int i = 0; i < 2000; ++i) text += "{\"seq\": " + QByteArray::number(i) + ", \"kind\": \"attempt\"},";
    return text;
}

}  // namespace

TEST(Gunzip, GivesBackWhatGzipPacked) {
    const QByteArray text = sampleText();
    const QByteArray packed = gzip(text);
    ASSERT_FALSE(packed.isEmpty());
    ASSERT_LT(packed.size(), text.size() / 4);
    const Gunzipped out = gunzip(packed, 4 * 1024 * 1024);
    ASSERT_EQ(out.outcome, Outcome::Ok) << out.problem.toStdString();
    EXPECT_EQ(out.data, text);
    // Members one after the other are one stream (RFC 1952 2.2).
    const Gunzipped two = gunzip(gzip("first, ") + gzip("second"), 1024);
    ASSERT_EQ(two.outcome, Outcome::Ok) << two.problem.toStdString();
    EXPECT_EQ(two.data, QByteArray("first, second"));
    // An empty file is a member too.
    const Gunzipped empty = gunzip(gzip({}), 1024);
    ASSERT_EQ(empty.outcome, Outcome::Ok);
    EXPECT_TRUE(empty.data.isEmpty());
}

TEST(Gunzip, TheLimitIsOnTheInflatedSizeToTheByte) {
    const QByteArray text = sampleText();
    const QByteArray packed = gzip(text);
    EXPECT_EQ(gunzip(packed, text.size()).outcome, Outcome::Ok);
    const Gunzipped over = gunzip(packed, text.size() - 1);
    EXPECT_EQ(over.outcome, Outcome::TooLarge);
    EXPECT_TRUE(over.data.isEmpty()) << "nothing of a refused body is handed on";
}

TEST(Gunzip, BombStopsAtTheLimit) {
    // 256 MB of zeros packs into about 256 KB; inflating it to 1 MB and no
    // further is what keeps memory bounded.
    QByteArray bomb;
    {
        const QByteArray zeros(16 * 1024 * 1024, '\0');
        const QByteArray member = gzip(zeros);
        ASSERT_LT(member.size(), 64 * 1024);
        for (int i = 0; i < 16; ++i) bomb += member;
    }
    const Gunzipped out = gunzip(bomb, 1024 * 1024);
    EXPECT_EQ(out.outcome, Outcome::TooLarge);
}

TEST(Gunzip, NotGzipOrCutShortSaysWhy) {
    const QByteArray packed = gzip(sampleText());
    const struct {
        const char* what;
        QByteArray data;
        const char* says;
    } cases[] = {
        {"nothing", QByteArray(), "ends early"},
        {"plain text", QByteArray("{\"events\": []}"), "not valid gzip"},
        {"zlib, not gzip", qCompress(QByteArray("hello")).mid(4), "not valid gzip"},
        {"half of it", packed.left(packed.size() / 2), "ends early"},
        {"no trailer", packed.left(packed.size() - 8), "ends early"},
        {"garbage after it", packed + "xyz", "not valid gzip"},
    };
    for (const auto& c : cases) {
        const Gunzipped out = gunzip(c.data, 4 * 1024 * 1024);
        EXPECT_EQ(out.outcome, Outcome::NotGzip) << c.what;
        EXPECT_TRUE(out.problem.contains(QLatin1String(c.says))) << c.what << ": " << out.problem.toStdString();
        EXPECT_TRUE(out.data.isEmpty()) << c.what;
    }
}
