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
//! `__private::dense_forward`, which sums in the same order.

use proc_macro2::TokenStream;

use super::{activation_type, layer_field, layer_local, lit, local, trace_name};
use crate::ir::{Layer, Network};

/// `let __p = ...; <each layer>; Trace { ... }`.
pub fn body(net: &Network) -> TokenStream {
    let p_len = lit(net.params());
    let p = local("__p");
    let x = local("input");
    let mut out = mixed! {
        let #p: &[T; #p_len] = &self.params;
    };
    let mut fields = Vec::new();
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
        fields.push(mixed! {
            #field: ::backprop_core::LayerTrace { pre_activation: #z, activation: #a },
        });
    }
    let trace = trace_name(net);
    out.extend(mixed! {
        #trace {
            input: *#x,
            #(#fields)*
        }
    });
    out
}

/// One layer: `__z{n}` and `__a{n}` from `input`.
fn layer_forward(net: &Network, layer: &Layer, input: &proc_macro2::Ident) -> TokenStream {
    let n = layer.number;
    let (act, z, a) = (
        layer_local("act", n),
        layer_local("z", n),
        layer_local("a", n),
    );
    let p = local("__p");
    let act_ty = activation_type(layer);
    let width = lit(layer.outputs);
    let mut out = mixed! {
        let #act = #act_ty;
    };
    if layer.unrolled {
        let sums = (0..layer.outputs).map(|o| {
            let bias = lit(layer.bias_offset + o);
            let terms = (0..layer.inputs).map(|i| {
                let w = lit(layer.weight_offset + o * layer.inputs + i);
                let i = lit(i);
                mixed!(+ #p[#w] * #input[#i])
            });
            mixed!(#p[#bias] #(#terms)*)
        });
        let activations = (0..layer.outputs).map(|o| {
            let o = lit(o);
            mixed! {
                ::backprop_core::activation::Activation::<T>::f(&#act, #z[#o])
            }
        });
        out.extend(mixed! {
            let #z: [T; #width] = [#(#sums),*];
            let #a: [T; #width] = [#(#activations),*];
        });
    } else {
        let p_len = lit(net.params());
        let (i, o) = (lit(layer.inputs), lit(layer.outputs));
        let (w_at, b_at) = (lit(layer.weight_offset), lit(layer.bias_offset));
        let input_ref = local("__in");
        out.extend(mixed! {
            // Deref coercion makes this one line right for `x` (a reference)
            // and for a previous layer's activations (an array).
            let #input_ref: &[T; #i] = &#input;
            let mut #z = [<T as ::backprop_core::Scalar>::ZERO; #width];
            let mut #a = [<T as ::backprop_core::Scalar>::ZERO; #width];
            ::backprop_core::__private::dense_forward(
                &#act,
                ::backprop_core::__private::weights::<T, #p_len, #w_at, #i, #o>(#p),
                ::backprop_core::__private::bias::<T, #p_len, #b_at, #o>(#p),
                #input_ref,
                &mut #z,
                &mut #a,
            );
        });
    }
    out
}
