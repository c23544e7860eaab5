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
    assert!(!code.contains("dense::forward"));
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
    assert!(code.contains("dense::forward"), "{code}");
    assert!(code.contains("dense::accumulate"));
    assert!(code.contains("dense::input_gradient"));
}

#[test]
fn input_major_layers_index_weights_by_input() {
    let code = expand(quote! {
        #[layout(input_major)]
        struct N: 2 => 3 Linear;
    })
    .unwrap();
    // Neuron 0: bias at 6; weight (input 1 -> neuron 0) at 1 * 3 + 0.
    assert!(
        code.contains("__p[6] + __p[0] * input[0] + __p[3] * input[1]"),
        "{code}"
    );
    assert!(code.contains("-> &[[T; 3]; 2]"), "{code}");
    assert!(
        !code.lines().any(|l| l.trim_start().starts_with("#[layout")),
        "the attribute is consumed: {code}"
    );
    let code = expand(quote! {
        #[layout(input_major)]
        #[unroll(loops)]
        struct N: 2 => 3 Linear;
    })
    .unwrap();
    let tight: String = code.split_whitespace().collect();
    assert!(
        tight.contains("__private::dense::forward::<T,::backprop_core::__private::InputMajor,"),
        "{code}"
    );
}

#[test]
fn bad_layout_and_unroll_attributes_are_both_reported() {
    let out = expand_tokens(quote! {
        #[layout(rows)]
        #[unroll(some)]
        #[layout(input_major)]
        struct N: 1 => 1 Linear;
    })
    .to_string();
    assert_eq!(out.matches("compile_error").count(), 3, "{out}");
    assert!(out.contains("unknown weight layout `rows`"), "{out}");
    assert!(out.contains("duplicate `layout` attribute"), "{out}");
    assert!(out.contains("unknown unroll policy `some`"), "{out}");
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
    match rng.below(12) {
        0 => Ident::new(
            [
                "ReLU", "Sigmoid", "Linear", "Tanh", "relu", "x", "struct", "pub", "crate", "self",
                "super", "Softmax", "T", "f32", "derive", "cfg", "layout",
            ][rng.below(17)],
            Span::call_site(),
        )
        .into(),
        10 => Literal::f64_suffixed(1e39).into(),
        11 => Group::new(Delimiter::None, quote!(0.2)).into(),
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

/// How many mutated and random inputs the fuzz test feeds the macro.
const FUZZ_CASES: usize = 200_000;

/// The start and end of every span of an error, as (line, column) pairs.
fn error_spans(error: &syn::Error) -> Vec<((usize, usize), (usize, usize))> {
    error
        .clone()
        .into_iter()
        .map(|e| {
            let (s, t) = (e.span().start(), e.span().end());
            ((s.line, s.column), (t.line, t.column))
        })
        .collect()
}

/// The region of the source the tokens of `tokens` cover.
fn extent(tokens: &TokenStream) -> Option<((usize, usize), (usize, usize))> {
    let mut all = tokens.clone().into_iter();
    let first = all.next()?;
    let last = all.last().unwrap_or_else(|| first.clone());
    let (s, t) = (first.span().start(), last.span().end());
    Some(((s.line, s.column), (t.line, t.column)))
}

#[test]
fn never_panics_on_malformed_input() {
    let seeds: Vec<Vec<TokenTree>> = [
        "pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;",
        "#[doc = \"d\"] struct A: 2 => 3 Tanh => 1 Sigmoid; pub(crate) struct B: 3 => 1 Linear;",
        "struct C: 2 => 2 LeakyReLU(0.2) => 3 Softmax",
        "struct D: A => m::B => C;",
        "#[layout(input_major)] #[unroll(loops)] struct E: 3 => 2 ReLU => 1 Linear;",
        "struct F: crate::m::A => self::B => super::C; #[derive(Hash)] #[cfg(all())] struct G: 2 => 3 crate::acts::Swish(1.5, -2) => 1 Linear;",
        "struct H: 4 => 3 LeakyReLU(0.1f32) => 2u8 Linear; struct HTrace: 1 => 1 Linear; struct H: H => H;",
        "struct I: [3; 64] => Conv1d(16, kernel = 5, stride = 2, dilation = 2, padding = valid) ReLU => MaxPool1d(2) => AvgPool1d(3, stride = 1) => GlobalAvgPool1d => 4 Softmax;",
        "struct J: [2; 9] => Conv1d(4, kernel = 4, padding = same) => Flatten => 2 Tanh => 1 GRU;",
        "struct K: 3 => 5 LSTM => 4 ReLU => 2 GRU => 2 Linear; pub struct L: 1 => 8 Tanh => 16 GRU => 1 Linear;",
    ]
    .iter()
    .map(|text| text.parse::<TokenStream>().unwrap().into_iter().collect())
    .collect();
    let mut rng = Rng(0x5EED);
    let (mut rejected, mut accepted) = (0, 0);
    // Many mutants are the same text (swapping two equal tokens, say), and
    // the macro is deterministic: each distinct text is run once.
    let mut seen = std::collections::HashSet::new();
    for round in 0..FUZZ_CASES {
        let mutant: TokenStream = if round % 10 == 9 {
            (0..rng.below(12)).map(|_| random_token(&mut rng)).collect()
        } else {
            mutate(&mut rng, &seeds[round % seeds.len()])
                .into_iter()
                .collect()
        };
        // Re-lex the text so every token has a real position in it.
        let text = mutant.to_string();
        let Ok(tokens) = text.parse::<TokenStream>() else {
            continue;
        };
        if !seen.insert(text.clone()) {
            continue;
        }
        let region = extent(&tokens);
        let result = catch_unwind(AssertUnwindSafe(|| {
            syn::parse2::<crate::ast::NetworkInput>(tokens.clone())
                .and_then(|input| crate::expand::network(&input))
        }));
        match result {
            Err(_) => panic!("the macro panicked on `{text}`"),
            Ok(Ok(out)) => {
                if let Err(e) = syn::parse2::<syn::File>(out) {
                    panic!("`{text}` expanded to code that does not parse: {e}");
                }
                accepted += 1;
            }
            Ok(Err(error)) => {
                assert!(!error.to_string().is_empty(), "`{text}`: an empty message");
                if let Some((lo, hi)) = region {
                    for (start, end) in error_spans(&error) {
                        assert!(
                            lo <= start && end <= hi,
                            "`{text}`: error `{error}` at {start:?}..{end:?}, outside the input {lo:?}..{hi:?}"
                        );
                    }
                }
                rejected += 1;
            }
        }
    }
    eprintln!("fuzz: {rejected} distinct inputs rejected, {accepted} accepted");
    assert!(
        rejected > FUZZ_CASES / 4,
        "only {rejected} of {FUZZ_CASES} rejected"
    );
    assert!(accepted > 50, "only {accepted} of {FUZZ_CASES} accepted");
}

/// Compares the pretty-printed expansion of `input` with the committed
/// snapshot `tests/snapshots/{name}.expanded.rs`, so that a change to the
/// generated code shows up in review as a diff of that file. Run with
/// `UPDATE_EXPANSIONS=1` to rewrite the snapshots, then read the diff.
fn check_snapshot(name: &str, input: &str) {
    let tokens: TokenStream = input.parse().unwrap();
    let code = expand(tokens).unwrap();
    let text = format!(
        "// Expansion of `network! {{ {input} }}`.\n// Refresh with `UPDATE_EXPANSIONS=1 cargo test -p backprop-macros snapshot`.\n\n{code}"
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.expanded.rs"));
    if std::env::var_os("UPDATE_EXPANSIONS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_EXPANSIONS=1", path.display()));
    assert!(
        committed == text,
        "the expansion of `{input}` changed; run with UPDATE_EXPANSIONS=1 and review the diff of {}",
        path.display()
    );
}

#[test]
fn snapshot_seed_network() {
    check_snapshot(
        "seed_net",
        "pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;",
    );
}

#[test]
fn snapshot_classifier_and_chain() {
    check_snapshot(
        "classifier_chain",
        "struct Features: 2 => 3 LeakyReLU(0.2); struct Head: 3 => 3 Softmax; struct Classifier: Features => Head;",
    );
}

#[test]
fn snapshot_recurrent_network() {
    check_snapshot(
        "recurrent",
        "pub struct Amp: 1 => 4 GRU => 2 Tanh => 1 Linear;",
    );
}

#[test]
fn the_default_policy_writes_out_the_smallest_layers_within_a_budget() {
    use crate::model::{UNROLL_BUDGET, UNROLL_LIMIT, Unroll};
    // 16 => 16 (x8) => 1: eight layers of 256 weights, then one of 16.
    // Smallest first: 16, then 256 (272 in all); a second 256 would make
    // 528 > 512.
    let mut deep = vec![256; 8];
    deep.push(16);
    let want = [true, false, false, false, false, false, false, false, true];
    assert_eq!(Unroll::Default.unrolls(&deep), want);
    assert_eq!(UNROLL_BUDGET, 512);
    // The per-layer limit still holds, and a layer over it costs no budget.
    assert_eq!(
        Unroll::Default.unrolls(&[UNROLL_LIMIT + 1, 200, 100]),
        [false, true, true]
    );
    // Exactly the budget is allowed: two layers of 256.
    assert_eq!(Unroll::Default.unrolls(&[256; 2]), [true; 2]);
    assert_eq!(
        Unroll::Default.unrolls(&[64, 256, 128, 128]),
        [true, false, true, true]
    );
    // The attributes override the budget both ways.
    assert_eq!(Unroll::Full.unrolls(&deep), [true; 9]);
    assert_eq!(Unroll::Loops.unrolls(&[4, 4]), [false; 2]);

    let code = expand(quote! {
        struct Deep: 16 => 16 ReLU => 16 ReLU => 1 Linear;
    })
    .unwrap();
    assert!(
        code.contains("dense::forward"),
        "16 + 256 + 256 > 512: one 256 takes loops"
    );
    let code = expand(quote! { struct Two: 16 => 16 ReLU => 16 ReLU; }).unwrap();
    assert!(
        !code.contains("dense::forward"),
        "two of 256 are written out"
    );
}
