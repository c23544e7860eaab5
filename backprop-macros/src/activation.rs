//! What an activation in a spec means: a built-in from the runtime's table
//! (`backprop-spec/activations.txt`), `Softmax`, or a user's own type named
//! by its path. The macro keeps no list of its own.

use backprop_spec::Builtin;
use proc_macro2::{Ident, Literal, Span, TokenStream};

use crate::ast::{ActivationSpec, Arg};
use crate::errors::Errors;

/// The one activation the macro knows by name: it works on a whole layer,
/// not element by element, so it is not in the table.
pub const SOFTMAX: &str = "Softmax";

/// Which activation a layer has.
#[derive(Clone)]
pub enum Kind {
    /// A built-in, a row of the runtime's table.
    Builtin(Builtin),
    /// `Softmax`, on the last layer.
    Softmax,
    /// A type of the user's implementing `backprop_core::activation::Activation`.
    User(syn::Path),
}

/// A layer's activation, resolved: its kind and the numbers the spec gave.
#[derive(Clone)]
pub struct Activation {
    /// What it is.
    pub kind: Kind,
    /// The numbers in parentheses, as written (none for the defaults).
    pub args: Vec<f64>,
    /// Where its name was written.
    pub span: Span,
}

impl Activation {
    /// Resolves `spec`, recording every mistake in `errors`; `None` when
    /// there was one.
    pub fn resolve(spec: &ActivationSpec, errors: &Errors) -> Option<Self> {
        let span = spec
            .path
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span());
        let args = spec
            .args
            .as_ref()
            .map(crate::ast::ActivationArgs::list)
            .unwrap_or_default();
        let args_span = spec.args.as_ref().map_or(span, |a| a.span);
        let args_text = spec
            .args
            .as_ref()
            .map_or_else(String::new, |a| a.tokens.to_string());
        let Some(ident) = spec.ident() else {
            let numbers = numbers(
                &args,
                errors,
                &quote::ToTokens::to_token_stream(&spec.path)
                    .to_string()
                    .replace(' ', ""),
            )?;
            return Some(Self {
                kind: Kind::User(spec.path.clone()),
                args: numbers,
                span,
            });
        };
        let name = ident.to_string();
        if name == SOFTMAX {
            if spec.args.is_some() {
                errors.error(
                    args_span,
                    format_args!("`{SOFTMAX}` takes no arguments, found `({args_text})`"),
                );
                return None;
            }
            return Some(Self {
                kind: Kind::Softmax,
                args: Vec::new(),
                span,
            });
        }
        let variants: Vec<Builtin> = backprop_spec::builtins()
            .filter(|b| b.name() == name)
            .collect();
        if variants.is_empty() {
            let hint = match suggest(&name) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => {
                    format!("; your own activation is named by its path, as in `crate::{name}`")
                }
            };
            errors.error(
                span,
                format_args!(
                    "unknown activation `{name}`, expected {}{hint}",
                    known_list()
                ),
            );
            return None;
        }
        if let [Arg::Word(word)] = args.as_slice()
            && let Some(b) = variants
                .iter()
                .find(|b| b.word() == Some(&*word.to_string()))
        {
            return Some(Self {
                kind: Kind::Builtin(*b),
                args: Vec::new(),
                span,
            });
        }
        let Some(plain) = variants.iter().find(|b| b.word().is_none()) else {
            errors.error(
                span,
                format_args!(
                    "`{name}` needs a word in parentheses: expected {}",
                    spellings(&variants)
                ),
            );
            return None;
        };
        let params: Vec<(&str, f64)> = plain.params().collect();
        if spec.args.is_none() {
            return Some(Self {
                kind: Kind::Builtin(*plain),
                args: Vec::new(),
                span,
            });
        }
        if params.is_empty() {
            let also = if variants.len() > 1 {
                format!("; expected {}", spellings(&variants))
            } else {
                String::new()
            };
            errors.error(
                args_span,
                format_args!("`{name}` takes no arguments, found `({args_text})`{also}"),
            );
            return None;
        }
        let example: Vec<String> = params.iter().map(|(_, d)| format!("{d:?}")).collect();
        let what = match params.as_slice() {
            [(p, _)] => format!("one number, its `{p}`"),
            _ => format!(
                "{} numbers, {}",
                params.len(),
                params
                    .iter()
                    .map(|(p, _)| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let usage = format!(
            "`{name}` takes {what}, as in `{name}({})`",
            example.join(", ")
        );
        if args.len() > params.len() || args.iter().any(|a| matches!(a, Arg::Word(_))) {
            errors.error(args_span, format_args!("{usage}; found `({args_text})`"));
            return None;
        }
        let numbers = numbers(&args, errors, &name)?;
        Some(Self {
            kind: Kind::Builtin(*plain),
            args: numbers,
            span,
        })
    }

    /// Whether it is `Softmax`, which works on the whole layer.
    pub fn is_softmax(&self) -> bool {
        matches!(self.kind, Kind::Softmax)
    }

    /// Whether it is `ReLU`, whose units can die.
    pub fn is_relu(&self) -> bool {
        matches!(&self.kind, Kind::Builtin(b) if b.runtime() == "Relu")
    }

    /// How an int8 layer applies it: the `backprop_core::int8::Fused`
    /// variant its output clamp takes (`Linear`, `ReLU`, `ReLU6`, which
    /// are clamps in the quantized domain), and the `backprop_core::int8`
    /// kernel that follows the clamp (`Sigmoid`, `Tanh`, `Softmax`, by
    /// TFLite's integer kernels). `None` for an activation int8 lacks.
    pub fn int8(&self) -> Option<(&'static str, Option<&'static str>)> {
        match &self.kind {
            Kind::Builtin(b) => match b.runtime() {
                "Linear" => Some(("None", None)),
                "Relu" => Some(("Relu", None)),
                "Relu6" => Some(("Relu6", None)),
                "Sigmoid" => Some(("None", Some("Logistic"))),
                "Tanh" => Some(("None", Some("Tanh"))),
                _ => None,
            },
            Kind::Softmax => Some(("None", Some("Softmax"))),
            Kind::User(_) => None,
        }
    }

    /// Its name without arguments: `LeakyReLU`, `GELU(tanh)`, `crate::Swish`.
    pub fn spelling(&self) -> String {
        match &self.kind {
            Kind::Builtin(b) => b.spelling().to_owned(),
            Kind::Softmax => SOFTMAX.to_owned(),
            Kind::User(path) => quote::ToTokens::to_token_stream(path)
                .to_string()
                .replace(' ', ""),
        }
    }

    /// As the spec wrote it, for documentation: `LeakyReLU(0.2)`.
    pub fn text(&self) -> String {
        if self.args.is_empty() {
            return self.spelling();
        }
        let args: Vec<String> = self.args.iter().map(f64::to_string).collect();
        format!("{}({})", self.spelling(), args.join(", "))
    }

    /// As the architecture text (and so the weights fingerprint) writes it:
    /// a built-in's every parameter, given or default, as the 16 hex digits
    /// of its `f64` bits, so that any program writes the same text without
    /// formatting a float: `LeakyReLU(3f847ae147ae147b)`.
    pub fn fingerprint_text(&self) -> String {
        let values: Vec<f64> = match &self.kind {
            Kind::Builtin(b) => self.full_args(b),
            _ => self.args.clone(),
        };
        if values.is_empty() {
            return self.spelling();
        }
        let hex: Vec<String> = values
            .iter()
            .map(|v| format!("{:016x}", v.to_bits()))
            .collect();
        format!("{}({})", self.spelling(), hex.join(","))
    }

    /// A built-in's parameters: those written, then the defaults.
    fn full_args(&self, b: &Builtin) -> Vec<f64> {
        b.params()
            .enumerate()
            .map(|(i, (_, default))| self.args.get(i).copied().unwrap_or(default))
            .collect()
    }

    /// The type implementing it: `::backprop_core::activation::Relu`, or
    /// the user's path.
    pub fn ty(&self) -> TokenStream {
        match &self.kind {
            Kind::Builtin(b) => {
                let ty = Ident::new(b.runtime(), self.span);
                mixed!(::backprop_core::activation::#ty)
            }
            Kind::Softmax => mixed!(::backprop_core::activation::Softmax),
            Kind::User(path) => quote::quote!(#path),
        }
    }
    /// What the generated code needs of the scalar `T` to run this
    /// activation, as where-clause predicates: `Relu: Activation<T>`
    /// (which holds for every `T: Scalar`, or only for `T: Float` for the
    /// transcendental ones), and `T: SoftmaxScalar` for `Softmax`. (A type of the
    /// user's without arguments is also `Default`, which involves no `T`,
    /// so the compiler checks it where the code calls `default()`.)
    pub fn bounds(&self) -> TokenStream {
        let ty = self.ty();
        match &self.kind {
            Kind::Softmax => mixed!(T: ::backprop_core::activation::SoftmaxScalar),
            Kind::User(path) => {
                let span = syn::spanned::Spanned::span(path);
                quote::quote_spanned!(span=> #ty: ::backprop_core::activation::Activation<T>)
            }
            Kind::Builtin(_) => mixed!(#ty: ::backprop_core::activation::Activation<T>),
        }
    }

    /// For a type of the user's, a check at the definition that it is an
    /// activation (for `f32`, the default scalar): the network's own bounds
    /// only take its methods away for a scalar the activation does not
    /// support, which for a type that is no activation at all would leave
    /// the mistake unreported until the first call.
    pub fn check(&self) -> TokenStream {
        let Kind::User(path) = &self.kind else {
            return TokenStream::new();
        };
        let span = syn::spanned::Spanned::span(path);
        let ty = self.ty();
        let is = quote::quote_spanned!(span=> __is_activation::<#ty>);
        mixed! {
            const _: () = {
                fn __is_activation<A: ::backprop_core::activation::Activation<f32>>() {}
                let _ = #is;
            };
        }
    }

    /// An expression of its value: the unit type, or `Type::new(args)`
    /// (a built-in's defaults filled in); a user's type without arguments
    /// through `Default`.
    pub fn value(&self) -> TokenStream {
        let ty = self.ty();
        let values = match &self.kind {
            Kind::Builtin(b) => self.full_args(b),
            Kind::Softmax => Vec::new(),
            Kind::User(_) if self.args.is_empty() => {
                return mixed!(<#ty as ::core::default::Default>::default());
            }
            Kind::User(_) => self.args.clone(),
        };
        if values.is_empty() {
            return ty;
        }
        let literals = values.iter().map(|v| {
            let mut literal = Literal::f64_suffixed(*v);
            literal.set_span(Span::mixed_site());
            literal
        });
        mixed!(#ty::new(#(#literals),*))
    }
}

/// The arguments as numbers, each finite as `f32` too; every other
/// argument is an error.
fn numbers(args: &[Arg], errors: &Errors, name: &str) -> Option<Vec<f64>> {
    let mut out = Vec::new();
    let mut ok = true;
    for arg in args {
        match arg {
            Arg::Number(v, span) =>
            {
                #[allow(clippy::cast_possible_truncation)]
                if (*v as f32).is_infinite() {
                    errors.error(
                        *span,
                        format_args!(
                            "`{name}`'s argument {v:e} is too large for `f32` (at most {:e}): an \
                         `f32` network would compute with infinity",
                            f32::MAX
                        ),
                    );
                    ok = false;
                } else {
                    out.push(*v);
                }
            }
            Arg::Word(word) => {
                errors.error(
                    word.span(),
                    format_args!("`{name}` takes numbers, found `{word}`"),
                );
                ok = false;
            }
            Arg::Invalid(span, what) => {
                errors.error(*span, format_args!("`{name}` takes numbers, found {what}"));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// `` `GELU` or `GELU(tanh)` `` for a name's variants.
fn spellings(variants: &[Builtin]) -> String {
    or_list(variants.iter().map(|b| b.spelling().to_owned()).collect())
}

/// Every spelling a layer may name, built-ins then `Softmax`.
fn names() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for b in backprop_spec::builtins() {
        if !names.iter().any(|n| n == b.name()) {
            names.push(b.name().to_owned());
        }
    }
    names.push(SOFTMAX.to_owned());
    names
}

/// "`Linear`, `ReLU`, ... or `Softmax`", for error messages.
pub fn known_list() -> String {
    or_list(names())
}

fn or_list(names: Vec<String>) -> String {
    let names: Vec<String> = names.iter().map(|s| format!("`{s}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The known activation `name` most likely meant: the same name in another
/// case, else the nearest by edit distance if it is close enough.
pub fn suggest(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let names = names();
    if let Some(s) = names.iter().find(|s| s.to_ascii_lowercase() == lower) {
        return Some(s.clone());
    }
    names
        .into_iter()
        .map(|s| (edit_distance(&lower, &s.to_ascii_lowercase()), s))
        .filter(|(d, s)| *d <= 2.max(s.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| s)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_nearest_or_recased_name() {
        let suggest = |n: &str| suggest(n);
        assert_eq!(suggest("Sigmod").as_deref(), Some("Sigmoid"));
        assert_eq!(suggest("relu").as_deref(), Some("ReLU"));
        assert_eq!(suggest("Relu").as_deref(), Some("ReLU"));
        assert_eq!(suggest("TANH").as_deref(), Some("Tanh"));
        assert_eq!(suggest("Linaer").as_deref(), Some("Linear"));
        assert_eq!(suggest("Swish"), None);
        assert_eq!(suggest("softmax").as_deref(), Some("Softmax"));
        assert_eq!(suggest("LeakyRelu").as_deref(), Some("LeakyReLU"));
    }

    #[test]
    fn distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }

    #[test]
    fn the_list_is_the_tables_then_softmax() {
        let list = known_list();
        assert!(
            list.starts_with("`Linear`, `ReLU`, `Sigmoid`, `Tanh`, `LeakyReLU`"),
            "{list}"
        );
        assert!(list.ends_with(" or `Softmax`"), "{list}");
        assert_eq!(list.matches('`').count(), 2 * names().len());
    }
}
