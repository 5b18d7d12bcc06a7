#include "kite/poll_model.h"

#include "kite/course.h"
#include "kite/store.h"

namespace kite::ui {

PollModel::PollModel(TeacherModel& teacher, store::AsyncStore& store, QObject* parent)
    : QObject(parent), teacher_(teacher), store_(store) {
    auto follow = [this] {
        if (client::TeacherClient* c = teacher_.client())
            connect(c, &client::TeacherClient::pollResults, this, &PollModel::onResults);
    };
    follow();
    connect(&teacher_, &TeacherModel::clientChanged, this, follow);
    connect(&teacher_, &TeacherModel::left, this, [this] {
        poll_.reset();
        state_ = QStringLiteral("idle");
        error_.clear();
        emit changed();
    });
}

QString PollModel::question() const {
    if (!poll_) return {};
    if (!poll_->question.isEmpty()) return poll_->question;
    return label_;
}

QVariantList PollModel::results() const {
    QVariantList out;
    if (!poll_) return out;
    for (const auto& [answer, count] : poll_->counts)
        out << QVariantMap{{QStringLiteral("answer"), answer},
                           {QStringLiteral("count"), count},
                           {QStringLiteral("fraction"), poll_->answered > 0 ? double(count) / poll_->answered : 0.0}};
    return out;
}

void PollModel::fail(const QString& message) {
    error_ = message;
    emit changed();
}

void PollModel::openQuestion(const QString& question, const QString& optionsText) {
    client::PollRequest request;
    request.question = question.trimmed();
    for (const QString& line : optionsText.split(QLatin1Char('\n'))) {
        const QString option = line.trimmed();
        if (!option.isEmpty() && !request.options.contains(option)) request.options << option;
    }
    if (request.question.isEmpty()) return fail(tr("write the question first"));
    if (request.options.size() < 2) return fail(tr("give at least two different options, one a line"));
    open(request, QString());
}

void PollModel::openItem(const QString& course, const QString& item) {
    client::PollRequest request;
    request.item_course = course;
    request.item = item;
    QString label;
    for (const QVariant& v : std::as_const(items_)) {
        const QVariantMap m = v.toMap();
        if (m.value(QStringLiteral("course")) == course && m.value(QStringLiteral("item")) == item)
            label = m.value(QStringLiteral("label")).toString();
    }
    if (item.isEmpty()) return fail(tr("pick an item of the course first"));
    open(request, label.isEmpty() ? item : label);
}

void PollModel::open(const client::PollRequest& base, const QString& label) {
    client::TeacherClient* c = teacher_.client();
    if (!c || !teacher_.active()) return fail(tr("enter teacher mode first"));
    if (state_ == QLatin1String("opening") || state_ == QLatin1String("open") || state_ == QLatin1String("closing"))
        return fail(tr("close the poll that is open first"));
    client::PollRequest request = base;
    request.class_id = teacher_.classId();
    state_ = QStringLiteral("opening");
    error_.clear();
    emit changed();
    c->openPoll(request, [this, label](Result<client::LivePoll> poll) {
        if (!poll) {
            state_ = poll_ ? QStringLiteral("closed") : QStringLiteral("idle");
            return fail(QString::fromStdString(poll.error().message));
        }
        poll_ = *poll;
        label_ = label;
        state_ = QStringLiteral("open");
        emit changed();
    });
}

void PollModel::close() {
    client::TeacherClient* c = teacher_.client();
    if (!c || !poll_ || state_ != QLatin1String("open")) return;
    state_ = QStringLiteral("closing");
    error_.clear();
    emit changed();
    c->closePoll(poll_->id, [this, id = poll_->id](Result<client::LivePoll> closed) {
        if (!poll_ || poll_->id != id) return;
        if (!closed) {
            state_ = QStringLiteral("open");  // try again
            return fail(QString::fromStdString(closed.error().message));
        }
        poll_->counts = closed->counts;
        poll_->answered = closed->answered;
        poll_->open = false;
        state_ = QStringLiteral("closed");
        emit changed();
    });
}

void PollModel::onResults(const QJsonObject& message) {
    if (!poll_ || message.value(QLatin1String("poll_id")).toString() != poll_->id) return;
    client::applyResults(*poll_, message);
    if (!poll_->open && state_ != QLatin1String("idle")) state_ = QStringLiteral("closed");
    emit changed();
}

void PollModel::loadItems() {
    store_.run<QVariantList>(
        [](store::Store& s) -> Result<QVariantList> {
            auto courses = s.courses();
            if (!courses) return courses.error();
            QVariantList out;
            for (const store::CourseInfo& info : *courses) {
                auto course = s.loadCourse(info.id);
                if (!course) return course.error();
                for (const course::Item& item : course->items) {
                    QString prompt = item.prompt.simplified();
                    if (prompt.size() > 80) prompt = prompt.left(79) + QChar(0x2026);
                    out << QVariantMap{{QStringLiteral("course"), info.id},
                                       {QStringLiteral("item"), item.id},
                                       {QStringLiteral("label"), prompt}};
                }
            }
            return out;
        },
        this,
        [this](Result<QVariantList> items) {
            if (!items) return fail(QString::fromStdString(items.error().message));
            items_ = *items;
            emit itemsChanged();
        });
}

}  // namespace kite::ui
