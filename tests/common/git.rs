//! Git in tests: skipped where git is not installed, and never reading the
//! user's configuration or the environment of a hook that runs the tests.

use std::path::Path;
use std::process::Command;

pub fn available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Skip a test (with a note) where git is not installed.
#[allow(unused_macros)]
macro_rules! need_git {
    () => {
        if !crate::common::git::available() {
            eprintln!("git is not installed: skipping");
            return;
        }
    };
}
#[allow(unused_imports)]
pub(crate) use need_git;

/// No global or system configuration, nothing inherited from a hook.
pub fn isolate(cmd: &mut Command) -> &mut Command {
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env("NO_COLOR", "1")
}

/// Run `git args` in `dir` (with `env` set) as a fixed, unsigned author;
/// panics with git's message when it fails; its output, trimmed.
pub fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = isolate(&mut Command::new("git"))
        .current_dir(dir)
        .envs(env.iter().copied())
        .args([
            "-c",
            "user.name=credlint",
            "-c",
            "user.email=credlint@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
