//! The Cortex-M workload on the host: it passes its own checks, and the bits
//! it reports (the very lines CI compares with the firmware's, bit for bit)
//! agree with the independently computed golden values of the tutorial's
//! step, and the gesture classifier's and the GRU audio effect's agree with
//! the same networks computed in `f64`. So the device's bits are not only
//! the host's, they are right.

mod common;

#[path = "../examples/cortex-m/src/hand.rs"]
mod hand;
#[path = "../examples/cortex-m/src/workload.rs"]
mod workload;

/// The workload's report, which must pass.
fn report() -> String {
    let mut out = String::new();
    let passed = workload::run(&mut out).expect("writing to a String cannot fail");
    assert!(passed, "the workload's checks failed:\n{out}");
    out
}

/// The `f32`s printed as bit patterns on the lines that follow the line
/// starting with `after`, up to the next line not starting with `label`.
fn bits_after(report: &str, after: &str, label: &str) -> Vec<f64> {
    let start = report
        .lines()
        .position(|l| l.starts_with(after))
        .unwrap_or_else(|| panic!("no line starting with {after:?}"));
    report
        .lines()
        .skip(start + 1)
        .take_while(|l| l.starts_with(label))
        .flat_map(|l| {
            l.split_once(']')
                .expect("a `[index]` column")
                .1
                .split_whitespace()
        })
        .map(|hex| {
            let bits = u32::from_str_radix(hex, 16).expect("8 hex digits");
            f64::from(f32::from_bits(bits))
        })
        .collect()
}

/// The loss printed as bits on the line starting with `prefix`.
fn loss_on(report: &str, prefix: &str) -> f64 {
    let line = report
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?}"));
    let hex = line[prefix.len()..]
        .split_whitespace()
        .next()
        .expect("the bits");
    f64::from(f32::from_bits(
        u32::from_str_radix(hex, 16).expect("8 hex digits"),
    ))
}

#[test]
fn the_reported_first_step_matches_the_golden_values() {
    let report = report();
    let golden = common::golden();
    let params = bits_after(&report, "seed step 1:", "seed params");
    let expected = common::numbers(&golden["updated_params_flat"]);
    assert_eq!(params.len(), 21);
    common::assert_close("parameters after one step", &params, &expected, 1e-4);
    let loss = loss_on(&report, "seed step 1: loss before update ");
    let expected_loss = golden["loss"].as_f64().expect("a number");
    common::assert_close("first loss", &[loss], &[expected_loss], 1e-4);
}

#[test]
fn the_report_carries_every_parameter_as_bits() {
    let report = report();
    let seed = workload::SeedNet::<f32>::PARAMS;
    let xor = workload::XorNet::<f32>::PARAMS;
    assert_eq!(
        bits_after(&report, "seed step 4:", "seed params").len(),
        seed
    );
    assert_eq!(
        bits_after(&report, "xor 2-8-8-1:", "xor initial").len(),
        xor
    );
    let trained = bits_after(
        &report,
        &format!("xor epoch {}:", workload::XOR_EPOCHS),
        "xor params",
    );
    assert_eq!(trained.len(), xor);
    assert!(trained.iter().all(|p| p.is_finite()));
    assert_eq!(report.lines().last(), Some("result: PASS"));
}

/// Asserts that `actual` is within `atol` of `expected`, value by value.
fn assert_near(what: &str, actual: &[f64], expected: &[f64], atol: f64) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (k, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= atol,
            "{what}[{k}]: got {a:e}, expected {e:e}"
        );
    }
}

#[test]
fn the_gesture_classifier_reports_what_f64_computes() {
    use backprop_core::loss::CrossEntropy;
    use backprop_core::optim::Sgd;
    use workload::GestureNet;

    let report = report();
    // The same start, window and steps in f64: the f32 run's rounding
    // stays far below these tolerances, a wrong sum or update does not.
    let mut initial = [0.0_f32; GestureNet::<f32>::PARAMS];
    workload::gesture_initial(&mut initial);
    let mut net = GestureNet::<f64>::from_params(initial.map(f64::from));
    let (window, target) = workload::gesture_sample();
    let window = window.map(|step| step.map(f64::from));
    let target = target.map(f64::from);
    let before = bits_after(&report, "gesture [3; 64]", "gesture forward before");
    assert_near("forward before", &before, &net.forward(&window), 1e-6);
    let mut sgd = Sgd::new(f64::from(workload::GESTURE_LEARNING_RATE));
    for step in 1..=workload::GESTURE_STEPS {
        let loss = net.train_step(&window, &target, &CrossEntropy, &mut sgd);
        let reported = loss_on(
            &report,
            &format!("gesture step {step}: loss before update "),
        );
        assert_near("loss", &[reported], &[loss], 1e-5);
    }
    let params = bits_after(
        &report,
        &format!("gesture step {}:", workload::GESTURE_STEPS),
        "gesture params",
    );
    assert_eq!(params.len(), GestureNet::<f64>::PARAMS);
    assert_near("trained parameters", &params, net.params(), 1e-5);
    // Training moved them: the comparison is not of the initial values.
    let moved = params
        .iter()
        .zip(&initial)
        .filter(|(p, i)| (*p - f64::from(**i)).abs() > 1e-3)
        .count();
    assert!(moved > 100, "only {moved} parameters moved");
}

#[test]
fn the_audio_effect_reports_what_f64_computes() {
    use backprop_core::loss::HalfSquaredError;
    use backprop_core::optim::Sgd;
    use workload::{AMP_STREAM, AMP_TRAIN_STEPS, AmpNet, AmpNetState};

    let report = report();
    let mut initial = [0.0_f32; AmpNet::<f32>::PARAMS];
    workload::amp_initial(&mut initial);
    let mut net = AmpNet::<f64>::from_params(initial.map(f64::from));
    // Streaming, one step per sample, in f64.
    let mut state = AmpNetState::<f64>::default();
    let expected: Vec<f64> = (0..AMP_STREAM)
        .map(|t| net.step(&mut state, &workload::amp_input(t).map(f64::from))[0])
        .collect();
    let outputs = bits_after(&report, "amp 1 => 16 GRU", "amp stream output");
    assert_near("streamed outputs", &outputs, &expected, 1e-6);
    let h = bits_after(&report, "amp stream output [ 56]", "amp stream state");
    assert_near("final hidden state", &h, &state.layer1.h, 1e-6);
    // The outputs follow the signal: not one value repeated.
    let spread = outputs
        .iter()
        .fold(0.0_f64, |m, y| m.max((y - outputs[0]).abs()));
    assert!(spread > 1e-3, "the outputs hardly move: {spread:e}");

    // BPTT training on the 16-step sequence, in f64.
    let (inputs, targets) = workload::amp_sequence();
    let inputs = inputs.map(|x| x.map(f64::from));
    let targets = targets.map(|t| t.map(f64::from));
    let mut sgd = Sgd::new(f64::from(workload::AMP_LEARNING_RATE));
    for step in 1..=AMP_TRAIN_STEPS {
        let loss = net.train_step(&inputs, &targets, &HalfSquaredError, &mut sgd);
        let reported = loss_on(
            &report,
            &format!("amp train step {step}: loss before update "),
        );
        assert_near("BPTT loss", &[reported], &[loss], 1e-6);
    }
    let params = bits_after(
        &report,
        &format!("amp train step {AMP_TRAIN_STEPS}:"),
        "amp train params [",
    );
    assert_eq!(params.len(), AmpNet::<f64>::PARAMS);
    assert_near("trained parameters", &params, net.params(), 1e-5);
    let moved = params
        .iter()
        .zip(&initial)
        .filter(|(p, i)| (*p - f64::from(**i)).abs() > 1e-4)
        .count();
    assert!(moved > 100, "only {moved} parameters moved");
}
