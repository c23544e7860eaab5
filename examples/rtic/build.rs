//! With the `defmt` feature, links defmt's linker script (the table of
//! interned log strings), which the decoder on the host reads from the ELF.

fn main() {
    if std::env::var_os("CARGO_FEATURE_DEFMT").is_some() {
        println!("cargo:rustc-link-arg=-Tdefmt.x");
    }
}
