//! The typed model of one invocation, built from the syntax while every
//! mistake goes into one error collector: widths as numbers, attributes
//! read, activations resolved. The checks (`check.rs`) read this model, never
//! tokens; a definition the checks pass becomes a [`Network`] or a
//! [`Chain`], which the generators read.

use proc_macro2::{Ident, Span};
use syn::{Attribute, Visibility};

use crate::activation::Activation;
use crate::ast::{
    ActivationArgs, ActivationSpec, Arg, Definition, LayerHead, LayerSpec, NetworkInput,
};
use crate::errors::Errors;
use crate::layer::LayerKind;
use crate::layer::dense::Dense;
use crate::layer::recurrent::Recurrent;
use crate::layer::signal::{Conv1d, Parameterless, Reshape};

/// By default a layer of `IN * OUT` weights or fewer is written out as
/// straight-line code; a larger one calls the `__private` loop kernels.
///
/// Straight-line code is fastest for tiny layers, but rustc's time and memory
/// on it grow steeply (a straight-line 128 x 128 layer took 38 s and 1.8 GB,
/// 256 x 256 took 247 s and 21 GB), while from about 16 x 16 on the loop
/// kernels, which keep many in-order sums in flight at once, are as fast or
/// faster. 256 keeps every default expansion far from that cliff.
pub const UNROLL_LIMIT: usize = 256;

/// The most weights the default policy writes out as straight-line code in
/// one network, all layers together. The per-layer limit alone let a deep
/// network of small layers grow without bound: `16 => 16 ReLU => ... =>
/// 1 Linear` with 19 hidden layers of 256 weights each (4,864 in all) took
/// 8.5 s and 1.4 GB to build in release; within this budget, 15 times less
/// time and 7.7 times less memory (1.7 s against 25.5 s, 179 against
/// 1,382 MB, measured one after the other). Layers are
/// written out smallest first (the first of equal ones first) while the
/// total stays within it; the rest take the loop kernels, which give the
/// same bits and, from about 16 x 16 on, the same speed.
pub const UNROLL_BUDGET: usize = 512;

/// The most weights one layer may have under `#[unroll(full)]`. Straight-line
/// code's compile cost grows much faster than its size: `W => 128 ReLU => 10
/// Linear` fully unrolled took 11 s and 310 MB to build at W = 4 (512
/// weights in the first layer), 27 s and 480 MB at W = 16 (2,048) and 217 s
/// and 1.6 GB at W = 64 (8,192), against under a second with the default.
pub const FULL_UNROLL_LIMIT: usize = 1024;

/// The attribute that overrides [`UNROLL_LIMIT`] for one network:
/// `#[unroll(full)]` writes every layer out, `#[unroll(loops)]` none.
pub const UNROLL_ATTRIBUTE: &str = "unroll";

/// How a network's layers are written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unroll {
    /// Straight-line code up to [`UNROLL_LIMIT`] weights per layer and
    /// [`UNROLL_BUDGET`] per network, loops for the rest.
    Default,
    /// `#[unroll(full)]`: straight-line code for every layer, whatever its size.
    Full,
    /// `#[unroll(loops)]`: the loop kernels for every layer.
    Loops,
}

impl Unroll {
    /// For each layer, of `weights[k]` weights, whether it is written as
    /// straight-line code: under the default policy, the layers of at most
    /// [`UNROLL_LIMIT`] weights, smallest first, while their total stays
    /// within [`UNROLL_BUDGET`].
    pub fn unrolls(self, weights: &[usize]) -> Vec<bool> {
        match self {
            Self::Full => vec![true; weights.len()],
            Self::Loops => vec![false; weights.len()],
            Self::Default => {
                let mut order: Vec<usize> = (0..weights.len())
                    .filter(|&k| weights[k] <= UNROLL_LIMIT)
                    .collect();
                order.sort_by_key(|&k| weights[k]);
                let mut unrolled = vec![false; weights.len()];
                let mut total = 0;
                for k in order {
                    total += weights[k];
                    if total > UNROLL_BUDGET {
                        break;
                    }
                    unrolled[k] = true;
                }
                unrolled
            }
        }
    }

    /// Takes the `#[unroll(...)]` attribute out of `attrs`, so it is not
    /// copied onto the struct, and reads its value.
    pub fn take_from(attrs: &mut Vec<Attribute>, errors: &Errors) -> Self {
        match take_choice(
            attrs,
            UNROLL_ATTRIBUTE,
            &["full", "loops"],
            "unroll policy",
            errors,
        ) {
            Some("full") => Self::Full,
            Some("loops") => Self::Loops,
            _ => Self::Default,
        }
    }
}

/// Takes every `#[name(word)]` attribute out of `attrs` (so none is copied
/// onto the struct) and returns the word, one of `choices`, if there was
/// one. An unknown word, a malformed or a second attribute is an error at
/// its tokens.
fn take_choice<'a>(
    attrs: &mut Vec<Attribute>,
    name: &str,
    choices: &[&'a str],
    what: &str,
    errors: &Errors,
) -> Option<&'a str> {
    let mut choice = None;
    let mut seen = false;
    let expected = format!(
        "expected {}",
        choices
            .iter()
            .map(|c| format!("`#[{name}({c})]`"))
            .collect::<Vec<_>>()
            .join(" or ")
    );
    attrs.retain(|attr| {
        if !attr.path().is_ident(name) {
            return true;
        }
        if seen {
            errors.error_spanned(attr, format_args!("duplicate `{name}` attribute"));
        }
        seen = true;
        match attr.parse_args::<syn::Ident>() {
            Ok(word) => match choices.iter().find(|c| word == **c) {
                Some(c) => choice = Some(*c),
                None => errors.error(
                    word.span(),
                    format_args!("unknown {what} `{word}`, {expected}"),
                ),
            },
            Err(_) => errors.error_spanned(attr, &expected),
        }
        false
    });
    choice
}

/// The attribute that chooses how one network stores its weights:
/// `#[layout(input_major)]` or `#[layout(output_major)]` (the default).
pub const LAYOUT_ATTRIBUTE: &str = "layout";

/// How a network stores each layer's weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `[out][in]`, the documented default: one neuron's weights are
    /// contiguous. The input gradient `W^T delta` reads them contiguously;
    /// the forward pass reads them with a stride of `IN`.
    OutputMajor,
    /// `#[layout(input_major)]`, `[in][out]`: one input's weights into every
    /// neuron are contiguous. The forward pass reads them contiguously; the
    /// input gradient sums each row as one serial chain.
    InputMajor,
}

impl Layout {
    /// Takes the `#[layout(...)]` attribute out of `attrs`, so it is not
    /// copied onto the struct, and reads its value.
    pub fn take_from(attrs: &mut Vec<Attribute>, errors: &Errors) -> Self {
        let choices = ["input_major", "output_major"];
        match take_choice(attrs, LAYOUT_ATTRIBUTE, &choices, "weight layout", errors) {
            Some("input_major") => Self::InputMajor,
            _ => Self::OutputMajor,
        }
    }
}

/// The widest layer the macro accepts. Far wider layers are not useful on the
/// targets this crate is for, and refusing them keeps every index the
/// generated code computes far from overflow.
pub const MAX_WIDTH: usize = 1 << 20;

/// Every definition of an invocation, in order.
pub struct Model {
    /// The definitions.
    pub items: Vec<Item>,
}

/// One definition.
pub enum Item {
    /// `struct Net: 1 => 4 ReLU => ...;`
    Network(NetworkDef),
    /// `struct AB: A => B;`
    Chain(ChainDef),
}

/// What every definition has: the struct's name, visibility and attributes.
pub struct Header {
    /// Attributes to copy onto the struct, the macro's own taken out.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The struct's name, with the user's span.
    pub name: Ident,
}

/// A network of layers as written, which may still hold mistakes.
pub struct NetworkDef {
    /// Name, visibility, attributes.
    pub header: Header,
    /// `#[unroll(..)]`.
    pub unroll: Unroll,
    /// `#[layout(..)]`.
    pub layout: Layout,
    /// The input, then every layer.
    pub layers: Vec<LayerDef>,
}

/// One width and what follows it, or a window input, or a signal layer.
pub struct LayerDef {
    /// The width, if it is a valid one (`None` for a window or a signal
    /// layer).
    pub width: Option<usize>,
    /// Where the width (or the window, or the signal layer's keyword) was
    /// written.
    pub span: Span,
    /// The activation.
    pub activation: Written,
    /// A window input or a signal layer, as read; `None` for a width.
    pub signal: Option<Signal>,
}

/// A window input or a signal layer, with its arguments read.
pub enum Signal {
    /// `[CHANNELS; LEN]`.
    Window {
        /// The channel count.
        channels: usize,
        /// The number of time steps.
        len: usize,
    },
    /// `Conv1d(OUT, kernel = K, ...)`.
    Conv1d(ConvDef),
    /// `MaxPool1d(K)` or `AvgPool1d(K)`, with an optional stride.
    Pool {
        /// Max or average.
        max: bool,
        /// The window length.
        kernel: usize,
        /// The step between windows.
        stride: usize,
        /// Where the window length was written.
        kernel_span: Span,
    },
    /// `GlobalAvgPool1d`.
    GlobalAvgPool,
    /// `Flatten`.
    Flatten,
    /// `H GRU` or `H LSTM`: a recurrent layer of `H` units (the layer's
    /// width), which runs one time step at a time.
    Recurrent {
        /// An LSTM (four gates, a cell state) rather than a GRU.
        lstm: bool,
    },
    /// A signal layer with a mistake in its arguments (already reported).
    Invalid,
}

/// A convolution's arguments.
pub struct ConvDef {
    /// Output channels.
    pub out: usize,
    /// Kernel size.
    pub kernel: usize,
    /// Stride.
    pub stride: usize,
    /// Dilation.
    pub dilation: usize,
    /// `padding = same` (`false`: `valid`, the default).
    pub same: bool,
    /// Where the kernel size was written.
    pub kernel_span: Span,
}

impl ConvDef {
    /// The zeros before the first step and after the last: none for
    /// `valid`; for `same`, `dilation * (kernel - 1)` in all, the odd one
    /// on the right, as PyTorch pads.
    pub fn padding(&self) -> (usize, usize) {
        if self.same {
            let total = self.dilation.saturating_mul(self.kernel - 1);
            (total / 2, total - total / 2)
        } else {
            (0, 0)
        }
    }

    /// The steps one output looks across: `dilation * (kernel - 1) + 1`.
    pub fn span_steps(&self) -> usize {
        self.dilation
            .saturating_mul(self.kernel - 1)
            .saturating_add(1)
    }
}

/// The value a layer passes on: a vector, or a time-major window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `[T; N]`.
    Vector(usize),
    /// `[[T; channels]; len]`, flat as `[T; len * channels]`.
    Window {
        /// Channels.
        channels: usize,
        /// Time steps.
        len: usize,
    },
}

impl Shape {
    /// The number of values, the flat width.
    pub fn size(self) -> usize {
        match self {
            Self::Vector(n) => n,
            Self::Window { channels, len } => channels.saturating_mul(len),
        }
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Vector(n) => write!(f, "a vector of {}", crate::expand::plural(*n, "value")),
            Self::Window { channels, len } => write!(
                f,
                "a window of {} x {} (`[{channels}; {len}]`)",
                crate::expand::plural(*len, "step"),
                crate::expand::plural(*channels, "channel"),
            ),
        }
    }
}

/// Whether a layer's activation was written, and what it is.
pub enum Written {
    /// Nothing follows the width.
    Absent,
    /// Something that is not an activation (already reported).
    Invalid,
    /// A resolved activation.
    Valid(Activation),
}

/// A chain as written.
pub struct ChainDef {
    /// Name, visibility, attributes.
    pub header: Header,
    /// The networks, in order, with the span of the `=>` before each (of
    /// the path, for the first).
    pub parts: Vec<(syn::Path, Span)>,
}

impl Model {
    /// Reads every definition, recording every mistake.
    pub fn lower(input: &NetworkInput, errors: &Errors) -> Self {
        let items = input
            .definitions
            .iter()
            .map(|def| {
                if def.chain.is_empty() {
                    Item::Network(NetworkDef::lower(def, errors))
                } else {
                    Item::Chain(ChainDef::lower(def, errors))
                }
            })
            .collect();
        Self { items }
    }
}

impl Item {
    /// The header of either kind.
    pub fn header(&self) -> &Header {
        match self {
            Self::Network(n) => &n.header,
            Self::Chain(c) => &c.header,
        }
    }
}

/// The traits every generated struct has already.
const PROVIDED: [&str; 7] = [
    "Clone",
    "Copy",
    "PartialEq",
    "Debug",
    "Default",
    "Serialize",
    "Deserialize",
];

/// Takes the header; a `#[derive]` of a trait the macro implements itself
/// is an error at that trait.
fn header(def: &Definition, errors: &Errors) -> Header {
    for attr in def.attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        for path in paths {
            let Some(last) = path.segments.last() else {
                continue;
            };
            if PROVIDED.iter().any(|p| last.ident == p) {
                errors.error_spanned(
                    &path,
                    format_args!(
                        "`network!` already implements `{}` for `{}`: remove it from the \
                         `#[derive]` (every network is `Clone`, `Copy`, `PartialEq`, `Debug` \
                         and `Default`, and with the `serde` feature `Serialize` and \
                         `Deserialize`)",
                        last.ident, def.name
                    ),
                );
            }
        }
    }
    Header {
        attrs: def.attrs.clone(),
        vis: def.vis.clone(),
        name: def.name.clone(),
    }
}

impl NetworkDef {
    fn lower(def: &Definition, errors: &Errors) -> Self {
        let mut header = header(def, errors);
        let unroll = Unroll::take_from(&mut header.attrs, errors);
        let layout = Layout::take_from(&mut header.attrs, errors);
        let layers = def
            .layers
            .iter()
            .map(|spec| {
                if let Some(signal) = recurrent(spec, errors) {
                    let width = match &spec.head {
                        LayerHead::Width(lit) => width(lit, errors),
                        _ => None,
                    };
                    return LayerDef {
                        width,
                        span: spec.head.span(),
                        activation: Written::Absent,
                        signal: Some(signal),
                    };
                }
                let (width, signal) = match &spec.head {
                    LayerHead::Width(lit) => (width(lit, errors), None),
                    LayerHead::Window { channels, len, .. } => {
                        let signal = match (width(channels, errors), width(len, errors)) {
                            (Some(channels), Some(len)) => Signal::Window { channels, len },
                            _ => Signal::Invalid,
                        };
                        (None, Some(signal))
                    }
                    LayerHead::Signal { keyword, args } => {
                        (None, Some(signal(keyword, args.as_ref(), errors)))
                    }
                };
                let activation = match (&spec.activation, &spec.head) {
                    (None, LayerHead::Signal { keyword, .. }) if keyword == "Conv1d" => {
                        let linear: syn::Path = syn::parse_quote_spanned!(keyword.span()=> Linear);
                        let spec = ActivationSpec {
                            path: linear,
                            args: None,
                        };
                        Activation::resolve(&spec, errors).map_or(Written::Invalid, Written::Valid)
                    }
                    (None, _) => Written::Absent,
                    (Some(a), LayerHead::Signal { keyword, .. }) if keyword != "Conv1d" => {
                        errors.error_spanned(
                            &a.path,
                            format_args!(
                                "`{keyword}` takes no activation: it passes its values on as \
                                 they are; write the activation on the layer before it"
                            ),
                        );
                        Written::Invalid
                    }
                    (Some(a), _) => {
                        Activation::resolve(a, errors).map_or(Written::Invalid, Written::Valid)
                    }
                };
                LayerDef {
                    width,
                    span: spec.head.span(),
                    activation,
                    signal,
                }
            })
            .collect();
        Self {
            header,
            unroll,
            layout,
            layers,
        }
    }

    /// The shape of the input and of every layer's output, in order; `None`
    /// if a width, an activation or a layer's arguments were invalid
    /// (already reported), or if the shapes do not fit, which is reported
    /// into `errors` when given: the checks pass them, the generators do
    /// not (they run only once the checks found nothing).
    pub fn shapes(&self, errors: Option<&Errors>) -> Option<Vec<Shape>> {
        let report = |span: Span, message: String| {
            if let Some(errors) = errors {
                errors.error(span, message);
            }
        };
        let first = self.layers.first()?;
        let mut shape = match (&first.signal, first.width) {
            (Some(Signal::Window { channels, len }), _) => Shape::Window {
                channels: *channels,
                len: *len,
            },
            (None, Some(width)) => Shape::Vector(width),
            _ => return None,
        };
        let mut shapes = vec![shape];
        for layer in self.layers.iter().skip(1) {
            if matches!(layer.activation, Written::Invalid) {
                return None;
            }
            let next = match (&layer.signal, layer.width) {
                (None, Some(width)) => match shape {
                    Shape::Vector(_) => Shape::Vector(width),
                    Shape::Window { .. } => {
                        report(
                            layer.span,
                            format!(
                                "a dense layer needs a vector, but the layer before gives \
                                 {shape}: put `Flatten` (every value, channel by channel) or \
                                 `GlobalAvgPool1d` (one mean per channel) before it"
                            ),
                        );
                        return None;
                    }
                },
                (None, None) | (Some(Signal::Invalid), _) => return None,
                (Some(Signal::Recurrent { lstm }), width) => {
                    let width = width?;
                    if let Some(Shape::Window { channels, len }) = shapes.first() {
                        let name = if *lstm { "LSTM" } else { "GRU" };
                        report(
                            layer.span,
                            format!(
                                "`{name}` runs over a sequence one time step at a time, so a \
                                 recurrent network's input is one step's values, a width \
                                 (`{channels} => {width} {name} => ...`); this network's input \
                                 is a window `[{channels}; {len}]`, which convolution and \
                                 pooling layers take"
                            ),
                        );
                        return None;
                    }
                    Shape::Vector(width)
                }
                (Some(Signal::Window { .. }), _) => {
                    report(
                        layer.span,
                        "a window `[CHANNELS; LEN]` can only be the input, before the first `=>`"
                            .to_owned(),
                    );
                    return None;
                }
                (Some(signal), _) => {
                    let Shape::Window { channels, len } = shape else {
                        let (name, advice) = match signal {
                            Signal::Flatten => (
                                "Flatten",
                                "the values are a vector already; remove `Flatten`",
                            ),
                            Signal::GlobalAvgPool => (
                                "GlobalAvgPool1d",
                                "it averages each channel over the time steps, so it comes \
                                 before `Flatten` and dense layers",
                            ),
                            Signal::Conv1d(_) => (
                                "Conv1d",
                                "a convolution runs over time steps, so it comes before \
                                 `Flatten`, global pooling and dense layers, after a window \
                                 input `[CHANNELS; LEN]`",
                            ),
                            _ => (
                                "pooling",
                                "pooling runs over time steps, so it comes before `Flatten`, \
                                 global pooling and dense layers, after a window input \
                                 `[CHANNELS; LEN]`",
                            ),
                        };
                        report(
                            layer.span,
                            format!(
                                "`{name}` needs a window, but the layer before gives {shape}: \
                                 {advice}"
                            ),
                        );
                        return None;
                    };
                    match signal {
                        Signal::Conv1d(conv) => {
                            let (left, right) = conv.padding();
                            let padded = len.saturating_add(left).saturating_add(right);
                            let steps = conv.span_steps();
                            if steps > padded {
                                let dilated = if conv.dilation == 1 {
                                    String::new()
                                } else {
                                    format!(" with dilation {}", conv.dilation)
                                };
                                report(
                                    conv.kernel_span,
                                    format!(
                                        "a kernel of {}{dilated} spans {}, longer than what \
                                         the layer before gives: {shape}; make the kernel \
                                         shorter, or use `padding = same`",
                                        crate::expand::plural(conv.kernel, "tap"),
                                        crate::expand::plural(steps, "step"),
                                    ),
                                );
                                return None;
                            }
                            Shape::Window {
                                channels: conv.out,
                                len: (padded - steps) / conv.stride + 1,
                            }
                        }
                        Signal::Pool {
                            kernel,
                            stride,
                            kernel_span,
                            ..
                        } => {
                            if *kernel > len {
                                report(
                                    *kernel_span,
                                    format!(
                                        "a pooling window of {} is longer than what the layer \
                                         before gives: {shape}",
                                        crate::expand::plural(*kernel, "step"),
                                    ),
                                );
                                return None;
                            }
                            Shape::Window {
                                channels,
                                len: (len - kernel) / stride + 1,
                            }
                        }
                        Signal::GlobalAvgPool => Shape::Vector(channels),
                        Signal::Flatten => Shape::Vector(channels.saturating_mul(len)),
                        Signal::Window { .. } | Signal::Recurrent { .. } | Signal::Invalid => {
                            return None;
                        }
                    }
                }
            };
            if next.size() > MAX_WIDTH {
                report(
                    layer.span,
                    format!(
                        "this layer gives {next}, {} values, more than the supported \
                         maximum of {MAX_WIDTH}",
                        next.size()
                    ),
                );
                return None;
            }
            shape = next;
            shapes.push(shape);
        }
        if let Some(last) = self.layers.last().filter(|_| self.layers.len() > 1)
            && last.signal.is_some()
        {
            report(
                last.span,
                format!(
                    "a network ends with a dense layer, whose outputs the loss compares with \
                     the targets; this one ends with {shape}: add one, for example \
                     `=> {} Linear`",
                    shape.size().min(4)
                ),
            );
            return None;
        }
        Some(shapes)
    }

    /// The parameters of layer `k` (1 for the first after the input), from
    /// the shape before it; `None` if it overflows.
    fn layer_params(&self, k: usize, before: Shape) -> Option<usize> {
        let layer = &self.layers[k];
        match (&layer.signal, layer.width) {
            (None, Some(width)) => before.size().checked_mul(width)?.checked_add(width),
            (Some(Signal::Recurrent { lstm }), Some(h)) => {
                let gates = if *lstm { 4 } else { 3 };
                let across = before.size().checked_add(h)?.checked_add(2)?;
                h.checked_mul(gates)?.checked_mul(across)
            }
            (Some(Signal::Conv1d(conv)), _) => {
                let Shape::Window { channels, .. } = before else {
                    return Some(0);
                };
                conv.out
                    .checked_mul(channels)?
                    .checked_mul(conv.kernel)?
                    .checked_add(conv.out)
            }
            _ => Some(0),
        }
    }

    /// The total parameter count over `shapes`, `None` if it overflows.
    pub fn params(&self, shapes: &[Shape]) -> Option<usize> {
        (1..self.layers.len()).try_fold(0_usize, |total, k| {
            total.checked_add(self.layer_params(k, shapes[k - 1])?)
        })
    }

    /// The checked network, if every width and activation is valid.
    pub fn network(&self) -> Option<Network> {
        let shapes = self.shapes(None)?;
        let params = self.params(&shapes)?;
        // The dense layers' weights, which the unroll policy weighs; signal
        // layers always call their kernels.
        let weights: Vec<usize> = (1..self.layers.len())
            .map(|k| match self.layers[k].signal {
                None => shapes[k - 1].size() * shapes[k].size(),
                Some(_) => usize::MAX,
            })
            .collect();
        let unrolled = self.unroll.unrolls(&weights);
        let mut layers: Vec<Box<dyn LayerKind>> = Vec::new();
        let mut offset = 0;
        for k in 1..self.layers.len() {
            let layer = &self.layers[k];
            let (before, after) = (shapes[k - 1], shapes[k]);
            let activation = match &layer.activation {
                Written::Valid(activation) => Some(activation.clone()),
                Written::Absent => None,
                Written::Invalid => return None,
            };
            let kind: Box<dyn LayerKind> = match (&layer.signal, activation) {
                (None, Some(activation)) => Box::new(Dense {
                    number: k,
                    inputs: before.size(),
                    outputs: after.size(),
                    activation,
                    weight_offset: offset,
                    network_params: params,
                    unrolled: unrolled[k - 1],
                    input_major: self.layout == Layout::InputMajor,
                }),
                (Some(Signal::Conv1d(conv)), Some(activation)) => {
                    let (
                        Shape::Window {
                            channels: ci,
                            len: li,
                        },
                        Shape::Window {
                            channels: co,
                            len: lo,
                        },
                    ) = (before, after)
                    else {
                        return None;
                    };
                    Box::new(Conv1d {
                        number: k,
                        ci,
                        li,
                        co,
                        lo,
                        kernel: conv.kernel,
                        stride: conv.stride,
                        dilation: conv.dilation,
                        pad: conv.padding().0,
                        same: conv.same,
                        activation,
                        offset,
                        network_params: params,
                    })
                }
                (Some(Signal::Recurrent { lstm }), None) => Box::new(Recurrent {
                    number: k,
                    inputs: before.size(),
                    hidden: after.size(),
                    lstm: *lstm,
                    offset,
                    network_params: params,
                }),
                (Some(signal), None) => {
                    let (channels, len) = match before {
                        Shape::Window { channels, len } => (channels, len),
                        Shape::Vector(_) => return None,
                    };
                    let op = match signal {
                        Signal::Pool {
                            max: true,
                            kernel,
                            stride,
                            ..
                        } => Reshape::MaxPool {
                            kernel: *kernel,
                            stride: *stride,
                        },
                        Signal::Pool {
                            max: false,
                            kernel,
                            stride,
                            ..
                        } => Reshape::AvgPool {
                            kernel: *kernel,
                            stride: *stride,
                        },
                        Signal::GlobalAvgPool => Reshape::GlobalAvgPool,
                        Signal::Flatten => Reshape::Flatten,
                        _ => return None,
                    };
                    Box::new(Parameterless {
                        number: k,
                        op,
                        channels,
                        len,
                        outputs: after,
                        offset,
                    })
                }
                _ => return None,
            };
            offset += kind.params();
            layers.push(kind);
        }
        let window = match shapes[0] {
            Shape::Window { channels, len } => Some((channels, len)),
            Shape::Vector(_) => None,
        };
        Some(Network {
            attrs: self.header.attrs.clone(),
            vis: self.header.vis.clone(),
            name: self.header.name.clone(),
            inputs: shapes[0].size(),
            window,
            layers,
            layout: self.layout,
        })
    }
}

/// A recurrent layer, if `spec` is written `H GRU` or `H LSTM`:
/// `Signal::Recurrent`, or `Signal::Invalid` when it is written with
/// arguments or after something other than a width (reported).
fn recurrent(spec: &LayerSpec, errors: &Errors) -> Option<Signal> {
    let written = spec.activation.as_ref()?;
    let ident = written.ident()?;
    let lstm = match ident.to_string().as_str() {
        "GRU" => false,
        "LSTM" => true,
        _ => return None,
    };
    if let Some(args) = &written.args {
        errors.error(
            args.span,
            format_args!(
                "`{ident}` takes no arguments: write the hidden width before it, as a dense \
                 layer's, e.g. `16 {ident}`"
            ),
        );
        return Some(Signal::Invalid);
    }
    if !matches!(spec.head, LayerHead::Width(_)) {
        errors.error(
            ident.span(),
            format_args!(
                "`{ident}` is a layer of its own, written after its hidden width, e.g. \
                 `16 {ident}`; it cannot follow a signal layer's name"
            ),
        );
        return Some(Signal::Invalid);
    }
    Some(Signal::Recurrent { lstm })
}

/// The arguments of a signal layer, read: the positional ones, and the
/// named ones by name. Mistakes are reported.
struct SignalArgs {
    positional: Vec<Arg>,
    named: Vec<(Ident, Arg)>,
}

impl SignalArgs {
    /// Reads `args`, reporting a name not in `names` or written twice.
    fn read(
        keyword: &Ident,
        args: Option<&ActivationArgs>,
        names: &[&str],
        errors: &Errors,
    ) -> Self {
        let mut out = Self {
            positional: Vec::new(),
            named: Vec::new(),
        };
        for (name, value) in args.map(ActivationArgs::named).unwrap_or_default() {
            match name {
                None => out.positional.push(value),
                Some(name) if !names.iter().any(|n| name == n) => {
                    let expected = names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    errors.error(
                        name.span(),
                        format_args!(
                            "`{keyword}` has no option `{name}`; its options are {expected}"
                        ),
                    );
                }
                Some(name) if out.named.iter().any(|(n, _)| *n == name) => {
                    errors.error(name.span(), format_args!("`{name}` is given twice"));
                }
                Some(name) => out.named.push((name, value)),
            }
        }
        out
    }

    /// The named argument `name`, if given.
    fn get(&self, name: &str) -> Option<&Arg> {
        self.named.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// The span of an argument.
fn arg_span(arg: &Arg) -> Span {
    match arg {
        Arg::Number(_, span) | Arg::Invalid(span, _) => *span,
        Arg::Word(word) => word.span(),
    }
}

/// `arg` as a whole number from 1 to [`MAX_WIDTH`]: `what` names it in the
/// error otherwise.
fn count(arg: &Arg, what: &str, errors: &Errors) -> Option<usize> {
    match arg {
        Arg::Number(value, span) =>
        {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            if value.fract() != 0.0 || *value < 0.0 {
                errors.error(
                    *span,
                    format_args!("{what} must be a whole number, found {value}"),
                );
            } else if *value < 1.0 {
                errors.error(*span, format_args!("{what} must be at least 1"));
            } else if *value > MAX_WIDTH as f64 {
                errors.error(
                    *span,
                    format_args!(
                        "{what} {value} is larger than the supported maximum of {MAX_WIDTH}"
                    ),
                );
            } else {
                return Some(*value as usize);
            }
        }
        Arg::Word(word) => errors.error(
            word.span(),
            format_args!("{what} must be a number, found `{word}`"),
        ),
        Arg::Invalid(span, found) => {
            errors.error(
                *span,
                format_args!("{what} must be a number, found {found}"),
            );
        }
    }
    None
}

/// Reads a signal layer's keyword and arguments.
fn signal(keyword: &Ident, args: Option<&ActivationArgs>, errors: &Errors) -> Signal {
    let name = keyword.to_string();
    let at = args.map_or(keyword.span(), |a| a.span);
    match name.as_str() {
        "Flatten" | "GlobalAvgPool1d" => {
            if let Some(args) = args {
                errors.error(
                    args.span,
                    format_args!("`{name}` takes no arguments: write `{name}` alone"),
                );
                return Signal::Invalid;
            }
            if name == "Flatten" {
                Signal::Flatten
            } else {
                Signal::GlobalAvgPool
            }
        }
        "Conv1d" => {
            let read = SignalArgs::read(
                keyword,
                args,
                &["kernel", "stride", "dilation", "padding"],
                errors,
            );
            let usage = "as in `Conv1d(16, kernel = 5)`: the output channels, then `kernel = K` \
                         and optionally `stride = S`, `dilation = D`, `padding = same`";
            let out = match read.positional.as_slice() {
                [out] => count(out, "the number of output channels", errors),
                [] => {
                    errors.error(
                        at,
                        format_args!("`Conv1d` needs its output channels first, {usage}"),
                    );
                    None
                }
                [_, extra, ..] => {
                    errors.error(
                        arg_span(extra),
                        format_args!("`Conv1d` takes one number before its named options, {usage}"),
                    );
                    None
                }
            };
            let kernel = match read.get("kernel") {
                Some(k) => count(k, "the kernel size", errors).map(|n| (n, arg_span(k))),
                None => {
                    errors.error(at, format_args!("`Conv1d` needs its kernel size, {usage}"));
                    None
                }
            };
            let stride = read
                .get("stride")
                .map_or(Some(1), |s| count(s, "the stride", errors));
            let dilation = read
                .get("dilation")
                .map_or(Some(1), |d| count(d, "the dilation", errors));
            let padding = match read.get("padding") {
                None => Some((false, keyword.span())),
                Some(Arg::Word(word)) if word == "same" => Some((true, word.span())),
                Some(Arg::Word(word)) if word == "valid" => Some((false, word.span())),
                Some(other) => {
                    errors.error(
                        arg_span(other),
                        "the padding is `valid` (none, the default) or `same` (zeros around \
                         the input so that the output is as long as the input)",
                    );
                    None
                }
            };
            let (
                Some(out),
                Some((kernel, kernel_span)),
                Some(stride),
                Some(dilation),
                Some((same, padding_span)),
            ) = (out, kernel, stride, dilation, padding)
            else {
                return Signal::Invalid;
            };
            if same && stride != 1 {
                errors.error(
                    padding_span,
                    format_args!(
                        "`padding = same` needs stride 1, as in PyTorch: with stride {stride} \
                         the output cannot be as long as the input; use `padding = valid`"
                    ),
                );
                return Signal::Invalid;
            }
            Signal::Conv1d(ConvDef {
                out,
                kernel,
                stride,
                dilation,
                same,
                kernel_span,
            })
        }
        _ => {
            let read = SignalArgs::read(keyword, args, &["stride"], errors);
            let usage = format!(
                "as in `{name}(2)` or `{name}(3, stride = 1)`: the window length, then optionally `stride = S` (the window length by default)"
            );
            let kernel = match read.positional.as_slice() {
                [k] => count(k, "the pooling window", errors).map(|n| (n, arg_span(k))),
                [] => {
                    errors.error(
                        at,
                        format_args!("`{name}` needs its window length, {usage}"),
                    );
                    None
                }
                [_, extra, ..] => {
                    errors.error(
                        arg_span(extra),
                        format_args!("`{name}` takes one number, {usage}"),
                    );
                    None
                }
            };
            let Some((kernel, kernel_span)) = kernel else {
                return Signal::Invalid;
            };
            let Some(stride) = read
                .get("stride")
                .map_or(Some(kernel), |s| count(s, "the stride", errors))
            else {
                return Signal::Invalid;
            };
            Signal::Pool {
                max: name == "MaxPool1d",
                kernel,
                stride,
                kernel_span,
            }
        }
    }
}

/// A width: a whole number from 1 to [`MAX_WIDTH`], written without suffix.
fn width(lit: &syn::LitInt, errors: &Errors) -> Option<usize> {
    if !lit.suffix().is_empty() {
        errors.error(
            lit.span(),
            format_args!(
                "write the width `{lit}` without the `{}` suffix: widths are array lengths, \
                 `usize` already",
                lit.suffix()
            ),
        );
        return None;
    }
    match lit.base10_parse::<usize>() {
        Ok(0) => errors.error(lit.span(), "layer width must be at least 1"),
        Ok(w) if w > MAX_WIDTH => errors.error(
            lit.span(),
            format_args!("layer width {w} is larger than the supported maximum of {MAX_WIDTH}"),
        ),
        Ok(w) => return Some(w),
        Err(_) => errors.error(
            lit.span(),
            format_args!("layer width `{lit}` is not a whole number from 1 to {MAX_WIDTH}"),
        ),
    }
    None
}

impl ChainDef {
    fn lower(def: &Definition, errors: &Errors) -> Self {
        let header = header(def, errors);
        for attr in &header.attrs {
            for own in [LAYOUT_ATTRIBUTE, UNROLL_ATTRIBUTE] {
                if attr.path().is_ident(own) {
                    errors.error_spanned(
                        attr,
                        format_args!(
                            "`#[{own}(..)]` applies to a network of layers, not to a chain: \
                             a chain runs each part as that part was declared, so write it \
                             on the parts"
                        ),
                    );
                }
            }
        }
        let parts = def
            .chain
            .iter()
            .map(|part| {
                let span = part
                    .arrow
                    .map_or_else(|| syn::spanned::Spanned::span(&part.path), |a| a.spans[0]);
                (part.path.clone(), span)
            })
            .collect();
        Self { header, parts }
    }

    /// The checked chain.
    pub fn chain(&self) -> Chain {
        Chain {
            attrs: self
                .header
                .attrs
                .iter()
                .filter(|a| {
                    !a.path().is_ident(LAYOUT_ATTRIBUTE) && !a.path().is_ident(UNROLL_ATTRIBUTE)
                })
                .cloned()
                .collect(),
            vis: self.header.vis.clone(),
            name: self.header.name.clone(),
            parts: self.parts.clone(),
        }
    }
}

/// A checked network, ready for code generation.
pub struct Network {
    /// Attributes to copy onto the struct.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The struct's name, with the user's span.
    pub name: Ident,
    /// The input width: the number of input values (a window's are flat).
    pub inputs: usize,
    /// A window input's channels and length; `None` for a vector input.
    pub window: Option<(usize, usize)>,
    /// The layers after the input, in order.
    pub layers: Vec<Box<dyn LayerKind>>,
    /// How the weights are stored.
    pub layout: Layout,
}

/// A chain of networks declared elsewhere, `A => B => ...`.
pub struct Chain {
    /// Attributes to copy onto the struct.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The struct's name, with the user's span.
    pub name: Ident,
    /// The networks, in order, with the span of the `=>` before each.
    pub parts: Vec<(syn::Path, Span)>,
}

impl Chain {
    /// The chain as written, e.g. `Encoder => Decoder`.
    pub fn spec(&self) -> String {
        self.parts
            .iter()
            .map(|(p, _)| {
                quote::ToTokens::to_token_stream(p)
                    .to_string()
                    .replace(' ', "")
            })
            .collect::<Vec<_>>()
            .join(" => ")
    }
}

impl Network {
    /// Whether a layer is recurrent: the network runs one time step at a
    /// time and has a state.
    pub fn is_recurrent(&self) -> bool {
        self.layers.iter().any(|l| l.recurrent().is_some())
    }

    /// The number of outputs (the last layer's width).
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(self.inputs, |l| l.outputs())
    }

    /// The number of parameters, weights and biases together.
    pub fn params(&self) -> usize {
        self.layers.iter().map(|l| l.params()).sum()
    }

    /// The input as the spec writes it: `4`, or `[3; 64]`.
    pub fn input_text(&self) -> String {
        match self.window {
            Some((channels, len)) => format!("[{channels}; {len}]"),
            None => self.inputs.to_string(),
        }
    }

    /// The spec as one would write it, e.g. `1 => 4 ReLU => 1 Linear`.
    pub fn spec(&self) -> String {
        let mut s = self.input_text();
        for l in &self.layers {
            s.push_str(" => ");
            s.push_str(&l.spec());
        }
        s
    }
}
