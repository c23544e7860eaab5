//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::Path;

/// The golden values of the tutorial's step, committed from the seed data.
pub fn golden() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed_golden.json");
    let text = std::fs::read_to_string(&path).expect("read the golden fixture");
    serde_json::from_str(&text).expect("parse the golden fixture")
}

/// A JSON array of numbers, flattened if nested.
pub fn numbers(value: &serde_json::Value) -> Vec<f64> {
    match value {
        serde_json::Value::Array(items) => items.iter().flat_map(numbers).collect(),
        serde_json::Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("expected numbers, found {other}"),
    }
}

/// Asserts `actual` and `expected` agree to `rtol` relative to `expected`.
#[track_caller]
pub fn assert_close(what: &str, actual: &[f64], expected: &[f64], rtol: f64) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (k, (a, e)) in actual.iter().zip(expected).enumerate() {
        let err = (a - e).abs();
        assert!(
            err <= rtol * e.abs().max(1e-300),
            "{what}[{k}]: got {a:e}, expected {e:e} (relative error {:e} > {rtol:e})",
            err / e.abs()
        );
    }
}

/// SplitMix64: a small deterministic generator for random networks.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * unit
    }

    pub fn array<const N: usize>(&mut self, lo: f64, hi: f64) -> [f64; N] {
        core::array::from_fn(|_| self.uniform(lo, hi))
    }
}

/// The case named `name` in the `cases` array of the fixture
/// `tests/fixtures/{file}`.
pub fn fixture_case(file: &str, name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("read the fixture");
    let json: serde_json::Value = serde_json::from_str(&text).expect("parse the fixture");
    json["cases"]
        .as_array()
        .expect("a cases array")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no case {name} in {file}"))
        .clone()
}

/// Asserts `got` and `want` agree within `rtol` relative to `want` plus
/// `atol` (for the values that are 0 in the reference).
#[track_caller]
pub fn assert_near(what: &str, got: &[f64], want: &[f64], rtol: f64, atol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= rtol * w.abs() + atol,
            "{what}[{k}]: {g:e}, reference {w:e}"
        );
    }
}
