//! `summary()`: the layer table of `backprop_core::summary`, from constants
//! the macro writes out.

use proc_macro2::TokenStream;

use crate::model::Network;

/// The layer table of `summary()`, a `const` slice: no heap, no start-up work.
pub fn layers(net: &Network) -> TokenStream {
    let layers = net.layers.iter().map(|l| l.summary_row());
    mixed!(&[#(#layers),*])
}

/// The documentation of `summary()`.
pub fn doc(net: &Network) -> String {
    format!(
        "A table of the layers of `{}`, one row per layer with its widths, \
         activation and parameter count, then the totals, parameter bytes and \
         trace bytes, in the style of Keras' `model.summary()`. Print it with \
         `println!(\"{{}}\", {}::<f32>::summary())`.",
        net.spec(),
        net.name
    )
}
