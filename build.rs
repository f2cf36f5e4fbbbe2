//! Embeds the rule and provider data files (`rules/`) into the binary, so
//! that an installed `credlint` needs nothing beside itself.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let mut out = String::new();
    for (konst, rel) in [
        ("RULE_FILES", "rules"),
        ("PROVIDER_FILES", "rules/providers"),
    ] {
        let dir = root.join(rel);
        println!("cargo:rerun-if-changed={}", dir.display());
        let _ = writeln!(out, "pub static {konst}: &[(&str, &str)] = &[");
        for name in list(&dir) {
            let path = dir.join(&name);
            println!("cargo:rerun-if-changed={}", path.display());
            let _ = writeln!(
                out,
                "    ({:?}, include_str!({:?})),",
                format!("{rel}/{name}"),
                path.display().to_string()
            );
        }
        let _ = writeln!(out, "];");
    }
    let common = root.join("rules/common/placeholders.toml");
    println!("cargo:rerun-if-changed={}", common.display());
    let _ = writeln!(
        out,
        "pub static PLACEHOLDERS: &str = include_str!({:?});",
        common.display().to_string()
    );
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("data.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
