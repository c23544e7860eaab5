//! The tutorial's worked step against `seed_golden.json`, whose values were
//! computed independently (hand backprop in float64, checked against PyTorch,
//! autograd and finite differences). The tutorial's own hidden-layer figures
//! are wrong; these are the correct ones.

mod common;

use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;
use backprop_core::{Float, Scalar, network};
use common::{assert_close, golden, numbers};

network! {
    /// The network from the tutorial.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
}

fn seed<T: Scalar>(golden: &serde_json::Value) -> SeedNet<T> {
    let flat = numbers(&golden["params_flat"]);
    SeedNet::from_params(core::array::from_fn(|k| T::from_f64(flat[k])))
}

fn widen<T: Scalar>(values: &[T]) -> Vec<f64> {
    values.iter().map(|v| v.to_f64()).collect()
}

/// Runs the step in `T` and compares every quantity with `expected` (a
/// section of the golden file holding `forward`, `loss`, `grads`,
/// `updated_params`) to `rtol`.
fn check_step<T: Float>(expected: &serde_json::Value, rtol: f64) {
    let g = golden();
    let net = seed::<T>(&g);
    let x = [T::from_f64(numbers(&g["input"])[0])];
    let t = [T::from_f64(numbers(&g["target"])[0])];

    let trace = net.forward_trace(&x);
    let forward = &expected["forward"];
    for (name, values) in [
        ("j_in", &trace.layer1.pre_activation[..]),
        ("j_out", &trace.layer1.activation[..]),
        ("k_in", &trace.layer2.pre_activation[..]),
        ("k_out", &trace.layer2.activation[..]),
        ("o_in", &trace.layer3.pre_activation[..]),
        ("o_out", &trace.layer3.activation[..]),
    ] {
        assert_close(name, &widen(values), &numbers(&forward[name]), rtol);
    }
    assert_close(
        "forward()",
        &widen(&net.forward(&x)),
        &numbers(&forward["o_out"]),
        rtol,
    );

    let (loss, grads) = net.loss_and_gradients(&x, &t, &HalfSquaredError);
    assert_close("loss", &[loss.to_f64()], &numbers(&expected["loss"]), rtol);
    assert_close(
        "net.loss()",
        &[net.loss(&x, &t, &HalfSquaredError).to_f64()],
        &numbers(&expected["loss"]),
        rtol,
    );

    // Per layer, through the typed views. The golden file stores weights as
    // [in][out]; the views are [out][in], so transpose while reading.
    let eg = &expected["grads"];
    let transpose = |w: &[Vec<f64>]| -> Vec<f64> {
        (0..w[0].len())
            .flat_map(|o| w.iter().map(move |row| row[o]))
            .collect()
    };
    let rows = |v: &serde_json::Value| -> Vec<Vec<f64>> {
        v.as_array().unwrap().iter().map(numbers).collect()
    };
    assert_close(
        "dL/dwij",
        &widen(grads.layer1_weights().as_flattened()),
        &transpose(&rows(&eg["wij"])),
        rtol,
    );
    assert_close(
        "dL/dbij",
        &widen(grads.layer1_bias()),
        &numbers(&eg["bij"]),
        rtol,
    );
    assert_close(
        "dL/dwjk",
        &widen(grads.layer2_weights().as_flattened()),
        &transpose(&rows(&eg["wjk"])),
        rtol,
    );
    assert_close(
        "dL/dbjk",
        &widen(grads.layer2_bias()),
        &numbers(&eg["bjk"]),
        rtol,
    );
    assert_close(
        "dL/dwko",
        &widen(grads.layer3_weights().as_flattened()),
        &transpose(&rows(&eg["wko"])),
        rtol,
    );
    assert_close(
        "dL/dbo",
        &widen(grads.layer3_bias()),
        &numbers(&eg["bo"]),
        rtol,
    );

    let mut trained = net;
    let lr = T::from_f64(g["learning_rate"].as_f64().unwrap());
    let before = trained.train_step(&x, &t, &HalfSquaredError, &mut Sgd::new(lr));
    assert_eq!(
        before, loss,
        "train_step returns the loss before the update"
    );
    let eu = &expected["updated_params"];
    assert_close(
        "new wij",
        &widen(trained.layer1_weights().as_flattened()),
        &transpose(&rows(&eu["wij"])),
        rtol,
    );
    assert_close(
        "new bij",
        &widen(trained.layer1_bias()),
        &numbers(&eu["bij"]),
        rtol,
    );
    assert_close(
        "new wjk",
        &widen(trained.layer2_weights().as_flattened()),
        &transpose(&rows(&eu["wjk"])),
        rtol,
    );
    assert_close(
        "new bjk",
        &widen(trained.layer2_bias()),
        &numbers(&eu["bjk"]),
        rtol,
    );
    assert_close(
        "new wko",
        &widen(trained.layer3_weights().as_flattened()),
        &transpose(&rows(&eu["wko"])),
        rtol,
    );
    assert_close(
        "new bo",
        &widen(trained.layer3_bias()),
        &numbers(&eu["bo"]),
        rtol,
    );
}

#[test]
fn f64_step_matches_golden_to_1e_12() {
    check_step::<f64>(&golden(), 1e-12);
}

#[test]
fn f32_step_matches_golden_to_1e_4() {
    let g = golden();
    check_step::<f32>(&g, 1e-4);
    check_step::<f32>(&g["float32"], 1e-4);
}

#[test]
fn flat_order_matches_the_golden_flat_arrays() {
    let g = golden();
    let net = seed::<f64>(&g);
    let (x, t) = ([2.0], [3.0]);
    let (_, grads) = net.loss_and_gradients(&x, &t, &HalfSquaredError);
    assert_close(
        "grads_flat",
        grads.params(),
        &numbers(&g["grads_flat"]),
        1e-12,
    );
    let mut trained = net;
    trained.train_step(&x, &t, &HalfSquaredError, &mut Sgd::new(0.25));
    assert_close(
        "updated_params_flat",
        trained.params(),
        &numbers(&g["updated_params_flat"]),
        1e-12,
    );
}

#[test]
fn parameter_count_is_the_tutorials_21() {
    const { assert!(SeedNet::<f32>::PARAMS == 21) };
    assert_eq!(SeedNet::<f64>::INPUTS, 1);
    assert_eq!(SeedNet::<f64>::OUTPUTS, 1);
    assert_eq!(SeedNet::<f64>::LAYERS, 3);
    assert_eq!(SeedNet::<f32>::PARAM_BYTES, 21 * 4);
    assert_eq!(SeedNet::<f64>::PARAM_BYTES, 21 * 8);
    // The input (1), then pre-activations and activations of 4, 2 and 1 neurons.
    assert_eq!(SeedNet::<f32>::TRACE_BYTES, (1 + 2 * (4 + 2 + 1)) * 4);
    const { assert!(SeedNet::<f32>::PARAM_BYTES + SeedNet::<f32>::TRACE_BYTES <= 256) };
    // 4 + 4, 8 + 2, 2 + 1, as the tutorial counts them.
    let net = SeedNet::<f32>::default();
    assert_eq!(net.layer1_weights().len() + net.layer1_bias().len(), 8);
    assert_eq!(
        net.layer2_weights().as_flattened().len() + net.layer2_bias().len(),
        10
    );
    assert_eq!(
        net.layer3_weights().as_flattened().len() + net.layer3_bias().len(),
        3
    );
}

#[test]
fn training_on_reduces_the_loss() {
    let g = golden();
    let mut net = seed::<f64>(&g);
    let mut sgd = Sgd::new(0.25);
    let first = net.train_step(&[2.0], &[3.0], &HalfSquaredError, &mut sgd);
    let mut last = first;
    for _ in 0..50 {
        last = net.train_step(&[2.0], &[3.0], &HalfSquaredError, &mut sgd);
    }
    assert!(last < first * 1e-6, "loss went from {first} to {last}");
    assert!((net.forward(&[2.0])[0] - 3.0).abs() < 1e-3);
}
