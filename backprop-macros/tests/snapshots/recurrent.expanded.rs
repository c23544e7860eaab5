// Expansion of `network! { pub struct Amp: 1 => 4 GRU => 2 Tanh => 1 Linear; }`.
// Refresh with `UPDATE_EXPANSIONS=1 cargo test -p backprop-macros snapshot`.

/**A neural network `1 => 4 GRU => 2 Tanh => 1 Linear`.

# Architecture

`1 => 4 GRU => 2 Tanh => 1 Linear`, declared with `backprop_core::network!`: 1 input, 1 output, 97 parameters.

| layer | inputs | outputs | activation | weights at | biases at |
|---|---|---|---|---|---|
| 1 | 1 | 4 | `4 GRU` (gates r, z, n) | `0..60` | `60..84` |
| 2 | 4 | 2 | `Tanh` | `84..92` | `92..94` |
| 3 | 2 | 1 | `Linear` | `94..96` | `96..97` |

The parameters live in one flat array: layer by layer, the weights row-major in `[out][in]` order (the weight from input `i` to neuron `o` of a layer is at `weights_at + o * inputs + i`), then that layer's biases.

A recurrent network: its input and output are one time step's, and [`AmpState`] holds every recurrent layer's state from step to step. Stream with [`Amp::step`], run whole sequences with [`Amp::forward_sequence`], train on sequences with [`Amp::train_step`] and the other methods of [`Recurrent`](::backprop_core::Recurrent), which are also inherent methods. A recurrent layer's parameters are PyTorch's `weight_ih` (`[G * H][IN]`), `weight_hh` (`[G * H][H]`), `bias_ih` and `bias_hh` (`[G * H]`), gate blocks in PyTorch's order (GRU: r, z, n; LSTM: i, f, g, o), so `nn.GRU` and `nn.LSTM` weights map one to one.*/
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq)]
pub struct Amp<T = f32> {
    params: [T; 97],
}
///Every value of one time step of [`Amp`]: its input, then each layer's values at that step (a recurrent layer's state before the step, its gates and its new state). Backpropagation through time keeps one per step.
#[derive(
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::fmt::Debug,
    ::core::cmp::PartialEq
)]
#[allow(non_camel_case_types)]
pub struct AmpTrace<T = f32> {
    /// The input the forward pass ran on.
    pub input: [T; 1],
    ///Layer 1 (`4 GRU`) at this step: the state it started from, its gates (r, z, n) and its new hidden state `h`, the layer's output.
    pub layer1: ::backprop_core::__private::recurrent::GruTrace<T, 4>,
    ///Layer 2 (2 neurons `Tanh`): pre-activations and activations.
    pub layer2: ::backprop_core::LayerTrace<T, 2>,
    ///Layer 3 (1 neuron `Linear`): pre-activations and activations.
    pub layer3: ::backprop_core::LayerTrace<T, 1>,
}
impl<T> AmpTrace<T> {
    /// The output of the forward pass.
    #[inline]
    #[must_use]
    pub const fn output(&self) -> &[T; 1] {
        &self.layer3.activation
    }
}
#[allow(non_camel_case_types)]
impl<T> ::backprop_core::__private::NetworkFamily for Amp<T> {
    type Of<__S> = Amp<__S>;
    type TraceOf<__S> = AmpTrace<__S>;
    const INPUTS: usize = 1;
    const OUTPUTS: usize = 1;
    const PARAMS: usize = 97;
    const LAYERS: usize = 3;
    const UNITS: usize = 7;
    const ARCHITECTURE: &'static str = <Amp<T>>::ARCHITECTURE;
    const LAYER_INFO: &'static [::backprop_core::summary::LayerInfo] = &[
        ::backprop_core::summary::LayerInfo {
            kind: "4 GRU",
            inputs: 1,
            outputs: 4,
            activation: "",
            params: 84,
            input_major: false,
        },
        ::backprop_core::summary::LayerInfo {
            kind: "Dense",
            inputs: 4,
            outputs: 2,
            activation: "Tanh",
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
    const RECURRENT: bool = true;
}
impl<T> Amp<T> {
    ///The input width: 1.
    pub const INPUTS: usize = 1;
    ///The output width: 1.
    pub const OUTPUTS: usize = 1;
    ///The number of parameters, weights and biases together: 97.
    pub const PARAMS: usize = 97;
    ///The number of layers after the input: 3.
    pub const LAYERS: usize = 3;
    ///The bytes the parameters take: `PARAMS * size_of::<T>()`, the whole size of a network value.
    pub const PARAM_BYTES: usize = 97 * ::core::mem::size_of::<T>();
    /// The bytes one forward trace takes (its input, and every
    /// layer's pre-activations and activations): with
    /// [`Self::PARAM_BYTES`], the RAM a training step needs for data.
    pub const TRACE_BYTES: usize = ::core::mem::size_of::<AmpTrace<T>>();
    ///A network with these parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn from_params(params: [T; 97]) -> Self {
        Self { params }
    }
    /// All parameters, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params(&self) -> &[T; 97] {
        &self.params
    }
    /// All parameters, mutably, in the flat order described on the type.
    #[inline]
    #[must_use]
    pub const fn params_mut(&mut self) -> &mut [T; 97] {
        &mut self.params
    }
    /// The flat parameter array, by value.
    #[inline]
    #[must_use]
    pub fn into_params(self) -> [T; 97] {
        self.params
    }
    ///`weight_ih` of layer 1 (`4 GRU`, 1 => 4), as PyTorch's `weight_ih_l0`: 12 rows, one block of 4 per gate in the order r, z, n.
    #[inline]
    #[must_use]
    pub fn layer1_weight_ih(&self) -> &[[T; 1]; 12] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            97,
            0,
            1,
            12,
        >(&self.params)
    }
    ///`weight_ih` of layer 1 (`4 GRU`, 1 => 4), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_weight_ih_mut(&mut self) -> &mut [[T; 1]; 12] {
        ::backprop_core::__private::views::matrix_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            97,
            0,
            1,
            12,
        >(&mut self.params)
    }
    ///`weight_hh` of layer 1 (`4 GRU`, 1 => 4), as PyTorch's `weight_hh_l0`: 12 rows, one block of 4 per gate in the order r, z, n.
    #[inline]
    #[must_use]
    pub fn layer1_weight_hh(&self) -> &[[T; 4]; 12] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            97,
            12,
            4,
            12,
        >(&self.params)
    }
    ///`weight_hh` of layer 1 (`4 GRU`, 1 => 4), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_weight_hh_mut(&mut self) -> &mut [[T; 4]; 12] {
        ::backprop_core::__private::views::matrix_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            97,
            12,
            4,
            12,
        >(&mut self.params)
    }
    ///`bias_ih` of layer 1 (`4 GRU`, 1 => 4), as PyTorch's `bias_ih_l0`: 12 rows, one block of 4 per gate in the order r, z, n.
    #[inline]
    #[must_use]
    pub fn layer1_bias_ih(&self) -> &[T; 12] {
        ::backprop_core::__private::segment::<T, 97, 60, 12>(&self.params)
    }
    ///`bias_ih` of layer 1 (`4 GRU`, 1 => 4), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_bias_ih_mut(&mut self) -> &mut [T; 12] {
        ::backprop_core::__private::segment_mut::<T, 97, 60, 12>(&mut self.params)
    }
    ///`bias_hh` of layer 1 (`4 GRU`, 1 => 4), as PyTorch's `bias_hh_l0`: 12 rows, one block of 4 per gate in the order r, z, n.
    #[inline]
    #[must_use]
    pub fn layer1_bias_hh(&self) -> &[T; 12] {
        ::backprop_core::__private::segment::<T, 97, 72, 12>(&self.params)
    }
    ///`bias_hh` of layer 1 (`4 GRU`, 1 => 4), mutably.
    #[inline]
    #[must_use]
    pub fn layer1_bias_hh_mut(&mut self) -> &mut [T; 12] {
        ::backprop_core::__private::segment_mut::<T, 97, 72, 12>(&mut self.params)
    }
    ///The weights of layer 2 (4 => 2 `Tanh`), `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`.
    #[inline]
    #[must_use]
    pub fn layer2_weights(&self) -> &[[T; 4]; 2] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            97,
            84,
            4,
            2,
        >(&self.params)
    }
    ///The weights of layer 2 (4 => 2 `Tanh`), mutably.
    #[inline]
    #[must_use]
    pub fn layer2_weights_mut(&mut self) -> &mut [[T; 4]; 2] {
        ::backprop_core::__private::views::matrix_mut::<
            T,
            ::backprop_core::__private::OutputMajor,
            97,
            84,
            4,
            2,
        >(&mut self.params)
    }
    ///The biases of layer 2 (4 => 2 `Tanh`).
    #[inline]
    #[must_use]
    pub fn layer2_bias(&self) -> &[T; 2] {
        ::backprop_core::__private::bias::<T, 97, 92, 2>(&self.params)
    }
    ///The biases of layer 2 (4 => 2 `Tanh`), mutably.
    #[inline]
    #[must_use]
    pub fn layer2_bias_mut(&mut self) -> &mut [T; 2] {
        ::backprop_core::__private::bias_mut::<T, 97, 92, 2>(&mut self.params)
    }
    ///The weights of layer 3 (2 => 1 `Linear`), `[out][in]`: `[o][i]` is the weight from input `i` to neuron `o`.
    #[inline]
    #[must_use]
    pub fn layer3_weights(&self) -> &[[T; 2]; 1] {
        ::backprop_core::__private::views::matrix::<
            T,
            ::backprop_core::__private::OutputMajor,
            97,
            94,
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
            97,
            94,
            2,
            1,
        >(&mut self.params)
    }
    ///The biases of layer 3 (2 => 1 `Linear`).
    #[inline]
    #[must_use]
    pub fn layer3_bias(&self) -> &[T; 1] {
        ::backprop_core::__private::bias::<T, 97, 96, 1>(&self.params)
    }
    ///The biases of layer 3 (2 => 1 `Linear`), mutably.
    #[inline]
    #[must_use]
    pub fn layer3_bias_mut(&mut self) -> &mut [T; 1] {
        ::backprop_core::__private::bias_mut::<T, 97, 96, 1>(&mut self.params)
    }
}
impl<T: ::backprop_core::Scalar> ::core::default::Default for Amp<T> {
    /// All parameters zero.
    #[inline]
    fn default() -> Self {
        Self::from_params([<T as ::backprop_core::Scalar>::ZERO; 97])
    }
}
impl<T: ::core::fmt::Debug + ::core::marker::Copy> ::core::fmt::Debug for Amp<T> {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("Amp")
            .field("layer1_weight_ih", self.layer1_weight_ih())
            .field("layer1_weight_hh", self.layer1_weight_hh())
            .field("layer1_bias_ih", self.layer1_bias_ih())
            .field("layer1_bias_hh", self.layer1_bias_hh())
            .field("layer2_weights", self.layer2_weights())
            .field("layer2_bias", self.layer2_bias())
            .field("layer3_weights", self.layer3_weights())
            .field("layer3_bias", self.layer3_bias())
            .finish()
    }
}
impl<T> Amp<T> {
    ///The canonical spec text, `1 => 4 GRU => 2 Tanh => 1 Linear`: a weights blob records it, and a blob loads only where it is the `ARCHITECTURE` byte for byte. Its CRC-32 is [`Self::FINGERPRINT`].
    pub const ARCHITECTURE: &'static str = "1 => 4 GRU => 2 Tanh => 1 Linear";
    ///The CRC-32 of [`Self::ARCHITECTURE`], stored in the header of every weights blob of this network beside the text itself, for tools that list blobs; loading compares the text.
    pub const FINGERPRINT: u32 = ::backprop_core::weights::crc32(
        Self::ARCHITECTURE.as_bytes(),
    );
}
impl<T: ::backprop_core::Scalar> Amp<T> {
    ///A table of the layers of `1 => 4 GRU => 2 Tanh => 1 Linear`, one row per layer with its widths, activation and parameter count, then the totals, parameter bytes and trace bytes, in the style of Keras' `model.summary()`. Print it with `println!("{}", Amp::<f32>::summary())`.
    #[must_use]
    pub const fn summary() -> ::backprop_core::summary::Summary {
        ::backprop_core::summary::Summary {
            name: "Amp",
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
    Amp, 97
}
impl<T: ::backprop_core::Codec> Amp<T> {
    /**Loads a network from a weights blob (the format of [`backprop_core::weights`](::backprop_core::weights)), after checking all of it.

# Errors

A [`LoadError`](::backprop_core::LoadError) naming the first check that failed: length, magic number, version, checksum, scalar type, reserved byte, architecture or parameter count.*/
    pub fn from_bytes(
        bytes: &[u8],
    ) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
        match ::backprop_core::weights::decode::<T, 97>(bytes, Self::ARCHITECTURE) {
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
        match ::backprop_core::weights::decode::<T, 97>(bytes, Self::ARCHITECTURE) {
            ::core::result::Result::Ok(params) => {
                *self.params_mut() = params;
                ::core::result::Result::Ok(())
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
    }
}
::backprop_core::__private::byte_methods! {
    Amp, 97, "network", "97 parameters", to_bytes, from_bytes_const
}
///The state of [`Amp`] between time steps: every recurrent layer's hidden state (and an LSTM's cell state). `Default` is all zero, the state a sequence starts from; [`Amp::step`] updates it.
#[derive(
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::fmt::Debug,
    ::core::cmp::PartialEq
)]
#[allow(non_camel_case_types)]
pub struct AmpState<T: ::backprop_core::Scalar = f32> {
    ///The hidden state of layer 1 (`4 GRU`, 1 => 4).
    pub layer1: ::backprop_core::recurrent::GruState<T, 4>,
}
impl<T: ::backprop_core::Scalar> ::core::default::Default for AmpState<T> {
    /// All zero.
    #[inline]
    fn default() -> Self {
        Self {
            layer1: ::core::default::Default::default(),
        }
    }
}
impl<T: ::backprop_core::Scalar> AmpState<T> {
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
impl<T: ::backprop_core::Scalar> ::backprop_core::recurrent::Recurrent<T, 1, 1, 97>
for Amp<T>
where
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Tanh: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    type State = AmpState<T>;
    type StepTrace = AmpTrace<T>;
    #[inline]
    fn from_params(params: [T; 97]) -> Self {
        Self { params }
    }
    #[inline]
    fn params(&self) -> &[T; 97] {
        &self.params
    }
    #[inline]
    fn params_mut(&mut self) -> &mut [T; 97] {
        &mut self.params
    }
    #[inline]
    fn __step(__p: &[T; 97], __state: &mut AmpState<T>, input: &[T; 1]) -> [T; 1] {
        let __in: &[T; 1] = &input;
        let __a1 = ::backprop_core::__private::recurrent::gru_step::<
            T,
            97,
            0,
            84,
            1,
            4,
        >(__p, __in, &mut __state.layer1);
        let __z2: [T; 2] = [
            __p[92] + __p[84] * __a1[0] + __p[85] * __a1[1] + __p[86] * __a1[2]
                + __p[87] * __a1[3],
            __p[93] + __p[88] * __a1[0] + __p[89] * __a1[1] + __p[90] * __a1[2]
                + __p[91] * __a1[3],
        ];
        let __act2 = ::backprop_core::activation::Tanh;
        let __a2: [T; 2] = [
            ::backprop_core::activation::Activation::<T>::f(&__act2, __z2[0]),
            ::backprop_core::activation::Activation::<T>::f(&__act2, __z2[1]),
        ];
        let __z3: [T; 1] = [__p[96] + __p[94] * __a2[0] + __p[95] * __a2[1]];
        let __act3 = ::backprop_core::activation::Linear;
        let __a3: [T; 1] = [
            ::backprop_core::activation::Activation::<T>::f(&__act3, __z3[0]),
        ];
        __a3
    }
    #[inline]
    fn __step_trace(
        __p: &[T; 97],
        __state: &AmpState<T>,
        input: &[T; 1],
    ) -> AmpTrace<T> {
        let __in: &[T; 1] = &input;
        let __t1 = ::backprop_core::__private::recurrent::gru_trace::<
            T,
            97,
            0,
            84,
            1,
            4,
        >(__p, __in, &__state.layer1);
        let __a1 = __t1.h;
        let __z2: [T; 2] = [
            __p[92] + __p[84] * __a1[0] + __p[85] * __a1[1] + __p[86] * __a1[2]
                + __p[87] * __a1[3],
            __p[93] + __p[88] * __a1[0] + __p[89] * __a1[1] + __p[90] * __a1[2]
                + __p[91] * __a1[3],
        ];
        let __act2 = ::backprop_core::activation::Tanh;
        let __a2: [T; 2] = [
            ::backprop_core::activation::Activation::<T>::f(&__act2, __z2[0]),
            ::backprop_core::activation::Activation::<T>::f(&__act2, __z2[1]),
        ];
        let __z3: [T; 1] = [__p[96] + __p[94] * __a2[0] + __p[95] * __a2[1]];
        let __act3 = ::backprop_core::activation::Linear;
        let __a3: [T; 1] = [
            ::backprop_core::activation::Activation::<T>::f(&__act3, __z3[0]),
        ];
        AmpTrace {
            input: *input,
            layer1: __t1,
            layer2: ::backprop_core::LayerTrace {
                pre_activation: __z2,
                activation: __a2,
            },
            layer3: ::backprop_core::LayerTrace {
                pre_activation: __z3,
                activation: __a3,
            },
        }
    }
    #[inline]
    fn __next_state(trace: &AmpTrace<T>) -> AmpState<T> {
        AmpState {
            layer1: ::backprop_core::recurrent::GruState {
                h: trace.layer1.h,
            },
        }
    }
    #[inline]
    fn __trace_output(trace: &AmpTrace<T>) -> &[T; 1] {
        trace.output()
    }
    #[inline]
    fn __step_loss<L: ::backprop_core::loss::Loss<T>>(
        trace: &AmpTrace<T>,
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
    fn __step_backward<L: ::backprop_core::loss::Loss<T>>(
        __p: &[T; 97],
        trace: &AmpTrace<T>,
        target: ::core::option::Option<&[T; 1]>,
        loss: &L,
        __carry: &mut AmpState<T>,
        __g: &mut [T; 97],
    ) {
        const ACCUMULATE: bool = true;
        let __d3: [T; 1] = match target {
            ::core::option::Option::Some(target) => {
                let __act3 = ::backprop_core::activation::Linear;
                ::backprop_core::loss::Loss::<
                    T,
                >::output_delta(
                    loss,
                    &__act3,
                    &trace.layer3.pre_activation,
                    &trace.layer3.activation,
                    target,
                )
            }
            ::core::option::Option::None => [<T as ::backprop_core::Scalar>::ZERO; 1],
        };
        let __act2 = ::backprop_core::activation::Tanh;
        let __x3 = &trace.layer2.activation;
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[94], __d3[0] * __x3[0]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[95], __d3[0] * __x3[1]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[96], __d3[0]);
        let __d2: [T; 2] = [
            (__p[94] * __d3[0])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act2,
                    trace.layer2.pre_activation[0],
                    trace.layer2.activation[0],
                ),
            (__p[95] * __d3[0])
                * ::backprop_core::activation::Activation::<
                    T,
                >::df(
                    &__act2,
                    trace.layer2.pre_activation[1],
                    trace.layer2.activation[1],
                ),
        ];
        let __x2 = &trace.layer1.h;
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[84], __d2[0] * __x2[0]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[85], __d2[0] * __x2[1]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[86], __d2[0] * __x2[2]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[87], __d2[0] * __x2[3]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[88], __d2[1] * __x2[0]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[89], __d2[1] * __x2[1]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[90], __d2[1] * __x2[2]);
        ::backprop_core::__private::put::<
            T,
            ACCUMULATE,
        >(&mut __g[91], __d2[1] * __x2[3]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[92], __d2[0]);
        ::backprop_core::__private::put::<T, ACCUMULATE>(&mut __g[93], __d2[1]);
        let __d1: [T; 4] = [
            __p[84] * __d2[0] + __p[88] * __d2[1],
            __p[85] * __d2[0] + __p[89] * __d2[1],
            __p[86] * __d2[0] + __p[90] * __d2[1],
            __p[87] * __d2[0] + __p[91] * __d2[1],
        ];
        let __x1 = &trace.input;
        let __dx1 = ::backprop_core::__private::recurrent::gru_backward_step::<
            T,
            97,
            0,
            84,
            1,
            4,
        >(__p, __g, __x1, &trace.layer1, &__d1, &mut __carry.layer1);
    }
}
impl<T: ::backprop_core::Scalar> Amp<T>
where
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Tanh: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    /// One time step: the output for `input` from `state`, which
    /// becomes the state after the step. See
    /// [`Recurrent::step`](::backprop_core::Recurrent::step).
    #[inline]
    pub fn step(&self, state: &mut AmpState<T>, input: &[T; 1]) -> [T; 1] {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::step(self, state, input)
    }
    /// The outputs of every step from the zero state; the same bits
    /// as stepping through `inputs` from `State::default()`.
    #[inline]
    #[must_use]
    pub fn forward_sequence<const N: usize>(&self, inputs: &[[T; 1]; N]) -> [[T; 1]; N] {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::forward_sequence(self, inputs)
    }
    /// The outputs of every step from `state`, which becomes the
    /// state after the last step.
    #[inline]
    pub fn forward_sequence_from<const N: usize>(
        &self,
        state: &mut AmpState<T>,
        inputs: &[[T; 1]; N],
    ) -> [[T; 1]; N] {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::forward_sequence_from(self, state, inputs)
    }
    /// The mean per-step loss over the steps `targets` scores: one
    /// target per step (`[[T; OUT]; N]`) or the last step's
    /// ([`LastStep`](::backprop_core::recurrent::LastStep)).
    #[inline]
    #[must_use]
    pub fn loss_sequence<
        const N: usize,
        G: ::backprop_core::recurrent::SequenceTargets<T, 1, N>,
        L: ::backprop_core::loss::Loss<T>,
    >(&self, inputs: &[[T; 1]; N], targets: &G, loss: &L) -> T {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::loss_sequence(self, inputs, targets, loss)
    }
    /// [`Self::loss_sequence`] and the gradient of every parameter,
    /// by backpropagation through time.
    #[inline]
    #[must_use]
    pub fn loss_and_gradients_sequence<
        const N: usize,
        G: ::backprop_core::recurrent::SequenceTargets<T, 1, N>,
        L: ::backprop_core::loss::Loss<T>,
    >(&self, inputs: &[[T; 1]; N], targets: &G, loss: &L) -> (T, Self) {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::loss_and_gradients_sequence(self, inputs, targets, loss)
    }
    /// One training step on one sequence; returns the loss before
    /// the update.
    #[inline]
    pub fn train_step<
        const N: usize,
        G: ::backprop_core::recurrent::SequenceTargets<T, 1, N>,
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 97>,
    >(&mut self, inputs: &[[T; 1]; N], targets: &G, loss: &L, optimizer: &mut O) -> T {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::train_step(self, inputs, targets, loss, optimizer)
    }
    /// [`Self::train_step`], made only if every value is finite
    /// and the optimizer's checks pass; otherwise nothing changes.
    ///
    /// # Errors
    ///
    /// See [`Recurrent::try_train_step`](::backprop_core::Recurrent::try_train_step).
    #[inline]
    pub fn try_train_step<
        const N: usize,
        G: ::backprop_core::recurrent::SequenceTargets<T, 1, N>,
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 97>,
    >(
        &mut self,
        inputs: &[[T; 1]; N],
        targets: &G,
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::try_train_step(self, inputs, targets, loss, optimizer)
    }
    /// The mean loss and mean gradient over a batch of sequences.
    ///
    /// # Errors
    ///
    /// For an empty batch or slices of different lengths.
    #[inline]
    pub fn batch_gradients<
        const N: usize,
        G: ::backprop_core::recurrent::SequenceTargets<T, 1, N>,
        L: ::backprop_core::loss::Loss<T>,
    >(
        &self,
        inputs: &[[[T; 1]; N]],
        targets: &[G],
        loss: &L,
    ) -> ::core::result::Result<(T, Self), ::backprop_core::TrainError> {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::batch_gradients(self, inputs, targets, loss)
    }
    /// One update from the mean gradient over a batch of sequences;
    /// NaN and no update for an empty batch or mismatched slices.
    #[inline]
    pub fn train_batch<
        const N: usize,
        G: ::backprop_core::recurrent::SequenceTargets<T, 1, N>,
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 97>,
    >(
        &mut self,
        inputs: &[[[T; 1]; N]],
        targets: &[G],
        loss: &L,
        optimizer: &mut O,
    ) -> T {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::train_batch(self, inputs, targets, loss, optimizer)
    }
    /// [`Self::train_batch`], checked as [`Self::try_train_step`] is.
    ///
    /// # Errors
    ///
    /// See [`Recurrent::try_train_batch`](::backprop_core::Recurrent::try_train_batch).
    #[inline]
    pub fn try_train_batch<
        const N: usize,
        G: ::backprop_core::recurrent::SequenceTargets<T, 1, N>,
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 97>,
    >(
        &mut self,
        inputs: &[[[T; 1]; N]],
        targets: &[G],
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::try_train_batch(self, inputs, targets, loss, optimizer)
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
    pub fn train_epoch<
        const N: usize,
        G: ::backprop_core::recurrent::SequenceTargets<T, 1, N>,
        L: ::backprop_core::loss::Loss<T>,
        O: ::backprop_core::optim::Optimizer<T, 97>,
    >(
        &mut self,
        inputs: &[[[T; 1]; N]],
        targets: &[G],
        batch_size: usize,
        shuffle: ::core::option::Option<u64>,
        loss: &L,
        optimizer: &mut O,
    ) -> ::core::result::Result<T, ::backprop_core::TrainError> {
        <Self as ::backprop_core::recurrent::Recurrent<
            T,
            1,
            1,
            97,
        >>::train_epoch(self, inputs, targets, batch_size, shuffle, loss, optimizer)
    }
}
impl<T: ::backprop_core::Scalar> Amp<T>
where
    ::backprop_core::activation::Sigmoid: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Tanh: ::backprop_core::activation::Activation<T>,
    ::backprop_core::activation::Linear: ::backprop_core::activation::Activation<T>,
{
    ///A network with parameters drawn from `seed`: recurrent layers as PyTorch draws them (every weight and bias uniform in `[-1/sqrt(H), 1/sqrt(H))`), dense layers as every network's (He or Glorot uniform, zero biases). The same seed gives the same parameters on every target. Layers: `1 => 4 GRU => 2 Tanh => 1 Linear`.
    #[must_use]
    pub fn with_seed(seed: u64) -> Self {
        Self::from_params({
            let mut __net = Amp::<
                T,
            >::from_params([<T as ::backprop_core::Scalar>::ZERO; 97]);
            let mut __rng = ::backprop_core::init::SplitMix64::new(seed);
            ::backprop_core::__private::recurrent::init::<
                T,
                97,
                0,
                84,
            >(&mut __net.params, 4, &mut __rng);
            let (__w, __b) = ::backprop_core::__private::dense::layer_mut::<
                T,
                ::backprop_core::__private::OutputMajor,
                97,
                84,
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
                <::backprop_core::activation::Tanh as ::backprop_core::activation::Activation<
                    T,
                >>::INIT,
                &mut __rng,
            );
            let (__w, __b) = ::backprop_core::__private::dense::layer_mut::<
                T,
                ::backprop_core::__private::OutputMajor,
                97,
                94,
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
        })
    }
}
impl<T: ::backprop_core::Float> Amp<T> {
    /// The Euclidean norm of each layer's parameters (weights and
    /// biases together). Called on a gradient, it shows how much each
    /// layer learns: norms that shrink towards the input are the
    /// vanishing gradient.
    #[must_use]
    pub fn gradient_norms(&self) -> [T; 3] {
        [
            ::backprop_core::__private::l2_norm(&self.params[0..84]),
            ::backprop_core::__private::l2_norm(&self.params[84..94]),
            ::backprop_core::__private::l2_norm(&self.params[94..97]),
        ]
    }
}
