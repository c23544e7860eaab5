//! Train, save, load: a `2 => 4 Tanh => 1 Sigmoid` network learns XOR, its
//! weights go to a file in the checksummed `BPNN` format, a fresh network
//! loads them and predicts bit for bit the same. Then the way firmware does
//! it: weights compiled into a `static` with `include_bytes!`, decoded and
//! checked by the compiler, so the device copies nothing into RAM and parses
//! nothing at start-up. Last, a damaged blob and one of another network are
//! refused with a message that says why.
//!
//! Run it with `cargo run --example save_and_load`; it writes
//! `target/xor.bpnn`. `-- --save PATH` also writes the trained blob to `PATH`
//! (that is how `examples/xor.bpnn`, the blob compiled in below, was made).

#[path = "common/mod.rs"]
mod common;

use backprop_core::loss::BinaryCrossEntropy;
use backprop_core::network;
use backprop_core::optim::Sgd;
use common::{XOR_INPUTS, XOR_TARGETS};

network! {
    /// Two inputs, four tanh units, one probability.
    pub struct Xor: 2 => 4 Tanh => 1 Sigmoid;
    /// Same widths, another activation: blobs of one do not load into the other.
    pub struct XorRelu: 2 => 4 ReLU => 1 Sigmoid;
}

/// Weights in flash: a trained XOR network, checked and decoded at compile
/// time. A blob of the wrong size would not compile; a damaged one would
/// fail the build with the check that failed.
static SHIPPED: Xor = Xor::<f32>::from_bytes_const(include_bytes!("xor.bpnn"));

/// A blob can also be made in const context, from parameters in the source.
const IDENTITY_BLOB: [u8; <Xor>::BYTES] = Xor::<f32>::from_params([0.5; 17]).to_bytes();
static FROM_CONST: Xor = Xor::<f32>::from_bytes_const(&IDENTITY_BLOB);

fn predictions(net: &Xor) -> [f32; 4] {
    XOR_INPUTS.map(|x| net.forward(&x)[0])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("{}\n", Xor::<f32>::summary());

    let mut trained = <Xor>::with_seed(1);
    let mut sgd = Sgd::new(0.5).with_momentum(0.9);
    let mut loss = f32::INFINITY;
    for _ in 0..2000 {
        loss = trained.train_batch(&XOR_INPUTS, &XOR_TARGETS, &BinaryCrossEntropy, &mut sgd);
    }
    println!("trained 2000 epochs of batch descent, loss {loss:.6}");

    // Save.
    let bytes = trained.to_bytes();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("xor.bpnn");
    std::fs::write(&path, bytes)?;
    println!(
        "saved {} bytes (20 header + {} architecture text + {} x 4 parameters + 4 CRC-32) to {}",
        bytes.len(),
        <Xor>::ARCHITECTURE.len(),
        <Xor>::PARAMS,
        path.display()
    );
    let mut args = std::env::args().skip(1);
    if let (Some(flag), Some(extra)) = (args.next(), args.next())
        && flag == "--save"
    {
        std::fs::write(&extra, bytes)?;
        println!("also saved to {extra}");
    }

    // Load into a fresh network.
    let loaded = <Xor>::from_bytes(&std::fs::read(&path)?)?;
    println!("\n  input     trained    loaded from file    in flash (examples/xor.bpnn)");
    let (a, b, c) = (
        predictions(&trained),
        predictions(&loaded),
        predictions(&SHIPPED),
    );
    for (k, x) in XOR_INPUTS.iter().enumerate() {
        println!(
            "  {} XOR {}   {:.6}   {:.6}            {:.6}",
            x[0], x[1], a[k], b[k], c[k]
        );
    }
    assert_eq!(
        a.map(f32::to_bits),
        b.map(f32::to_bits),
        "a loaded network must predict bit for bit as the saved one"
    );
    assert_eq!(loaded, trained);
    println!("trained and loaded agree bit for bit");
    let shipped_correct = XOR_INPUTS
        .iter()
        .zip(&XOR_TARGETS)
        .filter(|(x, t)| (SHIPPED.forward(x)[0] > 0.5) == (t[0] > 0.5))
        .count();
    assert_eq!(shipped_correct, 4, "the compiled-in network solves XOR");
    assert_eq!(
        SHIPPED,
        <Xor>::from_bytes(include_bytes!("xor.bpnn"))?,
        "compile-time and run-time loading agree"
    );
    if SHIPPED.to_bytes() == bytes {
        println!("the compiled-in blob is the one this run trained");
    } else {
        println!("the compiled-in blob was trained by another build (rewrite it with --save)");
    }
    assert_eq!(FROM_CONST.params(), &[0.5; 17]);

    // Refusals.
    let mut damaged = bytes;
    damaged[30] ^= 0x04;
    let mut target = loaded;
    match target.load_bytes(&damaged) {
        Err(e) => println!("\na flipped bit:        {e}"),
        Ok(()) => panic!("a damaged blob was accepted"),
    }
    assert_eq!(
        target, loaded,
        "a refused load leaves the network untouched"
    );
    match XorRelu::<f32>::from_bytes(&bytes) {
        Err(e) => println!("another architecture: {e}"),
        Ok(_) => panic!("a blob of another architecture was accepted"),
    }
    match XorRelu::<f64>::from_bytes(&bytes[..50]) {
        Err(e) => println!("truncated:            {e}"),
        Ok(_) => panic!("a truncated blob was accepted"),
    }
    Ok(())
}
