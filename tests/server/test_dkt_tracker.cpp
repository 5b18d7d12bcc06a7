// The DKT tracker on real SQLite files: a learner replayed from their stored
// answers ends in exactly the state of one stepped through answer by answer,
// and both are the engine's own steps (unknown skills skipped, every skill of
// a multi-skill answer one step, in order).

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "kite/dkt.h"
#include "kite/dkt_model_io.h"
#include "kite/dkt_tracker.h"
#include "kite/job_store.h"
#include "kite/mastery_worker.h"
#include "kite/server_store.h"
#include "kite/sql.h"
#include "kite/wire.h"

namespace {

using namespace kite;
using namespace kite::server;

const QString kLearner = QStringLiteral("0190f5b2-0000-7000-8000-00000000000a");

struct Step {
    QStringList skills;
    bool correct;
};

// Mixed answers: a multi-skill one, and one on a skill the model never saw.
const std::vector<Step> kAnswers = {
    {{"parts"}, true},  {{"compare"}, false}, {{"parts", "add"}, true}, {{"unknown"}, false},
    {{"add"}, false},   {{"parts"}, true},    {{"compare"}, true},      {{"add", "compare"}, false},
    {{"parts"}, false}, {{"add"}, true},      {{"compare"}, true},      {{"parts"}, true},
};

dkt::TrainedModel testModel() {
    dkt::TrainedModel m;
    m.weights = dkt::Weights<float>(3, 8);
    m.weights.initialise(42);
    m.skill_names = {"fractions\tparts", "fractions\tcompare", "fractions\tadd"};
    return m;
}

IncomingEvent attempt(const QString& device, int i) {
    wire::AttemptPayload a;
    a.id = QStringLiteral("0190f5b2-0000-7000-8000-%1").arg(i, 12, 10, QLatin1Char('0'));
    a.device = device;
    a.learner = kLearner;
    a.course = QStringLiteral("fractions");
    a.course_version = 1;
    a.item = QStringLiteral("item-%1").arg(i);
    a.skills = kAnswers[static_cast<std::size_t>(i)].skills;
    a.correct = kAnswers[static_cast<std::size_t>(i)].correct;
    a.score = a.correct ? 1.0 : 0.0;
    a.answered_at = 1'795'000'000'000 + i * 1000;
    return IncomingEvent{i + 1, a.id, QStringLiteral("attempt"), kLearner,
                         QJsonDocument(wire::toJson(a)).toJson(QJsonDocument::Compact)};
}

// One data folder: a school, a device, and the worker's pieces.
class Folder {
public:
    Folder() {
        EXPECT_TRUE(dir_.isValid());
        auto s = openSqliteStore(dir_.path(), QStringLiteral("test"));
        EXPECT_TRUE(s) << s.error().message;
        store_ = std::move(*s);
        auto m = openSqliteModelStore(dir_.path(), QStringLiteral("test-models"));
        EXPECT_TRUE(m) << m.error().message;
        models_ = std::move(*m);
        auto t = DktTracker::open(dir_.path(), *models_, std::chrono::milliseconds(0));
        EXPECT_TRUE(t) << t.error().message;
        tracker_ = std::move(*t);
        const auto school = store_->createSchool(QStringLiteral("Hill"));
        EXPECT_TRUE(school);
        const auto device = store_->enroll(school->enrollment_code, QStringLiteral("tablet"));
        EXPECT_TRUE(device);
        device_ = Principal{school->school_id, Role::Device, device->device_id};
    }
    void activateModel() {
        const QString path = QDir(dir_.path()).filePath(QStringLiteral("model-1.kdkt"));
        ASSERT_TRUE(dkt::saveModel(path.toStdString(), testModel(), {}));
        ModelVersion v;
        v.school = device_.school;
        v.version = 1;
        v.valid_auc = 0.7;
        v.path = path;
        ASSERT_TRUE(models_->addModel(v, kModelsKept));
    }
    void answer(int i) {
        ASSERT_TRUE(store_->push(device_, {attempt(device_.subject, i)}));
        auto n = processMasteryBatch(*store_, 100, nullptr, nullptr, 0, 1, tracker_.get());
        ASSERT_TRUE(n) << n.error().message;
        ASSERT_EQ(*n, 1);
    }
    // The learner's stored state row: state bytes, answers, through_event.
    std::tuple<QByteArray, qint64, qint64, int> stateRow() {
        auto c = SqlConnection::open(dir_.path(), QStringLiteral("check"));
        EXPECT_TRUE(c);
        QSqlQuery q((*c)->db());
        q.prepare(
            QStringLiteral("SELECT state, answers, through_event, model_version FROM dkt_states "
                           "WHERE school = ? AND learner = ?"));
        q.addBindValue(device_.school);
        q.addBindValue(kLearner);
        EXPECT_TRUE(q.exec());
        if (!q.next()) return {};
        return {q.value(0).toByteArray(), q.value(1).toLongLong(), q.value(2).toLongLong(), q.value(3).toInt()};
    }
    // The learner's "dkt" mastery, "course\tskill" -> P(correct).
    std::map<QString, double> dktMastery() {
        auto c = SqlConnection::open(dir_.path(), QStringLiteral("check"));
        EXPECT_TRUE(c);
        QSqlQuery q((*c)->db());
        q.prepare(
            QStringLiteral("SELECT course, skill, p FROM mastery WHERE school = ? AND learner = ? AND "
                           "model = 'dkt'"));
        q.addBindValue(device_.school);
        q.addBindValue(kLearner);
        EXPECT_TRUE(q.exec());
        std::map<QString, double> out;
        while (q.next()) out[q.value(0).toString() + QLatin1Char('\t') + q.value(1).toString()] = q.value(2).toDouble();
        return out;
    }

private:
    QTemporaryDir dir_;
    std::unique_ptr<ServerStore> store_;
    std::unique_ptr<ModelStore> models_;
    std::unique_ptr<DktTracker> tracker_;
    Principal device_;
};

class DktTrackerTest : public ::testing::Test {
protected:
    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
};

TEST_F(DktTrackerTest, ReplayingAHistoryGivesTheStateOfSteppingAnswerByAnswer) {
    const int n = static_cast<int>(kAnswers.size());
    // Stepped: the model is active from the first answer.
    Folder stepped;
    stepped.activateModel();
    for (int i = 0; i < n; ++i) stepped.answer(i);

    // Replayed: all but the last answer come before any model (BKT only);
    // the last one finds no state and replays the whole history.
    Folder replayed;
    for (int i = 0; i < n - 1; ++i) replayed.answer(i);
    EXPECT_TRUE(replayed.dktMastery().empty()) << "no model: BKT alone";
    EXPECT_EQ(std::get<1>(replayed.stateRow()), 0);
    replayed.activateModel();
    replayed.answer(n - 1);

    // The engine's own steps over the same answers.
    const dkt::TrainedModel model = testModel();
    dkt::State<float> state = dkt::initialState(model.weights);
    for (const Step& s : kAnswers)
        for (const QString& skill : s.skills) {
            const QStringList names = {QStringLiteral("parts"), QStringLiteral("compare"), QStringLiteral("add")};
            const auto k = names.indexOf(skill);
            if (k >= 0) dkt::advance(model.weights, state, static_cast<std::int32_t>(k), s.correct);
        }
    const auto expected = dkt::encodeState(state);
    const QByteArray expectedBytes(reinterpret_cast<const char*>(expected.data()),
                                   static_cast<qsizetype>(expected.size()));

    const auto a = stepped.stateRow();
    const auto b = replayed.stateRow();
    EXPECT_EQ(std::get<0>(a), expectedBytes);
    EXPECT_EQ(std::get<0>(b), expectedBytes);
    EXPECT_EQ(std::get<1>(a), n) << "every answer once";
    EXPECT_EQ(std::get<1>(b), n);
    EXPECT_EQ(std::get<2>(a), std::get<2>(b)) << "through the same event";
    EXPECT_EQ(std::get<3>(b), 1);

    const auto pa = stepped.dktMastery();
    const auto pb = replayed.dktMastery();
    ASSERT_EQ(pa.size(), 3u) << "one row per known skill; none for the unknown one";
    ASSERT_EQ(pb.size(), 3u);
    for (std::int32_t k = 0; k < 3; ++k) {
        const QString name = QString::fromStdString(model.skill_names[static_cast<std::size_t>(k)]);
        EXPECT_NEAR(pb.at(name), static_cast<double>(dkt::predict(model.weights, state, k)), 1e-6)
            << name.toStdString();
    }
    // The stepped folder's rows of skills last touched earlier were
    // predicted then, so only the last answer's skill is compared.
    EXPECT_DOUBLE_EQ(pa.at(QStringLiteral("fractions\tparts")), pb.at(QStringLiteral("fractions\tparts")));
}

}  // namespace
