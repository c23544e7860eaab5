//! Saving and loading: the architecture text and fingerprint, and thin
//! methods over `backprop_core::weights`, where the format lives.
//!
//! Emits, for `Name`:
//!
//! - in `impl<T> Name<T>`: `ARCHITECTURE` (the canonical spec text) and
//!   `FINGERPRINT` (its CRC-32, computed by the runtime's `const fn crc32`,
//!   which the blob's header records beside the text);
//! - in `impl<T: Codec> Name<T>`: `from_bytes` and `load_bytes`;
//! - `Serialize` and `Deserialize` through the runtime's `__impl_serde!`,
//!   which writes nothing unless `backprop-core`'s `serde` feature is on;
//! - an invocation of the runtime's `__private::byte_methods!`, which
//!   writes `impl Name<f32>`, `impl Name<f64>` (each scalar type the
//!   runtime has const encoders for) with `BYTES`, `to_bytes` and
//!   `from_bytes_const`: their array lengths depend on the scalar, which a
//!   generic `T` cannot express on stable Rust, and a `const fn` cannot call
//!   the scalar's trait methods.

use std::fmt::Write as _;

use proc_macro2::TokenStream;

use crate::model::Network;

/// The canonical spec text the fingerprint is computed from: the input
/// (`4`, or a window `[3; 64]`), then each layer, joined by `" => "`: widths
/// and activation names, signal layers with every option written
/// (`Conv1d(16, kernel = 5, stride = 1, dilation = 1, padding = valid) ReLU`,
/// `MaxPool1d(2, stride = 2)`), `LeakyReLU` always with its slope as
/// the 16 hex digits of its `f64` bits, so that any program (the export
/// script too) writes the same text without formatting a float. An
/// input-major network's text starts with `#[layout(input_major)] `.
pub fn architecture_text(net: &Network) -> String {
    let mut text = net.input_text();
    for layer in &net.layers {
        // Writing to a `String` cannot fail.
        let _ = write!(text, " => {}", layer.canonical());
    }
    if net.layout == crate::model::Layout::InputMajor {
        // The flat order differs: a blob of the default layout must not load.
        text.insert_str(0, "#[layout(input_major)] ");
    }
    text
}

/// What a network's parameters are, in the docs of its weights blob's
/// length: `"21 parameters"`.
pub fn params_doc(params: usize) -> String {
    format!("{params} parameters")
}

/// `from_bytes` and `load_bytes` for any `Codec` scalar, and the
/// runtime's `byte_methods!` for `BYTES`, `to_bytes` and `from_bytes_const`
/// per concrete scalar type (which types, the runtime decides), over the
/// type's `PARAMS` (`p`, a literal or a const expression of concrete types)
/// and its `ARCHITECTURE`, which the blob records. `what` names the type in the docs ("network" or
/// "chain"); `params_doc` says what its parameters are, for the sentence
/// documenting the blob's length ("21 parameters").
pub fn byte_methods(
    name: &syn::Ident,
    p: &TokenStream,
    what: &str,
    params_doc: &str,
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
    // The per-type methods' names, with the span of the network's name, as
    // `point_methods_at` gives the other methods: the compiler's "defined
    // here" notes then point at the name rather than the whole invocation.
    let to_bytes = syn::Ident::new("to_bytes", name.span());
    let from_bytes_const = syn::Ident::new("from_bytes_const", name.span());
    mixed! {
        impl<T: ::backprop_core::Codec> #name<T> {
            #[doc = #from_doc]
            pub fn from_bytes(bytes: &[u8]) -> ::core::result::Result<Self, ::backprop_core::LoadError> {
                match ::backprop_core::weights::decode::<T, #p>(bytes, Self::ARCHITECTURE) {
                    ::core::result::Result::Ok(params) => ::core::result::Result::Ok(Self::from_params(params)),
                    ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
                }
            }

            #[doc = #load_doc]
            pub fn load_bytes(&mut self, bytes: &[u8]) -> ::core::result::Result<(), ::backprop_core::LoadError> {
                match ::backprop_core::weights::decode::<T, #p>(bytes, Self::ARCHITECTURE) {
                    ::core::result::Result::Ok(params) => {
                        *self.params_mut() = params;
                        ::core::result::Result::Ok(())
                    }
                    ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
                }
            }
        }

        ::backprop_core::__private::byte_methods! {
            #name, #p, #what, #params_doc, #to_bytes, #from_bytes_const
        }
    }
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
