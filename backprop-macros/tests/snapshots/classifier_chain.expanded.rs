// Expansion of `network! { struct Features: 2 => 3 LeakyReLU(0.2); struct Head: 3 => 3 Softmax; struct Classifier: Features => Head; }`.
// Refresh with `UPDATE_EXPANSIONS=1 cargo test -p backprop-macros snapshot`.

/**A neural network `2 => 3 LeakyReLU(0.2)`.

# Architecture

`2 => 3 LeakyReLU(0.2)`, declared with `backprop_core::network!`: 2 inputs, 3 outputs, 9 parameters.

| layer | inputs | outputs | activation | weights at | biases at |
|---|---|---|---|---|---|
| 1 | 2 | 3 | `LeakyReLU(0.2)` | `0..6` | `6..9` |

The parameters live in one flat array: layer by layer, the weights row-major in `[out][in]` order (the weight from input `i` to neuron `o` of a layer is at `weights_at + o * inputs + i`), then that layer's biases.*/
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq)]
struct Features<T = f32> {
    params: [T; 9],
}
///Every value of one forward pass of [`Features`]: its input, then each layer's pre-activations and activations. Made by [`Features::forward_trace`], read by [`Features::backward`].
#[derive(
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::fmt::Debug,
    ::core::cmp::PartialEq
)]
#[allow(non_camel_case_types)]
struct FeaturesTrace<T = f32> {
    /// The input the forward pass ran on.
    pub input: [T; 2],
    ///Layer 1 (3 neurons `LeakyReLU(0.2)`): pre-activations and activations.
    pub layer1: ::backprop_core::LayerTrace<T, 3>,
}
impl<T> FeaturesTrace<T> {
    /// The output of the forward pass.
    #[inline]
    #[must_use]
    pub const fn output(&self) -> &[T; 3] {
        &self.layer1.activation
    }
}
#[allow(non_camel_case_types)]
impl<T> ::backprop_core::__private::NetworkFamily for Features<T> {
    type Of<__S> = Features<__S>;
    type TraceOf<__S> = FeaturesTrace<__S>;
    const INPUTS: usize = 2;
    const OUTPUTS: usize = 3;
    const PARAMS: usize = 9;
    const LAYERS: usize = 1;
    const UNITS: usize = 3;
    const ARCHITECTURE: &'static str = <Features<T>>::ARCHITECTURE;
    const LAYER_INFO: &'static [::backprop_core::summary::LayerInfo] = &[
        ::backprop_core::summary::LayerInfo {
            kind: "Dense",
            inputs: 2,
            outputs: 3,
            activation: "LeakyReLU(0.2)",
            params: 9,
            input_major: false,
        },
    ];
    const RECURRENT: bool = false;
}
impl<T> Features<T> {
    ///The input width: 2.
    pub const INPUTS: usize = 2;
    ///The output width: 3.
    pub const OUTPUTS: usize = 3;
    ///The number of parameters, weights and biases together: 9.
    pub const PARAMS: usize = 9;
    ///The number of layers after the input: 1.
    pub const LAYERS: usize = 1;
    ///The bytes the parameters take: `PARAMS * size_of::<T>()`, the whole size of a network value.
    pub const PARAM_BYTES: usize = 9 * ::core::mem::size_of::<T>();
    /// The bytes one forward trace takes (its input, and every
    /// layer's pre-activations and activations): with
    /// [`Self::PARAM_BYTES`], the RAM a training step needs for data.
    pub const TRACE_BYTES: usize = ::core::mem::size_of::<FeaturesTrace<T>>();
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
    ///A network with these parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn from_params(params: [T; 9]) -> Self {
        Self { params }
    }
    /// All parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params(&self) -> &[T; 9] {
        &self.params
    }
    /// All parameters, mutably, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params_mut(&mut self) -> &mut [T; 9] {
        &mut self.params
    }
    /// The flat parameter array, by value.
    #[inline]
    #[must_use]
    pub fn into_params(self) -> [T; 9] {
        self.params
    }
    ///The weights of layer 1 (2 => 3 `LeakyReLU`), `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`.
    #[inline]
    #[must_use]
    pub fn layer1_weights(&self) -> &[[T; 2]; 3] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            9,
            0,
            2,
            3,
        >(&self.params)
    }
    ///The weights of layer 1 (2 => 3 `LeakyReLU`), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_weights_mut(&mut self) -> &mut [[T; 2]; 3] {
        ::backprop_core::__private::views::matrix_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            9,
            0,
            2,
            3,
        >(&mut self.params)
    }
    ///The biases of layer 1 (2 => 3 `LeakyReLU`).
    #[inline]
    #[must_use]
    pub fn layer1_bias(&self) -> &[T; 3] {
        ::backprop_core::__private::bias::<T, 9, 6, 3>(&self.params)
    }
    ///The biases of layer 1 (2 => 3 `LeakyReLU`), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_bias_mut(&mut self) -> &mut [T; 3] {
        ::backprop_core::__private::bias_mut::<T, 9, 6, 3>(&mut self.params)
    }
}
impl<T: ::backprop_core::Scalar> ::core::default::Default for Features<T> {
    /// All parameters zero.
    #[inline]
    fn default() -> Self {
        Self::from_params([<T as ::backprop_core::Scalar>::ZERO; 9])
    }
}
impl<T: ::core::fmt::Debug + ::core::marker::Copy> ::core::fmt::Debug for Features<T> {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("Features")
            .field("layer1_weights", self.layer1_weights())
            .field("layer1_bias", self.layer1_bias())
            .finish()
    }
}
impl<T> Features<T> {
    ///The canonical spec text, `2 => 3 LeakyReLU(3fc999999999999a)`: a weights blob records it, and a blob loads only where it is the `ARCHITECTURE` byte for byte. Its CRC-32 is [`Self::FINGERPRINT`].
    pub const ARCHITECTURE: &'static str = "2 => 3 LeakyReLU(3fc999999999999a)";
    ///The CRC-32 of [`Self::ARCHITECTURE`], stored in the header of every weights blob of this network beside the text itself, for tools that list blobs; loading compares the text.
    pub const FINGERPRINT: u32 = ::backprop_core::weights::crc32(
        Self::ARCHITECTURE.as_bytes(),
    );
}
impl<T: ::backprop_core::Scalar> Features<T> {
    ///A table of the layers of `2 => 3 LeakyReLU(0.2)`, one row per layer with its widths, activation and parameter count, then the totals, parameter bytes and trace bytes, in the style of Keras' `model.summary()`. Print it with `println!("{}", Features::<f32>::summary())`.
    #[must_use]
    pub const fn summary() -> ::backprop_core::summary::Summary {
        ::backprop_core::summary::Summary {
            name: "Features",
            scalar: <T as ::backprop_core::Scalar>::NAME,
            inputs: Self::INPUTS,
            window: "",
            layers: <Self as ::backprop_core::__private::NetworkFamily>::LAYER_INFO,
            param_bytes: Self::PARAM_BYTES,
            trace_bytes: Self::TRACE_BYTES,
        }
    }
}
::backprop_core::__impl_serde! {
    Features, 9
}
impl<T: ::backprop_core::Codec> Features<T> {
    /**Loads a network from a weights blob (the format of [`backprop_core::weights`](::backprop_core::weights)), after checking all of it.

# Errors

A [`LoadError`](::backprop_core::LoadError) naming the first check that failed: length, magic number, version, checksum, scalar type, reserved byte, architecture or parameter count.*/
    pub fn from_bytes(
        bytes: &[u8],
    ) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
        match ::backprop_core::weights::decode::<T, 9>(bytes, Self::ARCHITECTURE) {
            ::core::result::Result::Ok(params) => {
                ::core::result::Result::Ok(Self::from_params(params))
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
    }
    /**Replaces this network's parameters with those of a weights blob. The blob is checked completely first; on error the network is left untouched.

# Errors

As [`Self::from_bytes`].*/
    pub fn load_bytes(
        &mut self,
        bytes: &[u8],
    ) -> ::core::result::Result<(), ::backprop_core::LoadError> {
        match ::backprop_core::weights::decode::<T, 9>(bytes, Self::ARCHITECTURE) {
            ::core::result::Result::Ok(params) => {
                *self.params_mut() = params;
                ::core::result::Result::Ok(())
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
    }
}
::backprop_core::__private::byte_methods! {
    Features, 9, "network", "9 parameters", to_bytes, from_bytes_const
}
impl<T: ::backprop_core::Scalar> Features<T>
where
    ::backprop_core::activation::LeakyRelu: ::backprop_core::activation::Activation<T>,
{
    ///For each layer, how many `ReLU` units are dead on `inputs`: their pre-activation is `<= 0` for every input, so they output 0 and pass no gradient back. Layers with other activations count 0; on an empty slice every `ReLU` unit counts as dead.
    #[must_use]
    pub fn dead_relu_units(&self, inputs: &[[T; 2]]) -> [usize; 1] {
        let mut __alive = [false; 3];
        for input in inputs {
            Self::__mark_alive(&self.forward_trace(input), &mut __alive);
        }
        Self::__count_dead(&__alive)
    }
    #[doc(hidden)]
    #[inline]
    pub fn __mark_alive(__trace: &FeaturesTrace<T>, __alive: &mut [bool; 3]) {
        let _ = (__trace, __alive);
    }
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub fn __count_dead(__alive: &[bool; 3]) -> [usize; 1] {
        let _ = __alive;
        [0_usize; 1]
    }
}
impl<T: ::backprop_core::Scalar> Features<T>
where
    ::backprop_core::activation::LeakyRelu: ::backprop_core::activation::Activation<T>,
{
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
        input: &[T; 2],
        target: &[T; 3],
        loss: &L,
        optimizer: &mut O,
    ) -> T
    where
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 9>,
    {
        let trace = <Self as ::backprop_core::__private::Part<
            T,
            2,
            3,
            9,
        >>::__forward_trace(&self.params, input);
        if <O as ::backprop_core::optim::Optimizer<T, 9>>::ELEMENTWISE {
            ::backprop_core::optim::Optimizer::<T, 9>::begin_step(optimizer);
            <Self as ::backprop_core::__private::Part<
                T,
                2,
                3,
                9,
            >>::__update::<
                L,
                O,
                9,
                false,
            >(&mut self.params, &trace, target, loss, optimizer, 0)
                .0
        } else {
            let (value, gradients) = self.backward(&trace, target, loss);
            ::backprop_core::optim::Optimizer::<
                T,
                9,
            >::step(optimizer, &mut self.params, &gradients.params);
            value
        }
    }
    /// Runs the network on one input and returns its output.
    #[inline]
    #[must_use]
    pub fn forward(&self, input: &[T; 2]) -> [T; 3] {
        let mut output = [<T as ::backprop_core::Scalar>::ZERO; 3];
        <Self as ::backprop_core::__private::Part<
            T,
            2,
            3,
            9,
        >>::__forward(&self.params, input, &mut output);
        output
    }
    /// Runs the network on one input and returns every layer's
    /// pre-activations and activations, as the backward pass needs them.
    #[inline]
    #[must_use]
    pub fn forward_trace(&self, input: &[T; 2]) -> FeaturesTrace<T> {
        <Self as ::backprop_core::__private::Part<
            T,
            2,
            3,
            9,
        >>::__forward_trace(&self.params, input)
    }
    /// The loss of the network's prediction for `input` against
    /// `target`, computed as training computes it (from the logits
    /// where the loss has a fused form).
    #[inline]
    #[must_use]
    pub fn loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 2],
        target: &[T; 3],
        loss: &L,
    ) -> T {
        <Self as ::backprop_core::__private::Part<
            T,
            2,
            3,
            9,
        >>::__trace_loss(
            &<Self as ::backprop_core::__private::Part<
                T,
                2,
                3,
                9,
            >>::__forward_trace(&self.params, input),
            target,
            loss,
        )
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
        trace: &FeaturesTrace<T>,
        target: &[T; 3],
        loss: &L,
        gradients: &mut Self,
    ) -> T {
        <Self as ::backprop_core::__private::Part<
            T,
            2,
            3,
            9,
        >>::__backward::<
            L,
            false,
            true,
        >(&self.params, trace, target, loss, &mut gradients.params)
            .0
    }
    /// Backpropagates one sample: the loss and the gradient of every
    /// parameter, as a network-shaped value (`gradients.params()` is
    /// the flat gradient).
    #[inline]
    #[must_use]
    pub fn backward<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &FeaturesTrace<T>,
        target: &[T; 3],
        loss: &L,
    ) -> (T, Self) {
        let mut gradients = Self::from_params([<T as ::backprop_core::Scalar>::ZERO; 9]);
        let (loss, _) = <Self as ::backprop_core::__private::Part<
            T,
            2,
            3,
            9,
        >>::__backward::<
            L,
            false,
            false,
        >(&self.params, trace, target, loss, &mut gradients.params);
        (loss, gradients)
    }
}
#[automatically_derived]
impl<T: ::backprop_core::Scalar> ::backprop_core::Network<T, 2, 3, 9> for Features<T>
where
    ::backprop_core::activation::LeakyRelu: ::backprop_core::activation::Activation<T>,
{
    type Trace = FeaturesTrace<T>;
    #[inline]
    fn from_params(params: [T; 9]) -> Self {
        Features::from_params(params)
    }
    #[inline]
    fn params(&self) -> &[T; 9] {
        Features::params(self)
    }
    #[inline]
    fn params_mut(&mut self) -> &mut [T; 9] {
        Features::params_mut(self)
    }
    #[inline]
    fn forward(&self, input: &[T; 2]) -> [T; 3] {
        Features::forward(self, input)
    }
    #[inline]
    fn forward_trace(&self, input: &[T; 2]) -> Self::Trace {
        Features::forward_trace(self, input)
    }
    #[inline]
    fn trace_output(trace: &Self::Trace) -> &[T; 3] {
        trace.output()
    }
    #[inline]
    fn accumulate_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; 3],
        loss: &L,
        gradients: &mut Self,
    ) -> T {
        Features::accumulate_gradients(self, trace, target, loss, gradients)
    }
    #[inline]
    fn backward<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; 3],
        loss: &L,
    ) -> (T, Self) {
        Features::backward(self, trace, target, loss)
    }
    #[inline]
    fn loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 2],
        target: &[T; 3],
        loss: &L,
    ) -> T {
        Features::loss(self, input, target, loss)
    }
    #[inline]
    fn train_step<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 9>,
    >(&mut self, input: &[T; 2], target: &[T; 3], loss: &L, optimizer: &mut O) -> T {
        Features::train_step(self, input, target, loss, optimizer)
    }
}
impl<T: ::backprop_core::Scalar> Features<T>
where
    ::backprop_core::activation::LeakyRelu: ::backprop_core::activation::Activation<T>,
{
    /// The loss for one sample and the gradient of every parameter:
    /// [`Self::forward_trace`] then [`Self::backward`].
    #[inline]
    #[must_use]
    pub fn loss_and_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 2],
        target: &[T; 3],
        loss: &L,
    ) -> (T, Self) {
        <Self as ::backprop_core::Network<
            T,
            2,
            3,
            9,
        >>::loss_and_gradients(self, input, target, loss)
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
    pub fn try_train_step<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 9>,
    >(
        &mut self,
        input: &[T; 2],
        target: &[T; 3],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            2,
            3,
            9,
        >>::try_train_step(self, input, target, loss, optimizer)
    }
    /// The mean loss and mean gradient over a batch.
    ///
    /// # Errors
    ///
    /// For an empty batch or slices of different lengths.
    #[inline]
    pub fn batch_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        inputs: &[[T; 2]],
        targets: &[[T; 3]],
        loss: &L,
    ) -> ::core::result::Result<(T, Self), ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            2,
            3,
            9,
        >>::batch_gradients(self, inputs, targets, loss)
    }
    /// Batch gradient descent: one update from the mean gradient over
    /// the whole slice. Returns the mean loss before the update; for
    /// an empty batch or slices of different lengths, makes no update
    /// and returns NaN (see [`Self::try_train_batch`]).
    #[inline]
    pub fn train_batch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 9>,
    >(
        &mut self,
        inputs: &[[T; 2]],
        targets: &[[T; 3]],
        loss: &L,
        optimizer: &mut O,
    ) -> T {
        <Self as ::backprop_core::Network<
            T,
            2,
            3,
            9,
        >>::train_batch(self, inputs, targets, loss, optimizer)
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
    pub fn try_train_batch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 9>,
    >(
        &mut self,
        inputs: &[[T; 2]],
        targets: &[[T; 3]],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            2,
            3,
            9,
        >>::try_train_batch(self, inputs, targets, loss, optimizer)
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
    pub fn train_epoch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 9>,
    >(
        &mut self,
        inputs: &[[T; 2]],
        targets: &[[T; 3]],
        batch_size: usize,
        shuffle: ::core::option::Option<u64>,
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            2,
            3,
            9,
        >>::train_epoch(self, inputs, targets, batch_size, shuffle, loss, optimizer)
    }
    /// The class this network predicts for `input`: the index of its
    /// largest output, or for one output, 1 if it is at least `0.5`.
    /// See [`Network::classify`](::backprop_core::Network::classify).
    #[inline]
    #[must_use]
    pub fn classify(&self, input: &[T; 2]) -> ::core::option::Option<usize> {
        <Self as ::backprop_core::Network<T, 2, 3, 9>>::classify(self, input)
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
    pub fn accuracy<Lb: ::backprop_core::metrics::Labels<T, 3> + ?::core::marker::Sized>(
        &self,
        inputs: &[[T; 2]],
        labels: &Lb,
    ) -> ::core::result::Result<f64, ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<T, 2, 3, 9>>::accuracy(self, inputs, labels)
    }
    /// The mean loss over a data set, with no update. See
    /// [`Network::mean_loss`](::backprop_core::Network::mean_loss).
    ///
    /// # Errors
    ///
    /// No samples, or lengths that differ.
    #[inline]
    pub fn mean_loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        inputs: &[[T; 2]],
        targets: &[[T; 3]],
        loss: &L,
    ) -> ::core::result::Result<T, ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            2,
            3,
            9,
        >>::mean_loss(self, inputs, targets, loss)
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
    pub fn confusion_matrix<
        const C: usize,
        Lb: ::backprop_core::metrics::Labels<T, 3> + ?::core::marker::Sized,
    >(
        &self,
        inputs: &[[T; 2]],
        labels: &Lb,
    ) -> ::core::result::Result<[[u32; C]; C], ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            2,
            3,
            9,
        >>::confusion_matrix(self, inputs, labels)
    }
}
#[automatically_derived]
#[allow(
    clippy::many_single_char_names,
    clippy::similar_names,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::identity_op,
    clippy::erasing_op,
    clippy::possible_missing_comma
)]
impl<T: ::backprop_core::Scalar, __S> ::backprop_core::__private::Part<T, 2, 3, 9>
for Features<__S>
where
    ::backprop_core::activation::LeakyRelu: ::backprop_core::activation::Activation<T>,
{
    #[inline]
    fn __forward_trace(__p: &[T; 9], input: &[T; 2]) -> FeaturesTrace<T> {
        let mut __trace = FeaturesTrace {
            input: *input,
            layer1: ::backprop_core::LayerTrace {
                pre_activation: [<T as ::backprop_core::Scalar>::ZERO; 3],
                activation: [<T as ::backprop_core::Scalar>::ZERO; 3],
            },
        };
        let __z1: [T; 3] = [
            __p[6] + __p[0] * input[0] + __p[1] * input[1],
            __p[7] + __p[2] * input[0] + __p[3] * input[1],
            __p[8] + __p[4] * input[0] + __p[5] * input[1],
        ];
        let __act1 = ::backprop_core::activation::LeakyRelu::new(0.2f64);
        let __a1: [T; 3] = [
            ::backprop_core::activation::Activation::<T>::f(&__act1, __z1[0]),
            ::backprop_core::activation::Activation::<T>::f(&__act1, __z1[1]),
            ::backprop_core::activation::Activation::<T>::f(&__act1, __z1[2]),
        ];
        __trace.layer1 = ::backprop_core::LayerTrace {
            pre_activation: __z1,
            activation: __a1,
        };
        __trace
    }
    #[inline]
    fn __forward(__p: &[T; 9], input: &[T; 2], output: &mut [T; 3]) {
        *output = *<Self as ::backprop_core::__private::Part<
            T,
            2,
            3,
            9,
        >>::__forward_trace(__p, input)
            .output();
    }
    #[inline]
    fn __trace_loss<L: ::backprop_core::loss::Loss<T>>(
        trace: &FeaturesTrace<T>,
        target: &[T; 3],
        loss: &L,
    ) -> T {
        let __act1 = ::backprop_core::activation::LeakyRelu::new(0.2f64);
        ::backprop_core::loss::Loss::<
            T,
        >::output_loss(
            loss,
            &__act1,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        )
    }
    #[inline]
    fn __backward<
        L: ::backprop_core::loss::Loss<T>,
        const INPUT_GRAD: bool,
        const ACCUMULATE: bool,
    >(
        __p: &[T; 9],
        trace: &FeaturesTrace<T>,
        target: &[T; 3],
        loss: &L,
        __g: &mut [T; 9],
    ) -> (T, [T; 2]) {
        let __act1 = ::backprop_core::activation::LeakyRelu::new(0.2f64);
        let __loss = ::backprop_core::loss::Loss::<
            T,
        >::output_loss(
            loss,
            &__act1,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        );
        let __delta = ::backprop_core::loss::Loss::<
            T,
        >::output_delta(
            loss,
            &__act1,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        );
        (
            __loss,
            Features::<
                T,
            >::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(__p, trace, __delta, __g),
        )
    }
    #[inline]
    fn __backward_upstream<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        __p: &[T; 9],
        trace: &FeaturesTrace<T>,
        upstream: &[T; 3],
        __g: &mut [T; 9],
    ) -> [T; 2] {
        let __act1 = ::backprop_core::activation::LeakyRelu::new(0.2f64);
        let __delta = ::backprop_core::__private::activation_backward(
            &__act1,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            upstream,
        );
        Features::<
            T,
        >::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(__p, trace, __delta, __g)
    }
    #[inline]
    fn __update<L, O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; 9],
        trace: &FeaturesTrace<T>,
        target: &[T; 3],
        loss: &L,
        optimizer: &mut O,
        __base: usize,
    ) -> (T, [T; 2])
    where
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __act1 = ::backprop_core::activation::LeakyRelu::new(0.2f64);
        let __loss = ::backprop_core::loss::Loss::<
            T,
        >::output_loss(
            loss,
            &__act1,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        );
        let __delta = ::backprop_core::loss::Loss::<
            T,
        >::output_delta(
            loss,
            &__act1,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        );
        (
            __loss,
            Features::<
                T,
            >::__update_from_delta::<
                O,
                PO,
                INPUT_GRAD,
            >(__p, trace, __delta, optimizer, __base),
        )
    }
    #[inline]
    fn __update_upstream<O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; 9],
        trace: &FeaturesTrace<T>,
        upstream: &[T; 3],
        optimizer: &mut O,
        __base: usize,
    ) -> [T; 2]
    where
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __act1 = ::backprop_core::activation::LeakyRelu::new(0.2f64);
        let __delta = ::backprop_core::__private::activation_backward(
            &__act1,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            upstream,
        );
        Features::<
            T,
        >::__update_from_delta::<
            O,
            PO,
            INPUT_GRAD,
        >(__p, trace, __delta, optimizer, __base)
    }
    fn __with_seed(seed: u64) -> [T; 9] {
        let mut __net = Features::<
            T,
        >::from_params([<T as ::backprop_core::Scalar>::ZERO; 9]);
        let mut __rng = ::backprop_core::init::SplitMix64::new(seed);
        let (__w, __b) = ::backprop_core::__private::dense::layer_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            9,
            0,
            2,
            3,
        >(&mut __net.params);
        ::backprop_core::__private::dense::init::<
            T,
            ::backprop_core::__private::OutputMajor,
            2,
            3,
        >(
            __w,
            __b,
            <::backprop_core::activation::LeakyRelu as ::backprop_core::activation::Activation<
                T,
            >>::INIT,
            &mut __rng,
        );
        __net.params
    }
    #[inline]
    fn __from_params(params: [T; 9]) -> Features<T> {
        Features::<T>::from_params(params)
    }
    fn __fmt(__p: &[T; 9], f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        ::core::fmt::Debug::fmt(&Features::<T>::from_params(*__p), f)
    }
    fn __gradient_norms(__p: &[T; 9], norms: &mut [T])
    where
        T: ::backprop_core::Float,
    {
        let __norms = Features::<T>::from_params(*__p).gradient_norms();
        for (__slot, __norm) in ::core::iter::Iterator::zip(norms.iter_mut(), __norms) {
            *__slot = __norm;
        }
    }
    #[inline]
    fn __mark_alive(__trace: &FeaturesTrace<T>, __alive: &mut [bool]) {
        if let ::core::option::Option::Some(__alive) = __alive.first_chunk_mut() {
            Features::<T>::__mark_alive(__trace, __alive);
        }
    }
    #[inline]
    fn __count_dead(__alive: &[bool], __dead: &mut [usize]) {
        if let (
            ::core::option::Option::Some(__alive),
            ::core::option::Option::Some(__dead),
        ) = (__alive.first_chunk(), __dead.first_chunk_mut()) {
            *__dead = Features::<T>::__count_dead(__alive);
        }
    }
}
#[allow(
    clippy::many_single_char_names,
    clippy::similar_names,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::identity_op,
    clippy::erasing_op,
    clippy::possible_missing_comma
)]
impl<T: ::backprop_core::Scalar> Features<T>
where
    ::backprop_core::activation::LeakyRelu: ::backprop_core::activation::Activation<T>,
{
    #[doc(hidden)]
    #[inline]
    pub fn __update_from_delta<O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; 9],
        trace: &FeaturesTrace<T>,
        __d1: [T; 3],
        optimizer: &mut O,
        __base: usize,
    ) -> [T; 2]
    where
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __x1 = &trace.input;
        let __dx = if INPUT_GRAD {
            [
                __p[0] * __d1[0] + __p[2] * __d1[1] + __p[4] * __d1[2],
                __p[1] * __d1[0] + __p[3] * __d1[1] + __p[5] * __d1[2],
            ]
        } else {
            [<T as ::backprop_core::Scalar>::ZERO; 2]
        };
        {
            let (__gw, __gb) = ::backprop_core::__private::dense::layer_mut::<
                T,
                ::backprop_core::__private::OutputMajor,
                9,
                0,
                2,
                3,
            >(__p);
            ::backprop_core::__private::dense::update::<
                T,
                ::backprop_core::__private::OutputMajor,
                _,
                PO,
                2,
                3,
            >(optimizer, __base + 0, __gw, __gb, &__d1, __x1);
        }
        __dx
    }
    #[doc(hidden)]
    #[inline]
    pub fn __backward_from_delta<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        __p: &[T; 9],
        trace: &FeaturesTrace<T>,
        __d1: [T; 3],
        __g: &mut [T; 9],
    ) -> [T; 2] {
        let __x1 = &trace.input;
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[0], __d1[0] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[1], __d1[0] * __x1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[2], __d1[1] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[3], __d1[1] * __x1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[4], __d1[2] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[5], __d1[2] * __x1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[6], __d1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[7], __d1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[8], __d1[2]);
        if INPUT_GRAD {
            [
                __p[0] * __d1[0] + __p[2] * __d1[1] + __p[4] * __d1[2],
                __p[1] * __d1[0] + __p[3] * __d1[1] + __p[5] * __d1[2],
            ]
        } else {
            [<T as ::backprop_core::Scalar>::ZERO; 2]
        }
    }
}
impl<T: ::backprop_core::Scalar> Features<T>
where
    ::backprop_core::activation::LeakyRelu: ::backprop_core::activation::Activation<T>,
{
    ///A network with weights drawn from `seed` (He uniform for ReLU-family layers, Glorot uniform for the others) and zero biases. The same seed gives the same parameters on every target. Layers: `2 => 3 LeakyReLU(0.2)`.
    #[must_use]
    pub fn with_seed(seed: u64) -> Self {
        Self::from_params(
            <Self as ::backprop_core::__private::Part<T, 2, 3, 9>>::__with_seed(seed),
        )
    }
}
impl<T: ::backprop_core::Float> Features<T> {
    /// The Euclidean norm of each layer's parameters (weights and
    /// biases together). Called on a gradient, it shows how much each
    /// layer learns: norms that shrink towards the input are the
    /// vanishing gradient.
    #[must_use]
    pub fn gradient_norms(&self) -> [T; 1] {
        [::backprop_core::__private::l2_norm(&self.params[0..9])]
    }
}
/**A neural network `3 => 3 Softmax`.

# Architecture

`3 => 3 Softmax`, declared with `backprop_core::network!`: 3 inputs, 3 outputs, 12 parameters.

| layer | inputs | outputs | activation | weights at | biases at |
|---|---|---|---|---|---|
| 1 | 3 | 3 | `Softmax` | `0..9` | `9..12` |

The parameters live in one flat array: layer by layer, the weights row-major in `[out][in]` order (the weight from input `i` to neuron `o` of a layer is at `weights_at + o * inputs + i`), then that layer's biases.*/
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq)]
struct Head<T = f32> {
    params: [T; 12],
}
///Every value of one forward pass of [`Head`]: its input, then each layer's pre-activations and activations. Made by [`Head::forward_trace`], read by [`Head::backward`].
#[derive(
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::fmt::Debug,
    ::core::cmp::PartialEq
)]
#[allow(non_camel_case_types)]
struct HeadTrace<T = f32> {
    /// The input the forward pass ran on.
    pub input: [T; 3],
    ///Layer 1 (3 neurons `Softmax`): pre-activations and activations.
    pub layer1: ::backprop_core::LayerTrace<T, 3>,
}
impl<T> HeadTrace<T> {
    /// The output of the forward pass.
    #[inline]
    #[must_use]
    pub const fn output(&self) -> &[T; 3] {
        &self.layer1.activation
    }
}
#[allow(non_camel_case_types)]
impl<T> ::backprop_core::__private::NetworkFamily for Head<T> {
    type Of<__S> = Head<__S>;
    type TraceOf<__S> = HeadTrace<__S>;
    const INPUTS: usize = 3;
    const OUTPUTS: usize = 3;
    const PARAMS: usize = 12;
    const LAYERS: usize = 1;
    const UNITS: usize = 3;
    const ARCHITECTURE: &'static str = <Head<T>>::ARCHITECTURE;
    const LAYER_INFO: &'static [::backprop_core::summary::LayerInfo] = &[
        ::backprop_core::summary::LayerInfo {
            kind: "Dense",
            inputs: 3,
            outputs: 3,
            activation: "Softmax",
            params: 12,
            input_major: false,
        },
    ];
    const RECURRENT: bool = false;
}
impl<T> Head<T> {
    ///The input width: 3.
    pub const INPUTS: usize = 3;
    ///The output width: 3.
    pub const OUTPUTS: usize = 3;
    ///The number of parameters, weights and biases together: 12.
    pub const PARAMS: usize = 12;
    ///The number of layers after the input: 1.
    pub const LAYERS: usize = 1;
    ///The bytes the parameters take: `PARAMS * size_of::<T>()`, the whole size of a network value.
    pub const PARAM_BYTES: usize = 12 * ::core::mem::size_of::<T>();
    /// The bytes one forward trace takes (its input, and every
    /// layer's pre-activations and activations): with
    /// [`Self::PARAM_BYTES`], the RAM a training step needs for data.
    pub const TRACE_BYTES: usize = ::core::mem::size_of::<HeadTrace<T>>();
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
    ///A network with these parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn from_params(params: [T; 12]) -> Self {
        Self { params }
    }
    /// All parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params(&self) -> &[T; 12] {
        &self.params
    }
    /// All parameters, mutably, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params_mut(&mut self) -> &mut [T; 12] {
        &mut self.params
    }
    /// The flat parameter array, by value.
    #[inline]
    #[must_use]
    pub fn into_params(self) -> [T; 12] {
        self.params
    }
    ///The weights of layer 1 (3 => 3 `Softmax`), `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`.
    #[inline]
    #[must_use]
    pub fn layer1_weights(&self) -> &[[T; 3]; 3] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            12,
            0,
            3,
            3,
        >(&self.params)
    }
    ///The weights of layer 1 (3 => 3 `Softmax`), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_weights_mut(&mut self) -> &mut [[T; 3]; 3] {
        ::backprop_core::__private::views::matrix_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            12,
            0,
            3,
            3,
        >(&mut self.params)
    }
    ///The biases of layer 1 (3 => 3 `Softmax`).
    #[inline]
    #[must_use]
    pub fn layer1_bias(&self) -> &[T; 3] {
        ::backprop_core::__private::bias::<T, 12, 9, 3>(&self.params)
    }
    ///The biases of layer 1 (3 => 3 `Softmax`), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_bias_mut(&mut self) -> &mut [T; 3] {
        ::backprop_core::__private::bias_mut::<T, 12, 9, 3>(&mut self.params)
    }
}
impl<T: ::backprop_core::Scalar> ::core::default::Default for Head<T> {
    /// All parameters zero.
    #[inline]
    fn default() -> Self {
        Self::from_params([<T as ::backprop_core::Scalar>::ZERO; 12])
    }
}
impl<T: ::core::fmt::Debug + ::core::marker::Copy> ::core::fmt::Debug for Head<T> {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("Head")
            .field("layer1_weights", self.layer1_weights())
            .field("layer1_bias", self.layer1_bias())
            .finish()
    }
}
impl<T> Head<T> {
    ///The canonical spec text, `3 => 3 Softmax`: a weights blob records it, and a blob loads only where it is the `ARCHITECTURE` byte for byte. Its CRC-32 is [`Self::FINGERPRINT`].
    pub const ARCHITECTURE: &'static str = "3 => 3 Softmax";
    ///The CRC-32 of [`Self::ARCHITECTURE`], stored in the header of every weights blob of this network beside the text itself, for tools that list blobs; loading compares the text.
    pub const FINGERPRINT: u32 = ::backprop_core::weights::crc32(
        Self::ARCHITECTURE.as_bytes(),
    );
}
impl<T: ::backprop_core::Scalar> Head<T> {
    ///A table of the layers of `3 => 3 Softmax`, one row per layer with its widths, activation and parameter count, then the totals, parameter bytes and trace bytes, in the style of Keras' `model.summary()`. Print it with `println!("{}", Head::<f32>::summary())`.
    #[must_use]
    pub const fn summary() -> ::backprop_core::summary::Summary {
        ::backprop_core::summary::Summary {
            name: "Head",
            scalar: <T as ::backprop_core::Scalar>::NAME,
            inputs: Self::INPUTS,
            window: "",
            layers: <Self as ::backprop_core::__private::NetworkFamily>::LAYER_INFO,
            param_bytes: Self::PARAM_BYTES,
            trace_bytes: Self::TRACE_BYTES,
        }
    }
}
::backprop_core::__impl_serde! {
    Head, 12
}
impl<T: ::backprop_core::Codec> Head<T> {
    /**Loads a network from a weights blob (the format of [`backprop_core::weights`](::backprop_core::weights)), after checking all of it.

# Errors

A [`LoadError`](::backprop_core::LoadError) naming the first check that failed: length, magic number, version, checksum, scalar type, reserved byte, architecture or parameter count.*/
    pub fn from_bytes(
        bytes: &[u8],
    ) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
        match ::backprop_core::weights::decode::<T, 12>(bytes, Self::ARCHITECTURE) {
            ::core::result::Result::Ok(params) => {
                ::core::result::Result::Ok(Self::from_params(params))
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
    }
    /**Replaces this network's parameters with those of a weights blob. The blob is checked completely first; on error the network is left untouched.

# Errors

As [`Self::from_bytes`].*/
    pub fn load_bytes(
        &mut self,
        bytes: &[u8],
    ) -> ::core::result::Result<(), ::backprop_core::LoadError> {
        match ::backprop_core::weights::decode::<T, 12>(bytes, Self::ARCHITECTURE) {
            ::core::result::Result::Ok(params) => {
                *self.params_mut() = params;
                ::core::result::Result::Ok(())
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
    }
}
::backprop_core::__private::byte_methods! {
    Head, 12, "network", "12 parameters", to_bytes, from_bytes_const
}
impl<T: ::backprop_core::Scalar> Head<T>
where
    T: ::backprop_core::activation::SoftmaxScalar,
{
    ///For each layer, how many `ReLU` units are dead on `inputs`: their pre-activation is `<= 0` for every input, so they output 0 and pass no gradient back. Layers with other activations count 0; on an empty slice every `ReLU` unit counts as dead.
    #[must_use]
    pub fn dead_relu_units(&self, inputs: &[[T; 3]]) -> [usize; 1] {
        let mut __alive = [false; 3];
        for input in inputs {
            Self::__mark_alive(&self.forward_trace(input), &mut __alive);
        }
        Self::__count_dead(&__alive)
    }
    #[doc(hidden)]
    #[inline]
    pub fn __mark_alive(__trace: &HeadTrace<T>, __alive: &mut [bool; 3]) {
        let _ = (__trace, __alive);
    }
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub fn __count_dead(__alive: &[bool; 3]) -> [usize; 1] {
        let _ = __alive;
        [0_usize; 1]
    }
}
impl<T: ::backprop_core::Scalar> Head<T>
where
    T: ::backprop_core::activation::SoftmaxScalar,
{
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
        input: &[T; 3],
        target: &[T; 3],
        loss: &L,
        optimizer: &mut O,
    ) -> T
    where
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 12>,
    {
        let trace = <Self as ::backprop_core::__private::Part<
            T,
            3,
            3,
            12,
        >>::__forward_trace(&self.params, input);
        if <O as ::backprop_core::optim::Optimizer<T, 12>>::ELEMENTWISE {
            ::backprop_core::optim::Optimizer::<T, 12>::begin_step(optimizer);
            <Self as ::backprop_core::__private::Part<
                T,
                3,
                3,
                12,
            >>::__update::<
                L,
                O,
                12,
                false,
            >(&mut self.params, &trace, target, loss, optimizer, 0)
                .0
        } else {
            let (value, gradients) = self.backward(&trace, target, loss);
            ::backprop_core::optim::Optimizer::<
                T,
                12,
            >::step(optimizer, &mut self.params, &gradients.params);
            value
        }
    }
    /// Runs the network on one input and returns its output.
    #[inline]
    #[must_use]
    pub fn forward(&self, input: &[T; 3]) -> [T; 3] {
        let mut output = [<T as ::backprop_core::Scalar>::ZERO; 3];
        <Self as ::backprop_core::__private::Part<
            T,
            3,
            3,
            12,
        >>::__forward(&self.params, input, &mut output);
        output
    }
    /// Runs the network on one input and returns every layer's
    /// pre-activations and activations, as the backward pass needs them.
    #[inline]
    #[must_use]
    pub fn forward_trace(&self, input: &[T; 3]) -> HeadTrace<T> {
        <Self as ::backprop_core::__private::Part<
            T,
            3,
            3,
            12,
        >>::__forward_trace(&self.params, input)
    }
    /// The loss of the network's prediction for `input` against
    /// `target`, computed as training computes it (from the logits
    /// where the loss has a fused form).
    #[inline]
    #[must_use]
    pub fn loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 3],
        target: &[T; 3],
        loss: &L,
    ) -> T {
        <Self as ::backprop_core::__private::Part<
            T,
            3,
            3,
            12,
        >>::__trace_loss(
            &<Self as ::backprop_core::__private::Part<
                T,
                3,
                3,
                12,
            >>::__forward_trace(&self.params, input),
            target,
            loss,
        )
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
        trace: &HeadTrace<T>,
        target: &[T; 3],
        loss: &L,
        gradients: &mut Self,
    ) -> T {
        <Self as ::backprop_core::__private::Part<
            T,
            3,
            3,
            12,
        >>::__backward::<
            L,
            false,
            true,
        >(&self.params, trace, target, loss, &mut gradients.params)
            .0
    }
    /// Backpropagates one sample: the loss and the gradient of every
    /// parameter, as a network-shaped value (`gradients.params()` is
    /// the flat gradient).
    #[inline]
    #[must_use]
    pub fn backward<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &HeadTrace<T>,
        target: &[T; 3],
        loss: &L,
    ) -> (T, Self) {
        let mut gradients = Self::from_params(
            [<T as ::backprop_core::Scalar>::ZERO; 12],
        );
        let (loss, _) = <Self as ::backprop_core::__private::Part<
            T,
            3,
            3,
            12,
        >>::__backward::<
            L,
            false,
            false,
        >(&self.params, trace, target, loss, &mut gradients.params);
        (loss, gradients)
    }
}
#[automatically_derived]
impl<T: ::backprop_core::Scalar> ::backprop_core::Network<T, 3, 3, 12> for Head<T>
where
    T: ::backprop_core::activation::SoftmaxScalar,
{
    type Trace = HeadTrace<T>;
    #[inline]
    fn from_params(params: [T; 12]) -> Self {
        Head::from_params(params)
    }
    #[inline]
    fn params(&self) -> &[T; 12] {
        Head::params(self)
    }
    #[inline]
    fn params_mut(&mut self) -> &mut [T; 12] {
        Head::params_mut(self)
    }
    #[inline]
    fn forward(&self, input: &[T; 3]) -> [T; 3] {
        Head::forward(self, input)
    }
    #[inline]
    fn forward_trace(&self, input: &[T; 3]) -> Self::Trace {
        Head::forward_trace(self, input)
    }
    #[inline]
    fn trace_output(trace: &Self::Trace) -> &[T; 3] {
        trace.output()
    }
    #[inline]
    fn accumulate_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; 3],
        loss: &L,
        gradients: &mut Self,
    ) -> T {
        Head::accumulate_gradients(self, trace, target, loss, gradients)
    }
    #[inline]
    fn backward<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; 3],
        loss: &L,
    ) -> (T, Self) {
        Head::backward(self, trace, target, loss)
    }
    #[inline]
    fn loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 3],
        target: &[T; 3],
        loss: &L,
    ) -> T {
        Head::loss(self, input, target, loss)
    }
    #[inline]
    fn train_step<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 12>,
    >(&mut self, input: &[T; 3], target: &[T; 3], loss: &L, optimizer: &mut O) -> T {
        Head::train_step(self, input, target, loss, optimizer)
    }
}
impl<T: ::backprop_core::Scalar> Head<T>
where
    T: ::backprop_core::activation::SoftmaxScalar,
{
    /// The loss for one sample and the gradient of every parameter:
    /// [`Self::forward_trace`] then [`Self::backward`].
    #[inline]
    #[must_use]
    pub fn loss_and_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 3],
        target: &[T; 3],
        loss: &L,
    ) -> (T, Self) {
        <Self as ::backprop_core::Network<
            T,
            3,
            3,
            12,
        >>::loss_and_gradients(self, input, target, loss)
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
    pub fn try_train_step<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 12>,
    >(
        &mut self,
        input: &[T; 3],
        target: &[T; 3],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            3,
            3,
            12,
        >>::try_train_step(self, input, target, loss, optimizer)
    }
    /// The mean loss and mean gradient over a batch.
    ///
    /// # Errors
    ///
    /// For an empty batch or slices of different lengths.
    #[inline]
    pub fn batch_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        inputs: &[[T; 3]],
        targets: &[[T; 3]],
        loss: &L,
    ) -> ::core::result::Result<(T, Self), ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            3,
            3,
            12,
        >>::batch_gradients(self, inputs, targets, loss)
    }
    /// Batch gradient descent: one update from the mean gradient over
    /// the whole slice. Returns the mean loss before the update; for
    /// an empty batch or slices of different lengths, makes no update
    /// and returns NaN (see [`Self::try_train_batch`]).
    #[inline]
    pub fn train_batch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 12>,
    >(
        &mut self,
        inputs: &[[T; 3]],
        targets: &[[T; 3]],
        loss: &L,
        optimizer: &mut O,
    ) -> T {
        <Self as ::backprop_core::Network<
            T,
            3,
            3,
            12,
        >>::train_batch(self, inputs, targets, loss, optimizer)
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
    pub fn try_train_batch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 12>,
    >(
        &mut self,
        inputs: &[[T; 3]],
        targets: &[[T; 3]],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            3,
            3,
            12,
        >>::try_train_batch(self, inputs, targets, loss, optimizer)
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
    pub fn train_epoch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 12>,
    >(
        &mut self,
        inputs: &[[T; 3]],
        targets: &[[T; 3]],
        batch_size: usize,
        shuffle: ::core::option::Option<u64>,
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            3,
            3,
            12,
        >>::train_epoch(self, inputs, targets, batch_size, shuffle, loss, optimizer)
    }
    /// The class this network predicts for `input`: the index of its
    /// largest output, or for one output, 1 if it is at least `0.5`.
    /// See [`Network::classify`](::backprop_core::Network::classify).
    #[inline]
    #[must_use]
    pub fn classify(&self, input: &[T; 3]) -> ::core::option::Option<usize> {
        <Self as ::backprop_core::Network<T, 3, 3, 12>>::classify(self, input)
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
    pub fn accuracy<Lb: ::backprop_core::metrics::Labels<T, 3> + ?::core::marker::Sized>(
        &self,
        inputs: &[[T; 3]],
        labels: &Lb,
    ) -> ::core::result::Result<f64, ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<T, 3, 3, 12>>::accuracy(self, inputs, labels)
    }
    /// The mean loss over a data set, with no update. See
    /// [`Network::mean_loss`](::backprop_core::Network::mean_loss).
    ///
    /// # Errors
    ///
    /// No samples, or lengths that differ.
    #[inline]
    pub fn mean_loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        inputs: &[[T; 3]],
        targets: &[[T; 3]],
        loss: &L,
    ) -> ::core::result::Result<T, ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            3,
            3,
            12,
        >>::mean_loss(self, inputs, targets, loss)
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
    pub fn confusion_matrix<
        const C: usize,
        Lb: ::backprop_core::metrics::Labels<T, 3> + ?::core::marker::Sized,
    >(
        &self,
        inputs: &[[T; 3]],
        labels: &Lb,
    ) -> ::core::result::Result<[[u32; C]; C], ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            3,
            3,
            12,
        >>::confusion_matrix(self, inputs, labels)
    }
}
#[automatically_derived]
#[allow(
    clippy::many_single_char_names,
    clippy::similar_names,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::identity_op,
    clippy::erasing_op,
    clippy::possible_missing_comma
)]
impl<T: ::backprop_core::Scalar, __S> ::backprop_core::__private::Part<T, 3, 3, 12>
for Head<__S>
where
    T: ::backprop_core::activation::SoftmaxScalar,
{
    #[inline]
    fn __forward_trace(__p: &[T; 12], input: &[T; 3]) -> HeadTrace<T> {
        let mut __trace = HeadTrace {
            input: *input,
            layer1: ::backprop_core::LayerTrace {
                pre_activation: [<T as ::backprop_core::Scalar>::ZERO; 3],
                activation: [<T as ::backprop_core::Scalar>::ZERO; 3],
            },
        };
        let __z1: [T; 3] = [
            __p[9] + __p[0] * input[0] + __p[1] * input[1] + __p[2] * input[2],
            __p[10] + __p[3] * input[0] + __p[4] * input[1] + __p[5] * input[2],
            __p[11] + __p[6] * input[0] + __p[7] * input[1] + __p[8] * input[2],
        ];
        let __a1: [T; 3] = ::backprop_core::activation::softmax(&__z1);
        __trace.layer1 = ::backprop_core::LayerTrace {
            pre_activation: __z1,
            activation: __a1,
        };
        __trace
    }
    #[inline]
    fn __forward(__p: &[T; 12], input: &[T; 3], output: &mut [T; 3]) {
        *output = *<Self as ::backprop_core::__private::Part<
            T,
            3,
            3,
            12,
        >>::__forward_trace(__p, input)
            .output();
    }
    #[inline]
    fn __trace_loss<L: ::backprop_core::loss::Loss<T>>(
        trace: &HeadTrace<T>,
        target: &[T; 3],
        loss: &L,
    ) -> T {
        ::backprop_core::loss::Loss::<
            T,
        >::softmax_loss(
            loss,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        )
    }
    #[inline]
    fn __backward<
        L: ::backprop_core::loss::Loss<T>,
        const INPUT_GRAD: bool,
        const ACCUMULATE: bool,
    >(
        __p: &[T; 12],
        trace: &HeadTrace<T>,
        target: &[T; 3],
        loss: &L,
        __g: &mut [T; 12],
    ) -> (T, [T; 3]) {
        let __loss = ::backprop_core::loss::Loss::<
            T,
        >::softmax_loss(
            loss,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        );
        let __delta = ::backprop_core::loss::Loss::<
            T,
        >::softmax_delta(
            loss,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        );
        (
            __loss,
            Head::<
                T,
            >::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(__p, trace, __delta, __g),
        )
    }
    #[inline]
    fn __backward_upstream<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        __p: &[T; 12],
        trace: &HeadTrace<T>,
        upstream: &[T; 3],
        __g: &mut [T; 12],
    ) -> [T; 3] {
        let __delta = ::backprop_core::activation::Softmax
            .backward(&trace.layer1.activation, upstream);
        Head::<
            T,
        >::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(__p, trace, __delta, __g)
    }
    #[inline]
    fn __update<L, O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; 12],
        trace: &HeadTrace<T>,
        target: &[T; 3],
        loss: &L,
        optimizer: &mut O,
        __base: usize,
    ) -> (T, [T; 3])
    where
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __loss = ::backprop_core::loss::Loss::<
            T,
        >::softmax_loss(
            loss,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        );
        let __delta = ::backprop_core::loss::Loss::<
            T,
        >::softmax_delta(
            loss,
            &trace.layer1.pre_activation,
            &trace.layer1.activation,
            target,
        );
        (
            __loss,
            Head::<
                T,
            >::__update_from_delta::<
                O,
                PO,
                INPUT_GRAD,
            >(__p, trace, __delta, optimizer, __base),
        )
    }
    #[inline]
    fn __update_upstream<O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; 12],
        trace: &HeadTrace<T>,
        upstream: &[T; 3],
        optimizer: &mut O,
        __base: usize,
    ) -> [T; 3]
    where
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __delta = ::backprop_core::activation::Softmax
            .backward(&trace.layer1.activation, upstream);
        Head::<
            T,
        >::__update_from_delta::<
            O,
            PO,
            INPUT_GRAD,
        >(__p, trace, __delta, optimizer, __base)
    }
    fn __with_seed(seed: u64) -> [T; 12] {
        let mut __net = Head::<
            T,
        >::from_params([<T as ::backprop_core::Scalar>::ZERO; 12]);
        let mut __rng = ::backprop_core::init::SplitMix64::new(seed);
        let (__w, __b) = ::backprop_core::__private::dense::layer_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            12,
            0,
            3,
            3,
        >(&mut __net.params);
        ::backprop_core::__private::dense::init::<
            T,
            ::backprop_core::__private::OutputMajor,
            3,
            3,
        >(__w, __b, ::backprop_core::init::Scheme::Glorot, &mut __rng);
        __net.params
    }
    #[inline]
    fn __from_params(params: [T; 12]) -> Head<T> {
        Head::<T>::from_params(params)
    }
    fn __fmt(__p: &[T; 12], f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        ::core::fmt::Debug::fmt(&Head::<T>::from_params(*__p), f)
    }
    fn __gradient_norms(__p: &[T; 12], norms: &mut [T])
    where
        T: ::backprop_core::Float,
    {
        let __norms = Head::<T>::from_params(*__p).gradient_norms();
        for (__slot, __norm) in ::core::iter::Iterator::zip(norms.iter_mut(), __norms) {
            *__slot = __norm;
        }
    }
    #[inline]
    fn __mark_alive(__trace: &HeadTrace<T>, __alive: &mut [bool]) {
        if let ::core::option::Option::Some(__alive) = __alive.first_chunk_mut() {
            Head::<T>::__mark_alive(__trace, __alive);
        }
    }
    #[inline]
    fn __count_dead(__alive: &[bool], __dead: &mut [usize]) {
        if let (
            ::core::option::Option::Some(__alive),
            ::core::option::Option::Some(__dead),
        ) = (__alive.first_chunk(), __dead.first_chunk_mut()) {
            *__dead = Head::<T>::__count_dead(__alive);
        }
    }
}
#[allow(
    clippy::many_single_char_names,
    clippy::similar_names,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::identity_op,
    clippy::erasing_op,
    clippy::possible_missing_comma
)]
impl<T: ::backprop_core::Scalar> Head<T>
where
    T: ::backprop_core::activation::SoftmaxScalar,
{
    #[doc(hidden)]
    #[inline]
    pub fn __update_from_delta<O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; 12],
        trace: &HeadTrace<T>,
        __d1: [T; 3],
        optimizer: &mut O,
        __base: usize,
    ) -> [T; 3]
    where
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __x1 = &trace.input;
        let __dx = if INPUT_GRAD {
            [
                __p[0] * __d1[0] + __p[3] * __d1[1] + __p[6] * __d1[2],
                __p[1] * __d1[0] + __p[4] * __d1[1] + __p[7] * __d1[2],
                __p[2] * __d1[0] + __p[5] * __d1[1] + __p[8] * __d1[2],
            ]
        } else {
            [<T as ::backprop_core::Scalar>::ZERO; 3]
        };
        {
            let (__gw, __gb) = ::backprop_core::__private::dense::layer_mut::<
                T,
                ::backprop_core::__private::OutputMajor,
                12,
                0,
                3,
                3,
            >(__p);
            ::backprop_core::__private::dense::update::<
                T,
                ::backprop_core::__private::OutputMajor,
                _,
                PO,
                3,
                3,
            >(optimizer, __base + 0, __gw, __gb, &__d1, __x1);
        }
        __dx
    }
    #[doc(hidden)]
    #[inline]
    pub fn __backward_from_delta<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        __p: &[T; 12],
        trace: &HeadTrace<T>,
        __d1: [T; 3],
        __g: &mut [T; 12],
    ) -> [T; 3] {
        let __x1 = &trace.input;
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[0], __d1[0] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[1], __d1[0] * __x1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[2], __d1[0] * __x1[2]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[3], __d1[1] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[4], __d1[1] * __x1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[5], __d1[1] * __x1[2]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[6], __d1[2] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[7], __d1[2] * __x1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[8], __d1[2] * __x1[2]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[9], __d1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[10], __d1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[11], __d1[2]);
        if INPUT_GRAD {
            [
                __p[0] * __d1[0] + __p[3] * __d1[1] + __p[6] * __d1[2],
                __p[1] * __d1[0] + __p[4] * __d1[1] + __p[7] * __d1[2],
                __p[2] * __d1[0] + __p[5] * __d1[1] + __p[8] * __d1[2],
            ]
        } else {
            [<T as ::backprop_core::Scalar>::ZERO; 3]
        }
    }
}
impl<T: ::backprop_core::Scalar> Head<T>
where
    T: ::backprop_core::activation::SoftmaxScalar,
{
    ///A network with weights drawn from `seed` (He uniform for ReLU-family layers, Glorot uniform for the others) and zero biases. The same seed gives the same parameters on every target. Layers: `3 => 3 Softmax`.
    #[must_use]
    pub fn with_seed(seed: u64) -> Self {
        Self::from_params(
            <Self as ::backprop_core::__private::Part<T, 3, 3, 12>>::__with_seed(seed),
        )
    }
}
impl<T: ::backprop_core::Float> Head<T> {
    /// The Euclidean norm of each layer's parameters (weights and
    /// biases together). Called on a gradient, it shows how much each
    /// layer learns: norms that shrink towards the input are the
    /// vanishing gradient.
    #[must_use]
    pub fn gradient_norms(&self) -> [T; 1] {
        [::backprop_core::__private::l2_norm(&self.params[0..12])]
    }
}
///[`Head`] quantized to int8 by [`Head::quantize`]: each layer's weights `i8`, symmetric per output channel, its biases `i32`, its activations `i8`, affine per tensor, and TFLite's integer requantization between them (`backprop_core::int8`). [`Self::forward`] is integer arithmetic only.
#[derive(
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::fmt::Debug,
    ::core::cmp::PartialEq
)]
#[allow(non_camel_case_types)]
struct HeadInt8 {
    /// How the input is quantized.
    pub input: ::backprop_core::int8::Quantization,
    /// How the output is quantized.
    pub output: ::backprop_core::int8::Quantization,
    ///Layer 1: 3 => 3, `None` fused.
    pub layer1: ::backprop_core::int8::Dense<3, 3>,
    ///Layer 1's activation, by TFLite's integer kernel.
    pub layer1_activation: ::backprop_core::int8::Softmax,
}
impl HeadInt8 {
    /// The quantized output for the quantized input: integer
    /// arithmetic only.
    #[inline]
    #[must_use]
    pub fn forward(&self, input: &[i8; 3]) -> [i8; 3] {
        let __a1 = self.layer1_activation.forward(&self.layer1.forward(&input));
        __a1
    }
    /// The output for a float input: quantized in, run in int8,
    /// dequantized out.
    #[inline]
    #[must_use]
    pub fn forward_f32(&self, input: &[f32; 3]) -> [f32; 3] {
        let __q = input.map(|__v| self.input.quantize(__v));
        self.forward(&__q).map(|__v| self.output.dequantize(__v))
    }
}
impl HeadInt8 {
    /// The float network's `ARCHITECTURE`: a blob of this int8
    /// network records it, with the int8 kind byte.
    pub const ARCHITECTURE: &'static str = <Head<f32>>::ARCHITECTURE;
    /// The bytes of the quantized values in a blob: the input's
    /// and output's quantizations, then every layer.
    pub const PAYLOAD: usize = 2 * ::backprop_core::int8::QUANTIZATION_BYTES
        + ::backprop_core::int8::Dense::<3, 3>::BYTES
        + ::backprop_core::int8::Softmax::BYTES;
    /// The bytes of a weights blob of this int8 network.
    pub const BYTES: usize = ::backprop_core::weights::encoded_len(
        Self::PAYLOAD,
        1,
        Self::ARCHITECTURE.len(),
    );
    /// The network as a weights blob (the format of
    /// `backprop_core::weights`, kind byte `int8::KIND`), for
    /// [`Self::from_bytes`] or, in flash, [`Self::from_bytes_const`].
    #[must_use]
    pub fn to_bytes(&self) -> [u8; Self::BYTES] {
        let mut __out = [0_u8; Self::BYTES];
        #[allow(clippy::cast_possible_truncation)]
        let __head = ::backprop_core::weights::header(
            ::backprop_core::int8::KIND,
            Self::ARCHITECTURE,
            Self::PAYLOAD as u32,
        );
        let mut __at = ::backprop_core::weights::HEADER_BYTES;
        __out[..__at].copy_from_slice(&__head);
        __out[__at..__at + Self::ARCHITECTURE.len()]
            .copy_from_slice(Self::ARCHITECTURE.as_bytes());
        __at += Self::ARCHITECTURE.len();
        self.input.write(&mut __out[__at..]);
        __at += ::backprop_core::int8::QUANTIZATION_BYTES;
        self.output.write(&mut __out[__at..]);
        __at += ::backprop_core::int8::QUANTIZATION_BYTES;
        self.layer1.write(&mut __out[__at..]);
        __at += ::backprop_core::int8::Dense::<3, 3>::BYTES;
        self.layer1_activation.write(&mut __out[__at..]);
        __at += ::backprop_core::int8::Softmax::BYTES;
        let __end = Self::BYTES - ::backprop_core::weights::CHECKSUM_BYTES;
        let __crc = ::backprop_core::weights::crc32(&__out[..__end]);
        __out[__end..].copy_from_slice(&__crc.to_le_bytes());
        __out
    }
    /// The network a blob of [`Self::to_bytes`] holds.
    ///
    /// # Errors
    ///
    /// Any check of `backprop_core::weights::validate`: the magic,
    /// version, kind byte (a float or fixed-point blob is refused),
    /// architecture text, length and checksum.
    pub fn from_bytes(
        bytes: &[u8],
    ) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
        ::backprop_core::weights::validate(
            bytes,
            ::backprop_core::int8::KIND,
            1,
            Self::ARCHITECTURE,
            Self::PAYLOAD,
        )?;
        ::core::result::Result::Ok(Self::read(bytes))
    }
    /// [`Self::from_bytes`] at compile time, for a `static` in
    /// flash: `static NET: NetInt8 = NetInt8::from_bytes_const(include_bytes!("net.bpnn"));`.
    ///
    /// # Panics
    ///
    /// If the blob fails a check (in a `static`, a compile error).
    #[must_use]
    pub const fn from_bytes_const(bytes: &[u8; Self::BYTES]) -> Self {
        if let ::core::result::Result::Err(__error) = ::backprop_core::weights::validate(
            bytes,
            ::backprop_core::int8::KIND,
            1,
            Self::ARCHITECTURE,
            Self::PAYLOAD,
        ) {
            ::core::panic!("{}", __error.summary());
        }
        Self::read(bytes)
    }
    /// The values of a validated blob.
    const fn read(bytes: &[u8]) -> Self {
        let mut __at = ::backprop_core::weights::HEADER_BYTES + Self::ARCHITECTURE.len();
        let input = ::backprop_core::int8::Quantization::read(bytes, __at);
        __at += ::backprop_core::int8::QUANTIZATION_BYTES;
        let output = ::backprop_core::int8::Quantization::read(bytes, __at);
        __at += ::backprop_core::int8::QUANTIZATION_BYTES;
        let layer1 = ::backprop_core::int8::Dense::<3, 3>::read(bytes, __at);
        __at += ::backprop_core::int8::Dense::<3, 3>::BYTES;
        let layer1_activation = ::backprop_core::int8::Softmax::read(bytes, __at);
        __at += ::backprop_core::int8::Softmax::BYTES;
        let _ = __at;
        Self {
            input,
            output,
            layer1,
            layer1_activation,
        }
    }
}
impl Head<f32> {
    /// The network quantized to int8 after training: the input's
    /// and every layer's output ranges are taken over
    /// `calibration` (inputs like those the network will see), then
    /// every layer is quantized (`backprop_core::int8::Dense::quantize`).
    ///
    /// # Errors
    ///
    /// `QuantError::NoCalibration` for no samples, or a layer that
    /// cannot be quantized (a value that is not finite, a range of
    /// only 0, a multiplier out of TFLite's range).
    #[inline]
    pub fn quantize(
        &self,
        calibration: &[[f32; 3]],
    ) -> ::core::result::Result<HeadInt8, ::backprop_core::int8::QuantError> {
        let mut __ranges = [<::backprop_core::int8::Range as ::core::default::Default>::default(); 2];
        for __x in calibration {
            let __trace = self.forward_trace(__x);
            __ranges[0].observe(&__trace.input);
            __ranges[1].observe(&__trace.layer1.pre_activation);
        }
        let __q0 = __ranges[0].quantization()?;
        let __z1 = __ranges[1].quantization()?;
        let layer1_activation = ::backprop_core::int8::Softmax::new(__z1)?;
        let __q1 = ::backprop_core::int8::Softmax::OUTPUT;
        let layer1 = ::backprop_core::int8::Dense::quantize(
            &*self.layer1_weights(),
            self.layer1_bias(),
            __q0,
            __z1,
            ::backprop_core::int8::Fused::None,
        )?;
        ::core::result::Result::Ok(HeadInt8 {
            input: __q0,
            output: __q1,
            layer1,
            layer1_activation,
        })
    }
}
const _: () = ::backprop_core::__private::chain_part::<
    { <Features as ::backprop_core::__private::NetworkFamily>::RECURRENT },
>();
const _: () = ::backprop_core::__private::chain_part::<
    { <Head as ::backprop_core::__private::NetworkFamily>::RECURRENT },
>();
const _: () = ::backprop_core::__private::chain_widths::<
    { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
    { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
>();
/**A chain of networks `Features => Head`.

# Architecture

A chain of networks, `Features => Head`, declared with `backprop_core::network!`: each part's outputs feed the next part's inputs. The parameters are the parts' parameter arrays one after the other.*/
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq)]
struct Classifier<T = f32> {
    params: [T; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    }],
}
///Every value of one forward pass of [`Classifier`], part by part. Made by [`Classifier::forward_trace`].
#[derive(
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::fmt::Debug,
    ::core::cmp::PartialEq
)]
#[allow(non_camel_case_types)]
struct ClassifierTrace<T = f32> {
    ///The forward trace of part 1 of the chain.
    pub part1: <Features as ::backprop_core::__private::NetworkFamily>::TraceOf<T>,
    ///The forward trace of part 2 of the chain.
    pub part2: <Head as ::backprop_core::__private::NetworkFamily>::TraceOf<T>,
}
impl<T> ClassifierTrace<T> {
    /// The output of the forward pass.
    #[inline]
    #[must_use]
    pub const fn output(
        &self,
    ) -> &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }] {
        self.part2.output()
    }
}
#[allow(non_camel_case_types)]
impl<T> ::backprop_core::__private::NetworkFamily for Classifier<T> {
    type Of<__S> = Classifier<__S>;
    type TraceOf<__S> = ClassifierTrace<__S>;
    const INPUTS: usize = {
        <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
    };
    const OUTPUTS: usize = {
        <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
    };
    const PARAMS: usize = {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    };
    const LAYERS: usize = {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
            + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
    };
    const UNITS: usize = {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS
            + <Head as ::backprop_core::__private::NetworkFamily>::UNITS
    };
    const ARCHITECTURE: &'static str = <Classifier<T>>::ARCHITECTURE;
    const LAYER_INFO: &'static [::backprop_core::summary::LayerInfo] = &::backprop_core::__private::chain_layers::<
        {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
                + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
        },
    >(
        &[
            <Features as ::backprop_core::__private::NetworkFamily>::LAYER_INFO,
            <Head as ::backprop_core::__private::NetworkFamily>::LAYER_INFO,
        ],
    );
    const RECURRENT: bool = false;
}
impl<T> Classifier<T> {
    ///The input width: the first part's.
    pub const INPUTS: usize = {
        <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
    };
    ///The output width: the last part's.
    pub const OUTPUTS: usize = {
        <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
    };
    ///The number of parameters: the parts' together.
    pub const PARAMS: usize = {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    };
    ///The number of layers: the parts' together.
    pub const LAYERS: usize = {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
            + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
    };
    ///The bytes the parameters take: `PARAMS * size_of::<T>()`, the whole size of a chain value.
    pub const PARAM_BYTES: usize = {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    } * ::core::mem::size_of::<T>();
    /// The bytes one forward trace takes (its input, and every
    /// layer's pre-activations and activations): with
    /// [`Self::PARAM_BYTES`], the RAM a training step needs for data.
    pub const TRACE_BYTES: usize = ::core::mem::size_of::<ClassifierTrace<T>>();
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
    ///A chain with these parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn from_params(
        params: [T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
    ) -> Self {
        Self { params }
    }
    /// All parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params(
        &self,
    ) -> &[T; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    }] {
        &self.params
    }
    /// All parameters, mutably, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params_mut(
        &mut self,
    ) -> &mut [T; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    }] {
        &mut self.params
    }
    /// The flat parameter array, by value.
    #[inline]
    #[must_use]
    pub fn into_params(
        self,
    ) -> [T; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    }] {
        self.params
    }
}
impl<T: ::backprop_core::Scalar> ::core::default::Default for Classifier<T> {
    /// All parameters zero.
    #[inline]
    fn default() -> Self {
        Self::from_params(
            [<T as ::backprop_core::Scalar>::ZERO; {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            }],
        )
    }
}
impl<T: ::backprop_core::Scalar> ::core::fmt::Debug for Classifier<T>
where
    Features: ::backprop_core::__private::Part<
        T,
        { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
    Head: ::backprop_core::__private::Part<
        T,
        { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("Classifier")
            .field(
                "part1",
                &::backprop_core::__private::fmt_with(|f| <Features as ::backprop_core::__private::Part<
                    T,
                    { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
                    { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
                    { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                >>::__fmt(
                    ::backprop_core::__private::segment::<
                        T,
                        {
                            0
                                + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                        },
                        { 0 },
                        {
                            <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        },
                    >(&self.params),
                    f,
                )),
            )
            .field(
                "part2",
                &::backprop_core::__private::fmt_with(|f| <Head as ::backprop_core::__private::Part<
                    T,
                    { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
                    { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
                    { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
                >>::__fmt(
                    ::backprop_core::__private::segment::<
                        T,
                        {
                            0
                                + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                        },
                        {
                            0
                                + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        },
                        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
                    >(&self.params),
                    f,
                )),
            )
            .finish()
    }
}
impl<T> Classifier<T> {
    ///The canonical text of the chain `Features => Head`: each part's own `ARCHITECTURE` in parentheses, joined by `" => "`, e.g. `(1 => 4 ReLU) => (4 => 2 Sigmoid => 1 Linear)`. Its CRC-32 is [`Self::FINGERPRINT`]. No network's text starts with `(`, and chains of other parts, another order or another nesting have other texts, so their weights blobs are refused here and this chain's are refused by them.
    pub const ARCHITECTURE: &'static str = {
        const __PARTS: &[&str] = &[
            <Features as ::backprop_core::__private::NetworkFamily>::ARCHITECTURE,
            <Head as ::backprop_core::__private::NetworkFamily>::ARCHITECTURE,
        ];
        const __LEN: usize = ::backprop_core::__private::chain_text_len(__PARTS);
        const __TEXT: &[u8; __LEN] = &::backprop_core::__private::chain_text::<
            __LEN,
        >(__PARTS);
        ::backprop_core::__private::utf8(__TEXT)
    };
    ///The CRC-32 of [`Self::ARCHITECTURE`], stored in the header of every weights blob of this chain beside the text itself, for tools that list blobs; loading compares the text.
    pub const FINGERPRINT: u32 = ::backprop_core::weights::crc32(
        Self::ARCHITECTURE.as_bytes(),
    );
}
impl<T: ::backprop_core::Scalar> Classifier<T> {
    ///A table of the layers of the chain `Features => Head`: its parts' layers one after the other, numbered through, then the totals, parameter bytes and trace bytes, as a network's `summary()` gives. Print it with `println!("{}", Classifier::<f32>::summary())`.
    #[must_use]
    pub const fn summary() -> ::backprop_core::summary::Summary {
        ::backprop_core::summary::Summary {
            name: "Classifier",
            scalar: <T as ::backprop_core::Scalar>::NAME,
            inputs: Self::INPUTS,
            window: "",
            layers: <Self as ::backprop_core::__private::NetworkFamily>::LAYER_INFO,
            param_bytes: Self::PARAM_BYTES,
            trace_bytes: Self::TRACE_BYTES,
        }
    }
}
::backprop_core::__impl_serde! {
    Classifier, { 0 + < Features as ::backprop_core::__private::NetworkFamily > ::PARAMS
    + < Head as ::backprop_core::__private::NetworkFamily > ::PARAMS }
}
impl<T: ::backprop_core::Codec> Classifier<T> {
    /**Loads a chain from a weights blob (the format of [`backprop_core::weights`](::backprop_core::weights)), after checking all of it.

# Errors

A [`LoadError`](::backprop_core::LoadError) naming the first check that failed: length, magic number, version, checksum, scalar type, reserved byte, architecture or parameter count.*/
    pub fn from_bytes(
        bytes: &[u8],
    ) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
        match ::backprop_core::weights::decode::<
            T,
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >(bytes, Self::ARCHITECTURE) {
            ::core::result::Result::Ok(params) => {
                ::core::result::Result::Ok(Self::from_params(params))
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
    }
    /**Replaces this chain's parameters with those of a weights blob. The blob is checked completely first; on error the chain is left untouched.

# Errors

As [`Self::from_bytes`].*/
    pub fn load_bytes(
        &mut self,
        bytes: &[u8],
    ) -> ::core::result::Result<(), ::backprop_core::LoadError> {
        match ::backprop_core::weights::decode::<
            T,
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >(bytes, Self::ARCHITECTURE) {
            ::core::result::Result::Ok(params) => {
                *self.params_mut() = params;
                ::core::result::Result::Ok(())
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
    }
}
::backprop_core::__private::byte_methods! {
    Classifier, { 0 + < Features as ::backprop_core::__private::NetworkFamily > ::PARAMS
    + < Head as ::backprop_core::__private::NetworkFamily > ::PARAMS }, "chain",
    "its parameters (the parts' together)", to_bytes, from_bytes_const
}
impl<T: ::backprop_core::Scalar> Classifier<T>
where
    Features: ::backprop_core::__private::Part<
        T,
        { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
    Head: ::backprop_core::__private::Part<
        T,
        { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
{
    ///For each layer, part by part, how many `ReLU` units are dead on `inputs`: their pre-activation is `<= 0` for every input (each part seeing what the parts before it output), so they output 0 and pass no gradient back. Layers with other activations count 0; on an empty slice every `ReLU` unit counts as dead.
    #[must_use]
    pub fn dead_relu_units(
        &self,
        inputs: &[[T; {
            <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
        }]],
    ) -> [usize; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
            + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
    }] {
        let mut __alive = [false; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS
                + <Head as ::backprop_core::__private::NetworkFamily>::UNITS
        }];
        for input in inputs {
            Self::__mark_alive(&self.forward_trace(input), &mut __alive);
        }
        Self::__count_dead(&__alive)
    }
    #[doc(hidden)]
    #[inline]
    pub fn __mark_alive(
        __trace: &ClassifierTrace<T>,
        __alive: &mut [bool; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS
                + <Head as ::backprop_core::__private::NetworkFamily>::UNITS
        }],
    ) {
        <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__mark_alive(
            &__trace.part1,
            ::backprop_core::__private::segment_mut::<
                bool,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS
                        + <Head as ::backprop_core::__private::NetworkFamily>::UNITS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::UNITS },
            >(__alive),
        );
        <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__mark_alive(
            &__trace.part2,
            ::backprop_core::__private::segment_mut::<
                bool,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS
                        + <Head as ::backprop_core::__private::NetworkFamily>::UNITS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS },
                { <Head as ::backprop_core::__private::NetworkFamily>::UNITS },
            >(__alive),
        );
    }
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub fn __count_dead(
        __alive: &[bool; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS
                + <Head as ::backprop_core::__private::NetworkFamily>::UNITS
        }],
    ) -> [usize; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
            + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
    }] {
        let mut __dead = [0_usize; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
                + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
        }];
        <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__count_dead(
            ::backprop_core::__private::segment::<
                bool,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS
                        + <Head as ::backprop_core::__private::NetworkFamily>::UNITS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::UNITS },
            >(__alive),
            ::backprop_core::__private::segment_mut::<
                usize,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
                        + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::LAYERS },
            >(&mut __dead),
        );
        <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__count_dead(
            ::backprop_core::__private::segment::<
                bool,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS
                        + <Head as ::backprop_core::__private::NetworkFamily>::UNITS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::UNITS },
                { <Head as ::backprop_core::__private::NetworkFamily>::UNITS },
            >(__alive),
            ::backprop_core::__private::segment_mut::<
                usize,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
                        + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS },
                { <Head as ::backprop_core::__private::NetworkFamily>::LAYERS },
            >(&mut __dead),
        );
        __dead
    }
}
impl<T: ::backprop_core::Scalar> Classifier<T>
where
    Features: ::backprop_core::__private::Part<
        T,
        { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
    Head: ::backprop_core::__private::Part<
        T,
        { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
{
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
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
        optimizer: &mut O,
    ) -> T
    where
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<
            T,
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >,
    {
        let trace = <Self as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::__forward_trace(&self.params, input);
        if <O as ::backprop_core::optim::Optimizer<
            T,
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::ELEMENTWISE {
            ::backprop_core::optim::Optimizer::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >::begin_step(optimizer);
            <Self as ::backprop_core::__private::Part<
                T,
                { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
                { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >>::__update::<
                L,
                O,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                false,
            >(&mut self.params, &trace, target, loss, optimizer, 0)
                .0
        } else {
            let (value, gradients) = self.backward(&trace, target, loss);
            ::backprop_core::optim::Optimizer::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >::step(optimizer, &mut self.params, &gradients.params);
            value
        }
    }
    /// Runs the network on one input and returns its output.
    #[inline]
    #[must_use]
    pub fn forward(
        &self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
    ) -> [T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }] {
        let mut output = [<T as ::backprop_core::Scalar>::ZERO; {
            <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
        }];
        <Self as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::__forward(&self.params, input, &mut output);
        output
    }
    /// Runs the network on one input and returns every layer's
    /// pre-activations and activations, as the backward pass needs them.
    #[inline]
    #[must_use]
    pub fn forward_trace(
        &self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
    ) -> ClassifierTrace<T> {
        <Self as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::__forward_trace(&self.params, input)
    }
    /// The loss of the network's prediction for `input` against
    /// `target`, computed as training computes it (from the logits
    /// where the loss has a fused form).
    #[inline]
    #[must_use]
    pub fn loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
    ) -> T {
        <Self as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::__trace_loss(
            &<Self as ::backprop_core::__private::Part<
                T,
                { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
                { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >>::__forward_trace(&self.params, input),
            target,
            loss,
        )
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
        trace: &ClassifierTrace<T>,
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
        gradients: &mut Self,
    ) -> T {
        <Self as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::__backward::<
            L,
            false,
            true,
        >(&self.params, trace, target, loss, &mut gradients.params)
            .0
    }
    /// Backpropagates one sample: the loss and the gradient of every
    /// parameter, as a network-shaped value (`gradients.params()` is
    /// the flat gradient).
    #[inline]
    #[must_use]
    pub fn backward<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &ClassifierTrace<T>,
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
    ) -> (T, Self) {
        let mut gradients = Self::from_params(
            [<T as ::backprop_core::Scalar>::ZERO; {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            }],
        );
        let (loss, _) = <Self as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::__backward::<
            L,
            false,
            false,
        >(&self.params, trace, target, loss, &mut gradients.params);
        (loss, gradients)
    }
}
#[automatically_derived]
impl<
    T: ::backprop_core::Scalar,
> ::backprop_core::Network<
    T,
    { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
    { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
    {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    },
> for Classifier<T>
where
    Features: ::backprop_core::__private::Part<
        T,
        { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
    Head: ::backprop_core::__private::Part<
        T,
        { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
{
    type Trace = ClassifierTrace<T>;
    #[inline]
    fn from_params(
        params: [T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
    ) -> Self {
        Classifier::from_params(params)
    }
    #[inline]
    fn params(
        &self,
    ) -> &[T; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    }] {
        Classifier::params(self)
    }
    #[inline]
    fn params_mut(
        &mut self,
    ) -> &mut [T; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    }] {
        Classifier::params_mut(self)
    }
    #[inline]
    fn forward(
        &self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
    ) -> [T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }] {
        Classifier::forward(self, input)
    }
    #[inline]
    fn forward_trace(
        &self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
    ) -> Self::Trace {
        Classifier::forward_trace(self, input)
    }
    #[inline]
    fn trace_output(
        trace: &Self::Trace,
    ) -> &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }] {
        trace.output()
    }
    #[inline]
    fn accumulate_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
        gradients: &mut Self,
    ) -> T {
        Classifier::accumulate_gradients(self, trace, target, loss, gradients)
    }
    #[inline]
    fn backward<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
    ) -> (T, Self) {
        Classifier::backward(self, trace, target, loss)
    }
    #[inline]
    fn loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
    ) -> T {
        Classifier::loss(self, input, target, loss)
    }
    #[inline]
    fn train_step<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >,
    >(
        &mut self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
        optimizer: &mut O,
    ) -> T {
        Classifier::train_step(self, input, target, loss, optimizer)
    }
}
impl<T: ::backprop_core::Scalar> Classifier<T>
where
    Features: ::backprop_core::__private::Part<
        T,
        { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
    Head: ::backprop_core::__private::Part<
        T,
        { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
{
    /// The loss for one sample and the gradient of every parameter:
    /// [`Self::forward_trace`] then [`Self::backward`].
    #[inline]
    #[must_use]
    pub fn loss_and_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
    ) -> (T, Self) {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::loss_and_gradients(self, input, target, loss)
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
    pub fn try_train_step<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >,
    >(
        &mut self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::try_train_step(self, input, target, loss, optimizer)
    }
    /// The mean loss and mean gradient over a batch.
    ///
    /// # Errors
    ///
    /// For an empty batch or slices of different lengths.
    #[inline]
    pub fn batch_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        inputs: &[[T; {
            <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
        }]],
        targets: &[[T; {
            <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
        }]],
        loss: &L,
    ) -> ::core::result::Result<(T, Self), ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::batch_gradients(self, inputs, targets, loss)
    }
    /// Batch gradient descent: one update from the mean gradient over
    /// the whole slice. Returns the mean loss before the update; for
    /// an empty batch or slices of different lengths, makes no update
    /// and returns NaN (see [`Self::try_train_batch`]).
    #[inline]
    pub fn train_batch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >,
    >(
        &mut self,
        inputs: &[[T; {
            <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
        }]],
        targets: &[[T; {
            <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
        }]],
        loss: &L,
        optimizer: &mut O,
    ) -> T {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::train_batch(self, inputs, targets, loss, optimizer)
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
    pub fn try_train_batch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >,
    >(
        &mut self,
        inputs: &[[T; {
            <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
        }]],
        targets: &[[T; {
            <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
        }]],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::try_train_batch(self, inputs, targets, loss, optimizer)
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
    pub fn train_epoch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >,
    >(
        &mut self,
        inputs: &[[T; {
            <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
        }]],
        targets: &[[T; {
            <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
        }]],
        batch_size: usize,
        shuffle: ::core::option::Option<u64>,
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::train_epoch(self, inputs, targets, batch_size, shuffle, loss, optimizer)
    }
    /// The class this network predicts for `input`: the index of its
    /// largest output, or for one output, 1 if it is at least `0.5`.
    /// See [`Network::classify`](::backprop_core::Network::classify).
    #[inline]
    #[must_use]
    pub fn classify(
        &self,
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
    ) -> ::core::option::Option<usize> {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::classify(self, input)
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
    pub fn accuracy<
        Lb: ::backprop_core::metrics::Labels<
                T,
                { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            > + ?::core::marker::Sized,
    >(
        &self,
        inputs: &[[T; {
            <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
        }]],
        labels: &Lb,
    ) -> ::core::result::Result<f64, ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::accuracy(self, inputs, labels)
    }
    /// The mean loss over a data set, with no update. See
    /// [`Network::mean_loss`](::backprop_core::Network::mean_loss).
    ///
    /// # Errors
    ///
    /// No samples, or lengths that differ.
    #[inline]
    pub fn mean_loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        inputs: &[[T; {
            <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
        }]],
        targets: &[[T; {
            <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
        }]],
        loss: &L,
    ) -> ::core::result::Result<T, ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::mean_loss(self, inputs, targets, loss)
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
    pub fn confusion_matrix<
        const C: usize,
        Lb: ::backprop_core::metrics::Labels<
                T,
                { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            > + ?::core::marker::Sized,
    >(
        &self,
        inputs: &[[T; {
            <Features as ::backprop_core::__private::NetworkFamily>::INPUTS
        }]],
        labels: &Lb,
    ) -> ::core::result::Result<[[u32; C]; C], ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::confusion_matrix(self, inputs, labels)
    }
}
impl<T: ::backprop_core::Scalar> Classifier<T>
where
    Features: ::backprop_core::__private::Part<
        T,
        { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
    Head: ::backprop_core::__private::Part<
        T,
        { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
{
    /// A chain whose parts are each initialised from `seed` (part `k`
    /// from `seed + k - 1`), as their own `with_seed` does.
    #[must_use]
    pub fn with_seed(seed: u64) -> Self {
        Self::from_params(
            <Self as ::backprop_core::__private::Part<
                T,
                { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
                { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
            >>::__with_seed(seed),
        )
    }
    ///Part 1 of the chain, `Features`, as a network of its own (a copy of its parameters).
    #[must_use]
    pub fn part1(
        &self,
    ) -> <Features as ::backprop_core::__private::NetworkFamily>::Of<T> {
        <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__from_params(
            *::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(&self.params),
        )
    }
    ///The parameters of part 1 of the chain.
    #[must_use]
    pub fn part1_params(
        &self,
    ) -> &[T; { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS }] {
        ::backprop_core::__private::segment::<
            T,
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
            { 0 },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >(&self.params)
    }
    ///Part 2 of the chain, `Head`, as a network of its own (a copy of its parameters).
    #[must_use]
    pub fn part2(&self) -> <Head as ::backprop_core::__private::NetworkFamily>::Of<T> {
        <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__from_params(
            *::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(&self.params),
        )
    }
    ///The parameters of part 2 of the chain.
    #[must_use]
    pub fn part2_params(
        &self,
    ) -> &[T; { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS }] {
        ::backprop_core::__private::segment::<
            T,
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
            { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >(&self.params)
    }
}
impl<T: ::backprop_core::Float> Classifier<T>
where
    Features: ::backprop_core::__private::Part<
        T,
        { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
    Head: ::backprop_core::__private::Part<
        T,
        { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
{
    /// The Euclidean norm of each layer's parameters, part by part.
    #[must_use]
    pub fn gradient_norms(
        &self,
    ) -> [T; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
            + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
    }] {
        let mut __out = [<T as ::backprop_core::Scalar>::ZERO; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
                + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
        }];
        <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__gradient_norms(
            ::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(&self.params),
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
                        + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::LAYERS },
            >(&mut __out),
        );
        <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__gradient_norms(
            ::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(&self.params),
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS
                        + <Head as ::backprop_core::__private::NetworkFamily>::LAYERS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::LAYERS },
                { <Head as ::backprop_core::__private::NetworkFamily>::LAYERS },
            >(&mut __out),
        );
        __out
    }
}
#[automatically_derived]
#[allow(
    clippy::many_single_char_names,
    clippy::similar_names,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::identity_op,
    clippy::erasing_op,
    clippy::possible_missing_comma
)]
impl<
    T: ::backprop_core::Scalar,
    __S,
> ::backprop_core::__private::Part<
    T,
    { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
    { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
    {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    },
> for Classifier<__S>
where
    Features: ::backprop_core::__private::Part<
        T,
        { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
    Head: ::backprop_core::__private::Part<
        T,
        { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
        { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
    >,
{
    #[inline]
    fn __forward_trace(
        __p: &[T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
    ) -> ClassifierTrace<T> {
        let __t1 = <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__forward_trace(
            ::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            input,
        );
        let __t2 = <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__forward_trace(
            ::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            ::backprop_core::__private::link::<
                T,
                { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
                { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            >(__t1.output()),
        );
        ClassifierTrace {
            part1: __t1,
            part2: __t2,
        }
    }
    #[inline]
    fn __forward(
        __p: &[T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
        input: &[T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }],
        output: &mut [T; {
            <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS
        }],
    ) {
        *output = *<Self as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
        >>::__forward_trace(__p, input)
            .output();
    }
    #[inline]
    fn __trace_loss<L: ::backprop_core::loss::Loss<T>>(
        trace: &ClassifierTrace<T>,
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
    ) -> T {
        <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__trace_loss(&trace.part2, target, loss)
    }
    #[inline]
    fn __backward<
        L: ::backprop_core::loss::Loss<T>,
        const INPUT_GRAD: bool,
        const ACCUMULATE: bool,
    >(
        __p: &[T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
        trace: &ClassifierTrace<T>,
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
        __g: &mut [T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
    ) -> (T, [T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }]) {
        let (__loss, __up2) = <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__backward::<
            L,
            true,
            ACCUMULATE,
        >(
            ::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            &trace.part2,
            target,
            loss,
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__g),
        );
        let __up1 = <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__backward_upstream::<
            INPUT_GRAD,
            ACCUMULATE,
        >(
            ::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            &trace.part1,
            ::backprop_core::__private::link::<
                T,
                { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
                { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            >(&__up2),
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__g),
        );
        (__loss, __up1)
    }
    #[inline]
    fn __backward_upstream<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        __p: &[T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
        trace: &ClassifierTrace<T>,
        upstream: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        __g: &mut [T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
    ) -> [T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }] {
        let __up2 = <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__backward_upstream::<
            true,
            ACCUMULATE,
        >(
            ::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            &trace.part2,
            upstream,
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__g),
        );
        let __up1 = <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__backward_upstream::<
            INPUT_GRAD,
            ACCUMULATE,
        >(
            ::backprop_core::__private::segment::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            &trace.part1,
            ::backprop_core::__private::link::<
                T,
                { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
                { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            >(&__up2),
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__g),
        );
        __up1
    }
    #[inline]
    fn __update<L, O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
        trace: &ClassifierTrace<T>,
        target: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        loss: &L,
        optimizer: &mut O,
        __base: usize,
    ) -> (T, [T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }])
    where
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let (__loss, __up2) = <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__update::<
            L,
            O,
            PO,
            true,
        >(
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            &trace.part2,
            target,
            loss,
            optimizer,
            __base
                + { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        );
        let __up1 = <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__update_upstream::<
            O,
            PO,
            INPUT_GRAD,
        >(
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            &trace.part1,
            ::backprop_core::__private::link::<
                T,
                { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
                { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            >(&__up2),
            optimizer,
            __base + { 0 },
        );
        (__loss, __up1)
    }
    #[inline]
    fn __update_upstream<O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
        trace: &ClassifierTrace<T>,
        upstream: &[T; { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS }],
        optimizer: &mut O,
        __base: usize,
    ) -> [T; { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS }]
    where
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __up2 = <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__update_upstream::<
            O,
            PO,
            true,
        >(
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
                { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            &trace.part2,
            upstream,
            optimizer,
            __base
                + { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        );
        let __up1 = <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__update_upstream::<
            O,
            PO,
            INPUT_GRAD,
        >(
            ::backprop_core::__private::segment_mut::<
                T,
                {
                    0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                        + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
                },
                { 0 },
                { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            >(__p),
            &trace.part1,
            ::backprop_core::__private::link::<
                T,
                { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
                { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            >(&__up2),
            optimizer,
            __base + { 0 },
        );
        __up1
    }
    fn __with_seed(
        seed: u64,
    ) -> [T; {
        0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
            + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
    }] {
        let mut __params = [<T as ::backprop_core::Scalar>::ZERO; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }];
        *::backprop_core::__private::segment_mut::<
            T,
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
            { 0 },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >(&mut __params) = <Features as ::backprop_core::__private::Part<
            T,
            { <Features as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__with_seed(seed.wrapping_add(0u64));
        *::backprop_core::__private::segment_mut::<
            T,
            {
                0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                    + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
            },
            { 0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >(&mut __params) = <Head as ::backprop_core::__private::Part<
            T,
            { <Head as ::backprop_core::__private::NetworkFamily>::INPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::OUTPUTS },
            { <Head as ::backprop_core::__private::NetworkFamily>::PARAMS },
        >>::__with_seed(seed.wrapping_add(1u64));
        __params
    }
    #[inline]
    fn __from_params(
        params: [T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
    ) -> Classifier<T> {
        Classifier::<T>::from_params(params)
    }
    fn __fmt(
        __p: &[T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
        f: &mut ::core::fmt::Formatter<'_>,
    ) -> ::core::fmt::Result {
        ::core::fmt::Debug::fmt(&Classifier::<T>::from_params(*__p), f)
    }
    fn __gradient_norms(
        __p: &[T; {
            0 + <Features as ::backprop_core::__private::NetworkFamily>::PARAMS
                + <Head as ::backprop_core::__private::NetworkFamily>::PARAMS
        }],
        norms: &mut [T],
    )
    where
        T: ::backprop_core::Float,
    {
        let __norms = Classifier::<T>::from_params(*__p).gradient_norms();
        for (__slot, __norm) in ::core::iter::Iterator::zip(norms.iter_mut(), __norms) {
            *__slot = __norm;
        }
    }
    #[inline]
    fn __mark_alive(__trace: &ClassifierTrace<T>, __alive: &mut [bool]) {
        if let ::core::option::Option::Some(__alive) = __alive.first_chunk_mut() {
            Classifier::<T>::__mark_alive(__trace, __alive);
        }
    }
    #[inline]
    fn __count_dead(__alive: &[bool], __dead: &mut [usize]) {
        if let (
            ::core::option::Option::Some(__alive),
            ::core::option::Option::Some(__dead),
        ) = (__alive.first_chunk(), __dead.first_chunk_mut()) {
            *__dead = Classifier::<T>::__count_dead(__alive);
        }
    }
}
