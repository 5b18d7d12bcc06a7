// The process's metrics, for `GET /metrics` in the Prometheus text format
// (version 0.0.4): counters, gauges, histograms with fixed buckets, and gauges
// or counters read from a callback when scraped. Any area records into it:
//
//     Metrics::counter("kite_polls_opened_total", "Live polls opened.").add({{"school", id}});
//     Metrics::histogram("kite_job_seconds", "Job run time.", {1, 10, 60}).observe({{"kind", "refit"}}, s);
//
// All of it is safe to use from any thread. A metric is registered by its
// first use; later calls with the same name return the same metric (the
// help and buckets of the first call stay). Names follow Prometheus: counters
// end in `_total`, units are seconds and bytes.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace kite::server {

// Label names and values, e.g. {{"route", "/v1/sync/push"}, {"method", "POST"}}.
// Keep their values few (routes, not paths; status classes, not ids of
// learners): each distinct set is one series for as long as the process runs.
using Labels = QList<std::pair<QString, QString>>;

// One value of a callback metric.
struct Sample {
    Labels labels;
    double value = 0.0;
};

class Counter {
public:
    // Adds `amount` (>= 0; a negative amount is ignored) to the series of `labels`.
    void add(const Labels& labels = {}, double amount = 1.0);

private:
    friend class Metrics;
    mutable std::mutex mutex_;
    std::map<Labels, double> values_;
};

class Gauge {
public:
    void set(const Labels& labels, double value);
    void add(const Labels& labels, double amount);

private:
    friend class Metrics;
    mutable std::mutex mutex_;
    std::map<Labels, double> values_;
};

class Histogram {
public:
    // Counts `value` into the first bucket whose upper bound is >= it.
    void observe(const Labels& labels, double value);

private:
    friend class Metrics;
    explicit Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {}
    struct Series {
        std::vector<std::uint64_t> counts;  // per bucket, not cumulative; the last is +Inf
        double sum = 0.0;
        std::uint64_t count = 0;
    };
    std::vector<double> bounds_;  // ascending upper bounds, without +Inf
    mutable std::mutex mutex_;
    std::map<Labels, Series> series_;
};

class Metrics {
public:
    static Counter& counter(const QString& name, const QString& help);
    static Gauge& gauge(const QString& name, const QString& help);
    // `buckets`: upper bounds; sorted and made unique here; +Inf is implied.
    static Histogram& histogram(const QString& name, const QString& help, std::vector<double> buckets);

    // A metric whose samples `read` gives at each scrape, on the thread that
    // scrapes (the HTTP thread): it must be quick and must not call back into
    // Metrics. Registering a name again replaces its callback.
    static void callbackGauge(const QString& name, const QString& help, std::function<QList<Sample>()> read);
    static void callbackCounter(const QString& name, const QString& help, std::function<QList<Sample>()> read);

    // Everything registered, in the text exposition format 0.0.4, metrics
    // sorted by name.
    static QByteArray exposition();

    // Bucket bounds for request latencies, in seconds (1 ms to 10 s).
    static std::vector<double> latencyBuckets();
};

// The active model version of each school, as `kite_model_version{school,
// version} 1`. The area that trains and activates models calls this once at
// startup with a function listing (school, version) pairs; until then the
// metric is absent. `source` runs at each scrape on the HTTP thread: give it
// a cached list, never a database query.
struct ActiveModelSample {
    QString school;
    QString version;
};
void registerModelVersionSource(std::function<QList<ActiveModelSample>()> source);

}  // namespace kite::server
