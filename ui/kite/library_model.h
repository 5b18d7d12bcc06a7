// The library: the courses on the device and those the school offers, with
// download state, size and progress; each course's lessons with completion
// for the signed-in learner (docs/app.md).
//
// Rows are read on the store's thread (AsyncStore) and swapped in whole;
// completion uses the study session's own rule (every skill of the lesson
// mastered), so the library and practice never disagree.
#pragma once

#include <QAbstractListModel>
#include <QString>
#include <QUrl>
#include <QVariantList>

#include "kite/async_store.h"
#include "kite/sync_engine.h"

namespace kite::ui {

struct LibraryCourse {
    QString id;
    QString title;
    int version = 0;          // installed; 0 if not
    int offered_version = 0;  // the school's; 0 if none
    std::int64_t size = 0;    // of the school's package, bytes
    QVariantList lessons;     // [{lesson, title, complete}] (installed courses)
    int skills = 0;
    int mastered = 0;
};

class LibraryModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(bool importing READ importing NOTIFY importFinished)
public:
    enum Role {
        CourseRole = Qt::UserRole + 1,  // id
        TitleRole,
        StateRole,     // "status" in QML: "installed", "updateAvailable", "available", "downloading"
        VersionRole,
        SizeRole,      // bytes of the package offered
        ProgressRole,  // of the download, 0..1
        LessonsRole,
        SkillsRole,
        MasteredRole,
    };
    explicit LibraryModel(store::AsyncStore& store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Reads the library again for `learner` (0: no completion).
    Q_INVOKABLE void refresh(qint64 learner);
    Q_INVOKABLE void refresh() { refresh(learner_); }
    // Installs a course package (.kitepack) from a file: checked whole, then
    // imported in one transaction, or not at all. importFinished says how it
    // went in words for the learner.
    Q_INVOKABLE void importPackage(const QUrl& file);
    // The sync engine's status: which course downloads, and how far.
    void setSyncStatus(const client::SyncStatus& status);

    bool loading() const { return loading_; }
    QString error() const { return error_; }
    bool importing() const { return importing_; }
    const QList<LibraryCourse>& courses() const { return rows_; }

signals:
    void loadingChanged();
    void errorChanged();
    void importFinished(bool ok, const QString& message);

private:
    store::AsyncStore& store_;
    QList<LibraryCourse> rows_;
    qint64 learner_ = 0;
    bool loading_ = false;
    bool importing_ = false;
    QString error_;
    QString downloading_;
    double progress_ = 0;
    quint64 generation_ = 0;
};

}  // namespace kite::ui
