//! The element-wise activations against independent references:
//!
//! - `tests/fixtures/activations_torch.json`, written by
//!   `scripts/activation_fixtures.py`: PyTorch's float64 `f` and autograd
//!   `f'`, and the exact values (mpmath at 60 digits, rounded once to
//!   float64) at a fixed list of points around every kink, both signs,
//!   tiny to large magnitudes;
//! - central finite differences of `f`, in `f64`, against `df`;
//! - the `f32` forms against the `f64` forms over the whole `f32` range
//!   (sampled) and densely where the functions bend, within the bounds
//!   each type's documentation states;
//! - NaN propagation, and the table of built-ins (`backprop-spec`) against
//!   the types.

use std::path::Path;

use backprop_core::Float;
use backprop_core::activation::{
    Activation, Elu, Gelu, GeluTanh, Hardtanh, LeakyRelu, Linear, Relu, Relu6, Sigmoid, Silu,
    Softplus, Tanh, builtins,
};

/// One activation as the tests use it: `f` and `df` in `f32` and `f64`.
#[derive(Clone, Copy, Debug)]
enum Act {
    Silu,
    Gelu,
    GeluTanh,
    Elu(f64),
    Softplus,
    Relu6,
    Hardtanh,
}

impl Act {
    fn from_fixture(spelling: &str, params: &[f64]) -> Self {
        match (spelling, params) {
            ("SiLU", []) => Self::Silu,
            ("GELU", []) => Self::Gelu,
            ("GELU(tanh)", []) => Self::GeluTanh,
            ("ELU", []) => Self::Elu(Elu::DEFAULT_ALPHA),
            ("ELU", [alpha]) => Self::Elu(*alpha),
            ("Softplus", []) => Self::Softplus,
            ("ReLU6", []) => Self::Relu6,
            ("Hardtanh", []) => Self::Hardtanh,
            other => panic!("the fixture has an activation this test does not know: {other:?}"),
        }
    }

    fn f<T: Float>(self, x: T) -> T {
        match self {
            Self::Silu => Silu.f(x),
            Self::Gelu => Gelu.f(x),
            Self::GeluTanh => GeluTanh.f(x),
            Self::Elu(alpha) => Elu::new(alpha).f(x),
            Self::Softplus => Softplus.f(x),
            Self::Relu6 => Relu6.f(x),
            Self::Hardtanh => Hardtanh.f(x),
        }
    }

    fn df<T: Float>(self, x: T) -> T {
        let y = self.f(x);
        match self {
            Self::Silu => Silu.df(x, y),
            Self::Gelu => Gelu.df(x, y),
            Self::GeluTanh => GeluTanh.df(x, y),
            Self::Elu(alpha) => Elu::new(alpha).df(x, y),
            Self::Softplus => Softplus.df(x, y),
            Self::Relu6 => Relu6.df(x, y),
            Self::Hardtanh => Hardtanh.df(x, y),
        }
    }
}

struct Point {
    x: f64,
    torch_f: f64,
    torch_df: f64,
    exact_f: f64,
    exact_df: f64,
}

fn fixture() -> (serde_json::Value, Vec<(Act, String, Vec<Point>)>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/activations_torch.json");
    let text = std::fs::read_to_string(&path).expect("read the activation fixture");
    let json: serde_json::Value =
        serde_json::from_str(&text).expect("parse the activation fixture");
    let number = |v: &serde_json::Value| -> f64 {
        v.as_str()
            .expect("numbers are written as repr strings")
            .parse()
            .expect("a float")
    };
    let mut out = Vec::new();
    for a in json["activations"].as_array().expect("activations") {
        let spelling = a["activation"].as_str().expect("a spelling").to_owned();
        let params: Vec<f64> = a["params"]
            .as_array()
            .expect("params")
            .iter()
            .map(number)
            .collect();
        let points = a["points"]
            .as_array()
            .expect("points")
            .iter()
            .map(|p| Point {
                x: number(&p["x"]),
                torch_f: number(&p["torch_f"]),
                torch_df: number(&p["torch_df"]),
                exact_f: number(&p["exact_f"]),
                exact_df: number(&p["exact_df"]),
            })
            .collect();
        let label = format!("{spelling}{params:?}");
        out.push((Act::from_fixture(&spelling, &params), label, points));
    }
    (json, out)
}

/// How an `f32` result is held to its `f64` reference.
#[derive(Clone, Copy, Debug)]
enum Bound {
    /// Bit for bit the `f64` result rounded to `f32`.
    Exact,
    /// Relative error at most `.0` (times `weight(x)`) where the reference
    /// is at least `.2` in magnitude, absolute error at most `.1` below it.
    Relative(f64, f64, f64),
    /// Absolute error at most `.0`.
    Absolute(f64),
}

/// `f32::MIN_POSITIVE`.
const MIN_NORMAL: f64 = 1.175_494_350_822_287_5e-38;
/// `2^-119`, above `104 f32::MIN_POSITIVE`: where `x s(x)` is at least this,
/// `s(x)` is normal.
const MIN_SILU: f64 = 1.504_632_769_052_528e-36;
/// `2^-122`, above `11 f32::MIN_POSITIVE`: the same for GELU(tanh)'s
/// `s(2u)`, below which its result is 0 from `x = -10.9` on.
const MIN_GELU_TANH: f64 = 1.880_790_961_315_66e-37;

/// The bounds each type's documentation states for `f` and `df` in `f32`.
fn stated_f32_bounds(act: Act) -> (Bound, Bound) {
    match act {
        // Where s(x) is subnormal (x < -87.3), x s(x) can still be normal,
        // with the absolute error of s(x) times |x|: relative bounds hold
        // from MIN_SILU on.
        Act::Silu => (
            Bound::Relative(4e-7, 6e-43, MIN_SILU),
            Bound::Absolute(3e-7),
        ),
        Act::Gelu => (
            Bound::Relative(6e-7, 4.3e-45, MIN_NORMAL),
            Bound::Absolute(3e-7),
        ),
        Act::GeluTanh => (
            Bound::Relative(3e-7, 5.2e-42, MIN_GELU_TANH),
            Bound::Absolute(3e-7),
        ),
        // expm1_f32's or exp_f32's 2e-7, and the product with alpha.
        Act::Elu(_) => (
            Bound::Relative(2.7e-7, 1.4e-45, MIN_NORMAL),
            Bound::Relative(2.7e-7, 2.9e-45, MIN_NORMAL),
        ),
        Act::Softplus => (
            Bound::Relative(3.2e-7, 2.1e-45, MIN_NORMAL),
            Bound::Relative(3e-7, 1e-7, MIN_NORMAL),
        ),
        Act::Relu6 | Act::Hardtanh => (Bound::Exact, Bound::Exact),
    }
}

/// `2 + |2u|` for GELU(tanh) at negative `x`, whose relative bound grows
/// with `|2u|` (the rounding of `u` is amplified where `S` is about
/// `e^(2u)`), 2 at positive `x`; 1 for the rest.
fn weight(act: Act, x: f64) -> f64 {
    match act {
        Act::GeluTanh if x < 0.0 => {
            2.0 + (2.0 * 0.797_884_560_802_865_4 * (x + 0.044_715 * x * x * x)).abs()
        }
        Act::GeluTanh => 2.0,
        _ => 1.0,
    }
}

/// The error of `got` against `want` as `bound` measures it, divided by the
/// bound: at most 1 where the bound holds.
fn against(bound: Bound, w: f64, got: f32, want: f64) -> f64 {
    #[allow(clippy::cast_possible_truncation)]
    let rounded = want as f32;
    if got == rounded || (got.is_nan() && want.is_nan()) {
        return 0.0;
    }
    let err = (f64::from(got) - want).abs();
    match bound {
        Bound::Exact => f64::INFINITY,
        Bound::Relative(rel, abs, floor) => {
            if want.abs() >= floor {
                err / (rel * w * want.abs())
            } else if abs > 0.0 {
                err / abs
            } else {
                f64::INFINITY
            }
        }
        Bound::Absolute(abs) => err / abs,
    }
}

/// The worst `(f, df)` of [`against`] over `xs`, with where they were.
fn worst_f32(act: Act, xs: impl Iterator<Item = f32>) -> ((f64, f32), (f64, f32)) {
    let (bf, bdf) = stated_f32_bounds(act);
    let (mut wf, mut wdf) = ((0.0, 0.0_f32), (0.0, 0.0_f32));
    for x in xs {
        let x64 = f64::from(x);
        let w = weight(act, x64);
        let (f, df) = (act.f(x), act.df(x));
        // ELU's f32 alpha is the f32 rounding of its f64 alpha.
        let reference = match act {
            #[allow(clippy::cast_possible_truncation)]
            Act::Elu(alpha) => Act::Elu(f64::from(alpha as f32)),
            other => other,
        };
        let (want_f, want_df) = (reference.f(x64), reference.df(x64));
        let e = against(bf, w, f, want_f);
        if e > wf.0 || e.is_nan() {
            wf = (e, x);
        }
        let e = against(bdf, w, df, want_df);
        if e > wdf.0 || e.is_nan() {
            wdf = (e, x);
        }
    }
    (wf, wdf)
}

/// Every `stride`th finite `f32` bit pattern.
fn sampled(stride: u32) -> impl Iterator<Item = f32> {
    (0..=u32::MAX)
        .step_by(stride as usize)
        .map(f32::from_bits)
        .filter(|x| x.is_finite())
}

/// `[lo, hi]` in steps of `step`.
fn sweep(lo: f32, hi: f32, step: f32) -> impl Iterator<Item = f32> {
    let n = ((hi - lo) / step) as u32;
    (0..=n).map(move |k| lo + step * k as f32)
}

const ALL: [Act; 8] = [
    Act::Silu,
    Act::Gelu,
    Act::GeluTanh,
    Act::Elu(1.0),
    Act::Elu(0.1),
    Act::Softplus,
    Act::Relu6,
    Act::Hardtanh,
];

#[test]
fn f32_forms_within_their_stated_bounds_over_the_whole_range() {
    // Every 4093rd finite f32 (about a million, subnormals to the largest,
    // both signs) and every 1/1024 of [-40, 40] in a debug build; every
    // 61st and every 1/16384 in a release build. The kernels' own tests
    // (backprop-core's fast.rs) go through every f32 in a release build.
    let (stride, step) = if cfg!(debug_assertions) {
        (4093, 1.0 / 1024.0)
    } else {
        (61, 1.0 / 16384.0)
    };
    for act in ALL {
        let (f, df) = worst_f32(act, sampled(stride).chain(sweep(-40.0, 40.0, step)));
        println!(
            "{act:?}: f at {:.3} of its bound (x = {:e}), df at {:.3} (x = {:e})",
            f.0, f.1, df.0, df.1
        );
        assert!(
            f.0 <= 1.0,
            "{act:?}: f beyond its bound at {:e} ({:.3})",
            f.1,
            f.0
        );
        assert!(
            df.0 <= 1.0,
            "{act:?}: df beyond its bound at {:e} ({:.3})",
            df.1,
            df.0
        );
    }
}

/// Where the result is subnormal in `f64` (GELU near -38), what it loses:
/// a few steps of the smallest subnormal, times `|x|` for `x Phi(x)`.
fn subnormal_allowance(x: f64) -> f64 {
    4.0 * (1.0 + x.abs()) * f64::from_bits(1)
}

/// The `f64` tolerance of `f` in units of `EPSILON` times the exact value:
/// 4, plus what rounding an intermediate costs where the formula amplifies
/// it, for negative `x`: `u` in GELU(tanh) (`2 + |2u|`).
fn f64_ulps(act: Act, x: f64) -> f64 {
    match act {
        Act::GeluTanh if x < 0.0 => 4.0 + weight(act, x),
        _ => 4.0,
    }
}

/// The same for `df`, relative to [`df_scale`]: GELU's `phi(x)` is
/// `e^(-x^2 / 2)` of a rounded `x^2`, `x^2 / 2` ulp more.
fn f64_df_ulps(act: Act, x: f64) -> f64 {
    match act {
        Act::Gelu => 4.0 + x * x / 2.0,
        _ => f64_ulps(act, x),
    }
}

/// The size of the terms of `f'(x)`, which the tolerance of `df` is
/// relative to where they cancel (`f'` crosses 0 for SiLU at -1.28 and
/// GELU at -0.75). From `libm`, not from the code under test.
fn df_scale(act: Act, x: f64, exact_df: f64) -> f64 {
    let sigmoid = |v: f64| 1.0 / (1.0 + libm::exp(-v));
    let scale = match act {
        Act::Silu => sigmoid(x) * (1.0 + (x * sigmoid(-x)).abs()),
        Act::Gelu => {
            0.5 * libm::erfc(-x / 2.0_f64.sqrt())
                + (x * libm::exp(-x * x / 2.0)).abs() / (2.0 * std::f64::consts::PI).sqrt()
        }
        Act::GeluTanh => {
            let k = (2.0 / std::f64::consts::PI).sqrt();
            let v = 2.0 * k * (x + 0.044_715 * x * x * x);
            let dv = 2.0 * k * (1.0 + 3.0 * 0.044_715 * x * x);
            sigmoid(v) * (1.0 + (x * sigmoid(-v) * dv).abs())
        }
        _ => 0.0,
    };
    scale.max(exact_df.abs())
}

#[test]
fn f64_forms_match_the_exact_values() {
    let (_, acts) = fixture();
    for (act, label, points) in &acts {
        for p in points {
            let tol = f64_ulps(*act, p.x) * f64::EPSILON;
            let f = act.f(p.x);
            assert!(
                (f - p.exact_f).abs() <= tol * p.exact_f.abs() + subnormal_allowance(p.x),
                "{label} f({:e}) = {f:e}, exactly {:e}",
                p.x,
                p.exact_f
            );
            let df = act.df(p.x);
            let scale = df_scale(*act, p.x, p.exact_df);
            let tol = f64_df_ulps(*act, p.x) * f64::EPSILON;
            assert!(
                (df - p.exact_df).abs() <= tol * scale + subnormal_allowance(p.x),
                "{label} f'({:e}) = {df:e}, exactly {:e}",
                p.x,
                p.exact_df
            );
        }
    }
}

#[test]
fn f64_forms_are_as_close_to_pytorch_as_pytorch_is_to_the_exact_values() {
    // PyTorch's float64 forms lose digits of their own (0.5 x (1 + erf)
    // and 1 + tanh cancel for negative x): where they do, they may be as
    // far from us as from the exact value, and no farther.
    let (json, acts) = fixture();
    let version = json["torch"]
        .as_str()
        .expect("the fixture records torch's version");
    assert!(
        version.starts_with(|c: char| c.is_ascii_digit()),
        "{version}"
    );
    let mut differ = 0;
    for (act, label, points) in &acts {
        for p in points {
            let tol = f64_ulps(*act, p.x) * f64::EPSILON;
            let f = act.f(p.x);
            let allowed =
                (p.torch_f - p.exact_f).abs() + tol * p.exact_f.abs() + subnormal_allowance(p.x);
            assert!(
                (f - p.torch_f).abs() <= allowed,
                "{label} f({:e}) = {f:e}, PyTorch {:e}",
                p.x,
                p.torch_f
            );
            let df = act.df(p.x);
            let scale = df_scale(*act, p.x, p.exact_df);
            let tol = f64_df_ulps(*act, p.x) * f64::EPSILON;
            let allowed = (p.torch_df - p.exact_df).abs() + tol * scale + subnormal_allowance(p.x);
            assert!(
                (df - p.torch_df).abs() <= allowed,
                "{label} f'({:e}) = {df:e}, PyTorch {:e}",
                p.x,
                p.torch_df
            );
            differ += usize::from(f != p.torch_f || df != p.torch_df);
        }
    }
    // Most points agree bit for bit; the test above is not vacuous.
    assert!(differ > 0);
}

#[test]
fn f32_forms_match_the_exact_values_where_x_is_an_f32() {
    let (_, acts) = fixture();
    let mut checked = 0;
    for (act, label, points) in &acts {
        let (bf, bdf) = stated_f32_bounds(*act);
        for p in points {
            #[allow(clippy::cast_possible_truncation)]
            let x = p.x as f32;
            if f64::from(x) != p.x {
                continue;
            }
            // ELU's alpha is rounded to f32: the fixture's 1.0 and 0.5 are exact.
            let w = weight(*act, p.x);
            let e = against(bf, w, act.f(x), p.exact_f);
            assert!(
                e <= 1.0,
                "{label} f32 f({x:e}) = {:e}, exactly {:e}",
                act.f(x),
                p.exact_f
            );
            let e = against(bdf, w, act.df(x), p.exact_df);
            assert!(
                e <= 1.0,
                "{label} f32 f'({x:e}) = {:e}, exactly {:e}",
                act.df(x),
                p.exact_df
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn derivatives_match_central_differences_away_from_kinks() {
    for act in ALL {
        let kinks: &[f64] = match act {
            Act::Elu(_) => &[0.0],
            Act::Softplus => &[20.0],
            Act::Relu6 => &[0.0, 6.0],
            Act::Hardtanh => &[-1.0, 1.0],
            _ => &[],
        };
        let mut x = -12.0_f64;
        while x <= 25.0 {
            x += 0.013_7;
            if kinks.iter().any(|k| (x - k).abs() < 1e-3) {
                continue;
            }
            let h = 1e-6 * x.abs().max(1.0);
            let numeric = (act.f(x + h) - act.f(x - h)) / (2.0 * h);
            let analytic = act.df(x);
            assert!(
                (numeric - analytic).abs() <= 1e-8 * analytic.abs().max(1.0),
                "{act:?} at {x}: {analytic:e} vs {numeric:e}"
            );
        }
    }
}

#[test]
fn nan_gives_nan_and_the_infinities_their_limits() {
    for act in ALL {
        for nan in [f32::NAN, -f32::NAN] {
            assert!(act.f(nan).is_nan(), "{act:?}");
            assert!(act.df(nan).is_nan(), "{act:?}");
            assert!(act.f(f64::from(nan)).is_nan(), "{act:?}");
            assert!(act.df(f64::from(nan)).is_nan(), "{act:?}");
        }
        let (at_inf, at_minus_inf) = match act {
            Act::Silu | Act::Gelu | Act::GeluTanh => ((f64::INFINITY, 1.0), (0.0, 0.0)),
            Act::Elu(alpha) => ((f64::INFINITY, 1.0), (-alpha, 0.0)),
            Act::Softplus => ((f64::INFINITY, 1.0), (0.0, 0.0)),
            Act::Relu6 => ((6.0, 0.0), (0.0, 0.0)),
            Act::Hardtanh => ((1.0, 0.0), (-1.0, 0.0)),
        };
        for (x, (f, df)) in [(f64::INFINITY, at_inf), (f64::NEG_INFINITY, at_minus_inf)] {
            assert_eq!((act.f(x), act.df(x)), (f, df), "{act:?} at {x}");
            #[allow(clippy::cast_possible_truncation)]
            let want = (f as f32, df as f32);
            #[allow(clippy::cast_possible_truncation)]
            let x = x as f32;
            assert_eq!((act.f(x), act.df(x)), want, "{act:?} at {x}");
        }
    }
}

#[test]
fn kinks_follow_pytorch() {
    for x in [0.0_f64, -0.0, 6.0] {
        assert_eq!(Relu6.df(x, Relu6.f(x)), 0.0);
    }
    for x in [-1.0_f64, 1.0] {
        assert_eq!(Hardtanh.df(x, Hardtanh.f(x)), 0.0);
    }
    assert_eq!(Elu::new(0.5).df(0.0_f64, 0.0), 0.5);
    assert_eq!(Elu::new(0.5).df(-0.0_f32, -0.0), 0.5);
    assert_eq!(
        Softplus.df(20.0_f64, Softplus.f(20.0)),
        1.0 / (1.0 + (-20.0_f64).exp())
    );
    assert_eq!(Softplus.f(20.000_001_f64), 20.000_001);
    assert!(Softplus.f(20.0_f64) > 20.0);
    // -0 stays -0 where PyTorch's clamp keeps it.
    assert!(Relu6.f(-0.0_f32).is_sign_negative());
    assert!(Hardtanh.f(-0.0_f32).is_sign_negative());
}

/// The runtime types, by the name the table's `type` column gives: the
/// test fails for a row it does not list here.
fn runtime_name(ty: &str) -> Option<(&'static str, backprop_core::init::Scheme)> {
    fn of<A: Activation<f32>>(_: &A) -> (&'static str, backprop_core::init::Scheme) {
        (A::NAME, A::INIT)
    }
    Some(match ty {
        "Linear" => of(&Linear),
        "Relu" => of(&Relu),
        "Sigmoid" => of(&Sigmoid),
        "Tanh" => of(&Tanh),
        "LeakyRelu" => of(&LeakyRelu::default()),
        "Silu" => of(&Silu),
        "Gelu" => of(&Gelu),
        "GeluTanh" => of(&GeluTanh),
        "Elu" => of(&Elu::default()),
        "Softplus" => of(&Softplus),
        "Relu6" => of(&Relu6),
        "Hardtanh" => of(&Hardtanh),
        _ => return None,
    })
}

#[test]
fn every_builtin_has_a_type_named_as_it_is_spelled() {
    let mut rows = 0;
    for b in builtins() {
        let (name, _) = runtime_name(b.runtime())
            .unwrap_or_else(|| panic!("no runtime type known for the table's {b:?}"));
        assert_eq!(name, b.spelling(), "{b:?}");
        let defaults: Vec<(&str, f64)> = b.params().collect();
        match b.runtime() {
            "LeakyRelu" => assert_eq!(defaults, [("slope", LeakyRelu::DEFAULT_SLOPE)]),
            "Elu" => assert_eq!(defaults, [("alpha", Elu::DEFAULT_ALPHA)]),
            _ => assert!(defaults.is_empty(), "{b:?}"),
        }
        rows += 1;
    }
    assert_eq!(rows, 12);
    // The ReLU family starts from He, the rest from Glorot.
    use backprop_core::init::Scheme;
    for (ty, scheme) in [
        ("Silu", Scheme::He),
        ("Gelu", Scheme::He),
        ("GeluTanh", Scheme::He),
        ("Elu", Scheme::He),
        ("Softplus", Scheme::He),
        ("Relu6", Scheme::He),
        ("Hardtanh", Scheme::Glorot),
    ] {
        assert_eq!(runtime_name(ty).map(|(_, s)| s), Some(scheme), "{ty}");
    }
    assert_eq!(Elu::new(0.5).alpha(), 0.5);
    assert_eq!(Elu::default(), Elu::new(1.0));
}
