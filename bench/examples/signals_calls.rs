//! Runs one of the gesture network's four measured functions `N` times,
//! for counting instructions under callgrind (`scripts/bench-signals-calls.sh`
//! does the counting): the generated code and the hand-written `Hand`
//! (the library's bits), forward and training step.
//!
//! ```text
//! cargo run --release --example signals_calls -- generated train 1000
//! ```
//!
//! Each function is behind an `#[inline(never)]` wrapper of its own, so
//! `callgrind_annotate` reports it apart.

use std::hint::black_box;
use std::process::ExitCode;

use backprop_bench::conv::Hand;
use backprop_bench::{Gesture, values};
use backprop_core::loss::CrossEntropy;
use backprop_core::optim::Sgd;

/// The learning rate.
const LR: f32 = 0.001;

#[inline(never)]
fn generated_forward(net: &Gesture<f32>, x: &[[f32; 3]; 64]) -> [f32; 4] {
    net.forward(x)
}

#[inline(never)]
fn hand_forward(net: &Hand, x: &[[f32; 3]; 64]) -> [f32; 4] {
    net.forward(x)
}

#[inline(never)]
fn generated_train(
    net: &mut Gesture<f32>,
    x: &[[f32; 3]; 64],
    t: &[f32; 4],
    sgd: &mut Sgd<f32>,
) -> f32 {
    net.train_step(x, t, &CrossEntropy, sgd)
}

#[inline(never)]
fn hand_train(net: &mut Hand, x: &[[f32; 3]; 64], t: &[f32; 4]) -> f32 {
    net.train_step(x, t, LR)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(which), Some(pass), Some(n)) = (
        args.first(),
        args.get(1),
        args.get(2).and_then(|n| n.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: signals_calls generated|hand forward|train N");
        return ExitCode::from(2);
    };
    let flat = *Gesture::<f32>::with_seed(1).params();
    let xs = values::<192>(2, 2.0);
    let x: [[f32; 3]; 64] = core::array::from_fn(|t| [xs[3 * t], xs[3 * t + 1], xs[3 * t + 2]]);
    let targets = [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]];
    let mut generated = Gesture::<f32>::from_params(flat);
    let mut hand = Hand::from_flat(&flat);
    let mut sgd = Sgd::new(LR);
    let mut sum = 0.0;
    for k in 0..n {
        let t = &targets[(k & 1) as usize];
        sum += match (which.as_str(), pass.as_str()) {
            ("generated", "forward") => generated_forward(black_box(&generated), &x)[0],
            ("hand", "forward") => hand_forward(black_box(&hand), &x)[0],
            ("generated", "train") => generated_train(black_box(&mut generated), &x, t, &mut sgd),
            ("hand", "train") => hand_train(black_box(&mut hand), &x, t),
            _ => {
                eprintln!("unknown case {which} {pass}");
                return ExitCode::from(2);
            }
        };
    }
    println!("{which} {pass} x {n}: sum {sum}");
    ExitCode::SUCCESS
}
