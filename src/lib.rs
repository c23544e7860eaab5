//! The unpublished package that owns the workspace's examples and
//! integration tests. Its only code is the README and the guide
//! `docs/tutorial.md`, compiled here so that their examples run as doctests.
#![no_std]
#![forbid(unsafe_code)]
#![doc = include_str!("../README.md")]

/// The guide `docs/tutorial.md`: the tutorial step by step, next to the API
/// calls that perform each step.
#[doc = include_str!("../docs/tutorial.md")]
pub mod tutorial_guide {}
