//! Windows as the [`Network`](crate::Network) trait takes them: flat.
//!
//! A network declared with a window input `[C; LEN]` takes
//! `[[T; C]; LEN]` samples in its inherent methods, and the same values as
//! one flat array `[T; C * LEN]`, time-major (channel `c` of step `t` at
//! `t * C + c`), through the [`Network`](crate::Network) trait, which
//! generic code and [`Fit`](crate::fit::Fit) use. These views convert
//! between the two without copying.
//!
//! ```
//! use backprop_core::{network, window, Network};
//!
//! network! { struct Net: [2; 3] => Conv1d(1, kernel = 2) => Flatten => 1 Linear; }
//!
//! let net = Net::<f64>::with_seed(1);
//! let windows = [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]; 4];
//! let flat: &[f64; 6] = window::as_flat(&windows[0]);
//! assert_eq!(flat, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
//! // The trait's forward on the flat values is the inherent one on the window.
//! assert_eq!(Network::forward(&net, flat), net.forward(&windows[0]));
//! assert_eq!(window::as_flat_all::<_, 2, 3, 6>(&windows).len(), 4);
//! ```

/// A window `[[T; C]; LEN]` as the flat time-major `[T; N]`, `N = C * LEN`
/// (checked at compile time).
#[inline(always)]
#[must_use]
pub fn as_flat<T, const C: usize, const LEN: usize, const N: usize>(
    window: &[[T; C]; LEN],
) -> &[T; N] {
    crate::__private::signal::flat(window)
}

/// Windows as flat time-major samples, `N = C * LEN` (checked at compile
/// time): what `Fit::new` and generic code over
/// [`Network`](crate::Network) take.
#[inline(always)]
#[must_use]
pub fn as_flat_all<T, const C: usize, const LEN: usize, const N: usize>(
    windows: &[[[T; C]; LEN]],
) -> &[[T; N]] {
    crate::__private::signal::flat_all(windows)
}

/// A flat time-major sample as the window `[[T; C]; LEN]` it holds,
/// `N = C * LEN` (checked at compile time).
#[inline(always)]
#[must_use]
pub fn as_window<T, const C: usize, const LEN: usize, const N: usize>(
    flat: &[T; N],
) -> &[[T; C]; LEN] {
    crate::__private::signal::window(flat)
}
