#include "kite/dkt_tracker.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "kite/dkt.h"
#include "kite/dkt_model_io.h"
#include "kite/server_metrics.h"
#include "kite/wire.h"

namespace kite::server {

namespace {

// The "dkt" part: each learner's LSTM state, and an index to replay one
// learner's attempts without walking the school's.
const std::initializer_list<std::initializer_list<const char*>> kDktSchema = {
    {
        // through_event: the highest events.n applied; covers: device ->
        // highest sequence applied (JSON), as the mastery rows' covers.
        "CREATE TABLE dkt_states(school TEXT NOT NULL, learner TEXT NOT NULL, model_version INTEGER NOT NULL, "
        "state BLOB NOT NULL, answers INTEGER NOT NULL, through_event INTEGER NOT NULL, covers TEXT NOT NULL, "
        "updated_at INTEGER NOT NULL, PRIMARY KEY(school, learner)) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS events_by_learner ON events(school, learner, n)",
    },
};

std::vector<std::uint8_t> bytesOf(const QByteArray& b) {
    return std::vector<std::uint8_t>(b.begin(), b.end());
}

QByteArray bytesOf(const std::vector<std::uint8_t>& b) {
    return QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()));
}

}  // namespace

// A model version as the worker uses it.
struct DktTracker::Loaded {
    dkt::TrainedModel model;
    std::map<QString, std::int32_t> index;  // "course\tskill" -> model skill
};

Result<std::unique_ptr<DktTracker>> DktTracker::open(const QString& dataDir, ModelStore& models,
                                                     std::chrono::milliseconds recheck) {
    auto connection = SqlConnection::open(dataDir, QStringLiteral("dkt-tracker"));
    if (!connection) return connection.error();
    if (auto s = (*connection)->migrate(QStringLiteral("dkt"), kDktSchema); !s) return s.error();
    return std::unique_ptr<DktTracker>(new DktTracker(std::move(*connection), models, recheck));
}

const DktTracker::Loaded* DktTracker::model(const QString& school) {
    School& s = schools_[school];
    const auto now = std::chrono::steady_clock::now();
    if (s.checked != std::chrono::steady_clock::time_point{} && now - s.checked < recheck_) return s.model.get();
    s.checked = now;
    auto active = models_.activeDktModel(school);
    if (!active) {
        // Keep what it had; looked up again at the next check.
        std::fprintf(stderr, "kite-server: DKT: %s\n", active.error().message.c_str());
        return s.model.get();
    }
    if (!*active) {
        s.version = 0;
        s.model.reset();
        return nullptr;
    }
    const int version = (*active)->version;
    if (version == s.version && (s.model || version == s.failed)) return s.model.get();
    s.version = version;
    s.model.reset();
    auto loaded = dkt::loadModel((*active)->path.toStdString());
    if (!loaded) {
        // That school stays on BKT until another version is active.
        std::fprintf(stderr, "kite-server: DKT model %d of school %s: %s; mastery stays BKT-only\n", version,
                     school.toUtf8().constData(), loaded.error().message.c_str());
        s.failed = version;
        return nullptr;
    }
    auto m = std::make_shared<Loaded>();
    m->model = std::move(*loaded);
    for (std::size_t i = 0; i < m->model.skill_names.size(); ++i)
        m->index.emplace(QString::fromStdString(m->model.skill_names[i]), static_cast<std::int32_t>(i));
    s.model = std::move(m);
    return s.model.get();
}

bool DktTracker::active(const QString& school) const {
    const auto s = schools_.find(school);
    return s != schools_.end() && s->second.model;
}

Status DktTracker::track(const QList<WorkItem>& items, QList<MasteryUpdate>& updates, QList<DktStateRow>& states,
                         const FactsByEvent* parsed) {
    // Each learner's new answers, over all their items of the batch, by n.
    std::map<std::pair<QString, QString>, std::vector<const QueuedAnswer*>> learners;
    for (const WorkItem& item : items) {
        if (!model(item.school)) continue;
        auto& answers = learners[{item.school, item.learner}];
        for (const QueuedAnswer& a : item.answers) answers.push_back(&a);
    }
    QSqlDatabase d = connection_->db();
    QSqlQuery read(d);
    read.prepare(
        QStringLiteral("SELECT model_version, state, answers, through_event, covers FROM dkt_states "
                       "WHERE school = ? AND learner = ?"));
    QSqlQuery history(d);
    history.prepare(
        QStringLiteral("SELECT device, seq, payload, n FROM events WHERE school = ? AND learner = ? "
                       "AND kind = 'attempt' AND n <= ? ORDER BY n"));
    for (auto& [key, answers] : learners) {
        const auto& [school, learner] = key;
        if (answers.empty()) continue;
        std::stable_sort(answers.begin(), answers.end(),
                         [](const QueuedAnswer* x, const QueuedAnswer* y) { return x->n < y->n; });
        const Loaded& m = *schools_[school].model;
        const dkt::Weights<float>& w = m.model.weights;

        DktStateRow row{school, learner, schools_[school].version, {}, 0, 0, {}};
        dkt::State<float> state;
        bool resume = false;
        read.addBindValue(school);
        read.addBindValue(learner);
        if (!read.exec()) return sqlError(QStringLiteral("reading a DKT state"), read.lastError());
        if (read.next() && read.value(0).toInt() == row.model_version) {
            auto decoded = dkt::decodeState(bytesOf(read.value(1).toByteArray()), w.hidden);
            if (decoded) {
                state = std::move(*decoded);
                row.answers = read.value(2).toLongLong();
                row.through_event = read.value(3).toLongLong();
                row.covers = QJsonDocument::fromJson(read.value(4).toString().toUtf8()).object();
                resume = true;
            } else {
                std::fprintf(stderr, "kite-server: DKT state of learner %s: %s; replaying\n",
                             learner.toUtf8().constData(), decoded.error().message.c_str());
            }
        }
        read.finish();

        // A learner new to this model: all their attempts so far, replayed.
        std::vector<QueuedAnswer> replayed;
        if (!resume) {
            state = dkt::initialState(w);
            history.addBindValue(school);
            history.addBindValue(learner);
            history.addBindValue(static_cast<qint64>(answers.back()->n));
            if (!history.exec()) return sqlError(QStringLiteral("replaying a learner's answers"), history.lastError());
            while (history.next())
                replayed.push_back(QueuedAnswer{history.value(0).toString(), history.value(1).toLongLong(),
                                                history.value(2).toString().toUtf8(), history.value(3).toLongLong()});
            history.finish();
            answers.clear();
            for (const QueuedAnswer& a : replayed) answers.push_back(&a);
        }

        std::map<std::int32_t, std::pair<QString, QString>> touched;  // model skill -> (course, skill)
        bool applied = false;
        for (const QueuedAnswer* a : answers) {
            if (a->n <= row.through_event) continue;  // already in the state
            row.through_event = a->n;
            applied = true;
            // Invalid as stored: skipped, as the BKT side does.
            std::optional<AnswerFacts> own;
            const AnswerFacts* answer = nullptr;
            if (parsed) {
                const auto found = parsed->find(a->n);
                if (found != parsed->end()) answer = &found->second;
            }
            if (!answer && (own = answerFacts(a->payload))) answer = &*own;
            if (!answer) continue;
            row.answers += 1;
            row.covers.insert(a->device, std::max(row.covers.value(a->device).toDouble(), static_cast<double>(a->seq)));
            for (const QString& skill : answer->skills) {
                const auto found = m.index.find(answer->course + QLatin1Char('\t') + skill);
                if (found == m.index.end()) continue;  // not in the model: nothing to step
                dkt::advance(w, state, found->second, answer->correct);
                touched.emplace(found->second, std::make_pair(answer->course, skill));
            }
        }
        if (!applied) continue;
        row.state = bytesOf(dkt::encodeState(state));
        for (const auto& [index, skill] : touched) {
            SkillState s{skill.first, skill.second, static_cast<double>(dkt::predict(w, state, index)),
                         static_cast<int>(row.answers), row.covers};
            updates.push_back(MasteryUpdate{school, learner, std::move(s), QStringLiteral("dkt")});
        }
        states.push_back(std::move(row));
    }
    return success();
}

void recordMasteryLag(const QList<WorkItem>& items, const DktTracker* tracker) {
    Histogram& lag =
        Metrics::histogram(QStringLiteral("kite_mastery_lag_seconds"),
                           QStringLiteral("From an answer's commit to its mastery being written, by model."),
                           {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300});
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    const Labels bkt{{QStringLiteral("model"), QStringLiteral("bkt")}};
    const Labels dkt{{QStringLiteral("model"), QStringLiteral("dkt")}};
    for (const WorkItem& item : items) {
        const double seconds = static_cast<double>(std::max<std::int64_t>(0, now - item.created_at)) / 1000.0;
        lag.observe(bkt, seconds);
        if (tracker && tracker->active(item.school)) lag.observe(dkt, seconds);
    }
}

}  // namespace kite::server
