//! Which rules apply in which file context (SPEC §1 "Context"): one table,
//! applied at one place. The pipeline drops a finding whose file's context
//! excludes its rule before suppressions are judged, and SUP001 does not
//! call a directive for such a rule unused (it could never fire there).
//!
//! | context | rules |
//! |---|---|
//! | application | all |
//! | library | all but KEY005 and ENV001: a package reads credentials on behalf of its users, so "read but never defined" and "defined under a name nothing reads" are about the application that uses it |
//! | test | all but KEY002–KEY005 and ORG001–ORG005: empty, dummy and made-up values are a test's job; a real key (KEY001) still counts |
//! | docs | KEY001 only |
//! | vendored | KEY001 only |
//! | foreign template | the literal rules: KEY001, ORG001, ORG004 (never parsed as config, so never PARSE001) |
//! | recording | KEY001 only: recorded HTTP traffic is test data, read as text and never parsed; a key recorded in it leaked all the same |
//!
//! SUP001 is judged in every context.

use crate::walk::Context;

/// Every context, in the order the docs list them.
pub const CONTEXTS: &[Context] = &[
    Context::Application,
    Context::Library,
    Context::Test,
    Context::Docs,
    Context::Vendored,
    Context::ForeignTemplate,
    Context::Recording,
];

/// What applies in one context: every rule but some, or only some.
enum Applies {
    AllBut(&'static [&'static str]),
    Only(&'static [&'static str]),
}

/// The table.
fn row(context: Context) -> Applies {
    match context {
        Context::Application => Applies::AllBut(&[]),
        Context::Library => Applies::AllBut(&["KEY005", "ENV001"]),
        Context::Test => Applies::AllBut(&[
            "KEY002", "KEY003", "KEY004", "KEY005", "ORG001", "ORG002", "ORG003", "ORG004",
            "ORG005",
        ]),
        Context::Docs | Context::Vendored | Context::Recording => Applies::Only(&["KEY001"]),
        Context::ForeignTemplate => Applies::Only(&["KEY001", "ORG001", "ORG004"]),
    }
}

/// Whether rule `code` reports in a file of `context`.
pub fn applies(code: &str, context: Context) -> bool {
    // SUP001 judges directives, which every context may hold (the code is
    // spelled here so that this table stays a leaf below the rules).
    if code == "SUP001" {
        return true;
    }
    match row(context) {
        Applies::AllBut(out) => !out.contains(&code),
        Applies::Only(only) => only.contains(&code),
    }
}

/// The contexts rule `code` reports in.
pub fn contexts(code: &str) -> Vec<Context> {
    CONTEXTS
        .iter()
        .copied()
        .filter(|&c| applies(code, c))
        .collect()
}

/// A paragraph for a rule's docs: the file contexts it reports in.
pub fn describe(code: &str) -> String {
    let yes = contexts(code);
    let names = |cs: &mut dyn Iterator<Item = &Context>| {
        cs.map(|c| format!("`{}`", c.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let which = if yes.len() == CONTEXTS.len() {
        "Reported in files of every context".to_string()
    } else {
        format!(
            "Reported in {} files; not in {} files",
            names(&mut yes.iter()),
            names(&mut CONTEXTS.iter().filter(|c| !yes.contains(c)))
        )
    };
    format!(
        "{which}. credlint decides each file's context from its path and the nearest \
         package manifest: see \"File contexts\" in docs/configuration.md."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sup001_applies_everywhere() {
        assert_eq!(crate::rule::sup001::CODE, "SUP001");
        assert!(CONTEXTS.iter().all(|&c| applies("SUP001", c)));
    }

    #[test]
    fn table() {
        for c in CONTEXTS {
            assert!(applies("KEY001", *c), "{c:?}");
            assert!(applies("SUP001", *c), "{c:?}");
        }
        assert!(applies("KEY005", Context::Application));
        assert!(!applies("KEY005", Context::Library));
        assert!(!applies("KEY005", Context::Test));
        assert!(!applies("KEY003", Context::Docs));
        assert!(!applies("PARSE001", Context::ForeignTemplate));
        assert!(applies("ORG001", Context::ForeignTemplate));
        assert!(applies("PARSE001", Context::Library));
        assert!(!applies("ORG001", Context::Vendored));
        assert!(!applies("PARSE001", Context::Recording));
        assert!(!applies("PAIR001", Context::Recording));
    }

    #[test]
    fn every_listed_code_is_a_rule() {
        let rules = crate::rule::builtin();
        for c in CONTEXTS {
            let listed = match row(*c) {
                Applies::AllBut(l) | Applies::Only(l) => l,
            };
            for code in listed {
                assert!(rules.get(code).is_some(), "{code}");
            }
        }
    }
}
