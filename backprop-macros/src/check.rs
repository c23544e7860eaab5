//! The rules a definition must follow, one `check_*` function each, over the
//! typed model (`model.rs`): no check reads tokens.
//!
//! Every check records its errors and carries on, so a spec with several
//! mistakes gets all of them reported in one compile.

use std::collections::HashMap;

use crate::activation;
use crate::errors::Errors;
use crate::model::{
    ChainDef, FULL_UNROLL_LIMIT, Item, Model, NetworkDef, Signal, UNROLL_LIMIT, Unroll, Written,
};

/// The most parameters one network may have: four times this many bytes of
/// `f32` is 1 GiB, already more than a fixed-size array on the stack can hold.
pub const MAX_PARAMS: usize = 1 << 28;

/// Runs every check on every definition of the invocation.
pub fn model(errors: &Errors, model: &Model) {
    check_names(errors, model);
    check_chain_cycles(errors, model);
    for item in &model.items {
        check_name(errors, item);
        if let Item::Network(def) = item {
            network(errors, def);
        }
    }
}

/// Runs every check on one network of layers.
fn network(errors: &Errors, def: &NetworkDef) {
    check_has_layers(errors, def);
    check_input_has_no_activation(errors, def);
    check_layers_have_activations(errors, def);
    check_softmax_placement(errors, def);
    // The shapes through window inputs and signal layers; any mismatch is
    // reported here, at the layer that does not fit.
    let _ = def.shapes(Some(errors));
    check_parameter_count(errors, def);
    check_full_unroll_size(errors, def);
}

/// The generic parameters the generated items declare: a network named
/// like one would be shadowed by it inside its own impls.
const GENERIC_PARAMETERS: [&str; 5] = ["L", "O", "PO", "INPUT_GRAD", "ACCUMULATE"];

/// The primitive types the generated code names (and the rest, which a
/// struct should not shadow either).
const PRIMITIVES: [&str; 17] = [
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

/// A name the generated code would confuse with one of its own: the
/// scalar parameter `T`, the other generic parameters, a primitive type.
fn check_name(errors: &Errors, item: &Item) {
    let name = &item.header().name;
    let text = name.to_string();
    if name == "T" {
        errors.error(
            name.span(),
            "a network cannot be named `T`: the generated struct is `T<T = f32>`, generic over its scalar type `T`; choose another name",
        );
    } else if GENERIC_PARAMETERS.contains(&text.as_str()) {
        errors.error(
            name.span(),
            format_args!(
                "a network cannot be named `{text}`: the generated methods have a generic \
                 parameter `{text}` (for example `train_step<L: Loss<T>, O: Optimizer<T, PO>>`), \
                 which would hide the network inside its own impls; choose another name"
            ),
        );
    } else if PRIMITIVES.contains(&text.as_str()) {
        errors.error(
            name.span(),
            format_args!(
                "a network cannot be named `{text}`, the name of a primitive type: the \
                 generated code uses the primitive `{text}` (or may), and a struct of that \
                 name would shadow it; choose another name"
            ),
        );
    }
}

/// Each definition declares `Name` and `NameTrace`: no two definitions of
/// one invocation may declare the same item.
fn check_names(errors: &Errors, model: &Model) {
    let mut declared: HashMap<String, &syn::Ident> = HashMap::new();
    for item in &model.items {
        let name = &item.header().name;
        let trace = format!("{name}Trace");
        for (declares, what) in [(name.to_string(), "the network"), (trace, "its trace type")] {
            if let Some(first) = declared.get(&declares) {
                let earlier = if *first == declares.as_str() {
                    format!("the network `{declares}` declared before")
                } else {
                    format!("the trace type `{declares}` of the network `{first}` declared before")
                };
                errors.error(
                    name.span(),
                    format_args!(
                        "`{name}` declares {what} `{declares}`, which clashes with {earlier}: \
                         every network declares its name and its name followed by `Trace`; \
                         rename one"
                    ),
                );
                break;
            }
        }
        declared.entry(name.to_string()).or_insert(name);
        declared.entry(format!("{name}Trace")).or_insert(name);
    }
}

/// A chain cannot contain itself, directly or through other chains of the
/// same invocation: its parameters would be infinitely many.
fn check_chain_cycles(errors: &Errors, model: &Model) {
    let chains: HashMap<String, &ChainDef> = model
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Chain(c) => Some((c.header.name.to_string(), c)),
            Item::Network(_) => None,
        })
        .collect();
    let local = |path: &syn::Path| -> Option<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match segments.as_slice() {
            [only] if path.leading_colon.is_none() => Some(only.clone()),
            [first, only] if first == "self" => Some(only.clone()),
            _ => None,
        }
    };
    // In the order written, so the errors come in a stable order.
    for chain in model.items.iter().filter_map(|item| match item {
        Item::Chain(c) => Some(c),
        Item::Network(_) => None,
    }) {
        let start = chain.header.name.to_string();
        for (path, _) in &chain.parts {
            // Walk from this part; a way back to `start` is a cycle.
            let mut stack: Vec<String> = local(path).into_iter().collect();
            let mut seen: Vec<String> = Vec::new();
            let mut cycle = false;
            while let Some(name) = stack.pop() {
                if name == start {
                    cycle = true;
                    break;
                }
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name.clone());
                if let Some(next) = chains.get(&name) {
                    stack.extend(next.parts.iter().filter_map(|(p, _)| local(p)));
                }
            }
            if cycle {
                let via = local(path).unwrap_or_default();
                let how = if via == start {
                    "itself".to_owned()
                } else {
                    format!("`{via}`, which contains `{start}`")
                };
                errors.error_spanned(
                    path,
                    format_args!(
                        "the chain `{start}` contains {how}: a chain's parts must be networks \
                         declared apart from it, or it would hold infinitely many parameters"
                    ),
                );
                break;
            }
        }
    }
}

/// The input width alone describes no computation: there must be a layer.
fn check_has_layers(errors: &Errors, def: &NetworkDef) {
    if let [only] = def.layers.as_slice() {
        let width = only.width.map_or_else(|| "N".to_owned(), |w| w.to_string());
        errors.error(
            only.span,
            format_args!(
                "`{}` has an input width but no layers: add at least one, as in `{width} => 1 Linear`",
                def.header.name
            ),
        );
    }
}

/// The first number is the width of the input vector, which nothing
/// activates; an activation there is almost always a layer written one step
/// too early.
fn check_input_has_no_activation(errors: &Errors, def: &NetworkDef) {
    let Some(input) = def.layers.first() else {
        return;
    };
    if let Some(Signal::Recurrent { lstm }) = input.signal {
        let width = input
            .width
            .map_or_else(|| "N".to_owned(), |w| w.to_string());
        let name = if lstm { "LSTM" } else { "GRU" };
        errors.error(
            input.span,
            format_args!(
                "the input width takes no layer: `{width}` is the size of one time step's \
                 input, and `{width} {name}` belongs after `=>`, e.g. `1 => {width} {name} => 1 \
                 Linear`"
            ),
        );
    }
    if let Written::Valid(activation) = &input.activation {
        let width = input
            .width
            .map_or_else(|| "N".to_owned(), |w| w.to_string());
        errors.error(
            activation.span,
            format_args!(
                "the input width takes no activation: `{width}` is the size of the input vector, \
                 and `{}` belongs to a layer after `=>`",
                activation.spelling()
            ),
        );
    }
}

/// Every layer after the input names its activation; `Linear` is spelled out
/// rather than implied, so a forgotten activation never passes silently.
fn check_layers_have_activations(errors: &Errors, def: &NetworkDef) {
    for layer in def.layers.iter().skip(1) {
        // A signal layer's activation is optional (`Conv1d`) or not allowed.
        if matches!(layer.activation, Written::Absent) && layer.signal.is_none() {
            let width = layer
                .width
                .map_or_else(|| "N".to_owned(), |w| w.to_string());
            errors.error(
                layer.span,
                format_args!(
                    "layer of width {width} has no activation: write one after the width, \
                     for example `{width} ReLU` (use `Linear` for none), expected {}",
                    activation::known_list()
                ),
            );
        }
    }
}

/// Softmax turns a whole layer into probabilities that sum to 1. That is
/// what a classifier's output needs, and what a hidden layer does not (its
/// neurons would compete for one unit of mass); and over one output it is
/// the constant 1, which nothing can learn from.
fn check_softmax_placement(errors: &Errors, def: &NetworkDef) {
    let last = def.layers.len().saturating_sub(1);
    for (index, layer) in def.layers.iter().enumerate().skip(1) {
        let Written::Valid(activation) = &layer.activation else {
            continue;
        };
        if !activation.is_softmax() {
            continue;
        }
        if index != last {
            errors.error(
                activation.span,
                "`Softmax` can only be the last layer's activation: it turns the outputs into \
                 probabilities that sum to 1; hidden layers take an element-wise activation \
                 such as `ReLU`, `Tanh` or `Linear`",
            );
        } else if layer.width == Some(1) {
            errors.error(
                activation.span,
                "`Softmax` over a single output is always 1, whatever the input, so the network \
                 cannot learn; use `Sigmoid` for one probability, or give the layer one output \
                 per class",
            );
        }
    }
}

/// The parameter count is an array length; keep it (and every offset into
/// it) well inside `usize`.
fn check_parameter_count(errors: &Errors, def: &NetworkDef) {
    let Some(shapes) = def.shapes(None) else {
        return;
    };
    if def.params(&shapes).is_none_or(|t| t > MAX_PARAMS) {
        let name = &def.header.name;
        errors.error(
            name.span(),
            format_args!(
                "`{name}` has more than {MAX_PARAMS} parameters, more than a fixed-size array can hold"
            ),
        );
    }
}

/// Straight-line code's compile cost grows much faster than its size, so
/// `#[unroll(full)]` is bounded per layer.
fn check_full_unroll_size(errors: &Errors, def: &NetworkDef) {
    if def.unroll != Unroll::Full {
        return;
    }
    let Some(shapes) = def.shapes(None) else {
        return;
    };
    for (number, pair) in def.layers.windows(2).enumerate() {
        // Signal and recurrent layers are never written out.
        let (inputs, Some(outputs)) = (shapes[number].size(), pair[1].width) else {
            continue;
        };
        if pair[1].signal.is_some() {
            continue;
        }
        let weights = inputs.saturating_mul(outputs);
        if weights > FULL_UNROLL_LIMIT {
            errors.error(
                pair[1].span,
                format_args!(
                    "layer {} has {weights} weights ({inputs} x {outputs}), too many to write out as \
                     straight-line code: `#[unroll(full)]` allows at most {FULL_UNROLL_LIMIT} \
                     per layer, because compile time and memory grow steeply beyond that; \
                     remove `#[unroll(full)]` (layers over {UNROLL_LIMIT} weights then use \
                     loops that compute the same bits) or write `#[unroll(loops)]`",
                    number + 1
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::ast::NetworkInput;
    use crate::errors::Errors;
    use crate::model::Model;

    fn check(tokens: TokenStream) -> Result<(), Vec<String>> {
        let input: NetworkInput = syn::parse2(tokens).expect("parses");
        let errors = Errors::new();
        let model = Model::lower(&input, &errors);
        super::model(&errors, &model);
        errors
            .finish()
            .map_err(|e| e.into_iter().map(|e| e.to_string()).collect())
    }

    fn one_error(tokens: TokenStream) -> String {
        let errors = check(tokens).expect_err("expected a check error");
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.into_iter().next().unwrap()
    }

    #[test]
    fn accepts_valid_specs() {
        check(quote! { struct A: 1 => 4 ReLU => 2 Sigmoid => 1 Linear; }).unwrap();
        check(quote! { struct A: 3 => 1 Tanh; struct B: 1 => 1 Linear; }).unwrap();
    }

    #[test]
    fn zero_width() {
        assert_eq!(
            one_error(quote! { struct A: 1 => 0 ReLU => 1 Linear; }),
            "layer width must be at least 1"
        );
        assert!(one_error(quote! { struct A: 0 => 1 Linear; }).contains("at least 1"));
    }

    #[test]
    fn huge_widths() {
        assert!(
            one_error(quote! { struct A: 1 => 99999999999999999999999 ReLU; })
                .contains("not a whole number")
        );
        assert!(one_error(quote! { struct A: 1 => 2000000 ReLU; }).contains("maximum"));
        assert!(one_error(quote! { struct A: 1 => -2 ReLU; }).contains("not a whole number"));
        assert!(one_error(quote! { struct A: 1000000 => 1000000 ReLU; }).contains("parameters"));
    }

    #[test]
    fn input_only() {
        assert!(one_error(quote! { struct A: 3; }).contains("no layers"));
    }

    #[test]
    fn activation_on_input() {
        assert!(
            one_error(quote! { struct A: 1 ReLU => 1 Linear; })
                .contains("input width takes no activation")
        );
    }

    #[test]
    fn missing_activation() {
        let e = one_error(quote! { struct A: 1 => 4 => 1 Linear; });
        assert!(e.starts_with("layer of width 4 has no activation"), "{e}");
    }

    #[test]
    fn unknown_activation_with_suggestion() {
        assert_eq!(
            one_error(quote! { struct A: 1 => 2 Sigmod; }),
            "unknown activation `Sigmod`, expected `Linear`, `ReLU`, `Sigmoid`, `Tanh`, \
             `LeakyReLU`, `SiLU`, `GELU`, `ELU`, `Softplus`, `ReLU6`, `Hardtanh` or `Softmax`; \
             did you mean `Sigmoid`?"
        );
        assert!(one_error(quote! { struct A: 1 => 2 Gelu; }).ends_with("did you mean `GELU`?"));
        assert!(one_error(quote! { struct A: 1 => 2 Relu6; }).ends_with("did you mean `ReLU6`?"));
        assert!(one_error(quote! { struct A: 1 => 2 relu; }).ends_with("did you mean `ReLU`?"));
        assert!(one_error(quote! { struct A: 1 => 2 Swish; }).ends_with(
            "`Softmax`; your own activation is named by its path, as in `crate::Swish`"
        ));
    }

    #[test]
    fn variants_and_parameters_of_the_new_activations() {
        check(quote! {
            struct A: 1 => 2 GELU => 2 GELU(tanh) => 2 ELU => 2 ELU(0.5) => 2 SiLU => 1 Linear;
        })
        .unwrap();
        let e = one_error(quote! { struct A: 1 => 2 GELU(fast); });
        assert_eq!(
            e,
            "`GELU` takes no arguments, found `(fast)`; expected `GELU` or `GELU(tanh)`"
        );
        let e = one_error(quote! { struct A: 1 => 2 ELU(0.5, 2); });
        assert!(
            e.starts_with("`ELU` takes one number, its `alpha`, as in `ELU(1.0)`"),
            "{e}"
        );
        let e = one_error(quote! { struct A: 1 => 2 Softplus(2); });
        assert_eq!(e, "`Softplus` takes no arguments, found `(2)`");
    }

    #[test]
    fn arguments_to_plain_activation() {
        assert_eq!(
            one_error(quote! { struct A: 1 => 2 ReLU(0.2); }),
            "`ReLU` takes no arguments, found `(0.2)`"
        );
    }

    #[test]
    fn leaky_relu_takes_one_number() {
        check(quote! { struct A: 1 => 2 LeakyReLU => 1 Linear; }).unwrap();
        check(quote! { struct A: 1 => 2 LeakyReLU(0.2) => 1 Linear; }).unwrap();
        check(quote! { struct A: 1 => 2 LeakyReLU(-1) => 1 Linear; }).unwrap();
        assert!(
            one_error(quote! { struct A: 1 => 2 LeakyReLU(x) => 1 Linear; })
                .contains("takes one number")
        );
        assert!(
            one_error(quote! { struct A: 1 => 2 LeakyReLU(0.1, 0.2); })
                .contains("takes one number")
        );
    }

    #[test]
    fn softmax_only_last_and_wide() {
        check(quote! { struct A: 2 => 4 ReLU => 3 Softmax; }).unwrap();
        assert!(
            one_error(quote! { struct A: 2 => 4 Softmax => 3 Linear; })
                .contains("only be the last")
        );
        assert!(one_error(quote! { struct A: 2 => 1 Softmax; }).contains("single output"));
    }

    #[test]
    fn reports_every_mistake_at_once() {
        let errors = check(quote! { struct A: 1 => 4 Relu => 0 Sigmod => 1; }).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    #[test]
    fn attribute_and_layer_mistakes_come_together() {
        let errors = check(quote! {
            #[layout(row_major)]
            #[unroll(some)]
            struct A: 1 => 4 Relu => 1 Linear;
            #[derive(Hash, Clone)]
            struct B: 1 => 1 Linear;
        })
        .unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(
            errors[0].starts_with("unknown unroll policy `some`"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("unknown weight layout `row_major`"),
            "{errors:?}"
        );
        assert!(
            errors[2].starts_with("unknown activation `Relu`"),
            "{errors:?}"
        );
        assert!(
            errors[3].starts_with("`network!` already implements `Clone` for `B`"),
            "{errors:?}"
        );
    }

    #[test]
    fn chain_attributes_and_cycles() {
        let e = one_error(quote! { #[layout(input_major)] struct C: A => B; });
        assert!(
            e.starts_with("`#[layout(..)]` applies to a network of layers"),
            "{e}"
        );
        let e = one_error(quote! { #[unroll(full)] struct C: A => B; });
        assert!(e.starts_with("`#[unroll(..)]` applies"), "{e}");
        let e = one_error(quote! { struct A: A => A; });
        assert!(e.starts_with("the chain `A` contains itself"), "{e}");
        let errors = check(quote! { struct A: X => B; struct B: A => X; }).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("the chain `A` contains `B`, which contains `A`"))
        );
        check(quote! { struct A: 1 => 1 Linear; struct B: A => A; struct C: B => self::A; })
            .unwrap();
    }

    #[test]
    fn names_that_clash() {
        let e = one_error(quote! { struct Net: 1 => 1 Linear; struct NetTrace: 1 => 1 Linear; });
        assert!(
            e.contains("clashes with the trace type `NetTrace` of the network `Net`"),
            "{e}"
        );
        let e = one_error(quote! { struct A: 1 => 1 Linear; struct A: 2 => 1 Linear; });
        assert!(
            e.contains("clashes with the network `A` declared before"),
            "{e}"
        );
    }

    #[test]
    fn literal_suffixes_and_unrepresentable_arguments() {
        assert!(
            one_error(quote! { struct A: 4f32 => 1 Linear; }).contains("without the `f32` suffix")
        );
        assert!(
            one_error(quote! { struct A: 1 => 300u8 Linear; }).contains("without the `u8` suffix")
        );
        let e = one_error(quote! { struct A: 1 => 2 LeakyReLU(0.1f32); });
        assert!(e.contains("without the `f32` suffix"), "{e}");
        let e = one_error(quote! { struct A: 1 => 2 LeakyReLU(1e39); });
        assert!(e.contains("too large for `f32`"), "{e}");
        check(quote! { struct A: 1 => 2 LeakyReLU(3e38) => 1 Linear; }).unwrap();
    }

    #[test]
    fn users_activations_by_path() {
        check(quote! {
            struct A: 1 => 2 crate::acts::Swish => 2 self::Scaled(0.5) => 1 ::other::Id;
        })
        .unwrap();
        let e = one_error(quote! { struct A: 1 => 2 crate::Scaled(x); });
        assert!(e.contains("takes numbers, found `x`"), "{e}");
    }

    #[test]
    fn arguments_from_macro_rules_fragments() {
        // `$slope:expr` arrives wrapped in an invisible group.
        let slope = proc_macro2::Group::new(proc_macro2::Delimiter::None, quote!(0.2));
        check(quote! { struct A: 1 => 2 LeakyReLU(#slope) => 1 Linear; }).unwrap();
    }

    #[test]
    fn names_the_generated_code_uses() {
        for name in ["f32", "f64", "u8", "usize", "bool", "str"] {
            let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
            let e = one_error(quote! { struct #name: 1 => 1 Linear; });
            assert!(e.contains("the name of a primitive type"), "{e}");
        }
        for name in ["O", "L", "PO"] {
            let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
            let e = one_error(quote! { struct #name: A => B; });
            assert!(e.contains("generic parameter"), "{e}");
        }
        check(quote! { struct Ol: 1 => 1 Linear; struct F32Net: 1 => 1 Linear; }).unwrap();
    }

    #[test]
    fn accepts_signal_networks() {
        check(quote! {
            struct G: [3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2)
                => Conv1d(16, kernel = 3, stride = 2, dilation = 2, padding = valid) ReLU
                => AvgPool1d(3, stride = 1) => GlobalAvgPool1d => 4 Softmax;
            struct F: [1; 8] => Conv1d(2, kernel = 8) => Flatten => 1 Linear;
            struct S: [1; 2] => Conv1d(2, kernel = 5, padding = same) Tanh => Flatten => 1 Linear;
        })
        .unwrap();
    }

    /// Every shape mistake is one error that names the shapes.
    #[test]
    fn signal_shape_mistakes() {
        let cases = [
            (
                quote! { struct A: [3; 8] => 4 ReLU => 1 Linear; },
                "a dense layer needs a vector, but the layer before gives a window of 8 steps x 3 channels (`[3; 8]`): put `Flatten`",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 9) => Flatten => 1 Linear; },
                "a kernel of 9 taps spans 9 steps, longer than what the layer before gives: a window of 8 steps x 3 channels (`[3; 8]`); make the kernel shorter",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3, dilation = 4) => Flatten => 1 Linear; },
                "a kernel of 3 taps with dilation 4 spans 9 steps",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3) => MaxPool1d(7) => Flatten => 1 Linear; },
                "a pooling window of 7 steps is longer than what the layer before gives: a window of 6 steps x 2 channels (`[2; 6]`)",
            ),
            (
                quote! { struct A: [3; 8] => Flatten => Conv1d(2, kernel = 3) => 1 Linear; },
                "`Conv1d` needs a window, but the layer before gives a vector of 24 values",
            ),
            (
                quote! { struct A: 4 => MaxPool1d(2) => 1 Linear; },
                "`pooling` needs a window, but the layer before gives a vector of 4 values",
            ),
            (
                quote! { struct A: [3; 8] => GlobalAvgPool1d => Flatten => 1 Linear; },
                "`Flatten` needs a window, but the layer before gives a vector of 3 values: the values are a vector already",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3) ReLU; },
                "a network ends with a dense layer",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3, stride = 0) => Flatten => 1 Linear; },
                "the stride must be at least 1",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3, dilation = 0) => Flatten => 1 Linear; },
                "the dilation must be at least 1",
            ),
            (
                quote! { struct A: [3; 8] => MaxPool1d(2, stride = 0) => Flatten => 1 Linear; },
                "the stride must be at least 1",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3, stride = 2, padding = same) => Flatten => 1 Linear; },
                "`padding = same` needs stride 1",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2) => Flatten => 1 Linear; },
                "`Conv1d` needs its kernel size",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(kernel = 3) => Flatten => 1 Linear; },
                "`Conv1d` needs its output channels first",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3, groups = 2) => Flatten => 1 Linear; },
                "`Conv1d` has no option `groups`",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3, kernel = 2) => Flatten => 1 Linear; },
                "`kernel` is given twice",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3, padding = 1) => Flatten => 1 Linear; },
                "the padding is `valid`",
            ),
            (
                quote! { struct A: [3; 8] => MaxPool1d(2) ReLU => Flatten => 1 Linear; },
                "`MaxPool1d` takes no activation",
            ),
            (
                quote! { struct A: [3; 8] => Flatten(1) => 1 Linear; },
                "`Flatten` takes no arguments",
            ),
            (
                quote! { struct A: [0; 8] => Flatten => 1 Linear; },
                "layer width must be at least 1",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(2, kernel = 3) Softmax => Flatten => 1 Linear; },
                "`Softmax` can only be the last layer's activation",
            ),
            (
                quote! { struct A: 1 => 16 GRU; },
                "a network ends with a dense layer",
            ),
            (
                quote! { struct A: [3; 8] => Flatten => 16 LSTM => 1 Linear; },
                "a recurrent network's input is one step's values",
            ),
            (
                quote! { struct A: [3; 8] => Conv1d(4, kernel = 3) => 16 GRU => 1 Linear; },
                "this network's input is a window `[3; 8]`",
            ),
            (
                quote! { struct A: 1 => 16 GRU(2) => 1 Linear; },
                "`GRU` takes no arguments",
            ),
            (
                quote! { struct A: 4 GRU => 1 Linear; },
                "the input width takes no layer",
            ),
            (
                quote! { struct A: [3; 8] => Flatten LSTM => 1 Linear; },
                "`LSTM` is a layer of its own",
            ),
        ];
        for (tokens, expected) in cases {
            let text = tokens.to_string();
            let error = one_error(tokens);
            assert!(
                error.contains(expected),
                "`{text}`:\n{error}\nexpected: {expected}"
            );
        }
    }
}
