//! A network's layers at a glance, as a table in the style of Keras'
//! `model.summary()`, formatted without a heap.
//!
//! Every network `network!` declares has `Name::<T>::summary()`, a const fn
//! returning a [`Summary`] that implements [`Display`](core::fmt::Display).
//! A chain's summary lists its parts' layers one after the other, numbered
//! through, as the network of the same layers would.

use core::fmt;

/// One layer as [`Summary`] shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerInfo {
    /// What the layer is: `Dense`, or a signal or recurrent layer as the
    /// spec wrote it (`Conv1d(16, kernel = 5)`, `MaxPool1d(2)`, `Flatten`,
    /// `16 GRU`, ...).
    pub kind: &'static str,
    /// The number of values into the layer (a window's steps times its
    /// channels).
    pub inputs: usize,
    /// The number of values out of it: a dense layer's neurons.
    pub outputs: usize,
    /// The activation as the spec wrote it, e.g. `ReLU` or `LeakyReLU(0.2)`;
    /// empty for pooling and `Flatten`.
    pub activation: &'static str,
    /// Its parameters: a dense layer's `inputs * outputs` weights and
    /// `outputs` biases; a convolution's kernel and biases; none for
    /// pooling and `Flatten`.
    pub params: usize,
    /// `true` when the weights are stored `[in][out]`
    /// (`#[layout(input_major)]`), `false` for the default `[out][in]`.
    pub input_major: bool,
}

impl LayerInfo {
    /// Whether it is a dense layer.
    #[must_use]
    pub fn is_dense(&self) -> bool {
        self.kind == "Dense"
    }

    /// The length of what the table's activation column shows for the
    /// layer: the activation, or a signal layer's kind and activation.
    fn spec_len(&self) -> usize {
        match (self.is_dense(), self.activation.is_empty()) {
            (true, _) => self.activation.len(),
            (false, true) => self.kind.len(),
            (false, false) => self.kind.len() + 1 + self.activation.len(),
        }
    }

    /// Writes the layer as the spec writes it: `4 ReLU`, `Flatten`,
    /// `Conv1d(16, kernel = 5) ReLU`.
    fn write_spec(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_dense() {
            write!(f, "{} {}", self.outputs, self.activation)
        } else if self.activation.is_empty() {
            f.write_str(self.kind)
        } else {
            write!(f, "{} {}", self.kind, self.activation)
        }
    }

    /// The layer's parameters, [`LayerInfo::params`].
    #[must_use]
    pub const fn params(&self) -> usize {
        self.params
    }
}

/// The description of a network: its name, scalar type, layers, and the
/// memory its parameters and one forward trace take. Its `Display` is a
/// table, one row per layer, then the totals.
///
/// # Examples
///
/// ```
/// backprop_core::network! { pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear; }
///
/// let summary = SeedNet::<f32>::summary();
/// assert_eq!(summary.params(), 21);
/// println!("{summary}");
/// ```
///
/// prints
///
/// ```text
/// SeedNet<f32>: 1 => 4 ReLU => 2 Sigmoid => 1 Linear
/// ─────────────────────────────────────────────────────
/// Layer      Inputs  Outputs  Activation         Params
/// ═════════════════════════════════════════════════════
/// layer1          1        4  ReLU                    8
/// layer2          4        2  Sigmoid                10
/// layer3          2        1  Linear                  3
/// ═════════════════════════════════════════════════════
/// Total params: 21
/// Parameter bytes: 84 (f32)
/// Trace bytes: 60
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The network's type name.
    pub name: &'static str,
    /// The scalar type, `"f32"` or `"f64"`.
    pub scalar: &'static str,
    /// The input width: the number of input values.
    pub inputs: usize,
    /// A window input as the spec writes it, `[3; 64]`; empty for a
    /// vector input (and a chain).
    pub window: &'static str,
    /// The layers after the input, in order.
    pub layers: &'static [LayerInfo],
    /// The bytes of the parameters (`PARAM_BYTES`).
    pub param_bytes: usize,
    /// The bytes of one forward trace (`TRACE_BYTES`).
    pub trace_bytes: usize,
}

/// The width of the table's rule lines with the narrowest activation
/// column, 16 characters.
const WIDTH: usize = 53;

impl Summary {
    /// The total number of parameters.
    #[must_use]
    pub const fn params(&self) -> usize {
        let mut total = 0;
        let mut i = 0;
        while i < self.layers.len() {
            total += self.layers[i].params();
            i += 1;
        }
        total
    }
}

fn rule(f: &mut fmt::Formatter<'_>, c: char, width: usize) -> fmt::Result {
    for _ in 0..width {
        fmt::Write::write_char(f, c)?;
    }
    f.write_str("\n")
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}<{}>: ", self.name, self.scalar)?;
        if self.window.is_empty() {
            write!(f, "{}", self.inputs)?;
        } else {
            f.write_str(self.window)?;
        }
        for l in self.layers {
            f.write_str(" => ")?;
            l.write_spec(f)?;
        }
        f.write_str("\n")?;
        // The activation column widens for a signal layer's kind and options.
        let column = self
            .layers
            .iter()
            .map(LayerInfo::spec_len)
            .fold(16, usize::max);
        let width = WIDTH - 16 + column;
        rule(f, '─', width)?;
        writeln!(
            f,
            "{:<9}{:>8}{:>9}  {:<column$}{:>9}",
            "Layer", "Inputs", "Outputs", "Activation", "Params"
        )?;
        rule(f, '═', width)?;
        for (k, l) in self.layers.iter().enumerate() {
            write!(f, "layer{:<4}{:>8}{:>9}  ", k + 1, l.inputs, l.outputs)?;
            if l.is_dense() {
                write!(f, "{:<column$}", l.activation)?;
            } else {
                l.write_spec(f)?;
                write!(f, "{:pad$}", "", pad = column - l.spec_len())?;
            }
            writeln!(f, "{:>9}", l.params())?;
        }
        rule(f, '═', width)?;
        writeln!(f, "Total params: {}", self.params())?;
        writeln!(f, "Parameter bytes: {} ({})", self.param_bytes, self.scalar)?;
        write!(f, "Trace bytes: {}", self.trace_bytes)?;
        if self.layers.iter().any(|l| l.input_major) {
            f.write_str("\nWeights stored [in][out] (#[layout(input_major)])")?;
        }
        Ok(())
    }
}
