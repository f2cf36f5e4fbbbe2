//! Extractors: one module per file format, each turning one file into
//! [`FileFacts`](crate::fact::FileFacts). An extractor knows nothing about
//! rules; a parse failure becomes a `ParseError` fact, not an abort.

pub mod dotenv;
