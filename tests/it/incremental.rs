//! An incremental rebuild after each kind of edit gives exactly the files of a full build.

use crate::harness::Hub;
use hub::BuildOptions;
use hub::render::RenderOptions;
use hub::serve::incremental::{Session, SiteFiles};
use std::path::PathBuf;

fn session(hub: &Hub) -> Session {
    let opts = BuildOptions {
        root: hub.path().to_path_buf(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
        require_welsh: None,
        readable_assets: true,
    };
    Session::new(
        opts,
        RenderOptions {
            live_reload: Some("/__hub/reload.js".into()),
        },
    )
}

fn bytes(files: &SiteFiles) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(k, f)| (k.clone(), f.bytes().unwrap().into_owned()))
        .collect()
}

/// Applies `edit`, rebuilds incrementally, and compares with a fresh full build.
fn check(edit: impl FnOnce(&Hub) -> Vec<&'static str>, expect_partial: bool) {
    check_on("basic", edit, expect_partial);
}

/// [`check`] on another fixture.
fn check_on(fixture: &str, edit: impl FnOnce(&Hub) -> Vec<&'static str>, expect_partial: bool) {
    let hub = Hub::fixture(fixture);
    let mut s = session(&hub);
    s.full().expect("first build");
    let changed: Vec<PathBuf> = edit(&hub).into_iter().map(|p| hub.path().join(p)).collect();
    let report = s
        .apply(&changed)
        .unwrap_or_else(|e| panic!("incremental rebuild failed: {e:?}"));
    // As `hub serve` does right after publishing the pages.
    s.refresh_search();
    let mut fresh = session(&hub);
    fresh.full().expect("full build");
    let (inc, full) = (bytes(&s.files().unwrap()), bytes(&fresh.files().unwrap()));
    let inc_paths: Vec<_> = inc.iter().map(|(p, _)| p).collect();
    let full_paths: Vec<_> = full.iter().map(|(p, _)| p).collect();
    assert_eq!(inc_paths, full_paths, "the same files");
    for ((p, a), (_, b)) in inc.iter().zip(&full) {
        assert!(a == b, "{p} differs from a full build");
    }
    if expect_partial {
        assert!(!report.full, "expected a partial rebuild: {report:?}");
    }
}

const ALPHA: &str = "content/case-studies/alpha.md";

fn edit(hub: &Hub, path: &str, from: &str, to: &str) {
    let p = hub.path().join(path);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{path} lacks {from}");
    std::fs::write(p, text.replace(from, to)).unwrap();
}

#[test]
fn body_edit() {
    check(
        |h| {
            edit(
                h,
                ALPHA,
                "Fewer falls.",
                "Fewer falls and fewer admissions.",
            );
            vec![ALPHA]
        },
        true,
    );
}

#[test]
fn body_edit_renders_one_study_in_each_language() {
    let hub = Hub::fixture("basic");
    let mut s = session(&hub);
    s.full().unwrap();
    edit(&hub, ALPHA, "Fewer falls.", "Fewer falls, measured.");
    let report = s.apply(&[hub.path().join(ALPHA)]).unwrap();
    assert_eq!((report.rendered, report.full), (2, false), "{report:?}");
}

#[test]
fn title_edit() {
    check(
        |h| {
            edit(
                h,
                ALPHA,
                "title: Alpha Falls Service",
                "title: Alpha Falls Prevention",
            );
            vec![ALPHA]
        },
        true,
    );
}

#[test]
fn outcomes_edit() {
    check(
        |h| {
            edit(h, ALPHA, "outcomes: [pcmw-3, acd-4]", "outcomes: [pcmw-5]");
            vec![ALPHA]
        },
        true,
    );
}

#[test]
fn related_edit() {
    check(
        |h| {
            edit(h, ALPHA, "related: [beta]", "related: []");
            vec![ALPHA]
        },
        true,
    );
}

#[test]
fn status_edit_in_a_bundle() {
    let p = "content/case-studies/beta/index.md";
    check(
        |h| {
            edit(h, p, "status: pilot", "status: scaled");
            vec![p]
        },
        true,
    );
}

#[test]
fn new_file() {
    let p = "content/case-studies/delta.md";
    check(
        |h| {
            h.write(p, "---\ntitle: Delta\nsummary: New.\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\nrelated: [alpha]\n---\n\nSee [alpha](alpha.md#what-it-achieved).\n");
            vec![p]
        },
        true,
    );
}

#[test]
fn deleted_file() {
    let p = "content/case-studies/alpha.cy.md";
    check(
        |h| {
            h.remove(p);
            vec![p]
        },
        true,
    );
}

#[test]
fn renamed_file() {
    let (from, to) = ("content/about.md", "content/about-the-hub.md");
    check(
        |h| {
            std::fs::rename(h.path().join(from), h.path().join(to)).unwrap();
            edit(
                h,
                "content/case-studies/beta/index.md",
                "../../about.md",
                "../../about-the-hub.md",
            );
            vec![from, to, "content/case-studies/beta/index.md"]
        },
        false,
    );
}

#[test]
fn renamed_study() {
    let (from, to) = (
        "content/case-studies/gamma.md",
        "content/case-studies/gamma-two.md",
    );
    check(
        |h| {
            std::fs::rename(h.path().join(from), h.path().join(to)).unwrap();
            vec![from, to]
        },
        true,
    );
}

#[test]
fn plain_page_body_edit() {
    check(
        |h| {
            edit(
                h,
                "content/about.md",
                "About the test hub.",
                "About this test hub.",
            );
            vec!["content/about.md"]
        },
        true,
    );
}

#[test]
fn settings_edit_rebuilds_everything() {
    check(
        |h| {
            edit(
                h,
                "content/hub.yaml",
                "title: Test Hub",
                "title: Renamed Hub",
            );
            vec!["content/hub.yaml"]
        },
        false,
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_files_and_a_fix_recovers() {
    let hub = Hub::fixture("basic");
    let mut s = session(&hub);
    s.full().unwrap();
    let before = bytes(&s.files().unwrap());
    edit(&hub, ALPHA, "status: proven", "status: provn");
    let err = s.apply(&[hub.path().join(ALPHA)]).unwrap_err();
    assert!(
        format!("{err:?}").contains("did you mean `proven`?"),
        "{err:?}"
    );
    assert_eq!(
        bytes(&s.files().unwrap()),
        before,
        "the last good site stays"
    );
    edit(&hub, ALPHA, "status: provn", "status: scaled");
    s.apply(&[hub.path().join(ALPHA)]).unwrap();
    s.refresh_search();
    let mut fresh = session(&hub);
    fresh.full().unwrap();
    assert_eq!(bytes(&s.files().unwrap()), bytes(&fresh.files().unwrap()));
}

const RICH_ALPHA: &str = "content/case-studies/alpha.md";

#[test]
fn a_study_named_in_actions_renamed_updates_the_actions_pages() {
    // /actions/ and Powys's page print the titles of the studies actions name.
    check_on(
        "rich",
        |h| {
            edit(
                h,
                RICH_ALPHA,
                "title: Alpha Falls Service",
                "title: Alpha Falls Prevention",
            );
            vec![RICH_ALPHA]
        },
        true,
    );
}

#[test]
fn an_edited_file_of_actions_is_rebuilt_without_a_full_build() {
    check_on(
        "rich",
        |h| {
            let p = "content/actions/powys-2023-24.yaml";
            edit(
                h,
                p,
                "Spread the falls service.",
                "Spread the falls service widely.",
            );
            vec![p]
        },
        true,
    );
}

#[test]
fn a_welsh_translation_edited_and_removed() {
    check_on(
        "rich",
        |h| {
            let p = "content/case-studies/alpha.cy.md";
            edit(
                h,
                p,
                "title: Gwasanaeth Cwympiadau Alpha",
                "title: Gwasanaeth Cwympo Alpha",
            );
            vec![p]
        },
        true,
    );
    check_on(
        "rich",
        |h| {
            h.remove("content/case-studies/alpha.cy.md");
            vec!["content/case-studies/alpha.cy.md"]
        },
        true,
    );
}

/// For every field of a case study (src/schema.rs), an edit that gives it a new value in the
/// fixture's study `delta`: each incremental rebuild must equal a full build.
#[test]
fn every_field_edited_rebuilds_exactly_what_a_full_build_makes() {
    use hub::schema::{FieldKind, STUDY};
    let path = "content/case-studies/delta.md";
    for field in STUDY {
        let line = match (field.name, field.kind) {
            ("title", _) => "title: Delta Outreach Renamed".to_string(),
            ("summary", _) => "summary: A changed summary.".to_string(),
            ("region", _) => "region: powys".to_string(),
            // A cluster of delta's board, Swansea Bay.
            ("cluster", _) => "cluster: [penderi, neath]".to_string(),
            ("outcomes", _) => "outcomes: [acd-4]".to_string(),
            ("status", _) => "status: proven".to_string(),
            ("related", _) => "related: [beta]".to_string(),
            ("draft", _) => "draft: true".to_string(),
            (
                name,
                FieldKind::Terms(_)
                | FieldKind::Term(_)
                | FieldKind::Texts
                | FieldKind::Slugs
                | FieldKind::Date
                | FieldKind::Cycle
                | FieldKind::Bool,
            ) => {
                format!("{name}: {}", field.example)
            }
            (name, FieldKind::Markdown) => format!("{name}: See [Beta](beta/index.md)."),
            (name, FieldKind::PartialDate | FieldKind::Choice(_)) => {
                format!("{name}: {}", field.example)
            }
            // The fixture has one source, `report`.
            (name, FieldKind::Sources) => format!("{name}: [report]"),
            (name, FieldKind::Text) => format!("{name}: {}", field.example),
        };
        let hub = Hub::fixture("rich");
        let mut s = session(&hub);
        s.full().expect("first build");
        let text = std::fs::read_to_string(hub.path().join(path)).unwrap();
        let prefix = format!("{}:", field.name);
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let end = lines.iter().skip(1).position(|l| l == "---").unwrap() + 1;
        match lines[..end].iter().position(|l| l.starts_with(&prefix)) {
            Some(i) => lines[i] = line.clone(),
            None => lines.insert(end, line.clone()),
        }
        std::fs::write(hub.path().join(path), lines.join("\n") + "\n").unwrap();
        let report = s
            .apply(&[hub.path().join(path)])
            .unwrap_or_else(|e| panic!("`{line}`: incremental rebuild failed: {e:?}"));
        s.refresh_search();
        let mut fresh = session(&hub);
        fresh
            .full()
            .unwrap_or_else(|e| panic!("`{line}`: full build failed: {e:?}"));
        let (inc, full) = (bytes(&s.files().unwrap()), bytes(&fresh.files().unwrap()));
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&inc), names(&full), "`{line}`: the same files");
        for ((p, a), (_, b)) in inc.iter().zip(&full) {
            assert!(a == b, "`{line}`: {p} differs from a full build");
        }
        assert!(!report.full, "`{line}` needed no full rebuild: {report:?}");
    }
}

#[test]
fn a_source_review_or_introduction_edited_is_rebuilt_like_a_full_build() {
    for (path, from, to) in [
        (
            "content/sources/report.txt",
            "spread across the county",
            "spread across the whole county",
        ),
        (
            "content/sources/report.yaml",
            "A test report",
            "A renamed report",
        ),
    ] {
        check_on(
            "rich",
            |h| {
                edit(h, path, from, to);
                vec![path]
            },
            false,
        );
    }
    check_on(
        "rich",
        |h| {
            h.write(
                "content/reviews/2023-24.yaml",
                "cycle: 2023/24\nboards:\n  powys:\n    outcomes: [pcmw-3]\n",
            );
            h.write(
                "content/themes/partnership-working.md",
                "---\n---\n\nWhat was found.\n",
            );
            vec![
                "content/reviews/2023-24.yaml",
                "content/themes/partnership-working.md",
            ]
        },
        false,
    );
}
