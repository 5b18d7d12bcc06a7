// The DKT compute kernels behind kite/dkt.h, written against raw buffers so
// they can be compiled twice: once for any x86-64 (and every other CPU) and
// once with AVX2 and FMA, chosen at run time. Internal to the engine.
//
// The AVX2 copy renames Eigen's namespace and must not instantiate any other
// template (std:: included) that the rest of the program also uses: the
// linker keeps one copy of such code, and an AVX2 copy would crash an older
// CPU. tests/engine/check_avx2_symbols.sh checks this on every build.
#pragma once

#include <cstdint>

#include "kite/dkt_types.h"

namespace kite::dkt {
namespace kernels {

template <class T>
struct Params {
    std::int32_t skills;
    std::int32_t hidden;
    const T* input;        // 4H x 2K
    const T* recurrent;    // 4H x H
    const T* bias;         // 4H
    const T* output;       // K x H
    const T* output_bias;  // K
};

template <class T>
struct Gradient {
    T* input;
    T* recurrent;
    T* bias;
    T* output;
    T* output_bias;
};

struct BatchView {
    std::int32_t steps;
    std::int32_t size;
    const std::int32_t* interactions;  // steps x size, step-major, -1 = none
};

// Scratch of one batch, sized and zeroed by the caller (see dkt.cpp).
template <class T>
struct Buffers {
    T* gates;        // 4H x (T*B)
    T* cells;        // H x ((T+1)*B), zero
    T* hiddens;      // H x ((T+1)*B), zero
    T* tanh_cells;   // H x (T*B)
    T* output_grad;  // H x (T*B), zero
    const T* masks;  // H x (T*B): dropout masks scaled by 1/(1-p), 1 without dropout
    T* scratch;      // 4H x B (backward), H x 1 (output)
};

#define KITE_DKT_DECLARE_KERNELS(NS)                                                                                 \
    namespace NS {                                                                                                   \
    template <class T>                                                                                               \
    void forward(const Params<T>& w, const BatchView& batch, const Buffers<T>& ws);                                  \
    template <class T>                                                                                               \
    Loss lossAndGradient(const Params<T>& w, const BatchView& batch, const Gradient<T>& grad, const Buffers<T>& ws); \
    template <class T>                                                                                               \
    void predictNext(const Params<T>& w, const BatchView& batch, const Buffers<T>& ws, T* out);                      \
    template <class T>                                                                                               \
    void step(const Params<T>& w, T* h, T* c, std::int32_t interaction, T* gates);                                   \
    }

KITE_DKT_DECLARE_KERNELS(generic)
#if defined(KITE_DKT_HAVE_AVX2)
KITE_DKT_DECLARE_KERNELS(avx2)
#endif

}  // namespace kernels
}  // namespace kite::dkt
