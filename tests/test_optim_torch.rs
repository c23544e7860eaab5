//! The optimizers against PyTorch's: 100 steps of training in `f64`, from
//! the same parameters on the same data, compared with the trajectories in
//! `tests/fixtures/optim_torch.json`, which `scripts/optim_fixtures.py`
//! wrote with PyTorch's `SGD`, `Adam`, `AdamW`, `clip_grad_norm_` and
//! `clip_grad_value_` (the script says how).
//!
//! Both sides compute the same formulas in a different order (PyTorch, for
//! instance, divides Adam's step by `sqrt(v) / sqrt(1 - b2^t) + eps` where
//! this crate takes `sqrt(v / (1 - b2^t)) + eps`, and sums a norm tensor by
//! tensor), so they differ in the last bits, and training carries those
//! differences along. Every parameter and every loss stays within `1e-13`
//! of PyTorch's, relative to its size (or absolutely, for a value below 1),
//! for 100 steps; the largest difference measured is about `2.4e-15`, ten
//! ulp of a value near 1 (the test prints each case's).

use std::path::Path;

use backprop_core::loss::HalfSquaredError;
use backprop_core::network;
use backprop_core::optim::{Adam, ClipGradNorm, ClipGradValue, Optimizer, Sgd};
use serde_json::Value;

network! {
    /// `nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))`.
    struct Net: 3 => 5 Tanh => 2 Linear;
}

const P: usize = Net::<f64>::PARAMS;

/// The largest difference allowed, relative to the larger of the value's
/// size and 1.
const TOLERANCE: f64 = 1e-13;

struct Fixture {
    inputs: Vec<[f64; 3]>,
    targets: Vec<[f64; 2]>,
    initial: [f64; P],
    cases: Vec<Value>,
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn fixture() -> Fixture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/optim_torch.json");
    let text = std::fs::read_to_string(&path).expect("read the fixture");
    let json: Value = serde_json::from_str(&text).expect("parse the fixture");
    assert_eq!(json["network"], "3 => 5 Tanh => 2 Linear");
    let rows = |key: &str| -> Vec<Vec<f64>> {
        json[key]
            .as_array()
            .expect("rows")
            .iter()
            .map(numbers)
            .collect()
    };
    Fixture {
        inputs: rows("inputs")
            .iter()
            .map(|r| r.as_slice().try_into().expect("3 inputs"))
            .collect(),
        targets: rows("targets")
            .iter()
            .map(|r| r.as_slice().try_into().expect("2 targets"))
            .collect(),
        initial: numbers(&json["initial"])
            .as_slice()
            .try_into()
            .expect("32 parameters"),
        cases: json["cases"].as_array().expect("cases").clone(),
    }
}

/// What one run gives: the loss before each step and the parameters after
/// each step.
struct Trajectory {
    losses: Vec<f64>,
    params: Vec<[f64; P]>,
}

/// 100 steps of `optimizer` as the case's mode says, through the plain
/// training methods (`checked: false`) or the `try_` ones.
fn train<O: Optimizer<f64, P>>(
    fx: &Fixture,
    mode: &str,
    mut optimizer: O,
    checked: bool,
) -> Trajectory {
    let mut net = Net::<f64>::from_params(fx.initial);
    let mut trajectory = Trajectory {
        losses: Vec::new(),
        params: Vec::new(),
    };
    for k in 0..100 {
        let (x, t) = (&fx.inputs[k % 8], &fx.targets[k % 8]);
        let loss = match (mode, checked) {
            ("step", false) => net.train_step(x, t, &HalfSquaredError, &mut optimizer),
            ("step", true) => net
                .try_train_step(x, t, &HalfSquaredError, &mut optimizer)
                .expect("a finite step"),
            ("batch", false) => {
                net.train_batch(&fx.inputs, &fx.targets, &HalfSquaredError, &mut optimizer)
            }
            ("batch", true) => net
                .try_train_batch(&fx.inputs, &fx.targets, &HalfSquaredError, &mut optimizer)
                .expect("a finite step"),
            _ => panic!("unknown mode {mode}"),
        };
        trajectory.losses.push(loss);
        trajectory.params.push(*net.params());
    }
    trajectory
}

/// The case's trajectory, plain and checked (which must agree bit for bit).
fn both<O: Optimizer<f64, P> + Clone>(fx: &Fixture, mode: &str, optimizer: O) -> Trajectory {
    let plain = train(fx, mode, optimizer.clone(), false);
    let checked = train(fx, mode, optimizer, true);
    let bits = |t: &Trajectory| -> Vec<u64> {
        t.losses
            .iter()
            .chain(t.params.iter().flatten())
            .map(|v| v.to_bits())
            .collect()
    };
    assert!(
        bits(&plain) == bits(&checked),
        "the try_ methods stepped differently from the plain ones"
    );
    plain
}

fn arg(case: &Value, key: &str) -> f64 {
    case["arguments"][key]
        .as_f64()
        .unwrap_or_else(|| panic!("{}: no {key}", case["name"]))
}

fn arg_or(case: &Value, key: &str, default: f64) -> f64 {
    case["arguments"][key].as_f64().unwrap_or(default)
}

/// `optimizer`, wrapped in the case's clip if it has one, trained.
fn with_clip<O: Optimizer<f64, P> + Clone>(
    fx: &Fixture,
    case: &Value,
    mode: &str,
    optimizer: O,
) -> Trajectory {
    let clip = &case["clip"];
    let value = || clip["value"].as_f64().expect("a clip value");
    match clip["kind"].as_str() {
        None => both(fx, mode, optimizer),
        Some("norm") => both(fx, mode, ClipGradNorm::new(optimizer, value())),
        Some("value") => both(fx, mode, ClipGradValue::new(optimizer, value())),
        Some(other) => panic!("unknown clip {other}"),
    }
}

fn sgd_case(fx: &Fixture, case: &Value, mode: &str) -> Trajectory {
    let lr = arg(case, "lr");
    let momentum = arg_or(case, "momentum", 0.0);
    let dampening = arg_or(case, "dampening", 0.0);
    let decay = arg_or(case, "weight_decay", 0.0);
    let nesterov = case["arguments"]["nesterov"] == true;
    if momentum == 0.0 {
        assert_eq!(dampening, 0.0);
        if decay == 0.0 {
            with_clip(fx, case, mode, Sgd::new(lr))
        } else {
            with_clip(fx, case, mode, Sgd::new(lr).with_weight_decay(decay))
        }
    } else {
        let sgd = Sgd::new(lr)
            .with_weight_decay(decay)
            .with_momentum::<P>(momentum)
            .with_dampening(dampening);
        let sgd = if nesterov { sgd.nesterov() } else { sgd };
        with_clip(fx, case, mode, sgd)
    }
}

fn adam_case(fx: &Fixture, case: &Value, mode: &str) -> Trajectory {
    let lr = arg(case, "lr");
    let betas = case["arguments"]["betas"]
        .as_array()
        .map_or([0.9, 0.999], |b| {
            [b[0].as_f64().unwrap(), b[1].as_f64().unwrap()]
        });
    let eps = arg_or(case, "eps", 1e-8);
    let decay = arg_or(case, "weight_decay", 0.0);
    let adam = Adam::<f64, P>::new(lr)
        .with_betas(betas[0], betas[1])
        .with_epsilon(eps);
    match case["optimizer"].as_str() {
        // PyTorch's AdamW decays by 0.01 when no decay is given.
        Some("AdamW") => with_clip(
            fx,
            case,
            mode,
            adam.with_decoupled_weight_decay(arg_or(case, "weight_decay", 0.01)),
        ),
        _ if decay == 0.0 => with_clip(fx, case, mode, adam),
        _ => with_clip(fx, case, mode, adam.with_weight_decay(decay)),
    }
}

/// The difference of `ours` from `theirs`, in units of the tolerance's
/// scale.
fn error(ours: f64, theirs: f64) -> f64 {
    (ours - theirs).abs() / theirs.abs().max(1.0)
}

#[test]
fn every_optimizer_follows_pytorchs_trajectory_for_100_steps() {
    let fx = fixture();
    assert!(fx.cases.len() >= 16, "the fixture has every case");
    let mut report = Vec::new();
    for case in &fx.cases {
        let name = case["name"].as_str().expect("a name");
        let mode = case["mode"].as_str().expect("a mode");
        let ours = match case["optimizer"].as_str() {
            Some("SGD") => sgd_case(&fx, case, mode),
            Some("Adam" | "AdamW") => adam_case(&fx, case, mode),
            other => panic!("{name}: unknown optimizer {other:?}"),
        };
        let theirs = numbers(&case["losses"]);
        let mut worst: f64 = 0.0;
        for (k, (a, b)) in ours.losses.iter().zip(&theirs).enumerate() {
            let e = error(*a, *b);
            assert!(
                e <= TOLERANCE,
                "{name}: loss {k}: {a} against PyTorch's {b}"
            );
            worst = worst.max(e);
        }
        let checkpoints = case["params"].as_object().expect("checkpoints");
        assert_eq!(checkpoints.len(), 5);
        for (step, params) in checkpoints {
            let step: usize = step.parse().expect("a step number");
            for (i, (a, b)) in ours.params[step - 1]
                .iter()
                .zip(numbers(params))
                .enumerate()
            {
                let e = error(*a, b);
                assert!(
                    e <= TOLERANCE,
                    "{name}: after step {step}, parameter {i} is {a}, PyTorch's {b}"
                );
                worst = worst.max(e);
            }
        }
        report.push(format!("{name}: {worst:.1e}"));
    }
    println!("largest difference per case: {}", report.join(", "));
}

/// The clipped cases test clipping only if the clip changes the run: each
/// leaves PyTorch's trajectory when it is taken away.
#[test]
fn each_clip_in_the_fixture_changes_the_trajectory() {
    let fx = fixture();
    let mut clipped = 0;
    for case in fx.cases.iter().filter(|c| c["clip"].is_object()) {
        let mut unclipped = case.clone();
        unclipped["clip"] = Value::Null;
        let mode = case["mode"].as_str().unwrap();
        let ours = match case["optimizer"].as_str() {
            Some("SGD") => sgd_case(&fx, &unclipped, mode),
            _ => adam_case(&fx, &unclipped, mode),
        };
        let theirs = numbers(&case["params"]["100"]);
        let moved = ours.params[99]
            .iter()
            .zip(&theirs)
            .map(|(a, b)| error(*a, *b))
            .fold(0.0, f64::max);
        assert!(moved > 1e-3, "{}: the clip never acted", case["name"]);
        clipped += 1;
    }
    assert_eq!(clipped, 4);
}
