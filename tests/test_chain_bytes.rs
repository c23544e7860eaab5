//! A chain's weights blob and summary: the byte methods round-trip a chain
//! bit for bit, its blob is refused by its parts, by chains of other parts,
//! order or nesting (and theirs by it), and `summary()` is its parts' layers
//! one after the other.

mod common;

use backprop_core::summary::LayerInfo;
use backprop_core::weights::{ArchitectureText, HEADER_BYTES, LoadError, crc32};
use common::Rng;

mod parts {
    backprop_core::network! {
        /// The tutorial's first layer.
        pub struct Hidden: 1 => 4 ReLU;
        /// The tutorial's last two layers.
        pub struct Head: 4 => 2 Sigmoid => 1 Linear;
    }
}

backprop_core::network! {
    /// The tutorial's network, in one piece.
    struct Whole: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// The same network as a chain.
    struct Chained: parts::Hidden => parts::Head;

    struct A: 3 => 3 Tanh;
    struct B: 3 => 3 ReLU;
    struct C: 3 => 3 Sigmoid;
    /// Same widths both ways, so `B => A` has `A => B`'s shape.
    struct Ab: A => B;
    struct Ba: B => A;
    struct Ac: A => C;
    struct Abc: A => B => C;
    /// The same layers as `Abc`, nested.
    struct AbThenC: Ab => C;
    struct AThenBc: A => Bc;
    struct Bc: B => C;
    #[layout(input_major)]
    struct AColumns: 3 => 3 Tanh;
    /// `Ab` with its first part stored `[in][out]`.
    struct AColumnsB: AColumns => B;
}

/// A chain of random parameters.
fn random<const P: usize>(seed: u64) -> [f64; P] {
    Rng(seed).array(-1.0, 1.0)
}

#[test]
fn a_chain_round_trips_through_its_blob_in_f32_and_f64() {
    let params = random::<{ <Chained>::PARAMS }>(1);
    let net64 = Chained::<f64>::from_params(params);
    let bytes64: [u8; Chained::<f64>::BYTES] = net64.to_bytes();
    assert_eq!(
        Chained::<f64>::BYTES,
        20 + <Chained>::ARCHITECTURE.len() + 21 * 8 + 4
    );
    assert_eq!(Chained::<f64>::from_bytes(&bytes64), Ok(net64));
    assert_eq!(Chained::<f64>::from_bytes_const(&bytes64), net64);
    let mut loaded = Chained::<f64>::default();
    assert_eq!(loaded.load_bytes(&bytes64), Ok(()));
    assert_eq!(loaded, net64);

    #[allow(clippy::cast_possible_truncation)]
    let net32 = Chained::<f32>::from_params(params.map(|p| p as f32));
    let bytes32 = net32.to_bytes();
    assert_eq!(bytes32.len(), 20 + 45 + 21 * 4 + 4);
    assert_eq!(Chained::<f32>::BYTES, bytes32.len());
    assert_eq!(Chained::<f32>::from_bytes(&bytes32), Ok(net32));
    assert_eq!(Chained::<f32>::from_bytes_const(&bytes32), net32);
    let mut loaded = Chained::<f32>::default();
    loaded.load_bytes(&bytes32).unwrap();
    assert_eq!(loaded, net32);
    // The other scalar type is refused by name.
    assert_eq!(
        Chained::<f64>::from_bytes(&bytes32),
        Err(LoadError::WrongScalar {
            expected: 2,
            found: 1
        })
    );
}

/// A blob built and decoded by the compiler, as weights in flash are.
const BLOB: [u8; Chained::<f32>::BYTES] =
    Chained::<f32>::from_params([0.25; <Chained>::PARAMS]).to_bytes();
static FLASH: Chained = Chained::<f32>::from_bytes_const(&BLOB);
static NESTED_FLASH: AbThenC<f64> =
    AbThenC::<f64>::from_bytes_const(&AbThenC::<f64>::from_params([-1.5; 36]).to_bytes());

#[test]
fn a_chain_loads_from_a_static_at_compile_time() {
    assert_eq!(FLASH.params(), &[0.25; 21]);
    assert_eq!(FLASH.part2().params(), &[0.25; 13]);
    assert_eq!(NESTED_FLASH.params(), &[-1.5; 36]);
}

#[test]
fn the_blob_body_is_the_chain_params_in_order() {
    let net = Abc::<f64>::from_params(random(2));
    let bytes = net.to_bytes();
    let text = <Abc>::ARCHITECTURE;
    let body = &bytes[HEADER_BYTES + text.len()..bytes.len() - 4];
    let expected: Vec<u8> = net.params().iter().flat_map(|p| p.to_le_bytes()).collect();
    assert_eq!(body, expected.as_slice());
    // The header records this chain's fingerprint, parameter count and
    // text, and the last four bytes are the CRC-32 of the rest.
    assert_eq!(bytes[8..12], <Abc>::FINGERPRINT.to_le_bytes());
    assert_eq!(bytes[12..16], 36_u32.to_le_bytes());
    assert_eq!(bytes[16..20], (text.len() as u32).to_le_bytes());
    assert_eq!(
        &bytes[HEADER_BYTES..HEADER_BYTES + text.len()],
        text.as_bytes()
    );
    let (rest, crc) = bytes.split_at(bytes.len() - 4);
    assert_eq!(crc, crc32(rest).to_le_bytes());
    // The whole network with the chain's layers and parameters writes the
    // same body, under another fingerprint.
    let chained = Chained::<f32>::with_seed(3);
    let whole = Whole::<f32>::from_params(*chained.params());
    let (c, w) = (chained.to_bytes(), whole.to_bytes());
    let values = <Whole>::PARAMS * 4;
    assert_eq!(
        c[c.len() - 4 - values..c.len() - 4],
        w[w.len() - 4 - values..w.len() - 4]
    );
    assert_eq!(c[12..16], w[12..16]);
    assert_ne!(c[8..12], w[8..12]);
    assert_ne!(
        c[HEADER_BYTES..c.len() - 4 - values],
        w[HEADER_BYTES..w.len() - 4 - values]
    );
}

#[test]
fn the_architecture_text_is_the_parts_texts_in_parentheses() {
    assert_eq!(
        <Chained>::ARCHITECTURE,
        "(1 => 4 ReLU) => (4 => 2 Sigmoid => 1 Linear)"
    );
    assert_eq!(
        <Abc>::ARCHITECTURE,
        "(3 => 3 Tanh) => (3 => 3 ReLU) => (3 => 3 Sigmoid)"
    );
    assert_eq!(
        <AbThenC>::ARCHITECTURE,
        "((3 => 3 Tanh) => (3 => 3 ReLU)) => (3 => 3 Sigmoid)"
    );
    assert_eq!(
        <AColumnsB>::ARCHITECTURE,
        "(#[layout(input_major)] 3 => 3 Tanh) => (3 => 3 ReLU)"
    );
    assert_eq!(
        <Chained>::FINGERPRINT,
        crc32(<Chained>::ARCHITECTURE.as_bytes())
    );
}

/// Asserts that `load` refuses `bytes` as another architecture, expecting
/// `expected` and finding `found`.
#[track_caller]
fn refused<N: core::fmt::Debug>(
    load: impl Fn(&[u8]) -> Result<N, LoadError>,
    bytes: &[u8],
    expected: &'static str,
    found: &str,
) {
    assert_ne!(expected, found, "the architectures must differ");
    assert_eq!(
        load(bytes).unwrap_err(),
        LoadError::WrongArchitecture {
            expected,
            found: ArchitectureText::new(found.as_bytes())
        }
    );
}

#[test]
fn a_chain_and_its_parts_refuse_each_other() {
    let chain = Ab::<f32>::with_seed(4);
    let (a, b) = (chain.part1(), chain.part2());
    let bytes = chain.to_bytes();
    // Each part's blob, in the chain: refused (the lengths differ too, but
    // the architecture is checked first).
    refused(
        Ab::<f32>::from_bytes,
        &a.to_bytes(),
        <Ab>::ARCHITECTURE,
        <A>::ARCHITECTURE,
    );
    refused(
        Ab::<f32>::from_bytes,
        &b.to_bytes(),
        <Ab>::ARCHITECTURE,
        <B>::ARCHITECTURE,
    );
    // The chain's blob, in each part.
    refused(
        A::<f32>::from_bytes,
        &bytes,
        <A>::ARCHITECTURE,
        <Ab>::ARCHITECTURE,
    );
    refused(
        B::<f32>::from_bytes,
        &bytes,
        <B>::ARCHITECTURE,
        <Ab>::ARCHITECTURE,
    );
    // The whole network of the same layers and parameter count: refused
    // both ways, though the bodies are the same.
    let chained = Chained::<f32>::with_seed(5);
    let whole = Whole::<f32>::from_params(*chained.params());
    refused(
        Whole::<f32>::from_bytes,
        &chained.to_bytes(),
        <Whole>::ARCHITECTURE,
        <Chained>::ARCHITECTURE,
    );
    refused(
        Chained::<f32>::from_bytes,
        &whole.to_bytes(),
        <Chained>::ARCHITECTURE,
        <Whole>::ARCHITECTURE,
    );
}

#[test]
fn chains_of_other_parts_order_or_nesting_refuse_each_other() {
    let ab = Ab::<f64>::with_seed(6).to_bytes();
    let ba = Ba::<f64>::with_seed(6).to_bytes();
    let ac = Ac::<f64>::with_seed(6).to_bytes();
    // `A => B`, `B => A` and `A => C` have the same shape and length.
    assert_eq!(ab.len(), ba.len());
    refused(
        Ab::<f64>::from_bytes,
        &ba,
        <Ab>::ARCHITECTURE,
        <Ba>::ARCHITECTURE,
    );
    refused(
        Ba::<f64>::from_bytes,
        &ab,
        <Ba>::ARCHITECTURE,
        <Ab>::ARCHITECTURE,
    );
    refused(
        Ab::<f64>::from_bytes,
        &ac,
        <Ab>::ARCHITECTURE,
        <Ac>::ARCHITECTURE,
    );
    // The layout of a part counts.
    refused(
        AColumnsB::<f64>::from_bytes,
        &ab,
        <AColumnsB>::ARCHITECTURE,
        <Ab>::ARCHITECTURE,
    );
    // The same three layers, flat and nested either way: three architectures.
    let params = random::<36>(7);
    let (flat, left, right) = (
        Abc::from_params(params).to_bytes(),
        AbThenC::from_params(params).to_bytes(),
        AThenBc::from_params(params).to_bytes(),
    );
    refused(
        Abc::<f64>::from_bytes,
        &left,
        <Abc>::ARCHITECTURE,
        <AbThenC>::ARCHITECTURE,
    );
    refused(
        AbThenC::<f64>::from_bytes,
        &flat,
        <AbThenC>::ARCHITECTURE,
        <Abc>::ARCHITECTURE,
    );
    refused(
        AbThenC::<f64>::from_bytes,
        &right,
        <AbThenC>::ARCHITECTURE,
        <AThenBc>::ARCHITECTURE,
    );
    // The nested chain loads its own blob, and its first part is `Ab`.
    let nested = AbThenC::<f64>::from_bytes(&left).unwrap();
    assert_eq!(nested.params(), &params);
    assert_eq!(
        nested.part1().to_bytes(),
        Ab::from_params(*nested.part1_params()).to_bytes()
    );
}

#[test]
fn a_damaged_chain_blob_is_refused_and_load_bytes_changes_nothing() {
    let good = Abc::<f32>::with_seed(8);
    let bytes = good.to_bytes();
    let mut rng = Rng(9);
    for _ in 0..50 {
        let mut damaged = bytes;
        #[allow(clippy::cast_possible_truncation)]
        let at = (rng.next_u64() % bytes.len() as u64) as usize;
        damaged[at] ^= 1 << (rng.next_u64() % 8);
        let mut net = Abc::<f32>::with_seed(10);
        let before = net;
        let error = net.load_bytes(&damaged).unwrap_err();
        assert_eq!(net, before, "load_bytes changed the chain on {error}");
        if at >= 6 {
            // Past the magic number and version, the checksum catches it.
            assert!(
                matches!(error, LoadError::BadChecksum { .. }),
                "byte {at}: {error}"
            );
        }
    }
    let mut net = Abc::<f32>::default();
    assert_eq!(
        net.load_bytes(&bytes[..bytes.len() - 1]).unwrap_err(),
        LoadError::BadChecksum {
            expected: crc32(&bytes[..bytes.len() - 5]),
            found: u32::from_le_bytes([
                bytes[bytes.len() - 5],
                bytes[bytes.len() - 4],
                bytes[bytes.len() - 3],
                bytes[bytes.len() - 2]
            ]),
        }
    );
    assert_eq!(net, Abc::default());
}

#[test]
fn a_chain_summary_is_its_parts_layers_in_order() {
    let summary = Chained::<f32>::summary();
    let parts: Vec<LayerInfo> = parts::Hidden::<f32>::summary()
        .layers
        .iter()
        .chain(parts::Head::<f32>::summary().layers)
        .copied()
        .collect();
    assert_eq!(summary.layers, parts.as_slice());
    assert_eq!(summary.layers, Whole::<f32>::summary().layers);
    assert_eq!(summary.name, "Chained");
    assert_eq!(summary.scalar, "f32");
    assert_eq!(summary.inputs, <Chained>::INPUTS);
    assert_eq!(summary.layers.len(), <Chained>::LAYERS);
    assert_eq!(summary.params(), <Chained>::PARAMS);
    assert_eq!(summary.param_bytes, Chained::<f32>::PARAM_BYTES);
    assert_eq!(summary.trace_bytes, Chained::<f32>::TRACE_BYTES);
    let summary64 = Chained::<f64>::summary();
    assert_eq!(summary64.scalar, "f64");
    assert_eq!(summary64.param_bytes, 21 * 8);

    // The table is the whole network's, but for the name and trace bytes.
    let text = summary.to_string();
    let whole = Whole::<f32>::summary().to_string();
    let body = |t: &str| -> String {
        t.lines()
            .skip(1)
            .filter(|l| !l.starts_with("Trace bytes"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&text), body(&whole));
    assert!(text.starts_with("Chained<f32>: 1 => 4 ReLU => 2 Sigmoid => 1 Linear\n"));
    assert!(text.contains("layer3          2        1  Linear                  3"));

    // Nested chains flatten to the same layers; a part's layout is kept.
    assert_eq!(
        AbThenC::<f64>::summary().layers,
        Abc::<f64>::summary().layers
    );
    assert_eq!(
        AThenBc::<f64>::summary().layers,
        Abc::<f64>::summary().layers
    );
    let columns = AColumnsB::<f32>::summary();
    assert_eq!(
        columns
            .layers
            .iter()
            .map(|l| l.input_major)
            .collect::<Vec<_>>(),
        [true, false]
    );
    assert!(columns.to_string().ends_with("(#[layout(input_major)])"));
}

/// `summary()` is a `const fn`: its totals can be checked by the compiler.
const _: () = assert!(AbThenC::<f32>::summary().params() == <AbThenC>::PARAMS);

#[test]
fn a_chain_blob_from_the_python_exporter_loads() {
    // tests/fixtures/seed_chain_f32.bpnn is what scripts/export_pytorch.py
    // writes for the tutorial's network with parts=[1, 2]
    // (scripts/test_export.py checks that side); seed_f32.bpnn is the same
    // network written whole.
    let blob = include_bytes!("fixtures/seed_chain_f32.bpnn");
    let whole = Whole::<f32>::from_bytes(include_bytes!("fixtures/seed_f32.bpnn"))
        .expect("the whole network's fixture loads");
    let chained = Chained::<f32>::from_bytes(blob).expect("the exporter's chain blob loads");
    assert_eq!(chained.params(), whole.params());
    assert_eq!(chained.params()[..4], [0.25, 0.5, 0.75, 1.0]);
    assert_eq!(
        chained.forward(&[2.0])[0].to_bits(),
        whole.forward(&[2.0])[0].to_bits()
    );
    assert_eq!(chained.to_bytes().as_slice(), blob.as_slice());
    // Each refuses the other's blob: the fingerprints name the parts.
    assert!(matches!(
        Whole::<f32>::from_bytes(blob),
        Err(LoadError::WrongArchitecture { .. })
    ));
    assert!(matches!(
        Chained::<f32>::from_bytes(include_bytes!("fixtures/seed_f32.bpnn")),
        Err(LoadError::WrongArchitecture { .. })
    ));
}
