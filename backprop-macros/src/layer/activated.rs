//! What the layers with an activation share (dense and convolution layers):
//! a `LayerTrace` field of pre-activations and activations, the activation
//! bound before the backward pass, the error signal through the
//! activation's derivative, and the `weights` and `bias` views of the
//! `Debug` impl.

use proc_macro2::{Ident, TokenStream};
use quote::format_ident;

use crate::activation::Activation;
use crate::expand::{layer_local, lit, local};

/// `layer{n}`, the trace field and accessor stem.
pub fn field(number: usize) -> Ident {
    format_ident!("layer{}", number, span = proc_macro2::Span::mixed_site())
}

/// `#[doc = ..] pub layer{n}: LayerTrace<T, WIDTH>,`.
pub fn trace_field(number: usize, width: usize, doc: &str) -> TokenStream {
    let (field, n) = (field(number), lit(width));
    mixed! {
        #[doc = #doc]
        pub #field: ::backprop_core::LayerTrace<T, #n>,
    }
}

/// The trace field's value from the locals `__z{n}` and `__a{n}`.
pub fn trace_value(number: usize) -> TokenStream {
    let (z, a) = (layer_local("z", number), layer_local("a", number));
    mixed!(::backprop_core::LayerTrace { pre_activation: #z, activation: #a })
}

/// A zero `LayerTrace<T, WIDTH>`.
pub fn trace_zero(width: usize) -> TokenStream {
    let width = lit(width);
    mixed! {
        ::backprop_core::LayerTrace {
            pre_activation: [<T as ::backprop_core::Scalar>::ZERO; #width],
            activation: [<T as ::backprop_core::Scalar>::ZERO; #width],
        }
    }
}

/// `let __act{n} = <the activation's value>;`.
pub fn binding(number: usize, activation: &Activation) -> TokenStream {
    let act = layer_local("act", number);
    let value = activation.value();
    mixed! { let #act = #value; }
}

/// `let __d{n} = da * f'(z);` from `gradient`, an array expression of the
/// gradient at the layer's activations.
pub fn error_signal(number: usize, gradient: &TokenStream) -> TokenStream {
    let (trace, d, act) = (
        local("trace"),
        layer_local("d", number),
        layer_local("act", number),
    );
    let field = field(number);
    mixed! {
        let #d = ::backprop_core::__private::activation_backward(
            &#act,
            &#trace.#field.pre_activation,
            &#trace.#field.activation,
            &#gradient,
        );
    }
}

/// `.field("layer{n}_weights", ..)` and `.field("layer{n}_bias", ..)`.
pub fn debug_fields(number: usize) -> TokenStream {
    let (w, b) = (
        format_ident!("layer{number}_weights"),
        format_ident!("layer{number}_bias"),
    );
    let (w_str, b_str) = (w.to_string(), b.to_string());
    mixed! {
        .field(#w_str, self.#w())
        .field(#b_str, self.#b())
    }
}

/// `layer{n}_bias` and `layer{n}_bias_mut`: the `WIDTH` biases at `at` in
/// the network's `P` parameters; `what` names the layer in their docs.
pub fn bias_views(number: usize, p: usize, at: usize, width: usize, what: &str) -> TokenStream {
    let (p, at, n) = (lit(p), lit(at), lit(width));
    let bias = format_ident!("layer{number}_bias");
    let bias_mut = format_ident!("layer{number}_bias_mut");
    let b_doc = format!("The biases of {what}.");
    let bm_doc = format!("The biases of {what}, mutably.");
    mixed! {
        #[doc = #b_doc]
        #[inline]
        #[must_use]
        pub fn #bias(&self) -> &[T; #n] {
            ::backprop_core::__private::bias::<T, #p, #at, #n>(&self.params)
        }

        #[doc = #bm_doc]
        #[inline]
        #[must_use]
        pub fn #bias_mut(&mut self) -> &mut [T; #n] {
            ::backprop_core::__private::bias_mut::<T, #p, #at, #n>(&mut self.params)
        }
    }
}

/// The pre-activations `dead_relu_units` watches, for a `ReLU` layer.
pub fn relu_pre_activation(
    number: usize,
    activation: &Activation,
    trace: &Ident,
) -> Option<TokenStream> {
    let field = field(number);
    activation
        .is_relu()
        .then(|| mixed!(&#trace.#field.pre_activation))
}
