//! Faithful to the sources: a study that lists sources may quote them only word for word, says
//! who wrote it, and shows what it rests on; peer reviews are data; themes open with what the
//! report found. Each rule on the real binary, with the exact message and position.

use crate::harness::Hub;

const REPORT: &str = "Clusters are gridlocked – no opportunity to innovate. No money for new \
projects by new professional collaboratives as all money locked into GMS work.\n\n\
‘People don’t initially feel that ‘physio first’ is what they want or need – only 38% say yes \
to this service, but of those who attend the service, the experience measures are very high.’\n";

/// The basic fixture with a source `report` and a study `quoting` that lists it.
fn hub_with(body: &str, front: &str) -> Hub {
    let hub = Hub::fixture("basic");
    hub.write("content/sources/report.txt", REPORT);
    hub.write(
        "content/sources/report.yaml",
        "title: Cluster peer review 2023/24 report\npublisher: Test publisher\ndate: 2024-06\n",
    );
    hub.write(
        "content/case-studies/quoting.md",
        format!(
            "---\ntitle: Quoting\nsummary: A study that quotes its source.\nregion: powys\noutcomes: [pcmw-3]\nstatus: exploring\nsources: [report]\n{front}---\n\n{body}"
        ),
    );
    hub
}

#[test]
fn quotations_found_in_the_sources_pass_despite_wrapping_quotes_dashes_and_gaps() {
    let hub = hub_with(
        "> ‘People don't initially feel that 'physio first' is what they want or need - only\n> 38% say yes to this service …’\n\n\
         The report says “No money for new projects by new professional collaboratives” and\n\
         “clusters are gridlocked” (too short to check), and “no opportunity to innovate … all money\n\
         locked into GMS work”.\n\n\
         > It changed how I work with the practice.\n> — a practice manager, in the cluster's own survey\n",
        "",
    );
    hub.check().expect_code(0);
}

#[test]
fn a_quotation_not_in_the_sources_is_an_error_at_it_with_the_closest_passage() {
    let hub = hub_with(
        "Intro.\n\n> only 40% say yes to this service, but of those who attend the service\n\n\
         As it says, “No money for new projects by new professional networks”.\n",
        "aim: \"“all money locked into the GMS work of clusters”\"\n",
    );
    let run = hub.check();
    run.expect_code(1)
        .expect_stderr("content/case-studies/quoting.md:13:1: error: this block quotation is not word for word in its sources (`report`)\n  help: the closest passage of the sources is: “only 38% say yes to this service, but of those who attend the service”")
        .expect_stderr("content/case-studies/quoting.md:15:13: error: this quotation is not word for word in its sources (`report`)\n  help: the closest passage of the sources is: “No money for new projects by new professional”")
        .expect_stderr("content/case-studies/quoting.md:8:6: error: this quotation is not word for word in its sources (`report`)");
}

#[test]
fn someones_own_words_are_marked_by_attribution_and_translations_are_not_held_to_english() {
    let hub = hub_with(
        "> Pethau wedi newid yn llwyr yn y practis.\n> — rheolwr practis\n",
        "",
    );
    hub.write(
        "content/case-studies/quoting.cy.md",
        "---\ntitle: Dyfynnu\nsummary: Astudiaeth sy’n dyfynnu.\ntranslation: draft\n---\n\n> Nid oes arian ar gyfer prosiectau newydd gan gydweithredfeydd proffesiynol newydd.\n",
    );
    hub.check().expect_code(0);
}

#[test]
fn sources_are_checked_and_listed_on_the_study() {
    let hub = hub_with("Text.\n", "");
    hub.write(
        "content/case-studies/quoting.md",
        "---\ntitle: Quoting\nsummary: S.\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\nsources: [reprot]\n---\n\nText.\n",
    );
    hub.check()
        .expect_code(1)
        .expect_stderr("content/case-studies/quoting.md:7:11: error: there is no source `reprot`\n  help: did you mean `report`?");

    let hub = hub_with("Text.\n", "origin: sources\n");
    hub.write("content/sources/orphan.yaml", "title: No text\n");
    hub.write("content/sources/untitled.txt", "Text.\n");
    hub.write("content/sources/untitled.yaml", "publisher: Somebody\n");
    hub.check()
        .expect_code(1)
        .expect_stderr("content/sources/orphan.yaml:1:1: error: this source has no text\n  help: add content/sources/orphan.txt: the document's plain text, which quotations are checked against")
        .expect_stderr("content/sources/untitled.yaml:1:1: error: missing required field `title`");

    let hub = hub_with("Text.\n", "origin: sources\n");
    hub.build().expect_code(0);
    let page = hub.read("case-studies/quoting/index.html");
    assert!(
        page.contains("<cite>Cluster peer review 2023/24 report</cite>, <span>Test publisher</span> (2024-06). No public address is known for it."),
        "{page}"
    );
    assert!(page.contains(
        "The hub&#39;s editors wrote this page from the sources listed at the end, not the cluster."
    ));
    assert!(page.contains("<span class=\"status status-exploring\" lang=\"en\">Exploring</span>"));
    let catalogue: serde_json::Value = serde_json::from_str(&hub.read("catalogue.json")).unwrap();
    let study = catalogue["studies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "quoting")
        .unwrap();
    assert_eq!(study["sources"], serde_json::json!(["report"]));
    assert_eq!(study["origin"], "sources");
    let csv = hub.read("catalogue.csv");
    assert!(csv.lines().next().unwrap().contains(",sources,"));
}

#[test]
fn reviews_are_data_with_a_page_a_json_file_and_a_line_on_each_board() {
    let hub = hub_with("Text.\n", "");
    hub.write(
        "content/reviews/2023-24.yaml",
        "cycle: 2023/24\nsources: [report]\nboards:\n  powys:\n    outcomes: [pcmw-8, pcmw-12, acd-7]\n  aneurin-bevan:\n    outcomes: [pcmw-2, pcmw-12, acd-3]\n",
    );
    hub.build().expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&hub.read("reviews.json")).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"cycle": "2023/24", "region": "aneurin-bevan", "outcomes": ["pcmw-2", "pcmw-12", "acd-3"], "sources": ["report"]},
            {"cycle": "2023/24", "region": "powys", "outcomes": ["pcmw-8", "pcmw-12", "acd-7"], "sources": ["report"]}
        ])
    );
    let page = hub.read("reviews/index.html");
    assert!(
        page.contains("<h2 id=\"cycle-1\">Cycle 2023/24</h2>"),
        "{page}"
    );
    assert!(page.contains("<span class=\"code\">PCMW 8</span> Directly accessed services"));
    let board = hub.read("regions/powys/index.html");
    assert!(board.contains("<p>Reviewed in 2023/24:</p>"), "{board}");
    assert!(board.contains("href=\"/outcomes/acd-7/\""));
    let cy = hub.read("cy/regions/powys/index.html");
    assert!(cy.contains("<p>Adolygwyd yn 2023/24:</p>"));

    hub.write(
        "content/reviews/2023-24.yaml",
        "cycle: 2023/24\nboards:\n  powis:\n    outcomes: [pcmw-8]\n  hywel-dda:\n    outcome: [pcmw-6]\n",
    );
    hub.check()
        .expect_code(1)
        .expect_stderr("content/reviews/2023-24.yaml:3:3: error: `powis` is not a known key of regions\n  help: did you mean `powys`?")
        .expect_stderr("content/reviews/2023-24.yaml:6:5: error: unknown field `outcome` in a board's review\n  help: did you mean `outcomes`?")
        .expect_stderr("content/reviews/2023-24.yaml:6:5: error: missing required field `outcomes`");
}

#[test]
fn a_theme_opens_with_what_the_report_found_and_its_quotations_are_checked() {
    let hub = hub_with("Text.\n", "");
    hub.write(
        "content/themes/access-to-resources.md",
        "---\nsources: [report]\n---\n\nThe report found a “gridlock”: “no opportunity to innovate. No money for new projects”.\n",
    );
    hub.build().expect_code(0);
    let page = hub.read("themes/access-to-resources/index.html");
    assert!(page.contains("<section class=\"intro prose\""), "{page}");
    assert!(page.contains("no opportunity to innovate. No money for new projects"));
    // English-only: the Welsh page shows it marked as English.
    assert!(
        hub.read("cy/themes/access-to-resources/index.html")
            .contains("<section class=\"intro prose\" aria-label=\"Beth a ganfu’r adolygiad cymheiriaid\" lang=\"en\">")
    );
    hub.write(
        "content/themes/access-to-resources.md",
        "---\nsources: [report]\n---\n\nThe report found “no money at all for new projects”.\n",
    );
    hub.check().expect_code(1).expect_stderr(
        "content/themes/access-to-resources.md:5:18: error: this quotation is not word for word in its sources (`report`)",
    );
    hub.write("content/themes/acces-to-resources.md", "---\n---\n\nx\n");
    hub.check().expect_code(1).expect_stderr(
        "content/themes/acces-to-resources.md:1:1: error: `acces-to-resources` is not a key of themes: this introduction has no page to open\n  help: rename the file: did you mean `access-to-resources`?",
    );
}
