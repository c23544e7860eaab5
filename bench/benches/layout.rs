//! What the stored weight layout costs, kernel by kernel, for the layer
//! shapes of the speed benchmark. The library stores weights `[out][in]`
//! (the documented flat order) and adds every sum in order; the
//! hand-written yardstick stores `[in][out]`. For one dense layer, f32:
//!
//! - `forward`: `z = b + W x`.
//!   `library`: the library's kernel (`[out][in]`, in-order sums, eight
//!   rows at a time, each tile of rows read four contiguous values at a
//!   time);
//!   `in_out`: the same in-order sums over `[in][out]` weights, read
//!   contiguously, every input added into all the neurons before the next;
//!   `input_major`: the library's kernel for `#[layout(input_major)]`, the
//!   same sums over `[in][out]` weights, a block of neurons at a time.
//! - `input_gradient`: `dx = W^T delta`.
//!   `library`: the library's kernel (`[out][in]`, in order, across inputs:
//!   contiguous);
//!   `in_out`: in-order dot products over `[in][out]` rows (contiguous, but
//!   one serial chain of additions per input);
//!   `input_major`: the library's kernel for `#[layout(input_major)]`, the
//!   same in-order sums over `[in][out]` rows, eight rows at a time;
//!   `in_out_8acc`: the hand-written kernel, the same rows summed in eight
//!   partial sums (a different, fixed order of the additions).
//!
//! - `update`: one sample's fused SGD update, `w -= lr * (delta x^T)`.
//!   `library`: the library's kernel (`[out][in]`), which keeps each row's
//!   contiguous vector code (`__private::matrix::row_by_row`);
//!   `across_rows`: the same loop without that, as LLVM vectorises it when
//!   left alone (one weight from each of several rows per vector);
//!   `input_major`: the library's kernel over `[in][out]` rows;
//!   `hand`: the hand-written kernel over `[in][out]` rows, `lr * delta`
//!   computed once per neuron (one multiply per weight fewer, other bits).
//!
//! `cargo bench --bench layout` from `bench/`. Ids
//! `layout/<in>x<out>/<pass>/<kernel>`.

// Index loops over const sizes are the point of these kernels.
#![allow(clippy::needless_range_loop)]

use std::hint::black_box;

use backprop_bench::values;
use backprop_core::__private::{InputMajor, OutputMajor, dense};
use backprop_core::optim::{Optimizer, Sgd};
use criterion::{Criterion, criterion_group, criterion_main};

/// `z = b + W x` over `[in][out]` weights, each sum from the bias in input
/// order: the same additions as the library's kernel.
#[inline(never)]
fn forward_in_out<const I: usize, const O: usize>(
    wt: &[[f32; O]; I],
    b: &[f32; O],
    x: &[f32; I],
    z: &mut [f32; O],
) {
    *z = *b;
    for i in 0..I {
        let xi = x[i];
        for o in 0..O {
            z[o] += wt[i][o] * xi;
        }
    }
}

/// `dx = W^T delta` over `[in][out]` weights, each entry summed over the
/// outputs in order: the same additions as the library's kernel.
#[inline(never)]
fn input_gradient_in_out<const I: usize, const O: usize>(
    wt: &[[f32; O]; I],
    delta: &[f32; O],
) -> [f32; I] {
    let mut dx = [-0.0; I];
    for i in 0..I {
        for o in 0..O {
            dx[i] += wt[i][o] * delta[o];
        }
    }
    dx
}

/// The hand-written input gradient: eight partial sums per row.
#[inline(never)]
fn input_gradient_in_out_8acc<const I: usize, const O: usize>(
    wt: &[[f32; O]; I],
    delta: &[f32; O],
) -> [f32; I] {
    let mut dx = [0.0; I];
    for i in 0..I {
        let (chunks, rest) = wt[i].as_chunks::<8>();
        let mut acc = [0.0f32; 8];
        for (c, chunk) in chunks.iter().enumerate() {
            for k in 0..8 {
                acc[k] += chunk[k] * delta[c * 8 + k];
            }
        }
        let mut sum =
            ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for (k, w) in rest.iter().enumerate() {
            sum += w * delta[O - rest.len() + k];
        }
        dx[i] = sum;
    }
    dx
}

#[inline(never)]
fn forward_library<const I: usize, const O: usize>(
    w: &[[f32; I]; O],
    b: &[f32; O],
    x: &[f32; I],
    z: &mut [f32; O],
) {
    dense::pre_activation::<f32, OutputMajor, I, O>(w, b, x, z);
}

#[inline(never)]
fn input_gradient_library<const I: usize, const O: usize>(
    w: &[[f32; I]; O],
    delta: &[f32; O],
) -> [f32; I] {
    dense::input_gradient::<f32, OutputMajor, I, O>(w, delta)
}

/// The library's fused update of one `[out][in]` layer, alone.
#[inline(never)]
fn update_library<const I: usize, const O: usize>(
    sgd: &mut Sgd<f32>,
    w: &mut [[f32; I]; O],
    b: &mut [f32; O],
    delta: &[f32; O],
    x: &[f32; I],
) {
    dense::update::<f32, OutputMajor, _, { usize::MAX }, I, O>(sgd, 0, w, b, delta, x);
}

/// The same update, as LLVM vectorises the plain loop: once a row is
/// unrolled, across rows.
#[inline(never)]
fn update_across_rows<const I: usize, const O: usize>(
    sgd: &mut Sgd<f32>,
    w: &mut [[f32; I]; O],
    b: &mut [f32; O],
    delta: &[f32; O],
    x: &[f32; I],
) {
    for o in 0..O {
        for i in 0..I {
            Optimizer::<f32, { usize::MAX }>::update(sgd, o * I + i, &mut w[o][i], delta[o] * x[i]);
        }
    }
    for o in 0..O {
        Optimizer::<f32, { usize::MAX }>::update(sgd, I * O + o, &mut b[o], delta[o]);
    }
}

/// The library's fused update of one `[in][out]` layer, alone.
#[inline(never)]
fn update_input_major<const I: usize, const O: usize>(
    sgd: &mut Sgd<f32>,
    wt: &mut [[f32; O]; I],
    b: &mut [f32; O],
    delta: &[f32; O],
    x: &[f32; I],
) {
    dense::update::<f32, InputMajor, _, { usize::MAX }, I, O>(sgd, 0, wt, b, delta, x);
}

/// The hand-written update of one `[in][out]` layer: `lr * delta` first,
/// one multiply per weight fewer (and different bits).
#[inline(never)]
fn update_hand<const I: usize, const O: usize>(
    lr: f32,
    wt: &mut [[f32; O]; I],
    b: &mut [f32; O],
    delta: &[f32; O],
    x: &[f32; I],
) {
    let step: [f32; O] = core::array::from_fn(|o| lr * delta[o]);
    for i in 0..I {
        let xi = x[i];
        for o in 0..O {
            wt[i][o] -= step[o] * xi;
        }
    }
    for o in 0..O {
        b[o] -= step[o];
    }
}

fn layer<const I: usize, const O: usize>(c: &mut Criterion) {
    // The same weights in both layouts, on the heap (784 x 128 is 400 KB).
    let mut w = vec![[0.0f32; I]; O];
    let mut wt = vec![[0.0f32; O]; I];
    for (o, row) in w.iter_mut().enumerate() {
        *row = values::<I>(o as u64 + 1, 0.3);
        for i in 0..I {
            wt[i][o] = row[i];
        }
    }
    let w: &[[f32; I]; O] = w.as_slice().try_into().expect("O rows");
    let wt: &[[f32; O]; I] = wt.as_slice().try_into().expect("I rows");
    let (b, x, delta) = (
        values::<O>(7, 0.3),
        values::<I>(8, 1.0),
        values::<O>(9, 1.0),
    );

    // Same additions, same bits: the layouts differ only in speed.
    let (mut z1, mut z2) = ([0.0; O], [0.0; O]);
    forward_library(w, &b, &x, &mut z1);
    forward_in_out(wt, &b, &x, &mut z2);
    assert_eq!(z1, z2);
    assert_eq!(
        input_gradient_library(w, &delta),
        input_gradient_in_out(wt, &delta)
    );
    assert_eq!(
        input_gradient_library(w, &delta),
        dense::input_gradient::<f32, InputMajor, I, O>(wt, &delta)
    );

    let mut group = c.benchmark_group(format!("layout/{I}x{O}"));
    let mut z = [0.0; O];
    group.bench_function("forward/library", |bch| {
        bch.iter(|| forward_library(black_box(w), &b, black_box(&x), &mut z))
    });
    group.bench_function("forward/in_out", |bch| {
        bch.iter(|| forward_in_out(black_box(wt), &b, black_box(&x), &mut z))
    });
    let mut z3 = [0.0; O];
    dense::pre_activation::<f32, InputMajor, I, O>(wt, &b, &x, &mut z3);
    assert_eq!(z1, z3);
    group.bench_function("forward/input_major", |bch| {
        bch.iter(|| {
            dense::pre_activation::<f32, InputMajor, I, O>(black_box(wt), &b, black_box(&x), &mut z)
        })
    });
    group.bench_function("input_gradient/library", |bch| {
        bch.iter(|| input_gradient_library(black_box(w), black_box(&delta)))
    });
    group.bench_function("input_gradient/in_out", |bch| {
        bch.iter(|| input_gradient_in_out(black_box(wt), black_box(&delta)))
    });
    group.bench_function("input_gradient/input_major", |bch| {
        bch.iter(|| {
            dense::input_gradient::<f32, InputMajor, I, O>(black_box(wt), black_box(&delta))
        })
    });
    group.bench_function("input_gradient/in_out_8acc", |bch| {
        bch.iter(|| input_gradient_in_out_8acc(black_box(wt), black_box(&delta)))
    });

    // The update: the same bits with and without keeping rows whole.
    let (mut w1, mut w2) = (w.to_vec(), w.to_vec());
    let (mut b1, mut b2) = (b, b);
    let w1r: &mut [[f32; I]; O] = w1.as_mut_slice().try_into().expect("O rows");
    let w2r: &mut [[f32; I]; O] = w2.as_mut_slice().try_into().expect("O rows");
    update_library(&mut Sgd::new(0.01), w1r, &mut b1, &delta, &x);
    update_across_rows(&mut Sgd::new(0.01), w2r, &mut b2, &delta, &x);
    assert_eq!((&*w1r, b1), (&*w2r, b2));
    let mut wt_mut = wt.to_vec();
    let wtm: &mut [[f32; O]; I] = wt_mut.as_mut_slice().try_into().expect("I rows");
    // A tiny rate, so the weights stay where they are over many iterations.
    let mut sgd = Sgd::new(1e-9);
    group.bench_function("update/library", |bch| {
        bch.iter(|| {
            update_library(
                &mut sgd,
                black_box(&mut *w1r),
                &mut b1,
                black_box(&delta),
                black_box(&x),
            )
        })
    });
    group.bench_function("update/across_rows", |bch| {
        bch.iter(|| {
            update_across_rows(
                &mut sgd,
                black_box(&mut *w2r),
                &mut b2,
                black_box(&delta),
                black_box(&x),
            )
        })
    });
    group.bench_function("update/input_major", |bch| {
        bch.iter(|| {
            update_input_major(
                &mut sgd,
                black_box(&mut *wtm),
                &mut b1,
                black_box(&delta),
                black_box(&x),
            )
        })
    });
    group.bench_function("update/hand", |bch| {
        bch.iter(|| {
            update_hand(
                1e-9,
                black_box(&mut *wtm),
                &mut b1,
                black_box(&delta),
                black_box(&x),
            )
        })
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    layer::<784, 128>(c);
    layer::<64, 128>(c);
    layer::<128, 10>(c);
    layer::<16, 32>(c);
    layer::<32, 32>(c);
    layer::<32, 4>(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
