// Micro-benchmarks of Kite's BKT engine.
//
//   BM_OnlineUpdate          predictCorrect + observe per answer, on a random
//                            stream of answers over many skills (one P(K) per
//                            skill, as a student model keeps it): ns/answer.
//   BM_OnlineUpdateOneSkill  the same on one skill only, so every update waits
//                            on the previous one: the latency of one update.
//   BM_OnlineUpdatePerItem   per-item guess/slip (KT-IDEM): the emission is
//                            looked up per answer from a per-skill item table.
//   BM_FitEStep              kite::bkt::fit in fixed-iteration mode (plain EM,
//                            one start) on an in-memory synthetic dataset:
//                            answers processed per second of E-step (the
//                            M-steps and the one-off grouping into sequences
//                            are included in the time).
//
// Items/s in the output is answers/s; the "ns_per_answer" counter is its inverse.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "kite/bkt.h"
#include "kite/bkt_fit.h"
#include "kite/dataset.h"

namespace {

using kite::Outcome;
using kite::bkt::Emission;
using kite::bkt::Params;

// One answer of the stream: which skill, which item of it, and the outcome.
struct StreamAnswer {
    std::int32_t skill;
    std::int32_t item;
    Outcome outcome;
};

Params randomParams(std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Params p;
    p.prior = 0.1 + 0.6 * u(rng);
    p.learn = 0.02 + 0.3 * u(rng);
    p.forget = 0.05 * u(rng);
    p.guess = 0.05 + 0.3 * u(rng);
    p.slip = 0.02 + 0.2 * u(rng);
    return p;
}

// A stream of `n` answers over `skills` skills with `itemsPerSkill` items each,
// simulated from BKT so the outcomes look like real data (mostly correct
// later in a skill, branch pattern not trivially predictable).
std::vector<StreamAnswer> makeStream(std::size_t n, int skills, int itemsPerSkill, const std::vector<Params>& params,
                                     std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> pickSkill(0, skills - 1);
    std::uniform_int_distribution<int> pickItem(0, itemsPerSkill - 1);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<char> known(static_cast<std::size_t>(skills));
    for (int s = 0; s < skills; ++s)
        known[static_cast<std::size_t>(s)] = u(rng) < params[static_cast<std::size_t>(s)].prior ? 1 : 0;
    std::vector<StreamAnswer> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const int s = pickSkill(rng);
        const Params& p = params[static_cast<std::size_t>(s)];
        char& k = known[static_cast<std::size_t>(s)];
        const bool correct = k ? u(rng) >= p.slip : u(rng) < p.guess;
        out.push_back({s, pickItem(rng), correct ? Outcome::kCorrect : Outcome::kWrong});
        k = k ? (u(rng) >= p.forget ? 1 : 0) : (u(rng) < p.learn ? 1 : 0);
    }
    return out;
}

void reportPerAnswer(benchmark::State& state, std::int64_t answers) {
    state.SetItemsProcessed(answers);
    state.counters["ns_per_answer"] =
        benchmark::Counter(static_cast<double>(answers), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

constexpr std::size_t kStreamLength = 1 << 16;

// Argument: number of skills in the stream (100 like assist2015, 1,223 like
// statics2011). Updates on different skills are independent, so the CPU can
// overlap them; BM_OnlineUpdateOneSkill measures the dependent chain.
void BM_OnlineUpdate(benchmark::State& state) {
    const int skills = static_cast<int>(state.range(0));
    std::mt19937_64 rng(7);
    std::vector<Params> params;
    for (int s = 0; s < skills; ++s) params.push_back(randomParams(rng));
    const auto stream = makeStream(kStreamLength, skills, 1, params, 11);
    std::vector<double> pKnown(static_cast<std::size_t>(skills));

    std::int64_t answers = 0;
    for (auto _ : state) {
        for (int s = 0; s < skills; ++s)
            pKnown[static_cast<std::size_t>(s)] = params[static_cast<std::size_t>(s)].prior;
        for (const StreamAnswer& a : stream) {
            const Params& p = params[static_cast<std::size_t>(a.skill)];
            double& pk = pKnown[static_cast<std::size_t>(a.skill)];
            double predicted = kite::bkt::predictCorrect(pk, p);
            benchmark::DoNotOptimize(predicted);
            const kite::bkt::Step step = kite::bkt::observe(pk, a.outcome, p);
            pk = step.next;
        }
        benchmark::DoNotOptimize(pKnown.data());
        benchmark::ClobberMemory();
        answers += static_cast<std::int64_t>(stream.size());
    }
    reportPerAnswer(state, answers);
}
BENCHMARK(BM_OnlineUpdate)->Arg(100)->Arg(1223);

// One skill, every update depends on the previous one.
void BM_OnlineUpdateOneSkill(benchmark::State& state) {
    std::mt19937_64 rng(7);
    const std::vector<Params> params{randomParams(rng)};
    const auto stream = makeStream(kStreamLength, 1, 1, params, 13);
    const Params p = params[0];
    std::int64_t answers = 0;
    for (auto _ : state) {
        double pk = p.prior;
        for (const StreamAnswer& a : stream) {
            double predicted = kite::bkt::predictCorrect(pk, p);
            benchmark::DoNotOptimize(predicted);
            pk = kite::bkt::observe(pk, a.outcome, p).next;
        }
        benchmark::DoNotOptimize(pk);
        answers += static_cast<std::int64_t>(stream.size());
    }
    reportPerAnswer(state, answers);
}
BENCHMARK(BM_OnlineUpdateOneSkill);

// Per-item guess/slip. Argument: items per skill (100 skills).
void BM_OnlineUpdatePerItem(benchmark::State& state) {
    constexpr int kSkills = 100;
    const int items = static_cast<int>(state.range(0));
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<Params> params;
    std::vector<Emission> emissions;  // [skill * items + item]
    for (int s = 0; s < kSkills; ++s) {
        params.push_back(randomParams(rng));
        for (int i = 0; i < items; ++i) emissions.push_back({0.05 + 0.3 * u(rng), 0.02 + 0.2 * u(rng)});
    }
    const auto stream = makeStream(kStreamLength, kSkills, items, params, 17);
    std::vector<double> pKnown(static_cast<std::size_t>(kSkills));

    std::int64_t answers = 0;
    for (auto _ : state) {
        for (int s = 0; s < kSkills; ++s)
            pKnown[static_cast<std::size_t>(s)] = params[static_cast<std::size_t>(s)].prior;
        for (const StreamAnswer& a : stream) {
            const Params& p = params[static_cast<std::size_t>(a.skill)];
            const Emission& e = emissions[static_cast<std::size_t>(a.skill) * static_cast<std::size_t>(items) +
                                          static_cast<std::size_t>(a.item)];
            double& pk = pKnown[static_cast<std::size_t>(a.skill)];
            double predicted = kite::bkt::predictCorrect(pk, e);
            benchmark::DoNotOptimize(predicted);
            pk = kite::bkt::observe(pk, a.outcome, p, e).next;
        }
        benchmark::DoNotOptimize(pKnown.data());
        benchmark::ClobberMemory();
        answers += static_cast<std::int64_t>(stream.size());
    }
    reportPerAnswer(state, answers);
}
BENCHMARK(BM_OnlineUpdatePerItem)->Arg(10);

// A synthetic dataset: `students` students answering `perStudent` questions
// each, spread over `skills` skills, simulated from BKT.
kite::Dataset makeDataset(int students, int perStudent, int skills, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<Params> params;
    for (int s = 0; s < skills; ++s) params.push_back(randomParams(rng));
    std::uniform_int_distribution<int> pickSkill(0, skills - 1);
    std::uniform_real_distribution<double> u(0.0, 1.0);

    kite::Dataset data;
    for (int s = 0; s < skills; ++s) data.skills.intern("skill" + std::to_string(s + 1));
    data.answers.reserve(static_cast<std::size_t>(students) * static_cast<std::size_t>(perStudent));
    std::vector<char> known(static_cast<std::size_t>(skills));
    for (int st = 0; st < students; ++st) {
        const std::int32_t student = data.students.intern("student" + std::to_string(st + 1));
        for (int s = 0; s < skills; ++s)
            known[static_cast<std::size_t>(s)] = u(rng) < params[static_cast<std::size_t>(s)].prior ? 1 : 0;
        for (int i = 0; i < perStudent; ++i) {
            const int s = pickSkill(rng);
            const Params& p = params[static_cast<std::size_t>(s)];
            char& k = known[static_cast<std::size_t>(s)];
            const bool correct = k ? u(rng) >= p.slip : u(rng) < p.guess;
            data.answers.push_back({student, s, -1, correct ? Outcome::kCorrect : Outcome::kWrong});
            k = k ? (u(rng) >= p.forget ? 1 : 0) : (u(rng) < p.learn ? 1 : 0);
        }
    }
    return data;
}

// Arguments: worker threads, fit forgets (0/1). 2,000 students x 50 answers
// over 5 skills (100,000 answers, like synthetic5), 20 plain EM updates.
void BM_FitEStep(benchmark::State& state) {
    static const kite::Dataset data = makeDataset(2000, 50, 5, 23);
    kite::bkt::FitOptions options;
    options.threads = static_cast<int>(state.range(0));
    options.forgets = state.range(1) != 0;
    options.fixed_iterations = 20;

    std::int64_t answerSteps = 0;  // answers x E-steps, summed over skills
    std::int64_t esteps = 0;
    for (auto _ : state) {
        kite::bkt::FitSummary summary;
        auto model = kite::bkt::fit(data, options, &summary);
        if (!model) {
            state.SkipWithError(model.error().message.c_str());
            return;
        }
        for (const kite::bkt::SkillModel& s : model->skills) answerSteps += s.answers * s.iterations;
        esteps += summary.estep_evaluations;
        benchmark::DoNotOptimize(summary.loglik);
    }
    state.SetItemsProcessed(answerSteps);
    state.counters["answer_esteps_per_s"] =
        benchmark::Counter(static_cast<double>(answerSteps), benchmark::Counter::kIsRate);
    state.counters["ns_per_answer_estep"] =
        benchmark::Counter(static_cast<double>(answerSteps), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["esteps"] = benchmark::Counter(static_cast<double>(esteps), benchmark::Counter::kAvgIterations);
}
// Wall time: with 2 threads the CPU time of the main thread alone means little.
BENCHMARK(BM_FitEStep)
    ->ArgNames({"threads", "forgets"})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({2, 0})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
