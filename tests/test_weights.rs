//! The weights format: the layout byte by byte against a blob written by
//! hand from the format's description, round trips, every refusal, loading
//! into an existing network, weights built at compile time, and property
//! tests (random bytes and random corruptions of valid blobs: never a panic,
//! never an accepted corruption).

use backprop_core::weights::{self, ArchitectureText, LoadError, crc32};
use backprop_core::{Network, network};
use proptest::prelude::*;

network! {
    /// The tutorial's network.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    /// The same widths with other activations: another fingerprint.
    pub struct OtherNet: 1 => 4 Tanh => 2 Sigmoid => 1 Linear;
    /// Leaky slopes, default and explicit.
    pub struct Leaky: 2 => 3 LeakyReLU => 2 LeakyReLU(0.2) => 3 Softmax;
}

network! {
    // Pairs whose architecture texts have the same CRC-32 (found by a
    // meet-in-the-middle search over the slope's bits): format version 1
    // identified an architecture by that checksum alone, and loaded each
    // one's blobs into the other.
    /// A ReLU layer.
    pub struct Relu: 1 => 4 ReLU => 1 Linear;
    /// A slope whose text collides with `Relu`'s.
    pub struct Leaky1: 1 => 4 LeakyReLU(0.009999355231926632) => 1 Linear;
    /// The default layout.
    pub struct Plain: 2 => 3 LeakyReLU => 2 Linear;
    /// The other layout, with a slope whose text collides with `Plain`'s.
    #[layout(input_major)]
    pub struct InputMajor: 2 => 3 LeakyReLU(0.009999522890029172) => 2 Linear;
}

/// The tutorial's starting parameters.
const SEED_PARAMS: [f32; 21] = [
    0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0,
    1.0, 0.5, 1.0,
];

/// The blob of the tutorial's network in `f32`, written out from the format
/// description alone (the fingerprint is zlib's CRC-32 of the spec text).
fn hand_written_seed_blob() -> Vec<u8> {
    let text = b"1 => 4 ReLU => 2 Sigmoid => 1 Linear";
    let mut blob = Vec::new();
    blob.extend_from_slice(b"BPNN");
    blob.extend_from_slice(&2_u16.to_le_bytes());
    blob.push(1); // f32
    blob.push(0);
    blob.extend_from_slice(&0x1385_8161_u32.to_le_bytes());
    blob.extend_from_slice(&21_u32.to_le_bytes());
    blob.extend_from_slice(&36_u32.to_le_bytes());
    blob.extend_from_slice(text);
    for p in SEED_PARAMS {
        blob.extend_from_slice(&p.to_le_bytes());
    }
    let crc = crc32(&blob);
    blob.extend_from_slice(&crc.to_le_bytes());
    blob
}

#[test]
fn sizes_and_fingerprints_are_as_documented() {
    assert_eq!(<SeedNet>::BYTES, 20 + 36 + 21 * 4 + 4);
    assert_eq!(SeedNet::<f64>::BYTES, 20 + 36 + 21 * 8 + 4);
    assert_eq!(
        SeedNet::<f32>::ARCHITECTURE,
        "1 => 4 ReLU => 2 Sigmoid => 1 Linear"
    );
    assert_eq!(SeedNet::<f32>::FINGERPRINT, 0x1385_8161);
    assert_ne!(OtherNet::<f32>::FINGERPRINT, SeedNet::<f32>::FINGERPRINT);
    assert_eq!(
        Leaky::<f32>::ARCHITECTURE,
        "2 => 3 LeakyReLU(3f847ae147ae147b) => 2 LeakyReLU(3fc999999999999a) => 3 Softmax"
    );
    // The macro writes the default slope without reading the runtime's
    // constant; they must agree.
    assert_eq!(
        backprop_core::activation::LeakyRelu::DEFAULT_SLOPE.to_bits(),
        0x3f84_7ae1_47ae_147b
    );
}

#[test]
fn to_bytes_writes_the_hand_written_layout() {
    let net = SeedNet::<f32>::from_params(SEED_PARAMS);
    assert_eq!(net.to_bytes().to_vec(), hand_written_seed_blob());
}

#[test]
fn blobs_round_trip_bit_for_bit() {
    let net = SeedNet::<f32>::with_seed(3);
    let back = SeedNet::<f32>::from_bytes(&net.to_bytes()).unwrap();
    assert_eq!(bits32(back.params()), bits32(net.params()));

    let net = Leaky::<f64>::with_seed(4);
    let back = Leaky::<f64>::from_bytes(&net.to_bytes()).unwrap();
    let (a, b): (Vec<u64>, Vec<u64>) = (
        back.params().iter().map(|x| x.to_bits()).collect(),
        net.params().iter().map(|x| x.to_bits()).collect(),
    );
    assert_eq!(a, b);
}

#[test]
fn each_mistake_is_named() {
    let f32_blob = SeedNet::<f32>::from_params(SEED_PARAMS).to_bytes();
    let f64_blob = SeedNet::<f64>::with_seed(1).to_bytes();
    assert_eq!(
        SeedNet::<f32>::from_bytes(&f64_blob),
        Err(LoadError::WrongScalar {
            expected: 1,
            found: 2
        })
    );
    assert_eq!(
        OtherNet::<f32>::from_bytes(&f32_blob),
        Err(LoadError::WrongArchitecture {
            expected: "1 => 4 Tanh => 2 Sigmoid => 1 Linear",
            found: ArchitectureText::new(b"1 => 4 ReLU => 2 Sigmoid => 1 Linear"),
        })
    );
    assert_eq!(
        SeedNet::<f32>::from_bytes(&f32_blob[..10]),
        Err(LoadError::WrongLength {
            expected: 144,
            found: 10
        })
    );
    assert_eq!(
        SeedNet::<f32>::from_bytes(b"GIF89a and then some more bytes"),
        Err(LoadError::BadMagic { found: *b"GIF8" })
    );
    let mut flipped = f32_blob;
    flipped[40] ^= 0x80;
    let Err(LoadError::BadChecksum { expected, found }) = SeedNet::<f32>::from_bytes(&flipped)
    else {
        panic!("a flipped bit must fail the checksum");
    };
    assert_eq!(found, crc32(&f32_blob[..140]));
    assert_eq!(expected, crc32(&flipped[..140]));
    // A self-consistent blob whose length disagrees with its count: a
    // truncated parameter list with the checksum recomputed.
    let mut short = f32_blob[..136].to_vec();
    short.extend_from_slice(&crc32(&short).to_le_bytes());
    assert_eq!(
        SeedNet::<f32>::from_bytes(&short),
        Err(LoadError::WrongLength {
            expected: 144,
            found: 140
        })
    );
}

#[test]
fn load_bytes_leaves_the_network_untouched_on_error() {
    let good = SeedNet::<f32>::from_params(SEED_PARAMS);
    let mut net = SeedNet::<f32>::with_seed(9);
    let before = net;
    let mut bad = good.to_bytes();
    bad[143] ^= 1;
    assert!(net.load_bytes(&bad).is_err());
    assert_eq!(bits32(net.params()), bits32(before.params()));
    net.load_bytes(&good.to_bytes()).unwrap();
    assert_eq!(net, good);
}

/// Weights compiled in: the blob is checked and decoded by the compiler.
static FLASH: SeedNet = SeedNet::<f32>::from_bytes_const(include_bytes!("fixtures/seed_f32.bpnn"));
const FLASH64: SeedNet<f64> =
    SeedNet::<f64>::from_bytes_const(&SeedNet::<f64>::from_params([0.5; 21]).to_bytes());

#[test]
fn weights_in_flash_match_the_runtime_loader() {
    let blob = include_bytes!("fixtures/seed_f32.bpnn");
    assert_eq!(blob.to_vec(), hand_written_seed_blob());
    assert_eq!(FLASH, SeedNet::<f32>::from_bytes(blob).unwrap());
    assert_eq!(FLASH.params(), &SEED_PARAMS);
    assert_eq!(FLASH64.params(), &[0.5; 21]);
    // The tutorial's forward pass, from flash.
    assert!((FLASH.forward(&[2.0])[0] - 2.494_181).abs() < 1e-5);
}

fn bits32(params: &[f32]) -> Vec<u32> {
    params.iter().map(|x| x.to_bits()).collect()
}

/// A generic loader works through the `Network` trait and `weights::decode`.
fn load_any<N: Network<f32, 1, 1, 21>>(
    bytes: &[u8],
    architecture: &'static str,
) -> Result<N, LoadError> {
    weights::decode::<f32, 21>(bytes, architecture).map(N::from_params)
}

#[test]
fn generic_code_can_load_through_the_runtime() {
    let blob = hand_written_seed_blob();
    let net: SeedNet = load_any(&blob, SeedNet::<f32>::ARCHITECTURE).unwrap();
    assert_eq!(net.params(), &SEED_PARAMS);
}

/// One corruption of a valid blob.
#[derive(Clone, Debug)]
enum Corruption {
    FlipBit(usize, u8),
    Truncate(usize),
    Extend(Vec<u8>),
    SetByte(usize, u8),
}

fn corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        (any::<usize>(), 0..8_u8).prop_map(|(at, bit)| Corruption::FlipBit(at, bit)),
        any::<usize>().prop_map(Corruption::Truncate),
        proptest::collection::vec(any::<u8>(), 1..16).prop_map(Corruption::Extend),
        // Header fields: magic, version, kind, reserved, fingerprint, count,
        // text length, and the text.
        (0..56_usize, any::<u8>()).prop_map(|(at, v)| Corruption::SetByte(at, v)),
    ]
}

/// Applies `c`; `None` if it happens to leave the blob unchanged.
fn corrupt(blob: &[u8], c: &Corruption) -> Option<Vec<u8>> {
    let mut out = blob.to_vec();
    match c {
        Corruption::FlipBit(at, bit) => out[at % blob.len()] ^= 1 << bit,
        Corruption::Truncate(len) => out.truncate(len % blob.len()),
        Corruption::Extend(extra) => out.extend_from_slice(extra),
        Corruption::SetByte(at, v) => out[*at] = *v,
    }
    (out != blob).then_some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic_and_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        // Random bytes are refused (a random blob passing a 32-bit checksum
        // and every header check is beyond the reach of 512 cases).
        prop_assert!(SeedNet::<f32>::from_bytes(&bytes).is_err());
        prop_assert!(SeedNet::<f64>::from_bytes(&bytes).is_err());
        let mut net = SeedNet::<f32>::with_seed(1);
        let before = net;
        prop_assert!(net.load_bytes(&bytes).is_err());
        prop_assert_eq!(bits32(net.params()), bits32(before.params()));
    }

    #[test]
    fn random_bytes_behind_a_valid_header_are_refused(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut bytes = SeedNet::<f32>::from_params(SEED_PARAMS).to_bytes()[..56].to_vec();
        bytes.extend_from_slice(&body);
        prop_assert!(SeedNet::<f32>::from_bytes(&bytes).is_err());
    }

    #[test]
    fn every_corruption_of_a_valid_blob_is_refused(
        seed in any::<u64>(),
        c in corruption(),
    ) {
        let net = SeedNet::<f32>::with_seed(seed);
        let blob = net.to_bytes();
        if let Some(bad) = corrupt(&blob, &c) {
            prop_assert!(SeedNet::<f32>::from_bytes(&bad).is_err(), "accepted {:?}", c);
            let mut target = net;
            target.params_mut()[0] = 42.0;
            let before = target;
            prop_assert!(target.load_bytes(&bad).is_err());
            prop_assert_eq!(bits32(target.params()), bits32(before.params()));
        }
        let net = SeedNet::<f64>::with_seed(seed);
        let blob = net.to_bytes();
        if let Some(bad) = corrupt(&blob, &c) {
            prop_assert!(SeedNet::<f64>::from_bytes(&bad).is_err(), "accepted {:?}", c);
        }
    }

    #[test]
    fn any_parameters_round_trip_bit_for_bit(
        p32 in proptest::array::uniform21(any::<u32>()),
        p64 in proptest::array::uniform21(any::<u64>()),
    ) {
        // Arbitrary bit patterns, NaN payloads and infinities included.
        let net = SeedNet::<f32>::from_params(p32.map(f32::from_bits));
        let back = SeedNet::<f32>::from_bytes(&net.to_bytes()).unwrap();
        prop_assert_eq!(back.params().map(f32::to_bits), p32);
        let net = SeedNet::<f64>::from_params(p64.map(f64::from_bits));
        let back = SeedNet::<f64>::from_bytes(&net.to_bytes()).unwrap();
        prop_assert_eq!(back.params().map(f64::to_bits), p64);
    }
}

#[test]
fn architectures_whose_checksums_collide_refuse_each_others_blobs() {
    // The texts differ and their CRC-32s are equal: only the text tells them apart.
    assert_eq!(<Relu>::FINGERPRINT, <Leaky1>::FINGERPRINT);
    assert_eq!(<Plain>::FINGERPRINT, <InputMajor>::FINGERPRINT);
    assert_ne!(<Relu>::ARCHITECTURE, <Leaky1>::ARCHITECTURE);
    let relu = Relu::<f32>::with_seed(1);
    assert_eq!(
        Leaky1::<f32>::from_bytes(&relu.to_bytes()),
        Err(LoadError::WrongArchitecture {
            expected: <Leaky1>::ARCHITECTURE,
            found: ArchitectureText::new(<Relu>::ARCHITECTURE.as_bytes()),
        })
    );
    assert!(Relu::<f32>::from_bytes(&Leaky1::<f32>::with_seed(1).to_bytes()).is_err());
    let plain = Plain::<f32>::with_seed(2);
    let error = InputMajor::<f32>::from_bytes(&plain.to_bytes()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "weights blob was saved from a network `2 => 3 LeakyReLU(3f847ae147ae147b) => 2 Linear`, \
         but this network is `#[layout(input_major)] 2 => 3 LeakyReLU(3f847aa13e4e6510) => 2 Linear`"
    );
    assert!(Plain::<f32>::from_bytes(&InputMajor::<f32>::with_seed(2).to_bytes()).is_err());
    // A loaded network is untouched by the refusal.
    let mut target = InputMajor::<f32>::with_seed(5);
    let before = target;
    assert!(target.load_bytes(&plain.to_bytes()).is_err());
    assert_eq!(bits32(target.params()), bits32(before.params()));
}

#[test]
fn version_1_blobs_are_refused_with_the_way_to_convert_them() {
    // The tutorial network's blob as format version 1 wrote it.
    let old = include_bytes!("fixtures/seed_f32_v1.bpnn");
    let error = SeedNet::<f32>::from_bytes(old).unwrap_err();
    assert_eq!(error, LoadError::UnsupportedVersion { found: 1 });
    assert!(error.to_string().contains("--upgrade"), "{error}");
    // Converted by the exporter (scripts/test_export.py checks that), it is
    // the blob `to_bytes` writes today.
    assert_eq!(
        include_bytes!("fixtures/seed_f32.bpnn").as_slice(),
        SeedNet::<f32>::from_params(SEED_PARAMS)
            .to_bytes()
            .as_slice()
    );
}

#[test]
fn an_unknown_scalar_kind_byte_is_named() {
    let mut blob = SeedNet::<f32>::from_params(SEED_PARAMS).to_bytes();
    blob[6] = 9;
    let n = blob.len();
    let crc = crc32(&blob[..n - 4]).to_le_bytes();
    blob[n - 4..].copy_from_slice(&crc);
    let error = SeedNet::<f32>::from_bytes(&blob).unwrap_err();
    assert_eq!(
        error.to_string(),
        "weights blob has scalar kind byte 9, which this crate does not know (1 is f32, 2 is \
         f64, 3 is Q16_16, 4 is Q8_8); this network uses f32"
    );
}
