//! The keyword prefilter: one pass over a file's bytes that says which
//! key and ID patterns can match in it, whether a code word makes a source
//! file worth parsing, and whether the suppression keyword occurs. Derived
//! from the provider data ([`super::Providers`]); it knows nothing of file
//! kinds (the caller says which bytes to look for code words in, see
//! `Prefilter::scan_file`).

use aho_corasick::AhoCorasick;

use super::{Provider, ProviderId};

/// The keyword that starts an inline suppression directive
/// (`credlint: ignore …`). The prefilter looks for it in the same pass as
/// the provider keywords; directive scanning reads it from here.
pub const DIRECTIVE_KEYWORD: &str = "credlint:";

/// What the prefilter found in a file: which keyword groups occur.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hits(u64);

/// The bit of [`Hits`] for the suppression keyword (`credlint:`): not a
/// provider keyword, so [`Hits::any`] leaves it out.
const DIRECTIVE_BIT: usize = 63;

/// The bit of [`Hits`] set when a word of the code prefilter occurs (only
/// in files credlint parses; see [`Prefilter::scan_file`]).
const CODE_BIT: usize = 62;

impl Hits {
    /// Whether any provider keyword occurs.
    pub fn any(self) -> bool {
        self.0 & !(1 << DIRECTIVE_BIT) != 0
    }
    /// Whether the suppression keyword `credlint:` occurs.
    pub fn directive(self) -> bool {
        self.has(DIRECTIVE_BIT)
    }
    /// Whether a client constructor, a credential variable name or another
    /// code keyword occurs: a source file worth parsing.
    pub fn code(self) -> bool {
        self.has(CODE_BIT)
    }
    /// Whether any key or ID keyword occurs (a literal may be present).
    pub fn literals(self) -> bool {
        self.0 & !((1 << CODE_BIT) | (1 << DIRECTIVE_BIT)) != 0
    }
    pub(super) fn has(self, bit: usize) -> bool {
        bit < 64 && self.0 & (1 << bit) != 0
    }
}

/// What a keyword stands for.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    Key(ProviderId, usize),
    Id(ProviderId, usize),
}

/// The keyword prefilter: one Aho-Corasick automaton over every keyword of
/// every key and ID pattern, plus the suppression keyword (`credlint:`), so
/// that one pass over a file's bytes also says whether it may hold inline
/// suppressions.
#[derive(Debug)]
pub struct Prefilter {
    /// Pattern `i` of the automaton is keyword `i`, which is bit `i` of [`Hits`].
    automaton: AhoCorasick,
    /// For each keyword, the patterns it enables.
    pub(super) targets: Vec<Vec<Target>>,
    /// The code words, searched in source files only (a second automaton
    /// keeps the literal pass over every other file as fast as it was).
    /// Patterns before `calls` are credential variable names, module
    /// attributes and code keywords: any occurrence sets
    /// [`CODE_BIT`]; from `calls` on, one-segment constructor and option
    /// names, which set it only where they look like a call or an
    /// initializer (`OpenAI(`, `new OpenAIClientOptions {`), not in an
    /// import or a type; from `gated` on, such names of tables that apply
    /// only to files importing a module (`completion` of LiteLLM), which
    /// count only if, from `gates` on, one of those modules occurs too.
    code: AhoCorasick,
    /// The providers' API hosts: code words of shell scripts and notebooks
    /// only (see [`Prefilter::scan_without_hosts`]).
    hosts: AhoCorasick,
    /// The call, gated and gate words (indices shifted by `calls`); a
    /// leftmost-longest automaton of its own.
    code_calls: AhoCorasick,
    calls: usize,
    gated: usize,
    gates: usize,
    /// Code patterns that are also a gate (`OpenAI` is a call of
    /// openai-python and the module .NET files import).
    also_gate: Vec<bool>,
    /// The first four characters of every credential variable name and
    /// listed misspelling (`OPEN`, `ANTH`): a read of a name starting so
    /// may be a misspelling (see [`Prefilter::credential_like`]).
    stems: AhoCorasick,
    stem_list: Vec<String>,
    /// Every credential variable name and listed misspelling, without its
    /// `_`s, sorted: what [`Prefilter::credential_name`] measures against.
    names: Vec<String>,
}

impl Prefilter {
    /// Which keyword groups occur in `bytes`, the code words included.
    pub fn scan(&self, bytes: &[u8]) -> Hits {
        let code = if self.has_code(bytes) || self.hosts.is_match(bytes) {
            1 << CODE_BIT
        } else {
            0
        };
        Hits(self.keywords(bytes).0 | code)
    }

    /// [`Prefilter::scan`] for a language whose extractor finds nothing by
    /// an API host alone (all but shell scripts, whose `curl` lines are
    /// read by the host they call): a host named in a test's assertion or
    /// a docstring makes no file worth parsing.
    pub fn scan_without_hosts(&self, bytes: &[u8]) -> Hits {
        let code = if self.has_code(bytes) {
            1 << CODE_BIT
        } else {
            0
        };
        Hits(self.keywords(bytes).0 | code)
    }

    /// Which keyword groups occur in `bytes`. Stops early once every group
    /// has been seen.
    pub(super) fn keywords(&self, bytes: &[u8]) -> Hits {
        // Provider keywords are patterns 0..n; the directive keyword is
        // pattern n and sets DIRECTIVE_BIT.
        let n = self.targets.len();
        let all = ((1u64 << n) - 1) | (1 << DIRECTIVE_BIT);
        let mut hits = 0u64;
        // Non-overlapping search keeps the automaton's SIMD prefilter (an
        // overlapping search walks every byte through the automaton and was
        // half of a full scan's time). A keyword is only missed where it
        // overlaps another keyword's match, and none of ours is part of
        // another: each is found at its own occurrences.
        for m in self.automaton.find_iter(bytes) {
            let i = m.pattern().as_usize();
            hits |= 1 << if i >= n { DIRECTIVE_BIT } else { i };
            if hits == all {
                break;
            }
        }
        Hits(hits)
    }

    /// Where what a windowed parse must cover occurs in `bytes` (see
    /// `extract::code::window`): every code word, constructor and option
    /// names where they look like a call, module names on import lines,
    /// credential-name stems and the suppression keyword. (An import a
    /// gated constructor needs that is left out anyway makes the code
    /// engine parse the whole file.)
    pub fn code_positions(&self, bytes: &[u8]) -> Vec<usize> {
        let n = self.targets.len();
        let mut out: Vec<usize> = self.code.find_iter(bytes).map(|m| m.start()).collect();
        // The matches come in order: each line start is searched for from
        // the previous match, not from the match back to its line's start
        // (a long line of matches would cost its length once per match).
        let mut line = (0, 0);
        out.extend(
            self.code_calls
                .find_iter(bytes)
                .filter(|m| {
                    if m.pattern().as_usize() + self.calls < self.gates {
                        call_like(bytes, m.start(), m.end())
                    } else {
                        import_like(bytes, m.start(), &mut line)
                    }
                })
                .map(|m| m.start()),
        );
        out.extend(self.stems.find_iter(bytes).map(|m| m.start()));
        out.extend(
            self.automaton
                .find_iter(bytes)
                .filter(|m| m.pattern().as_usize() >= n)
                .map(|m| m.start()),
        );
        out.sort_unstable();
        out
    }

    /// Whether an env variable name read in code can matter to a rule: a
    /// credential variable, or a name that shares its first four
    /// characters with one (a possible misspelling, see ENV001).
    pub fn credential_like(&self, name: &str) -> bool {
        name.get(..4).is_some_and(|stem| {
            self.stem_list
                .binary_search_by(|s| s.as_str().cmp(stem))
                .is_ok()
        })
    }

    /// Whether a variable name defined somewhere can matter to a rule: a
    /// credential variable, a listed misspelling, or a name that shares
    /// the first four characters of one and is within edit distance 2 of
    /// one (`_`s aside): what ENV001 may take for a misspelling or a near
    /// miss of a read.
    /// Tighter than [`Prefilter::credential_like`], which a read of any
    /// `OPENAI_…` name passes: a definition is kept for every line of an
    /// env file that passes this.
    pub fn credential_name(&self, name: &str) -> bool {
        if !self.credential_like(name) || name.len() > 64 {
            return false;
        }
        let bare: Vec<u8> = name.bytes().filter(|&b| b != b'_').collect();
        self.names
            .iter()
            .any(|n| n.len().abs_diff(bare.len()) <= 2 && within_two_edits(n.as_bytes(), &bare))
    }

    /// Whether a code word occurs (see [`Prefilter::code`]).
    fn has_code(&self, bytes: &[u8]) -> bool {
        if self.code.is_match(bytes) {
            return true;
        }
        let (mut gated_call, mut gate) = (false, false);
        for m in self.code_calls.find_iter(bytes) {
            let i = m.pattern().as_usize() + self.calls;
            gate |= self.also_gate.get(i).copied().unwrap_or(false);
            if i < self.calls {
                return true;
            } else if i >= self.gates {
                gate = true;
            } else {
                if call_like(bytes, m.start(), m.end()) {
                    if i < self.gated {
                        return true;
                    }
                    gated_call = true;
                }
            }
            if gated_call && gate {
                return true;
            }
        }
        false
    }
}

/// Whether the name at `start..end` of `bytes` is called or initialized
/// (`OpenAI(`, `OpenAIClientOptions {`), not imported or named as a type.
fn call_like(bytes: &[u8], start: usize, end: usize) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let before_ok = start == 0 || !word(bytes[start - 1]);
    let after = bytes[end..]
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    before_ok && matches!(after, Some(b'(' | b'{'))
}

/// Whether the edit distance of `a` and `b` is at most 2 (a band of the
/// Levenshtein table: names are short, and most pairs are told apart in
/// the first rows).
pub(super) fn within_two_edits(a: &[u8], b: &[u8]) -> bool {
    const FAR: usize = 3;
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(FAR)).collect();
    let mut cur = vec![FAR; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = (i + 1).min(FAR);
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1).min(FAR);
        }
        if cur.iter().all(|&d| d >= FAR) {
            return false;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] < FAR
}

/// Whether the line holding `at` looks like an import (`import`, `from`,
/// `use`, `require`, a Go import block's quoted path, `const x =
/// require(…)`), not a type annotation or a docstring naming the module.
/// `line` is the last (offset, its line's start) asked about.
pub(super) fn import_like(bytes: &[u8], at: usize, line: &mut (usize, usize)) -> bool {
    let from = if line.0 <= at { line.0 } else { 0 };
    let line_start = match memchr::memrchr(b'\n', &bytes[from..at]) {
        Some(i) => from + i + 1,
        None if from == line.0 && from > 0 => line.1,
        None => 0,
    };
    *line = (at, line_start);
    let line = &bytes[line_start..];
    let head = &line[line
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()..];
    [
        &b"import"[..],
        b"from ",
        b"use ",
        b"require",
        b"using ",
        b"\"",
        b"const ",
        b"let ",
        b"var ",
        b"export ",
    ]
    .iter()
    .any(|p| head.starts_with(p))
}

pub(super) fn build_prefilter(list: &[Provider]) -> Result<Prefilter, String> {
    // One bit per distinct keyword; a pattern is enabled when any of its
    // keywords occurs.
    let mut keywords: Vec<String> = Vec::new();
    let mut targets: Vec<Vec<Target>> = Vec::new();
    let mut add = |kw: &str, t: Target| {
        let bit = match keywords.iter().position(|k| k == kw) {
            Some(b) => b,
            None => {
                keywords.push(kw.to_string());
                targets.push(Vec::new());
                keywords.len() - 1
            }
        };
        targets[bit].push(t);
    };
    for (pid, p) in list.iter().enumerate() {
        for (kid, k) in p.keys.iter().enumerate() {
            if k.needs_context {
                continue;
            }
            for kw in &k.keywords {
                add(kw, Target::Key(pid, kid));
            }
        }
        for (iid, i) in p.ids.iter().enumerate() {
            add(&i.keyword, Target::Id(pid, iid));
        }
    }
    if keywords.len() >= CODE_BIT {
        return Err(format!(
            "{} prefilter keywords; at most {CODE_BIT} are supported",
            keywords.len()
        ));
    }
    keywords.push(DIRECTIVE_KEYWORD.to_string());
    // Leftmost-first lets the automaton use its packed SIMD (Teddy) search.
    let automaton = AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(&keywords)
        .map_err(|e| e.to_string())?;
    let words = code_keywords(list);
    let calls = words.any.len();
    let gated = calls + words.call.len();
    let gates = gated + words.gated.len();
    let calls_patterns: Vec<&String> = words
        .call
        .iter()
        .chain(&words.gated)
        .chain(&words.gates)
        .collect();
    let also_gate = words
        .any
        .iter()
        .chain(calls_patterns.iter().copied())
        .map(|p| words.gates.contains(p))
        .collect();
    // Leftmost matching lets both automata use the packed SIMD search (as
    // the keyword automaton does): these run over every source file.
    let code = aho_corasick::AhoCorasickBuilder::new()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(&words.any)
        .map_err(|e| e.to_string())?;
    let hosts = aho_corasick::AhoCorasickBuilder::new()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(&words.hosts)
        .map_err(|e| e.to_string())?;
    // Leftmost-longest: `OpenAIClient(` is one match, not `OpenAI` then `C`.
    let code_calls = aho_corasick::AhoCorasickBuilder::new()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(calls_patterns)
        .map_err(|e| e.to_string())?;
    let mut stem_list: Vec<String> = list
        .iter()
        .flat_map(|p| p.variables.iter().map(|v| &v.name).chain(&p.misspellings))
        .filter_map(|n| n.get(..4).map(str::to_string))
        .collect();
    stem_list.sort();
    stem_list.dedup();
    let mut names: Vec<String> = list
        .iter()
        .flat_map(|p| p.variables.iter().map(|v| &v.name).chain(&p.misspellings))
        .map(|n| n.replace('_', ""))
        .collect();
    names.sort();
    names.dedup();
    let stems = AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(&stem_list)
        .map_err(|e| e.to_string())?;
    Ok(Prefilter {
        stems,
        stem_list,
        names,
        automaton,
        targets,
        code,
        hosts,
        code_calls,
        calls,
        gated,
        gates,
        also_gate,
    })
}

/// The words that make a source file worth parsing, derived from the
/// provider tables. Any occurrence counts for: every credential variable
/// name, module attribute (`openai.api_key`), the providers' own code
/// keywords (and, kept apart, API hosts), and a constructor path written from its name on
/// (`OpenAI::Client.new`, `OpenAIOkHttpClient.builder`). A one-segment name
/// (`OpenAI`, `ChatOpenAI`, `WithAPIKey`) counts only as a call (see
/// [`Prefilter::scan`]): it also names types and imports. A constructor's
/// name is the longest of its segments that starts with a capital
/// (`ChatCompletion` of `openai.ChatCompletion.create`), else its longest.
struct CodeWords {
    any: Vec<String>,
    hosts: Vec<String>,
    call: Vec<String>,
    gated: Vec<String>,
    gates: Vec<String>,
}

fn code_keywords(list: &[Provider]) -> CodeWords {
    let mut w = CodeWords {
        any: Vec::new(),
        hosts: Vec::new(),
        call: Vec::new(),
        gated: Vec::new(),
        gates: Vec::new(),
    };
    let name = |segs: &[String]| {
        segs.iter()
            .enumerate()
            .filter(|(_, s)| s.starts_with(|c: char| c.is_ascii_uppercase()))
            .max_by_key(|(_, s)| s.len())
            .or_else(|| segs.iter().enumerate().max_by_key(|(_, s)| s.len()))
            .map(|(i, s)| (i, s.clone()))
    };
    for p in list {
        w.any.extend(p.variables.iter().map(|v| v.name.clone()));
        w.any.extend(p.code_keywords.iter().cloned());
        w.hosts.extend(
            p.hosts
                .iter()
                .map(|h| h.trim_start_matches('.').to_string()),
        );
        for c in &p.clients {
            let gated = !c.imports.is_empty();
            w.gates.extend(c.imports.iter().cloned());
            let paths = c
                .constructors
                .iter()
                .zip(c.written.iter().cloned())
                .chain(c.options.iter().map(|(segs, _)| (segs, segs.join("."))));
            for (segs, written) in paths {
                let Some((i, word)) = name(segs) else {
                    continue;
                };
                if i + 1 < segs.len() {
                    if let Some(at) = written.find(word.as_str()) {
                        w.any.push(written[at..].to_string());
                    }
                } else if gated {
                    w.gated.push(word);
                } else {
                    w.call.push(word);
                }
            }
            // `openai.api_key`, not `openai.` (every `from openai.types …`).
            if let Some(m) = &c.module {
                w.any
                    .extend(c.attributes.iter().map(|(a, _)| format!("{m}.{a}")));
            }
        }
    }
    for words in [
        &mut w.any,
        &mut w.hosts,
        &mut w.call,
        &mut w.gated,
        &mut w.gates,
    ] {
        words.retain(|x| x.len() >= 4);
        words.sort();
        words.dedup();
    }
    // A word that is also an ungated call needs no gate.
    let call = w.call.clone();
    w.gated.retain(|x| !call.contains(x));
    w
}
