//! `serde` support (feature `serde`, off by default): a network as named
//! layers, for human-readable formats such as JSON on the host.
//!
//! ```json
//! {
//!   "architecture": "1 => 4 ReLU => 2 Sigmoid => 1 Linear",
//!   "layers": [
//!     { "activation": "ReLU", "weights": [[0.25], [0.5], [0.75], [1.0]], "bias": [1.0, 1.0, 1.0, 1.0] },
//!     ...
//!   ]
//! }
//! ```
//!
//! A chain (`A => B`) is written the same way: its `ARCHITECTURE` text and
//! its parts' layers one after the other.
//!
//! `weights` is `[out][in]`: row `o` holds the weights into neuron `o`; for
//! an `#[layout(input_major)]` network it is `[in][out]`, as stored: row
//! `i` holds the weights from input `i`.
//! Deserializing checks the architecture text, every activation and every
//! width, and writes into a fixed array: no heap, so this works without
//! `alloc` too. The impls are written by `network!` through a macro of this
//! crate that expands to nothing when the feature is off, so the feature of `backprop-core` decides, not a feature of
//! the crate that declares the network.

use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use crate::summary::LayerInfo;

/// Serializes a network's parameters as named layers.
///
/// # Errors
///
/// Whatever the serializer reports; and a custom error, before anything is
/// written, if a parameter is not finite: JSON has no NaN or infinity (it
/// would write `null`, which then cannot be loaded), so such a network is
/// refused by name rather than saved as a file that does not load back.
pub fn serialize<S: Serializer, T: crate::Scalar + Serialize>(
    params: &[T],
    architecture: &'static str,
    layers: &'static [LayerInfo],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if let Some(k) = params.iter().position(|p| !p.is_finite()) {
        return Err(serde::ser::Error::custom(NotFinite {
            index: k,
            value: params[k],
            layers,
        }));
    }
    let mut s = serializer.serialize_struct("Network", 2)?;
    s.serialize_field("architecture", architecture)?;
    s.serialize_field("layers", &Layers { params, layers })?;
    s.end()
}

/// Names a parameter that is not finite: its flat index, its layer and
/// whether it is a weight or a bias.
struct NotFinite<T> {
    index: usize,
    value: T,
    layers: &'static [LayerInfo],
}

impl<T: fmt::Display> fmt::Display for NotFinite<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameter {} is {}", self.index, self.value)?;
        let mut at = 0;
        for (number, info) in self.layers.iter().enumerate() {
            let n = info.inputs * info.outputs;
            if self.index < at + n + info.outputs {
                let what = if self.index < at + n {
                    "a weight"
                } else {
                    "a bias"
                };
                write!(f, " ({what} of layer {})", number + 1)?;
                break;
            }
            at += n + info.outputs;
        }
        f.write_str(
            ", and a network is serialized only with finite parameters: JSON has no NaN \
             or infinity, and would write one as `null`, which does not load back",
        )
    }
}

struct Layers<'a, T> {
    params: &'a [T],
    layers: &'static [LayerInfo],
}

impl<T: Serialize> Serialize for Layers<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.layers.len()))?;
        let mut at = 0;
        for info in self.layers {
            let n = info.inputs * info.outputs;
            let rest = self.params.get(at..).unwrap_or_default();
            let weights = rest.get(..n).unwrap_or_default();
            let bias = rest.get(n..n + info.outputs).unwrap_or_default();
            seq.serialize_element(&Layer {
                info,
                weights,
                bias,
            })?;
            at += n + info.outputs;
        }
        seq.end()
    }
}

struct Layer<'a, T> {
    info: &'static LayerInfo,
    weights: &'a [T],
    bias: &'a [T],
}

impl<T: Serialize> Serialize for Layer<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Layer", 3)?;
        s.serialize_field("activation", self.info.activation)?;
        s.serialize_field(
            "weights",
            &Rows {
                values: self.weights,
                width: if self.info.input_major {
                    self.info.outputs
                } else {
                    self.info.inputs
                },
            },
        )?;
        s.serialize_field("bias", self.bias)?;
        s.end()
    }
}

/// `values` as rows of `width` numbers.
struct Rows<'a, T> {
    values: &'a [T],
    width: usize,
}

impl<T: Serialize> Serialize for Rows<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rows = self.values.chunks(self.width.max(1));
        let mut seq = serializer.serialize_seq(Some(rows.len()))?;
        for row in rows {
            seq.serialize_element(row)?;
        }
        seq.end()
    }
}

/// Deserializes named layers into `params`, checking the architecture text,
/// the activations and every width.
///
/// # Errors
///
/// A custom error naming what differs, or the deserializer's own.
pub fn deserialize<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
    params: &mut [T],
    architecture: &'static str,
    layers: &'static [LayerInfo],
) -> Result<(), D::Error> {
    deserializer.deserialize_struct(
        "Network",
        &["architecture", "layers"],
        NetworkSeed {
            params,
            architecture,
            layers,
        },
    )
}

struct NetworkSeed<'a, T> {
    params: &'a mut [T],
    architecture: &'static str,
    layers: &'static [LayerInfo],
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for NetworkSeed<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a network `{}` with `architecture` and `layers`",
            self.architecture
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut seen_arch, mut seen_layers) = (false, false);
        while let Some(key) = map.next_key_seed(Key(&["architecture", "layers"]))? {
            match key {
                0 if !seen_arch => {
                    map.next_value_seed(Expect("architecture", self.architecture))?;
                    seen_arch = true;
                }
                1 if !seen_layers => {
                    map.next_value_seed(LayersSeed {
                        params: &mut *self.params,
                        layers: self.layers,
                    })?;
                    seen_layers = true;
                }
                _ => return Err(de::Error::custom("duplicate field")),
            }
        }
        if !seen_arch {
            return Err(de::Error::missing_field("architecture"));
        }
        if !seen_layers {
            return Err(de::Error::missing_field("layers"));
        }
        Ok(())
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for NetworkSeed<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

/// A field name out of a fixed list, as its index; unknown names are errors.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = usize;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of the fields {:?}", self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|k| *k == v)
            .ok_or_else(|| de::Error::unknown_field(v, self.0))
    }
}

/// A string that must equal the expected one.
struct Expect(&'static str, &'static str);

impl<'de> DeserializeSeed<'de> for Expect {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Expect {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.0, self.1)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if v == self.1 {
            Ok(())
        } else {
            Err(E::custom(format_args!(
                "wrong {}: found `{v}`, this network's is `{}`",
                self.0, self.1
            )))
        }
    }
}

struct LayersSeed<'a, T> {
    params: &'a mut [T],
    layers: &'static [LayerInfo],
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for LayersSeed<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for LayersSeed<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {} layers", self.layers.len())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut rest = self.params;
        for (k, info) in self.layers.iter().enumerate() {
            let n = info.inputs * info.outputs + info.outputs;
            if rest.len() < n {
                return Err(de::Error::custom("parameter storage too small"));
            }
            let (mine, tail) = rest.split_at_mut(n);
            rest = tail;
            seq.next_element_seed(LayerSeed {
                params: mine,
                info,
                number: k + 1,
            })?
            .ok_or_else(|| de::Error::invalid_length(k, &Count(self.layers.len(), None)))?;
        }
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(
                self.layers.len() + 1,
                &Count(self.layers.len(), None),
            ));
        }
        Ok(())
    }
}

struct LayerSeed<'a, T> {
    params: &'a mut [T],
    info: &'static LayerInfo,
    number: usize,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for LayerSeed<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_struct("Layer", &["activation", "weights", "bias"], self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for LayerSeed<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "layer {}: {} => {} {}",
            self.number, self.info.inputs, self.info.outputs, self.info.activation
        )
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let info = self.info;
        let (weights, bias) = self.params.split_at_mut(info.inputs * info.outputs);
        let mut seen = [false; 3];
        while let Some(key) = map.next_key_seed(Key(&["activation", "weights", "bias"]))? {
            if seen[key] {
                return Err(de::Error::custom("duplicate field"));
            }
            seen[key] = true;
            match key {
                0 => map.next_value_seed(Expect("activation", info.activation))?,
                1 => map.next_value_seed(Fill {
                    out: &mut *weights,
                    rows: if info.input_major {
                        info.inputs
                    } else {
                        info.outputs
                    },
                    cols: Some(if info.input_major {
                        info.outputs
                    } else {
                        info.inputs
                    }),
                })?,
                _ => map.next_value_seed(Fill {
                    out: &mut *bias,
                    rows: info.outputs,
                    cols: None,
                })?,
            }
        }
        for (field, present) in ["activation", "weights", "bias"].iter().zip(seen) {
            if !present {
                return Err(de::Error::missing_field(field));
            }
        }
        Ok(())
    }
}

/// What a sequence should have held: `n` items, or `n` rows of `cols`.
struct Count(usize, Option<usize>);

impl de::Expected for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(cols) => write!(f, "{} rows of {cols} numbers", self.0),
            None => write!(f, "{} items", self.0),
        }
    }
}

/// A sequence of exactly `rows` values (`cols: None`) or of `rows` rows of
/// exactly `cols` values, written into `out` in order.
struct Fill<'a, T> {
    out: &'a mut [T],
    rows: usize,
    cols: Option<usize>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Fill<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Fill<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cols {
            Some(c) => write!(f, "{} rows of {c} numbers", self.rows),
            None => write!(f, "{} numbers", self.rows),
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let width = self.cols.unwrap_or(1);
        let mut chunks = self.out.chunks_mut(width.max(1));
        for k in 0..self.rows {
            let Some(chunk) = chunks.next() else {
                return Err(de::Error::custom("parameter storage too small"));
            };
            let found = match self.cols {
                Some(cols) => seq.next_element_seed(Fill {
                    out: chunk,
                    rows: cols,
                    cols: None,
                })?,
                None => match seq.next_element::<T>()? {
                    Some(v) => {
                        chunk[0] = v;
                        Some(())
                    }
                    None => None,
                },
            };
            if found.is_none() {
                return Err(de::Error::invalid_length(k, &Count(self.rows, self.cols)));
            }
        }
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(
                self.rows + 1,
                &Count(self.rows, self.cols),
            ));
        }
        Ok(())
    }
}

/// Writes `Serialize` and `Deserialize` for a network or a chain (its
/// parameter count an expression); `network!` invokes it for every one.
/// Expands to nothing without the `serde` feature. The methods' type
/// parameters are `__S` and `__D`: a chain's count names its parts, and a
/// part may well be called `D`.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($name:ident, $params:expr) => {
        // Generated for the network, which may be `#[deprecated]`.
        #[automatically_derived]
        #[allow(deprecated)]
        impl<T> $crate::__private::serde::Serialize for $name<T>
        where
            T: $crate::Scalar + $crate::__private::serde::Serialize,
        {
            fn serialize<__S: $crate::__private::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                $crate::__private::serde_impl::serialize(
                    self.params(),
                    Self::ARCHITECTURE,
                    Self::summary().layers,
                    serializer,
                )
            }
        }

        #[automatically_derived]
        #[allow(deprecated)]
        impl<'de, T> $crate::__private::serde::Deserialize<'de> for $name<T>
        where
            T: $crate::Scalar + $crate::__private::serde::Deserialize<'de>,
        {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                let mut params = [<T as $crate::Scalar>::ZERO; $params];
                $crate::__private::serde_impl::deserialize(
                    deserializer,
                    &mut params,
                    Self::ARCHITECTURE,
                    Self::summary().layers,
                )?;
                ::core::result::Result::Ok(Self::from_params(params))
            }
        }
    };
}
