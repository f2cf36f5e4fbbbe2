//! Node kinds and fields read by number.
//!
//! tree-sitter's `Node::kind` measures and validates its C string on every
//! call, and `Node::child_by_field_name` finds the field's number by
//! comparing the name with each of the grammar's field names in turn. The
//! engine asks both of nearly every node, so each grammar's kind names
//! and field numbers are listed once here, and [`NodeExt`] reads them by
//! the node's numbers.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use tree_sitter::Node;

use crate::index::FastHash;
use crate::walk::Language;

/// One grammar's names, by number.
struct Grammar {
    language: &'static tree_sitter::Language,
    /// Kind names by kind id.
    kinds: Box<[&'static str]>,
    /// Field numbers by field name.
    fields: HashMap<&'static str, u16, FastHash>,
}

impl Grammar {
    fn new(language: tree_sitter::Language) -> Self {
        // The grammars are static: their names live as long as the program.
        let language: &'static tree_sitter::Language = Box::leak(Box::new(language));
        let kinds = (0..language.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect();
        let fields = (1..=language.field_count())
            .filter_map(|id| {
                let id = u16::try_from(id).ok()?;
                let name = language.field_name_for_id(id)?;
                Some((name, id))
            })
            .collect();
        Grammar {
            language,
            kinds,
            fields,
        }
    }
}

const LANGUAGES: [Language; 11] = [
    Language::Python,
    Language::JavaScript,
    Language::TypeScript,
    Language::Tsx,
    Language::Go,
    Language::Java,
    Language::CSharp,
    Language::Ruby,
    Language::Rust,
    Language::Php,
    Language::Shell,
];

fn grammars() -> &'static [Grammar] {
    static GRAMMARS: OnceLock<Vec<Grammar>> = OnceLock::new();
    GRAMMARS.get_or_init(|| {
        LANGUAGES
            .iter()
            .filter_map(|&l| super::grammar(l))
            .map(Grammar::new)
            .collect()
    })
}

thread_local! {
    /// The grammar of the last node asked about on this thread: a file's
    /// nodes all share one.
    static LAST: Cell<Option<&'static Grammar>> = const { Cell::new(None) };
}

/// The listed grammar of a node, if it is one of credlint's.
fn grammar_of(n: Node<'_>) -> Option<&'static Grammar> {
    let language = n.language();
    let last = LAST.with(Cell::get);
    if let Some(g) = last {
        if *g.language == *language {
            return Some(g);
        }
    }
    let g = grammars().iter().find(|g| *g.language == *language)?;
    LAST.with(|l| l.set(Some(g)));
    Some(g)
}

/// A node's kind and fields, read by number ([`Node::kind`] and
/// [`Node::child_by_field_name`] give the same).
pub(crate) trait NodeExt<'t> {
    /// The node's kind, as [`Node::kind`].
    fn kind_name(self) -> &'t str;
    /// The child in field `name`, as [`Node::child_by_field_name`].
    fn field(self, name: &str) -> Option<Node<'t>>;
}

impl<'t> NodeExt<'t> for Node<'t> {
    #[inline]
    fn kind_name(self) -> &'t str {
        match grammar_of(self).and_then(|g| g.kinds.get(usize::from(self.kind_id()))) {
            Some(k) => k,
            // An error node (its id is past the grammar's kinds), or a
            // grammar not listed.
            None => self.kind(),
        }
    }

    #[inline]
    fn field(self, name: &str) -> Option<Node<'t>> {
        match grammar_of(self) {
            // A name that is no field of the grammar names no child.
            Some(g) => g
                .fields
                .get(name)
                .and_then(|&id| self.child_by_field_id(id)),
            None => self.child_by_field_name(name),
        }
    }
}

/// A hasher for node ids (a node's address in its tree): one multiply,
/// its high bits turned down to where the table looks (an address's low
/// bits are all zero). Not for keys an attacker chooses.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// A table keyed by node id.
pub(crate) type IdMap<V> = HashMap<usize, V, BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node of a parse of each language: the kind and every field
    /// read by number are what tree-sitter gives by name.
    #[test]
    fn kinds_and_fields_match_tree_sitter() {
        let samples: &[(Language, &str)] = &[
            (
                Language::Python,
                "import os\nfrom openai import OpenAI\nKEY = os.environ.get('OPENAI_API_KEY', 'x')\n\
                 class A:\n    '''doc'''\n    x: int = 1\n    def f(self, a=1, *b, **c):\n        \
                 return OpenAI(api_key=KEY, organization=f'org-{a}') if a else lambda: [i for i in b]\n\
                 os.environ['X'] = 'y'\nopenai.api_key = 'sk'\nasync def g():\n    await g()\n\
                 with open('f') as h:\n    pass\ntry:\n    x = {1: 2, **c}\nexcept E as e:\n    raise\n\
                 def broken(:\n",
            ),
            (
                Language::JavaScript,
                "import OpenAI from 'openai';\nconst { OPENAI_API_KEY: k = 'd' } = process.env;\n\
                 const c = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? 'x', organization: `org-${k}` });\n\
                 class A extends B { #p = 1; static m(a, ...r) { return a?.b?.[c] || r; } }\n\
                 export default function f() { for (const x of y) { if (x) break; } }\n\
                 const j = <div a=\"b\">{x}</div>;\nlet = ;\n",
            ),
            (
                Language::TypeScript,
                "import { OpenAI } from 'openai';\ninterface I { a: string; b?: number }\n\
                 type T<U> = U extends string ? 'a' : never;\nenum E { A = 1 }\n\
                 const c = new OpenAI({ apiKey: process.env['OPENAI_API_KEY']! as string });\n\
                 abstract class A<T> implements I { constructor(private readonly a: string) { super(); } }\n\
                 function f(this: A, x?: number): void {}\nlet x: = 1;\n",
            ),
            (
                Language::Tsx,
                "import OpenAI from 'openai';\nconst App = (p: P) => <OpenAIProvider apiKey={process.env.KEY!}>\
                 <a href=\"x\">{p.children}</a></OpenAIProvider>;\nconst c = new OpenAI({ apiKey: 'sk' });\n<\n",
            ),
            (
                Language::Go,
                "package main\nimport (\n\t\"os\"\n\topenai \"github.com/sashabaranov/go-openai\"\n)\n\
                 const key = \"sk\"\nvar c = openai.NewClient(os.Getenv(\"OPENAI_API_KEY\"))\n\
                 type S struct { A string `json:\"a\"` }\nfunc (s *S) F(a ...int) (int, error) {\n\
                 \tcfg := openai.DefaultConfig(key)\n\tcfg.OrgID = \"org\"\n\tfor i := range a { _ = i }\n\
                 \tswitch x := a[0].(type) { case int: }\n\treturn 0, nil\n}\nfunc broken( {\n",
            ),
            (
                Language::Java,
                "import com.openai.client.OpenAIClient;\npublic class A<T> extends B implements C {\n\
                 @Override public void f(String... a) throws E {\n\
                 var c = OpenAIOkHttpClient.builder().apiKey(System.getenv(\"OPENAI_API_KEY\")).build();\n\
                 for (int i = 0; i < a.length; i++) { x = a[i] == null ? \"d\" : a[i]; }\n\
                 try (var r = open()) {} catch (E | F e) {} }\n record R(int a) {}\n void g( {\n}\n",
            ),
            (
                Language::CSharp,
                "using OpenAI;\nnamespace N { public class A : B {\n\
                 public string K { get; set; } = Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\") ?? \"d\";\n\
                 void F(params int[] a) { var c = new OpenAIClient(apiKey: K, options: new() { Endpoint = u });\n\
                 foreach (var x in a) { if (x is int y) {} } var s = $\"org-{K}\"; }\n\
                 async Task G() => await H(); void Broken( { } } }\n",
            ),
            (
                Language::Ruby,
                "require 'openai'\nKEY = ENV.fetch('OPENAI_API_KEY', 'd')\n\
                 client = OpenAI::Client.new(access_token: ENV['OPENAI_API_KEY'], organization_id: \"org-#{x}\")\n\
                 OpenAI.configure do |config|\n  config.access_token = KEY\nend\n\
                 class A < B\n  def f(a, *b, c: 1, **d, &e)\n    b.each { |x| puts x } unless a\n  end\nend\n\
                 ENV['X'] = 'y'\ndef broken(\n",
            ),
            (
                Language::Rust,
                "use async_openai::{Client, config::OpenAIConfig};\nconst KEY: &str = \"sk\";\n\
                 fn main() -> Result<(), E> {\n    let cfg = OpenAIConfig::new().with_api_key(std::env::var(\"OPENAI_API_KEY\")?);\n\
                 let c = Client::with_config(cfg);\n    let s = S { a: 1, ..Default::default() };\n\
                 match x { Some(y) if y > 1 => {}, _ => {} }\n    let f = |a: i32| a + 1;\n    Ok(())\n}\n\
                 struct S<'a> { a: &'a str }\nimpl<T: Tr> Tr for S<T> where T: Copy { fn f(&self) {} }\n\
                 macro_rules! m { ($x:expr) => { $x }; }\nfn broken( {\n",
            ),
            (
                Language::Php,
                "<?php\nuse OpenAI\\Client;\n$key = getenv('OPENAI_API_KEY') ?: 'd';\n\
                 $client = OpenAI::client($_ENV['OPENAI_API_KEY'], organization: \"org-{$x}\");\n\
                 $f = OpenAI::factory()->withApiKey($key)->make();\nclass A extends B { public function f(int ...$a): void {\
                 foreach ($a as $k => $v) { echo \"$k\"; } } }\n$x = fn($a) => $a;\nfunction broken( {\n?>\n<p>html</p>\n",
            ),
            (
                Language::Shell,
                "#!/bin/bash\nexport OPENAI_API_KEY=\"${KEY:-sk}\"\ncurl -H \"Authorization: Bearer $OPENAI_API_KEY\" \\\n\
                 https://api.openai.com/v1/models | jq '.data'\nif [ -n \"$X\" ]; then echo $(cat f) > out; fi\n\
                 f() { local a=$1; for i in \"$@\"; do case $i in a) ;; esac; done; }\n\
                 cat <<EOF\nbody $X\nEOF\narr=(1 2); echo ${arr[@]}\nif then fi (\n",
            ),
        ];
        let mut checked = 0;
        for &(lang, text) in samples {
            let tree = super::super::parse(lang, text).expect("parse");
            assert!(
                tree.root_node().has_error(),
                "{lang:?}: the sample holds an error"
            );
            checked += same_as_tree_sitter(lang, text);
        }
        assert!(checked > 1500, "{checked} nodes");
    }

    /// The same over the repository's fixtures and sources, real files of
    /// every language.
    #[test]
    fn kinds_and_fields_match_tree_sitter_on_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("fixtures"), root.join("src/extract/code")];
        let mut seen = Vec::new();
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let lang = path
                    .extension()
                    .and_then(|x| x.to_str())
                    .and_then(Language::from_extension);
                let (Some(lang), Ok(text)) = (lang, std::fs::read_to_string(&path)) else {
                    continue;
                };
                if super::super::grammar(lang).is_some() {
                    same_as_tree_sitter(lang, &text);
                    seen.push(lang);
                }
            }
        }
        for lang in [
            Language::Python,
            Language::JavaScript,
            Language::Go,
            Language::Rust,
        ] {
            assert!(seen.contains(&lang), "no {lang:?} file");
        }
    }

    /// Checks every node of a parse of `text`; the number of nodes.
    fn same_as_tree_sitter(lang: Language, text: &str) -> usize {
        let language = super::super::grammar(lang).expect("grammar");
        let fields: Vec<&str> = (1..=language.field_count())
            .filter_map(|id| language.field_name_for_id(u16::try_from(id).ok()?))
            .chain(["no_such_field", ""])
            .collect();
        let tree = super::super::parse(lang, text).expect("parse");
        let mut checked = 0;
        let mut cursor = tree.walk();
        'walk: loop {
            let n = cursor.node();
            assert_eq!(n.kind_name(), n.kind(), "{lang:?} {n:?}");
            for f in &fields {
                assert_eq!(n.field(f), n.child_by_field_name(f), "{lang:?} {n:?} {f}");
            }
            checked += 1;
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        checked
    }
}
