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

/// Every file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else {
            out.push(p);
        }
    }
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
    // A hash of the sources: the fact cache of a build is not used by
    // another (facts depend on the extractors' code, not only on the data).
    let src = root.join("src");
    println!("cargo:rerun-if-changed={}", src.display());
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        for b in f
            .strip_prefix(root)
            .unwrap_or(f)
            .to_string_lossy()
            .bytes()
            .chain(fs::read(f).unwrap_or_default())
        {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let _ = writeln!(out, "pub static SOURCE_HASH: &str = \"{hash:016x}\";");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("data.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
