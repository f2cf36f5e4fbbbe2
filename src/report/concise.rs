//! The `concise` format (to be written).
use std::io::{self, Write};

pub fn render(_report: &super::Report<'_>, _out: &mut dyn Write) -> io::Result<()> {
    Ok(())
}
