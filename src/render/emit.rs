//! Rendering everything: every page in every language, the data files, the search index and
//! the static files, each handed to a sink as soon as it is made.

use super::reads::Read;
use super::{Renderer, data};
use crate::diagnostics::Diagnostic;
use crate::output::{OutputFile, Payload};
use crate::search;
use crate::theme::StaticFile;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// Problems in the content or the theme (exit 1).
    Content(Vec<Diagnostic>),
    /// A file could not be written (a full disk, a permission): an I/O error (exit 2).
    Write(String),
}

impl From<Diagnostic> for RenderError {
    fn from(d: Diagnostic) -> Self {
        RenderError::Content(vec![d])
    }
}

impl From<Vec<Diagnostic>> for RenderError {
    fn from(d: Vec<Diagnostic>) -> Self {
        RenderError::Content(d)
    }
}

/// What each page (by output path) read of the site.
pub type PageReads = HashMap<String, BTreeSet<Read>>;

/// Where rendered files go: written to disk, or kept.
pub type Sink<'s> = dyn Fn(OutputFile) -> Result<(), String> + Sync + 's;

impl Renderer<'_> {
    /// Renders every page in parallel and adds the data files and static files.
    pub fn render_all(&self) -> Result<Vec<OutputFile>, RenderError> {
        let files = Mutex::new(Vec::new());
        self.render_each(&|f| {
            files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
            Ok(())
        })?;
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        // Parallel rendering finishes in any order; the list is sorted for reproducibility.
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Renders every file and hands each to `sink` as soon as it is ready, so that a build never
    /// holds the whole site in memory. Returns the paths of all files.
    pub fn render_each(&self, sink: &Sink) -> Result<Vec<String>, RenderError> {
        self.render_each_with(sink, None)
    }

    /// Renders every file in memory, with what each page read (for `hub serve`'s rebuilds).
    pub fn render_all_recorded(&self) -> Result<(Vec<OutputFile>, PageReads), RenderError> {
        let files = Mutex::new(Vec::new());
        let reads = Mutex::new(PageReads::new());
        self.render_each_with(
            &|f| {
                files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
                Ok(())
            },
            Some(&reads),
        )?;
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((files, reads.into_inner().unwrap_or_else(|e| e.into_inner())))
    }

    fn render_each_with(
        &self,
        sink: &Sink,
        record: Option<&Mutex<PageReads>>,
    ) -> Result<Vec<String>, RenderError> {
        let pages = self.pages();
        let write = |f: OutputFile| {
            let path = f.path.clone();
            sink(f).map_err(|e| RenderError::Write(format!("cannot write {path}: {e}")))?;
            Ok::<String, RenderError>(path)
        };
        // Everything else is made while pages render: all of it is parallel inside, and rayon
        // keeps both cores busy through the uneven ends of each, with no serial tail.
        let (results, rest) = rayon::join(
            || -> Vec<Result<String, RenderError>> {
                pages
                    .par_iter()
                    .map(|&(lang, id)| match record {
                        None => write(self.render(lang, id).map_err(|e| vec![e])?),
                        Some(reads) => {
                            let page = self.render_recorded(lang, id).map_err(|e| vec![e])?;
                            reads
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(page.file.path.clone(), page.reads);
                            write(page.file)
                        }
                    })
                    .collect()
            },
            || -> Result<Vec<String>, RenderError> {
                let (search, records) = rayon::join(
                    // Chunks too are written as they are made.
                    || -> Result<Vec<String>, RenderError> {
                        let paths = Mutex::new(Ok(Vec::new()));
                        search::index_files_each(
                            self.site,
                            &search::labels(self.site, self.theme),
                            &|f| {
                                let written = write(f);
                                let mut paths = paths.lock().unwrap_or_else(|e| e.into_inner());
                                match (&mut *paths, written) {
                                    (Ok(all), Ok(path)) => all.push(path),
                                    (Ok(_), Err(e)) => *paths = Err(e),
                                    (Err(_), _) => {}
                                }
                            },
                        );
                        crate::timings::done("search index");
                        paths.into_inner().unwrap_or_else(|e| e.into_inner())
                    },
                    // Records are written as they are made, never held together.
                    || -> Result<Vec<String>, RenderError> {
                        let r = search::record_ids(self.site)
                            .map(|(lang, doc)| write(search::record(self.site, lang, doc)))
                            .collect();
                        crate::timings::done("search records written");
                        r
                    },
                );
                // One at a time, each written before the next is made: on a large hub the
                // catalogues and sitemap are tens of megabytes each.
                let mut paths = Vec::new();
                self.data_files_each::<RenderError>(&mut |f| {
                    paths.push(write(f)?);
                    Ok(())
                })?;
                let mut files = Vec::new();
                for (path, file) in &self.theme.statics {
                    let payload = match file {
                        StaticFile::Builtin(bytes) => Payload::Static(bytes),
                        StaticFile::OnDisk(p) => Payload::Copy(p.clone()),
                        StaticFile::Minified(b) => Payload::Bytes(b.to_vec()),
                    };
                    files.push(OutputFile {
                        path: path.clone(),
                        payload,
                    });
                }
                for f in &self.site.files {
                    files.push(OutputFile {
                        path: f.path.clone(),
                        payload: Payload::Copy(f.abs.clone()),
                    });
                }
                paths.extend(records?);
                paths.extend(search?);
                paths.extend(
                    files
                        .into_par_iter()
                        .map(write)
                        .collect::<Result<Vec<_>, _>>()?,
                );
                Ok(paths)
            },
        );
        crate::timings::done("pages rendered");
        let mut paths = Vec::with_capacity(results.len() + 8);
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.push(p),
                Err(RenderError::Content(e)) => errors.extend(e),
                Err(w @ RenderError::Write(_)) => return Err(w),
            }
        }
        errors.dedup();
        if !errors.is_empty() {
            return Err(RenderError::Content(errors));
        }
        paths.extend(rest?);
        Ok(paths)
    }

    /// sitemap.xml, catalogue.json, catalogue.csv and reviews.json: what changes when any study or
    /// page does.
    pub fn data_files(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut files = Vec::new();
        self.data_files_each(&mut |f| {
            files.push(f);
            Ok::<(), Diagnostic>(())
        })?;
        Ok(files)
    }

    /// Makes the data files one by one, handing each to `each` before making the next.
    pub fn data_files_each<E: From<Diagnostic>>(
        &self,
        each: &mut dyn FnMut(OutputFile) -> Result<(), E>,
    ) -> Result<(), E> {
        each(data::sitemap(self.site, self)?)?;
        each(data::catalogue(self.site))?;
        each(data::catalogue_csv(self.site))?;
        each(data::reviews(self.site))?;
        each(OutputFile {
            path: "study-template.md".into(),
            payload: Payload::Bytes(
                super::chrome::study_template(&self.site.config.vocab).into_bytes(),
            ),
        })
    }
}
