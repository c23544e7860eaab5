//! Implementation detail of the `backprop-core` crate: the table of built-in
//! activations, `activations.txt`, which the `network!` macro, the runtime
//! and the PyTorch exporter all read, so that adding an activation is one
//! line here and its type in `backprop_core::activation`.
//!
//! Depend on `backprop-core`, which re-exports this table as
//! `backprop_core::activation::builtins`.
//!
//! # Examples
//!
//! ```
//! let leaky = backprop_spec::find("LeakyReLU").unwrap();
//! assert_eq!(leaky.runtime(), "LeakyRelu");
//! assert_eq!(leaky.params().collect::<Vec<_>>(), [("slope", 0.01)]);
//! assert_eq!(leaky.torch(), "LeakyReLU(negative_slope)");
//! ```

#![no_std]
#![forbid(unsafe_code)]

/// The table's text, as committed: see the comments at its top.
pub const TABLE: &str = include_str!("../activations.txt");

/// One built-in activation: a line of [`TABLE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Builtin {
    spelling: &'static str,
    runtime: &'static str,
    params: &'static str,
    torch: &'static str,
}

impl Builtin {
    /// How a spec writes it: `ReLU`, `LeakyReLU`, `GELU(tanh)`.
    #[must_use]
    pub const fn spelling(&self) -> &'static str {
        self.spelling
    }

    /// The name before any parentheses: `GELU` for `GELU(tanh)`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.spelling
            .split_once('(')
            .map_or(self.spelling, |(name, _)| name)
    }

    /// The word that picks this variant, `tanh` for `GELU(tanh)`; `None`
    /// for a spelling without parentheses.
    #[must_use]
    pub fn word(&self) -> Option<&'static str> {
        let (_, rest) = self.spelling.split_once('(')?;
        rest.strip_suffix(')')
    }

    /// The type in `backprop_core::activation` that implements it.
    #[must_use]
    pub const fn runtime(&self) -> &'static str {
        self.runtime
    }

    /// The numbers a spec may give it in parentheses, in order, each with
    /// its name and the default used when the spec gives none. The type's
    /// `new` takes them, as `f64`, in this order.
    pub fn params(&self) -> impl Iterator<Item = (&'static str, f64)> + use<> {
        let list = if self.params == "-" { "" } else { self.params };
        list.split(',').filter(|p| !p.is_empty()).map(|p| {
            let (name, default) = p.split_once('=').unwrap_or((p, ""));
            (name, default.parse().unwrap_or(f64::NAN))
        })
    }

    /// The `torch.nn` module it maps to, as the table writes it.
    #[must_use]
    pub const fn torch(&self) -> &'static str {
        self.torch
    }
}

/// Every built-in activation, in the table's order.
pub fn builtins() -> impl Iterator<Item = Builtin> {
    TABLE.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let mut columns = line.split_whitespace();
        Some(Builtin {
            spelling: columns.next()?,
            runtime: columns.next()?,
            params: columns.next()?,
            torch: columns.next()?,
        })
    })
}

/// The built-in activation spelled exactly `spelling`.
#[must_use]
pub fn find(spelling: &str) -> Option<Builtin> {
    builtins().find(|b| b.spelling == spelling)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_has_four_columns_and_valid_params() {
        let mut rows = 0;
        for line in TABLE.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            rows += 1;
            assert_eq!(line.split_whitespace().count(), 4, "{line}");
        }
        assert_eq!(builtins().count(), rows);
        for b in builtins() {
            for (name, default) in b.params() {
                assert!(!name.is_empty() && default.is_finite(), "{b:?}");
            }
            assert!(b.name().chars().all(|c| c.is_ascii_alphanumeric()), "{b:?}");
        }
    }

    #[test]
    fn spellings_are_unique_and_found() {
        for (i, a) in builtins().enumerate() {
            assert_eq!(find(a.spelling()), Some(a));
            for b in builtins().skip(i + 1) {
                assert_ne!(a.spelling(), b.spelling());
            }
        }
        assert_eq!(find("Softmax"), None);
        assert_eq!(find("relu"), None);
    }

    #[test]
    fn reads_names_words_and_params() {
        let relu = find("ReLU").unwrap();
        assert_eq!((relu.name(), relu.word()), ("ReLU", None));
        assert_eq!(relu.params().count(), 0);
        let variant = Builtin {
            spelling: "GELU(tanh)",
            runtime: "GeluTanh",
            params: "a=1.5,b=-2",
            torch: "GELU",
        };
        assert_eq!((variant.name(), variant.word()), ("GELU", Some("tanh")));
        let params: [(&str, f64); 2] = [("a", 1.5), ("b", -2.0)];
        assert!(variant.params().eq(params));
    }
}
