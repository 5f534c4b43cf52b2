//! Writing the site. Everything is written into a fresh folder beside the target and swapped in
//! only when complete, so a failed or interrupted build never leaves a half-written site, and a
//! folder hub did not create is never replaced.

use rayon::prelude::*;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The marker file that tells hub an output folder is its own to replace.
pub const MARKER: &str = ".hub-output";

/// What goes into one output file.
#[derive(Debug, Clone)]
pub enum Payload {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// A file compiled into the binary.
    Static(&'static [u8]),
    /// A file copied from the hub root.
    Copy(PathBuf),
}

/// One file of the site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path under the output folder, `/`-separated.
    pub path: String,
    /// Its content.
    pub payload: Payload,
}

impl OutputFile {
    /// The bytes of the file (reading copied files from disk).
    pub fn bytes(&self) -> io::Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match &self.payload {
            Payload::Bytes(b) => b.as_slice().into(),
            Payload::Static(b) => (*b).into(),
            Payload::Copy(p) => fs::read(p)?.into(),
        })
    }
}

/// Why the output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder exists, is not empty and was not made by hub.
    #[error(
        "refusing to replace {0}: it holds files hub did not write (no {MARKER} marker); choose another --out or empty it"
    )]
    NotOurs(PathBuf),
    /// The folder would hold or be the hub's own sources.
    #[error("refusing to write the site to {0}: it is, or contains, the hub root or its content")]
    Overlaps(PathBuf),
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        source: io::Error,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> OutputError {
    let context = context.into();
    move |source| OutputError::Io { context, source }
}

/// Checks that `out` may be replaced by a build of the hub at `root`.
pub fn check_target(root: &Path, out: &Path) -> Result<(), OutputError> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        p.canonicalize().unwrap_or(p)
    };
    let (root, target) = (abs(root), abs(out));
    let content = root.join("content");
    if target.parent().is_none()
        || root.starts_with(&target)
        || target.starts_with(&content)
        || target.starts_with(root.join("themes"))
    {
        return Err(OutputError::Overlaps(out.to_path_buf()));
    }
    if target.is_dir() && !target.join(MARKER).exists() {
        let mut entries =
            fs::read_dir(&target).map_err(io_err(format!("cannot read {}", out.display())))?;
        if entries.next().is_some() {
            return Err(OutputError::NotOurs(out.to_path_buf()));
        }
    }
    Ok(())
}

/// A new site being written beside `out`; it replaces `out` on [`Staging::commit`] and is
/// removed if dropped before that.
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
}

impl Staging {
    /// Starts a new site for `out`, removing what killed builds left behind.
    pub fn new(out: &Path) -> Result<Staging, OutputError> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent)
            .map_err(io_err(format!("cannot create {}", parent.display())))?;
        remove_leftovers(&parent, &name);
        let tmp = parent.join(format!(".{name}.hub-tmp-{}", std::process::id()));
        fs::create_dir_all(&tmp).map_err(io_err(format!("cannot create {}", tmp.display())))?;
        Ok(Staging {
            tmp,
            out: out.to_path_buf(),
            parent,
            name,
            committed: false,
        })
    }

    /// Writes one file of the new site. Safe to call from many threads at once.
    pub fn write(&self, f: &OutputFile) -> Result<(), OutputError> {
        let dest = self.tmp.join(&f.path);
        let put = || match &f.payload {
            Payload::Bytes(b) => fs::write(&dest, b),
            Payload::Static(b) => fs::write(&dest, b),
            Payload::Copy(src) => fs::copy(src, &dest).map(|_| ()),
        };
        // A page's own folder (`case-studies/<slug>/` for its `index.html`) is new: make it
        // first. Other files mostly go to folders that exist by then: trying the file first
        // spares a mkdir and a stat per file.
        if f.path.ends_with("/index.html")
            && let Some(dir) = dest.parent()
        {
            match fs::create_dir(dir) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => fs::create_dir_all(dir),
                _ => Ok(()),
            }
            .map_err(io_err(format!("cannot create the folder of {}", f.path)))?;
        }
        match put() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = dest.parent() {
                    fs::create_dir_all(dir)
                        .map_err(io_err(format!("cannot create the folder of {}", f.path)))?;
                }
                put()
            }
            r => r,
        }
        .map_err(io_err(format!("cannot write {}", f.path)))
    }

    /// Swaps the new site in for the old one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        fs::write(
            self.tmp.join(MARKER),
            "This folder is written by `hub build` and replaced whole on every build.\n",
        )
        .map_err(io_err("cannot write the output marker"))?;
        swap(&self.tmp, &self.out, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes `files` as the complete new content of `out`.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::new(out)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.commit()
}

/// Removes temporary folders left by builds that were killed part-way.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.hub-tmp-"), format!(".{name}.hub-old-")];
    if let Ok(entries) = fs::read_dir(parent) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if prefixes.iter().any(|p| n.starts_with(p.as_str())) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

fn swap(tmp: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    if !out.exists() {
        return fs::rename(tmp, out).map_err(io_err(format!(
            "cannot move the new site to {}",
            out.display()
        )));
    }
    let old = parent.join(format!(".{name}.hub-old-{}", std::process::id()));
    fs::rename(out, &old).map_err(io_err(format!(
        "cannot move the previous site aside ({})",
        out.display()
    )))?;
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(&old, out);
        return Err(io_err(format!(
            "cannot move the new site to {}",
            out.display()
        ))(e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}
