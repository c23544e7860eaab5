//! The lowered model the generators read: plain data, widths as numbers.

use proc_macro2::{Ident, Span};
use syn::{Attribute, Visibility};

use crate::ast::Definition;
pub use crate::kw::Activation;

/// A layer of `IN * OUT` weights or fewer is written out as straight-line
/// code; a larger one is a const-size loop. Straight-line code is fastest
/// for tiny layers, but its compile time grows steeply with size.
pub const UNROLL_LIMIT: usize = 256;

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
}

impl Layer {
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
            let argument = name
                .args
                .as_ref()
                .and_then(crate::ast::ActivationArgs::number);
            layers.push(Layer {
                number: number + 1,
                inputs,
                outputs,
                activation,
                argument,
                span: spec.width.span(),
                weight_offset: offset,
                bias_offset: offset + inputs * outputs,
                unrolled: inputs * outputs <= UNROLL_LIMIT,
            });
            offset += inputs * outputs + outputs;
        }
        Ok(Self {
            attrs: def.attrs.clone(),
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
            s.push_str(&format!(" => {} {}", l.outputs, l.activation_text()));
        }
        s
    }
}
