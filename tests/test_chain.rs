//! Chains of networks: `struct AB: A => B;` computes exactly what one network
//! with the same layers computes, bit for bit, in forward, backward and
//! training, and works wherever a network does.

mod common;

use backprop_core::loss::{CrossEntropy, HalfSquaredError};
use backprop_core::optim::{Adam, Sgd};
use backprop_core::{Network, network};
use common::Rng;

mod parts {
    backprop_core::network! {
        /// The tutorial's first layer.
        pub struct Hidden: 1 => 4 ReLU;
        /// The tutorial's last two layers.
        pub struct Head: 4 => 2 Sigmoid => 1 Linear;
    }
}

network! {
    /// The tutorial's network, in one piece.
    struct Whole: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// The same network as a chain.
    struct Chained: parts::Hidden => parts::Head;

    struct C: 3 => 5 Tanh;
    struct D: 5 => 4 LeakyReLU(0.1);
    struct E: 4 => 3 Softmax;
    struct Cde: C => D => E;
    struct WholeCde: 3 => 5 Tanh => 4 LeakyReLU(0.1) => 3 Softmax;
    /// A chain of a chain and a network.
    struct Nested: Cd => E;
    struct Cd: C => D;

    struct R1: 2 => 6 ReLU;
    struct R2: 6 => 5 ReLU => 4 Tanh;
    struct R3: 4 => 3 ReLU => 2 Linear;
    struct R123: R1 => R2 => R3;
    /// The same layers, nested.
    struct R12Then3: R12 => R3;
    struct R12: R1 => R2;
    struct WholeR: 2 => 6 ReLU => 5 ReLU => 4 Tanh => 3 ReLU => 2 Linear;
}

#[test]
fn a_chain_is_the_network_with_the_same_layers() {
    let mut rng = Rng(21);
    for _ in 0..20 {
        let params: [f64; 21] = rng.array(-1.0, 1.0);
        let (whole, chained) = (Whole::from_params(params), Chained::from_params(params));
        let (x, t) = (rng.array::<1>(-2.0, 2.0), rng.array::<1>(-1.0, 1.0));
        assert_eq!(whole.forward(&x), chained.forward(&x));
        let (lw, gw) = whole.loss_and_gradients(&x, &t, &HalfSquaredError);
        let (lc, gc) = chained.loss_and_gradients(&x, &t, &HalfSquaredError);
        assert_eq!(lw, lc);
        assert_eq!(gw.params(), gc.params());
        let trace = chained.forward_trace(&x);
        assert_eq!(
            trace.part1.layer1.activation,
            whole.forward_trace(&x).layer1.activation
        );
    }
    assert_eq!(<Chained>::PARAMS, 21);
    assert_eq!(<Chained>::INPUTS, 1);
    assert_eq!(<Chained>::OUTPUTS, 1);
    assert_eq!(<Chained>::LAYERS, 3);
}

#[test]
fn three_parts_and_nested_chains_train_like_one_network() {
    let mut rng = Rng(22);
    let params: [f64; <WholeCde<f64>>::PARAMS] = rng.array(-1.0, 1.0);
    let mut whole = WholeCde::from_params(params);
    let mut cde = Cde::from_params(params);
    let mut nested = Nested::from_params(params);
    let (mut a1, mut a2, mut a3) = (Adam::new(0.01), Adam::new(0.01), Adam::new(0.01));
    for step in 0..20 {
        let x = rng.array::<3>(-1.0, 1.0);
        let mut t = [0.0; 3];
        t[step % 3] = 1.0;
        let l1 = whole.train_step(&x, &t, &CrossEntropy, &mut a1);
        let l2 = cde.train_step(&x, &t, &CrossEntropy, &mut a2);
        let l3 = nested.train_step(&x, &t, &CrossEntropy, &mut a3);
        assert_eq!((l1, l1), (l2, l3));
    }
    assert_eq!(whole.params(), cde.params());
    assert_eq!(whole.params(), nested.params());
    assert_eq!(
        cde.part3().params(),
        whole
            .layer3_weights()
            .as_flattened()
            .iter()
            .chain(whole.layer3_bias())
            .copied()
            .collect::<Vec<_>>()
            .as_slice()
    );
}

/// Generic code over `Network` takes a chain like any network.
fn epoch<N: Network<f32, 1, 1, P>, const P: usize>(net: &mut N) -> f32 {
    let inputs = [[0.5], [1.0], [2.0], [-1.0]];
    let targets = [[1.0], [2.0], [3.0], [0.0]];
    net.train_epoch(
        &inputs,
        &targets,
        2,
        Some(1),
        &HalfSquaredError,
        &mut Sgd::new(0.1),
    )
    .unwrap()
}

#[test]
fn chains_work_through_the_network_trait() {
    let mut chained = <Chained>::with_seed(4);
    let first = epoch(&mut chained);
    let mut last = first;
    for _ in 0..200 {
        last = epoch(&mut chained);
    }
    assert!(last < first / 10.0, "{first} -> {last}");
    assert_eq!(chained.gradient_norms().len(), 3);
    // The seeded chain is its parts seeded one by one.
    let seeded = <Chained>::with_seed(9);
    assert_eq!(seeded.part1(), <parts::Hidden>::with_seed(9));
    assert_eq!(seeded.part2(), <parts::Head>::with_seed(10));
}

/// Hides `ELEMENTWISE`, so `train_step` takes the two-pass path.
struct TwoPass<O>(O);

impl<O: backprop_core::optim::Optimizer<f64, P>, const P: usize>
    backprop_core::optim::Optimizer<f64, P> for TwoPass<O>
{
    fn step(&mut self, params: &mut [f64; P], gradients: &[f64; P]) {
        self.0.step(params, gradients);
    }
}

#[test]
fn a_chain_fused_step_equals_its_two_pass_step() {
    let mut rng = Rng(23);
    let params: [f64; <Cde<f64>>::PARAMS] = rng.array(-1.0, 1.0);
    let (mut fused, mut two_pass) = (Nested::from_params(params), Nested::from_params(params));
    let (mut a1, mut a2) = (Adam::new(0.02), TwoPass(Adam::new(0.02)));
    for step in 0..15 {
        let x = rng.array::<3>(-1.0, 1.0);
        let mut t = [0.0; 3];
        t[step % 3] = 1.0;
        assert_eq!(
            fused.train_step(&x, &t, &CrossEntropy, &mut a1),
            two_pass.train_step(&x, &t, &CrossEntropy, &mut a2)
        );
    }
    assert_eq!(fused.params(), two_pass.params());
    assert_ne!(fused.params(), &params);
}

#[test]
fn a_chain_counts_dead_relu_units_as_the_whole_network_does() {
    let mut rng = Rng(24);
    let (mut some_dead, mut some_alive) = (false, false);
    for _ in 0..30 {
        let params: [f64; <WholeR<f64>>::PARAMS] = rng.array(-1.0, 0.5);
        let inputs: Vec<[f64; 2]> = (0..8).map(|_| rng.array(-1.0, 1.0)).collect();
        let whole = WholeR::from_params(params).dead_relu_units(&inputs);
        assert_eq!(R123::from_params(params).dead_relu_units(&inputs), whole);
        assert_eq!(
            R12Then3::from_params(params).dead_relu_units(&inputs),
            whole
        );
        // Non-ReLU layers count 0; ReLU layers at most their width.
        assert_eq!((whole[2], whole[4]), (0, 0));
        assert!(whole[0] <= 6 && whole[1] <= 5 && whole[3] <= 3);
        some_dead |= whole.iter().any(|&d| d > 0);
        some_alive |= whole[0] < 6 && whole[1] < 5 && whole[3] < 3;
    }
    assert!(
        some_dead && some_alive,
        "the cases must cover dead and live units"
    );
    // On no inputs every ReLU unit is dead.
    let chain = <R12Then3<f64>>::with_seed(1);
    assert_eq!(chain.dead_relu_units(&[]), [6, 5, 0, 3, 0]);
}
