// Micro-benchmarks of Kite's DKT network.
//
//   BM_DktIncrementalStep/K/H         one student advanced by one answer
//                                     (one LSTM step), as the server does per answer
//   BM_DktStepAndPredictAll/K/H       the same plus P(correct) of all K skills
//   BM_DktTrainBatch/K/H              forward + backward of one training batch
//                                     of 64 chunks x 200 steps
#include <benchmark/benchmark.h>

#include <random>

#include "kite/dkt.h"

namespace {

using kite::dkt::Weights;

void BM_DktIncrementalStep(benchmark::State& state) {
    const auto K = static_cast<std::int32_t>(state.range(0));
    const auto H = static_cast<std::int32_t>(state.range(1));
    Weights<float> w(K, H);
    w.initialise(1);
    auto s = kite::dkt::initialState(w);
    std::int32_t skill = 0;
    for (auto _ : state) {
        kite::dkt::advance(w, s, skill, skill % 3 != 0);
        benchmark::DoNotOptimize(s.h.data());
        skill = (skill + 7) % K;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DktIncrementalStep)->Args({100, 200})->Args({1223, 200})->Args({100, 100})->Unit(benchmark::kMicrosecond);

void BM_DktStepAndPredictAll(benchmark::State& state) {
    const auto K = static_cast<std::int32_t>(state.range(0));
    const auto H = static_cast<std::int32_t>(state.range(1));
    Weights<float> w(K, H);
    w.initialise(1);
    auto s = kite::dkt::initialState(w);
    std::int32_t skill = 0;
    for (auto _ : state) {
        kite::dkt::advance(w, s, skill, skill % 3 != 0);
        auto p = kite::dkt::predictAll(w, s);
        benchmark::DoNotOptimize(p.data());
        skill = (skill + 7) % K;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DktStepAndPredictAll)->Args({100, 200})->Args({1223, 200})->Unit(benchmark::kMicrosecond);

void BM_DktTrainBatch(benchmark::State& state) {
    const auto K = static_cast<std::int32_t>(state.range(0));
    const auto H = static_cast<std::int32_t>(state.range(1));
    Weights<float> w(K, H);
    w.initialise(1);
    Weights<float> g(K, H);
    kite::dkt::Workspace<float> ws;
    kite::dkt::Batch batch;
    batch.size = 64;
    batch.steps = 200;
    std::mt19937_64 rng(5);
    for (int i = 0; i < 64 * 200; ++i)
        batch.interactions.push_back(static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(2 * K)));
    for (auto _ : state) {
        auto loss = kite::dkt::lossAndGradient(w, batch, 0.2, 3, g, ws);
        benchmark::DoNotOptimize(loss.sum);
    }
    state.SetItemsProcessed(state.iterations() * 64 * 200);
}
BENCHMARK(BM_DktTrainBatch)->Args({100, 200})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
