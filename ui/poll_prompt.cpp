#include "kite/poll_prompt.h"

#include <algorithm>

#include "kite/course.h"
#include "kite/store.h"

namespace kite::ui {

namespace {

struct ItemText {
    QString prompt;
    QStringList choices;  // multiple choice or select: the answers to pick from
};

}  // namespace

PollPrompt::PollPrompt(store::AsyncStore& store, QObject* parent) : QObject(parent), store_(store) {}

const PollPrompt::Shown* PollPrompt::current() const {
    if (learner_uid_.isEmpty()) return nullptr;
    for (auto it = open_.crbegin(); it != open_.crend(); ++it)
        if (!dismissed_.contains(seenKey(it->poll.id))) return &*it;
    return nullptr;
}

bool PollPrompt::active() const {
    return current() != nullptr;
}

QString PollPrompt::pollId() const {
    const Shown* s = current();
    return s ? s->poll.id : QString();
}

QString PollPrompt::question() const {
    const Shown* s = current();
    return s ? s->question : QString();
}

QStringList PollPrompt::options() const {
    const Shown* s = current();
    return s ? s->options : QStringList();
}

QString PollPrompt::answeredWith() const {
    const Shown* s = current();
    return s ? answers_.value(seenKey(s->poll.id)) : QString();
}

void PollPrompt::pollOpened(const QJsonObject& json) {
    auto poll = client::parseLivePoll(json);
    if (!poll || !poll->open) return;
    for (const Shown& s : std::as_const(open_))
        if (s.poll.id == poll->id) return;  // told again on reconnecting
    Shown shown{*poll, poll->question, poll->options};
    if (poll->item.isEmpty()) {
        open_.append(shown);
        return emit changed();
    }
    // An item's poll: its prompt and choices from the installed course.
    store_.run<ItemText>(
        [course = poll->item_course, item = poll->item](store::Store& s) -> Result<ItemText> {
            auto c = s.loadCourse(course);
            if (!c) return c.error();
            for (const course::Item& i : c->items) {
                if (i.id != item) continue;
                const bool pick = i.type == course::ItemType::MultipleChoice || i.type == course::ItemType::MultipleSelect;
                return ItemText{i.prompt, pick ? i.choices : QStringList()};
            }
            return Error{QStringLiteral("course '%1' has no item '%2'").arg(course, item).toStdString()};
        },
        this,
        [this, shown](Result<ItemText> text) mutable {
            if (std::none_of(open_.cbegin(), open_.cend(), [&](const Shown& s) { return s.poll.id == shown.poll.id; })) {
                if (text) {
                    shown.question = shown.question.isEmpty() ? text->prompt : shown.question + QLatin1String("\n\n") + text->prompt;
                    shown.options = text->choices;
                } else if (shown.question.isEmpty()) {
                    shown.question = tr("Your teacher asks about item %1 of %2, which this device does not have.")
                                         .arg(shown.poll.item, shown.poll.item_course);
                }
                open_.append(shown);
            }
            emit changed();
        });
}

void PollPrompt::pollClosed(const QString& pollId) {
    const auto before = open_.size();
    open_.removeIf([&](const Shown& s) { return s.poll.id == pollId; });
    if (open_.size() == before) return;
    sending_ = false;
    error_.clear();
    emit changed();
}

void PollPrompt::setLearner(qint64 learner) {
    learner_ = learner;
    learner_uid_.clear();
    error_.clear();
    emit changed();
    if (learner <= 0) return;
    store_.run<QString>(
        [learner](store::Store& s) -> Result<QString> {
            auto all = s.learners();
            if (!all) return all.error();
            for (const store::Learner& l : *all)
                if (l.id == learner) return l.uid;
            return QString();
        },
        this,
        [this, learner](Result<QString> uid) {
            if (learner != learner_ || !uid) return;
            learner_uid_ = *uid;
            emit changed();
        });
}

void PollPrompt::answer(const QString& text) {
    const Shown* s = current();
    const QString a = text.trimmed();
    if (!s || sending_) return;
    if (a.isEmpty() || a.size() > 200) {
        error_ = tr("write an answer of 1 to 200 characters");
        return emit changed();
    }
    sending_ = true;
    error_.clear();
    answers_.insert(seenKey(s->poll.id), a);
    emit changed();
    emit answerRequested(s->poll.id, learner_uid_, a);
}

void PollPrompt::answered(const QString& pollId, bool ok, const QString& message) {
    if (!sending_) return;
    sending_ = false;
    if (!ok) {
        answers_.remove(seenKey(pollId));
        error_ = message;
    } else {
        error_.clear();
    }
    emit changed();
}

void PollPrompt::dismiss() {
    const Shown* s = current();
    if (!s) return;
    dismissed_.insert(seenKey(s->poll.id));
    error_.clear();
    emit changed();
}

}  // namespace kite::ui
