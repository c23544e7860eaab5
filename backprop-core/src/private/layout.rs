//! How a weight matrix is stored in the flat parameters: the [`Layout`]
//! trait and its two layouts, [`OutputMajor`] (`[out][in]`, the default,
//! PyTorch's order) and [`InputMajor`] (`[in][out]`,
//! `#[layout(input_major)]`).
//!
//! A matrix here maps `IN` inputs to `OUT` outputs (`y = W x`), and its
//! `IN * OUT` values lie at some offset of a parameter array, row after row:
//! a row per output, or a row per input. A layout is a zero-sized type that
//! says which, and names the storage's type, [`Layout::Matrix`]. Everything
//! else is written once, over [`Stored`]: a kernel matches on how its
//! matrix is stored to pick the loop that reads that storage contiguously
//! (see `matrix.rs`). A layout is a type and its [`Layout::INPUT_MAJOR`] a
//! constant, so each monomorphised kernel keeps one arm of the match.
//!
//! The kernels know nothing of layers: a dense layer is one matrix and its
//! biases, and a layer with several matrices (a recurrent cell's), or one
//! whose input is a window of a longer signal, views each matrix at its own
//! offset and calls the same kernels on it.

/// A matrix stored row after row as `[[T; COLS]; ROWS]`, which either
/// layout's [`Layout::Matrix`] is: the conversions from and to the flat
/// values that every layout shares.
pub trait RowMajor<T> {
    /// The first `ROWS * COLS` values of `flat`, as rows. Callers check the
    /// length at compile time (a shorter slice would panic).
    fn from_flat(flat: &[T]) -> &Self;
    /// [`RowMajor::from_flat`], mutably.
    fn from_flat_mut(flat: &mut [T]) -> &mut Self;
    /// The values, row after row.
    fn flat(&self) -> &[T];
    /// The values, row after row, mutably.
    fn flat_mut(&mut self) -> &mut [T];
}

impl<T, const COLS: usize, const ROWS: usize> RowMajor<T> for [[T; COLS]; ROWS] {
    #[inline(always)]
    fn from_flat(flat: &[T]) -> &Self {
        let (rows, _) = flat.as_chunks::<COLS>();
        match rows.first_chunk::<ROWS>() {
            Some(m) => m,
            None => unreachable!("a matrix view past the end of its values"),
        }
    }

    #[inline(always)]
    fn from_flat_mut(flat: &mut [T]) -> &mut Self {
        let (rows, _) = flat.as_chunks_mut::<COLS>();
        match rows.first_chunk_mut::<ROWS>() {
            Some(m) => m,
            None => unreachable!("a matrix view past the end of its values"),
        }
    }

    #[inline(always)]
    fn flat(&self) -> &[T] {
        self.as_flattened()
    }

    #[inline(always)]
    fn flat_mut(&mut self) -> &mut [T] {
        self.as_flattened_mut()
    }
}

mod sealed {
    /// Only the two layouts below are layouts.
    pub trait Sealed {}
    impl Sealed for super::OutputMajor {}
    impl Sealed for super::InputMajor {}
}

/// How a matrix from `IN` inputs to `OUT` outputs is stored: a row per
/// output ([`OutputMajor`]) or a row per input ([`InputMajor`]). Sealed:
/// the kernels match on [`Stored`], which has an arm for each of the two.
pub trait Layout:
    sealed::Sealed + Clone + Copy + Default + core::fmt::Debug + PartialEq + Eq + 'static
{
    /// Whether a row of the storage holds one input's weights
    /// (`[in][out]`) rather than one output's (`[out][in]`).
    const INPUT_MAJOR: bool;
    /// The storage: `[[T; IN]; OUT]` or `[[T; OUT]; IN]`.
    type Matrix<T, const IN: usize, const OUT: usize>: RowMajor<T>;
}

/// Weights stored `[out][in]`: row `o` holds the weights into output `o`,
/// the input index running fastest (the default, PyTorch's order).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct OutputMajor;

impl Layout for OutputMajor {
    const INPUT_MAJOR: bool = false;
    type Matrix<T, const IN: usize, const OUT: usize> = [[T; IN]; OUT];
}

/// Weights stored `[in][out]`: row `i` holds the weights from input `i`,
/// the output index running fastest (`#[layout(input_major)]`).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct InputMajor;

impl Layout for InputMajor {
    const INPUT_MAJOR: bool = true;
    type Matrix<T, const IN: usize, const OUT: usize> = [[T; OUT]; IN];
}

/// A matrix as it is stored, for a kernel to match on.
pub enum Stored<'a, T, const IN: usize, const OUT: usize> {
    /// `[out][in]`: a row per output.
    ByOutput(&'a [[T; IN]; OUT]),
    /// `[in][out]`: a row per input.
    ByInput(&'a [[T; OUT]; IN]),
}

/// A matrix as it is stored, mutably.
pub enum StoredMut<'a, T, const IN: usize, const OUT: usize> {
    /// `[out][in]`: a row per output.
    ByOutput(&'a mut [[T; IN]; OUT]),
    /// `[in][out]`: a row per input.
    ByInput(&'a mut [[T; OUT]; IN]),
}

/// How `w` is stored. The view is of the same values, re-read at the
/// storage's shape: for a layout, a constant choice of arm and a slice of
/// constant length, which the compiler folds away.
#[inline(always)]
#[must_use]
pub fn stored<T, L: Layout, const IN: usize, const OUT: usize>(
    w: &L::Matrix<T, IN, OUT>,
) -> Stored<'_, T, IN, OUT> {
    if L::INPUT_MAJOR {
        Stored::ByInput(RowMajor::from_flat(w.flat()))
    } else {
        Stored::ByOutput(RowMajor::from_flat(w.flat()))
    }
}

/// How `w` is stored, mutably; see [`stored`].
#[inline(always)]
#[must_use]
pub fn stored_mut<T, L: Layout, const IN: usize, const OUT: usize>(
    w: &mut L::Matrix<T, IN, OUT>,
) -> StoredMut<'_, T, IN, OUT> {
    if L::INPUT_MAJOR {
        StoredMut::ByInput(RowMajor::from_flat_mut(w.flat_mut()))
    } else {
        StoredMut::ByOutput(RowMajor::from_flat_mut(w.flat_mut()))
    }
}

#[cfg(test)]
mod tests {
    use super::{InputMajor, Layout, OutputMajor, Stored, stored};

    /// Each layout's storage type and its `INPUT_MAJOR` agree (a square
    /// matrix would otherwise be read transposed, silently).
    #[test]
    fn each_layout_is_stored_as_it_says() {
        let by_output: <OutputMajor as Layout>::Matrix<u8, 3, 2> = [[0, 1, 2], [3, 4, 5]];
        assert!(matches!(
            stored::<u8, OutputMajor, 3, 2>(&by_output),
            Stored::ByOutput(w) if w == &by_output
        ));
        let by_input: <InputMajor as Layout>::Matrix<u8, 3, 2> = [[0, 1], [2, 3], [4, 5]];
        assert!(matches!(
            stored::<u8, InputMajor, 3, 2>(&by_input),
            Stored::ByInput(w) if w == &by_input
        ));
    }
}
