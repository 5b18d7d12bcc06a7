// Progress: one row per skill of a course, the on-device BKT estimate beside
// the server's (BKT snapshot and DKT), each with when it was computed
// (docs/app.md), and the history of what the learner was shown after each
// answer, for the chart. Read on the store's thread.
#pragma once

#include <QAbstractListModel>
#include <QString>
#include <QVariantList>

#include "kite/async_store.h"

namespace kite::ui {

struct SkillProgress {
    QString skill;
    QString name;
    double p_known = 0;       // on the device: the server's snapshot plus this device's newer answers
    int attempts = 0;
    std::int64_t updated_at = 0;  // Unix ms of the last answer; 0 never
    double server_bkt = -1;   // -1: none yet
    std::int64_t server_bkt_at = 0;
    double server_dkt = -1;   // P(correct at the next answer) from the school's DKT model; -1: none
    std::int64_t server_dkt_at = 0;
};

class ProgressModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString error READ error NOTIFY loadingChanged)
    // [{skill, name, points: [{answer, p}]}] by skill, and how many answers
    // the learner has in the course (the chart's x axis).
    Q_PROPERTY(QVariantList history READ history NOTIFY loadingChanged)
    Q_PROPERTY(int answers READ answers NOTIFY loadingChanged)
public:
    enum Role {
        SkillRole = Qt::UserRole + 1,
        NameRole,
        PKnownRole,
        AttemptsRole,
        UpdatedAtRole,
        ServerBktRole,
        ServerBktAtRole,
        ServerDktRole,
        ServerDktAtRole,
    };
    explicit ProgressModel(store::AsyncStore& store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void refresh(qint64 learner, const QString& course);
    Q_INVOKABLE void refresh() { refresh(learner_, course_); }

    bool loading() const { return loading_; }
    QString error() const { return error_; }
    QVariantList history() const { return history_; }
    int answers() const { return answers_; }

signals:
    void loadingChanged();

private:
    void setHistory(const QList<store::MasteryPoint>& points);

    store::AsyncStore& store_;
    QList<SkillProgress> rows_;
    QVariantList history_;
    int answers_ = 0;
    qint64 learner_ = 0;
    QString course_;
    bool loading_ = false;
    QString error_;
    quint64 generation_ = 0;
};

}  // namespace kite::ui
