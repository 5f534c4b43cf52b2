//! `hub build` on fixture hubs: the pages of contract section 5 exist, listings hold the right
//! studies, every internal link resolves, builds are reproducible and failures leave the
//! previous site alone.

use crate::harness::Hub;
use std::collections::BTreeMap;
use std::path::Path;

fn built() -> Hub {
    let hub = Hub::fixture("basic");
    hub.build().expect_code(0);
    hub
}

#[test]
fn every_page_of_the_contract_exists_in_both_languages() {
    let hub = built();
    let mut pages = vec![
        "index.html",
        "case-studies/index.html",
        "case-studies/alpha/index.html",
        "case-studies/beta/index.html",
        "outcomes/index.html",
        "search/index.html",
        "coverage/index.html",
        "pipeline/index.html",
        "actions/index.html",
        "about/index.html",
        "regions/index.html",
        "themes/index.html",
        "status/index.html",
        "collaboratives/index.html",
        "404.html",
        "feed.xml",
    ];
    let terms = [
        (
            "regions",
            vec![
                "aneurin-bevan",
                "betsi-cadwaladr",
                "cardiff-and-vale",
                "cwm-taf-morgannwg",
                "hywel-dda",
                "powys",
                "swansea-bay",
            ],
        ),
        (
            "status",
            vec![
                "pilot",
                "evaluating",
                "proven",
                "mainstreamed",
                "scaled",
                "stopped",
            ],
        ),
        (
            "themes",
            vec![
                "vision-and-leadership",
                "partnership-working",
                "professional-collaboratives",
                "access-to-resources",
                "decision-making-at-scale",
                "communications-and-trust",
                "population-need",
                "cost-saving",
            ],
        ),
        (
            "collaboratives",
            vec![
                "gms",
                "community-pharmacy",
                "optometry",
                "dental",
                "nursing",
                "allied-health-professionals",
                "mental-health",
                "social-care",
                "third-sector",
            ],
        ),
    ];
    let mut owned = Vec::new();
    for (kind, keys) in &terms {
        for key in keys {
            owned.push(format!("{kind}/{key}/index.html"));
        }
    }
    for n in 1..=13 {
        owned.push(format!("outcomes/pcmw-{n}/index.html"));
    }
    for n in 1..=7 {
        owned.push(format!("outcomes/acd-{n}/index.html"));
    }
    pages.extend(owned.iter().map(String::as_str));
    for page in &pages {
        assert!(hub.exists(page), "missing {page}");
        assert!(hub.exists(&format!("cy/{page}")), "missing cy/{page}");
    }
    for file in [
        "sitemap.xml",
        "catalogue.json",
        "case-studies/beta/route.svg",
    ] {
        assert!(hub.exists(file), "missing {file}");
    }
    assert!(hub.read("search/index.html").contains("type=\"search\""));
    let css = Hub::stylesheet(&hub.read("index.html"));
    assert!(hub.exists(&css), "the linked stylesheet {css} exists");
    assert!(
        !hub.exists("assets/hub.css"),
        "only the fingerprinted name is published"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let hub = built();
    assert!(!hub.exists("case-studies/gamma/index.html"));
    assert!(!hub.read("case-studies/index.html").contains("Gamma Draft"));
    hub.run(&["build", "--drafts"]).expect_code(0);
    assert!(hub.exists("case-studies/gamma/index.html"));
}

#[test]
fn listings_hold_the_right_studies() {
    let hub = built();
    let powys = hub.read("regions/powys/index.html");
    assert!(powys.contains("Alpha Falls Service") && !powys.contains("Beta Transport"));
    let pcmw3 = hub.read("outcomes/pcmw-3/index.html");
    assert!(pcmw3.contains("Alpha Falls Service") && pcmw3.contains("Beta Transport"));
    let acd4 = hub.read("outcomes/acd-4/index.html");
    assert!(acd4.contains("Alpha Falls Service") && !acd4.contains("Beta Transport"));
    let empty = hub.read("outcomes/pcmw-13/index.html");
    assert!(
        empty.contains("No case studies yet."),
        "an empty outcome says so"
    );
    let overview = hub.read("outcomes/index.html");
    for n in 1..=13 {
        assert!(
            overview.contains(&format!("PCMW {n}</span>")),
            "outcome overview lists PCMW {n}"
        );
    }
    assert!(
        hub.read("status/pilot/index.html")
            .contains("Beta Transport")
    );
    assert!(
        hub.read("themes/partnership-working/index.html")
            .contains("Alpha Falls Service")
    );
    assert!(
        hub.read("collaboratives/nursing/index.html")
            .contains("Alpha Falls Service")
    );
}

#[test]
fn a_study_page_links_its_facts_related_and_backlinks() {
    let hub = built();
    let alpha = hub.read("case-studies/alpha/index.html");
    for link in [
        "/regions/powys/",
        "/status/proven/",
        "/outcomes/pcmw-3/",
        "/themes/partnership-working/",
        "/collaboratives/nursing/",
    ] {
        assert!(
            alpha.contains(&format!("href=\"{link}\"")),
            "alpha links {link}"
        );
    }
    // Explicit related, and backlinks from beta's body and the about page.
    assert!(alpha.contains("id=\"related-named\">Named by this study as related</h3>"));
    assert!(alpha.contains("Linked from"));
    assert!(alpha.contains(">Beta Transport</a>") && alpha.contains(">About</a>"));
    let beta = hub.read("case-studies/beta/index.html");
    assert!(beta.contains("href=\"../alpha/#what-it-achieved\""));
    assert!(beta.contains("src=\"/case-studies/beta/route.svg\""));
    assert!(
        beta.contains("class=\"hl-"),
        "code is highlighted with classes"
    );
}

#[test]
fn welsh_pages_use_the_translation_or_say_there_is_none() {
    let hub = built();
    let alpha_cy = hub.read("cy/case-studies/alpha/index.html");
    assert!(alpha_cy.contains("<html lang=\"cy\">"));
    assert!(alpha_cy.contains("Gwasanaeth Cwympiadau Alpha"));
    assert!(!alpha_cy.contains("Nid yw’r astudiaeth achos hon wedi’i chyfieithu"));
    let beta_cy = hub.read("cy/case-studies/beta/index.html");
    assert!(beta_cy.contains("Nid yw’r astudiaeth achos hon wedi’i chyfieithu i’r Gymraeg eto"));
    assert!(
        beta_cy.contains("<article class=\"study\" lang=\"en\">"),
        "untranslated text is marked English"
    );
    // Links between documents are relative, so from /cy/ they reach the Welsh twin.
    assert!(
        beta_cy.contains("href=\"../alpha/#what-it-achieved\""),
        "links go to the Welsh twin"
    );
    assert!(
        alpha_cy.contains(
            "<a class=\"lang-switch\" href=\"/case-studies/alpha/\" lang=\"en\" hreflang=\"en\">English</a>"
        ),
        "switcher links the twin"
    );
}

/// Every `href` and `src` of every HTML page that points inside the site finds its target, and
/// every `#fragment` names an id on the target page.
#[test]
fn every_internal_link_resolves() {
    let hub = built();
    check_links(&hub.output(), "/");
}

#[test]
fn a_sub_path_build_keeps_every_link_under_the_sub_path() {
    let hub = Hub::fixture("basic");
    hub.run(&["build", "--base-url", "https://org.github.io/hub/"])
        .expect_code(0);
    check_links(&hub.output(), "/hub/");
    assert!(
        hub.read("sitemap.xml")
            .contains("<loc>https://org.github.io/hub/case-studies/alpha/</loc>")
    );
}

fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Resolves a link found in output file `page` the way a browser would.
fn resolve(base: &str, page: &str, link: &str) -> String {
    if link.starts_with('/') {
        return link.to_string();
    }
    let mut segments: Vec<&str> = base
        .split('/')
        .chain(page.split('/'))
        .filter(|s| !s.is_empty())
        .collect();
    segments.pop(); // the file name
    for seg in link.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if link.ends_with('/') || link.is_empty() {
        out.push('/');
    }
    out
}

fn check_links(files: &BTreeMap<String, Vec<u8>>, base: &str) {
    let mut checked = 0;
    for (path, bytes) in files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for url in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            if url.starts_with("http") || url.starts_with("mailto:") {
                continue;
            }
            let url = url.replace("&#x2f;", "/").replace("&amp;", "&");
            let (target, fragment) = match url.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (url.clone(), None),
            };
            // A query (`/search/?regions=powys`) is for the page's script; the page must exist.
            let target = target.split('?').next().unwrap_or("").to_string();
            let target_file = if target.is_empty() {
                path.clone()
            } else {
                let absolute = resolve(base, path, &target);
                assert!(
                    absolute.starts_with(base),
                    "{path}: link {url} is not under {base}"
                );
                let rel = &absolute[base.len()..];
                if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                }
            };
            let body = files
                .get(&target_file)
                .unwrap_or_else(|| panic!("{path}: link {url} has no target {target_file}"));
            if let Some(f) = fragment {
                let text = String::from_utf8_lossy(body);
                assert!(
                    text.contains(&format!("id=\"{f}\"")),
                    "{path}: link {url}: no id {f} in {target_file}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn two_builds_are_byte_identical() {
    let a = built();
    let b = built();
    let (fa, fb) = (a.output(), b.output());
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let hub = built();
    let before = hub.output();
    hub.write("content/case-studies/broken.md", "---\ntitle: Broken\n");
    hub.build().expect_code(1).expect_stderr("build failed; ");
    assert_eq!(
        before,
        hub.output(),
        "the previous site must be byte-for-byte the same"
    );
    let leftovers: Vec<_> = std::fs::read_dir(hub.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("hub-tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_folder_hub_did_not_write_is_never_replaced() {
    let hub = Hub::fixture("basic");
    hub.write("public/precious.txt", "mine");
    hub.build()
        .expect_code(2)
        .expect_stderr("refusing to replace");
    assert_eq!(hub.read("precious.txt"), "mine");
    hub.run(&[
        "build",
        "--out",
        hub.path().join("content/site").to_str().unwrap(),
    ])
    .expect_code(2)
    .expect_stderr("refusing to write");
}

#[test]
fn script_from_a_study_never_reaches_the_output() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/xss.md",
        r#"---
title: "<script>alert('title')</script>"
summary: "<img src=x onerror=alert(1)>"
region: powys
outcomes: [pcmw-1]
status: pilot
evidence: "[click](javascript:alert(1)) <iframe src=//evil.example></iframe>"
---

<script>alert(1)</script>
<p onclick="alert(1)">para</p>
<a href="javascript:alert(1)">a</a> <a href="JaVaScRiPt:alert(1)">b</a>
[md link](javascript:alert(1)) ![img](javascript:alert(1))
<object data="x"></object><embed src="x"><style>body{}</style>
<svg><script>alert(1)</script></svg>
<abbr title="General Medical Services">GMS</abbr> kept.
"#,
    );
    hub.build().expect_code(0);
    for (path, bytes) in hub.output() {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        // Look inside tags only: the escaped text of the title may mention anything.
        for tag in text
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or(""))
        {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                !matches!(name.as_str(), "iframe" | "object" | "embed" | "style")
                    && (name != "script" || tag.starts_with("script src=")),
                "{path}: <{tag}>"
            );
            assert!(
                !["=\"javascript:", "='javascript:", "=javascript:"]
                    .iter()
                    .any(|p| tag.contains(p)),
                "{path}: <{tag}>"
            );
            let unquoted: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
            assert!(
                !unquoted
                    .split_whitespace()
                    .any(|a| a.starts_with("on") && a.contains('=')),
                "{path}: <{tag}>"
            );
        }
    }
    assert!(
        hub.read("case-studies/xss/index.html")
            .contains("<abbr title=\"General Medical Services\">GMS</abbr>")
    );
}

#[test]
fn feeds_sitemap_and_catalogue_are_well_formed() {
    let hub = built();
    for feed in ["feed.xml", "cy/feed.xml"] {
        let xml = hub.read(feed);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        for required in ["id", "title", "updated"] {
            assert!(
                root.children().any(|c| c.tag_name().name() == required),
                "{feed} lacks {required}"
            );
        }
        let entries: Vec<_> = root
            .children()
            .filter(|c| c.tag_name().name() == "entry")
            .collect();
        assert_eq!(entries.len(), 2);
    }
    let sitemap = hub.read("sitemap.xml");
    roxmltree::Document::parse(&sitemap).expect("sitemap parses");
    assert!(
        sitemap.contains("hreflang=\"cy\" href=\"https://example.org/cy/case-studies/alpha/\"")
    );
    let catalogue: serde_json::Value = serde_json::from_str(&hub.read("catalogue.json")).unwrap();
    let studies = catalogue["studies"].as_array().unwrap();
    assert_eq!(studies.len(), 2);
    assert_eq!(studies[0]["slug"], "alpha");
    assert_eq!(studies[0]["region"], "powys");
    assert_eq!(
        studies[0]["outcomes"],
        serde_json::json!(["pcmw-3", "acd-4"])
    );
    assert_eq!(
        studies[0]["url"]["cy"],
        "https://example.org/cy/case-studies/alpha/"
    );
}

/// The basic fixture with `theme: local` (files under themes/local/ over the default theme).
fn with_local_theme() -> Hub {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/hub.yaml",
        "title: Test Hub\nbase_url: https://example.org/\ntheme: local\n",
    );
    hub
}

#[test]
fn a_theme_overrides_templates_and_static_files() {
    let hub = with_local_theme();
    hub.write("themes/local/static/assets/hub.css", "body{color:red}");
    hub.write(
        "themes/local/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Custom 404</h1>{% endblock %}",
    );
    hub.build().expect_code(0);
    let css = Hub::stylesheet(&hub.read("index.html"));
    assert!(
        css.starts_with("assets/hub.") && css.ends_with(".css") && css != "assets/hub.css",
        "fingerprinted: {css}"
    );
    assert_eq!(hub.read(&css), "body{color:red}");
    assert!(hub.read("404.html").contains("Custom 404"));
}

#[test]
fn fragments_are_rendered_per_language_and_the_nav_marks_the_current_page() {
    let hub = with_local_theme();
    // A theme's own footer, shown through fragment() by the default base.html.
    hub.write(
        "themes/local/templates/footer.html",
        "<footer>{{ t.footer_feed }} · {{ lang }} · {{ feed_url }}</footer>",
    );
    hub.build().expect_code(0);
    for (page, footer) in [
        (
            "case-studies/alpha/index.html",
            "<footer>Feed of new case studies · en · /feed.xml</footer>",
        ),
        (
            "cy/case-studies/alpha/index.html",
            "<footer>Ffrwd o astudiaethau achos newydd · cy · /cy/feed.xml</footer>",
        ),
        (
            "index.html",
            "<footer>Feed of new case studies · en · /feed.xml</footer>",
        ),
    ] {
        assert!(hub.read(page).contains(footer), "{page}");
    }
    // Pages the navigation links to mark themselves; others share one rendering without a mark.
    let current = |page: &str| hub.read(page).matches("aria-current=\"page\"").count();
    assert!(
        hub.read("case-studies/index.html")
            .contains("<a href=\"/case-studies/\" aria-current=\"page\">")
    );
    assert!(
        hub.read("cy/outcomes/index.html")
            .contains("<a href=\"/cy/outcomes/\" aria-current=\"page\">")
    );
    // A study page marks only its breadcrumb's last item.
    assert_eq!(current("case-studies/alpha/index.html"), 1);
}

#[test]
fn a_fragment_that_uses_a_page_name_is_an_error_at_its_template() {
    let hub = with_local_theme();
    hub.write(
        "themes/local/templates/footer.html",
        "<footer>{{ title }}</footer>",
    );
    hub.build()
        .expect_code(1)
        .expect_stderr("templates/footer.html:1:1: error: undefined value");
}

#[test]
fn this_repositorys_hub_builds_with_its_footer_pages_in_both_languages() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["build", "--root"])
        .arg(repo)
        .arg("--out")
        .arg(&dest)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for (page, links) in [
        (
            "index.html",
            ["/accessibility/", "/privacy/", "/how-this-hub-works/"],
        ),
        (
            "cy/index.html",
            [
                "/cy/accessibility/",
                "/cy/privacy/",
                "/cy/how-this-hub-works/",
            ],
        ),
    ] {
        let html = std::fs::read_to_string(dest.join(page)).unwrap();
        let footer = &html[html.find("<footer").unwrap()..];
        for link in links {
            assert!(
                footer.contains(&format!("href=\"{link}\"")),
                "{page}: footer links {link}"
            );
        }
    }
    let privacy = std::fs::read_to_string(dest.join("cy/privacy/index.html")).unwrap();
    assert!(privacy.contains("Hysbysiad preifatrwydd") && !privacy.contains("wedi’i chyfieithu"));
    let studies = std::fs::read_dir(dest.join("case-studies"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(
        studies >= 10,
        "at least ten real case studies, found {studies}"
    );
}

#[test]
fn bundle_images_carry_their_size_so_pages_do_not_jump() {
    let hub = built();
    let html = hub.read("case-studies/beta/index.html");
    assert!(
        html.contains("width=\"") && html.contains("height=\""),
        "{html}"
    );
    let img = &html[html.find("<img ").unwrap()..];
    let img = &img[..img.find('>').unwrap()];
    assert!(
        img.contains(" width=\"") && img.contains(" height=\""),
        "{img}"
    );
}

#[test]
fn a_topic_added_in_hub_yaml_has_its_pages_in_both_languages() {
    let hub = Hub::fixture("basic");
    let yaml = hub.path().join("content/hub.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap()
        + "vocabularies:\n  topics:\n    digital-inclusion: {en: Digital inclusion, cy: Cynhwysiant digidol}\n";
    std::fs::write(&yaml, config).unwrap();
    let alpha = hub.path().join("content/case-studies/alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap().replacen(
        "region: powys\n",
        "region: powys\ntopics: [digital-inclusion]\n",
        1,
    );
    std::fs::write(&alpha, text).unwrap();
    hub.build().expect_code(0);
    let en = hub.read("topics/digital-inclusion/index.html");
    assert!(en.contains("<h1>Digital inclusion</h1>") && en.contains("/case-studies/alpha/"));
    let cy = hub.read("cy/topics/digital-inclusion/index.html");
    assert!(cy.contains("<h1>Cynhwysiant digidol</h1>"), "{cy}");
    assert!(
        hub.read("topics/index.html")
            .contains("/topics/digital-inclusion/")
    );
}

#[test]
fn every_built_in_topic_is_documented_in_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let topics = std::fs::read_to_string(root.join("src/data/topics.yaml")).unwrap();
    let reference = std::fs::read_to_string(root.join("docs/reference.md")).unwrap();
    let keys: Vec<&str> = topics
        .lines()
        .filter_map(|l| l.strip_prefix("- key: "))
        .collect();
    assert!(keys.len() >= 20);
    for key in keys {
        assert!(
            reference.contains(&format!("`{key}`")),
            "docs/reference.md lacks topic `{key}`"
        );
    }
}

#[test]
fn every_built_in_cluster_is_listed_in_contributing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read_to_string(root.join("src/data/clusters.yaml")).unwrap();
    let guide = std::fs::read_to_string(root.join("CONTRIBUTING.md")).unwrap();
    let keys: Vec<&str> = data
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- key: "))
        .collect();
    assert_eq!(keys.len(), 47);
    for key in keys {
        assert!(
            guide.contains(&format!("`{key}`")),
            "CONTRIBUTING.md lacks cluster `{key}`"
        );
    }
}

#[test]
fn a_repository_gives_every_page_an_edit_link_and_the_site_an_add_your_work_link() {
    let hub = Hub::fixture("basic");
    let yaml = hub.path().join("content/hub.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap()
        + "repository: https://github.com/example/hub\nbranch: live\n";
    std::fs::write(&yaml, config).unwrap();
    hub.build().expect_code(0);
    let alpha = hub.read("case-studies/alpha/index.html");
    assert!(alpha.contains("<a href=\"https://github.com/example/hub/edit/live/content/case-studies/alpha.md\">Edit this page</a>"));
    assert!(alpha.contains("<a href=\"https://github.com/example/hub/blob/live/content/case-studies/alpha.md\"><code>content/case-studies/alpha.md</code></a>"));
    // The Welsh page edits the Welsh file.
    let alpha_cy = hub.read("cy/case-studies/alpha/index.html");
    assert!(
        alpha_cy.contains("/edit/live/content/case-studies/alpha.cy.md\">Golygu’r dudalen hon</a>")
    );
    let about = hub.read("about/index.html");
    assert!(about.contains("/edit/live/content/about.md\">Edit this page</a>"));
    // "Add your work" opens a new file filled with the published template.
    let template = hub.read("study-template.md");
    assert!(template.starts_with("---\n") && template.contains("\nregion:"));
    let home = hub.read("index.html");
    let start = home.find("https://github.com/example/hub/new/live/content/case-studies?filename=new-case-study.md&amp;value=").expect("add your work");
    let link = &home[start..start + home[start..].find('"').unwrap()];
    let value = link.split("value=").nth(1).unwrap();
    let decoded = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .unwrap();
    assert_eq!(decoded, template);
    assert!(home.contains(">Add your work</a>") && home.contains("/blob/live/CONTRIBUTING.md\""));
    // Without a repository, no such links.
    let plain = built();
    assert!(
        !plain
            .read("case-studies/alpha/index.html")
            .contains("Edit this page")
    );
}

#[test]
fn a_repository_that_is_not_github_or_gitlab_is_an_error_at_its_line() {
    let hub = Hub::fixture("basic");
    let yaml = hub.path().join("content/hub.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap() + "repository: ftp://example.org/hub\n";
    std::fs::write(&yaml, config).unwrap();
    hub.check().expect_code(1).expect_stderr(
        "content/hub.yaml:4:13: error: `ftp://example.org/hub` is not a GitHub or GitLab repository address\n  help: write the address of the repository's page, e.g. `https://github.com/owner/name`",
    );
}

/// Builds `root` twice, as it is and with a theme whose study.html differs from the default's
/// only by a comment (which sends study pages through the template engine), and asserts the
/// two sites are the same, byte for byte.
fn direct_study_pages_match_the_template(hub: &Hub, what: &str) {
    let yaml = hub.path().join("content/hub.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap();
    hub.build().expect_code(0);
    let direct = hub.output();
    let theme = config
        .lines()
        .find_map(|l| l.strip_prefix("theme: "))
        .unwrap_or("engine")
        .to_string();
    if !config.contains("\ntheme: ") {
        std::fs::write(&yaml, format!("{config}theme: {theme}\n")).unwrap();
    }
    let study = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/study.html"),
    )
    .unwrap();
    hub.write(
        &format!("themes/{theme}/templates/study.html"),
        format!("{{# not the default's own: study pages go through the template engine #}}{study}"),
    );
    hub.build().expect_code(0);
    let engine = hub.output();
    assert_eq!(
        direct.keys().collect::<Vec<_>>(),
        engine.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    let studies = direct
        .keys()
        .filter(|k| k.contains("case-studies/") && k.ends_with("/index.html"))
        .count();
    assert!(studies >= 6, "{what}: only {studies} study pages");
    for (path, bytes) in &direct {
        if bytes != &engine[path] {
            let (a, b) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&engine[path]),
            );
            let at = a
                .bytes()
                .zip(b.bytes())
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            let from = a[..at].rfind('\n').map_or(0, |n| n + 1);
            panic!(
                "{what}: {path} differs at byte {at}:\n  direct: {:?}\n  engine: {:?}",
                &a[from..(at + 80).min(a.len())],
                &b[from..(at + 80).min(b.len())]
            );
        }
    }
}

#[test]
fn study_pages_written_directly_are_the_templates_output_byte_for_byte() {
    for fixture in ["basic", "rich", "search"] {
        direct_study_pages_match_the_template(&Hub::fixture(fixture), fixture);
    }
    // With a repository: links to the source and to edit it.
    let hub = Hub::fixture("basic");
    let yaml = hub.path().join("content/hub.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap()
        + "repository: https://github.com/example/hub\nbranch: live\n";
    std::fs::write(&yaml, config).unwrap();
    direct_study_pages_match_the_template(&hub, "basic with a repository");
    // This repository's hub: sources and the origin notice with its link to the contributing
    // page, Welsh drafts, evidence, related work, pages linking to studies.
    let hub = Hub::copy_of(Path::new(env!("CARGO_MANIFEST_DIR")));
    direct_study_pages_match_the_template(&hub, "this repository");
}
