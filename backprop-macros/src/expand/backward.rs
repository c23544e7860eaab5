//! The body of `__backward_from_delta`, the backward pass from the gradient
//! at the output layer's pre-activation.
//!
//! It walks the layers from the output back to the input, as the tutorial
//! does. For each layer `n` with input `__x{n}` and error signal `__d{n}`
//! (the gradient at its pre-activation) it emits, in straight-line form:
//!
//! ```text
//! g[w(o, i)] (+)= __d{n}[o] * __x{n}[i];     // every weight
//! g[b(o)]    (+)= __d{n}[o];                 // every bias
//! __d{n-1}[i] = (p[w(0, i)] * __d{n}[0] + p[w(1, i)] * __d{n}[1] + ...)
//!               * f'(z{n-1}[i])               // the chain rule, one step down
//! ```
//!
//! and for a layer above the unroll limit the matching `__private` loops,
//! which sum in the same order. The fused training step (the optimizer as
//! the sink) updates every layer's parameters with the loop
//! `__private::dense::update`; see [`parameter_gradients`]. The first `__d` is given: from the loss
//! (`Loss::output_delta`) for a standalone network, or from the next
//! network's input gradient inside a chain. When `INPUT_GRAD` is set, the
//! gradient at the input, `W1^T __d1`, is returned as well. `ACCUMULATE`
//! chooses between adding into the gradients (a batch) and writing them (one
//! sample: every gradient is written exactly once, so the caller's zeros are
//! dead stores the compiler removes).

use proc_macro2::{Ident, TokenStream};

use super::{activation_bindings, layer_field, layer_local, layout, lit, local};
use crate::model::{Layer, Network};

/// Where the backward pass puts each parameter's gradient.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    /// Into the gradient array `__g`, written or added (`ACCUMULATE`).
    Gradients,
    /// Straight into the parameter, through `Optimizer::update`: the fused
    /// training step, which needs no gradient array.
    Optimizer,
}

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
    let below_last = &net.layers[..net.layers.len().saturating_sub(1)];
    let mut out = activation_bindings(below_last);
    for layer in net.layers.iter().rev() {
        let x = layer_local("x", layer.number);
        let source = match layer.number.checked_sub(2).and_then(|k| net.layers.get(k)) {
            None => mixed!(&#trace.input),
            Some(below) => {
                let below = layer_field(below);
                mixed!(&#trace.#below.activation)
            }
        };
        out.extend(mixed! { let #x = #source; });
        if let Some(below) = layer.number.checked_sub(2).and_then(|k| net.layers.get(k)) {
            out.extend(error_signal(net, layer, below));
        }
        if layer.number == 1 && sink == Sink::Optimizer {
            // The input gradient goes through the first layer's weights as
            // they were: take it before they are updated.
            let gradient = input_gradient(net);
            out.extend(mixed! { let __dx = #gradient; });
        }
        out.extend(parameter_gradients(net, layer, &x, sink));
    }
    match sink {
        Sink::Gradients => out.extend(input_gradient(net)),
        Sink::Optimizer => out.extend(mixed!(__dx)),
    }
    out
}

/// `if INPUT_GRAD { W1^T __d1 } else { zeros }`: the gradient at the input,
/// computed only when a chain needs it.
fn input_gradient(net: &Network) -> TokenStream {
    let Some(first) = net.layers.first() else {
        return mixed!(::core::compile_error!("a network needs a layer"));
    };
    let (p, d) = (local("__p"), layer_local("d", 1));
    let width = lit(net.inputs);
    let gradient = if first.unrolled {
        let entries = (0..first.inputs).map(|i| {
            let terms = (0..first.outputs).map(|o| {
                let w = lit(first.weight_index(i, o));
                let o = lit(o);
                mixed!(#p[#w] * #d[#o])
            });
            mixed!(#(#terms)+*)
        });
        mixed!([#(#entries),*])
    } else {
        let p_len = lit(net.params());
        let layout = layout(first);
        let (i, o, at) = (
            lit(first.inputs),
            lit(first.outputs),
            lit(first.weight_offset),
        );
        mixed! {
            ::backprop_core::__private::dense::input_gradient::<T, #layout, #i, #o>(
                ::backprop_core::__private::views::matrix::<T, #layout, #p_len, #at, #i, #o>(#p),
                &#d,
            )
        }
    };
    mixed! {
        if INPUT_GRAD {
            #gradient
        } else {
            [<T as ::backprop_core::Scalar>::ZERO; #width]
        }
    }
}

/// The layer's weight gradients `__d{n} x^T` and bias gradients `__d{n}`,
/// into the sink.
///
/// Into the optimizer, every layer takes the loop form
/// (`__private::dense::update`), even one whose other passes are written out:
/// the update is a short loop over the weights that LLVM unrolls completely
/// for a small layer at opt-level 3, but keeps as a loop when optimising for
/// size, where one straight-line load, update and store per parameter would
/// be most of a training step's code. The update order does not matter to an
/// elementwise optimizer, and each gradient is the same product either way.
fn parameter_gradients(net: &Network, layer: &Layer, x: &Ident, sink: Sink) -> TokenStream {
    let (g, p, optimizer, base) = (
        local("__g"),
        local("__p"),
        local("optimizer"),
        local("__base"),
    );
    let d = layer_local("d", layer.number);
    let p_len = lit(net.params());
    let layout = layout(layer);
    let (i, o, at) = (
        lit(layer.inputs),
        lit(layer.outputs),
        lit(layer.weight_offset),
    );
    let (gw, gb) = (local("__gw"), local("__gb"));
    match sink {
        Sink::Optimizer => mixed! {
            {
                let (#gw, #gb) =
                    ::backprop_core::__private::dense::layer_mut::<T, #layout, #p_len, #at, #i, #o>(#p);
                ::backprop_core::__private::dense::update::<T, #layout, _, PO, #i, #o>(
                    #optimizer, #base + #at, #gw, #gb, &#d, #x,
                );
            }
        },
        Sink::Gradients if layer.unrolled => {
            let put = |k: usize, value: TokenStream| {
                let k = lit(k);
                mixed!(::backprop_core::__private::put::<T, ACCUMULATE>(&mut #g[#k], #value);)
            };
            let mut out = TokenStream::new();
            for o in 0..layer.outputs {
                let o_lit = lit(o);
                for i in 0..layer.inputs {
                    let i_lit = lit(i);
                    out.extend(put(
                        layer.weight_index(i, o),
                        mixed!(#d[#o_lit] * #x[#i_lit]),
                    ));
                }
            }
            for o in 0..layer.outputs {
                let o_lit = lit(o);
                out.extend(put(layer.bias_offset + o, mixed!(#d[#o_lit])));
            }
            out
        }
        Sink::Gradients => mixed! {
            {
                let (#gw, #gb) =
                    ::backprop_core::__private::dense::layer_mut::<T, #layout, #p_len, #at, #i, #o>(#g);
                if ACCUMULATE {
                    ::backprop_core::__private::dense::accumulate::<T, #layout, #i, #o>(#gw, #gb, &#d, #x);
                } else {
                    ::backprop_core::__private::dense::assign::<T, #layout, #i, #o>(#gw, #gb, &#d, #x);
                }
            }
        },
    }
}

/// `__d{n-1}`: the error signal one layer down, through `layer`'s weights
/// and `below`'s activation derivative.
fn error_signal(net: &Network, layer: &Layer, below: &Layer) -> TokenStream {
    let (p, trace) = (local("__p"), local("trace"));
    let d = layer_local("d", layer.number);
    let d_below = layer_local("d", below.number);
    let act_below = layer_local("act", below.number);
    let field = layer_field(below);
    let width = lit(below.outputs);
    if layer.unrolled {
        let entries = (0..layer.inputs).map(|i| {
            let terms = (0..layer.outputs).map(|o| {
                let w = lit(layer.weight_index(i, o));
                let o = lit(o);
                mixed!(#p[#w] * #d[#o])
            });
            let i = lit(i);
            mixed! {
                (#(#terms)+*) * ::backprop_core::activation::Activation::<T>::df(
                    &#act_below,
                    #trace.#field.pre_activation[#i],
                    #trace.#field.activation[#i],
                )
            }
        });
        mixed! {
            let #d_below: [T; #width] = [#(#entries),*];
        }
    } else {
        let p_len = lit(net.params());
        let layout = layout(layer);
        let (i, o, at) = (
            lit(layer.inputs),
            lit(layer.outputs),
            lit(layer.weight_offset),
        );
        mixed! {
            let #d_below = ::backprop_core::__private::activation_backward(
                &#act_below,
                &#trace.#field.pre_activation,
                &#trace.#field.activation,
                &::backprop_core::__private::dense::input_gradient::<T, #layout, #i, #o>(
                    ::backprop_core::__private::views::matrix::<T, #layout, #p_len, #at, #i, #o>(#p),
                    &#d,
                ),
            );
        }
    }
}
