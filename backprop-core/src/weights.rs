//! Weights in and out: one versioned, checksummed binary format, read and
//! written without a heap.
//!
//! Every network and chain `network!` declares can save its parameters with
//! `to_bytes()` and load them with `from_bytes(&[u8])`, `load_bytes` (into an
//! existing network) or, at compile time, `from_bytes_const` (for weights in
//! flash). This module holds the format and the functions those methods call.
//!
//! # The format, version 2
//!
//! All numbers are little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | `0..4` | magic number, the ASCII bytes `BPNN` |
//! | `4..6` | format version, `u16`, = 2 |
//! | `6` | scalar kind, `u8`: 1 = `f32`, 2 = `f64` |
//! | `7` | reserved, `u8`, = 0 (a blob with any other value is refused) |
//! | `8..12` | architecture fingerprint, `u32`: the CRC-32 of the text below, for tools that list blobs |
//! | `12..16` | parameter count `P`, `u32` |
//! | `16..20` | length `L` of the architecture text, `u32` |
//! | `20..20 + L` | the architecture text (below), ASCII |
//! | then `P * S` | the parameters in the flat order, each as its little-endian bytes (`S` = 4 or 8) |
//! | last 4 | CRC-32 of every byte before it, `u32` |
//!
//! So a network of `P` parameters takes `20 + L + P * S + 4` bytes: its
//! `BYTES` constant. The flat order is the one of `params()`: layer by
//! layer, the weights row-major in `[out][in]` order (or `[in][out]` under
//! `#[layout(input_major)]`), then the layer's biases.
//!
//! A blob loads only into the network whose `ARCHITECTURE` is its text,
//! byte for byte: two architectures that differ in a width, an activation,
//! an activation's parameter (written as its exact bits), the layout or a
//! chain's parts never accept each other's blobs, and the scalar kind byte
//! keeps `f32` and `f64` apart. Version 1 blobs, which recorded the text's
//! CRC-32 alone (and so could collide), are refused with a message that
//! says how to convert them (`scripts/export_pytorch.py --upgrade`).
//!
//! The checksum is the common CRC-32 (IEEE 802.3 polynomial `0x04C11DB7`,
//! reflected, initial value and final XOR `0xFFFFFFFF`), the one zlib, PNG
//! and Ethernet use; [`crc32`] computes it, also in const context.
//!
//! The **architecture text** is the network's canonical spec text (its
//! `ARCHITECTURE` constant), and the fingerprint its CRC-32: the input width and each layer's
//! width and activation, joined by `" => "`, for example
//! `1 => 4 ReLU => 2 Sigmoid => 1 Linear`. `LeakyReLU` always carries its
//! slope as the 16 lower-case hex digits of the `f64` bits, e.g.
//! `LeakyReLU(3f847ae147ae147b)` for the default 0.01, so no float formatting
//! can differ between the programs that write the text.
//!
//! A **chain** (`struct AB: A => B;`) is saved as one blob of its flat
//! parameters. Its text is each part's text in parentheses, joined by
//! `" => "`: `(1 => 4 ReLU) => (4 => 2 Sigmoid => 1 Linear)`, and a chain of
//! chains nests, `((3 => 5 Tanh) => (5 => 4 ReLU)) => (4 => 3 Softmax)`.
//! No network's text starts
//! with `(`, and since every part's text has balanced parentheses, the text
//! gives back the parts, their order and their nesting: a chain's blob is
//! refused by its parts, by any network, and by chains of other parts, order
//! or nesting, and theirs by it.
//!
//! # Loading checks
//!
//! A blob is checked completely before any parameter is used, in this order:
//! long enough to hold a header and checksum, magic, version, checksum (so a
//! blob damaged in flash or in transit is reported as such), then scalar
//! kind, reserved byte, architecture text, parameter count and total length. The
//! first failure is returned as a [`LoadError`]; nothing panics and no
//! network is ever half loaded.
//!
//! # Human-readable: the `serde` feature
//!
//! With `backprop-core`'s `serde` feature (off by default; no_std, no
//! alloc), every network also implements `Serialize` and `Deserialize`, as
//! named layers:
//!
//! ```json
//! {"architecture": "1 => 4 ReLU => 2 Sigmoid => 1 Linear",
//!  "layers": [{"activation": "ReLU", "weights": [[0.25], [0.5], [0.75], [1.0]], "bias": [1.0, 1.0, 1.0, 1.0]},
//!             {"activation": "Sigmoid", "weights": [[1.0, 0.75, 0.5, 0.25], [0.0, 0.25, 0.5, 0.75]], "bias": [1.0, 1.0]},
//!             {"activation": "Linear", "weights": [[1.0, 0.5]], "bias": [1.0]}]}
//! ```
//!
//! `weights` is `[out][in]`; loading checks the architecture text, each
//! activation and every width, and refuses unknown or missing fields.
//!
//! # Examples
//!
//! ```
//! use backprop_core::{network, weights::LoadError};
//!
//! network! { pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear; }
//!
//! let net = SeedNet::<f32>::with_seed(7);
//! let bytes = net.to_bytes();
//! let text = "1 => 4 ReLU => 2 Sigmoid => 1 Linear";
//! assert_eq!(SeedNet::<f32>::ARCHITECTURE, text);
//! assert_eq!(bytes.len(), 20 + text.len() + 21 * 4 + 4);
//! assert_eq!(&bytes[20..20 + text.len()], text.as_bytes());
//! assert_eq!(&bytes[..4], b"BPNN");
//! assert_eq!(SeedNet::<f32>::from_bytes(&bytes), Ok(net));
//!
//! let mut damaged = bytes;
//! damaged[20] ^= 0x01;
//! assert!(matches!(
//!     SeedNet::<f32>::from_bytes(&damaged),
//!     Err(LoadError::BadChecksum { .. })
//! ));
//! // The same parameters, read as the other scalar type: refused by name.
//! assert!(matches!(
//!     SeedNet::<f64>::from_bytes(&bytes),
//!     Err(LoadError::WrongScalar { expected: 2, found: 1 })
//! ));
//! ```

use core::fmt;

use crate::Codec;
use crate::fixed::{Q8_8, Q16_16};

/// The first four bytes of every blob: `BPNN`.
pub const MAGIC: [u8; 4] = *b"BPNN";
/// The format version this crate writes and reads.
pub const VERSION: u16 = 2;
/// The size of the header's fixed part; the architecture text follows it.
pub const HEADER_BYTES: usize = 20;
/// The size of the CRC-32 after the parameters.
pub const CHECKSUM_BYTES: usize = 4;

/// The size of a blob holding `params` parameters of `scalar_bytes` bytes
/// each, for an architecture text of `architecture_bytes` bytes.
///
/// # Examples
///
/// ```
/// let text = "1 => 4 ReLU => 2 Sigmoid => 1 Linear";
/// assert_eq!(backprop_core::weights::encoded_len(21, 4, text.len()), 144);
/// ```
#[must_use]
pub const fn encoded_len(params: usize, scalar_bytes: usize, architecture_bytes: usize) -> usize {
    HEADER_BYTES + architecture_bytes + params * scalar_bytes + CHECKSUM_BYTES
}

/// The architecture text a blob records, as a [`LoadError`] carries it:
/// its first [`ArchitectureText::CAPACITY`] bytes, held inline (the crate
/// has no heap), with every byte that is not printable ASCII shown as `?`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ArchitectureText {
    bytes: [u8; ArchitectureText::CAPACITY],
    len: u8,
    truncated: bool,
}

impl ArchitectureText {
    /// How many bytes of the text are kept.
    pub const CAPACITY: usize = 96;

    /// The first [`Self::CAPACITY`] bytes of `text`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backprop_core::weights::ArchitectureText;
    ///
    /// let text = ArchitectureText::new(b"2 => 3 ReLU\x01");
    /// assert_eq!(text.as_str(), "2 => 3 ReLU?");
    /// assert!(!text.is_truncated());
    /// ```
    #[must_use]
    pub const fn new(text: &[u8]) -> Self {
        let mut bytes = [0_u8; Self::CAPACITY];
        let mut i = 0;
        while i < text.len() && i < Self::CAPACITY {
            let b = text[i];
            bytes[i] = if b >= 0x20 && b < 0x7F { b } else { b'?' };
            i += 1;
        }
        #[allow(clippy::cast_possible_truncation)] // at most CAPACITY, 96
        Self {
            bytes,
            len: i as u8,
            truncated: text.len() > Self::CAPACITY,
        }
    }

    /// The text kept.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Printable ASCII only, by construction.
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("?")
    }

    /// Whether the blob's text was longer than [`Self::CAPACITY`].
    #[must_use]
    pub const fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Display for ArchitectureText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("...")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ArchitectureText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// The name of a scalar kind byte: `"f32"` (1), `"f64"` (2), `"Q16_16"`
/// (3), `"Q8_8"` (4), `"int8"` (5, a quantized network of
/// [`crate::int8`]) or `"unknown"`.
#[must_use]
pub const fn kind_name(kind: u8) -> &'static str {
    match kind {
        1 => "f32",
        2 => "f64",
        3 => "Q16_16",
        4 => "Q8_8",
        5 => "int8",
        _ => "unknown",
    }
}

/// The reflected CRC-32 table of the IEEE polynomial, built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0_u32; 256];
    let mut n = 0;
    while n < 256 {
        #[allow(clippy::cast_possible_truncation)]
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// The CRC-32 of `bytes` (IEEE 802.3, as zlib and PNG compute it), usable in
/// const context.
///
/// # Examples
///
/// ```
/// use backprop_core::weights::crc32;
///
/// assert_eq!(crc32(b"123456789"), 0xCBF4_3926); // the standard check value
/// const FINGERPRINT: u32 = crc32(b"1 => 4 ReLU => 2 Sigmoid => 1 Linear");
/// assert_eq!(FINGERPRINT, 0x1385_8161);
/// ```
#[must_use]
pub const fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    let mut i = 0;
    while i < bytes.len() {
        crc = CRC_TABLE[((crc ^ bytes[i] as u32) & 0xFF) as usize] ^ (crc >> 8);
        i += 1;
    }
    !crc
}

/// Why a blob was refused. Every variant names what was expected and what
/// the blob held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadError {
    /// The blob's length is not the network's `BYTES`.
    WrongLength {
        /// The length this network's blob has.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// The blob does not start with `BPNN`: it is not a weights blob.
    BadMagic {
        /// The first four bytes found.
        found: [u8; 4],
    },
    /// The blob was written in a format version this crate cannot read.
    UnsupportedVersion {
        /// The version in the blob.
        found: u16,
    },
    /// The blob holds another scalar type (`f64` for an `f32` network, the
    /// reverse, or a kind byte this crate does not know); kinds are 1 for
    /// `f32` and 2 for `f64`.
    WrongScalar {
        /// The network's scalar kind.
        expected: u8,
        /// The blob's scalar kind.
        found: u8,
    },
    /// The reserved header byte is not 0.
    ReservedByteSet {
        /// Its value.
        found: u8,
    },
    /// The blob was saved from a network of another architecture: its
    /// architecture text is not this network's `ARCHITECTURE`.
    WrongArchitecture {
        /// This network's architecture text.
        expected: &'static str,
        /// The blob's architecture text.
        found: ArchitectureText,
    },
    /// The blob's parameter count differs from the network's.
    WrongParamCount {
        /// This network's parameter count.
        expected: usize,
        /// The blob's parameter count.
        found: u32,
    },
    /// The checksum does not match the content: the blob is damaged,
    /// truncated or extended.
    BadChecksum {
        /// The CRC-32 computed over the blob's bytes before its last four.
        expected: u32,
        /// The CRC-32 stored in the blob's last four bytes.
        found: u32,
    },
}

impl LoadError {
    /// A fixed description of the error, without its numbers: what a
    /// `const` evaluation can print when it refuses a blob.
    #[must_use]
    pub const fn summary(&self) -> &'static str {
        match self {
            Self::WrongLength { .. } => "weights blob has the wrong length for this network",
            Self::BadMagic { .. } => "not a weights blob: it does not start with `BPNN`",
            Self::UnsupportedVersion { found: 1 } => {
                "weights blob has format version 1, which this crate no longer reads: \
                 convert it with `scripts/export_pytorch.py --upgrade`"
            }
            Self::UnsupportedVersion { .. } => "weights blob has an unsupported format version",
            Self::WrongScalar { .. } => "weights blob holds another scalar type than this network",
            Self::ReservedByteSet { .. } => "weights blob has its reserved header byte set",
            Self::WrongArchitecture { .. } => {
                "weights blob was saved from a network of another architecture"
            }
            Self::WrongParamCount { .. } => {
                "weights blob holds another number of parameters than this network"
            }
            Self::BadChecksum { .. } => {
                "weights blob fails its CRC-32 checksum: it is damaged, truncated or extended"
            }
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::WrongLength { expected, found } => write!(
                f,
                "weights blob is {found} bytes long, but this network's blob is {expected} bytes"
            ),
            Self::BadMagic { found } => write!(
                f,
                "not a weights blob: it starts with {found:02x?} instead of `BPNN`"
            ),
            Self::UnsupportedVersion { found: 1 } => write!(
                f,
                "weights blob has format version 1, which records its architecture as a \
                 checksum only; this crate reads version {VERSION}, which records the \
                 architecture text: convert the blob with `python3 scripts/export_pytorch.py \
                 --upgrade BLOB --spec '<its architecture>'`, or save it again"
            ),
            Self::UnsupportedVersion { found } => write!(
                f,
                "weights blob has format version {found}; this crate reads version {VERSION}"
            ),
            Self::WrongScalar { expected, found } => match kind_name(found) {
                "unknown" => write!(
                    f,
                    "weights blob has scalar kind byte {found}, which this crate does not know \
                     (1 is f32, 2 is f64, 3 is Q16_16, 4 is Q8_8); this network uses {}",
                    kind_name(expected)
                ),
                name => write!(
                    f,
                    "weights blob holds {name} parameters, but this network uses {}",
                    kind_name(expected)
                ),
            },
            Self::ReservedByteSet { found } => write!(
                f,
                "weights blob has reserved header byte {found}, which must be 0"
            ),
            Self::WrongArchitecture { expected, found } => write!(
                f,
                "weights blob was saved from a network `{found}`, but this network is `{expected}`"
            ),
            Self::WrongParamCount { expected, found } => write!(
                f,
                "weights blob holds {found} parameters, but this network has {expected}"
            ),
            Self::BadChecksum { expected, found } => write!(
                f,
                "weights blob is damaged, truncated or extended: its CRC-32 is {expected:#010x} \
                 but it records {found:#010x}"
            ),
        }
    }
}

impl core::error::Error for LoadError {}

/// The fixed part of a blob's header, before the architecture text:
/// magic, version, scalar kind, reserved byte, the text's CRC-32, the
/// parameter count and the text's length.
///
/// # Examples
///
/// ```
/// let text = "1 => 1 Linear";
/// let header = backprop_core::weights::header(1, text, 2);
/// assert_eq!(&header[..8], b"BPNN\x02\x00\x01\x00");
/// assert_eq!(header[8..12], backprop_core::weights::crc32(text.as_bytes()).to_le_bytes());
/// assert_eq!(header[12..], [2, 0, 0, 0, 13, 0, 0, 0]);
/// ```
#[must_use]
pub const fn header(kind: u8, architecture: &str, params: u32) -> [u8; HEADER_BYTES] {
    let v = VERSION.to_le_bytes();
    let f = crc32(architecture.as_bytes()).to_le_bytes();
    let p = params.to_le_bytes();
    #[allow(clippy::cast_possible_truncation)] // refused by `validate` and the encoders
    let l = (architecture.len() as u32).to_le_bytes();
    [
        MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], v[0], v[1], kind, 0, f[0], f[1], f[2], f[3], p[0],
        p[1], p[2], p[3], l[0], l[1], l[2], l[3],
    ]
}

/// `a == b`, byte for byte, in const context.
const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Checks a whole blob against a network's scalar kind, scalar size,
/// architecture text and parameter count, in the order the
/// [module docs](self) give. Usable in const context.
///
/// # Errors
///
/// The first check that fails, as a [`LoadError`].
///
/// # Examples
///
/// ```
/// use backprop_core::weights::{LoadError, validate};
///
/// assert_eq!(
///     validate(b"PK\x03\x04 starts a zip file, not a weights blob", 1, 4, "1 => 1 Linear", 2),
///     Err(LoadError::BadMagic { found: *b"PK\x03\x04" })
/// );
/// ```
pub const fn validate(
    bytes: &[u8],
    kind: u8,
    scalar_bytes: usize,
    architecture: &'static str,
    params: usize,
) -> Result<(), LoadError> {
    let expected_len = encoded_len(params, scalar_bytes, architecture.len());
    let short = LoadError::WrongLength {
        expected: expected_len,
        found: bytes.len(),
    };
    let Some((head, rest)) = bytes.split_first_chunk::<HEADER_BYTES>() else {
        return Err(short);
    };
    if rest.len() < CHECKSUM_BYTES {
        return Err(short);
    }
    let magic = [head[0], head[1], head[2], head[3]];
    if magic[0] != MAGIC[0] || magic[1] != MAGIC[1] || magic[2] != MAGIC[2] || magic[3] != MAGIC[3]
    {
        return Err(LoadError::BadMagic { found: magic });
    }
    let version = u16::from_le_bytes([head[4], head[5]]);
    if version != VERSION {
        return Err(LoadError::UnsupportedVersion { found: version });
    }
    let (body, stored) = bytes.split_at(bytes.len() - CHECKSUM_BYTES);
    let stored = u32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]);
    let computed = crc32(body);
    if computed != stored {
        return Err(LoadError::BadChecksum {
            expected: computed,
            found: stored,
        });
    }
    if head[6] != kind {
        return Err(LoadError::WrongScalar {
            expected: kind,
            found: head[6],
        });
    }
    if head[7] != 0 {
        return Err(LoadError::ReservedByteSet { found: head[7] });
    }
    let text_len = u32::from_le_bytes([head[16], head[17], head[18], head[19]]) as usize;
    let Some((text, _)) = rest.split_at_checked(text_len) else {
        return Err(short);
    };
    if !same_bytes(text, architecture.as_bytes()) {
        return Err(LoadError::WrongArchitecture {
            expected: architecture,
            found: ArchitectureText::new(text),
        });
    }
    let count = u32::from_le_bytes([head[12], head[13], head[14], head[15]]);
    if count as u64 != params as u64 {
        return Err(LoadError::WrongParamCount {
            expected: params,
            found: count,
        });
    }
    if bytes.len() != expected_len {
        return Err(LoadError::WrongLength {
            expected: expected_len,
            found: bytes.len(),
        });
    }
    Ok(())
}

/// Writes `params` as a blob of `N` bytes for the architecture text
/// `architecture`; `N` must be `encoded_len(P, T::SIZE, architecture.len())`.
/// Works for any [`Codec`] scalar; the generated `to_bytes` of `f32` and
/// `f64` networks calls [`encode_f32_const`] and [`encode_f64_const`],
/// which give the same bytes in const context.
///
/// # Errors
///
/// [`LoadError::WrongLength`] if `N` is not the blob's length, with the
/// length it must be.
///
/// # Examples
///
/// ```
/// use backprop_core::weights::{crc32, encode, encoded_len};
///
/// const TEXT: &str = "1 => 2 Linear";
/// let blob: [u8; encoded_len(2, 4, TEXT.len())] = encode(&[1.0_f32, -2.0], TEXT).unwrap();
/// assert_eq!(&blob[..4], b"BPNN");
/// assert_eq!(&blob[20..33], TEXT.as_bytes());
/// assert_eq!(blob[33..37], 1.0_f32.to_le_bytes());
/// assert_eq!(blob[41..], crc32(&blob[..41]).to_le_bytes());
/// ```
pub fn encode<T: Codec, const P: usize, const N: usize>(
    params: &[T; P],
    architecture: &str,
) -> Result<[u8; N], LoadError> {
    const {
        assert!(T::SIZE > 0, "a scalar takes at least one byte");
        assert!(
            P as u64 <= u32::MAX as u64,
            "too many parameters for the format"
        );
    };
    let expected = encoded_len(P, T::SIZE, architecture.len());
    if N != expected || architecture.len() as u64 > u64::from(u32::MAX) {
        return Err(LoadError::WrongLength { expected, found: N });
    }
    let mut out = [0_u8; N];
    #[allow(clippy::cast_possible_truncation)] // checked at compile time above
    let head = header(T::KIND, architecture, P as u32);
    let (head_out, rest) = out.split_at_mut(HEADER_BYTES);
    head_out.copy_from_slice(&head);
    let (text_out, rest) = rest.split_at_mut(architecture.len());
    text_out.copy_from_slice(architecture.as_bytes());
    for (value, chunk) in params.iter().zip(rest.chunks_exact_mut(T::SIZE)) {
        value.write_le(chunk);
    }
    let (body, tail) = out.split_at_mut(N - CHECKSUM_BYTES);
    tail.copy_from_slice(&crc32(body).to_le_bytes());
    Ok(out)
}

/// Reads the parameters of a blob after checking all of it with
/// [`validate`]. The generated `from_bytes` and `load_bytes` call this.
///
/// # Errors
///
/// The first check that fails, as a [`LoadError`].
///
/// # Examples
///
/// ```
/// use backprop_core::weights::{LoadError, decode, encode, encoded_len};
///
/// const TEXT: &str = "1 => 2 Linear";
/// let blob: [u8; encoded_len(2, 8, TEXT.len())] = encode(&[0.5_f64, 3.0], TEXT).unwrap();
/// assert_eq!(decode::<f64, 2>(&blob, TEXT), Ok([0.5, 3.0]));
/// assert!(matches!(
///     decode::<f64, 2>(&blob, "1 => 2 ReLU"),
///     Err(LoadError::WrongArchitecture { expected: "1 => 2 ReLU", .. })
/// ));
/// assert!(decode::<f64, 2>(&blob[..blob.len() - 1], TEXT).is_err()); // truncated
/// ```
pub fn decode<T: Codec, const P: usize>(
    bytes: &[u8],
    architecture: &'static str,
) -> Result<[T; P], LoadError> {
    const { assert!(T::SIZE > 0, "a scalar takes at least one byte") };
    validate(bytes, T::KIND, T::SIZE, architecture, P)?;
    let mut params = [T::ZERO; P];
    let values = bytes
        .get(HEADER_BYTES + architecture.len()..)
        .unwrap_or_default();
    for (value, chunk) in params.iter_mut().zip(values.chunks_exact(T::SIZE)) {
        if let Some(v) = T::read_le(chunk) {
            *value = v;
        }
    }
    Ok(params)
}

macro_rules! decode_const {
    ($name:ident, $t:ident, $size:literal, $kind:literal, $prelude:literal, $values:literal, $decoded:literal) => {
        #[doc = concat!(
            "Reads the `", stringify!($t), "` parameters of a blob at compile time, for ",
            "weights in flash; the generated `from_bytes_const` calls this.\n\n",
            "# Panics\n\n",
            "If the blob fails any check of [`validate`], with that check's ",
            "[`LoadError::summary`]. In a `static` or `const` initialiser that is a compile ",
            "error. A blob of another length than `N` is refused by the same checks.\n\n",
            "# Examples\n\n",
            "```\n",
            "use backprop_core::weights::{encode, encoded_len, ", stringify!($name), "};\n", $prelude, "\n",
            "const TEXT: &str = \"1 => 2 Linear\";\n",
            "const N: usize = encoded_len(2, ", stringify!($size), ", TEXT.len());\n",
            "let blob: [u8; N] = encode(&", $values, ", TEXT).unwrap();\n",
            "assert_eq!(", stringify!($name), "::<2, N>(&blob, TEXT), ", $decoded, ");\n",
            "```"
        )]
        #[must_use]
        pub const fn $name<const P: usize, const N: usize>(bytes: &[u8; N], architecture: &'static str) -> [$t; P] {
            if let Err(error) = validate(bytes, $kind, $size, architecture, P) {
                panic!("{}", error.summary());
            }
            let mut params = [<$t as crate::Scalar>::ZERO; P];
            let mut i = 0;
            while i < P {
                let at = HEADER_BYTES + architecture.len() + $size * i;
                let mut raw = [0_u8; $size];
                let mut b = 0;
                while b < $size {
                    raw[b] = bytes[at + b];
                    b += 1;
                }
                params[i] = $t::from_le_bytes(raw);
                i += 1;
            }
            params
        }
    };
}

decode_const!(
    decode_f32_const,
    f32,
    4,
    1,
    "",
    "[1.5_f32, -1.0]",
    "[1.5, -1.0]"
);
decode_const!(
    decode_f64_const,
    f64,
    8,
    2,
    "",
    "[1.5_f64, -1.0]",
    "[1.5, -1.0]"
);
decode_const!(
    decode_q16_16_const,
    Q16_16,
    4,
    3,
    "use backprop_core::fixed::Q16_16;\n",
    "[Q16_16::from_bits(98_304), -Q16_16::ONE]",
    "[Q16_16::from_bits(98_304), -Q16_16::ONE]"
);
decode_const!(
    decode_q8_8_const,
    Q8_8,
    2,
    4,
    "use backprop_core::fixed::Q8_8;\n",
    "[Q8_8::from_bits(384), -Q8_8::ONE]",
    "[Q8_8::from_bits(384), -Q8_8::ONE]"
);

macro_rules! encode_const {
    ($name:ident, $t:ident, $size:literal, $kind:literal, $prelude:literal, $const_values:literal, $values:literal) => {
        #[doc = concat!(
                    "Writes `", stringify!($t), "` parameters as a blob in const context, so a ",
                    "blob can be a `const`; the generated `to_bytes` calls this. Gives the same ",
                    "bytes as [`encode`].\n\n",
                    "# Panics\n\n",
                    "If `N` is not `encoded_len(P, ", stringify!($size), ", architecture.len())`; ",
                    "in a `const` initialiser that is a compile error.\n\n",
                    "# Examples\n\n",
                    "```\n",
                    "use backprop_core::weights::{", stringify!($name), ", encode, encoded_len};\n", $prelude, "\n",
                    "const TEXT: &str = \"1 => 2 Linear\";\n",
                    "const N: usize = encoded_len(2, ", stringify!($size), ", TEXT.len());\n",
                    "const BLOB: [u8; N] = ", stringify!($name), "(&", $const_values, ", TEXT);\n",
                    "assert_eq!(Ok(BLOB), encode(&", $values, ", TEXT));\n",
                    "```"
                )]
        #[must_use]
        pub const fn $name<const P: usize, const N: usize>(
            params: &[$t; P],
            architecture: &str,
        ) -> [u8; N] {
            const {
                assert!(
                    P as u64 <= u32::MAX as u64,
                    "too many parameters for the format"
                );
            };
            assert!(
                N == encoded_len(P, $size, architecture.len()),
                "the blob length must be 20 + the architecture text's length + P * the scalar's size + 4"
            );
            let mut out = [0_u8; N];
            #[allow(clippy::cast_possible_truncation)] // checked at compile time above
            let head = header($kind, architecture, P as u32);
            let mut i = 0;
            while i < HEADER_BYTES {
                out[i] = head[i];
                i += 1;
            }
            let text = architecture.as_bytes();
            let mut i = 0;
            while i < text.len() {
                out[HEADER_BYTES + i] = text[i];
                i += 1;
            }
            let at = HEADER_BYTES + text.len();
            let mut i = 0;
            while i < P {
                let raw = params[i].to_le_bytes();
                let mut b = 0;
                while b < $size {
                    out[at + $size * i + b] = raw[b];
                    b += 1;
                }
                i += 1;
            }
            let (body, _) = out.split_at(N - CHECKSUM_BYTES);
            let crc = crc32(body).to_le_bytes();
            let mut b = 0;
            while b < CHECKSUM_BYTES {
                out[N - CHECKSUM_BYTES + b] = crc[b];
                b += 1;
            }
            out
        }
    };
}

encode_const!(
    encode_f32_const,
    f32,
    4,
    1,
    "",
    "[1.5, -1.0]",
    "[1.5_f32, -1.0]"
);
encode_const!(
    encode_f64_const,
    f64,
    8,
    2,
    "",
    "[1.5, -1.0]",
    "[1.5_f64, -1.0]"
);
encode_const!(
    encode_q16_16_const,
    Q16_16,
    4,
    3,
    "use backprop_core::fixed::Q16_16;\n",
    "[Q16_16::from_bits(98_304), Q16_16::MIN]",
    "[Q16_16::from_bits(98_304), Q16_16::MIN]"
);
encode_const!(
    encode_q8_8_const,
    Q8_8,
    2,
    4,
    "use backprop_core::fixed::Q8_8;\n",
    "[Q8_8::from_bits(384), Q8_8::MIN]",
    "[Q8_8::from_bits(384), Q8_8::MIN]"
);

/// The per-type weights methods of a network or chain, for every scalar
/// type with const encoders here: `network!` invokes it once for each
/// network and chain (through `__private::byte_methods`), with the type's
/// name, its parameter count (a const expression), `"network"` or
/// `"chain"`, what its parameters are, for the docs (`"21 parameters"`),
/// and the identifiers `to_bytes` and `from_bytes_const`, which the macro
/// gives the span of the type's name so that the compiler's notes point at
/// it.
///
/// `BYTES`, `to_bytes` and `from_bytes_const` are `const`, and a `const fn`
/// cannot call the [`Codec`] methods, so they are written per concrete type,
/// each over its `encode_*_const` and `decode_*_const`. This list of types
/// is the one place that names them: a scalar type of the runtime with
/// const encoders gets these methods by one more line here, and none in the
/// macro.
#[doc(hidden)]
#[macro_export]
macro_rules! __byte_methods {
    (@scalar $t:ty, $tname:literal, $size:literal, $encode:ident, $decode:ident;
     $name:ident, $params:expr, $what:literal, $params_doc:literal,
     $to_bytes:ident, $from_bytes_const:ident) => {
        // Generated for the network, which may be `#[deprecated]`.
        #[allow(deprecated)]
        impl $name<$t> {
            #[doc = concat!(
                "The size of this ", $what, "'s `", $tname, "` weights blob: a 20-byte ",
                "header, the architecture text ([`Self::ARCHITECTURE`]), ", $params_doc, " of ",
                stringify!($size), " bytes and a 4-byte CRC-32; the length of the array ",
                "[`Self::to_bytes`] returns."
            )]
            pub const BYTES: usize =
                $crate::weights::encoded_len($params, $size, Self::ARCHITECTURE.len());

            #[doc = concat!(
                "The parameters as a weights blob of [`Self::BYTES`] bytes, in the format of ",
                "[`backprop_core::weights`](::backprop_core::weights): header, architecture text, `",
                $tname, "` parameters in the flat order, CRC-32."
            )]
            #[must_use]
            pub const fn $to_bytes(&self) -> [u8; Self::BYTES] {
                $crate::weights::$encode::<{ $params }, { Self::BYTES }>(self.params(), Self::ARCHITECTURE)
            }

            #[doc = concat!(
                "A ", $what, " from a weights blob at compile time, for weights in flash: ",
                "`static NET: ", stringify!($name), "<", $tname, "> = ", stringify!($name),
                "::<", $tname, ">::from_bytes_const(include_bytes!(\"net.bpnn\"));` ",
                "parses nothing at start-up and copies nothing into RAM. A blob of another ",
                "length than [`Self::BYTES`] is a type error.\n\n",
                "# Panics\n\n",
                "If the blob fails a check (magic number, version, checksum, scalar type, ",
                "architecture, parameter count); in a `static` or `const` initialiser that ",
                "is a compile error naming the check."
            )]
            #[must_use]
            pub const fn $from_bytes_const(bytes: &[u8; Self::BYTES]) -> Self {
                Self::from_params($crate::weights::$decode::<{ $params }, { Self::BYTES }>(bytes, Self::ARCHITECTURE))
            }
        }
    };
    // The scalar types, one line each.
    ($($args:tt)*) => {
        $crate::__byte_methods!(@scalar f32, "f32", 4, encode_f32_const, decode_f32_const; $($args)*);
        $crate::__byte_methods!(@scalar f64, "f64", 8, encode_f64_const, decode_f64_const; $($args)*);
        $crate::__byte_methods!(@scalar $crate::fixed::Q16_16, "Q16_16", 4, encode_q16_16_const, decode_q16_16_const; $($args)*);
        $crate::__byte_methods!(@scalar $crate::fixed::Q8_8, "Q8_8", 2, encode_q8_8_const, decode_q8_8_const; $($args)*);
    };
}

// The literals of the const encoders and of `__byte_methods` are the
// types' `Codec` constants.
const _: () = assert!(<f32 as Codec>::SIZE == 4 && <f32 as Codec>::KIND == 1);
const _: () = assert!(<f64 as Codec>::SIZE == 8 && <f64 as Codec>::KIND == 2);
const _: () = assert!(<Q16_16 as Codec>::SIZE == 4 && <Q16_16 as Codec>::KIND == 3);
const _: () = assert!(<Q8_8 as Codec>::SIZE == 2 && <Q8_8 as Codec>::KIND == 4);

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed buffer to format into, as the crate has no heap.
    struct Buf {
        bytes: [u8; 512],
        len: usize,
    }

    impl Default for Buf {
        fn default() -> Self {
            Self {
                bytes: [0; 512],
                len: 0,
            }
        }
    }

    impl Buf {
        fn as_str(&self) -> &str {
            core::str::from_utf8(&self.bytes[..self.len]).unwrap()
        }
    }

    impl fmt::Write for Buf {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let end = self.len + s.len();
            self.bytes
                .get_mut(self.len..end)
                .ok_or(fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }

    #[test]
    fn crc32_matches_published_check_values() {
        // The check value every CRC-32/ISO-HDLC implementation documents.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        // "The quick brown fox jumps over the lazy dog", a common test vector.
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn header_layout_is_as_documented() {
        let h = header(2, "2 => 1 Linear", 0x0A0B_0C0D);
        assert_eq!(&h[0..4], b"BPNN");
        assert_eq!(h[4..6], [2, 0]);
        assert_eq!(h[6..8], [2, 0]);
        assert_eq!(h[8..12], crc32(b"2 => 1 Linear").to_le_bytes());
        assert_eq!(h[12..16], [0x0D, 0x0C, 0x0B, 0x0A]);
        assert_eq!(h[16..20], [13, 0, 0, 0]);
    }

    #[test]
    fn every_error_has_a_message_naming_its_numbers() {
        let cases: [(LoadError, &str); 11] = [
            (
                LoadError::WrongLength {
                    expected: 104,
                    found: 3,
                },
                "weights blob is 3 bytes long, but this network's blob is 104 bytes",
            ),
            (
                LoadError::BadMagic {
                    found: *b"PK\x03\x04",
                },
                "not a weights blob: it starts with [50, 4b, 03, 04] instead of `BPNN`",
            ),
            (
                LoadError::UnsupportedVersion { found: 3 },
                "weights blob has format version 3; this crate reads version 2",
            ),
            (
                LoadError::UnsupportedVersion { found: 1 },
                "weights blob has format version 1, which records its architecture as a \
                 checksum only; this crate reads version 2, which records the architecture \
                 text: convert the blob with `python3 scripts/export_pytorch.py --upgrade BLOB \
                 --spec '<its architecture>'`, or save it again",
            ),
            (
                LoadError::WrongScalar {
                    expected: 1,
                    found: 2,
                },
                "weights blob holds f64 parameters, but this network uses f32",
            ),
            (
                LoadError::WrongScalar {
                    expected: 2,
                    found: 7,
                },
                "weights blob has scalar kind byte 7, which this crate does not know \
                 (1 is f32, 2 is f64, 3 is Q16_16, 4 is Q8_8); this network uses f64",
            ),
            (
                LoadError::WrongScalar {
                    expected: 1,
                    found: 3,
                },
                "weights blob holds Q16_16 parameters, but this network uses f32",
            ),
            (
                LoadError::ReservedByteSet { found: 9 },
                "weights blob has reserved header byte 9, which must be 0",
            ),
            (
                LoadError::WrongArchitecture {
                    expected: "1 => 4 ReLU => 1 Linear",
                    found: ArchitectureText::new(b"1 => 4 LeakyReLU(3f847ad8a3e9cd3a) => 1 Linear"),
                },
                "weights blob was saved from a network `1 => 4 LeakyReLU(3f847ad8a3e9cd3a) => 1 \
                 Linear`, but this network is `1 => 4 ReLU => 1 Linear`",
            ),
            (
                LoadError::WrongParamCount {
                    expected: 21,
                    found: 22,
                },
                "weights blob holds 22 parameters, but this network has 21",
            ),
            (
                LoadError::BadChecksum {
                    expected: 0xAB,
                    found: 0xCD,
                },
                "weights blob is damaged, truncated or extended: its CRC-32 is 0x000000ab \
                 but it records 0x000000cd",
            ),
        ];
        for (error, message) in cases {
            let mut w = Buf::default();
            fmt::write(&mut w, format_args!("{error}")).unwrap();
            assert_eq!(w.as_str(), message);
            assert!(!error.summary().is_empty());
        }
        // A long text is kept to its first 96 bytes, then an ellipsis.
        let long = ArchitectureText::new(&[b'2'; 200]);
        assert!(long.is_truncated());
        assert_eq!(long.as_str().len(), ArchitectureText::CAPACITY);
        let mut w = Buf::default();
        fmt::write(&mut w, format_args!("{long}")).unwrap();
        assert_eq!(w.as_str().len(), 99);
        assert!(w.as_str().ends_with("22..."));
    }

    #[test]
    fn validation_reports_the_first_failing_check() {
        const TEXT: &str = "2 => 1 Linear";
        const N: usize = encoded_len(2, 4, TEXT.len());
        let blob: [u8; N] = encode(&[1.0_f32, 2.0], TEXT).unwrap();
        assert_eq!(validate(&blob, 1, 4, TEXT, 2), Ok(()));
        assert_eq!(
            validate(&blob[..19], 1, 4, TEXT, 2),
            Err(LoadError::WrongLength {
                expected: N,
                found: 19
            })
        );
        assert_eq!(
            validate(&blob, 1, 4, "2 => 1 ReLU", 2),
            Err(LoadError::WrongArchitecture {
                expected: "2 => 1 ReLU",
                found: ArchitectureText::new(TEXT.as_bytes())
            })
        );
        // A text that is a prefix of the network's is another architecture.
        assert!(matches!(
            validate(&blob, 1, 4, "2 => 1 Linear => 1 Linear", 2),
            Err(LoadError::WrongArchitecture { .. })
        ));
        assert_eq!(
            validate(&blob, 1, 4, TEXT, 3),
            Err(LoadError::WrongParamCount {
                expected: 3,
                found: 2
            })
        );
        assert_eq!(
            validate(&blob, 2, 8, TEXT, 2),
            Err(LoadError::WrongScalar {
                expected: 2,
                found: 1
            })
        );
        let mut v3 = blob;
        v3[4] = 3;
        assert_eq!(
            validate(&v3, 1, 4, TEXT, 2),
            Err(LoadError::UnsupportedVersion { found: 3 })
        );
        // With the checksum recomputed after each change, the later checks
        // decide: the reserved byte, and a text length past the blob's end.
        let reseal = |mut b: [u8; N]| {
            let crc = crc32(&b[..N - 4]).to_le_bytes();
            b[N - 4..].copy_from_slice(&crc);
            b
        };
        let mut reserved = blob;
        reserved[7] = 1;
        assert_eq!(
            validate(&reseal(reserved), 1, 4, TEXT, 2),
            Err(LoadError::ReservedByteSet { found: 1 })
        );
        let mut long_text = blob;
        long_text[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            validate(&reseal(long_text), 1, 4, TEXT, 2),
            Err(LoadError::WrongLength {
                expected: N,
                found: N
            })
        );
        // `encode` refuses an array of the wrong length rather than panic.
        assert_eq!(
            encode::<f32, 2, 30>(&[1.0, 2.0], TEXT),
            Err(LoadError::WrongLength {
                expected: N,
                found: 30
            })
        );
    }
}
