//! Layer kinds: what the generators ask of a layer, and one module per kind.
//!
//! A network is an input width and a list of layers. The generators in
//! `expand/` never look inside a layer: they walk the list and ask each
//! layer, through [`LayerKind`], for its share of every item — its
//! parameter count and text, its trace field, its forward statements, its
//! backward statements into a [`Sink`], its views, its initialisation and
//! its row of the summary. Everything a kind knows about its own maths is
//! in its module (`layer/dense.rs`) and in the runtime kernels it calls
//! (`backprop_core::__private::dense`), so a new kind is a new module and
//! its kernels.
//!
//! # How the passes meet
//!
//! Layer `n`'s generated locals are `__{name}{n}` ([`crate::expand::layer_local`]).
//! The forward pass hands each layer its input as a local (`input`, or
//! the layer below's [`LayerKind::output_local`]); the layer computes its
//! trace value and binds its output. The backward pass walks the layers from
//! the top: each layer starts from its error signal `__d{n}`, asks for
//! [`LayerKind::input_gradient`] (the gradient at its input), which the
//! layer below turns into its own `__d{n-1}` with
//! [`LayerKind::error_signal`], and writes its parameters' gradients with
//! [`LayerKind::parameter_gradients`]. The output layer's `__d` comes from
//! the loss ([`LayerKind::output_loss`]) or from a chain's upstream
//! gradient ([`LayerKind::upstream_delta`]).
//!
//! # The kinds there are
//!
//! - `dense.rs`: a dense layer, straight-line or loop form;
//! - `signal.rs`: a 1-D convolution over a time-major window, whose trace
//!   field is a `LayerTrace` like a dense layer's, whose forward statement
//!   is one call of a window kernel and whose `input_gradient` is
//!   [`Values::Array`] (a transposed-convolution kernel); and the
//!   parameterless pooling and flatten layers, whose trace field is their
//!   output and whose `input_gradient` reads the layer's input (the max
//!   pool's argmax);
//! - `recurrent.rs`: a GRU or LSTM layer, one time step at a time: its
//!   forward statement reads its state from the network's state struct,
//!   its trace field keeps the step's gates, and its backward statement is
//!   one cell step backwards, which adds what the later steps carry back
//!   ([`recurrent::RecurrentLayer`]); backpropagation through time is the
//!   runtime's loop over the steps, and a recurrent network's items are
//!   `expand/recurrent.rs`'s;
//! - `activated.rs`: what the layers with an activation share.
//!
//! A window travels between layers flat (`[T; LEN * C]`, time-major), so
//! every layer still reads and writes a vector; the model (`model.rs`)
//! tracks each layer's shape and checks that it fits.

use proc_macro2::{Ident, TokenStream};

mod activated;
pub mod dense;
pub mod recurrent;
pub mod signal;

/// `layer{n}`, the trace field (and state field) of layer `n`.
pub fn activated_field(number: usize) -> Ident {
    activated::field(number)
}

/// What an int8 network needs of one dense layer.
pub struct Int8Layer {
    /// The input width.
    pub inputs: usize,
    /// The output width.
    pub outputs: usize,
    /// Whether the weights are stored `[in][out]`.
    pub input_major: bool,
    /// The `backprop_core::int8::Fused` variant: `None`, `Relu`, `Relu6`.
    pub fused: &'static str,
    /// The `backprop_core::int8` kernel after the clamp, if any:
    /// `Logistic`, `Tanh` or `Softmax`.
    pub kernel: Option<&'static str>,
}

/// Where the backward pass puts each parameter's gradient.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    /// Into the gradient array `__g`, written or added (`ACCUMULATE`).
    Gradients,
    /// Straight into the parameter, through `Optimizer::update`: the fused
    /// training step, which needs no gradient array.
    Optimizer,
}

/// A vector of values in the generated code: one expression per element
/// (straight-line code), or one expression of array type (a kernel call).
pub enum Values {
    /// `[e0, e1, ...]`, each an expression (a sum, written without parentheses).
    Elements(Vec<TokenStream>),
    /// An expression of type `[T; N]`.
    Array(TokenStream),
}

impl Values {
    /// The values as one array expression.
    pub fn array(self) -> TokenStream {
        match self {
            Self::Elements(elements) => mixed!([#(#elements),*]),
            Self::Array(array) => array,
        }
    }
}

/// Which of the output layer's loss functions to call.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LossCall {
    /// The loss value.
    Value,
    /// The gradient at the output layer's pre-activation.
    Delta,
}

/// What the generators ask of one layer.
///
/// In every method, `__p` is the network's flat parameter array, `__g` the
/// gradient array, `trace` the trace (a reference) and `__d{n}` layer `n`'s
/// error signal, as in [`crate::expand`]'s generated passes.
pub trait LayerKind {
    /// 1 for the first layer after the input.
    fn number(&self) -> usize;
    /// The width of the layer's output.
    fn outputs(&self) -> usize;
    /// Where the layer's parameters start in the flat array.
    fn offset(&self) -> usize;
    /// How many parameters the layer has, in one block from [`Self::offset`].
    fn params(&self) -> usize;
    /// The layer as the spec writes it, e.g. `4 ReLU`.
    fn spec(&self) -> String;
    /// The layer's part of the canonical architecture text, which the
    /// fingerprint is computed from: every parameter written exactly.
    fn canonical(&self) -> String;
    /// Whether every pass of the layer is written out as straight-line code.
    fn straight_line(&self) -> bool;

    /// The trace field's declaration, `#[doc = ..] pub layer{n}: Type,`.
    fn trace_field(&self) -> TokenStream;
    /// The trace field's value after [`Self::forward`].
    fn trace_value(&self) -> TokenStream;
    /// A zero value of the trace field's type.
    fn trace_zero(&self) -> TokenStream;
    /// The local that holds the layer's output after [`Self::forward`].
    fn output_local(&self) -> Ident;
    /// The layer's output in the trace `trace`, a `[T; OUT]` place.
    fn output_in(&self, trace: &TokenStream) -> TokenStream;

    /// What the layer's code needs of the scalar `T`, where-clause
    /// predicates (`Sigmoid: Activation<T>`, `T: Float`), which the
    /// network's impls that run the passes carry: a network exists for
    /// every `T: Scalar`, and has its passes for every `T` its layers support.
    fn bounds(&self) -> Vec<TokenStream>;
    /// Items that check at the definition what the bounds cannot (a type
    /// of the user's that is no activation at all).
    fn checks(&self) -> TokenStream;
    /// Statements the other passes need first (the activation's value).
    fn bindings(&self) -> TokenStream;
    /// The forward statements from `input` (a local that is `[T; IN]` or
    /// `&[T; IN]`), which bind [`Self::output_local`] and what
    /// [`Self::trace_value`] reads.
    fn forward(&self, input: &Ident) -> TokenStream;
    /// The output layer's loss value or delta, from `trace`, `target` and
    /// `loss`; the fused formulas are the loss's (`Loss::output_delta`).
    fn output_loss(&self, trace: &TokenStream, call: LossCall) -> TokenStream;
    /// The output layer's `__d{n}` from `upstream`, a gradient at its outputs.
    fn upstream_delta(&self, trace: &TokenStream, upstream: &Ident) -> TokenStream;
    /// `let __d{n} = ..;` from `gradient`, the gradient at the layer's
    /// output (the layer above's input gradient).
    fn error_signal(&self, gradient: Values) -> TokenStream;
    /// The gradient at the layer's input, from `__d{n}` and the parameters
    /// as they are.
    /// `x` is a local that refers to the layer's input (which a max pool
    /// reads to find where each maximum came from).
    fn input_gradient(&self, x: &Ident) -> Values;
    /// The gradient of every parameter into `sink`, from `__d{n}` and `x`,
    /// a local that refers to the layer's input.
    fn parameter_gradients(&self, x: &Ident, sink: Sink) -> TokenStream;

    /// The accessors of the layer's parameters (`layer{n}_weights`, ...).
    fn views(&self) -> TokenStream;
    /// `.field(..)` calls of the network's `Debug` impl, one per view.
    fn debug_fields(&self) -> TokenStream;
    /// Seeded initialisation of the layer's parameters in `net.params`,
    /// drawing from the `SplitMix64` local `rng`.
    fn init(&self, net: &Ident, rng: &Ident) -> TokenStream;
    /// The layer's row of `summary()`, a `summary::LayerInfo` const expression.
    fn summary_row(&self) -> TokenStream;
    /// The layer's row of the struct's documented architecture table.
    fn doc_row(&self) -> String;
    /// The trace place of the pre-activations of the layer's `ReLU` units,
    /// which `dead_relu_units` watches; `None` if it has none.
    fn relu_pre_activation(&self, trace: &Ident) -> Option<TokenStream>;

    /// For a dense layer whose activation is a clamp in the quantized
    /// domain: its int8 quantization's facts. `None` for every other.
    fn int8(&self) -> Option<Int8Layer> {
        None
    }

    /// What a recurrent layer adds (its state, its untraced step); `None`
    /// for every other kind.
    fn recurrent(&self) -> Option<&dyn recurrent::RecurrentLayer> {
        None
    }
}
