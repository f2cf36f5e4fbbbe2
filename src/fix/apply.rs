//! Applying fixes: choose the fixes that can apply together, read each file
//! back exactly as it was checked, write the result atomically, show it as
//! a unified diff, and run the fix-then-recheck loop.
//!
//! Safety, in order: a file is only edited if its bytes decode as strict
//! UTF-8 (a UTF-8 BOM is kept) and its text still has the digest it had
//! when checked; edits are applied to that text, so no byte outside an
//! edited range changes (CRLF line endings included). Just before writing,
//! the file is read once more and left alone if it changed meanwhile (an
//! editor saved it), so no concurrent change is lost. The new content goes
//! to a temporary file in the same folder, renamed over the file with its
//! permissions, so the file is never half-written; but a rename makes a
//! new file, owned by whoever runs credlint and with one link, so a file
//! with several hard links, or owned by another user or group, is
//! rewritten in place instead ([`write_mode`]). A fix whose edits overlap
//! a fix already chosen waits for the next round, as in ruff.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::{Applicability, Edit, Target, digest};
use crate::check::{self, CheckError, CheckOptions, Outcome};
use crate::finding::Finding;
use crate::source::Span;

/// How many times `--fix` fixes and re-checks at most: fixes left out for
/// overlapping others get their turn in the next round.
pub const MAX_ROUNDS: usize = 5;

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// A file read back for fixing.
#[derive(Debug, Clone)]
struct Loaded {
    bom: bool,
    text: String,
}

impl Loaded {
    /// The file's bytes as read.
    fn bytes(&self) -> Vec<u8> {
        self.with_text(&self.text)
    }

    /// The file's bytes with `text` in place of its text.
    fn with_text(&self, text: &str) -> Vec<u8> {
        let bom = if self.bom { BOM } else { &[] };
        [bom, text.as_bytes()].concat()
    }
}

/// Why a file is not written when it changed after it was checked.
const CHANGED: &str = "the file changed since it was checked";

/// Read a file back; refuse it (with the reason) unless it is strict UTF-8
/// with the text it had when checked.
fn load(target: &Target) -> Result<Loaded, String> {
    let meta = fs::symlink_metadata(&target.path).map_err(|e| format!("cannot read it: {e}"))?;
    if !meta.is_file() {
        return Err("it is no longer a regular file".into());
    }
    // Renaming over a read-only file would succeed: respect the flag.
    if meta.permissions().readonly() {
        return Err("the file is read-only".into());
    }
    let bytes = fs::read(&target.path).map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("the file is UTF-16".into());
    }
    let (bom, rest) = match bytes.strip_prefix(BOM) {
        Some(rest) => (true, rest.to_vec()),
        None => (false, bytes),
    };
    let text = String::from_utf8(rest).map_err(|_| "the file is not valid UTF-8".to_string())?;
    if digest(&text) != target.digest {
        return Err(CHANGED.into());
    }
    Ok(Loaded { bom, text })
}

/// Apply sorted, non-overlapping edits to `text`. `None` if an edit does
/// not fit the text (out of range, not on a character boundary, out of
/// order).
pub fn apply_edits(text: &str, edits: &[&Edit]) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.span.start < at {
            return None;
        }
        out.push_str(text.get(at..e.span.start)?);
        text.get(e.span.start..e.span.end)?;
        out.push_str(&e.content);
        at = e.span.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// The fixes chosen for one round.
#[derive(Debug, Default)]
pub struct Plan {
    /// The edits to make, by display path, sorted by position.
    pub edits: BTreeMap<String, Vec<Edit>>,
    /// Indices of the findings whose fixes were chosen.
    pub chosen: Vec<usize>,
    /// Indices of findings with an applicable fix left out because it
    /// overlaps a chosen one.
    pub conflicts: Vec<usize>,
    /// Files that cannot be fixed, with the reason.
    pub refused: BTreeMap<String, String>,
    loaded: HashMap<String, Loaded>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }
}

/// Choose the fixes to apply together: applicable ones (safe, and unsafe
/// with `unsafe_fixes`), safe before unsafe, each in report order, skipping
/// any whose edits overlap the edits already chosen (an identical edit, as
/// two fixes adding the same template line make, is made once). Findings
/// whose fingerprint is in `done` were fixed in an earlier round and are
/// not fixed twice.
pub fn plan(
    findings: &[Finding],
    targets: &HashMap<String, Target>,
    unsafe_fixes: bool,
    done: &HashSet<String>,
) -> Plan {
    let mut plan = Plan::default();
    let mut order: Vec<(bool, usize)> = findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let fix = f.fix.as_ref()?;
            (fix.applicability.applies(unsafe_fixes) && !done.contains(&f.fingerprint))
                .then_some((fix.applicability != Applicability::Safe, i))
        })
        .collect();
    order.sort();
    for (_, i) in order {
        let Some(fix) = findings[i].fix.as_ref() else {
            continue;
        };
        let mut readable = true;
        for e in &fix.edits {
            if plan.loaded.contains_key(&e.path) {
                continue;
            }
            if plan.refused.contains_key(&e.path) {
                readable = false;
                continue;
            }
            let loaded = match targets.get(&e.path) {
                Some(t) => load(t),
                None => Err("the file was not read".into()),
            };
            match loaded {
                Ok(l) => {
                    plan.loaded.insert(e.path.clone(), l);
                }
                Err(why) => {
                    plan.refused.insert(e.path.clone(), why);
                    readable = false;
                }
            }
        }
        if !readable {
            continue;
        }
        let mut new = Vec::new();
        let mut clash = false;
        for e in &fix.edits {
            let chosen = plan.edits.get(&e.path).map(Vec::as_slice).unwrap_or(&[]);
            if chosen
                .iter()
                .any(|c| c.span == e.span && c.content == e.content)
            {
                continue;
            }
            if chosen.iter().chain(&new).any(|c: &Edit| c.conflicts(e)) {
                clash = true;
                break;
            }
            new.push(e.clone());
        }
        if clash {
            plan.conflicts.push(i);
            continue;
        }
        for e in new {
            plan.edits.entry(e.path.clone()).or_default().push(e);
        }
        plan.chosen.push(i);
    }
    for edits in plan.edits.values_mut() {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
    }
    plan
}

/// Write the planned edits. Returns the display paths written and the
/// failures (path, reason).
pub fn write(
    plan: &Plan,
    targets: &HashMap<String, Target>,
) -> (HashSet<String>, Vec<(String, String)>) {
    let mut written = HashSet::new();
    let mut failed = Vec::new();
    for (path, edits) in &plan.edits {
        let (Some(loaded), Some(target)) = (plan.loaded.get(path), targets.get(path)) else {
            failed.push((path.clone(), "the file was not read".into()));
            continue;
        };
        let refs: Vec<&Edit> = edits.iter().collect();
        let Some(new) = apply_edits(&loaded.text, &refs) else {
            failed.push((path.clone(), "the edits do not fit the file".into()));
            continue;
        };
        match write_file(&target.path, &loaded.bytes(), &loaded.with_text(&new)) {
            Ok(()) => {
                written.insert(path.clone());
            }
            Err(why) => failed.push((path.clone(), why)),
        }
    }
    (written, failed)
}

/// How a fixed file is written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// A temporary file renamed over the file: never half-written.
    Replace,
    /// The file itself truncated and rewritten: it keeps its inode, so its
    /// hard links, owner and group.
    InPlace,
}

/// Who owns a file and how many names it has (Unix `st_uid`, `st_gid`,
/// `st_nlink`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub uid: u32,
    pub gid: u32,
    pub links: u64,
}

impl Owner {
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> Option<Owner> {
        use std::os::unix::fs::MetadataExt;
        Some(Owner {
            uid: meta.uid(),
            gid: meta.gid(),
            links: meta.nlink(),
        })
    }

    #[cfg(not(unix))]
    fn of(_: &fs::Metadata) -> Option<Owner> {
        None
    }
}

/// How to write a file owned as `file`, when a new file made in its
/// folder is owned as `new` (`None`: not known). A rename would replace the
/// file by that new one: one link, the new file's owner and group. So a
/// file with other names, or another owner or group, is rewritten in
/// place. (A folder where no file can be made is written in place too.)
pub fn write_mode(file: Owner, new: Option<Owner>) -> WriteMode {
    match new {
        Some(n) if file.links == 1 && file.uid == n.uid && file.gid == n.gid => WriteMode::Replace,
        _ => WriteMode::InPlace,
    }
}

/// Replace the content of the file at `path`, which must still be `old`
/// (else it changed after it was checked, and is left alone), by `new`,
/// keeping its permissions, owner, group and hard links.
fn write_file(path: &Path, old: &[u8], new: &[u8]) -> Result<(), String> {
    let meta = fs::symlink_metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
    if !meta.is_file() {
        return Err("it is no longer a regular file".into());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(".");
    let tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)
        .ok();
    let mode = match (Owner::of(&meta), &tmp) {
        (_, None) => WriteMode::InPlace,
        // Ownership and links are not known here (not Unix).
        (None, Some(_)) => WriteMode::Replace,
        (Some(file), Some(t)) => {
            let new = t.as_file().metadata().ok();
            write_mode(file, new.as_ref().and_then(Owner::of))
        }
    };
    match (mode, tmp) {
        (WriteMode::Replace, Some(tmp)) => {
            let cannot = |e: std::io::Error| format!("cannot write it: {e}");
            {
                let mut out = std::io::BufWriter::new(tmp.as_file());
                out.write_all(new).map_err(cannot)?;
                out.flush().map_err(cannot)?;
            }
            tmp.as_file().sync_all().map_err(cannot)?;
            tmp.as_file()
                .set_permissions(meta.permissions())
                .map_err(cannot)?;
            if fs::read(path).map_err(|e| format!("cannot read it: {e}"))? != old {
                return Err(CHANGED.into());
            }
            // On failure the temporary file is removed when the error drops it.
            tmp.persist(path).map_err(|e| cannot(e.error))?;
            Ok(())
        }
        (_, tmp) => {
            drop(tmp);
            rewrite_in_place(path, old, new)
        }
    }
}

/// Rewrite the file at `path` through its own handle: read it back (it
/// must still be `old`), then write `new` over it and cut what is left. A
/// write that fails half-way puts `old` back.
fn rewrite_in_place(path: &Path, old: &[u8], new: &[u8]) -> Result<(), String> {
    let cannot = |e: std::io::Error| format!("cannot write it: {e}");
    let mut f = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(cannot)?;
    let mut current = Vec::with_capacity(old.len());
    f.read_to_end(&mut current)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if current != old {
        return Err(CHANGED.into());
    }
    let put = |f: &mut fs::File, bytes: &[u8]| -> std::io::Result<()> {
        f.seek(SeekFrom::Start(0))?;
        f.write_all(bytes)?;
        f.set_len(bytes.len() as u64)?;
        f.sync_all()
    };
    if let Err(e) = put(&mut f, new) {
        let restored = put(&mut f, old).is_ok();
        return Err(if restored {
            cannot(e)
        } else {
            format!("cannot write it: {e}; the file may be incomplete")
        });
    }
    Ok(())
}

/// The planned edits as a unified diff (`--- a/PATH` / `+++ b/PATH`, three
/// lines of context), with every key masked on both sides.
pub fn diff(plan: &Plan, targets: &HashMap<String, Target>) -> String {
    let mut out = String::new();
    for (path, edits) in &plan.edits {
        let (Some(loaded), Some(target)) = (plan.loaded.get(path), targets.get(path)) else {
            continue;
        };
        let refs: Vec<&Edit> = edits.iter().collect();
        if let Some(text) = diff_file(path, &loaded.text, &target.secrets, &refs) {
            out.push_str(&text);
        }
    }
    out
}

/// The unified diff of sorted, non-overlapping `edits` to the file at
/// display path `path` holding `text`, with the `hidden` ranges (from
/// [`crate::check::hidden_spans`]) masked on both sides and in the context
/// lines: the edits are applied to the masked text (masking keeps every
/// length, so their spans still fit, and no edit holds a key, see
/// [`super::Fix::holds_secret`]). `None` if the edits do not fit the text.
pub fn diff_file(path: &str, text: &str, hidden: &[Span], edits: &[&Edit]) -> Option<String> {
    let old = crate::redact::mask_spans(text, hidden);
    let new = apply_edits(&old, edits)?;
    let (a, b) = if path.starts_with('/') {
        (path.to_string(), path.to_string())
    } else {
        (format!("a/{path}"), format!("b/{path}"))
    };
    let mut text = similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    Some(text)
}

/// What `--diff` shows.
#[derive(Debug, Default)]
pub struct Preview {
    pub diff: String,
    /// Findings the diff fixes.
    pub fixes: usize,
    /// Applicable fixes left out of the diff (they overlap one in it).
    pub conflicts: usize,
    pub refused: BTreeMap<String, String>,
}

/// The diff of the fixes `--fix` would apply in its first round.
pub fn preview(outcome: &Outcome, unsafe_fixes: bool) -> Preview {
    let plan = plan(
        &outcome.findings,
        &outcome.fix_targets,
        unsafe_fixes,
        &HashSet::new(),
    );
    Preview {
        diff: diff(&plan, &outcome.fix_targets),
        fixes: plan.chosen.len(),
        conflicts: plan.conflicts.len(),
        refused: plan.refused,
    }
}

/// The result of `--fix`.
pub struct FixRun {
    /// The check after the last round: what remains.
    pub outcome: Outcome,
    /// Findings fixed.
    pub fixed: usize,
    /// Files that could not be fixed, with the reason.
    pub refused: BTreeMap<String, String>,
}

/// Fix, re-check, and repeat while fixes apply (at most [`MAX_ROUNDS`]
/// times). `first` is the check of `opts` already run.
pub fn run(opts: &CheckOptions, first: Outcome, unsafe_fixes: bool) -> Result<FixRun, CheckError> {
    let mut outcome = first;
    let mut fixed = 0;
    let mut done = HashSet::new();
    let mut refused = BTreeMap::new();
    for _ in 0..MAX_ROUNDS {
        let plan = plan(&outcome.findings, &outcome.fix_targets, unsafe_fixes, &done);
        refused.extend(plan.refused.iter().map(|(p, w)| (p.clone(), w.clone())));
        if plan.is_empty() {
            break;
        }
        let (written, failed) = write(&plan, &outcome.fix_targets);
        for &i in &plan.chosen {
            let f = &outcome.findings[i];
            let all = f
                .fix
                .as_ref()
                .is_some_and(|x| x.edits.iter().all(|e| written.contains(&e.path)));
            if all {
                fixed += 1;
                done.insert(f.fingerprint.clone());
            }
        }
        refused.extend(failed);
        // A file refused in an earlier round (it changed while being
        // fixed) and fixed since is not reported as refused.
        refused.retain(|p, _| !written.contains(p));
        outcome = check::check(opts)?;
        if written.is_empty() {
            break;
        }
    }
    Ok(FixRun {
        outcome,
        fixed,
        refused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Fix;
    use crate::source::Position;

    fn edit(path: &str, start: usize, end: usize, content: &str) -> Edit {
        let p = Position { line: 1, column: 1 };
        Edit {
            path: path.into(),
            span: Span::new(start, end),
            start: p,
            end: p,
            content: content.into(),
        }
    }

    #[test]
    fn edits_apply_in_order_and_touch_nothing_else() {
        let text = "A= x \r\nB=2\r\n";
        let a = edit("f", 2, 3, "");
        let b = edit("f", 4, 5, "");
        let c = edit("f", 12, 12, "C=\r\n");
        assert_eq!(
            apply_edits(text, &[&a, &b, &c]).unwrap(),
            "A=x\r\nB=2\r\nC=\r\n"
        );
        // Out of order, out of range, or inside a character: refused.
        assert!(apply_edits(text, &[&b, &a]).is_none());
        assert!(apply_edits(text, &[&edit("f", 10, 40, "")]).is_none());
        assert!(apply_edits("é", &[&edit("f", 1, 1, "x")]).is_none());
    }

    fn finding(fp: &str, applicability: Applicability, edits: Vec<Edit>) -> Finding {
        let p = Position { line: 1, column: 1 };
        Finding {
            code: "KEY004".into(),
            name: "n".into(),
            severity: crate::finding::Severity::Error,
            path: "f".into(),
            span: Span::new(0, 0),
            start: p,
            end: p,
            message: String::new(),
            help: String::new(),
            fingerprint: fp.into(),
            related: Vec::new(),
            fix: Some(Fix::new(applicability, "d", edits)),
        }
    }

    /// A folder with files of the given texts, and their targets.
    fn files(texts: &[(&str, &str)]) -> (tempfile::TempDir, HashMap<String, Target>) {
        let dir = tempfile::tempdir().unwrap();
        let mut targets = HashMap::new();
        for (name, text) in texts {
            let path = dir.path().join(name);
            fs::write(&path, text).unwrap();
            targets.insert(
                name.to_string(),
                Target {
                    path,
                    digest: digest(text),
                    secrets: Vec::new(),
                },
            );
        }
        (dir, targets)
    }

    #[test]
    fn overlapping_fixes_wait_identical_edits_merge_safe_goes_first() {
        let (_dir, targets) = files(&[("f", "0123456789\n"), ("g", "x\n")]);
        let findings = vec![
            // Unsafe, first in report order, overlaps the safe one.
            finding("u", Applicability::Unsafe, vec![edit("f", 2, 6, "U")]),
            finding("s", Applicability::Safe, vec![edit("f", 4, 8, "S")]),
            // Two fixes adding the same line elsewhere: made once.
            finding(
                "m1",
                Applicability::Safe,
                vec![edit("f", 0, 1, ""), edit("g", 2, 2, "Y\n")],
            ),
            finding(
                "m2",
                Applicability::Safe,
                vec![edit("f", 9, 10, ""), edit("g", 2, 2, "Y\n")],
            ),
            // Display-only never applies.
            finding("d", Applicability::DisplayOnly, vec![edit("g", 0, 1, "")]),
        ];
        let p = plan(&findings, &targets, true, &HashSet::new());
        assert_eq!(p.chosen, vec![1, 2, 3]);
        assert_eq!(p.conflicts, vec![0]);
        assert_eq!(p.edits["g"].len(), 1);
        let (written, failed) = write(&p, &targets);
        assert!(failed.is_empty(), "{failed:?}");
        assert_eq!(written.len(), 2);
        assert_eq!(fs::read_to_string(&targets["f"].path).unwrap(), "123S8\n");
        assert_eq!(fs::read_to_string(&targets["g"].path).unwrap(), "x\nY\n");
        // Without --unsafe-fixes the unsafe fix is not even a candidate.
        let p = plan(&findings, &targets, false, &HashSet::new());
        assert!(p.conflicts.is_empty());
        // A finding fixed in an earlier round is not fixed again.
        let done = HashSet::from(["s".to_string()]);
        assert!(!plan(&findings, &targets, false, &done).chosen.contains(&1));
    }

    #[test]
    fn bom_and_crlf_survive_and_no_temp_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        let text = "A=\" k\"\r\nB=1\r\n";
        fs::write(&path, [BOM, text.as_bytes()].concat()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        }
        let targets = HashMap::from([(
            ".env".to_string(),
            Target {
                path: path.clone(),
                digest: digest(text),
                secrets: Vec::new(),
            },
        )]);
        let findings = vec![finding(
            "a",
            Applicability::Safe,
            vec![edit(".env", 3, 4, "")],
        )];
        let p = plan(&findings, &targets, false, &HashSet::new());
        let (written, failed) = write(&p, &targets);
        assert!(failed.is_empty() && written.len() == 1);
        assert_eq!(
            fs::read(&path).unwrap(),
            [BOM, b"A=\"k\"\r\nB=1\r\n"].concat()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [".env"]);
    }

    #[test]
    fn a_file_is_renamed_over_only_when_the_rename_keeps_its_owner_and_links() {
        let me = Owner {
            uid: 1000,
            gid: 1000,
            links: 1,
        };
        assert_eq!(write_mode(me, Some(me)), WriteMode::Replace);
        // A hard link elsewhere would keep the old content.
        let linked = Owner { links: 2, ..me };
        assert_eq!(write_mode(linked, Some(me)), WriteMode::InPlace);
        // The new file would belong to whoever runs credlint (root fixing a
        // user's file, a user fixing a file of the group's).
        let root = Owner {
            uid: 0,
            gid: 0,
            links: 1,
        };
        assert_eq!(write_mode(me, Some(root)), WriteMode::InPlace);
        assert_eq!(
            write_mode(me, Some(Owner { gid: 50, ..me })),
            WriteMode::InPlace
        );
        // No file can be made in the folder, or its owner is not known.
        assert_eq!(write_mode(me, None), WriteMode::InPlace);
    }

    /// The plan of one edit (the first byte of `name` deleted).
    fn one_edit(targets: &HashMap<String, Target>, name: &str) -> Plan {
        let findings = vec![finding(
            name,
            Applicability::Safe,
            vec![edit(name, 0, 1, "")],
        )];
        plan(&findings, targets, false, &HashSet::new())
    }

    #[cfg(unix)]
    #[test]
    fn hard_links_and_modes_survive_a_fix() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let (dir, targets) = files(&[("a.env", "XA=1\n"), ("b.env", "XB=1\n")]);
        let a = &targets["a.env"].path;
        let link = dir.path().join("elsewhere.env");
        fs::hard_link(a, &link).unwrap();
        fs::set_permissions(a, fs::Permissions::from_mode(0o640)).unwrap();
        let b = &targets["b.env"].path;
        fs::set_permissions(b, fs::Permissions::from_mode(0o604)).unwrap();
        let before = fs::metadata(a).unwrap();
        for name in ["a.env", "b.env"] {
            let (written, failed) = write(&one_edit(&targets, name), &targets);
            assert!(failed.is_empty() && written.contains(name), "{failed:?}");
        }
        let after = fs::metadata(a).unwrap();
        assert_eq!((after.ino(), after.nlink()), (before.ino(), 2));
        assert_eq!(fs::read_to_string(&link).unwrap(), "A=1\n");
        assert_eq!(fs::read_to_string(a).unwrap(), "A=1\n");
        assert_eq!(after.permissions().mode() & 0o777, 0o640);
        // The single-link file went through a rename, with its mode.
        assert_eq!(fs::read_to_string(b).unwrap(), "B=1\n");
        assert_eq!(fs::metadata(b).unwrap().permissions().mode() & 0o777, 0o604);
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn a_change_made_after_the_check_is_never_overwritten() {
        // Planning reads each file as checked; an editor saves it before
        // the write: the write notices, whichever way it writes.
        let (dir, targets) = files(&[("a.env", "XA=1\n"), ("b.env", "XB=1\n")]);
        #[cfg(unix)]
        fs::hard_link(&targets["b.env"].path, dir.path().join("b2.env")).unwrap();
        for name in ["a.env", "b.env"] {
            let plan = one_edit(&targets, name);
            assert_eq!(plan.chosen, [0], "{name}");
            fs::write(&targets[name].path, "SAVED=1\n").unwrap();
            let (written, failed) = write(&plan, &targets);
            assert!(written.is_empty(), "{name}");
            assert_eq!(failed, [(name.to_string(), CHANGED.to_string())]);
            assert_eq!(
                fs::read_to_string(&targets[name].path).unwrap(),
                "SAVED=1\n"
            );
        }
    }

    #[test]
    fn refuses_utf16_invalid_utf8_and_changed_files() {
        let (_dir, mut targets) = files(&[("ok", "A=1\n"), ("changed", "A=1\n")]);
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("utf16", vec![0xFF, 0xFE, b'A', 0, b'=', 0]),
            ("latin1", b"A=\xE91\n".to_vec()),
        ] {
            let path = dir.path().join(name);
            fs::write(&path, &bytes).unwrap();
            let text = crate::source::Source::decode(&bytes).text().to_string();
            targets.insert(
                name.into(),
                Target {
                    path,
                    digest: digest(&text),
                    secrets: Vec::new(),
                },
            );
        }
        fs::write(&targets["changed"].path, "A=2\n").unwrap();
        let (_ro_dir, ro) = files(&[("ro", "A=1\n")]);
        let mut perms = fs::metadata(&ro["ro"].path).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&ro["ro"].path, perms).unwrap();
        targets.extend(ro);
        let findings: Vec<Finding> = ["ok", "changed", "utf16", "latin1", "gone", "ro"]
            .iter()
            .map(|p| finding(p, Applicability::Safe, vec![edit(p, 0, 1, "")]))
            .collect();
        let p = plan(&findings, &targets, false, &HashSet::new());
        assert_eq!(p.chosen, vec![0]);
        assert_eq!(p.refused["utf16"], "the file is UTF-16");
        assert_eq!(p.refused["latin1"], "the file is not valid UTF-8");
        assert_eq!(
            p.refused["changed"],
            "the file changed since it was checked"
        );
        assert_eq!(p.refused["gone"], "the file was not read");
        assert_eq!(p.refused["ro"], "the file is read-only");
        write(&p, &targets);
        assert_eq!(fs::read(&targets["utf16"].path).unwrap()[..2], [0xFF, 0xFE]);
        assert_eq!(fs::read(&targets["latin1"].path).unwrap(), b"A=\xE91\n");
    }

    #[test]
    fn a_multi_file_fix_is_all_or_nothing() {
        let (_dir, mut targets) = files(&[("a.py", "x = 'v'\n"), (".env.example", "A=\n")]);
        targets.get_mut(".env.example").unwrap().digest = digest("something else");
        let findings = vec![finding(
            "m",
            Applicability::Unsafe,
            vec![
                edit("a.py", 4, 7, "os.environ.get(\"V\")"),
                edit(".env.example", 3, 3, "V=\n"),
            ],
        )];
        let p = plan(&findings, &targets, true, &HashSet::new());
        assert!(p.chosen.is_empty());
        assert!(p.edits.is_empty());
    }

    fn hidden(text: &str, values: &[Span]) -> Vec<Span> {
        crate::redact::hidden_spans(text, values, crate::provider::Providers::builtin())
    }

    #[test]
    fn diffs_mask_keys_on_both_sides() {
        let key = concat!("sk-proj-", "Qm3rT8vXk2LpZ9aWc4NbYh7JdF1sGe6U");
        let text = format!("OPENAI_API_KEY=\" Bearer {key}\"\nB=1\n");
        let (_dir, mut targets) = files(&[(".env", text.as_str())]);
        let value = Span::new(16, 16 + 8 + key.len());
        targets.get_mut(".env").unwrap().secrets = hidden(&text, &[value]);
        let findings = vec![finding(
            "k",
            Applicability::Safe,
            vec![edit(".env", 16, 24, "")],
        )];
        let p = plan(&findings, &targets, false, &HashSet::new());
        let d = diff(&p, &targets);
        assert!(!d.contains(key), "{d}");
        assert!(!d.contains(&key[10..30]), "{d}");
        assert!(d.contains("--- a/.env\n+++ b/.env\n"), "{d}");
        // `Bearer` is not the secret: it stays readable.
        assert!(d.contains("-OPENAI_API_KEY=\" Bearer sk-proj-***"), "{d}");
        assert!(d.contains("+OPENAI_API_KEY=\"sk-proj-***"), "{d}");
        assert!(d.contains("*Ge6U\"\n"), "{d}");
    }

    #[test]
    fn context_lines_mask_keys_found_by_shape() {
        // A Mistral key (no prefix) two lines below the edited one, in no
        // key setting: the context line shows it masked.
        let mistral = concat!("Qx7Lm2Vb", "9TzR4wKp", "N1sD8fGh", "J3cY6eUa");
        let text = format!("A= x\nB=1\nNOTES={mistral}\n");
        let e = edit("f", 2, 3, "");
        let d = diff_file(".env", &text, &hidden(&text, &[]), &[&e]).unwrap();
        assert!(d.contains(" NOTES=Qx7*"), "{d}");
        assert!(d.contains("*6eUa\n"), "{d}");
        for w in mistral.as_bytes().windows(8) {
            assert!(!d.contains(std::str::from_utf8(w).unwrap()), "{d}");
        }
    }

    #[test]
    fn a_service_account_key_keeps_four_trailing_characters() {
        // The value ends in a YAML `\n` escape (KEY004's trailing newline):
        // the last 4 characters shown are the key's, not `UD\n`.
        let key = concat!(
            "sk-svcacct-",
            "GHli2GgpRCXNQmKi1qUCCNL18KDZhELj3Hc3OEYl4Etfw91m3ufXoxgUEANTM5cvarXNUlcc_8",
            "T3BlbkFJ",
            "qjJl0MaYtkhuZHRYd3eMMSGxZSnhzIgmr0dsvVTynPFH3eVi75QLbOM8kPIuKHxEgQPLZ0cvUD"
        );
        let text = format!("env:\n  OPENAI_API_KEY: \"{key}\\n\"\n");
        let start = text.find("sk-").unwrap();
        let value = Span::new(start, start + key.len() + 2);
        let e = edit("f", value.end - 2, value.end, "");
        let d = diff_file("c.yml", &text, &hidden(&text, &[value]), &[&e]).unwrap();
        assert!(d.contains("-  OPENAI_API_KEY: \"sk-svcacct-***"), "{d}");
        assert!(d.contains("*cvUD\\n\"\n"), "{d}");
        assert!(d.contains("*cvUD\"\n"), "{d}");
        assert!(!d.contains("*UD\\n"), "{d}");
    }
}
