//! Replays every input in `tests/fuzz_regressions/` (crashers found by the
//! fuzz targets, named `TARGET-…`) through the check of a one-file
//! repository; each must finish without a panic.

use std::fs;
use std::path::Path;

use credlint::check::{CheckOptions, check};
use credlint::walk::{FileKind, Language, WalkOptions};

// The fuzz targets' shared harness, compiled here so that it keeps up with
// the library.
#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

fn kind_for(target: &str) -> FileKind {
    match target {
        "env_file" => FileKind::Env { shell: false },
        "yaml" => FileKind::Yaml,
        "toml" => FileKind::Toml,
        "json" => FileKind::Json { comments: true },
        "notebook" => FileKind::Notebook,
        "code" => FileKind::Code(Language::Python),
        _ => FileKind::Other,
    }
}

#[test]
fn the_fuzz_harness_runs_each_file_kind() {
    for target in [
        "env_file", "yaml", "toml", "json", "notebook", "code", "pipeline",
    ] {
        let data = b"OPENAI_API_KEY= sk-\norganization: org-\n{\"a\": [1, 2\n";
        common::run(kind_for(target), file_name_for(target), data);
        common::render(kind_for(target), file_name_for(target), data);
    }
}

/// The render target's harness on what it is for: a finding past column
/// 65,535 (miette fails there) and keys without a prefix on snippet lines.
#[test]
fn the_render_harness_runs_long_lines_and_keys() {
    let mistral: String = "aUe6Yc3JhGf8Ds1NpKw4RzT9bV2mL7xQ".chars().rev().collect();
    let long = format!(
        "{}var o=\"org-YgojjHRg80USP2W5DfJXcaYi\";/* {mistral} */\n",
        "a=b;".repeat(20_000)
    );
    common::render(
        FileKind::Code(Language::JavaScript),
        "app.min.js",
        long.as_bytes(),
    );
    let env =
        format!("OPENAI_ORG_ID={mistral}\n# {mistral}\nOPENAI_API_KEY=\"Bearer {mistral}\"\n");
    common::render(FileKind::Env { shell: false }, ".env", env.as_bytes());
}

fn file_name_for(target: &str) -> &'static str {
    match target {
        "env_file" => ".env",
        "yaml" => "config.yaml",
        "toml" => "config.toml",
        "json" => "config.json",
        "notebook" => "a.ipynb",
        "code" => "a.py",
        _ => "input.txt",
    }
}

#[test]
fn every_fuzz_regression_input_is_handled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for e in fs::read_dir(&dir).expect("regressions dir").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name == "README.md" {
            continue;
        }
        let target = name.split('-').next().unwrap_or("");
        let data = fs::read(e.path()).expect("read");
        if target == "nesting" {
            common::nesting_input(&data);
            continue;
        }
        let repo = tempfile::tempdir().expect("tmp");
        fs::write(repo.path().join(file_name_for(target)), &data).expect("write");
        let opts = CheckOptions {
            paths: vec![repo.path().to_path_buf()],
            walk: WalkOptions {
                base: Some(repo.path().to_path_buf()),
                ..WalkOptions::default()
            },
            ..CheckOptions::default()
        };
        check(&opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        common::run(kind_for(target), file_name_for(target), &data);
        common::render(kind_for(target), file_name_for(target), &data);
    }
}

/// The `nesting` target's shapes, seeded: every language, below and past
/// the engine's walk bound, stays linear (the harness checks the work).
#[test]
fn the_nesting_harness_runs_each_language() {
    let shapes: &[(&str, &str)] = &[
        ("f(os.environ[\"OPENAI_API_KEY\"], ({}))", "\"x\""),
        ("f(process.env.OPENAI_API_KEY, ({}))", "1"),
        ("a: {{ OPENAI_API_KEY, {} }}", "OPENAI_ORG_ID"),
        ("$(X=1 f \"$OPENAI_API_KEY\" {})", "${OPENAI_API_KEY:-x}"),
        (
            "f do |x|\nx.access_token = ENV[\"OPENAI_API_KEY\"]\n{}end\n",
            "",
        ),
        ("new({})", "null"),
        ("{}", ""),
    ];
    for lang in 0..common::LANGS.len() as u8 {
        for (wrap, leaf) in shapes {
            for depth in [0, 3, 200] {
                common::nested(lang, depth, wrap, leaf);
            }
        }
        // Past the walk bound.
        common::nested(lang, 1500, "(f({}))", "\"x\"");
    }
    // The target's own input format.
    common::nesting_input(b"\x00\x10\x00(\0x");
}
