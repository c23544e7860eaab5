//! Runs one of the tutorial network's six measured functions `N` times,
//! for counting instructions under callgrind (`scripts/bench-tutorial-calls.sh`
//! does the counting): the generated code, `Exact` (the library's bits) and
//! `Fast` (free of them), forward and training step.
//!
//! ```text
//! cargo run --release --example tutorial_calls -- generated train 100000
//! ```
//!
//! Each function is behind an `#[inline(never)]` wrapper of its own, so
//! `callgrind_annotate` reports it apart; the instructions per call are the
//! difference between two runs with different `N`, divided by the
//! difference in `N`, which cancels start-up.

use std::hint::black_box;
use std::process::ExitCode;

use backprop_bench::tutorial::{Exact, Fast, PARAMS};
use backprop_bench::{Tutorial, values};
use backprop_core::loss::HalfSquaredError;
use backprop_core::optim::Sgd;

/// The learning rate.
const LR: f32 = 0.01;

#[inline(never)]
fn generated_forward(net: &Tutorial<f32>, x: &[f32; 1]) -> [f32; 1] {
    net.forward(x)
}

#[inline(never)]
fn exact_forward(net: &Exact, x: &[f32; 1]) -> [f32; 1] {
    net.forward(x)
}

#[inline(never)]
fn fast_forward(net: &Fast, x: &[f32; 1]) -> [f32; 1] {
    net.forward(x)
}

#[inline(never)]
fn generated_train(net: &mut Tutorial<f32>, x: &[f32; 1], t: &[f32; 1], sgd: &mut Sgd<f32>) -> f32 {
    net.train_step(x, t, &HalfSquaredError, sgd)
}

#[inline(never)]
fn exact_train(net: &mut Exact, x: &[f32; 1], t: &[f32; 1]) -> f32 {
    net.train_step(x, t, LR)
}

#[inline(never)]
fn fast_train(net: &mut Fast, x: &[f32; 1], t: &[f32; 1]) -> f32 {
    net.train_step(x, t, LR)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(which), Some(pass), Some(n)) = (
        args.first(),
        args.get(1),
        args.get(2).and_then(|n| n.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: tutorial_calls generated|exact|fast forward|train N");
        return ExitCode::from(2);
    };
    let flat = values::<PARAMS>(1, 0.3);
    let x = values::<1>(2, 1.0);
    let targets = [values::<1>(3, 1.0), values::<1>(4, 1.0)];
    let mut generated = Tutorial::<f32>::from_params(flat);
    let (mut exact, mut fast) = (Exact::from_flat(flat), Fast::from_flat(flat));
    let mut sgd = Sgd::new(LR);
    let mut sum = 0.0;
    for k in 0..n {
        let t = &targets[(k & 1) as usize];
        sum += match (which.as_str(), pass.as_str()) {
            ("generated", "forward") => generated_forward(black_box(&generated), &x)[0],
            ("exact", "forward") => exact_forward(black_box(&exact), &x)[0],
            ("fast", "forward") => fast_forward(black_box(&fast), &x)[0],
            ("generated", "train") => generated_train(black_box(&mut generated), &x, t, &mut sgd),
            ("exact", "train") => exact_train(black_box(&mut exact), &x, t),
            ("fast", "train") => fast_train(black_box(&mut fast), &x, t),
            _ => {
                eprintln!("unknown case {which} {pass}");
                return ExitCode::from(2);
            }
        };
    }
    println!("{which} {pass} x {n}: sum {sum}");
    ExitCode::SUCCESS
}
