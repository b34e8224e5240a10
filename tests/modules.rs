//! The library's module graph has no cycles, and no source file cites a path outside the
//! repository. The graph is read from the source: every `crate::name` a module's code (not its
//! `#[cfg(test)]` tests, which may use the whole crate) mentions is an edge, at two levels:
//! between the top-level modules (`config`, `diag`, `typeset`, ...) and between the
//! submodules of each directory module (`typeset::flow`, `typeset::page`, ...).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's name and the modules its code refers to.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its test module (everything from the first `#[cfg(test)]`).
fn code_of(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

/// The identifiers that follow `prefix` in `code`, including the members of a `prefix{a, b::c}`
/// group (only their first segment).
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = BTreeSet::new();
    for (i, _) in code.match_indices(prefix) {
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let body = &group[..group.find('}').unwrap_or(group.len())];
            for member in body.split(',') {
                let name = ident(member.trim());
                if !name.is_empty() {
                    names.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// The library's files (the binary's `main.rs` and `cmd/` are another crate), as
/// (path under `src/`, code without tests).
fn library_sources() -> Vec<(Vec<String>, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let rel: Vec<String> = path
            .strip_prefix(&src)
            .expect("under src")
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if rel[0] == "main" || rel[0] == "cmd" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        out.push((rel, code_of(&text).to_string()));
    }
    out
}

fn top_level_graph(sources: &[(Vec<String>, String)]) -> Graph {
    let modules: BTreeSet<String> = sources
        .iter()
        .map(|(rel, _)| rel[0].clone())
        .filter(|m| m != "lib")
        .collect();
    let mut graph = Graph::new();
    for (rel, code) in sources {
        let from = &rel[0];
        if from == "lib" {
            continue;
        }
        let edges = graph.entry(from.clone()).or_default();
        for to in names_after(code, "crate::") {
            if modules.contains(&to) && to != *from {
                edges.insert(to);
            }
        }
    }
    graph
}

/// The graph between the submodules of the directory module `dir` (`typeset`, `epub`).
fn submodule_graph(sources: &[(Vec<String>, String)], dir: &str) -> Graph {
    let inside: Vec<&(Vec<String>, String)> = sources
        .iter()
        .filter(|(rel, _)| rel.len() == 2 && rel[0] == dir && rel[1] != "mod")
        .collect();
    let names: BTreeSet<String> = inside.iter().map(|(rel, _)| rel[1].clone()).collect();
    let mut graph = Graph::new();
    for (rel, code) in inside {
        let from = &rel[1];
        let mut refs = names_after(code, "super::");
        refs.extend(names_after(code, &format!("crate::{dir}::")));
        let edges = graph.entry(from.clone()).or_default();
        for to in refs {
            if names.contains(&to) && to != *from {
                edges.insert(to);
            }
        }
    }
    graph
}

/// A cycle of `graph` as a path `a -> b -> ... -> a`, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let graph: Graph = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        names_after(
            "use crate::{config::X, diag};\nlet s = crate::source::Span;",
            "crate::"
        ),
        ["config", "diag", "source"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}

#[test]
fn the_top_level_modules_have_no_cycle() {
    let sources = library_sources();
    let graph = top_level_graph(&sources);
    // The graph is really read: `model` depends on `source`, `config` on `diag`.
    assert!(graph["model"].contains("source"), "{graph:?}");
    assert!(graph["config"].contains("diag"), "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("module cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_submodules_have_no_cycle() {
    let sources = library_sources();
    for dir in ["typeset", "epub"] {
        let graph = submodule_graph(&sources, dir);
        assert!(!graph.is_empty(), "no submodules read in {dir}");
        if let Some(cycle) = find_cycle(&graph) {
            panic!("module cycle in {dir}/: {}", cycle.join(" -> "));
        }
    }
}

/// No source file refers to a path outside the repository (`../shared/...` and the like).
#[test]
fn no_source_cites_a_path_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            assert!(
                !line.contains("../shared") && !line.contains("/work/"),
                "{}:{} cites a path outside the repository: {line}",
                path.display(),
                n + 1
            );
        }
    }
}

/// No writer reads the disk: the EPUB writer, the typesetter and the PDF writer get every file
/// from the pipeline (tests excepted, which load fixture books).
#[test]
fn no_writer_reads_the_disk() {
    let sources = library_sources();
    let writers: Vec<&(Vec<String>, String)> = sources
        .iter()
        .filter(|(rel, _)| matches!(rel[0].as_str(), "epub" | "typeset" | "pdf"))
        .collect();
    assert!(writers.len() >= 5, "the writers' files were not found");
    for (rel, code) in writers {
        for needle in [
            "std::fs",
            "fs::read",
            "File::open",
            ".root",
            "read_dir",
            "load_book",
        ] {
            assert!(
                !code.contains(needle),
                "src/{}.rs reads the disk (`{needle}`)",
                rel.join("/")
            );
        }
    }
}
