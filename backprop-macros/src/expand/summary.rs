//! `summary()`: the layer table of `backprop_core::summary`, from constants
//! the macro writes out.

use proc_macro2::TokenStream;

use super::{lit, local};
use crate::model::Network;

/// Emits `impl<T: Scalar> Name<T> { pub const fn summary() -> Summary }`,
/// whose layer list is a `const` slice: no heap, no start-up work.
pub fn summary_fn(net: &Network) -> TokenStream {
    let name = &net.name;
    let name_str = name.to_string();
    let inputs = lit(net.inputs);
    let layers_const = local("__LAYERS");
    let layers = net.layers.iter().map(|l| {
        let (i, o) = (lit(l.inputs), lit(l.outputs));
        let activation = l.activation_text();
        let input_major = l.input_major;
        mixed! {
            ::backprop_core::summary::LayerInfo {
                inputs: #i,
                outputs: #o,
                activation: #activation,
                input_major: #input_major,
            }
        }
    });
    let doc = format!(
        "A table of the layers of `{}`, one row per layer with its widths, \
         activation and parameter count, then the totals, parameter bytes and \
         trace bytes, in the style of Keras' `model.summary()`. Print it with \
         `println!(\"{{}}\", {name_str}::<f32>::summary())`.",
        net.spec()
    );
    mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> {
            #[doc = #doc]
            #[must_use]
            pub const fn summary() -> ::backprop_core::summary::Summary {
                const #layers_const: &[::backprop_core::summary::LayerInfo] = &[#(#layers),*];
                ::backprop_core::summary::Summary {
                    name: #name_str,
                    scalar: <T as ::backprop_core::Scalar>::NAME,
                    inputs: #inputs,
                    layers: #layers_const,
                    param_bytes: Self::PARAM_BYTES,
                    trace_bytes: Self::TRACE_BYTES,
                }
            }
        }
    }
}
