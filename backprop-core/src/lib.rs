//! Fixed-size, allocation-free neural networks, declared in one line.
//!
//! [`network!`] turns a spec such as `1 => 4 ReLU => 2 Sigmoid => 1 Linear`
//! into a struct whose parameters live in one const-sized array, with the
//! forward pass, the backward pass (the chain rule, layer by layer) and the
//! training step written out as straight-line code for small layers. Shapes
//! are part of the types: an input of the wrong length does not compile.
//!
//! This crate is `#![no_std]`, allocates nothing and uses no `unsafe`. Its
//! math goes through the pure-Rust [`libm`] crate, except the `tanh`, `exp`,
//! `e^x - 1`, softplus and GELU of `f32` activations, which are
//! deterministic approximations built from IEEE arithmetic alone ([`fast`]:
//! relative errors below `5e-7`, `2e-7`, `2e-7`, `3.2e-7` and `6e-7`); so a
//! network computes the same bits on a laptop and on a microcontroller.
//! For cores without an FPU, [`fixed`] has the saturating fixed-point
//! scalars `Q16_16` and `Q8_8`, integer arithmetic throughout.
//!
//! # Example
//!
//! The network, data and learning rate of the tutorial this project grew
//! from: one input, hidden layers of 4 ReLU and 2 sigmoid neurons, one linear
//! output, 21 parameters.
//!
//! ```
//! use backprop_core::{loss::HalfSquaredError, network, optim::Sgd};
//!
//! network! {
//!     /// The network from the tutorial.
//!     pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
//! }
//!
//! let mut net = SeedNet::<f64>::from_params([
//!     0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, // input -> 4 ReLU: weights, biases
//!     1.0, 0.75, 0.5, 0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0, // 4 -> 2 Sigmoid
//!     1.0, 0.5, 1.0, // 2 -> 1 Linear
//! ]);
//! assert_eq!(SeedNet::<f64>::PARAMS, 21);
//!
//! // Forward: the prediction for x = 2.
//! let prediction = net.forward(&[2.0]);
//! assert!((prediction[0] - 2.4941809513812228).abs() < 1e-12);
//!
//! // One SGD step towards the target 3, as the tutorial works it by hand.
//! let mut sgd = Sgd::new(0.25);
//! let loss = net.train_step(&[2.0], &[3.0], &HalfSquaredError, &mut sgd);
//! assert!((loss - 0.12792645497280247).abs() < 1e-12);
//! assert!((net.layer3_bias()[0] - 1.1264547621546943).abs() < 1e-12);
//!
//! // Keep going and the loss falls.
//! for _ in 0..20 {
//!     net.train_step(&[2.0], &[3.0], &HalfSquaredError, &mut sgd);
//! }
//! assert!(net.loss(&[2.0], &[3.0], &HalfSquaredError) < 1e-6);
//! ```
//!
//! # What a network provides
//!
//! For `network! { pub struct Net: IN => ... => OUT Act; }` with `P`
//! parameters, `Net<T = f32>` (for `T` = `f32` or `f64`) has the items
//! below.
//!
//! The default `f32` is Rust's default type parameter, which applies
//! where the type is written (`let net: Net = ...`, `<Net>::with_seed(1)`,
//! a field `net: Net`) but not in an expression: in `Net::with_seed(1)`
//! the compiler infers `T` from how the value is used, and a float literal
//! such as `net.forward(&[0.5])` then makes it `f64`. Every example here
//! names the scalar, as `Net::<f32>::with_seed(1)`:
//!
//! ```
//! backprop_core::network! { struct Net: 1 => 1 Linear; }
//!
//! let written: Net = Net::with_seed(1); // the type is written: f32
//! let named = Net::<f32>::with_seed(1); // the same
//! let inferred = Net::with_seed(1);
//! let _ = inferred.forward(&[0.5]); // a float literal: f64
//! assert_eq!(written, named);
//! assert_eq!(inferred.params().map(|p| p as f32), *named.params());
//! let _: &[f64; 2] = inferred.params();
//! ```
//!
//!
//! | item | what it does |
//! |---|---|
//! | `INPUTS`, `OUTPUTS`, `PARAMS`, `LAYERS` | the shape, as associated consts (write `<Net>::PARAMS` for the `f32` default) |
//! | `PARAM_BYTES`, `TRACE_BYTES` | the RAM for parameters and for one forward trace |
//! | `from_params([T; P])`, `params()`, `params_mut()`, `into_params()` | the flat parameters |
//! | `with_seed(u64)` | He (ReLU family) or Glorot initialisation, the same on every target |
//! | `layerN_weights()` / `layerN_bias()` (and `_mut`) | typed views, `&[[T; IN]; OUT]` (`&[[T; OUT]; IN]` under `#[layout(input_major)]`) and `&[T; OUT]` |
//! | `forward(&[T; IN]) -> [T; OUT]` | the prediction |
//! | `forward_trace(&[T; IN]) -> NetTrace<T>` | every pre-activation and activation |
//! | `loss(&input, &target, &loss) -> T` | the loss alone |
//! | `backward(&trace, &target, &loss) -> (T, Net<T>)` | the loss and the gradient of every parameter |
//! | `accumulate_gradients(&trace, &target, &loss, &mut grads) -> T` | the same, added into `grads` |
//! | `loss_and_gradients(&input, &target, &loss) -> (T, Net<T>)` | forward then backward |
//! | `train_step(&input, &target, &loss, &mut optimizer) -> T` | stochastic gradient descent: one update per sample |
//! | `train_batch(&inputs, &targets, &loss, &mut optimizer) -> T` | batch gradient descent: one update from the mean gradient |
//! | `train_epoch(&inputs, &targets, batch, shuffle, &loss, &mut optimizer)` | mini-batch gradient descent over a data set |
//! | `try_train_step`, `try_train_batch` | the same, refusing (and naming) NaN or infinity instead of updating |
//! | `batch_gradients(&inputs, &targets, &loss)` | the mean loss and gradient of a batch |
//! | `gradient_norms()`, `dead_relu_units(&inputs)` | per-layer diagnostics: vanishing gradients, dying ReLU |
//! | `BYTES`, `to_bytes()`, `from_bytes(&[u8])`, `load_bytes` | the versioned, checksummed weights format ([`weights`]) |
//! | `from_bytes_const(&[u8; BYTES])` | weights compiled into flash: `static NET: Net = Net::<f32>::from_bytes_const(include_bytes!(..))` |
//! | `summary()` | a Keras-style table of the layers ([`Summary`]) |
//!
//! plus `Clone`, `Copy`, `PartialEq`, `Debug` and `Default` (all zeros), and
//! an implementation of [`Network`], so generic code works on any network.
//! Gradients come back as a value of the network's own type, so
//! `grads.params()` is the flat gradient and `grads.layer1_weights()` its
//! first layer.
//!
//! Every network also has the evaluation helpers of [`metrics`], as
//! methods of its own (and of the [`Network`] trait, for generic code):
//!
//! | item | what it does |
//! |---|---|
//! | `classify(&input) -> Option<usize>` | the predicted class: the largest output (ties to the lowest index, NaN never chosen unless all are), or for one output, `>= 0.5` |
//! | `accuracy(&inputs, &labels)` | the fraction classified right; labels are class indices (`&[usize]`) or one-hot targets |
//! | `mean_loss(&inputs, &targets, &loss)` | the mean loss over a data set, with no update |
//! | `confusion_matrix::<C, _>(&inputs, &labels)` | `[[u32; C]; C]`, rows the true class, columns the predicted |
//!
//! Activations: `Linear`, `ReLU`, `LeakyReLU` (slope 0.01, or
//! `LeakyReLU(0.2)`), `Sigmoid`, `Tanh`, `Softmax` (last layer only). Losses
//! ([`loss`]): `HalfSquaredError`, `MeanSquaredError`, `CrossEntropy`,
//! `BinaryCrossEntropy`. Optimizers ([`optim`]): `Sgd` (with optional
//! momentum, dampening, Nesterov and weight decay), `Adam` (with optional
//! L2 or decoupled weight decay, the latter `AdamW`), and gradient
//! clipping by norm or by value around either.
//!
//! Training beyond one epoch: [`Shuffle`] gives every epoch its own
//! shuffled order from one seed, [`schedule`] has learning-rate schedules
//! (step, exponential, cosine with warm-up) for any optimizer that
//! implements [`schedule::LearningRate`], and [`fit::Fit`] is a training
//! loop with validation, early stopping that restores the best
//! parameters, and a per-epoch callback.
//!
//! # The flat parameter order
//!
//! Layer by layer; within a layer, the weights row-major in `[out][in]`
//! order (the weight from input `i` to neuron `o` at `o * IN + i`), then the
//! layer's biases. For the tutorial's network: 4 weights and 4 biases, then
//! 8 weights and 2 biases, then 2 weights and 1 bias.
//!
//! A network declared with `#[layout(input_major)]` stores each layer's
//! weights `[in][out]` instead (the weight from input `i` to neuron `o` at
//! `i * OUT + o`; its views are `[[T; OUT]; IN]`). It computes exactly the
//! same bits as the default layout, since every kernel adds in the same
//! order; only the memory order differs, and with it the speed: the forward
//! pass then adds each input into all the neurons with contiguous reads
//! (three to five times as fast for wide layers: 64 inputs and 128 neurons
//! took 0.36 to 0.47 µs against 1.9 µs with `-C target-cpu=native`), while
//! the input gradient `W^T delta` of the layers above the first becomes one
//! in-order sum per input, over a contiguous row (two to three times as
//! slow as the default's sum across inputs: 128 inputs and 10 neurons, 336
//! against 107 ns). It suits inference, and training networks whose widest
//! layer is the first. Its `ARCHITECTURE` text, and so its weights blobs,
//! record the layout.
//!
//! # Signals: windows, convolution and pooling
//!
//! A network over a window of a signal (an accelerometer's three axes, an
//! audio frame) takes `[CHANNELS; LEN]` as its input, and `Conv1d`,
//! pooling and `Flatten` layers before its dense ones. The input is
//! `[[T; CHANNELS]; LEN]`, time-major: `x[t][c]` is channel `c` at step `t`.
//!
//! ```
//! use backprop_core::{loss::CrossEntropy, network, optim::Adam};
//!
//! network! {
//!     /// Four gestures from 64 steps of a 3-axis accelerometer.
//!     pub struct Gesture: [3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2)
//!         => Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax;
//! }
//!
//! // 64 - 4 = 60 steps, pooled to 30, then 30 - 2 = 28: all computed by
//! // the macro, so a window of the wrong shape does not compile.
//! let mut net = Gesture::<f32>::with_seed(1);
//! let window = [[0.1_f32, -0.3, 0.9]; 64];
//! let target = [0.0, 1.0, 0.0, 0.0];
//! let mut adam = Adam::new(0.01);
//! let first = net.train_step(&window, &target, &CrossEntropy, &mut adam);
//! for _ in 0..20 {
//!     net.train_step(&window, &target, &CrossEntropy, &mut adam);
//! }
//! assert!(net.loss(&window, &target, &CrossEntropy) < first);
//! assert_eq!(net.classify(&window), Some(1));
//! assert_eq!(net.layer1_weights().len(), 16); // [out][in][k], as PyTorch
//! ```
//!
//! | layer | what it does |
//! |---|---|
//! | `Conv1d(OUT, kernel = K)` | a 1-D convolution into `OUT` channels, then an optional activation (`Linear` if none); options `stride = S`, `dilation = D`, `padding = valid` (the default) or `padding = same` (stride 1 only; an odd total padding puts the extra zero on the right, as PyTorch does) |
//! | `MaxPool1d(K)`, `AvgPool1d(K)` | the maximum or mean of each window of `K` steps, channel by channel; option `stride = S` (`K` by default); the gradient of equal maxima goes to the first |
//! | `GlobalAvgPool1d` | the mean of each channel over every step: a vector of `CHANNELS` values |
//! | `Flatten` | the window as a vector, channel-major (`c * LEN + t`), as `nn.Flatten` orders PyTorch's `[C][LEN]` |
//!
//! The output lengths are computed as PyTorch computes them
//! (`(LEN + padding - dilation * (K - 1) - 1) / S + 1`), and every shape
//! mistake is a compile error at the layer that does not fit, naming the
//! shapes: a dense layer on a window, a convolution or pooling on a vector,
//! a kernel or pooling window longer than its input, a stride or dilation of
//! 0, a network that does not end with a dense layer. A convolution's
//! parameters are its kernel in PyTorch's `weight[o][c][k]` order, then one
//! bias per output channel; `layerN_weights()` is `&[[[T; K]; IN]; OUT]`.
//! Every sum runs in an order fixed in the kernels (from the bias, input
//! channel by channel, tap by tap), so a window network computes the same
//! bits on every target, like a dense one.
//!
//! The inherent methods take windows (`forward(&[[T; C]; LEN])`,
//! `train_batch(&[[[T; C]; LEN]], ..)`); the [`Network`] trait, which
//! generic code and [`fit::Fit`] use, takes them flat, `[T; C * LEN]` in
//! the same time-major order: [`window::as_flat`] and
//! [`window::as_flat_all`] convert without copying.
//!
//! # Recurrent networks: GRU and LSTM
//!
//! `H GRU` and `H LSTM` are layers of `H` units written like dense ones. A
//! network with one takes one time step's values as its input and carries
//! a state from step to step; dense layers apply at every step. The
//! equations, gate order (GRU: r, z, n; LSTM: i, f, g, o) and two biases
//! are PyTorch's, so `nn.GRU` and `nn.LSTM` weights map one to one.
//!
//! ```
//! use backprop_core::{loss::HalfSquaredError, network, optim::Adam};
//!
//! network! {
//!     /// A guitar-effect model: one sample in, one sample out.
//!     pub struct Amp: 1 => 16 GRU => 1 Linear;
//! }
//!
//! let mut amp = Amp::<f32>::with_seed(1);
//! // Train on a sequence, one target per step.
//! let xs = [[0.5_f32], [0.9], [-0.4], [0.1]];
//! let ys = [[0.4_f32], [0.7], [-0.3], [0.1]];
//! let mut adam = Adam::new(0.01);
//! let first = amp.train_step(&xs, &ys, &HalfSquaredError, &mut adam);
//! for _ in 0..50 {
//!     amp.train_step(&xs, &ys, &HalfSquaredError, &mut adam);
//! }
//! assert!(amp.loss_sequence(&xs, &ys, &HalfSquaredError) < first);
//! // Then stream, sample by sample, as a plugin would.
//! let mut state = AmpState::default();
//! let out: Vec<f32> = xs.iter().map(|x| amp.step(&mut state, x)[0]).collect();
//! assert_eq!(out, amp.forward_sequence(&xs).map(|y| y[0]));
//! ```
//!
//! See [`recurrent`] for the methods (streaming with a state, whole
//! sequences of any const length, backpropagation through time, sequence
//! to sequence or to one, every training method) and [`Recurrent`], the
//! trait they belong to. A recurrent layer's parameters are `weight_ih`
//! (`[G * H][IN]`), `weight_hh` (`[G * H][H]`), `bias_ih`, `bias_hh`, each
//! viewable (`layer1_weight_ih()`); initialisation is PyTorch's. Recurrent
//! layers take vectors: one in a network whose input is a window is a
//! compile error, as is a network that ends with one.
//!
//! # Cargo features
//!
//! None is on by default: the crate builds as it is for bare-metal
//! targets, with no `std` and no `alloc`.
//!
//! - `serde`: `Serialize` and `Deserialize` for every network, as named
//!   layers (the `serde_impl` module); still no `alloc`.
//! - `std`: [`Float::sqrt`] is the standard library's square root instead
//!   of `libm`'s. Both are IEEE square roots, correctly rounded, so the bits
//!   are the same with the feature or without (the tests check 17 million
//!   `f32` and 4 million `f64` inputs); the compiler can vectorise the
//!   standard one, which makes Adam's step about four times faster on the
//!   host (counted by callgrind, 784 => 128 => 10 in `f32`: 0.94 M
//!   instructions per step against 2.9 M with `libm`'s). Turn it on for
//!   host builds that train with `Adam`.
//!
//! # Extending
//!
//! Losses implement [`loss::Loss`], optimizers [`optim::Optimizer`] and
//! activations [`activation::Activation`]; each is a small public trait.
//!
//! Each runtime item asks of its scalar only what it uses: [`Scalar`] is
//! what every number type has (arithmetic, comparisons, `from_f64`, `abs`,
//! `is_finite`), [`Float`] what IEEE floats add (NaN, `-0`, `exp`, `ln`,
//! `tanh`, `sqrt`), and [`Codec`] how a scalar is stored in a weights blob.
//! The piecewise-linear activations (`Linear`, `ReLU`, `LeakyReLU`,
//! `ReLU6`, `Hardtanh`), the squared-error losses, `Sgd`, initialisation
//! and the weights format need no [`Float`]; `f32` and `f64` implement all
//! three.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Only for the square root of `Float::sqrt`: see the `std` feature.
#[cfg(feature = "std")]
extern crate std;

extern crate self as backprop_core;

pub mod activation;
pub mod fast;
pub mod fit;
pub mod fixed;
pub mod init;
pub mod int8;
pub mod loss;
pub mod metrics;
mod network;
pub mod optim;
pub mod recurrent;
mod scalar;
pub mod schedule;
#[cfg(feature = "serde")]
#[doc(hidden)]
pub mod serde_impl;
pub mod summary;
mod trace;
pub mod weights;
pub mod window;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

/// Declares one or more fixed-size neural networks.
///
/// # Grammar
///
/// ```text
/// network! {
///     #[attributes] vis struct Name: IN => N1 Act1 => N2 Act2 => ... ;
///     #[attributes] vis struct Chain: NetA => NetB => ... ;
///     ...
/// }
/// ```
///
/// The first number is the input width; every later layer has a width and an
/// activation: a built-in one, `Linear`, `ReLU`, `LeakyReLU` (or
/// `LeakyReLU(slope)`), `Sigmoid`, `Tanh`, `SiLU`, `GELU`, `GELU(tanh)`,
/// `ELU` (or `ELU(alpha)`), `Softplus`, `ReLU6`, `Hardtanh` (the table
/// [`activation::builtins`]), or, on the last layer only, `Softmax`; or a
/// type of yours that implements [`activation::Activation`], named by its
/// path (`crate::Swish`, `self::acts::Scaled(0.5)`). Widths are integer
/// literals without a suffix. Doc comments and attributes are kept on the
/// struct, and a `#[cfg]` applies to every generated item; `Clone`, `Copy`,
/// `PartialEq`, `Debug` and `Default` are provided, so a `#[derive]` of them
/// is an error. A companion struct `NameTrace` holds one forward pass.
///
/// A definition whose body names networks declared elsewhere (`A => B`)
/// chains them: the outputs of each feed the inputs of the next, and the
/// chain trains end to end as one network (a width mismatch is a compile
/// error at the `=>`). It has the same methods, with `partN()` in place of
/// the layer views, and saves and loads as one blob: `to_bytes`,
/// `from_bytes`, `load_bytes`, `from_bytes_const` and `BYTES`, in the format
/// of [`weights`]. Its `ARCHITECTURE` is its parts' texts in parentheses,
/// `(1 => 4 ReLU) => (4 => 2 Sigmoid => 1 Linear)`, built by the compiler
/// from the parts' constants; its blob records that text, so a chain's blob
/// loads into no part, no chain of other parts, order or nesting, and no
/// network, and theirs into it. `summary()`,
/// `dead_relu_units` and the `serde` impls list the parts' layers one after
/// the other.
///
/// ```
/// backprop_core::network! {
///     pub struct Hidden: 1 => 4 ReLU;
///     pub struct Head: 4 => 2 Sigmoid => 1 Linear;
///     pub struct Chained: Hidden => Head;
/// }
/// let net = Chained::<f32>::with_seed(7);
/// let bytes: [u8; Chained::<f32>::BYTES] = net.to_bytes();
/// assert_eq!(Chained::<f32>::from_bytes(&bytes), Ok(net));
/// assert!(Head::<f32>::from_bytes(&bytes).is_err()); // a part refuses it
/// assert_eq!(<Chained>::ARCHITECTURE, "(1 => 4 ReLU) => (4 => 2 Sigmoid => 1 Linear)");
/// assert_eq!(Chained::<f32>::summary().layers.len(), 3);
/// ```
///
/// Each definition expands to a struct generic over its scalar,
/// `Name<T = f32>`, with the methods listed in the [crate documentation](crate).
/// Layers of up to 256 weights are written out as straight-line code, up to
/// 512 weights per network, the smallest layers first; larger ones, and
/// those past that budget, call const-size loop kernels that add in the
/// same order, so both forms give the same bits. `#[unroll(full)]` on a definition writes every
/// layer out (fast for small layers, but compile time grows steeply with
/// size), `#[unroll(loops)]` uses the loops for every layer:
///
/// ```
/// backprop_core::network! {
///     /// Straight-line code for all 16 x 32 + 32 x 4 weights.
///     #[unroll(full)]
///     pub struct Small: 16 => 32 ReLU => 4 Linear;
/// }
/// let y = Small::<f32>::default().forward(&[0.0; 16]);
/// assert_eq!(y, [0.0; 4]);
/// ```
///
/// `#[layout(input_major)]` stores the weights `[in][out]` (see [the flat
/// parameter order](crate#the-flat-parameter-order)): the same bits, a
/// faster forward pass for wide layers.
///
/// ```
/// backprop_core::network! {
///     pub struct Rows: 3 => 2 Linear;
///     #[layout(input_major)]
///     pub struct Columns: 3 => 2 Linear;
/// }
/// // Weight (input i -> neuron o) is rows[o][i] and columns[i][o].
/// let rows = Rows::<f64>::from_params([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.5, 0.25]);
/// let columns = Columns::<f64>::from_params([1.0, 4.0, 2.0, 5.0, 3.0, 6.0, 0.5, 0.25]);
/// assert_eq!(rows.layer1_weights()[1][2], columns.layer1_weights()[2][1]);
/// let x = [1.0, -1.0, 2.0];
/// assert_eq!(rows.forward(&x), [5.5, 11.25]);
/// assert_eq!(rows.forward(&x), columns.forward(&x));
/// ```
///
/// Mistakes in a spec are compile errors at the offending token, all of them
/// in one compile:
///
/// ```compile_fail
/// backprop_core::network! {
///     struct Net: 1 => 4 Relu => 1 Linear; // unknown activation `Relu`; did you mean `ReLU`?
/// }
/// # fn main() {}
/// ```
///
/// # Examples
///
/// ```
/// use backprop_core::{loss::HalfSquaredError, network, optim::Sgd};
///
/// network! {
///     /// Learns `y = 2x + 1`.
///     pub struct Line: 1 => 1 Linear;
///     /// Two definitions in one invocation are fine.
///     struct Pair: 2 => 3 Tanh => 1 Sigmoid;
/// }
///
/// let mut line = Line::<f32>::default();
/// let mut sgd = Sgd::new(0.1);
/// for _ in 0..200 {
///     for x in [-1.0_f32, 0.0, 1.0, 2.0] {
///         line.train_step(&[x], &[2.0 * x + 1.0], &HalfSquaredError, &mut sgd);
///     }
/// }
/// assert!((line.forward(&[3.0])[0] - 7.0).abs() < 1e-3);
/// assert_eq!(Pair::<f64>::PARAMS, 2 * 3 + 3 + 3 + 1);
/// ```
pub use backprop_macros::network;
pub use network::{Network, NonFinite, Order, Shuffle, TrainError};
pub use recurrent::Recurrent;
pub use scalar::{Codec, Float, Scalar};
pub use summary::Summary;
pub use trace::LayerTrace;
pub use weights::LoadError;
