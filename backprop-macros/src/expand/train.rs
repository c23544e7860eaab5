//! The `Network` trait impl, the training methods (which delegate to the
//! algorithms the trait provides, written once in the runtime), seeded
//! initialisation and the diagnostics.

use proc_macro2::TokenStream;

use super::items::Facts;
use super::{lit, local};
use crate::model::Network;

/// The methods every network and chain has on top of its generated passes
/// (`__forward_trace`, `__trace_loss`, `__backward`), which run on
/// `self.params`.
pub fn passes(facts: &Facts) -> TokenStream {
    let Facts {
        name,
        trace,
        inputs,
        outputs,
        params,
        bounds,
        ..
    } = facts;
    let part = super::part_trait(inputs, outputs, params);
    let sample = facts.sample();
    let flat = facts.flat(&mixed!(input));
    mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> #bounds {
            /// One training step on one sample (stochastic gradient descent):
            /// forward, backward, and one update by `optimizer`. Returns the
            /// loss before the update.
            ///
            /// With an optimizer that updates one parameter at a time (every
            /// built-in one), each parameter is updated during the backward
            /// pass as soon as its gradient is known, with no gradient array;
            /// the result is the same, bit for bit.
            #[inline]
            pub fn train_step<L, O>(
                &mut self,
                input: &#sample,
                target: &[T; #outputs],
                loss: &L,
                optimizer: &mut O,
            ) -> T
            where
                L: ::backprop_core::loss::Loss<T>,
                O: ::backprop_core::optim::Optimizer<T, #params>,
            {
                let trace = <Self as #part>::__forward_trace(&self.params, #flat);
                if <O as ::backprop_core::optim::Optimizer<T, #params>>::ELEMENTWISE {
                    ::backprop_core::optim::Optimizer::<T, #params>::begin_step(optimizer);
                    <Self as #part>::__update::<L, O, #params, false>(&mut self.params, &trace, target, loss, optimizer, 0).0
                } else {
                    let (value, gradients) = self.backward(&trace, target, loss);
                    ::backprop_core::optim::Optimizer::<T, #params>::step(
                        optimizer,
                        &mut self.params,
                        &gradients.params,
                    );
                    value
                }
            }

            /// Runs the network on one input and returns its output.
            #[inline]
            #[must_use]
            pub fn forward(&self, input: &#sample) -> [T; #outputs] {
                let mut output = [<T as ::backprop_core::Scalar>::ZERO; #outputs];
                <Self as #part>::__forward(&self.params, #flat, &mut output);
                output
            }

            /// Runs the network on one input and returns every layer's
            /// pre-activations and activations, as the backward pass needs them.
            #[inline]
            #[must_use]
            pub fn forward_trace(&self, input: &#sample) -> #trace<T> {
                <Self as #part>::__forward_trace(&self.params, #flat)
            }

            /// The loss of the network's prediction for `input` against
            /// `target`, computed as training computes it (from the logits
            /// where the loss has a fused form).
            #[inline]
            #[must_use]
            pub fn loss<L: ::backprop_core::loss::Loss<T>>(
                &self,
                input: &#sample,
                target: &[T; #outputs],
                loss: &L,
            ) -> T {
                <Self as #part>::__trace_loss(&<Self as #part>::__forward_trace(&self.params, #flat), target, loss)
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
                <Self as #part>::__backward::<L, false, true>(&self.params, trace, target, loss, &mut gradients.params).0
            }

            /// Backpropagates one sample: the loss and the gradient of every
            /// parameter, as a network-shaped value (`gradients.params()` is
            /// the flat gradient).
            #[inline]
            #[must_use]
            pub fn backward<L: ::backprop_core::loss::Loss<T>>(
                &self,
                trace: &#trace<T>,
                target: &[T; #outputs],
                loss: &L,
            ) -> (T, Self) {
                // Every gradient is written exactly once, so the compiler
                // drops these zeros.
                let mut gradients = Self::from_params([<T as ::backprop_core::Scalar>::ZERO; #params]);
                let (loss, _) =
                    <Self as #part>::__backward::<L, false, false>(&self.params, trace, target, loss, &mut gradients.params);
                (loss, gradients)
            }
        }
    }
}

/// `impl Network<T, IN, OUT, P> for Name<T>`, forwarding to the generated
/// inherent methods.
pub fn network_impl(facts: &Facts) -> TokenStream {
    let Facts {
        name,
        trace,
        inputs: i,
        outputs: o,
        params: p,
        bounds,
        ..
    } = facts;
    let window = facts.unflat(&mixed!(input));
    let train_step = {
        mixed! {
            #[inline]
            fn train_step<L: ::backprop_core::loss::Loss<T>, O: ::backprop_core::optim::Optimizer<T, #p>>(
                &mut self,
                input: &[T; #i],
                target: &[T; #o],
                loss: &L,
                optimizer: &mut O,
            ) -> T {
                #name::train_step(self, #window, target, loss, optimizer)
            }
        }
    };
    mixed! {
        #[automatically_derived]
        impl<T: ::backprop_core::Scalar> ::backprop_core::Network<T, #i, #o, #p> for #name<T> #bounds {
            type Trace = #trace<T>;

            #[inline]
            fn from_params(params: [T; #p]) -> Self {
                #name::from_params(params)
            }

            #[inline]
            fn params(&self) -> &[T; #p] {
                #name::params(self)
            }

            #[inline]
            fn params_mut(&mut self) -> &mut [T; #p] {
                #name::params_mut(self)
            }

            #[inline]
            fn forward(&self, input: &[T; #i]) -> [T; #o] {
                #name::forward(self, #window)
            }

            #[inline]
            fn forward_trace(&self, input: &[T; #i]) -> Self::Trace {
                #name::forward_trace(self, #window)
            }

            #[inline]
            fn trace_output(trace: &Self::Trace) -> &[T; #o] {
                trace.output()
            }

            #[inline]
            fn accumulate_gradients<L: ::backprop_core::loss::Loss<T>>(
                &self,
                trace: &Self::Trace,
                target: &[T; #o],
                loss: &L,
                gradients: &mut Self,
            ) -> T {
                #name::accumulate_gradients(self, trace, target, loss, gradients)
            }

            #[inline]
            fn backward<L: ::backprop_core::loss::Loss<T>>(
                &self,
                trace: &Self::Trace,
                target: &[T; #o],
                loss: &L,
            ) -> (T, Self) {
                #name::backward(self, trace, target, loss)
            }

            #[inline]
            fn loss<L: ::backprop_core::loss::Loss<T>>(
                &self,
                input: &[T; #i],
                target: &[T; #o],
                loss: &L,
            ) -> T {
                #name::loss(self, #window, target, loss)
            }

            #train_step
        }
    }
}

/// Inherent methods for training, so users need not import the trait. Each
/// calls the algorithm `Network` provides.
pub fn training(facts: &Facts) -> TokenStream {
    let Facts {
        name,
        inputs: i,
        outputs: o,
        params: p,
        bounds,
        ..
    } = facts;
    let network = mixed!(::backprop_core::Network<T, #i, #o, #p>);
    let loss = mixed!(::backprop_core::loss::Loss<T>);
    let optimizer = mixed!(::backprop_core::optim::Optimizer<T, #p>);
    let error = mixed!(::backprop_core::TrainError);
    let sample = facts.sample();
    let (input, inputs) = (facts.flat(&mixed!(input)), facts.flat_all(&mixed!(inputs)));
    mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> #bounds {
            /// The loss for one sample and the gradient of every parameter:
            /// [`Self::forward_trace`] then [`Self::backward`].
            #[inline]
            #[must_use]
            pub fn loss_and_gradients<L: #loss>(&self, input: &#sample, target: &[T; #o], loss: &L) -> (T, Self) {
                <Self as #network>::loss_and_gradients(self, #input, target, loss)
            }

            /// [`Self::train_step`], made only if the optimizer's
            /// hyperparameters are valid and the input, target, loss, every
            /// gradient and every updated parameter and optimizer state are
            /// finite; otherwise nothing changes, neither the network nor the
            /// optimizer, bit for bit.
            ///
            /// # Errors
            ///
            /// Names the invalid hyperparameter or the first value that was
            /// not finite.
            #[inline]
            pub fn try_train_step<L: #loss, O: #optimizer>(
                &mut self,
                input: &#sample,
                target: &[T; #o],
                loss: &L,
                optimizer: &mut O,
            ) -> ::core::result::Result<T, #error> {
                <Self as #network>::try_train_step(self, #input, target, loss, optimizer)
            }

            /// The mean loss and mean gradient over a batch.
            ///
            /// # Errors
            ///
            /// For an empty batch or slices of different lengths.
            #[inline]
            pub fn batch_gradients<L: #loss>(
                &self,
                inputs: &[#sample],
                targets: &[[T; #o]],
                loss: &L,
            ) -> ::core::result::Result<(T, Self), #error> {
                <Self as #network>::batch_gradients(self, #inputs, targets, loss)
            }

            /// Batch gradient descent: one update from the mean gradient over
            /// the whole slice. Returns the mean loss before the update; for
            /// an empty batch or slices of different lengths, makes no update
            /// and returns NaN (see [`Self::try_train_batch`]).
            #[inline]
            pub fn train_batch<L: #loss, O: #optimizer>(
                &mut self,
                inputs: &[#sample],
                targets: &[[T; #o]],
                loss: &L,
                optimizer: &mut O,
            ) -> T {
                <Self as #network>::train_batch(self, #inputs, targets, loss, optimizer)
            }

            /// [`Self::train_batch`], made only if the optimizer's
            /// hyperparameters are valid and every input and target, the
            /// mean loss, every mean gradient and every updated parameter and
            /// optimizer state are finite; otherwise nothing changes.
            ///
            /// # Errors
            ///
            /// For an empty batch, slices of different lengths, an invalid
            /// hyperparameter, or the first value that was not finite.
            #[inline]
            pub fn try_train_batch<L: #loss, O: #optimizer>(
                &mut self,
                inputs: &[#sample],
                targets: &[[T; #o]],
                loss: &L,
                optimizer: &mut O,
            ) -> ::core::result::Result<T, #error> {
                <Self as #network>::try_train_batch(self, #inputs, targets, loss, optimizer)
            }

            /// Mini-batch gradient descent: one epoch over the data set in
            /// batches of `batch_size`, shuffled from `shuffle`'s seed if
            /// given. Returns the epoch's mean loss. See
            /// [`Network::train_epoch`](::backprop_core::Network::train_epoch).
            ///
            /// # Errors
            ///
            /// For no samples, a batch size of 0, slices of different lengths,
            /// or a batch with a value that is not finite (earlier batches
            /// stay applied).
            #[inline]
            #[allow(clippy::too_many_arguments)]
            pub fn train_epoch<L: #loss, O: #optimizer>(
                &mut self,
                inputs: &[#sample],
                targets: &[[T; #o]],
                batch_size: usize,
                shuffle: ::core::option::Option<u64>,
                loss: &L,
                optimizer: &mut O,
            ) -> ::core::result::Result<T, #error> {
                <Self as #network>::train_epoch(self, #inputs, targets, batch_size, shuffle, loss, optimizer)
            }

            /// The class this network predicts for `input`: the index of its
            /// largest output, or for one output, 1 if it is at least `0.5`.
            /// See [`Network::classify`](::backprop_core::Network::classify).
            #[inline]
            #[must_use]
            pub fn classify(&self, input: &#sample) -> ::core::option::Option<usize> {
                <Self as #network>::classify(self, #input)
            }

            /// The fraction of `inputs` whose predicted class is their
            /// label's: class indices or one-hot targets. See
            /// [`Network::accuracy`](::backprop_core::Network::accuracy).
            ///
            /// # Errors
            ///
            /// No samples, lengths that differ, or a class index not below
            /// the number of classes.
            #[inline]
            pub fn accuracy<Lb: ::backprop_core::metrics::Labels<T, #o> + ?::core::marker::Sized>(
                &self,
                inputs: &[#sample],
                labels: &Lb,
            ) -> ::core::result::Result<f64, ::backprop_core::metrics::EvalError> {
                <Self as #network>::accuracy(self, #inputs, labels)
            }

            /// The mean loss over a data set, with no update. See
            /// [`Network::mean_loss`](::backprop_core::Network::mean_loss).
            ///
            /// # Errors
            ///
            /// No samples, or lengths that differ.
            #[inline]
            pub fn mean_loss<L: #loss>(
                &self,
                inputs: &[#sample],
                targets: &[[T; #o]],
                loss: &L,
            ) -> ::core::result::Result<T, ::backprop_core::metrics::EvalError> {
                <Self as #network>::mean_loss(self, #inputs, targets, loss)
            }

            /// The `C`-class confusion matrix of a data set: rows are the
            /// true classes, columns the predicted ones. See
            /// [`Network::confusion_matrix`](::backprop_core::Network::confusion_matrix).
            ///
            /// # Errors
            ///
            /// No samples, lengths that differ, or a label or predicted class
            /// not below `C`.
            #[inline]
            pub fn confusion_matrix<const C: usize, Lb: ::backprop_core::metrics::Labels<T, #o> + ?::core::marker::Sized>(
                &self,
                inputs: &[#sample],
                labels: &Lb,
            ) -> ::core::result::Result<[[u32; C]; C], ::backprop_core::metrics::EvalError> {
                <Self as #network>::confusion_matrix(self, #inputs, labels)
            }
        }
    }
}

/// The body of `__with_seed`: each layer initialised in turn from one
/// `SplitMix64` stream, as its kind's `init` says.
pub fn seeded(net: &Network) -> TokenStream {
    let (name, p) = (&net.name, lit(net.params()));
    let (net_local, rng) = (local("__net"), local("__rng"));
    let inits = net.layers.iter().map(|l| l.init(&net_local, &rng));
    mixed! {
        let mut #net_local = #name::<T>::from_params([<T as ::backprop_core::Scalar>::ZERO; #p]);
        let mut #rng = ::backprop_core::init::SplitMix64::new(seed);
        #(#inits)*
        #net_local.params
    }
}

/// `with_seed` and `gradient_norms`.
pub fn extras(net: &Network) -> TokenStream {
    let name = &net.name;
    let (i, o, p) = (lit(net.inputs), lit(net.outputs()), lit(net.params()));
    let part = super::part_trait(&mixed!(#i), &mixed!(#o), &mixed!(#p));
    let bounds = super::bounds(net);
    let seed_doc = format!(
        "A network with weights drawn from `seed` (He uniform for ReLU-family \
         layers, Glorot uniform for the others) and zero biases. The same seed \
         gives the same parameters on every target. Layers: `{}`.",
        net.spec()
    );
    let norms = gradient_norms(net);
    mixed! {
        impl<T: ::backprop_core::Scalar> #name<T> #bounds {
            #[doc = #seed_doc]
            #[must_use]
            pub fn with_seed(seed: u64) -> Self {
                Self::from_params(<Self as #part>::__with_seed(seed))
            }
        }

        #norms
    }
}

/// `gradient_norms`: the norm of each layer's block of parameters.
pub fn gradient_norms(net: &Network) -> TokenStream {
    let (name, layers) = (&net.name, lit(net.layers.len()));
    let norms = net.layers.iter().map(|l| {
        let (start, end) = (lit(l.offset()), lit(l.offset() + l.params()));
        mixed!(::backprop_core::__private::l2_norm(&self.params[#start..#end]))
    });
    mixed! {
        impl<T: ::backprop_core::Float> #name<T> {
            /// The Euclidean norm of each layer's parameters (weights and
            /// biases together). Called on a gradient, it shows how much each
            /// layer learns: norms that shrink towards the input are the
            /// vanishing gradient.
            #[must_use]
            pub fn gradient_norms(&self) -> [T; #layers] {
                [#(#norms),*]
            }
        }
    }
}

/// The dead-unit bookkeeping of a network of layers: its unit count, and
/// the bodies of `__mark_alive` and `__count_dead` (see `items.rs`).
pub fn dead_units(net: &Network) -> (TokenStream, TokenStream, TokenStream) {
    let layers = lit(net.layers.len());
    let (alive, trace) = (local("__alive"), local("__trace"));
    let counts = local("__dead");
    let units: usize = net.layers.iter().map(|l| l.outputs()).sum();
    let units_lit = lit(units);
    let mut dead_mark = TokenStream::new();
    let mut dead_count = TokenStream::new();
    let mut first_unit = 0;
    for (k, l) in net.layers.iter().enumerate() {
        let (at, width) = (lit(first_unit), lit(l.outputs()));
        first_unit += l.outputs();
        let Some(pre_activation) = l.relu_pre_activation(&trace) else {
            continue;
        };
        let k = lit(k);
        dead_mark.extend(mixed! {
            ::backprop_core::__private::mark_active(
                #pre_activation,
                ::backprop_core::__private::segment_mut::<bool, #units_lit, #at, #width>(#alive),
            );
        });
        dead_count.extend(mixed! {
            #counts[#k] = ::backprop_core::__private::count_inactive(
                ::backprop_core::__private::segment::<bool, #units_lit, #at, #width>(#alive),
            );
        });
    }
    let (mark_body, count_body) = if dead_mark.is_empty() {
        (
            mixed!(let _ = (#trace, #alive);),
            mixed! {
                let _ = #alive;
                [0_usize; #layers]
            },
        )
    } else {
        (
            dead_mark,
            mixed! {
                let mut #counts = [0_usize; #layers];
                #dead_count
                #counts
            },
        )
    };
    (mixed!(#units_lit), mark_body, count_body)
}
