//! The syntax of `network!`'s input, parsed with every token's span kept.
//!
//! ```text
//! input      := definition+
//! definition := attribute* visibility "struct" NAME ":" body ";"
//! body       := layer ("=>" layer)*  |  network ("=>" network)+
//! layer      := WIDTH activation?
//! activation := IDENT ( "(" tokens ")" )?
//! network    := PATH                      (a network declared elsewhere)
//! ```
//!
//! The first layer is the input width and takes no activation; every later
//! layer needs one. Those rules, and what an activation name means, are the
//! checker's business (`check.rs`): the parser accepts any identifier there so
//! that every bad name in a spec can be reported in one compile. Parsing
//! itself stops at the first token that fits no rule, with a message that
//! says what was expected there.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitInt, Token, Visibility};

/// Everything inside `network! { ... }`.
pub struct NetworkInput {
    /// One or more network definitions.
    pub definitions: Vec<Definition>,
}

/// `#[attrs] vis struct Name: 1 => 4 ReLU => ... ;`
pub struct Definition {
    /// Attributes and doc comments, passed on to the generated struct.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The struct's name.
    pub name: Ident,
    /// The input width, then every layer in order (empty for a chain).
    pub layers: Vec<LayerSpec>,
    /// The networks chained in order, for `A => B` (empty for layers).
    pub chain: Vec<ChainPart>,
}

/// One network in a chain: its path, and the `=>` before it (none for the
/// first), where a width mismatch with the previous network is reported.
pub struct ChainPart {
    /// The `=>` that feeds the previous network into this one.
    pub arrow: Option<Token![=>]>,
    /// The network's type, without generic arguments.
    pub path: syn::Path,
}

/// `4 ReLU`: a width and, except on the input, an activation.
pub struct LayerSpec {
    /// The width as written.
    pub width: LitInt,
    /// The activation, if one was written.
    pub activation: Option<ActivationSpec>,
}

/// `ReLU` or `LeakyReLU(0.2)`.
pub struct ActivationSpec {
    /// The activation's name as written.
    pub name: Ident,
    /// The parenthesised arguments, if any.
    pub args: Option<ActivationArgs>,
}

/// The `( ... )` after an activation name.
pub struct ActivationArgs {
    /// The span of the whole group, parentheses included.
    pub span: Span,
    /// What is inside the parentheses.
    pub tokens: TokenStream,
}

impl ActivationArgs {
    /// The argument as a number, if it is exactly one numeric literal,
    /// optionally negated (`0.2`, `-1`, `1e-2`).
    pub fn number(&self) -> Option<f64> {
        let mut tokens = self.tokens.clone().into_iter().peekable();
        let negative = match tokens.peek() {
            Some(TokenTree::Punct(p)) if p.as_char() == '-' => {
                tokens.next();
                true
            }
            _ => false,
        };
        let Some(TokenTree::Literal(literal)) = tokens.next() else {
            return None;
        };
        if tokens.next().is_some() {
            return None;
        }
        let value = match syn::Lit::new(literal) {
            syn::Lit::Float(f) => f.base10_parse::<f64>().ok()?,
            syn::Lit::Int(i) => i.base10_parse::<f64>().ok()?,
            _ => return None,
        };
        let value = if negative { -value } else { value };
        value.is_finite().then_some(value)
    }
}

const EXAMPLE: &str = "`pub struct Net: 2 => 4 ReLU => 1 Sigmoid;`";

impl Parse for NetworkInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error(format!(
                "expected at least one network definition, for example {EXAMPLE}"
            )));
        }
        let mut definitions = Vec::new();
        while !input.is_empty() {
            definitions.push(input.parse()?);
        }
        Ok(Self { definitions })
    }
}

impl Parse for Definition {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        if !input.peek(Token![struct]) {
            return Err(unexpected(
                input,
                &format!("expected `struct`, as in {EXAMPLE}"),
                vis.span(),
            ));
        }
        let struct_token: Token![struct] = input.parse()?;
        if !input.peek(Ident) || input.peek(Token![:]) {
            return Err(unexpected(
                input,
                &format!("expected the network's name after `struct`, as in {EXAMPLE}"),
                struct_token.span,
            ));
        }
        let name: Ident = input.parse()?;
        if !input.peek(Token![:]) || input.peek(Token![::]) {
            return Err(unexpected(
                input,
                &format!("expected `:` after `{name}`, then the layers, as in {EXAMPLE}"),
                name.span(),
            ));
        }
        let colon: Token![:] = input.parse()?;

        if input.is_empty() || input.peek(Token![;]) {
            return Err(unexpected(
                input,
                &format!("empty network spec: expected the input width after `:`, as in {EXAMPLE}"),
                colon.span,
            ));
        }
        if input.peek(Ident) || input.peek(Token![::]) {
            let chain = parse_chain(input)?;
            return Ok(Self {
                attrs,
                vis,
                name,
                layers: Vec::new(),
                chain,
            });
        }
        let mut layers = vec![parse_layer(input, colon.span, false)?];
        loop {
            if input.is_empty() {
                // A missing `;` after the last definition is forgiven.
                break;
            }
            if input.peek(Token![;]) {
                let _: Token![;] = input.parse()?;
                break;
            }
            if input.peek(Token![=>]) {
                let arrow: Token![=>] = input.parse()?;
                if input.is_empty() || input.peek(Token![;]) {
                    return Err(syn::Error::new(
                        arrow.spans[0]
                            .join(arrow.spans[1])
                            .unwrap_or(arrow.spans[0]),
                        "trailing `=>`: a layer (a width and an activation) must follow it",
                    ));
                }
                if input.peek(Token![=>]) {
                    return Err(
                        input.error("doubled `=>`: expected a layer width between the arrows")
                    );
                }
                layers.push(parse_layer(input, arrow.spans[1], true)?);
                continue;
            }
            let last = layers.last().map_or(colon.span, |l| match &l.activation {
                Some(a) => a.name.span(),
                None => l.width.span(),
            });
            let message = if input.peek(LitInt) {
                "missing `=>` between layers: expected `=>` before this width".to_owned()
            } else if input.peek(Ident) && layers.last().is_some_and(|l| l.activation.is_some()) {
                "expected `=>` or `;` after the layer: a layer has one activation".to_owned()
            } else {
                "expected `=>` and the next layer, or `;` to end the network".to_owned()
            };
            return Err(unexpected(input, &message, last));
        }
        Ok(Self {
            attrs,
            vis,
            name,
            layers,
            chain: Vec::new(),
        })
    }
}

/// Parses `A => B => ...;`, the networks of a chain. A lone name, or a name
/// followed by an activation or a width, is a layer spec whose input width
/// was written as a name: that gets the message about widths.
fn parse_chain(input: ParseStream) -> syn::Result<Vec<ChainPart>> {
    let width_message = |path: &syn::Path| {
        syn::Error::new_spanned(
            path,
            format!(
                "expected the input width after `:`, found `{}`: widths are integer literals, \
                 because the macro needs the number itself to lay out the code (to chain \
                 networks declared elsewhere, name two or more: `A => B`)",
                quote::ToTokens::to_token_stream(path)
            ),
        )
    };
    let first = input.call(syn::Path::parse_mod_style)?;
    let mut parts = vec![ChainPart {
        arrow: None,
        path: first,
    }];
    loop {
        if input.is_empty() {
            break;
        }
        if input.peek(Token![;]) {
            let _: Token![;] = input.parse()?;
            break;
        }
        if !input.peek(Token![=>]) {
            if parts.len() == 1 {
                return Err(width_message(&parts[0].path));
            }
            return Err(input.error("expected `=>` and the next network, or `;` to end the chain"));
        }
        let arrow: Token![=>] = input.parse()?;
        if input.is_empty() || input.peek(Token![;]) {
            return Err(syn::Error::new(
                arrow.spans[0],
                "trailing `=>`: a network must follow it",
            ));
        }
        if input.peek(LitInt) {
            return Err(width_message(&parts[0].path));
        }
        if !(input.peek(Ident) || input.peek(Token![::])) {
            return Err(input.error("expected the name of a network after `=>`"));
        }
        let path = input.call(syn::Path::parse_mod_style)?;
        parts.push(ChainPart {
            arrow: Some(arrow),
            path,
        });
    }
    if parts.len() == 1 {
        return Err(width_message(&parts[0].path));
    }
    Ok(parts)
}

/// Parses `WIDTH activation?`; `previous` is the span of the token before, for
/// errors at the end of input.
fn parse_layer(input: ParseStream, previous: Span, after_arrow: bool) -> syn::Result<LayerSpec> {
    if !input.peek(LitInt) {
        let what = if after_arrow {
            "after `=>`"
        } else {
            "after `:`"
        };
        let message = match input.cursor().token_tree() {
            Some((TokenTree::Literal(lit), _)) => {
                format!("layer width must be a whole number, found `{lit}`")
            }
            Some((TokenTree::Ident(ident), _)) => format!(
                "expected a layer width {what}, found `{ident}`: widths are integer literals, \
                 because the macro needs the number itself to lay out the code"
            ),
            _ => format!("expected a layer width (an integer literal) {what}"),
        };
        return Err(unexpected(input, &message, previous));
    }
    let width: LitInt = input.parse()?;
    let activation = if input.peek(Ident) {
        let name: Ident = input.parse()?;
        let args = if input.peek(syn::token::Paren) {
            let content;
            let paren = syn::parenthesized!(content in input);
            Some(ActivationArgs {
                span: paren.span.join(),
                tokens: content.parse()?,
            })
        } else {
            None
        };
        Some(ActivationSpec { name, args })
    } else {
        None
    };
    Ok(LayerSpec { width, activation })
}

/// An error at the next token, or at `previous` when the input has ended (so
/// that the caret never points outside the macro's input).
fn unexpected(input: ParseStream, message: &str, previous: Span) -> syn::Error {
    if input.is_empty() {
        syn::Error::new(previous, format!("{message} (the input ends here)"))
    } else {
        input.error(message)
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(tokens: TokenStream) -> syn::Result<NetworkInput> {
        syn::parse2(tokens)
    }

    fn error(tokens: TokenStream) -> String {
        let text = tokens.to_string();
        match parse(tokens) {
            Ok(_) => panic!("expected a parse error for `{text}`"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_the_seed_network() {
        let input = parse(quote! {
            /// Doc.
            pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
        })
        .unwrap();
        assert_eq!(input.definitions.len(), 1);
        let def = &input.definitions[0];
        assert_eq!(def.name, "SeedNet");
        assert_eq!(def.attrs.len(), 1);
        let widths: Vec<u64> = def
            .layers
            .iter()
            .map(|l| l.width.base10_parse().unwrap())
            .collect();
        assert_eq!(widths, [1, 4, 2, 1]);
        let acts: Vec<String> = def
            .layers
            .iter()
            .map(|l| {
                l.activation
                    .as_ref()
                    .map_or(String::new(), |a| a.name.to_string())
            })
            .collect();
        assert_eq!(acts, ["", "ReLU", "Sigmoid", "Linear"]);
    }

    #[test]
    fn parses_chains() {
        let input = parse(quote! { pub struct AB: A => nets::B => C; }).unwrap();
        let def = &input.definitions[0];
        assert!(def.layers.is_empty());
        let paths: Vec<String> = def
            .chain
            .iter()
            .map(|p| quote::ToTokens::to_token_stream(&p.path).to_string())
            .collect();
        assert_eq!(paths, ["A", "nets :: B", "C"]);
        assert!(def.chain[0].arrow.is_none() && def.chain[1].arrow.is_some());
    }

    #[test]
    fn parses_several_definitions_and_arguments() {
        let input = parse(quote! {
            struct A: 2 => 3 LeakyReLU(0.2) => 1 Linear;
            pub(crate) struct B: 3 => 1 Sigmoid
        })
        .unwrap();
        assert_eq!(input.definitions.len(), 2);
        let arg = input.definitions[0].layers[1].activation.as_ref().unwrap();
        let args = arg.args.as_ref().unwrap();
        assert_eq!(args.tokens.to_string(), "0.2");
        assert_eq!(args.number(), Some(0.2));
    }

    #[test]
    fn reads_numeric_arguments() {
        let number = |tokens: TokenStream| {
            ActivationArgs {
                span: Span::call_site(),
                tokens,
            }
            .number()
        };
        assert_eq!(number(quote!(-1)), Some(-1.0));
        assert_eq!(number(quote!(1e-2)), Some(0.01));
        assert_eq!(number(quote!(0.5f32)), Some(0.5));
        assert_eq!(number(quote!(x)), None);
        assert_eq!(number(quote!(0.1, 0.2)), None);
        assert_eq!(number(quote!("0.1")), None);
        assert_eq!(number(quote!()), None);
    }

    #[test]
    fn explains_each_syntax_error() {
        assert!(error(quote! {}).contains("at least one network definition"));
        assert!(error(quote! { struct A: ; }).contains("empty network spec"));
        assert!(error(quote! { struct A: }).contains("empty network spec"));
        assert!(error(quote! { struct : 1 => 2 ReLU; }).contains("network's name"));
        assert!(error(quote! { struct A 1 => 2 ReLU; }).contains("expected `:`"));
        assert!(error(quote! { A: 1 => 2 ReLU; }).contains("expected `struct`"));
        assert!(error(quote! { struct A: 1 => 4 ReLU 2 Linear; }).contains("missing `=>`"));
        assert!(error(quote! { struct A: 1 => => 2 Linear; }).contains("doubled `=>`"));
        assert!(error(quote! { struct A: 1 => 2 Linear =>; }).contains("trailing `=>`"));
        assert!(error(quote! { struct A: 1 => 2 Linear => }).contains("trailing `=>`"));
        assert!(error(quote! { struct A: 1 => 2.5 Linear; }).contains("whole number"));
        assert!(error(quote! { struct A: 1 => N Linear; }).contains("integer literals"));
        assert!(error(quote! { struct A: N => 4 ReLU; }).contains("integer literals"));
        assert!(error(quote! { struct A: N; }).contains("integer literals"));
        assert!(error(quote! { struct A: N ReLU => 1 Linear; }).contains("integer literals"));
        assert!(error(quote! { struct A: B => C =>; }).contains("trailing `=>`"));
        assert!(error(quote! { struct A: B => C D; }).contains("`;` to end the chain"));
        assert!(error(quote! { struct A: 1 => 2 ReLU Linear; }).contains("one activation"));
    }
}
