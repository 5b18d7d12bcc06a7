// The DKT network: gradients agree with finite differences for every
// parameter block, and step-by-step inference agrees with the batched pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "dkt_kernels.h"
#include "kite/dkt.h"

namespace kite::dkt {
namespace {

// A batch of chunks of different lengths over K skills, padded with -1.
Batch randomBatch(std::int32_t K, std::int32_t B, std::int32_t T, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Batch batch;
    batch.size = B;
    batch.steps = T;
    batch.interactions.assign(static_cast<std::size_t>(B * T), -1);
    std::vector<std::int32_t> lengths;
    for (std::int32_t b = 0; b < B; ++b)
        lengths.push_back(static_cast<std::int32_t>(2 + rng() % static_cast<std::uint64_t>(T - 1)));
    std::sort(lengths.rbegin(), lengths.rend());  // longest first, as Batch requires
    for (std::int32_t b = 0; b < B; ++b) {
        const std::int32_t length = lengths[static_cast<std::size_t>(b)];
        for (std::int32_t t = 0; t < length; ++t)
            batch.interactions[static_cast<std::size_t>(t * B + b)] =
                interaction(static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(K)), rng() % 2 == 0, K);
    }
    return batch;
}

double lossOf(const Weights<double>& w, const Batch& batch, double dropout) {
    Weights<double> unused(w.skills, w.hidden);
    Workspace<double> ws;
    return lossAndGradient(w, batch, dropout, 99, unused, ws).sum;
}

void checkGradient(double dropout) {
    Weights<double> w(3, 5);
    w.initialise(7);
    w.input *= 3.0;  // livelier gates than the initial ones
    const Batch batch = randomBatch(3, 4, 7, 11);
    Weights<double> grad(3, 5);
    Workspace<double> ws;
    const Loss loss = lossAndGradient(w, batch, dropout, 99, grad, ws);
    ASSERT_GT(loss.predictions, 0);

    std::map<std::string, std::vector<double*>> params;
    w.forEachBlock([&](std::string_view name, double* data, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) params[std::string(name)].push_back(data + i);
    });
    std::map<std::string, std::vector<const double*>> grads;
    std::as_const(grad).forEachBlock([&](std::string_view name, const double* data, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) grads[std::string(name)].push_back(data + i);
    });
    const double eps = 1e-6;
    for (auto& [name, ptrs] : params) {
        double worst = 0.0;
        double largest = 0.0;
        for (std::size_t i = 0; i < ptrs.size(); ++i) {
            const double saved = *ptrs[i];
            *ptrs[i] = saved + eps;
            const double up = lossOf(w, batch, dropout);
            *ptrs[i] = saved - eps;
            const double down = lossOf(w, batch, dropout);
            *ptrs[i] = saved;
            const double numeric = (up - down) / (2 * eps);
            const double analytic = *grads[name][i];
            worst = std::max(worst, std::abs(numeric - analytic) / std::max(1.0, std::abs(numeric)));
            largest = std::max(largest, std::abs(numeric));
        }
        EXPECT_GT(largest, 1e-3) << "block " << name << " has no gradient to check";
        EXPECT_LT(worst, 1e-6) << "block " << name << " (dropout " << dropout << ")";
    }
}

TEST(DktNetwork, GradientOfEveryBlockMatchesFiniteDifferences) {
    checkGradient(0.0);
}

TEST(DktNetwork, GradientWithDropoutMatchesFiniteDifferences) {
    checkGradient(0.3);
}

TEST(DktNetwork, StepByStepInferenceEqualsTheBatchedPass) {
    Weights<float> w(20, 32);
    w.initialise(3);
    const Batch batch = randomBatch(20, 6, 40, 5);
    Workspace<float> ws;
    const std::vector<float> batched = predictBatch(w, batch, ws);
    for (std::int32_t b = 0; b < batch.size; ++b) {
        State<float> s = initialState(w);
        for (std::int32_t t = 0; t + 1 < batch.steps; ++t) {
            const std::int32_t x = batch.interactions[static_cast<std::size_t>(t * batch.size + b)];
            const std::int32_t next = batch.interactions[static_cast<std::size_t>((t + 1) * batch.size + b)];
            if (x < 0 || next < 0) break;
            advance(w, s, x % w.skills, x >= w.skills);
            const float incremental = predict(w, s, next % w.skills);
            EXPECT_NEAR(incremental, batched[static_cast<std::size_t>((t + 1) * batch.size + b)], 1e-5)
                << "chunk " << b << " step " << t + 1;
            EXPECT_NEAR(predictAll(w, s)(next % w.skills), incremental, 1e-6);
        }
    }
}

TEST(DktNetwork, PredictionsAreProbabilities) {
    Weights<float> w(5, 8);
    w.initialise(1);
    State<float> s = initialState(w);
    for (int i = 0; i < 50; ++i) {
        advance(w, s, i % 5, i % 3 == 0);
        const float p = predict(w, s, (i + 1) % 5);
        EXPECT_GT(p, 0.0F);
        EXPECT_LT(p, 1.0F);
    }
}

#if defined(KITE_DKT_HAVE_AVX2)
TEST(DktNetwork, Avx2KernelsAgreeWithTheGenericOnes) {
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) GTEST_SKIP() << "this CPU has no AVX2/FMA";
    Weights<float> w(30, 48);
    w.initialise(9);
    const Batch batch = randomBatch(30, 8, 50, 4);
    const kernels::Params<float> p{w.skills,      w.hidden,        w.input.data(),      w.recurrent.data(),
                                   w.bias.data(), w.output.data(), w.output_bias.data()};
    const kernels::BatchView view{batch.steps, batch.size, batch.interactions.data()};
    auto run = [&](bool avx2, Weights<float>& g) {
        Workspace<float> ws;
        const std::size_t H = 48, cells = static_cast<std::size_t>(batch.steps * batch.size), B = 8;
        ws.gates.resize(4 * H * cells);
        ws.cells.assign(H * (cells + B), 0.0F);
        ws.hiddens.assign(H * (cells + B), 0.0F);
        ws.tanh_cells.resize(H * cells);
        ws.output_grad.assign(H * cells, 0.0F);
        ws.masks.assign(H * cells, 1.0F);
        ws.scratch.resize(6 * H * B + H);
        const kernels::Buffers<float> b{ws.gates.data(),       ws.cells.data(), ws.hiddens.data(), ws.tanh_cells.data(),
                                        ws.output_grad.data(), ws.masks.data(), ws.scratch.data()};
        const kernels::Gradient<float> gv{g.input.data(), g.recurrent.data(), g.bias.data(), g.output.data(),
                                          g.output_bias.data()};
        return avx2 ? kernels::avx2::lossAndGradient(p, view, gv, b)
                    : kernels::generic::lossAndGradient(p, view, gv, b);
    };
    Weights<float> g1(30, 48), g2(30, 48);
    const Loss a = run(false, g1);
    const Loss b = run(true, g2);
    EXPECT_EQ(a.predictions, b.predictions);
    EXPECT_NEAR(a.sum, b.sum, 1e-4 * a.sum);
    EXPECT_LT((g1.recurrent - g2.recurrent).norm(), 1e-4 * g1.recurrent.norm());
    EXPECT_LT((g1.input - g2.input).norm(), 1e-4 * g1.input.norm());
    EXPECT_LT((g1.output - g2.output).norm(), 1e-4 * g1.output.norm());
}
#endif

}  // namespace
}  // namespace kite::dkt
