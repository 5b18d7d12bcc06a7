// DKT in the mastery worker: each learner's LSTM state is stored, and each
// new answer advances it by one step per skill, so that a school with an
// active DKT model (job_store.h) gets a "dkt" mastery estimate, P(correct) of
// the next answer, beside the BKT one. docs/server.md, "DKT in the worker".
//
// A learner's state row records the model version it was computed with and
// the highest event (events.n) applied; it is written in the same transaction
// as the mastery rows and the finished work items (ServerStore::finishWork),
// so an answer is applied exactly once, also across a crash. A learner with
// no row, or a row of another version (a retraining, a rollback), is replayed
// from their stored attempts with the active model.
#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>

#include "kite/answer_facts.h"
#include "kite/dkt_train.h"
#include "kite/job_store.h"
#include "kite/result.h"
#include "kite/server_store.h"
#include "kite/sql.h"

namespace kite::server {

class DktTracker {
public:
    // Opens its own connection to DIR/kite-server.db (for reading states and
    // replays; writes go through finishWork) and makes the "dkt" tables.
    // `models` must outlive the tracker and belong to the same thread.
    // The active model of a school is looked up at most every `recheck`.
    static Result<std::unique_ptr<DktTracker>> open(const QString& dataDir, ModelStore& models,
                                                    std::chrono::milliseconds recheck = std::chrono::seconds(1));

    // For the items' learners in schools with an active model: advances (or
    // replays) their states by their new answers and adds a "dkt" mastery
    // update per skill those answers touched and the new state rows. Schools
    // without an active model are left out (BKT alone).
    // `parsed`: the items' answers already read (answerFacts), by event.
    Status track(const QList<WorkItem>& items, QList<MasteryUpdate>& updates, QList<DktStateRow>& states,
                 const FactsByEvent* parsed = nullptr);

    // Whether the school had an active, loaded model at the last track().
    bool active(const QString& school) const;

private:
    struct Loaded;
    struct School {
        std::chrono::steady_clock::time_point checked{};
        int version = 0;                      // active version; 0 if none
        int failed = 0;                       // a version that did not load, not retried
        std::shared_ptr<const Loaded> model;  // of `version`; null if none or failed
    };
    DktTracker(std::unique_ptr<SqlConnection> connection, ModelStore& models, std::chrono::milliseconds recheck)
        : connection_(std::move(connection)), models_(models), recheck_(recheck) {}
    const Loaded* model(const QString& school);

    std::unique_ptr<SqlConnection> connection_;
    ModelStore& models_;
    std::chrono::milliseconds recheck_;
    std::map<QString, School> schools_;
};

// kite_mastery_lag_seconds{model}: from each item's commit to its mastery
// being written, for "bkt" always and "dkt" where the school's model was active.
void recordMasteryLag(const QList<WorkItem>& items, const DktTracker* tracker);

}  // namespace kite::server
