//! Content from a pull request is hostile until proven otherwise (SECURITY.md): nothing a
//! contributor writes may run on the site, read the build machine, or stall a build. Each test
//! runs the real binary on the basic fixture with the hostile files written over it.

use crate::hardening::run_limited;
use crate::harness::Hub;
use std::time::{Duration, Instant};

const STUDY: &str = "---\ntitle: Hostile\nsummary: From a pull request.\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\n---\n\n";

#[test]
fn only_passive_files_are_published_beside_content() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/report.html",
        "<script>alert(1)</script>",
    );
    hub.write("content/case-studies/x.js", "alert(document.cookie)");
    hub.write(
        "content/case-studies/evil.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#,
    );
    hub.write(
        "content/case-studies/fake.png",
        "<html><script>alert(1)</script>",
    );
    let run = hub.build();
    run.expect_code(1);
    let allowed = "hub publishes images (.png, .jpg, .jpeg, .gif, .webp, .avif, and .svg without script), documents (.pdf, .docx, .xlsx, .pptx, .odt, .ods, .odp) and data (.csv, .txt); remove this file, or link to it where it is published";
    run.expect_stderr(&format!(
        "content/case-studies/evil.svg:1:1: error: this SVG has the event attribute `onload`\n  help: {allowed}"
    ))
    .expect_stderr("content/case-studies/fake.png:1:1: error: this is not a `.png` file: its first bytes are of another type")
    .expect_stderr("content/case-studies/report.html:1:1: error: `.html` files are not published: they could run script on the site")
    .expect_stderr("content/case-studies/x.js:1:1: error: `.js` files are not published: they could run script on the site");
    assert!(!hub.exists("case-studies/x.js"));

    // Passive files of every allowed kind are published.
    let hub = Hub::fixture("basic");
    hub.write("content/case-studies/beta/data.csv", "a,b\n1,2\n");
    hub.write("content/case-studies/beta/scan.pdf", "%PDF-1.7\n");
    hub.write(
        "content/case-studies/beta/photo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );
    hub.build().expect_code(0);
    for f in ["data.csv", "scan.pdf", "photo.png", "route.svg"] {
        assert!(hub.exists(&format!("case-studies/beta/{f}")), "{f}");
    }
}

#[test]
fn a_theme_is_a_name_under_themes_and_its_links_are_not_followed() {
    let hub = Hub::fixture("basic");
    let config = std::fs::read_to_string(hub.path().join("content/hub.yaml")).unwrap();
    hub.write("content/hub.yaml", format!("{config}theme: ../../etc\n"));
    let line = config.lines().count() + 1;
    hub.check()
        .expect_code(1)
        .expect_stderr(&format!(
            "content/hub.yaml:{line}:8: error: `../../etc` is not a theme name\n  help: name a folder under themes/ in lower-case letters, digits and hyphens, e.g. `theme: default`"
        ));

    let hub = Hub::fixture("basic");
    hub.write("content/hub.yaml", format!("{config}theme: mine\n"));
    hub.write("secret.env", "API_KEY=hunter2");
    std::fs::create_dir_all(hub.path().join("themes/mine/static")).unwrap();
    std::os::unix::fs::symlink(
        hub.path().join("secret.env"),
        hub.path().join("themes/mine/static/env.txt"),
    )
    .unwrap();
    hub.build()
        .expect_code(0)
        .expect_stderr("themes/mine/static/env.txt:1:1: warning: this is a symbolic link; hub does not follow links, so it is left out");
    assert!(!hub.exists("env.txt"));
}

#[test]
fn markdown_paths_stay_inside_content_and_devices_are_never_opened() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/probe.md",
        format!("{STUDY}![x](../../../../../../../../etc/passwd)\n\n![fifo](pipe.png)\n\n[outcomes](../../outcomes/)\n"),
    );
    let fifo = hub.path().join("content/case-studies/pipe.png");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let run = run_limited(&hub, &["check"]);
    run.expect_code(1)
        .expect_stderr("content/case-studies/probe.md:9:1: error: the link `../../../../../../../../etc/passwd` leads outside content/\n  help: link to a file inside content/ by its relative path, or to a page of the site by an address that starts with /")
        .expect_stderr("content/case-studies/probe.md:11:1: error: the link `pipe.png` points at `content/case-studies/pipe.png`, which does not exist");
    // A page address is the browser's to resolve against the page's URL; nothing is read.
    assert!(!run.stderr.contains("outcomes"), "{}", run.stderr);
}

/// Time and output of a check, failing beyond a generous bound for linear work.
fn timed_check(hub: &Hub, bound: Duration) -> crate::harness::Run {
    let started = Instant::now();
    let run = run_limited(hub, &["check"]);
    assert!(started.elapsed() < bound, "took {:?}", started.elapsed());
    run
}

#[test]
fn inputs_whose_cost_could_grow_faster_than_their_size_stay_linear() {
    // 20,000 identical headings: each new suffix no longer rescans from -2.
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/headings.md",
        format!("{STUDY}{}", "## Same\n\n".repeat(20_000)),
    );
    timed_check(&hub, Duration::from_secs(20)).expect_code(0);

    // 8,000 broken #fragment links to a page of 8,000 headings: bounded help, a summary line.
    let hub = Hub::fixture("basic");
    let headings: String = (0..8000)
        .map(|i| format!("## H {i}\n\nText.\n\n"))
        .collect();
    let links: String = (0..8000).map(|i| format!("[x](#nope-{i}) ")).collect();
    hub.write(
        "content/case-studies/fragments.md",
        format!("{STUDY}{headings}{links}\n"),
    );
    let run = timed_check(&hub, Duration::from_secs(20));
    run.expect_code(1)
        .expect_stderr("content/case-studies/fragments.md: … and 7,990 more like this");
    assert!(run.stderr.len() < 10_000, "{} bytes", run.stderr.len());
    assert!(
        run.stderr
            .contains("its headings include `h-0`, `h-1`, `h-2`, `h-3`, `h-4`, `h-5`, `h-6`, `h-7` and 7992 more"),
        "{}",
        &run.stderr[..2000.min(run.stderr.len())]
    );

    // 50,000 links on one line: columns are counted on from the last one.
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/wide.md",
        format!("{STUDY}{}\n", "[a](alpha.md) ".repeat(50_000)),
    );
    timed_check(&hub, Duration::from_secs(20)).expect_code(0);
}

#[test]
fn github_annotations_stop_at_ten_and_the_rest_are_plain_lines() {
    let hub = Hub::fixture("basic");
    let links: String = (0..15)
        .map(|i| format!("[x](missing-{i}.md)\n\n"))
        .collect();
    hub.write("content/case-studies/many.md", format!("{STUDY}{links}"));
    let run = hub.run(&["check", "--format", "github"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("::error"))
            .count(),
        10,
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("content/case-studies/many.md:37:1: error: the link `missing-14.md` points at `content/case-studies/missing-14.md`, which does not exist"), "{}", run.stdout);
}

#[test]
fn csv_cells_never_become_formulas() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/formula.md",
        "---\ntitle: '=HYPERLINK(\"https://evil.example\",\"Click\")'\nsummary: '@SUM(1+1)'\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\nfunding: '-2+3'\n---\n\nText.\n",
    );
    hub.build().expect_code(0);
    let bytes = std::fs::read(hub.path().join("public/catalogue.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "formula")
        .unwrap();
    assert_eq!(
        &row[col("title_en")],
        "'=HYPERLINK(\"https://evil.example\",\"Click\")"
    );
    assert_eq!(&row[col("summary_en")], "'@SUM(1+1)");
    assert_eq!(&row[col("funding")], "'-2+3");
}

#[test]
fn control_characters_are_refused_where_they_are() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/bell.md",
        "---\ntitle: Ring \u{7} the bell\nsummary: Fine.\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\n---\n\nA \u{fffe} nonchar and \u{1b}[31m red.\n",
    );
    let run = hub.check();
    run.expect_code(1)
        .expect_stderr("content/case-studies/bell.md:2:13: error: the invisible control character U+0007 is not allowed in text\n  help: delete it (it was probably pasted in with the text around it)")
        .expect_stderr("content/case-studies/bell.md:9:3: error: the invisible control character U+FFFE is not allowed in text")
        .expect_stderr("content/case-studies/bell.md:9:17: error: the invisible control character U+001B is not allowed in text");
    assert!(
        !run.stderr.contains('\u{1b}'),
        "a raw escape reached the terminal"
    );
}

#[test]
fn every_xml_file_a_build_writes_is_well_formed() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/angles.md",
        "---\ntitle: \"<Tŷ> & ‘quotes’ ]]> \\\"x\\\"\"\nsummary: \"A & B < C\"\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\n---\n\nText & <b>more</b>.\n",
    );
    hub.build().expect_code(0);
    let xml: Vec<_> = hub
        .output()
        .into_iter()
        .filter(|(p, _)| p.ends_with(".xml") || p.ends_with(".svg"))
        .collect();
    assert!(
        xml.len() >= 4,
        "{:?}",
        xml.iter().map(|x| &x.0).collect::<Vec<_>>()
    );
    for (path, bytes) in xml {
        let text = String::from_utf8(bytes).unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

#[test]
fn terminal_escapes_in_content_are_printed_escaped() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/esc.md",
        "---\ntitle: T\nsummary: S\nregion: \"\u{202e}powys\"\noutcomes: [pcmw-3]\nstatus: pilot\n---\n\nx\n",
    );
    let run = hub.check();
    run.expect_code(1)
        .expect_stderr("error: `\\u{202e}powys` is not a known key of regions (in `region`)");
    assert!(!run.stderr.contains('\u{202e}'));
}

#[test]
fn raw_html_cannot_take_the_themes_ids_classes_or_form_fields() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/chrome.md",
        format!(
            "{STUDY}## Main\n\n[skip](#main)\n\n<div id=\"main\" class=\"site-header\">Fake header</div>\n\n<input type=\"password\" name=\"pw\">\n\n## Q {{#q .nav}}\n"
        ),
    );
    hub.build().expect_code(0);
    let html = hub.read("case-studies/chrome/index.html");
    let article = &html[html.find("<h2 id=\"main-2\">").expect("heading renamed")..];
    assert!(
        article.contains("<div id=\"user-content-main\">Fake header</div>"),
        "{article}"
    );
    assert!(article.contains("href=\"#user-content-main\""), "{article}");
    assert!(
        article.contains("<input type=\"checkbox\" disabled=\"\">"),
        "{article}"
    );
    assert!(!article.contains("password"), "{article}");
    assert!(article.contains("<h2 id=\"q-2\">Q</h2>"), "{article}");
    assert_eq!(
        html.matches("id=\"main\"").count(),
        1,
        "only the theme's main"
    );
}
