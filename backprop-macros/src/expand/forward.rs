//! The body of `forward_trace`.
//!
//! For the seed network's first layer it emits, in straight-line form:
//!
//! ```text
//! let __act1 = ::backprop_core::activation::Relu;
//! let __z1: [T; 4] = [p[4] + p[0] * input[0], p[5] + p[1] * input[0], ...];
//! let __a1: [T; 4] = [Activation::<T>::f(&__act1, __z1[0]), ...];
//! ```
//!
//! and for a layer above the unroll limit one call of
//! `__private::dense::forward`, which sums in the same order.

use proc_macro2::{Ident, TokenStream};

use super::{layer_field, layer_local, layout, lit, local, trace_name};
use crate::model::{Layer, Network};

/// `<each layer>; Trace { ... }`, over the parameters `__p` and `input`.
///
/// A network written out entirely in straight-line form starts from a zeroed
/// trace and stores each layer's values into it as soon as they are computed
/// (the zeros are dead stores the compiler removes). Built from one struct
/// literal at the end, every value stays in a register until then, and
/// across the calls of an activation such as `exp` those are callee-saved
/// registers the function must save on the stack: on a Cortex-M4F the
/// tutorial's out-of-line forward pass saved all of `d8`-`d15` for that.
/// Networks with loop-form layers keep the struct literal, which copies each
/// (large) array once rather than zeroing it first.
pub fn body(net: &Network) -> TokenStream {
    let x = local("input");
    let t = local("__trace");
    let by_layer = net.layers.iter().all(|l| l.unrolled);
    let mut out = TokenStream::new();
    let mut fields = Vec::new();
    let mut zeros = Vec::new();
    for layer in &net.layers {
        let input = if layer.number == 1 {
            x.clone()
        } else {
            layer_local("a", layer.number - 1)
        };
        out.extend(layer_forward(net, layer, &input));
        let (z, a) = (
            layer_local("z", layer.number),
            layer_local("a", layer.number),
        );
        let field = layer_field(layer);
        let width = lit(layer.outputs);
        if by_layer {
            out.extend(mixed! {
                #t.#field = ::backprop_core::LayerTrace { pre_activation: #z, activation: #a };
            });
        }
        fields.push(mixed! {
            #field: ::backprop_core::LayerTrace { pre_activation: #z, activation: #a },
        });
        zeros.push(mixed! {
            #field: ::backprop_core::LayerTrace {
                pre_activation: [<T as ::backprop_core::Scalar>::ZERO; #width],
                activation: [<T as ::backprop_core::Scalar>::ZERO; #width],
            },
        });
    }
    let trace = trace_name(net);
    if by_layer {
        mixed! {
            let mut #t = #trace {
                input: *#x,
                #(#zeros)*
            };
            #out
            #t
        }
    } else {
        mixed! {
            #out
            #trace {
                input: *#x,
                #(#fields)*
            }
        }
    }
}

/// One layer: `__z{n}` and `__a{n}` from `input`.
fn layer_forward(net: &Network, layer: &Layer, input: &Ident) -> TokenStream {
    let n = layer.number;
    let (act, z, a) = (
        layer_local("act", n),
        layer_local("z", n),
        layer_local("a", n),
    );
    let width = lit(layer.outputs);
    let softmax = layer.activation.is_softmax();
    let (layout, i) = (layout(layer), lit(layer.inputs));
    if !layer.unrolled && !softmax {
        // The loop kernel computes both the pre-activations and activations.
        let value = layer.activation.value();
        let (input_ref, views) = loop_operands(net, layer, input);
        return mixed! {
            #input_ref
            let #act = #value;
            let mut #z = [<T as ::backprop_core::Scalar>::ZERO; #width];
            let mut #a = [<T as ::backprop_core::Scalar>::ZERO; #width];
            ::backprop_core::__private::dense::forward::<T, #layout, _, #i, #width>(
                &#act, #views, &mut #z, &mut #a,
            );
        };
    }
    let mut out = if layer.unrolled {
        straight_pre_activation(layer, input)
    } else {
        let (input_ref, views) = loop_operands(net, layer, input);
        mixed! {
            #input_ref
            let mut #z = [<T as ::backprop_core::Scalar>::ZERO; #width];
            ::backprop_core::__private::dense::pre_activation::<T, #layout, #i, #width>(
                #views, &mut #z,
            );
        }
    };
    if softmax {
        out.extend(mixed! {
            let #a: [T; #width] = ::backprop_core::activation::softmax(&#z);
        });
    } else {
        let value = layer.activation.value();
        let activations = (0..layer.outputs).map(|o| {
            let o = lit(o);
            mixed!(::backprop_core::activation::Activation::<T>::f(&#act, #z[#o]))
        });
        out.extend(mixed! {
            let #act = #value;
            let #a: [T; #width] = [#(#activations),*];
        });
    }
    out
}

/// `let __z{n}: [T; OUT] = [b0 + w00 * x0 + w01 * x1 + ..., ...];`
fn straight_pre_activation(layer: &Layer, input: &Ident) -> TokenStream {
    let p = local("__p");
    let z = layer_local("z", layer.number);
    let width = lit(layer.outputs);
    let sums = (0..layer.outputs).map(|o| {
        let bias = lit(layer.bias_offset + o);
        let terms = (0..layer.inputs).map(|i| {
            let w = lit(layer.weight_index(i, o));
            let i = lit(i);
            mixed!(+ #p[#w] * #input[#i])
        });
        mixed!(#p[#bias] #(#terms)*)
    });
    mixed! {
        let #z: [T; #width] = [#(#sums),*];
    }
}

/// For a loop-form layer: a binding of the input as `&[T; IN]`, and the
/// argument list `weights, bias, input` of the kernels.
fn loop_operands(net: &Network, layer: &Layer, input: &Ident) -> (TokenStream, TokenStream) {
    let p = local("__p");
    let p_len = lit(net.params());
    let layout = layout(layer);
    let (i, o) = (lit(layer.inputs), lit(layer.outputs));
    let (w_at, b_at) = (lit(layer.weight_offset), lit(layer.bias_offset));
    let input_ref = local("__in");
    let binding = mixed! {
        // Deref coercion makes this right both for `input` (a reference)
        // and for a previous layer's activations (an array).
        let #input_ref: &[T; #i] = &#input;
    };
    let views = mixed! {
        ::backprop_core::__private::views::matrix::<T, #layout, #p_len, #w_at, #i, #o>(#p),
        ::backprop_core::__private::bias::<T, #p_len, #b_at, #o>(#p),
        #input_ref
    };
    (binding, views)
}
