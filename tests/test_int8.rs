//! `backprop_core::int8` against an independent implementation of TFLite's
//! integer formulas (`scripts/int8_fixtures.py`, pure Python integers,
//! committed as `tests/fixtures/int8_reference.json`): the arithmetic
//! primitives on edge cases, and four quantized dense layers (no
//! activation, ReLU, ReLU6 with a channel of zero weights, a narrow output
//! range) whose quantized parameters and every output must agree bit for
//! bit.

use std::path::Path;

use backprop_core::int8::{
    Dense, Fused, QuantError, Quantization, multiply_by_quantized_multiplier, quantize_multiplier,
    rounding_divide_by_pot, saturating_rounding_doubling_high_mul,
};
use serde_json::Value;

fn fixture() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/int8_reference.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|x| match x.as_i64() {
            Some(i) => vec![i],
            None => ints(x),
        })
        .collect()
}

fn i32s(v: &Value) -> Vec<i32> {
    ints(v)
        .into_iter()
        .map(|i| i32::try_from(i).unwrap())
        .collect()
}

#[test]
fn the_primitives_match_tflites() {
    let p = &fixture()["primitives"];
    for row in p["srdhm"].as_array().unwrap() {
        let v = i32s(row);
        assert_eq!(
            saturating_rounding_doubling_high_mul(v[0], v[1]),
            v[2],
            "{v:?}"
        );
    }
    for row in p["rdbp"].as_array().unwrap() {
        let v = i32s(row);
        assert_eq!(rounding_divide_by_pot(v[0], v[1]), v[2], "{v:?}");
    }
    for row in p["mbqm"].as_array().unwrap() {
        let v = i32s(row);
        assert_eq!(
            multiply_by_quantized_multiplier(v[0], v[1], v[2]),
            v[3],
            "{v:?}"
        );
    }
    for row in p["quantize_multiplier"].as_array().unwrap() {
        let real = row[0].as_f64().unwrap();
        let want = (
            row[1].as_i64().unwrap() as i32,
            row[2].as_i64().unwrap() as i32,
        );
        assert_eq!(quantize_multiplier(real), Some(want), "{real}");
    }
    assert_eq!(quantize_multiplier(-1.0), None);
    assert_eq!(quantize_multiplier(f64::NAN), None);
    assert_eq!(quantize_multiplier(1e12), None);
}

fn check_layer<const IN: usize, const OUT: usize>(name: &str) {
    let json = fixture();
    let case = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap();
    let floats = |v: &Value| -> Vec<f32> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect()
    };
    let weights: [[f32; IN]; OUT] = case["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| floats(row).try_into().unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let bias: [f32; OUT] = floats(&case["bias"]).try_into().unwrap();
    let range = |key: &str| {
        let r = &case[key];
        Quantization::from_range(r[0].as_f64().unwrap(), r[1].as_f64().unwrap()).unwrap()
    };
    let (input, output) = (range("input_range"), range("output_range"));
    assert_eq!(input.scale, case["input_scale"].as_f64().unwrap(), "{name}");
    assert_eq!(
        i64::from(input.zero_point),
        case["input_zero_point"].as_i64().unwrap()
    );
    assert_eq!(output.scale, case["output_scale"].as_f64().unwrap());
    assert_eq!(
        i64::from(output.zero_point),
        case["output_zero_point"].as_i64().unwrap()
    );
    let fused = match case["fused"].as_str().unwrap() {
        "none" => Fused::None,
        "relu" => Fused::Relu,
        "relu6" => Fused::Relu6,
        other => panic!("{other}"),
    };
    let layer = Dense::<IN, OUT>::quantize(&weights, &bias, input, output, fused).unwrap();
    let q_weights: Vec<i64> = layer
        .weights
        .iter()
        .flatten()
        .map(|w| i64::from(*w))
        .collect();
    assert_eq!(q_weights, ints(&case["q_weights"]), "{name}: weights");
    assert_eq!(layer.bias.to_vec(), i32s(&case["q_bias"]), "{name}: biases");
    assert_eq!(
        layer.multiplier.to_vec(),
        i32s(&case["multiplier"]),
        "{name}: multipliers"
    );
    assert_eq!(layer.shift.to_vec(), i32s(&case["shift"]), "{name}: shifts");
    assert_eq!(
        i64::from(layer.min),
        case["min"].as_i64().unwrap(),
        "{name}: clamp"
    );
    assert_eq!(
        i64::from(layer.max),
        case["max"].as_i64().unwrap(),
        "{name}: clamp"
    );
    let xs = case["x"].as_array().unwrap();
    let q_xs = case["q_x"].as_array().unwrap();
    let q_ys = case["q_y"].as_array().unwrap();
    for (k, ((x, q_x), q_y)) in xs.iter().zip(q_xs).zip(q_ys).enumerate() {
        let x: [f32; IN] = floats(x).try_into().unwrap();
        let q = x.map(|v| input.quantize(v));
        let want_x: Vec<i64> = ints(q_x);
        assert_eq!(
            q.iter().map(|v| i64::from(*v)).collect::<Vec<_>>(),
            want_x,
            "{name} input {k}"
        );
        let y = layer.forward(&q);
        let want: Vec<i64> = ints(q_y);
        assert_eq!(
            y.iter().map(|v| i64::from(*v)).collect::<Vec<_>>(),
            want,
            "{name} output {k}"
        );
    }
}

#[test]
fn a_linear_layer_matches_tflite() {
    check_layer::<8, 6>("linear_8x6");
}

#[test]
fn a_relu_layer_matches_tflite() {
    check_layer::<16, 8>("relu_16x8");
}

#[test]
fn a_relu6_layer_with_a_zero_channel_matches_tflite() {
    check_layer::<5, 7>("relu6_5x7_zero_channel");
}

#[test]
fn a_narrow_output_saturates_as_tflite() {
    check_layer::<3, 4>("narrow_output_3x4");
}

#[test]
fn the_quantized_layer_follows_the_float_one() {
    // 24 => 10 with ReLU: the int8 outputs within a few output steps of the
    // float layer's, for inputs inside the calibrated range.
    let mut rng = backprop_core::init::SplitMix64::new(3);
    let mut draw = || (2.0 * rng.next_f64() - 1.0) as f32;
    let weights: [[f32; 24]; 10] = core::array::from_fn(|_| core::array::from_fn(|_| 0.3 * draw()));
    let bias: [f32; 10] = core::array::from_fn(|_| 0.1 * draw());
    let (input, output) = (
        Quantization::from_range(-1.0, 1.0).unwrap(),
        Quantization::from_range(0.0, 3.0).unwrap(),
    );
    let layer = Dense::quantize(&weights, &bias, input, output, Fused::Relu).unwrap();
    for _ in 0..50 {
        let x: [f32; 24] = core::array::from_fn(|_| draw());
        let y = layer.forward(&x.map(|v| input.quantize(v)));
        for o in 0..10 {
            let z: f32 = bias[o] + weights[o].iter().zip(&x).map(|(w, x)| w * x).sum::<f32>();
            let want = z.clamp(0.0, 3.0);
            let got = output.dequantize(y[o]);
            assert!(
                (got - want).abs() < 4.0 * output.scale as f32,
                "{got} against {want}"
            );
        }
    }
}

#[test]
fn bad_ranges_and_weights_are_errors() {
    assert_eq!(
        Quantization::from_range(0.0, 0.0),
        Err(QuantError::EmptyRange)
    );
    assert_eq!(
        Quantization::from_range(2.0, 1.0),
        Err(QuantError::EmptyRange)
    );
    assert_eq!(
        Quantization::from_range(f64::NAN, 1.0),
        Err(QuantError::NonFinite)
    );
    // A range that excludes 0 is widened to include it.
    let q = Quantization::from_range(1.0, 2.0).unwrap();
    assert_eq!(q.zero_point, -128);
    assert_eq!(q.quantize(0.0), -128);
    let unit = Quantization::from_range(-1.0, 1.0).unwrap();
    let w = [[f32::NAN, 0.0]];
    assert_eq!(
        Dense::<2, 1>::quantize(&w, &[0.0], unit, unit, Fused::None),
        Err(QuantError::NonFinite)
    );
    // An output scale so small that the multiplier exceeds TFLite's form.
    let tiny = Quantization::from_range(-1e-12, 1e-12).unwrap();
    assert_eq!(
        Dense::<2, 1>::quantize(&[[1.0, 1.0]], &[0.0], unit, tiny, Fused::None),
        Err(QuantError::Multiplier { channel: 0 })
    );
    // Out-of-range shifts and exponents are clamped, never a panic.
    assert_eq!(
        rounding_divide_by_pot(-7, 40),
        rounding_divide_by_pot(-7, 31)
    );
    assert_eq!(
        multiply_by_quantized_multiplier(5, 1 << 30, 99),
        multiply_by_quantized_multiplier(5, 1 << 30, 30)
    );
}

backprop_core::network! {
    /// A classifier with fusable activations: it gets `ClassifierInt8`.
    pub struct Classifier: 16 => 12 ReLU => 8 ReLU6 => 4 Linear;
    /// The same, its weights stored `[in][out]`.
    #[layout(input_major)]
    pub struct ClassifierInputMajor: 16 => 12 ReLU => 8 ReLU6 => 4 Linear;
}

fn samples(seed: u64, n: usize) -> Vec<[f32; 16]> {
    let mut rng = backprop_core::init::SplitMix64::new(seed);
    (0..n)
        .map(|_| core::array::from_fn(|_| (2.0 * rng.next_f64() - 1.0) as f32))
        .collect()
}

#[test]
fn a_network_quantizes_to_its_int8_type() {
    let net = Classifier::<f32>::with_seed(5);
    let calibration = samples(1, 200);
    let q: ClassifierInt8 = net.quantize(&calibration).unwrap();
    // The int8 pass is the layers' passes in turn.
    for x in samples(2, 20) {
        let qx = x.map(|v| q.input.quantize(v));
        let by_layer = q.layer3.forward(&q.layer2.forward(&q.layer1.forward(&qx)));
        assert_eq!(q.forward(&qx), by_layer);
        // And it follows the float network within a few output steps.
        let (float, int8) = (net.forward(&x), q.forward_f32(&x));
        for (f, i) in float.iter().zip(&int8) {
            assert!(
                (f - i).abs() <= 6.0 * q.output.scale as f32,
                "{f} against {i} (output step {})",
                q.output.scale
            );
        }
    }
    // ReLU and ReLU6 are fused as clamps.
    assert_eq!(i32::from(q.layer1.min), q.layer2.input_zero_point);
    assert_eq!((q.layer3.min, q.layer3.max), (-128, 127));
    // The stored layout does not change the quantized network.
    let mut other = ClassifierInputMajor::<f32>::default();
    for i in 0..16 {
        for o in 0..12 {
            other.layer1_weights_mut()[i][o] = net.layer1_weights()[o][i];
        }
    }
    for i in 0..12 {
        for o in 0..8 {
            other.layer2_weights_mut()[i][o] = net.layer2_weights()[o][i];
        }
    }
    for i in 0..8 {
        for o in 0..4 {
            other.layer3_weights_mut()[i][o] = net.layer3_weights()[o][i];
        }
    }
    *other.layer1_bias_mut() = *net.layer1_bias();
    *other.layer2_bias_mut() = *net.layer2_bias();
    *other.layer3_bias_mut() = *net.layer3_bias();
    let q_other = other.quantize(&calibration).unwrap();
    assert_eq!(q_other.layer1, q.layer1);
    assert_eq!(q_other.layer2, q.layer2);
    assert_eq!(q_other.layer3, q.layer3);
    assert_eq!(net.quantize(&[]), Err(QuantError::NoCalibration));
}

#[test]
fn an_int8_network_saves_loads_and_compiles_into_a_static() {
    let net = Classifier::<f32>::with_seed(8);
    let q = net.quantize(&samples(3, 50)).unwrap();
    let blob = q.to_bytes();
    assert_eq!(ClassifierInt8::BYTES, blob.len());
    assert_eq!(blob[6], backprop_core::int8::KIND);
    assert_eq!(ClassifierInt8::from_bytes(&blob), Ok(q));
    // A float blob of the same network, a blob of another network, and a
    // corrupted byte are refused.
    assert!(ClassifierInt8::from_bytes(&net.to_bytes()).is_err());
    assert!(ClassifierInt8::from_bytes(&blob[..blob.len() - 1]).is_err());
    let mut bad = blob;
    bad[100] ^= 0x10;
    assert!(matches!(
        ClassifierInt8::from_bytes(&bad),
        Err(backprop_core::LoadError::BadChecksum { .. })
    ));
    // The const path gives the same network.
    assert_eq!(ClassifierInt8::from_bytes_const(&blob), q);
    // Integer weights take a quarter of the float ones' bytes, plus the
    // per-channel requantization.
    const { assert!(ClassifierInt8::BYTES < Classifier::<f32>::BYTES / 4 + 16 * 24 + 256) };
}

/// An int8 network as firmware keeps it: a `static`, decoded at compile
/// time from a blob (here one written by the test below and committed).
static IN_FLASH: ClassifierInt8 =
    ClassifierInt8::from_bytes_const(include_bytes!("fixtures/classifier_int8.bpnn"));

#[test]
fn a_blob_decoded_at_compile_time_into_a_static_is_the_network_it_was_written_from() {
    let q = Classifier::<f32>::with_seed(8)
        .quantize(&samples(3, 50))
        .unwrap();
    assert_eq!(
        IN_FLASH, q,
        "regenerate tests/fixtures/classifier_int8.bpnn if the format changed"
    );
    let x = samples(4, 1)[0].map(|v| IN_FLASH.input.quantize(v));
    assert_eq!(IN_FLASH.forward(&x), q.forward(&x));
}

/// Every input of several quantizations, through the integer `Sigmoid` and
/// `Tanh`, against the exact functions of the dequantized input: within
/// one output step (1/256 and 1/128) everywhere.
#[test]
fn integer_sigmoid_and_tanh_are_within_one_output_step_of_the_exact_ones() {
    use backprop_core::int8::{InputScaling, Logistic, Tanh};
    let mut worst = (0.0_f64, 0.0_f64);
    for (lo, hi) in [
        (-8.0, 8.0),
        (-1.0, 0.5),
        (-30.0, 20.0),
        (0.0, 3.0),
        (-0.05, 0.05),
    ] {
        let input = Quantization::from_range(lo, hi).unwrap();
        let scaling = InputScaling::new(input).unwrap();
        let all: [i8; 256] = core::array::from_fn(|k| (k as i32 - 128) as i8);
        let (s, t) = (Logistic(scaling).forward(&all), Tanh(scaling).forward(&all));
        for k in 0..256 {
            let x = input.scale * f64::from(i32::from(all[k]) - i32::from(input.zero_point));
            let sig = f64::from(Logistic::OUTPUT.dequantize(s[k]));
            let tanh = f64::from(Tanh::OUTPUT.dequantize(t[k]));
            let (es, et) = (
                (sig - 1.0 / (1.0 + (-x).exp())).abs(),
                (tanh - x.tanh()).abs(),
            );
            assert!(es <= 1.0 / 256.0, "sigmoid({x}) = {sig}, off by {es}");
            assert!(et <= 1.0 / 128.0, "tanh({x}) = {tanh}, off by {et}");
            worst = (worst.0.max(es * 256.0), worst.1.max(et * 128.0));
        }
    }
    // The bound is reached: near 1 the output is clamped at 127, a full
    // step below 1 (rounding alone would give half a step).
    assert!(worst.0 > 0.99 && worst.1 > 0.99, "{worst:?}");
}

/// The integer `Softmax` of random inputs against the exact softmax of the
/// dequantized inputs: within one output step (1/256), and the outputs'
/// sum within a few steps of 1.
#[test]
fn integer_softmax_is_within_one_output_step_of_the_exact_one() {
    use backprop_core::int8::Softmax;
    let mut rng = backprop_core::init::SplitMix64::new(41);
    for (lo, hi) in [(-10.0, 10.0), (-2.0, 1.0), (-40.0, 30.0), (-0.1, 0.1)] {
        let input = Quantization::from_range(lo, hi).unwrap();
        let softmax = Softmax::new(input).unwrap();
        for _ in 0..500 {
            let x: [i8; 10] = core::array::from_fn(|_| (rng.next_u64() >> 56) as u8 as i8);
            let y = softmax.forward(&x);
            let real =
                x.map(|q| input.scale * f64::from(i32::from(q) - i32::from(input.zero_point)));
            let top = real.iter().cloned().fold(f64::MIN, f64::max);
            let total: f64 = real.iter().map(|v| (v - top).exp()).sum();
            let mut sum = 0.0;
            for (q, v) in y.iter().zip(&real) {
                let p = f64::from(Softmax::OUTPUT.dequantize(*q));
                let exact = (v - top).exp() / total;
                assert!(
                    (p - exact).abs() <= 1.0 / 256.0,
                    "{x:?}: {p} against {exact}"
                );
                sum += p;
            }
            assert!(
                (sum - 1.0).abs() <= 6.0 / 256.0,
                "{x:?}: outputs sum to {sum}"
            );
        }
    }
}

backprop_core::network! {
    /// Sigmoid, Tanh and Softmax layers: their int8 copy runs TFLite's
    /// integer kernels after each dense layer.
    pub struct Curved: 16 => 12 Tanh => 8 Sigmoid => 4 Softmax;
}

#[test]
fn a_network_with_sigmoid_tanh_and_softmax_quantizes_and_follows_the_float_one() {
    use backprop_core::int8::{Logistic, Softmax, Tanh};
    let net = Curved::<f32>::with_seed(9);
    let q: CurvedInt8 = net.quantize(&samples(5, 200)).unwrap();
    // The kernels' outputs are quantized as TFLite fixes them.
    assert_eq!(q.output, Softmax::OUTPUT);
    assert_eq!(
        q.layer2.input_zero_point,
        i32::from(Tanh::OUTPUT.zero_point)
    );
    assert_eq!(
        q.layer3.input_zero_point,
        i32::from(Logistic::OUTPUT.zero_point)
    );
    let mut agree = 0;
    for x in samples(6, 100) {
        let qx = x.map(|v| q.input.quantize(v));
        let h1 = q.layer1_activation.forward(&q.layer1.forward(&qx));
        let h2 = q.layer2_activation.forward(&q.layer2.forward(&h1));
        let y = q.layer3_activation.forward(&q.layer3.forward(&h2));
        assert_eq!(q.forward(&qx), y);
        let (float, int8) = (net.forward(&x), q.forward_f32(&x));
        for (f, i) in float.iter().zip(&int8) {
            assert!((f - i).abs() <= 0.05, "{float:?} against {int8:?}");
        }
        agree += usize::from(argmax(&float) == argmax(&int8));
    }
    assert!(agree >= 90, "{agree} of 100 predictions agree");
    // Saved, refused when corrupted, loaded, also at compile time; the
    // kernels' parameters take 16 or 12 bytes, no table.
    let blob = q.to_bytes();
    assert_eq!(CurvedInt8::from_bytes(&blob), Ok(q));
    assert_eq!(CurvedInt8::from_bytes_const(&blob), q);
    let mut bad = blob;
    bad[blob.len() - 20] ^= 1;
    assert!(CurvedInt8::from_bytes(&bad).is_err());
    const { assert!(CurvedInt8::BYTES < Curved::<f32>::BYTES / 4 + 16 * 24 + 256) };
}

fn argmax(v: &[f32]) -> usize {
    (0..v.len()).fold(0, |b, k| if v[k] > v[b] { k } else { b })
}
