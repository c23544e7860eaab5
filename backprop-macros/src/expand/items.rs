//! The items every network and every chain has, emitted once from the
//! facts both provide ([`Facts`]): the struct, the trace struct, the
//! associated consts and the parameter accessors, `Default` and `Debug`,
//! `ARCHITECTURE` and `FINGERPRINT`, `summary()`, serde, the byte methods,
//! `NetworkFamily`, and the inference and training methods of `train.rs`.
//!
//! A network of layers gives its facts as literals (`expand.rs`); a chain
//! as const expressions over its parts' consts (`chain.rs`). What differs
//! between them beyond that, their passes, views and diagnostics, each
//! emits itself.

use proc_macro2::{Ident, TokenStream};
use syn::{Attribute, Visibility};

use super::local;
use super::train;
use super::weights::byte_methods;

/// What the shared items need to know of a network or a chain.
pub struct Facts {
    /// The user's attributes, copied onto the struct.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The struct's name.
    pub name: Ident,
    /// The trace struct's name.
    pub trace: Ident,
    /// The where-clause of every impl that runs the passes: what the
    /// layers' code needs of `T` for a network (nothing yet beyond
    /// `T: Scalar`), each part's `Part` bound for a chain.
    pub bounds: TokenStream,
    /// `"network"` or `"chain"`, for the documentation.
    pub what: &'static str,
    /// The input width, a const expression.
    pub inputs: TokenStream,
    /// The output width, a const expression.
    pub outputs: TokenStream,
    /// The parameter count, a const expression.
    pub params: TokenStream,
    /// The layer count, a const expression.
    pub layers: TokenStream,
    /// The generated part of the struct's documentation.
    pub doc: String,
    /// The documentation of `INPUTS`, `OUTPUTS`, `PARAMS` and `LAYERS`.
    pub const_docs: [String; 4],
    /// The trace struct's documentation.
    pub trace_doc: String,
    /// The trace struct's fields.
    pub trace_fields: TokenStream,
    /// The body of the trace's `output()`: a `&[T; OUTPUTS]`.
    pub trace_output: TokenStream,
    /// More methods of `impl<T> Name<T>`: the layer or part views.
    pub views: TokenStream,
    /// `.field(..)` calls of the `Debug` impl.
    pub debug_fields: TokenStream,
    /// The `Debug` impl's generic parameter `T` with its bounds.
    pub debug_generics: TokenStream,
    /// The `Debug` impl's where-clause.
    pub debug_bounds: TokenStream,
    /// `ARCHITECTURE`'s value, a `&'static str` const expression.
    pub architecture: TokenStream,
    /// `ARCHITECTURE`'s documentation.
    pub architecture_doc: String,
    /// The value of `summary()`'s layer table, a const expression that
    /// coerces to `&'static [LayerInfo]`.
    pub summary_layers: TokenStream,
    /// `summary()`'s documentation.
    pub summary_doc: String,
    /// What the parameters are, for the documentation of the weights blob's
    /// length: `"21 parameters"`.
    pub params_doc: String,
    /// The number of units (neurons) of every layer together, a const
    /// expression: one flag each for `dead_relu_units`.
    pub units: TokenStream,
    /// The body of `__mark_alive(__trace, __alive)`: flags every `ReLU` unit
    /// whose pre-activation in `__trace` is positive.
    pub mark_alive: TokenStream,
    /// The body of `__count_dead(__alive)`: the dead units of each layer.
    pub count_dead: TokenStream,
    /// `dead_relu_units`'s documentation.
    pub dead_doc: String,
    /// A window input's channels and length: the inherent methods take
    /// `[[T; C]; LEN]` samples, while the passes and the `Network` impl take
    /// them flat. `None` for a vector input (and every chain).
    pub window: Option<(usize, usize)>,
    /// Whether a layer is recurrent: the network runs one time step at a
    /// time, cannot be a chain's part, and has no `FORWARD_STACK_BOUND` or
    /// `TRAIN_STACK_BOUND` (measured for networks without a state).
    pub recurrent: bool,
}

impl Facts {
    /// The type of one input sample in the inherent methods: `[T; IN]`, or
    /// `[[T; C]; LEN]` for a window.
    pub fn sample(&self) -> TokenStream {
        match self.window {
            Some((channels, len)) => {
                let (c, len) = (super::lit(channels), super::lit(len));
                mixed!([[T; #c]; #len])
            }
            None => {
                let i = &self.inputs;
                mixed!([T; #i])
            }
        }
    }

    /// `input`, a `&sample`, as the flat `&[T; IN]` the passes take.
    pub fn flat(&self, input: &TokenStream) -> TokenStream {
        self.convert(input, "flat")
    }

    /// `inputs`, a `&[sample]`, as flat `&[[T; IN]]`.
    pub fn flat_all(&self, inputs: &TokenStream) -> TokenStream {
        self.convert(inputs, "flat_all")
    }

    /// `input`, a flat `&[T; IN]`, as a `&sample`.
    pub fn unflat(&self, input: &TokenStream) -> TokenStream {
        self.convert(input, "window")
    }

    /// `value` through the runtime's `signal::{how}` for a window; as it is
    /// for a vector.
    fn convert(&self, value: &TokenStream, how: &str) -> TokenStream {
        let Some((channels, len)) = self.window else {
            return value.clone();
        };
        let (c, len, n) = (super::lit(channels), super::lit(len), &self.inputs);
        let how = local(how);
        mixed!(::backprop_core::__private::signal::#how::<T, #c, #len, #n>(#value))
    }
}

/// Every shared item.
pub fn items(facts: &Facts) -> TokenStream {
    let mut out = declarations(facts);
    out.extend(accessors(facts));
    out.extend(std_impls(facts));
    out.extend(saving(facts));
    out.extend(diagnostics(facts));
    out.extend(train::passes(facts));
    out.extend(train::network_impl(facts));
    out.extend(train::training(facts));
    out
}

/// The shared items of a recurrent network: those of [`items`] that do
/// not run the passes of one sample (its own are in `recurrent.rs`).
pub fn recurrent_items(facts: &Facts) -> TokenStream {
    let mut out = declarations(facts);
    out.extend(accessors(facts));
    out.extend(std_impls(facts));
    out.extend(saving(facts));
    out
}

/// The struct, one flat parameter array, and the trace struct.
fn declarations(facts: &Facts) -> TokenStream {
    let Facts {
        attrs,
        vis,
        name,
        trace,
        params,
        inputs,
        outputs,
        layers,
        units,
        summary_layers,
        doc,
        trace_doc,
        trace_fields,
        trace_output,
        recurrent,
        ..
    } = facts;
    let t = local("T");
    mixed! {
        #(#attrs)*
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq)]
        #vis struct #name<#t = f32> {
            params: [#t; #params],
        }

        #[doc = #trace_doc]
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::fmt::Debug,
            ::core::cmp::PartialEq
        )]
        // Named after the network: a lower-case network is the user's
        // warning to see, not its trace.
        #[allow(non_camel_case_types)]
        #vis struct #trace<T = f32> {
            #trace_fields
        }

        impl<T> #trace<T> {
            /// The output of the forward pass.
            #[inline]
            #[must_use]
            pub const fn output(&self) -> &[T; #outputs] {
                #trace_output
            }
        }

        #[allow(non_camel_case_types)]
        impl<T> ::backprop_core::__private::NetworkFamily for #name<T> {
            type Of<__S> = #name<__S>;
            type TraceOf<__S> = #trace<__S>;
            const INPUTS: usize = #inputs;
            const OUTPUTS: usize = #outputs;
            const PARAMS: usize = #params;
            const LAYERS: usize = #layers;
            const UNITS: usize = #units;
            const ARCHITECTURE: &'static str = <#name<T>>::ARCHITECTURE;
            const LAYER_INFO: &'static [::backprop_core::summary::LayerInfo] = #summary_layers;
            const RECURRENT: bool = #recurrent;
        }
    }
}

/// The associated consts, construction, the flat parameters and the views;
/// none of these needs arithmetic on `T`.
fn accessors(facts: &Facts) -> TokenStream {
    let Facts {
        name,
        trace,
        what,
        inputs,
        outputs,
        params,
        layers,
        const_docs: [inputs_doc, outputs_doc, params_doc, layers_doc],
        views,
        ..
    } = facts;
    let param_bytes_doc = format!(
        "The bytes the parameters take: `PARAMS * size_of::<T>()`, the whole size of a \
         {what} value."
    );
    let from_params_doc =
        format!("A {what} with these parameters, in the flat order described on the type.");
    let stack_bounds = if !facts.recurrent {
        mixed! {
            /// An upper bound of the stack one `forward` call uses, in
            /// bytes: `512 + 2 * TRACE_BYTES`. A bound found by
            /// measurement, not derived from the code: the firmware in
            /// `examples/cortex-m` measures the stack of an out-of-line call
            /// by painting, for four networks of 21 to 1,732 parameters on
            /// every core CI runs (Cortex-M0, M3, M4F, M33, RV32IMAC,
            /// RV32IMAFC; `f32`, release build, `opt-level = "s"`, LTO), and
            /// fails if a call exceeds it. Other targets, compilers and
            /// profiles (a debug build, say) may use more.
            pub const FORWARD_STACK_BOUND: usize = 512 + 2 * Self::TRACE_BYTES;
            /// An upper bound of the stack one `train_step` call uses, in
            /// bytes, with a built-in optimizer that updates one parameter
            /// at a time (plain SGD): `1024 + 5 * TRACE_BYTES` (the step
            /// holds the trace and copies of parts of it). Found by
            /// measurement and checked as [`Self::FORWARD_STACK_BOUND`] is,
            /// with the same limits.
            pub const TRAIN_STACK_BOUND: usize = 1024 + 5 * Self::TRACE_BYTES;
        }
    } else {
        TokenStream::new()
    };
    mixed! {
        impl<T> #name<T> {
            #[doc = #inputs_doc]
            pub const INPUTS: usize = #inputs;
            #[doc = #outputs_doc]
            pub const OUTPUTS: usize = #outputs;
            #[doc = #params_doc]
            pub const PARAMS: usize = #params;
            #[doc = #layers_doc]
            pub const LAYERS: usize = #layers;
            #[doc = #param_bytes_doc]
            pub const PARAM_BYTES: usize = #params * ::core::mem::size_of::<T>();
            /// The bytes one forward trace takes (its input, and every
            /// layer's pre-activations and activations): with
            /// [`Self::PARAM_BYTES`], the RAM a training step needs for data.
            pub const TRACE_BYTES: usize = ::core::mem::size_of::<#trace<T>>();

            #stack_bounds

            #[doc = #from_params_doc]
            #[inline]
            #[must_use]
            pub const fn from_params(params: [T; #params]) -> Self {
                Self { params }
            }

            /// All parameters, in the flat order described on the type.
            #[inline]
            #[must_use]
            pub const fn params(&self) -> &[T; #params] {
                &self.params
            }

            /// All parameters, mutably, in the flat order described on the type.
            #[inline]
            #[must_use]
            pub const fn params_mut(&mut self) -> &mut [T; #params] {
                &mut self.params
            }

            /// The flat parameter array, by value.
            #[inline]
            #[must_use]
            pub fn into_params(self) -> [T; #params] {
                self.params
            }

            #views
        }
    }
}

/// `Default` (all zeros) and a `Debug` that shows the layers or parts.
fn std_impls(facts: &Facts) -> TokenStream {
    let Facts {
        name,
        params,
        debug_fields,
        debug_generics,
        debug_bounds,
        ..
    } = facts;
    let name_str = name.to_string();
    mixed! {
        impl<T: ::backprop_core::Scalar> ::core::default::Default for #name<T> {
            /// All parameters zero.
            #[inline]
            fn default() -> Self {
                Self::from_params([<T as ::backprop_core::Scalar>::ZERO; #params])
            }
        }

        impl<#debug_generics> ::core::fmt::Debug for #name<T> #debug_bounds {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name_str)
                    #debug_fields
                    .finish()
            }
        }
    }
}

/// `dead_relu_units`, over two hidden helpers and one flag per unit
/// (`NetworkFamily::UNITS`, layer after layer), so that a chain runs its parts' helpers
/// on its slices of its own flags.
fn diagnostics(facts: &Facts) -> TokenStream {
    let Facts {
        name,
        trace,
        layers,
        units,
        mark_alive,
        count_dead,
        dead_doc,
        bounds,
        ..
    } = facts;
    let (alive, trace_local) = (local("__alive"), local("__trace"));
    let sample = facts.sample();
    mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> #bounds {
            #[doc = #dead_doc]
            #[must_use]
            pub fn dead_relu_units(&self, inputs: &[#sample]) -> [usize; #layers] {
                let mut #alive = [false; #units];
                for input in inputs {
                    Self::__mark_alive(&self.forward_trace(input), &mut #alive);
                }
                Self::__count_dead(&#alive)
            }

            #[doc(hidden)]
            #[inline]
            pub fn __mark_alive(#trace_local: &#trace<T>, #alive: &mut [bool; #units]) {
                #mark_alive
            }

            #[doc(hidden)]
            #[inline]
            #[must_use]
            pub fn __count_dead(#alive: &[bool; #units]) -> [usize; #layers] {
                #count_dead
            }
        }
    }
}

/// `ARCHITECTURE`, `FINGERPRINT`, `summary()`, serde and the byte methods.
fn saving(facts: &Facts) -> TokenStream {
    let Facts {
        name,
        what,
        params,
        architecture,
        architecture_doc,
        summary_doc,
        ..
    } = facts;
    let name_str = name.to_string();
    let window_text = facts.window.map_or_else(String::new, |(channels, len)| {
        format!("[{channels}; {len}]")
    });
    let fingerprint_doc = format!(
        "The CRC-32 of [`Self::ARCHITECTURE`], stored in the header of every weights blob \
         of this {what} beside the text itself, for tools that list blobs; loading \
         compares the text."
    );
    let mut out = mixed! {
        impl<T> #name<T> {
            #[doc = #architecture_doc]
            pub const ARCHITECTURE: &'static str = #architecture;
            #[doc = #fingerprint_doc]
            pub const FINGERPRINT: u32 =
                ::backprop_core::weights::crc32(Self::ARCHITECTURE.as_bytes());
        }

        impl<T: ::backprop_core::Scalar> #name<T> {
            #[doc = #summary_doc]
            #[must_use]
            pub const fn summary() -> ::backprop_core::summary::Summary {
                ::backprop_core::summary::Summary {
                    name: #name_str,
                    scalar: <T as ::backprop_core::Scalar>::NAME,
                    inputs: Self::INPUTS,
                    window: #window_text,
                    layers: <Self as ::backprop_core::__private::NetworkFamily>::LAYER_INFO,
                    param_bytes: Self::PARAM_BYTES,
                    trace_bytes: Self::TRACE_BYTES,
                }
            }
        }

        ::backprop_core::__impl_serde! { #name, #params }
    };
    out.extend(byte_methods(name, params, what, &facts.params_doc));
    out
}
