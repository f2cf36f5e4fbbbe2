//! The command line: argument parsing and the subcommands. `main.rs` only
//! calls [`main`] and exits with its code.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::baseline::Baseline;
use crate::check::{self, CheckOptions};
use crate::config;
use crate::progress::{self, Progress};
use crate::report::{self, Format, Report};
use crate::rule;
use crate::walk::{Globs, WalkOptions};

/// Exit code: no failing findings.
pub const EXIT_OK: u8 = 0;
/// Exit code: failing findings.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "credlint",
    version,
    about = "Lint LLM-provider credential configuration: keys, organizations, projects, env files.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders (default: the current folder).
    Check(Box<CheckArgs>),
    /// List every rule.
    Rules {
        /// Print the README's Markdown rule table.
        #[arg(long)]
        markdown: bool,
    },
    /// Explain one rule: what, why, example, fix.
    Rule {
        /// A rule code, e.g. ORG001.
        code: String,
    },
    /// Scan what each commit added for keys and org/project IDs (KEY001,
    /// ORG001, ORG004): each secret once, at the commit that introduced it.
    History(Box<HistoryArgs>),
    /// Print the shell completion script for SHELL to stdout.
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print credlint's man page (roff) to stdout, or write one page per
    /// command into a folder.
    Man {
        /// Write credlint.1 and a page per subcommand (credlint-check.1 and
        /// so on) into this folder instead of printing credlint.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// The commits to scan, as `git log` takes them: `origin/main..HEAD`
    /// for a pull request's commits [default: HEAD and all its history].
    #[arg(value_name = "REVISION-RANGE")]
    pub revisions: Vec<String>,
    /// Output format [default: pretty on a terminal, concise otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Only these rules (codes or prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules (codes or prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Leave out paths matching this gitignore-style glob, relative to the
    /// current folder (repeatable).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Skip blobs larger than this many bytes [default: 5 MiB].
    #[arg(long)]
    pub max_file_size: Option<u64>,
    /// Use this configuration file instead of discovering credlint.toml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ignore any credlint.toml.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Report only findings that are not recorded in this baseline file
    /// (one written by `check` at HEAD, or by `history`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file and exit 0 (once
    /// the keys they name are rotated).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Worker threads [default: the number of cores].
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Print findings only: no summary line, no progress display.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write the report to FILE (replaced atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check.
    pub paths: Vec<PathBuf>,
    /// Output format [default: pretty on a terminal, concise otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Only these rules (codes or prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules (codes or prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Leave out paths matching this gitignore-style glob, relative to the
    /// current folder (repeatable).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Apply excludes to files named on the command line too (for pre-commit,
    /// which names every changed file).
    #[arg(long)]
    pub force_exclude: bool,
    /// Skip files larger than this many bytes, 1 to 64 GiB [default: 5 MiB].
    #[arg(long, value_name = "BYTES", value_parser = parse_max_file_size)]
    pub max_file_size: Option<u64>,
    /// Use this configuration file instead of discovering credlint.toml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ignore any credlint.toml.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Check the files staged in git, with their staged content.
    #[arg(long, conflicts_with = "paths")]
    pub staged: bool,
    /// Report only findings that are not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Worker threads, 1 to 256 [default: the number of cores].
    #[arg(long, short = 'j', value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Print findings only: no summary line, no progress display.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the number of findings per rule instead of the findings
    /// (pretty, concise and json formats).
    #[arg(long)]
    pub statistics: bool,
    /// Write the report to FILE (replaced atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Apply the safe fixes, then check again and report what remains.
    #[arg(long, conflicts_with = "staged")]
    pub fix: bool,
    /// Apply (with --fix) or show (with --diff) the unsafe fixes too: they
    /// may change what the program does.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1
    /// when there is anything to fix.
    #[arg(long, conflicts_with_all = ["output_file", "statistics", "staged"])]
    pub diff: bool,
    /// Ask each provider whether every key works with the organization,
    /// project and base URL its scope sends (network; nothing is sent
    /// without this flag or `verify = true`).
    #[arg(long, overrides_with = "no_verify")]
    pub verify: bool,
    /// Do not verify, even if credlint.toml sets `verify = true`.
    #[arg(long, overrides_with = "verify")]
    pub no_verify: bool,
    /// With --verify: send every request to this base URL instead of the
    /// scope's (a proxy); `PROVIDER=URL` for one provider (repeatable).
    #[arg(long, value_name = "[PROVIDER=]URL", value_parser = crate::verify::ApiBase::parse)]
    pub api_base: Vec<crate::verify::ApiBase>,
    /// With --verify: seconds to wait for one answer, 1 to 3600 [default: 10].
    #[arg(long, value_name = "SECONDS", value_parser = parse_verify_timeout)]
    pub verify_timeout: Option<u64>,
    /// Neither read nor write the fact cache.
    #[arg(
        long,
        env = "CREDLINT_NO_CACHE",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub no_cache: bool,
    /// Keep the fact cache in DIR [default: .credlint_cache at the root of
    /// the git work tree checked, else of the current folder].
    #[arg(long, value_name = "DIR", env = "CREDLINT_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// Most worker threads `-j` takes: more only adds contention (and a
/// huge count would try to start that many threads).
pub const MAX_THREADS: usize = 256;

/// Longest `--verify-timeout`, in seconds (an hour per answer).
pub const MAX_VERIFY_TIMEOUT: u64 = 3600;

/// A whole number in `min..=max`; clap shows the error with the option.
fn bounded(s: &str, min: u64, max: u64, unit: &str) -> Result<u64, String> {
    let n: u64 = s
        .trim()
        .parse()
        .map_err(|_| format!("not a whole number of {unit}"))?;
    if n < min || n > max {
        return Err(format!("must be between {min} and {max} {unit}"));
    }
    Ok(n)
}

fn parse_max_file_size(s: &str) -> Result<u64, String> {
    bounded(s, 1, config::MAX_FILE_SIZE_LIMIT, "bytes")
}

fn parse_threads(s: &str) -> Result<usize, String> {
    let n = bounded(s, 1, MAX_THREADS as u64, "threads")?;
    usize::try_from(n).map_err(|e| e.to_string())
}

fn parse_verify_timeout(s: &str) -> Result<u64, String> {
    bounded(s, 1, MAX_VERIFY_TIMEOUT, "seconds")
}

/// Run the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let code = match cli.command {
        Command::Check(args) => run_check(*args),
        Command::Rules { markdown } => list_rules(markdown),
        Command::Rule { code } => explain_rule(&code),
        Command::History(args) => run_history(*args),
        Command::Completions { shell } => print_completions(shell),
        Command::Man { dir } => man(dir.as_deref()),
    };
    ExitCode::from(code)
}

fn error(msg: impl std::fmt::Display) -> u8 {
    eprintln!("credlint: error: {msg}");
    EXIT_ERROR
}

/// Where configuration discovery starts: the repository's root for
/// `--staged`, else the deepest folder that holds every path named.
fn discovery_start(args: &CheckArgs, paths: &[PathBuf]) -> Option<PathBuf> {
    if args.staged {
        let cwd = std::env::current_dir().ok()?;
        return crate::walk::repo_root(&cwd).or(Some(cwd));
    }
    config::common_folder(paths)
}

/// Print a configuration error as a miette report (colour on a terminal
/// unless NO_COLOR is set).
fn config_error(e: config::ConfigError) -> u8 {
    let color =
        io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut text = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(crate::report::pretty::WIDTH)
        .with_urls(false);
    match handler.render_report(&mut text, &e) {
        Ok(()) => eprint!("{text}"),
        Err(_) => eprintln!("credlint: error: {e}"),
    }
    EXIT_ERROR
}

fn run_check(args: CheckArgs) -> u8 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config_path = if args.isolated {
        None
    } else {
        args.config
            .clone()
            .or_else(|| discovery_start(&args, &paths).and_then(|d| config::discover(&d)))
    };
    let config = match load_config(config_path.as_deref(), &cwd) {
        Ok(c) => c,
        Err(e) => return config_error(*e),
    };
    let config_root = config
        .root()
        .map(crate::walk::absolute_lexical)
        .unwrap_or_else(|| cwd.clone());
    let rooted = |globs: &[String]| {
        if globs.is_empty() {
            Vec::new()
        } else {
            vec![Globs {
                root: config_root.clone(),
                globs: globs.to_vec(),
            }]
        }
    };
    let baseline = match &args.baseline {
        Some(p) => match Baseline::load(p) {
            Ok(b) => Some(b),
            Err(e) => return error(e),
        },
        None => None,
    };
    let mut opts = CheckOptions {
        paths,
        walk: WalkOptions {
            exclude: args.exclude.clone(),
            threads: args.threads.unwrap_or(0),
            base: None,
            rooted_exclude: rooted(&config.exclude),
            force_exclude: args.force_exclude,
            extend_include: rooted(&config.extend_include),
        },
        max_file_size: args
            .max_file_size
            .or(config.max_file_size)
            .unwrap_or(check::DEFAULT_MAX_FILE_SIZE),
        select: if args.select.is_empty() {
            config.select.clone()
        } else {
            args.select.clone()
        },
        ignore: config.ignore.iter().chain(&args.ignore).cloned().collect(),
        severity: config.severity.clone(),
        staged: args.staged,
        providers: config.providers.clone(),
        pairs: config.pairs.clone(),
        pairs_root: config.root().map(Path::to_path_buf),
        baseline,
        context: true,
        progress: None,
        // An earlier report in the tree is not linted (it quotes org IDs).
        skip_files: args
            .output_file
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect(),
        verify: (!args.no_verify && (args.verify || config.verify)).then(|| check::VerifyOptions {
            api_base: args.api_base.clone(),
            timeout: args.verify_timeout.map_or(
                crate::verify::DEFAULT_TIMEOUT,
                std::time::Duration::from_secs,
            ),
        }),
        cache: (!args.no_cache).then(|| check::CacheOptions {
            dir: args.cache_dir.clone(),
        }),
    };
    if opts.verify.is_none() && (!args.api_base.is_empty() || args.verify_timeout.is_some()) {
        return error("--api-base and --verify-timeout need --verify");
    }
    if let Some(known) = args
        .api_base
        .iter()
        .filter_map(|b| b.provider.as_deref())
        .find(|p| crate::provider::Providers::builtin().by_name(p).is_none())
    {
        return error(format!("--api-base: unknown provider {known:?}"));
    }
    let stdout = io::stdout();
    // A report written to a file is never for a terminal.
    let tty = args.output_file.is_none() && stdout.is_terminal();
    let format = args
        .format
        .unwrap_or(if tty { Format::Pretty } else { Format::Concise });
    if args.statistics && !matches!(format, Format::Pretty | Format::Concise | Format::Json) {
        return error(format!(
            "--statistics works with --format pretty, concise or json, not {}",
            format_name(format)
        ));
    }
    let display = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let counters = Arc::new(progress::Counters::default());
        opts.progress = Some(counters.clone());
        Progress::start(
            counters,
            Box::new(io::stderr()),
            progress::DEFAULT_DELAY,
            progress::DEFAULT_INTERVAL,
        )
    });
    if let Some(n) = args.threads {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let outcome = check::check(&opts);
    if let Some(d) = display {
        d.finish();
    }
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => return error(e),
    };
    for s in &outcome.skipped {
        if s.reason.is_unreadable() {
            eprintln!(
                "credlint: warning: {}: cannot read: {}",
                s.display, s.detail
            );
        }
    }
    for n in &outcome.notes {
        eprintln!("credlint: note: {n}");
    }
    if let Some(path) = &args.write_baseline {
        if let Err(e) = Baseline::write(path, &outcome.findings) {
            return error(e);
        }
        eprintln!(
            "credlint: wrote {} to {} (rule, path and fingerprint of each; no secrets)",
            count(outcome.findings.len(), "finding", "findings"),
            path.display()
        );
        return EXIT_OK;
    }
    if outcome.baselined > 0 && !args.quiet {
        eprintln!(
            "credlint: note: {} recorded in the baseline not shown",
            count(outcome.baselined, "finding", "findings")
        );
    }
    if args.diff {
        return show_diff(&outcome, args.unsafe_fixes, args.quiet);
    }
    // "Fixed N problems." before the summary line, the fixable count at
    // its end, so the summary stays the last line.
    let mut fix_lines = (Vec::new(), None);
    let outcome = if args.fix {
        match crate::fix::apply::run(&opts, outcome, args.unsafe_fixes) {
            Ok(run) => {
                warn_refused(&run.refused);
                fix_lines.0.push(format!(
                    "Fixed {} {}.",
                    run.fixed,
                    if run.fixed == 1 {
                        "problem"
                    } else {
                        "problems"
                    }
                ));
                run.outcome
            }
            Err(e) => return error(e),
        }
    } else {
        outcome
    };
    // --fix refuses --staged (it would edit the work tree, not what is
    // staged): no hint to run it.
    if !args.staged {
        fix_lines.1 = crate::fix::Fixable::count(&outcome.findings).hint(args.unsafe_fixes);
    }

    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let report = Report {
        rules: crate::rule::builtin(),
        providers: crate::provider::Providers::builtin(),
        findings: &outcome.findings,
        summary: &outcome.summary,
        sources: &outcome.sources,
        color: tty && !no_color,
    };
    // Rule codes link to their pages where the terminal shows hyperlinks.
    let links = report.color && supports_hyperlinks::on(supports_hyperlinks::Stream::Stdout);
    let emit = |out: &mut dyn Write| emit_report(&args, format, &report, links, &fix_lines, out);
    if let Some(path) = &args.output_file {
        if let Err(e) = crate::atomic_write::write_atomically(path, emit) {
            return error(format!(
                "cannot write the report to {}: {e}",
                path.display()
            ));
        }
    } else {
        let mut out = io::BufWriter::new(stdout.lock());
        let written = emit(&mut out).and_then(|_| out.flush());
        if let Err(e) = written
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            return error(format!("cannot write the report: {e}"));
        }
    }
    if outcome.findings.iter().any(|f| f.severity.fails()) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// `credlint history`: configuration as `check` finds it from the current
/// folder, then the scan, then the report.
/// The configuration at `path` (none: the defaults), named in messages
/// relative to `cwd`, validated against the built-in rules and providers.
fn load_config(
    path: Option<&Path>,
    cwd: &Path,
) -> Result<config::Config, Box<config::ConfigError>> {
    let Some(p) = path else {
        return Ok(config::Config::default());
    };
    let shown = crate::walk::display_path(
        &crate::walk::absolute_lexical(p),
        &std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf()),
    );
    config::load(
        p,
        &shown,
        rule::builtin(),
        crate::provider::Providers::builtin(),
    )
}

fn run_history(args: HistoryArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config_path = if args.isolated {
        None
    } else {
        args.config.clone().or_else(|| config::discover(&cwd))
    };
    let config = match load_config(config_path.as_deref(), &cwd) {
        Ok(c) => c,
        Err(e) => return config_error(*e),
    };
    let config_root = config
        .root()
        .map(crate::walk::absolute_lexical)
        .unwrap_or_else(|| cwd.clone());
    let baseline = match &args.baseline {
        Some(p) => match Baseline::load(p) {
            Ok(b) => Some(b),
            Err(e) => return error(e),
        },
        None => None,
    };
    let mut opts = crate::history::HistoryOptions {
        revisions: args.revisions.clone(),
        base: cwd.clone(),
        max_file_size: args
            .max_file_size
            .or(config.max_file_size)
            .unwrap_or(check::DEFAULT_MAX_FILE_SIZE),
        select: if args.select.is_empty() {
            config.select.clone()
        } else {
            args.select.clone()
        },
        ignore: config.ignore.iter().chain(&args.ignore).cloned().collect(),
        severity: config.severity.clone(),
        providers: config.providers.clone(),
        walk: WalkOptions {
            exclude: args.exclude.clone(),
            base: Some(cwd.clone()),
            rooted_exclude: if config.exclude.is_empty() {
                Vec::new()
            } else {
                vec![Globs {
                    root: config_root,
                    globs: config.exclude.clone(),
                }]
            },
            ..WalkOptions::default()
        },
        baseline,
        threads: args.threads.unwrap_or(0),
        progress: None,
    };
    let tty = args.output_file.is_none() && io::stdout().is_terminal();
    let format = args
        .format
        .unwrap_or(if tty { Format::Pretty } else { Format::Concise });
    let display = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let counters = Arc::new(progress::Counters::default());
        opts.progress = Some(counters.clone());
        Progress::start(
            counters,
            Box::new(io::stderr()),
            progress::DEFAULT_DELAY,
            progress::DEFAULT_INTERVAL,
        )
    });
    let outcome = crate::history::history(&opts);
    if let Some(d) = display {
        d.finish();
    }
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => return error(e),
    };
    for n in &outcome.notes {
        eprintln!("credlint: note: {n}");
    }
    if let Some(path) = &args.write_baseline {
        if let Err(e) = Baseline::write(path, &outcome.findings) {
            return error(e);
        }
        eprintln!(
            "credlint: wrote {} to {} (rule, path and fingerprint of each; no secrets)",
            count(outcome.findings.len(), "finding", "findings"),
            path.display()
        );
        return EXIT_OK;
    }
    if !args.quiet {
        if outcome.baselined > 0 {
            eprintln!(
                "credlint: note: {} recorded in the baseline not shown",
                count(outcome.baselined, "finding", "findings")
            );
        }
        if outcome.ignored_at_head > 0 {
            eprintln!(
                "credlint: note: {} ignored by a `credlint: ignore` at HEAD not shown",
                count(outcome.ignored_at_head, "finding", "findings")
            );
        }
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let emit = |out: &mut dyn Write| -> io::Result<()> {
        crate::history::render(&outcome, format, tty && !no_color, out)?;
        if !args.quiet && matches!(format, Format::Pretty | Format::Concise) {
            writeln!(out, "{}", crate::history::summary_line(&outcome))?;
        }
        Ok(())
    };
    if let Some(path) = &args.output_file {
        if let Err(e) = crate::atomic_write::write_atomically(path, emit) {
            return error(format!(
                "cannot write the report to {}: {e}",
                path.display()
            ));
        }
    } else {
        let mut out = io::BufWriter::new(io::stdout().lock());
        let written = emit(&mut out).and_then(|_| out.flush());
        if let Err(e) = written
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            return error(format!("cannot write the report: {e}"));
        }
    }
    if outcome.findings.iter().any(|f| f.severity.fails()) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The report, or the statistics, then the summary line after the
/// human-readable formats.
fn emit_report(
    args: &CheckArgs,
    format: Format,
    report: &Report<'_>,
    links: bool,
    fix_lines: &(Vec<String>, Option<String>),
    out: &mut dyn Write,
) -> io::Result<()> {
    if args.statistics {
        if format == Format::Json {
            report::statistics::render_json(report.findings, out)?;
        } else {
            report::statistics::render_text(report.findings, out)?;
        }
    } else if format == Format::Pretty {
        report::pretty::render_with_links(report, links, out)?;
    } else {
        report::render(format, report, out)?;
    }
    if !args.quiet && matches!(format, Format::Pretty | Format::Concise) {
        for line in &fix_lines.0 {
            writeln!(out, "{line}")?;
        }
        let mut summary = report::summary_line(report.summary);
        if let Some(hint) = &fix_lines.1 {
            summary.push(' ');
            summary.push_str(hint);
        }
        writeln!(out, "{summary}")?;
    } else if !args.quiet {
        // Machine-readable output stays clean: the fix count goes to stderr.
        for line in &fix_lines.0 {
            eprintln!("credlint: {line}");
        }
    }
    Ok(())
}

/// `--diff`: the fixes as a unified diff on stdout, a count on stderr;
/// exit 1 when there is anything to fix.
fn show_diff(outcome: &check::Outcome, unsafe_fixes: bool, quiet: bool) -> u8 {
    let preview = crate::fix::apply::preview(outcome, unsafe_fixes);
    warn_refused(&preview.refused);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = out
        .write_all(preview.diff.as_bytes())
        .and_then(|_| out.flush());
    if let Err(e) = written
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        return error(format!("cannot write the diff: {e}"));
    }
    if !quiet {
        let n = preview.fixes;
        let mut line = if n == 0 {
            "No fixes available.".to_string()
        } else {
            format!(
                "Would fix {n} {}.",
                if n == 1 { "problem" } else { "problems" }
            )
        };
        match preview.conflicts {
            0 => {}
            1 => line.push_str(" 1 more overlaps these: run --fix to apply it in turn."),
            c => line.push_str(&format!(
                " {c} more overlap these: run --fix to apply them in turn."
            )),
        }
        let hidden = crate::fix::Fixable::count(&outcome.findings).unsafe_;
        if !unsafe_fixes && hidden > 0 {
            line.push_str(&format!(" {hidden} more with --unsafe-fixes."));
        }
        eprintln!("{line}");
    }
    if preview.fixes > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Files `--fix`/`--diff` would not touch, and why.
fn warn_refused(refused: &std::collections::BTreeMap<String, String>) {
    for (path, why) in refused {
        eprintln!("credlint: warning: {path}: not fixed: {why}");
    }
}

fn format_name(format: Format) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

fn list_rules(markdown: bool) -> u8 {
    let rules = rule::builtin();
    let text = if markdown {
        rule_table(rules)
    } else {
        rules
            .iter()
            .map(|r| {
                format!(
                    "{:<9} {:<8} {:<34} {}\n",
                    r.code,
                    r.severity.as_str(),
                    r.name,
                    r.summary
                )
            })
            .collect()
    };
    print!("{text}");
    EXIT_OK
}

/// The README's rule table, generated from `rules/`.
pub fn rule_table(rules: &rule::RuleSet) -> String {
    let mut s = String::from("| code | name | severity | fires when |\n|---|---|---|---|\n");
    for r in rules.iter() {
        s.push_str(&format!(
            "| [{code}](rules/{code}.toml) | {} | {} | {} |\n",
            r.name,
            r.severity.as_str(),
            r.summary.replace('|', "\\|"),
            code = r.code
        ));
    }
    s
}

fn explain_rule(code: &str) -> u8 {
    let rules = rule::builtin();
    let Some(r) = rules.get(&code.to_ascii_uppercase()) else {
        return error(format!("no rule {code}; `credlint rules` lists them"));
    };
    println!("{} ({}) — {}\n", r.code, r.name, r.severity.as_str());
    println!("{}\n", r.summary);
    for (title, body) in rule::spec::doc_sections(&r.docs) {
        println!("## {title}\n\n{}\n", body.trim_end());
    }
    println!(
        "## Where it applies\n\n{}\n",
        rule::scope::describe(&r.code)
    );
    println!("Documentation: {}", rule::spec::doc_url(&r.code));
    EXIT_OK
}

/// The shell completion script for `shell`, generated from the clap
/// definitions so that it knows every subcommand, option and value.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    use clap::CommandFactory;
    clap_complete::generate(shell, &mut Cli::command(), "credlint", out);
}

fn print_completions(shell: clap_complete::Shell) -> u8 {
    let mut text = Vec::new();
    completions(shell, &mut text);
    let mut out = io::stdout().lock();
    match out.write_all(&text).and_then(|_| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            error(format!("cannot write the completions: {e}"))
        }
        _ => EXIT_OK,
    }
}

/// The `SEE ALSO` section of every man page: the other pages and the rule
/// documentation, which the options alone do not give.
fn see_also(name: &str) -> String {
    use clap::CommandFactory;
    let mut pages: Vec<String> = std::iter::once("credlint".to_string())
        .chain(
            Cli::command()
                .get_subcommands()
                .filter(|c| !c.is_hide_set() && c.get_name() != "help")
                .map(|c| format!("credlint-{}", c.get_name())),
        )
        .filter(|p| p != name)
        .map(|p| format!("\\fB{}\\fR(1)", p.replace('-', "\\-")))
        .collect();
    pages.dedup();
    // roff: a leading `.` or `'` would be a request; URLs never start so.
    format!(
        ".SH \"SEE ALSO\"\n{}\n.PP\nEvery rule: \\fBcredlint rules\\fR; one rule: \\fBcredlint rule\\fR \\fICODE\\fR, \
         and its page at {}.\n",
        pages.join(", "),
        rule::spec::doc_url("CODE").replace('-', "\\-")
    )
}

/// The man page of `cmd` (credlint or one of its subcommands), with the
/// `SEE ALSO` section appended.
fn render_man(cmd: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone());
    man.render(out)?;
    let name = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string();
    out.write_all(see_also(&name).as_bytes())
}

/// `credlint man`: credlint.1 on `out`.
pub fn man_page(out: &mut dyn Write) -> io::Result<()> {
    use clap::CommandFactory;
    render_man(Cli::command().disable_help_subcommand(true), out)
}

/// `credlint man --dir DIR`: credlint.1 and `credlint-NAME.1` for each
/// subcommand, written into `dir` (made if missing, as `man1/` often is);
/// returns the files written.
pub fn man_pages(dir: &Path) -> io::Result<Vec<PathBuf>> {
    use clap::CommandFactory;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // building sets the subcommands' display names (credlint-check, …)
    cmd.build();
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut pages = vec![cmd.clone()];
    pages.extend(cmd.get_subcommands().filter(|c| !c.is_hide_set()).cloned());
    for page in pages {
        let file = dir.join(format!(
            "{}.1",
            page.get_display_name().unwrap_or_else(|| page.get_name())
        ));
        crate::atomic_write::write_atomically(&file, |out| render_man(page, out))?;
        written.push(file);
    }
    Ok(written)
}

fn man(dir: Option<&Path>) -> u8 {
    match dir {
        Some(dir) => match man_pages(dir) {
            Ok(files) => {
                eprintln!(
                    "credlint: wrote {} man pages to {}",
                    files.len(),
                    dir.display()
                );
                EXIT_OK
            }
            Err(e) => error(format!(
                "cannot write the man pages to {}: {e}",
                dir.display()
            )),
        },
        None => {
            let mut text = Vec::new();
            if let Err(e) = man_page(&mut text) {
                return error(format!("cannot render the man page: {e}"));
            }
            let mut out = io::stdout().lock();
            match out.write_all(&text).and_then(|_| out.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                    error(format!("cannot write the man page: {e}"))
                }
                _ => EXIT_OK,
            }
        }
    }
}
