// Learners, classes and roles on the real kite-server over loopback: an
// admin adds teachers, teachers manage learners and classes, a device gets
// the roster of its classes and pulls its changes, a learner sees only their
// own mastery, a teacher sees a class × skill grid, and no school sees
// another's.

#include "../support/server_fixture.h"
#include "kite/pin_hash.h"

namespace {

using namespace kite::testing;

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QStringList idsOf(const QJsonArray& list) {
    QStringList out;
    for (const QJsonValue& v : list) out << v.toObject()[QStringLiteral("id")].toString();
    return out;
}

class RosterE2E : public ServerFixture {
protected:
    // A teacher of `school`, added by its admin: {"teacher_id", "name", "token"}.
    QJsonObject addTeacher(const QJsonObject& school, const QString& name) {
        const auto r =
            call("POST", QStringLiteral("/v1/teachers"), json({{QStringLiteral("name"), name}}), adminToken(school));
        EXPECT_EQ(r.status, 201) << r.raw.toStdString();
        return r.body;
    }
    // A learner added by `token`; `extra` adds members (id, colour, pin).
    QJsonObject addLearner(const QString& token, const QString& name, QJsonObject extra = {}) {
        extra[QStringLiteral("name")] = name;
        const auto r = call("POST", QStringLiteral("/v1/learners"), json(extra), token);
        EXPECT_EQ(r.status, 201) << r.raw.toStdString();
        return r.body;
    }
    QJsonObject addClass(const QString& token, const QString& name, const QStringList& learners) {
        const auto r = call(
            "POST", QStringLiteral("/v1/classes"),
            json({{QStringLiteral("name"), name}, {QStringLiteral("learners"), QJsonArray::fromStringList(learners)}}),
            token);
        EXPECT_EQ(r.status, 201) << r.raw.toStdString();
        return r.body;
    }
    // The device's id, from the staff's device list (by name).
    QString deviceId(const QString& token, const QString& name) {
        const auto r = call("GET", QStringLiteral("/v1/devices"), {}, token);
        EXPECT_EQ(r.status, 200);
        for (const QJsonValue& d : r.body[QStringLiteral("devices")].toArray())
            if (d.toObject()[QStringLiteral("name")].toString() == name)
                return d.toObject()[QStringLiteral("id")].toString();
        ADD_FAILURE() << "no device " << name.toStdString();
        return {};
    }
    void assign(const QString& token, const QString& device, const QStringList& classes) {
        const auto r = call("PUT", QStringLiteral("/v1/devices/%1/classes").arg(device),
                            json({{QStringLiteral("classes"), QJsonArray::fromStringList(classes)}}), token);
        EXPECT_EQ(r.status, 200) << r.raw.toStdString();
    }
    // Every change the device pulls after `cursor` (which moves on), checked
    // against the protocol's own parser.
    QJsonArray pullAll(const QString& device, QString& cursor) {
        QJsonArray all;
        for (;;) {
            const auto r = call("GET", QStringLiteral("/v1/sync/pull?cursor=") + cursor, {}, device);
            EXPECT_EQ(r.status, 200);
            const auto parsed = kite::wire::parsePullReply(r.raw);
            EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message.toStdString());
            for (const QJsonValue& c : r.body[QStringLiteral("changes")].toArray()) all.append(c);
            cursor = r.body[QStringLiteral("cursor")].toString();
            if (!r.body[QStringLiteral("more")].toBool()) return all;
        }
    }
    // The "learner" changes among `changes`, by learner id (the last wins).
    static std::map<QString, QJsonObject> learnerChanges(const QJsonArray& changes) {
        std::map<QString, QJsonObject> out;
        for (const QJsonValue& v : changes)
            if (v.toObject()[QStringLiteral("kind")].toString() == QLatin1String("learner"))
                out[v.toObject()[QStringLiteral("id")].toString()] = v.toObject();
        return out;
    }
    void push(const QString& device, const QString& learner, std::int64_t firstSeq, int n) {
        const auto r = call("POST", QStringLiteral("/v1/sync/push"), pushBody(learner, firstSeq, n, learner), device);
        ASSERT_EQ(r.status, 202) << r.raw.toStdString();
    }
    // Waits (with a deadline) until `learnerToken` sees `attempts` answers
    // on the skill "parts"; returns their mastery rows.
    QJsonArray waitForMastery(const QString& learnerToken, int attempts) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        QJsonArray rows;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto r = call("GET", QStringLiteral("/v1/me/mastery"), {}, learnerToken);
            EXPECT_EQ(r.status, 200);
            rows = r.body[QStringLiteral("mastery")].toArray();
            for (const QJsonValue& m : rows)
                if (m.toObject()[QStringLiteral("attempts")].toInt() == attempts) return rows;
        }
        ADD_FAILURE() << "no mastery of " << attempts << " answers within 30 s";
        return rows;
    }
    QString learnerToken(const QString& staffToken, const QString& learner) {
        const auto r = call("POST", QStringLiteral("/v1/learners/%1/token").arg(learner), {}, staffToken);
        EXPECT_EQ(r.status, 201) << r.raw.toStdString();
        EXPECT_EQ(r.body[QStringLiteral("learner_id")].toString(), learner);
        return r.body[QStringLiteral("token")].toString();
    }
};

}  // namespace

TEST_F(RosterE2E, AnAdminAddsTeachersWhoManageLearnersAndClasses) {
    const QJsonObject teacher = addTeacher(school_, QStringLiteral("Ms Rivera"));
    const QString token = teacher[QStringLiteral("token")].toString();
    EXPECT_GE(QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding).size(), 32) << "256 bits";
    auto teachers = call("GET", QStringLiteral("/v1/teachers"), {}, adminToken(school_));
    ASSERT_EQ(teachers.status, 200);
    ASSERT_EQ(teachers.body[QStringLiteral("teachers")].toArray().size(), 1);
    EXPECT_EQ(teachers.body[QStringLiteral("teachers")][0][QStringLiteral("name")].toString(),
              QStringLiteral("Ms Rivera"));
    EXPECT_TRUE(teachers.body[QStringLiteral("teachers")][0][QStringLiteral("active")].toBool());

    const QJsonObject ada = addLearner(
        token, QStringLiteral("Ada"),
        {{QStringLiteral("colour"), QStringLiteral("#2A7AB0")}, {QStringLiteral("pin"), QStringLiteral("4321")}});
    EXPECT_EQ(ada[QStringLiteral("colour")].toString(), QStringLiteral("#2a7ab0"));
    EXPECT_TRUE(ada[QStringLiteral("has_pin")].toBool());
    EXPECT_FALSE(ada.contains(QStringLiteral("pin_hash"))) << "staff lists do not carry the hash";
    const QString chosenId = uuidFor(QStringLiteral("Grace"), 0);
    const QJsonObject grace = addLearner(token, QStringLiteral("Grace"), {{QStringLiteral("id"), chosenId}});
    EXPECT_EQ(grace[QStringLiteral("id")].toString(), chosenId) << "the client's id is kept";
    EXPECT_FALSE(grace[QStringLiteral("colour")].toString().isEmpty()) << "a default colour";
    const QString adaId = ada[QStringLiteral("id")].toString();
    // The same id again is a conflict.
    EXPECT_EQ(call("POST", QStringLiteral("/v1/learners"),
                   json({{QStringLiteral("id"), chosenId}, {QStringLiteral("name"), QStringLiteral("Again")}}), token)
                  .status,
              409);

    auto renamed = call(
        "PATCH", QStringLiteral("/v1/learners/") + adaId,
        json({{QStringLiteral("name"), QStringLiteral("Ada L.")}, {QStringLiteral("pin"), QJsonValue::Null}}), token);
    ASSERT_EQ(renamed.status, 200) << renamed.raw.toStdString();
    EXPECT_EQ(renamed.body[QStringLiteral("name")].toString(), QStringLiteral("Ada L."));
    EXPECT_FALSE(renamed.body[QStringLiteral("has_pin")].toBool()) << "null removes the PIN";
    EXPECT_EQ(renamed.body[QStringLiteral("colour")].toString(), QStringLiteral("#2a7ab0")) << "unchanged";

    const QJsonObject klass = addClass(token, QStringLiteral("4B"), {adaId, chosenId});
    const QString classId = klass[QStringLiteral("id")].toString();
    EXPECT_EQ(klass[QStringLiteral("learners")].toArray().size(), 2);
    auto renamedClass = call("PATCH", QStringLiteral("/v1/classes/") + classId,
                             json({{QStringLiteral("name"), QStringLiteral("5B")}}), token);
    EXPECT_EQ(renamedClass.body[QStringLiteral("name")].toString(), QStringLiteral("5B"));
    // The admin sees what the teacher made.
    auto classes = call("GET", QStringLiteral("/v1/classes"), {}, adminToken(school_));
    ASSERT_EQ(classes.status, 200);
    EXPECT_EQ(idsOf(classes.body[QStringLiteral("classes")].toArray()), QStringList{classId});

    // Taking one out, putting them back, and the whole list replaced.
    EXPECT_EQ(call("DELETE", QStringLiteral("/v1/classes/%1/learners/%2").arg(classId, chosenId), {}, token)
                  .body[QStringLiteral("learners")]
                  .toArray()
                  .size(),
              1);
    EXPECT_EQ(call("POST", QStringLiteral("/v1/classes/%1/learners/%2").arg(classId, chosenId), {}, token)
                  .body[QStringLiteral("learners")]
                  .toArray()
                  .size(),
              2);
    auto replaced = call("PUT", QStringLiteral("/v1/classes/%1/learners").arg(classId),
                         json({{QStringLiteral("learners"), QJsonArray{chosenId}}}), token);
    EXPECT_EQ(replaced.body[QStringLiteral("learners")].toArray(), QJsonArray{chosenId});

    // A removed learner is hidden from lists and classes; a second removal is a 404.
    ASSERT_EQ(call("PUT", QStringLiteral("/v1/classes/%1/learners").arg(classId),
                   json({{QStringLiteral("learners"), QJsonArray{chosenId, adaId}}}), token)
                  .status,
              200);
    ASSERT_EQ(call("DELETE", QStringLiteral("/v1/learners/") + adaId, {}, token).status, 200);
    const auto learners = call("GET", QStringLiteral("/v1/learners"), {}, token);
    EXPECT_EQ(idsOf(learners.body[QStringLiteral("learners")].toArray()), QStringList{chosenId});
    EXPECT_EQ(
        call("GET", QStringLiteral("/v1/classes/") + classId, {}, token).body[QStringLiteral("learners")].toArray(),
        QJsonArray{chosenId});
    EXPECT_EQ(call("GET", QStringLiteral("/v1/learners/") + adaId, {}, token).status, 404);
    EXPECT_EQ(call("DELETE", QStringLiteral("/v1/learners/") + adaId, {}, token).status, 404);

    ASSERT_EQ(call("DELETE", QStringLiteral("/v1/classes/") + classId, {}, token).status, 200);
    EXPECT_TRUE(
        call("GET", QStringLiteral("/v1/classes"), {}, token).body[QStringLiteral("classes")].toArray().isEmpty());
}

TEST_F(RosterE2E, ADeviceGetsTheRosterOfItsClassesAndPullsEveryChangeToIt) {
    const QString staff = addTeacher(school_, QStringLiteral("Mr Okafor"))[QStringLiteral("token")].toString();
    const QString kiosk = enroll(school_, "room 12 kiosk");
    const QString kioskId = deviceId(staff, QStringLiteral("room 12 kiosk"));
    const QString ada = addLearner(staff, QStringLiteral("Ada"),
                                   {{QStringLiteral("pin"), QStringLiteral("2468")}})[QStringLiteral("id")]
                            .toString();
    const QString ben = addLearner(staff, QStringLiteral("Ben"))[QStringLiteral("id")].toString();
    const QString cai = addLearner(staff, QStringLiteral("Cai"))[QStringLiteral("id")].toString();
    const QString klass = addClass(staff, QStringLiteral("4B"), {ada, ben})[QStringLiteral("id")].toString();

    QString cursor;
    auto roster = call("GET", QStringLiteral("/v1/roster"), {}, kiosk);
    ASSERT_EQ(roster.status, 200);
    EXPECT_TRUE(roster.body[QStringLiteral("learners")].toArray().isEmpty()) << "no classes yet";
    EXPECT_TRUE(learnerChanges(pullAll(kiosk, cursor)).empty()) << "nothing of learners it does not serve";

    assign(staff, kioskId, {klass});
    roster = call("GET", QStringLiteral("/v1/roster"), {}, kiosk);
    ASSERT_EQ(roster.status, 200);
    const QJsonArray served = roster.body[QStringLiteral("learners")].toArray();
    ASSERT_EQ(idsOf(served), (QStringList{ada, ben}));
    EXPECT_EQ(roster.body[QStringLiteral("classes")][0][QStringLiteral("name")].toString(), QStringLiteral("4B"));
    const QJsonObject first = served[0].toObject();
    EXPECT_TRUE(first[QStringLiteral("has_pin")].toBool());
    EXPECT_TRUE(kite::pinMatches(QStringLiteral("2468"), first[QStringLiteral("pin_hash")].toString()))
        << "a kiosk checks the PIN offline against the hash";
    EXPECT_FALSE(kite::pinMatches(QStringLiteral("2469"), first[QStringLiteral("pin_hash")].toString()));
    EXPECT_EQ(first[QStringLiteral("classes")].toArray(), QJsonArray{klass});
    EXPECT_FALSE(served[1].toObject().contains(QStringLiteral("pin_hash")));

    // The assignment is in the device's pull, one "learner" change each.
    auto changes = learnerChanges(pullAll(kiosk, cursor));
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[ada][QStringLiteral("name")].toString(), QStringLiteral("Ada"));
    EXPECT_EQ(changes[ada][QStringLiteral("pin_hash")], first[QStringLiteral("pin_hash")]);

    // A new member, a new name, a removal: each reaches the device.
    ASSERT_EQ(call("POST", QStringLiteral("/v1/classes/%1/learners/%2").arg(klass, cai), {}, staff).status, 200);
    ASSERT_EQ(call("PATCH", QStringLiteral("/v1/learners/") + ada,
                   json({{QStringLiteral("name"), QStringLiteral("Ada L.")}}), staff)
                  .status,
              200);
    ASSERT_EQ(call("DELETE", QStringLiteral("/v1/learners/") + ben, {}, staff).status, 200);
    changes = learnerChanges(pullAll(kiosk, cursor));
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_EQ(changes[cai][QStringLiteral("name")].toString(), QStringLiteral("Cai"));
    EXPECT_EQ(changes[ada][QStringLiteral("name")].toString(), QStringLiteral("Ada L."));
    EXPECT_TRUE(changes[ben][QStringLiteral("removed")].toBool());
    roster = call("GET", QStringLiteral("/v1/roster"), {}, kiosk);
    EXPECT_EQ(idsOf(roster.body[QStringLiteral("learners")].toArray()), (QStringList{ada, cai}));

    // Another device of the school, serving no class, sees none of it.
    const QString other = enroll(school_, "library kiosk");
    QString otherCursor;
    EXPECT_TRUE(learnerChanges(pullAll(other, otherCursor)).empty());
    EXPECT_TRUE(
        call("GET", QStringLiteral("/v1/roster"), {}, other).body[QStringLiteral("learners")].toArray().isEmpty());

    // Unassigned: the roster is empty again.
    assign(staff, kioskId, {});
    EXPECT_TRUE(
        call("GET", QStringLiteral("/v1/roster"), {}, kiosk).body[QStringLiteral("learners")].toArray().isEmpty());
}

TEST_F(RosterE2E, ALearnerTokenSeesOnlyTheirOwnMastery) {
    const QString staff = addTeacher(school_, QStringLiteral("Ms Rivera"))[QStringLiteral("token")].toString();
    const QString kiosk = enroll(school_, "kiosk");
    // One learner added before their answers arrive, one known first from a push.
    const QString l1 = uuidFor(QStringLiteral("L1"), 0);
    const QString l2 = uuidFor(QStringLiteral("L2"), 0);
    addLearner(staff, QStringLiteral("Lena"), {{QStringLiteral("id"), l1}});
    push(kiosk, QStringLiteral("L1"), 1, 5);
    push(kiosk, QStringLiteral("L2"), 6, 3);
    auto unnamed = call("GET", QStringLiteral("/v1/learners/") + l2, {}, staff);
    ASSERT_EQ(unnamed.status, 200) << "a learner met in a push is listed";
    EXPECT_EQ(unnamed.body[QStringLiteral("name")].toString(), QString());
    addLearner(staff, QStringLiteral("Omar"), {{QStringLiteral("id"), l2}});  // and named afterwards

    const QString lena = learnerToken(staff, l1);
    const QJsonArray mine = waitForMastery(lena, 5);
    ASSERT_EQ(mine.size(), 1);
    EXPECT_EQ(mine[0][QStringLiteral("skill")].toString(), QStringLiteral("parts"));
    EXPECT_EQ(mine[0][QStringLiteral("model")].toString(), QStringLiteral("bkt"));
    EXPECT_GT(mine[0][QStringLiteral("p_known")].toDouble(), 0.5);
    const QString omar = learnerToken(staff, l2);
    EXPECT_EQ(waitForMastery(omar, 3).size(), 1) << "Omar's own row, not Lena's";
    const auto me = call("GET", QStringLiteral("/v1/me/mastery"), {}, omar);
    EXPECT_EQ(me.body[QStringLiteral("learner")][QStringLiteral("name")].toString(), QStringLiteral("Omar"));
    EXPECT_EQ(me.body[QStringLiteral("mastery")][0][QStringLiteral("attempts")].toInt(), 3);

    // A learner token may do nothing else.
    for (const auto& [method, path] :
         std::vector<std::pair<QByteArray, QString>>{{"GET", QStringLiteral("/v1/learners")},
                                                     {"GET", QStringLiteral("/v1/learners/") + l2},
                                                     {"GET", QStringLiteral("/v1/classes")},
                                                     {"POST", QStringLiteral("/v1/learners/%1/token").arg(l2)},
                                                     {"GET", QStringLiteral("/v1/roster")},
                                                     {"GET", QStringLiteral("/v1/sync/pull")},
                                                     {"GET", QStringLiteral("/v1/teachers")}}) {
        SCOPED_TRACE(method.toStdString() + " " + path.toStdString());
        const auto r = call(method, path, {}, lena);
        EXPECT_EQ(r.status, 403);
        EXPECT_TRUE(r.body[QStringLiteral("message")].toString().contains(QStringLiteral("learner token")));
    }
}

TEST_F(RosterE2E, TheClassGridShowsEachPushedLearnersSkillsAndTheModel) {
    const QString staff = addTeacher(school_, QStringLiteral("Ms Rivera"))[QStringLiteral("token")].toString();
    const QString kiosk = enroll(school_, "kiosk");
    const QString l1 = uuidFor(QStringLiteral("L1"), 0);
    const QString l2 = uuidFor(QStringLiteral("L2"), 0);
    addLearner(staff, QStringLiteral("Lena"), {{QStringLiteral("id"), l1}});
    addLearner(staff, QStringLiteral("Omar"), {{QStringLiteral("id"), l2}});
    const QString outsider = addLearner(staff, QStringLiteral("Zed"))[QStringLiteral("id")].toString();
    const QString klass = addClass(staff, QStringLiteral("4B"), {l1, l2})[QStringLiteral("id")].toString();
    push(kiosk, QStringLiteral("L1"), 1, 4);
    push(kiosk, QStringLiteral("L2"), 5, 2);
    waitForMastery(learnerToken(staff, l1), 4);
    waitForMastery(learnerToken(staff, l2), 2);

    const auto grid = call("GET", QStringLiteral("/v1/classes/%1/mastery").arg(klass), {}, staff);
    ASSERT_EQ(grid.status, 200) << grid.raw.toStdString();
    EXPECT_EQ(grid.body[QStringLiteral("class")][QStringLiteral("name")].toString(), QStringLiteral("4B"));
    EXPECT_EQ(idsOf(grid.body[QStringLiteral("learners")].toArray()), (QStringList{l1, l2})) << "by name";
    EXPECT_FALSE(idsOf(grid.body[QStringLiteral("learners")].toArray()).contains(outsider));
    const QJsonArray skills = grid.body[QStringLiteral("skills")].toArray();
    ASSERT_EQ(skills.size(), 1);
    EXPECT_EQ(skills[0].toObject(), (QJsonObject{{QStringLiteral("course"), QStringLiteral("fractions")},
                                                 {QStringLiteral("skill"), QStringLiteral("parts")}}));
    const QJsonArray cells = grid.body[QStringLiteral("cells")].toArray();
    ASSERT_EQ(cells.size(), 2);
    std::map<QString, QJsonObject> byLearner;
    for (const QJsonValue& c : cells) byLearner[c.toObject()[QStringLiteral("learner")].toString()] = c.toObject();
    EXPECT_EQ(byLearner[l1][QStringLiteral("attempts")].toInt(), 4);
    EXPECT_EQ(byLearner[l2][QStringLiteral("attempts")].toInt(), 2);
    EXPECT_EQ(byLearner[l1][QStringLiteral("model")].toString(), QStringLiteral("bkt"));
    EXPECT_GT(byLearner[l1][QStringLiteral("p_known")].toDouble(), byLearner[l2][QStringLiteral("p_known")].toDouble())
        << "four right answers show more than two";
    EXPECT_TRUE(kite::wire::parseIsoTime(byLearner[l1][QStringLiteral("updated_at")].toString()).has_value());

    // One course only: another course has no cells.
    const auto other = call("GET", QStringLiteral("/v1/classes/%1/mastery?course=decimals").arg(klass), {}, staff);
    ASSERT_EQ(other.status, 200);
    EXPECT_TRUE(other.body[QStringLiteral("cells")].toArray().isEmpty());
    EXPECT_EQ(other.body[QStringLiteral("learners")].toArray().size(), 2);
    EXPECT_EQ(call("GET", QStringLiteral("/v1/classes/%1/mastery?course=fractions").arg(klass), {}, adminToken(school_))
                  .body[QStringLiteral("cells")]
                  .toArray()
                  .size(),
              2);
}

TEST_F(RosterE2E, ASchoolsTokensSeeNothingOfAnothersLearnersClassesAndMastery) {
    const QString hill = addTeacher(school_, QStringLiteral("Hill teacher"))[QStringLiteral("token")].toString();
    const QJsonObject hillTeacher = addTeacher(school_, QStringLiteral("Hill teacher 2"));
    const QString hillKiosk = enroll(school_, "hill kiosk");
    const QString hillKioskId = deviceId(hill, QStringLiteral("hill kiosk"));
    const QString l1 = uuidFor(QStringLiteral("L1"), 0);
    addLearner(hill, QStringLiteral("Lena"), {{QStringLiteral("id"), l1}});
    const QString klass = addClass(hill, QStringLiteral("4B"), {l1})[QStringLiteral("id")].toString();
    assign(hill, hillKioskId, {klass});
    push(hillKiosk, QStringLiteral("L1"), 1, 3);
    waitForMastery(learnerToken(hill, l1), 3);

    const QString valleyAdmin = adminToken(other_);
    const QString valley = addTeacher(other_, QStringLiteral("Valley teacher"))[QStringLiteral("token")].toString();
    const QString valleyKiosk = enroll(other_, "valley kiosk");
    const QString valleyKioskId = deviceId(valley, QStringLiteral("valley kiosk"));
    for (const QString& token : {valleyAdmin, valley}) {
        SCOPED_TRACE(token == valley ? "valley teacher" : "valley admin");
        EXPECT_TRUE(call("GET", QStringLiteral("/v1/learners"), {}, token)
                        .body[QStringLiteral("learners")]
                        .toArray()
                        .isEmpty());
        EXPECT_TRUE(
            call("GET", QStringLiteral("/v1/classes"), {}, token).body[QStringLiteral("classes")].toArray().isEmpty());
        EXPECT_EQ(
            idsOf(call("GET", QStringLiteral("/v1/devices"), {}, token).body[QStringLiteral("devices")].toArray()),
            QStringList{valleyKioskId});
        struct Probe {
            QByteArray method;
            QString path;
            QByteArray body;
        };
        const std::vector<Probe> probes = {
            {"GET", QStringLiteral("/v1/learners/") + l1, {}},
            {"PATCH", QStringLiteral("/v1/learners/") + l1, R"({"name": "Mine now"})"},
            {"DELETE", QStringLiteral("/v1/learners/") + l1, {}},
            {"POST", QStringLiteral("/v1/learners/%1/token").arg(l1), {}},
            {"GET", QStringLiteral("/v1/classes/") + klass, {}},
            {"PATCH", QStringLiteral("/v1/classes/") + klass, R"({"name": "Mine now"})"},
            {"DELETE", QStringLiteral("/v1/classes/") + klass, {}},
            {"GET", QStringLiteral("/v1/classes/%1/mastery").arg(klass), {}},
            {"PUT", QStringLiteral("/v1/classes/%1/learners").arg(klass), R"({"learners": []})"},
            {"POST", QStringLiteral("/v1/classes/%1/learners/%2").arg(klass, l1), {}},
            {"PUT", QStringLiteral("/v1/devices/%1/classes").arg(hillKioskId), R"({"classes": []})"},
            {"DELETE", QStringLiteral("/v1/tokens/") + l1, {}},
            {"DELETE", QStringLiteral("/v1/tokens/") + hillTeacher[QStringLiteral("teacher_id")].toString(), {}},
        };
        for (const Probe& p : probes) {
            SCOPED_TRACE(p.method.toStdString() + " " + p.path.toStdString());
            EXPECT_EQ(call(p.method, p.path, p.body, token).status, 404);
        }
        // Hill's ids inside a body of Valley's own objects: 404 on the field.
        const QString valleyClass =
            addClass(token, QStringLiteral("V") + QString::number(token.size()), {})[QStringLiteral("id")].toString();
        auto r = call("PUT", QStringLiteral("/v1/classes/%1/learners").arg(valleyClass),
                      json({{QStringLiteral("learners"), QJsonArray{l1}}}), token);
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.body[QStringLiteral("field")].toString(), QStringLiteral("learners[0]"));
        r = call("PUT", QStringLiteral("/v1/devices/%1/classes").arg(valleyKioskId),
                 json({{QStringLiteral("classes"), QJsonArray{klass}}}), token);
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.body[QStringLiteral("field")].toString(), QStringLiteral("classes[0]"));
        ASSERT_EQ(call("DELETE", QStringLiteral("/v1/classes/") + valleyClass, {}, token).status, 200);
    }
    EXPECT_TRUE(call("GET", QStringLiteral("/v1/roster"), {}, valleyKiosk)
                    .body[QStringLiteral("learners")]
                    .toArray()
                    .isEmpty());
    QString cursor;
    EXPECT_TRUE(pullAll(valleyKiosk, cursor).isEmpty());
    // The same learner id in Valley is Valley's own learner: no Hill mastery.
    addLearner(valley, QStringLiteral("Valley Lena"), {{QStringLiteral("id"), l1}});
    const auto mine = call("GET", QStringLiteral("/v1/me/mastery"), {}, learnerToken(valley, l1));
    EXPECT_EQ(mine.body[QStringLiteral("learner")][QStringLiteral("name")].toString(), QStringLiteral("Valley Lena"));
    EXPECT_TRUE(mine.body[QStringLiteral("mastery")].toArray().isEmpty());
    // And Hill's are as they were.
    EXPECT_EQ(call("GET", QStringLiteral("/v1/learners/") + l1, {}, hill).body[QStringLiteral("name")].toString(),
              QStringLiteral("Lena"));
    EXPECT_EQ(
        call("GET", QStringLiteral("/v1/roster"), {}, hillKiosk).body[QStringLiteral("learners")].toArray().size(), 1);
}

TEST_F(RosterE2E, ARevokedTokenIsRefusedAtOnce) {
    const QJsonObject teacher = addTeacher(school_, QStringLiteral("Ms Rivera"));
    const QString staff = teacher[QStringLiteral("token")].toString();
    const QString teacherId = teacher[QStringLiteral("teacher_id")].toString();
    const QString l1 = addLearner(staff, QStringLiteral("Lena"))[QStringLiteral("id")].toString();
    const QString lena = learnerToken(staff, l1);
    ASSERT_EQ(call("GET", QStringLiteral("/v1/me/mastery"), {}, lena).status, 200);

    // A teacher revokes learners' tokens, not other teachers'.
    const QString colleague = addTeacher(school_, QStringLiteral("Mr Okafor"))[QStringLiteral("teacher_id")].toString();
    EXPECT_EQ(call("DELETE", QStringLiteral("/v1/tokens/") + colleague, {}, staff).status, 404);
    const auto revoked = call("DELETE", QStringLiteral("/v1/tokens/") + l1, {}, staff);
    ASSERT_EQ(revoked.status, 200);
    EXPECT_EQ(revoked.body[QStringLiteral("revoked")].toInt(), 1);
    EXPECT_EQ(call("GET", QStringLiteral("/v1/me/mastery"), {}, lena).status, 401);

    // The admin revokes the teacher: the very next request is a 401.
    ASSERT_EQ(call("GET", QStringLiteral("/v1/learners"), {}, staff).status, 200);
    ASSERT_EQ(call("DELETE", QStringLiteral("/v1/tokens/") + teacherId, {}, adminToken(school_)).status, 200);
    EXPECT_EQ(call("GET", QStringLiteral("/v1/learners"), {}, staff).status, 401);
    auto teachers = call("GET", QStringLiteral("/v1/teachers"), {}, adminToken(school_));
    for (const QJsonValue& t : teachers.body[QStringLiteral("teachers")].toArray())
        EXPECT_EQ(t[QStringLiteral("active")].toBool(), t[QStringLiteral("id")].toString() != teacherId);
    // A new token for the same teacher works.
    const auto again = call("POST", QStringLiteral("/v1/teachers/%1/token").arg(teacherId), {}, adminToken(school_));
    ASSERT_EQ(again.status, 201);
    EXPECT_EQ(call("GET", QStringLiteral("/v1/learners"), {}, again.body[QStringLiteral("token")].toString()).status,
              200);

    // A stolen kiosk: the admin revokes the device.
    const QString kiosk = enroll(school_, "lost kiosk");
    const QString kioskId = deviceId(adminToken(school_), QStringLiteral("lost kiosk"));
    ASSERT_EQ(call("GET", QStringLiteral("/v1/roster"), {}, kiosk).status, 200);
    ASSERT_EQ(call("DELETE", QStringLiteral("/v1/tokens/") + kioskId, {}, adminToken(school_)).status, 200);
    EXPECT_EQ(call("GET", QStringLiteral("/v1/roster"), {}, kiosk).status, 401);
    EXPECT_EQ(call("GET", QStringLiteral("/v1/sync/pull"), {}, kiosk).status, 401);
}

TEST_F(RosterE2E, WrongRolesAre403AndMistakesAre4xxNamingTheField) {
    const QString staff = addTeacher(school_, QStringLiteral("Ms Rivera"))[QStringLiteral("token")].toString();
    const QString kiosk = enroll(school_, "kiosk");
    const QString l1 = addLearner(staff, QStringLiteral("Lena"))[QStringLiteral("id")].toString();
    const QString klass = addClass(staff, QStringLiteral("4B"), {})[QStringLiteral("id")].toString();
    const QString admin = adminToken(school_);
    struct Case {
        QByteArray method;
        QString path;
        QByteArray body;
        QString token;
        int status;
        QString field;    // "" when the reply names none
        QString message;  // a part of the message, "" for any
    };
    const QString learners = QStringLiteral("/v1/learners");
    const QString members = QStringLiteral("/v1/classes/%1/learners").arg(klass);
    const std::vector<Case> cases = {
        // Roles: the message names the role needed.
        {"POST", QStringLiteral("/v1/teachers"), R"({"name": "X"})", staff, 403, {}, QStringLiteral("admin")},
        {"GET", QStringLiteral("/v1/teachers"), {}, kiosk, 403, {}, QStringLiteral("admin")},
        {"POST", learners, R"({"name": "X"})", kiosk, 403, {}, QStringLiteral("admin or teacher")},
        {"GET",
         QStringLiteral("/v1/classes/%1/mastery").arg(klass),
         {},
         kiosk,
         403,
         {},
         QStringLiteral("admin or teacher")},
        {"GET", QStringLiteral("/v1/roster"), {}, staff, 403, {}, QStringLiteral("device")},
        {"GET", QStringLiteral("/v1/me/mastery"), {}, admin, 403, {}, QStringLiteral("learner")},
        {"GET", learners, {}, {}, 401, {}, {}},
        {"GET", learners, {}, QStringLiteral("not-a-token"), 401, {}, {}},
        // Bodies.
        {"POST", learners, "not json", staff, 400, {}, {}},
        {"POST", learners, "[]", staff, 400, {}, {}},
        {"POST", learners, QByteArray(100000, '['), staff, 400, {}, {}},
        {"POST", learners, "{}", staff, 400, QStringLiteral("name"), QStringLiteral("missing")},
        {"POST", learners, R"({"name": "   "})", staff, 400, QStringLiteral("name"), {}},
        {"POST", learners, R"({"name": 7})", staff, 400, QStringLiteral("name"), QStringLiteral("got 7")},
        {"POST", learners, "{\"name\": \"" + QByteArray(101, 'a') + "\"}", staff, 400, QStringLiteral("name"), {}},
        {"POST", learners, R"({"name": "X", "id": "NOT-A-UUID"})", staff, 400, QStringLiteral("id"), {}},
        {"POST", learners, R"({"name": "X", "colour": "blue"})", staff, 400, QStringLiteral("colour"), {}},
        {"POST", learners, R"({"name": "X", "pin": 1234})", staff, 400, QStringLiteral("pin"), {}},
        {"POST", learners, R"({"name": "X", "pin": "12"})", staff, 400, QStringLiteral("pin"), {}},
        {"PATCH", learners + QLatin1Char('/') + l1, R"({"name": ""})", staff, 400, QStringLiteral("name"), {}},
        {"PATCH", learners + QLatin1Char('/') + l1, R"({"colour": null})", staff, 400, QStringLiteral("colour"), {}},
        {"PUT", members, R"({"learners": "x"})", staff, 400, QStringLiteral("learners"), {}},
        {"PUT", members, R"({"learners": [7]})", staff, 400, QStringLiteral("learners[0]"), {}},
        {"PUT", members, QByteArray(R"({"learners": [")") + l1.toLatin1() + R"(", ")" + l1.toLatin1() + R"("]})", staff,
         400, QStringLiteral("learners[1]"), QStringLiteral("already")},
        {"PUT",
         members,
         R"({"learners": ["01a20c1d-1f15-7041-ba54-d7b1a0d03341"]})",
         staff,
         404,
         QStringLiteral("learners[0]"),
         {}},
        {"PUT", QStringLiteral("/v1/devices/%1/classes").arg(l1), R"({"classes": []})", staff, 404, {}, {}},
        {"PUT", QStringLiteral("/v1/devices/%1/classes").arg(l1), R"({})", staff, 400, QStringLiteral("classes"), {}},
        {"POST",
         QStringLiteral("/v1/classes"),
         R"({"name": "5C", "learners": {}})",
         staff,
         400,
         QStringLiteral("learners"),
         {}},
        {"POST",
         QStringLiteral("/v1/classes"),
         R"({"name": "5C", "learners": ["01a20c1d-1f15-7041-ba54-d7b1a0d03341"]})",
         staff,
         404,
         QStringLiteral("learners[0]"),
         {}},
        {"POST",
         QStringLiteral("/v1/classes"),
         QByteArray(R"({"name": "5C", "id": ")") + klass.toLatin1() + R"("})",
         staff,
         409,
         QStringLiteral("id"),
         {}},
        {"GET", QStringLiteral("/v1/classes/nope"), {}, staff, 404, {}, {}},
        {"DELETE", QStringLiteral("/v1/classes/%1/learners/%2").arg(klass, l1), {}, staff, 404, {}, {}},
        {"DELETE", QStringLiteral("/v1/tokens/admin"), {}, admin, 404, {}, {}},
        {"PUT", learners, "{}", staff, 405, {}, {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.method.toStdString() + " " + c.path.toStdString() + " " + c.body.left(60).toStdString());
        const auto r = call(c.method, c.path, c.body, c.token);
        EXPECT_EQ(r.status, c.status) << r.raw.toStdString();
        EXPECT_FALSE(r.body[QStringLiteral("message")].toString().isEmpty());
        EXPECT_EQ(r.body[QStringLiteral("field")].toString(), c.field);
        if (!c.message.isEmpty()) {
            EXPECT_TRUE(r.body[QStringLiteral("message")].toString().contains(c.message))
                << r.body[QStringLiteral("message")].toString().toStdString();
        }
    }
    EXPECT_EQ(call("GET", QStringLiteral("/healthz")).status, 200) << "still serving";
    // None of the refused requests changed anything.
    EXPECT_EQ(idsOf(call("GET", learners, {}, staff).body[QStringLiteral("learners")].toArray()), QStringList{l1});
    EXPECT_EQ(idsOf(call("GET", QStringLiteral("/v1/classes"), {}, staff).body[QStringLiteral("classes")].toArray()),
              QStringList{klass});
}

TEST_F(RosterE2E, RosterChangesSucceedWhilePushesAndMasteryUpdatesCommit) {
    const QString staff = addTeacher(school_, QStringLiteral("Ms Rivera"))[QStringLiteral("token")].toString();
    const QString kiosk = enroll(school_, "kiosk");
    const QString l1 = uuidFor(QStringLiteral("L1"), 0);
    addLearner(staff, QStringLiteral("Lena"), {{QStringLiteral("id"), l1}});
    // Pushes in flight (each starts mastery work) while a teacher edits.
    std::vector<QNetworkReply*> pushes;
    for (int i = 0; i < 20; ++i) {
        QNetworkRequest req{QUrl(base_ + QStringLiteral("/v1/sync/push"))};
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        req.setRawHeader("Authorization", "Bearer " + kiosk.toUtf8());
        pushes.push_back(net_.post(req, pushBody(QStringLiteral("L1"), 1 + i * 10, 10, QStringLiteral("busy"))));
    }
    for (int i = 0; i < 20; ++i) {
        const auto r = call("PATCH", QStringLiteral("/v1/learners/") + l1,
                            json({{QStringLiteral("name"), QStringLiteral("Lena %1").arg(i)}}), staff);
        EXPECT_EQ(r.status, 200) << r.raw.toStdString();
    }
    for (QNetworkReply* reply : pushes) {
        if (!reply->isFinished()) {
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(30000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        EXPECT_EQ(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
        reply->deleteLater();
    }
    EXPECT_EQ(call("GET", QStringLiteral("/v1/learners/") + l1, {}, staff).body[QStringLiteral("name")].toString(),
              QStringLiteral("Lena 19"));
}
