//! Every bad input has a fixture under tests/fixtures/errors/ and a test that checks the exit
//! status, the exact `path:line:column: message` and the suggestion.

use crate::harness::Hub;

/// `hub check` on the basic fixture plus the named error overlay prints exactly `expected`
/// (the diagnostic lines, before the summary) and exits 1; `hub build` fails the same way.
fn assert_diagnostic(fixture: &str, expected: &str) {
    let hub = Hub::with_error(fixture);
    let run = hub.check();
    run.expect_code(1);
    // Everything before the summary line ("1 error found", "3 errors found").
    let diagnostics = run
        .stderr
        .trim_end()
        .rsplit_once('\n')
        .filter(|(_, last)| last.ends_with(" found"))
        .map_or(run.stderr.as_str(), |(d, _)| d);
    // The lines of the file shown under each message (tested on their own below).
    let diagnostics: String = diagnostics
        .lines()
        .filter(|l| !is_snippet(l))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        diagnostics.trim_end(),
        expected.trim_end(),
        "full stderr:\n{}",
        run.stderr
    );
    let build = hub.build();
    build
        .expect_code(1)
        .expect_stderr(expected.lines().next().unwrap());
    assert!(
        !hub.exists("index.html"),
        "a failed build must write nothing"
    );
}

/// A line of the file excerpt printed under a message: ` 4 | region: x` or `   |    ^^^`.
fn is_snippet(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('|')
        || t.split_once(" |")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn a_message_shows_its_line_with_a_marker_under_the_value() {
    let hub = Hub::with_error("unknown-vocab-key");
    hub.check().expect_code(1).expect_stderr(
        "content/case-studies/bad.md:4:9: error: `cwm-taf` is not a known key of regions (in `region`)\n  help: did you mean `cwm-taf-morgannwg`?\n   |\n 4 | region: cwm-taf\n   |         ^^^^^^^\n",
    );
    // Machine formats are unchanged.
    let run = hub.run(&["check", "--format", "github"]);
    assert!(!run.stdout.contains(" | "), "{}", run.stdout);
    let hub = Hub::with_error("curly-quotes");
    hub.check().expect_stderr(
        " 2 | title: “Physio first: first contact”\n   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
    );
}

macro_rules! diagnostic_tests {
    ($($name:ident: $fixture:literal => $expected:literal;)*) => {
        $(#[test] fn $name() { assert_diagnostic($fixture, $expected); })*
    };
}

diagnostic_tests! {
    action_names_an_unknown_study: "action-unknown-study" =>
        "content/actions/powys-2023-24.yaml:5:22: error: no published case study has the slug `alfa`\n  help: did you mean `alpha`?";
    action_fields_are_checked: "action-bad-fields" =>
        "content/actions/powys-2023-24.yaml:1:9: error: `powis` is not a known key of regions (in `region`)\n  help: did you mean `powys`?\ncontent/actions/powys-2023-24.yaml:5:10: error: `2024-02-30` is not a date\n  help: write it as YYYY-MM-DD, e.g. `2024-09-30`\ncontent/actions/powys-2023-24.yaml:6:13: error: `finished` is not an action status\n  help: use one of: agreed, in-progress, done, dropped";
    unknown_vocabulary_key: "unknown-vocab-key" =>
        "content/case-studies/bad.md:4:9: error: `cwm-taf` is not a known key of regions (in `region`)\n  help: did you mean `cwm-taf-morgannwg`?";
    missing_required_field_points_at_opening_fence: "missing-required" =>
        "content/case-studies/bad.md:1:1: error: missing required field `status`\n  help: add a line `status: pilot`";
    unknown_field: "unknown-field" =>
        "content/case-studies/bad.md:7:1: error: unknown field `stauts` in a case study's front matter\n  help: did you mean `status`?";
    invalid_date: "invalid-date" =>
        "content/case-studies/bad.md:7:10: error: `2024-02-30` is a day that does not exist: February 2024 has 29 days\n  help: check the date in your source";
    malformed_yaml: "malformed-yaml" =>
        "content/case-studies/bad.md:3:13: error: this is not valid YAML: mapping values are not allowed in this context (a value that contains `: ` must be put in quotes)";
    unterminated_front_matter: "unterminated" =>
        "content/case-studies/bad.md:1:1: error: the front matter opened here is never closed\n  help: add a line `---` after the last field";
    empty_outcomes: "empty-outcomes" =>
        "content/case-studies/bad.md:5:11: error: `outcomes` is empty: a case study serves at least one outcome\n  help: list one or more outcome keys, e.g. `[pcmw-3, acd-4]`";
    broken_md_link: "broken-link" =>
        "content/case-studies/bad.md:11:5: error: the link `alpah.md` points at `content/case-studies/alpah.md`, which does not exist\n  help: did you mean `alpha.md`?";
    broken_fragment: "broken-fragment" =>
        "content/case-studies/bad.md:9:5: error: `alpha.md#what-it-acheived`: no heading has the id `what-it-acheived`\n  help: did you mean `what-it-achieved`?";
    missing_related_slug: "missing-related" =>
        "content/case-studies/bad.md:7:18: error: there is no case study `bet`\n  help: did you mean `beta`?";
    link_to_draft: "link-to-draft" =>
        "content/case-studies/bad.md:9:12: error: `gamma.md` links to a draft, which is not published\n  help: remove the link, or publish the draft";
    bad_file_name: "bad-slug" =>
        "content/case-studies/Healthy_Homes.md:1:1: error: `Healthy_Homes` is not a valid case-study slug: use lower-case letters, digits and single hyphens\n  help: rename it to `healthy-homes`";
    invalid_utf8_points_at_the_byte: "invalid-utf8" =>
        "content/case-studies/bad.md:3:13: error: the file is not valid UTF-8 text (byte 0xE9 here)\n  help: save the file as UTF-8 in your editor";
    welsh_translation_disagrees: "welsh-disagrees" =>
        "content/case-studies/alpha.cy.md:5:9: error: `status` here disagrees with the English file\n  help: remove `status` from the Welsh file (it is taken from the English one), or make the two match";
    two_files_claim_one_slug: "duplicate-slug" =>
        "content/case-studies/alpha/index.md:1:1: error: the slug `alpha` is already taken by content/case-studies/alpha.md\n  help: rename one of the two files, or remove one";
}

#[test]
fn every_error_of_the_hub_is_reported_in_one_run() {
    let hub = Hub::fixture("basic");
    for fixture in ["unknown-vocab-key", "invalid-date", "broken-link"] {
        let src = crate::harness::fixtures()
            .join("errors")
            .join(fixture)
            .join("content/case-studies/bad.md");
        hub.write(
            &format!("content/case-studies/bad-{fixture}.md"),
            std::fs::read(src).unwrap(),
        );
    }
    hub.write(
        "content/hub.yaml",
        "title: Test Hub\nbase_url: https://example.org/\nlanguage: [en]\n",
    );
    let run = hub.check();
    run.expect_code(1)
        .expect_stderr("content/hub.yaml:3:1: error: unknown field `language` in hub.yaml\n  help: did you mean `languages`?")
        .expect_stderr("content/case-studies/bad-unknown-vocab-key.md:4:9: error:")
        .expect_stderr("content/case-studies/bad-invalid-date.md:7:10: error:")
        .expect_stderr("content/case-studies/bad-broken-link.md:11:5: error:")
        .expect_stderr("4 errors found");
}

#[test]
fn github_format_prints_workflow_commands() {
    let hub = Hub::with_error("unknown-vocab-key");
    let run = hub.run(&["check", "--format", "github"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "::error file=content/case-studies/bad.md,line=4,col=9::`cwm-taf` is not a known key of regions (in `region`) (did you mean `cwm-taf-morgannwg`?)\n"
    );
}

#[test]
fn json_format_is_parseable() {
    let hub = Hub::with_error("invalid-date");
    let run = hub.run(&["check", "--format", "json"]);
    run.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v[0]["path"], "content/case-studies/bad.md");
    assert_eq!(v[0]["line"], 7);
    assert_eq!(v[0]["column"], 10);
    assert_eq!(v[0]["severity"], "error");
}

#[test]
fn a_root_without_content_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no content/ folder"));
}

#[test]
fn raw_html_that_could_run_script_warns_with_its_line() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/xss.md",
        "---\ntitle: X\nsummary: X.\nregion: powys\noutcomes: [pcmw-1]\nstatus: pilot\n---\n\nText.\n\n<script>alert(1)</script>\n",
    );
    hub.check()
        .expect_code(0)
        .expect_stderr("content/case-studies/xss.md:11:1: warning: removed a `<script>` element from the HTML here");
}

diagnostic_tests! {
    a_cluster_of_another_board: "cluster-wrong-board" =>
        "content/case-studies/bad.md:5:10: error: `north-ceredigion` is a cluster of Hywel Dda University Health Board, not of Powys Teaching Health Board\n  help: check `region:`; the clusters of Powys Teaching Health Board are north-powys, mid-powys, south-powys";
    an_unknown_cluster_in_a_list: "cluster-unknown" =>
        "content/case-studies/bad.md:5:24: error: `nort-powis` is not a cluster of Powys Teaching Health Board\n  help: did you mean `north-powys`?";
    a_cluster_named_twice: "cluster-twice" =>
        "content/case-studies/bad.md:5:24: error: `north-powys` is listed twice in `cluster`; keep one";
    a_new_cluster_without_a_source: "cluster-new-without-source" =>
        "content/hub.yaml:6:12: error: the new cluster `blaenau-gwent-east` needs its name and a source\n  help: add `en:` with its English name and `source:` with the public page that states it";
    renaming_a_cluster_the_board_does_not_have: "cluster-rename-unknown" =>
        "content/hub.yaml:8:18: error: there is no cluster `north-ceredigion` in Powys Teaching Health Board to rename\n  help: the clusters of Powys Teaching Health Board are north-powys, mid-powys, south-powys";
    clusters_are_not_a_vocabulary_override: "cluster-in-vocabularies" =>
        "content/hub.yaml:6:5: error: clusters are changed under `clusters:`, not `vocabularies:`\n  help: see \"Clusters\" in CONTRIBUTING.md: add, rename or retire a cluster by its board";
}

// The mistakes a contributor who is not a developer makes (#20), each with the message that
// says what to write instead.
diagnostic_tests! {
    a_link_without_md: "link-without-md" =>
        "content/case-studies/bad.md:9:5: error: the link `beta` leads to no page: a link to a case study or page names its file\n  help: did you mean `beta/index.md`?";
    a_link_to_a_title: "link-with-spaces" =>
        "content/case-studies/bad.md:9:5: error: `[Alpha](Alpha Falls Service)` is shown as text, not a link: a link's address cannot have spaces\n  help: did you mean `[Alpha](alpha.md)`?";
    curly_quotes_from_a_word_processor: "curly-quotes" =>
        "content/case-studies/bad.md:2:8: error: `title:` is quoted with curly quotes (“), which YAML does not read as quotes\n  help: use straight quotes: `title: \"Physio first: first contact\"`";
    tabs_after_colons_every_one_reported: "tab-after-colon" =>
        "content/case-studies/bad.md:2:7: error: a tab follows `title:`; YAML needs a space after the colon\n  help: write `title: Tabbed`\ncontent/case-studies/bad.md:4:8: error: a tab follows `region:`; YAML needs a space after the colon\n  help: write `region: powys`";
    a_field_written_as_its_label: "field-as-label" =>
        "content/case-studies/bad.md:4:1: error: `Health board` is not a field name: the page shows this field as “Health board”; in front matter it is `region`\n  help: write `region:` instead of `Health board:`";
    a_field_in_capitals_is_one_error: "field-capitalised" =>
        "content/case-studies/bad.md:4:1: error: `Region` is not a field name: field names are written in lower case with `_`: `region`\n  help: write `region:` instead of `Region:`";
    an_outcome_by_number: "outcome-number" =>
        "content/case-studies/bad.md:5:12: error: `3` is not a known key of outcomes (in `outcomes`)\n  help: outcomes are named by framework and number: did you mean `pcmw-3` (Primary Care Model for Wales) or `acd-3` (Accelerated Cluster Development)?";
    a_misindented_list_keeps_both_items: "misindented-list" =>
        "content/case-studies/bad.md:6:5: error: `pcmw-3 - acd-4` reads as one item of `outcomes`: a `- ` line is indented differently from the one above it\n  help: start every `- ` of the list at the same indentation, one item per line";
    related_by_title_or_file_name: "related-title" =>
        "content/case-studies/bad.md:7:11: error: there is no case study `Beta Transport`\n  help: that is the title of `beta`: write its slug, `beta`\ncontent/case-studies/bad.md:7:27: error: there is no case study `beta.md`\n  help: write the slug, the file's name without `.md`: `beta`";
    a_date_not_written_as_one: "malformed-date" =>
        "content/case-studies/bad.md:7:10: error: `3 May 2024` is not a valid date\n  help: write the date as YYYY-MM-DD, e.g. `2024-05-05`";
}

/// What a reviewer would send back is a warning at its place, and the build goes on.
#[test]
fn quality_warnings_say_what_a_reviewer_would() {
    let hub = Hub::fixture("rich");
    let long = "A summary that goes on. ".repeat(14);
    hub.write(
        "content/case-studies/review-me.md",
        format!(
            "---\ntitle: Review me\nsummary: {long}\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\ncontact: Jane Smith, jane.smith@wales.nhs.uk, 07700 900123\n---\n\n## What was done\n\n## What it achieved\n\nFewer falls.\n\n![](route.svg)\n"
        ),
    );
    hub.write(
        "content/case-studies/route.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    let run = hub.check();
    run.expect_code(0);
    for expected in [
        "content/case-studies/review-me.md:1:1: warning: this case study names no source\n  help: list the documents it is written from in `sources:`, or write `origin: cluster` if your cluster wrote it from its own knowledge",
        "content/case-studies/review-me.md:3:10: warning: the summary is 335 characters long; listings and search show about 300\n  help: keep it to one or two sentences, what was done and what it achieved; the rest belongs in the text",
        "content/case-studies/review-me.md:7:10: warning: `contact` gives what looks like a person's e-mail address, `jane.smith@wales.nhs.uk`\n  help: give a role or a team mailbox instead (e.g. \"Cluster lead, North Powys\"), unless the person has agreed to be named",
        "content/case-studies/review-me.md:7:10: warning: `contact` gives what looks like a mobile phone number",
        "content/case-studies/review-me.md:10:1: warning: the section “What was done” is empty\n  help: write what is known, say that it is not known, or remove the heading",
        "content/case-studies/review-me.md:16:1: warning: the image `route.svg` has no description (alt text) for people who cannot see it\n  help: say what it shows between the brackets: `![A map of the route](route.svg)`",
    ] {
        run.expect_stderr(expected);
    }
    // A hub without a library of sources is not asked for them.
    let hub = Hub::fixture("basic");
    let run = hub.check();
    assert!(!run.stderr.contains("names no source"), "{}", run.stderr);
}
