//! Turns the lowered model into Rust items.
//!
//! One function per generated item: [`struct_def`], [`trace_def`],
//! [`accessors`], [`std_impls`] and [`compute`]; the forward and backward
//! bodies come from `expand/forward.rs` and `expand/backward.rs`.
//!
//! Everything the generated code introduces (locals, parameters, generic
//! parameters) is spanned at `Span::mixed_site()`, so the user's locals and
//! types (a type named `T`) cannot capture it, and every outside name is an
//! absolute path (`::backprop_core::...`, `::core::...`). Hygiene does not
//! cover constants: a binding named like a `const` in scope becomes a
//! constant pattern. So locals start with `__`, and the methods' parameters
//! have descriptive names (`input`, `target`, `loss`) that a constant, being
//! upper case by convention, does not take.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::format_ident;

/// `quote!` with every token spanned at `Span::mixed_site()`: the generated
/// code's own names stay out of reach of the user's, and lints treat the
/// code as the macro's rather than the user's.
macro_rules! mixed {
    ($($tokens:tt)*) => {
        ::quote::quote_spanned!(::proc_macro2::Span::mixed_site()=> $($tokens)*)
    };
}

mod backward;
mod forward;

use crate::ast::NetworkInput;
use crate::check;
use crate::errors::Errors;
use crate::ir::{Layer, Network};

/// Checks every definition, then expands each one; the errors of all
/// definitions are reported together.
pub fn network(input: &NetworkInput) -> syn::Result<TokenStream> {
    let errors = Errors::new();
    for def in &input.definitions {
        check::definition(&errors, def);
    }
    errors.finish()?;
    let mut out = TokenStream::new();
    for def in &input.definitions {
        let net = Network::from_ast(def)?;
        out.extend(expand(&net));
    }
    Ok(out)
}

/// All items for one network.
fn expand(net: &Network) -> TokenStream {
    let mut out = struct_def(net);
    out.extend(trace_def(net));
    out.extend(accessors(net));
    out.extend(std_impls(net));
    out.extend(compute(net));
    out
}

/// A `usize` as an unsuffixed literal, as indices and array lengths are written.
pub(crate) fn lit(n: usize) -> Literal {
    let mut literal = Literal::usize_unsuffixed(n);
    literal.set_span(Span::mixed_site());
    literal
}

/// A local of the generated code: invisible to the user's items.
pub(crate) fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// `__name{number}`, a per-layer local.
pub(crate) fn layer_local(name: &str, number: usize) -> Ident {
    format_ident!("__{}{}", name, number, span = Span::mixed_site())
}

/// The trace struct's name: `SeedNetTrace` for `SeedNet`.
fn trace_name(net: &Network) -> Ident {
    format_ident!("{}Trace", net.name)
}

/// `layer{number}`, the trace field and accessor stem of a layer.
fn layer_field(layer: &Layer) -> Ident {
    format_ident!("layer{}", layer.number, span = Span::mixed_site())
}

/// `::backprop_core::activation::Relu`, the runtime type of a layer's activation.
pub(crate) fn activation_type(layer: &Layer) -> TokenStream {
    let ty = Ident::new(layer.activation.runtime_type(), layer.span);
    mixed!(::backprop_core::activation::#ty)
}

/// The markdown table appended to the struct's documentation.
fn architecture_doc(net: &Network) -> String {
    let mut doc = format!(
        "\n\n# Architecture\n\n`{}`, declared with `backprop_core::network!`: \
         {} input(s), {} output(s), {} parameters.\n\n\
         | layer | inputs | outputs | activation | weights at | biases at |\n\
         |---|---|---|---|---|---|\n",
        net.spec(),
        net.inputs,
        net.outputs(),
        net.params()
    );
    for l in &net.layers {
        doc.push_str(&format!(
            "| {} | {} | {} | `{}` | `{}..{}` | `{}..{}` |\n",
            l.number,
            l.inputs,
            l.outputs,
            l.activation.spelling(),
            l.weight_offset,
            l.bias_offset,
            l.bias_offset,
            l.bias_offset + l.outputs,
        ));
    }
    doc.push_str(
        "\nThe parameters live in one flat array: layer by layer, the weights \
         row-major in `[out][in]` order (the weight from input `i` to neuron `o` \
         of a layer is at `weights_at + o * inputs + i`), then that layer's biases.",
    );
    doc
}

/// The network struct: the user's attributes, and one flat parameter array.
fn struct_def(net: &Network) -> TokenStream {
    let Network {
        attrs, vis, name, ..
    } = net;
    let p = lit(net.params());
    let lead = if attrs.iter().any(|a| a.path().is_ident("doc")) {
        String::new()
    } else {
        format!("A neural network `{}`.", net.spec())
    };
    let doc = format!("{lead}{}", architecture_doc(net));
    let t = local("T");
    mixed! {
        #(#attrs)*
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq)]
        #vis struct #name<#t = f32> {
            params: [#t; #p],
        }
    }
}

/// The `...Trace` struct of one forward pass.
fn trace_def(net: &Network) -> TokenStream {
    let Network { vis, name, .. } = net;
    let trace = trace_name(net);
    let inputs = lit(net.inputs);
    let outputs = lit(net.outputs());
    let fields = net.layers.iter().map(|l| {
        let field = layer_field(l);
        let n = lit(l.outputs);
        let doc = format!(
            "Layer {} ({} `{}` neurons): pre-activations and activations.",
            l.number,
            l.outputs,
            l.activation.spelling()
        );
        mixed! {
            #[doc = #doc]
            pub #field: ::backprop_core::LayerTrace<T, #n>,
        }
    });
    let last = net.layers.last().map(layer_field);
    let doc = format!(
        "Every value of one forward pass of [`{name}`]: its input, then each \
         layer's pre-activations and activations. Made by \
         [`{name}::forward_trace`], read by [`{name}::backward`]."
    );
    mixed! {
        #[doc = #doc]
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::fmt::Debug,
            ::core::cmp::PartialEq
        )]
        #vis struct #trace<T = f32> {
            /// The input the forward pass ran on.
            pub input: [T; #inputs],
            #(#fields)*
        }

        impl<T> #trace<T> {
            /// The network's output: the last layer's activations.
            #[inline]
            #[must_use]
            pub const fn output(&self) -> &[T; #outputs] {
                &self.#last.activation
            }
        }
    }
}

/// Associated consts, construction, the flat parameters and the per-layer
/// views; none of these needs arithmetic on `T`.
fn accessors(net: &Network) -> TokenStream {
    let name = &net.name;
    let trace = trace_name(net);
    let p = lit(net.params());
    let inputs = lit(net.inputs);
    let outputs = lit(net.outputs());
    let layers = lit(net.layers.len());
    let views = net.layers.iter().map(|l| layer_views(net, l));
    let inputs_doc = format!("The input width: {}.", net.inputs);
    let outputs_doc = format!("The output width: {}.", net.outputs());
    let params_doc = format!(
        "The number of parameters, weights and biases together: {}.",
        net.params()
    );
    let layers_doc = format!(
        "The number of layers after the input: {}.",
        net.layers.len()
    );
    mixed! {
        impl<T> #name<T> {
            #[doc = #inputs_doc]
            pub const INPUTS: usize = #inputs;
            #[doc = #outputs_doc]
            pub const OUTPUTS: usize = #outputs;
            #[doc = #params_doc]
            pub const PARAMS: usize = #p;
            #[doc = #layers_doc]
            pub const LAYERS: usize = #layers;
            /// The bytes the parameters take: `PARAMS * size_of::<T>()`, the
            /// whole size of a network value.
            pub const PARAM_BYTES: usize = #p * ::core::mem::size_of::<T>();
            /// The bytes one forward trace takes (its input, and every
            /// layer's pre-activations and activations): with
            /// [`Self::PARAM_BYTES`], the RAM a training step needs for data.
            pub const TRACE_BYTES: usize = ::core::mem::size_of::<#trace<T>>();

            /// A network with these parameters, in the flat order described on
            /// the type.
            #[inline]
            #[must_use]
            pub const fn from_params(params: [T; #p]) -> Self {
                Self { params }
            }

            /// All parameters, in the flat order described on the type.
            #[inline]
            #[must_use]
            pub const fn params(&self) -> &[T; #p] {
                &self.params
            }

            /// All parameters, mutably, in the flat order described on the type.
            #[inline]
            #[must_use]
            pub const fn params_mut(&mut self) -> &mut [T; #p] {
                &mut self.params
            }

            /// The flat parameter array, by value.
            #[inline]
            #[must_use]
            pub fn into_params(self) -> [T; #p] {
                self.params
            }

            #(#views)*
        }
    }
}

/// `layerN_weights`, `layerN_weights_mut`, `layerN_bias`, `layerN_bias_mut`.
fn layer_views(net: &Network, l: &Layer) -> TokenStream {
    let p = lit(net.params());
    let (i, o) = (lit(l.inputs), lit(l.outputs));
    let (w_at, b_at) = (lit(l.weight_offset), lit(l.bias_offset));
    let n = l.number;
    let weights = format_ident!("layer{n}_weights");
    let weights_mut = format_ident!("layer{n}_weights_mut");
    let bias = format_ident!("layer{n}_bias");
    let bias_mut = format_ident!("layer{n}_bias_mut");
    let what = format!(
        "layer {n} ({} => {} `{}`)",
        l.inputs,
        l.outputs,
        l.activation.spelling()
    );
    let w_doc = format!(
        "The weights of {what}, `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`."
    );
    let wm_doc = format!("The weights of {what}, mutably.");
    let b_doc = format!("The biases of {what}.");
    let bm_doc = format!("The biases of {what}, mutably.");
    mixed! {
        #[doc = #w_doc]
        #[inline]
        #[must_use]
        pub fn #weights(&self) -> &[[T; #i]; #o] {
            ::backprop_core::__private::weights::<T, #p, #w_at, #i, #o>(&self.params)
        }

        #[doc = #wm_doc]
        #[inline]
        #[must_use]
        pub fn #weights_mut(&mut self) -> &mut [[T; #i]; #o] {
            ::backprop_core::__private::weights_mut::<T, #p, #w_at, #i, #o>(&mut self.params)
        }

        #[doc = #b_doc]
        #[inline]
        #[must_use]
        pub fn #bias(&self) -> &[T; #o] {
            ::backprop_core::__private::bias::<T, #p, #b_at, #o>(&self.params)
        }

        #[doc = #bm_doc]
        #[inline]
        #[must_use]
        pub fn #bias_mut(&mut self) -> &mut [T; #o] {
            ::backprop_core::__private::bias_mut::<T, #p, #b_at, #o>(&mut self.params)
        }
    }
}

/// `Default` (all zeros) and a `Debug` that shows the layers.
fn std_impls(net: &Network) -> TokenStream {
    let name = &net.name;
    let name_str = name.to_string();
    let p = lit(net.params());
    let fields = net.layers.iter().map(|l| {
        let n = l.number;
        let (w, b) = (
            format_ident!("layer{n}_weights"),
            format_ident!("layer{n}_bias"),
        );
        let (w_str, b_str) = (w.to_string(), b.to_string());
        mixed! {
            .field(#w_str, self.#w())
            .field(#b_str, self.#b())
        }
    });
    mixed! {
        impl<T: ::backprop_core::Scalar> ::core::default::Default for #name<T> {
            /// All parameters zero.
            #[inline]
            fn default() -> Self {
                Self::from_params([<T as ::backprop_core::Scalar>::ZERO; #p])
            }
        }

        impl<T: ::core::fmt::Debug> ::core::fmt::Debug for #name<T> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name_str)
                    #(#fields)*
                    .finish()
            }
        }
    }
}

/// Forward, backward and training: the methods that compute.
fn compute(net: &Network) -> TokenStream {
    let name = &net.name;
    let trace = trace_name(net);
    let p = lit(net.params());
    let inputs = lit(net.inputs);
    let outputs = lit(net.outputs());
    let last = net.layers.last().map(layer_field);
    let forward_body = forward::body(net);
    let backward_body = backward::body(net);
    mixed! {
        #[allow(
            clippy::many_single_char_names,
            clippy::similar_names,
            clippy::too_many_lines,
            clippy::unreadable_literal,
            clippy::identity_op,
            clippy::erasing_op,
            clippy::possible_missing_comma
        )]
        impl<T: ::backprop_core::Scalar> #name<T> {
            /// Runs the network on one input and returns its output.
            #[inline]
            #[must_use]
            pub fn forward(&self, input: &[T; #inputs]) -> [T; #outputs] {
                self.forward_trace(input).#last.activation
            }

            /// Runs the network on one input and returns every layer's
            /// pre-activations and activations, as the backward pass needs them.
            #[inline]
            #[must_use]
            pub fn forward_trace(&self, input: &[T; #inputs]) -> #trace<T> {
                #forward_body
            }

            /// The loss of the network's prediction for `x` against `target`.
            #[inline]
            #[must_use]
            pub fn loss<L: ::backprop_core::loss::Loss<T>>(
                &self,
                input: &[T; #inputs],
                target: &[T; #outputs],
                loss: &L,
            ) -> T {
                ::backprop_core::loss::Loss::<T>::loss(loss, &self.forward(input), target)
            }

            /// Backpropagates one sample: from the forward `trace` and the
            /// `target`, the loss and the gradient of every parameter, added
            /// into `gradients` (in the flat parameter order). Returns the loss.
            ///
            /// Adding rather than overwriting lets a batch sum its samples'
            /// gradients in one value.
            #[inline]
            pub fn accumulate_gradients<L: ::backprop_core::loss::Loss<T>>(
                &self,
                trace: &#trace<T>,
                target: &[T; #outputs],
                loss: &L,
                gradients: &mut Self,
            ) -> T {
                #backward_body
            }

            /// Backpropagates one sample: the loss and the gradient of every
            /// parameter, as a network-shaped value (`gradients.params()` is the
            /// flat gradient).
            #[inline]
            #[must_use]
            pub fn backward<L: ::backprop_core::loss::Loss<T>>(
                &self,
                trace: &#trace<T>,
                target: &[T; #outputs],
                loss: &L,
            ) -> (T, Self) {
                // Summing onto -0 is exact (`-0 + g == g` for every `g`), so the
                // compiler can drop the additions of a single sample.
                let mut gradients =
                    Self::from_params([<T as ::backprop_core::Scalar>::NEG_ZERO; #p]);
                let loss = self.accumulate_gradients(trace, target, loss, &mut gradients);
                (loss, gradients)
            }

            /// The loss for one sample and the gradient of every parameter:
            /// [`Self::forward_trace`] then [`Self::backward`].
            #[inline]
            #[must_use]
            pub fn loss_and_gradients<L: ::backprop_core::loss::Loss<T>>(
                &self,
                input: &[T; #inputs],
                target: &[T; #outputs],
                loss: &L,
            ) -> (T, Self) {
                let trace = self.forward_trace(input);
                self.backward(&trace, target, loss)
            }

            /// One training step on one sample: forward, backward, and one
            /// update by `optimizer`. Returns the loss before the update.
            #[inline]
            pub fn train_step<L, O>(
                &mut self,
                input: &[T; #inputs],
                target: &[T; #outputs],
                loss: &L,
                optimizer: &mut O,
            ) -> T
            where
                L: ::backprop_core::loss::Loss<T>,
                O: ::backprop_core::optim::Optimizer<T, #p>,
            {
                // The gradient is built in place rather than returned by
                // `backward`: for a large network a move of it costs as much
                // as the backward pass.
                let trace = self.forward_trace(input);
                let mut gradients =
                    Self::from_params([<T as ::backprop_core::Scalar>::NEG_ZERO; #p]);
                let loss = self.accumulate_gradients(&trace, target, loss, &mut gradients);
                ::backprop_core::optim::Optimizer::<T, #p>::step(
                    optimizer,
                    &mut self.params,
                    &gradients.params,
                );
                loss
            }
        }
    }
}
