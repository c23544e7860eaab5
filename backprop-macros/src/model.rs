//! The typed model of one invocation, built from the syntax while every
//! mistake goes into one error collector: widths as numbers, attributes
//! read, activations resolved. The checks (`check.rs`) read this model, never
//! tokens; a definition the checks pass becomes a [`Network`] or a
//! [`Chain`], which the generators read.

use proc_macro2::{Ident, Span};
use syn::{Attribute, Visibility};

use crate::activation::Activation;
use crate::ast::{Definition, NetworkInput};
use crate::errors::Errors;
use crate::layer::LayerKind;
use crate::layer::dense::Dense;

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

/// One width and what follows it.
pub struct LayerDef {
    /// The width, if it is a valid one.
    pub width: Option<usize>,
    /// Where the width was written.
    pub span: Span,
    /// The activation.
    pub activation: Written,
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
            .map(|spec| LayerDef {
                width: width(&spec.width, errors),
                span: spec.width.span(),
                activation: match &spec.activation {
                    None => Written::Absent,
                    Some(a) => {
                        Activation::resolve(a, errors).map_or(Written::Invalid, Written::Valid)
                    }
                },
            })
            .collect();
        Self {
            header,
            unroll,
            layout,
            layers,
        }
    }

    /// The checked network, if every width and activation is valid.
    pub fn network(&self) -> Option<Network> {
        let inputs = self.layers.first()?.width?;
        let mut widths = vec![inputs];
        for layer in self.layers.iter().skip(1) {
            widths.push(layer.width?);
        }
        let params: usize = widths.windows(2).map(|w| w[0] * w[1] + w[1]).sum();
        let weights: Vec<usize> = widths.windows(2).map(|w| w[0] * w[1]).collect();
        let unrolled = self.unroll.unrolls(&weights);
        let mut layers: Vec<Box<dyn LayerKind>> = Vec::new();
        let mut offset = 0;
        for (number, (layer, pair)) in self
            .layers
            .iter()
            .skip(1)
            .zip(widths.windows(2))
            .enumerate()
        {
            let (previous, outputs) = (pair[0], pair[1]);
            let Written::Valid(activation) = &layer.activation else {
                return None;
            };
            let dense = Dense {
                number: number + 1,
                inputs: previous,
                outputs,
                activation: activation.clone(),
                weight_offset: offset,
                network_params: params,
                unrolled: unrolled[number],
                input_major: self.layout == Layout::InputMajor,
            };
            offset += dense.params();
            layers.push(Box::new(dense));
        }
        Some(Network {
            attrs: self.header.attrs.clone(),
            vis: self.header.vis.clone(),
            name: self.header.name.clone(),
            inputs,
            layers,
            layout: self.layout,
        })
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
    /// The input width.
    pub inputs: usize,
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
    /// The number of outputs (the last layer's width).
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(self.inputs, |l| l.outputs())
    }

    /// The number of parameters, weights and biases together.
    pub fn params(&self) -> usize {
        self.layers.iter().map(|l| l.params()).sum()
    }

    /// The spec as one would write it, e.g. `1 => 4 ReLU => 1 Linear`.
    pub fn spec(&self) -> String {
        let mut s = self.inputs.to_string();
        for l in &self.layers {
            s.push_str(" => ");
            s.push_str(&l.spec());
        }
        s
    }
}
