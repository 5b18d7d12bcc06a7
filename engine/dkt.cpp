#include "kite/dkt.h"

#include <cmath>
#include <random>
#include <type_traits>

#include "dkt_kernels.h"
#include "splitmix64.h"

namespace kite::dkt {
namespace {

template <class T>
T sigmoid(T x) {
    return T(1) / (T(1) + std::exp(-x));
}

}  // namespace

template <class T>
Weights<T>::Weights(std::int32_t K, std::int32_t H)
    : skills(K), hidden(H), input(4 * H, 2 * K), recurrent(4 * H, H), bias(4 * H), output(K, H), output_bias(K) {
    setZero();
}

template <class T>
void Weights<T>::setZero() {
    input.setZero();
    recurrent.setZero();
    bias.setZero();
    output.setZero();
    output_bias.setZero();
}

template <class T>
void Weights<T>::initialise(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    const double a = 1.0 / std::sqrt(static_cast<double>(hidden));
    std::uniform_real_distribution<double> inner(-a, a);
    // The input block stands for an embedding (N(0,1) in PyTorch) times an
    // input matrix, whose product has a standard deviation of about 0.58 per
    // gate: U(-1, 1) has the same.
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    for (Eigen::Index i = 0; i < input.size(); ++i) input.data()[i] = static_cast<T>(unit(rng));
    for (Eigen::Index i = 0; i < recurrent.size(); ++i) recurrent.data()[i] = static_cast<T>(inner(rng));
    for (Eigen::Index i = 0; i < bias.size(); ++i) bias.data()[i] = static_cast<T>(inner(rng));
    for (Eigen::Index i = 0; i < output.size(); ++i) output.data()[i] = static_cast<T>(inner(rng));
    for (Eigen::Index i = 0; i < output_bias.size(); ++i) output_bias.data()[i] = static_cast<T>(inner(rng));
}

template <class T>
std::size_t Weights<T>::parameterCount() const {
    return static_cast<std::size_t>(input.size() + recurrent.size() + bias.size() + output.size() + output_bias.size());
}

namespace {

// The parameter blocks of a (const or mutable) Weights, in file order.
template <class W, class F>
void visitBlocks(W& w, const F& f) {
    f("input", w.input.data(), static_cast<std::size_t>(w.input.size()));
    f("recurrent", w.recurrent.data(), static_cast<std::size_t>(w.recurrent.size()));
    f("bias", w.bias.data(), static_cast<std::size_t>(w.bias.size()));
    f("output", w.output.data(), static_cast<std::size_t>(w.output.size()));
    f("output_bias", w.output_bias.data(), static_cast<std::size_t>(w.output_bias.size()));
}

}  // namespace

template <class T>
void Weights<T>::forEachBlock(const std::function<void(std::string_view, T*, std::size_t)>& f) {
    visitBlocks(*this, f);
}

template <class T>
void Weights<T>::forEachBlock(const std::function<void(std::string_view, const T*, std::size_t)>& f) const {
    visitBlocks(*this, f);
}

template <class T>
State<T> initialState(const Weights<T>& w) {
    return {Vector<T>::Zero(w.hidden), Vector<T>::Zero(w.hidden)};
}

namespace {

template <class T>
kernels::Params<T> paramsOf(const Weights<T>& w) {
    return {w.skills,      w.hidden,        w.input.data(),      w.recurrent.data(),
            w.bias.data(), w.output.data(), w.output_bias.data()};
}

template <class T>
kernels::Gradient<T> gradientOf(Weights<T>& g) {
    return {g.input.data(), g.recurrent.data(), g.bias.data(), g.output.data(), g.output_bias.data()};
}

// Whether this CPU runs the AVX2 + FMA kernels (float only).
bool useAvx2() {
#if defined(KITE_DKT_HAVE_AVX2)
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
#else
    return false;
#endif
}

#if defined(KITE_DKT_HAVE_AVX2)
#define KITE_DKT_DISPATCH(T, call) \
    (std::is_same_v<T, float> && useAvx2() ? kernels::avx2::call : kernels::generic::call)
#else
#define KITE_DKT_DISPATCH(T, call) kernels::generic::call
#endif

// Sizes and zeroes the buffers of a batch; fills the dropout masks.
template <class T>
kernels::Buffers<T> prepare(const Weights<T>& w, const Batch& batch, double dropout, std::uint64_t seed,
                            Workspace<T>& ws) {
    const auto H = static_cast<std::size_t>(w.hidden);
    const auto cells = static_cast<std::size_t>(batch.steps) * static_cast<std::size_t>(batch.size);
    const auto B = static_cast<std::size_t>(batch.size);
    ws.gates.resize(4 * H * cells);
    ws.cells.assign(H * (cells + B), T(0));
    ws.hiddens.assign(H * (cells + B), T(0));
    ws.tanh_cells.resize(H * cells);
    ws.output_grad.assign(H * cells, T(0));
    ws.masks.assign(H * cells, T(1));
    ws.scratch.resize(6 * H * B + H);
    if (dropout > 0.0) {
        // Four 16-bit draws per splitmix64 number: a unit is dropped when its
        // draw is below dropout * 65536. Much cheaper than a Bernoulli
        // distribution per unit, which cost an eighth of a training epoch.
        const auto threshold = static_cast<std::uint32_t>(dropout * 65536.0);
        const T scale = static_cast<T>(1.0 / (1.0 - dropout));
        kite::detail::SplitMix64 rng(seed);
        for (std::size_t t = 0; t + 1 < static_cast<std::size_t>(batch.steps); ++t)
            for (std::size_t b = 0; b < B; ++b) {
                if (batch.interactions[(t + 1) * B + b] < 0 || batch.interactions[t * B + b] < 0) continue;
                T* mask = ws.masks.data() + (t * B + b) * H;
                for (std::size_t k = 0; k < H; k += 4) {
                    const std::uint64_t r = rng.next();
                    for (std::size_t j = 0; j < 4 && k + j < H; ++j)
                        mask[k + j] = ((r >> (16 * j)) & 0xFFFFU) < threshold ? T(0) : scale;
                }
            }
    }
    return {ws.gates.data(),       ws.cells.data(), ws.hiddens.data(), ws.tanh_cells.data(),
            ws.output_grad.data(), ws.masks.data(), ws.scratch.data()};
}

kernels::BatchView viewOf(const Batch& b) {
    return {b.steps, b.size, b.interactions.data()};
}

}  // namespace

template <class T>
void advance(const Weights<T>& w, State<T>& s, std::int32_t skill, bool correct) {
    // Per-thread scratch: the server calls this on every answer, so no allocation here.
    thread_local Vector<T> gates;
    gates.resize(4 * w.hidden);
    const std::int32_t x = interaction(skill, correct, w.skills);
    if constexpr (std::is_same_v<T, float>) {
        KITE_DKT_DISPATCH(T, step(paramsOf(w), s.h.data(), s.c.data(), x, gates.data()));
    } else {
        kernels::generic::step(paramsOf(w), s.h.data(), s.c.data(), x, gates.data());
    }
}

template <class T>
T predict(const Weights<T>& w, const State<T>& s, std::int32_t skill) {
    return sigmoid<T>(w.output.row(skill).dot(s.h) + w.output_bias(skill));
}

template <class T>
Vector<T> predictAll(const Weights<T>& w, const State<T>& s) {
    return (w.output * s.h + w.output_bias).unaryExpr([](T x) { return sigmoid(x); });
}

template <class T>
Loss lossAndGradient(const Weights<T>& w, const Batch& batch, double dropout, std::uint64_t dropoutSeed,
                     Weights<T>& grad, Workspace<T>& ws) {
    const kernels::Buffers<T> buffers = prepare(w, batch, dropout, dropoutSeed, ws);
    if constexpr (std::is_same_v<T, float>) {
        return KITE_DKT_DISPATCH(T, lossAndGradient(paramsOf(w), viewOf(batch), gradientOf(grad), buffers));
    } else {
        return kernels::generic::lossAndGradient(paramsOf(w), viewOf(batch), gradientOf(grad), buffers);
    }
}

template <class T>
std::vector<T> predictBatch(const Weights<T>& w, const Batch& batch, Workspace<T>& ws) {
    const kernels::Buffers<T> buffers = prepare(w, batch, 0.0, 0, ws);
    std::vector<T> p(batch.interactions.size(), T(-1));
    if constexpr (std::is_same_v<T, float>) {
        KITE_DKT_DISPATCH(T, predictNext(paramsOf(w), viewOf(batch), buffers, p.data()));
    } else {
        kernels::generic::predictNext(paramsOf(w), viewOf(batch), buffers, p.data());
    }
    return p;
}

#define KITE_DKT_INSTANTIATE(T)                                                                                        \
    template struct Weights<T>;                                                                                        \
    template State<T> initialState(const Weights<T>&);                                                                 \
    template void advance(const Weights<T>&, State<T>&, std::int32_t, bool);                                           \
    template T predict(const Weights<T>&, const State<T>&, std::int32_t);                                              \
    template Vector<T> predictAll(const Weights<T>&, const State<T>&);                                                 \
    template Loss lossAndGradient(const Weights<T>&, const Batch&, double, std::uint64_t, Weights<T>&, Workspace<T>&); \
    template std::vector<T> predictBatch(const Weights<T>&, const Batch&, Workspace<T>&);

KITE_DKT_INSTANTIATE(float)
KITE_DKT_INSTANTIATE(double)

}  // namespace kite::dkt
