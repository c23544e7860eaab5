//! The dense layer: `OUT` neurons, each a weighted sum of every input plus
//! a bias, then an element-wise activation (or `Softmax` over the layer).
//!
//! Small layers are written out as straight-line code; for the seed
//! network's first layer the forward statements are
//!
//! ```text
//! let __act1 = ::backprop_core::activation::Relu;
//! let __z1: [T; 4] = [p[4] + p[0] * input[0], p[5] + p[1] * input[0], ...];
//! let __a1: [T; 4] = [Activation::<T>::f(&__act1, __z1[0]), ...];
//! ```
//!
//! and the backward ones, with `__x{n}` the layer's input and `__d{n}` its
//! error signal (the gradient at its pre-activation):
//!
//! ```text
//! g[w(o, i)] (+)= __d{n}[o] * __x{n}[i];     // every weight
//! g[b(o)]    (+)= __d{n}[o];                 // every bias
//! __d{n-1}[i] = (p[w(0, i)] * __d{n}[0] + p[w(1, i)] * __d{n}[1] + ...)
//!               * f'(z{n-1}[i])               // the chain rule, one step down
//! ```
//!
//! A layer above the unroll limit calls the loop kernels of
//! `backprop_core::__private::dense`, which sum in the same order, so both
//! forms give the same bits. Both weight layouts go through the same
//! kernels, generic over the layout type the layer names.

use proc_macro2::{Ident, TokenStream};
use quote::format_ident;

use super::{LayerKind, LossCall, Sink, Values, activated};
use crate::activation::Activation;
use crate::expand::{layer_local, lit, local, plural};

/// One dense layer, with everything its code needs to know.
pub struct Dense {
    /// 1 for the first layer after the input.
    pub number: usize,
    /// The width of the layer's input.
    pub inputs: usize,
    /// The number of neurons.
    pub outputs: usize,
    /// Its activation.
    pub activation: Activation,
    /// Index of the first weight in the flat parameter array.
    pub weight_offset: usize,
    /// The network's parameter count, the length of the flat array.
    pub network_params: usize,
    /// Straight-line code (`true`) or const-size loops.
    pub unrolled: bool,
    /// Weights stored `[in][out]` (`#[layout(input_major)]`).
    pub input_major: bool,
}

impl Dense {
    /// Index of the first bias in the flat parameter array.
    fn bias_offset(&self) -> usize {
        self.weight_offset + self.inputs * self.outputs
    }

    /// The flat index of the weight from input `i` to neuron `o`.
    pub fn weight_index(&self, i: usize, o: usize) -> usize {
        if self.input_major {
            self.weight_offset + i * self.outputs + o
        } else {
            self.weight_offset + o * self.inputs + i
        }
    }

    /// The layout type of the weights, which the kernels and views take:
    /// `OutputMajor` (`[out][in]`) by default.
    fn layout(&self) -> TokenStream {
        if self.input_major {
            mixed!(::backprop_core::__private::InputMajor)
        } else {
            mixed!(::backprop_core::__private::OutputMajor)
        }
    }

    /// `layer{n}`, the trace field and accessor stem.
    fn field(&self) -> Ident {
        activated::field(self.number)
    }

    /// `views::matrix::<T, Layout, P, AT, IN, OUT>(of)`: the weights in `of`.
    fn matrix(&self, of: &TokenStream) -> TokenStream {
        let (p_len, layout) = (lit(self.network_params), self.layout());
        let (i, o, at) = (lit(self.inputs), lit(self.outputs), lit(self.weight_offset));
        mixed!(::backprop_core::__private::views::matrix::<T, #layout, #p_len, #at, #i, #o>(#of))
    }

    /// `dense::layer_mut::<..>(of)`: the weights and biases in `of`, mutably.
    fn layer_mut(&self, of: &TokenStream) -> TokenStream {
        let (p_len, layout) = (lit(self.network_params), self.layout());
        let (i, o, at) = (lit(self.inputs), lit(self.outputs), lit(self.weight_offset));
        mixed!(::backprop_core::__private::dense::layer_mut::<T, #layout, #p_len, #at, #i, #o>(#of))
    }

    /// `let __z{n}: [T; OUT] = [b0 + w00 * x0 + w01 * x1 + ..., ...];`
    fn straight_pre_activation(&self, input: &Ident) -> TokenStream {
        let p = local("__p");
        let z = layer_local("z", self.number);
        let width = lit(self.outputs);
        let sums = (0..self.outputs).map(|o| {
            let bias = lit(self.bias_offset() + o);
            let terms = (0..self.inputs).map(|i| {
                let w = lit(self.weight_index(i, o));
                let i = lit(i);
                mixed!(+ #p[#w] * #input[#i])
            });
            mixed!(#p[#bias] #(#terms)*)
        });
        mixed! {
            let #z: [T; #width] = [#(#sums),*];
        }
    }

    /// For a loop-form layer: a binding of the input as `&[T; IN]`, and the
    /// argument list `weights, bias, input` of the kernels.
    fn loop_operands(&self, input: &Ident) -> (TokenStream, TokenStream) {
        let p = local("__p");
        let p_len = lit(self.network_params);
        let (i, o) = (lit(self.inputs), lit(self.outputs));
        let b_at = lit(self.bias_offset());
        let input_ref = local("__in");
        let binding = mixed! {
            // Deref coercion makes this right both for `input` (a reference)
            // and for a previous layer's activations (an array).
            let #input_ref: &[T; #i] = &#input;
        };
        let matrix = self.matrix(&mixed!(#p));
        let views = mixed! {
            #matrix,
            ::backprop_core::__private::bias::<T, #p_len, #b_at, #o>(#p),
            #input_ref
        };
        (binding, views)
    }

    /// `what` in the views' docs: `layer 1 (1 => 4 `ReLU`)`.
    fn described(&self) -> String {
        format!(
            "layer {} ({} => {} `{}`)",
            self.number,
            self.inputs,
            self.outputs,
            self.activation.spelling()
        )
    }
}

impl LayerKind for Dense {
    fn number(&self) -> usize {
        self.number
    }

    fn outputs(&self) -> usize {
        self.outputs
    }

    fn offset(&self) -> usize {
        self.weight_offset
    }

    fn params(&self) -> usize {
        self.inputs * self.outputs + self.outputs
    }

    fn spec(&self) -> String {
        format!("{} {}", self.outputs, self.activation.text())
    }

    fn canonical(&self) -> String {
        format!("{} {}", self.outputs, self.activation.fingerprint_text())
    }

    fn straight_line(&self) -> bool {
        self.unrolled
    }

    fn trace_field(&self) -> TokenStream {
        let doc = format!(
            "Layer {} ({} `{}`): pre-activations and activations.",
            self.number,
            plural(self.outputs, "neuron"),
            self.activation.text()
        );
        activated::trace_field(self.number, self.outputs, &doc)
    }

    fn trace_value(&self) -> TokenStream {
        activated::trace_value(self.number)
    }

    fn trace_zero(&self) -> TokenStream {
        activated::trace_zero(self.outputs)
    }

    fn output_local(&self) -> Ident {
        layer_local("a", self.number)
    }

    fn output_in(&self, trace: &TokenStream) -> TokenStream {
        let field = self.field();
        mixed!(#trace.#field.activation)
    }

    fn bounds(&self) -> Vec<TokenStream> {
        vec![self.activation.bounds()]
    }

    fn checks(&self) -> TokenStream {
        self.activation.check()
    }

    fn bindings(&self) -> TokenStream {
        if self.activation.is_softmax() {
            return TokenStream::new();
        }
        activated::binding(self.number, &self.activation)
    }

    fn forward(&self, input: &Ident) -> TokenStream {
        let n = self.number;
        let (act, z, a) = (
            layer_local("act", n),
            layer_local("z", n),
            layer_local("a", n),
        );
        let width = lit(self.outputs);
        let softmax = self.activation.is_softmax();
        let (layout, i) = (self.layout(), lit(self.inputs));
        if !self.unrolled && !softmax {
            // The loop kernel computes both the pre-activations and activations.
            let value = self.activation.value();
            let (input_ref, views) = self.loop_operands(input);
            return mixed! {
                #input_ref
                let #act = #value;
                let mut #z = [<T as ::backprop_core::Scalar>::ZERO; #width];
                let mut #a = [<T as ::backprop_core::Scalar>::ZERO; #width];
                ::backprop_core::__private::dense::forward::<T, #layout, _, #i, #width>(
                    &#act, #views, &mut #z, &mut #a,
                );
            };
        }
        let mut out = if self.unrolled {
            self.straight_pre_activation(input)
        } else {
            let (input_ref, views) = self.loop_operands(input);
            mixed! {
                #input_ref
                let mut #z = [<T as ::backprop_core::Scalar>::ZERO; #width];
                ::backprop_core::__private::dense::pre_activation::<T, #layout, #i, #width>(
                    #views, &mut #z,
                );
            }
        };
        if softmax {
            out.extend(mixed! {
                let #a: [T; #width] = ::backprop_core::activation::softmax(&#z);
            });
        } else {
            let value = self.activation.value();
            let activations = (0..self.outputs).map(|o| {
                let o = lit(o);
                mixed!(::backprop_core::activation::Activation::<T>::f(&#act, #z[#o]))
            });
            out.extend(mixed! {
                let #act = #value;
                let #a: [T; #width] = [#(#activations),*];
            });
        }
        out
    }

    fn output_loss(&self, trace: &TokenStream, call: LossCall) -> TokenStream {
        let (target, loss) = (local("target"), local("loss"));
        let field = self.field();
        let softmax = self.activation.is_softmax();
        let method = local(match (call, softmax) {
            (LossCall::Value, false) => "output_loss",
            (LossCall::Delta, false) => "output_delta",
            (LossCall::Value, true) => "softmax_loss",
            (LossCall::Delta, true) => "softmax_delta",
        });
        let act = if softmax {
            TokenStream::new()
        } else {
            let act = layer_local("act", self.number);
            mixed!(&#act,)
        };
        mixed! {
            ::backprop_core::loss::Loss::<T>::#method(
                #loss,
                #act
                &#trace.#field.pre_activation,
                &#trace.#field.activation,
                #target,
            )
        }
    }

    fn upstream_delta(&self, trace: &TokenStream, upstream: &Ident) -> TokenStream {
        let field = self.field();
        if self.activation.is_softmax() {
            mixed!(::backprop_core::activation::Softmax.backward(&#trace.#field.activation, #upstream))
        } else {
            let act = layer_local("act", self.number);
            mixed! {
                ::backprop_core::__private::activation_backward(
                    &#act,
                    &#trace.#field.pre_activation,
                    &#trace.#field.activation,
                    #upstream,
                )
            }
        }
    }

    fn error_signal(&self, gradient: Values) -> TokenStream {
        let trace = local("trace");
        let d = layer_local("d", self.number);
        let act = layer_local("act", self.number);
        let field = self.field();
        let width = lit(self.outputs);
        match gradient {
            Values::Elements(sums) => {
                let entries = sums.iter().enumerate().map(|(i, sum)| {
                    let i = lit(i);
                    mixed! {
                        (#sum) * ::backprop_core::activation::Activation::<T>::df(
                            &#act,
                            #trace.#field.pre_activation[#i],
                            #trace.#field.activation[#i],
                        )
                    }
                });
                mixed! {
                    let #d: [T; #width] = [#(#entries),*];
                }
            }
            Values::Array(gradient) => activated::error_signal(self.number, &gradient),
        }
    }

    fn input_gradient(&self, _x: &Ident) -> Values {
        let (p, d) = (local("__p"), layer_local("d", self.number));
        if self.unrolled {
            Values::Elements(
                (0..self.inputs)
                    .map(|i| {
                        let terms = (0..self.outputs).map(|o| {
                            let w = lit(self.weight_index(i, o));
                            let o = lit(o);
                            mixed!(#p[#w] * #d[#o])
                        });
                        mixed!(#(#terms)+*)
                    })
                    .collect(),
            )
        } else {
            let layout = self.layout();
            let (i, o) = (lit(self.inputs), lit(self.outputs));
            let matrix = self.matrix(&mixed!(#p));
            Values::Array(mixed! {
                ::backprop_core::__private::dense::input_gradient::<T, #layout, #i, #o>(
                    #matrix,
                    &#d,
                )
            })
        }
    }

    /// Into the optimizer, every layer takes the loop form
    /// (`__private::dense::update`), even one whose other passes are written
    /// out: the update is a short loop over the weights that LLVM unrolls
    /// completely for a small layer at opt-level 3, but keeps as a loop when
    /// optimising for size, where one straight-line load, update and store
    /// per parameter would be most of a training step's code. The update
    /// order does not matter to an elementwise optimizer, and each gradient
    /// is the same product either way.
    fn parameter_gradients(&self, x: &Ident, sink: Sink) -> TokenStream {
        let (g, p, optimizer, base) = (
            local("__g"),
            local("__p"),
            local("optimizer"),
            local("__base"),
        );
        let d = layer_local("d", self.number);
        let layout = self.layout();
        let (i, o, at) = (lit(self.inputs), lit(self.outputs), lit(self.weight_offset));
        let (gw, gb) = (local("__gw"), local("__gb"));
        match sink {
            Sink::Optimizer => {
                let layer = self.layer_mut(&mixed!(#p));
                mixed! {
                    {
                        let (#gw, #gb) = #layer;
                        ::backprop_core::__private::dense::update::<T, #layout, _, PO, #i, #o>(
                            #optimizer, #base + #at, #gw, #gb, &#d, #x,
                        );
                    }
                }
            }
            Sink::Gradients if self.unrolled => {
                let put = |k: usize, value: TokenStream| {
                    let k = lit(k);
                    mixed!(::backprop_core::__private::put::<T, ACCUMULATE>(&mut #g[#k], #value);)
                };
                let mut out = TokenStream::new();
                for o in 0..self.outputs {
                    let o_lit = lit(o);
                    for i in 0..self.inputs {
                        let i_lit = lit(i);
                        out.extend(put(
                            self.weight_index(i, o),
                            mixed!(#d[#o_lit] * #x[#i_lit]),
                        ));
                    }
                }
                for o in 0..self.outputs {
                    let o_lit = lit(o);
                    out.extend(put(self.bias_offset() + o, mixed!(#d[#o_lit])));
                }
                out
            }
            Sink::Gradients => {
                let layer = self.layer_mut(&mixed!(#g));
                mixed! {
                    {
                        let (#gw, #gb) = #layer;
                        if ACCUMULATE {
                            ::backprop_core::__private::dense::accumulate::<T, #layout, #i, #o>(#gw, #gb, &#d, #x);
                        } else {
                            ::backprop_core::__private::dense::assign::<T, #layout, #i, #o>(#gw, #gb, &#d, #x);
                        }
                    }
                }
            }
        }
    }

    /// `layerN_weights`, `layerN_weights_mut`, `layerN_bias`, `layerN_bias_mut`.
    fn views(&self) -> TokenStream {
        let p = lit(self.network_params);
        let (i, o) = (lit(self.inputs), lit(self.outputs));
        let w_at = lit(self.weight_offset);
        let layout = self.layout();
        // The view's type: `[[T; IN]; OUT]`, or `[[T; OUT]; IN]` input-major.
        let (rows, cols) = if self.input_major { (&i, &o) } else { (&o, &i) };
        let n = self.number;
        let weights = format_ident!("layer{n}_weights");
        let weights_mut = format_ident!("layer{n}_weights_mut");
        let what = self.described();
        let w_doc = if self.input_major {
            format!(
                "The weights of {what}, `[in][out]` (`#[layout(input_major)]`): `[i][o]` is the \
                 weight from input `i` to neuron `o`."
            )
        } else {
            format!(
                "The weights of {what}, `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`."
            )
        };
        let wm_doc = format!("The weights of {what}, mutably.");
        let bias_views = activated::bias_views(
            n,
            self.network_params,
            self.bias_offset(),
            self.outputs,
            &what,
        );
        mixed! {
            #[doc = #w_doc]
            #[inline]
            #[must_use]
            pub fn #weights(&self) -> &[[T; #cols]; #rows] {
                ::backprop_core::__private::views::matrix::<T, #layout, #p, #w_at, #i, #o>(&self.params)
            }

            #[doc = #wm_doc]
            #[inline]
            #[must_use]
            pub fn #weights_mut(&mut self) -> &mut [[T; #cols]; #rows] {
                ::backprop_core::__private::views::matrix_mut::<T, #layout, #p, #w_at, #i, #o>(&mut self.params)
            }

            #bias_views
        }
    }

    fn debug_fields(&self) -> TokenStream {
        activated::debug_fields(self.number)
    }

    /// He uniform for the ReLU family, Glorot uniform for the others, as the
    /// activation's `INIT` says; zero biases.
    fn init(&self, net: &Ident, rng: &Ident) -> TokenStream {
        let (i, o) = (lit(self.inputs), lit(self.outputs));
        let scheme = if self.activation.is_softmax() {
            mixed!(::backprop_core::init::Scheme::Glorot)
        } else {
            let ty = self.activation.ty();
            mixed!(<#ty as ::backprop_core::activation::Activation<T>>::INIT)
        };
        let (w, b) = (local("__w"), local("__b"));
        let layout = self.layout();
        let layer = self.layer_mut(&mixed!(&mut #net.params));
        mixed! {
            let (#w, #b) = #layer;
            ::backprop_core::__private::dense::init::<T, #layout, #i, #o>(#w, #b, #scheme, &mut #rng);
        }
    }

    fn summary_row(&self) -> TokenStream {
        let (i, o, params) = (lit(self.inputs), lit(self.outputs), lit(self.params()));
        let activation = self.activation.text();
        let input_major = self.input_major;
        mixed! {
            ::backprop_core::summary::LayerInfo {
                kind: "Dense",
                inputs: #i,
                outputs: #o,
                activation: #activation,
                params: #params,
                input_major: #input_major,
            }
        }
    }

    fn doc_row(&self) -> String {
        let bias_offset = self.bias_offset();
        format!(
            "| {} | {} | {} | `{}` | `{}..{}` | `{}..{}` |\n",
            self.number,
            self.inputs,
            self.outputs,
            self.activation.text(),
            self.weight_offset,
            bias_offset,
            bias_offset,
            bias_offset + self.outputs,
        )
    }

    fn relu_pre_activation(&self, trace: &Ident) -> Option<TokenStream> {
        activated::relu_pre_activation(self.number, &self.activation, trace)
    }

    fn int8(&self) -> Option<super::Int8Layer> {
        let (fused, kernel) = self.activation.int8()?;
        Some(super::Int8Layer {
            inputs: self.inputs,
            outputs: self.outputs,
            input_major: self.input_major,
            fused,
            kernel,
        })
    }
}
