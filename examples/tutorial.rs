//! The tutorial's worked example, step by step, by the generated code.
//!
//! The tutorial ("Pengenalan Deep Learning Part 3: BackPropagation
//! Algorithm") trains a 1 => 4 ReLU => 2 Sigmoid => 1 Linear network for one
//! SGD step by hand. This example declares that network with `network!`,
//! runs the same step, and prints every forward value, the loss, the 21
//! gradients and the old-versus-new parameters beside the figures the
//! tutorial prints. The tutorial's output layer is right; several of its
//! hidden-layer figures are not, and the example says where and by how much
//! (errata E1-E6, from `docs/SEED_ERRATA.md`). Then it trains on and shows the
//! loss falling.
//!
//! Run it with `cargo run --example tutorial`.

use std::fmt::Write as _;
use std::io::IsTerminal;

use backprop_core::loss::HalfSquaredError;
use backprop_core::network;
use backprop_core::optim::Sgd;

network! {
    /// The network from the tutorial.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
}

/// The tutorial's starting parameters in the crate's flat order: per layer,
/// the weights as [out][in], then the biases.
const INITIAL: [f64; 21] = [
    0.25, 0.5, 0.75, 1.0, // wij: input -> j1..j4
    1.0, 1.0, 1.0, 1.0, // bij
    1.0, 0.75, 0.5, 0.25, // wjk: j1..j4 -> k1
    0.0, 0.25, 0.5, 0.75, // wjk: j1..j4 -> k2
    1.0, 1.0, // bjk
    1.0, 0.5, // wko: k1, k2 -> o
    1.0, // bo
];
const X: f64 = 2.0;
const TARGET: f64 = 3.0;
const LEARNING_RATE: f64 = 0.25;

/// The golden values, computed independently of this crate (float64 hand
/// backprop, checked against PyTorch, autograd and finite differences).
const GOLDEN: &str = include_str!("../tests/fixtures/seed_golden.json");

/// One printed line: a name, the computed value, the tutorial's figure as it
/// prints it (if it prints one), and the errata that explain a difference.
struct Row {
    name: String,
    computed: f64,
    tutorial: Option<&'static str>,
    errata: &'static str,
    /// For an updated parameter, its old value: a figure that differs is
    /// then judged by the step it implies (`new - old`), which is where an
    /// error in the gradient shows.
    old: Option<f64>,
}

fn row(
    name: impl Into<String>,
    computed: f64,
    tutorial: Option<&'static str>,
    errata: &'static str,
) -> Row {
    Row {
        name: name.into(),
        computed,
        tutorial,
        errata,
        old: None,
    }
}

fn update_row(name: &str, old: f64, new: f64, tutorial: &'static str, errata: &'static str) -> Row {
    Row {
        name: format!("{name:<5} (was {old})"),
        computed: new,
        tutorial: Some(tutorial),
        errata,
        old: Some(old),
    }
}

/// Terminal styling, off when stdout is not a terminal or `NO_COLOR` is set.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    fn yellow(&self, t: &str) -> String {
        self.paint("33", t)
    }
    fn red(&self, t: &str) -> String {
        self.paint("31", t)
    }
}

/// How the tutorial's printed figure compares with the computed value.
enum Verdict {
    /// Equal to the digits printed.
    Agrees,
    /// Off in the last digits: a rounded value carried forward.
    Rounded(f64),
    /// Wrong by more than rounding explains.
    Wrong(f64),
}

fn verdict(computed: f64, printed: &str, old: Option<f64>) -> Verdict {
    let figure: f64 = printed.parse().expect("a tutorial figure is a number");
    let decimals = printed.split_once('.').map_or(0, |(_, d)| d.len());
    let half_unit = 0.5 * 10f64.powi(-i32::try_from(decimals).unwrap_or(0));
    let agrees = (figure - computed).abs() <= half_unit * (1.0 + 1e-9);
    // Judge an update by its step, and anything else by its value.
    let (figure, computed) = match old {
        Some(old) => (figure - old, computed - old),
        None => (figure, computed),
    };
    let relative = (figure - computed).abs() / computed.abs().max(f64::MIN_POSITIVE);
    if agrees {
        Verdict::Agrees
    } else if relative < 1e-3 {
        Verdict::Rounded(relative)
    } else {
        Verdict::Wrong(figure / computed)
    }
}

fn section(out: &mut String, s: &Style, title: &str, rows: &[Row]) {
    let _ = writeln!(out, "\n{}", s.bold(title));
    let _ = writeln!(
        out,
        "  {}",
        s.dim(&format!(
            "{:<16} {:>20}   {:<15} {}",
            "quantity", "computed", "tutorial", "verdict"
        ))
    );
    for r in rows {
        let computed = format!("{:>20}", format_value(r.computed));
        let (tutorial, judged) = match r.tutorial {
            None => (format!("{:<15}", "-"), s.dim("(not printed)")),
            Some(printed) => {
                let what = if r.old.is_some() { "step" } else { "value" };
                let judged = match verdict(r.computed, printed, r.old) {
                    Verdict::Agrees => s.green("✓ agrees"),
                    Verdict::Rounded(rel) => {
                        s.yellow(&format!("≈ rounding, {what} {:.2} % off", rel * 100.0))
                    }
                    Verdict::Wrong(ratio) => {
                        let how = if ratio.abs() >= 2.0 {
                            format!("{ratio:.1}x the true {what}")
                        } else {
                            format!("{what} {:+.2} %", (ratio - 1.0) * 100.0)
                        };
                        s.red(&format!("✗ wrong, {how} [{}]", r.errata))
                    }
                };
                (format!("{printed:<15}"), judged)
            }
        };
        let _ = writeln!(out, "  {:<16} {computed}   {tutorial} {judged}", r.name);
    }
}

/// Six significant digits, without trailing noise.
fn format_value(v: f64) -> String {
    if v == 0.0 {
        return "0".to_owned();
    }
    let magnitude = v.abs().log10().floor();
    let decimals = usize::try_from((5.0 - magnitude).max(0.0) as i64).unwrap_or(0);
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

fn golden_flat(key: &str) -> Vec<f64> {
    let json: serde_json::Value = serde_json::from_str(GOLDEN).expect("the golden file parses");
    json[key]
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect()
}

fn max_relative_error(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(a, b)| (a - b).abs() / b.abs().max(1e-300))
        .fold(0.0, f64::max)
}

#[allow(clippy::too_many_lines)]
fn main() {
    let s = Style {
        on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = String::new();
    let net = SeedNet::<f64>::from_params(INITIAL);
    let (x, t) = ([X], [TARGET]);

    let _ = writeln!(
        out,
        "{}",
        s.bold("backprop · the tutorial's training step, worked by generated code")
    );
    let _ = writeln!(out);
    let per_layer = [
        net.layer1_weights().as_flattened().len() + net.layer1_bias().len(),
        net.layer2_weights().as_flattened().len() + net.layer2_bias().len(),
        net.layer3_weights().as_flattened().len() + net.layer3_bias().len(),
    ];
    let _ = writeln!(
        out,
        "  network    1 => 4 ReLU => 2 Sigmoid => 1 Linear  ({} parameters: {} + {} + {})",
        SeedNet::<f64>::PARAMS,
        per_layer[0],
        per_layer[1],
        per_layer[2]
    );
    let _ = writeln!(out, "  sample     x = {X}, target t = {TARGET}");
    let _ = writeln!(
        out,
        "  loss       L = 1/2 (o - t)^2, one SGD step with learning rate {LEARNING_RATE}, in f64"
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  {} the tutorial's figure equals the computed one to the digits it prints",
        s.green("✓")
    );
    let _ = writeln!(
        out,
        "  {} right formula; the tutorial carried a rounded value (-0.506, 0.9975) into it",
        s.yellow("≈")
    );
    let _ = writeln!(
        out,
        "  {} the tutorial's arithmetic is wrong here; [E1]..[E6] are explained at the end",
        s.red("✗")
    );
    let _ = writeln!(
        out,
        "  {}",
        s.dim("An updated parameter that differs is judged by its step, new - old.")
    );

    // 1. Forward.
    let trace = net.forward_trace(&x);
    let mut rows = Vec::new();
    let j_printed = ["1.5", "2", "2.5", "3"];
    for (k, printed) in j_printed.iter().enumerate() {
        rows.push(row(
            format!("j{}_in", k + 1),
            trace.layer1.pre_activation[k],
            Some(printed),
            "",
        ));
    }
    for (k, printed) in j_printed.iter().enumerate() {
        rows.push(row(
            format!("j{}_out  ReLU", k + 1),
            trace.layer1.activation[k],
            Some(printed),
            "",
        ));
    }
    for (k, printed) in ["6", "5"].iter().enumerate() {
        rows.push(row(
            format!("k{}_in", k + 1),
            trace.layer2.pre_activation[k],
            Some(printed),
            "",
        ));
    }
    for (k, printed) in ["0.9975", "0.9933"].iter().enumerate() {
        rows.push(row(
            format!("k{}_out  sigmoid", k + 1),
            trace.layer2.activation[k],
            Some(printed),
            "",
        ));
    }
    rows.push(row(
        "o_in = o_out",
        trace.layer3.activation[0],
        Some("2.494"),
        "",
    ));
    let (loss, grads) = net.backward(&trace, &t, &HalfSquaredError);
    rows.push(row("loss", loss, Some("0.128"), ""));
    rows.push(row(
        "dL/do = o - t",
        trace.layer3.activation[0] - TARGET,
        Some("-0.506"),
        "",
    ));
    section(&mut out, &s, "1 · Forward pass", &rows);

    // 2. Gradients, from the output back to the input as the tutorial goes.
    let mut rows = Vec::new();
    let wko_printed = ["-0.50474", "-0.50261"];
    for (k, printed) in wko_printed.iter().enumerate() {
        rows.push(row(
            format!("dL/dwk{}o", k + 1),
            grads.layer3_weights()[0][k],
            Some(printed),
            "",
        ));
    }
    rows.push(row("dL/dbo", grads.layer3_bias()[0], Some("-0.506"), ""));
    // The tutorial prints layer 2's gradients as [j][k].
    let wjk_printed = [
        ["-0.0018852039", "-0.00252"],
        ["-0.0025136052", "-0.00334"],
        ["-0.0031420065", "-0.00417"],
        ["-0.0037704078", "-0.00501"],
    ];
    for (j, printed) in wjk_printed.iter().enumerate() {
        for (k, printed) in printed.iter().enumerate() {
            let name = format!("dL/dwj{}k{}", j + 1, k + 1);
            rows.push(row(
                name,
                grads.layer2_weights()[k][j],
                Some(printed),
                "E1 E2",
            ));
        }
    }
    for (k, printed) in ["-0.0012568026", "-0.00167"].iter().enumerate() {
        rows.push(row(
            format!("dL/dbk{}", k + 1),
            grads.layer2_bias()[k],
            Some(printed),
            "E1 E2",
        ));
    }
    for (j, printed) in ["-0.04146", "-0.05528", "-0.06910", "-0.08292"]
        .iter()
        .enumerate()
    {
        rows.push(row(
            format!("dL/dwij{}", j + 1),
            grads.layer1_weights()[j][0],
            Some(printed),
            "E3 E4",
        ));
    }
    for (j, printed) in ["-0.02073", "-0.02764", "-0.03455", "-0.04146"]
        .iter()
        .enumerate()
    {
        rows.push(row(
            format!("dL/dbij{}", j + 1),
            grads.layer1_bias()[j],
            Some(printed),
            "E3 E4",
        ));
    }
    section(&mut out, &s, "2 · Backward pass: the 21 gradients", &rows);

    // 3. The update.
    let mut trained = net;
    let loss_before = trained.train_step(&x, &t, &HalfSquaredError, &mut Sgd::new(LEARNING_RATE));
    assert_eq!(loss_before, loss);
    let mut rows = Vec::new();
    for (k, printed) in ["1.1262", "0.6256"].iter().enumerate() {
        let name = format!("wk{}o", k + 1);
        rows.push(update_row(
            &name,
            net.layer3_weights()[0][k],
            trained.layer3_weights()[0][k],
            printed,
            "",
        ));
    }
    rows.push(update_row(
        "bo",
        net.layer3_bias()[0],
        trained.layer3_bias()[0],
        "1.1265",
        "",
    ));
    let new_wjk = [
        ["1.00047", "0.00062"],
        ["0.75062", "0.25083"],
        ["0.50078", "0.50104"],
        ["0.25094", "0.75125"],
    ];
    for (j, printed) in new_wjk.iter().enumerate() {
        for (k, printed) in printed.iter().enumerate() {
            let name = format!("wj{}k{}", j + 1, k + 1);
            rows.push(update_row(
                &name,
                net.layer2_weights()[k][j],
                trained.layer2_weights()[k][j],
                printed,
                "E1 E2",
            ));
        }
    }
    for (k, printed) in ["1.00031", "1.00042"].iter().enumerate() {
        let name = format!("bk{}", k + 1);
        rows.push(update_row(
            &name,
            net.layer2_bias()[k],
            trained.layer2_bias()[k],
            printed,
            "E1 E2",
        ));
    }
    for (j, printed) in ["0.2603", "0.51382", "0.76728", "1.02073"]
        .iter()
        .enumerate()
    {
        let name = format!("wij{}", j + 1);
        rows.push(update_row(
            &name,
            net.layer1_weights()[j][0],
            trained.layer1_weights()[j][0],
            printed,
            "E3 E4 E6",
        ));
    }
    for (j, printed) in ["1.02073", "1.02764", "1.03455", "1.04146"]
        .iter()
        .enumerate()
    {
        let name = format!("bij{}", j + 1);
        rows.push(update_row(
            &name,
            net.layer1_bias()[j],
            trained.layer1_bias()[j],
            printed,
            "E3 E4 E5",
        ));
    }
    section(
        &mut out,
        &s,
        "3 · SGD update: new parameters, w' = w - 0.25 dL/dw",
        &rows,
    );

    // Independent confirmation.
    let g_err = max_relative_error(grads.params(), &golden_flat("grads_flat"));
    let p_err = max_relative_error(trained.params(), &golden_flat("updated_params_flat"));
    let f32_net = SeedNet::<f32>::from_params(INITIAL.map(|v| v as f32));
    let (_, f32_grads) =
        f32_net.loss_and_gradients(&[X as f32], &[TARGET as f32], &HalfSquaredError);
    let f32_err = max_relative_error(&f32_grads.params().map(f64::from), grads.params());
    let ok = |good: bool| if good { s.green("✓") } else { s.red("✗") };
    let _ = writeln!(
        out,
        "\n{}",
        s.bold("Checked against seed_golden.json (computed independently in Python):")
    );
    let _ = writeln!(
        out,
        "  {} gradients agree to {g_err:.1e} relative, new parameters to {p_err:.1e}",
        ok(g_err < 1e-12 && p_err < 1e-12)
    );
    let _ = writeln!(
        out,
        "  {} the same step in f32 differs by at most {f32_err:.1e} relative (1 - sigmoid(6) cancels digits)",
        ok(f32_err < 1e-4)
    );

    // 4. Train on.
    let _ = writeln!(
        out,
        "\n{}",
        s.bold("4 · Training on: the same sample, the same SGD")
    );
    let _ = writeln!(
        out,
        "  {}",
        s.dim(&format!(
            "{:>4}  {:>10}  {:>10}",
            "step", "prediction", "loss"
        ))
    );
    let mut net = net;
    let mut sgd = Sgd::new(LEARNING_RATE);
    let first = net.loss(&x, &t, &HalfSquaredError);
    for step in 0..=12 {
        let prediction = net.forward(&x)[0];
        let loss = net.train_step(&x, &t, &HalfSquaredError, &mut sgd);
        // One bar cell per factor of ten the loss has fallen from 1.
        let cells = if loss > 0.0 {
            (-(loss.log10())).clamp(0.0, 30.0) as usize
        } else {
            30
        };
        let bar = "█".repeat(30 - cells.min(30));
        let _ = writeln!(
            out,
            "  {step:>4}  {prediction:>10.6}  {loss:>10.3e}  {}",
            s.green(&bar)
        );
    }
    let last = net.loss(&x, &t, &HalfSquaredError);
    let _ = writeln!(
        out,
        "  after 13 steps the loss fell from {first:.3e} to {last:.3e}; the prediction is {:.9}",
        net.forward(&x)[0]
    );

    // Errata legend.
    let _ = writeln!(
        out,
        "\n{}",
        s.bold("Where the tutorial goes wrong (from docs/SEED_ERRATA.md)")
    );
    for line in [
        "E1  layer 2: multiplies by k_out again (reuses dL/dw_ko, which already holds k_out, in place of dL/do)",
        "E2  layer 2: takes sigmoid'(6) from the rounded 0.9975, 1 % low (1 - 0.9975 loses the digits)",
        "E3  layer 1: sums over the two k paths first and multiplies once, instead of summing per-path products",
        "E4  layer 1: multiplies by ReLU's output j_out where the chain rule wants ReLU'(j_in) = 1",
        "E5  layer 1: updates the biases without the learning rate",
        "E6  layer 1: 0.25 + 0.25 x 0.04146 is 0.260365, printed as 0.2603",
    ] {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(
        out,
        "  The output layer, the loss and the whole forward pass are right."
    );
    print!("{out}");
}
