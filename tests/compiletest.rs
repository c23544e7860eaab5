//! Compile-fail tests: each file under `tests/ui/` holds one mistake, and its
//! `.stderr` pins the error the compiler prints for it. Refresh the snapshots
//! with `TRYBUILD=overwrite cargo test --test compiletest` and read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
