//! Tests of the whole pipeline on token streams.

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

use crate::expand_tokens;

/// Expands and pretty-prints, or returns the error text.
fn expand(tokens: TokenStream) -> Result<String, String> {
    let input: crate::ast::NetworkInput = syn::parse2(tokens).map_err(|e| e.to_string())?;
    let out = crate::expand::network(&input).map_err(|e| e.to_string())?;
    let file: syn::File =
        syn::parse2(out).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

#[test]
fn seed_network_expands_to_straight_line_code() {
    let code = expand(quote! {
        pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
    })
    .unwrap();
    assert!(code.contains("pub struct SeedNet<T = f32>"), "{code}");
    assert!(code.contains("params: [T; 21]"));
    assert!(code.contains("pub struct SeedNetTrace<T = f32>"));
    // The first neuron of layer 1: bias at 4, weight at 0.
    assert!(code.contains("__p[4] + __p[0] * input[0]"), "{code}");
    // The error signal of layer 2's first neuron goes through the output weight at 18.
    assert!(code.contains("(__p[18] * __d3[0])"), "{code}");
    // Small layers have no loops and no runtime kernels.
    assert_eq!(count_loops(&code), 0, "{code}");
    assert!(!code.contains("dense_forward"));
}

/// The number of `for`, `while` and `loop` expressions in the bodies of
/// the generated forward and backward passes.
fn count_loops(code: &str) -> usize {
    use syn::visit::Visit;

    struct Loops(usize);
    impl<'ast> Visit<'ast> for Loops {
        fn visit_expr(&mut self, e: &'ast syn::Expr) {
            if matches!(
                e,
                syn::Expr::ForLoop(_) | syn::Expr::While(_) | syn::Expr::Loop(_)
            ) {
                self.0 += 1;
            }
            syn::visit::visit_expr(self, e);
        }
    }
    struct Passes(Loops, usize);
    impl<'ast> Visit<'ast> for Passes {
        fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
            if f.sig.ident == "forward_trace" || f.sig.ident == "accumulate_gradients" {
                self.1 += 1;
                self.0.visit_block(&f.block);
            }
        }
    }
    let mut passes = Passes(Loops(0), 0);
    passes.visit_file(&syn::parse_file(code).unwrap());
    assert!(passes.1 >= 2, "both passes found");
    passes.0.0
}

#[test]
fn large_layers_use_loops() {
    let code = expand(quote! { struct Wide: 16 => 32 ReLU => 32 ReLU => 4 Linear; }).unwrap();
    assert!(code.contains("dense_forward"), "{code}");
    assert!(code.contains("dense_accumulate"));
    assert!(code.contains("dense_input_gradient"));
}

#[test]
fn errors_become_compile_errors() {
    let out = expand_tokens(quote! { struct A: 1 => 2 Sigmod => 0 ReLU; }).to_string();
    assert_eq!(out.matches("compile_error").count(), 2, "{out}");
}

/// A tiny deterministic generator (SplitMix64), so the fuzz below needs no
/// dependency and fails the same way on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

fn random_token(rng: &mut Rng) -> TokenTree {
    match rng.below(10) {
        0 => Ident::new(
            [
                "ReLU", "Sigmoid", "Linear", "Tanh", "relu", "x", "struct", "pub",
            ][rng.below(8)],
            Span::call_site(),
        )
        .into(),
        1 => Literal::usize_unsuffixed(rng.below(5)).into(),
        2 => Literal::f64_unsuffixed(0.5).into(),
        3 => Literal::string("s").into(),
        4 => Punct::new(
            ['=', '>', ';', ':', ',', '#', '-', '!'][rng.below(8)],
            Spacing::Alone,
        )
        .into(),
        5 => Group::new(Delimiter::Parenthesis, quote!(0.2)).into(),
        6 => Group::new(Delimiter::Bracket, quote!(doc = "x")).into(),
        7 => Literal::u128_unsuffixed(u128::MAX).into(),
        8 => Group::new(Delimiter::Brace, TokenStream::new()).into(),
        _ => Ident::new("Net", Span::call_site()).into(),
    }
}

/// Deletes, duplicates, swaps or replaces a few tokens of `tokens`.
fn mutate(rng: &mut Rng, tokens: &[TokenTree]) -> Vec<TokenTree> {
    let mut t = tokens.to_vec();
    for _ in 0..=rng.below(3) {
        let len = t.len();
        match rng.below(5) {
            0 if len > 0 => {
                t.remove(rng.below(len));
            }
            1 if len > 0 => {
                let k = rng.below(len);
                let tok = t[k].clone();
                t.insert(k, tok);
            }
            2 if len > 1 => {
                let (a, b) = (rng.below(len), rng.below(len));
                t.swap(a, b);
            }
            3 if len > 0 => {
                let k = rng.below(len);
                t[k] = random_token(rng);
            }
            _ => {
                let k = rng.below(len + 1);
                t.insert(k, random_token(rng));
            }
        }
    }
    t
}

#[test]
fn never_panics_on_malformed_input() {
    let seeds = [
        quote! { pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear; },
        quote! { #[doc = "d"] struct A: 2 => 3 Tanh => 1 Sigmoid; pub(crate) struct B: 3 => 1 Linear; },
        quote! { struct C: 2 => 2 ReLU(0.2) => 1 Linear },
    ];
    let mut rng = Rng(0x5EED);
    let (mut rejected, mut accepted) = (0, 0);
    for round in 0..6000 {
        let seed: Vec<TokenTree> = seeds[round % seeds.len()].clone().into_iter().collect();
        let tokens: TokenStream = if round % 10 == 9 {
            (0..rng.below(12)).map(|_| random_token(&mut rng)).collect()
        } else {
            mutate(&mut rng, &seed).into_iter().collect()
        };
        let text = tokens.to_string();
        let result = catch_unwind(AssertUnwindSafe(|| expand(tokens.clone())));
        match result {
            Err(_) => panic!("the macro panicked on `{text}`"),
            Ok(Ok(_)) => accepted += 1,
            Ok(Err(message)) => {
                assert!(
                    !message.contains("generated code does not parse"),
                    "`{text}`: {message}"
                );
                assert!(!message.is_empty());
                rejected += 1;
            }
        }
    }
    assert!(
        rejected > 3000,
        "only {rejected} of 6000 mutants were rejected"
    );
    assert!(
        accepted > 50,
        "only {accepted} of 6000 mutants were accepted"
    );
}
