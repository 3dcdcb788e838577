//! The module structure as ARCHITECTURE.md draws it: no import cycles
//! between the top-level modules of `src/` (data flows one way), and no SQL
//! in the web handlers or the worker (they call services).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without its unit tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level module → the top-level modules it names through `crate::`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = code(&file);
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let mut named = BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a::b, c, d::{e, f}}`: the first segment of each path.
                let mut depth = 0;
                let mut start = true;
                for (k, ch) in group.char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => start = true,
                        c if start && (c.is_alphanumeric() || c == '_') => {
                            named.insert(ident(&group[k..]));
                            start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                named.insert(ident(rest));
            }
        }
        named.remove(&top);
        named.remove("self");
        named.remove("");
        graph.entry(top).or_default().extend(named);
    }
    graph
}

#[test]
fn no_import_cycles_between_modules() {
    let graph = module_graph();
    assert!(graph.contains_key("sync") && graph.contains_key("worker"));
    // Depth-first search for a back edge.
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
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
            if let Some(c) = visit(graph, next, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(&graph, node, &mut vec![], &mut done) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
    // The queue knows no service; the services know no worker or web.
    assert!(
        graph["jobs"]
            .iter()
            .all(|m| ["context", "db"].contains(&m.as_str())),
        "{:?}",
        graph["jobs"]
    );
    for service in [
        "sync",
        "orders",
        "webhooks",
        "integrations",
        "account",
        "settings",
    ] {
        let deps = &graph[service];
        assert!(
            !deps.contains("worker") && !deps.contains("web"),
            "{service}: {deps:?}"
        );
    }
}

#[test]
fn no_sql_in_web_handlers_or_the_worker() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for dir in ["web", "worker"] {
        let mut files = vec![];
        rust_files(&src.join(dir), &mut files);
        for file in files {
            if file.ends_with("worker/purge.rs") {
                continue; // the purge job is the worker's own service
            }
            let text = code(&file);
            for needle in ["diesel::", "::table", "sql_query"] {
                assert!(
                    !text.contains(needle),
                    "{} uses {needle}: move it into a service",
                    file.display()
                );
            }
        }
    }
}
