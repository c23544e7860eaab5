//! The rules a parsed spec must follow, one `check_*` function each.
//!
//! Every check records its errors and carries on, so a spec with several
//! mistakes gets all of them reported in one compile.

use crate::ast::{Definition, LayerSpec};
use crate::errors::Errors;
use crate::kw::{self, Activation};

/// The widest layer the macro accepts. Far wider layers are not useful on the
/// targets this crate is for, and refusing them keeps every index the
/// generated code computes far from overflow.
pub const MAX_WIDTH: usize = 1 << 20;

/// The most parameters one network may have: four times this many bytes of
/// `f32` is 1 GiB, already more than a fixed-size array on the stack can hold.
pub const MAX_PARAMS: usize = 1 << 28;

/// Runs every check on one definition.
pub fn definition(errors: &Errors, def: &Definition) {
    check_name(errors, def);
    if !def.chain.is_empty() {
        // A chain names networks checked where they were declared; whether
        // their widths agree only the compiler can tell (see `expand/chain.rs`).
        return;
    }
    check_has_layers(errors, def);
    check_widths(errors, def);
    check_input_has_no_activation(errors, def);
    check_layers_have_activations(errors, def);
    check_known_activations(errors, def);
    check_softmax_placement(errors, def);
    check_parameter_count(errors, def);
}

/// Every generated struct is generic over its scalar, `T`: a network or a
/// chain named `T` would shadow its own parameter.
fn check_name(errors: &Errors, def: &Definition) {
    if def.name == "T" {
        errors.error(
            def.name.span(),
            "a network cannot be named `T`: the generated struct is `T<T = f32>`, generic over its scalar type `T`; choose another name",
        );
    }
}

/// The input width alone describes no computation: there must be a layer.
fn check_has_layers(errors: &Errors, def: &Definition) {
    if let [only] = def.layers.as_slice() {
        errors.error(
            only.width.span(),
            format_args!(
                "`{}` has an input width but no layers: add at least one, as in `{} => 1 Linear`",
                def.name, only.width
            ),
        );
    }
}

/// Widths are array lengths: whole numbers from 1 to [`MAX_WIDTH`].
fn check_widths(errors: &Errors, def: &Definition) {
    for layer in &def.layers {
        match layer.width.base10_parse::<usize>() {
            Ok(0) => errors.error(layer.width.span(), "layer width must be at least 1"),
            Ok(w) if w > MAX_WIDTH => errors.error(
                layer.width.span(),
                format_args!("layer width {w} is larger than the supported maximum of {MAX_WIDTH}"),
            ),
            Ok(_) => {}
            Err(_) => errors.error(
                layer.width.span(),
                format_args!(
                    "layer width `{}` is not a whole number from 1 to {MAX_WIDTH}",
                    layer.width
                ),
            ),
        }
    }
}

/// The first number is the width of the input vector, which nothing
/// activates; an activation there is almost always a layer written one step
/// too early.
fn check_input_has_no_activation(errors: &Errors, def: &Definition) {
    if let Some(LayerSpec {
        activation: Some(activation),
        width,
    }) = def.layers.first()
    {
        errors.error_spanned(
            &activation.name,
            format_args!(
                "the input width takes no activation: `{width}` is the size of the input vector, \
                 and `{}` belongs to a layer after `=>`",
                activation.name
            ),
        );
    }
}

/// Every layer after the input names its activation; `Linear` is spelled out
/// rather than implied, so a forgotten activation never passes silently.
fn check_layers_have_activations(errors: &Errors, def: &Definition) {
    for layer in def.layers.iter().skip(1) {
        if layer.activation.is_none() {
            errors.error(
                layer.width.span(),
                format_args!(
                    "layer of width {} has no activation: write one after the width, \
                     for example `{} ReLU` (use `Linear` for none), expected {}",
                    layer.width,
                    layer.width,
                    kw::known_list()
                ),
            );
        }
    }
}

/// Activation names come from one table (`kw.rs`); a near miss gets a
/// suggestion. Only `LeakyReLU` takes an argument, its slope, which must be
/// one number so the macro can write it into the code.
fn check_known_activations(errors: &Errors, def: &Definition) {
    for activation in def
        .layers
        .iter()
        .skip(1)
        .filter_map(|l| l.activation.as_ref())
    {
        let name = activation.name.to_string();
        match Activation::from_name(&name) {
            Some(known) => match &activation.args {
                Some(args) if !known.takes_argument() => errors.error(
                    args.span,
                    format_args!(
                        "`{}` takes no arguments, found `({})`",
                        known.spelling(),
                        args.tokens
                    ),
                ),
                Some(args) if args.number().is_none() => errors.error(
                    args.span,
                    format_args!(
                        "`{}` takes one number, its slope for negative inputs, as in `{}(0.2)`; \
                         found `({})`",
                        known.spelling(),
                        known.spelling(),
                        args.tokens
                    ),
                ),
                _ => {}
            },
            None => {
                let hint = match kw::suggest(&name) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => String::new(),
                };
                errors.error(
                    activation.name.span(),
                    format_args!(
                        "unknown activation `{name}`, expected {}{hint}",
                        kw::known_list()
                    ),
                );
            }
        }
    }
}

/// Softmax turns a whole layer into probabilities that sum to 1. That is
/// what a classifier's output needs, and what a hidden layer does not (its
/// neurons would compete for one unit of mass); and over one output it is
/// the constant 1, which nothing can learn from.
fn check_softmax_placement(errors: &Errors, def: &Definition) {
    let last = def.layers.len().saturating_sub(1);
    for (index, layer) in def.layers.iter().enumerate().skip(1) {
        let Some(activation) = &layer.activation else {
            continue;
        };
        if Activation::from_name(&activation.name.to_string()) != Some(Activation::Softmax) {
            continue;
        }
        if index != last {
            errors.error(
                activation.name.span(),
                "`Softmax` can only be the last layer's activation: it turns the outputs into \
                 probabilities that sum to 1; hidden layers take `ReLU`, `LeakyReLU`, `Tanh`, \
                 `Sigmoid` or `Linear`",
            );
        } else if layer.width.base10_parse::<usize>().ok() == Some(1) {
            errors.error(
                activation.name.span(),
                "`Softmax` over a single output is always 1, whatever the input, so the network \
                 cannot learn; use `Sigmoid` for one probability, or give the layer one output \
                 per class",
            );
        }
    }
}

/// The parameter count is an array length; keep it (and every offset into
/// it) well inside `usize`.
fn check_parameter_count(errors: &Errors, def: &Definition) {
    let widths: Option<Vec<usize>> = def
        .layers
        .iter()
        .map(|l| l.width.base10_parse().ok())
        .collect();
    let Some(widths) = widths else { return };
    let total = widths.windows(2).try_fold(0_usize, |acc, w| {
        w[0].checked_mul(w[1])?.checked_add(w[1])?.checked_add(acc)
    });
    if total.is_none_or(|t| t > MAX_PARAMS) {
        errors.error(
            def.name.span(),
            format_args!(
                "`{}` has more than {MAX_PARAMS} parameters, more than a fixed-size array can hold",
                def.name
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::ast::NetworkInput;
    use crate::errors::Errors;

    fn check(tokens: TokenStream) -> Result<(), Vec<String>> {
        let input: NetworkInput = syn::parse2(tokens).expect("parses");
        let errors = Errors::new();
        for def in &input.definitions {
            super::definition(&errors, def);
        }
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
             `LeakyReLU` or `Softmax`; did you mean `Sigmoid`?"
        );
        assert!(one_error(quote! { struct A: 1 => 2 relu; }).ends_with("did you mean `ReLU`?"));
        assert!(one_error(quote! { struct A: 1 => 2 Swish; }).ends_with("`Softmax`"));
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
}
