//! A small name resolver over `src/`: which module file each path in a file
//! lands in, following `use` re-exports to the module that defines the name.
//! Items under `#[cfg(test)]` are left out: tests may reach across the house.

use std::collections::{BTreeMap, BTreeSet};
use syn::visit::Visit;

/// A module path from the crate root, e.g. `["model", "slo", "rules"]`.
pub type ModPath = Vec<String>;

/// What one module file declares and imports.
#[derive(Default)]
pub struct Module {
    pub file: String,
    children: BTreeSet<String>,
    /// Children declared under `#[cfg(test)]`: left out with all they hold.
    test_children: BTreeSet<String>,
    items: BTreeSet<String>,
    /// Imported names and the absolute paths they stand for; `*` imports
    /// are kept by their module path under the key `*`.
    uses: Vec<(String, ModPath)>,
    /// Names re-exported with `pub use`: structure, not a dependency.
    reexports: BTreeSet<String>,
    /// Every path the file names: its `use`s and inline `a::b` paths, each
    /// marked `true` where it is a `pub use` re-export.
    pub paths: Vec<(ModPath, bool)>,
}

/// The crate's modules by path, from `(file under src/, source)` pairs.
pub struct Crate {
    pub modules: BTreeMap<ModPath, Module>,
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("test"))
    })
}

/// The module path of a file under `src/`: `model/slo/mod.rs` → `model::slo`.
pub fn module_path(file: &str) -> ModPath {
    let stem = file.trim_end_matches(".rs");
    let mut parts: ModPath = stem.split('/').map(str::to_string).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Joins a path written in module `at` onto the crate root.
fn absolute(at: &ModPath, module: &Module, segments: &[String]) -> Option<ModPath> {
    let (first, rest) = segments.split_first()?;
    let mut base = match first.as_str() {
        "crate" => Vec::new(),
        "self" => at.clone(),
        "super" => {
            let mut up = at.clone();
            up.pop();
            return absolute_from(up, rest);
        }
        name if module.children.contains(name) => {
            let mut p = at.clone();
            p.push(name.to_string());
            return Some([p, rest.to_vec()].concat());
        }
        name => {
            let (_, target) = module.uses.iter().find(|(n, _)| n == name)?;
            return Some([target.clone(), rest.to_vec()].concat());
        }
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// `super::super::x` written in `up`'s child.
fn absolute_from(mut up: ModPath, rest: &[String]) -> Option<ModPath> {
    let mut rest = rest;
    while rest.first().map(String::as_str) == Some("super") {
        up.pop();
        rest = &rest[1..];
    }
    Some([up, rest.to_vec()].concat())
}

/// Flattens a `use` tree into (name it binds, path it names).
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(String, ModPath)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            let mut path = prefix.clone();
            if name != "self" {
                path.push(name.clone());
            }
            let bound = if name == "self" {
                prefix.last().cloned().unwrap_or_default()
            } else {
                name
            };
            out.push((bound, path));
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push((r.rename.to_string(), path));
        }
        syn::UseTree::Glob(_) => out.push(("*".into(), prefix.clone())),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(t, prefix, out)),
    }
}

/// Inline paths of two or more segments, outside `#[cfg(test)]` items.
#[derive(Default)]
struct Inline(Vec<Vec<String>>);

impl<'a> Visit<'a> for Inline {
    fn visit_path(&mut self, p: &'a syn::Path) {
        if p.segments.len() > 1 {
            self.0
                .push(p.segments.iter().map(|s| s.ident.to_string()).collect());
        }
        syn::visit::visit_path(self, p);
    }
    fn visit_item(&mut self, i: &'a syn::Item) {
        if !item_is_test(i) {
            syn::visit::visit_item(self, i);
        }
    }
    fn visit_item_use(&mut self, _: &'a syn::ItemUse) {}
}

fn item_is_test(i: &syn::Item) -> bool {
    match i {
        syn::Item::Mod(m) => is_test(&m.attrs),
        syn::Item::Use(u) => is_test(&u.attrs),
        syn::Item::Fn(f) => is_test(&f.attrs),
        syn::Item::Impl(m) => is_test(&m.attrs),
        _ => false,
    }
}

fn item_name(i: &syn::Item) -> Option<String> {
    Some(match i {
        syn::Item::Struct(s) => s.ident.to_string(),
        syn::Item::Enum(e) => e.ident.to_string(),
        syn::Item::Fn(f) => f.sig.ident.to_string(),
        syn::Item::Const(c) => c.ident.to_string(),
        syn::Item::Static(s) => s.ident.to_string(),
        syn::Item::Type(t) => t.ident.to_string(),
        syn::Item::Trait(t) => t.ident.to_string(),
        syn::Item::Macro(m) => m.ident.as_ref()?.to_string(),
        _ => return None,
    })
}

impl Crate {
    pub fn parse(files: &[(String, String)]) -> Result<Crate, String> {
        let mut modules = BTreeMap::new();
        for (file, source) in files {
            let ast = syn::parse_file(source).map_err(|e| format!("{file}: {e}"))?;
            let mut m = Module {
                file: file.clone(),
                ..Module::default()
            };
            let mut uses = Vec::new();
            for item in &ast.items {
                match item {
                    syn::Item::Mod(md) if is_test(&md.attrs) => {
                        m.test_children.insert(md.ident.to_string());
                    }
                    _ if item_is_test(item) => {}
                    syn::Item::Mod(md) => {
                        m.children.insert(md.ident.to_string());
                    }
                    syn::Item::Use(u) => {
                        let before = uses.len();
                        use_paths(&u.tree, &mut Vec::new(), &mut uses);
                        if matches!(u.vis, syn::Visibility::Public(_)) {
                            m.reexports
                                .extend(uses[before..].iter().map(|(n, _)| n.clone()));
                        }
                    }
                    other => m.items.extend(item_name(other)),
                }
            }
            let mut inline = Inline::default();
            inline.visit_file(&ast);
            m.uses = uses;
            m.paths = inline.0.into_iter().map(|p| (p, false)).collect();
            modules.insert(module_path(file), m);
        }
        let tests: Vec<ModPath> = modules
            .iter()
            .flat_map(|(at, m)| {
                m.test_children
                    .iter()
                    .map(move |c| [at.clone(), vec![c.clone()]].concat())
            })
            .collect();
        modules.retain(|at, _| !tests.iter().any(|t| at.starts_with(t)));
        let mut krate = Crate { modules };
        krate.absolutize();
        Ok(krate)
    }

    /// Turns every `use` and inline path into a path from the crate root;
    /// paths into other crates are dropped.
    fn absolutize(&mut self) {
        let keys: Vec<ModPath> = self.modules.keys().cloned().collect();
        for at in keys {
            let m = &self.modules[&at];
            let uses: Vec<(String, ModPath)> = m
                .uses
                .iter()
                .filter_map(|(n, p)| Some((n.clone(), absolute(&at, m, p)?)))
                .filter(|(_, p)| self.is_ours(p))
                .collect();
            let m = self.modules.get_mut(&at).expect("module");
            m.uses = uses;
            let m = &self.modules[&at];
            let mut paths: Vec<(ModPath, bool)> = m
                .uses
                .iter()
                .map(|(n, p)| (p.clone(), m.reexports.contains(n)))
                .collect();
            paths.extend(
                m.paths
                    .iter()
                    .filter_map(|(p, _)| Some((absolute(&at, m, p)?, false))),
            );
            paths.retain(|(p, _)| self.is_ours(p));
            self.modules.get_mut(&at).expect("module").paths = paths;
        }
    }

    /// A path into this crate, not into a dependency or the standard library.
    fn is_ours(&self, p: &ModPath) -> bool {
        let root = self.modules.get(&Vec::new());
        p.first()
            .is_none_or(|first| root.is_some_and(|r| r.children.contains(first)))
    }

    /// The module that defines what `path` names, following re-exports.
    pub fn resolve(&self, path: &ModPath) -> ModPath {
        self.resolve_depth(path, 0)
    }

    fn resolve_depth(&self, path: &ModPath, depth: usize) -> ModPath {
        let mut at: ModPath = Vec::new();
        for (i, seg) in path.iter().enumerate() {
            let Some(m) = self.modules.get(&at) else {
                return at;
            };
            if m.children.contains(seg) {
                at.push(seg.clone());
                continue;
            }
            if m.items.contains(seg) || depth > 16 {
                return at;
            }
            let rest = &path[i + 1..];
            if let Some((_, target)) = m.uses.iter().find(|(n, _)| n == seg) {
                return self.resolve_depth(&[target.clone(), rest.to_vec()].concat(), depth + 1);
            }
            for (_, glob) in m.uses.iter().filter(|(n, _)| n == "*") {
                let tried =
                    self.resolve_depth(&[glob.clone(), path[i..].to_vec()].concat(), depth + 1);
                if tried != *glob {
                    return tried;
                }
            }
            return at;
        }
        at
    }
}
