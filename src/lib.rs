//! The unpublished package that owns the workspace's examples and
//! integration tests. Its only code is the README, compiled here so that the
//! README's usage example runs as a doctest.
#![no_std]
#![forbid(unsafe_code)]
#![doc = include_str!("../README.md")]
