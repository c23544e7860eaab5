//! The recurrent layers, `H GRU` and `H LSTM`: PyTorch's cells, one time
//! step at a time, over the runtime's kernels
//! (`backprop_core::__private::recurrent`).
//!
//! Within one step a recurrent layer is one more layer to the generators:
//! its forward statement reads the layer's state from the local `__state`
//! (the network's state struct) and binds its trace (the state it started
//! from, the gates, the new hidden state) and its output, the new hidden
//! state. Its backward statement runs the cell backwards from `__d{n}`,
//! the gradient at its output from the layers above, plus what the later
//! steps carry back in `__carry` (a state struct of gradients), which it
//! replaces by the gradient at the state the step started from; it adds the
//! parameters' gradients into `__g` and binds `__dx{n}`, the gradient at
//! its input, which [`LayerKind::input_gradient`] then names. Backpropagation
//! through time is the runtime's loop over the steps
//! (`backprop_core::recurrent`).
//!
//! For layer `n` of `H` units over `IN` inputs, the forward statements are
//!
//! ```text
//! let __in: &[T; IN] = &input;
//! let __t{n} = recurrent::gru_trace::<T, P, AT, LEN, IN, H>(__p, __in, &__state.layer{n});
//! let __a{n} = __t{n}.h;
//! ```

use proc_macro2::{Ident, TokenStream};
use quote::format_ident;

use super::{LayerKind, LossCall, Sink, Values};
use crate::expand::{layer_local, lit, local};

/// One GRU or LSTM layer.
pub struct Recurrent {
    /// 1 for the first layer after the input.
    pub number: usize,
    /// The width of each step's input.
    pub inputs: usize,
    /// Hidden units.
    pub hidden: usize,
    /// An LSTM rather than a GRU.
    pub lstm: bool,
    /// Index of its first parameter in the flat parameters.
    pub offset: usize,
    /// The network's parameter count.
    pub network_params: usize,
}

/// What a network's expansion needs of a recurrent layer beyond
/// [`LayerKind`]: its part of the state struct, and the untraced step.
pub trait RecurrentLayer {
    /// The state struct's field, `#[doc = ..] pub layer{n}: GruState<T, H>,`.
    fn state_field(&self) -> TokenStream;
    /// The forward statements of a step that keeps no trace: they update
    /// `__state.layer{n}` in place and bind [`LayerKind::output_local`].
    fn step(&self, input: &Ident) -> TokenStream;
    /// `layer{n}: <the state after the step>`, read from `trace`.
    fn next_state(&self, trace: &TokenStream) -> TokenStream;
}

impl Recurrent {
    /// `GRU` or `LSTM`.
    fn name(&self) -> &'static str {
        if self.lstm { "LSTM" } else { "GRU" }
    }

    /// 3 or 4.
    fn gates(&self) -> usize {
        if self.lstm { 4 } else { 3 }
    }

    /// The rows of each weight matrix, `G * H`.
    fn rows(&self) -> usize {
        self.gates() * self.hidden
    }

    /// `P, AT, LEN, IN, H`: the kernels' const parameters.
    fn consts(&self) -> TokenStream {
        let [p, at, len, i, h] = [
            self.network_params,
            self.offset,
            self.params(),
            self.inputs,
            self.hidden,
        ]
        .map(lit);
        mixed!(#p, #at, #len, #i, #h)
    }

    /// `::backprop_core::__private::recurrent::{name}`.
    fn kernel(name: &str) -> TokenStream {
        let name = local(name);
        mixed!(::backprop_core::__private::recurrent::#name)
    }

    /// `layer 1 (`16 GRU`, 1 => 16)`.
    fn described(&self) -> String {
        format!(
            "layer {} (`{} {}`, {} => {})",
            self.number,
            self.hidden,
            self.name(),
            self.inputs,
            self.hidden
        )
    }

    /// The gate order, for the docs.
    fn gate_order(&self) -> &'static str {
        if self.lstm { "i, f, g, o" } else { "r, z, n" }
    }

    /// The four blocks: name, offset, rows, columns (0 for a vector).
    fn blocks(&self) -> [(&'static str, usize, usize, usize); 4] {
        let (rows, i, h) = (self.rows(), self.inputs, self.hidden);
        let at = self.offset;
        [
            ("weight_ih", at, rows, i),
            ("weight_hh", at + rows * i, rows, h),
            ("bias_ih", at + rows * (i + h), rows, 0),
            ("bias_hh", at + rows * (i + h + 1), rows, 0),
        ]
    }
}

impl LayerKind for Recurrent {
    fn number(&self) -> usize {
        self.number
    }

    fn outputs(&self) -> usize {
        self.hidden
    }

    fn offset(&self) -> usize {
        self.offset
    }

    fn params(&self) -> usize {
        self.rows() * (self.inputs + self.hidden + 2)
    }

    fn spec(&self) -> String {
        format!("{} {}", self.hidden, self.name())
    }

    fn canonical(&self) -> String {
        self.spec()
    }

    fn straight_line(&self) -> bool {
        false
    }

    fn trace_field(&self) -> TokenStream {
        let field = super::activated::field(self.number);
        let h = lit(self.hidden);
        let doc = format!(
            "Layer {} (`{}`) at this step: the state it started from, its gates ({}) and \
             its new hidden state `h`, the layer's output.",
            self.number,
            self.spec(),
            self.gate_order()
        );
        let ty = Self::kernel(if self.lstm { "LstmTrace" } else { "GruTrace" });
        mixed! {
            #[doc = #doc]
            pub #field: #ty<T, #h>,
        }
    }

    fn trace_value(&self) -> TokenStream {
        let t = layer_local("t", self.number);
        mixed!(#t)
    }

    fn trace_zero(&self) -> TokenStream {
        mixed!(::core::default::Default::default())
    }

    fn output_local(&self) -> Ident {
        layer_local("a", self.number)
    }

    fn output_in(&self, trace: &TokenStream) -> TokenStream {
        let field = super::activated::field(self.number);
        mixed!(#trace.#field.h)
    }

    fn bounds(&self) -> Vec<TokenStream> {
        vec![
            mixed!(::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>),
            mixed!(::backprop_core::activation::Tanh: ::backprop_core::activation::Activation<T>),
        ]
    }

    fn checks(&self) -> TokenStream {
        TokenStream::new()
    }

    fn bindings(&self) -> TokenStream {
        TokenStream::new()
    }

    fn forward(&self, input: &Ident) -> TokenStream {
        let n = self.number;
        let (t, a, input_ref) = (layer_local("t", n), layer_local("a", n), local("__in"));
        let (p, state, field) = (local("__p"), local("__state"), super::activated::field(n));
        let i = lit(self.inputs);
        let kernel = Self::kernel(if self.lstm { "lstm_trace" } else { "gru_trace" });
        let consts = self.consts();
        mixed! {
            let #input_ref: &[T; #i] = &#input;
            let #t = #kernel::<T, #consts>(#p, #input_ref, &#state.#field);
            let #a = #t.h;
        }
    }

    fn output_loss(&self, _trace: &TokenStream, _call: LossCall) -> TokenStream {
        never_last(self.name())
    }

    fn upstream_delta(&self, _trace: &TokenStream, _upstream: &Ident) -> TokenStream {
        never_last(self.name())
    }

    /// `let __d{n}: [T; H] = gradient;`: the carried gradient is added by
    /// the kernel.
    fn error_signal(&self, gradient: Values) -> TokenStream {
        let (d, h) = (layer_local("d", self.number), lit(self.hidden));
        let gradient = gradient.array();
        mixed! { let #d: [T; #h] = #gradient; }
    }

    fn input_gradient(&self, _x: &Ident) -> Values {
        let dx = layer_local("dx", self.number);
        Values::Array(mixed!(#dx))
    }

    fn parameter_gradients(&self, x: &Ident, sink: Sink) -> TokenStream {
        if sink == Sink::Optimizer {
            let message = format!(
                "internal: a `{}` layer's gradients add up over the time steps before any update",
                self.name()
            );
            return mixed!(::core::compile_error!(#message););
        }
        let n = self.number;
        let (p, g, trace, carry) = (local("__p"), local("__g"), local("trace"), local("__carry"));
        let (d, dx, field) = (
            layer_local("d", n),
            layer_local("dx", n),
            super::activated::field(n),
        );
        let kernel = Self::kernel(if self.lstm {
            "lstm_backward_step"
        } else {
            "gru_backward_step"
        });
        let consts = self.consts();
        mixed! {
            let #dx = #kernel::<T, #consts>(#p, #g, #x, &#trace.#field, &#d, &mut #carry.#field);
        }
    }

    /// `layer{n}_weight_ih` (`[[T; IN]; G * H]`), `layer{n}_weight_hh`
    /// (`[[T; H]; G * H]`), `layer{n}_bias_ih`, `layer{n}_bias_hh`
    /// (`[T; G * H]`), and each `_mut`: PyTorch's four tensors.
    fn views(&self) -> TokenStream {
        let p = lit(self.network_params);
        let what = self.described();
        let order = self.gate_order();
        let mut out = TokenStream::new();
        for (name, at, rows, cols) in self.blocks() {
            let view = format_ident!("layer{}_{name}", self.number);
            let view_mut = format_ident!("layer{}_{name}_mut", self.number);
            let (at, rows_lit) = (lit(at), lit(rows));
            let doc = format!(
                "`{name}` of {what}, as PyTorch's `{name}_l0`: {rows} rows, one block of \
                 {} per gate in the order {order}.",
                self.hidden
            );
            let doc_mut = format!("`{name}` of {what}, mutably.");
            let layout = mixed!(::backprop_core::__private::OutputMajor);
            if cols == 0 {
                out.extend(mixed! {
                    #[doc = #doc]
                    #[inline]
                    #[must_use]
                    pub fn #view(&self) -> &[T; #rows_lit] {
                        ::backprop_core::__private::segment::<T, #p, #at, #rows_lit>(&self.params)
                    }

                    #[doc = #doc_mut]
                    #[inline]
                    #[must_use]
                    pub fn #view_mut(&mut self) -> &mut [T; #rows_lit] {
                        ::backprop_core::__private::segment_mut::<T, #p, #at, #rows_lit>(&mut self.params)
                    }
                });
            } else {
                let cols = lit(cols);
                out.extend(mixed! {
                    #[doc = #doc]
                    #[inline]
                    #[must_use]
                    pub fn #view(&self) -> &[[T; #cols]; #rows_lit] {
                        ::backprop_core::__private::views::matrix::<T, #layout, #p, #at, #cols, #rows_lit>(&self.params)
                    }

                    #[doc = #doc_mut]
                    #[inline]
                    #[must_use]
                    pub fn #view_mut(&mut self) -> &mut [[T; #cols]; #rows_lit] {
                        ::backprop_core::__private::views::matrix_mut::<T, #layout, #p, #at, #cols, #rows_lit>(&mut self.params)
                    }
                });
            }
        }
        out
    }

    fn debug_fields(&self) -> TokenStream {
        let mut out = TokenStream::new();
        for (name, ..) in self.blocks() {
            let view = format_ident!("layer{}_{name}", self.number);
            let text = view.to_string();
            out.extend(mixed!(.field(#text, self.#view())));
        }
        out
    }

    /// PyTorch's: every weight and bias uniform in `[-1/sqrt(H), 1/sqrt(H))`.
    fn init(&self, net: &Ident, rng: &Ident) -> TokenStream {
        let [p, at, len, h] =
            [self.network_params, self.offset, self.params(), self.hidden].map(lit);
        mixed! {
            ::backprop_core::__private::recurrent::init::<T, #p, #at, #len>(&mut #net.params, #h, &mut #rng);
        }
    }

    fn summary_row(&self) -> TokenStream {
        let (i, o, params) = (lit(self.inputs), lit(self.hidden), lit(self.params()));
        let kind = self.spec();
        mixed! {
            ::backprop_core::summary::LayerInfo {
                kind: #kind,
                inputs: #i,
                outputs: #o,
                activation: "",
                params: #params,
                input_major: false,
            }
        }
    }

    fn doc_row(&self) -> String {
        let [ih, _, b_ih, b_hh] = self.blocks();
        let end = self.offset + self.params();
        format!(
            "| {} | {} | {} | `{}` (gates {}) | `{}..{}` | `{}..{}` |\n",
            self.number,
            self.inputs,
            self.hidden,
            self.spec(),
            self.gate_order(),
            ih.1,
            b_ih.1,
            b_ih.1,
            end.max(b_hh.1),
        )
    }

    fn relu_pre_activation(&self, _trace: &Ident) -> Option<TokenStream> {
        None
    }

    fn recurrent(&self) -> Option<&dyn RecurrentLayer> {
        Some(self)
    }
}

impl RecurrentLayer for Recurrent {
    fn state_field(&self) -> TokenStream {
        let field = super::activated::field(self.number);
        let h = lit(self.hidden);
        let (ty, doc) = if self.lstm {
            (
                mixed!(::backprop_core::recurrent::LstmState<T, #h>),
                format!("The hidden and cell states of {}.", self.described()),
            )
        } else {
            (
                mixed!(::backprop_core::recurrent::GruState<T, #h>),
                format!("The hidden state of {}.", self.described()),
            )
        };
        mixed! {
            #[doc = #doc]
            pub #field: #ty,
        }
    }

    fn step(&self, input: &Ident) -> TokenStream {
        let n = self.number;
        let (a, input_ref) = (layer_local("a", n), local("__in"));
        let (p, state, field) = (local("__p"), local("__state"), super::activated::field(n));
        let i = lit(self.inputs);
        let kernel = Self::kernel(if self.lstm { "lstm_step" } else { "gru_step" });
        let consts = self.consts();
        mixed! {
            let #input_ref: &[T; #i] = &#input;
            let #a = #kernel::<T, #consts>(#p, #input_ref, &mut #state.#field);
        }
    }

    fn next_state(&self, trace: &TokenStream) -> TokenStream {
        let field = super::activated::field(self.number);
        if self.lstm {
            mixed! {
                #field: ::backprop_core::recurrent::LstmState {
                    h: #trace.#field.h,
                    c: #trace.#field.step.c,
                },
            }
        } else {
            mixed! {
                #field: ::backprop_core::recurrent::GruState { h: #trace.#field.h },
            }
        }
    }
}

/// What the generators cannot reach: the last layer is always dense.
fn never_last(what: &str) -> TokenStream {
    let message = format!("internal: a `{what}` layer cannot be a network's last layer");
    mixed!(::core::compile_error!(#message))
}
