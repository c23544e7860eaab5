//! `docs/compile-errors.md`, "What the compiler catches for you", is built
//! from the compile-fail cases in `tests/ui/` and their `.stderr` snapshots,
//! and this test fails when the page and the snapshots disagree, so the page
//! cannot drift from what the compiler really says. Regenerate it with
//! `UPDATE_DOCS=1 cargo test --test test_docs`.

use std::fmt::Write as _;
use std::path::Path;

/// The page's sections: a title and the cases shown under it, in reading
/// order. Every case in `tests/ui/` must appear exactly once.
const SECTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "Writing the spec",
        &[
            ("empty-invocation", "An empty invocation"),
            ("empty-spec", "A definition with no layers at all"),
            ("no-layers", "An input width but no layers"),
            ("missing-name", "A missing struct name"),
            ("name-t", "A network named `T`, its own scalar parameter"),
            (
                "name-primitive",
                "A network named like a primitive type or a generated generic parameter",
            ),
            ("name-clash", "Two definitions that declare the same item"),
            (
                "derive-provided",
                "A `#[derive]` of a trait the macro implements",
            ),
            ("missing-colon", "A missing `:`"),
            ("missing-arrow", "A missing `=>` between layers"),
            ("doubled-arrow", "A doubled `=>`"),
            ("trailing-arrow", "A trailing `=>`"),
        ],
    ),
    (
        "Widths",
        &[
            ("zero-width", "A width of 0"),
            (
                "width-not-a-literal",
                "A width that is a constant, not a literal",
            ),
            ("width-not-whole", "A width that is not a whole number"),
            ("width-suffix", "A width with a type suffix"),
            (
                "unroll-full-too-large",
                "A layer too large for `#[unroll(full)]`",
            ),
            ("unknown-unroll", "An unknown `#[unroll]` policy"),
            ("layout-unknown", "An unknown `#[layout]`"),
        ],
    ),
    (
        "Activations",
        &[
            (
                "unknown-activation",
                "An unknown activation, with the nearest name suggested",
            ),
            ("activation-on-input", "An activation on the input width"),
            (
                "activation-keyword",
                "A keyword where an activation belongs",
            ),
            (
                "activation-unknown-path",
                "A path to a type that is not an activation",
            ),
            (
                "hidden-layer-without-activation",
                "A layer with no activation",
            ),
            (
                "activation-argument",
                "An argument to an activation that takes none",
            ),
            (
                "activation-argument-suffix",
                "An activation argument with a type suffix",
            ),
            (
                "activation-argument-too-large",
                "An activation argument that `f32` cannot hold",
            ),
            ("softmax-hidden", "`Softmax` before the last layer"),
            ("softmax-single-output", "`Softmax` over a single output"),
            (
                "two-mistakes-at-once",
                "Several mistakes: all reported in one compile",
            ),
        ],
    ),
    (
        "Signal layers",
        &[
            (
                "signal-dense-on-window",
                "A dense layer on a window, without `Flatten` or global pooling",
            ),
            (
                "signal-after-flatten",
                "A convolution after `Flatten`, on a vector",
            ),
            (
                "signal-kernel-too-long",
                "A kernel that spans more steps than its input has",
            ),
            (
                "signal-pool-too-long",
                "A pooling window longer than its input",
            ),
            ("signal-stride-zero", "A stride of 0"),
            (
                "signal-same-with-stride",
                "`padding = same` with a stride other than 1",
            ),
            (
                "signal-ends-with-pooling",
                "A network that does not end with a dense layer",
            ),
        ],
    ),
    (
        "Recurrent layers",
        &[
            (
                "recurrent-on-window",
                "A recurrent layer in a network whose input is a window",
            ),
            (
                "recurrent-last",
                "A recurrent layer last, with no dense layer after it",
            ),
            ("recurrent-args", "Arguments after `GRU` or `LSTM`"),
            (
                "recurrent-in-chain",
                "A recurrent network as a chain's part",
            ),
        ],
    ),
    (
        "Chains",
        &[
            ("chain-attribute", "`#[layout]` or `#[unroll]` on a chain"),
            ("chain-of-itself", "A chain that contains itself"),
            (
                "chain-part-not-a-network",
                "A chain part that is not a network (the first error names it)",
            ),
            ("chain-part-generic", "A chain part with generic arguments"),
        ],
    ),
    (
        "Shapes at the call site",
        &[
            (
                "forward-wrong-length",
                "`forward` given an input of the wrong length",
            ),
            (
                "signal-forward-wrong-window",
                "`forward` given a window of the wrong length",
            ),
            (
                "loss-and-gradients-wrong-input",
                "`loss_and_gradients` given the wrong input",
            ),
            (
                "train-step-wrong-target",
                "`train_step` given a target of the wrong length",
            ),
            (
                "from-params-wrong-count",
                "`from_params` given the wrong number of parameters",
            ),
            (
                "layer-view-wrong-shape",
                "A layer view assigned the wrong shape",
            ),
            (
                "chain-width-mismatch",
                "Chaining networks whose widths disagree",
            ),
        ],
    ),
    (
        "Losses that do not fit the output layer (reported by `cargo build`, not `cargo check`)",
        &[
            (
                "loss-cross-entropy-without-softmax",
                "`CrossEntropy` after an output layer that is not `Softmax`",
            ),
            (
                "loss-binary-cross-entropy-without-sigmoid",
                "`BinaryCrossEntropy` after an output layer that is not `Sigmoid`",
            ),
        ],
    ),
    (
        "Weights compiled in",
        &[
            ("weights-wrong-size", "A weights blob of the wrong size"),
            (
                "weights-corrupted-const",
                "A corrupted weights blob in a `static`",
            ),
        ],
    ),
];

fn page(root: &Path) -> String {
    let mut out = String::from(
        "# What the compiler catches for you\n\n\
         Every mistake below is a compile error, reported at the token that caused it. \
         Each case is a compile-fail test in `tests/ui/`; this page is generated from \
         those files and the compiler output pinned beside them, and a test fails if \
         the two ever disagree (regenerate with `UPDATE_DOCS=1 cargo test --test test_docs`).\n",
    );
    for (title, cases) in SECTIONS {
        let _ = write!(out, "\n## {title}\n");
        for (case, heading) in *cases {
            let source = std::fs::read_to_string(root.join(format!("tests/ui/{case}.rs")))
                .unwrap_or_else(|e| panic!("tests/ui/{case}.rs: {e}"));
            let stderr = std::fs::read_to_string(root.join(format!("tests/ui/{case}.stderr")))
                .unwrap_or_else(|e| panic!("tests/ui/{case}.stderr: {e}"));
            let _ = write!(
                out,
                "\n### {heading}\n\n```rust\n{}\n```\n\n```text\n{}\n```\n",
                source.trim_end(),
                stderr.trim_end()
            );
        }
    }
    out
}

#[test]
fn compile_errors_page_matches_the_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<String> = std::fs::read_dir(root.join("tests/ui"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    cases.sort();
    let mut listed: Vec<String> = SECTIONS
        .iter()
        .flat_map(|(_, cases)| cases.iter().map(|(c, _)| (*c).to_owned()))
        .collect();
    listed.sort();
    assert_eq!(
        cases, listed,
        "every tests/ui case appears on the page exactly once"
    );

    let expected = page(root);
    let path = root.join("docs/compile-errors.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "docs/compile-errors.md is out of date; run UPDATE_DOCS=1 cargo test --test test_docs"
    );
}
