//! Saving and loading: the architecture text and fingerprint, and thin
//! methods over `backprop_core::weights`, where the format lives.
//!
//! Emits, for `Name`:
//!
//! - in `impl<T> Name<T>`: `ARCHITECTURE` (the canonical spec text) and
//!   `FINGERPRINT` (its CRC-32, computed by the runtime's `const fn crc32`);
//! - in `impl<T: Codec> Name<T>`: `from_bytes` and `load_bytes`;
//! - `Serialize` and `Deserialize` through the runtime's `__impl_serde!`,
//!   which writes nothing unless `backprop-core`'s `serde` feature is on;
//! - in `impl Name<f32>` and `impl Name<f64>`: `BYTES`, `to_bytes` and
//!   `from_bytes_const`, whose array lengths depend on the scalar, which a
//!   generic `T` cannot express on stable Rust.

use std::fmt::Write as _;

use proc_macro2::TokenStream;

use super::{lit, local};
use crate::model::Network;

/// The canonical spec text the fingerprint is computed from: widths and
/// activation names joined by `" => "`, `LeakyReLU` always with its slope as
/// the 16 hex digits of its `f64` bits, so that any program (the export
/// script too) writes the same text without formatting a float. An
/// input-major network's text starts with `#[layout(input_major)] `.
pub fn architecture_text(net: &Network) -> String {
    let mut text = net.inputs.to_string();
    for layer in &net.layers {
        let activation = layer.activation.fingerprint_text();
        // Writing to a `String` cannot fail.
        let _ = write!(text, " => {} {activation}", layer.outputs);
    }
    if net.layout == crate::model::Layout::InputMajor {
        // The flat order differs: a blob of the default layout must not load.
        text.insert_str(0, "#[layout(input_major)] ");
    }
    text
}

/// The length of a network's weights blob for a scalar of `size` bytes,
/// a literal, and what it is made of.
pub fn blob_len(params: usize) -> impl Fn(usize) -> (TokenStream, String) {
    move |size| {
        let bytes = 16 + params * size + 4;
        let doc =
            format!("{params} parameters of {size} bytes and a 4-byte CRC-32, {bytes} bytes.");
        let n = lit(bytes);
        (mixed!(#n), doc)
    }
}

/// `from_bytes` and `load_bytes` for any scalar, and `BYTES`, `to_bytes` and
/// `from_bytes_const` for `f32` and `f64`, over the type's `PARAMS` (`p`, a
/// literal or a const expression of concrete types) and its `FINGERPRINT`.
/// `what` names the type in the docs ("network" or "chain"); `blob_len`
/// gives, for a scalar size, the blob's length as tokens and the end of the
/// sentence documenting it.
pub fn byte_methods(
    name: &syn::Ident,
    p: &TokenStream,
    what: &str,
    blob_len: impl Fn(usize) -> (TokenStream, String),
) -> TokenStream {
    let from_doc = format!(
        "Loads a {what} from a weights blob (the format of \
         [`backprop_core::weights`](::backprop_core::weights)), after checking all of it.\n\n\
         # Errors\n\n\
         A [`LoadError`](::backprop_core::LoadError) naming the first check that failed: \
         length, magic number, version, checksum, scalar type, reserved byte, architecture \
         or parameter count."
    );
    let load_doc = format!(
        "Replaces this {what}'s parameters with those of a weights blob. The blob \
         is checked completely first; on error the {what} is left untouched.\n\n\
         # Errors\n\n\
         As [`Self::from_bytes`]."
    );
    let mut out = mixed! {
        impl<T: ::backprop_core::Codec> #name<T> {
            #[doc = #from_doc]
            pub fn from_bytes(bytes: &[u8]) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
                match ::backprop_core::weights::decode::<T, #p>(bytes, Self::FINGERPRINT) {
                    ::core::result::Result::Ok(params) => ::core::result::Result::Ok(Self::from_params(params)),
                    ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
                }
            }

            #[doc = #load_doc]
            pub fn load_bytes(&mut self, bytes: &[u8]) -> ::core::result::Result<(), ::backprop_core::LoadError> {
                match ::backprop_core::weights::decode::<T, #p>(bytes, Self::FINGERPRINT) {
                    ::core::result::Result::Ok(params) => {
                        *self.params_mut() = params;
                        ::core::result::Result::Ok(())
                    }
                    ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
                }
            }
        }
    };
    for (ty, size) in [("f32", 4), ("f64", 8)] {
        let encode = local(&format!("encode_{ty}_const"));
        let decode = local(&format!("decode_{ty}_const"));
        let (n, len_doc) = blob_len(size);
        let bytes_doc =
            format!("The size of this {what}'s `{ty}` weights blob: a 16-byte header, {len_doc}");
        let to_doc = format!(
            "The parameters as a weights blob of [`Self::BYTES`] bytes, in the format of \
             [`backprop_core::weights`](::backprop_core::weights): header, `{ty}` \
             parameters in the flat order, CRC-32."
        );
        let const_doc = format!(
            "A {what} from a weights blob at compile time, for weights in flash: \
             `static NET: {name}<{ty}> = {name}::<{ty}>::from_bytes_const(include_bytes!(\"net.bpnn\"));` \
             parses nothing at start-up and copies nothing into RAM. A blob of another \
             length than [`Self::BYTES`] is a type error.\n\n\
             # Panics\n\n\
             If the blob fails a check (magic number, version, checksum, scalar type, \
             architecture, parameter count); in a `static` or `const` initialiser that \
             is a compile error naming the check."
        );
        let ty = local(ty);
        out.extend(mixed! {
            impl #name<#ty> {
                #[doc = #bytes_doc]
                pub const BYTES: usize = #n;

                #[doc = #to_doc]
                #[must_use]
                pub const fn to_bytes(&self) -> [u8; #n] {
                    ::backprop_core::weights::#encode::<#p, #n>(self.params(), Self::FINGERPRINT)
                }

                #[doc = #const_doc]
                #[must_use]
                pub const fn from_bytes_const(bytes: &[u8; #n]) -> Self {
                    Self::from_params(::backprop_core::weights::#decode::<#p, #n>(bytes, Self::FINGERPRINT))
                }
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::architecture_text;
    use crate::ast::NetworkInput;
    use crate::errors::Errors;
    use crate::model::{Item, Model};

    fn text(spec: proc_macro2::TokenStream) -> String {
        let input: NetworkInput = syn::parse2(spec).unwrap();
        let errors = Errors::new();
        let model = Model::lower(&input, &errors);
        assert!(errors.finish().is_ok());
        let Some(Item::Network(def)) = model.items.first() else {
            panic!("not a network");
        };
        architecture_text(&def.network().unwrap())
    }

    #[test]
    fn canonical_text_spells_widths_and_activations() {
        assert_eq!(
            text(quote::quote!(struct S: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;)),
            "1 => 4 ReLU => 2 Sigmoid => 1 Linear"
        );
        assert_eq!(
            text(quote::quote!(struct S: 3 => 5 Tanh => 2 Softmax;)),
            "3 => 5 Tanh => 2 Softmax"
        );
    }

    #[test]
    fn leaky_relu_slope_is_written_as_f64_bits() {
        // 0.01 is 0x3f847ae147ae147b; 0.2 is 0x3fc999999999999a.
        assert_eq!(
            text(quote::quote!(struct S: 2 => 3 LeakyReLU => 1 LeakyReLU(0.2);)),
            "2 => 3 LeakyReLU(3f847ae147ae147b) => 1 LeakyReLU(3fc999999999999a)"
        );
    }

    #[test]
    fn a_users_activation_is_written_as_its_path() {
        assert_eq!(
            text(quote::quote!(struct S: 2 => 3 crate::acts::Swish => 1 self::Scaled(2);)),
            "2 => 3 crate::acts::Swish => 1 self::Scaled(4000000000000000)"
        );
    }
}
