//! The hub's own insight pages on a fixture with known counts: coverage, pipeline, similar work
//! elsewhere, peer-review actions and catalogue.csv.

use crate::harness::Hub;
use std::collections::{BTreeMap, BTreeSet};

/// 2025-01-01T00:00:00Z, so "overdue" does not depend on the day the tests run.
const EPOCH: &str = "1735689600";

fn built() -> Hub {
    let hub = Hub::fixture("search");
    hub.write(
        "content/actions/powys-2023-24.yaml",
        "region: powys\ncycle: 2023/24\nsource: A test report\nactions:\n\
         - action: Past due and not done.\n  due: 2024-09-30\n  studies: [falls-exercise]\n\
         - action: Past due but done.\n  due: 2024-09-30\n  status: done\n\
         - action: Due later.\n  due: 2025-03-31\n  action_cy: Erbyn yn hwyrach.\n\
         - action: No timescale.\n",
    );
    hub.write(
        "content/actions/national-2023-24.yaml",
        "national: true\ncycle: 2023/24\nactions:\n- action: National and overdue.\n  lead: SPPC\n  timescale: July 2024\n  due: 2024-07-31\n",
    );
    hub.run_with(&["build"], &[("SOURCE_DATE_EPOCH", EPOCH)])
        .expect_code(0);
    hub
}

/// The rows of the table under the heading with `id`: row key → column key → count.
fn matrix(html: &str, id: &str, column_kind: &str) -> BTreeMap<String, BTreeMap<String, usize>> {
    let start = html.find(&format!("id=\"{id}\"")).expect("the heading");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let head = &table[..table.find("</thead>").unwrap()];
    let columns: Vec<String> = head
        .split(&format!("<th scope=\"col\"><a href=\"/{column_kind}/"))
        .skip(1)
        .map(|s| s[..s.find('/').unwrap()].to_string())
        .collect();
    let mut out = BTreeMap::new();
    for row in table.split("<th scope=\"row\"><a href=\"/regions/").skip(1) {
        let region = row[..row.find('/').unwrap()].to_string();
        let cells: Vec<usize> = row
            .split("<td")
            .skip(1)
            .map(|c| {
                let cell = &c[..c.find("</td>").unwrap()];
                if !cell.contains("</a>") {
                    0
                } else {
                    let text = &cell[..cell.rfind("</a>").unwrap()];
                    text[text.rfind('>').unwrap() + 1..].parse().unwrap()
                }
            })
            .collect();
        assert_eq!(cells.len(), columns.len(), "{region}");
        out.insert(region, columns.iter().cloned().zip(cells).collect());
    }
    out
}

fn nonzero(m: &BTreeMap<String, BTreeMap<String, usize>>) -> Vec<(String, String, usize)> {
    m.iter()
        .flat_map(|(r, cols)| {
            cols.iter()
                .filter(|(_, n)| **n > 0)
                .map(move |(c, n)| (r.clone(), c.clone(), *n))
        })
        .collect()
}

#[test]
fn coverage_counts_match_the_studies() {
    let hub = built();
    let html = hub.read("coverage/index.html");
    let outcomes = matrix(&html, "coverage-outcomes-heading", "outcomes");
    assert_eq!(outcomes.len(), 7, "every board has a row");
    assert_eq!(outcomes["powys"].len(), 20, "PCMW 1–13 and ACD 1–7");
    let t = |r: &str, c: &str, n| (r.to_string(), c.to_string(), n);
    assert_eq!(
        nonzero(&outcomes),
        [
            t("aneurin-bevan", "pcmw-4", 1),
            t("aneurin-bevan", "pcmw-9", 1),
            t("hywel-dda", "pcmw-3", 1),
            t("hywel-dda", "pcmw-9", 1),
            t("powys", "pcmw-3", 1),
            t("swansea-bay", "pcmw-4", 1),
        ]
    );
    let themes = matrix(&html, "coverage-themes-heading", "themes");
    assert_eq!(
        nonzero(&themes),
        [
            t("aneurin-bevan", "partnership-working", 2),
            t("hywel-dda", "access-to-resources", 1),
            t("hywel-dda", "partnership-working", 1),
            t("powys", "vision-and-leadership", 1),
            t("swansea-bay", "professional-collaboratives", 1),
        ]
    );
    // Without reviews, no cell is a gap: a gap is an outcome a board was reviewed on.
    assert!(!html.contains(" gaps"), "no reviews, no gaps");
    // Counts link to the search that lists them.
    assert!(
        html.contains("href=\"/search/?regions=aneurin-bevan&amp;themes=partnership-working\"")
    );
    let cy = hub.read("cy/coverage/index.html");
    assert!(cy.contains("href=\"/cy/search/?regions=powys&amp;outcomes=pcmw-3\""));

    // With the reviews, each outcome cell is one of four states, told apart without colour.
    hub.write(
        "content/reviews/2023-24.yaml",
        "cycle: 2023/24\nboards:\n  powys:\n    outcomes: [pcmw-3, pcmw-8, acd-7]\n  hywel-dda:\n    outcomes: [pcmw-6, pcmw-7, acd-6]\n",
    );
    hub.run_with(&["build"], &[("SOURCE_DATE_EPOCH", EPOCH)])
        .expect_code(0);
    let html = hub.read("coverage/index.html");
    let row = |board: &str| {
        let at = html
            .find(&format!("<th scope=\"row\"><a href=\"/regions/{board}/\">"))
            .unwrap();
        html[at..at + html[at..].find("</tr>").unwrap()].to_string()
    };
    let states = |board: &str| {
        row(board)
            .split("<td class=\"cell-")
            .skip(1)
            .map(|c| c[..c.find(['"', ' ']).unwrap()].to_string())
            .collect::<Vec<_>>()
    };
    let powys = states("powys");
    assert_eq!(powys[2], "reviewed", "pcmw-3: reviewed, with a study");
    assert_eq!(powys[7], "gap", "pcmw-8: reviewed, none");
    assert_eq!(powys[19], "gap", "acd-7: reviewed, none");
    assert_eq!(powys[0], "none");
    assert_eq!(
        states("hywel-dda")[2],
        "studies",
        "pcmw-3: a study, not reviewed"
    );
    assert!(row("powys").contains("<span class=\"cell-mark\" aria-hidden=\"true\">✓</span>"));
    assert!(row("powys").contains("<span class=\"cell-word\">Gap</span>"));
    assert!(
        html.contains("5 gaps: outcomes health boards were reviewed on, with no case study yet."),
        "2 in Powys, 3 in Hywel Dda"
    );
    let reviews: serde_json::Value = serde_json::from_str(&hub.read("reviews.json")).unwrap();
    assert_eq!(
        reviews[0],
        serde_json::json!({"cycle": "2023/24", "region": "hywel-dda", "outcomes": ["pcmw-6", "pcmw-7", "acd-6"], "sources": []})
    );
}

#[test]
fn every_published_study_is_once_on_the_pipeline_under_its_status() {
    let hub = built();
    let html = hub.read("pipeline/index.html");
    let all = &html[html.find("<ol class=\"pipeline\">").unwrap()..];
    let mut seen: Vec<(String, String)> = Vec::new();
    for stage in all.split("<li class=\"pipeline-stage\">").skip(1) {
        let at = stage.find("<h3 id=\"").unwrap() + "<h3 id=\"".len();
        let status = stage[at..].split('"').next().unwrap().to_string();
        for link in stage.split("<a href=\"/case-studies/").skip(1) {
            seen.push((link[..link.find('/').unwrap()].to_string(), status.clone()));
        }
    }
    seen.sort();
    let catalogue: serde_json::Value = serde_json::from_str(&hub.read("catalogue.json")).unwrap();
    let mut expected: Vec<(String, String)> = catalogue["studies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["slug"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    expected.sort();
    assert_eq!(seen, expected);
    // Proven and not mainstreamed, with the time since its status was last known
    // (status_as_of 2024-03 → 2025-01-01), never since an edit.
    let waiting = &html
        [html.find("id=\"waiting-heading\"").unwrap()..html.find("id=\"boards-heading\"").unwrap()];
    assert!(waiting.contains("Falls exercise classes"), "{waiting}");
    assert!(
        waiting
            .contains("status as of <time datetime=\"2024-03\">March 2024</time> (10 months ago)"),
        "{waiting}"
    );
    assert!(
        !waiting.contains("Falls response team"),
        "mainstreamed is not waiting"
    );
    // The chart draws one bar segment per non-empty board and status, with its count.
    assert_eq!(html.matches("<rect ").count(), 5);
}

#[test]
fn similar_work_elsewhere_is_from_other_boards_sharing_an_outcome_and_stable() {
    let hub = built();
    let catalogue: serde_json::Value = serde_json::from_str(&hub.read("catalogue.json")).unwrap();
    let by_slug: BTreeMap<String, &serde_json::Value> = catalogue["studies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["slug"].as_str().unwrap().to_string(), s))
        .collect();
    let outcomes = |s: &serde_json::Value| -> BTreeSet<String> {
        s["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap().to_string())
            .collect()
    };
    let mut found = BTreeMap::new();
    for (slug, study) in &by_slug {
        let html = hub.read(&format!("case-studies/{slug}/index.html"));
        let Some(at) = html.find("id=\"related-elsewhere\"") else {
            continue;
        };
        let group = &html[at..];
        let end = group.find("</ul>").unwrap();
        let section = &group[..end];
        let others: Vec<String> = section
            .split("card-title\"><a href=\"/case-studies/")
            .skip(1)
            .map(|s| s[..s.find('/').unwrap()].to_string())
            .collect();
        for other in &others {
            let o = by_slug[other];
            assert_ne!(o["region"], study["region"], "{slug} → {other}: same board");
            assert!(
                !outcomes(o).is_disjoint(&outcomes(study)),
                "{slug} → {other}: no shared outcome"
            );
        }
        found.insert(slug.clone(), others);
    }
    // Falls exercise (Powys, PCMW 3) has one study elsewhere serving PCMW 3: Healthy homes.
    assert_eq!(found["falls-exercise"], ["healthy-homes"]);
    // Falls response (Aneurin Bevan, PCMW 9) likewise.
    assert_eq!(found["falls-response"], ["healthy-homes"]);
    // Stable: a second build lists the same.
    let again = built();
    for slug in found.keys() {
        assert_eq!(
            hub.read(&format!("case-studies/{slug}/index.html")),
            again.read(&format!("case-studies/{slug}/index.html"))
        );
    }
}

#[test]
fn actions_past_their_timescale_say_so_without_blame() {
    let hub = built();
    let html = hub.read("actions/index.html");
    let passed: Vec<&str> = html
        .split("<li class=\"action action-passed\">")
        .skip(1)
        .map(|s| {
            let p = &s[s.find("<p>").unwrap() + 3..];
            &p[..p.find("</p>").unwrap()]
        })
        .collect();
    assert_eq!(passed, ["Past due and not done.", "National and overdue."]);
    assert_eq!(html.matches("<li class=\"action\">").count(), 3);
    assert!(html.contains("5 actions agreed."), "{html}");
    assert!(
        html.contains("Of these, 2 have passed their timescale with no progress recorded here."),
        "{html}"
    );
    assert!(html.contains("timescale passed; no progress recorded here"));
    assert!(
        !html.to_lowercase().contains("overdue<"),
        "never called overdue"
    );
    assert!(!html.contains("Overdue"), "never called overdue");
    // Powys first (board order), national last; the study linked.
    assert!(
        html.find("Past due and not done.").unwrap() < html.find("National and overdue.").unwrap()
    );
    assert!(html.contains("href=\"/case-studies/falls-exercise/\">Falls exercise classes</a>"));
    // The board's page lists its own actions only.
    let powys = hub.read("regions/powys/index.html");
    assert!(powys.contains("Past due and not done.") && !powys.contains("National and overdue."));
    assert_eq!(powys.matches("action-passed").count(), 1);
    assert!(
        !hub.read("regions/hywel-dda/index.html")
            .contains("class=\"actions\"")
    );
    // Welsh: Welsh text where written, else English marked as English.
    let cy = hub.read("cy/actions/index.html");
    assert!(cy.contains("<p>Erbyn yn hwyrach.</p>"));
    assert!(cy.contains("<p lang=\"en\">Past due and not done.</p>"));
    // A later date: the later action has passed its timescale too.
    hub.run_with(&["build"], &[("SOURCE_DATE_EPOCH", "1767225600")])
        .expect_code(0);
    assert_eq!(
        hub.read("actions/index.html")
            .matches("action-passed\"")
            .count(),
        3
    );
}

#[test]
fn recorded_progress_is_shown_with_its_source_and_national_actions_keep_their_headings() {
    let hub = built();
    hub.write(
        "content/actions/national-2023-24.yaml",
        "national: true\ncycle: 2023/24\nactions:\n\
         - action: National and overdue.\n  due: 2024-07-31\n  group: \"1. Primary Care Data\"\n  progress:\n    - date: 2024-10-01\n      status: in-progress\n      note: Metrics drafted.\n      source: Board paper, October 2024\n\
         - action: Another.\n  group: \"2. Implementing the PCMW\"\n",
    );
    hub.run_with(&["build"], &[("SOURCE_DATE_EPOCH", EPOCH)])
        .expect_code(0);
    let html = hub.read("actions/index.html");
    let national = &html[html.find("id=\"actions-national-").unwrap()..];
    assert!(
        national.contains("<h3 class=\"action-group\">1. Primary Care Data</h3>"),
        "{national}"
    );
    assert!(national.contains("<h3 class=\"action-group\">2. Implementing the PCMW</h3>"));
    assert!(
        national.contains("<ol class=\"actions\" start=\"2\">"),
        "numbering goes on across headings"
    );
    assert!(national.contains("In progress"));
    assert!(national.contains("<time datetime=\"2024-10-01\">1 October 2024</time>: <span lang=\"en\">Metrics drafted.</span> (Source: <span lang=\"en\">Board paper, October 2024</span>)"), "{national}");
    assert!(
        !national.contains("action-passed"),
        "progress is recorded, so nothing is said to have passed"
    );
    // A note of progress names its source.
    hub.write(
        "content/actions/national-2023-24.yaml",
        "national: true\ncycle: 2023/24\nactions:\n- action: X.\n  progress:\n    - date: 2024-10-01\n      status: done\n",
    );
    hub.check().expect_code(1).expect_stderr(
        "content/actions/national-2023-24.yaml:6:7: error: missing required field `source`\n  help: add a line `source: Health board report to the PCPG, March 2025`",
    );
}

#[test]
fn catalogue_csv_parses_and_matches_catalogue_json() {
    let hub = built();
    let csv_text = hub.read("catalogue.csv");
    let body = csv_text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    let catalogue: serde_json::Value = serde_json::from_str(&hub.read("catalogue.json")).unwrap();
    let studies = catalogue["studies"].as_array().unwrap();
    assert_eq!(rows.len(), studies.len());
    let join = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    for (row, s) in rows.iter().zip(studies) {
        assert_eq!(row["slug"], text(&s["slug"]));
        assert_eq!(row["title_en"], text(&s["title"]["en"]));
        assert_eq!(row["title_cy"], text(&s["title"]["cy"]));
        assert_eq!(row["url_cy"], text(&s["url"]["cy"]));
        assert_eq!(row["region"], text(&s["region"]));
        assert_eq!(row["status"], text(&s["status"]));
        assert_eq!(row["outcomes"], join(&s["outcomes"]));
        assert_eq!(row["themes"], join(&s["themes"]));
        assert_eq!(row["updated"], text(&s["updated"]));
        assert_eq!(row["languages"], join(&s["languages"]));
    }
    assert_eq!(
        rows.iter().find(|r| r["slug"] == "healthy-homes").unwrap()["title_cy"],
        "Cartrefi iach"
    );
}
