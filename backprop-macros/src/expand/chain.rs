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

use super::backward::Sink;
use super::items::Facts;
use super::{Protocol, layer_local, lit, local, point_methods_at};
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

/// `<path<f32>>::CONST`, braced so it can stand as a const generic argument.
fn part_const(path: &syn::Path, name: &str) -> TokenStream {
    let name = Ident::new(name, Span::mixed_site());
    let ty = of(path, &mixed!(f32));
    mixed!({ <#ty>::#name })
}

/// `{ <A<f32>>::NAME + <B<f32>>::NAME + ... }` over `parts`.
fn sum(parts: &[(syn::Path, Span)], name: &str) -> TokenStream {
    let name = Ident::new(name, Span::mixed_site());
    let terms = parts.iter().map(|(p, _)| {
        let ty = of(p, &mixed!(f32));
        mixed!(<#ty>::#name)
    });
    mixed!({ 0 #(+ #terms)* })
}

/// Every item of a chain.
pub fn expand(chain: &Chain) -> TokenStream {
    let Chain {
        attrs,
        vis,
        name,
        parts,
    } = chain;
    let trace = format_ident!("{}Trace", name);
    let (Some((first, _)), Some((last, _))) = (parts.first(), parts.last()) else {
        return mixed!(::core::compile_error!("a chain needs two networks"));
    };
    let inputs = part_const(first, "INPUTS");
    let outputs = part_const(last, "OUTPUTS");
    let last_t = of_t(last);
    let params = sum(parts, "PARAMS");
    let layers = sum(parts, "LAYERS");
    let k = parts.len();
    let field = |j: usize| format_ident!("part{}", j + 1, span = Span::mixed_site());
    let offset = |j: usize| sum(&parts[..j], "PARAMS");

    // Where part j's outputs feed part j + 1, the widths must agree.
    // Spanned at the user's `=>`, so the one error a mismatch causes points
    // there. Everything else passes values between parts through
    // `__private::link`, which compiles for any widths, so a mismatch adds no
    // follow-on type errors.
    let width_checks = parts.windows(2).map(|pair| {
        let ((before, _), (after, arrow)) = (&pair[0], &pair[1]);
        let (before, after) = (of(before, &mixed!(f32)), of(after, &mixed!(f32)));
        let (before_outputs, after_inputs) = (
            quote_spanned!(*arrow=> { <#before>::OUTPUTS }),
            quote_spanned!(*arrow=> { <#after>::INPUTS }),
        );
        quote_spanned! {*arrow=>
            const _: () = ::backprop_core::__private::chain_widths::<
                #before_outputs,
                #after_inputs,
            >();
        }
    });
    let link = |from: TokenStream, to: TokenStream, value: TokenStream| mixed!(::backprop_core::__private::link::<T, #from, #to>(#value));

    let trace_fields = parts.iter().enumerate().map(|(j, (path, _))| {
        let (f, tp) = (field(j), trace_of(path));
        let doc = format!("The forward trace of part {} of the chain.", j + 1);
        mixed! {
            #[doc = #doc]
            pub #f: #tp,
        }
    });
    let last_field = field(k - 1);

    let segment = |j: usize, of: &TokenStream, mutable: bool| {
        let (at, n) = (offset(j), part_const(&parts[j].0, "PARAMS"));
        if mutable {
            mixed!(::backprop_core::__private::segment_mut::<T, #params, #at, #n>(#of))
        } else {
            mixed!(::backprop_core::__private::segment::<T, #params, #at, #n>(#of))
        }
    };
    let (p, g) = (local("__p"), local("__g"));
    let (p_ref, g_ref) = (mixed!(#p), mixed!(#g));
    let trace_local = local("trace");

    let forward_steps = parts.iter().enumerate().map(|(j, (path, _))| {
        let path_t = of_t(path);
        let t = layer_local("t", j + 1);
        let seg = segment(j, &p_ref, false);
        let input = if j == 0 {
            mixed!(input)
        } else {
            let prev = layer_local("t", j);
            let (out, inp) = (
                part_const(&parts[j - 1].0, "OUTPUTS"),
                part_const(path, "INPUTS"),
            );
            link(out, inp, mixed!(#prev.output()))
        };
        mixed!(let #t = <#path_t>::__forward_trace(#seg, #input);)
    });
    let forward_fields = (0..k).map(|j| {
        let (f, t) = (field(j), layer_local("t", j + 1));
        mixed!(#f: #t,)
    });

    // Backward and the fused update: one walk from the last part to the
    // first, the last from the loss or the upstream gradient, each earlier
    // part from the input gradient of the one after it, every part writing
    // into the sink (its slice of the gradients, or the optimizer at its
    // offset in the chain's order).
    let walk = |sink: Sink, from_loss: bool| {
        let mut out = TokenStream::new();
        for j in (0..k).rev() {
            let path = &parts[j].0;
            let path_t = of_t(path);
            let (f, up) = (field(j), layer_local("up", j + 1));
            let want_input = if j == 0 {
                mixed!(INPUT_GRAD)
            } else {
                mixed!(true)
            };
            let upstream = if j == k - 1 {
                mixed!(upstream)
            } else {
                let next = layer_local("up", j + 2);
                let (from, to) = (
                    part_const(&parts[j + 1].0, "INPUTS"),
                    part_const(path, "OUTPUTS"),
                );
                link(from, to, mixed!(&#next))
            };
            let at = offset(j);
            let seen = mixed!(&#trace_local.#f);
            let (mut call, binding) = match (sink, j == k - 1 && from_loss) {
                (Sink::Gradients, true) => {
                    let (p, g) = (segment(j, &p_ref, false), segment(j, &g_ref, true));
                    (
                        mixed!(__backward::<L, #want_input, ACCUMULATE>(#p, #seen, target, loss, #g)),
                        true,
                    )
                }
                (Sink::Gradients, false) => {
                    let (p, g) = (segment(j, &p_ref, false), segment(j, &g_ref, true));
                    (
                        mixed!(__backward_upstream::<#want_input, ACCUMULATE>(#p, #seen, #upstream, #g)),
                        false,
                    )
                }
                (Sink::Optimizer, true) => {
                    let p = segment(j, &p_ref, true);
                    (
                        mixed!(__update::<L, O, PO, #want_input>(#p, #seen, target, loss, optimizer, __base + #at)),
                        true,
                    )
                }
                (Sink::Optimizer, false) => {
                    let p = segment(j, &p_ref, true);
                    (
                        mixed!(__update_upstream::<O, PO, #want_input>(#p, #seen, #upstream, optimizer, __base + #at)),
                        false,
                    )
                }
            };
            call = mixed!(<#path_t>::#call);
            out.extend(if binding {
                mixed!(let (__loss, #up) = #call;)
            } else {
                mixed!(let #up = #call;)
            });
        }
        out
    };
    let from_loss = walk(Sink::Gradients, true);
    let from_upstream = walk(Sink::Gradients, false);
    let update_from_loss = walk(Sink::Optimizer, true);
    let update_from_upstream = walk(Sink::Optimizer, false);
    let up1 = layer_local("up", 1);
    let protocol = Protocol {
        params: params.clone(),
        inputs: inputs.clone(),
        outputs: outputs.clone(),
        trace: mixed!(#trace),
        forward_trace: mixed! {
            #(#forward_steps)*
            #trace { #(#forward_fields)* }
        },
        trace_loss: mixed!(<#last_t>::__trace_loss(&#trace_local.#last_field, target, loss)),
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
    }
    .methods();

    let part_views = parts.iter().enumerate().map(|(j, (path, _))| {
        let path_t = of_t(path);
        let f = field(j);
        let fp = format_ident!("part{}_params", j + 1);
        let n = part_const(path, "PARAMS");
        let at = offset(j);
        let doc = format!(
            "Part {} of the chain, `{}`, as a network of its own (a copy of its parameters).",
            j + 1,
            quote::ToTokens::to_token_stream(path).to_string().replace(' ', "")
        );
        let doc_params = format!("The parameters of part {} of the chain.", j + 1);
        mixed! {
            #[doc = #doc]
            #[must_use]
            pub fn #f(&self) -> #path_t
            where
                T: ::core::marker::Copy,
            {
                <#path_t>::from_params(*::backprop_core::__private::segment::<T, #params, #at, #n>(&self.params))
            }

            #[doc = #doc_params]
            #[must_use]
            pub fn #fp(&self) -> &[T; #n] {
                ::backprop_core::__private::segment::<T, #params, #at, #n>(&self.params)
            }
        }
    });
    let debug_fields = (0..k).map(|j| {
        let f = field(j);
        let s = f.to_string();
        mixed!(.field(#s, &self.#f()))
    });
    let seeds = parts.iter().enumerate().map(|(j, (path, _))| {
        let path_t = of_t(path);
        let params_local = local("__params");
        let seg = segment(j, &mixed!(&mut #params_local), true);
        let salt = j as u64;
        mixed! {
            *#seg = <#path_t>::with_seed(seed.wrapping_add(#salt)).into_params();
        }
    });
    let norms = (0..k).map(|j| {
        let f = field(j);
        mixed! {
            for (__slot, __norm) in ::core::iter::Iterator::zip(&mut __slots, self.#f().gradient_norms()) {
                *__slot = __norm;
            }
        }
    });

    let spec = chain.spec();
    let lead = if attrs.iter().any(|a| a.path().is_ident("doc")) {
        String::new()
    } else {
        format!("A chain of networks `{spec}`.")
    };
    let (texts, part_layers): (Vec<_>, Vec<_>) = parts
        .iter()
        .map(|(p, _)| {
            let ty = of(p, &mixed!(f32));
            (
                part_const(p, "ARCHITECTURE"),
                mixed!(<#ty>::summary().layers),
            )
        })
        .unzip();
    let (parts_const, len_const, text_const) = (local("__PARTS"), local("__LEN"), local("__TEXT"));
    let trace_fields = trace_fields.collect::<TokenStream>();
    let part_views = part_views.collect::<TokenStream>();
    let debug_fields = debug_fields.collect::<TokenStream>();
    let facts = Facts {
        attrs: attrs.clone(),
        vis: vis.clone(),
        name: name.clone(),
        trace: trace.clone(),
        what: "chain",
        inputs: inputs.clone(),
        outputs: outputs.clone(),
        params: params.clone(),
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
        trace_fields,
        trace_output: mixed!(self.#last_field.output()),
        views: part_views,
        debug_fields,
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
        blob_len: Box::new({
            let params = params.clone();
            move |size| {
                let doc = format!(
                    "its parameters (the parts' together) of {size} bytes and a 4-byte CRC-32."
                );
                let size_lit = lit(size);
                (
                    mixed!({ ::backprop_core::weights::encoded_len(#params, #size_lit) }),
                    doc,
                )
            }
        }),
    };
    let dead = dead_units(chain, &inputs, &layers);
    let mut items = super::items::items(&facts);
    items.extend(mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> {
            /// A chain whose parts are each initialised from `seed` (part `k`
            /// from `seed + k - 1`), as their own `with_seed` does.
            #[must_use]
            pub fn with_seed(seed: u64) -> Self {
                let mut __params = [<T as ::backprop_core::Scalar>::ZERO; #params];
                #(#seeds)*
                Self::from_params(__params)
            }

            /// The Euclidean norm of each layer's parameters, part by part.
            #[must_use]
            pub fn gradient_norms(&self) -> [T; #layers] {
                let mut __out = [<T as ::backprop_core::Scalar>::ZERO; #layers];
                let mut __slots = __out.iter_mut();
                #(#norms)*
                __out
            }

            #protocol
        }

        #dead
    });
    let mut out: TokenStream = width_checks.collect();
    out.extend(point_methods_at(items, name.span()));
    super::with_definition_attrs(out, attrs)
}

/// `dead_relu_units` of a chain, and the hidden helpers a chain of chains
/// calls: one flag per unit of every layer (`__UNITS`, the parts' together),
/// each part marking and counting its slice through its own helpers.
fn dead_units(chain: &Chain, inputs: &TokenStream, layers: &TokenStream) -> TokenStream {
    let name = &chain.name;
    let parts = &chain.parts;
    let trace_ty = format_ident!("{}Trace", name);
    let units = sum(parts, "__UNITS");
    let (alive, trace, counts) = (local("__alive"), local("__trace"), local("__dead"));
    let marks = parts.iter().enumerate().map(|(j, (path, _))| {
        let path_t = of_t(path);
        let f = format_ident!("part{}", j + 1, span = Span::mixed_site());
        let (at, n) = (sum(&parts[..j], "__UNITS"), part_const(path, "__UNITS"));
        mixed! {
            <#path_t>::__mark_alive(
                &#trace.#f,
                ::backprop_core::__private::segment_mut::<bool, #units, #at, #n>(#alive),
            );
        }
    });
    let tallies = parts.iter().enumerate().map(|(j, (path, _))| {
        let path_t = of_t(path);
        let (at, n) = (sum(&parts[..j], "__UNITS"), part_const(path, "__UNITS"));
        let (lat, ln) = (sum(&parts[..j], "LAYERS"), part_const(path, "LAYERS"));
        mixed! {
            *::backprop_core::__private::segment_mut::<usize, #layers, #lat, #ln>(&mut #counts) =
                <#path_t>::__count_dead(
                    ::backprop_core::__private::segment::<bool, #units, #at, #n>(#alive),
                );
        }
    });
    mixed! {
        impl<T> #name<T> {
            #[doc(hidden)]
            pub const __UNITS: usize = #units;
        }

        impl<T: ::backprop_core::Scalar> #name<T> {
            /// For each layer, part by part, how many `ReLU` units are dead on
            /// `inputs`: their pre-activation is `<= 0` for every input (each
            /// part seeing what the parts before it output), so they output 0
            /// and pass no gradient back. Layers with other activations count
            /// 0; on an empty slice every `ReLU` unit counts as dead.
            #[must_use]
            pub fn dead_relu_units(&self, inputs: &[[T; #inputs]]) -> [usize; #layers] {
                let mut #alive = [false; #units];
                for input in inputs {
                    Self::__mark_alive(&self.forward_trace(input), &mut #alive);
                }
                Self::__count_dead(&#alive)
            }

            #[doc(hidden)]
            #[inline]
            pub fn __mark_alive(#trace: &#trace_ty<T>, #alive: &mut [bool; #units]) {
                #(#marks)*
            }

            #[doc(hidden)]
            #[inline]
            #[must_use]
            pub fn __count_dead(#alive: &[bool; #units]) -> [usize; #layers] {
                let mut #counts = [0_usize; #layers];
                #(#tallies)*
                #counts
            }
        }
    }
}
