//! The body of `__backward_from_delta`, the backward pass from the gradient
//! at the output layer's pre-activation, and of `__update_from_delta`, the
//! fused training step.
//!
//! It walks the layers from the output back to the input, as the tutorial
//! does: each layer's input gradient becomes the error signal of the layer
//! below, then the layer's parameter gradients go into the sink (see
//! `layer/`). The first `__d` is given: from the loss
//! (`Loss::output_delta`) for a standalone network, or from the next
//! network's input gradient inside a chain. When `INPUT_GRAD` is set, the
//! gradient at the input is returned as well. `ACCUMULATE` chooses between
//! adding into the gradients (a batch) and writing them (one sample: every
//! gradient is written exactly once, so the caller's zeros are dead stores
//! the compiler removes).

use proc_macro2::TokenStream;

use super::{layer_local, lit, local};
use crate::layer::Sink;
use crate::model::Network;

/// The statements of the backward pass from the output layer's delta, ending
/// in the input gradient (zeros unless `INPUT_GRAD`): for [`Sink::Gradients`]
/// the body of `__backward_from_delta`; for [`Sink::Optimizer`] the body of
/// `__update_from_delta`, which hands every gradient to
/// `Optimizer::<T, PO>::update` at index `__base + k` (a part of a chain
/// updates its slice of the chain's parameters).
///
/// Each layer's error signal for the layer below is computed before its own
/// parameters are touched, so that a fused update never feeds a new weight
/// into the chain rule.
pub fn body(net: &Network, sink: Sink) -> TokenStream {
    let trace = local("trace");
    // The last layer's activation is already behind the given delta.
    let mut out = TokenStream::new();
    for layer in &net.layers[..net.layers.len().saturating_sub(1)] {
        out.extend(layer.bindings());
    }
    for (k, layer) in net.layers.iter().enumerate().rev() {
        let below = k.checked_sub(1).map(|j| &net.layers[j]);
        let x = layer_local("x", layer.number());
        let source = match below {
            None => mixed!(&#trace.input),
            Some(below) => {
                let place = below.output_in(&mixed!(#trace));
                mixed!(&#place)
            }
        };
        out.extend(mixed! { let #x = #source; });
        if let Some(below) = below {
            out.extend(below.error_signal(layer.input_gradient(&x)));
        } else if sink == Sink::Optimizer {
            // The input gradient goes through the first layer's weights as
            // they were: take it before they are updated.
            let gradient = input_gradient(net);
            out.extend(mixed! { let __dx = #gradient; });
        }
        out.extend(layer.parameter_gradients(&x, sink));
    }
    match sink {
        Sink::Gradients => out.extend(input_gradient(net)),
        Sink::Optimizer => out.extend(mixed!(__dx)),
    }
    out
}

/// `if INPUT_GRAD { <the first layer's input gradient> } else { zeros }`:
/// the gradient at the input, computed only when a chain needs it.
fn input_gradient(net: &Network) -> TokenStream {
    let Some(first) = net.layers.first() else {
        return mixed!(::core::compile_error!("a network needs a layer"));
    };
    let width = lit(net.inputs);
    let gradient = first
        .input_gradient(&layer_local("x", first.number()))
        .array();
    mixed! {
        if INPUT_GRAD {
            #gradient
        } else {
            [<T as ::backprop_core::Scalar>::ZERO; #width]
        }
    }
}
