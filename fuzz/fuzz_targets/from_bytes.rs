//! Any input: loading never panics, and whatever loads is exactly the blob
//! the loaded network saves, byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

backprop_core::network! {
    /// The tutorial's network.
    pub struct SeedNet: 1 => 4 ReLU => 2 Sigmoid => 1 Linear;
}

fuzz_target!(|data: &[u8]| {
    if let Ok(net) = SeedNet::<f32>::from_bytes(data) {
        assert_eq!(&net.to_bytes()[..], data);
    }
    if let Ok(net) = SeedNet::<f64>::from_bytes(data) {
        assert_eq!(&net.to_bytes()[..], data);
    }
    let mut net = SeedNet::<f32>::default();
    if net.load_bytes(data).is_err() {
        assert_eq!(net, SeedNet::<f32>::default());
    }
});
