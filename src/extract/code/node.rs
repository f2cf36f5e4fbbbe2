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
use std::sync::{Mutex, PoisonError};

use tree_sitter::Node;

use crate::index::FastHash;

/// One grammar's names, by number.
struct Grammar {
    language: &'static tree_sitter::Language,
    /// Kind names by kind id.
    kinds: Box<[Option<&'static str>]>,
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

thread_local! {
    /// The grammar of the tree this thread is walking (see [`in_tree`]).
    static CURRENT: Cell<Option<&'static Grammar>> = const { Cell::new(None) };
    /// The last grammar looked up on this thread.
    static LAST: Cell<Option<&'static Grammar>> = const { Cell::new(None) };
}

/// Run `f`, a walk of the tree under `root` and of no other, with that
/// tree's grammar known: [`NodeExt`] then reads it instead of asking each
/// node for its language. (Asking costs a call into tree-sitter and a
/// comparison for every kind or field read; a walk reads several per
/// node.) Walks nest: the grammar before is restored after.
pub(crate) fn in_tree<R>(root: Node<'_>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<&'static Grammar>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let g = lookup(root);
    let _restore = Restore(CURRENT.with(|c| c.replace(Some(g))));
    f()
}

/// The grammar of a node: the one of the tree being walked (see
/// [`in_tree`]), else looked up.
#[inline]
fn grammar_of(n: Node<'_>) -> &'static Grammar {
    match CURRENT.with(Cell::get) {
        Some(g) => {
            debug_assert!(*g.language == *n.language(), "a node of another tree");
            g
        }
        None => lookup(n),
    }
}

/// The grammar of a node: the last one looked up on this thread (a file's
/// nodes all share one), else the one of the grammars seen so far, each
/// listed the first time one of its nodes is asked about (credlint links a
/// handful of grammars).
fn lookup(n: Node<'_>) -> &'static Grammar {
    static KNOWN: Mutex<Vec<&'static Grammar>> = Mutex::new(Vec::new());
    let language = n.language();
    if let Some(g) = LAST.with(Cell::get).filter(|g| *g.language == *language) {
        return g;
    }
    let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
    let g = match known.iter().find(|g| *g.language == *language) {
        Some(g) => g,
        None => {
            let g: &'static Grammar = Box::leak(Box::new(Grammar::new(language.clone())));
            known.push(g);
            g
        }
    };
    LAST.with(|l| l.set(Some(g)));
    g
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
        match grammar_of(self).kinds.get(usize::from(self.kind_id())) {
            Some(&Some(k)) => k,
            // An error node: its id is past the grammar's kinds.
            _ => self.kind(),
        }
    }

    #[inline]
    fn field(self, name: &str) -> Option<Node<'t>> {
        // A name that is no field of the grammar names no child.
        grammar_of(self)
            .fields
            .get(name)
            .and_then(|&id| self.child_by_field_id(id))
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
