//! The syntax of `network!`'s input, parsed with every token's span kept.
//!
//! ```text
//! input      := definition+
//! definition := attribute* visibility "struct" NAME ":" body ";"
//! body       := layer ("=>" layer)*  |  network ("=>" network)+
//! layer      := WIDTH activation?  |  "[" CHANNELS ";" LEN "]"  |  signal activation?
//! signal     := ("Conv1d" | "MaxPool1d" | "AvgPool1d" | "GlobalAvgPool1d" | "Flatten")
//!               ( "(" arg ("," arg)* ")" )?
//! activation := PATH ( "(" arg ("," arg)* ")" )?
//! arg        := "-"? NUMBER  |  IDENT  |  IDENT "=" (NUMBER | IDENT)
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

/// `4 ReLU`: a width and, except on the input, an activation; or a window
/// input `[3; 64]`; or a signal layer, `Conv1d(16, kernel = 5) ReLU`.
pub struct LayerSpec {
    /// What the layer is, as written.
    pub head: LayerHead,
    /// The activation, if one was written.
    pub activation: Option<ActivationSpec>,
}

/// The keywords of the signal layers, which take the place of a width.
pub const SIGNAL_KEYWORDS: [&str; 5] = [
    "Conv1d",
    "MaxPool1d",
    "AvgPool1d",
    "GlobalAvgPool1d",
    "Flatten",
];

/// What comes before a layer's activation.
pub enum LayerHead {
    /// A dense layer's width, or a vector input's.
    Width(LitInt),
    /// A window input, `[CHANNELS; LEN]`.
    Window {
        /// The brackets.
        span: Span,
        /// The channel count as written.
        channels: LitInt,
        /// The length as written.
        len: LitInt,
    },
    /// A signal layer: one of [`SIGNAL_KEYWORDS`] and its arguments.
    Signal {
        /// The keyword.
        keyword: Ident,
        /// The parenthesised arguments, if any.
        args: Option<ActivationArgs>,
    },
}

impl LayerHead {
    /// Where the head was written.
    pub fn span(&self) -> Span {
        match self {
            Self::Width(width) => width.span(),
            Self::Window { span, .. } => *span,
            Self::Signal { keyword, .. } => keyword.span(),
        }
    }

    /// The width, for a dense layer or a vector input.
    #[cfg(test)]
    pub fn width(&self) -> Option<&LitInt> {
        match self {
            Self::Width(width) => Some(width),
            _ => None,
        }
    }
}

/// `ReLU`, `LeakyReLU(0.2)`, `GELU(tanh)` or a path to a user's own
/// activation, `crate::Swish`.
pub struct ActivationSpec {
    /// The activation's name or path as written.
    pub path: syn::Path,
    /// The parenthesised arguments, if any.
    pub args: Option<ActivationArgs>,
}

impl ActivationSpec {
    /// The name, when it is one identifier (a built-in's spelling).
    pub fn ident(&self) -> Option<&Ident> {
        self.path.get_ident()
    }
}

/// The `( ... )` after an activation name.
pub struct ActivationArgs {
    /// The span of the whole group, parentheses included.
    pub span: Span,
    /// What is inside the parentheses.
    pub tokens: TokenStream,
}

/// One argument of an activation, as the macro reads it.
#[derive(Clone)]
pub enum Arg {
    /// A number, optionally negated (`0.2`, `-1`, `1e-2`), exactly as `f64`.
    Number(f64, Span),
    /// One identifier, as in `GELU(tanh)`.
    Word(Ident),
    /// Anything else, with what to say about it.
    Invalid(Span, String),
}

impl ActivationArgs {
    /// The comma-separated arguments. Invisible groups, which `macro_rules!`
    /// puts around an `$x:expr` fragment, are looked through.
    pub fn list(&self) -> Vec<Arg> {
        self.items()
            .iter()
            .map(|(tokens, after)| read_arg(tokens, *after))
            .collect()
    }

    /// The arguments of a signal layer, each positional (`16`) or named
    /// (`kernel = 5`, `padding = same`): the name if there is one, and the
    /// value.
    pub fn named(&self) -> Vec<(Option<Ident>, Arg)> {
        self.items()
            .iter()
            .map(|(tokens, after)| match tokens.as_slice() {
                [TokenTree::Ident(name), TokenTree::Punct(eq), rest @ ..]
                    if eq.as_char() == '=' =>
                {
                    (Some(name.clone()), read_arg(rest, eq.span()))
                }
                _ => (None, read_arg(tokens, *after)),
            })
            .collect()
    }

    /// The comma-separated items, each with the span an empty one is
    /// reported at.
    fn items(&self) -> Vec<(Vec<TokenTree>, Span)> {
        let mut items = Vec::new();
        let mut current = Vec::new();
        for tree in flatten(self.tokens.clone()) {
            match &tree {
                TokenTree::Punct(p) if p.as_char() == ',' => {
                    items.push((std::mem::take(&mut current), p.span()));
                }
                _ => current.push(tree),
            }
        }
        if !current.is_empty() || !items.is_empty() {
            items.push((current, self.span));
        }
        items
    }

    /// The argument as a number, if it is exactly one finite numeric
    /// literal without a suffix, optionally negated.
    #[cfg(test)]
    pub fn number(&self) -> Option<f64> {
        match self.list().as_slice() {
            [Arg::Number(value, _)] => Some(*value),
            _ => None,
        }
    }
}

/// `tokens` with every invisible (`Delimiter::None`) group opened.
fn flatten(tokens: TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::None => {
                out.extend(flatten(g.stream()));
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads one argument; `after` is where to point when it is empty.
fn read_arg(tokens: &[TokenTree], after: Span) -> Arg {
    let span = tokens.first().map_or(after, TokenTree::span);
    let (negative, rest) = match tokens {
        [TokenTree::Punct(p), rest @ ..] if p.as_char() == '-' => (true, rest),
        _ => (false, tokens),
    };
    match rest {
        [] => Arg::Invalid(span, "an empty argument".to_owned()),
        [TokenTree::Ident(word)] if !negative => Arg::Word(word.clone()),
        [TokenTree::Literal(literal)] => {
            let (value, suffix) = match syn::Lit::new(literal.clone()) {
                syn::Lit::Float(f) => (f.base10_parse::<f64>().ok(), f.suffix().to_owned()),
                syn::Lit::Int(i) => (i.base10_parse::<f64>().ok(), i.suffix().to_owned()),
                _ => return Arg::Invalid(span, format!("`{literal}`, which is not a number")),
            };
            if !suffix.is_empty() {
                return Arg::Invalid(
                    literal.span(),
                    format!(
                        "`{literal}`: write the number without the `{suffix}` suffix; it is \
                         read as an `f64` and rounded to the network's scalar type"
                    ),
                );
            }
            match value {
                Some(v) if v.is_finite() => Arg::Number(if negative { -v } else { v }, span),
                _ => Arg::Invalid(span, format!("`{literal}`, which is not a finite number")),
            }
        }
        _ => {
            let text: TokenStream = tokens.iter().cloned().collect();
            Arg::Invalid(span, format!("`{text}`, which is not one number"))
        }
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
        if starts_path(input) {
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
                Some(a) => a
                    .path
                    .segments
                    .last()
                    .map_or(l.head.span(), |s| s.ident.span()),
                None => l.head.span(),
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
    refuse_generics(input, &first)?;
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
        if !starts_path(input) {
            return Err(input.error("expected the name of a network after `=>`"));
        }
        let path = input.call(syn::Path::parse_mod_style)?;
        refuse_generics(input, &path)?;
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

/// A chain part is named without generic arguments: `A<f64>` is an error
/// at the `<`, which says why.
fn refuse_generics(input: ParseStream, path: &syn::Path) -> syn::Result<()> {
    if input.peek(Token![<]) {
        let name = quote::ToTokens::to_token_stream(path)
            .to_string()
            .replace(' ', "");
        return Err(input.error(format!(
            "a chain names its parts without generic arguments: write `{name}`; the chain \
             is generic over its scalar type and passes it to every part, as in \
             `Chain::<f64>`"
        )));
    }
    Ok(())
}

/// Parses `WIDTH activation?`; `previous` is the span of the token before, for
/// errors at the end of input.
fn parse_layer(input: ParseStream, previous: Span, after_arrow: bool) -> syn::Result<LayerSpec> {
    if !after_arrow && input.peek(syn::token::Bracket) {
        return parse_window(input);
    }
    if let Some((keyword, _)) = input.cursor().ident()
        && SIGNAL_KEYWORDS.iter().any(|k| keyword == k)
    {
        let keyword: Ident = input.parse()?;
        let args = parse_args(input)?;
        let activation = parse_activation(input, &keyword.to_string())?;
        return Ok(LayerSpec {
            head: LayerHead::Signal { keyword, args },
            activation,
        });
    }
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
    let activation = parse_activation(input, &format!("the width `{width}`"))?;
    Ok(LayerSpec {
        head: LayerHead::Width(width),
        activation,
    })
}

/// `[CHANNELS; LEN]`, a window input.
fn parse_window(input: ParseStream) -> syn::Result<LayerSpec> {
    let content;
    let brackets = syn::bracketed!(content in input);
    let span = brackets.span.join();
    let expected = |found: &str| {
        syn::Error::new(
            span,
            format!(
                "a window input is written `[CHANNELS; LEN]`, two integer literals, as in \
                 `[3; 64]` for 64 time steps of 3 channels{found}"
            ),
        )
    };
    let (Ok(channels), Ok(_), Ok(len)) = (
        content.parse::<LitInt>(),
        content.parse::<Token![;]>(),
        content.parse::<LitInt>(),
    ) else {
        return Err(expected(""));
    };
    if !content.is_empty() {
        return Err(expected(", with nothing after the length"));
    }
    if let Some((keyword, _)) = input.cursor().ident() {
        return Err(syn::Error::new(
            keyword.span(),
            "the input takes no activation: expected `=>` and the first layer after the window",
        ));
    }
    Ok(LayerSpec {
        head: LayerHead::Window {
            span,
            channels,
            len,
        },
        activation: None,
    })
}

/// The parenthesised arguments after an activation's or a signal layer's
/// name, if any.
fn parse_args(input: ParseStream) -> syn::Result<Option<ActivationArgs>> {
    if !input.peek(syn::token::Paren) {
        return Ok(None);
    }
    let content;
    let paren = syn::parenthesized!(content in input);
    Ok(Some(ActivationArgs {
        span: paren.span.join(),
        tokens: content.parse()?,
    }))
}

/// The activation after `after` (the width, or a signal layer), if one is
/// written.
fn parse_activation(input: ParseStream, after: &str) -> syn::Result<Option<ActivationSpec>> {
    if starts_path(input) {
        let path = input.call(syn::Path::parse_mod_style)?;
        let args = parse_args(input)?;
        Ok(Some(ActivationSpec { path, args }))
    } else if let Some((keyword, _)) = input.cursor().ident() {
        Err(syn::Error::new(
            keyword.span(),
            format!(
                "expected an activation after {after}, found the keyword \
                 `{keyword}`: write a built-in activation such as `ReLU`, or the path of \
                 your own, such as `crate::Swish`"
            ),
        ))
    } else {
        Ok(None)
    }
}

/// Whether a path starts here: an identifier, `::`, or `crate`, `self`,
/// `super` (keywords that begin a path to a user's activation).
fn starts_path(input: ParseStream) -> bool {
    input.peek(Ident)
        || input.peek(Token![::])
        || input.peek(Token![crate])
        || input.peek(Token![self])
        || input.peek(Token![super])
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
            .map(|l| l.head.width().unwrap().base10_parse().unwrap())
            .collect();
        assert_eq!(widths, [1, 4, 2, 1]);
        let acts: Vec<String> = def
            .layers
            .iter()
            .map(|l| {
                l.activation
                    .as_ref()
                    .map_or(String::new(), |a| a.path.get_ident().unwrap().to_string())
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
        assert_eq!(number(quote!(0.5f32)), None);
        assert_eq!(number(quote!(2)), Some(2.0));
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
        assert!(
            error(quote! { struct A: 1 => 4 struct; }).starts_with(
                "expected an activation after the width `4`, found the keyword `struct`"
            )
        );
        assert!(
            error(quote! { struct A: B<f64> => C; })
                .starts_with("a chain names its parts without generic arguments: write `B`")
        );
        assert!(error(quote! { struct A: B => C<f32>; }).contains("write `C`"));
    }

    #[test]
    fn parses_windows_and_signal_layers() {
        let input = parse(quote! {
            struct G: [3; 64] => Conv1d(16, kernel = 5) ReLU => MaxPool1d(2) => Flatten => 4 Softmax;
        })
        .unwrap();
        let layers = &input.definitions[0].layers;
        assert!(
            matches!(&layers[0].head, LayerHead::Window { channels, len, .. }
            if channels.base10_digits() == "3" && len.base10_digits() == "64")
        );
        let LayerHead::Signal { keyword, args } = &layers[1].head else {
            panic!("expected a signal layer");
        };
        assert_eq!(keyword, "Conv1d");
        let named = args.as_ref().unwrap().named();
        assert_eq!(named.len(), 2);
        assert!(named[0].0.is_none() && named[1].0.as_ref().unwrap() == "kernel");
        assert!(matches!(named[1].1, Arg::Number(v, _) if v == 5.0));
        assert!(layers[1].activation.is_some());
        assert!(layers[2].activation.is_none() && layers[3].activation.is_none());
        assert!(
            error(quote! { struct A: [3] => Flatten => 1 Linear; }).contains("`[CHANNELS; LEN]`")
        );
        assert!(
            error(quote! { struct A: [3; 4; 5] => Flatten => 1 Linear; }).contains("nothing after")
        );
        assert!(
            error(quote! { struct A: [3; 4] ReLU => Flatten => 1 Linear; })
                .contains("the input takes no activation")
        );
        assert!(
            error(quote! { struct A: 2 => [3; 4] => 1 Linear; }).contains("expected a layer width")
        );
    }

    #[test]
    fn chain_parts_and_activations_take_any_path() {
        let input = parse(quote! {
            struct A: crate::m::A => self::m::B => super::C;
            struct B: 1 => 2 crate::acts::Swish => 1 super::Scaled(2.0);
        })
        .unwrap();
        assert_eq!(input.definitions[0].chain.len(), 3);
        let act = input.definitions[1].layers[2].activation.as_ref().unwrap();
        assert_eq!(
            quote::ToTokens::to_token_stream(&act.path).to_string(),
            "super :: Scaled"
        );
    }
}
