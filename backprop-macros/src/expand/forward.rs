//! The bodies of `__forward_trace` (each layer's forward statements, from
//! `layer/`, then the trace) and of `__forward` (the same statements, then
//! only the output).

use proc_macro2::TokenStream;
use quote::ToTokens;

use super::{layer_field, lit, local, part_trait, trace_name};
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
///
/// A network written out entirely in straight-line form takes its output
/// from the trace as before: there the trace costs little stack, and
/// sharing the trace's code with the training step keeps the two smaller
/// together (the tutorial's network: 1,114 B of code on a Cortex-M4F,
/// against 1,424 B with a forward pass of its own).
pub fn inference(net: &Network) -> TokenStream {
    if net.layers.iter().all(|l| l.straight_line()) {
        let part = part_trait(
            &lit(net.inputs).into_token_stream(),
            &lit(net.outputs()).into_token_stream(),
            &lit(net.params()).into_token_stream(),
        );
        let p = local("__p");
        return mixed! {
            *output = *<Self as #part>::__forward_trace(#p, input).output();
        };
    }
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
