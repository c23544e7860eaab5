//! The int8 copy of a dense network: `NameInt8`, one
//! `backprop_core::int8::Dense` per layer and the input's and output's
//! quantizations, and `Name::<f32>::quantize`, which calibrates the
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

/// The int8 type and `quantize`, or nothing.
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
        let kernel = l.kernel.map(|kernel| {
            let (name, ty) = (
                ident(&format!("layer{}_activation", k + 1)),
                format_ident!("{}", kernel),
            );
            let doc = format!("Layer {}'s activation, by TFLite's integer kernel.", k + 1);
            mixed! {
                #[doc = #doc]
                pub #name: ::backprop_core::int8::#ty,
            }
        });
        mixed! {
            #[doc = #doc]
            pub #field: ::backprop_core::int8::Dense<#li, #lo>,
            #kernel
        }
    });
    let mut passes = TokenStream::new();
    let mut value = mixed!(input);
    for (k, layer) in layers.iter().enumerate() {
        let (field, a) = (
            ident(&format!("layer{}", k + 1)),
            ident(&format!("__a{}", k + 1)),
        );
        let pass = if layer.kernel.is_some() {
            let kernel = ident(&format!("layer{}_activation", k + 1));
            mixed!(self.#kernel.forward(&self.#field.forward(&#value)))
        } else {
            mixed!(self.#field.forward(&#value))
        };
        passes.extend(mixed! { let #a = #pass; });
        value = mixed!(#a);
    }
    // A layer with a kernel after its clamp quantizes its dense output,
    // the kernel's input: its pre-activation.
    let observe = layers.iter().enumerate().map(|(k, l)| {
        let (field, slot) = (ident(&format!("layer{}", k + 1)), lit(k + 1));
        let values = if l.kernel.is_some() {
            ident("pre_activation")
        } else {
            ident("activation")
        };
        mixed! { __ranges[#slot].observe(&__trace.#field.#values); }
    });
    let quantize = layers.iter().enumerate().map(|(k, l)| {
        let n = k + 1;
        let field = ident(&format!("layer{n}"));
        let (weights, bias) = (
            ident(&format!("layer{n}_weights")),
            ident(&format!("layer{n}_bias")),
        );
        let (q_in, q_out) = (ident(&format!("__q{k}")), ident(&format!("__z{n}")));
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
    // `__z{n}`: layer n's dense output; `__q{n}`: its output, after the
    // kernel if it has one (whose output quantization is fixed).
    let quantizations = std::iter::once(mixed! { let __q0 = __ranges[0].quantization()?; }).chain(
        layers.iter().enumerate().map(|(k, l)| {
            let n = k + 1;
            let (z, q, slot) = (ident(&format!("__z{n}")), ident(&format!("__q{n}")), lit(n));
            let out = match l.kernel {
                Some(kernel) => {
                    let (name, ty) = (
                        ident(&format!("layer{n}_activation")),
                        format_ident!("{}", kernel),
                    );
                    mixed! {
                        let #name = ::backprop_core::int8::#ty::new(#z)?;
                        let #q = ::backprop_core::int8::#ty::OUTPUT;
                    }
                }
                None => mixed! { let #q = #z; },
            };
            mixed! {
                let #z = __ranges[#slot].quantization()?;
                #out
            }
        }),
    );
    let field_names: Vec<Ident> = layers
        .iter()
        .enumerate()
        .flat_map(|(k, l)| {
            let n = k + 1;
            std::iter::once(ident(&format!("layer{n}")))
                .chain(l.kernel.map(|_| ident(&format!("layer{n}_activation"))))
        })
        .collect();
    // Each layer's blob parts in order: the dense layer, then its kernel.
    let parts: Vec<(Ident, TokenStream)> = layers
        .iter()
        .enumerate()
        .flat_map(|(k, l)| {
            let n = k + 1;
            let (li, lo) = (lit(l.inputs), lit(l.outputs));
            std::iter::once((
                ident(&format!("layer{n}")),
                mixed!(::backprop_core::int8::Dense::<#li, #lo>),
            ))
            .chain(l.kernel.map(|kernel| {
                let ty = format_ident!("{}", kernel);
                (
                    ident(&format!("layer{n}_activation")),
                    mixed!(::backprop_core::int8::#ty),
                )
            }))
        })
        .collect();
    let dense_types: Vec<&TokenStream> = parts.iter().map(|(_, ty)| ty).collect();
    let writes = parts.iter().map(|(field, ty)| {
        mixed! {
            self.#field.write(&mut __out[__at..]);
            __at += #ty::BYTES;
        }
    });
    let reads = parts.iter().map(|(field, ty)| {
        mixed! {
            let #field = #ty::read(bytes, __at);
            __at += #ty::BYTES;
        }
    });
    let read_fields = &field_names;
    let last_q = ident(&format!("__q{}", layers.len()));
    let doc = format!(
        "[`{name}`] quantized to int8 by [`{name}::quantize`]: each layer's weights \
         `i8`, symmetric per output channel, its biases `i32`, its activations `i8`, \
         affine per tensor, and TFLite's integer requantization between them \
         (`backprop_core::int8`). [`Self::forward`] is integer arithmetic \
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
            pub fn forward(&self, input: &[i8; #i]) -> [i8; #o] {
                #passes
                #value
            }

            /// The output for a float input: quantized in, run in int8,
            /// dequantized out.
            #[inline]
            #[must_use]
            pub fn forward_f32(&self, input: &[f32; #i]) -> [f32; #o] {
                let __q = input.map(|__v| self.input.quantize(__v));
                self.forward(&__q).map(|__v| self.output.dequantize(__v))
            }
        }

        impl #int8 {
            /// The float network's `ARCHITECTURE`: a blob of this int8
            /// network records it, with the int8 kind byte.
            pub const ARCHITECTURE: &'static str = <#name<f32>>::ARCHITECTURE;
            /// The bytes of the quantized values in a blob: the input's
            /// and output's quantizations, then every layer.
            pub const PAYLOAD: usize = 2 * ::backprop_core::int8::QUANTIZATION_BYTES #(+ #dense_types::BYTES)*;
            /// The bytes of a weights blob of this int8 network.
            pub const BYTES: usize = ::backprop_core::weights::encoded_len(Self::PAYLOAD, 1, Self::ARCHITECTURE.len());

            /// The network as a weights blob (the format of
            /// `backprop_core::weights`, kind byte `int8::KIND`), for
            /// [`Self::from_bytes`] or, in flash, [`Self::from_bytes_const`].
            #[must_use]
            pub fn to_bytes(&self) -> [u8; Self::BYTES] {
                let mut __out = [0_u8; Self::BYTES];
                #[allow(clippy::cast_possible_truncation)]
                let __head = ::backprop_core::weights::header(
                    ::backprop_core::int8::KIND,
                    Self::ARCHITECTURE,
                    Self::PAYLOAD as u32,
                );
                let mut __at = ::backprop_core::weights::HEADER_BYTES;
                __out[..__at].copy_from_slice(&__head);
                __out[__at..__at + Self::ARCHITECTURE.len()].copy_from_slice(Self::ARCHITECTURE.as_bytes());
                __at += Self::ARCHITECTURE.len();
                self.input.write(&mut __out[__at..]);
                __at += ::backprop_core::int8::QUANTIZATION_BYTES;
                self.output.write(&mut __out[__at..]);
                __at += ::backprop_core::int8::QUANTIZATION_BYTES;
                #(#writes)*
                let __end = Self::BYTES - ::backprop_core::weights::CHECKSUM_BYTES;
                let __crc = ::backprop_core::weights::crc32(&__out[..__end]);
                __out[__end..].copy_from_slice(&__crc.to_le_bytes());
                __out
            }

            /// The network a blob of [`Self::to_bytes`] holds.
            ///
            /// # Errors
            ///
            /// Any check of `backprop_core::weights::validate`: the magic,
            /// version, kind byte (a float or fixed-point blob is refused),
            /// architecture text, length and checksum.
            pub fn from_bytes(bytes: &[u8]) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
                ::backprop_core::weights::validate(
                    bytes,
                    ::backprop_core::int8::KIND,
                    1,
                    Self::ARCHITECTURE,
                    Self::PAYLOAD,
                )?;
                ::core::result::Result::Ok(Self::read(bytes))
            }

            /// [`Self::from_bytes`] at compile time, for a `static` in
            /// flash: `static NET: NetInt8 = NetInt8::from_bytes_const(include_bytes!("net.bpnn"));`.
            ///
            /// # Panics
            ///
            /// If the blob fails a check (in a `static`, a compile error).
            #[must_use]
            pub const fn from_bytes_const(bytes: &[u8; Self::BYTES]) -> Self {
                if let ::core::result::Result::Err(__error) = ::backprop_core::weights::validate(
                    bytes,
                    ::backprop_core::int8::KIND,
                    1,
                    Self::ARCHITECTURE,
                    Self::PAYLOAD,
                ) {
                    ::core::panic!("{}", __error.summary());
                }
                Self::read(bytes)
            }

            /// The values of a validated blob.
            const fn read(bytes: &[u8]) -> Self {
                let mut __at = ::backprop_core::weights::HEADER_BYTES + Self::ARCHITECTURE.len();
                let input = ::backprop_core::int8::Quantization::read(bytes, __at);
                __at += ::backprop_core::int8::QUANTIZATION_BYTES;
                let output = ::backprop_core::int8::Quantization::read(bytes, __at);
                __at += ::backprop_core::int8::QUANTIZATION_BYTES;
                #(#reads)*
                let _ = __at;
                Self { input, output, #(#read_fields),* }
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
            pub fn quantize(
                &self,
                calibration: &[[f32; #i]],
            ) -> ::core::result::Result<#int8, ::backprop_core::int8::QuantError> {
                let mut __ranges = [<::backprop_core::int8::Range as ::core::default::Default>::default(); #ranges];
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
