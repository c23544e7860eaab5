//! The items of a recurrent network (one with a `GRU` or `LSTM` layer):
//! the shared ones of `items.rs` that do not run a sample, the state
//! struct, one time step's passes as the runtime's
//! `backprop_core::recurrent::Recurrent` impl, and inherent methods that
//! forward to it, so that calling them needs no import.
//!
//! One step's passes are those of a network of layers (`forward.rs` for
//! the traced step), with each recurrent layer reading its state from
//! `__state`; the backward step walks the layers from the top as
//! `backward.rs` does, always adding into the gradients, with each
//! recurrent layer adding what the later steps carry back in `__carry`.
//! Backpropagation through time, the loss's mean over the steps and the
//! training methods are written once in the runtime, over these passes.

use proc_macro2::TokenStream;
use quote::format_ident;

use super::{bounds, facts, forward, generated_allows, items, layer_local, lit, local, train};
use crate::layer::{LossCall, Sink};
use crate::model::Network;

/// All items of one recurrent network.
pub fn expand(net: &Network) -> TokenStream {
    let mut facts = facts(net);
    let name = &net.name;
    let state = state_name(net);
    facts.recurrent = true;
    facts.trace_doc = format!(
        "Every value of one time step of [`{name}`]: its input, then each layer's values \
         at that step (a recurrent layer's state before the step, its gates and its new \
         state). Backpropagation through time keeps one per step."
    );
    facts.doc.push_str(&format!(
        "\n\nA recurrent network: its input and output are one time step's, and \
         [`{state}`] holds every recurrent layer's state from step to step. \
         Stream with [`{name}::step`], run whole sequences with \
         [`{name}::forward_sequence`], train on sequences with [`{name}::train_step`] \
         and the other methods of [`Recurrent`](::backprop_core::Recurrent), which are \
         also inherent methods. A recurrent layer's parameters are PyTorch's \
         `weight_ih` (`[G * H][IN]`), `weight_hh` (`[G * H][H]`), `bias_ih` and \
         `bias_hh` (`[G * H]`), gate blocks in PyTorch's order (GRU: r, z, n; LSTM: \
         i, f, g, o), so `nn.GRU` and `nn.LSTM` weights map one to one."
    ));
    let mut out = items::recurrent_items(&facts);
    out.extend(net.layers.iter().map(|l| l.checks()));
    out.extend(state_struct(net));
    out.extend(recurrent_impl(net));
    out.extend(inherent(net));
    out.extend(seeding(net));
    out
}

/// `SeedNetState` for `SeedNet`.
fn state_name(net: &Network) -> proc_macro2::Ident {
    format_ident!("{}State", net.name)
}

/// The state struct: one field per recurrent layer, zero by `Default`.
fn state_struct(net: &Network) -> TokenStream {
    let (name, vis) = (&net.name, &net.vis);
    let state = state_name(net);
    let fields = net
        .layers
        .iter()
        .filter_map(|l| l.recurrent())
        .map(|r| r.state_field());
    let doc = format!(
        "The state of [`{name}`] between time steps: every recurrent layer's hidden \
         state (and an LSTM's cell state). `Default` is all zero, the state a sequence \
         starts from; [`{name}::step`] updates it."
    );
    let zeros = net
        .layers
        .iter()
        .filter(|l| l.recurrent().is_some())
        .map(|l| {
            let field = crate::layer::activated_field(l.number());
            mixed!(#field: ::core::default::Default::default(),)
        });
    mixed! {
        #[doc = #doc]
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::fmt::Debug,
            ::core::cmp::PartialEq
        )]
        #[allow(non_camel_case_types)]
        #vis struct #state<T: ::backprop_core::Scalar = f32> {
            #(#fields)*
        }

        impl<T: ::backprop_core::Scalar> ::core::default::Default for #state<T> {
            /// All zero.
            #[inline]
            fn default() -> Self {
                Self { #(#zeros)* }
            }
        }

        impl<T: ::backprop_core::Scalar> #state<T> {
            /// The zero state, which a sequence starts from.
            #[inline]
            #[must_use]
            pub fn new() -> Self {
                ::core::default::Default::default()
            }

            /// Back to the zero state, to start a new sequence.
            #[inline]
            pub fn reset(&mut self) {
                *self = ::core::default::Default::default();
            }
        }
    }
}

/// `impl Recurrent<T, IN, OUT, P> for Name<T>`: one step's passes.
fn recurrent_impl(net: &Network) -> TokenStream {
    let name = &net.name;
    let (state, trace) = (state_name(net), format_ident!("{}Trace", net.name));
    let (i, o, p) = (lit(net.inputs), lit(net.outputs()), lit(net.params()));
    let Some(last) = net.layers.last() else {
        return mixed!(::core::compile_error!("a network needs a layer"));
    };
    let bounds = bounds(net);
    let allows = generated_allows();
    let (p_local, g, trace_local, carry) =
        (local("__p"), local("__g"), local("trace"), local("__carry"));
    let state_local = local("__state");
    let traced = forward::body(net);
    // The untraced step: each layer's forward statements, a recurrent
    // layer's updating its state in place.
    let mut step = TokenStream::new();
    let mut input = local("input");
    for layer in &net.layers {
        match layer.recurrent() {
            Some(r) => step.extend(r.step(&input)),
            None => step.extend(layer.forward(&input)),
        }
        input = layer.output_local();
    }
    let next = net
        .layers
        .iter()
        .filter_map(|l| l.recurrent())
        .map(|r| r.next_state(&mixed!(#trace_local)));
    let last_bindings = last.bindings();
    let loss_expr = last.output_loss(&mixed!(#trace_local), LossCall::Value);
    let delta_expr = last.output_loss(&mixed!(#trace_local), LossCall::Delta);
    let backward = backward_body(net);
    let d_last = layer_local("d", last.number());
    let recurrent = mixed!(::backprop_core::recurrent::Recurrent<T, #i, #o, #p>);
    mixed! {
        #[automatically_derived]
        #allows
        impl<T: ::backprop_core::Scalar> #recurrent for #name<T> #bounds {
            type State = #state<T>;
            type StepTrace = #trace<T>;

            #[inline]
            fn from_params(params: [T; #p]) -> Self {
                Self { params }
            }

            #[inline]
            fn params(&self) -> &[T; #p] {
                &self.params
            }

            #[inline]
            fn params_mut(&mut self) -> &mut [T; #p] {
                &mut self.params
            }

            #[inline]
            fn __step(#p_local: &[T; #p], #state_local: &mut #state<T>, input: &[T; #i]) -> [T; #o] {
                #step
                #input
            }

            #[inline]
            fn __step_trace(#p_local: &[T; #p], #state_local: &#state<T>, input: &[T; #i]) -> #trace<T> {
                #traced
            }

            #[inline]
            fn __next_state(#trace_local: &#trace<T>) -> #state<T> {
                #state { #(#next)* }
            }

            #[inline]
            fn __trace_output(#trace_local: &#trace<T>) -> &[T; #o] {
                #trace_local.output()
            }

            #[inline]
            fn __step_loss<L: ::backprop_core::loss::Loss<T>>(
                #trace_local: &#trace<T>,
                target: &[T; #o],
                loss: &L,
            ) -> T {
                #last_bindings
                #loss_expr
            }

            #[inline]
            fn __step_backward<L: ::backprop_core::loss::Loss<T>>(
                #p_local: &[T; #p],
                #trace_local: &#trace<T>,
                target: ::core::option::Option<&[T; #o]>,
                loss: &L,
                #carry: &mut #state<T>,
                #g: &mut [T; #p],
            ) {
                const ACCUMULATE: bool = true;
                let #d_last: [T; #o] = match target {
                    ::core::option::Option::Some(target) => {
                        #last_bindings
                        #delta_expr
                    }
                    ::core::option::Option::None => [<T as ::backprop_core::Scalar>::ZERO; #o],
                };
                #backward
            }
        }
    }
}

/// The backward step from the output layer's `__d`: layer by layer from
/// the top, each layer's parameter gradients added into `__g`, then its
/// input gradient turned into the error signal of the layer below.
fn backward_body(net: &Network) -> TokenStream {
    let trace = local("trace");
    let mut out = TokenStream::new();
    for layer in &net.layers[..net.layers.len().saturating_sub(1)] {
        out.extend(layer.bindings());
    }
    for (k, layer) in net.layers.iter().enumerate().rev() {
        let below = k.checked_sub(1).map(|j| &net.layers[j]);
        let x = layer_local("x", layer.number());
        let source = match below {
            None => mixed!(&#trace.input),
            Some(below) => {
                let place = below.output_in(&mixed!(#trace));
                mixed!(&#place)
            }
        };
        out.extend(mixed! { let #x = #source; });
        out.extend(layer.parameter_gradients(&x, Sink::Gradients));
        if let Some(below) = below {
            out.extend(below.error_signal(layer.input_gradient(&x)));
        }
    }
    out
}

/// Inherent methods that forward to the `Recurrent` impl, so that the
/// network's methods need no `use`.
fn inherent(net: &Network) -> TokenStream {
    let name = &net.name;
    let state = state_name(net);
    let (i, o, p) = (lit(net.inputs), lit(net.outputs()), lit(net.params()));
    let bounds = bounds(net);
    let recurrent = mixed!(::backprop_core::recurrent::Recurrent<T, #i, #o, #p>);
    let targets = mixed!(::backprop_core::recurrent::SequenceTargets<T, #o, N>);
    let loss = mixed!(::backprop_core::loss::Loss<T>);
    let optimizer = mixed!(::backprop_core::optim::Optimizer<T, #p>);
    let error = mixed!(::backprop_core::TrainError);
    mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> #bounds {
            /// One time step: the output for `input` from `state`, which
            /// becomes the state after the step. See
            /// [`Recurrent::step`](::backprop_core::Recurrent::step).
            #[inline]
            pub fn step(&self, state: &mut #state<T>, input: &[T; #i]) -> [T; #o] {
                <Self as #recurrent>::step(self, state, input)
            }

            /// The outputs of every step from the zero state; the same bits
            /// as stepping through `inputs` from `State::default()`.
            #[inline]
            #[must_use]
            pub fn forward_sequence<const N: usize>(&self, inputs: &[[T; #i]; N]) -> [[T; #o]; N] {
                <Self as #recurrent>::forward_sequence(self, inputs)
            }

            /// The outputs of every step from `state`, which becomes the
            /// state after the last step.
            #[inline]
            pub fn forward_sequence_from<const N: usize>(
                &self,
                state: &mut #state<T>,
                inputs: &[[T; #i]; N],
            ) -> [[T; #o]; N] {
                <Self as #recurrent>::forward_sequence_from(self, state, inputs)
            }

            /// The mean per-step loss over the steps `targets` scores: one
            /// target per step (`[[T; OUT]; N]`) or the last step's
            /// ([`LastStep`](::backprop_core::recurrent::LastStep)).
            #[inline]
            #[must_use]
            pub fn loss_sequence<const N: usize, G: #targets, L: #loss>(
                &self,
                inputs: &[[T; #i]; N],
                targets: &G,
                loss: &L,
            ) -> T {
                <Self as #recurrent>::loss_sequence(self, inputs, targets, loss)
            }

            /// [`Self::loss_sequence`] and the gradient of every parameter,
            /// by backpropagation through time.
            #[inline]
            #[must_use]
            pub fn loss_and_gradients_sequence<const N: usize, G: #targets, L: #loss>(
                &self,
                inputs: &[[T; #i]; N],
                targets: &G,
                loss: &L,
            ) -> (T, Self) {
                <Self as #recurrent>::loss_and_gradients_sequence(self, inputs, targets, loss)
            }

            /// One training step on one sequence; returns the loss before
            /// the update.
            #[inline]
            pub fn train_step<const N: usize, G: #targets, L: #loss, O: #optimizer>(
                &mut self,
                inputs: &[[T; #i]; N],
                targets: &G,
                loss: &L,
                optimizer: &mut O,
            ) -> T {
                <Self as #recurrent>::train_step(self, inputs, targets, loss, optimizer)
            }

            /// [`Self::train_step`], made only if every value is finite
            /// and the optimizer's checks pass; otherwise nothing changes.
            ///
            /// # Errors
            ///
            /// See [`Recurrent::try_train_step`](::backprop_core::Recurrent::try_train_step).
            #[inline]
            pub fn try_train_step<const N: usize, G: #targets, L: #loss, O: #optimizer>(
                &mut self,
                inputs: &[[T; #i]; N],
                targets: &G,
                loss: &L,
                optimizer: &mut O,
            ) -> ::core::result::Result<T, #error> {
                <Self as #recurrent>::try_train_step(self, inputs, targets, loss, optimizer)
            }

            /// The mean loss and mean gradient over a batch of sequences.
            ///
            /// # Errors
            ///
            /// For an empty batch or slices of different lengths.
            #[inline]
            pub fn batch_gradients<const N: usize, G: #targets, L: #loss>(
                &self,
                inputs: &[[[T; #i]; N]],
                targets: &[G],
                loss: &L,
            ) -> ::core::result::Result<(T, Self), #error> {
                <Self as #recurrent>::batch_gradients(self, inputs, targets, loss)
            }

            /// One update from the mean gradient over a batch of sequences;
            /// NaN and no update for an empty batch or mismatched slices.
            #[inline]
            pub fn train_batch<const N: usize, G: #targets, L: #loss, O: #optimizer>(
                &mut self,
                inputs: &[[[T; #i]; N]],
                targets: &[G],
                loss: &L,
                optimizer: &mut O,
            ) -> T {
                <Self as #recurrent>::train_batch(self, inputs, targets, loss, optimizer)
            }

            /// [`Self::train_batch`], checked as [`Self::try_train_step`] is.
            ///
            /// # Errors
            ///
            /// See [`Recurrent::try_train_batch`](::backprop_core::Recurrent::try_train_batch).
            #[inline]
            pub fn try_train_batch<const N: usize, G: #targets, L: #loss, O: #optimizer>(
                &mut self,
                inputs: &[[[T; #i]; N]],
                targets: &[G],
                loss: &L,
                optimizer: &mut O,
            ) -> ::core::result::Result<T, #error> {
                <Self as #recurrent>::try_train_batch(self, inputs, targets, loss, optimizer)
            }

            /// One epoch over a data set of sequences in mini-batches; see
            /// [`Recurrent::train_epoch`](::backprop_core::Recurrent::train_epoch).
            ///
            /// # Errors
            ///
            /// For no sequences, a batch size of 0, mismatched slices, or a
            /// batch with a value that is not finite.
            #[inline]
            #[allow(clippy::too_many_arguments)]
            pub fn train_epoch<const N: usize, G: #targets, L: #loss, O: #optimizer>(
                &mut self,
                inputs: &[[[T; #i]; N]],
                targets: &[G],
                batch_size: usize,
                shuffle: ::core::option::Option<u64>,
                loss: &L,
                optimizer: &mut O,
            ) -> ::core::result::Result<T, #error> {
                <Self as #recurrent>::train_epoch(self, inputs, targets, batch_size, shuffle, loss, optimizer)
            }
        }
    }
}

/// `with_seed` and `gradient_norms`.
fn seeding(net: &Network) -> TokenStream {
    let name = &net.name;
    let bounds = bounds(net);
    let seeded = train::seeded(net);
    let norms = train::gradient_norms(net);
    let seed_doc = format!(
        "A network with parameters drawn from `seed`: recurrent layers as PyTorch \
         draws them (every weight and bias uniform in `[-1/sqrt(H), 1/sqrt(H))`), dense \
         layers as every network's (He or Glorot uniform, zero biases). The same seed \
         gives the same parameters on every target. Layers: `{}`.",
        net.spec()
    );
    mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> #bounds {
            #[doc = #seed_doc]
            #[must_use]
            pub fn with_seed(seed: u64) -> Self {
                Self::from_params({ #seeded })
            }
        }

        #norms
    }
}
