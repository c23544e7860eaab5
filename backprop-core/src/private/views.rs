//! Fixed-size views into a network's flat parameter array: a layer's
//! weights, its biases, or one part's parameters inside a chain's. Every
//! view's bounds are checked at compile time, so the slicing never fails.

/// The weights of the layer whose `IN * OUT` weights start at `OFFSET`.
#[inline(always)]
#[must_use]
pub fn weights<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &[T; P],
) -> &[[T; IN]; OUT] {
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT <= P) };
    let (rows, _) = params[OFFSET..OFFSET + IN * OUT].as_chunks::<IN>();
    match rows.first_chunk::<OUT>() {
        Some(w) => w,
        // The const assertion above makes this unreachable.
        None => unreachable!(),
    }
}

/// The weights of a layer, mutably; see [`weights`].
#[inline(always)]
#[must_use]
pub fn weights_mut<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> &mut [[T; IN]; OUT] {
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT <= P) };
    let (rows, _) = params[OFFSET..OFFSET + IN * OUT].as_chunks_mut::<IN>();
    match rows.first_chunk_mut::<OUT>() {
        Some(w) => w,
        None => unreachable!(),
    }
}

/// The `N` values starting at `OFFSET`: a layer's biases.
#[inline(always)]
#[must_use]
pub fn bias<T, const P: usize, const OFFSET: usize, const N: usize>(params: &[T; P]) -> &[T; N] {
    const { assert!(OFFSET + N <= P) };
    match params[OFFSET..].first_chunk::<N>() {
        Some(b) => b,
        None => unreachable!(),
    }
}

/// A layer's biases, mutably; see [`bias`].
#[inline(always)]
#[must_use]
pub fn bias_mut<T, const P: usize, const OFFSET: usize, const N: usize>(
    params: &mut [T; P],
) -> &mut [T; N] {
    const { assert!(OFFSET + N <= P) };
    match params[OFFSET..].first_chunk_mut::<N>() {
        Some(b) => b,
        None => unreachable!(),
    }
}

/// A layer's weights and biases at once, mutably (biases follow the weights).
#[inline(always)]
#[must_use]
pub fn layer_mut<T, const P: usize, const OFFSET: usize, const IN: usize, const OUT: usize>(
    params: &mut [T; P],
) -> (&mut [[T; IN]; OUT], &mut [T; OUT]) {
    const { assert!(IN > 0 && OUT > 0 && OFFSET + IN * OUT + OUT <= P) };
    let (w, b) = params[OFFSET..OFFSET + IN * OUT + OUT].split_at_mut(IN * OUT);
    let (rows, _) = w.as_chunks_mut::<IN>();
    match (rows.first_chunk_mut::<OUT>(), b.first_chunk_mut::<OUT>()) {
        (Some(w), Some(b)) => (w, b),
        _ => unreachable!(),
    }
}

/// The `N` values at `OFFSET`: one part's parameters inside a chain's.
#[inline(always)]
#[must_use]
pub fn segment<T, const P: usize, const OFFSET: usize, const N: usize>(params: &[T; P]) -> &[T; N] {
    bias::<T, P, OFFSET, N>(params)
}

/// One part's parameters inside a chain's, mutably.
#[inline(always)]
#[must_use]
pub fn segment_mut<T, const P: usize, const OFFSET: usize, const N: usize>(
    params: &mut [T; P],
) -> &mut [T; N] {
    bias_mut::<T, P, OFFSET, N>(params)
}
