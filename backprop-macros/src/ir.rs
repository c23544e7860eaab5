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
/// kernels, which add across outputs, are as fast or faster. 256 keeps every
/// default expansion far from that cliff.
pub const UNROLL_LIMIT: usize = 256;

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
        let mut policy = Self::Default;
        let mut seen = false;
        let mut error: Option<syn::Error> = None;
        let mut push = |e: syn::Error| match &mut error {
            Some(all) => all.combine(e),
            None => error = Some(e),
        };
        attrs.retain(|attr| {
            if !attr.path().is_ident(UNROLL_ATTRIBUTE) {
                return true;
            }
            if seen {
                push(syn::Error::new_spanned(
                    attr,
                    "duplicate `unroll` attribute",
                ));
            }
            seen = true;
            let expected = "expected `#[unroll(full)]` or `#[unroll(loops)]`";
            match attr.parse_args::<syn::Ident>() {
                Ok(word) if word == "full" => policy = Self::Full,
                Ok(word) if word == "loops" => policy = Self::Loops,
                Ok(word) => push(syn::Error::new(
                    word.span(),
                    format!("unknown unroll policy `{word}`, {expected}"),
                )),
                Err(_) => push(syn::Error::new_spanned(attr, expected)),
            }
            false
        });
        error.map_or(Ok(policy), Err)
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
    /// Where the layer was written, for spans on generated code.
    pub span: Span,
    /// Index of the first weight in the flat parameter array.
    pub weight_offset: usize,
    /// Index of the first bias in the flat parameter array.
    pub bias_offset: usize,
    /// Straight-line code (`true`) or const-size loops.
    pub unrolled: bool,
}

impl Network {
    /// Lowers a definition that passed the checks.
    pub fn from_ast(def: &Definition) -> syn::Result<Self> {
        let mut attrs = def.attrs.clone();
        let unroll = Unroll::take_from(&mut attrs)?;
        let mut widths = Vec::with_capacity(def.layers.len());
        for layer in &def.layers {
            widths.push(layer.width.base10_parse::<usize>()?);
        }
        let mut layers = Vec::with_capacity(def.layers.len().saturating_sub(1));
        let mut offset = 0;
        for (number, (spec, pair)) in def.layers.iter().skip(1).zip(widths.windows(2)).enumerate() {
            let (inputs, outputs) = (pair[0], pair[1]);
            let name = spec
                .activation
                .as_ref()
                .ok_or_else(|| syn::Error::new(spec.width.span(), "layer has no activation"))?;
            let activation = Activation::from_name(&name.name.to_string())
                .ok_or_else(|| syn::Error::new(name.name.span(), "unknown activation"))?;
            layers.push(Layer {
                number: number + 1,
                inputs,
                outputs,
                activation,
                span: spec.width.span(),
                weight_offset: offset,
                bias_offset: offset + inputs * outputs,
                unrolled: unroll.unrolls(inputs * outputs),
            });
            offset += inputs * outputs + outputs;
        }
        Ok(Self {
            attrs,
            vis: def.vis.clone(),
            name: def.name.clone(),
            inputs: widths.first().copied().unwrap_or(0),
            layers,
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
            s.push_str(&format!(" => {} {}", l.outputs, l.activation.spelling()));
        }
        s
    }
}
