//! The int8 copy of a dense network: `NameInt8`, one
//! `backprop_core::int8::Dense` per layer and the input's and output's
//! quantizations, and `Name::<f32>::quantize_int8`, which calibrates the
//! ranges over sample inputs and quantizes every layer.
//!
//! Only a network of dense layers over a vector input whose activations
//! are all clamps in the quantized domain (`Linear`, `ReLU`, `ReLU6`) has
//! one; for the others nothing is generated.

use proc_macro2::{Ident, Span, TokenStream};
use quote::format_ident;

use super::lit;

/// `text` as an identifier of the generated code (`Span::mixed_site()`).
fn ident(text: &str) -> Ident {
    Ident::new(text, Span::mixed_site())
}
use crate::layer::Int8Layer;
use crate::model::Network;

/// The int8 type and `quantize_int8`, or nothing.
pub fn expand(net: &Network) -> TokenStream {
    if net.window.is_some() || net.is_recurrent() {
        return TokenStream::new();
    }
    let Some(layers) = net
        .layers
        .iter()
        .map(|l| l.int8())
        .collect::<Option<Vec<Int8Layer>>>()
    else {
        return TokenStream::new();
    };
    let (name, vis) = (&net.name, &net.vis);
    let int8 = format_ident!("{}Int8", net.name);
    let (i, o) = (lit(net.inputs), lit(net.outputs()));
    let ranges = lit(layers.len() + 1);
    let fields = layers.iter().enumerate().map(|(k, l)| {
        let field = ident(&format!("layer{}", k + 1));
        let (li, lo) = (lit(l.inputs), lit(l.outputs));
        let doc = format!(
            "Layer {}: {} => {}, `{}` fused.",
            k + 1,
            l.inputs,
            l.outputs,
            l.fused
        );
        mixed! {
            #[doc = #doc]
            pub #field: ::backprop_core::int8::Dense<#li, #lo>,
        }
    });
    let mut passes = TokenStream::new();
    let mut value = mixed!(input);
    for k in 0..layers.len() {
        let (field, a) = (
            ident(&format!("layer{}", k + 1)),
            ident(&format!("__a{}", k + 1)),
        );
        passes.extend(mixed! { let #a = self.#field.forward(&#value); });
        value = mixed!(#a);
    }
    let observe = layers.iter().enumerate().map(|(k, _)| {
        let (field, slot) = (ident(&format!("layer{}", k + 1)), lit(k + 1));
        mixed! { __ranges[#slot].observe(&__trace.#field.activation); }
    });
    let quantize = layers.iter().enumerate().map(|(k, l)| {
        let n = k + 1;
        let field = ident(&format!("layer{n}"));
        let (weights, bias) = (
            ident(&format!("layer{n}_weights")),
            ident(&format!("layer{n}_bias")),
        );
        let (q_in, q_out) = (ident(&format!("__q{k}")), ident(&format!("__q{n}")));
        let fused = format_ident!("{}", l.fused);
        let w = if l.input_major {
            mixed!(::backprop_core::int8::transposed(self.#weights()))
        } else {
            mixed!(*self.#weights())
        };
        mixed! {
            let #field = ::backprop_core::int8::Dense::quantize(
                &#w,
                self.#bias(),
                #q_in,
                #q_out,
                ::backprop_core::int8::Fused::#fused,
            )?;
        }
    });
    let quantizations = (0..=layers.len()).map(|k| {
        let q = ident(&format!("__q{k}"));
        let slot = lit(k);
        mixed! { let #q = __ranges[#slot].quantization()?; }
    });
    let field_names = (1..=layers.len()).map(|n| ident(&format!("layer{n}")));
    let last_q = ident(&format!("__q{}", layers.len()));
    let doc = format!(
        "[`{name}`] quantized to int8 by [`{name}::quantize_int8`]: each layer's weights \
         `i8`, symmetric per output channel, its biases `i32`, its activations `i8`, \
         affine per tensor, and TFLite's integer requantization between them \
         (`backprop_core::int8`). [`Self::forward_quantized`] is integer arithmetic \
         only."
    );
    mixed! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        #[allow(non_camel_case_types)]
        #vis struct #int8 {
            /// How the input is quantized.
            pub input: ::backprop_core::int8::Quantization,
            /// How the output is quantized.
            pub output: ::backprop_core::int8::Quantization,
            #(#fields)*
        }

        impl #int8 {
            /// The quantized output for the quantized input: integer
            /// arithmetic only.
            #[inline]
            #[must_use]
            pub fn forward_quantized(&self, input: &[i8; #i]) -> [i8; #o] {
                #passes
                #value
            }

            /// The output for a float input: quantized in, run in int8,
            /// dequantized out.
            #[inline]
            #[must_use]
            pub fn forward(&self, input: &[f32; #i]) -> [f32; #o] {
                let __q = input.map(|__v| self.input.quantize(__v));
                self.forward_quantized(&__q).map(|__v| self.output.dequantize(__v))
            }
        }

        impl #name<f32> {
            /// The network quantized to int8 after training: the input's
            /// and every layer's output ranges are taken over
            /// `calibration` (inputs like those the network will see), then
            /// every layer is quantized (`backprop_core::int8::Dense::quantize`).
            ///
            /// # Errors
            ///
            /// `QuantError::NoCalibration` for no samples, or a layer that
            /// cannot be quantized (a value that is not finite, a range of
            /// only 0, a multiplier out of TFLite's range).
            // Inline, so that it is compiled only where it is called.
            #[inline]
            pub fn quantize_int8(
                &self,
                calibration: &[[f32; #i]],
            ) -> ::core::result::Result<#int8, ::backprop_core::int8::QuantError> {
                let mut __ranges = [::backprop_core::int8::Range::default(); #ranges];
                for __x in calibration {
                    let __trace = self.forward_trace(__x);
                    __ranges[0].observe(&__trace.input);
                    #(#observe)*
                }
                #(#quantizations)*
                #(#quantize)*
                ::core::result::Result::Ok(#int8 {
                    input: __q0,
                    output: #last_q,
                    #(#field_names),*
                })
            }
        }
    }
}
