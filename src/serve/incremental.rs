//! Rebuilding after a change without redoing the whole site. Only changed Markdown is read again;
//! the model is rebuilt from cached documents (cheap), compared with the last good model
//! ([`super::plan::changes`]), and only the pages that read something that changed (recorded as
//! they rendered) are rendered again. The result is the same as a full build: tests compare the
//! two byte for byte.

use super::plan;
use super::reload::{body_only, docs_to_reload, reload_missing};
use crate::content::document::DocResult;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::Site;
use crate::output::OutputFile;
use crate::pipeline::{self, BuildOptions, Failure};
use crate::render::reads::Read;
use crate::render::{PageId, PageReads, RenderOptions, Renderer};
use crate::sources::{SourceDiags, Sources};
use crate::urls::DocKey;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The site's files by output path, shared cheaply between rebuilds and the HTTP server.
pub type SiteFiles = BTreeMap<String, Arc<OutputFile>>;

/// The inputs as last read, whether or not they built.
struct Cache {
    sources: Sources,
    /// Problems found reading hub.yaml, the theme, the file names and the actions.
    source_diags: SourceDiags,
    docs: Vec<DocResult>,
}

/// The last site that built without errors.
struct Good {
    site: Site,
    files: Arc<SiteFiles>,
    /// What each page read when it was last rendered, by output path.
    reads: PageReads,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Report {
    /// Pages and files rendered again.
    pub rendered: usize,
    /// Files removed.
    pub removed: usize,
    /// Whether everything was rebuilt.
    pub full: bool,
    /// Warnings of the hub as it now is.
    pub warnings: Vec<Diagnostic>,
}

/// A build that can be brought up to date after changes.
pub struct Session {
    opts: BuildOptions,
    render: RenderOptions,
    cache: Option<Cache>,
    good: Option<Good>,
    /// Whether `cache` is what `good` was built from (the last attempt succeeded).
    in_sync: bool,
    /// Whether the search index in `good` predates a study change: it is rebuilt by
    /// [`Session::refresh_search`] after the changed pages are out, because rebuilding it takes
    /// far longer than the pages (600 ms at 10,000 studies).
    search_stale: bool,
    /// Counts rebuilds, so a search index built for an older site is recognised.
    generation: u64,
}

impl Session {
    /// A session for the hub `opts` describes; nothing is built yet.
    pub fn new(opts: BuildOptions, render: RenderOptions) -> Self {
        Session {
            opts,
            render,
            cache: None,
            good: None,
            in_sync: false,
            search_stale: false,
            generation: 0,
        }
    }

    /// Rebuilds the search index now if a change left it stale; `true` if it did.
    pub fn refresh_search(&mut self) -> bool {
        match self.search_job() {
            Some(job) => {
                let (generation, files) = job.run();
                self.accept_search(generation, files)
            }
            None => false,
        }
    }

    /// What is needed to rebuild a stale search index away from the session, so that the
    /// index (0.6 s at 10,000 studies) never delays the next rebuild of pages.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        let (Some(cache), Some(good)) = (self.cache.as_ref(), self.good.as_ref()) else {
            return None;
        };
        if !self.search_stale {
            return None;
        }
        let labels = crate::search::labels(&good.site, &cache.sources.theme);
        Some(SearchJob {
            generation: self.generation,
            site: good.site.clone(),
            labels,
        })
    }

    /// Puts a finished index in place, unless the site changed since its job was made (a newer
    /// job is then due). `true` if it was taken.
    pub fn accept_search(&mut self, generation: u64, index: Vec<OutputFile>) -> bool {
        let Some(good) = self.good.as_mut() else {
            return false;
        };
        if generation != self.generation {
            return false;
        }
        let mut files = (*good.files).clone();
        files.retain(|path, _| !crate::search::is_index_file(path));
        for f in index {
            files.insert(f.path.clone(), Arc::new(f));
        }
        good.files = Arc::new(files);
        self.search_stale = false;
        true
    }

    /// The URL scheme of the last good build.
    pub fn urls(&self) -> Option<crate::urls::Urls> {
        self.good.as_ref().map(|g| g.site.urls.clone())
    }

    /// The files of the last good build.
    pub fn files(&self) -> Option<Arc<SiteFiles>> {
        self.good.as_ref().map(|g| g.files.clone())
    }

    /// Builds everything from scratch.
    pub fn full(&mut self) -> Result<Report, Failure> {
        self.generation += 1;
        let result = self.full_inner();
        self.in_sync = result.is_ok();
        result
    }

    fn full_inner(&mut self) -> Result<Report, Failure> {
        let (sources, source_diags) = pipeline::read_sources(&self.opts)?;
        let docs = pipeline::read_documents(&sources);
        self.cache = Some(Cache {
            sources,
            source_diags,
            docs,
        });
        let (site, warnings) = self.remodel()?;
        self.render_everything(site, warnings)
    }

    /// Renders every page of `site` and makes it the last good build.
    fn render_everything(
        &mut self,
        site: Site,
        warnings: Vec<Diagnostic>,
    ) -> Result<Report, Failure> {
        let cache = self.cache.as_ref().expect("loaded before rendering");
        let renderer =
            Renderer::new(&site, &cache.sources.theme, &self.render).map_err(pipeline::fail)?;
        let (files, reads) = renderer.render_all_recorded()?;
        drop(renderer);
        let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        pipeline::check_collisions(&site, &paths).map_err(pipeline::fail)?;
        self.search_stale = false;
        let rendered = files.len();
        let files: SiteFiles = files
            .into_iter()
            .map(|f| (f.path.clone(), Arc::new(f)))
            .collect();
        self.good = Some(Good {
            site,
            files: Arc::new(files),
            reads,
        });
        Ok(Report {
            rendered,
            removed: 0,
            full: true,
            warnings,
        })
    }

    /// The fast path for edits that change only the text of bodies: the model is patched in
    /// place and only the pages of those documents are rendered again.
    fn patch_bodies(&mut self, changed: &[usize]) -> Result<Report, Failure> {
        let cache = self.cache.as_ref().expect("loaded");
        let good = self.good.as_mut().expect("built");
        let site = &mut good.site;
        let mut pages: BTreeSet<(Lang, PageId)> = BTreeSet::new();
        for &i in changed {
            let src = &cache.sources.inventory.docs[i];
            let Some(doc) = &cache.docs[i].0 else {
                continue;
            };
            let (id, body) = match &src.key {
                DocKey::Study(slug) => {
                    let Some(&n) = site.by_slug.get(slug) else {
                        continue;
                    };
                    (PageId::Study(n), site.studies[n].body_mut(src.lang))
                }
                DocKey::Page(path) => {
                    let Some(n) = site.pages.iter().position(|p| &p.path == path) else {
                        continue;
                    };
                    (PageId::Page(n), site.pages[n].body_mut(src.lang))
                }
            };
            match body {
                // Saved without a change (or back to what it was): nothing to render.
                Some(body) if **body == *doc.body => continue,
                Some(body) => *body = doc.body.clone(),
                None => {}
            }
            for &l in &site.config.languages {
                pages.insert((l, id));
            }
        }
        let mut count = 0;
        if !pages.is_empty() {
            let renderer =
                Renderer::new(site, &cache.sources.theme, &self.render).map_err(pipeline::fail)?;
            let studies = pages.iter().any(|(_, id)| matches!(id, PageId::Study(_)));
            let (files, rendered) =
                render_over(&renderer, site, pages, false, &good.files, &mut good.reads)?;
            self.search_stale |= studies;
            drop(renderer);
            good.files = Arc::new(files);
            count = rendered;
            crate::timings::done("rendered");
        }
        let mut warnings: Vec<Diagnostic> = cache
            .source_diags
            .all()
            .chain(cache.docs.iter().flat_map(|(_, d)| d))
            .cloned()
            .collect();
        crate::diagnostics::sort(&mut warnings);
        Ok(Report {
            rendered: count,
            removed: 0,
            full: false,
            warnings,
        })
    }

    /// The site model from the cached sources and documents.
    fn remodel(&self) -> Result<(Site, Vec<Diagnostic>), Failure> {
        let cache = self
            .cache
            .as_ref()
            .expect("cache is loaded before assembling");
        let mut diags: Vec<Diagnostic> = cache.source_diags.all().cloned().collect();
        for (_, d) in &cache.docs {
            diags.extend(d.iter().cloned());
        }
        let docs = cache.docs.iter().filter_map(|(doc, _)| doc.as_ref());
        pipeline::assemble(&cache.sources, docs, self.opts.drafts, diags)
    }

    /// Brings the build up to date after the files at `paths` changed (were edited, created or
    /// deleted). Settings and theme templates rebuild everything.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Report, Failure> {
        self.generation += 1;
        let result = self.apply_inner(paths);
        self.in_sync = result.is_ok();
        result
    }

    fn apply_inner(&mut self, paths: &[PathBuf]) -> Result<Report, Failure> {
        let root = self.opts.root.clone();
        let needs_full = self.cache.is_none()
            || self.good.is_none()
            || paths.iter().any(|p| {
                let rel = p.strip_prefix(&root).unwrap_or(p);
                rel == Path::new(crate::config::CONFIG_PATH)
                    || rel.starts_with("themes")
                    // Sources, reviews and term introductions are read with the settings, and
                    // a source's text can change the verdict on any quotation.
                    || rel.starts_with("content/sources")
                    || rel.starts_with("content/reviews")
                    || crate::vocab::Kind::ALL
                        .iter()
                        .any(|k| rel.starts_with(Path::new("content").join(k.segment())))
            });
        if needs_full {
            return self.full_inner();
        }
        crate::timings::start();
        let cache = self.cache.as_mut().expect("checked above");
        let actions_changed = paths.iter().any(|p| {
            p.strip_prefix(&root)
                .is_ok_and(|rel| rel.starts_with("content/actions"))
        });
        // Edits to files hub already knows need no new walk of content/; anything created or
        // deleted does.
        let known = |p: &PathBuf| {
            p.is_file()
                && p.strip_prefix(root.join("content")).is_ok_and(|rel| {
                    let rel = rel.to_string_lossy();
                    cache.sources.inventory.doc_paths.contains_key(rel.as_ref())
                        || cache.sources.inventory.file_paths.contains(rel.as_ref())
                })
        };
        let paths: Vec<PathBuf> = paths
            .iter()
            .filter(|p| {
                !p.strip_prefix(&root)
                    .is_ok_and(|rel| rel.starts_with("content/actions"))
            })
            .cloned()
            .collect();
        let paths = &paths[..];
        if actions_changed {
            // The walk lists the files of actions; a new or deleted one needs a new walk.
            let mut walk_diags = Vec::new();
            let inventory = crate::content::walk(&root, &mut walk_diags)
                .map_err(|e| Failure::Usage(format!("cannot read content/: {e}")))?;
            cache.sources.inventory.actions = inventory.actions;
            cache.source_diags.actions.clear();
            cache.sources.actions = crate::sources::read_actions(
                &cache.sources.inventory,
                &cache.sources.config,
                &mut cache.source_diags.actions,
            );
        }
        if !paths.iter().all(known) {
            let mut walk_diags = Vec::new();
            let inventory = crate::content::walk(&root, &mut walk_diags)
                .map_err(|e| Failure::Usage(format!("cannot read content/: {e}")))?;
            if inventory.file_paths != cache.sources.inventory.file_paths {
                return self.full_inner();
            }
            let reload = docs_to_reload(&cache.sources.inventory, &inventory, &cache.docs, paths);
            cache.source_diags.walk = walk_diags;
            let mut old: HashMap<String, DocResult> = std::mem::take(&mut cache.docs)
                .into_iter()
                .zip(&cache.sources.inventory.docs)
                .map(|(r, src)| (src.path.clone(), r))
                .collect();
            cache.sources.inventory = inventory;
            let kept: Vec<Option<DocResult>> = cache
                .sources
                .inventory
                .docs
                .iter()
                .map(|src| {
                    if reload.contains(&src.path) {
                        None
                    } else {
                        old.remove(&src.path)
                    }
                })
                .collect();
            cache.docs = reload_missing(&cache.sources, kept);
        } else {
            let reload = docs_to_reload(
                &cache.sources.inventory,
                &cache.sources.inventory,
                &cache.docs,
                paths,
            );
            let mut replaced: Vec<(usize, DocResult)> = Vec::new();
            let kept: Vec<Option<DocResult>> = std::mem::take(&mut cache.docs)
                .into_iter()
                .zip(&cache.sources.inventory.docs)
                .enumerate()
                .map(|(i, (r, src))| {
                    if reload.contains(&src.path) {
                        replaced.push((i, r));
                        None
                    } else {
                        Some(r)
                    }
                })
                .collect();
            cache.docs = reload_missing(&cache.sources, kept);
            if self.in_sync
                && !actions_changed
                && replaced
                    .iter()
                    .all(|(i, old)| body_only(old, &cache.docs[*i]))
            {
                crate::timings::done("changed documents read");
                let changed: Vec<usize> = replaced.iter().map(|(i, _)| *i).collect();
                return self.patch_bodies(&changed);
            }
        }
        crate::timings::done("changed documents read");
        let (site, warnings) = self.remodel()?;
        crate::timings::done("site assembled");
        let good = self.good.as_mut().expect("checked above");
        let cache = self.cache.as_ref().expect("checked above");
        let Some(changed) = plan::changes(&good.site, &site) else {
            return self.render_everything(site, warnings);
        };
        let renderer =
            Renderer::new(&site, &cache.sources.theme, &self.render).map_err(pipeline::fail)?;
        // A page is rendered again if it is new or read something that changed; a page of the
        // last site that this one no longer has is removed.
        let mut pages = BTreeSet::new();
        let mut current: HashSet<String> = HashSet::new();
        for (lang, id) in renderer.pages() {
            let path = site.urls.output_path(&renderer.url(lang, id));
            let stale = good
                .reads
                .get(&path)
                .is_none_or(|reads| plan::affected(reads, &changed));
            if stale {
                pages.insert((lang, id));
            }
            current.insert(path);
        }
        let removed: Vec<String> = good
            .reads
            .keys()
            .filter(|p| !current.contains(*p))
            .cloned()
            .collect();
        let data = changed
            .iter()
            .any(|r| matches!(r, Read::AllStudies | Read::Page(_)));
        crate::timings::done("planned");
        // The index holds every study's text and every action's.
        self.search_stale |= changed
            .iter()
            .any(|r| matches!(r, Read::Study(_) | Read::AllStudies | Read::Actions));
        let (mut files, count) =
            render_over(&renderer, &site, pages, data, &good.files, &mut good.reads)?;
        for path in &removed {
            files.remove(path);
            good.reads.remove(path);
        }
        drop(renderer);
        good.site = site;
        good.files = Arc::new(files);
        Ok(Report {
            rendered: count,
            removed: removed.len(),
            full: false,
            warnings,
        })
    }
}

/// A search index to build away from the session: a copy of the site it is for.
pub struct SearchJob {
    generation: u64,
    site: Site,
    labels: Vec<(Lang, crate::search::KindLabels)>,
}

impl SearchJob {
    /// Builds the index; hand the result to [`Session::accept_search`].
    pub fn run(self) -> (u64, Vec<OutputFile>) {
        (
            self.generation,
            crate::search::site_files(&self.site, &self.labels),
        )
    }
}

/// Renders `pages` (and, with `data`, sitemap.xml and the catalogues) of `site` over a copy of the
/// last good files, keeping what each page read. Returns the new files and how many were
/// rendered.
fn render_over(
    renderer: &Renderer,
    site: &Site,
    pages: BTreeSet<(Lang, PageId)>,
    data: bool,
    base: &SiteFiles,
    reads: &mut PageReads,
) -> Result<(SiteFiles, usize), Failure> {
    let _ = site;
    let pages: Vec<(Lang, PageId)> = pages.into_iter().collect();
    let rendered: Vec<_> = pages
        .par_iter()
        .map(|&(l, id)| renderer.render_recorded(l, id))
        .collect();
    let mut files = base.clone();
    let mut count = 0;
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(page) => {
                count += 1;
                reads.insert(page.file.path.clone(), page.reads);
                files.insert(page.file.path.clone(), Arc::new(page.file));
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(pipeline::fail(errors));
    }
    if data {
        for f in renderer.data_files().map_err(|e| pipeline::fail(vec![e]))? {
            count += 1;
            files.insert(f.path.clone(), Arc::new(f));
        }
    }
    Ok((files, count))
}
