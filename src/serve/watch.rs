//! Watching the hub's sources. Raw notify events are debounced (editors' atomic saves, bursts of
//! saves and a `git checkout` arrive as one batch) and reduced to a [`Change`]; the reduction is a
//! plain function with table-driven tests.

use notify::RecursiveMode;
use notify::event::{EventKind, ModifyKind};
use notify::{PollWatcher, RecommendedWatcher};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, NoCache, RecommendedCache, new_debouncer,
    new_debouncer_opt,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long the watcher waits for a burst of events to settle.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// What a batch of file-system events means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing that hub reads.
    Nothing,
    /// Only stylesheets of the theme changed: swap them in the browser, no rebuild.
    Stylesheets,
    /// These sources changed: rebuild.
    Sources(Vec<PathBuf>),
}

/// Whether a path under the hub root is something hub reads: under content/ or themes/, not
/// hidden, not an editor's temporary file, not inside the output folder.
pub fn relevant(root: &Path, out: Option<&Path>, path: &Path) -> bool {
    if out.is_some_and(|o| path.starts_with(o)) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(top) = parts.next() else {
        return false;
    };
    if top != "content" && top != "themes" {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
        || name == "4913";
    !temp
        && !rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// Reduces debounced events to a change.
pub fn classify(root: &Path, out: Option<&Path>, events: &[DebouncedEvent]) -> Change {
    let mut paths: Vec<PathBuf> = Vec::new();
    for e in events {
        if matches!(e.kind, EventKind::Access(_) | EventKind::Other) {
            continue;
        }
        for p in &e.paths {
            if relevant(root, out, p) && !paths.contains(p) {
                paths.push(p.clone());
            }
        }
    }
    if paths.is_empty() {
        return Change::Nothing;
    }
    // A stylesheet already served from the theme folder is read on each request, so editing it
    // needs no rebuild; a new or removed one does (the theme's file list changes).
    let only_css_edits = events.iter().all(|e| {
        matches!(
            e.kind,
            EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) | EventKind::Access(_)
        ) || !e.paths.iter().any(|p| relevant(root, out, p))
    }) && paths.iter().all(|p| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        rel.starts_with("themes")
            && rel.components().any(|c| c.as_os_str() == "static")
            && p.extension().is_some_and(|x| x == "css")
    });
    if only_css_edits {
        Change::Stylesheets
    } else {
        Change::Sources(paths)
    }
}

/// The running watcher: the hub root itself (not recursively, to see `content/` or `themes/`
/// deleted and created again) and `content/` and `themes/` recursively.
pub enum Watcher {
    /// The operating system's change events.
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    /// Polling, for file systems without change events.
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watcher {
    /// Watches `content/` and `themes/` again where they exist: a folder deleted and created
    /// anew is a new folder to the operating system, and its old watch is gone.
    pub fn rewatch(&mut self, root: &Path) {
        for dir in ["content", "themes"].iter().map(|d| root.join(d)) {
            if !dir.is_dir() {
                continue;
            }
            // Watching an already watched folder again is harmless; failures leave the last
            // good site served and are retried on the next change.
            let _ = match self {
                Watcher::Native(d) => d.watch(&dir, RecursiveMode::Recursive),
                Watcher::Poll(d) => d.watch(&dir, RecursiveMode::Recursive),
            };
        }
    }
}

/// Starts watching the hub root; each settled batch is sent as a [`Change`]. With `poll`, files
/// are polled instead (for file systems without change events).
pub fn start(
    root: &Path,
    out: Option<PathBuf>,
    poll: bool,
    tx: Sender<Change>,
) -> notify::Result<Watcher> {
    let root_owned = root.to_path_buf();
    let handler = move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let change = classify(&root_owned, out.as_deref(), &events);
            if change != Change::Nothing {
                let _ = tx.send(change);
            }
        }
    };
    let mut watcher = if poll {
        // notify's poller compares modification times in whole seconds, which misses a second
        // save within the same second; comparing contents does not.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        let mut d =
            new_debouncer_opt::<_, PollWatcher, NoCache>(DEBOUNCE, None, handler, NoCache, config)?;
        d.watch(root, RecursiveMode::NonRecursive)?;
        Watcher::Poll(d)
    } else {
        let mut d = new_debouncer(DEBOUNCE, None, handler)?;
        d.watch(root, RecursiveMode::NonRecursive)?;
        Watcher::Native(d)
    };
    watcher.rewatch(root);
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::Event;
    use notify::event::{AccessKind, CreateKind, DataChange, RemoveKind, RenameMode};
    use std::time::Instant;

    fn ev(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        DebouncedEvent::new(e, Instant::now())
    }

    #[test]
    fn classifies_batches() {
        let root = Path::new("/hub");
        let out = Some(Path::new("/hub/public"));
        let data = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let cases: Vec<(Vec<DebouncedEvent>, Change)> = vec![
            (
                vec![ev(data, &["/hub/content/case-studies/a.md"])],
                Change::Sources(vec!["/hub/content/case-studies/a.md".into()]),
            ),
            (
                vec![ev(
                    EventKind::Access(AccessKind::Any),
                    &["/hub/content/a.md"],
                )],
                Change::Nothing,
            ),
            (vec![ev(data, &["/hub/public/index.html"])], Change::Nothing),
            (
                vec![
                    ev(data, &["/hub/content/.a.md.swp"]),
                    ev(data, &["/hub/content/a.md~"]),
                ],
                Change::Nothing,
            ),
            (vec![ev(data, &["/hub/.git/index"])], Change::Nothing),
            // An editor's atomic save: a temp file renamed over the original.
            (
                vec![
                    ev(
                        EventKind::Create(CreateKind::File),
                        &["/hub/content/.a.md.tmp"],
                    ),
                    ev(
                        EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                        &["/hub/content/.a.md.tmp", "/hub/content/a.md"],
                    ),
                ],
                Change::Sources(vec!["/hub/content/a.md".into()]),
            ),
            (
                vec![ev(data, &["/hub/themes/local/static/assets/hub.css"])],
                Change::Stylesheets,
            ),
            (
                vec![ev(
                    EventKind::Create(CreateKind::File),
                    &["/hub/themes/local/static/new.css"],
                )],
                Change::Sources(vec!["/hub/themes/local/static/new.css".into()]),
            ),
            (
                vec![
                    ev(EventKind::Remove(RemoveKind::File), &["/hub/content/b.md"]),
                    ev(data, &["/hub/content/hub.yaml"]),
                ],
                Change::Sources(vec![
                    "/hub/content/b.md".into(),
                    "/hub/content/hub.yaml".into(),
                ]),
            ),
        ];
        for (events, expected) in cases {
            assert_eq!(classify(root, out, &events), expected, "{events:?}");
        }
    }
}
