//! What a forward pass leaves behind for the backward pass.

/// One layer's values from a forward pass: every neuron's pre-activation
/// (the tutorial's `j_in`, `k_in`, `o_in`) and activation (`j_out`, `k_out`,
/// `o_out`).
///
/// Generated networks return one per layer inside their `...Trace` struct from
/// `forward_trace`.
///
/// # Examples
///
/// ```
/// use backprop_core::{LayerTrace, network};
///
/// network! { struct Tiny: 1 => 2 ReLU; }
///
/// let net = Tiny::<f32>::from_params([1.0, -1.0, 0.5, 0.5]);
/// let trace = net.forward_trace(&[2.0]);
/// let first: &LayerTrace<f32, 2> = &trace.layer1;
/// assert_eq!(first.pre_activation, [2.5, -1.5]);
/// assert_eq!(first.activation, [2.5, 0.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerTrace<T, const N: usize> {
    /// The weighted sum plus bias of each neuron, before the activation.
    #[doc(alias = "z")]
    pub pre_activation: [T; N],
    /// Each neuron's output, the activation of `pre_activation`.
    #[doc(alias = "a")]
    pub activation: [T; N],
}
