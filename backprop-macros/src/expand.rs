//! Turns the checked model into Rust items.
//!
//! The items every network and chain has come from `expand/items.rs`, over
//! the [`items::Facts`] each provides ([`facts`] here, `chain.rs` for a
//! chain). The passes are [`compute`]: `expand/forward.rs` and
//! `expand/backward.rs` walk the layers and ask each one for its code
//! through [`crate::layer::LayerKind`], so nothing here knows what a dense
//! layer is.
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
mod int8;
mod items;
mod recurrent;
mod summary;
mod train;
mod weights;

use crate::ast::NetworkInput;
use crate::check;
use crate::errors::Errors;
use crate::layer::{LossCall, Sink};
use crate::model::{Item, Model, Network};

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
    if net.is_recurrent() {
        return with_definition_attrs(
            point_methods_at(recurrent::expand(net), net.name.span()),
            &net.attrs,
        );
    }
    let mut out = items::items(&facts(net));
    out.extend(net.layers.iter().map(|l| l.checks()));
    out.extend(compute(net));
    out.extend(train::extras(net));
    out.extend(int8::expand(net));
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
fn layer_field(number: usize) -> Ident {
    format_ident!("layer{}", number, span = Span::mixed_site())
}

/// `1 input`, `2 inputs`.
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The where-clause of a network's impls that run its passes: every
/// layer's bounds, each once; nothing if `T: Scalar` is all they need.
pub(crate) fn bounds(net: &Network) -> TokenStream {
    let mut seen = std::collections::BTreeSet::new();
    let bounds: Vec<TokenStream> = net
        .layers
        .iter()
        .flat_map(|l| l.bounds())
        .filter(|b| seen.insert(b.to_string()))
        .collect();
    if bounds.is_empty() {
        TokenStream::new()
    } else {
        mixed!(where #(#bounds),*)
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
        match net.window {
            Some((channels, len)) => format!(
                "a window of {} x {} (`[{channels}; {len}]`, time-major)",
                plural(len, "step"),
                plural(channels, "channel")
            ),
            None => plural(net.inputs, "input"),
        },
        plural(net.outputs(), "output"),
        net.params()
    );
    for l in &net.layers {
        doc.push_str(&l.doc_row());
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
    let trace_fields = net.layers.iter().map(|l| l.trace_field());
    let last = net.layers.last().map(|l| l.output_in(&mixed!(self)));
    let views = net.layers.iter().map(|l| l.views());
    let debug_fields = net.layers.iter().map(|l| l.debug_fields());
    let text = weights::architecture_text(net);
    let (units, mark_alive, count_dead) = train::dead_units(net);
    items::Facts {
        attrs: net.attrs.clone(),
        vis: net.vis.clone(),
        name: name.clone(),
        trace: trace_name(net),
        bounds: bounds(net),
        debug_generics: mixed!(T: ::core::fmt::Debug + ::core::marker::Copy),
        debug_bounds: TokenStream::new(),
        what: "network",
        inputs: mixed!(#i),
        outputs: mixed!(#o),
        params: mixed!(#p),
        layers: mixed!(#n),
        doc: format!("{lead}{}", architecture_doc(net)),
        const_docs: [
            match net.window {
                Some((channels, len)) => format!(
                    "The input width: {}, a window of {len} steps x {channels} channels, flat.",
                    net.inputs
                ),
                None => format!("The input width: {}.", net.inputs),
            },
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
        trace_output: mixed!(&#last),
        views: mixed!(#(#views)*),
        debug_fields: mixed!(#(#debug_fields)*),
        architecture_doc: format!(
            "The canonical spec text, `{text}`: a weights blob records it, and a blob \
             loads only where it is the `ARCHITECTURE` byte for byte. Its CRC-32 is \
             [`Self::FINGERPRINT`]."
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
        window: net.window,
        recurrent: false,
    }
}

/// The hidden passes through which a chain runs its parts, which a network
/// and a chain both have: the runtime's `__private::Part` trait, whose impl
/// is written here once, each bringing its own bodies. In the bodies `__p`
/// is the parameter array, `trace` the trace, `__g` the gradient array,
/// `upstream` the gradient at the outputs, and `INPUT_GRAD` says whether the
/// gradient at the inputs is wanted (the first layer of a whole network
/// never needs it).
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
    /// `__forward`: one forward pass into `output`, keeping no trace.
    pub forward: TokenStream,
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
    /// `__with_seed`: the parameters `with_seed(seed)` gives.
    pub with_seed: TokenStream,
}

/// The lints that the straight-line passes trip by their shape (long
/// bodies, literal indices, `x * 0` terms), allowed on the impls that hold
/// them.
fn generated_allows() -> TokenStream {
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
    }
}

/// `::backprop_core::__private::Part<T, IN, OUT, P>`.
pub(crate) fn part_trait(
    inputs: &TokenStream,
    outputs: &TokenStream,
    params: &TokenStream,
) -> TokenStream {
    mixed!(::backprop_core::__private::Part<T, #inputs, #outputs, #params>)
}

impl Protocol {
    /// `impl Part<T, IN, OUT, P> for name<T>`, under the where-clause `bounds`.
    pub(crate) fn part_impl(&self, name: &Ident, bounds: &TokenStream) -> TokenStream {
        let Self {
            params,
            inputs,
            outputs,
            trace,
            forward_trace,
            forward,
            trace_loss,
            backward,
            backward_upstream,
            update,
            update_upstream,
            with_seed,
        } = self;
        let (p, g, trace_local, upstream) = (
            local("__p"),
            local("__g"),
            local("trace"),
            local("upstream"),
        );
        let part = part_trait(inputs, outputs, params);
        let support = part_support(name, trace, params);
        let allows = generated_allows();
        mixed! {
            #[automatically_derived]
            #allows
            impl<T: ::backprop_core::Scalar, __S> #part for #name<__S> #bounds {
                #[inline]
                fn __forward_trace(#p: &[T; #params], input: &[T; #inputs]) -> #trace<T> {
                    #forward_trace
                }

                #[inline]
                fn __forward(#p: &[T; #params], input: &[T; #inputs], output: &mut [T; #outputs]) {
                    #forward
                }

                #[inline]
                fn __trace_loss<L: ::backprop_core::loss::Loss<T>>(
                    #trace_local: &#trace<T>,
                    target: &[T; #outputs],
                    loss: &L,
                ) -> T {
                    #trace_loss
                }

                #[inline]
                fn __backward<
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

                #[inline]
                fn __backward_upstream<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
                    #p: &[T; #params],
                    #trace_local: &#trace<T>,
                    #upstream: &[T; #outputs],
                    #g: &mut [T; #params],
                ) -> [T; #inputs] {
                    #backward_upstream
                }

                #[inline]
                fn __update<L, O, const PO: usize, const INPUT_GRAD: bool>(
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

                #[inline]
                fn __update_upstream<O, const PO: usize, const INPUT_GRAD: bool>(
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

                fn __with_seed(seed: u64) -> [T; #params] {
                    #with_seed
                }

                #support
            }
        }
    }
}

/// The methods of `Part` that a network and a chain write alike, over
/// their own inherent items: construction, `Debug`, the gradient norms and
/// the dead-unit helpers.
fn part_support(name: &Ident, trace: &TokenStream, params: &TokenStream) -> TokenStream {
    let (p, alive, dead, trace_arg) = (
        local("__p"),
        local("__alive"),
        local("__dead"),
        local("__trace"),
    );
    mixed! {
        #[inline]
        fn __from_params(params: [T; #params]) -> #name<T> {
            #name::<T>::from_params(params)
        }

        fn __fmt(
            #p: &[T; #params],
            f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            ::core::fmt::Debug::fmt(&#name::<T>::from_params(*#p), f)
        }

        fn __gradient_norms(#p: &[T; #params], norms: &mut [T])
        where
            T: ::backprop_core::Float,
        {
            let __norms = #name::<T>::from_params(*#p).gradient_norms();
            for (__slot, __norm) in ::core::iter::Iterator::zip(norms.iter_mut(), __norms) {
                *__slot = __norm;
            }
        }

        #[inline]
        fn __mark_alive(#trace_arg: &#trace<T>, #alive: &mut [bool]) {
            if let ::core::option::Option::Some(#alive) = #alive.first_chunk_mut() {
                #name::<T>::__mark_alive(#trace_arg, #alive);
            }
        }

        #[inline]
        fn __count_dead(#alive: &[bool], #dead: &mut [usize]) {
            if let (::core::option::Option::Some(#alive), ::core::option::Option::Some(#dead)) =
                (#alive.first_chunk(), #dead.first_chunk_mut())
            {
                *#dead = #name::<T>::__count_dead(#alive);
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
    let forward_body = forward::body(net);
    let backward_body = backward::body(net, Sink::Gradients);
    let fused_body = backward::body(net, Sink::Optimizer);
    let last_bindings = last.bindings();
    let trace_local = local("trace");
    let loss_expr = last.output_loss(&mixed!(#trace_local), LossCall::Value);
    let delta_expr = last.output_loss(&mixed!(#trace_local), LossCall::Delta);
    let (p, g, d_last) = (local("__p"), local("__g"), layer_local("d", last.number()));
    let upstream = local("upstream");
    let upstream_delta = last.upstream_delta(&mixed!(#trace_local), &upstream);
    let bounds = bounds(net);
    let protocol = Protocol {
        params: mixed!(#p_len),
        inputs: mixed!(#inputs),
        outputs: mixed!(#outputs),
        trace: mixed!(#trace),
        forward_trace: forward_body,
        forward: forward::inference(net),
        trace_loss: mixed! {
            #last_bindings
            #loss_expr
        },
        backward: mixed! {
            #last_bindings
            let __loss = #loss_expr;
            let __delta = #delta_expr;
            (__loss, #name::<T>::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(#p, #trace_local, __delta, #g))
        },
        backward_upstream: mixed! {
            #last_bindings
            let __delta = #upstream_delta;
            #name::<T>::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(#p, #trace_local, __delta, #g)
        },
        update: mixed! {
            #last_bindings
            let __loss = #loss_expr;
            let __delta = #delta_expr;
            (
                __loss,
                #name::<T>::__update_from_delta::<O, PO, INPUT_GRAD>(#p, #trace_local, __delta, optimizer, __base),
            )
        },
        update_upstream: mixed! {
            #last_bindings
            let __delta = #upstream_delta;
            #name::<T>::__update_from_delta::<O, PO, INPUT_GRAD>(#p, #trace_local, __delta, optimizer, __base)
        },
        with_seed: train::seeded(net),
    }
    .part_impl(name, &bounds);
    let allows = generated_allows();
    mixed! {
        #protocol

        #allows
        impl<T: ::backprop_core::Scalar> #name<T> #bounds {
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
