// Teacher mode (docs/app.md, "Teacher mode and live polls"): with the token
// a school's admin gave a teacher, the classes and a class × skill heatmap
// of mastery read from the server and read again whenever the server's
// stream says mastery moved.
//
// The token is checked against the server before it is kept; it is kept in
// the device's store (sync state "teacher_token", written on the store's
// thread), never in settings or logs; leave() forgets it. The network is
// TeacherClient's (sync/client), asynchronous on this thread.
#pragma once

#include <QAbstractTableModel>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <memory>

#include "kite/async_store.h"
#include "kite/teacher_client.h"

namespace kite::ui {

// The heatmap: a row per learner of the class, a column per skill. A cell's
// value is BKT's P(known) where there is one, else DKT's P(correct next);
// -1 when the learner has no answers on the skill.
class MasteryTable : public QAbstractTableModel {
    Q_OBJECT
    Q_PROPERTY(QStringList learners READ learners NOTIFY changed)  // the rows' names
    Q_PROPERTY(QStringList skills READ skills NOTIFY changed)      // the columns' names
    Q_PROPERTY(int revision READ revision NOTIFY changed)          // grows with every new grid
public:
    enum Role {
        ValueRole = Qt::UserRole + 1,  // 0..1, or -1: no estimate
        PKnownRole,                    // BKT, or -1
        PCorrectRole,                  // DKT, or -1
        ModelRole,                     // what `value` is from: "bkt", "dkt" or ""
        AttemptsRole,
        AccessibleRole,                // "Ada, parts: 83 %"
        LearnerRole,
        SkillRole,
    };
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setGrid(const client::MasteryGrid& grid);
    QStringList learners() const { return learner_names_; }
    QStringList skills() const { return skill_names_; }
    // The cell's words, as a screen reader says it; for tests too.
    Q_INVOKABLE QString cellName(int row, int column) const;
    // The cell's value (0..1, or -1: no estimate).
    Q_INVOKABLE double valueAt(int row, int column) const;
    int revision() const { return revision_; }

signals:
    void changed();

private:
    struct Cell {
        double p_known = -1;
        double p_correct = -1;
        int attempts = 0;
    };
    const Cell* cell(int row, int column) const;

    client::MasteryGrid grid_;
    QStringList learner_names_;
    QStringList skill_names_;
    QHash<QString, Cell> cells_;  // learner '\n' course '\n' skill
    int revision_ = 0;
};

class TeacherModel : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool available READ available NOTIFY changed)  // the device has a school server
    Q_PROPERTY(bool active READ active NOTIFY changed)    // a checked teacher token is kept
    Q_PROPERTY(bool checking READ checking NOTIFY changed)
    Q_PROPERTY(QString error READ error NOTIFY changed)  // plain words; empty when all is well
    Q_PROPERTY(QVariantList classes READ classes NOTIFY changed)  // [{id, name, learners}]
    Q_PROPERTY(QString classId READ classId NOTIFY changed)
    Q_PROPERTY(bool live READ live NOTIFY changed)  // the stream is connected
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    Q_PROPERTY(MasteryTable* heatmap READ heatmap CONSTANT)
public:
    // `server` empty: no school server, teacher mode is not available.
    TeacherModel(store::AsyncStore& store, const QString& server, QObject* parent = nullptr,
                 client::TeacherOptions options = {});
    ~TeacherModel() override;

    // The school's server, once the device has one (the first run may set it
    // after start-up); a kept token is then checked again.
    void setServer(const QString& server);

    // Checks `token` against the server; kept, and teacher mode on, if it is
    // a teacher's (or admin's) token of this school.
    Q_INVOKABLE void enter(const QString& token);
    // Teacher mode off: the token forgotten.
    Q_INVOKABLE void leave();
    Q_INVOKABLE void selectClass(const QString& id);
    // The classes and the grid read again.
    Q_INVOKABLE void refresh();

    bool available() const { return client_ != nullptr; }
    bool active() const { return active_; }
    bool checking() const { return checking_; }
    QString error() const { return error_; }
    QVariantList classes() const;
    QString classId() const { return class_id_; }
    bool live() const { return client_ && client_->streamConnected(); }
    bool loading() const { return loading_; }
    MasteryTable* heatmap() { return &heatmap_; }
    // Null when not available; polls go through it.
    client::TeacherClient* client() { return client_.get(); }

signals:
    void changed();
    void entered();
    void left();
    void clientChanged();  // setServer made a new client()

private:
    void restore();
    void accept(const QList<client::ClassInfo>& classes);
    void forget(const QString& why);
    void keepToken(const QString& token);
    void readGrid();

    store::AsyncStore& store_;
    client::TeacherOptions options_;
    std::unique_ptr<client::TeacherClient> client_;
    MasteryTable heatmap_;
    QList<client::ClassInfo> classes_;
    QString class_id_;
    bool active_ = false;
    bool checking_ = false;
    bool loading_ = false;
    bool reread_ = false;  // asked again while a read was under way
    QString error_;
    quint64 generation_ = 0;  // a reply for an older token or class is dropped
};

}  // namespace kite::ui
