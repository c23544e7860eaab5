//! The GRU and LSTM cells of `backprop_core::__private::recurrent` against
//! PyTorch's `nn.GRU` and `nn.LSTM` in float64
//! (`tests/fixtures/recurrent_torch.json`, written by
//! `scripts/recurrent_fixtures.py`): per-step outputs, final states, and
//! every parameter's gradient through time of a sequence-to-sequence loss
//! (the mean of the steps' half squared errors) and of a last-step loss,
//! within `1e-9` relative, and against central differences. The networks are run here one step at a time
//! with the cells and a dense head written out, independently of the
//! generated code, which `test_recurrent.rs` checks against the same
//! fixtures.

mod common;

use backprop_core::__private::recurrent::{
    GruStep, LstmStep, gru_backward, gru_forward, gru_params, lstm_backward, lstm_forward,
    lstm_params,
};
use backprop_core::activation::{Sigmoid, Tanh};
use serde_json::Value;

const STEPS: usize = 7;

fn case(name: &str) -> Value {
    common::fixture_case("recurrent_torch.json", name)
}

fn floats(v: &Value) -> Vec<f64> {
    common::numbers(v)
}

#[track_caller]
fn close(what: &str, got: &[f64], want: &[f64]) {
    common::assert_near(what, got, want, 1e-9, 1e-12);
}

/// `W x + b` of a dense layer with `W` `[out][in]` at `p[..out * in]` and
/// `b` after it.
fn dense(p: &[f64], x: &[f64], out: usize) -> Vec<f64> {
    let n = x.len();
    (0..out)
        .map(|o| {
            let mut sum = p[out * n + o];
            for (w, x) in p[o * n..][..n].iter().zip(x) {
                sum += w * x;
            }
            sum
        })
        .collect()
}

/// A dense layer backwards: adds its gradients into `g`, returns `W^T d`.
fn dense_backward(p: &[f64], g: &mut [f64], x: &[f64], d: &[f64]) -> Vec<f64> {
    let (n, out) = (x.len(), d.len());
    let mut dx = vec![0.0; n];
    for o in 0..out {
        for i in 0..n {
            g[o * n + i] += d[o] * x[i];
            dx[i] += p[o * n + i] * d[o];
        }
        g[out * n + o] += d[o];
    }
    dx
}

/// The per-step error at the outputs, for the sequence loss (every step,
/// averaged) or the last-step loss.
fn output_errors(outputs: &[Vec<f64>], sample: &Value, last_only: bool) -> Vec<Vec<f64>> {
    let targets = &sample["targets_seq"];
    outputs
        .iter()
        .enumerate()
        .map(|(t, y)| {
            if last_only {
                if t + 1 < STEPS {
                    return vec![0.0; y.len()];
                }
                let target = floats(&sample["target_last"]);
                return y.iter().zip(&target).map(|(y, t)| y - t).collect();
            }
            let target = floats(&targets[t]);
            y.iter()
                .zip(&target)
                .map(|(y, t)| (y - t) / STEPS as f64)
                .collect()
        })
        .collect()
}

fn loss(outputs: &[Vec<f64>], sample: &Value, last_only: bool) -> f64 {
    let half_squared =
        |y: &[f64], t: &[f64]| 0.5 * y.iter().zip(t).map(|(y, t)| (y - t) * (y - t)).sum::<f64>();
    if last_only {
        return half_squared(&outputs[STEPS - 1], &floats(&sample["target_last"]));
    }
    let targets = &sample["targets_seq"];
    (0..STEPS)
        .map(|t| half_squared(&outputs[t], &floats(&targets[t])))
        .sum::<f64>()
        / STEPS as f64
}

/// `1 => H GRU => OUT Linear` or `1 => H LSTM => OUT Linear`, run step by
/// step: checks outputs, final state, both losses and their gradients.
fn one_cell_and_a_head<const IN: usize, const H: usize>(name: &str, lstm: bool) {
    let case = case(name);
    let params = floats(&case["params"]);
    let out = case["outputs_width"].as_u64().unwrap() as usize;
    let cell_len = if lstm {
        lstm_params(IN, H)
    } else {
        gru_params(IN, H)
    };
    assert_eq!(params.len(), cell_len + out * H + out);
    let (cell, head) = params.split_at(cell_len);
    for (s, sample) in case["samples"].as_array().unwrap().iter().enumerate() {
        let xs: Vec<[f64; IN]> = sample["input"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| floats(x).try_into().unwrap())
            .collect();
        // Forward, keeping each step's state and gates.
        let mut hs = vec![[0.0; H]];
        let mut cs = vec![[0.0; H]];
        let mut gru_steps = [GruStep::<f64, H>::default(); STEPS];
        let mut lstm_steps = [LstmStep::<f64, H>::default(); STEPS];
        for t in 0..STEPS {
            let h = if lstm {
                let h = lstm_forward(
                    &Sigmoid,
                    &Tanh,
                    cell,
                    &xs[t],
                    &hs[t],
                    &cs[t],
                    &mut lstm_steps[t],
                );
                cs.push(lstm_steps[t].c);
                h
            } else {
                gru_forward(&Sigmoid, &Tanh, cell, &xs[t], &hs[t], &mut gru_steps[t])
            };
            hs.push(h);
        }
        let outputs: Vec<Vec<f64>> = (1..=STEPS).map(|t| dense(head, &hs[t], out)).collect();
        let what = format!("{name} sample {s}");
        close(
            &format!("{what} outputs"),
            &outputs.concat(),
            &floats(&sample["outputs"]),
        );
        let expected = &sample["final_state"][0];
        close(
            &format!("{what} final h"),
            &hs[STEPS],
            &floats(&expected["h"]),
        );
        if lstm {
            close(
                &format!("{what} final c"),
                &cs[STEPS],
                &floats(&expected["c"]),
            );
        }
        for (last_only, key) in [(false, "seq"), (true, "last")] {
            close(
                &format!("{what} loss_{key}"),
                &[loss(&outputs, sample, last_only)],
                &[sample[format!("loss_{key}")].as_f64().unwrap()],
            );
            // Backwards through time.
            let errors = output_errors(&outputs, sample, last_only);
            let mut g = vec![0.0; params.len()];
            let (g_cell, g_head) = g.split_at_mut(cell_len);
            let (mut dh_next, mut dc_next) = ([0.0; H], [0.0; H]);
            for t in (0..STEPS).rev() {
                let from_head = dense_backward(head, g_head, &hs[t + 1], &errors[t]);
                let dh: [f64; H] = core::array::from_fn(|j| from_head[j] + dh_next[j]);
                let mut dx = [0.0; IN];
                if lstm {
                    (dh_next, dc_next) = lstm_backward(
                        &Sigmoid,
                        &Tanh,
                        cell,
                        g_cell,
                        &xs[t],
                        &hs[t],
                        &cs[t],
                        &lstm_steps[t],
                        &dh,
                        &dc_next,
                        &mut dx,
                    );
                } else {
                    dh_next = gru_backward(
                        &Sigmoid,
                        &Tanh,
                        cell,
                        g_cell,
                        &xs[t],
                        &hs[t],
                        &gru_steps[t],
                        &dh,
                        &mut dx,
                    );
                }
            }
            close(
                &format!("{what} grads_{key}"),
                &g,
                &floats(&sample[format!("grads_{key}")]),
            );
            // And against central differences of the cells' own forward pass.
            if s == 0 {
                for k in 0..params.len() {
                    let h = 1e-6;
                    let (mut up, mut down) = (params.clone(), params.clone());
                    up[k] += h;
                    down[k] -= h;
                    let numeric = (loss(
                        &run::<IN, H>(&up, cell_len, out, &xs, lstm),
                        sample,
                        last_only,
                    ) - loss(
                        &run::<IN, H>(&down, cell_len, out, &xs, lstm),
                        sample,
                        last_only,
                    )) / (2.0 * h);
                    assert!(
                        (numeric - g[k]).abs() <= 1e-7 + 1e-5 * numeric.abs(),
                        "{what} {key} parameter {k}: analytic {:e}, numeric {numeric:e}",
                        g[k]
                    );
                }
            }
        }
    }
}

/// The outputs of a one-cell network with `params`, from a zero state.
fn run<const IN: usize, const H: usize>(
    params: &[f64],
    cell_len: usize,
    out: usize,
    xs: &[[f64; IN]],
    lstm: bool,
) -> Vec<Vec<f64>> {
    let (cell, head) = params.split_at(cell_len);
    let (mut h, mut c) = ([0.0; H], [0.0; H]);
    let (mut gru, mut lstm_step) = (GruStep::default(), LstmStep::default());
    xs.iter()
        .map(|x| {
            if lstm {
                h = lstm_forward(&Sigmoid, &Tanh, cell, x, &h, &c, &mut lstm_step);
                c = lstm_step.c;
            } else {
                h = gru_forward(&Sigmoid, &Tanh, cell, x, &h, &mut gru);
            }
            dense(head, &h, out)
        })
        .collect()
}

#[test]
fn a_gru_cell_matches_pytorch_forwards_and_through_time() {
    one_cell_and_a_head::<1, 8>("GruSmall", false);
}

#[test]
fn an_lstm_cell_matches_pytorch_forwards_and_through_time() {
    one_cell_and_a_head::<1, 6>("LstmSmall", true);
}

#[test]
fn stacked_grus_match_pytorch() {
    // `2 => 4 GRU => 3 GRU => 2 Tanh`: the second cell reads the first's
    // hidden states, and the gradient at its inputs flows into the first.
    let case = case("GruStacked");
    let params = floats(&case["params"]);
    let (l1, rest) = params.split_at(gru_params(2, 4));
    let (l2, head) = rest.split_at(gru_params(4, 3));
    for sample in case["samples"].as_array().unwrap() {
        let xs: Vec<[f64; 2]> = sample["input"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| floats(x).try_into().unwrap())
            .collect();
        let (mut h1, mut h2) = (vec![[0.0; 4]], vec![[0.0; 3]]);
        let (mut s1, mut s2) = (
            vec![GruStep::default(); STEPS],
            vec![GruStep::default(); STEPS],
        );
        let mut outputs = Vec::new();
        for t in 0..STEPS {
            let a = gru_forward(&Sigmoid, &Tanh, l1, &xs[t], &h1[t], &mut s1[t]);
            let b = gru_forward(&Sigmoid, &Tanh, l2, &a, &h2[t], &mut s2[t]);
            h1.push(a);
            h2.push(b);
            outputs.push(
                dense(head, &b, 2)
                    .iter()
                    .map(|z| z.tanh())
                    .collect::<Vec<_>>(),
            );
        }
        close(
            "GruStacked outputs",
            &outputs.concat(),
            &floats(&sample["outputs"]),
        );
        let errors = output_errors(&outputs, sample, false);
        let mut g = vec![0.0; params.len()];
        let (g1, rest) = g.split_at_mut(l1.len());
        let (g2, gh) = rest.split_at_mut(l2.len());
        let (mut d1, mut d2) = ([0.0; 4], [0.0; 3]);
        for t in (0..STEPS).rev() {
            // Through the head's tanh: d z = d y * (1 - y^2).
            let dz: Vec<f64> = errors[t]
                .iter()
                .zip(&outputs[t])
                .map(|(e, y)| e * (1.0 - y * y))
                .collect();
            let from_head = dense_backward(head, gh, &h2[t + 1], &dz);
            let dh2: [f64; 3] = core::array::from_fn(|j| from_head[j] + d2[j]);
            let mut from_above = [0.0; 4];
            d2 = gru_backward(
                &Sigmoid,
                &Tanh,
                l2,
                g2,
                &h1[t + 1],
                &h2[t],
                &s2[t],
                &dh2,
                &mut from_above,
            );
            let dh1: [f64; 4] = core::array::from_fn(|j| from_above[j] + d1[j]);
            let mut dx = [0.0; 2];
            d1 = gru_backward(
                &Sigmoid, &Tanh, l1, g1, &xs[t], &h1[t], &s1[t], &dh1, &mut dx,
            );
        }
        close("GruStacked grads_seq", &g, &floats(&sample["grads_seq"]));
    }
}

#[test]
fn the_fixture_names_pytorchs_gate_order() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/recurrent_torch.json");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(json["gates"]["GRU"], "r, z, n");
    assert_eq!(json["gates"]["LSTM"], "i, f, g, o");
    assert_eq!(json["dtype"], "float64");
}
