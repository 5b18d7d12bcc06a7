#include "kite/library_model.h"

#include <QFileInfo>

#include <algorithm>

#include "kite/course.h"

#include "kite/session.h"

namespace kite::ui {

LibraryModel::LibraryModel(store::AsyncStore& store, QObject* parent) : QAbstractListModel(parent), store_(store) {}

int LibraryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QHash<int, QByteArray> LibraryModel::roleNames() const {
    return {{CourseRole, "course"},   {TitleRole, "title"},       {StateRole, "status"},
            {VersionRole, "version"}, {SizeRole, "size"},         {ProgressRole, "progress"},
            {LessonsRole, "lessons"}, {SkillsRole, "skills"},     {MasteredRole, "mastered"}};
}

QVariant LibraryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const LibraryCourse& c = rows_[index.row()];
    switch (role) {
    case CourseRole: return c.id;
    case TitleRole: return c.title;
    case StateRole:
        if (c.id == downloading_) return QStringLiteral("downloading");
        if (c.version == 0) return QStringLiteral("available");
        return c.offered_version > c.version ? QStringLiteral("updateAvailable") : QStringLiteral("installed");
    case VersionRole: return c.version;
    case SizeRole: return static_cast<double>(c.size);
    case ProgressRole: return c.id == downloading_ ? progress_ : (c.version > 0 ? 1.0 : 0.0);
    case LessonsRole: return c.lessons;
    case SkillsRole: return c.skills;
    case MasteredRole: return c.mastered;
    default: return {};
    }
}

void LibraryModel::importPackage(const QUrl& file) {
    if (importing_) return;
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    importing_ = true;
    emit importFinished(false, QString());  // `importing` changed
    store_.run<QString>(
        [path](store::Store& s) -> Result<QString> {
            const course::CheckReport report = course::readPack(path);
            if (!report.ok()) {
                QStringList problems;
                for (const course::Problem& p : report.problems) {
                    if (!p.warning) problems.push_back(p.toString());
                }
                if (problems.size() > 3) problems = problems.mid(0, 3) << tr("(and %n more)", "", problems.size() - 3);
                return Error{problems.join(QStringLiteral("; ")).toStdString()};
            }
            if (auto imported = s.importCourse(*report.course); !imported) return imported.error();
            return tr("Installed \"%1\" (version %2).").arg(report.course->title).arg(report.course->version);
        },
        this,
        [this, path](Result<QString> done) {
            importing_ = false;
            if (!done) {
                emit importFinished(false, tr("%1 was not installed: %2")
                                               .arg(QFileInfo(path).fileName(), QString::fromStdString(done.error().message)));
                return;
            }
            emit importFinished(true, *done);
            refresh();
        });
}

void LibraryModel::refresh(qint64 learner) {
    learner_ = learner;
    const quint64 generation = ++generation_;
    loading_ = true;
    emit loadingChanged();
    store_.run<QList<LibraryCourse>>(
        [learner](store::Store& s) -> Result<QList<LibraryCourse>> {
            auto installed = s.courses();
            if (!installed) return installed.error();
            auto offered = s.offeredCourses();
            if (!offered) return offered.error();
            QList<LibraryCourse> out;
            for (const store::CourseInfo& info : *installed) {
                LibraryCourse c;
                c.id = info.id;
                c.title = info.title;
                c.version = info.version;
                auto session = study::StudySession::start(s, learner, info.id);
                if (learner > 0 && session) {
                    const study::StudySession& st = **session;
                    for (const course::Lesson& l : st.course().lessons)
                        c.lessons.push_back(QVariantMap{{QStringLiteral("lesson"), l.id},
                                                        {QStringLiteral("title"), l.title},
                                                        {QStringLiteral("complete"), st.lessonComplete(l.id)}});
                    c.skills = static_cast<int>(st.course().skills.size());
                    for (const course::Skill& k : st.course().skills) c.mastered += st.mastered(k.id) ? 1 : 0;
                }
                out.push_back(std::move(c));
            }
            for (const store::OfferedCourse& o : *offered) {
                auto it = std::find_if(out.begin(), out.end(), [&](const LibraryCourse& c) { return c.id == o.id; });
                if (it == out.end()) {
                    LibraryCourse c;
                    c.id = o.id;
                    c.title = o.id;  // the title comes with the package
                    c.offered_version = o.version;
                    c.size = o.size;
                    out.push_back(std::move(c));
                } else {
                    it->offered_version = o.version;
                    it->size = o.size;
                }
            }
            return out;
        },
        this,
        [this, generation](Result<QList<LibraryCourse>> read) {
            if (generation != generation_) return;
            loading_ = false;
            emit loadingChanged();
            const QString problem =
                read ? QString() : tr("The library cannot be read: %1").arg(QString::fromStdString(read.error().message));
            if (problem != error_) {
                error_ = problem;
                emit errorChanged();
            }
            if (!read) return;
            beginResetModel();
            rows_ = std::move(*read);
            endResetModel();
        });
}

void LibraryModel::setSyncStatus(const client::SyncStatus& status) {
    const QString was = downloading_;
    downloading_ = status.downloading;
    progress_ = status.download_progress;
    for (qsizetype i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == was || rows_[i].id == downloading_)
            emit dataChanged(index(static_cast<int>(i)), index(static_cast<int>(i)), {StateRole, ProgressRole});
}

}  // namespace kite::ui
