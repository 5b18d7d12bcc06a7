// The metrics registry's text exposition (Prometheus format 0.0.4): escaping,
// histograms, callbacks, and recording from many threads at once.

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "kite/server_metrics.h"

namespace {

using kite::server::Labels;
using kite::server::Metrics;
using kite::server::Sample;

QString text() {
    return QString::fromUtf8(Metrics::exposition());
}

}  // namespace

TEST(ServerMetrics, LabelValuesAndHelpAreEscaped) {
    Metrics::counter(QStringLiteral("test_escaped_total"), QStringLiteral("Help with a \\ and a\nnewline."))
        .add({{QStringLiteral("path"), QStringLiteral("a\"b\\c\nd")}}, 2);
    const QString out = text();
    EXPECT_TRUE(out.contains(QStringLiteral("# HELP test_escaped_total Help with a \\\\ and a\\nnewline.\n")));
    EXPECT_TRUE(out.contains(QStringLiteral("# TYPE test_escaped_total counter\n")));
    EXPECT_TRUE(out.contains(QStringLiteral("test_escaped_total{path=\"a\\\"b\\\\c\\nd\"} 2\n"))) << out.toStdString();
}

TEST(ServerMetrics, HistogramHasCumulativeBucketsSumAndCount) {
    auto& h = Metrics::histogram(QStringLiteral("test_seconds"), QStringLiteral("Test."), {0.5, 0.1, 1});
    const Labels l{{QStringLiteral("kind"), QStringLiteral("x")}};
    for (double v : {0.05, 0.1, 0.3, 0.7, 5.0}) h.observe(l, v);
    const QString out = text();
    EXPECT_TRUE(out.contains(QStringLiteral("# TYPE test_seconds histogram\n")));
    EXPECT_TRUE(out.contains(QStringLiteral("test_seconds_bucket{kind=\"x\",le=\"0.1\"} 2\n"))) << "le is inclusive";
    EXPECT_TRUE(out.contains(QStringLiteral("test_seconds_bucket{kind=\"x\",le=\"0.5\"} 3\n")));
    EXPECT_TRUE(out.contains(QStringLiteral("test_seconds_bucket{kind=\"x\",le=\"1\"} 4\n")));
    EXPECT_TRUE(out.contains(QStringLiteral("test_seconds_bucket{kind=\"x\",le=\"+Inf\"} 5\n")));
    EXPECT_TRUE(out.contains(QStringLiteral("test_seconds_sum{kind=\"x\"} 6.15\n"))) << out.toStdString();
    EXPECT_TRUE(out.contains(QStringLiteral("test_seconds_count{kind=\"x\"} 5\n")));
}

TEST(ServerMetrics, CallbackGaugeIsReadAtEachScrapeAndModelVersionsShowAsLabels) {
    auto calls = std::make_shared<int>(0);  // the callback outlives this test
    Metrics::callbackGauge(QStringLiteral("test_depth"), QStringLiteral("Test."), [calls] {
        ++*calls;
        return QList<Sample>{{{}, static_cast<double>(*calls * 10)}};
    });
    EXPECT_TRUE(text().contains(QStringLiteral("\ntest_depth 10\n")));
    EXPECT_TRUE(text().contains(QStringLiteral("\ntest_depth 20\n")));
    kite::server::registerModelVersionSource([] {
        return QList<kite::server::ActiveModelSample>{{QStringLiteral("s1"), QStringLiteral("dkt-3")}};
    });
    EXPECT_TRUE(text().contains(QStringLiteral("kite_model_version{school=\"s1\",version=\"dkt-3\"} 1\n")));
}

TEST(ServerMetrics, CountsFromManyThreadsAreAllKept) {
    auto& c = Metrics::counter(QStringLiteral("test_threads_total"), QStringLiteral("Test."));
    std::vector<std::thread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&c] {
            for (int i = 0; i < 10000; ++i) c.add({{QStringLiteral("t"), QStringLiteral("x")}});
        });
    for (auto& t : threads) t.join();
    EXPECT_TRUE(text().contains(QStringLiteral("test_threads_total{t=\"x\"} 40000\n")));
}

TEST(ServerMetrics, SameNameGivesTheSameMetric) {
    Metrics::counter(QStringLiteral("test_same_total"), QStringLiteral("First help.")).add();
    Metrics::counter(QStringLiteral("test_same_total"), QStringLiteral("Other help.")).add();
    const QString out = text();
    EXPECT_TRUE(out.contains(QStringLiteral("# HELP test_same_total First help.\n")));
    EXPECT_TRUE(out.contains(QStringLiteral("\ntest_same_total 2\n")));
}
