//! The two code forms of a layer, straight-line (`#[unroll(full)]`) and the
//! loop kernels (`#[unroll(loops)]`), compute the same bits: forward values,
//! every gradient and the parameters after training steps, in `f32` and
//! `f64`, for shapes that hit the kernels' full blocks and their remainders.

use backprop_core::loss::HalfSquaredError;
use backprop_core::network;
use backprop_core::optim::Sgd;

network! {
    /// Every activation, all layers straight-line.
    #[unroll(full)]
    struct SmallFull: 3 => 5 ReLU => 4 Tanh => 2 Sigmoid => 3 Linear;
    /// The same network, all layers loops.
    #[unroll(loops)]
    struct SmallLoops: 3 => 5 ReLU => 4 Tanh => 2 Sigmoid => 3 Linear;
    /// A block of 16 outputs plus a remainder of 4, then a short layer.
    #[unroll(full)]
    struct WideFull: 7 => 20 Tanh => 33 ReLU => 2 Linear;
    /// The same, as loops.
    #[unroll(loops)]
    struct WideLoops: 7 => 20 Tanh => 33 ReLU => 2 Linear;
    /// The same again with the default policy (a mix of both forms).
    struct WideDefault: 7 => 20 Tanh => 33 ReLU => 2 Linear;
    /// The activations PyTorch users reach for, straight-line.
    #[unroll(full)]
    struct SmoothFull: 3 => 5 SiLU => 4 GELU => 4 GELU(tanh) => 3 ELU(0.5) => 3 Softplus => 3 ReLU6 => 2 Hardtanh;
    /// The same, as loops.
    #[unroll(loops)]
    struct SmoothLoops: 3 => 5 SiLU => 4 GELU => 4 GELU(tanh) => 3 ELU(0.5) => 3 Softplus => 3 ReLU6 => 2 Hardtanh;
}

/// Deterministic values in `[-scale, scale)` that exercise signs, zeros of
/// ReLU and saturation of tanh.
fn values<const N: usize>(seed: u64, scale: f64) -> [f64; N] {
    let mut state = seed;
    core::array::from_fn(|_| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        #[allow(clippy::cast_precision_loss)]
        let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
        (2.0 * unit - 1.0) * scale
    })
}

macro_rules! same_bits {
    ($name:ident, $full:ident, $loops:ident, $t:ty, $in:literal, $out:literal) => {
        #[test]
        fn $name() {
            #[allow(clippy::cast_possible_truncation)]
            let params: [$t; $full::<$t>::PARAMS] =
                values::<{ $full::<$t>::PARAMS }>(7, 0.8).map(|v| v as $t);
            let mut full = $full::<$t>::from_params(params);
            let mut loops = $loops::<$t>::from_params(params);
            let mut sgd = Sgd::new(0.05);
            for step in 0..20_u64 {
                #[allow(clippy::cast_possible_truncation)]
                let x = values::<$in>(100 + step, 3.0).map(|v| v as $t);
                #[allow(clippy::cast_possible_truncation)]
                let t = values::<$out>(200 + step, 1.0).map(|v| v as $t);
                let (yf, yl) = (full.forward(&x), loops.forward(&x));
                assert_eq!(
                    yf.map(<$t>::to_bits),
                    yl.map(<$t>::to_bits),
                    "forward, step {step}"
                );
                let (lf, gf) = full.loss_and_gradients(&x, &t, &HalfSquaredError);
                let (ll, gl) = loops.loss_and_gradients(&x, &t, &HalfSquaredError);
                assert_eq!(lf.to_bits(), ll.to_bits(), "loss, step {step}");
                assert_eq!(
                    gf.params().map(<$t>::to_bits),
                    gl.params().map(<$t>::to_bits),
                    "gradients, step {step}"
                );
                full.train_step(&x, &t, &HalfSquaredError, &mut sgd);
                loops.train_step(&x, &t, &HalfSquaredError, &mut sgd);
                assert_eq!(
                    full.params().map(<$t>::to_bits),
                    loops.params().map(<$t>::to_bits),
                    "parameters, step {step}"
                );
            }
            // The training moved the parameters: the comparison was not of
            // two untouched copies.
            assert_ne!(full.params(), &params);
        }
    };
}

same_bits!(small_f32, SmallFull, SmallLoops, f32, 3, 3);
same_bits!(small_f64, SmallFull, SmallLoops, f64, 3, 3);
same_bits!(wide_f32, WideFull, WideLoops, f32, 7, 2);
same_bits!(wide_f64, WideFull, WideLoops, f64, 7, 2);
same_bits!(default_policy_f32, WideFull, WideDefault, f32, 7, 2);
same_bits!(smooth_f32, SmoothFull, SmoothLoops, f32, 3, 2);
same_bits!(smooth_f64, SmoothFull, SmoothLoops, f64, 3, 2);
