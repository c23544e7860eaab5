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

use proc_macro2::{Group, Ident, Literal, Span, TokenStream, TokenTree};
use quote::format_ident;

mod backward;
mod chain;
mod forward;
mod items;
mod summary;
mod train;
mod weights;

use crate::ast::NetworkInput;
use crate::check;
use crate::errors::Errors;
use crate::model::{Item, Layer, Model, Network};

/// Reads the invocation into the model, checks it, then expands each
/// definition; every mistake of every definition is reported together.
pub fn network(input: &NetworkInput) -> syn::Result<TokenStream> {
    let errors = Errors::new();
    let model = Model::lower(input, &errors);
    check::model(&errors, &model);
    errors.finish()?;
    let mut out = TokenStream::new();
    for item in &model.items {
        match item {
            Item::Network(def) => match def.network() {
                Some(net) => out.extend(expand(&net)),
                // Every reason for `None` is an error the lowering recorded.
                None => {
                    return Err(syn::Error::new(
                        def.header.name.span(),
                        "this network could not be read",
                    ));
                }
            },
            Item::Chain(def) => out.extend(chain::expand(&def.chain())),
        }
    }
    Ok(out)
}

/// Gives the name of every public method in `tokens` the span of `at` (the
/// user's struct name), so that when a call does not type-check, the
/// compiler's "method defined here" note points at the network's name rather
/// than at the whole macro invocation. Method names are not hygienic, so
/// only the diagnostics change.
pub(crate) fn point_methods_at(tokens: TokenStream, at: Span) -> TokenStream {
    let mut out = TokenStream::new();
    let mut after_fn = false;
    for tree in tokens {
        let tree = match tree {
            TokenTree::Ident(ident) if after_fn && !ident.to_string().starts_with("__") => {
                TokenTree::Ident(Ident::new(&ident.to_string(), at))
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), point_methods_at(group.stream(), at));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other,
        };
        after_fn = matches!(&tree, TokenTree::Ident(i) if i == "fn");
        out.extend([tree]);
    }
    out
}

/// All items for one network.
fn expand(net: &Network) -> TokenStream {
    let mut out = items::items(&facts(net));
    out.extend(compute(net));
    out.extend(train::extras(net));
    with_definition_attrs(point_methods_at(out, net.name.span()), &net.attrs)
}

/// Gives every generated item what the user's attributes on the definition
/// mean for it: each `#[cfg(..)]`, so that the trace and the impls come and
/// go with the struct, and `#[allow(deprecated)]` under `#[deprecated]`, so
/// that the generated impls, which name the struct, do not warn.
/// Definitions with neither (nearly all) are returned as they are.
pub(crate) fn with_definition_attrs(tokens: TokenStream, attrs: &[syn::Attribute]) -> TokenStream {
    let mut added: Vec<syn::Attribute> = attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .cloned()
        .collect();
    if attrs.iter().any(|a| a.path().is_ident("deprecated")) {
        added.push(syn::parse_quote!(#[allow(deprecated)]));
    }
    if added.is_empty() {
        return tokens;
    }
    let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else {
        return tokens;
    };
    for item in &mut file.items {
        let item_attrs = match item {
            syn::Item::Struct(i) => &mut i.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Const(i) => &mut i.attrs,
            syn::Item::Macro(i) => &mut i.attrs,
            syn::Item::Fn(i) => &mut i.attrs,
            syn::Item::Static(i) => &mut i.attrs,
            syn::Item::Mod(i) => &mut i.attrs,
            syn::Item::Type(i) => &mut i.attrs,
            syn::Item::Trait(i) => &mut i.attrs,
            _ => continue,
        };
        item_attrs.splice(0..0, added.iter().cloned());
    }
    quote::ToTokens::into_token_stream(file)
}

/// A `usize` as an unsuffixed literal, as indices and array lengths are written.
/// The layout type of `layer`'s weights, which the generic kernels and
/// views take: `OutputMajor` (`[out][in]`) by default.
pub(crate) fn layout(layer: &Layer) -> TokenStream {
    if layer.input_major {
        mixed!(::backprop_core::__private::InputMajor)
    } else {
        mixed!(::backprop_core::__private::OutputMajor)
    }
}

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

/// `let __act{n} = <activation>;` for every element-wise layer of `layers`.
pub(crate) fn activation_bindings(layers: &[Layer]) -> TokenStream {
    let mut out = TokenStream::new();
    for layer in layers.iter().filter(|l| !l.activation.is_softmax()) {
        let act = layer_local("act", layer.number);
        let value = layer.activation.value();
        out.extend(mixed! { let #act = #value; });
    }
    out
}

/// The output layer's loss, from `trace` (an expression of the trace type),
/// `target` and `loss` (locals); fused formulas come from the loss.
pub(crate) fn output_loss(net: &Network, trace: &TokenStream) -> TokenStream {
    output_call(net, trace, "output_loss", "softmax_loss")
}

/// The gradient at the output layer's pre-activation.
pub(crate) fn output_delta(net: &Network, trace: &TokenStream) -> TokenStream {
    output_call(net, trace, "output_delta", "softmax_delta")
}

fn output_call(
    net: &Network,
    trace: &TokenStream,
    elementwise: &str,
    softmax: &str,
) -> TokenStream {
    let Some(last) = net.layers.last() else {
        return mixed!(::core::compile_error!("a network needs a layer"));
    };
    let (target, loss) = (local("target"), local("loss"));
    let field = layer_field(last);
    if last.activation.is_softmax() {
        let method = Ident::new(softmax, Span::mixed_site());
        mixed! {
            ::backprop_core::loss::Loss::<T>::#method(
                #loss,
                &#trace.#field.pre_activation,
                &#trace.#field.activation,
                #target,
            )
        }
    } else {
        let method = Ident::new(elementwise, Span::mixed_site());
        let act = layer_local("act", last.number);
        mixed! {
            ::backprop_core::loss::Loss::<T>::#method(
                #loss,
                &#act,
                &#trace.#field.pre_activation,
                &#trace.#field.activation,
                #target,
            )
        }
    }
}

/// `1 input`, `2 inputs`.
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The markdown table appended to the struct's documentation.
fn architecture_doc(net: &Network) -> String {
    let mut doc = format!(
        "\n\n# Architecture\n\n`{}`, declared with `backprop_core::network!`: \
         {}, {}, {} parameters.\n\n\
         | layer | inputs | outputs | activation | weights at | biases at |\n\
         |---|---|---|---|---|---|\n",
        net.spec(),
        plural(net.inputs, "input"),
        plural(net.outputs(), "output"),
        net.params()
    );
    for l in &net.layers {
        doc.push_str(&format!(
            "| {} | {} | {} | `{}` | `{}..{}` | `{}..{}` |\n",
            l.number,
            l.inputs,
            l.outputs,
            l.activation_text(),
            l.weight_offset,
            l.bias_offset,
            l.bias_offset,
            l.bias_offset + l.outputs,
        ));
    }
    doc.push_str(if net.layout == crate::model::Layout::InputMajor {
        "\nThe parameters live in one flat array: layer by layer, the weights \
         in `[in][out]` order, as `#[layout(input_major)]` asks (the weight from \
         input `i` to neuron `o` of a layer is at `weights_at + i * outputs + o`), \
         then that layer's biases."
    } else {
        "\nThe parameters live in one flat array: layer by layer, the weights \
         row-major in `[out][in]` order (the weight from input `i` to neuron `o` \
         of a layer is at `weights_at + o * inputs + i`), then that layer's biases."
    });
    doc
}

/// What the shared items (`items.rs`) need to know of a network of layers.
fn facts(net: &Network) -> items::Facts {
    let name = &net.name;
    let lead = if net.attrs.iter().any(|a| a.path().is_ident("doc")) {
        String::new()
    } else {
        format!("A neural network `{}`.", net.spec())
    };
    let (p, i, o, n) = (
        lit(net.params()),
        lit(net.inputs),
        lit(net.outputs()),
        lit(net.layers.len()),
    );
    let trace_fields = net.layers.iter().map(|l| {
        let field = layer_field(l);
        let n = lit(l.outputs);
        let doc = format!(
            "Layer {} ({} `{}`): pre-activations and activations.",
            l.number,
            plural(l.outputs, "neuron"),
            l.activation_text()
        );
        mixed! {
            #[doc = #doc]
            pub #field: ::backprop_core::LayerTrace<T, #n>,
        }
    });
    let last = net.layers.last().map(layer_field);
    let views = net.layers.iter().map(|l| layer_views(net, l));
    let debug_fields = net.layers.iter().map(|l| {
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
    let text = weights::architecture_text(net);
    let (units, mark_alive, count_dead) = train::dead_units(net);
    items::Facts {
        attrs: net.attrs.clone(),
        vis: net.vis.clone(),
        name: name.clone(),
        trace: trace_name(net),
        what: "network",
        inputs: mixed!(#i),
        outputs: mixed!(#o),
        params: mixed!(#p),
        layers: mixed!(#n),
        doc: format!("{lead}{}", architecture_doc(net)),
        const_docs: [
            format!("The input width: {}.", net.inputs),
            format!("The output width: {}.", net.outputs()),
            format!(
                "The number of parameters, weights and biases together: {}.",
                net.params()
            ),
            format!(
                "The number of layers after the input: {}.",
                net.layers.len()
            ),
        ],
        trace_doc: format!(
            "Every value of one forward pass of [`{name}`]: its input, then each \
             layer's pre-activations and activations. Made by \
             [`{name}::forward_trace`], read by [`{name}::backward`]."
        ),
        trace_fields: mixed! {
            /// The input the forward pass ran on.
            pub input: [T; #i],
            #(#trace_fields)*
        },
        trace_output: mixed!(&self.#last.activation),
        views: mixed!(#(#views)*),
        debug_fields: mixed!(#(#debug_fields)*),
        architecture_doc: format!(
            "The canonical spec text, `{text}`, whose CRC-32 is [`Self::FINGERPRINT`]: \
             a weights blob records it so that loading into another architecture is refused."
        ),
        architecture: mixed!(#text),
        summary_layers: summary::layers(net),
        summary_doc: summary::doc(net),
        params_doc: weights::params_doc(net.params()),
        units,
        mark_alive,
        count_dead,
        dead_doc: "For each layer, how many `ReLU` units are dead on `inputs`: their \
                   pre-activation is `<= 0` for every input, so they output 0 and pass no \
                   gradient back. Layers with other activations count 0; on an empty slice \
                   every `ReLU` unit counts as dead."
            .to_owned(),
    }
}

/// `layerN_weights`, `layerN_weights_mut`, `layerN_bias`, `layerN_bias_mut`.
fn layer_views(net: &Network, l: &Layer) -> TokenStream {
    let p = lit(net.params());
    let (i, o) = (lit(l.inputs), lit(l.outputs));
    let (w_at, b_at) = (lit(l.weight_offset), lit(l.bias_offset));
    let layout = layout(l);
    // The view's type: `[[T; IN]; OUT]`, or `[[T; OUT]; IN]` input-major.
    let (rows, cols) = if l.input_major { (&i, &o) } else { (&o, &i) };
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
    let w_doc = if l.input_major {
        format!(
            "The weights of {what}, `[in][out]` (`#[layout(input_major)]`): `[i][o]` is the \
             weight from input `i` to neuron `o`."
        )
    } else {
        format!(
            "The weights of {what}, `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`."
        )
    };
    let wm_doc = format!("The weights of {what}, mutably.");
    let b_doc = format!("The biases of {what}.");
    let bm_doc = format!("The biases of {what}, mutably.");
    mixed! {
        #[doc = #w_doc]
        #[inline]
        #[must_use]
        pub fn #weights(&self) -> &[[T; #cols]; #rows] {
            ::backprop_core::__private::views::matrix::<T, #layout, #p, #w_at, #i, #o>(&self.params)
        }

        #[doc = #wm_doc]
        #[inline]
        #[must_use]
        pub fn #weights_mut(&mut self) -> &mut [[T; #cols]; #rows] {
            ::backprop_core::__private::views::matrix_mut::<T, #layout, #p, #w_at, #i, #o>(&mut self.params)
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

/// The hidden methods through which a chain runs its parts, which a network
/// and a chain both have: their signatures are written here once, and each
/// brings its own bodies. In the bodies `__p` is the parameter array,
/// `trace` the trace, `__g` the gradient array, `upstream` the gradient at
/// the outputs, and `INPUT_GRAD` says whether the gradient at the inputs is
/// wanted (the first layer of a whole network never needs it).
pub(crate) struct Protocol {
    /// The parameter count, an expression.
    pub params: TokenStream,
    /// The input width.
    pub inputs: TokenStream,
    /// The output width.
    pub outputs: TokenStream,
    /// The trace type.
    pub trace: TokenStream,
    /// `__forward_trace`: the trace of one forward pass.
    pub forward_trace: TokenStream,
    /// `__trace_loss`: the loss from a trace.
    pub trace_loss: TokenStream,
    /// `__backward`: `(loss, input gradient)`, gradients into `__g`.
    pub backward: TokenStream,
    /// `__backward_upstream`: the same from a gradient at the outputs.
    pub backward_upstream: TokenStream,
    /// `__update`: `(loss, input gradient)`, each parameter through the
    /// optimizer as its gradient is known.
    pub update: TokenStream,
    /// `__update_upstream`: the same from a gradient at the outputs.
    pub update_upstream: TokenStream,
}

impl Protocol {
    /// The six methods, for an `impl<T: Scalar>` block.
    pub(crate) fn methods(&self) -> TokenStream {
        let Self {
            params,
            inputs,
            outputs,
            trace,
            forward_trace,
            trace_loss,
            backward,
            backward_upstream,
            update,
            update_upstream,
        } = self;
        let (p, g, trace_local, upstream) = (
            local("__p"),
            local("__g"),
            local("trace"),
            local("upstream"),
        );
        mixed! {
            #[doc(hidden)]
            #[inline]
            #[must_use]
            pub fn __forward_trace(#p: &[T; #params], input: &[T; #inputs]) -> #trace<T> {
                #forward_trace
            }

            #[doc(hidden)]
            #[inline]
            #[must_use]
            pub fn __trace_loss<L: ::backprop_core::loss::Loss<T>>(
                #trace_local: &#trace<T>,
                target: &[T; #outputs],
                loss: &L,
            ) -> T {
                #trace_loss
            }

            #[doc(hidden)]
            #[inline]
            pub fn __backward<
                L: ::backprop_core::loss::Loss<T>,
                const INPUT_GRAD: bool,
                const ACCUMULATE: bool,
            >(
                #p: &[T; #params],
                #trace_local: &#trace<T>,
                target: &[T; #outputs],
                loss: &L,
                #g: &mut [T; #params],
            ) -> (T, [T; #inputs]) {
                #backward
            }

            #[doc(hidden)]
            #[inline]
            pub fn __backward_upstream<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
                #p: &[T; #params],
                #trace_local: &#trace<T>,
                #upstream: &[T; #outputs],
                #g: &mut [T; #params],
            ) -> [T; #inputs] {
                #backward_upstream
            }

            #[doc(hidden)]
            #[inline]
            pub fn __update<L, O, const PO: usize, const INPUT_GRAD: bool>(
                #p: &mut [T; #params],
                #trace_local: &#trace<T>,
                target: &[T; #outputs],
                loss: &L,
                optimizer: &mut O,
                __base: usize,
            ) -> (T, [T; #inputs])
            where
                L: ::backprop_core::loss::Loss<T>,
                O: ::backprop_core::optim::Optimizer<T, PO>,
            {
                #update
            }

            #[doc(hidden)]
            #[inline]
            pub fn __update_upstream<O, const PO: usize, const INPUT_GRAD: bool>(
                #p: &mut [T; #params],
                #trace_local: &#trace<T>,
                #upstream: &[T; #outputs],
                optimizer: &mut O,
                __base: usize,
            ) -> [T; #inputs]
            where
                O: ::backprop_core::optim::Optimizer<T, PO>,
            {
                #update_upstream
            }
        }
    }
}

/// The methods whose bodies are generated: forward, the trace, the loss and
/// the backward pass. Everything else builds on these.
///
/// The passes are associated functions over a parameter array (`__p`), so
/// that a chain of networks can run each part on its slice of the chain's
/// own parameters; the methods call them on `self.params`.
fn compute(net: &Network) -> TokenStream {
    let name = &net.name;
    let trace = trace_name(net);
    let (inputs, outputs, p_len) = (lit(net.inputs), lit(net.outputs()), lit(net.params()));
    let Some(last) = net.layers.last() else {
        return mixed!(::core::compile_error!("a network needs a layer"));
    };
    let last_field = layer_field(last);
    let forward_body = forward::body(net);
    let backward_body = backward::body(net, backward::Sink::Gradients);
    let fused_body = backward::body(net, backward::Sink::Optimizer);
    let last_bindings = activation_bindings(core::slice::from_ref(last));
    let trace_local = local("trace");
    let loss_expr = output_loss(net, &mixed!(#trace_local));
    let delta_expr = output_delta(net, &mixed!(#trace_local));
    let (p, g, d_last) = (local("__p"), local("__g"), layer_local("d", last.number));
    let upstream = local("upstream");
    let act_last = layer_local("act", last.number);
    let upstream_delta = if last.activation.is_softmax() {
        mixed!(::backprop_core::activation::Softmax.backward(&#trace_local.#last_field.activation, #upstream))
    } else {
        mixed! {
            ::backprop_core::__private::activation_backward(
                &#act_last,
                &#trace_local.#last_field.pre_activation,
                &#trace_local.#last_field.activation,
                #upstream,
            )
        }
    };
    let protocol = Protocol {
        params: mixed!(#p_len),
        inputs: mixed!(#inputs),
        outputs: mixed!(#outputs),
        trace: mixed!(#trace),
        forward_trace: forward_body,
        trace_loss: mixed! {
            #last_bindings
            #loss_expr
        },
        backward: mixed! {
            #last_bindings
            let __loss = #loss_expr;
            let __delta = #delta_expr;
            (__loss, Self::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(#p, #trace_local, __delta, #g))
        },
        backward_upstream: mixed! {
            #last_bindings
            let __delta = #upstream_delta;
            Self::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(#p, #trace_local, __delta, #g)
        },
        update: mixed! {
            #last_bindings
            let __loss = #loss_expr;
            let __delta = #delta_expr;
            (
                __loss,
                Self::__update_from_delta::<O, PO, INPUT_GRAD>(#p, #trace_local, __delta, optimizer, __base),
            )
        },
        update_upstream: mixed! {
            #last_bindings
            let __delta = #upstream_delta;
            Self::__update_from_delta::<O, PO, INPUT_GRAD>(#p, #trace_local, __delta, optimizer, __base)
        },
    }
    .methods();
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
        impl<T: ::backprop_core::Float> #name<T> {
            #protocol

            #[doc(hidden)]
            #[inline]
            pub fn __update_from_delta<O, const PO: usize, const INPUT_GRAD: bool>(
                #p: &mut [T; #p_len],
                #trace_local: &#trace<T>,
                #d_last: [T; #outputs],
                optimizer: &mut O,
                __base: usize,
            ) -> [T; #inputs]
            where
                O: ::backprop_core::optim::Optimizer<T, PO>,
            {
                #fused_body
            }

            #[doc(hidden)]
            #[inline]
            pub fn __backward_from_delta<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
                #p: &[T; #p_len],
                #trace_local: &#trace<T>,
                #d_last: [T; #outputs],
                #g: &mut [T; #p_len],
            ) -> [T; #inputs] {
                #backward_body
            }
        }
    }
}
