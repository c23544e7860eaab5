// Expansion of `network! { pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear; }`.
// Refresh with `UPDATE_EXPANSIONS=1 cargo test -p backprop-macros snapshot`.

/**A neural network `1 => 4 ReLU => 2 Sigmoid => 1 Linear`.

# Architecture

`1 => 4 ReLU => 2 Sigmoid => 1 Linear`, declared with `backprop_core::network!`: 1 input, 1 output, 21 parameters.

| layer | inputs | outputs | activation | weights at | biases at |
|---|---|---|---|---|---|
| 1 | 1 | 4 | `ReLU` | `0..4` | `4..8` |
| 2 | 4 | 2 | `Sigmoid` | `8..16` | `16..18` |
| 3 | 2 | 1 | `Linear` | `18..20` | `20..21` |

The parameters live in one flat array: layer by layer, the weights row-major in `[out][in]` order (the weight from input `i` to neuron `o` of a layer is at `weights_at + o * inputs + i`), then that layer's biases.*/
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq)]
pub struct SeedNet<T = f32> {
    params: [T; 21],
}
///Every value of one forward pass of [`SeedNet`]: its input, then each layer's pre-activations and activations. Made by [`SeedNet::forward_trace`], read by [`SeedNet::backward`].
#[derive(
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::fmt::Debug,
    ::core::cmp::PartialEq
)]
#[allow(non_camel_case_types)]
pub struct SeedNetTrace<T = f32> {
    /// The input the forward pass ran on.
    pub input: [T; 1],
    ///Layer 1 (4 neurons `ReLU`): pre-activations and activations.
    pub layer1: ::backprop_core::LayerTrace<T, 4>,
    ///Layer 2 (2 neurons `Sigmoid`): pre-activations and activations.
    pub layer2: ::backprop_core::LayerTrace<T, 2>,
    ///Layer 3 (1 neuron `Linear`): pre-activations and activations.
    pub layer3: ::backprop_core::LayerTrace<T, 1>,
}
impl<T> SeedNetTrace<T> {
    /// The output of the forward pass.
    #[inline]
    #[must_use]
    pub const fn output(&self) -> &[T; 1] {
        &self.layer3.activation
    }
}
#[allow(non_camel_case_types)]
impl<T> ::backprop_core::__private::NetworkFamily for SeedNet<T> {
    type Of<__S> = SeedNet<__S>;
    type TraceOf<__S> = SeedNetTrace<__S>;
    const INPUTS: usize = 1;
    const OUTPUTS: usize = 1;
    const PARAMS: usize = 21;
    const LAYERS: usize = 3;
    const UNITS: usize = 7;
    const ARCHITECTURE: &'static str = <SeedNet<T>>::ARCHITECTURE;
    const LAYER_INFO: &'static [::backprop_core::summary::LayerInfo] = &[
        ::backprop_core::summary::LayerInfo {
            kind: "Dense",
            inputs: 1,
            outputs: 4,
            activation: "ReLU",
            params: 8,
            input_major: false,
        },
        ::backprop_core::summary::LayerInfo {
            kind: "Dense",
            inputs: 4,
            outputs: 2,
            activation: "Sigmoid",
            params: 10,
            input_major: false,
        },
        ::backprop_core::summary::LayerInfo {
            kind: "Dense",
            inputs: 2,
            outputs: 1,
            activation: "Linear",
            params: 3,
            input_major: false,
        },
    ];
    const RECURRENT: bool = false;
}
impl<T> SeedNet<T> {
    ///The input width: 1.
    pub const INPUTS: usize = 1;
    ///The output width: 1.
    pub const OUTPUTS: usize = 1;
    ///The number of parameters, weights and biases together: 21.
    pub const PARAMS: usize = 21;
    ///The number of layers after the input: 3.
    pub const LAYERS: usize = 3;
    ///The bytes the parameters take: `PARAMS * size_of::<T>()`, the whole size of a network value.
    pub const PARAM_BYTES: usize = 21 * ::core::mem::size_of::<T>();
    /// The bytes one forward trace takes (its input, and every
    /// layer's pre-activations and activations): with
    /// [`Self::PARAM_BYTES`], the RAM a training step needs for data.
    pub const TRACE_BYTES: usize = ::core::mem::size_of::<SeedNetTrace<T>>();
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
    pub const fn from_params(params: [T; 21]) -> Self {
        Self { params }
    }
    /// All parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params(&self) -> &[T; 21] {
        &self.params
    }
    /// All parameters, mutably, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params_mut(&mut self) -> &mut [T; 21] {
        &mut self.params
    }
    /// The flat parameter array, by value.
    #[inline]
    #[must_use]
    pub fn into_params(self) -> [T; 21] {
        self.params
    }
    ///The weights of layer 1 (1 => 4 `ReLU`), `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`.
    #[inline]
    #[must_use]
    pub fn layer1_weights(&self) -> &[[T; 1]; 4] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            0,
            1,
            4,
        >(&self.params)
    }
    ///The weights of layer 1 (1 => 4 `ReLU`), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_weights_mut(&mut self) -> &mut [[T; 1]; 4] {
        ::backprop_core::__private::views::matrix_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            0,
            1,
            4,
        >(&mut self.params)
    }
    ///The biases of layer 1 (1 => 4 `ReLU`).
    #[inline]
    #[must_use]
    pub fn layer1_bias(&self) -> &[T; 4] {
        ::backprop_core::__private::bias::<T, 21, 4, 4>(&self.params)
    }
    ///The biases of layer 1 (1 => 4 `ReLU`), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_bias_mut(&mut self) -> &mut [T; 4] {
        ::backprop_core::__private::bias_mut::<T, 21, 4, 4>(&mut self.params)
    }
    ///The weights of layer 2 (4 => 2 `Sigmoid`), `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`.
    #[inline]
    #[must_use]
    pub fn layer2_weights(&self) -> &[[T; 4]; 2] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            8,
            4,
            2,
        >(&self.params)
    }
    ///The weights of layer 2 (4 => 2 `Sigmoid`), mutably.
    #[inline]
    #[must_use]
    pub fn layer2_weights_mut(&mut self) -> &mut [[T; 4]; 2] {
        ::backprop_core::__private::views::matrix_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            8,
            4,
            2,
        >(&mut self.params)
    }
    ///The biases of layer 2 (4 => 2 `Sigmoid`).
    #[inline]
    #[must_use]
    pub fn layer2_bias(&self) -> &[T; 2] {
        ::backprop_core::__private::bias::<T, 21, 16, 2>(&self.params)
    }
    ///The biases of layer 2 (4 => 2 `Sigmoid`), mutably.
    #[inline]
    #[must_use]
    pub fn layer2_bias_mut(&mut self) -> &mut [T; 2] {
        ::backprop_core::__private::bias_mut::<T, 21, 16, 2>(&mut self.params)
    }
    ///The weights of layer 3 (2 => 1 `Linear`), `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`.
    #[inline]
    #[must_use]
    pub fn layer3_weights(&self) -> &[[T; 2]; 1] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            18,
            2,
            1,
        >(&self.params)
    }
    ///The weights of layer 3 (2 => 1 `Linear`), mutably.
    #[inline]
    #[must_use]
    pub fn layer3_weights_mut(&mut self) -> &mut [[T; 2]; 1] {
        ::backprop_core::__private::views::matrix_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            18,
            2,
            1,
        >(&mut self.params)
    }
    ///The biases of layer 3 (2 => 1 `Linear`).
    #[inline]
    #[must_use]
    pub fn layer3_bias(&self) -> &[T; 1] {
        ::backprop_core::__private::bias::<T, 21, 20, 1>(&self.params)
    }
    ///The biases of layer 3 (2 => 1 `Linear`), mutably.
    #[inline]
    #[must_use]
    pub fn layer3_bias_mut(&mut self) -> &mut [T; 1] {
        ::backprop_core::__private::bias_mut::<T, 21, 20, 1>(&mut self.params)
    }
}
impl<T: ::backprop_core::Scalar> ::core::default::Default for SeedNet<T> {
    /// All parameters zero.
    #[inline]
    fn default() -> Self {
        Self::from_params([<T as ::backprop_core::Scalar>::ZERO; 21])
    }
}
impl<T: ::core::fmt::Debug + ::core::marker::Copy> ::core::fmt::Debug for SeedNet<T> {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("SeedNet")
            .field("layer1_weights", self.layer1_weights())
            .field("layer1_bias", self.layer1_bias())
            .field("layer2_weights", self.layer2_weights())
            .field("layer2_bias", self.layer2_bias())
            .field("layer3_weights", self.layer3_weights())
            .field("layer3_bias", self.layer3_bias())
            .finish()
    }
}
impl<T> SeedNet<T> {
    ///The canonical spec text, `1 => 4 ReLU => 2 Sigmoid => 1 Linear`: a weights blob records it, and a blob loads only where it is the `ARCHITECTURE` byte for byte. Its CRC-32 is [`Self::FINGERPRINT`].
    pub const ARCHITECTURE: &'static str = "1 => 4 ReLU => 2 Sigmoid => 1 Linear";
    ///The CRC-32 of [`Self::ARCHITECTURE`], stored in the header of every weights blob of this network beside the text itself, for tools that list blobs; loading compares the text.
    pub const FINGERPRINT: u32 = ::backprop_core::weights::crc32(
        Self::ARCHITECTURE.as_bytes(),
    );
}
impl<T: ::backprop_core::Scalar> SeedNet<T> {
    ///A table of the layers of `1 => 4 ReLU => 2 Sigmoid => 1 Linear`, one row per layer with its widths, activation and parameter count, then the totals, parameter bytes and trace bytes, in the style of Keras' `model.summary()`. Print it with `println!("{}", SeedNet::<f32>::summary())`.
    #[must_use]
    pub const fn summary() -> ::backprop_core::summary::Summary {
        ::backprop_core::summary::Summary {
            name: "SeedNet",
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
    SeedNet, 21
}
impl<T: ::backprop_core::Codec> SeedNet<T> {
    /**Loads a network from a weights blob (the format of [`backprop_core::weights`](::backprop_core::weights)), after checking all of it.

# Errors

A [`LoadError`](::backprop_core::LoadError) naming the first check that failed: length, magic number, version, checksum, scalar type, reserved byte, architecture or parameter count.*/
    pub fn from_bytes(
        bytes: &[u8],
    ) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
        match ::backprop_core::weights::decode::<T, 21>(bytes, Self::ARCHITECTURE) {
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
        match ::backprop_core::weights::decode::<T, 21>(bytes, Self::ARCHITECTURE) {
            ::core::result::Result::Ok(params) => {
                *self.params_mut() = params;
                ::core::result::Result::Ok(())
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
    }
}
::backprop_core::__private::byte_methods! {
    SeedNet, 21, "network", "21 parameters", to_bytes, from_bytes_const
}
impl<T: ::backprop_core::Scalar> SeedNet<T>
where
    ::backprop_core::activation::Relu: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    ///For each layer, how many `ReLU` units are dead on `inputs`: their pre-activation is `<= 0` for every input, so they output 0 and pass no gradient back. Layers with other activations count 0; on an empty slice every `ReLU` unit counts as dead.
    #[must_use]
    pub fn dead_relu_units(&self, inputs: &[[T; 1]]) -> [usize; 3] {
        let mut __alive = [false; 7];
        for input in inputs {
            Self::__mark_alive(&self.forward_trace(input), &mut __alive);
        }
        Self::__count_dead(&__alive)
    }
    #[doc(hidden)]
    #[inline]
    pub fn __mark_alive(__trace: &SeedNetTrace<T>, __alive: &mut [bool; 7]) {
        ::backprop_core::__private::mark_active(
            &__trace.layer1.pre_activation,
            ::backprop_core::__private::segment_mut::<bool, 7, 0, 4>(__alive),
        );
    }
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub fn __count_dead(__alive: &[bool; 7]) -> [usize; 3] {
        let mut __dead = [0_usize; 3];
        __dead[0] = ::backprop_core::__private::count_inactive(
            ::backprop_core::__private::segment::<bool, 7, 0, 4>(__alive),
        );
        __dead
    }
}
impl<T: ::backprop_core::Scalar> SeedNet<T>
where
    ::backprop_core::activation::Relu: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
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
        input: &[T; 1],
        target: &[T; 1],
        loss: &L,
        optimizer: &mut O,
    ) -> T
    where
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 21>,
    {
        let trace = <Self as ::backprop_core::__private::Part<
            T,
            1,
            1,
            21,
        >>::__forward_trace(&self.params, input);
        if <O as ::backprop_core::optim::Optimizer<T, 21>>::ELEMENTWISE {
            ::backprop_core::optim::Optimizer::<T, 21>::begin_step(optimizer);
            <Self as ::backprop_core::__private::Part<
                T,
                1,
                1,
                21,
            >>::__update::<
                L,
                O,
                21,
                false,
            >(&mut self.params, &trace, target, loss, optimizer, 0)
                .0
        } else {
            let (value, gradients) = self.backward(&trace, target, loss);
            ::backprop_core::optim::Optimizer::<
                T,
                21,
            >::step(optimizer, &mut self.params, &gradients.params);
            value
        }
    }
    /// Runs the network on one input and returns its output.
    #[inline]
    #[must_use]
    pub fn forward(&self, input: &[T; 1]) -> [T; 1] {
        let mut output = [<T as ::backprop_core::Scalar>::ZERO; 1];
        <Self as ::backprop_core::__private::Part<
            T,
            1,
            1,
            21,
        >>::__forward(&self.params, input, &mut output);
        output
    }
    /// Runs the network on one input and returns every layer's
    /// pre-activations and activations, as the backward pass needs them.
    #[inline]
    #[must_use]
    pub fn forward_trace(&self, input: &[T; 1]) -> SeedNetTrace<T> {
        <Self as ::backprop_core::__private::Part<
            T,
            1,
            1,
            21,
        >>::__forward_trace(&self.params, input)
    }
    /// The loss of the network's prediction for `input` against
    /// `target`, computed as training computes it (from the logits
    /// where the loss has a fused form).
    #[inline]
    #[must_use]
    pub fn loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 1],
        target: &[T; 1],
        loss: &L,
    ) -> T {
        <Self as ::backprop_core::__private::Part<
            T,
            1,
            1,
            21,
        >>::__trace_loss(
            &<Self as ::backprop_core::__private::Part<
                T,
                1,
                1,
                21,
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
        trace: &SeedNetTrace<T>,
        target: &[T; 1],
        loss: &L,
        gradients: &mut Self,
    ) -> T {
        <Self as ::backprop_core::__private::Part<
            T,
            1,
            1,
            21,
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
        trace: &SeedNetTrace<T>,
        target: &[T; 1],
        loss: &L,
    ) -> (T, Self) {
        let mut gradients = Self::from_params(
            [<T as ::backprop_core::Scalar>::ZERO; 21],
        );
        let (loss, _) = <Self as ::backprop_core::__private::Part<
            T,
            1,
            1,
            21,
        >>::__backward::<
            L,
            false,
            false,
        >(&self.params, trace, target, loss, &mut gradients.params);
        (loss, gradients)
    }
}
#[automatically_derived]
impl<T: ::backprop_core::Scalar> ::backprop_core::Network<T, 1, 1, 21> for SeedNet<T>
where
    ::backprop_core::activation::Relu: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    type Trace = SeedNetTrace<T>;
    #[inline]
    fn from_params(params: [T; 21]) -> Self {
        SeedNet::from_params(params)
    }
    #[inline]
    fn params(&self) -> &[T; 21] {
        SeedNet::params(self)
    }
    #[inline]
    fn params_mut(&mut self) -> &mut [T; 21] {
        SeedNet::params_mut(self)
    }
    #[inline]
    fn forward(&self, input: &[T; 1]) -> [T; 1] {
        SeedNet::forward(self, input)
    }
    #[inline]
    fn forward_trace(&self, input: &[T; 1]) -> Self::Trace {
        SeedNet::forward_trace(self, input)
    }
    #[inline]
    fn trace_output(trace: &Self::Trace) -> &[T; 1] {
        trace.output()
    }
    #[inline]
    fn accumulate_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; 1],
        loss: &L,
        gradients: &mut Self,
    ) -> T {
        SeedNet::accumulate_gradients(self, trace, target, loss, gradients)
    }
    #[inline]
    fn backward<L: ::backprop_core::loss::Loss<T>>(
        &self,
        trace: &Self::Trace,
        target: &[T; 1],
        loss: &L,
    ) -> (T, Self) {
        SeedNet::backward(self, trace, target, loss)
    }
    #[inline]
    fn loss<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 1],
        target: &[T; 1],
        loss: &L,
    ) -> T {
        SeedNet::loss(self, input, target, loss)
    }
    #[inline]
    fn train_step<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 21>,
    >(&mut self, input: &[T; 1], target: &[T; 1], loss: &L, optimizer: &mut O) -> T {
        SeedNet::train_step(self, input, target, loss, optimizer)
    }
}
impl<T: ::backprop_core::Scalar> SeedNet<T>
where
    ::backprop_core::activation::Relu: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    /// The loss for one sample and the gradient of every parameter:
    /// [`Self::forward_trace`] then [`Self::backward`].
    #[inline]
    #[must_use]
    pub fn loss_and_gradients<L: ::backprop_core::loss::Loss<T>>(
        &self,
        input: &[T; 1],
        target: &[T; 1],
        loss: &L,
    ) -> (T, Self) {
        <Self as ::backprop_core::Network<
            T,
            1,
            1,
            21,
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
        O: ::backprop_core::optim::Optimizer<T, 21>,
    >(
        &mut self,
        input: &[T; 1],
        target: &[T; 1],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            1,
            1,
            21,
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
        inputs: &[[T; 1]],
        targets: &[[T; 1]],
        loss: &L,
    ) -> ::core::result::Result<(T, Self), ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            1,
            1,
            21,
        >>::batch_gradients(self, inputs, targets, loss)
    }
    /// Batch gradient descent: one update from the mean gradient over
    /// the whole slice. Returns the mean loss before the update; for
    /// an empty batch or slices of different lengths, makes no update
    /// and returns NaN (see [`Self::try_train_batch`]).
    #[inline]
    pub fn train_batch<
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 21>,
    >(
        &mut self,
        inputs: &[[T; 1]],
        targets: &[[T; 1]],
        loss: &L,
        optimizer: &mut O,
    ) -> T {
        <Self as ::backprop_core::Network<
            T,
            1,
            1,
            21,
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
        O: ::backprop_core::optim::Optimizer<T, 21>,
    >(
        &mut self,
        inputs: &[[T; 1]],
        targets: &[[T; 1]],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            1,
            1,
            21,
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
        O: ::backprop_core::optim::Optimizer<T, 21>,
    >(
        &mut self,
        inputs: &[[T; 1]],
        targets: &[[T; 1]],
        batch_size: usize,
        shuffle: ::core::option::Option<u64>,
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::Network<
            T,
            1,
            1,
            21,
        >>::train_epoch(self, inputs, targets, batch_size, shuffle, loss, optimizer)
    }
    /// The class this network predicts for `input`: the index of its
    /// largest output, or for one output, 1 if it is at least `0.5`.
    /// See [`Network::classify`](::backprop_core::Network::classify).
    #[inline]
    #[must_use]
    pub fn classify(&self, input: &[T; 1]) -> ::core::option::Option<usize> {
        <Self as ::backprop_core::Network<T, 1, 1, 21>>::classify(self, input)
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
    pub fn accuracy<Lb: ::backprop_core::metrics::Labels<T, 1> + ?::core::marker::Sized>(
        &self,
        inputs: &[[T; 1]],
        labels: &Lb,
    ) -> ::core::result::Result<f64, ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<T, 1, 1, 21>>::accuracy(self, inputs, labels)
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
        inputs: &[[T; 1]],
        targets: &[[T; 1]],
        loss: &L,
    ) -> ::core::result::Result<T, ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            1,
            1,
            21,
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
        Lb: ::backprop_core::metrics::Labels<T, 1> + ?::core::marker::Sized,
    >(
        &self,
        inputs: &[[T; 1]],
        labels: &Lb,
    ) -> ::core::result::Result<[[u32; C]; C], ::backprop_core::metrics::EvalError> {
        <Self as ::backprop_core::Network<
            T,
            1,
            1,
            21,
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
impl<T: ::backprop_core::Scalar, __S> ::backprop_core::__private::Part<T, 1, 1, 21>
for SeedNet<__S>
where
    ::backprop_core::activation::Relu: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    #[inline]
    fn __forward_trace(__p: &[T; 21], input: &[T; 1]) -> SeedNetTrace<T> {
        let mut __trace = SeedNetTrace {
            input: *input,
            layer1: ::backprop_core::LayerTrace {
                pre_activation: [<T as ::backprop_core::Scalar>::ZERO; 4],
                activation: [<T as ::backprop_core::Scalar>::ZERO; 4],
            },
            layer2: ::backprop_core::LayerTrace {
                pre_activation: [<T as ::backprop_core::Scalar>::ZERO; 2],
                activation: [<T as ::backprop_core::Scalar>::ZERO; 2],
            },
            layer3: ::backprop_core::LayerTrace {
                pre_activation: [<T as ::backprop_core::Scalar>::ZERO; 1],
                activation: [<T as ::backprop_core::Scalar>::ZERO; 1],
            },
        };
        let __z1: [T; 4] = [
            __p[4] + __p[0] * input[0],
            __p[5] + __p[1] * input[0],
            __p[6] + __p[2] * input[0],
            __p[7] + __p[3] * input[0],
        ];
        let __act1 = ::backprop_core::activation::Relu;
        let __a1: [T; 4] = [
            ::backprop_core::activation::Activation::<T>::f(&__act1, __z1[0]),
            ::backprop_core::activation::Activation::<T>::f(&__act1, __z1[1]),
            ::backprop_core::activation::Activation::<T>::f(&__act1, __z1[2]),
            ::backprop_core::activation::Activation::<T>::f(&__act1, __z1[3]),
        ];
        __trace.layer1 = ::backprop_core::LayerTrace {
            pre_activation: __z1,
            activation: __a1,
        };
        let __z2: [T; 2] = [
            __p[16] + __p[8] * __a1[0] + __p[9] * __a1[1] + __p[10] * __a1[2]
                + __p[11] * __a1[3],
            __p[17] + __p[12] * __a1[0] + __p[13] * __a1[1] + __p[14] * __a1[2]
                + __p[15] * __a1[3],
        ];
        let __act2 = ::backprop_core::activation::Sigmoid;
        let __a2: [T; 2] = [
            ::backprop_core::activation::Activation::<T>::f(&__act2, __z2[0]),
            ::backprop_core::activation::Activation::<T>::f(&__act2, __z2[1]),
        ];
        __trace.layer2 = ::backprop_core::LayerTrace {
            pre_activation: __z2,
            activation: __a2,
        };
        let __z3: [T; 1] = [__p[20] + __p[18] * __a2[0] + __p[19] * __a2[1]];
        let __act3 = ::backprop_core::activation::Linear;
        let __a3: [T; 1] = [
            ::backprop_core::activation::Activation::<T>::f(&__act3, __z3[0]),
        ];
        __trace.layer3 = ::backprop_core::LayerTrace {
            pre_activation: __z3,
            activation: __a3,
        };
        __trace
    }
    #[inline]
    fn __forward(__p: &[T; 21], input: &[T; 1], output: &mut [T; 1]) {
        *output = *<Self as ::backprop_core::__private::Part<
            T,
            1,
            1,
            21,
        >>::__forward_trace(__p, input)
            .output();
    }
    #[inline]
    fn __trace_loss<L: ::backprop_core::loss::Loss<T>>(
        trace: &SeedNetTrace<T>,
        target: &[T; 1],
        loss: &L,
    ) -> T {
        let __act3 = ::backprop_core::activation::Linear;
        ::backprop_core::loss::Loss::<
            T,
        >::output_loss(
            loss,
            &__act3,
            &trace.layer3.pre_activation,
            &trace.layer3.activation,
            target,
        )
    }
    #[inline]
    fn __backward<
        L: ::backprop_core::loss::Loss<T>,
        const INPUT_GRAD: bool,
        const ACCUMULATE: bool,
    >(
        __p: &[T; 21],
        trace: &SeedNetTrace<T>,
        target: &[T; 1],
        loss: &L,
        __g: &mut [T; 21],
    ) -> (T, [T; 1]) {
        let __act3 = ::backprop_core::activation::Linear;
        let __loss = ::backprop_core::loss::Loss::<
            T,
        >::output_loss(
            loss,
            &__act3,
            &trace.layer3.pre_activation,
            &trace.layer3.activation,
            target,
        );
        let __delta = ::backprop_core::loss::Loss::<
            T,
        >::output_delta(
            loss,
            &__act3,
            &trace.layer3.pre_activation,
            &trace.layer3.activation,
            target,
        );
        (
            __loss,
            SeedNet::<
                T,
            >::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(__p, trace, __delta, __g),
        )
    }
    #[inline]
    fn __backward_upstream<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        __p: &[T; 21],
        trace: &SeedNetTrace<T>,
        upstream: &[T; 1],
        __g: &mut [T; 21],
    ) -> [T; 1] {
        let __act3 = ::backprop_core::activation::Linear;
        let __delta = ::backprop_core::__private::activation_backward(
            &__act3,
            &trace.layer3.pre_activation,
            &trace.layer3.activation,
            upstream,
        );
        SeedNet::<
            T,
        >::__backward_from_delta::<INPUT_GRAD, ACCUMULATE>(__p, trace, __delta, __g)
    }
    #[inline]
    fn __update<L, O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; 21],
        trace: &SeedNetTrace<T>,
        target: &[T; 1],
        loss: &L,
        optimizer: &mut O,
        __base: usize,
    ) -> (T, [T; 1])
    where
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __act3 = ::backprop_core::activation::Linear;
        let __loss = ::backprop_core::loss::Loss::<
            T,
        >::output_loss(
            loss,
            &__act3,
            &trace.layer3.pre_activation,
            &trace.layer3.activation,
            target,
        );
        let __delta = ::backprop_core::loss::Loss::<
            T,
        >::output_delta(
            loss,
            &__act3,
            &trace.layer3.pre_activation,
            &trace.layer3.activation,
            target,
        );
        (
            __loss,
            SeedNet::<
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
        __p: &mut [T; 21],
        trace: &SeedNetTrace<T>,
        upstream: &[T; 1],
        optimizer: &mut O,
        __base: usize,
    ) -> [T; 1]
    where
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __act3 = ::backprop_core::activation::Linear;
        let __delta = ::backprop_core::__private::activation_backward(
            &__act3,
            &trace.layer3.pre_activation,
            &trace.layer3.activation,
            upstream,
        );
        SeedNet::<
            T,
        >::__update_from_delta::<
            O,
            PO,
            INPUT_GRAD,
        >(__p, trace, __delta, optimizer, __base)
    }
    fn __with_seed(seed: u64) -> [T; 21] {
        let mut __net = SeedNet::<
            T,
        >::from_params([<T as ::backprop_core::Scalar>::ZERO; 21]);
        let mut __rng = ::backprop_core::init::SplitMix64::new(seed);
        let (__w, __b) = ::backprop_core::__private::dense::layer_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            0,
            1,
            4,
        >(&mut __net.params);
        ::backprop_core::__private::dense::init::<
            T,
            ::backprop_core::__private::OutputMajor,
            1,
            4,
        >(
            __w,
            __b,
            <::backprop_core::activation::Relu as ::backprop_core::activation::Activation<
                T,
            >>::INIT,
            &mut __rng,
        );
        let (__w, __b) = ::backprop_core::__private::dense::layer_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            8,
            4,
            2,
        >(&mut __net.params);
        ::backprop_core::__private::dense::init::<
            T,
            ::backprop_core::__private::OutputMajor,
            4,
            2,
        >(
            __w,
            __b,
            <::backprop_core::activation::Sigmoid as ::backprop_core::activation::Activation<
                T,
            >>::INIT,
            &mut __rng,
        );
        let (__w, __b) = ::backprop_core::__private::dense::layer_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            21,
            18,
            2,
            1,
        >(&mut __net.params);
        ::backprop_core::__private::dense::init::<
            T,
            ::backprop_core::__private::OutputMajor,
            2,
            1,
        >(
            __w,
            __b,
            <::backprop_core::activation::Linear as ::backprop_core::activation::Activation<
                T,
            >>::INIT,
            &mut __rng,
        );
        __net.params
    }
    #[inline]
    fn __from_params(params: [T; 21]) -> SeedNet<T> {
        SeedNet::<T>::from_params(params)
    }
    fn __fmt(__p: &[T; 21], f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        ::core::fmt::Debug::fmt(&SeedNet::<T>::from_params(*__p), f)
    }
    fn __gradient_norms(__p: &[T; 21], norms: &mut [T])
    where
        T: ::backprop_core::Float,
    {
        let __norms = SeedNet::<T>::from_params(*__p).gradient_norms();
        for (__slot, __norm) in ::core::iter::Iterator::zip(norms.iter_mut(), __norms) {
            *__slot = __norm;
        }
    }
    #[inline]
    fn __mark_alive(__trace: &SeedNetTrace<T>, __alive: &mut [bool]) {
        if let ::core::option::Option::Some(__alive) = __alive.first_chunk_mut() {
            SeedNet::<T>::__mark_alive(__trace, __alive);
        }
    }
    #[inline]
    fn __count_dead(__alive: &[bool], __dead: &mut [usize]) {
        if let (
            ::core::option::Option::Some(__alive),
            ::core::option::Option::Some(__dead),
        ) = (__alive.first_chunk(), __dead.first_chunk_mut()) {
            *__dead = SeedNet::<T>::__count_dead(__alive);
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
impl<T: ::backprop_core::Scalar> SeedNet<T>
where
    ::backprop_core::activation::Relu: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    #[doc(hidden)]
    #[inline]
    pub fn __update_from_delta<O, const PO: usize, const INPUT_GRAD: bool>(
        __p: &mut [T; 21],
        trace: &SeedNetTrace<T>,
        __d3: [T; 1],
        optimizer: &mut O,
        __base: usize,
    ) -> [T; 1]
    where
        O: ::backprop_core::optim::Optimizer<T, PO>,
    {
        let __act1 = ::backprop_core::activation::Relu;
        let __act2 = ::backprop_core::activation::Sigmoid;
        let __x3 = &trace.layer2.activation;
        let __d2: [T; 2] = [
            (__p[18] * __d3[0])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act2,
                    trace.layer2.pre_activation[0],
                    trace.layer2.activation[0],
                ),
            (__p[19] * __d3[0])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act2,
                    trace.layer2.pre_activation[1],
                    trace.layer2.activation[1],
                ),
        ];
        {
            let (__gw, __gb) = ::backprop_core::__private::dense::layer_mut::<
                T,
                ::backprop_core::__private::OutputMajor,
                21,
                18,
                2,
                1,
            >(__p);
            ::backprop_core::__private::dense::update::<
                T,
                ::backprop_core::__private::OutputMajor,
                _,
                PO,
                2,
                1,
            >(optimizer, __base + 18, __gw, __gb, &__d3, __x3);
        }
        let __x2 = &trace.layer1.activation;
        let __d1: [T; 4] = [
            (__p[8] * __d2[0] + __p[12] * __d2[1])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act1,
                    trace.layer1.pre_activation[0],
                    trace.layer1.activation[0],
                ),
            (__p[9] * __d2[0] + __p[13] * __d2[1])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act1,
                    trace.layer1.pre_activation[1],
                    trace.layer1.activation[1],
                ),
            (__p[10] * __d2[0] + __p[14] * __d2[1])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act1,
                    trace.layer1.pre_activation[2],
                    trace.layer1.activation[2],
                ),
            (__p[11] * __d2[0] + __p[15] * __d2[1])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act1,
                    trace.layer1.pre_activation[3],
                    trace.layer1.activation[3],
                ),
        ];
        {
            let (__gw, __gb) = ::backprop_core::__private::dense::layer_mut::<
                T,
                ::backprop_core::__private::OutputMajor,
                21,
                8,
                4,
                2,
            >(__p);
            ::backprop_core::__private::dense::update::<
                T,
                ::backprop_core::__private::OutputMajor,
                _,
                PO,
                4,
                2,
            >(optimizer, __base + 8, __gw, __gb, &__d2, __x2);
        }
        let __x1 = &trace.input;
        let __dx = if INPUT_GRAD {
            [__p[0] * __d1[0] + __p[1] * __d1[1] + __p[2] * __d1[2] + __p[3] * __d1[3]]
        } else {
            [<T as ::backprop_core::Scalar>::ZERO; 1]
        };
        {
            let (__gw, __gb) = ::backprop_core::__private::dense::layer_mut::<
                T,
                ::backprop_core::__private::OutputMajor,
                21,
                0,
                1,
                4,
            >(__p);
            ::backprop_core::__private::dense::update::<
                T,
                ::backprop_core::__private::OutputMajor,
                _,
                PO,
                1,
                4,
            >(optimizer, __base + 0, __gw, __gb, &__d1, __x1);
        }
        __dx
    }
    #[doc(hidden)]
    #[inline]
    pub fn __backward_from_delta<const INPUT_GRAD: bool, const ACCUMULATE: bool>(
        __p: &[T; 21],
        trace: &SeedNetTrace<T>,
        __d3: [T; 1],
        __g: &mut [T; 21],
    ) -> [T; 1] {
        let __act1 = ::backprop_core::activation::Relu;
        let __act2 = ::backprop_core::activation::Sigmoid;
        let __x3 = &trace.layer2.activation;
        let __d2: [T; 2] = [
            (__p[18] * __d3[0])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act2,
                    trace.layer2.pre_activation[0],
                    trace.layer2.activation[0],
                ),
            (__p[19] * __d3[0])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act2,
                    trace.layer2.pre_activation[1],
                    trace.layer2.activation[1],
                ),
        ];
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[18], __d3[0] * __x3[0]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[19], __d3[0] * __x3[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[20], __d3[0]);
        let __x2 = &trace.layer1.activation;
        let __d1: [T; 4] = [
            (__p[8] * __d2[0] + __p[12] * __d2[1])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act1,
                    trace.layer1.pre_activation[0],
                    trace.layer1.activation[0],
                ),
            (__p[9] * __d2[0] + __p[13] * __d2[1])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act1,
                    trace.layer1.pre_activation[1],
                    trace.layer1.activation[1],
                ),
            (__p[10] * __d2[0] + __p[14] * __d2[1])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act1,
                    trace.layer1.pre_activation[2],
                    trace.layer1.activation[2],
                ),
            (__p[11] * __d2[0] + __p[15] * __d2[1])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act1,
                    trace.layer1.pre_activation[3],
                    trace.layer1.activation[3],
                ),
        ];
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[8], __d2[0] * __x2[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[9], __d2[0] * __x2[1]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[10], __d2[0] * __x2[2]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[11], __d2[0] * __x2[3]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[12], __d2[1] * __x2[0]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[13], __d2[1] * __x2[1]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[14], __d2[1] * __x2[2]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[15], __d2[1] * __x2[3]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[16], __d2[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[17], __d2[1]);
        let __x1 = &trace.input;
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[0], __d1[0] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[1], __d1[1] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[2], __d1[2] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[3], __d1[3] * __x1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[4], __d1[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[5], __d1[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[6], __d1[2]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[7], __d1[3]);
        if INPUT_GRAD {
            [__p[0] * __d1[0] + __p[1] * __d1[1] + __p[2] * __d1[2] + __p[3] * __d1[3]]
        } else {
            [<T as ::backprop_core::Scalar>::ZERO; 1]
        }
    }
}
impl<T: ::backprop_core::Scalar> SeedNet<T>
where
    ::backprop_core::activation::Relu: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    ///A network with weights drawn from `seed` (He uniform for ReLU-family layers, Glorot uniform for the others) and zero biases. The same seed gives the same parameters on every target. Layers: `1 => 4 ReLU => 2 Sigmoid => 1 Linear`.
    #[must_use]
    pub fn with_seed(seed: u64) -> Self {
        Self::from_params(
            <Self as ::backprop_core::__private::Part<T, 1, 1, 21>>::__with_seed(seed),
        )
    }
}
impl<T: ::backprop_core::Float> SeedNet<T> {
    /// The Euclidean norm of each layer's parameters (weights and
    /// biases together). Called on a gradient, it shows how much each
    /// layer learns: norms that shrink towards the input are the
    /// vanishing gradient.
    #[must_use]
    pub fn gradient_norms(&self) -> [T; 3] {
        [
            ::backprop_core::__private::l2_norm(&self.params[0..8]),
            ::backprop_core::__private::l2_norm(&self.params[8..18]),
            ::backprop_core::__private::l2_norm(&self.params[18..21]),
        ]
    }
}
///[`SeedNet`] quantized to int8 by [`SeedNet::quantize`]: each layer's weights `i8`, symmetric per output channel, its biases `i32`, its activations `i8`, affine per tensor, and TFLite's integer requantization between them (`backprop_core::int8`). [`Self::forward`] is integer arithmetic only.
#[derive(
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::fmt::Debug,
    ::core::cmp::PartialEq
)]
#[allow(non_camel_case_types)]
pub struct SeedNetInt8 {
    /// How the input is quantized.
    pub input: ::backprop_core::int8::Quantization,
    /// How the output is quantized.
    pub output: ::backprop_core::int8::Quantization,
    ///Layer 1: 1 => 4, `Relu` fused.
    pub layer1: ::backprop_core::int8::Dense<1, 4>,
    ///Layer 2: 4 => 2, `None` fused.
    pub layer2: ::backprop_core::int8::Dense<4, 2>,
    ///Layer 2's activation, by TFLite's integer kernel.
    pub layer2_activation: ::backprop_core::int8::Logistic,
    ///Layer 3: 2 => 1, `None` fused.
    pub layer3: ::backprop_core::int8::Dense<2, 1>,
}
impl SeedNetInt8 {
    /// The quantized output for the quantized input: integer
    /// arithmetic only.
    #[inline]
    #[must_use]
    pub fn forward(&self, input: &[i8; 1]) -> [i8; 1] {
        let __a1 = self.layer1.forward(&input);
        let __a2 = self.layer2_activation.forward(&self.layer2.forward(&__a1));
        let __a3 = self.layer3.forward(&__a2);
        __a3
    }
    /// The output for a float input: quantized in, run in int8,
    /// dequantized out.
    #[inline]
    #[must_use]
    pub fn forward_f32(&self, input: &[f32; 1]) -> [f32; 1] {
        let __q = input.map(|__v| self.input.quantize(__v));
        self.forward(&__q).map(|__v| self.output.dequantize(__v))
    }
}
impl SeedNetInt8 {
    /// The float network's `ARCHITECTURE`: a blob of this int8
    /// network records it, with the int8 kind byte.
    pub const ARCHITECTURE: &'static str = <SeedNet<f32>>::ARCHITECTURE;
    /// The bytes of the quantized values in a blob: the input's
    /// and output's quantizations, then every layer.
    pub const PAYLOAD: usize = 2 * ::backprop_core::int8::QUANTIZATION_BYTES
        + ::backprop_core::int8::Dense::<1, 4>::BYTES
        + ::backprop_core::int8::Dense::<4, 2>::BYTES
        + ::backprop_core::int8::Logistic::BYTES
        + ::backprop_core::int8::Dense::<2, 1>::BYTES;
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
        __at += ::backprop_core::int8::Dense::<1, 4>::BYTES;
        self.layer2.write(&mut __out[__at..]);
        __at += ::backprop_core::int8::Dense::<4, 2>::BYTES;
        self.layer2_activation.write(&mut __out[__at..]);
        __at += ::backprop_core::int8::Logistic::BYTES;
        self.layer3.write(&mut __out[__at..]);
        __at += ::backprop_core::int8::Dense::<2, 1>::BYTES;
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
        let layer1 = ::backprop_core::int8::Dense::<1, 4>::read(bytes, __at);
        __at += ::backprop_core::int8::Dense::<1, 4>::BYTES;
        let layer2 = ::backprop_core::int8::Dense::<4, 2>::read(bytes, __at);
        __at += ::backprop_core::int8::Dense::<4, 2>::BYTES;
        let layer2_activation = ::backprop_core::int8::Logistic::read(bytes, __at);
        __at += ::backprop_core::int8::Logistic::BYTES;
        let layer3 = ::backprop_core::int8::Dense::<2, 1>::read(bytes, __at);
        __at += ::backprop_core::int8::Dense::<2, 1>::BYTES;
        let _ = __at;
        Self {
            input,
            output,
            layer1,
            layer2,
            layer2_activation,
            layer3,
        }
    }
}
impl SeedNet<f32> {
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
        calibration: &[[f32; 1]],
    ) -> ::core::result::Result<SeedNetInt8, ::backprop_core::int8::QuantError> {
        let mut __ranges = [<::backprop_core::int8::Range as ::core::default::Default>::default(); 4];
        for __x in calibration {
            let __trace = self.forward_trace(__x);
            __ranges[0].observe(&__trace.input);
            __ranges[1].observe(&__trace.layer1.activation);
            __ranges[2].observe(&__trace.layer2.pre_activation);
            __ranges[3].observe(&__trace.layer3.activation);
        }
        let __q0 = __ranges[0].quantization()?;
        let __z1 = __ranges[1].quantization()?;
        let __q1 = __z1;
        let __z2 = __ranges[2].quantization()?;
        let layer2_activation = ::backprop_core::int8::Logistic::new(__z2)?;
        let __q2 = ::backprop_core::int8::Logistic::OUTPUT;
        let __z3 = __ranges[3].quantization()?;
        let __q3 = __z3;
        let layer1 = ::backprop_core::int8::Dense::quantize(
            &*self.layer1_weights(),
            self.layer1_bias(),
            __q0,
            __z1,
            ::backprop_core::int8::Fused::Relu,
        )?;
        let layer2 = ::backprop_core::int8::Dense::quantize(
            &*self.layer2_weights(),
            self.layer2_bias(),
            __q1,
            __z2,
            ::backprop_core::int8::Fused::None,
        )?;
        let layer3 = ::backprop_core::int8::Dense::quantize(
            &*self.layer3_weights(),
            self.layer3_bias(),
            __q2,
            __z3,
            ::backprop_core::int8::Fused::None,
        )?;
        ::core::result::Result::Ok(SeedNetInt8 {
            input: __q0,
            output: __q3,
            layer1,
            layer2,
            layer2_activation,
            layer3,
        })
    }
}
