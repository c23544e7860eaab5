//! The lowered model the generators read: plain data, widths as numbers.

use proc_macro2::{Ident, Span};
use syn::{Attribute, Visibility};

use crate::ast::Definition;
pub use crate::kw::Activation;

/// By default a layer of `IN * OUT` weights or fewer is written out as
/// straight-line code; a larger one calls the `__private` loop kernels.
///
/// Straight-line code is fastest for tiny layers, but rustc's time and memory
/// on it grow steeply (a straight-line 128 x 128 layer took 38 s and 1.8 GB,
/// 256 x 256 took 247 s and 21 GB), while from about 16 x 16 on the loop
/// kernels, which keep many in-order sums in flight at once, are as fast or
/// faster. 256 keeps every default expansion far from that cliff.
pub const UNROLL_LIMIT: usize = 256;

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
    /// Straight-line code up to [`UNROLL_LIMIT`] weights per layer, loops above.
    Default,
    /// `#[unroll(full)]`: straight-line code for every layer, whatever its size.
    Full,
    /// `#[unroll(loops)]`: the loop kernels for every layer.
    Loops,
}

impl Unroll {
    /// Whether a layer of `weights` weights is written as straight-line code.
    pub fn unrolls(self, weights: usize) -> bool {
        match self {
            Self::Default => weights <= UNROLL_LIMIT,
            Self::Full => true,
            Self::Loops => false,
        }
    }

    /// Takes the `#[unroll(...)]` attribute out of `attrs`, so it is not
    /// copied onto the struct, and reads its value.
    pub fn take_from(attrs: &mut Vec<Attribute>) -> syn::Result<Self> {
        Ok(
            match take_choice(attrs, UNROLL_ATTRIBUTE, &["full", "loops"], "unroll policy")? {
                Some("full") => Self::Full,
                Some("loops") => Self::Loops,
                _ => Self::Default,
            },
        )
    }
}

/// Takes every `#[name(word)]` attribute out of `attrs` (so none is copied
/// onto the struct) and returns the word, one of `choices`, if there was
/// one. An unknown word, a malformed or a second attribute is an error at
/// its tokens, all of them reported together.
fn take_choice<'a>(
    attrs: &mut Vec<Attribute>,
    name: &str,
    choices: &[&'a str],
    what: &str,
) -> syn::Result<Option<&'a str>> {
    let mut choice = None;
    let mut seen = false;
    let mut error: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut error {
        Some(all) => all.combine(e),
        None => error = Some(e),
    };
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
            push(syn::Error::new_spanned(
                attr,
                format!("duplicate `{name}` attribute"),
            ));
        }
        seen = true;
        match attr.parse_args::<syn::Ident>() {
            Ok(word) => match choices.iter().find(|c| word == **c) {
                Some(c) => choice = Some(*c),
                None => push(syn::Error::new(
                    word.span(),
                    format!("unknown {what} `{word}`, {expected}"),
                )),
            },
            Err(_) => push(syn::Error::new_spanned(attr, &expected)),
        }
        false
    });
    error.map_or(Ok(choice), Err)
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
    pub fn take_from(attrs: &mut Vec<Attribute>) -> syn::Result<Self> {
        let choices = ["input_major", "output_major"];
        Ok(
            match take_choice(attrs, LAYOUT_ATTRIBUTE, &choices, "weight layout")? {
                Some("input_major") => Self::InputMajor,
                _ => Self::OutputMajor,
            },
        )
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
    pub layers: Vec<Layer>,
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
    /// Lowers a chain definition.
    pub fn from_ast(def: &Definition) -> Self {
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
        Self {
            attrs: def.attrs.clone(),
            vis: def.vis.clone(),
            name: def.name.clone(),
            parts,
        }
    }

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

/// One dense layer.
pub struct Layer {
    /// 1 for the first layer after the input.
    pub number: usize,
    /// The width of the layer's input.
    pub inputs: usize,
    /// The number of neurons.
    pub outputs: usize,
    /// Its activation.
    pub activation: Activation,
    /// The activation's argument (`LeakyReLU`'s slope), if the spec gave one.
    pub argument: Option<f64>,
    /// Where the layer was written, for spans on generated code.
    pub span: Span,
    /// Index of the first weight in the flat parameter array.
    pub weight_offset: usize,
    /// Index of the first bias in the flat parameter array.
    pub bias_offset: usize,
    /// Straight-line code (`true`) or const-size loops.
    pub unrolled: bool,
    /// Weights stored `[in][out]` (`#[layout(input_major)]`).
    pub input_major: bool,
}

impl Layer {
    /// The flat index of the weight from input `i` to neuron `o`.
    pub fn weight_index(&self, i: usize, o: usize) -> usize {
        if self.input_major {
            self.weight_offset + i * self.outputs + o
        } else {
            self.weight_offset + o * self.inputs + i
        }
    }

    /// The activation as the spec wrote it, e.g. `LeakyReLU(0.2)`.
    pub fn activation_text(&self) -> String {
        match self.argument {
            Some(a) => format!("{}({a})", self.activation.spelling()),
            None => self.activation.spelling().to_owned(),
        }
    }
}

impl Network {
    /// Lowers a definition that passed the checks.
    pub fn from_ast(def: &Definition) -> syn::Result<Self> {
        let mut attrs = def.attrs.clone();
        let unroll = Unroll::take_from(&mut attrs);
        let layout = Layout::take_from(&mut attrs);
        let (unroll, layout) = match (unroll, layout) {
            (Ok(u), Ok(l)) => (u, l),
            (Err(mut a), Err(b)) => {
                a.combine(b);
                return Err(a);
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        let mut widths = Vec::with_capacity(def.layers.len());
        for layer in &def.layers {
            widths.push(layer.width.base10_parse::<usize>()?);
        }
        let mut layers = Vec::with_capacity(def.layers.len().saturating_sub(1));
        let mut offset = 0;
        let mut too_large: Option<syn::Error> = None;
        for (number, (spec, pair)) in def.layers.iter().skip(1).zip(widths.windows(2)).enumerate() {
            let (inputs, outputs) = (pair[0], pair[1]);
            let name = spec
                .activation
                .as_ref()
                .ok_or_else(|| syn::Error::new(spec.width.span(), "layer has no activation"))?;
            let activation = Activation::from_name(&name.name.to_string())
                .ok_or_else(|| syn::Error::new(name.name.span(), "unknown activation"))?;
            let argument = name
                .args
                .as_ref()
                .and_then(crate::ast::ActivationArgs::number);
            if unroll == Unroll::Full && inputs * outputs > FULL_UNROLL_LIMIT {
                let error = syn::Error::new(
                    spec.width.span(),
                    format!(
                        "layer {} has {} weights ({inputs} x {outputs}), too many to write out as \
                         straight-line code: `#[unroll(full)]` allows at most {FULL_UNROLL_LIMIT} \
                         per layer, because compile time and memory grow steeply beyond that; \
                         remove `#[unroll(full)]` (layers over {UNROLL_LIMIT} weights then use \
                         loops that compute the same bits) or write `#[unroll(loops)]`",
                        number + 1,
                        inputs * outputs
                    ),
                );
                match &mut too_large {
                    Some(all) => all.combine(error),
                    None => too_large = Some(error),
                }
            }
            layers.push(Layer {
                number: number + 1,
                inputs,
                outputs,
                activation,
                argument,
                span: spec.width.span(),
                weight_offset: offset,
                bias_offset: offset + inputs * outputs,
                unrolled: unroll.unrolls(inputs * outputs),
                input_major: layout == Layout::InputMajor,
            });
            offset += inputs * outputs + outputs;
        }
        if let Some(error) = too_large {
            return Err(error);
        }
        Ok(Self {
            attrs,
            vis: def.vis.clone(),
            name: def.name.clone(),
            inputs: widths.first().copied().unwrap_or(0),
            layers,
            layout,
        })
    }

    /// The number of outputs (the last layer's width).
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(self.inputs, |l| l.outputs)
    }

    /// The number of parameters, weights and biases together.
    pub fn params(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.inputs * l.outputs + l.outputs)
            .sum()
    }

    /// The spec as one would write it, e.g. `1 => 4 ReLU => 1 Linear`.
    pub fn spec(&self) -> String {
        let mut s = self.inputs.to_string();
        for l in &self.layers {
            s.push_str(&format!(" => {} {}", l.outputs, l.activation_text()));
        }
        s
    }
}
