//! A chain of networks, `struct AB: A => B;`.
//!
//! The macro cannot see `A` and `B` (they were declared by other
//! invocations), so every width and count is a const expression over their
//! associated consts, `{ <A<f32>>::PARAMS + <B<f32>>::PARAMS }`, which the
//! compiler evaluates. The chain owns one flat parameter array, the parts'
//! arrays one after the other, and runs each part's generated passes on its
//! slice of it: no copy, and the same code as the parts alone. Where one
//! part's outputs meet the next one's inputs, a bound that only holds for
//! equal widths makes a mismatch a compile error at the user's `=>`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote_spanned};

use super::items::Facts;
use super::{Protocol, layer_local, local, point_methods_at};
use crate::layer::Sink;
use crate::model::Chain;

/// A part's type with the scalar `scalar`: `<A as NetworkFamily>::Of<T>`,
/// `A<T>` for a network or a chain, spanned at the user's path. Every use of
/// a part goes through this projection, so a part that is not a network is
/// one error at its path (`NetworkFamily`'s `on_unimplemented` message),
/// which the compiler reports once however often the part is used.
fn of(path: &syn::Path, scalar: &TokenStream) -> TokenStream {
    let span = syn::spanned::Spanned::span(path);
    quote_spanned!(span=> <#path as ::backprop_core::__private::NetworkFamily>::Of<#scalar>)
}

/// A part's trace type, `<A as NetworkFamily>::TraceOf<T>`.
fn trace_of(path: &syn::Path) -> TokenStream {
    let span = syn::spanned::Spanned::span(path);
    let t = local("T");
    quote_spanned!(span=> <#path as ::backprop_core::__private::NetworkFamily>::TraceOf<#t>)
}

/// `A<T>` as a part's type in the generated code's scalar `T`.
fn of_t(path: &syn::Path) -> TokenStream {
    of(path, &mixed!(T))
}

/// `<A as NetworkFamily>::CONST`, spanned at the user's path. Every const
/// of a part is read through the trait, never as an inherent const of
/// `A<T>`: a part that is not a network then fails the one bound
/// `A: NetworkFamily`, at its path, however often its consts are used.
fn family_const(path: &syn::Path, name: &str) -> TokenStream {
    let span = syn::spanned::Spanned::span(path);
    let name = Ident::new(name, span);
    quote_spanned!(span=> <#path as ::backprop_core::__private::NetworkFamily>::#name)
}

/// A part's const, braced so it can stand as a const generic argument.
fn part_const(path: &syn::Path, name: &str) -> TokenStream {
    let value = family_const(path, name);
    mixed!({ #value })
}

/// `{ 0 + <A as NetworkFamily>::NAME + ... }` over `parts`.
fn sum(parts: &[(syn::Path, Span)], name: &str) -> TokenStream {
    let terms = parts.iter().map(|(p, _)| family_const(p, name));
    mixed!({ 0 #(+ #terms)* })
}

/// What every generator of a chain's items reads: its parts and the const
/// expressions over them.
struct Parts<'a> {
    /// The chain.
    chain: &'a Chain,
    /// Its trace type.
    trace: Ident,
    /// The input width, the first part's.
    inputs: TokenStream,
    /// The output width, the last part's.
    outputs: TokenStream,
    /// The parameter count, the parts' together.
    params: TokenStream,
    /// The layer count, the parts' together.
    layers: TokenStream,
}

impl Parts<'_> {
    /// The number of parts.
    fn len(&self) -> usize {
        self.chain.parts.len()
    }

    /// Part `j`'s path.
    fn path(&self, j: usize) -> &syn::Path {
        &self.chain.parts[j].0
    }

    /// `partN`, the trace field and view of part `j`.
    fn field(j: usize) -> Ident {
        format_ident!("part{}", j + 1, span = Span::mixed_site())
    }

    /// `Part<T, IN, OUT, P>` with part `j`'s widths and count.
    fn part_trait(&self, j: usize) -> TokenStream {
        let path = self.path(j);
        let (i, o, p) = (
            part_const(path, "INPUTS"),
            part_const(path, "OUTPUTS"),
            part_const(path, "PARAMS"),
        );
        super::part_trait(&i, &o, &p)
    }

    /// `<A as Part<..>>`, through which part `j`'s passes are called.
    fn part(&self, j: usize) -> TokenStream {
        let path = self.path(j);
        let (span, part) = (syn::spanned::Spanned::span(path), self.part_trait(j));
        quote_spanned!(span=> <#path as #part>)
    }

    /// `where A: Part<T, ..>, B: Part<T, ..>`, each part as written (the
    /// trait is implemented on the whole family, `A<S>` for any `S`): what
    /// every impl that runs the parts' passes needs.
    fn bounds(&self) -> TokenStream {
        let bounds = (0..self.len()).map(|j| {
            let path = self.path(j);
            let (span, part) = (syn::spanned::Spanned::span(path), self.part_trait(j));
            quote_spanned!(span=> #path: #part)
        });
        mixed!(where #(#bounds),*)
    }

    /// Where part `j`'s parameters start in the chain's.
    fn offset(&self, j: usize) -> TokenStream {
        sum(&self.chain.parts[..j], "PARAMS")
    }

    /// Part `j`'s slice of the chain-sized array `of`.
    fn segment(&self, j: usize, of: &TokenStream, mutable: bool) -> TokenStream {
        let (params, at, n) = (
            &self.params,
            self.offset(j),
            part_const(self.path(j), "PARAMS"),
        );
        if mutable {
            mixed!(::backprop_core::__private::segment_mut::<T, #params, #at, #n>(#of))
        } else {
            mixed!(::backprop_core::__private::segment::<T, #params, #at, #n>(#of))
        }
    }

    /// The outputs of part `j - 1` as the inputs of part `j` (`forward`), or
    /// the input gradient of part `j + 1` as the upstream gradient of part `j`.
    /// `__private::link` compiles for any widths, so a width mismatch is the
    /// one error of the check at the `=>`.
    fn link(
        &self,
        from_part: usize,
        from: &str,
        to_part: usize,
        to: &str,
        value: TokenStream,
    ) -> TokenStream {
        let (from, to) = (
            part_const(self.path(from_part), from),
            part_const(self.path(to_part), to),
        );
        mixed!(::backprop_core::__private::link::<T, #from, #to>(#value))
    }
}

/// Every item of a chain.
pub fn expand(chain: &Chain) -> TokenStream {
    let (Some((first, _)), Some((last, _))) = (chain.parts.first(), chain.parts.last()) else {
        return mixed!(::core::compile_error!("a chain needs two networks"));
    };
    let parts = Parts {
        chain,
        trace: format_ident!("{}Trace", chain.name),
        inputs: part_const(first, "INPUTS"),
        outputs: part_const(last, "OUTPUTS"),
        params: sum(&chain.parts, "PARAMS"),
        layers: sum(&chain.parts, "LAYERS"),
    };
    let mut items = super::items::items(&facts(&parts));
    items.extend(seeds_and_norms(&parts));
    let mut out = width_checks(chain);
    out.extend(point_methods_at(items, chain.name.span()));
    super::with_definition_attrs(out, &chain.attrs)
}

/// Where part j's outputs feed part j + 1, the widths must agree: a check
/// spanned at the user's `=>`, so the one error a mismatch causes points
/// there.
fn width_checks(chain: &Chain) -> TokenStream {
    let stateless = chain.parts.iter().map(|(part, _)| {
        let span = syn::spanned::Spanned::span(part);
        quote_spanned! {span=>
            const _: () = ::backprop_core::__private::chain_part::<
                { <#part as ::backprop_core::__private::NetworkFamily>::RECURRENT },
            >();
        }
    });
    let stateless: TokenStream = stateless.collect();
    let widths: TokenStream = chain
        .parts
        .windows(2)
        .map(|pair| {
            let ((before, _), (after, arrow)) = (&pair[0], &pair[1]);
            let (before_outputs, after_inputs) = (
                quote_spanned!(*arrow=> { <#before as ::backprop_core::__private::NetworkFamily>::OUTPUTS }),
                quote_spanned!(*arrow=> { <#after as ::backprop_core::__private::NetworkFamily>::INPUTS }),
            );
            quote_spanned! {*arrow=>
                const _: () = ::backprop_core::__private::chain_widths::<
                    #before_outputs,
                    #after_inputs,
                >();
            }
        })
        .collect();
    mixed!(#stateless #widths)
}

/// The hidden passes: each part's on its slice of the parameters, one
/// after the other.
fn protocol(parts: &Parts) -> TokenStream {
    let k = parts.len();
    let (p, trace, trace_local) = (local("__p"), &parts.trace, local("trace"));
    let forward_steps = (0..k).map(|j| {
        let part = parts.part(j);
        let t = layer_local("t", j + 1);
        let seg = parts.segment(j, &mixed!(#p), false);
        let input = if j == 0 {
            mixed!(input)
        } else {
            let prev = layer_local("t", j);
            parts.link(j - 1, "OUTPUTS", j, "INPUTS", mixed!(#prev.output()))
        };
        mixed!(let #t = #part::__forward_trace(#seg, #input);)
    });
    let forward_fields = (0..k).map(|j| {
        let (f, t) = (Parts::field(j), layer_local("t", j + 1));
        mixed!(#f: #t,)
    });
    let (last_part, last_field) = (parts.part(k - 1), Parts::field(k - 1));
    let up1 = layer_local("up", 1);
    let [
        from_loss,
        from_upstream,
        update_from_loss,
        update_from_upstream,
    ] = [
        (Sink::Gradients, true),
        (Sink::Gradients, false),
        (Sink::Optimizer, true),
        (Sink::Optimizer, false),
    ]
    .map(|(sink, loss)| walk(parts, sink, loss));
    let chain_part = super::part_trait(&parts.inputs, &parts.outputs, &parts.params);
    Protocol {
        params: parts.params.clone(),
        inputs: parts.inputs.clone(),
        outputs: parts.outputs.clone(),
        trace: mixed!(#trace),
        forward_trace: mixed! {
            #(#forward_steps)*
            #trace { #(#forward_fields)* }
        },
        forward: mixed! {
            *output = *<Self as #chain_part>::__forward_trace(#p, input).output();
        },
        trace_loss: mixed!(#last_part::__trace_loss(&#trace_local.#last_field, target, loss)),
        backward: mixed! {
            #from_loss
            (__loss, #up1)
        },
        backward_upstream: mixed! {
            #from_upstream
            #up1
        },
        update: mixed! {
            #update_from_loss
            (__loss, #up1)
        },
        update_upstream: mixed! {
            #update_from_upstream
            #up1
        },
        with_seed: seeded(parts),
    }
    .part_impl(&parts.chain.name, &parts.bounds())
}

/// Backward and the fused update: one walk from the last part to the
/// first, the last from the loss (`from_loss`) or the upstream gradient,
/// each earlier part from the input gradient of the one after it, every
/// part writing into the sink (its slice of the gradients, or the optimizer
/// at its offset in the chain's order).
fn walk(parts: &Parts, sink: Sink, from_loss: bool) -> TokenStream {
    let k = parts.len();
    let (p, g, trace_local) = (local("__p"), local("__g"), local("trace"));
    let (p_ref, g_ref) = (mixed!(#p), mixed!(#g));
    let mut out = TokenStream::new();
    for j in (0..k).rev() {
        let part = parts.part(j);
        let (f, up) = (Parts::field(j), layer_local("up", j + 1));
        let want_input = if j == 0 {
            mixed!(INPUT_GRAD)
        } else {
            mixed!(true)
        };
        let upstream = if j == k - 1 {
            mixed!(upstream)
        } else {
            let next = layer_local("up", j + 2);
            parts.link(j + 1, "INPUTS", j, "OUTPUTS", mixed!(&#next))
        };
        let at = parts.offset(j);
        let seen = mixed!(&#trace_local.#f);
        let with_loss = j == k - 1 && from_loss;
        let call = match (sink, with_loss) {
            (Sink::Gradients, true) => {
                let (p, g) = (
                    parts.segment(j, &p_ref, false),
                    parts.segment(j, &g_ref, true),
                );
                mixed!(__backward::<L, #want_input, ACCUMULATE>(#p, #seen, target, loss, #g))
            }
            (Sink::Gradients, false) => {
                let (p, g) = (
                    parts.segment(j, &p_ref, false),
                    parts.segment(j, &g_ref, true),
                );
                mixed!(__backward_upstream::<#want_input, ACCUMULATE>(#p, #seen, #upstream, #g))
            }
            (Sink::Optimizer, true) => {
                let p = parts.segment(j, &p_ref, true);
                mixed!(__update::<L, O, PO, #want_input>(#p, #seen, target, loss, optimizer, __base + #at))
            }
            (Sink::Optimizer, false) => {
                let p = parts.segment(j, &p_ref, true);
                mixed!(__update_upstream::<O, PO, #want_input>(#p, #seen, #upstream, optimizer, __base + #at))
            }
        };
        out.extend(if with_loss {
            mixed!(let (__loss, #up) = #part::#call;)
        } else {
            mixed!(let #up = #part::#call;)
        });
    }
    out
}

/// `partN()` (a part as a network of its own) and `partN_params()`.
fn part_views(parts: &Parts) -> TokenStream {
    let params = &parts.params;
    (0..parts.len())
        .map(|j| {
            let path = parts.path(j);
            let (path_t, part) = (of_t(path), parts.part(j));
            let f = Parts::field(j);
            let fp = format_ident!("part{}_params", j + 1);
            let n = part_const(path, "PARAMS");
            let at = parts.offset(j);
            let doc = format!(
                "Part {} of the chain, `{}`, as a network of its own (a copy of its parameters).",
                j + 1,
                quote::ToTokens::to_token_stream(path).to_string().replace(' ', "")
            );
            let doc_params = format!("The parameters of part {} of the chain.", j + 1);
            mixed! {
                #[doc = #doc]
                #[must_use]
                pub fn #f(&self) -> #path_t {
                    #part::__from_params(*::backprop_core::__private::segment::<T, #params, #at, #n>(&self.params))
                }

                #[doc = #doc_params]
                #[must_use]
                pub fn #fp(&self) -> &[T; #n] {
                    ::backprop_core::__private::segment::<T, #params, #at, #n>(&self.params)
                }
            }
        })
        .collect()
}

/// The body of `__with_seed`: part `k` from `seed + k - 1`, each as its own
/// `with_seed` does.
fn seeded(parts: &Parts) -> TokenStream {
    let params = &parts.params;
    let params_local = local("__params");
    let seeds = (0..parts.len()).map(|j| {
        let part = parts.part(j);
        let seg = parts.segment(j, &mixed!(&mut #params_local), true);
        let salt = j as u64;
        mixed! {
            *#seg = #part::__with_seed(seed.wrapping_add(#salt));
        }
    });
    mixed! {
        let mut #params_local = [<T as ::backprop_core::Scalar>::ZERO; #params];
        #(#seeds)*
        #params_local
    }
}

/// `with_seed` and `gradient_norms`, part by part, and the hidden passes.
fn seeds_and_norms(parts: &Parts) -> TokenStream {
    let Parts { chain, layers, .. } = parts;
    let name = &chain.name;
    let norms = (0..parts.len()).map(|j| {
        let (path, part) = (parts.path(j), parts.part(j));
        let (p, lp) = (
            parts.segment(j, &mixed!(&self.params), false),
            part_const(path, "LAYERS"),
        );
        let at = sum(&chain.parts[..j], "LAYERS");
        mixed! {
            #part::__gradient_norms(
                #p,
                ::backprop_core::__private::segment_mut::<T, #layers, #at, #lp>(&mut __out),
            );
        }
    });
    let views = part_views(parts);
    let (protocol, bounds) = (protocol(parts), parts.bounds());
    let part = super::part_trait(&parts.inputs, &parts.outputs, &parts.params);
    mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> #bounds {
            /// A chain whose parts are each initialised from `seed` (part `k`
            /// from `seed + k - 1`), as their own `with_seed` does.
            #[must_use]
            pub fn with_seed(seed: u64) -> Self {
                Self::from_params(<Self as #part>::__with_seed(seed))
            }

            #views
        }

        impl<T: ::backprop_core::Float> #name<T> #bounds {
            /// The Euclidean norm of each layer's parameters, part by part.
            #[must_use]
            pub fn gradient_norms(&self) -> [T; #layers] {
                let mut __out = [<T as ::backprop_core::Scalar>::ZERO; #layers];
                #(#norms)*
                __out
            }
        }

        #protocol
    }
}

/// What the shared items (`items.rs`) need to know of a chain: const
/// expressions over its parts' consts.
fn facts(parts: &Parts) -> Facts {
    let Parts { chain, trace, .. } = parts;
    let name = &chain.name;
    let k = parts.len();
    let spec = chain.spec();
    let lead = if chain.attrs.iter().any(|a| a.path().is_ident("doc")) {
        String::new()
    } else {
        format!("A chain of networks `{spec}`.")
    };
    let trace_fields = (0..k).map(|j| {
        let (f, tp) = (Parts::field(j), trace_of(parts.path(j)));
        let doc = format!("The forward trace of part {} of the chain.", j + 1);
        mixed! {
            #[doc = #doc]
            pub #f: #tp,
        }
    });
    let debug_fields = (0..k).map(|j| {
        let f = Parts::field(j);
        let s = f.to_string();
        let (part, p) = (
            parts.part(j),
            parts.segment(j, &mixed!(&self.params), false),
        );
        mixed!(.field(#s, &::backprop_core::__private::fmt_with(|f| #part::__fmt(#p, f))))
    });
    let (texts, part_layers): (Vec<_>, Vec<_>) = chain
        .parts
        .iter()
        .map(|(p, _)| {
            (
                family_const(p, "ARCHITECTURE"),
                family_const(p, "LAYER_INFO"),
            )
        })
        .unzip();
    let (parts_const, len_const, text_const) = (local("__PARTS"), local("__LEN"), local("__TEXT"));
    let (last_field, layers) = (Parts::field(k - 1), &parts.layers);
    let (units, mark_alive, count_dead) = dead_units(parts);
    Facts {
        attrs: chain.attrs.clone(),
        vis: chain.vis.clone(),
        name: name.clone(),
        trace: trace.clone(),
        bounds: parts.bounds(),
        what: "chain",
        inputs: parts.inputs.clone(),
        outputs: parts.outputs.clone(),
        params: parts.params.clone(),
        layers: layers.clone(),
        doc: format!(
            "{lead}\n\n# Architecture\n\nA chain of networks, `{spec}`, declared with \
             `backprop_core::network!`: each part's outputs feed the next part's inputs. \
             The parameters are the parts' parameter arrays one after the other."
        ),
        const_docs: [
            "The input width: the first part's.".to_owned(),
            "The output width: the last part's.".to_owned(),
            "The number of parameters: the parts' together.".to_owned(),
            "The number of layers: the parts' together.".to_owned(),
        ],
        trace_doc: format!(
            "Every value of one forward pass of [`{name}`], part by part. Made by \
             [`{name}::forward_trace`]."
        ),
        trace_fields: trace_fields.collect(),
        trace_output: mixed!(self.#last_field.output()),
        views: TokenStream::new(),
        debug_fields: debug_fields.collect(),
        debug_generics: mixed!(T: ::backprop_core::Scalar),
        debug_bounds: parts.bounds(),
        architecture: mixed! {{
            const #parts_const: &[&str] = &[#(#texts),*];
            const #len_const: usize = ::backprop_core::__private::chain_text_len(#parts_const);
            const #text_const: &[u8; #len_const] =
                &::backprop_core::__private::chain_text::<#len_const>(#parts_const);
            ::backprop_core::__private::utf8(#text_const)
        }},
        architecture_doc: format!(
            "The canonical text of the chain `{spec}`: each part's own `ARCHITECTURE` in \
             parentheses, joined by `\" => \"`, e.g. `(1 => 4 ReLU) => (4 => 2 Sigmoid => 1 Linear)`. \
             Its CRC-32 is [`Self::FINGERPRINT`]. No network's text starts with `(`, and \
             chains of other parts, another order or another nesting have other texts, so \
             their weights blobs are refused here and this chain's are refused by them."
        ),
        summary_layers: mixed! {
            &::backprop_core::__private::chain_layers::<#layers>(&[#(#part_layers),*])
        },
        summary_doc: format!(
            "A table of the layers of the chain `{spec}`: its parts' layers one after the \
             other, numbered through, then the totals, parameter bytes and trace bytes, \
             as a network's `summary()` gives. Print it with \
             `println!(\"{{}}\", {name}::<f32>::summary())`."
        ),
        params_doc: "its parameters (the parts' together)".to_owned(),
        units,
        mark_alive,
        count_dead,
        dead_doc: "For each layer, part by part, how many `ReLU` units are dead on `inputs`: \
                   their pre-activation is `<= 0` for every input (each part seeing what the \
                   parts before it output), so they output 0 and pass no gradient back. Layers \
                   with other activations count 0; on an empty slice every `ReLU` unit counts \
                   as dead."
            .to_owned(),
        window: None,
        recurrent: false,
    }
}

/// The dead-unit bookkeeping of a chain (see `items.rs`): its parts' units
/// together, and the bodies of `__mark_alive` and `__count_dead`, each part
/// marking and counting its slice through its own helpers.
fn dead_units(parts: &Parts) -> (TokenStream, TokenStream, TokenStream) {
    let chain_parts = &parts.chain.parts;
    let layers = &parts.layers;
    let units = sum(chain_parts, "UNITS");
    let (alive, trace, counts) = (local("__alive"), local("__trace"), local("__dead"));
    let marks = (0..parts.len()).map(|j| {
        let (path, part) = (parts.path(j), parts.part(j));
        let f = Parts::field(j);
        let (at, n) = (sum(&chain_parts[..j], "UNITS"), part_const(path, "UNITS"));
        mixed! {
            #part::__mark_alive(
                &#trace.#f,
                ::backprop_core::__private::segment_mut::<bool, #units, #at, #n>(#alive),
            );
        }
    });
    let tallies = (0..parts.len()).map(|j| {
        let (path, part) = (parts.path(j), parts.part(j));
        let (at, n) = (sum(&chain_parts[..j], "UNITS"), part_const(path, "UNITS"));
        let (lat, ln) = (sum(&chain_parts[..j], "LAYERS"), part_const(path, "LAYERS"));
        mixed! {
            #part::__count_dead(
                ::backprop_core::__private::segment::<bool, #units, #at, #n>(#alive),
                ::backprop_core::__private::segment_mut::<usize, #layers, #lat, #ln>(&mut #counts),
            );
        }
    });
    (
        units.clone(),
        mixed!(#(#marks)*),
        mixed! {
            let mut #counts = [0_usize; #layers];
            #(#tallies)*
            #counts
        },
    )
}
