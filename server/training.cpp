#include "kite/training.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

#include "kite/bkt_fit.h"
#include "kite/dataset.h"
#include "kite/dkt_model_io.h"
#include "kite/dkt_train.h"
#include "kite/sql.h"
#include "kite/wire.h"

namespace kite::server {

namespace {

// One answer as the trainers need it.
struct Answered {
    QString course;
    QStringList skills;
    bool correct = false;
    std::int64_t answered_at = 0;  // Unix ms
    std::int64_t order = 0;        // order of receipt, to break ties
};

// Each learner's answers in the order they were given.
struct Sequences {
    std::map<QString, std::vector<Answered>> by_learner;
    std::int64_t answers = 0;
    std::int64_t last_event = 0;  // the last event read (ModelStore::markTrained)
};

Result<Sequences> readSequences(ModelStore& models, const QString& school) {
    auto attempts = models.attempts(school);
    if (!attempts) return attempts.error();
    Sequences out;
    out.last_event = attempts->last_event;
    std::int64_t order = 0;
    for (const QByteArray& payload : attempts->payloads) {
        // Checked at push; an answer that does not parse now (a rule newer
        // than the event) is left out of training.
        auto a = wire::parseAttemptPayload(payload);
        if (!a) continue;
        out.by_learner[a->learner].push_back(Answered{a->course, a->skills, a->correct, a->answered_at, order++});
        ++out.answers;
    }
    for (auto& [learner, answers] : out.by_learner)
        std::sort(answers.begin(), answers.end(), [](const Answered& x, const Answered& y) {
            return std::tie(x.answered_at, x.order) < std::tie(y.answered_at, y.order);
        });
    return out;
}

Outcome outcomeOf(const Answered& a) {
    return a.correct ? Outcome::kCorrect : Outcome::kWrong;
}

// The answers of one course, one per skill of each answer, grouped by learner.
Dataset courseDataset(const Sequences& sequences, const QString& course) {
    Dataset data;
    for (const auto& [learner, answers] : sequences.by_learner) {
        std::int32_t student = -1;
        for (const Answered& a : answers) {
            if (a.course != course) continue;
            if (student < 0) student = data.students.intern(learner.toStdString());
            for (const QString& skill : a.skills)
                data.answers.push_back(Answer{student, data.skills.intern(skill.toStdString()), -1, outcomeOf(a)});
        }
    }
    return data;
}

// The name of a skill in a DKT model: skills are per course.
std::string dktSkillName(const QString& course, const QString& skill) {
    return (course + QLatin1Char('\t') + skill).toStdString();
}

// Adds a learner's answers to `data` (one per skill of each answer).
void addLearner(Dataset& data, const QString& learner, const std::vector<Answered>& answers) {
    const std::int32_t student = data.students.intern(learner.toStdString());
    for (const Answered& a : answers)
        for (const QString& skill : a.skills)
            data.answers.push_back(Answer{student, data.skills.find(dktSkillName(a.course, skill)), -1, outcomeOf(a)});
}

// Validation learners: a fifth (at least one), chosen by a hash of their id
// so that the split is the same from run to run.
std::set<QString> validationLearners(const Sequences& sequences) {
    std::vector<std::pair<QByteArray, QString>> ranked;
    for (const auto& [learner, answers] : sequences.by_learner)
        ranked.emplace_back(QCryptographicHash::hash(learner.toUtf8(), QCryptographicHash::Sha256), learner);
    std::sort(ranked.begin(), ranked.end());
    const std::size_t n = std::max<std::size_t>(1, (ranked.size() + 4) / 5);
    std::set<QString> out;
    for (std::size_t i = 0; i < n && i < ranked.size(); ++i) out.insert(ranked[i].second);
    return out;
}

}  // namespace

Result<JobOutcome> refitBkt(const QString& school, ModelStore& models, ServerStore& changes,
                            const TrainingSettings& settings, const JobContext& context) {
    context.progress(0.0, QStringLiteral("reading answers"));
    auto sequences = readSequences(models, school);
    if (!sequences) return sequences.error();
    std::set<QString> courses;
    for (const auto& [learner, answers] : sequences->by_learner)
        for (const Answered& a : answers) courses.insert(a.course);

    QList<FittedSkill> fitted;
    int skipped = 0;
    int done = 0;
    for (const QString& course : courses) {
        const Dataset data = courseDataset(*sequences, course);
        // Skills without enough answers keep what they had.
        std::vector<long long> counts(static_cast<std::size_t>(data.skills.size()), 0);
        for (const Answer& a : data.answers) ++counts[static_cast<std::size_t>(a.skill)];
        bkt::FitOptions options;
        options.threads = 1;
        // Keep guess and slip below one half: above it "knowing" would mean
        // answering wrong, a reading EM can drift to on little data.
        options.guess = {0.0, 0.3};
        options.slip = {0.0, 0.3};
        options.stop_requested = context.stop_requested;
        const double share = 1.0 / static_cast<double>(courses.size());
        const double base = share * done;
        options.progress = [&](int skillsDone, int skills) {
            context.progress(
                base + share * skillsDone / std::max(1, skills),
                QStringLiteral("fitting course %1: %2 of %3 skills").arg(course).arg(skillsDone).arg(skills));
        };
        auto model = bkt::fit(data, options);
        if (!model) return model.error();
        for (const bkt::SkillModel& s : model->skills) {
            const auto index = static_cast<std::size_t>(data.skills.find(s.name));
            if (counts[index] < settings.bkt_min_answers_per_skill) {
                ++skipped;
                continue;
            }
            fitted.push_back(FittedSkill{course, QString::fromStdString(s.name), s.params, s.answers});
        }
        ++done;
    }
    if (context.stop_requested && context.stop_requested()) return Error{"stopped"};
    if (fitted.isEmpty()) {
        if (auto s = models.markTrained(school, JobKind::BktRefit, sequences->last_event); !s) return s.error();
        const QString why =
            QStringLiteral("skipped: no skill has %1 answers yet").arg(settings.bkt_min_answers_per_skill);
        return JobOutcome{why,
                          {{QStringLiteral("skipped"), true},
                           {QStringLiteral("reason"), why},
                           {QStringLiteral("answers"), static_cast<double>(sequences->answers)}}};
    }
    auto version = models.saveBktParams(school, fitted);
    if (!version) return version.error();
    // One change per skill, in the protocol's shape (wire::BktParamsChange).
    std::set<QString> fittedCourses;
    for (const FittedSkill& s : fitted) {
        fittedCourses.insert(s.course);
        const wire::BktParamsChange change{s.course, s.skill, s.params.prior, s.params.learn, s.params.forget,
                                           s.params.guess, s.params.slip};
        QJsonObject body = wire::toJson(wire::PullChange{change});
        body.insert(QStringLiteral("version"), static_cast<double>(*version));
        if (auto c = changes.appendChange(school, QString(), QStringLiteral("bkt_params"), body); !c) return c.error();
    }
    if (auto s = models.markTrained(school, JobKind::BktRefit, sequences->last_event); !s) return s.error();
    const QString message = QStringLiteral("fitted %1 skills of %2 courses (version %3)")
                                .arg(fitted.size())
                                .arg(fittedCourses.size())
                                .arg(*version);
    return JobOutcome{message,
                      {{QStringLiteral("version"), static_cast<double>(*version)},
                       {QStringLiteral("skills"), static_cast<int>(fitted.size())},
                       {QStringLiteral("courses"), static_cast<int>(fittedCourses.size())},
                       {QStringLiteral("skipped_skills"), skipped},
                       {QStringLiteral("answers"), static_cast<double>(sequences->answers)}}};
}

Result<JobOutcome> retrainDkt(const QString& school, const QString& dataDir, ModelStore& models,
                              const TrainingSettings& settings, const JobContext& context) {
    context.progress(0.0, QStringLiteral("reading answers"));
    auto sequences = readSequences(models, school);
    if (!sequences) return sequences.error();
    const auto learners = static_cast<std::int64_t>(sequences->by_learner.size());
    if (sequences->answers < settings.dkt_min_answers || learners < settings.dkt_min_learners) {
        if (auto s = models.markTrained(school, JobKind::DktRetrain, sequences->last_event); !s) return s.error();
        const QString why = sequences->answers < settings.dkt_min_answers
                                ? QStringLiteral("skipped: not enough answers (have %1, need %2)")
                                      .arg(sequences->answers)
                                      .arg(settings.dkt_min_answers)
                                : QStringLiteral("skipped: not enough learners (have %1, need %2)")
                                      .arg(learners)
                                      .arg(settings.dkt_min_learners);
        return JobOutcome{why,
                          {{QStringLiteral("skipped"), true},
                           {QStringLiteral("reason"), why},
                           {QStringLiteral("answers"), static_cast<double>(sequences->answers)},
                           {QStringLiteral("learners"), static_cast<double>(learners)}}};
    }

    // One skill table for both parts, so that indices agree.
    Dataset train;
    for (const auto& [learner, answers] : sequences->by_learner)
        for (const Answered& a : answers)
            for (const QString& skill : a.skills) train.skills.intern(dktSkillName(a.course, skill));
    Dataset valid;
    valid.skills = train.skills;
    const std::set<QString> held = validationLearners(*sequences);
    for (const auto& [learner, answers] : sequences->by_learner)
        addLearner(held.count(learner) ? valid : train, learner, answers);

    dkt::TrainOptions options;
    options.hidden = settings.dkt_hidden;
    options.max_epochs = settings.dkt_max_epochs;
    options.patience = settings.dkt_patience;
    options.batch = settings.dkt_batch;
    options.threads = 1;
    options.stop_requested = context.stop_requested;
    options.on_epoch = [&](const dkt::EpochReport& r) {
        context.progress(0.05 + 0.9 * r.epoch / r.max_epochs,
                         QStringLiteral("epoch %1 of at most %2: validation AUC %3")
                             .arg(r.epoch)
                             .arg(r.max_epochs)
                             .arg(r.valid_auc, 0, 'f', 4));
    };
    context.progress(0.05, QStringLiteral("training on %1 learners").arg(learners - static_cast<qint64>(held.size())));
    auto trained = dkt::train(train, &valid, options);
    if (!trained) return trained.error();

    auto version = models.nextModelVersion(school);
    if (!version) return version.error();
    const QString folder = QDir(dataDir).filePath(QStringLiteral("models/") + school);
    if (!QDir().mkpath(folder)) return Error{folder.toStdString() + ": cannot create the folder"};
    const QString path = QDir(folder).filePath(QStringLiteral("%1.kdkt").arg(*version));
    const std::int64_t created = nowMs();
    if (auto s = dkt::saveModel(path.toStdString(), *trained, {created / 1000}); !s) return s.error();

    ModelVersion record;
    record.school = school;
    record.version = *version;
    record.valid_auc = trained->valid_auc;
    record.created_at = created;
    record.path = path;
    record.answers = sequences->answers;
    record.learners = learners;
    auto added = models.addModel(record, kModelsKept);
    if (!added) return added.error();
    if (auto s = models.markTrained(school, JobKind::DktRetrain, sequences->last_event); !s) return s.error();

    QJsonObject result{{QStringLiteral("version"), *version},
                       {QStringLiteral("valid_auc"), trained->valid_auc},
                       {QStringLiteral("active"), added->active},
                       {QStringLiteral("answers"), static_cast<double>(sequences->answers)},
                       {QStringLiteral("learners"), static_cast<double>(learners)},
                       {QStringLiteral("epochs"), trained->epochs},
                       {QStringLiteral("best_epoch"), trained->best_epoch}};
    QString why;
    if (added->previous) {
        result.insert(QStringLiteral("previous_version"), added->previous->version);
        result.insert(QStringLiteral("previous_auc"), added->previous->valid_auc);
        why = added->active
                  ? QStringLiteral("active: validation AUC %1 is not worse than version %2's %3")
                  : QStringLiteral("kept but not active: validation AUC %1 is worse than active version %2's %3");
        why = why.arg(trained->valid_auc, 0, 'f', 4)
                  .arg(added->previous->version)
                  .arg(added->previous->valid_auc, 0, 'f', 4);
    } else {
        why = QStringLiteral("active: the school's first model (validation AUC %1)").arg(trained->valid_auc, 0, 'f', 4);
    }
    result.insert(QStringLiteral("reason"), why);
    QJsonArray removed;
    for (const ModelVersion& m : added->removed) removed.append(m.version);
    result.insert(QStringLiteral("removed_versions"), removed);
    return JobOutcome{QStringLiteral("version %1 %2").arg(*version).arg(why), result};
}

}  // namespace kite::server
