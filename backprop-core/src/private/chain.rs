//! What chains of networks are built on: the compile-time check that
//! widths agree, the link between parts, and the const-built
//! `ARCHITECTURE` text and layer list.

/// What a chain needs to know of a part: the network (or chain) type and
/// its trace type with any scalar, and its consts. `network!` implements it
/// for everything it declares; anything else named as a chain part is this
/// one error. A chain reads every const of a part through this trait, never
/// as an inherent const of `Of<S>`, so that a part which is not a network
/// fails this one bound and nothing else.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a network declared with `network!`",
    label = "not a network",
    note = "a chain's parts are networks or chains declared with `backprop_core::network!`, named by their paths"
)]
pub trait NetworkFamily {
    /// The network with the scalar `S`.
    type Of<S>;
    /// Its trace type with the scalar `S`.
    type TraceOf<S>;
    /// The input width.
    const INPUTS: usize;
    /// The output width.
    const OUTPUTS: usize;
    /// The parameter count.
    const PARAMS: usize;
    /// The layer count.
    const LAYERS: usize;
    /// The units of every layer together, one flag each in `dead_relu_units`.
    const UNITS: usize;
    /// The canonical architecture text.
    const ARCHITECTURE: &'static str;
    /// The rows of `summary()`, layer by layer.
    const LAYER_INFO: &'static [crate::summary::LayerInfo];
    /// Whether the network has a recurrent layer (and so a state).
    const RECURRENT: bool;
}

/// Holds for a chain part that runs one sample at a time, not a time step
/// with a state: implemented for `()` with `RECURRENT = false` alone.
#[diagnostic::on_unimplemented(
    message = "a recurrent network cannot be a chain's part yet",
    label = "this network has a `GRU` or `LSTM` layer",
    note = "a chain runs its parts one sample at a time, and a recurrent network one time step with a state; declare the layers in one network instead (`1 => 16 GRU => 4 Tanh => 1 Linear`)"
)]
pub trait Stateless<const RECURRENT: bool> {}

impl Stateless<false> for () {}

/// Compiles only for a part that is not recurrent; see [`Stateless`].
pub const fn chain_part<const RECURRENT: bool>()
where
    (): Stateless<RECURRENT>,
{
}

/// Holds when a network with `OUT` outputs can feed one with `IN` inputs:
/// only for equal widths. Implemented for `()` alone.
#[diagnostic::on_unimplemented(
    message = "cannot chain these networks: the first gives {OUT} outputs but the next takes {IN} inputs",
    label = "the networks meet here",
    note = "in a chain `A => B`, A's outputs are B's inputs, so A's output width must equal B's input width"
)]
pub trait WidthsAgree<const OUT: usize, const IN: usize> {}

impl<const N: usize> WidthsAgree<N, N> for () {}

/// Compiles only when `OUT == IN`; the chain expansion calls it in a
/// `const` item at each `=>`.
pub const fn chain_widths<const OUT: usize, const IN: usize>()
where
    (): WidthsAgree<OUT, IN>,
{
}

/// Passes one part's output to the next part of a chain. The chain's
/// `chain_widths` check makes `FROM == TO`, so this is the identity; it is
/// generic so that a mismatch is reported once, by that check, rather than
/// again as a type error here.
#[inline(always)]
#[must_use]
pub fn link<T, const FROM: usize, const TO: usize>(values: &[T; FROM]) -> &[T; TO] {
    match values.as_slice().first_chunk::<TO>() {
        Some(v) if FROM == TO => v,
        // `chain_widths` rejects every chain where this could happen.
        _ => unreachable!(),
    }
}

/// What joins two parenthesised parts in a chain's `ARCHITECTURE` text.
const CHAIN_JOIN: &[u8] = b" => ";

/// The length of a chain's `ARCHITECTURE` text over its parts' texts: each
/// part's text in parentheses, joined by `" => "` (see [`chain_text`]).
#[must_use]
pub const fn chain_text_len(parts: &[&str]) -> usize {
    let mut len = 0;
    let mut k = 0;
    while k < parts.len() {
        if k > 0 {
            len += CHAIN_JOIN.len();
        }
        len += parts[k].len() + 2;
        k += 1;
    }
    len
}

/// A chain's `ARCHITECTURE` text as bytes: `(A) => (B) => ...` over the
/// parts' texts, in order. `N` must be [`chain_text_len`] of `parts`; the
/// chain expansion evaluates this in a `const`, so a mismatch would be a
/// compile error, never a run-time panic.
///
/// A network's text starts with a digit or `#`, never `(`, so no chain's
/// text is a network's; and since every part's text has balanced
/// parentheses, the top-level groups give back the parts, so chains of
/// different parts, orders or nesting have different texts.
#[must_use]
pub const fn chain_text<const N: usize>(parts: &[&str]) -> [u8; N] {
    assert!(
        N == chain_text_len(parts),
        "a chain's text length must be chain_text_len(parts)"
    );
    let mut out = [0_u8; N];
    let mut at = 0;
    let mut k = 0;
    while k < parts.len() {
        if k > 0 {
            let mut b = 0;
            while b < CHAIN_JOIN.len() {
                out[at] = CHAIN_JOIN[b];
                at += 1;
                b += 1;
            }
        }
        out[at] = b'(';
        at += 1;
        let text = parts[k].as_bytes();
        let mut b = 0;
        while b < text.len() {
            out[at] = text[b];
            at += 1;
            b += 1;
        }
        out[at] = b')';
        at += 1;
        k += 1;
    }
    out
}

/// `bytes` as text, in const context. The chain expansion passes the output
/// of [`chain_text`], valid UTF-8 by construction (whole `str`s and ASCII),
/// and evaluates this in a `const`, so the panic cannot happen at run time.
#[must_use]
pub const fn utf8(bytes: &'static [u8]) -> &'static str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => panic!("a chain's architecture text is not UTF-8"),
    }
}

/// The layers of a chain: its parts' layer lists one after the other. `N`
/// must be their total length (the chain's `LAYERS`); the chain expansion
/// evaluates this in a `const`, so a mismatch would be a compile error.
#[must_use]
pub const fn chain_layers<const N: usize>(
    parts: &[&[crate::summary::LayerInfo]],
) -> [crate::summary::LayerInfo; N] {
    let mut out = [crate::summary::LayerInfo {
        kind: "",
        inputs: 0,
        outputs: 0,
        activation: "",
        params: 0,
        input_major: false,
    }; N];
    let mut at = 0;
    let mut k = 0;
    while k < parts.len() {
        let layers = parts[k];
        let mut l = 0;
        while l < layers.len() {
            assert!(at < N, "a chain's layer count must be its parts' together");
            out[at] = layers[l];
            at += 1;
            l += 1;
        }
        k += 1;
    }
    assert!(at == N, "a chain's layer count must be its parts' together");
    out
}
