//! The signal layers: `Conv1d`, which has parameters and an activation, and
//! the parameterless ones (`MaxPool1d`, `AvgPool1d`, `GlobalAvgPool1d`,
//! `Flatten`), which reshape or reduce a window.
//!
//! A window travels between layers as a flat time-major array
//! `[T; LEN * C]` (see `backprop_core::__private::signal`), so to the
//! generators a signal layer is one more layer with a vector output. Every
//! pass is one call of a runtime kernel with the shapes as const
//! parameters; none is written out as straight-line code.
//!
//! For layer `n`, a convolution's forward statements are
//!
//! ```text
//! let __in: &[T; NI] = &input;
//! let __act{n} = <activation>;
//! let mut __z{n} = [ZERO; NO];
//! let mut __a{n} = [ZERO; NO];
//! signal::forward::<T, Conv<..>, _, W, NI, NO>(&__act{n}, weights, bias, __in, &mut __z{n}, &mut __a{n});
//! ```
//!
//! and a pooling layer's `let __a{n}: [T; NO] = signal::max_pool::<..>(&input);`.

use proc_macro2::{Ident, TokenStream};
use quote::format_ident;

use super::{LayerKind, LossCall, Sink, Values, activated};
use crate::activation::Activation;
use crate::expand::{layer_local, lit, local, plural};
use crate::model::Shape;

use activated::field;

/// A window's shape as the docs write it: `64 x 3` (steps x channels).
fn window_text(channels: usize, len: usize) -> String {
    format!("{len} x {channels}")
}

/// What the generators cannot reach: the last layer is always dense, so a
/// signal layer never meets the loss or a chain's upstream gradient.
fn never_last(what: &str) -> TokenStream {
    let message = format!("internal: a `{what}` layer cannot be a network's last layer");
    mixed!(::core::compile_error!(#message))
}

/// One 1-D convolution layer.
pub struct Conv1d {
    /// 1 for the first layer after the input.
    pub number: usize,
    /// Input channels.
    pub ci: usize,
    /// Input steps.
    pub li: usize,
    /// Output channels.
    pub co: usize,
    /// Output steps.
    pub lo: usize,
    /// Kernel size.
    pub kernel: usize,
    /// Stride.
    pub stride: usize,
    /// Dilation.
    pub dilation: usize,
    /// Zeros before the first step.
    pub pad: usize,
    /// `padding = same`.
    pub same: bool,
    /// Its activation.
    pub activation: Activation,
    /// Index of its first weight in the flat parameters.
    pub offset: usize,
    /// The network's parameter count.
    pub network_params: usize,
}

impl Conv1d {
    /// The number of weights, `CO * CI * K`.
    fn weights(&self) -> usize {
        self.co * self.ci * self.kernel
    }

    /// `signal::Conv<CI, LI, CO, LO, K, S, D, PAD>`.
    fn shape(&self) -> TokenStream {
        let [ci, li, co, lo, k, s, d, pad] = [
            self.ci,
            self.li,
            self.co,
            self.lo,
            self.kernel,
            self.stride,
            self.dilation,
            self.pad,
        ]
        .map(lit);
        mixed!(::backprop_core::__private::signal::Conv<#ci, #li, #co, #lo, #k, #s, #d, #pad>)
    }

    /// `W, NI, NO`: the kernels' array lengths.
    fn lengths(&self) -> TokenStream {
        let (w, ni, no) = (
            lit(self.weights()),
            lit(self.li * self.ci),
            lit(self.lo * self.co),
        );
        mixed!(#w, #ni, #no)
    }

    /// The weights in `of` (a `[T; P]`), `&[T; W]`.
    fn weights_in(&self, of: &TokenStream) -> TokenStream {
        let (p, at, w) = (
            lit(self.network_params),
            lit(self.offset),
            lit(self.weights()),
        );
        mixed!(::backprop_core::__private::segment::<T, #p, #at, #w>(#of))
    }

    /// The weights and biases in `of`, mutably: `(&mut [T; W], &mut [T; CO])`.
    fn parts_mut(&self, of: &TokenStream) -> TokenStream {
        let (p, at, w, co) = (
            lit(self.network_params),
            lit(self.offset),
            lit(self.weights()),
            lit(self.co),
        );
        mixed!(::backprop_core::__private::signal::parts_mut::<T, #p, #at, #w, #co>(#of))
    }

    /// The options as the spec writes them, `kernel = 5` and those not at
    /// their defaults (all of them when `canonical`).
    fn options(&self, canonical: bool) -> String {
        let mut text = format!("{}, kernel = {}", self.co, self.kernel);
        if canonical || self.stride != 1 {
            text.push_str(&format!(", stride = {}", self.stride));
        }
        if canonical || self.dilation != 1 {
            text.push_str(&format!(", dilation = {}", self.dilation));
        }
        if canonical || self.same {
            text.push_str(if self.same {
                ", padding = same"
            } else {
                ", padding = valid"
            });
        }
        text
    }

    /// `layer 1 (Conv1d(16, kernel = 5) ReLU, 64 x 3 => 60 x 16)`.
    fn described(&self) -> String {
        format!(
            "layer {} (`Conv1d({}) {}`, {} => {})",
            self.number,
            self.options(false),
            self.activation.spelling(),
            window_text(self.ci, self.li),
            window_text(self.co, self.lo)
        )
    }
}

impl LayerKind for Conv1d {
    fn number(&self) -> usize {
        self.number
    }

    fn outputs(&self) -> usize {
        self.lo * self.co
    }

    fn offset(&self) -> usize {
        self.offset
    }

    fn params(&self) -> usize {
        self.weights() + self.co
    }

    fn spec(&self) -> String {
        format!("Conv1d({}) {}", self.options(false), self.activation.text())
    }

    fn canonical(&self) -> String {
        format!(
            "Conv1d({}) {}",
            self.options(true),
            self.activation.fingerprint_text()
        )
    }

    fn straight_line(&self) -> bool {
        false
    }

    fn trace_field(&self) -> TokenStream {
        let doc = format!(
            "Layer {} (`Conv1d`, {} steps x {} `{}`): pre-activations and activations, \
             time-major (channel `c` of step `t` at `t * {} + c`).",
            self.number,
            self.lo,
            plural(self.co, "channel"),
            self.activation.text(),
            self.co
        );
        activated::trace_field(self.number, self.outputs(), &doc)
    }

    fn trace_value(&self) -> TokenStream {
        activated::trace_value(self.number)
    }

    fn trace_zero(&self) -> TokenStream {
        activated::trace_zero(self.outputs())
    }

    fn output_local(&self) -> Ident {
        layer_local("a", self.number)
    }

    fn output_in(&self, trace: &TokenStream) -> TokenStream {
        let field = field(self.number);
        mixed!(#trace.#field.activation)
    }

    fn bounds(&self) -> Vec<TokenStream> {
        vec![self.activation.bounds()]
    }

    fn checks(&self) -> TokenStream {
        self.activation.check()
    }

    fn bindings(&self) -> TokenStream {
        activated::binding(self.number, &self.activation)
    }

    fn forward(&self, input: &Ident) -> TokenStream {
        let n = self.number;
        let (act, z, a, input_ref) = (
            layer_local("act", n),
            layer_local("z", n),
            layer_local("a", n),
            local("__in"),
        );
        let (ni, no) = (lit(self.li * self.ci), lit(self.outputs()));
        let value = self.activation.value();
        let (shape, lengths) = (self.shape(), self.lengths());
        let p = local("__p");
        let weights = self.weights_in(&mixed!(#p));
        let (p_len, b_at, co) = (
            lit(self.network_params),
            lit(self.offset + self.weights()),
            lit(self.co),
        );
        mixed! {
            // Deref coercion makes this right both for `input` (a reference)
            // and for a previous layer's activations (an array).
            let #input_ref: &[T; #ni] = &#input;
            let #act = #value;
            let mut #z = [<T as ::backprop_core::Scalar>::ZERO; #no];
            let mut #a = [<T as ::backprop_core::Scalar>::ZERO; #no];
            ::backprop_core::__private::signal::forward::<T, #shape, _, #lengths>(
                &#act,
                #weights,
                ::backprop_core::__private::bias::<T, #p_len, #b_at, #co>(#p),
                #input_ref,
                &mut #z,
                &mut #a,
            );
        }
    }

    fn output_loss(&self, _trace: &TokenStream, _call: LossCall) -> TokenStream {
        never_last("Conv1d")
    }

    fn upstream_delta(&self, _trace: &TokenStream, _upstream: &Ident) -> TokenStream {
        never_last("Conv1d")
    }

    fn error_signal(&self, gradient: Values) -> TokenStream {
        activated::error_signal(self.number, &gradient.array())
    }

    fn input_gradient(&self, _x: &Ident) -> Values {
        let (p, d) = (local("__p"), layer_local("d", self.number));
        let (shape, lengths) = (self.shape(), self.lengths());
        let weights = self.weights_in(&mixed!(#p));
        Values::Array(mixed! {
            ::backprop_core::__private::signal::input_gradient::<T, #shape, #lengths>(#weights, &#d)
        })
    }

    fn parameter_gradients(&self, x: &Ident, sink: Sink) -> TokenStream {
        let (g, p, optimizer, base) = (
            local("__g"),
            local("__p"),
            local("optimizer"),
            local("__base"),
        );
        let d = layer_local("d", self.number);
        let (shape, lengths) = (self.shape(), self.lengths());
        let (gw, gb) = (local("__gw"), local("__gb"));
        let at = lit(self.offset);
        match sink {
            Sink::Optimizer => {
                let parts = self.parts_mut(&mixed!(#p));
                mixed! {
                    {
                        let (#gw, #gb) = #parts;
                        ::backprop_core::__private::signal::update::<T, #shape, _, PO, #lengths>(
                            #optimizer, #base + #at, #gw, #gb, &#d, #x,
                        );
                    }
                }
            }
            Sink::Gradients => {
                let parts = self.parts_mut(&mixed!(#g));
                mixed! {
                    {
                        let (#gw, #gb) = #parts;
                        ::backprop_core::__private::signal::gradients::<T, #shape, #lengths, ACCUMULATE>(
                            #gw, #gb, &#d, #x,
                        );
                    }
                }
            }
        }
    }

    /// `layerN_weights` (`[[[T; K]; CI]; CO]`, PyTorch's `weight[o][c][k]`),
    /// `layerN_weights_mut`, `layerN_bias`, `layerN_bias_mut`.
    fn views(&self) -> TokenStream {
        let (p, w_at) = (lit(self.network_params), lit(self.offset));
        let (co, ci, k, w) = (
            lit(self.co),
            lit(self.ci),
            lit(self.kernel),
            lit(self.weights()),
        );
        let n = self.number;
        let weights = format_ident!("layer{n}_weights");
        let weights_mut = format_ident!("layer{n}_weights_mut");
        let what = self.described();
        let w_doc = format!(
            "The kernel of {what}, `[out][in][k]` as PyTorch's `Conv1d.weight`: `[o][c][k]` \
             weighs tap `k` of input channel `c` into output channel `o`."
        );
        let wm_doc = format!("The kernel of {what}, mutably.");
        let bias_views = activated::bias_views(
            n,
            self.network_params,
            self.offset + self.weights(),
            self.co,
            &format!("{what}, one per output channel"),
        );
        mixed! {
            #[doc = #w_doc]
            #[inline]
            #[must_use]
            pub fn #weights(&self) -> &[[[T; #k]; #ci]; #co] {
                ::backprop_core::__private::signal::kernel::<T, #co, #ci, #k, #w>(
                    ::backprop_core::__private::segment::<T, #p, #w_at, #w>(&self.params),
                )
            }

            #[doc = #wm_doc]
            #[inline]
            #[must_use]
            pub fn #weights_mut(&mut self) -> &mut [[[T; #k]; #ci]; #co] {
                ::backprop_core::__private::signal::kernel_mut::<T, #co, #ci, #k, #w>(
                    ::backprop_core::__private::segment_mut::<T, #p, #w_at, #w>(&mut self.params),
                )
            }

            #bias_views
        }
    }

    fn debug_fields(&self) -> TokenStream {
        activated::debug_fields(self.number)
    }

    /// As a dense layer, by the activation's `INIT`, with a convolution's
    /// fans (`CI * K` in, `CO * K` out); zero biases.
    fn init(&self, net: &Ident, rng: &Ident) -> TokenStream {
        let ty = self.activation.ty();
        let scheme = mixed!(<#ty as ::backprop_core::activation::Activation<T>>::INIT);
        let (w, b) = (local("__w"), local("__b"));
        let parts = self.parts_mut(&mixed!(&mut #net.params));
        let shape = self.shape();
        mixed! {
            let (#w, #b) = #parts;
            ::backprop_core::__private::signal::init::<T, #shape>(#w, #b, #scheme, &mut #rng);
        }
    }

    fn summary_row(&self) -> TokenStream {
        let (i, o, params) = (
            lit(self.li * self.ci),
            lit(self.outputs()),
            lit(self.params()),
        );
        let activation = self.activation.text();
        let kind = format!("Conv1d({})", self.options(false));
        mixed! {
            ::backprop_core::summary::LayerInfo {
                kind: #kind,
                inputs: #i,
                outputs: #o,
                activation: #activation,
                params: #params,
                input_major: false,
            }
        }
    }

    fn doc_row(&self) -> String {
        let bias_offset = self.offset + self.weights();
        format!(
            "| {} | {} | {} | `Conv1d({}) {}` | `{}..{}` | `{}..{}` |\n",
            self.number,
            window_text(self.ci, self.li),
            window_text(self.co, self.lo),
            self.options(false),
            self.activation.text(),
            self.offset,
            bias_offset,
            bias_offset,
            bias_offset + self.co,
        )
    }

    fn relu_pre_activation(&self, trace: &Ident) -> Option<TokenStream> {
        activated::relu_pre_activation(self.number, &self.activation, trace)
    }
}

/// What a parameterless signal layer does.
#[derive(Clone, Copy)]
pub enum Reshape {
    /// `MaxPool1d(K, stride = S)`.
    MaxPool {
        /// Window length.
        kernel: usize,
        /// Step between windows.
        stride: usize,
    },
    /// `AvgPool1d(K, stride = S)`.
    AvgPool {
        /// Window length.
        kernel: usize,
        /// Step between windows.
        stride: usize,
    },
    /// `GlobalAvgPool1d`: one mean per channel.
    GlobalAvgPool,
    /// `Flatten`: the window as a vector, channel-major.
    Flatten,
}

/// A pooling or flatten layer: no parameters, no activation.
pub struct Parameterless {
    /// 1 for the first layer after the input.
    pub number: usize,
    /// What it does.
    pub op: Reshape,
    /// The input window's channels.
    pub channels: usize,
    /// The input window's steps.
    pub len: usize,
    /// Its output.
    pub outputs: Shape,
    /// The flat index where the layer's (no) parameters would start: the
    /// next layer's offset.
    pub offset: usize,
}

impl Parameterless {
    /// The layer as the spec writes it; `canonical` writes every option.
    fn text(&self, canonical: bool) -> String {
        match self.op {
            Reshape::MaxPool { kernel, stride } | Reshape::AvgPool { kernel, stride } => {
                let name = if matches!(self.op, Reshape::MaxPool { .. }) {
                    "MaxPool1d"
                } else {
                    "AvgPool1d"
                };
                if canonical || stride != kernel {
                    format!("{name}({kernel}, stride = {stride})")
                } else {
                    format!("{name}({kernel})")
                }
            }
            Reshape::GlobalAvgPool => "GlobalAvgPool1d".to_owned(),
            Reshape::Flatten => "Flatten".to_owned(),
        }
    }

    /// The output as the docs write it.
    fn output_text(&self) -> String {
        match self.outputs {
            Shape::Window { channels, len } => window_text(channels, len),
            Shape::Vector(n) => n.to_string(),
        }
    }

    /// `T, C, LI, LO, K, S, NI, NO` of a pooling kernel.
    fn pool_generics(&self, kernel: usize, stride: usize) -> TokenStream {
        let lo = match self.outputs {
            Shape::Window { len, .. } => len,
            Shape::Vector(_) => 1,
        };
        let [c, li, lo, k, s, ni, no] = [
            self.channels,
            self.len,
            lo,
            kernel,
            stride,
            self.channels * self.len,
            self.outputs.size(),
        ]
        .map(lit);
        mixed!(T, #c, #li, #lo, #k, #s, #ni, #no)
    }

    /// `T, C, LEN, N` of the global pool and flatten kernels.
    fn whole_generics(&self) -> TokenStream {
        let (c, len, n) = (
            lit(self.channels),
            lit(self.len),
            lit(self.channels * self.len),
        );
        mixed!(T, #c, #len, #n)
    }
}

impl LayerKind for Parameterless {
    fn number(&self) -> usize {
        self.number
    }

    fn outputs(&self) -> usize {
        self.outputs.size()
    }

    fn offset(&self) -> usize {
        self.offset
    }

    fn params(&self) -> usize {
        0
    }

    fn spec(&self) -> String {
        self.text(false)
    }

    fn canonical(&self) -> String {
        self.text(true)
    }

    fn straight_line(&self) -> bool {
        false
    }

    fn trace_field(&self) -> TokenStream {
        let field = field(self.number);
        let n = lit(self.outputs());
        let layout = match self.outputs {
            Shape::Window { channels, .. } => {
                format!("time-major (channel `c` of step `t` at `t * {channels} + c`)")
            }
            Shape::Vector(_) if matches!(self.op, Reshape::Flatten) => format!(
                "channel-major (step `t` of channel `c` at `c * {} + t`)",
                self.len
            ),
            Shape::Vector(_) => "one per channel".to_owned(),
        };
        let doc = format!(
            "Layer {} (`{}`): its output, {layout}.",
            self.number,
            self.text(false)
        );
        mixed! {
            #[doc = #doc]
            pub #field: [T; #n],
        }
    }

    fn trace_value(&self) -> TokenStream {
        let a = layer_local("a", self.number);
        mixed!(#a)
    }

    fn trace_zero(&self) -> TokenStream {
        let n = lit(self.outputs());
        mixed!([<T as ::backprop_core::Scalar>::ZERO; #n])
    }

    fn output_local(&self) -> Ident {
        layer_local("a", self.number)
    }

    fn output_in(&self, trace: &TokenStream) -> TokenStream {
        let field = field(self.number);
        mixed!(#trace.#field)
    }

    fn bounds(&self) -> Vec<TokenStream> {
        Vec::new()
    }

    fn checks(&self) -> TokenStream {
        TokenStream::new()
    }

    fn bindings(&self) -> TokenStream {
        TokenStream::new()
    }

    fn forward(&self, input: &Ident) -> TokenStream {
        let a = layer_local("a", self.number);
        let n = lit(self.outputs());
        let signal = mixed!(::backprop_core::__private::signal);
        let call = match self.op {
            Reshape::MaxPool { kernel, stride } => {
                let g = self.pool_generics(kernel, stride);
                mixed!(#signal::max_pool::<#g>(&#input))
            }
            Reshape::AvgPool { kernel, stride } => {
                let g = self.pool_generics(kernel, stride);
                mixed!(#signal::avg_pool::<#g>(&#input))
            }
            Reshape::GlobalAvgPool => {
                let g = self.whole_generics();
                mixed!(#signal::global_avg_pool::<#g>(&#input))
            }
            Reshape::Flatten => {
                let g = self.whole_generics();
                mixed!(#signal::flatten::<#g>(&#input))
            }
        };
        mixed! {
            let #a: [T; #n] = #call;
        }
    }

    fn output_loss(&self, _trace: &TokenStream, _call: LossCall) -> TokenStream {
        never_last(&self.text(false))
    }

    fn upstream_delta(&self, _trace: &TokenStream, _upstream: &Ident) -> TokenStream {
        never_last(&self.text(false))
    }

    fn error_signal(&self, gradient: Values) -> TokenStream {
        let d = layer_local("d", self.number);
        let n = lit(self.outputs());
        let gradient = gradient.array();
        mixed! {
            let #d: [T; #n] = #gradient;
        }
    }

    fn input_gradient(&self, x: &Ident) -> Values {
        let d = layer_local("d", self.number);
        let signal = mixed!(::backprop_core::__private::signal);
        Values::Array(match self.op {
            Reshape::MaxPool { kernel, stride } => {
                let g = self.pool_generics(kernel, stride);
                mixed!(#signal::max_pool_backward::<#g>(#x, &#d))
            }
            Reshape::AvgPool { kernel, stride } => {
                let g = self.pool_generics(kernel, stride);
                mixed!(#signal::avg_pool_backward::<#g>(&#d))
            }
            Reshape::GlobalAvgPool => {
                let g = self.whole_generics();
                mixed!(#signal::global_avg_pool_backward::<#g>(&#d))
            }
            Reshape::Flatten => {
                let g = self.whole_generics();
                mixed!(#signal::flatten_backward::<#g>(&#d))
            }
        })
    }

    fn parameter_gradients(&self, x: &Ident, _sink: Sink) -> TokenStream {
        // Nothing to update; the input is read by the max pool's gradient only.
        mixed! { let _ = #x; }
    }

    fn views(&self) -> TokenStream {
        TokenStream::new()
    }

    fn debug_fields(&self) -> TokenStream {
        TokenStream::new()
    }

    fn init(&self, _net: &Ident, _rng: &Ident) -> TokenStream {
        TokenStream::new()
    }

    fn summary_row(&self) -> TokenStream {
        let (i, o) = (lit(self.channels * self.len), lit(self.outputs()));
        let kind = self.text(false);
        mixed! {
            ::backprop_core::summary::LayerInfo {
                kind: #kind,
                inputs: #i,
                outputs: #o,
                activation: "",
                params: 0,
                input_major: false,
            }
        }
    }

    fn doc_row(&self) -> String {
        format!(
            "| {} | {} | {} | `{}` | | |\n",
            self.number,
            window_text(self.channels, self.len),
            self.output_text(),
            self.text(false),
        )
    }

    fn relu_pre_activation(&self, _trace: &Ident) -> Option<TokenStream> {
        None
    }
}
