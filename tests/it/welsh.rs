//! Cymraeg / English: every page in both languages, linked both ways, with the right `lang`,
//! a notice exactly where a translation is missing, and strictness on request.

use crate::harness::Hub;

fn built() -> Hub {
    let hub = Hub::fixture("basic");
    hub.build().expect_code(0);
    hub
}

/// The `href` of the language switcher on a page.
fn switch_href(html: &str) -> &str {
    let at = html
        .find("class=\"lang-switch\" href=\"")
        .expect("every page has the switcher")
        + "class=\"lang-switch\" href=\"".len();
    &html[at..at + html[at..].find('"').unwrap()]
}

fn page_file(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

#[test]
fn every_page_has_a_twin_and_the_switcher_links_both_ways() {
    let hub = built();
    let files = hub.output();
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    let mut checked = 0;
    for page in &pages {
        let (twin, lang, other) = match page.strip_prefix("cy/") {
            Some(rest) => (rest.to_string(), "cy", "en"),
            None => (format!("cy/{page}"), "en", "cy"),
        };
        assert!(files.contains_key(&twin), "{page} has no twin {twin}");
        let html = String::from_utf8_lossy(&files[*page]);
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{page}: html lang"
        );
        let there = switch_href(&html);
        assert_eq!(
            page_file(there),
            twin,
            "{page}: the switcher leads to its twin"
        );
        let back = String::from_utf8_lossy(&files[&twin]);
        assert_eq!(
            page_file(switch_href(&back)),
            **page,
            "{twin}: the switcher leads back"
        );
        assert!(
            html.contains(&format!("lang=\"{other}\" hreflang=\"{other}\">")),
            "{page}: the switcher is marked with its language"
        );
        assert!(
            html.contains(&format!("<link rel=\"alternate\" hreflang=\"{other}\"")),
            "{page}: hreflang alternate"
        );
        checked += 1;
    }
    assert!(checked > 120, "{checked} pages checked");
    let labels = String::from_utf8_lossy(&files["index.html"]);
    assert!(labels.contains(">Cymraeg</a>"));
    assert!(String::from_utf8_lossy(&files["cy/index.html"]).contains(">English</a>"));
}

#[test]
fn the_notice_appears_exactly_where_a_translation_is_missing() {
    let hub = built();
    let notice = "Nid yw’r astudiaeth achos hon wedi’i chyfieithu i’r Gymraeg eto";
    // alpha has alpha.cy.md; beta has no Welsh file.
    let alpha = hub.read("cy/case-studies/alpha/index.html");
    assert!(!alpha.contains(notice));
    assert!(
        alpha.contains("<article class=\"study\">"),
        "translated text carries the page's language"
    );
    let beta = hub.read("cy/case-studies/beta/index.html");
    assert!(beta.contains(notice));
    assert!(
        beta.contains("<article class=\"study\" lang=\"en\">"),
        "untranslated text is marked English (WCAG 3.1.2)"
    );
    assert!(
        beta.contains("<div class=\"notice\" role=\"note\" lang=\"cy\">"),
        "the notice itself is Welsh"
    );
    for page in [
        "case-studies/alpha/index.html",
        "case-studies/beta/index.html",
    ] {
        assert!(
            !hub.read(page).contains("has not been translated"),
            "{page}: English text needs no notice"
        );
    }
    // The Welsh listing includes the untranslated study, marked as English.
    let listing = hub.read("cy/case-studies/index.html");
    assert!(
        listing.contains("<a href=\"/cy/case-studies/beta/\" lang=\"en\">Beta Transport</a>"),
        "{listing}"
    );
    assert!(listing.contains("Yn Saesneg yn unig"));
    let about = hub.read("cy/about/index.html");
    assert!(about.contains("Nid yw’r dudalen hon wedi’i chyfieithu i’r Gymraeg eto"));
}

#[test]
fn dates_feeds_and_labels_are_in_each_language() {
    let hub = built();
    assert!(
        hub.read("case-studies/alpha/index.html")
            .contains("5 May 2024")
    );
    assert!(
        hub.read("cy/case-studies/alpha/index.html")
            .contains("5 Mai 2024")
    );
    assert!(hub.read("cy/feed.xml").contains("xml:lang=\"cy\""));
    assert!(
        hub.read("cy/feed.xml")
            .contains("<title>Gwasanaeth Cwympiadau Alpha</title>")
    );
    assert!(
        hub.read("cy/regions/powys/index.html")
            .contains("Bwrdd Iechyd Addysgu Powys")
    );
    assert!(
        hub.read("cy/regions/cardiff-and-vale/index.html")
            .contains("Bwrdd Iechyd Prifysgol Caerdydd a’r Fro")
    );
}

#[test]
fn the_translations_page_lists_what_lacks_welsh() {
    let hub = built();
    let page = hub.read("translations/index.html");
    let missing_cy = &page[page.find("without a Welsh translation").unwrap()
        ..page.find("awaiting review by a Welsh speaker").unwrap()];
    assert!(
        missing_cy.contains(">Beta Transport</a>") && missing_cy.contains(">About</a>"),
        "{missing_cy}"
    );
    assert!(!missing_cy.contains("Alpha"), "alpha is translated");
    assert!(page.contains("Translated: 1 of 2 case studies, 0 of 1 pages."));
    // Translators' counts only when asked for: they mean nothing to a contributor.
    let plain = hub.check();
    plain.expect_code(0);
    assert!(!plain.stderr.contains("Welsh:"), "{}", plain.stderr);
    hub.run(&["check", "--translations"])
        .expect_code(0)
        .expect_stderr("Welsh: 1 of 2 case studies and 0 of 1 pages translated;");
}

#[test]
fn require_welsh_fails_on_an_untranslated_study() {
    let hub = Hub::fixture("basic");
    hub.run(&["build", "--require-welsh"])
        .expect_code(1)
        .expect_stderr("content/case-studies/beta/index.md:1:1: error: this has no Welsh translation, and --require-welsh is set\n  help: add content/case-studies/beta/index.cy.md with its Welsh title, summary and text")
        .expect_stderr("content/about.md:1:1: error: this has no Welsh translation");
    assert!(!hub.exists("index.html"));
    hub.write("content/case-studies/beta/index.cy.md", "---\ntitle: Trafnidiaeth Beta\nsummary: Trafnidiaeth gymunedol.\n---\n\n[canlyniadau](../alpha.md#what-it-achieved) [am](../../about.md)\n\n![map](route.svg)\n");
    hub.write(
        "content/about.cy.md",
        "---\ntitle: Amdanom\n---\n\nAm yr hwb.\n",
    );
    hub.run(&["build", "--require-welsh"]).expect_code(0);
}

#[test]
fn a_welsh_only_study_builds_with_an_english_notice() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/cartref.cy.md",
        "---\ntitle: Gofal yn y cartref\nsummary: Gofal yn nes at adref.\nregion: powys\noutcomes: [pcmw-4]\nstatus: pilot\n---\n\n## Beth a wnaed\n\nGofal.\n",
    );
    hub.build().expect_code(0);
    let cy = hub.read("cy/case-studies/cartref/index.html");
    assert!(cy.contains("Gofal yn y cartref") && !cy.contains("wedi’i chyfieithu"));
    let en = hub.read("case-studies/cartref/index.html");
    assert!(en.contains(
        "This case study has not been translated into English yet. It is shown in Welsh."
    ));
    assert!(en.contains("<article class=\"study\" lang=\"cy\">"));
    assert!(
        hub.read("regions/powys/index.html")
            .contains("lang=\"cy\">Gofal yn y cartref</a>")
    );
    // Without an English file, the Welsh file must carry every required field.
    hub.write(
        "content/case-studies/cartref.cy.md",
        "---\ntitle: Gofal yn y cartref\nsummary: Gofal.\n---\n",
    );
    hub.check().expect_code(1).expect_stderr(
        "content/case-studies/cartref.cy.md:1:1: error: missing required field `region`",
    );
}

#[test]
fn a_ui_string_missing_in_welsh_fails_the_build() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/hub.yaml",
        "title: Test Hub\nbase_url: https://example.org/\ntheme: local\n",
    );
    let default_cy = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/i18n/cy.yaml"
    ))
    .unwrap();
    let without: String = default_cy
        .lines()
        .filter(|l| !l.starts_with("nav_home:"))
        .map(|l| format!("{l}\n"))
        .collect();
    hub.write("themes/local/i18n/cy.yaml", without);
    hub.build()
        .expect_code(1)
        .expect_stderr("themes/local/i18n/cy.yaml:1:1: error: the string `nav_home` is missing (it is in (built-in theme)/i18n/en.yaml)\n  help: add `nav_home:` with its Cymraeg text")
        .expect_stderr("1 error found");
}

#[test]
fn the_built_in_catalogues_are_complete_and_welsh_plurals_work() {
    let hub = built();
    // "1 study" / "2 studies" in English; Welsh uses its own forms.
    assert!(
        hub.read("status/proven/index.html")
            .contains(">1 study</h2>")
    );
    assert!(
        hub.read("cy/outcomes/pcmw-3/index.html")
            .contains(">2 astudiaeth</h2>")
    );
    assert!(
        hub.read("cy/outcomes/pcmw-13/index.html")
            .contains("Dim astudiaethau achos eto.")
    );
}

/// The basic fixture with `tests/fixtures/errors/<overlay>` over it, checked.
fn overlay(name: &str) -> Hub {
    Hub::with_error(name)
}

#[test]
fn a_translation_with_the_same_outline_takes_its_twins_anchors() {
    // The Welsh headings have ids of their own; beta links to alpha.md#what-it-achieved.
    let hub = overlay("welsh-own-ids");
    let run = hub.build();
    run.expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let cy = hub.read("cy/case-studies/alpha/index.html");
    assert!(
        cy.contains("<h2 id=\"what-was-done\"><span id=\"beth-a-wnaed\"></span>Beth a wnaed</h2>"),
        "{cy}"
    );
    assert!(cy.contains("<h2 id=\"what-it-achieved\"><span id=\"beth-a-gyflawnwyd\"></span>"));
}

#[test]
fn a_translation_that_says_less_is_a_warning_and_links_into_it_too() {
    let hub = overlay("fragment-missing-in-translation");
    hub.check()
        .expect_code(0)
        .expect_stderr("content/case-studies/alpha.cy.md:1:1: warning: the Welsh has 1 heading and 1 paragraph; the English has 2 headings and 2 paragraphs\n  help: a translation carries everything its twin says, heading for heading and paragraph for paragraph")
        .expect_stderr("content/case-studies/beta/index.md:12:5: warning: `../alpha.md#what-it-achieved`: the Cymraeg page content/case-studies/alpha.cy.md has no heading `what-it-achieved`, so there the link opens the top of the page\n  help: make the translation's headings match its twin's, one for one; it then takes the twin's anchors");
}

#[test]
fn a_draft_translation_says_so_and_reviewed_welsh_can_be_required() {
    let hub = overlay("welsh-own-ids");
    hub.build().expect_code(0);
    let cy = hub.read("cy/case-studies/alpha/index.html");
    assert!(cy.contains("<div class=\"notice draft\" role=\"note\"><p>Cyfieithiad drafft yw hwn, a wnaed gyda chymorth peiriant; nid yw siaradwr Cymraeg wedi’i adolygu eto. Mae’r dyfyniadau wedi’u cyfieithu o’r ffynonellau Saesneg.</p></div>"));
    assert!(
        !hub.read("case-studies/alpha/index.html")
            .contains("notice draft"),
        "the English page has no notice"
    );
    let page = hub.read("translations/index.html");
    let drafts = &page[page.find("awaiting review by a Welsh speaker").unwrap()..];
    assert!(drafts.contains(">Alpha Falls Service</a>"), "{drafts}");
    // --require-welsh accepts drafts; =reviewed does not.
    let run = hub.run(&["build", "--require-welsh=reviewed"]);
    run.expect_code(1).expect_stderr(
        "content/case-studies/alpha.cy.md:1:1: error: this Welsh translation is a draft, and --require-welsh=reviewed is set\n  help: once a Welsh speaker has reviewed it, write `translation: reviewed` in its front matter",
    );
    let path = hub.path().join("content/case-studies/alpha.cy.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("translation: draft", "translation: reviewed");
    std::fs::write(&path, text).unwrap();
    let run = hub.run(&["build", "--require-welsh=reviewed"]);
    assert!(!run.stderr.contains("alpha.cy.md"), "{}", run.stderr);
    hub.build().expect_code(0);
    assert!(
        !hub.read("cy/case-studies/alpha/index.html")
            .contains("notice draft")
    );
}
