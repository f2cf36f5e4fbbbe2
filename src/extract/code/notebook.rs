//! Notebooks: stub.

use crate::extract::Extracted;
use crate::provider::{Hits, Providers};

/// Extract a notebook.
pub fn extract(_text: &str, _hits: Hits, _providers: &Providers) -> Extracted {
    Extracted::default()
}
