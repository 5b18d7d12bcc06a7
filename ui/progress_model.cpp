#include "kite/progress_model.h"

namespace kite::ui {

ProgressModel::ProgressModel(store::AsyncStore& store, QObject* parent) : QAbstractListModel(parent), store_(store) {}

int ProgressModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QHash<int, QByteArray> ProgressModel::roleNames() const {
    return {{SkillRole, "skill"},         {NameRole, "name"},           {PKnownRole, "pKnown"},
            {AttemptsRole, "attempts"},   {UpdatedAtRole, "updatedAt"}, {ServerBktRole, "serverBkt"},
            {ServerBktAtRole, "serverBktAt"}, {ServerDktRole, "serverDkt"}, {ServerDktAtRole, "serverDktAt"}};
}

QVariant ProgressModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const SkillProgress& r = rows_[index.row()];
    switch (role) {
    case SkillRole: return r.skill;
    case NameRole: return r.name;
    case PKnownRole: return r.p_known;
    case AttemptsRole: return r.attempts;
    case UpdatedAtRole: return static_cast<double>(r.updated_at);
    case ServerBktRole: return r.server_bkt;
    case ServerBktAtRole: return static_cast<double>(r.server_bkt_at);
    case ServerDktRole: return r.server_dkt;
    case ServerDktAtRole: return static_cast<double>(r.server_dkt_at);
    default: return {};
    }
}

// One series per skill of the course (in the course's order), of the points
// the learner was shown; skills never answered have none.
void ProgressModel::setHistory(const QList<store::MasteryPoint>& points) {
    history_.clear();
    answers_ = points.isEmpty() ? 0 : points.back().answer + 1;
    for (const SkillProgress& row : rows_) {
        QVariantList series;
        for (const store::MasteryPoint& p : points) {
            if (p.skill == row.skill)
                series.push_back(QVariantMap{{QStringLiteral("answer"), p.answer}, {QStringLiteral("p"), p.p_known}});
        }
        if (series.isEmpty()) continue;
        history_.push_back(QVariantMap{
            {QStringLiteral("skill"), row.skill}, {QStringLiteral("name"), row.name}, {QStringLiteral("points"), series}});
    }
}

void ProgressModel::refresh(qint64 learner, const QString& course) {
    learner_ = learner;
    course_ = course;
    const quint64 generation = ++generation_;
    loading_ = true;
    emit loadingChanged();
    struct Read {
        QList<SkillProgress> rows;
        QList<store::MasteryPoint> history;
    };
    store_.run<Read>(
        [learner, course](store::Store& s) -> Result<Read> {
            auto loaded = s.loadCourse(course);
            if (!loaded) return loaded.error();
            auto params = s.bktParams(course);
            if (!params) return params.error();
            auto mine = s.mastery(learner, course);
            if (!mine) return mine.error();
            QString uid;
            auto learners = s.learners();
            if (!learners) return learners.error();
            for (const store::Learner& l : *learners)
                if (l.id == learner) uid = l.uid;
            auto server = s.serverMastery(uid, course);
            if (!server) return server.error();
            QList<SkillProgress> out;
            for (const course::Skill& k : loaded->skills) {
                SkillProgress p;
                p.skill = k.id;
                p.name = k.name;
                p.p_known = params->value(k.id, bkt::kUnseenSkillDefaults).prior;
                for (const store::Mastery& m : *mine) {
                    if (m.skill != k.id) continue;
                    p.p_known = m.p_known;
                    p.attempts = m.attempts;
                    p.updated_at = m.updated_at;
                }
                for (const store::ServerMastery& m : *server) {
                    if (m.skill != k.id) continue;
                    if (m.model == QLatin1String("dkt")) {
                        p.server_dkt = m.p;
                        p.server_dkt_at = m.at;
                    } else {
                        p.server_bkt = m.p;
                        p.server_bkt_at = m.at;
                    }
                }
                out.push_back(p);
            }
            auto history = s.masteryHistory(learner, course);
            if (!history) return history.error();
            return Read{std::move(out), std::move(*history)};
        },
        this,
        [this, generation](Result<Read> read) {
            if (generation != generation_) return;
            loading_ = false;
            error_ = read ? QString() : tr("Progress cannot be read: %1").arg(QString::fromStdString(read.error().message));
            if (read) {
                beginResetModel();
                rows_ = std::move(read->rows);
                endResetModel();
                setHistory(read->history);
            }
            emit loadingChanged();
        });
}

}  // namespace kite::ui
