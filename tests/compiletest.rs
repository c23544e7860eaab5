//! Compile-fail tests: each file under `tests/ui/` holds one mistake, and its
//! `.stderr` pins the error the compiler prints for it. Refresh the snapshots
//! with `TRYBUILD=overwrite cargo test --test compiletest` and read the diff.
//!
//! `tests/ui-pass/` holds programs that must build and run. With them
//! present every case is built, not only checked, so the mistakes the
//! compiler finds when it instantiates generic code (a loss that does not
//! fit the output layer) are caught as well.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
