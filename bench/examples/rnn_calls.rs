//! Runs one streaming step of a recurrent network `N` times, for counting
//! instructions under callgrind (`scripts/bench-signals-calls.sh rnn` does
//! the counting): the generated code and the hand-written yardsticks of
//! `backprop_bench::rnn` (the library's bits), for `1 => 32 GRU => 1
//! Linear` (`gru`) and `1 => 40 LSTM => 1 Linear` (`lstm`).
//!
//! ```text
//! cargo run --release --example rnn_calls -- generated gru 1000
//! ```
//!
//! Each step is behind an `#[inline(never)]` wrapper of its own, so
//! `callgrind_annotate` reports it apart.

use std::hint::black_box;
use std::process::ExitCode;

use backprop_bench::rnn::{HandGru32, HandLstm40};
use backprop_bench::{Gru32, Gru32State, Lstm40, Lstm40State, values};

#[inline(never)]
fn generated_gru(net: &Gru32<f32>, state: &mut Gru32State<f32>, x: f32) -> f32 {
    net.step(state, &[x])[0]
}

#[inline(never)]
fn hand_gru(net: &HandGru32, h: &mut [f32; 32], x: f32) -> f32 {
    net.step(h, x)
}

#[inline(never)]
fn generated_lstm(net: &Lstm40<f32>, state: &mut Lstm40State<f32>, x: f32) -> f32 {
    net.step(state, &[x])[0]
}

#[inline(never)]
fn hand_lstm(net: &HandLstm40, h: &mut [f32; 40], c: &mut [f32; 40], x: f32) -> f32 {
    net.step(h, c, x)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(which), Some(net), Some(n)) = (
        args.first(),
        args.get(1),
        args.get(2).and_then(|n| n.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: rnn_calls generated|hand gru|lstm N");
        return ExitCode::from(2);
    };
    let xs = values::<256>(2, 2.0);
    let gru = Gru32::<f32>::with_seed(1);
    let hand_g = HandGru32::from_flat(gru.params());
    let lstm = Lstm40::<f32>::with_seed(1);
    let hand_l = HandLstm40::from_flat(lstm.params());
    let (mut gs, mut ls) = (Gru32State::default(), Lstm40State::default());
    let (mut h32, mut h40, mut c40) = ([0.0; 32], [0.0; 40], [0.0; 40]);
    let mut sum = 0.0;
    for k in 0..n {
        let x = xs[(k % 256) as usize];
        sum += match (which.as_str(), net.as_str()) {
            ("generated", "gru") => generated_gru(black_box(&gru), &mut gs, x),
            ("hand", "gru") => hand_gru(black_box(&hand_g), &mut h32, x),
            ("generated", "lstm") => generated_lstm(black_box(&lstm), &mut ls, x),
            ("hand", "lstm") => hand_lstm(black_box(&hand_l), &mut h40, &mut c40, x),
            _ => {
                eprintln!("unknown case {which} {net}");
                return ExitCode::from(2);
            }
        };
    }
    println!("{which} {net} x {n}: sum {sum}");
    ExitCode::SUCCESS
}
