//! The bodies of `__forward_trace` (each layer's forward statements, from
//! `layer/`, then the trace) and of `__forward` (the same statements, then
//! only the output).

use proc_macro2::TokenStream;

use super::{layer_field, local, trace_name};
use crate::model::Network;

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
    let by_layer = net.layers.iter().all(|l| l.straight_line());
    let mut out = TokenStream::new();
    let mut fields = Vec::new();
    let mut zeros = Vec::new();
    let mut input = x.clone();
    for layer in &net.layers {
        out.extend(layer.forward(&input));
        input = layer.output_local();
        let field = layer_field(layer.number());
        let value = layer.trace_value();
        if by_layer {
            out.extend(mixed! { #t.#field = #value; });
        }
        fields.push(mixed! { #field: #value, });
        let zero = layer.trace_zero();
        zeros.push(mixed! { #field: #zero, });
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

/// `<each layer>; *output = <the last layer's output>;`, over the
/// parameters `__p` and `input`: the forward pass of `forward`, which keeps
/// no trace. Building the trace and taking its output, a loop-form network
/// held (and on Cortex-M copied with `memcpy`) every layer's values twice:
/// a 16 => 32 ReLU => 32 ReLU => 4 network's out-of-line forward took
/// 2,444 B of stack on a Cortex-M4F.
pub fn inference(net: &Network) -> TokenStream {
    let mut out = TokenStream::new();
    let mut input = local("input");
    for layer in &net.layers {
        out.extend(layer.forward(&input));
        input = layer.output_local();
    }
    mixed! {
        #out
        *output = #input;
    }
}
