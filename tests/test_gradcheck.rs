//! Every analytic gradient against a central finite difference, in f64, for
//! random networks covering each activation, in both the straight-line form
//! (small layers) and the loop form (layers over the unroll limit).

mod common;

use backprop_core::loss::{HalfSquaredError, Loss};
use backprop_core::network;
use common::Rng;

network! {
    struct Mixed: 3 => 5 Tanh => 4 ReLU => 2 Sigmoid;
    struct Chain: 2 => 3 Sigmoid => 3 Linear => 1 Tanh;
    struct Single: 1 => 1 Linear;
    /// 20 x 20 = 400 weights: above the unroll limit, so loops.
    struct Looped: 4 => 20 ReLU => 20 Tanh => 3 Linear;
    struct LoopedSigmoid: 17 => 16 Sigmoid => 2 ReLU;
    /// The smooth activations PyTorch users reach for, and the clamps.
    struct Smooth: 3 => 4 SiLU => 4 GELU => 3 GELU(tanh) => 3 ELU(0.7) => 3 Softplus => 3 ReLU6 => 2 Hardtanh;
}

/// Checks one network type on `samples` random (weights, input, target)
/// draws. `relu_pre` returns every ReLU pre-activation so that draws within
/// reach of the kink, where the derivative is not defined, are skipped.
macro_rules! gradcheck {
    ($net:ident, $rng:expr, $samples:expr, |$trace:ident| $relu_pre:expr) => {{
        let rng: &mut Rng = $rng;
        let mut checked = 0;
        for _ in 0..$samples {
            let net = $net::<f64>::from_params(rng.array(-1.0, 1.0));
            let x = rng.array(-2.0, 2.0);
            let t = rng.array(-1.0, 1.0);
            let $trace = net.forward_trace(&x);
            let relu_pre: Vec<f64> = $relu_pre;
            if relu_pre.iter().any(|z| z.abs() < 1e-3) {
                continue;
            }
            let (loss, grads) = net.loss_and_gradients(&x, &t, &HalfSquaredError);
            assert_eq!(loss, HalfSquaredError.loss(&net.forward(&x), &t));
            let h = 1e-6;
            for k in 0..$net::<f64>::PARAMS {
                let (mut up, mut down) = (net, net);
                up.params_mut()[k] += h;
                down.params_mut()[k] -= h;
                let numeric = (up.loss(&x, &t, &HalfSquaredError)
                    - down.loss(&x, &t, &HalfSquaredError))
                    / (2.0 * h);
                let analytic = grads.params()[k];
                assert!(
                    (numeric - analytic).abs() <= 1e-7 + 1e-5 * numeric.abs(),
                    "{} parameter {k}: analytic {analytic:e}, numeric {numeric:e}",
                    stringify!($net)
                );
            }
            checked += 1;
        }
        assert!(checked * 2 > $samples, "too many draws near a ReLU kink");
    }};
}

#[test]
fn tanh_relu_sigmoid() {
    gradcheck!(Mixed, &mut Rng(1), 40, |tr| tr
        .layer2
        .pre_activation
        .to_vec());
}

#[test]
fn sigmoid_linear_tanh() {
    gradcheck!(Chain, &mut Rng(2), 40, |_tr| Vec::new());
}

#[test]
fn single_linear_neuron() {
    gradcheck!(Single, &mut Rng(3), 10, |_tr| Vec::new());
}

#[test]
fn loop_form_relu_tanh_linear() {
    gradcheck!(Looped, &mut Rng(4), 10, |tr| tr
        .layer1
        .pre_activation
        .to_vec());
}

#[test]
fn loop_form_sigmoid_relu() {
    gradcheck!(LoopedSigmoid, &mut Rng(5), 10, |tr| tr
        .layer2
        .pre_activation
        .to_vec());
}

#[test]
fn silu_gelu_elu_softplus_relu6_hardtanh() {
    // Skip draws within reach of ReLU6's kinks at 0 and 6 and Hardtanh's at
    // -1 and 1, where the derivative is not defined.
    gradcheck!(Smooth, &mut Rng(7), 40, |tr| {
        let mut near: Vec<f64> = tr
            .layer6
            .pre_activation
            .iter()
            .flat_map(|z| [*z, z - 6.0])
            .collect();
        near.extend(
            tr.layer7
                .pre_activation
                .iter()
                .flat_map(|z| [z - 1.0, z + 1.0]),
        );
        near
    });
}

#[test]
fn batch_gradients_accumulate() {
    // accumulate_gradients over two samples equals the sum of the two
    // single-sample gradients.
    let mut rng = Rng(6);
    let net = Mixed::<f64>::from_params(rng.array(-1.0, 1.0));
    let (x1, x2): ([f64; 3], [f64; 3]) = (rng.array(-1.0, 1.0), rng.array(-1.0, 1.0));
    let t = [0.25, 0.75];
    let (l1, g1) = net.loss_and_gradients(&x1, &t, &HalfSquaredError);
    let (l2, g2) = net.loss_and_gradients(&x2, &t, &HalfSquaredError);
    let mut sum = Mixed::<f64>::default();
    let a = net.accumulate_gradients(&net.forward_trace(&x1), &t, &HalfSquaredError, &mut sum);
    let b = net.accumulate_gradients(&net.forward_trace(&x2), &t, &HalfSquaredError, &mut sum);
    assert_eq!((a, b), (l1, l2));
    for k in 0..Mixed::<f64>::PARAMS {
        assert_eq!(sum.params()[k], g1.params()[k] + g2.params()[k]);
    }
}
