//! Training converges: XOR and the three-spirals problem from fixed seeds,
//! with the same data generators as the examples, to fixed thresholds.

#[path = "../examples/common/mod.rs"]
mod data;

use backprop_core::loss::{BinaryCrossEntropy, CrossEntropy};
use backprop_core::network;
use backprop_core::optim::{Adam, Sgd};

network! {
    struct Xor: 2 => 4 Tanh => 1 Sigmoid;
    struct Spirals: 2 => 32 ReLU => 32 ReLU => 3 Softmax;
}

#[test]
fn xor_reaches_full_accuracy() {
    let mut net = <Xor>::with_seed(1);
    let mut sgd = Sgd::new(0.5).with_momentum(0.9);
    let first = net.train_batch(
        &data::XOR_INPUTS,
        &data::XOR_TARGETS,
        &BinaryCrossEntropy,
        &mut sgd,
    );
    for _ in 0..300 {
        net.train_batch(
            &data::XOR_INPUTS,
            &data::XOR_TARGETS,
            &BinaryCrossEntropy,
            &mut sgd,
        );
    }
    for (x, t) in data::XOR_INPUTS.iter().zip(&data::XOR_TARGETS) {
        let p = net.forward(x)[0];
        assert!((p - t[0]).abs() < 0.1, "{x:?}: {p} for {}", t[0]);
    }
    let last = (0..4)
        .map(|k| {
            net.loss(
                &data::XOR_INPUTS[k],
                &data::XOR_TARGETS[k],
                &BinaryCrossEntropy,
            )
        })
        .sum::<f32>()
        / 4.0;
    assert!(last < first / 10.0, "loss {first} -> {last}");
}

#[test]
fn spirals_are_separated_by_mini_batch_adam() {
    let (inputs, targets) = data::spirals(100, 42);
    let mut net = <Spirals>::with_seed(7);
    let before = data::accuracy(inputs.iter().map(|x| net.forward(x)), &targets);
    let mut adam = Adam::new(0.01);
    for epoch in 0..150 {
        net.train_epoch(&inputs, &targets, 32, Some(epoch), &CrossEntropy, &mut adam)
            .unwrap();
    }
    let after = data::accuracy(inputs.iter().map(|x| net.forward(x)), &targets);
    assert!(before < 0.6, "accuracy before training {before}");
    assert!(after > 0.9, "accuracy after training {after}");
}
