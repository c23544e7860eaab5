//! How a weight matrix is stored in the flat parameters: the [`Layout`]
//! trait and its two layouts, [`OutputMajor`] (`[out][in]`, the default,
//! PyTorch's order) and [`InputMajor`] (`[in][out]`,
//! `#[layout(input_major)]`).
//!
//! A matrix here maps `IN` inputs to `OUT` outputs (`y = W x`), and its
//! `IN * OUT` values lie at some offset of a parameter array, row after row:
//! a row per output, or a row per input. A layout is a zero-sized type that
//! names the storage's type, [`Layout::Matrix`], and shows a matrix as
//! [`Stored`], which a kernel matches on to pick the loop that reads that
//! storage contiguously (see `matrix.rs`); it also names the other layout,
//! in which the same storage is the transposed matrix. Everything else is
//! written once, for both. A layout is a type, so each monomorphised kernel
//! keeps one arm of its match.
//!
//! The kernels know nothing of layers: a dense layer is one matrix and its
//! biases, and a layer with several matrices (a recurrent cell's), or one
//! whose input is a window of a longer signal, views each matrix at its own
//! offset and calls the same kernels on it.

/// A matrix stored row after row as `[[T; COLS]; ROWS]`, which either
/// layout's [`Layout::Matrix`] is: the views of flat values that every
/// layout shares.
pub trait RowMajor<T> {
    /// The first `ROWS * COLS` values of `flat`, as rows. Callers check the
    /// length at compile time (a shorter slice would panic).
    fn from_flat(flat: &[T]) -> &Self;
    /// [`RowMajor::from_flat`], mutably.
    fn from_flat_mut(flat: &mut [T]) -> &mut Self;
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
}

mod sealed {
    /// Only the layouts of this module are layouts.
    pub trait Sealed {}
}

/// How a matrix from `IN` inputs to `OUT` outputs is stored: a row per
/// output ([`OutputMajor`]) or a row per input ([`InputMajor`]). Sealed:
/// the kernels match on [`Stored`], which has an arm for each of the two.
pub trait Layout: sealed::Sealed {
    /// The storage: `[[T; IN]; OUT]` or `[[T; OUT]; IN]`.
    type Matrix<T, const IN: usize, const OUT: usize>: RowMajor<T>;
    /// `w`, as it is stored.
    fn stored<T, const IN: usize, const OUT: usize>(
        w: &Self::Matrix<T, IN, OUT>,
    ) -> Stored<'_, T, IN, OUT>;
    /// `w`, as it is stored, mutably.
    fn stored_mut<T, const IN: usize, const OUT: usize>(
        w: &mut Self::Matrix<T, IN, OUT>,
    ) -> StoredMut<'_, T, IN, OUT>;
    /// The other layout: a row per output of a matrix is a row per input of
    /// its transpose, so the same storage holds `W` in this layout and
    /// `W^T` in that one.
    type Transposed: Layout;
    /// `w`'s values as its transpose, from `OUT` inputs to `IN` outputs, in
    /// [`Layout::Transposed`]: the same reference.
    fn transposed<T, const IN: usize, const OUT: usize>(
        w: &Self::Matrix<T, IN, OUT>,
    ) -> &<Self::Transposed as Layout>::Matrix<T, OUT, IN>;
}

/// Defines each layout from its storage type, its arm of [`Stored`] and
/// the other layout: the two differ in nothing else. The compiler checks
/// the three against each other (the arm takes only its storage type, and
/// the transpose's storage must be the same type).
macro_rules! layouts {
    ($($(#[$doc:meta])* $layout:ident: $storage:ty, $arm:ident, $transposed:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
        pub struct $layout;

        impl sealed::Sealed for $layout {}

        impl Layout for $layout {
            type Matrix<T, const IN: usize, const OUT: usize> = $storage;

            #[inline(always)]
            fn stored<T, const IN: usize, const OUT: usize>(
                w: &Self::Matrix<T, IN, OUT>,
            ) -> Stored<'_, T, IN, OUT> {
                Stored::$arm(w)
            }

            #[inline(always)]
            fn stored_mut<T, const IN: usize, const OUT: usize>(
                w: &mut Self::Matrix<T, IN, OUT>,
            ) -> StoredMut<'_, T, IN, OUT> {
                StoredMut::$arm(w)
            }

            type Transposed = $transposed;

            #[inline(always)]
            fn transposed<T, const IN: usize, const OUT: usize>(
                w: &Self::Matrix<T, IN, OUT>,
            ) -> &<$transposed as Layout>::Matrix<T, OUT, IN> {
                w
            }
        }
    )*};
}

layouts! {
    /// Weights stored `[out][in]`: row `o` holds the weights into output
    /// `o`, the input index running fastest (the default, PyTorch's order).
    OutputMajor: [[T; IN]; OUT], ByOutput, InputMajor;
    /// Weights stored `[in][out]`: row `i` holds the weights from input
    /// `i`, the output index running fastest (`#[layout(input_major)]`).
    InputMajor: [[T; OUT]; IN], ByInput, OutputMajor;
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
