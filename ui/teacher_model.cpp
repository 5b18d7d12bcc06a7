#include "kite/teacher_model.h"

#include <QSet>
#include <QUrl>

#include <cmath>

namespace kite::ui {

namespace {

const QString kTokenKey = QStringLiteral("teacher_token");

QString cellKey(const QString& learner, const QString& course, const QString& skill) {
    return learner + QLatin1Char('\n') + course + QLatin1Char('\n') + skill;
}

QString percent(double p) {
    return QObject::tr("%1 %").arg(static_cast<int>(std::lround(p * 100)));
}

}  // namespace

// ---------------------------------------------------------------- MasteryTable

int MasteryTable::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(grid_.learners.size());
}

int MasteryTable::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(grid_.skills.size());
}

const MasteryTable::Cell* MasteryTable::cell(int row, int column) const {
    if (row < 0 || row >= grid_.learners.size() || column < 0 || column >= grid_.skills.size()) return nullptr;
    const auto& s = grid_.skills[column];
    const auto it = cells_.constFind(cellKey(grid_.learners[row].id, s.course, s.skill));
    return it == cells_.constEnd() ? nullptr : &*it;
}

QString MasteryTable::cellName(int row, int column) const {
    if (row < 0 || row >= learner_names_.size() || column < 0 || column >= skill_names_.size()) return {};
    const Cell* c = cell(row, column);
    const QString who = learner_names_[row];
    const QString what = skill_names_[column];
    if (!c) return tr("%1, %2: no answers yet").arg(who, what);
    const double p = c->p_known >= 0 ? c->p_known : c->p_correct;
    return tr("%1, %2: %3").arg(who, what, percent(p));
}

double MasteryTable::valueAt(int row, int column) const {
    const Cell* c = cell(row, column);
    return !c ? -1.0 : c->p_known >= 0 ? c->p_known : c->p_correct;
}

QVariant MasteryTable::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const Cell* c = cell(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (!c) return QString();
        return percent(c->p_known >= 0 ? c->p_known : c->p_correct);
    case ValueRole:
        return valueAt(index.row(), index.column());
    case PKnownRole:
        return c ? c->p_known : -1.0;
    case PCorrectRole:
        return c ? c->p_correct : -1.0;
    case ModelRole:
        return !c ? QString() : c->p_known >= 0 ? QStringLiteral("bkt") : QStringLiteral("dkt");
    case AttemptsRole:
        return c ? c->attempts : 0;
    case AccessibleRole:
        return cellName(index.row(), index.column());
    case LearnerRole:
        return learner_names_.value(index.row());
    case SkillRole:
        return skill_names_.value(index.column());
    default:
        return {};
    }
}

QVariant MasteryTable::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    return orientation == Qt::Horizontal ? skill_names_.value(section) : learner_names_.value(section);
}

QHash<int, QByteArray> MasteryTable::roleNames() const {
    return {{Qt::DisplayRole, "display"},     {ValueRole, "value"},       {PKnownRole, "pKnown"},
            {PCorrectRole, "pCorrect"},       {ModelRole, "model"},       {AttemptsRole, "attempts"},
            {AccessibleRole, "accessibleName"}, {LearnerRole, "learner"}, {SkillRole, "skill"}};
}

void MasteryTable::setGrid(const client::MasteryGrid& grid) {
    beginResetModel();
    grid_ = grid;
    cells_.clear();
    for (const auto& c : grid_.cells) {
        Cell& cell = cells_[cellKey(c.learner, c.course, c.skill)];
        if (c.model == QLatin1String("dkt")) cell.p_correct = c.p;
        else cell.p_known = c.p;
        cell.attempts = std::max(cell.attempts, c.attempts);
    }
    learner_names_.clear();
    for (const auto& l : grid_.learners) learner_names_ << (l.name.isEmpty() ? tr("(no name)") : l.name);
    QSet<QString> courses;
    for (const auto& s : grid_.skills) courses.insert(s.course);
    skill_names_.clear();
    for (const auto& s : grid_.skills)
        skill_names_ << (courses.size() > 1 ? QStringLiteral("%1 · %2").arg(s.course, s.skill) : s.skill);
    ++revision_;
    endResetModel();
    emit changed();
}

// ---------------------------------------------------------------- TeacherModel

TeacherModel::TeacherModel(store::AsyncStore& store, const QString& server, QObject* parent,
                           client::TeacherOptions options)
    : QObject(parent), store_(store), options_(std::move(options)) {
    setServer(server);
}

void TeacherModel::setServer(const QString& server) {
    if (server.isEmpty() || (client_ && options_.server == QUrl(server))) return;
    options_.server = QUrl(server);
    client_ = std::make_unique<client::TeacherClient>(options_);
    connect(client_.get(), &client::TeacherClient::streamConnectedChanged, this, &TeacherModel::changed);
    connect(client_.get(), &client::TeacherClient::masteryChanged, this, &TeacherModel::readGrid);
    connect(client_.get(), &client::TeacherClient::tokenRefused, this, &TeacherModel::forget);
    active_ = false;
    emit clientChanged();
    emit changed();
    restore();
}

TeacherModel::~TeacherModel() = default;

QVariantList TeacherModel::classes() const {
    QVariantList out;
    for (const auto& c : classes_)
        out << QVariantMap{{QStringLiteral("id"), c.id}, {QStringLiteral("name"), c.name},
                           {QStringLiteral("learners"), c.learners}};
    return out;
}

// A token kept from before: checked again, teacher mode on if it still works.
void TeacherModel::restore() {
    store_.run<QString>([](store::Store& s) { return s.syncState(kTokenKey); }, this, [this](Result<QString> token) {
        if (!token || token->isEmpty() || active_ || checking_) return;
        client_->setToken(*token);
        checking_ = true;
        const quint64 generation = ++generation_;
        emit changed();
        client_->classes([this, generation](Result<QList<client::ClassInfo>> classes) {
            if (generation != generation_) return;
            checking_ = false;
            if (!classes) {
                // A refused token was forgotten already (tokenRefused); an
                // unreachable server: teacher mode with the error, the stream retrying.
                error_ = QString::fromStdString(classes.error().message);
                active_ = true;
                client_->startStream();
                emit changed();
                return;
            }
            accept(*classes);
        });
    });
}

void TeacherModel::enter(const QString& token) {
    if (!client_) {
        error_ = tr("teacher mode needs the school server: this device has none");
        return emit changed();
    }
    const QString t = token.trimmed();
    if (t.isEmpty()) {
        error_ = tr("paste the teacher token the school's admin gave you");
        return emit changed();
    }
    client_->stopStream();
    client_->setToken(t);
    checking_ = true;
    error_.clear();
    const quint64 generation = ++generation_;
    emit changed();
    client_->classes([this, generation, t](Result<QList<client::ClassInfo>> classes) {
        if (generation != generation_) return;
        checking_ = false;
        if (!classes) {
            client_->setToken({});
            error_ = QString::fromStdString(classes.error().message);
            return emit changed();
        }
        keepToken(t);
        accept(*classes);
        emit entered();
    });
}

void TeacherModel::keepToken(const QString& token) {
    store_.run<Done>(
        [token](store::Store& s) { return s.setSyncState(kTokenKey, token); }, this, [this](Status kept) {
            if (kept) return;
            error_ = tr("the teacher token could not be kept on this device: %1")
                         .arg(QString::fromStdString(kept.error().message));
            emit changed();
        });
}

void TeacherModel::accept(const QList<client::ClassInfo>& classes) {
    active_ = true;
    error_.clear();
    classes_ = classes;
    bool still = false;
    for (const auto& c : classes_) still = still || c.id == class_id_;
    if (!still) class_id_ = classes_.isEmpty() ? QString() : classes_.front().id;
    client_->startStream();
    emit changed();
    readGrid();
}

void TeacherModel::forget(const QString& why) {
    ++generation_;
    if (client_) {
        client_->stopStream();
        client_->setToken({});
    }
    active_ = false;
    checking_ = false;
    loading_ = false;
    classes_.clear();
    class_id_.clear();
    heatmap_.setGrid({});
    error_ = why;
    keepToken(QString());
    emit changed();
    emit left();
}

void TeacherModel::leave() {
    forget(QString());
}

void TeacherModel::selectClass(const QString& id) {
    if (id == class_id_) return;
    class_id_ = id;
    ++generation_;
    loading_ = false;
    heatmap_.setGrid({});
    emit changed();
    readGrid();
}

void TeacherModel::refresh() {
    if (!client_ || !active_) return;
    const quint64 generation = generation_;
    client_->classes([this, generation](Result<QList<client::ClassInfo>> classes) {
        if (generation != generation_) return;
        if (!classes) {
            error_ = QString::fromStdString(classes.error().message);
            return emit changed();
        }
        accept(*classes);
    });
}

// One read at a time; a "mastery" message during one reads once more after.
void TeacherModel::readGrid() {
    if (!client_ || !active_ || class_id_.isEmpty()) return;
    if (loading_) {
        reread_ = true;
        return;
    }
    loading_ = true;
    reread_ = false;
    const quint64 generation = generation_;
    emit changed();
    client_->classMastery(class_id_, QString(), [this, generation](Result<client::MasteryGrid> grid) {
        if (generation != generation_) return;
        loading_ = false;
        if (!grid) {
            error_ = QString::fromStdString(grid.error().message);
        } else {
            error_.clear();
            heatmap_.setGrid(*grid);
        }
        emit changed();
        if (reread_) readGrid();
    });
}

}  // namespace kite::ui
