#include "kite/server_metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <variant>

namespace kite::server {

namespace {

// The text format's numbers: the shortest form that reads back the same.
QByteArray number(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
    if (ec != std::errc()) return "NaN";
    return QByteArray(text, static_cast<qsizetype>(end - text));
}

QByteArray escapeHelp(const QString& text) {
    QByteArray out = text.toUtf8();
    out.replace('\\', "\\\\").replace('\n', "\\n");
    return out;
}

QByteArray escapeLabelValue(const QString& text) {
    QByteArray out = text.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

// `{a="1",b="2"}`, with `extra` (already formatted, e.g. `le="0.5"`) last;
// nothing at all for no labels.
QByteArray labelText(const Labels& labels, const QByteArray& extra = {}) {
    if (labels.isEmpty() && extra.isEmpty()) return {};
    QByteArray out = "{";
    for (const auto& [name, value] : labels) {
        if (out.size() > 1) out += ',';
        out += name.toUtf8() + "=\"" + escapeLabelValue(value) + '"';
    }
    if (!extra.isEmpty()) {
        if (out.size() > 1) out += ',';
        out += extra;
    }
    return out + '}';
}

struct Callback {
    std::function<QList<Sample>()> read;
};

struct Entry {
    const char* type;  // "counter", "gauge", "histogram"
    QString help;
    std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>, Callback> metric;
};

struct Registry {
    std::mutex mutex;
    std::map<QString, Entry> entries;
};

Registry& registry() {
    static Registry r;
    return r;
}

template <class M, class Make>
M& find(const QString& name, const char* type, const QString& help, Make make) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.entries.find(name);
    if (it == r.entries.end()) it = r.entries.emplace(name, Entry{type, help, make()}).first;
    if (auto* held = std::get_if<std::unique_ptr<M>>(&it->second.metric)) return **held;
    // The name is taken by another kind of metric: a programming mistake.
    // Record into a metric no scrape shows rather than crash the server.
    static M& orphan = *make().release();
    return orphan;
}

void renderSamples(QByteArray& out, const QString& name, const QList<Sample>& samples) {
    for (const Sample& s : samples) out += name.toUtf8() + labelText(s.labels) + ' ' + number(s.value) + '\n';
}

}  // namespace

void Counter::add(const Labels& labels, double amount) {
    if (!(amount >= 0)) return;
    std::lock_guard lock(mutex_);
    values_[labels] += amount;
}

void Gauge::set(const Labels& labels, double value) {
    std::lock_guard lock(mutex_);
    values_[labels] = value;
}

void Gauge::add(const Labels& labels, double amount) {
    std::lock_guard lock(mutex_);
    values_[labels] += amount;
}

void Histogram::observe(const Labels& labels, double value) {
    const auto bucket =
        static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
    std::lock_guard lock(mutex_);
    Series& s = series_[labels];
    if (s.counts.empty()) s.counts.assign(bounds_.size() + 1, 0);
    s.counts[bucket] += 1;
    s.sum += value;
    s.count += 1;
}

Counter& Metrics::counter(const QString& name, const QString& help) {
    return find<Counter>(name, "counter", help, [] { return std::make_unique<Counter>(); });
}

Gauge& Metrics::gauge(const QString& name, const QString& help) {
    return find<Gauge>(name, "gauge", help, [] { return std::make_unique<Gauge>(); });
}

Histogram& Metrics::histogram(const QString& name, const QString& help, std::vector<double> buckets) {
    std::sort(buckets.begin(), buckets.end());
    buckets.erase(std::unique(buckets.begin(), buckets.end()), buckets.end());
    buckets.erase(std::remove_if(buckets.begin(), buckets.end(), [](double b) { return !std::isfinite(b); }),
                  buckets.end());
    return find<Histogram>(name, "histogram", help,
                           [&buckets] { return std::unique_ptr<Histogram>(new Histogram(buckets)); });
}

void Metrics::callbackGauge(const QString& name, const QString& help, std::function<QList<Sample>()> read) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.entries.insert_or_assign(name, Entry{"gauge", help, Callback{std::move(read)}});
}

void Metrics::callbackCounter(const QString& name, const QString& help, std::function<QList<Sample>()> read) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.entries.insert_or_assign(name, Entry{"counter", help, Callback{std::move(read)}});
}

QByteArray Metrics::exposition() {
    // Callbacks run without the registry's lock (they may be slowish, and a
    // metric registered meanwhile must not wait for them).
    struct Pending {
        QString name;
        std::function<QList<Sample>()> read;
    };
    std::vector<Pending> callbacks;
    std::map<QString, QByteArray> texts;
    Registry& r = registry();
    {
        std::lock_guard lock(r.mutex);
        for (const auto& [name, entry] : r.entries) {
            QByteArray& out = texts[name];
            out += "# HELP " + name.toUtf8() + ' ' + escapeHelp(entry.help) + '\n';
            out += "# TYPE " + name.toUtf8() + ' ' + entry.type + '\n';
            const QByteArray base = name.toUtf8();
            if (const auto* c = std::get_if<std::unique_ptr<Counter>>(&entry.metric)) {
                std::lock_guard values((*c)->mutex_);
                for (const auto& [labels, v] : (*c)->values_) out += base + labelText(labels) + ' ' + number(v) + '\n';
            } else if (const auto* g = std::get_if<std::unique_ptr<Gauge>>(&entry.metric)) {
                std::lock_guard values((*g)->mutex_);
                for (const auto& [labels, v] : (*g)->values_) out += base + labelText(labels) + ' ' + number(v) + '\n';
            } else if (const auto* h = std::get_if<std::unique_ptr<Histogram>>(&entry.metric)) {
                const Histogram& hist = **h;
                std::lock_guard values(hist.mutex_);
                for (const auto& [labels, s] : hist.series_) {
                    std::uint64_t cumulative = 0;
                    for (std::size_t i = 0; i <= hist.bounds_.size(); ++i) {
                        cumulative += s.counts[i];
                        const QByteArray le = i < hist.bounds_.size() ? number(hist.bounds_[i]) : QByteArray("+Inf");
                        out += base + "_bucket" + labelText(labels, "le=\"" + le + '"') + ' ' +
                               QByteArray::number(static_cast<qulonglong>(cumulative)) + '\n';
                    }
                    out += base + "_sum" + labelText(labels) + ' ' + number(s.sum) + '\n';
                    out += base + "_count" + labelText(labels) + ' ' +
                           QByteArray::number(static_cast<qulonglong>(s.count)) + '\n';
                }
            } else if (const auto* cb = std::get_if<Callback>(&entry.metric)) {
                callbacks.push_back(Pending{name, cb->read});
            }
        }
    }
    for (const Pending& p : callbacks)
        if (p.read) renderSamples(texts[p.name], p.name, p.read());
    QByteArray out;
    for (const auto& [name, text] : texts) out += text;
    return out;
}

std::vector<double> Metrics::latencyBuckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
}

void registerModelVersionSource(std::function<QList<ActiveModelSample>()> source) {
    Metrics::callbackGauge(
        QStringLiteral("kite_model_version"),
        QStringLiteral("The active model version of each school (always 1; the version is a label)."),
        [source = std::move(source)] {
            QList<Sample> out;
            for (const ActiveModelSample& m : source())
                out.push_back(
                    Sample{{{QStringLiteral("school"), m.school}, {QStringLiteral("version"), m.version}}, 1.0});
            return out;
        });
}

}  // namespace kite::server
