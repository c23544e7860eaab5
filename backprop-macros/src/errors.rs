//! Collects every error the checks find, so one compile reports them all.

use std::cell::RefCell;

use proc_macro2::Span;

/// An error accumulator in the manner of serde's `Ctxt`: checks push errors
/// and carry on, and [`Errors::finish`] folds them into one `syn::Error`.
#[derive(Default)]
pub struct Errors {
    errors: RefCell<Vec<syn::Error>>,
}

impl Errors {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `span`.
    pub fn error(&self, span: Span, message: impl std::fmt::Display) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new(span, message));
    }

    /// Records an error over the tokens of `tokens` (first to last).
    pub fn error_spanned(&self, tokens: impl quote::ToTokens, message: impl std::fmt::Display) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new_spanned(tokens, message));
    }

    /// `Ok` if nothing was recorded, else every error combined in the order
    /// they were found.
    pub fn finish(self) -> syn::Result<()> {
        let mut errors = self.errors.into_inner().into_iter();
        match errors.next() {
            None => Ok(()),
            Some(mut first) => {
                for e in errors {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }
}
