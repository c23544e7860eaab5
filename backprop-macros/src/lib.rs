//! Implementation detail of the `backprop-core` crate: the `network!`
//! procedural macro. Depend on `backprop-core`, which re-exports it and
//! documents it.
//!
//! The macro runs in four stages, each a plain function over `proc_macro2`
//! types so it can be tested without a compiler: syntax (`ast`), a typed
//! model read while every mistake goes into one collector (`model`,
//! `activation`, `errors`), checks over that model (`check`), and expansion
//! (`expand`, whose `items` module emits what networks and chains share).

/// `quote!` with every token spanned at `Span::mixed_site()`: the generated
/// code's own names stay out of reach of the user's, and lints treat the
/// code as the macro's rather than the user's.
macro_rules! mixed {
    ($($tokens:tt)*) => {
        ::quote::quote_spanned!(::proc_macro2::Span::mixed_site()=> $($tokens)*)
    };
}

mod activation;
mod ast;
mod check;
mod errors;
mod expand;
mod layer;
mod model;

#[cfg(test)]
mod tests;

/// (The macro is implemented in the `backprop-macros` crate; depend on
/// `backprop-core`, which re-exports it.)
#[proc_macro]
pub fn network(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand_tokens(input.into()).into()
}

/// The whole pipeline on `proc_macro2` tokens; a rejection becomes
/// `compile_error!` invocations at the offending tokens.
fn expand_tokens(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    syn::parse2::<ast::NetworkInput>(input)
        .and_then(|input| expand::network(&input))
        .unwrap_or_else(syn::Error::into_compile_error)
}
