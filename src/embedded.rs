//! The rule and provider data files, embedded at build time by `build.rs`.
//! Each entry is `(path relative to the crate root, file text)`.

include!(concat!(env!("OUT_DIR"), "/data.rs"));
